// Seller pages (platform, reviewer): a seller's record, its strikes, its
// cluster and linked accounts (the kinds they share, never the values), and
// its case file for the authorities.
import * as echarts from 'echarts/core';
import { GraphChart } from 'echarts/charts';
import { TooltipComponent } from 'echarts/components';
import { SVGRenderer } from 'echarts/renderers';
import { api } from '../api.js';
import { h, clear, table, statusBadge, reasonsList, toast, when } from '../ui.js';

echarts.use([GraphChart, TooltipComponent, SVGRenderer]);

// The seller and the accounts linked to it, each edge named by what they
// share (the kinds, never the values), banned accounts in red.
function clusterGraph(s) {
  const el = h('div.chart', { role: 'img', 'aria-label': `The accounts linked to ${s.seller}, as in the table of linked accounts` });
  const nodes = [{ name: s.seller, symbolSize: 28, itemStyle: { color: '#1f4e79' } },
    ...s.linked_sellers.map((l) => ({ name: l.seller, symbolSize: 18, itemStyle: { color: l.banned ? '#a4161a' : '#6e7781' } }))];
  const links = s.linked_sellers.map((l) => ({ source: s.seller, target: l.seller, value: l.shares }));
  requestAnimationFrame(() => {
    // drawn once shown: a card the reviewer already moved past is left alone
    if (!el.isConnected || !el.clientWidth) return;
    const chart = echarts.init(el, null, { renderer: 'svg' });
    chart.setOption({
      animation: false,
      tooltip: { formatter: (p) => (p.dataType === 'edge' ? `${p.data.source} and ${p.data.target} share ${p.data.value}` : p.name) },
      series: [{ type: 'graph', layout: 'circular', roam: false, label: { show: true, position: 'right' }, data: nodes, links, lineStyle: { width: 2 } }],
    });
  });
  return el;
}

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
      s.linked_sellers && s.linked_sellers.length ? clusterGraph(s) : null,
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
      // the seller's history (the platform reads the audit log)
      let history = null;
      if (ctx.role === 'platform') {
        const text = await api(`/v1/audit?record=seller&id=${encodeURIComponent(id)}`, { text: true }).catch(() => '');
        const rows = text.split('\n').filter(Boolean).map((l) => JSON.parse(l));
        history = h('section', null, h('h2', null, 'History'), table(`What changed for ${id}`, [
          { title: 'when', value: (r) => when(r.at) }, { title: 'who', value: (r) => `${r.actor}${r.automated ? ' (automated)' : ''}` },
          { title: 'change', value: (r) => r.change }, { title: 'why', value: (r) => r.detail || '' },
        ], rows, 'Nothing recorded.'));
      }
      clear(out, sellerCard(s), history, download);
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
