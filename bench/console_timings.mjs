// Browser timings for bench/run_console.sh: Debian's chromium (headless,
// playwright-core) against the server it started ($URL, $KEY_*). The
// dashboard: from navigation until its figures are drawn; a queue item: from
// the verdict's keystroke until the next item is on screen.
import { createRequire } from 'node:module';

const require = createRequire(new URL('../web/package.json', import.meta.url));
const { chromium } = require('playwright-core');
const URL_ = process.env.URL;
const RUNS = Number(process.env.RUNS || 5);
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor((xs.length - 1) / 2)];

const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', headless: true, args: ['--no-sandbox'] });
const page = await (await browser.newContext({ viewport: { width: 1280, height: 900 } })).newPage();
await page.goto(`${URL_}/`);
await page.fill('#api-key', process.env.KEY_R1);
await page.click('form.signin button[type=submit]');
await page.waitForSelector('#nav li');

const dashboard = [];
for (let i = 0; i < RUNS; i++) {
  await page.goto(`${URL_}/#/sellers`);
  await page.waitForSelector('#seller-id');
  const t0 = Date.now();
  await page.goto(`${URL_}/#/dashboard/2000-01-0${1 + (i % 9)}/2100-01-01`);
  await page.waitForSelector('[data-timing]');
  dashboard.push(Date.now() - t0);
}
const filtered = [];
for (let i = 0; i < RUNS; i++) {
  await page.goto(`${URL_}/#/sellers`);
  await page.waitForSelector('#seller-id');
  const t0 = Date.now();
  await page.goto(`${URL_}/#/dashboard/2000-01-0${1 + (i % 9)}/2100-01-01/brand:${encodeURIComponent(process.env.BRAND)}`);
  await page.waitForSelector('#filtered');
  await page.waitForSelector('[data-timing]');
  filtered.push(Date.now() - t0);
}
const first = [], next = [];
for (let i = 0; i < RUNS; i++) {
  await page.goto(`${URL_}/#/sellers`);
  await page.waitForSelector('#seller-id');
  let t0 = Date.now();
  await page.goto(`${URL_}/#/queue`);
  await page.waitForSelector('[data-field=listing]');
  first.push(Date.now() - t0);
  const item = await page.textContent('[data-field=listing]');
  t0 = Date.now();
  await page.keyboard.press('5');
  await page.keyboard.press('g');
  await page.waitForFunction((was) => {
    const el = document.querySelector('[data-field=listing]');
    return (el && el.textContent !== was) || document.querySelector('[data-empty]');
  }, item);
  next.push(Date.now() - t0);
}
console.log(`${'browser: dashboard interactive'.padEnd(44)} ${String(median(dashboard)).padStart(5)} ms (median of ${RUNS}: ${dashboard.join(', ')})`);
console.log(`${'browser: dashboard of one brand interactive'.padEnd(44)} ${String(median(filtered)).padStart(5)} ms (median of ${RUNS}: ${filtered.join(', ')})`);
console.log(`${'browser: queue page, first item on screen'.padEnd(44)} ${String(median(first)).padStart(5)} ms (median of ${RUNS}: ${first.join(', ')})`);
console.log(`${'browser: verdict keystroke to next item'.padEnd(44)} ${String(median(next)).padStart(5)} ms (median of ${RUNS}: ${next.join(', ')})`);
await browser.close();
