// Shared helpers of the end-to-end tests (scripts/web-e2e runs them): Debian's chromium
// through playwright-core, sign-in, CSP violation capture, axe-core, screenshots, and
// CalDAV checks with Basic auth straight against Agora.
import { chromium } from 'playwright-core';
import AxeBuilder from '@axe-core/playwright';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import assert from 'node:assert/strict';

export const WEB = process.env.WEB_URL ?? 'http://127.0.0.1:18080';
export const DAV = process.env.DAV_URL ?? 'http://127.0.0.1:18008';
export const SHOTS = process.env.SHOTS_DIR ?? '/tmp/web-e2e';
export const STORE = process.env.STORE_LABEL ?? 'sqlite';
export const USER = { login: process.env.E2E_USER ?? 'alice', password: process.env.E2E_PASSWORD ?? 'secret-alice' };
export const OTHER = { login: process.env.E2E_USER2 ?? 'bob', password: process.env.E2E_PASSWORD2 ?? 'secret-bob' };

export const DESKTOP = { width: 1280, height: 800 };
export const PHONE = { width: 360, height: 740 };

export async function launch() {
  return chromium.launch({
    executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run'],
  });
}

/** A page in a fresh context, with every CSP violation and page error recorded. */
export async function openPage(browser, { viewport = DESKTOP, locale = 'en-US', timezoneId = 'Europe/Paris' } = {}) {
  const context = await browser.newContext({ viewport, locale, timezoneId });
  const page = await context.newPage();
  page.problems = [];
  await page.addInitScript(() => {
    document.addEventListener('securitypolicyviolation', (e) => {
      console.error(`CSP violation: ${e.violatedDirective} ${e.blockedURI} ${e.sample ?? ''}`);
    });
  });
  page.on('console', (m) => {
    if (m.type() === 'error') page.problems.push(m.location()?.url ? `${m.text()} (${m.location().url})` : m.text());
  });
  page.on('pageerror', (e) => page.problems.push(`page error: ${e.message}`));
  return page;
}

export function assertNoProblems(page) {
  // A 401 on /api/session before sign-in is expected and logged by the browser.
  const real = page.problems.filter((p) => !/status of 401|status of 412/.test(p));
  assert.deepEqual(real, [], `console errors or CSP violations:\n${real.join('\n')}`);
}

export async function signIn(page, user = USER) {
  await page.goto(WEB + '/');
  await page.locator('#login').fill(user.login);
  await page.locator('#password').fill(user.password);
  await page.locator('form.login-form button[type=submit]').click();
  await page.locator('.ec').waitFor();
  await page.locator('.cal-list li').first().waitFor({ state: 'attached' });
}

export async function shot(page, name) {
  await mkdir(SHOTS, { recursive: true });
  const path = join(SHOTS, `${STORE}-${name}.png`);
  await page.screenshot({ path });
  return path;
}

/** axe-core on the page as it is: no serious or critical violation. */
export async function assertAccessible(page, what) {
  const result = await new AxeBuilder({ page }).analyze();
  const bad = result.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
  const text = bad.map((v) => `${v.impact} ${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(' ')).slice(0, 3).join('; ')})`);
  assert.deepEqual(text, [], `axe on ${what}`);
}

const basic = (u) => 'Basic ' + Buffer.from(`${u.login}:${u.password}`).toString('base64');

export async function davRequest(method, path, { body, headers = {}, user = USER } = {}) {
  const res = await fetch(DAV + path, { method, body, headers: { Authorization: basic(user), ...headers } });
  return { status: res.status, text: await res.text(), etag: res.headers.get('etag') };
}

/** Every calendar object of a collection: [{href, ics}]. */
export async function objects(collection, user = USER) {
  const res = await davRequest('REPORT', collection, {
    user,
    headers: { Depth: '1', 'Content-Type': 'application/xml' },
    body: '<?xml version="1.0"?><c:calendar-query xmlns:d="DAV:" xmlns:c="urn:ietf:params:xml:ns:caldav"><d:prop><c:calendar-data/></d:prop><c:filter><c:comp-filter name="VCALENDAR"/></c:filter></c:calendar-query>',
  });
  assert.equal(res.status, 207, res.text);
  const out = [];
  const re = /<D:href>([^<]+)<\/D:href>[\s\S]*?<C:calendar-data[^>]*>([\s\S]*?)<\/C:calendar-data>/gi;
  for (const m of res.text.matchAll(re)) out.push({ href: m[1], ics: unxml(m[2]).replace(/\r\n[ \t]/g, '') });
  return out;
}

const unxml = (s) => s.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&#39;/g, "'").replace(/&#13;/g, '\r').replace(/&amp;/g, '&');

export async function findBySummary(collection, summary, user = USER) {
  return (await objects(collection, user)).filter((o) => o.ics.includes(`SUMMARY:${summary}\r\n`) || o.ics.includes(`SUMMARY:${summary}\n`));
}

/** Property line value from an iCalendar text, e.g. prop(ics, 'DTSTART') -> ';TZID=Europe/Paris:20261208T100000'. */
export function prop(ics, name) {
  const m = ics.match(new RegExp(`^${name}([;:][^\\r\\n]*)`, 'm'));
  return m ? m[1] : null;
}

/** Monday of the current week as YYYYMMDD plus day offset, in Europe/Paris wall-clock. */
export function ymd(date) {
  return `${date.getFullYear()}${String(date.getMonth() + 1).padStart(2, '0')}${String(date.getDate()).padStart(2, '0')}`;
}

/** Waits until `fn` returns something truthy (errors count as not yet), at most `ms`. */
export async function eventually(fn, ms = 15000, what = 'condition') {
  const end = Date.now() + ms;
  let last;
  while (Date.now() < end) {
    try {
      const v = await fn();
      if (v) return v;
    } catch (e) {
      last = e;
    }
    await new Promise((r) => setTimeout(r, 300));
  }
  throw new Error(`timed out waiting for ${what}${last ? `: ${last.message}` : ''}`);
}

/** The signed-in user's preferences as a flow needs them, whatever earlier files left
 * (the French flows store French): `set` is merged in, the keys of `drop` removed, and
 * the page's language follows `set.locale`. With `reload`, the page is shown again in it. */
export async function setPreferences(page, set, { drop = [], reload = true } = {}) {
  await page.evaluate(async ({ set, drop }) => {
    const s = await (await fetch('/api/session')).json();
    const headers = { 'X-Agora-CSRF': s.csrf, 'Content-Type': 'application/json' };
    const prefs = await (await fetch('/api/preferences', { headers })).json();
    for (const k of drop) delete prefs[k];
    const res = await fetch('/api/preferences', { method: 'PUT', headers, body: JSON.stringify({ ...prefs, ...set }) });
    if (!res.ok) throw new Error(`preferences: ${res.status}`);
    if (set.locale) localStorage.setItem('agora.lang', set.locale);
  }, { set, drop });
  if (!reload) return;
  await page.reload();
  await page.locator('.ec').waitFor();
  if (set.locale) await page.locator(`html[lang=${set.locale}]`).waitFor({ state: 'attached' });
}

