// Audit and decision log (platform): who changed what, when and why, human
// or automated (GET /v1/audit, JSON Lines), filtered by record kind and id,
// and exported as CSV for DSA reporting.
import { api } from '../api.js';
import { h, clear, table, when } from '../ui.js';

const KINDS = ['', 'listing', 'seller', 'complaint', 'notice', 'report', 'appeal', 'right'];
const COLUMNS = ['table', 'seq', 'at', 'actor', 'automated', 'record', 'record_id', 'change', 'detail', 'event'];

// RFC 4180: every field quoted, quotes doubled; a leading =, +, - or @ is
// prefixed with ' so a spreadsheet does not run it as a formula.
export function toCsv(rows) {
  const cell = (v) => {
    let s = v === undefined || v === null ? '' : String(v);
    if (/^[=+\-@\t\r]/.test(s)) s = `'${s}`;
    return `"${s.replace(/"/g, '""')}"`;
  };
  return [COLUMNS.join(','), ...rows.map((r) => COLUMNS.map((c) => cell(r[c])).join(','))].join('\r\n') + '\r\n';
}

export async function render(main, ctx) {
  const [record = '', id = ''] = ctx.args;
  const query = record ? `?record=${encodeURIComponent(record)}${id ? `&id=${encodeURIComponent(id)}` : ''}` : '';
  const text = await api(`/v1/audit${query}`, { text: true });
  const rows = text.split('\n').filter(Boolean).map((l) => JSON.parse(l));
  const kind = h('select', { id: 'audit-record' }, KINDS.map((k) => h('option', { value: k, selected: k === record }, k || 'every kind')));
  const ident = h('input', { id: 'audit-id', value: id });
  const shown = rows.slice(-500).reverse();
  clear(main,
    h('h1', null, 'Audit log'),
    h('form.inline', {
      onsubmit: (e) => {
        e.preventDefault();
        location.hash = `#/audit/${encodeURIComponent(kind.value)}${kind.value && ident.value.trim() ? `/${encodeURIComponent(ident.value.trim())}` : ''}`;
      },
    }, h('label', { for: 'audit-record' }, 'Record'), kind, h('label', { for: 'audit-id' }, 'id'), ident,
    h('button', { type: 'submit' }, 'Filter'),
    h('button.secondary', {
      type: 'button',
      onclick: () => {
        const a = h('a', { href: URL.createObjectURL(new Blob([toCsv(rows)], { type: 'text/csv' })), download: `audit${record ? `-${record}` : ''}${id ? `-${id}` : ''}.csv` });
        a.click();
      },
    }, `Export ${rows.length} rows as CSV`)),
    h('p.help', null, `${rows.length} changes${rows.length > shown.length ? `, the latest ${shown.length} shown` : ''}, newest first.`),
    table('Audit log', [
      { title: 'when', value: (r) => when(r.at) },
      { title: 'who', value: (r) => `${r.actor}${r.automated ? ' (automated)' : ''}` },
      { title: 'record', value: (r) => `${r.record} ${r.record_id}` },
      { title: 'change', value: (r) => r.change },
      { title: 'why', value: (r) => r.detail || '' },
    ], shown, 'No changes recorded.'));
}
