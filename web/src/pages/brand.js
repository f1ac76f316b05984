// Brand portal (rights holder): file one complaint over many listings by
// pasting their ids or links, follow each through the seller's window with
// a countdown, and see the brand's standing as a filer.
import { api, post, eventId, nowIso } from '../api.js';
import { h, clear, table, when, toast, statusBadge } from '../ui.js';
import { countdown, startCountdowns } from './seller.js';

// Listing ids from pasted text: ids or links, split on spaces, commas, lines;
// a link gives its last path segment.
export function pastedListings(text) {
  const out = [];
  for (let part of text.split(/[\s,;]+/)) {
    if (!part) continue;
    if (/^https?:\/\//i.test(part)) {
      try { part = new URL(part).pathname.split('/').filter(Boolean).pop() || ''; } catch { part = ''; }
      part = decodeURIComponent(part);
    }
    if (part && !out.includes(part)) out.push(part);
  }
  return out;
}

function complaintDetail(c) {
  return h('section.card', { 'aria-label': `Complaint ${c.complaint}` },
    h('h2', null, `Complaint ${c.complaint}`),
    h('p', null, `Under ${c.right}, filed ${when(c.filed_at)}. `,
      c.state === 'open' ? ['Seller\'s window: ', countdown(c.deadline)] : `Closed (window ended ${when(c.deadline)}).`),
    table('Listings in this complaint', [
      { title: 'listing', value: (r) => r.listing },
      { title: 'notice', value: (r) => r.state },
      { title: 'listing status', value: (r) => (r.listing_status ? statusBadge(r.listing_status) : '') },
      { title: 'note', value: (r) => r.why || '' },
    ], c.listings));
}

export async function render(main, ctx) {
  const me = ctx.account;
  const [list, filer, codes] = await Promise.all([
    api('/v1/complaints'),
    api(`/v1/filers/${encodeURIComponent(me)}`).catch(() => null),
    api('/v1/batches').catch(() => ({ batches: [] })),
  ]);
  const detail = h('div');
  if (ctx.args[0]) {
    try { clear(detail, complaintDetail(await api(`/v1/complaints/${encodeURIComponent(ctx.args[0])}`))); } catch (err) { clear(detail, h('p.error', { role: 'alert' }, err.message)); }
  }
  const rights = [...new Set(list.complaints.map((c) => c.right))];
  const right = h('input', { id: 'right', required: true, value: rights[0] || '', list: 'rights' });
  const ids = h('textarea', { id: 'listings', required: true, rows: 4, placeholder: 'L-1001 L-1002\nhttps://shop.example/item/L-1003' });
  const statement = h('textarea', { id: 'statement', rows: 2 });
  const figures = list.complaints.reduce((f, c) => {
    for (const [k, v] of Object.entries(c.notices || {})) f[k] = (f[k] || 0) + v;
    return f;
  }, {});
  const reg = {
    right: h('input', { id: 'reg-right', required: true }),
    brand: h('input', { id: 'reg-brand', required: true }),
    kind: h('select', { id: 'reg-kind' }, ['trademark', 'copyright', 'patent', 'design'].map((k) => h('option', { value: k }, k))),
    number: h('input', { id: 'reg-number', required: true }),
    type: h('input', { id: 'reg-type' }),
    work: h('input', { id: 'reg-work' }),
    jurisdiction: h('input', { id: 'reg-jurisdiction' }),
    classes: h('input', { id: 'reg-classes' }),
    until: h('input', { id: 'reg-until', type: 'date' }),
    documents: h('textarea', { id: 'reg-documents', rows: 2 }),
  };
  const registered = h('div');
  const register = h('form.stack', {
    onsubmit: async (e) => {
      e.preventDefault();
      const words = (t) => t.split(/[\s,;]+/).filter(Boolean);
      const event = {
        type: 'ip_right', id: eventId('right'), at: nowIso(), right: reg.right.value.trim(), brand: reg.brand.value.trim(),
        kind: reg.kind.value, number: reg.number.value.trim(), holder: me,
      };
      if (reg.type.value.trim()) event.right_type = reg.type.value.trim();
      if (reg.work.value.trim()) event.work = reg.work.value.trim();
      if (reg.jurisdiction.value.trim()) event.jurisdiction = reg.jurisdiction.value.trim();
      if (reg.classes.value.trim()) event.classes = words(reg.classes.value);
      if (reg.until.value) event.valid_until = `${reg.until.value}T00:00:00Z`;
      if (reg.documents.value.trim()) event.documents = reg.documents.value.split('\n').map((d) => d.trim()).filter(Boolean);
      try {
        await post(event);
        const r = await api(`/v1/rights/${encodeURIComponent(event.right)}`);
        clear(registered, h('p', { role: 'status', 'data-right-state': r.state }, `Right ${r.right} (${r.kind} ${r.number}) is ${r.state}`,
          r.state === 'registered' ? ': the platform verifies it before it backs a complaint.' : '.'));
      } catch (err) { toast(err.message); }
    },
  },
  h('label', { for: 'reg-right' }, 'Right id (yours to choose)'), reg.right,
  h('label', { for: 'reg-brand' }, 'Brand id'), reg.brand,
  h('label', { for: 'reg-kind' }, 'Kind'), reg.kind,
  h('label', { for: 'reg-number' }, 'Registration or certificate number'), reg.number,
  h('label', { for: 'reg-type' }, 'Its type, for a patent or a design (e.g. utility, registered design)'), reg.type,
  h('label', { for: 'reg-work' }, 'The work, for a copyright'), reg.work,
  h('label', { for: 'reg-jurisdiction' }, 'Jurisdiction, for a trademark'), reg.jurisdiction,
  h('label', { for: 'reg-classes' }, 'Classes, for a trademark (e.g. 18 25)'), reg.classes,
  h('label', { for: 'reg-until' }, 'Valid until (a trademark\'s, a patent\'s or a design\'s expiry)'), reg.until,
  h('label', { for: 'reg-documents' }, 'Documents: one reference or link a line (optional)'), reg.documents,
  h('button', { type: 'submit' }, 'Register right'));
  clear(main,
    h('h1', null, `Brand portal: ${me}`),
    detail,
    h('section', null, h('h2', null, 'File a complaint'),
      h('form.stack', {
        onsubmit: async (e) => {
          e.preventDefault();
          const listings = pastedListings(ids.value);
          if (!listings.length) { toast('Paste at least one listing id or link.'); return; }
          const complaint = eventId('c').replace('console-c-', 'C-');
          try {
            await post({ type: 'complaint', id: eventId('complaint'), at: nowIso(), complaint, rights_holder: me, right: right.value.trim(), listings, statement: statement.value.trim() || undefined });
            toast(`Complaint ${complaint} filed over ${listings.length} listing${listings.length === 1 ? '' : 's'}.`);
            location.hash = `#/brand/${encodeURIComponent(complaint)}`;
          } catch (err) { toast(err.message); }
        },
      },
      h('label', { for: 'right' }, 'Your right (its id)'), right,
      h('datalist', { id: 'rights' }, rights.map((r) => h('option', { value: r }))),
      h('label', { for: 'listings' }, 'Listings: ids or links, one complaint over all of them'), ids,
      h('label', { for: 'statement' }, 'Statement (optional)'), statement,
      h('button', { type: 'submit' }, 'File complaint'))),
    h('section', null, h('h2', null, 'Your complaints'),
      table('Your complaints', [
        { title: 'complaint', value: (r) => h('a', { href: `#/brand/${encodeURIComponent(r.complaint)}` }, r.complaint) },
        { title: 'right', value: (r) => r.right },
        { title: 'filed', value: (r) => when(r.filed_at) },
        { title: 'seller\'s window', value: (r) => countdown(r.deadline) },
        { title: 'notices', value: (r) => Object.entries(r.notices || {}).map(([k, v]) => `${v} ${k}`).join(', ') },
      ], list.complaints, 'No complaints yet.')),
    h('section', null, h('h2', null, 'Your authenticity codes'),
      table('Your code batches', [
        { title: 'batch', value: (r) => r.batch },
        { title: 'brand', value: (r) => r.brand },
        { title: 'product (sku)', value: (r) => r.sku },
        { title: 'codes', value: (r) => String(r.count) },
        { title: 'enrolled', value: (r) => (r.enrolled ? 'yes' : 'no') },
        { title: 'issued', value: (r) => when(r.issued_at) },
        { title: 'scanned', value: (r) => `${r.scanned} codes, ${r.scans} scans` },
        { title: 'cloned', value: (r) => String(r.cloned) },
        { title: 'state', value: (r) => (r.retired ? 'retired' : 'active') },
      ], codes.batches, 'No code batches yet: genuine codes issue (docs/codes.md).'),
      table('Where your codes were scanned, and where clones were', [
        { title: 'batch', value: (r) => r.batch },
        { title: 'country', value: (r) => r.country },
        { title: 'scans', value: (r) => String(r.scans) },
        { title: 'cloned codes', value: (r) => String(r.cloned_codes) },
      ], codes.batches.flatMap((b) => (b.countries || []).map((c) => ({ batch: b.batch, ...c }))), 'No scans yet.')),
    h('section', null, h('h2', null, 'Register a right'), register, registered),
    h('section', null, h('h2', null, 'Your figures'),
      h('dl.facts', null,
        h('dt', null, 'complaints'), h('dd', null, String(list.complaints.length)),
        ...Object.entries(figures).flatMap(([k, v]) => [h('dt', null, `notices ${k.replace('_', ' ')}`), h('dd', null, String(v))]),
        filer ? [h('dt', null, 'standing'), h('dd', null, `${filer.standing}: ${filer.why}`)] : null)));
  return startCountdowns(main);
}
