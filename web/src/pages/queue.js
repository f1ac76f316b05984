// Review queue (reviewer, platform): claim the next held listing under a
// lease (POST /v1/claims), judge it on one screen, decide with the keyboard
// (1-5 a policy, C counterfeit, G genuine, S skip), and the next one loads.
// The verdict is a `verdict` event through POST /v1/events, like any other.
import { api, post, eventId, nowIso } from '../api.js';
import { h, clear, toast } from '../ui.js';
import { reviewerName, reviewerForm, ageBadge, leaseTimer, listingPanel, sellerPanel } from './review.js';

export const POLICIES = [
  'counterfeit goods',
  'trademark misuse in the listing',
  'copied product photos',
  'misleading price or condition',
  'authentic: the evidence holds',
];

// The verdict bar: reason (the listing's reasons, strongest first) and policy
// are required; the note drafts the statement of reasons from them.
export function verdictBar(reasons, keys) {
  const reason = h('select', { id: 'verdict-reason', required: true },
    (reasons.length ? reasons : [{ code: 'REVIEWER_JUDGEMENT', detail: 'the reviewer\'s own judgement' }])
      .map((r) => h('option', { value: r.code }, `${r.code}: ${r.detail || ''}`.slice(0, 120))));
  const policy = h('select', { id: 'verdict-policy', required: true },
    h('option', { value: '' }, 'choose (keys 1-5)'),
    POLICIES.map((p, i) => h('option', { value: p }, `${i + 1}. ${p}`)));
  const note = h('textarea', { id: 'verdict-note', rows: 2 });
  const draft = () => {
    const r = reasons.find((x) => x.code === reason.value);
    note.value = policy.value ? `Policy: ${policy.value}. Reason: ${r ? r.detail : reason.value}.` : '';
  };
  reason.addEventListener('change', draft);
  policy.addEventListener('change', draft);
  const bar = h('div.verdict-bar', null,
    h('div.field', null, h('label', { for: 'verdict-reason' }, 'Reason'), reason),
    h('div.field', null, h('label', { for: 'verdict-policy' }, 'Policy'), policy),
    h('div.field', null, h('label', { for: 'verdict-note' }, 'Statement of reasons (drafted)'), note),
    keys);
  return { bar, reason, policy, note, draft };
}

// Is a key typed into a text field (then it is text, not a command)?
export function typing(e) {
  const t = e.target;
  return t && (t.tagName === 'TEXTAREA' || (t.tagName === 'INPUT' && t.type !== 'button'));
}

// #/queue/LISTING: one listing's review screen opened by its id (from the
// backtest's examples, a link), to look at, without a claim or a verdict.
async function one(main, id) {
  const [review, listing] = await Promise.all([api(`/v1/review/${encodeURIComponent(id)}`), api(`/v1/listings/${encodeURIComponent(id)}`)]);
  const seller = h('div', null, h('p.loading', null, 'Loading the seller…'));
  sellerPanel(review.seller).then((panel) => clear(seller, panel));
  clear(main, h('h1', null, `Listing ${id}`),
    h('p.help', null, 'Opened by its id to look at: not claimed. ', h('a', { href: '#/queue' }, 'Back to the queue')),
    h('div.review', null, listingPanel(review, listing.decision), seller));
  return null;
}

export async function render(main, ctx) {
  if (ctx.args[0]) return one(main, ctx.args[0]);
  const me = reviewerName(ctx);
  if (!me) {
    clear(main, h('h1', null, 'Review queue'), reviewerForm(() => render(main, ctx)));
    return null;
  }
  const q = ctx.account ? '' : `&reviewer=${encodeURIComponent(me)}`;
  let current = null, busy = false, timer = null;

  async function next() {
    if (timer) clearInterval(timer.timer);
    clear(main, h('h1', null, 'Review queue'), h('p.loading', null, 'Claiming the next listing…'));
    const claim = await api(`/v1/claims?queue=listings${q}`, { method: 'POST', body: {} });
    current = claim.item ? claim : null;
    if (!current) {
      clear(main, h('h1', null, 'Review queue'), h('p.empty', { 'data-empty': 'queue' }, 'Nothing waiting: every held listing is decided or claimed by another reviewer.'),
        h('button', { type: 'button', onclick: () => next() }, 'Look again'));
      return;
    }
    const reasons = claim.listing.reasons || [];
    const v = verdictBar(reasons, h('p.keys', null, h('kbd', null, '1'), '-', h('kbd', null, '5'), ' policy · ',
      h('kbd', null, 'C'), ' counterfeit · ', h('kbd', null, 'G'), ' genuine · ', h('kbd', null, 'S'), ' skip'));
    current.v = v;
    timer = leaseTimer(claim.expires_at);
    // the listing shows at once; the seller beside it as soon as it is read
    const seller = h('div', null, h('p.loading', null, 'Loading the seller…'));
    sellerPanel(claim.listing.seller).then((panel) => clear(seller, panel));
    clear(main,
      h('h1', null, 'Review queue'),
      h('p.queue-head', null, `${claim.waiting} waiting · `, ageBadge(claim.listing.at), ' · ', timer),
      v.bar,
      h('div.review', null, listingPanel(claim.review || { listing: claim.item }, claim.listing), seller),
      h('div.actions', null,
        h('button', { type: 'button', onclick: () => decide('counterfeit') }, 'Counterfeit (C)'),
        h('button.secondary', { type: 'button', onclick: () => decide('genuine') }, 'Genuine (G)'),
        h('button.secondary', { type: 'button', onclick: () => skip() }, 'Skip (S)')));
  }

  async function decide(outcome) {
    if (!current || busy) return;
    const { reason, policy, note, draft } = current.v;
    if (!policy.value) { toast('Choose a policy first (keys 1-5).'); policy.focus(); return; }
    if (!note.value.trim()) draft();
    busy = true;
    try {
      await post({
        type: 'verdict', id: eventId('verdict'), at: nowIso(), subject: 'listing', target: current.item,
        outcome, reviewer: me, note: `${note.value.trim()} [${reason.value}]`,
      });
      toast(`${current.item}: ${outcome}.`);
      await next();
    } catch (err) { toast(err.message); } finally { busy = false; }
  }

  async function skip() {
    if (!current || busy) return;
    busy = true;
    try {
      await api(`/v1/claims/release?queue=listings&item=${encodeURIComponent(current.item)}&skip=1${q}`, { method: 'POST', body: {} });
      await next();
    } catch (err) { toast(err.message); } finally { busy = false; }
  }

  function onKey(e) {
    if (!current || typing(e) || e.ctrlKey || e.metaKey || e.altKey) return;
    const k = e.key.toLowerCase();
    if (k >= '1' && k <= String(POLICIES.length)) {
      current.v.policy.value = POLICIES[Number(k) - 1];
      current.v.draft();
    } else if (k === 'c') decide('counterfeit');
    else if (k === 'g') decide('genuine');
    else if (k === 's') skip();
    else return;
    e.preventDefault();
  }
  document.addEventListener('keydown', onKey);
  await next();
  return () => { document.removeEventListener('keydown', onKey); if (timer) clearInterval(timer.timer); };
}
