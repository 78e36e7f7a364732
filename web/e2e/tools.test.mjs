// The page's tools: search by text (calendar-query text-match), the month view's
// "+N more", importing an .ics file (one object per UID, time zones kept, nobody
// invited, refusals in words), subscribing to a feed (refused inside the server's
// network, else a read-only calendar with the feed's events) and removing a publish
// link. Each result is checked on the CalDAV side with Basic auth.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import {
  DAV, OTHER, PHONE, USER, WEB, assertAccessible, assertNoProblems, davRequest, launch, objects, openPage, shot, signIn, eventually } from './lib.mjs';
import { parisToday } from './helpers-ui.mjs';

const CAL = `/calendars/${USER.login}/calendar/`;
const HOME = `/calendars/${USER.login}/`;
const RUN = Date.now().toString(36);
const today = parisToday();
const stamp = '20260101T000000Z';

let browser;
let feedServer;
let feedUrl;
before(async () => {
  browser = await launch();
  // A feed on loopback for the subscription (the e2e server allows private feeds).
  const feed = `BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//e2e//feed//EN\r\nBEGIN:VEVENT\r\nUID:feed-${RUN}@e2e\r\nDTSTAMP:${stamp}\r\nDTSTART:${today.compact}T100000Z\r\nDTEND:${today.compact}T110000Z\r\nSUMMARY:Feed match ${RUN}\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n`;
  feedServer = createServer((req, res) => {
    if (req.url.includes('/broken-')) {
      res.writeHead(500, { 'Content-Type': 'text/plain' });
      res.end('down for maintenance');
      return;
    }
    res.writeHead(200, { 'Content-Type': 'text/calendar; charset=utf-8' });
    res.end(feed);
  });
  await new Promise((r) => feedServer.listen(0, '127.0.0.1', r));
  feedUrl = `webcal://127.0.0.1:${feedServer.address().port}/feed-${RUN}.ics`;
});
after(async () => {
  await browser?.close();
  feedServer?.close();
});

async function put(name, ics, user = USER, cal = CAL) {
  const res = await davRequest('PUT', `${cal}${name}.ics`, { user, body: ics, headers: { 'Content-Type': 'text/calendar' } });
  assert.ok([201, 204].includes(res.status), res.text);
}

const vevent = (uid, summary, start, end, extra = '') =>
  `BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//e2e//EN\r\nBEGIN:VEVENT\r\nUID:${uid}\r\nDTSTAMP:${stamp}\r\nDTSTART:${start}\r\nDTEND:${end}\r\nSUMMARY:${summary}\r\n${extra}END:VEVENT\r\nEND:VCALENDAR\r\n`;

async function inEnglish(page) {
  if ((await page.locator('html').getAttribute('lang')) === 'en') return;
  await page.locator('#lang-narrow').selectOption('en');
  await page.locator('html[lang=en]').waitFor({ state: 'attached' });
}

describe('tools', () => {
  let page;
  before(async () => {
    const d = today.compact;
    await put(`search-${RUN}`, vevent(`search-${RUN}`, `Quarterly planning ${RUN}`, `${d}T140000Z`, `${d}T150000Z`, 'LOCATION:Salle Bleuet\\, 2e étage\r\n'));
    // Eight events on one day for the month view's "+N more".
    // An all-day event over three days, the busy day among them: it counts there too.
    const allDay = `BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//e2e//EN\r\nBEGIN:VEVENT\r\nUID:conf-${RUN}\r\nDTSTAMP:${stamp}\r\nDTSTART;VALUE=DATE:${parisToday(-1).compact}\r\nDTEND;VALUE=DATE:${parisToday(2).compact}\r\nSUMMARY:Conference ${RUN}\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n`;
    await put(`conf-${RUN}`, allDay);
    for (let i = 0; i < 8; i++) await put(`busy-${RUN}-${i}`, vevent(`busy-${RUN}-${i}`, `Busy ${i + 1}`, `${d}T0${i + 1}0000Z`, `${d}T0${i + 1}3000Z`));
    page = await openPage(browser);
    await page.context().grantPermissions(['clipboard-read', 'clipboard-write'], { origin: WEB });
    await signIn(page);
    await inEnglish(page);
    await page.locator('#view-select').selectOption('week');
  });
  after(async () => {
    // The refusals this file provokes on purpose (an invalid object, a bad feed address).
    page.problems = page.problems.filter((p) => !/status of (400|403)/.test(p));
    assertNoProblems(page);
    await page.context().close();
  });

  test('search finds an event by a word of its place, any case; choosing it opens it', async () => {
    const input = page.getByRole('searchbox', { name: 'Search events' });
    await input.fill('BLEUET');
    await input.press('Enter');
    const results = page.getByRole('region', { name: 'Search results' });
    await results.getByText('1 event found.').waitFor();
    const hit = results.getByRole('button', { name: new RegExp(`Quarterly planning ${RUN}`) });
    assert.match(await hit.textContent(), /Salle Bleuet, 2e étage/);
    await assertAccessible(page, 'search results');
    await shot(page, 'search-results-desktop');
    // Keyboard: Down into the list, Enter opens the event in the editor.
    await input.press('ArrowDown');
    assert.equal(await page.evaluate(() => document.activeElement?.className), 'search-hit');
    await page.keyboard.press('Enter');
    const editor = page.locator('dialog.editor');
    await editor.waitFor();
    assert.equal(await editor.locator('input[id^=ed-title]').inputValue(), `Quarterly planning ${RUN}`);
    await page.keyboard.press('Escape');
    await editor.waitFor({ state: 'detached' });
    await input.fill(`nothing-like-this-${RUN}`);
    await input.press('Enter');
    await results.getByText(`Nothing found for “nothing-like-this-${RUN}”`).waitFor();
    await input.press('Escape');
    assert.equal(await results.isVisible(), false);
  });

  test('month view: a day of 8 events shows "+N more", which lists all 8 and the all-day event over it', async () => {
    await page.locator('#view-select').selectOption('month');
    const more = page.locator('.ev-more').filter({ hasText: /\+\d+ more/ }).first();
    await more.waitFor({ timeout: 5000 }).catch(async (e) => {
      await shot(page, 'month-more-failed');
      throw e;
    });
    const shown = await page.locator('.ec-event:not(.ev-more)').filter({ hasText: /Busy \d/ }).count();
    const hidden = Number((await more.textContent()).match(/\d+/)[0]);
    assert.ok(shown >= 1 && shown < 8, `shown ${shown}`);
    assert.ok(hidden >= 8 - shown, `hidden ${hidden}`);
    await shot(page, 'month-more-desktop');
    // Keyboard reachable: focus and Enter open the day's list.
    await more.focus();
    await page.keyboard.press('Enter');
    const dialog = page.locator('dialog.modal');
    await dialog.waitFor();
    for (let i = 1; i <= 8; i++) await dialog.getByRole('button', { name: new RegExp(`Busy ${i}\\b`) }).waitFor();
    assert.equal(await dialog.getByRole('button', { name: /^.*Busy \d/ }).count(), 8);
    await dialog.getByRole('button', { name: new RegExp(`All day.*Conference ${RUN}`) }).waitFor();
    // Drawn across its days when it fits, else counted in each of them.
    const conf = page.locator('.ec-event:not(.ev-more)', { hasText: `Conference ${RUN}` });
    if (await conf.count()) {
      const width = (await conf.first().boundingBox()).width;
      const cell = (await page.locator('.ec-day').nth(10).boundingBox()).width;
      assert.ok(width > 1.5 * cell, `spans days: ${width} vs ${cell}`);
    }
    await assertAccessible(page, 'day list of the month view');
    await dialog.getByRole('button', { name: /Busy 3\b/ }).click();
    await page.locator('dialog.editor input[id^=ed-title]').waitFor();
    assert.equal(await page.locator('dialog.editor input[id^=ed-title]').inputValue(), 'Busy 3');
    await page.keyboard.press('Escape');
  });

  test('month view at 360 px: "+N more" fits and opens the day', async () => {
    const phone = await openPage(browser, { viewport: PHONE });
    await signIn(phone);
    await phone.locator('#view-select').selectOption('month');
    const more = phone.locator('.ev-more').first();
    await more.waitFor();
    await shot(phone, 'month-more-phone');
    await more.click();
    await phone.locator('dialog.modal').getByRole('button', { name: /Busy 8\b/ }).waitFor();
    await phone.keyboard.press('Escape');
    // The search sits behind an icon on a phone.
    await phone.getByRole('button', { name: 'Search events' }).click();
    await phone.getByRole('searchbox', { name: 'Search events' }).fill('bleuet');
    await phone.getByRole('searchbox', { name: 'Search events' }).press('Enter');
    await phone.getByRole('region', { name: 'Search results' }).getByText('1 event found.').waitFor();
    await shot(phone, 'search-phone');
    assertNoProblems(phone);
    await phone.context().close();
    await page.locator('#view-select').selectOption('week');
  });

  test('import an .ics: one object per UID with its time zone, override kept, nobody invited, refusal in words', async () => {
    const d = today.compact;
    const file = [
      'BEGIN:VCALENDAR', 'VERSION:2.0', 'PRODID:-//Other//Export//EN', 'METHOD:PUBLISH',
      'BEGIN:VTIMEZONE', 'TZID:America/New_York',
      'BEGIN:STANDARD', 'DTSTART:19701101T020000', 'RRULE:FREQ=YEARLY;BYMONTH=11;BYDAY=1SU', 'TZOFFSETFROM:-0400', 'TZOFFSETTO:-0500', 'TZNAME:EST', 'END:STANDARD',
      'BEGIN:DAYLIGHT', 'DTSTART:19700308T020000', 'RRULE:FREQ=YEARLY;BYMONTH=3;BYDAY=2SU', 'TZOFFSETFROM:-0500', 'TZOFFSETTO:-0400', 'TZNAME:EDT', 'END:DAYLIGHT',
      'END:VTIMEZONE',
      'BEGIN:VTIMEZONE', 'TZID:Unused/Zone', 'BEGIN:STANDARD', 'DTSTART:19700101T000000', 'TZOFFSETFROM:+0100', 'TZOFFSETTO:+0100', 'END:STANDARD', 'END:VTIMEZONE',
      'BEGIN:VEVENT', `UID:imp-ny-${RUN}`, `DTSTAMP:${stamp}`, `DTSTART;TZID=America/New_York:${d}T090000`, `DTEND;TZID=America/New_York:${d}T100000`, `SUMMARY:New York call ${RUN}`,
      `ORGANIZER:mailto:${USER.login}@example.org`, `ATTENDEE;PARTSTAT=NEEDS-ACTION;RSVP=TRUE:mailto:${OTHER.login}@example.org`, 'END:VEVENT',
      'BEGIN:VEVENT', `UID:imp-weekly-${RUN}`, `DTSTAMP:${stamp}`, `DTSTART:${d}T070000Z`, `DTEND:${d}T073000Z`, 'RRULE:FREQ=WEEKLY;COUNT=6', `SUMMARY:Weekly ${RUN}`, 'END:VEVENT',
      'BEGIN:VEVENT', `UID:imp-plain-${RUN}`, `DTSTAMP:${stamp}`, `DTSTART;VALUE=DATE:${d}`, `SUMMARY:Plain ${RUN}`, 'END:VEVENT',
      'BEGIN:VEVENT', `UID:imp-bad-${RUN}`, `DTSTAMP:${stamp}`, `DTSTART:${d}T120000Z`, `DTEND:${d}T130000Z`, `DURATION:PT1H`, `SUMMARY:Broken ${RUN}`, 'END:VEVENT',
      // The override of the weekly series comes after other objects in the file.
      'BEGIN:VEVENT', `UID:imp-weekly-${RUN}`, `DTSTAMP:${stamp}`, `RECURRENCE-ID:${parisToday(7).compact}T070000Z`, `DTSTART:${parisToday(7).compact}T080000Z`, `DTEND:${parisToday(7).compact}T083000Z`, `SUMMARY:Weekly moved ${RUN}`, 'END:VEVENT',
      'END:VCALENDAR', '',
    ].join('\r\n');
    await page.getByRole('button', { name: 'Options of the calendar “Calendar”' }).click();
    await page.locator('dialog.modal').getByRole('button', { name: 'Import a file (.ics)…' }).click();
    const dialog = page.locator('dialog.modal', { has: page.getByRole('heading', { name: 'Import into “Calendar”' }) });
    await dialog.waitFor();
    await dialog.getByLabel('File (.ics)').setInputFiles({ name: 'export.ics', mimeType: 'text/calendar', buffer: Buffer.from(file) });
    await assertAccessible(page, 'import dialog');
    await dialog.getByRole('button', { name: 'Import', exact: true }).click();
    await dialog.getByText('3 imported, 1 refused.').waitFor();
    const refusal = await dialog.locator('.import-refusals li').textContent();
    assert.match(refusal, new RegExp(`^“Broken ${RUN}” refused: .*\\(HTTP 4\\d\\d\\)\\.$`));
    assert.doesNotMatch(refusal, /valid-calendar-data\b.*\(HTTP/, 'the reason in words, not only the precondition');
    await shot(page, 'import-summary-desktop');

    const stored = (await objects(CAL)).filter((o) => o.ics.includes(`-${RUN}`) && /UID:imp-/.test(o.ics));
    const byUid = (uid) => stored.filter((o) => o.ics.includes(`UID:${uid}\r\n`));
    for (const uid of [`imp-ny-${RUN}`, `imp-weekly-${RUN}`, `imp-plain-${RUN}`]) assert.equal(byUid(uid).length, 1, `one object for ${uid}`);
    assert.equal(byUid(`imp-bad-${RUN}`).length, 0);
    const ny = byUid(`imp-ny-${RUN}`)[0].ics;
    assert.match(ny, /BEGIN:VTIMEZONE\r\nTZID:America\/New_York/);
    assert.doesNotMatch(ny, /Unused\/Zone/, 'only the zones the object uses');
    assert.doesNotMatch(ny, /METHOD:/);
    assert.match(ny, /ORGANIZER;SCHEDULE-AGENT=CLIENT:mailto:/i);
    const weekly = byUid(`imp-weekly-${RUN}`)[0].ics;
    assert.match(weekly, /RRULE:FREQ=WEEKLY;COUNT=6/);
    assert.match(weekly, new RegExp(`RECURRENCE-ID:${parisToday(7).compact}T070000Z\\r\\n`));
    assert.match(weekly, new RegExp(`SUMMARY:Weekly moved ${RUN}`));
    // Nobody invited: Bob has no copy and no message in his inbox.
    const bobs = await objects(`/calendars/${OTHER.login}/calendar/`, OTHER);
    assert.equal(bobs.filter((o) => o.ics.includes(`imp-ny-${RUN}`)).length, 0, 'no copy delivered to the attendee');

    // Again: everything already there, nothing changed.
    await dialog.getByRole('button', { name: 'Import', exact: true }).click();
    await dialog.getByText('0 imported, 3 already present, 1 refused.').waitFor();
    await dialog.getByRole('button', { name: 'Close' }).click();
    await page.locator('.toast').getByText('0 imported, 3 already present, 1 refused.').waitFor(); // after the redraw
  });

  test('subscribe to a feed: a refusal in words; a feed becomes a read-only calendar with its events', async () => {
    const open = async () => {
      await page.getByRole('button', { name: 'New calendar' }).click();
      const dialog = page.locator('dialog.modal', { has: page.getByRole('heading', { name: 'New calendar' }) });
      await dialog.getByLabel('Subscribe to a calendar on the web').check();
      return dialog;
    };
    const dialog = await open();
    const url = dialog.getByLabel('Address of the calendar (webcal:// or https://)');
    assert.equal(await page.evaluate(() => document.activeElement?.type), 'url');
    await url.fill('calendar at the office');
    await url.press('Enter');
    await dialog.getByText('Enter an address starting with webcal://').waitFor();
    // What the server refuses, it says in words (here: the cloud metadata address).
    await url.fill('http://169.254.169.254/latest/x.ics');
    await url.press('Enter');
    const alert = dialog.getByRole('alert');
    await eventually(async () => /The server refused: .+\(HTTP 403\)/.test(await alert.textContent()), 8000, 'refusal').catch(async (e) => {
      throw new Error(`${e.message}: ${await alert.textContent()}`);
    });
    assert.match(await alert.textContent(), /169\.254\.169\.254 is link-local/);
    await assertAccessible(page, 'subscribe dialog');
    await shot(page, 'subscribe-refused-desktop');

    const name = `Feed ${RUN}`;
    await dialog.getByLabel('Name').fill(name);
    await url.fill(feedUrl);
    await url.press('Enter');
    await page.getByText(`Subscribed to “${name}”.`).waitFor();
    const res = await davRequest('PROPFIND', HOME, {
      headers: { Depth: '1', 'Content-Type': 'application/xml' },
      body: '<?xml version="1.0"?><d:propfind xmlns:d="DAV:" xmlns:cs="http://calendarserver.org/ns/"><d:prop><d:displayname/><cs:source/></d:prop></d:propfind>',
    });
    const mine = res.text.split(/<D:response>/i).find((r) => r.includes(name));
    assert.ok(mine && mine.includes(feedUrl), res.text);
    const cal = mine.match(/<D:href>([^<]+)<\/D:href>/i)[1];
    await page.getByRole('checkbox', { name: new RegExp(`${name}.*subscription`) }).waitFor();
    // The feed's event appears (the server fetches it at once; the page refreshes live).
    await eventually(async () => (await objects(cal)).length === 1, 10000, 'the feed fetched');
    await page.reload();
    const ev = page.locator('.ec-event', { hasText: `Feed match ${RUN}` });
    await ev.first().waitFor();
    await ev.first().click();
    const editor = page.locator('dialog.editor');
    await editor.waitFor();
    assert.equal(await editor.getByRole('button', { name: 'Save' }).count(), 0, 'read-only');
    await page.keyboard.press('Escape');
    const write = await davRequest('PUT', `${cal}x.ics`, { body: vevent('x', 'x', `${today.compact}T100000Z`, `${today.compact}T110000Z`), headers: { 'Content-Type': 'text/calendar' } });
    assert.equal(write.status, 403);

    // A feed that fails: the calendar says it is not updated, and its options say why
    // (the server's feed-status).
    const broken = `Broken feed ${RUN}`;
    const again = await open();
    await again.getByLabel('Name').fill(broken);
    await again.getByLabel('Address of the calendar (webcal:// or https://)').fill(feedUrl.replace('/feed-', '/broken-'));
    await again.getByLabel('Address of the calendar (webcal:// or https://)').press('Enter');
    await page.getByText(`Subscribed to “${broken}”.`).waitFor();
    const note = page.getByRole('checkbox', { name: new RegExp(`${broken}.*subscription, not updated`) });
    await eventually(async () => {
      if (await note.count()) return true;
      await page.reload();
      await page.locator('.cal-list li').first().waitFor({ state: 'attached' });
      return (await note.count()) > 0;
    }, 15000, 'the failed fetch shown');
    await page.getByRole('button', { name: `Options of the calendar “${broken}”` }).click();
    const options = page.locator('dialog.modal');
    assert.match(await options.locator('.feed-error').textContent(), /^The last update of this subscription failed: .*500/);
    await assertAccessible(page, 'options of a failing subscription');
    await page.keyboard.press('Escape');
  });

  test('publish link: copied, then removed with unpublish-calendar', async () => {
    await page.getByRole('button', { name: 'Options of the calendar “Calendar”' }).click();
    const dialog = page.locator('dialog.modal');
    const create = dialog.getByRole('button', { name: 'Create a publish link' });
    const link = dialog.getByLabel(/Publish link/);
    await Promise.race([create.waitFor(), link.waitFor()]);
    if (await create.isVisible()) await create.click();
    await link.waitFor();
    const url = await link.inputValue();
    await dialog.getByRole('button', { name: 'Copy link' }).click();
    await page.getByText('Link copied.').waitFor();
    assert.equal(await page.evaluate(() => navigator.clipboard.readText()), url);
    assert.equal((await fetch(DAV + new URL(url).pathname)).status, 200);
    await dialog.getByRole('button', { name: 'Remove the publish link' }).click();
    await page.getByText('Publish link removed').waitFor();
    await create.waitFor();
    assert.equal(await link.isVisible(), false);
    assert.equal((await fetch(DAV + new URL(url).pathname)).status, 404);
    const prop = await davRequest('PROPFIND', CAL, {
      headers: { Depth: '0', 'Content-Type': 'application/xml' },
      body: '<?xml version="1.0"?><d:propfind xmlns:d="DAV:" xmlns:cs="http://calendarserver.org/ns/"><d:prop><cs:publish-url/></d:prop></d:propfind>',
    });
    assert.doesNotMatch(prop.text, /\/publish\//);
    await page.keyboard.press('Escape');
  });
});
