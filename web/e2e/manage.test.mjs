// Calendar management in the sidebar (create, rename and recolour, delete with a
// confirmation naming the calendar, refusals in words), export as one .ics, the publish
// link, and the settings section (language, time zone, first day, 12/24 h). Each action
// is checked on the CalDAV side with Basic auth.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { DAV, USER, WEB, assertAccessible, assertNoProblems, davRequest, launch, openPage, shot, signIn } from './lib.mjs';
import { parisToday } from './helpers-ui.mjs';

const HOME = `/calendars/${USER.login}/`;
let browser;
before(async () => {
  browser = await launch();
});
after(async () => {
  await browser?.close();
});

/** The calendars of the home as {href, name, color}, read with PROPFIND. */
async function calendars() {
  const res = await davRequest('PROPFIND', HOME, {
    headers: { Depth: '1', 'Content-Type': 'application/xml' },
    body: '<?xml version="1.0"?><d:propfind xmlns:d="DAV:" xmlns:a="http://apple.com/ns/ical/"><d:prop><d:displayname/><a:calendar-color/><d:resourcetype/></d:prop></d:propfind>',
  });
  assert.equal(res.status, 207, res.text);
  const out = [];
  for (const [, r] of res.text.matchAll(/<D:response>([\s\S]*?)<\/D:response>/gi)) {
    if (!/calendar\s*\/>/i.test(r)) continue;
    const href = r.match(/<D:href>([^<]+)<\/D:href>/i)[1];
    const name = r.match(/<(?:\w+:)?displayname[^>]*>([^<]*)</i)?.[1];
    const color = r.match(/calendar-color[^>]*>([^<]*)</i)?.[1];
    out.push({ href, name: name?.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&'), color });
  }
  return out;
}

/** Other tests leave the user's language in the preferences: start from English. */
async function inEnglish(page) {
  if ((await page.locator('html').getAttribute('lang')) === 'en') return;
  await page.locator('#lang-narrow').selectOption('en');
  await page.locator('html[lang=en]').waitFor({ state: 'attached' });
}

const byName = async (name) => (await calendars()).find((c) => c.name === name);

describe('calendar management', () => {
  let page;
  let href;
  before(async () => {
    page = await openPage(browser);
    await page.context().grantPermissions(['clipboard-read', 'clipboard-write'], { origin: WEB });
    await signIn(page);
    await inEnglish(page);
  });
  after(async () => {
    assertNoProblems(page);
    await page.context().close();
  });

  test('create a calendar by keyboard: MKCALENDAR with its name and colour', async () => {
    await page.getByRole('button', { name: 'New calendar' }).focus();
    await page.keyboard.press('Enter');
    const dialog = page.locator('dialog.modal');
    await dialog.getByRole('heading', { name: 'New calendar' }).waitFor();
    assert.equal(await page.evaluate(() => document.activeElement?.id), await dialog.getByLabel('Name').getAttribute('id'));
    await page.keyboard.press('Enter'); // empty name: said in words, nothing sent
    await dialog.getByText('Enter a name for the calendar.').waitFor();
    await page.keyboard.type('Projects <b>2027</b>');
    await dialog.getByLabel('Colour').fill('#1e7b34');
    await assertAccessible(page, 'new calendar dialog');
    await shot(page, 'calendar-new-desktop');
    await dialog.getByLabel('Name').press('Enter');
    await page.getByText('Calendar “Projects <b>2027</b>” created.').waitFor();
    const cal = await byName('Projects <b>2027</b>');
    assert.ok(cal, 'stored');
    assert.equal(cal.color, '#1E7B34FF');
    href = cal.href;
    await page.getByRole('checkbox', { name: /Projects <b>2027<\/b>/ }).waitFor();
    assert.equal(await page.locator('.cal-list b').count(), 0, 'the name is text, not markup');
  });

  test('rename and recolour: PROPPATCH', async () => {
    await page.getByRole('button', { name: 'Options of the calendar “Projects <b>2027</b>”' }).click();
    const dialog = page.locator('dialog.modal');
    await dialog.getByLabel('Name').fill('Projects 2027');
    await dialog.getByLabel('Colour').fill('#7b2d96');
    await assertAccessible(page, 'calendar options dialog');
    await shot(page, 'calendar-options-desktop');
    await dialog.getByRole('button', { name: 'Save' }).click();
    await page.getByText('Calendar “Projects 2027” saved.').waitFor();
    const cal = (await calendars()).find((c) => c.href === href);
    assert.equal(cal.name, 'Projects 2027');
    assert.equal(cal.color, '#7B2D96FF');
    const swatch = page.locator('.cal-list li', { hasText: 'Projects 2027' }).locator('.swatch');
    assert.equal(await swatch.evaluate((e) => getComputedStyle(e).backgroundColor), 'rgb(123, 45, 150)');
  });

  test('a refusal from the server is said in words', async () => {
    await page.route(`**${href}`, (route) =>
      route.request().method() === 'PROPPATCH'
        ? route.fulfill({ status: 403, contentType: 'application/xml', body: '<?xml version="1.0"?><D:error xmlns:D="DAV:"><D:need-privileges/></D:error>' })
        : route.continue(),
    );
    await page.getByRole('button', { name: 'Options of the calendar “Projects 2027”' }).click();
    const dialog = page.locator('dialog.modal');
    await dialog.getByLabel('Name').fill('Refused');
    await dialog.getByRole('button', { name: 'Save' }).click();
    await dialog.getByRole('alert').getByText('The server refused: need-privileges (HTTP 403).').waitFor();
    await page.unroute(`**${href}`);
    await page.keyboard.press('Escape');
    await dialog.waitFor({ state: 'detached' });
    assert.equal((await calendars()).find((c) => c.href === href).name, 'Projects 2027');
    page.problems = page.problems.filter((p) => !/status of 403/.test(p));
  });

  test('export: one VCALENDAR with every object and each VTIMEZONE once', async () => {
    const day = parisToday().compact;
    const tz = ['BEGIN:VTIMEZONE', 'TZID:Europe/Paris', 'BEGIN:STANDARD', 'DTSTART:19701025T030000', 'RRULE:FREQ=YEARLY;BYMONTH=10;BYDAY=-1SU',
      'TZOFFSETFROM:+0200', 'TZOFFSETTO:+0100', 'END:STANDARD', 'BEGIN:DAYLIGHT', 'DTSTART:19700329T020000', 'RRULE:FREQ=YEARLY;BYMONTH=3;BYDAY=-1SU',
      'TZOFFSETFROM:+0100', 'TZOFFSETTO:+0200', 'END:DAYLIGHT', 'END:VTIMEZONE'];
    for (const [uid, hour, title] of [['exp-1', '09', 'Kick-off'], ['exp-2', '15', 'Review']]) {
      const ics = ['BEGIN:VCALENDAR', 'VERSION:2.0', 'PRODID:-//e2e//EN', ...tz, 'BEGIN:VEVENT', `UID:${uid}`, 'DTSTAMP:20260101T000000Z',
        `DTSTART;TZID=Europe/Paris:${day}T${hour}0000`, `DTEND;TZID=Europe/Paris:${day}T${hour}3000`, `SUMMARY:${title}`, 'END:VEVENT', 'END:VCALENDAR', ''].join('\r\n');
      const put = await davRequest('PUT', `${href}${uid}.ics`, { body: ics, headers: { 'Content-Type': 'text/calendar' } });
      assert.equal(put.status, 201, put.text);
    }
    await page.getByRole('button', { name: 'Options of the calendar “Projects 2027”' }).click();
    const dialog = page.locator('dialog.modal');
    const [download] = await Promise.all([page.waitForEvent('download'), dialog.getByRole('button', { name: 'Export (.ics)' }).click()]);
    assert.equal(download.suggestedFilename(), 'Projects 2027.ics');
    const text = await readFile(await download.path(), 'utf8');
    assert.equal(text.match(/BEGIN:VCALENDAR/g).length, 1);
    assert.equal(text.match(/BEGIN:VEVENT/g).length, 2);
    assert.equal(text.match(/BEGIN:VTIMEZONE/g).length, 1);
    assert.match(text, /SUMMARY:Kick-off/);
    assert.match(text, /SUMMARY:Review/);
    assert.match(text, /^VERSION:2\.0\r$/m);
    await dialog.getByRole('button', { name: 'Close' }).click();
  });

  test('publish link: created with publish-calendar, copied, readable without an account', async () => {
    await page.getByRole('button', { name: 'Options of the calendar “Projects 2027”' }).click();
    const dialog = page.locator('dialog.modal');
    await dialog.getByRole('button', { name: 'Create a publish link' }).click();
    const link = dialog.getByLabel(/Publish link/);
    await link.waitFor();
    const url = await link.inputValue();
    assert.match(url, /\/publish\/[^/]+\.ics$/);
    const prop = await davRequest('PROPFIND', href, {
      headers: { Depth: '0', 'Content-Type': 'application/xml' },
      body: '<?xml version="1.0"?><d:propfind xmlns:d="DAV:" xmlns:cs="http://calendarserver.org/ns/"><d:prop><cs:publish-url/></d:prop></d:propfind>',
    });
    assert.ok(prop.text.includes(new URL(url).pathname), prop.text);
    await dialog.getByRole('button', { name: 'Copy link' }).click();
    await page.getByText('Link copied.').waitFor();
    assert.equal(await page.evaluate(() => navigator.clipboard.readText()), url);
    const feed = await fetch(DAV + new URL(url).pathname);
    assert.equal(feed.status, 200);
    assert.match(await feed.text(), /SUMMARY:Kick-off/);
    await shot(page, 'calendar-publish-desktop');
    await dialog.getByRole('button', { name: 'Close' }).click();
    // Opened again, the existing link is shown (publish-url), not a button to create one.
    await page.getByRole('button', { name: 'Options of the calendar “Projects 2027”' }).click();
    await dialog.getByLabel(/Publish link/).waitFor();
    assert.equal(await dialog.getByLabel(/Publish link/).inputValue(), url);
    assert.equal(await dialog.getByRole('button', { name: 'Create a publish link' }).isVisible(), false);
    await page.keyboard.press('Escape');
  });

  test('delete asks first, naming the calendar; cancel keeps it, confirm deletes it', async () => {
    const open = async () => {
      await page.getByRole('button', { name: 'Options of the calendar “Projects 2027”' }).click();
      await page.locator('dialog.modal').getByRole('button', { name: 'Delete calendar' }).click();
      return page.locator('dialog.modal', { has: page.getByRole('heading', { name: 'Delete the calendar “Projects 2027”?' }) });
    };
    let confirm = await open();
    await confirm.getByText('The calendar “Projects 2027” and all its events will be deleted').waitFor();
    assert.equal(await page.evaluate(() => document.activeElement?.textContent), 'Cancel', 'the safe choice has the focus');
    await assertAccessible(page, 'delete confirmation');
    await shot(page, 'calendar-delete-desktop');
    await page.keyboard.press('Enter');
    await confirm.waitFor({ state: 'detached' });
    await page.keyboard.press('Escape');
    assert.ok(await byName('Projects 2027'), 'still there after cancel');
    confirm = await open();
    await confirm.getByRole('button', { name: 'Delete “Projects 2027”' }).click();
    await page.getByText('Calendar “Projects 2027” deleted.').waitFor();
    assert.equal((await davRequest('PROPFIND', href, { headers: { Depth: '0' } })).status, 404);
    assert.equal(await page.getByRole('checkbox', { name: /Projects 2027/ }).count(), 0);
  });

  test('a subscription is not the user’s: export only, no rename, delete or publishing', async () => {
    const feed = `Holidays ${Date.now()}`;
    const mk = await davRequest('MKCOL', `${HOME}feed-${Date.now()}/`, {
      headers: { 'Content-Type': 'application/xml' },
      body: `<?xml version="1.0"?><d:mkcol xmlns:d="DAV:" xmlns:cs="http://calendarserver.org/ns/"><d:set><d:prop><d:resourcetype><d:collection/><cs:subscribed/></d:resourcetype><d:displayname>${feed}</d:displayname><cs:source><d:href>https://feeds.example.org/holidays.ics</d:href></cs:source></d:prop></d:set></d:mkcol>`,
    });
    assert.equal(mk.status, 201, mk.text);
    await page.reload();
    await page.locator('.cal-list li').first().waitFor();
    await page.getByRole('button', { name: `Options of the calendar “${feed}”` }).click();
    const dialog = page.locator('dialog.modal');
    await dialog.getByText('This calendar is not yours').waitFor();
    await dialog.getByRole('button', { name: 'Export (.ics)' }).waitFor();
    assert.equal(await dialog.getByLabel('Name').count(), 0);
    assert.equal(await dialog.getByRole('button', { name: 'Delete calendar' }).count(), 0);
    await page.waitForTimeout(300); // the publish-url answer
    assert.equal(await dialog.getByRole('button', { name: 'Create a publish link' }).isVisible(), false);
    await assertAccessible(page, 'options of a subscription');
    await page.keyboard.press('Escape');
    await dialog.waitFor({ state: 'detached' });
  });
});

describe('settings', () => {
  test('language, time zone, first day and clock: stored and applied at once', async () => {
    const page = await openPage(browser);
    await signIn(page);
    await inEnglish(page);
    await page.getByLabel('View').selectOption('week');
    // Settings is a section of its own, reached from the rail (#/settings/general).
    await page.getByRole('navigation', { name: 'Sections' }).getByRole('link', { name: 'Settings' }).click();
    const form = page.locator('main form.settings-form');
    await form.waitFor();
    assert.match(page.url(), /#\/settings$/);
    await assertAccessible(page, 'settings page');
    await shot(page, 'settings-desktop');
    await form.getByLabel('Language').selectOption('fr');
    await form.getByLabel('Time zone').selectOption('America/New_York');
    await form.getByLabel('First day of the week').selectOption('0');
    await form.getByLabel('Clock').selectOption('12');
    await form.getByRole('button', { name: 'Save' }).click();
    await page.getByText('Paramètres enregistrés.').waitFor();
    assert.equal(await page.locator('html').getAttribute('lang'), 'fr');
    // The page is drawn again in French, still on the settings.
    assert.equal(await form.getByLabel('Fuseau horaire').inputValue(), 'America/New_York');
    await assertAccessible(page, 'paramètres');
    await shot(page, 'settings-fr-desktop');
    await page.getByRole('navigation', { name: 'Rubriques' }).getByRole('link', { name: 'Agenda' }).click();
    assert.match(await page.locator('.ec-col-head').first().textContent(), /^dim/i);
    assert.ok(await page.locator('.ec-body .ec-sidebar time', { hasText: /PM/i }).count(), '12 h labels');
    const prefs = await page.evaluate(async () => {
      const s = await (await fetch('/api/session')).json();
      return (await fetch('/api/preferences', { headers: { 'X-Agora-CSRF': s.csrf } })).json();
    });
    assert.equal(prefs.locale, 'fr');
    assert.equal(prefs.timeZone, 'America/New_York');
    assert.equal(prefs.firstDay, 0);
    assert.equal(prefs.hour12, true);
    // Back to automatic, so the other tests see the defaults; a reload keeps the section.
    await page.goto(page.url().replace(/#.*$/, '') + '#/settings/general');
    await form.waitFor();
    await form.getByLabel('Langue').selectOption('en');
    await form.getByLabel('Fuseau horaire').selectOption('');
    await form.getByLabel('Premier jour de la semaine').selectOption('');
    await form.getByLabel('Horloge').selectOption('');
    await form.getByRole('button', { name: 'Enregistrer' }).click();
    await page.getByText('Settings saved.').waitFor();
    await page.goBack();
    await page.locator('.ec-col-head').first().waitFor();
    // en-US again: Sunday first, 12 h, from the locale.
    assert.match(await page.locator('.ec-col-head').first().textContent(), /^Sun/i);
    assert.equal(await page.locator('html').getAttribute('lang'), 'en');
    assertNoProblems(page);
    await page.context().close();
  });
});
