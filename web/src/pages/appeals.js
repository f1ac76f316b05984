// Appeals (reviewer, platform): the open appeals in their own queue, claimed
// under a lease like held listings. The server never offers an appeal to the
// reviewer whose decision it is against. Keys: 1-5 a policy, U uphold (the
// decision was wrong), R reject, S skip.
import { api, post, eventId, nowIso } from '../api.js';
import { h, clear, toast, when } from '../ui.js';
import { reviewerName, reviewerForm, leaseTimer, listingPanel, sellerPanel } from './review.js';
import { POLICIES, verdictBar, typing } from './queue.js';

export async function render(main, ctx) {
  const me = reviewerName(ctx);
  if (!me) {
    clear(main, h('h1', null, 'Appeals'), reviewerForm(() => render(main, ctx)));
    return null;
  }
  const q = ctx.account ? '' : `&reviewer=${encodeURIComponent(me)}`;
  let current = null, busy = false, timer = null;

  async function next() {
    if (timer) clearInterval(timer.timer);
    clear(main, h('h1', null, 'Appeals'), h('p.loading', null, 'Claiming the next appeal…'));
    const claim = await api(`/v1/claims?queue=appeals${q}`, { method: 'POST', body: {} });
    current = claim.item ? claim : null;
    if (!current) {
      clear(main, h('h1', null, 'Appeals'), h('p.empty', { 'data-empty': 'appeals' }, 'No appeal waiting for you (appeals against your own decisions go to other reviewers).'),
        h('button', { type: 'button', onclick: () => next() }, 'Look again'));
      return;
    }
    const a = claim.appeal;
    const v = verdictBar([{ code: 'APPEAL', detail: a.statement || 'the seller\'s appeal' }], h('p.keys', null,
      h('kbd', null, '1'), '-', h('kbd', null, '5'), ' policy · ', h('kbd', null, 'U'), ' uphold · ',
      h('kbd', null, 'R'), ' reject · ', h('kbd', null, 'S'), ' skip'));
    current.v = v;
    timer = leaseTimer(claim.expires_at);
    const seller = h('div', null, h('p.loading', null, 'Loading the seller…'));
    sellerPanel(a.seller).then((panel) => clear(seller, panel));
    clear(main,
      h('h1', null, 'Appeals'),
      h('p.queue-head', null, `${claim.waiting} waiting · `, timer),
      h('section.card', { 'aria-label': `Appeal ${a.appeal}` },
        h('h2', null, `Appeal ${a.appeal} by ${a.seller}`),
        h('dl.facts', null,
          h('dt', null, 'against'), h('dd', null, `${a.target_kind} ${a.target}, decided by ${a.decided_by}`),
          h('dt', null, 'filed'), h('dd', null, when(a.filed_at)),
          h('dt', null, 'the seller says'), h('dd', { 'data-field': 'statement' }, a.statement || '(nothing)'))),
      v.bar,
      h('div.review', null, claim.review ? listingPanel(claim.review, null) : h('p', null, 'The appeal is against the closure of the shop.'),
        seller),
      h('div.actions', null,
        h('button', { type: 'button', onclick: () => decide('upheld') }, 'Uphold (U)'),
        h('button.secondary', { type: 'button', onclick: () => decide('rejected') }, 'Reject (R)'),
        h('button.secondary', { type: 'button', onclick: () => skip() }, 'Skip (S)')));
  }

  async function decide(outcome) {
    if (!current || busy) return;
    const { policy, note, draft } = current.v;
    if (!policy.value) { toast('Choose a policy first (keys 1-5).'); policy.focus(); return; }
    if (!note.value.trim()) draft();
    busy = true;
    try {
      await post({ type: 'verdict', id: eventId('verdict'), at: nowIso(), subject: 'appeal', target: current.item, outcome, reviewer: me, note: note.value.trim() });
      toast(`${current.item}: ${outcome}.`);
      await next();
    } catch (err) { toast(err.message); } finally { busy = false; }
  }

  async function skip() {
    if (!current || busy) return;
    busy = true;
    try {
      await api(`/v1/claims/release?queue=appeals&item=${encodeURIComponent(current.item)}&skip=1${q}`, { method: 'POST', body: {} });
      await next();
    } catch (err) { toast(err.message); } finally { busy = false; }
  }

  function onKey(e) {
    if (!current || typing(e) || e.ctrlKey || e.metaKey || e.altKey) return;
    const k = e.key.toLowerCase();
    if (k >= '1' && k <= String(POLICIES.length)) { current.v.policy.value = POLICIES[Number(k) - 1]; current.v.draft(); }
    else if (k === 'u') decide('upheld');
    else if (k === 'r') decide('rejected');
    else if (k === 's') skip();
    else return;
    e.preventDefault();
  }
  document.addEventListener('keydown', onKey);
  await next();
  return () => { document.removeEventListener('keydown', onKey); if (timer) clearInterval(timer.timer); };
}
