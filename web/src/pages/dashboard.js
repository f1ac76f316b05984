// Dashboard (platform, reviewer): the figures of GET /v1/stats, as tiles, a
// chart and the same figures in a table (what a screen reader reads).
import * as echarts from 'echarts/core';
import { BarChart } from 'echarts/charts';
import { GridComponent, TooltipComponent } from 'echarts/components';
import { SVGRenderer } from 'echarts/renderers';
import { api } from '../api.js';
import { h, clear, table } from '../ui.js';

echarts.use([BarChart, GridComponent, TooltipComponent, SVGRenderer]);

const STATUSES = ['live', 'held', 'blocked', 'removed', 'noticed'];

function tile(label, value, note) {
  return h('div.tile', null, h('span.tile-value', null, String(value)), h('span.tile-label', null, label),
    note ? h('span.tile-note', null, note) : null);
}

export async function render(main) {
  const stats = await api('/v1/stats');
  const byStatus = stats.listings_by_status || {};
  const byAction = stats.decisions_by_action || {};
  const listings = STATUSES.reduce((n, s) => n + (byStatus[s] || 0), 0);
  const decisions = Object.values(byAction).reduce((n, v) => n + v, 0);
  const chart = h('div.chart', { role: 'img', 'aria-label': 'Listings by status, as in the table below' });
  clear(main,
    h('h1', null, 'Dashboard'),
    h('section.tiles', { 'aria-label': 'Headline figures' },
      tile('listings scanned', listings),
      tile('held for review', byStatus.held || 0),
      tile('blocked', byStatus.blocked || 0),
      tile('removed', byStatus.removed || 0),
      tile('decisions', decisions)),
    h('section', null, h('h2', null, 'Listings by status'), chart,
      table('Listings by status', [
        { title: 'status', value: (r) => r[0] }, { title: 'listings', value: (r) => String(r[1]) },
      ], STATUSES.map((s) => [s, byStatus[s] || 0]))),
    h('section', null, h('h2', null, 'Decisions by action'),
      table('Decisions by action', [
        { title: 'action', value: (r) => r[0] }, { title: 'decisions', value: (r) => String(r[1]) },
      ], Object.entries(byAction))),
    h('section', null, h('h2', null, 'Events by type'),
      table('Events by type', [
        { title: 'type', value: (r) => r[0] }, { title: 'events', value: (r) => String(r[1]) },
      ], Object.entries(stats.events_by_type || {}))));
  const c = echarts.init(chart, null, { renderer: 'svg' });
  c.setOption({
    animation: false,
    grid: { left: 60, right: 20, top: 20, bottom: 30 },
    tooltip: {},
    xAxis: { type: 'category', data: STATUSES },
    yAxis: { type: 'value' },
    series: [{ type: 'bar', data: STATUSES.map((s) => byStatus[s] || 0), itemStyle: { color: '#2f5d8a' } }],
  });
  const resize = () => c.resize();
  window.addEventListener('resize', resize);
  return () => { window.removeEventListener('resize', resize); c.dispose(); };
}
