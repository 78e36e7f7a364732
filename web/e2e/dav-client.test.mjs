// The page and a real DAV client see the same data: what the page writes, python caldav
// (web/e2e/caldav_client.py, from the conformance venv) reads back over CalDAV; what that
// client writes appears in the open page without a reload.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { USER, assertNoProblems, launch, openPage, shot, signIn } from './lib.mjs';
import { fillEditor, parisToday } from './helpers-ui.mjs';
import { davClient } from './dav-client.mjs';

/** "+01:00" for Europe/Paris on that day (the tests' browser zone). */
function parisOffset(ymd) {
  const name = new Intl.DateTimeFormat('en-US', { timeZone: 'Europe/Paris', timeZoneName: 'longOffset' })
    .formatToParts(new Date(`${ymd}T12:00:00Z`))
    .find((p) => p.type === 'timeZoneName').value;
  return name === 'GMT' ? '+00:00' : name.slice(3);
}

let browser;
let page;
const today = parisToday();
before(async () => {
  browser = await launch();
  page = await openPage(browser);
  await signIn(page);
  await page.getByLabel('View').selectOption('week');
});
after(async () => {
  assertNoProblems(page);
  await browser?.close();
});

describe('a DAV client and the page', () => {
  test('an event made in the page is read by python caldav with its zone', async () => {
    await page.getByRole('button', { name: 'New event' }).click();
    const dialog = await fillEditor(page, { title: 'Web to client', date: today.ymd, start: '09:00', end: '10:30' });
    await dialog.getByRole('button', { name: 'Save' }).click();
    await page.locator('.ec-event', { hasText: 'Web to client' }).waitFor();
    const events = JSON.parse(await davClient('list')).filter((e) => e.summary === 'Web to client');
    assert.equal(events.length, 1, JSON.stringify(events));
    const offset = parisOffset(today.ymd);
    assert.equal(events[0].dtstart, `${today.ymd}T09:00:00${offset}`);
    assert.equal(events[0].dtend, `${today.ymd}T10:30:00${offset}`);
  });

  test('an event made by python caldav appears in the open page', async () => {
    const uid = await davClient('create', ['Client to web', `${today.ymd}T13:00:00`, `${today.ymd}T14:00:00`, 'Europe/Paris']);
    assert.match(uid, /^python-caldav-/);
    await page.locator('.ec-event', { hasText: 'Client to web' }).waitFor({ timeout: 15000 });
    const text = await page.locator('.ec-event', { hasText: 'Client to web' }).innerText();
    assert.match(text, /1:00 – 2:00 PM/); // en-US: 12-hour clock, as the locale says
    await shot(page, 'dav-client-desktop');
  });
});
