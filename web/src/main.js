// The console's shell: sign in with an API key, ask the API which role it
// has (GET /v1/whoami) and show that role's sections only. Hash routes
// (#/queue, #/seller, ...) so the server serves one page.
import { api, key, setKey, ApiError } from './api.js';
import { h, clear } from './ui.js';
import * as queue from './pages/queue.js';
import * as appeals from './pages/appeals.js';
import * as dashboard from './pages/dashboard.js';
import * as audit from './pages/audit.js';
import * as backtest from './pages/backtest.js';
import * as sellers from './pages/sellers.js';
import * as brand from './pages/brand.js';
import * as seller from './pages/seller.js';
import * as shopper from './pages/shopper.js';
import * as verify from './pages/verify.js';

const PAGES = {
  queue: { title: 'Review queue', page: queue },
  appeals: { title: 'Appeals', page: appeals },
  dashboard: { title: 'Dashboard', page: dashboard },
  audit: { title: 'Audit log', page: audit },
  backtest: { title: 'Backtest', page: backtest },
  sellers: { title: 'Sellers', page: sellers },
  brand: { title: 'Brand portal', page: brand },
  seller: { title: 'Seller portal', page: seller },
  report: { title: 'Report a fake', page: shopper },
};

// What each role sees, first section first.
export const SECTIONS = {
  platform: ['dashboard', 'queue', 'appeals', 'sellers', 'backtest', 'audit'],
  reviewer: ['queue', 'appeals', 'dashboard', 'sellers'],
  rights_holder: ['brand'],
  seller: ['seller'],
  shopper: ['report'],
};

const main = document.getElementById('main');
let who = null; // {role, account}

function signInPage(message) {
  document.getElementById('nav').replaceChildren();
  document.getElementById('who').replaceChildren();
  document.title = 'Sign in · genuine console';
  const input = h('input', { id: 'api-key', type: 'password', autocomplete: 'off', required: true, spellcheck: false });
  const form = h('form.signin', {
    onsubmit: async (e) => {
      e.preventDefault();
      setKey(input.value.trim());
      await start();
    },
  },
  h('h1', null, 'Sign in'),
  h('p', null, 'Paste the API key you were given (genuine key add). It stays in this tab only.'),
  h('label', { for: 'api-key' }, 'API key'), input,
  message ? h('p.error', { role: 'alert' }, message) : null,
  h('button', { type: 'submit' }, 'Sign in'));
  clear(main, form);
  input.focus();
}

function renderNav() {
  const nav = document.getElementById('nav');
  const here = location.hash.replace(/^#\/?/, '').split('/')[0];
  clear(nav, h('ul', null, SECTIONS[who.role].map((name) =>
    h('li', null, h('a', { href: `#/${name}`, 'aria-current': name === here ? 'page' : null }, PAGES[name].title)))));
  clear(document.getElementById('who'),
    h('span', null, who.account ? `${who.role.replace('_', ' ')} ${who.account}` : who.role.replace('_', ' ')),
    h('button.link', { type: 'button', onclick: () => { setKey(''); who = null; location.hash = ''; signInPage(); } }, 'Sign out'));
}

async function route() {
  if (!who) return;
  const [name, ...rest] = location.hash.replace(/^#\/?/, '').split('/');
  const allowed = SECTIONS[who.role];
  const section = allowed.includes(name) ? name : allowed[0];
  if (section !== name) { location.replace(`#/${section}`); return; }
  renderNav();
  document.title = `${PAGES[section].title} · genuine console`;
  const page = PAGES[section].page;
  if (route.leave) route.leave();
  route.leave = null;
  // Each visit renders into a box of its own: a page still loading when the
  // user moves on writes into a box no longer shown, and is cleaned up.
  const gen = route.gen = (route.gen || 0) + 1;
  const box = h('div.page');
  clear(main, box);
  clear(box, h('p.loading', null, 'Loading…'));
  try {
    const leave = await page.render(box, { ...who, args: rest.map(decodeURIComponent) });
    if (gen === route.gen) route.leave = leave;
    else if (leave) leave();
  } catch (err) {
    if (gen !== route.gen) return;
    if (err instanceof ApiError && err.status === 401) return signInPage('The key was refused: it is unknown or revoked.');
    clear(box, h('h1', null, PAGES[section].title), h('p.error', { role: 'alert' }, err.message));
  }
}

async function start() {
  if (!key()) return signInPage();
  try {
    who = await api('/v1/whoami');
  } catch (err) {
    setKey('');
    return signInPage(err instanceof ApiError && err.status === 401
      ? 'The key was refused: it is unknown or revoked.' : err.message);
  }
  document.body.dataset.role = who.role;
  await route();
}

// /verify is the public page: no key, no sections.
if (location.pathname === '/verify') {
  document.title = 'Verify your product · genuine';
  document.body.dataset.role = 'public';
  verify.render(main);
} else {
  window.addEventListener('hashchange', route);
  start();
}
