// "Verify your product" (public, no sign-in, made for a phone): a shopper
// types the code printed on the product, or opens the link of its QR code
// (/verify?code=...), and POST /v1/verify says whether the brand issued it,
// and whether it was seen elsewhere first (a clone).
import { h, clear, when } from '../ui.js';

const WORDS = {
  genuine: ['ok', 'This code is genuine'],
  unknown: ['bad', 'This code is not one the brand issued'],
  retired: ['bad', 'This code was withdrawn by the brand'],
  cloned: ['bad', 'This code has been copied: the product may be a fake'],
};

function result(r) {
  const [tone, title] = WORDS[r.status] || ['bad', `Status: ${r.status}`];
  return h(`section.verdict-card.${tone}`, { role: 'status', 'aria-live': 'polite', 'data-status': r.status },
    h('h2', null, title),
    r.status === 'genuine' ? h('dl.facts', null,
      h('dt', null, 'brand'), h('dd', null, r.brand_name || r.brand || ''),
      h('dt', null, 'product'), h('dd', null, r.sku || ''),
      r.first_scan ? [h('dt', null, 'first checked'), h('dd', null, `${when(r.first_scan.at)}${r.first_scan.country ? ` in ${r.first_scan.country}` : ''}`)] : null,
      r.scans !== undefined ? [h('dt', null, 'checks so far'), h('dd', null, String(r.scans))] : null) : null,
    r.hint ? h('p', null, r.hint) : null,
    r.why ? h('p', null, r.why) : null,
    r.status !== 'genuine' ? h('p', null, 'If you bought this product, keep the packaging and contact the marketplace: you may be owed a refund.') : null);
}

export function render(main) {
  const params = new URLSearchParams(location.search);
  const code = h('input', { id: 'code', required: true, autocomplete: 'off', autocapitalize: 'characters', spellcheck: false, value: params.get('code') || '' });
  const region = (navigator.language || '').split('-')[1] || '';
  const country = h('input', { id: 'country', maxLength: 2, pattern: '[A-Za-z]{2}', value: params.get('country') || region, autocomplete: 'country' });
  const out = h('div');
  const form = h('form.stack.verify', {
    onsubmit: async (e) => {
      e.preventDefault();
      clear(out, h('p.loading', null, 'Checking…'));
      const body = { code: code.value.trim() };
      if (country.value.trim()) body.country = country.value.trim().toUpperCase();
      try {
        const res = await fetch('/v1/verify', { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body) });
        const reply = await res.json().catch(() => ({}));
        if (res.status === 429) clear(out, h('p.error', { role: 'alert' }, 'Too many checks from your network: try again in a minute.'));
        else if (!res.ok) clear(out, h('p.error', { role: 'alert' }, reply.error || `The check failed (${res.status}).`));
        else clear(out, result(reply));
      } catch (err) {
        clear(out, h('p.error', { role: 'alert' }, `The check failed: ${err.message}`));
      }
    },
  },
  h('label', { for: 'code' }, 'The code on your product'), code,
  h('label', { for: 'country' }, 'Country where you are (two letters, optional)'), country,
  h('button', { type: 'submit' }, 'Check'));
  clear(main, h('h1', null, 'Verify your product'),
    h('p', null, 'Brands print a code on each genuine product. Type it here, or scan its QR code, to check it.'),
    form, out);
  if (code.value) form.requestSubmit();
}
