// A shopper's part: report a suspected fake in one step, and see how the
// reports so far were judged.
import { api, post, eventId, nowIso } from '../api.js';
import { h, clear, toast } from '../ui.js';

export async function render(main, ctx) {
  const me = ctx.account;
  const filer = await api(`/v1/filers/${encodeURIComponent(me)}`).catch(() => null);
  const listing = h('input', { id: 'report-listing', required: true });
  const reason = h('select', { id: 'report-reason' },
    ['counterfeit', 'fake photos', 'misleading brand', 'other'].map((r) => h('option', { value: r }, r)));
  const text = h('textarea', { id: 'report-text', rows: 3 });
  clear(main, h('h1', null, 'Report a fake'),
    h('form.stack', {
      onsubmit: async (e) => {
        e.preventDefault();
        const report = eventId('r').replace('console-r-', 'P-');
        try {
          await post({ type: 'report', id: eventId('report'), at: nowIso(), report, listing: listing.value.trim(), reporter: me, reason: reason.value, text: text.value.trim() || undefined });
          toast(`Report ${report} sent. Thank you.`);
          listing.value = ''; text.value = '';
        } catch (err) { toast(err.message); }
      },
    },
    h('label', { for: 'report-listing' }, 'Listing id'), listing,
    h('label', { for: 'report-reason' }, 'What is wrong'), reason,
    h('label', { for: 'report-text' }, 'Anything else (optional)'), text,
    h('button', { type: 'submit' }, 'Send report')),
    filer ? h('section', null, h('h2', null, 'Your reports so far'),
      h('p', null, `${filer.filed} filed, ${filer.confirmed} confirmed, ${filer.rejected} rejected; standing: ${filer.standing}.`)) : null);
}
