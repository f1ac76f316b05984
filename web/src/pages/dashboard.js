// Dashboard (platform, reviewer): the figures of GET /v1/stats over a chosen
// period (counted by day in memory on the server: no scan per request), as
// tiles, charts and the same figures in tables (what a screen reader reads).
import * as echarts from 'echarts/core';
import { BarChart, LineChart, MapChart } from 'echarts/charts';
import { GridComponent, TooltipComponent, LegendComponent, VisualMapComponent } from 'echarts/components';
import { SVGRenderer } from 'echarts/renderers';
import world from 'virtual:world';
import { api } from '../api.js';
import { h, clear, table } from '../ui.js';

echarts.use([BarChart, LineChart, MapChart, GridComponent, TooltipComponent, LegendComponent, VisualMapComponent, SVGRenderer]);
echarts.registerMap('world', world);
const COUNTRY = Object.fromEntries(world.features.map((f) => [f.properties.name, f.properties.title]));
const OUTCOMES = ['opened', 'taken_down', 'contested', 'confirmed', 'settled', 'rejected', 'reversed', 'already_removed', 'not_covered', 'unknown_listing'];
const usd = (x) => `${Math.round(x).toLocaleString('en')} USD`;

const STATUSES = ['live', 'held', 'blocked', 'removed', 'noticed'];

function tile(label, value, note) {
  return h('div.tile', null, h('span.tile-value', null, String(value)), h('span.tile-label', null, label),
    note ? h('span.tile-note', null, note) : null);
}

function day(d) { return d.toISOString().slice(0, 10); }

export async function render(main, ctx) {
  // #/dashboard/SINCE/UNTIL[/brand:ID|/category:NAME]; by default everything so far
  const [since = '2000-01-01', until = day(new Date()), filter = ''] = ctx.args;
  const [kind, id] = filter.includes(':') ? [filter.slice(0, filter.indexOf(':')), filter.slice(filter.indexOf(':') + 1)] : ['', ''];
  const t0 = performance.now();
  const narrow = kind === 'brand' || kind === 'category' ? `&${kind}=${encodeURIComponent(id)}` : '';
  const stats = await api(`/v1/stats?since=${encodeURIComponent(since)}&until=${encodeURIComponent(until)}${narrow}`);
  const p = stats.period;
  const now = stats.listings_by_status;
  const from = h('input', { id: 'since', type: 'date', value: since, required: true });
  const to = h('input', { id: 'until', type: 'date', value: until, required: true });
  const option = (k, f) => h('option', { value: `${k}:${f.id}`, selected: kind === k && id === f.id }, f.name);
  const which = h('select', { id: 'filter' }, h('option', { value: '' }, 'every listing'),
    h('optgroup', { label: 'Brand' }, p.filters.brands.map((f) => option('brand', f))),
    h('optgroup', { label: 'Category' }, p.filters.categories.map((f) => option('category', f))));
  const go = (a, b) => { location.hash = `#/dashboard/${a}/${b}${which.value ? `/${encodeURIComponent(which.value)}` : ''}`; };
  const preset = (days) => h('button.secondary', {
    type: 'button',
    onclick: () => go(day(new Date(Date.now() - days * 864e5)), day(new Date())),
  }, `last ${days} days`);
  const map = h('div.chart.map', { role: 'img', 'aria-label': 'Where confirmed counterfeits shipped from, by country, as in the table below' });
  const byDay = h('div.chart', { role: 'img', 'aria-label': 'Listings decided, held and blocked at creation, day by day, as in the table below' });
  const brands = h('div.chart', { role: 'img', 'aria-label': 'Brands with the most listings held or blocked at creation, as in the table below' });
  const share = (x) => `${(100 * x).toFixed(1)}%`;
  clear(main,
    h('h1', null, 'Dashboard'),
    h('form.inline', {
      onsubmit: (e) => { e.preventDefault(); go(from.value, to.value); },
    }, h('label', { for: 'since' }, 'From'), from, h('label', { for: 'until' }, 'to'), to,
    h('label', { for: 'filter' }, 'Listings of'), which,
    h('button', { type: 'submit' }, 'Show'), preset(7), preset(30), preset(365)),
    p.brand || p.category ? h('p.help', { id: 'filtered' }, `Only the listings of ${p.brand ? 'brand' : 'category'} ${which.selectedOptions[0] ? which.selectedOptions[0].textContent : (p.brand || p.category)}.`) : null,
    h('section.tiles', { 'aria-label': 'The period\'s figures' },
      tile('listings scanned', p.listings_decided),
      tile('held at creation', p.held_at_creation),
      tile('blocked at creation', p.blocked_at_creation),
      tile('kept from sale', share(p.kept_from_sale_share), 'held or blocked before going live, of those scanned'),
      tile('automated decisions', p.automated_decisions),
      tile('reviewers\' verdicts', p.human_verdicts.counterfeit + p.human_verdicts.genuine,
        `${p.human_verdicts.counterfeit} counterfeit, ${p.human_verdicts.genuine} genuine`),
      tile('appeals upheld', p.appeals.upheld, `of ${p.appeals.upheld + p.appeals.rejected} decided`),
      tile('confirmed counterfeits', p.confirmed_counterfeits, 'taken down as counterfeit'),
      tile('notices accepted', p.acceptance_rate === null ? '–' : share(p.acceptance_rate), `of ${p.notices_decided} decided`)),
    h('section.card', { id: 'value-kept', 'aria-label': 'Economic value kept from sale' },
      h('h2', null, 'Economic value kept from sale'),
      h('p', null, h('span.tile-value', null, usd(p.value_kept.usd)), ` — ${p.value_kept.listings} counterfeit listings taken down before their first order${p.value_kept.unpriced ? `, and ${p.value_kept.unpriced} more of brands with no reference price` : ''}.`),
      h('p.help.formula', null, `How: ${p.value_kept.formula}.`)),
    h('section', null, h('h2', null, 'Day by day'), byDay,
      table('Day by day', [
        { title: 'day', value: (r) => r.day }, { title: 'scanned', value: (r) => String(r.decided) },
        { title: 'held', value: (r) => String(r.held) }, { title: 'blocked', value: (r) => String(r.blocked) },
        { title: 'verdicts', value: (r) => String(r.verdicts) },
      ], p.by_day.slice(-14), 'Nothing decided in this period.')),
    h('section', null, h('h2', null, 'Brands most held or blocked'), p.top_brands.length ? brands : null,
      table('Brands most held or blocked', [
        { title: 'brand', value: (r) => r.brand }, { title: 'held or blocked at creation', value: (r) => String(r.held_or_blocked) },
      ], p.top_brands)),
    h('section', null, h('h2', null, 'Categories most held or blocked'),
      table('Categories most held or blocked', [
        { title: 'category', value: (r) => r.category }, { title: 'held or blocked at creation', value: (r) => String(r.held_or_blocked) },
      ], p.top_categories)),
    h('section', null, h('h2', null, 'Where confirmed counterfeits ship from'), p.origins.length ? map : null,
      table('Shipment origins of confirmed counterfeits', [
        { title: 'country', value: (r) => `${COUNTRY[r.country] || r.country} (${r.country})` },
        { title: 'confirmed counterfeits', value: (r) => String(r.confirmed) },
      ], p.origins, 'No counterfeit confirmed in this period.')),
    h('section', null, h('h2', null, 'Notices'),
      table('Notices by outcome', [
        { title: 'outcome', value: (o) => o.replace(/_/g, ' ') }, { title: 'notices', value: (o) => String(p.notices[o] || 0) },
      ], OUTCOMES.filter((o) => p.notices[o]), 'No notice in this period.'),
      table('Filers\' acceptance rate (notices confirmed or settled, of those decided)', [
        { title: 'filer', value: (r) => r.filer }, { title: 'decided', value: (r) => String(r.decided) },
        { title: 'accepted', value: (r) => String(r.accepted) }, { title: 'acceptance rate', value: (r) => share(r.acceptance_rate) },
      ], p.filers, 'No notice decided in this period.')),
    h('section', null, h('h2', null, 'Reviewers'),
      table('Reviewers in the period', [
        { title: 'reviewer', value: (r) => r.reviewer }, { title: 'verdicts', value: (r) => String(r.verdicts) },
        { title: 'reversed on appeal', value: (r) => String(r.reversed_on_appeal) },
        { title: 'reversal rate', value: (r) => (r.verdicts ? share(r.reversed_on_appeal / r.verdicts) : '') },
      ], p.reviewers, 'No verdicts in this period.')),
    h('section', null, h('h2', null, 'Listings now'),
      table('Listings by status now', [
        { title: 'status', value: (r) => r[0] }, { title: 'listings', value: (r) => String(r[1]) },
      ], STATUSES.map((s) => [s, now[s] || 0]))),
    h('p.help', { 'data-timing': '' }, `Figures read in ${Math.round(performance.now() - t0)} ms.`));
  // A page the user has left already (its box detached) draws nothing, and
  // no chart goes on a box of no size: it cannot lay itself out (ECharts
  // throws from its resize, the map and the bars alike).
  if (!main.isConnected) return null;
  const drawable = (el) => el.isConnected && el.clientWidth > 0 && el.clientHeight > 0;
  const charts = [];
  if (drawable(byDay)) {
    const c1 = echarts.init(byDay, null, { renderer: 'svg' });
    c1.setOption({
      animation: false, tooltip: { trigger: 'axis' }, legend: { top: 0 },
      grid: { left: 50, right: 20, top: 30, bottom: 30 },
      xAxis: { type: 'category', data: p.by_day.map((d) => d.day) }, yAxis: { type: 'value' },
      series: [
        { name: 'scanned', type: 'line', data: p.by_day.map((d) => d.decided), color: '#1f4e79' },
        { name: 'held', type: 'bar', stack: 'kept', data: p.by_day.map((d) => d.held), color: '#b26a00' },
        { name: 'blocked', type: 'bar', stack: 'kept', data: p.by_day.map((d) => d.blocked), color: '#a4161a' },
      ],
    });
    charts.push(c1);
  }
  if (p.top_brands.length && drawable(brands)) {
    const c2 = echarts.init(brands, null, { renderer: 'svg' });
    const top = [...p.top_brands].reverse();
    c2.setOption({
      animation: false, tooltip: {}, grid: { left: 110, right: 20, top: 10, bottom: 30 },
      xAxis: { type: 'value' }, yAxis: { type: 'category', data: top.map((b) => b.brand) },
      series: [{ type: 'bar', data: top.map((b) => b.held_or_blocked), color: '#1f4e79' }],
    });
    charts.push(c2);
  }
  if (p.origins.length && drawable(map)) {
    const c3 = echarts.init(map, null, { renderer: 'svg' });
    const max = Math.max(...p.origins.map((o) => o.confirmed));
    c3.setOption({
      animation: false,
      tooltip: { trigger: 'item', formatter: (x) => `${COUNTRY[x.name] || x.name}: ${x.value || 0}` },
      visualMap: { min: 0, max, left: 10, bottom: 10, text: ['more', 'fewer'], calculable: false, inRange: { color: ['#fde0dd', '#a4161a'] } },
      series: [{ type: 'map', map: 'world', roam: false, itemStyle: { borderColor: '#8c959f', areaColor: '#f6f8fa' },
        emphasis: { label: { show: false } }, data: p.origins.map((o) => ({ name: o.country, value: o.confirmed })) }],
    });
    charts.push(c3);
  }
  const resize = () => charts.forEach((c) => c.resize());
  window.addEventListener('resize', resize);
  return () => { window.removeEventListener('resize', resize); charts.forEach((c) => c.dispose()); };
}
