// End-to-end flows of the agenda in Debian's chromium: sign-in, calendars, create (editor
// and drag), move by drag with undo, edit, delete, live refresh from another client,
// escaping, French, keyboard only; axe-core and screenshots along the way. Each change
// is checked in the stored iCalendar with a CalDAV request (Basic auth).
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  DAV, PHONE, USER, WEB, assertAccessible, assertNoProblems, davRequest, findBySummary, launch, openPage, prop, shot, signIn, eventually } from './lib.mjs';
import { drag, fillEditor, gridPoint, hourHeight, parisToday } from './helpers-ui.mjs';

const CAL = `/calendars/${USER.login}/calendar/`;
let browser;
before(async () => {
  browser = await launch();
});
after(async () => {
  await browser?.close();
});

const one = async (summary) => eventually(async () => {
  const found = await findBySummary(CAL, summary);
  return found.length === 1 ? found[0] : null;
}, 8000, `exactly one stored event "${summary}"`);

describe('sign-in', () => {
  test('a wrong password is refused in words, the right one shows the calendars', async () => {
    const page = await openPage(browser);
    await page.goto(WEB + '/');
    await page.locator('#login').waitFor();
    await assertAccessible(page, 'sign-in page');
    await shot(page, 'login-desktop');
    await page.locator('#login').fill(USER.login);
    await page.locator('#password').fill('not-the-password');
    await page.locator('form.login-form button[type=submit]').click();
    await page.getByText('Wrong user name or password.').waitFor();
    await signIn(page);
    await page.getByRole('checkbox', { name: /Calendar/ }).waitFor();
    await assertAccessible(page, 'week view');
    await shot(page, 'week-desktop');
    assertNoProblems(page);
    await page.context().close();
  });

  test('the sign-in page at phone width', async () => {
    const page = await openPage(browser, { viewport: PHONE });
    await page.goto(WEB + '/');
    await page.locator('#login').waitFor();
    await assertAccessible(page, 'sign-in page (phone)');
    await shot(page, 'login-phone');
    await page.context().close();
  });
});

describe('events', () => {
  let page;
  const today = parisToday();
  before(async () => {
    page = await openPage(browser);
    await signIn(page);
    await page.getByLabel('View').selectOption('week');
    page.on('dialog', (d) => d.accept());
  });
  after(async () => {
    assertNoProblems(page);
    await page.context().close();
  });

  test('create with the editor: stored with TZID, its VTIMEZONE and a new UID', async () => {
    await page.getByRole('button', { name: 'New event' }).click();
    const dialog = await fillEditor(page, { title: 'Budget review', date: today.ymd, start: '10:00', end: '11:00', location: 'Room 4' });
    await assertAccessible(page, 'editor dialog');
    await shot(page, 'editor-desktop');
    await dialog.getByRole('button', { name: 'Save' }).click();
    await page.locator('.ec-event', { hasText: 'Budget review' }).waitFor();
    const stored = await one('Budget review');
    assert.equal(prop(stored.ics, 'DTSTART'), `;TZID=Europe/Paris:${today.compact}T100000`);
    assert.equal(prop(stored.ics, 'DTEND'), `;TZID=Europe/Paris:${today.compact}T110000`);
    assert.equal(prop(stored.ics, 'LOCATION'), ':Room 4');
    assert.match(stored.ics, /BEGIN:VTIMEZONE\r?\nTZID:Europe\/Paris/);
    assert.match(prop(stored.ics, 'UID'), /^:[0-9a-f-]{36}$/);
    assert.ok(stored.href.endsWith('.ics'));
  });

  test('create by dragging on the grid', async () => {
    const from = await gridPoint(page, 14.1);
    const to = await gridPoint(page, 15.4);
    await drag(page, from, to);
    const dialog = await fillEditor(page, { title: 'Drawn meeting' });
    await dialog.getByRole('button', { name: 'Save' }).click();
    await page.locator('.ec-event', { hasText: 'Drawn meeting' }).waitFor();
    const stored = await one('Drawn meeting');
    assert.equal(prop(stored.ics, 'DTSTART'), `;TZID=Europe/Paris:${today.compact}T140000`);
    assert.equal(prop(stored.ics, 'DTEND'), `;TZID=Europe/Paris:${today.compact}T153000`);
  });

  test('move by drag, then undo the move', async () => {
    const ev = page.locator('.ec-event', { hasText: 'Budget review' });
    const box = await ev.boundingBox();
    const start = { x: box.x + box.width / 2, y: box.y + 8 };
    await drag(page, start, { x: start.x, y: start.y + (await hourHeight(page)) });
    await page.getByText('Event moved.').waitFor();
    let stored = await eventually(async () => {
      const s = await one('Budget review');
      return prop(s.ics, 'DTSTART').endsWith('T110000') ? s : null;
    }, 8000, 'DTSTART 11:00');
    assert.equal(prop(stored.ics, 'DTEND'), `;TZID=Europe/Paris:${today.compact}T120000`);
    assert.equal(prop(stored.ics, 'SEQUENCE'), ':1');
    await shot(page, 'moved-desktop');
    await page.getByRole('button', { name: 'Undo' }).click();
    await page.getByText('Move undone.').waitFor();
    stored = await one('Budget review');
    assert.equal(prop(stored.ics, 'DTSTART'), `;TZID=Europe/Paris:${today.compact}T100000`);
  });

  test('edit in the editor, with If-Match', async () => {
    await page.locator('.ec-event', { hasText: 'Budget review' }).click();
    const dialog = await fillEditor(page, { title: 'Budget review (final)', location: 'Room 5' });
    await dialog.getByLabel('Privacy').selectOption('PRIVATE');
    await dialog.getByLabel('Show as').selectOption('free');
    await dialog.getByRole('button', { name: 'Save' }).click();
    await page.locator('.ec-event', { hasText: 'Budget review (final)' }).waitFor();
    const stored = await one('Budget review (final)');
    assert.equal(prop(stored.ics, 'LOCATION'), ':Room 5');
    assert.equal(prop(stored.ics, 'CLASS'), ':PRIVATE');
    assert.equal(prop(stored.ics, 'TRANSP'), ':TRANSPARENT');
    assert.equal(prop(stored.ics, 'DTSTART'), `;TZID=Europe/Paris:${today.compact}T100000`);
  });

  test('a change made elsewhere first is not overwritten (412)', async () => {
    const stored = await one('Drawn meeting');
    const changed = stored.ics.replace('SUMMARY:Drawn meeting', 'SUMMARY:Drawn meeting (phone)');
    const put = await davRequest('PUT', stored.href, { body: changed, headers: { 'Content-Type': 'text/calendar' } });
    assert.ok([201, 204].includes(put.status), `PUT ${put.status}`);
    await page.locator('.ec-event', { hasText: 'Drawn meeting', hasNotText: 'phone' }).first().click();
    const dialog = await fillEditor(page, { title: 'Drawn meeting (web)' });
    await dialog.getByRole('button', { name: 'Save' }).click();
    await page.getByText(/changed elsewhere/).waitFor();
    assert.equal((await findBySummary(CAL, 'Drawn meeting (web)')).length, 0);
    assert.equal((await findBySummary(CAL, 'Drawn meeting (phone)')).length, 1);
  });

  test('delete from the editor', async () => {
    await page.locator('.ec-event', { hasText: 'Budget review (final)' }).click();
    await page.locator('dialog.editor').getByRole('button', { name: 'Delete' }).click();
    await page.getByText('Event deleted.').waitFor();
    await eventually(async () => (await findBySummary(CAL, 'Budget review (final)')).length === 0, 8000, 'deletion');
    await page.locator('.ec-event', { hasText: 'Budget review (final)' }).waitFor({ state: 'detached' });
  });

  test('an event PUT by another client appears without reload, its text escaped', async () => {
    const uid = `e2e-${Date.now()}`;
    const title = '<img src=x onerror="window.__xss=1">Planning';
    const ics = ['BEGIN:VCALENDAR', 'VERSION:2.0', 'PRODID:-//e2e//EN', 'BEGIN:VEVENT', `UID:${uid}`, 'DTSTAMP:20260101T000000Z',
      `DTSTART;TZID=Europe/Paris:${today.compact}T163000`, `DTEND;TZID=Europe/Paris:${today.compact}T173000`, `SUMMARY:${title}`,
      'END:VEVENT', 'END:VCALENDAR', ''].join('\r\n');
    const put = await davRequest('PUT', `${CAL}${uid}.ics`, { body: ics, headers: { 'Content-Type': 'text/calendar', 'If-None-Match': '*' } });
    assert.equal(put.status, 201, put.text);
    const t0 = Date.now();
    await page.locator('.ec-event', { hasText: 'Planning' }).waitFor({ timeout: 15000 });
    assert.ok(Date.now() - t0 < 15000);
    assert.equal(await page.evaluate(() => window.__xss), undefined);
    assert.equal(await page.locator('.ec-event img').count(), 0);
    await page.getByText(title).first().waitFor();
    await shot(page, 'live-desktop');
  });

  test('month, list and side-by-side views pass axe', async () => {
    for (const view of ['month', 'list', 'columns', 'workweek', 'day']) {
      await page.getByLabel('View').selectOption(view);
      await page.waitForTimeout(300);
      await assertAccessible(page, `${view} view`);
      await shot(page, `${view}-desktop`);
    }
    await page.getByLabel('View').selectOption('week');
  });
});

describe('phone width', () => {
  test('agenda list by default, sidebar behind the menu, editor fits', async () => {
    const page = await openPage(browser, { viewport: PHONE });
    await signIn(page);
    assert.equal(await page.getByLabel('View').inputValue(), 'list');
    await page.locator('.ec-list').waitFor();
    await assertAccessible(page, 'list view (phone)');
    await shot(page, 'list-phone');
    await page.getByRole('button', { name: 'Calendars and mini-month' }).click();
    await page.locator('.sidebar.open').waitFor();
    await assertAccessible(page, 'sidebar (phone)');
    await shot(page, 'sidebar-phone');
    await page.getByRole('button', { name: 'Calendars and mini-month' }).click();
    await page.getByRole('button', { name: 'New event' }).click();
    await page.locator('dialog.editor').waitFor();
    await assertAccessible(page, 'editor (phone)');
    await shot(page, 'editor-phone');
    assertNoProblems(page);
    await page.context().close();
  });
});
