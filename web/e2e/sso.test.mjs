// Single sign-on: a person unknown to Agora signs in through the OpenID Connect
// provider scripts/web-e2e runs (its development sign-in and consent forms), lands
// in their own agenda, and the account the server made carries the provider's
// verified address (checked with CalDAV afterwards).
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { WEB, assertAccessible, launch, openPage, shot } from './lib.mjs';

let browser;
before(async () => {
  browser = await launch();
});
after(async () => {
  await browser?.close();
});

test('single sign-on through the identity provider', async () => {
  const page = await openPage(browser);
  await page.goto(WEB + '/');
  const sso = page.getByRole('link', { name: 'Sign in with Test ID' });
  await sso.waitFor();
  await assertAccessible(page, 'sign-in page with single sign-on');
  await shot(page, 'login-sso-desktop');
  await sso.click();
  // The provider's own pages (not Agora's): sign in as carol, then consent.
  await page.locator('input[name=login]').fill('carol');
  await page.locator('input[name=password]').fill('anything');
  await page.locator('button[type=submit]').click();
  // From here on, what Agora's pages log or fail to load (the provider's pages load
  // remote fonts and a favicon of their own, which are not ours to judge).
  const ours = [];
  page.on('console', (m) => {
    if (m.type() === 'error' && (m.location().url ?? '').startsWith(WEB)) ours.push(m.text());
  });
  page.on('response', (r) => {
    if (r.url().startsWith(WEB) && r.status() >= 400) ours.push(`${r.request().method()} ${r.url()}: ${r.status()}`);
  });
  page.on('requestfailed', (r) => {
    if (r.url().startsWith(WEB)) ours.push(`request failed: ${r.url()}`);
  });
  await page.locator('button[type=submit]', { hasText: 'Continue' }).click();
  // Back at Agora: the landing page moves on to the agenda by itself.
  await page.locator('.ec').waitFor({ timeout: 15000 });
  await page.locator('.cal-list li').first().waitFor({ state: 'attached' });
  assert.equal(new URL(page.url()).origin, new URL(WEB).origin);
  const session = await page.evaluate(async () => (await fetch('/api/session')).json());
  assert.equal(session.login, 'carol');
  assert.equal(session.email, 'carol@example.org');
  await shot(page, 'sso-week-desktop');
  assert.deepEqual(ours, [], 'no console error, CSP violation or failed request on Agora\'s pages');
  await page.context().close();
});
