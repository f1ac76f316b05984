// Seller pages (platform, reviewer): a seller's record, its strikes, its
// cluster and linked accounts (the kinds they share, never the values), and
// its case file for the authorities.
import { api } from '../api.js';
import { h, clear, table, statusBadge, reasonsList, toast } from '../ui.js';

export function sellerCard(s) {
  const counts = s.listings || {};
  return h('section.card', { 'aria-label': `Seller ${s.seller}` },
    h('h2', null, `Seller ${s.seller}`),
    h('dl.facts', null,
      h('dt', null, 'status'), h('dd', null, statusBadge(s.status)),
      h('dt', null, 'enforcement'), h('dd', null, s.enforcement || 'in good standing'),
      h('dt', null, 'strikes'), h('dd', { 'data-field': 'strikes' }, String(s.strikes ?? 0)),
      h('dt', null, 'since'), h('dd', null, s.since || ''),
      h('dt', null, 'verification'), h('dd', null, s.verification || 'none'),
      h('dt', null, 'listings'), h('dd', null, Object.entries(counts).map(([k, v]) => `${v} ${k}`).join(', '))),
    s.risk && s.risk.reasons && s.risk.reasons.length ? h('div', null, h('h3', null, 'Risk'), reasonsList(s.risk.reasons)) : null,
    s.cluster ? h('div', null, h('h3', null, 'Cluster'),
      h('p', null, `${s.cluster.size} linked account${s.cluster.size === 1 ? '' : 's'}, ${s.cluster.banned} banned`,
        s.cluster.brands && s.cluster.brands.length ? `; brands: ${s.cluster.brands.join(', ')}` : ''),
      s.linked_sellers ? table('Linked accounts and what links them', [
        { title: 'seller', value: (r) => h('a', { href: `#/sellers/${encodeURIComponent(r.seller)}` }, r.seller) },
        { title: 'shares', value: (r) => r.shares },
        { title: 'banned', value: (r) => (r.banned ? 'yes' : 'no') },
      ], s.linked_sellers, 'No linked accounts.') : null,
      s.cluster.shipment_origins && s.cluster.shipment_origins.length ? table('Where the cluster ships from', [
        { title: 'country', value: (r) => r.country }, { title: 'city', value: (r) => r.city || '' },
        { title: 'facility', value: (r) => r.facility || '' }, { title: 'shipments', value: (r) => String(r.shipments) },
      ], s.cluster.shipment_origins) : null) : null);
}

export async function render(main, ctx) {
  const input = h('input', { id: 'seller-id', required: true, value: ctx.args[0] || '' });
  const out = h('div');
  const show = async (id) => {
    clear(out, h('p.loading', null, 'Loading…'));
    try {
      const s = await api(`/v1/sellers/${encodeURIComponent(id)}`);
      const download = h('button', {
        type: 'button',
        onclick: async () => {
          try {
            const html = await api(`/v1/cases/${encodeURIComponent(id)}?format=html`, { text: true });
            const a = h('a', { href: URL.createObjectURL(new Blob([html], { type: 'text/html' })), download: `case-${id}.html` });
            a.click();
          } catch (err) { toast(err.message); }
        },
      }, 'Download the case file');
      clear(out, sellerCard(s), download);
    } catch (err) {
      clear(out, h('p.error', { role: 'alert' }, err.message));
    }
  };
  clear(main, h('h1', null, 'Sellers'),
    h('form.inline', {
      onsubmit: (e) => { e.preventDefault(); location.hash = `#/sellers/${encodeURIComponent(input.value.trim())}`; },
    }, h('label', { for: 'seller-id' }, 'Seller id'), input, h('button', { type: 'submit' }, 'Show')),
    out);
  if (ctx.args[0]) await show(ctx.args[0]);
}
