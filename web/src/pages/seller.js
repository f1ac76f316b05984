// Seller portal (seller): its record and strikes, its open notices with the
// time left and a counter-notice form for each, its listings, an appeal form.
// Everything is read for the key's own account; the server refuses the rest.
import { api, post, eventId, nowIso } from '../api.js';
import { h, clear, table, duration, when, toast, statusBadge, reasonsList } from '../ui.js';

function countdown(deadline) {
  const el = h('span.countdown', { 'data-deadline': deadline });
  const tick = () => {
    const left = Date.parse(deadline) - Date.now();
    el.textContent = left > 0 ? `${duration(left)} left` : `closed ${duration(left)}`;
    el.classList.toggle('late', left < 24 * 3600 * 1000);
  };
  tick();
  return el;
}

export function startCountdowns(root) {
  const timer = setInterval(() => {
    for (const el of root.querySelectorAll('.countdown')) {
      const left = Date.parse(el.dataset.deadline) - Date.now();
      el.textContent = left > 0 ? `${duration(left)} left` : `closed ${duration(left)}`;
    }
  }, 1000);
  return () => clearInterval(timer);
}
export { countdown };

function counterNoticeForm(me, n, done) {
  const id = `cn-${n.complaint}-${n.notice.listing}`.replace(/[^A-Za-z0-9_-]/g, '_');
  const text = h('textarea', { id, required: true, rows: 3 });
  return h('form.answer', {
    onsubmit: async (e) => {
      e.preventDefault();
      try {
        await post({
          type: 'counter_notice', id: eventId('cn'), at: nowIso(), complaint: n.complaint,
          listing: n.notice.listing, seller: me, statement: text.value.trim(),
        });
        toast(`Counter-notice sent for ${n.notice.listing}: a reviewer decides.`);
        done();
      } catch (err) { toast(err.message); }
    },
  }, h('label', { for: id }, `Your answer to complaint ${n.complaint} about ${n.notice.listing}`), text,
  h('button', { type: 'submit' }, 'Send counter-notice'));
}

export async function render(main, ctx) {
  const me = ctx.account;
  const [s, notices, listings] = await Promise.all([
    api(`/v1/sellers/${encodeURIComponent(me)}`),
    api('/v1/notices'),
    api(`/v1/listings?seller=${encodeURIComponent(me)}`).catch(() => null),
  ]);
  // why each listing that is not live is not: its latest decision's reasons
  if (listings) {
    await Promise.all(listings.listings.filter((l) => l.status !== 'live').slice(0, 50).map(async (l) => {
      try { l.reasons = (await api(`/v1/listings/${encodeURIComponent(l.listing)}`)).decision.reasons; } catch { l.reasons = []; }
    }));
  }
  const reload = () => render(main, ctx);
  const appealTarget = h('input', { id: 'appeal-target', required: true });
  const appealText = h('textarea', { id: 'appeal-statement', required: true, rows: 3 });
  const strikes = s.strikes ?? 0;
  clear(main,
    h('h1', null, `Seller portal: ${me}`),
    h('section.card', { 'aria-label': 'Your standing' },
      h('h2', null, 'Your standing'),
      h('dl.facts', null,
        h('dt', null, 'status'), h('dd', null, statusBadge(s.status)),
        h('dt', null, 'strikes'), h('dd', { 'data-field': 'strikes' }, String(strikes)),
        h('dt', null, 'enforcement'), h('dd', null, s.enforcement || 'in good standing'),
        h('dt', null, 'verification'), h('dd', null, s.verification || 'none')),
      h('p.help', null, 'Each listing confirmed counterfeit is one strike. At 1 strike you are warned, at 3 your new listings are blocked, at 5 the shop is closed. ',
        'A strike is lifted when your appeal against the removal that gave it is upheld.')),
    h('section', { 'aria-label': 'Open notices' },
      h('h2', null, 'Open notices'),
      notices.notices.length
        ? h('ul.notices', null, notices.notices.map((n) => h('li.card', null,
          h('p', null, `Complaint ${n.complaint} by ${n.rights_holder} under ${n.right} about `, h('strong', null, n.notice.listing), ': ',
            countdown(n.deadline), ` (until ${when(n.deadline)})`),
          n.notice.state === 'noticed' || n.notice.state === 'taken_down'
            ? counterNoticeForm(me, n, reload)
            : h('p', null, statusBadge(n.notice.state), n.notice.state === 'contested' ? ' You answered: a reviewer decides.' : ''))))
        : h('p.empty', null, 'No open notices.')),
    listings ? h('section', null, h('h2', null, 'Your listings'),
      table('Your listings', [
        { title: 'listing', value: (r) => r.listing },
        { title: 'title', value: (r) => r.title || '' },
        { title: 'status', value: (r) => statusBadge(r.status) },
        { title: 'why', value: (r) => (r.status === 'live' ? '' : reasonsList(r.reasons)) },
      ], listings.listings, 'No listings yet.')) : null,
    h('section', null, h('h2', null, 'Appeal a decision'),
      h('form.stack', {
        onsubmit: async (e) => {
          e.preventDefault();
          try {
            const appeal = eventId('appeal').replace('console-appeal-', 'A-');
            await post({ type: 'appeal', id: eventId('ap'), at: nowIso(), appeal, seller: me, target: appealTarget.value.trim(), statement: appealText.value.trim() });
            toast(`Appeal ${appeal} filed: another reviewer decides.`);
            reload();
          } catch (err) { toast(err.message); }
        },
      },
      h('label', { for: 'appeal-target' }, 'Listing id (or your seller id, against a closure)'), appealTarget,
      h('label', { for: 'appeal-statement' }, 'Why the decision was wrong'), appealText,
      h('button', { type: 'submit' }, 'File appeal'))));
  return startCountdowns(main);
}
