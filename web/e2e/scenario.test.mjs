// The whole story of issue 15, in French, by two people in their own browsers: Alice
// makes a weekly meeting with Bob and a room, at the time the scheduling assistant finds
// (Bob is busy at the first one); Bob sees the invitation and accepts it; Alice sees his
// answer; she moves one occurrence by drag ("Cet événement") and renames the series from
// the third one on ("Cet événement et les suivants"). After each step the stored
// iCalendar is checked over CalDAV (Alice's copy, and Bob's, which the server's
// scheduling keeps up to date), and at the end a real DAV client (python caldav) reads
// the same series and expands it itself, then writes an event that appears in Alice's
// open page. axe-core on each page; screenshots at desktop and phone width.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  OTHER, PHONE, USER, assertAccessible, assertNoProblems, davRequest, findBySummary, launch, openPage, prop, shot, signIn, eventually, setPreferences } from './lib.mjs';
import { drag, fillEditor, hourHeight, parisToday } from './helpers-ui.mjs';
import { davClient } from './dav-client.mjs';

const CAL = `/calendars/${USER.login}/calendar/`;
const BOB_CAL = `/calendars/${OTHER.login}/calendar/`;
const run = Math.random().toString(36).slice(2, 7);
const TITLE = `Point hebdo ${run}`;
const TITLE2 = `Point hebdo v2 ${run}`;

/** The Tuesday two weeks after this week's Monday (Paris), and the next three. */
function tuesdays() {
  const [y, m, d] = parisToday().ymd.split('-').map(Number);
  const dow = (new Date(Date.UTC(y, m - 1, d)).getUTCDay() + 6) % 7; // 0 = Monday
  return [0, 1, 2, 3].map((week) => {
    const t = new Date(Date.UTC(y, m - 1, d - dow + 15 + 7 * week));
    const ymd = t.toISOString().slice(0, 10);
    return { ymd, compact: ymd.replace(/-/g, ''), weeksAhead: 2 + week };
  });
}
const DAYS = tuesdays();

const unfold = (ics) => ics.replace(/\r\n[ \t]/g, '');
const vevents = (ics) => unfold(ics).split(/BEGIN:VEVENT\r?\n/).slice(1).map((s) => s.split(/END:VEVENT/)[0]);
const line = (block, name) => (block.match(new RegExp(`^${name}([;:][^\\r\\n]*)`, 'm')) ?? [])[1] ?? null;
const attendee = (block, address) => block.split(/\r?\n/).find((l) => l.startsWith('ATTENDEE') && l.toLowerCase().endsWith(`:mailto:${address}`));

/** One stored object titled `title` in `collection`. */
const one = (collection, title, user = USER) => eventually(async () => {
  const found = await findBySummary(collection, title, user);
  return found.length === 1 ? found[0] : null;
}, 10000, `one stored "${title}" in ${collection}`);

/** French, weeks from Monday, the browser's zone: the page as a French user has it. */
const french = (page) => setPreferences(page, { locale: 'fr', firstDay: 1, view: 'week' }, { drop: ['timeZone', 'hour12'] });

/** Back to what the other test files expect (English, the locale's first day). */
const english = (page) => setPreferences(page, { locale: 'en' }, { drop: ['firstDay', 'view'], reload: false });

/** The week view on the week `weeksAhead` after this one (weeks from Monday). */
async function showWeek(page, weeksAhead) {
  await page.getByRole('button', { name: 'Aujourd’hui' }).click();
  for (let i = 0; i < weeksAhead; i++) await page.getByRole('button', { name: 'Suivant', exact: true }).click();
}

let browser;
let alice;
before(async () => {
  browser = await launch();
  // Bob is busy on the first Tuesday from 14:00 to 15:00: the meeting's first choice.
  const uid = `e2e-busy-${run}`;
  const busy = ['BEGIN:VCALENDAR', 'VERSION:2.0', 'PRODID:-//e2e//EN', 'BEGIN:VEVENT', `UID:${uid}`, 'DTSTAMP:20260101T000000Z',
    `DTSTART;TZID=Europe/Paris:${DAYS[0].compact}T140000`, `DTEND;TZID=Europe/Paris:${DAYS[0].compact}T150000`, 'SUMMARY:Dentiste',
    'END:VEVENT', 'END:VCALENDAR', ''].join('\r\n');
  const put = await davRequest('PUT', `${BOB_CAL}${uid}.ics`, { user: OTHER, body: busy, headers: { 'Content-Type': 'text/calendar' } });
  assert.equal(put.status, 201, put.text);
  alice = await openPage(browser, { locale: 'fr-FR' });
  alice.on('dialog', (d) => d.accept());
  await signIn(alice);
  await french(alice);
});
after(async () => {
  if (alice) {
    assertNoProblems(alice);
    await english(alice).catch(() => {});
  }
  await browser?.close();
});

describe('le scénario complet', () => {
  test('Alice prévoit une réunion hebdomadaire avec Bob et une salle, à l’horaire que propose l’assistant', async () => {
    await alice.getByRole('button', { name: 'Nouvel événement' }).click();
    const editor = await fillEditor(alice, { title: TITLE, date: DAYS[0].ymd, start: '14:00', end: '15:00' });
    // Every week, four times.
    await editor.locator('details.repeat > summary').click();
    await editor.locator('select[id^=rp-freq]').selectOption('WEEKLY');
    await editor.locator('select[id^=rp-end]').selectOption('count');
    await editor.locator('input[id^=rp-count]').fill('4');
    const summary = editor.locator('.repeat-summary');
    await eventually(async () => /4 fois/.test(await summary.textContent()), 5000, 'the rule in words');
    assert.match(await summary.textContent(), /^Chaque semaine le mardi, 4 fois$/);
    // Bob, from the directory.
    const search = editor.getByRole('combobox', { name: 'Inviter des personnes' });
    await search.pressSequentially('Dura', { delay: 30 });
    await editor.getByRole('option', { name: /Bob Durand/ }).waitFor();
    await search.press('ArrowDown');
    await search.press('Enter');
    await editor.locator('.att-row', { hasText: 'Bob Durand' }).waitFor();
    // A room, from the room finder.
    await editor.getByRole('button', { name: 'Trouver une salle' }).click();
    const finder = alice.locator('dialog.room-finder');
    await finder.locator('.room-row', { hasText: 'Salle 101' }).locator('.room-state', { hasText: 'Libre' }).waitFor();
    await assertAccessible(alice, 'recherche de salle');
    await finder.getByRole('button', { name: 'Réserver Salle 101' }).click();
    await editor.locator('.att-row', { hasText: 'Salle 101' }).waitFor();
    // The assistant: Bob is busy at 14:00, so the next slot for all is 15:00–16:00.
    await editor.getByRole('button', { name: 'Assistant de planification' }).click();
    const assistant = alice.locator('dialog.assistant');
    await assistant.locator('.fb-row', { hasText: 'Bob Durand' }).locator('.fb-busy').first().waitFor();
    await assistant.getByRole('button', { name: 'Prochain créneau libre' }).click();
    await assistant.getByText(/Tout le monde est libre/).waitFor();
    await assertAccessible(alice, 'assistant de planification');
    await shot(alice, 'scenario-assistant-desktop');
    await assistant.getByRole('button', { name: 'Retenir cet horaire' }).click();
    assert.equal(await editor.locator('input[id^=ed-st]').inputValue(), '15:00');
    assert.equal(await editor.locator('input[id^=ed-et]').inputValue(), '16:00');
    await editor.getByRole('button', { name: 'Enregistrer' }).click();
    await alice.getByText(/Salle 101 a accepté/).waitFor();

    const stored = await one(CAL, TITLE);
    const [master] = vevents(stored.ics);
    assert.equal(line(master, 'DTSTART'), `;TZID=Europe/Paris:${DAYS[0].compact}T150000`);
    assert.deepEqual(line(master, 'RRULE').slice(1).split(';').sort(), ['BYDAY=TU', 'COUNT=4', 'FREQ=WEEKLY']);
    assert.match(line(master, 'ORGANIZER'), /mailto:alice@example\.org$/);
    assert.match(attendee(master, 'bob@example.org'), /PARTSTAT=NEEDS-ACTION/);
    assert.match(attendee(master, 'room101@example.org'), /CUTYPE=ROOM.*PARTSTAT=ACCEPTED|PARTSTAT=ACCEPTED.*CUTYPE=ROOM/);
  });

  test('Bob, dans sa propre session, voit l’invitation et l’accepte ; Alice voit sa réponse', async () => {
    const bob = await openPage(browser, { locale: 'fr-FR' });
    await signIn(bob, OTHER);
    await french(bob);
    const entry = bob.getByRole('button', { name: /^Invitations : \d+ en attente/ });
    await entry.waitFor();
    await entry.click();
    const dialog = bob.locator('dialog.invitations');
    const item = dialog.locator('.inv-item', { hasText: TITLE });
    await item.waitFor();
    assert.match(await item.textContent(), /De Alice Martin/);
    await assertAccessible(bob, 'liste des invitations');
    await shot(bob, 'scenario-invitation-desktop');
    await item.getByLabel('Commentaire (facultatif)').fill('Je serai là');
    await item.getByRole('button', { name: 'Accepter' }).click();
    await item.waitFor({ state: 'detached' });
    const bobCopy = await one(BOB_CAL, TITLE, OTHER);
    assert.match(attendee(vevents(bobCopy.ics)[0], 'bob@example.org'), /PARTSTAT=ACCEPTED/);
    await english(bob);
    assertNoProblems(bob);
    await bob.context().close();

    // The organiser's copy has his answer (the server's REPLY), and her editor says so.
    await eventually(async () => /PARTSTAT=ACCEPTED/.test(attendee(vevents((await one(CAL, TITLE)).ics)[0], 'bob@example.org')), 10000, 'Bob accepted in Alice’s copy');
    await showWeek(alice, DAYS[0].weeksAhead);
    await alice.locator('.ec-event', { hasText: TITLE }).first().click();
    const editor = alice.locator('dialog.editor');
    await editor.locator('.att-row', { hasText: 'Bob Durand' }).getByText('Accepté').waitFor();
    await assertAccessible(alice, 'éditeur d’une réunion');
    await shot(alice, 'scenario-answers-desktop');
    await editor.getByRole('button', { name: 'Annuler' }).click();
    await editor.waitFor({ state: 'detached' });
  });

  test('Alice déplace une occurrence par glisser-déposer (« Cet événement »)', async () => {
    await showWeek(alice, DAYS[1].weeksAhead);
    const chip = alice.locator('.ec-event', { hasText: TITLE }).first();
    await chip.waitFor();
    const box = await chip.boundingBox();
    const from = { x: box.x + box.width / 2, y: box.y + 8 };
    await drag(alice, from, { x: from.x, y: from.y + (await hourHeight(alice)) });
    const scope = alice.locator('dialog.scope-dialog');
    await scope.waitFor();
    await assertAccessible(alice, 'choix des occurrences');
    await scope.getByRole('radio', { name: 'Cet événement', exact: true }).check();
    await scope.getByRole('button', { name: 'Déplacer' }).click();
    await scope.waitFor({ state: 'detached' });
    const stored = await eventually(async () => {
      const s = await one(CAL, TITLE);
      return vevents(s.ics).length === 2 ? s : null;
    }, 10000, 'an override in Alice’s copy');
    const [, override] = vevents(stored.ics);
    assert.equal(line(override, 'RECURRENCE-ID'), `;TZID=Europe/Paris:${DAYS[1].compact}T150000`);
    assert.equal(line(override, 'DTSTART'), `;TZID=Europe/Paris:${DAYS[1].compact}T160000`);
    assert.match(attendee(override, 'bob@example.org'), /mailto:bob@example\.org/, 'the override keeps the attendees');
    // Bob's copy follows (the server sent him the update).
    await eventually(async () => {
      const b = await one(BOB_CAL, TITLE, OTHER);
      return vevents(b.ics).some((v) => line(v, 'RECURRENCE-ID') && line(v, 'DTSTART') === `;TZID=Europe/Paris:${DAYS[1].compact}T160000`);
    }, 10000, 'the moved occurrence in Bob’s copy');
    await shot(alice, 'scenario-moved-desktop');
  });

  test('Alice renomme la série à partir de la troisième réunion (« Cet événement et les suivants »)', async () => {
    await showWeek(alice, DAYS[2].weeksAhead);
    await alice.locator('.ec-event', { hasText: TITLE }).first().click();
    const editor = await fillEditor(alice, { title: TITLE2 });
    await editor.getByRole('button', { name: 'Enregistrer' }).click();
    const scope = alice.locator('dialog.scope-dialog');
    await scope.getByRole('radio', { name: 'Cet événement et les suivants', exact: true }).check();
    await scope.getByRole('button', { name: 'Enregistrer' }).click();
    await scope.waitFor({ state: 'detached' });
    await alice.getByText('Événement enregistré.').waitFor();
    const next = await one(CAL, TITLE2);
    const old = await eventually(async () => {
      const o = await one(CAL, TITLE);
      return /UNTIL=/.test(prop(o.ics, 'RRULE') ?? '') ? o : null;
    }, 10000, 'the first half ending before the third meeting');
    assert.notEqual(old.href, next.href);
    const [oldMaster] = vevents(old.ics);
    const [newMaster] = vevents(next.ics);
    assert.match(line(oldMaster, 'RRULE'), /UNTIL=\d{8}T\d{6}Z/);
    assert.doesNotMatch(line(oldMaster, 'RRULE'), /COUNT/);
    assert.equal(vevents(old.ics).length, 2, 'the moved occurrence stays with the first half');
    assert.equal(line(newMaster, 'DTSTART'), `;TZID=Europe/Paris:${DAYS[2].compact}T150000`);
    assert.match(line(newMaster, 'RRULE'), /COUNT=2/);
    assert.notEqual(line(newMaster, 'UID'), line(oldMaster, 'UID'));
    assert.match(line(newMaster, 'RELATED-TO'), new RegExp(line(oldMaster, 'UID').slice(1)));
    assert.ok(attendee(newMaster, 'bob@example.org'), 'the second half is still a meeting with Bob');
    assert.ok(attendee(newMaster, 'room101@example.org'), 'and the room');
    // Bob gets the second half as a new meeting, and the first half ends for him too.
    await one(BOB_CAL, TITLE2, OTHER);
    await eventually(async () => /UNTIL=/.test(line(vevents((await one(BOB_CAL, TITLE, OTHER)).ics)[0], 'RRULE') ?? ''), 10000, 'the first half ends in Bob’s copy');
    await shot(alice, 'scenario-split-desktop');
  });

  test('un vrai client DAV (python caldav) lit la même série, et ce qu’il écrit apparaît dans la page', async () => {
    const events = JSON.parse(await davClient('list'));
    const first = events.filter((e) => e.summary === TITLE);
    const second = events.filter((e) => e.summary === TITLE2);
    assert.equal(first.filter((e) => !e.recurrence_id).length, 1, JSON.stringify(first));
    assert.match(first.find((e) => !e.recurrence_id).rrule, /UNTIL=/);
    assert.equal(first.filter((e) => e.recurrence_id).length, 1, 'the moved occurrence');
    assert.equal(second.length, 1);
    assert.ok(second[0].attendees.some((a) => a.address.toLowerCase() === 'mailto:bob@example.org'));
    // Its own expansion: two meetings before the split (one moved to 16:00), two after.
    const from = `${DAYS[0].ymd}T00:00:00+00:00`;
    const to = `${DAYS[3].ymd}T23:00:00+00:00`;
    const before = JSON.parse(await davClient('expand', [from, to, TITLE]));
    const afterSplit = JSON.parse(await davClient('expand', [from, to, TITLE2]));
    assert.equal(before.length, 2, JSON.stringify(before));
    assert.equal(afterSplit.length, 2, JSON.stringify(afterSplit));
    const hours = before.map((iso) => new Intl.DateTimeFormat('fr-FR', { timeZone: 'Europe/Paris', hour: '2-digit', minute: '2-digit' }).format(new Date(iso)));
    assert.deepEqual(hours, ['15:00', '16:00']);

    // An event written by that client shows in Alice's open page, without a reload.
    await showWeek(alice, DAYS[3].weeksAhead);
    await davClient('create', ['Écrit par python caldav', `${DAYS[3].ymd}T09:00:00`, `${DAYS[3].ymd}T10:00:00`, 'Europe/Paris']);
    await alice.locator('.ec-event', { hasText: 'Écrit par python caldav' }).waitFor({ timeout: 15000 });
    await alice.locator('.ec-event', { hasText: TITLE2 }).first().waitFor();
    await assertAccessible(alice, 'semaine en français');
    await shot(alice, 'scenario-week-desktop');
    await alice.setViewportSize(PHONE);
    await alice.getByLabel('Vue').selectOption('list');
    await alice.locator('.ec-list').waitFor();
    await assertAccessible(alice, 'liste sur téléphone');
    await shot(alice, 'scenario-list-phone');
  });
});
