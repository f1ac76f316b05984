// What the review and appeal screens share: the listing as a reviewer judges
// it (GET /v1/review/{id}, also in a claim's reply), the seller beside it,
// the lease's timer, and the reviewer's name for desk keys.
import { api } from '../api.js';
import { h, clear, when, duration, reasonsList, statusBadge } from '../ui.js';
import { sellerCard } from './sellers.js';

// The reviewer a verdict names: the key's account, or for a desk or platform
// key a name asked once and kept in this tab.
export function reviewerName(ctx) {
  return ctx.account || sessionStorage.getItem('genuine.reviewer') || '';
}

export function reviewerForm(onName) {
  const input = h('input', { id: 'reviewer-name', required: true, autocomplete: 'off' });
  return h('form.inline', {
    onsubmit: (e) => {
      e.preventDefault();
      sessionStorage.setItem('genuine.reviewer', input.value.trim());
      onName();
    },
  }, h('label', { for: 'reviewer-name' }, 'This key is a shared desk key: your name as reviewer'), input,
  h('button', { type: 'submit' }, 'Start'));
}

// Under 24 h, 24-48 h, over 48 h since genuine decided to hold it.
export function ageBadge(at) {
  const hours = (Date.now() - Date.parse(at)) / 3600e3;
  const [cls, text] = hours < 24 ? ['age-new', 'under 24 h'] : hours < 48 ? ['age-mid', '24-48 h'] : ['age-old', 'over 48 h'];
  return h(`span.badge.${cls}`, { title: `held since ${when(at)}` }, `waiting ${text}`);
}

export function leaseTimer(expiresAt) {
  const el = h('span.lease', { 'data-deadline': expiresAt });
  const tick = () => {
    const left = Date.parse(expiresAt) - Date.now();
    el.textContent = left > 0 ? `your claim: ${duration(left)} left` : 'your claim lapsed: it may go to another reviewer';
  };
  tick();
  el.timer = setInterval(tick, 1000);
  return el;
}

function photos(images) {
  if (!images || !images.length) return h('p.empty', null, 'No photos.');
  return h('div.photos', null, images.map((img, i) => (img.url
    ? h('img', { src: img.url, alt: `photo ${i + 1} of the listing`, referrerpolicy: 'no-referrer', loading: 'lazy' })
    : h('div.photo-hash', { title: 'the photo as its PDQ hash: no address to show it from' }, `photo ${i + 1}: PDQ ${img.pdq}`))));
}

// One photo as the browser may show it: from its address, else its PDQ hash.
function picture(photo, alt) {
  return photo.url
    ? h('img', { src: photo.url, alt, referrerpolicy: 'no-referrer', loading: 'lazy' })
    : h('div.photo-hash', { title: 'the photo as its PDQ hash: no address to show it from' }, `${alt}: PDQ ${photo.pdq || '(a file on the genuine host)'}`);
}

// Each photo beside the banked photo it matches (a brand's official photo or
// a photo of a listing taken down), with the distance between their hashes.
function photoMatches(matches) {
  if (!matches || !matches.length) return null;
  return [h('h3', null, 'Photos matching known ones'),
    h('div.matches', null, matches.map((m) => {
      const whose = m.match.kind === 'official' ? `${m.match.brand}'s official photo` : `a photo of listing ${m.match.listing}, taken down`;
      const close = m.match.distance === 0 ? 'the same photo' : `${m.match.distance} of ${m.match.bits} bits apart`;
      return h('figure.match', { 'data-match': m.match.kind },
        h('div.pair', null, picture(m, `photo ${m.photo} of this listing`), picture(m.match, whose)),
        h('figcaption', null, `Photo ${m.photo} and ${whose}: `, h('strong', { 'data-distance': String(m.match.distance) }, `distance ${m.match.distance}`),
          ` (${close}; PDQ counts a match within ${m.match.match_distance}).`));
    }))];
}

function money(price, currency) {
  return price === undefined ? '' : `${Number(price).toFixed(2)} ${currency || ''}`;
}

// The listing's screen: what it says and shows, why genuine held it, and
// the notice or report that brought it.
export function listingPanel(review, queueEntry) {
  const reasons = (queueEntry && queueEntry.reasons) || [];
  const price = reasons.find((r) => r.code === 'PRICE_FAR_BELOW_REFERENCE' || r.code === 'PRICE_BELOW_MARKET');
  return h('section.card', { 'aria-label': `Listing ${review.listing}` },
    h('h2', null, review.title || review.listing),
    h('dl.facts', null,
      h('dt', null, 'listing'), h('dd', { 'data-field': 'listing' }, review.listing),
      h('dt', null, 'status'), h('dd', null, statusBadge(review.status)),
      h('dt', null, 'price'), h('dd', null, money(review.price, review.currency), price ? h('span.help', null, ` (${price.detail})`) : null),
      h('dt', null, 'brand'), h('dd', null, [review.brand, review.category].filter(Boolean).join(' · ')),
      review.ship_from ? [h('dt', null, 'ships from'), h('dd', null, review.ship_from)] : null,
      h('dt', null, 'score'), h('dd', null, String(review.score))),
    photos(review.images),
    photoMatches(review.photo_matches),
    h('h3', null, 'Why genuine held it'), reasonsList(reasons),
    review.description ? h('details', null, h('summary', null, 'Description'), h('p', null, review.description)) : null,
    review.notices && review.notices.length ? [h('h3', null, 'Notices on it'), h('ul', null, review.notices.map((n) =>
      h('li', null, `Complaint ${n.complaint} by ${n.rights_holder} under ${n.right}: ${n.state}`,
        n.answered_at ? `, answered ${when(n.answered_at)}` : '')))] : null,
    review.reports && review.reports.length ? [h('h3', null, 'Shoppers\' reports'), h('ul', null, review.reports.map((r) =>
      h('li', null, `${r.report} by ${r.reporter}: ${r.reason} (${r.state}, ${when(r.at)})`)))] : null);
}

export async function sellerPanel(seller) {
  try {
    return sellerCard(await api(`/v1/sellers/${encodeURIComponent(seller)}`));
  } catch (err) {
    return h('p.error', null, err.message);
  }
}

export { clear };
