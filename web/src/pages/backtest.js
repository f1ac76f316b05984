// Policy backtest (platform): paste a Lua rule, run it over the last days'
// listings in a copy of the engine (POST /v1/backtest), and see how many
// decisions it would change, with examples, before putting it live. Nothing
// live changes: the server decides in a copy and throws it away.
import { api, ApiError } from '../api.js';
import { h, clear, table, when, statusBadge } from '../ui.js';

const SAVED = 'genuine.backtest';
const EXAMPLE = `-- decide(l) sees the listing, its signals and genuine's decision (docs/policy.md)
function decide(l)
  if l.category == "handbags" and l.price < 200 and l.action == "allow" then
    return {action = "review", reasons = {{code = "CHEAP_HANDBAG", detail = "handbags under 200 are checked"}}}
  end
end
`;

function field(id, label, input, help) {
  return h('div.field', null, h('label', { for: id }, label), input, help ? h('span.help', { id: `${id}-help` }, help) : null);
}

function side(d) {
  return h('div', null, statusBadge(d.action), ' ', h('span.help', null, `score ${d.score}`),
    h('ul.reasons', null, d.reasons.map((r) => h('li', null, h('code', null, r.code), ' ', r.detail))));
}

function tile(value, label, note, id) {
  return h('div.tile', id ? { id } : null, h('span.tile-value', null, value), h('span.tile-label', null, label),
    note ? h('span.tile-note', null, note) : null);
}

function share(part, whole) {
  return whole ? `${(100 * part / whole).toFixed(part && part < whole / 1000 ? 2 : 1)}% of those decided` : '';
}

function showResult(out, r) {
  const items = [
    h('h2', null, 'What the rule would change'),
    h('p.help', null, `Listings whose latest version is dated ${when(r.since)} to ${when(r.until)} (engine time), newest first; each decided again in a copy with the rules now live and with this rule in their place.`),
  ];
  if (r.first_rule_error) {
    items.push(h('p.error', { role: 'alert', id: 'bt-rule-error' },
      `The rule failed on ${r.rule_errors} of ${r.decided} listings (the decision was kept on each): ${r.first_rule_error}`));
  }
  if (r.stopped) items.push(h('p.help', { id: 'bt-stopped' }, `Stopped: ${r.stopped}.`));
  if (!r.listings) {
    items.push(h('p.empty', null, r.newest
      ? `No listing was decided in the last ${r.days} days: the newest is dated ${when(r.newest)}. Widen the period.`
      : 'There are no listings yet.'));
    clear(out, items);
    return;
  }
  items.push(h('div.tiles', null,
    tile(r.decided.toLocaleString('en'), 'listings decided', `of ${r.listings.toLocaleString('en')} in the period`, 'bt-decided'),
    tile(r.changed.toLocaleString('en'), 'decisions changed', share(r.changed, r.decided), 'bt-changed'),
    tile(r.rule_errors.toLocaleString('en'), 'rule errors', r.rule_errors ? 'decision kept' : 'none'),
    tile(`${(r.elapsed_ms / 1000).toFixed(2)} s`, 'run time', `limit ${r.seconds} s`)));
  items.push(table('Decisions by action', [
    { title: 'action', value: (a) => statusBadge(a) },
    { title: 'now', value: (a) => String(r.actions.now[a]) },
    { title: 'with the rule', value: (a) => String(r.actions.with_rule[a]) },
  ], ['allow', 'review', 'block']));
  items.push(table('Changes', [
    { title: 'from', value: (c) => statusBadge(c.from) },
    { title: 'to', value: (c) => statusBadge(c.to) },
    { title: 'listings', value: (c) => String(c.count) },
  ], r.changes, 'The rule changes no decision in the period.'));
  if (r.examples.length) {
    items.push(table(`Examples (${r.examples.length} of ${r.changed})`, [
      { title: 'listing', value: (x) => h('div', null, h('a', { href: `#/queue/${encodeURIComponent(x.listing)}` }, h('strong', null, x.listing)), h('div', null, x.title), h('div.help', null, `seller ${x.seller} · ${when(x.at)}`)) },
      { title: 'now', value: (x) => side(x.now) },
      { title: 'with the rule', value: (x) => side(x.with_rule) },
    ], r.examples));
  }
  if (r.failed) items.push(h('p.error', null, `${r.failed} listings could not be decided again: ${r.first_failure}`));
  clear(out, items);
}

export async function render(main) {
  const saved = JSON.parse(sessionStorage.getItem(SAVED) || 'null') || { rule: EXAMPLE, days: 7, max: 10000, seconds: 10 };
  const rule = h('textarea.code', { id: 'bt-rule', rows: 12, spellcheck: false, 'aria-describedby': 'bt-rule-help' });
  rule.value = saved.rule;
  const days = h('input', { id: 'bt-days', type: 'number', min: '0.01', max: '366', step: 'any', value: String(saved.days), required: true });
  const max = h('input', { id: 'bt-max', type: 'number', min: '1', max: '50000', step: '1', value: String(saved.max), required: true });
  const seconds = h('input', { id: 'bt-seconds', type: 'number', min: '1', max: '60', step: 'any', value: String(saved.seconds), required: true });
  const run = h('button', { type: 'submit', id: 'bt-run' }, 'Run the backtest');
  const out = h('div', { id: 'bt-result', 'aria-live': 'polite' });
  const go = async () => {
    const body = { rule: rule.value, days: Number(days.value), max_listings: Number(max.value), seconds: Number(seconds.value) };
    sessionStorage.setItem(SAVED, JSON.stringify({ rule: body.rule, days: body.days, max: body.max_listings, seconds: body.seconds }));
    run.disabled = true;
    clear(out, h('p.loading', null, `Deciding the last ${body.days} days' listings in a copy… (at most ${body.seconds} s)`));
    try {
      showResult(out, await api('/v1/backtest', { method: 'POST', body }));
    } catch (err) {
      if (err instanceof ApiError && err.status === 401) throw err;
      clear(out, h('p.error', { role: 'alert', id: 'bt-error' }, err.message));
    } finally {
      run.disabled = false;
    }
  };
  rule.addEventListener('keydown', (e) => {
    if (e.key === 'Enter' && (e.ctrlKey || e.metaKey)) { e.preventDefault(); go(); }
  });
  clear(main,
    h('h1', null, 'Policy backtest'),
    h('p.help', null, 'Try a rule before putting it live: it is run over the listings of the last days in a copy of the engine, in place of the rules now live, and nothing live changes. The rule runs in the same sandbox as a live policy (no files, no network, an instruction and memory limit); an error names its line.'),
    h('form.stack.backtest', { onsubmit: (e) => { e.preventDefault(); go(); } },
      field('bt-rule', 'Rule (Lua)', rule, 'A Lua file defining decide(l), as for --policy (docs/policy.md). Ctrl+Enter runs it.'),
      h('div.inline-fields', null,
        field('bt-days', 'Days', days),
        field('bt-max', 'At most (listings)', max),
        field('bt-seconds', 'Time limit (s)', seconds)),
      h('div', null, run)),
    out);
}
