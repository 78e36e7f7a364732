// End-to-end flows of repeating events, reminders, categories and colour in Debian's
// chromium: a weekly event on two weekdays with a count made in the editor; one
// occurrence dragged ("this event": an override with RECURRENCE-ID in the TZID form);
// one deleted (EXDATE); "this and following" (the series split in two linked objects);
// a reminder, categories and a colour for all events; a reminder firing in the page.
// Every write is checked in the stored iCalendar over CalDAV; axe-core on the editor
// with its repetition open and on the scope dialog; screenshots at 1280 and 360 px.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { PHONE, USER, assertAccessible, assertNoProblems, davRequest, findBySummary, launch, objects, openPage, prop, shot, signIn, eventually, setPreferences } from './lib.mjs';
import { drag, fillEditor, hourHeight, parisToday } from './helpers-ui.mjs';

const CAL = `/calendars/${USER.login}/calendar/`;
let browser;
before(async () => {
  browser = await launch();
});
after(async () => {
  await browser?.close();
});

/** Monday of the week after today's (Paris), plus `days`, as {ymd, compact}. */
function nextWeekDay(days) {
  const today = parisToday();
  const [y, m, d] = today.ymd.split('-').map(Number);
  const dow = (new Date(Date.UTC(y, m - 1, d)).getUTCDay() + 6) % 7; // 0 = Monday
  const t = new Date(Date.UTC(y, m - 1, d + 7 - dow + days));
  const ymd = `${t.getUTCFullYear()}-${String(t.getUTCMonth() + 1).padStart(2, '0')}-${String(t.getUTCDate()).padStart(2, '0')}`;
  return { ymd, compact: ymd.replace(/-/g, '') };
}

/** The UTC form of a Paris wall-clock "YYYYMMDDTHHMMSS". */
function parisToUtc(compact, hms) {
  const [y, mo, d, h, mi, s] = [compact.slice(0, 4), compact.slice(4, 6), compact.slice(6, 8), hms.slice(0, 2), hms.slice(2, 4), hms.slice(4, 6)].map(Number);
  const guess = Date.UTC(y, mo - 1, d, h, mi, s);
  const parts = Object.fromEntries(new Intl.DateTimeFormat('en-US', { timeZone: 'Europe/Paris', hourCycle: 'h23', year: 'numeric', month: 'numeric', day: 'numeric', hour: 'numeric', minute: 'numeric', second: 'numeric' })
    .formatToParts(new Date(guess)).filter((p) => p.type !== 'literal').map((p) => [p.type, Number(p.value)]));
  const offset = Date.UTC(parts.year, parts.month - 1, parts.day, parts.hour, parts.minute, parts.second) - guess;
  return new Date(guess - offset).toISOString().replace(/[-:]/g, '').replace(/\.\d+/, '');
}

/** English, weeks from Monday, the browser's zone (the French flows store French). */
const knownPreferences = (page) => setPreferences(page, { locale: 'en', firstDay: 1 }, { drop: ['timeZone', 'hour12'] });

const ruleParts = (ics) => {
  const r = prop(ics, 'RRULE');
  return r ? r.slice(1).split(';').sort() : null;
};
const vevents = (ics) => ics.split(/BEGIN:VEVENT\r?\n/).slice(1).map((s) => s.split(/END:VEVENT/)[0]);
const line = (block, name) => (block.match(new RegExp(`^${name}([;:][^\\r\\n]*)`, 'm')) ?? [])[1] ?? null;

describe('repeating events', () => {
  let page;
  const mon = nextWeekDay(0);
  const thu = nextWeekDay(3);
  const mon2 = nextWeekDay(7);
  const thu2 = nextWeekDay(10);
  before(async () => {
    page = await openPage(browser);
    await signIn(page);
    await knownPreferences(page);
    await page.getByLabel('View').selectOption('week');
    page.on('dialog', (d) => d.accept());
  });
  after(async () => {
    assertNoProblems(page);
    await page.context().close();
  });

  const series = async () => eventually(async () => {
    const found = await findBySummary(CAL, 'Weekly sync');
    return found.length === 1 ? found[0] : null;
  }, 8000, 'one stored "Weekly sync"');

  /** The occurrences of "title" shown, left to right. */
  const shown = async (title) => {
    const evs = page.locator('.ec-event', { hasText: title });
    await evs.first().waitFor({ timeout: 8000 });
    const boxes = [];
    for (let i = 0; i < (await evs.count()); i++) boxes.push({ el: evs.nth(i), box: await evs.nth(i).boundingBox() });
    return boxes.sort((a, b) => a.box.x - b.box.x);
  };

  const chooseScope = async (label, button, check) => {
    const dialog = page.locator('dialog.scope-dialog');
    await dialog.waitFor();
    if (check) await check();
    await dialog.getByRole('radio', { name: label, exact: true }).check();
    await dialog.getByRole('button', { name: button }).click();
    await dialog.waitFor({ state: 'detached' });
  };

  test('a weekly event on Monday and Thursday, 6 times, made in the editor', async () => {
    await page.getByRole('button', { name: 'New event' }).click();
    const dialog = await fillEditor(page, { title: 'Weekly sync', date: mon.ymd, start: '10:00', end: '11:00' });
    await dialog.locator('details.repeat > summary').click();
    await dialog.locator('select[id^=rp-freq]').selectOption('WEEKLY');
    assert.equal(await dialog.locator('input[id^=rp-dMO]').isChecked(), true, 'the start weekday is ticked');
    await dialog.locator('input[id^=rp-dTH]').check();
    await dialog.locator('select[id^=rp-end]').selectOption('count');
    await dialog.locator('input[id^=rp-count]').fill('6');
    await dialog.locator('.repeat-summary', { hasText: 'Every week on Monday and Thursday, 6 times' }).waitFor();
    assert.equal(await dialog.locator('.repeat > summary .repeat-text').textContent(), 'Every week on Monday and Thursday, 6 times');
    await assertAccessible(page, 'editor with the repetition open');
    await shot(page, 'editor-recurrence-desktop');
    await dialog.getByRole('button', { name: 'Save' }).click();
    await dialog.waitFor({ state: 'detached' });
    const stored = await series();
    assert.deepEqual(ruleParts(stored.ics), ['BYDAY=MO,TH', 'COUNT=6', 'FREQ=WEEKLY']);
    assert.equal(prop(stored.ics, 'DTSTART'), `;TZID=Europe/Paris:${mon.compact}T100000`);
  });

  test('drag one occurrence, "this event": an override with RECURRENCE-ID', async () => {
    await page.getByRole('button', { name: 'Next', exact: true }).click();
    const [, thursday] = await shown('Weekly sync');
    const box = thursday.box;
    const start = { x: box.x + box.width / 2, y: box.y + 8 };
    await drag(page, start, { x: start.x, y: start.y + (await hourHeight(page)) });
    await chooseScope('This event', 'Move', async () => {
      await assertAccessible(page, 'scope dialog');
      await shot(page, 'scope-desktop');
    });
    await page.getByText('Event moved.').waitFor();
    const stored = await eventually(async () => {
      const s = await series();
      return vevents(s.ics).length === 2 ? s : null;
    }, 8000, 'an override');
    const [master, override] = vevents(stored.ics);
    assert.equal(line(master, 'RRULE') !== null, true);
    assert.equal(line(override, 'RRULE'), null);
    assert.equal(line(override, 'RECURRENCE-ID'), `;TZID=Europe/Paris:${thu.compact}T100000`);
    assert.equal(line(override, 'DTSTART'), `;TZID=Europe/Paris:${thu.compact}T110000`);
    assert.equal(line(override, 'DTEND'), `;TZID=Europe/Paris:${thu.compact}T120000`);
    assert.equal(line(override, 'SEQUENCE'), ':1');
    assert.equal(line(override, 'UID'), line(master, 'UID'));
  });

  test('delete one occurrence, "this event": an EXDATE', async () => {
    const [monday] = await shown('Weekly sync');
    await monday.el.click();
    await page.locator('dialog.editor').getByRole('button', { name: 'Delete' }).click();
    // By keyboard: the first choice ("This event") has the focus; Enter confirms.
    const scope = page.locator('dialog.scope-dialog');
    await scope.waitFor();
    assert.equal(await scope.evaluate((d) => d.contains(document.activeElement) && document.activeElement.value), 'this');
    await page.keyboard.press('Enter');
    await scope.waitFor({ state: 'detached' });
    await page.getByText('Event deleted.').waitFor();
    const stored = await eventually(async () => {
      const s = await series();
      return prop(s.ics, 'EXDATE') ? s : null;
    }, 8000, 'an EXDATE');
    assert.equal(prop(stored.ics, 'EXDATE'), `;TZID=Europe/Paris:${mon.compact}T100000`);
    await eventually(async () => (await page.locator('.ec-event', { hasText: 'Weekly sync' }).count()) === 1, 8000, 'one occurrence left this week');
  });

  test('"this and following": the series split in two linked objects', async () => {
    await page.getByRole('button', { name: 'Next', exact: true }).click();
    const [, thursday] = await shown('Weekly sync');
    await thursday.el.click();
    const dialog = await fillEditor(page, { title: 'Weekly sync v2' });
    await dialog.getByRole('button', { name: 'Save' }).click();
    await chooseScope('This and following events', 'Save');
    await page.getByText('Event saved.').waitFor();
    const old = await series();
    const next = await eventually(async () => {
      const f = await findBySummary(CAL, 'Weekly sync v2');
      return f.length === 1 ? f[0] : null;
    }, 8000, 'the new half');
    assert.notEqual(old.href, next.href);
    const oldUid = prop(old.ics, 'UID').slice(1);
    const newUid = prop(next.ics, 'UID').slice(1);
    assert.notEqual(oldUid, newUid);
    // Old half: ends just before Thursday of week 2 (COUNT turned into UNTIL, in UTC).
    const until = parisToUtc(thu2.compact, '095959');
    assert.deepEqual(ruleParts(old.ics), ['BYDAY=MO,TH', 'FREQ=WEEKLY', `UNTIL=${until}`]);
    assert.equal(prop(old.ics, 'RELATED-TO'), `;RELTYPE=NEXT:${newUid}`);
    assert.equal(vevents(old.ics).length, 2, 'the override of week 1 stays with the old half');
    // New half: from that Thursday, the 3 remaining instances (Mon, Thu, Mon came before).
    assert.deepEqual(ruleParts(next.ics), ['BYDAY=MO,TH', 'COUNT=3', 'FREQ=WEEKLY']);
    assert.equal(prop(next.ics, 'DTSTART'), `;TZID=Europe/Paris:${thu2.compact}T100000`);
    assert.equal(prop(next.ics, 'RELATED-TO'), `;RELTYPE=SIBLING:${oldUid}`);
    assert.equal(prop(next.ics, 'EXDATE'), null);
    assert.match(next.ics, /BEGIN:VTIMEZONE\r?\nTZID:Europe\/Paris/);
    assert.ok(mon2.compact < thu2.compact);
  });

  test('a 15-minute reminder, categories and a colour for all events', async () => {
    const [thursday] = await shown('Weekly sync v2');
    await thursday.el.click();
    const dialog = page.locator('dialog.editor');
    await dialog.waitFor();
    await dialog.getByRole('button', { name: 'Add a reminder' }).click();
    assert.equal(await dialog.locator('select.reminder').first().inputValue(), '15');
    await dialog.getByLabel('Categories (comma-separated)').fill('Team, Sync');
    await dialog.getByLabel('Colour').selectOption('teal');
    await dialog.getByRole('button', { name: 'Save' }).click();
    await chooseScope('All events', 'Save');
    await page.getByText('Event saved.').waitFor();
    const stored = await eventually(async () => {
      const f = await findBySummary(CAL, 'Weekly sync v2');
      return f.length === 1 && prop(f[0].ics, 'COLOR') ? f[0] : null;
    }, 8000, 'a colour');
    assert.equal(prop(stored.ics, 'COLOR'), ':teal');
    assert.equal(prop(stored.ics, 'CATEGORIES'), ':Team,Sync');
    assert.match(stored.ics, /BEGIN:VALARM\r?\n(?:[^\r\n]*\r?\n)*?TRIGGER:-PT15M\r?\n(?:[^\r\n]*\r?\n)*?END:VALARM/);
    assert.match(stored.ics, /ACTION:DISPLAY/);
    assert.equal(prop(stored.ics, 'DTSTART'), `;TZID=Europe/Paris:${thu2.compact}T100000`);
    // The grid shows the event in its own colour.
    const ev = page.locator('.ec-event', { hasText: 'Weekly sync v2' }).first();
    await eventually(async () => (await ev.evaluate((e) => getComputedStyle(e).backgroundColor)) === 'rgb(0, 128, 128)', 8000, 'teal in the grid');
    // Opened again, the editor shows what was stored.
    await ev.click();
    await dialog.locator('select.reminder').first().waitFor();
    assert.equal(await dialog.locator('select.reminder').count(), 1);
    assert.equal(await dialog.locator('.repeat > summary .repeat-text').textContent(), 'Every week on Monday and Thursday, 3 times');
    assert.equal(await dialog.getByLabel('Categories (comma-separated)').inputValue(), 'Team, Sync');
    await dialog.getByRole('button', { name: 'Cancel' }).click();
  });

  test('a reminder due in a few seconds shows in the page', async () => {
    const uid = `alarm-${Date.now()}`;
    const start = Date.now() + 72000;
    const utc = (ms) => new Date(ms).toISOString().replace(/[-:]/g, '').replace(/\.\d+/, '');
    const ics = ['BEGIN:VCALENDAR', 'VERSION:2.0', 'PRODID:-//e2e//EN', 'BEGIN:VEVENT', `UID:${uid}`, 'DTSTAMP:20260101T000000Z',
      `DTSTART:${utc(start)}`, `DTEND:${utc(start + 1800000)}`, 'SUMMARY:Call the plumber',
      'BEGIN:VALARM', 'ACTION:DISPLAY', 'TRIGGER:-PT1M', 'DESCRIPTION:Call the plumber', 'END:VALARM',
      'END:VEVENT', 'END:VCALENDAR', ''].join('\r\n');
    const put = await davRequest('PUT', `${CAL}${uid}.ics`, { body: ics, headers: { 'Content-Type': 'text/calendar', 'If-None-Match': '*' } });
    assert.equal(put.status, 201, put.text);
    const note = page.locator('.alarm-note', { hasText: 'Call the plumber' });
    await note.waitFor({ timeout: 40000 });
    assert.ok(Date.now() >= start - 60000 - 1000, 'not before its trigger');
    await assertAccessible(page, 'reminder in the page');
    await shot(page, 'reminder-desktop');
    await note.getByRole('button', { name: 'Dismiss' }).click();
    // Planned again (any refresh), the same alarm does not fire twice.
    await page.getByLabel('View').selectOption('day');
    await page.waitForTimeout(1500);
    assert.equal(await page.locator('.alarm-note', { hasText: 'Call the plumber' }).count(), 0);
    await page.getByLabel('View').selectOption('week');
    assert.equal((await objects(CAL)).length >= 3, true);
  });
});

describe('phone width', () => {
  test('the editor with its repetition open fits at 360 px', async () => {
    const page = await openPage(browser, { viewport: PHONE });
    await signIn(page);
    await knownPreferences(page);
    await page.getByRole('button', { name: 'New event' }).click();
    const dialog = page.locator('dialog.editor');
    await dialog.waitFor();
    await dialog.locator('details.repeat > summary').click();
    await dialog.locator('select[id^=rp-freq]').selectOption('MONTHLY');
    await dialog.locator('select[id^=rp-end]').selectOption('until');
    const width = await dialog.evaluate((d) => d.scrollWidth <= d.clientWidth + 1);
    const wide = await dialog.evaluate((d) => {
      const edge = d.getBoundingClientRect().right;
      return [...d.querySelectorAll('*')].filter((e) => e.getBoundingClientRect().right > edge + 1).slice(0, 4).map((e) => `${e.tagName}.${e.className}#${e.id}`);
    });
    assert.ok(width, `no horizontal scrolling in the editor; too wide: ${wide.join(', ')}`);
    await assertAccessible(page, 'editor with repetition (phone)');
    await shot(page, 'editor-recurrence-phone');
    await dialog.locator('details.repeat').evaluate((d) => d.scrollIntoView());
    await shot(page, 'editor-recurrence-phone-scrolled');
    assertNoProblems(page);
    await page.context().close();
  });
});
