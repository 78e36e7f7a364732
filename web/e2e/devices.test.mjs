// Settings → Devices and Password: an app password made in the page lets a real CalDAV
// client (python caldav) list the calendars, and once revoked in the page the client is
// refused; the Apple configuration profile, downloaded by the page and through its
// single-use link, is a plist with both accounts; the DAVx5 link has its form; a
// password changed in the page signs in; the app-password flow in French; axe on each
// pane; screenshots at desktop and phone width.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { DAV, OTHER, PHONE, USER, WEB, assertAccessible, assertNoProblems, davRequest, findBySummary, launch, openPage, setPreferences, shot, signIn } from './lib.mjs';
import { fillEditor, parisToday } from './helpers-ui.mjs';
import { davClient } from './dav-client.mjs';

const HOST = new URL(DAV).host;
let browser;
before(async () => {
  browser = await launch();
});
after(async () => {
  await browser?.close();
});

/** Opens a settings pane from the rail and the panes' list (names in the page's language). */
async function openPane(page, { sections = 'Sections', settings = 'Settings', panes = 'Settings sections', pane }) {
  await page.getByRole('navigation', { name: sections }).getByRole('link', { name: settings }).click();
  await page.getByRole('navigation', { name: panes }).getByRole('link', { name: pane }).click();
  await page.locator('#pane-title', { hasText: pane }).waitFor();
}

/** Makes an app password in the Devices pane; returns what the page shows. */
async function createDevice(page, label, button) {
  await page.locator('#device-label').fill(label);
  await page.getByRole('button', { name: button }).click();
  await page.locator('.device-created').waitFor();
  const password = await page.locator('#app-password').inputValue();
  const davx5 = await page.locator('#davx5-link').inputValue();
  return { password, davx5 };
}

/** Every `<key>` of a plist with the text of the value that follows it, per `<dict>`. */
function payloads(xml) {
  return [...xml.matchAll(/<dict>([\s\S]*?)<\/dict>/g)].map(([, body]) =>
    Object.fromEntries([...body.matchAll(/<key>([^<]+)<\/key>\s*(?:<(string|integer)>([^<]*)<\/\2>|<(true|false)\/>)/g)].map((m) => [m[1], m[3] ?? m[4]])),
  );
}

function checkProfile(xml, login) {
  assert.match(xml, /^<\?xml version="1.0" encoding="UTF-8"\?>\n<!DOCTYPE plist PUBLIC "-\/\/Apple\/\/DTD PLIST 1.0\/\/EN"/);
  assert.match(xml, /<key>PayloadType<\/key>\s*<string>Configuration<\/string>/);
  const [caldav, carddav] = payloads(xml);
  const [host, port] = HOST.split(':');
  for (const [p, prefix, type] of [[caldav, 'CalDAV', 'com.apple.caldav.account'], [carddav, 'CardDAV', 'com.apple.carddav.account']]) {
    assert.equal(p.PayloadType, type);
    assert.equal(p[`${prefix}Username`], login);
    assert.equal(p[`${prefix}HostName`], host);
    assert.equal(p[`${prefix}Port`], port);
    assert.equal(p[`${prefix}UseSSL`], 'false');
    assert.equal(p[`${prefix}PrincipalURL`], `${DAV}/principals/${login}/`);
    assert.equal(p[`${prefix}Password`], undefined, 'no password in the file');
  }
}

describe('devices and password', () => {
  let page;
  before(async () => {
    page = await openPage(browser);
    await signIn(page);
    await setPreferences(page, { locale: 'en' });
  });
  after(async () => {
    assertNoProblems(page);
    await page.context().close();
  });

  test('an app password lets a CalDAV client in until it is revoked', async () => {
    await openPane(page, { pane: 'Devices' });
    await assertAccessible(page, 'devices pane');
    const device = { login: USER.login, password: '' };
    const profileLink = page.waitForResponse((r) => r.url().endsWith('/api/profile-links') && r.status() === 201);
    const made = await createDevice(page, 'Test phone', 'Create app password');
    device.password = made.password;
    assert.match(made.password, /^[a-z2-9]{5}(-[a-z2-9]{5}){4}$/);
    // Shown in groups, the way it is typed.
    assert.deepEqual(await page.locator('.app-password span').allTextContents(), made.password.split('-'));
    assert.equal(made.davx5, `caldav://${USER.login}:${made.password}@${HOST}/`);
    await page.locator('svg.qr').nth(1).waitFor();
    assert.equal(await page.locator('svg.qr[role=img]').count(), 2, 'QR codes for DAVx5 and for Apple');
    await assertAccessible(page, 'new app password with its QR codes');
    await shot(page, 'devices-created-desktop');

    // The real client lists the calendars with it.
    const listed = JSON.parse(await davClient('calendars', [], device));
    assert.ok(listed.includes(`/calendars/${USER.login}/calendar/`), JSON.stringify(listed));

    // The profile link of the QR code: once, without a session.
    const { url, expiresAt } = await (await profileLink).json();
    assert.ok(url.startsWith(`${DAV}/api/profile/`), url);
    const minutes = (Date.parse(expiresAt) - Date.now()) / 60000;
    assert.ok(minutes > 9 && minutes <= 10, `ten minutes: ${expiresAt}`);
    const first = await fetch(url);
    assert.equal(first.status, 200);
    assert.equal(first.headers.get('content-type'), 'application/x-apple-aspen-config');
    checkProfile(await first.text(), USER.login);
    assert.equal((await fetch(url)).status, 404, 'single use');

    // The download button saves the same profile.
    const download = page.waitForEvent('download');
    await page.getByRole('button', { name: 'Download profile (.mobileconfig)' }).click();
    const file = await download;
    assert.match(file.suggestedFilename(), /^agora-.*\.mobileconfig$/);
    checkProfile(await readFile(await file.path(), 'utf8'), USER.login);

    await page.getByRole('button', { name: 'Done' }).click();
    const row = page.locator('.device-list li', { hasText: 'Test phone' });
    await row.waitFor();
    await shot(page, 'devices-list-desktop');
    await row.getByRole('button', { name: 'Revoke Test phone' }).click();
    const dialog = page.getByRole('dialog', { name: 'Revoke “Test phone”?' });
    await assertAccessible(page, 'revocation confirmation');
    await dialog.getByRole('button', { name: 'Revoke', exact: true }).click();
    await page.getByText('“Test phone” is revoked.').waitFor();
    await row.waitFor({ state: 'detached' });
    await assert.rejects(davClient('calendars', [], device), /401|Unauthorized|AuthorizationError/i, 'refused once revoked');
    // This browser is still signed in (its session was renewed): the calendar loads.
    await page.getByRole('navigation', { name: 'Sections' }).getByRole('link', { name: 'Calendar' }).click();
    await page.locator('.cal-list li').first().waitFor({ state: 'attached' });
  });

  test('the calendar and reminder of new events, chosen in General', async () => {
    await openPane(page, { pane: 'General' });
    const form = page.locator('main form.settings-form');
    await form.getByLabel('Calendar of new events').selectOption(`/calendars/${USER.login}/calendar/`);
    await form.getByLabel('Reminder of new events').selectOption({ label: '15 minutes before' });
    await form.getByRole('button', { name: 'Save' }).click();
    await page.getByText('Settings saved.').waitFor();
    await assertAccessible(page, 'general pane with the defaults of new events');
    await page.getByRole('navigation', { name: 'Sections' }).getByRole('link', { name: 'Calendar' }).click();
    await page.getByRole('button', { name: 'New event' }).click();
    const today = parisToday();
    const dialog = await fillEditor(page, { title: 'Default reminder check', date: today.ymd, start: '10:00', end: '10:30' });
    assert.equal(await dialog.locator('select.reminder').inputValue(), '15', 'the editor starts with the chosen reminder');
    await dialog.getByRole('button', { name: 'Save' }).click();
    await page.locator('.ec-event', { hasText: 'Default reminder check' }).waitFor();
    const [stored] = await findBySummary(`/calendars/${USER.login}/calendar/`, 'Default reminder check');
    assert.match(stored.ics, /BEGIN:VALARM[\s\S]*TRIGGER[^\r\n]*:-PT15M[\s\S]*END:VALARM/);
    assert.equal((await davRequest('DELETE', stored.href)).status, 204);
    await setPreferences(page, {}, { drop: ['defaultAlarm', 'defaultCalendar'] });
  });

  test('phone width', async () => {
    const phone = await openPage(browser, { viewport: PHONE });
    await signIn(phone);
    await phone.evaluate(() => (location.hash = '#/settings/devices'));
    await phone.locator('#device-label').waitFor();
    await createDevice(phone, 'Small phone', 'Create app password');
    await phone.locator('svg.qr').nth(1).waitFor();
    const width = await phone.evaluate(() => document.documentElement.scrollWidth);
    assert.ok(width <= PHONE.width, `no sideways scrolling: ${width}`);
    await shot(phone, 'devices-created-phone');
    await phone.getByRole('button', { name: 'Done' }).click();
    await phone.getByRole('button', { name: 'Revoke Small phone' }).click();
    await phone.getByRole('dialog').getByRole('button', { name: 'Revoke', exact: true }).click();
    await phone.getByText('“Small phone” is revoked.').waitFor();
    await phone.evaluate(() => (location.hash = '#/settings/password'));
    await phone.locator('#pw-current').waitFor();
    await shot(phone, 'password-phone');
    // Known race (issue 16 note): a calendar poll in flight while the revocation renews
    // the session carries the old CSRF token and gets one 403; the next poll goes through.
    phone.problems = phone.problems.filter((p) => !/status of 403 .*\/calendars\/alice\/[^/]+\/\)$/.test(p));
    assertNoProblems(phone);
    await phone.context().close();
  });
});

describe('password change', () => {
  const NEW = 'second-secret-bob';
  let page;
  before(async () => {
    page = await openPage(browser);
    await signIn(page, OTHER);
    await setPreferences(page, { locale: 'en' });
  });
  after(async () => {
    // Put bob's password back for the other files, through the API of a fresh session.
    const login = await fetch(`${DAV}/api/login`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ login: OTHER.login, password: NEW }) });
    if (login.ok) {
      const { csrf } = await login.json();
      const cookie = login.headers.get('set-cookie').split(';')[0];
      const back = await fetch(`${DAV}/api/password`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', Cookie: cookie, 'X-Agora-CSRF': csrf },
        body: JSON.stringify({ current: NEW, new: OTHER.password }),
      });
      assert.equal(back.status, 200);
    }
    await page.context().close();
  });

  test('changed in the page, the new password signs in and the old one does not', async () => {
    await openPane(page, { pane: 'Password' });
    await assertAccessible(page, 'password pane');
    await shot(page, 'password-desktop');
    await page.locator('#pw-current').fill('not-the-password');
    await page.locator('#pw-new').fill(NEW);
    await page.locator('#pw-again').fill(NEW);
    await page.getByRole('button', { name: 'Change password' }).click();
    await page.getByText('The current password is wrong.').waitFor();
    // The browser logs that refusal (403) as a failed load: expected here.
    page.problems = page.problems.filter((p) => !/status of 403/.test(p));
    await page.locator('#pw-current').fill(OTHER.password);
    await page.locator('#pw-again').fill('something-else');
    await page.getByRole('button', { name: 'Change password' }).click();
    await page.getByText('The two new passwords differ.').waitFor();
    await page.locator('#pw-again').fill(NEW);
    await page.getByRole('button', { name: 'Change password' }).click();
    await page.getByText('Password changed. Your other browsers are signed out.').waitFor();
    assert.equal(await page.locator('#pw-current').inputValue(), '', 'the form is emptied');
    // Still signed in here: the next request of the page goes through.
    await page.getByRole('navigation', { name: 'Sections' }).getByRole('link', { name: 'Calendar' }).click();
    await page.locator('.cal-list li').first().waitFor({ state: 'attached' });
    assertNoProblems(page);

    const fresh = await openPage(browser);
    await fresh.goto(WEB + '/');
    await fresh.locator('#login').fill(OTHER.login);
    await fresh.locator('#password').fill(OTHER.password);
    await fresh.locator('form.login-form button[type=submit]').click();
    await fresh.locator('#login-error').filter({ hasText: /./ }).waitFor();
    await signIn(fresh, { login: OTHER.login, password: NEW });
    await setPreferences(fresh, {}, { drop: ['locale'], reload: false });
    await fresh.context().close();
  });
});

test('the app-password flow in French', async () => {
  const page = await openPage(browser, { locale: 'fr-FR' });
  await signIn(page);
  await setPreferences(page, { locale: 'fr' });
  await openPane(page, { sections: 'Rubriques', settings: 'Paramètres', panes: 'Rubriques des paramètres', pane: 'Appareils' });
  await assertAccessible(page, 'devices pane in French');
  const made = await createDevice(page, 'Téléphone de test', 'Créer un mot de passe d’application');
  await page.getByRole('heading', { name: 'Mot de passe d’application pour « Téléphone de test »' }).waitFor();
  await page.getByText(/Lien à usage unique, valable jusqu’à/).waitFor();
  await shot(page, 'devices-created-fr-desktop');
  const device = { login: USER.login, password: made.password };
  assert.ok(JSON.parse(await davClient('calendars', [], device)).length > 0);
  await page.getByRole('button', { name: 'Terminé' }).click();
  await page.getByRole('button', { name: 'Révoquer Téléphone de test' }).click();
  await page.getByRole('dialog', { name: 'Révoquer « Téléphone de test » ?' }).getByRole('button', { name: 'Révoquer', exact: true }).click();
  await page.getByText('« Téléphone de test » est révoqué.').waitFor();
  await assert.rejects(davClient('calendars', [], device), /401|Unauthorized|AuthorizationError/i);
  await openPane(page, { sections: 'Rubriques', settings: 'Paramètres', panes: 'Rubriques des paramètres', pane: 'Mot de passe' });
  await assertAccessible(page, 'password pane in French');
  await shot(page, 'password-fr-desktop');
  // Leave no language stored: the next files follow their browser's.
  await setPreferences(page, {}, { drop: ['locale'], reload: false });
  assertNoProblems(page);
  await page.context().close();
});
