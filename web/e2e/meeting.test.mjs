// Meetings end to end: alice invites bob (found by typing part of his name), an outside
// address and a room (from the room finder), lets the scheduling assistant find the
// next slot where everyone is free (bob was made busy at the first candidate by a
// CalDAV PUT), and saves; the stored iCalendar is checked over CalDAV. Bob, in his own
// browser, sees the invitation drawn apart in the grid and in the Invitations list, and
// accepts with a comment; alice's editor then shows his answer, his comment and the
// room's. A French run answers two more invitations, from the list and from the editor.
// axe-core on each dialog; screenshots of the assistant at desktop and phone width.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { DESKTOP, OTHER, PHONE, USER, assertAccessible, assertNoProblems, davRequest, findBySummary, launch, openPage, prop, shot, signIn, eventually } from './lib.mjs';
import { fillEditor, parisToday } from './helpers-ui.mjs';

const CAL = `/calendars/${USER.login}/calendar/`;
const BOB_CAL = `/calendars/${OTHER.login}/calendar/`;
const run = Math.random().toString(36).slice(2, 7);
const TITLE = `Project review ${run}`;

/** A weekday at least two days ahead (Paris), so working hours apply and other test
 * files' events (today) are not in the way. */
const weekday = (d) => new Date(`${d.ymd}T12:00:00Z`).getUTCDay();
function meetingDay() {
  for (let i = 2; i < 10; i++) {
    const d = parisToday(i);
    if (weekday(d) >= 1 && weekday(d) <= 4) return { ...d, offset: i };
  }
  throw new Error('no weekday');
}
const DAY = meetingDay();

const unfold = (ics) => ics.replace(/\r\n[ \t]/g, '');
const attendeeLine = (ics, address) => unfold(ics).split(/\r?\n/).find((l) => l.startsWith('ATTENDEE') && l.toLowerCase().endsWith(`:mailto:${address}`));

async function put(user, href, lines) {
  const body = ['BEGIN:VCALENDAR', 'VERSION:2.0', 'PRODID:-//e2e//EN', 'BEGIN:VEVENT', ...lines, 'END:VEVENT', 'END:VCALENDAR', ''].join('\r\n');
  const res = await davRequest('PUT', href, { user, body, headers: { 'Content-Type': 'text/calendar' } });
  assert.ok([201, 204].includes(res.status), `PUT ${href}: ${res.status} ${res.text}`);
}

/** An invitation from alice to bob, written by CalDAV (the server delivers it). */
async function invite(title, hour) {
  const uid = `e2e-${title.replace(/\W+/g, '-')}`;
  await put(USER, `${CAL}${uid}.ics`, [
    `UID:${uid}`, 'DTSTAMP:20260101T000000Z', `DTSTART;TZID=Europe/Paris:${DAY.compact}T${hour}0000`, `DTEND;TZID=Europe/Paris:${DAY.compact}T${hour}3000`,
    `SUMMARY:${title}`, 'LOCATION:Salle 101', 'ORGANIZER;CN=Alice Martin:mailto:alice@example.org',
    'ATTENDEE;CN=Alice Martin;PARTSTAT=ACCEPTED;ROLE=CHAIR:mailto:alice@example.org',
    'ATTENDEE;CN=Bob Durand;PARTSTAT=NEEDS-ACTION;ROLE=REQ-PARTICIPANT;RSVP=TRUE:mailto:bob@example.org',
  ]);
}

/** Shows the week holding DAY (weeks start on Sunday in en-US, Monday in fr-FR) and
 * returns the event chip titled `title`. */
async function showEvent(page, title, firstDay = 0) {
  const fromWeekStart = (weekday(parisToday()) - firstDay + 7) % 7;
  for (let i = 0; i < Math.floor((fromWeekStart + DAY.offset) / 7); i++) await page.getByRole('button', { name: /^(Next|Suivant)$/ }).click();
  const chip = page.locator('.ec-event', { hasText: title }).first();
  await chip.waitFor();
  return chip;
}

let browser;
before(async () => {
  browser = await launch();
  // Bob is busy from 10:00 to 11:15 on the meeting day: the first slot after 09:45.
  await put(OTHER, `${BOB_CAL}e2e-busy-${run}.ics`, [
    `UID:e2e-busy-${run}`, 'DTSTAMP:20260101T000000Z', `DTSTART;TZID=Europe/Paris:${DAY.compact}T100000`, `DTEND;TZID=Europe/Paris:${DAY.compact}T111500`, 'SUMMARY:Dentist',
  ]);
});
after(async () => {
  await browser?.close();
});

describe('meetings', () => {
  test('alice invites bob, an outside address and a room at the next free slot', async () => {
    const page = await openPage(browser);
    page.on('dialog', (d) => d.accept());
    await signIn(page);
    await page.getByRole('button', { name: 'New event' }).click();
    const editor = await fillEditor(page, { title: TITLE, date: DAY.ymd, start: '09:45', end: '10:45' });

    // Bob from the directory, by part of his name, with the keyboard.
    const search = editor.getByRole('combobox', { name: 'Invite people' });
    await search.pressSequentially('Dura', { delay: 30 });
    await editor.getByRole('option', { name: /Bob Durand/ }).waitFor();
    await search.press('ArrowDown');
    await search.press('Enter');
    await editor.locator('.att-row', { hasText: 'Bob Durand' }).waitFor();
    // Someone elsewhere, typed in full, optional.
    await search.fill('carol@elsewhere.example');
    await search.press('Enter');
    await editor.getByLabel('Role of carol@elsewhere.example').selectOption('OPT-PARTICIPANT');
    await assertAccessible(page, 'editor with attendees');

    // The room finder: Salle 101 is free at that time.
    await editor.getByRole('button', { name: 'Find a room' }).click();
    const finder = page.locator('dialog.room-finder');
    await finder.locator('.room-row', { hasText: 'Salle 101' }).locator('.room-state', { hasText: 'Free' }).waitFor();
    await assertAccessible(page, 'room finder');
    await finder.getByRole('button', { name: 'Book Salle 101' }).click();
    await editor.locator('.att-row', { hasText: 'Salle 101' }).waitFor();

    // The assistant: one row per person and room, then the next slot where all are free.
    await editor.getByRole('button', { name: 'Scheduling assistant' }).click();
    const assistant = page.locator('dialog.assistant');
    await assistant.locator('.fb-row:not(.fb-head)').nth(3).waitFor();
    assert.equal(await assistant.locator('.fb-row:not(.fb-head)').count(), 4, 'alice, bob, carol and the room');
    await assistant.locator('.fb-row', { hasText: 'Bob Durand' }).locator('.fb-busy').first().waitFor();
    await assistant.locator('summary').click();
    const bobText = await assistant.locator('.fb-text li', { hasText: 'Bob Durand' }).textContent();
    assert.match(bobText, /10:00\sAM–11:15\sAM busy/, bobText);
    assert.match(await assistant.locator('.fb-text li', { hasText: 'carol' }).textContent(), /No free\/busy information/);
    await assertAccessible(page, 'scheduling assistant');
    await shot(page, 'assistant-desktop');
    await assistant.getByRole('button', { name: 'Next free slot' }).click();
    await assistant.getByText(/Everyone is free/).waitFor();
    assert.match(await assistant.locator('.fb-proposal').textContent(), /11:15\sAM – 12:15\sPM/);
    await page.setViewportSize(PHONE);
    await shot(page, 'assistant-phone');
    await assertAccessible(page, 'scheduling assistant (phone)');
    await page.setViewportSize(DESKTOP);
    await assistant.getByRole('button', { name: 'Use this time' }).click();
    assert.equal(await editor.locator('input[id^=ed-st]').inputValue(), '11:15');
    assert.equal(await editor.locator('input[id^=ed-et]').inputValue(), '12:15');
    await shot(page, 'editor-attendees');
    await editor.getByRole('button', { name: 'Save' }).click();
    await page.getByText(/Salle 101 accepted/).waitFor();

    const [stored] = await eventually(async () => {
      const found = await findBySummary(CAL, TITLE);
      return found.length === 1 ? found : null;
    }, 8000, 'the stored meeting');
    const ics = unfold(stored.ics);
    assert.equal(prop(ics, 'DTSTART'), `;TZID=Europe/Paris:${DAY.compact}T111500`);
    assert.match(prop(ics, 'ORGANIZER'), /^;CN=Alice Martin:mailto:alice@example\.org$/);
    const self = attendeeLine(ics, 'alice@example.org');
    assert.match(self, /PARTSTAT=ACCEPTED/);
    assert.match(self, /ROLE=CHAIR/);
    const bob = attendeeLine(ics, 'bob@example.org');
    for (const p of ['CN=Bob Durand', 'ROLE=REQ-PARTICIPANT', 'PARTSTAT=NEEDS-ACTION', 'RSVP=TRUE', 'CUTYPE=INDIVIDUAL']) assert.ok(bob.includes(p), `${p} in ${bob}`);
    const carol = attendeeLine(ics, 'carol@elsewhere.example');
    assert.match(carol, /ROLE=OPT-PARTICIPANT/);
    const room = attendeeLine(ics, 'room101@example.org');
    assert.match(room, /CUTYPE=ROOM/);
    assert.match(room, /CN=Salle 101/);
    assert.match(room, /PARTSTAT=ACCEPTED/, 'the room accepted while free');
    assertNoProblems(page);
    await page.context().close();
  });

  test('bob sees the invitation and accepts it with a comment; alice sees his answer', async () => {
    const page = await openPage(browser);
    await signIn(page, OTHER);
    await page.getByLabel('View').selectOption('week');
    const chip = await showEvent(page, TITLE);
    assert.match(await chip.getAttribute('class'), /ev-awaiting/, 'an unanswered invitation is drawn apart');
    await shot(page, 'invitation-in-grid');
    const entry = page.getByRole('button', { name: /^Invitations: \d+ waiting/ });
    await eventually(async () => /\(1\)/.test(await entry.textContent()), 8000, 'Invitations (1)');
    await entry.click();
    const dialog = page.locator('dialog.invitations');
    const item = dialog.locator('.inv-item', { hasText: TITLE });
    await item.waitFor();
    assert.match(await item.textContent(), /From Alice Martin/);
    await assertAccessible(page, 'invitations list');
    await shot(page, 'invitations');
    await item.getByLabel('Comment (optional)').fill('I will bring the slides');
    await item.getByRole('button', { name: 'Accept' }).click();
    await dialog.getByText('No invitation is waiting for your answer.').waitFor();
    assertNoProblems(page);
    await page.context().close();

    const [organizerCopy] = await findBySummary(CAL, TITLE);
    assert.match(attendeeLine(organizerCopy.ics, 'bob@example.org'), /PARTSTAT=ACCEPTED/);
    const [bobCopy] = await findBySummary(BOB_CAL, TITLE, OTHER);
    const mine = attendeeLine(bobCopy.ics, 'bob@example.org');
    assert.match(mine, /PARTSTAT=ACCEPTED/);
    assert.doesNotMatch(mine, /RSVP/);
    assert.match(unfold(bobCopy.ics), /\r\nCOMMENT:I will bring the slides\r\n/);

    // Alice opens her meeting: bob accepted, with his comment; the room accepted.
    const alice = await openPage(browser);
    await signIn(alice);
    await alice.getByLabel('View').selectOption('week');
    await (await showEvent(alice, TITLE)).click();
    const editor = alice.locator('dialog.editor');
    const bobRow = editor.locator('.att-row', { hasText: 'Bob Durand' });
    await bobRow.locator('.att-status', { hasText: 'Accepted' }).waitFor();
    assert.match(await bobRow.locator('.att-comment').textContent(), /I will bring the slides/);
    await editor.locator('.att-row', { hasText: 'Salle 101' }).locator('.att-status', { hasText: 'Accepted' }).waitFor();
    await editor.locator('.att-row', { hasText: 'carol@elsewhere.example' }).locator('.att-status', { hasText: 'Waiting for an answer' }).waitFor();
    await assertAccessible(alice, 'editor with answers');
    await shot(alice, 'editor-answers');
    // A change by the organiser keeps each attendee's line as it was (answers included)
    // and raises SEQUENCE, so that the server sends the update.
    await editor.locator('input[id^=ed-loc]').fill('Salle 101, first floor');
    await editor.getByRole('button', { name: 'Save' }).click();
    const updated = await eventually(async () => {
      const [o] = await findBySummary(CAL, TITLE);
      return o && /LOCATION:Salle 101\\, first floor/.test(unfold(o.ics)) ? unfold(o.ics) : null;
    }, 8000, 'the new location stored');
    assert.equal(prop(updated, 'SEQUENCE'), ':1');
    assert.match(attendeeLine(updated, 'bob@example.org'), /PARTSTAT=ACCEPTED/);
    assert.match(attendeeLine(updated, 'room101@example.org'), /PARTSTAT=ACCEPTED/);
    assert.match(attendeeLine(updated, 'carol@elsewhere.example'), /ROLE=OPT-PARTICIPANT/);
    assertNoProblems(alice);
    await alice.context().close();
  });

  test('en français : refuser depuis la liste, répondre peut-être depuis l’éditeur', async () => {
    const listed = `Point hebdo ${run}`;
    const opened = `Revue budget ${run}`;
    await invite(listed, '14');
    await invite(opened, '16');
    const page = await openPage(browser, { locale: 'fr-FR' });
    await signIn(page, OTHER);
    await page.getByRole('button', { name: /^Invitations : \d+ en attente/ }).click();
    const dialog = page.locator('dialog.invitations');
    const item = dialog.locator('.inv-item', { hasText: listed });
    await item.waitFor();
    assert.match(await item.textContent(), /De Alice Martin/);
    assert.match(await item.textContent(), /Lieu : Salle 101/);
    await assertAccessible(page, 'liste des invitations');
    await shot(page, 'invitations-fr');
    await item.getByLabel('Commentaire (facultatif)').fill('Je serai en déplacement');
    await item.getByRole('button', { name: 'Refuser' }).click();
    await item.waitFor({ state: 'detached' });
    await dialog.getByRole('button', { name: 'Fermer' }).click();

    // From the editor: the details are the organiser's; only the answer is bob's.
    await page.getByLabel('Vue').selectOption('week');
    await (await showEvent(page, opened, 1)).click();
    const editor = page.locator('dialog.editor');
    await editor.getByRole('heading', { name: 'Votre réponse' }).waitFor();
    assert.equal(await editor.locator('input[id^=ed-title]').isDisabled(), true, 'the title is the organiser’s');
    assert.equal(await editor.locator('input[id^=ed-st]').isDisabled(), true, 'so are the times');
    await assertAccessible(page, 'éditeur d’une invitation');
    await shot(page, 'editor-invitation-fr');
    await editor.getByLabel('Commentaire (facultatif)').fill('Peut-être en retard');
    await editor.getByRole('button', { name: 'Peut-être' }).click();
    await page.getByText('Vous avez répondu peut-être.').waitFor();
    // "Show as" stays the attendee's, saved without raising SEQUENCE (the organiser's).
    // (A fresh page: the grid's copy of the event must carry the ETag after the answer.)
    await page.reload();
    await page.locator('.ec').waitFor();
    await (await showEvent(page, opened, 1)).click();
    await editor.getByLabel('Disponibilité').selectOption('free');
    await editor.getByRole('button', { name: 'Enregistrer' }).click();
    await page.getByText('Événement enregistré.').waitFor();
    const [bobCopy] = await findBySummary(BOB_CAL, opened, OTHER);
    assert.match(unfold(bobCopy.ics), /\r\nTRANSP:TRANSPARENT\r\n/);
    assert.ok([null, ':0'].includes(prop(bobCopy.ics, 'SEQUENCE')), `SEQUENCE${prop(bobCopy.ics, 'SEQUENCE')} on the attendee's copy`);
    assert.match(attendeeLine(bobCopy.ics, 'bob@example.org'), /PARTSTAT=TENTATIVE/);
    assertNoProblems(page);
    await page.context().close();

    const [declined] = await findBySummary(CAL, listed);
    assert.match(attendeeLine(declined.ics, 'bob@example.org'), /PARTSTAT=DECLINED/);
    const [tentative] = await findBySummary(CAL, opened);
    assert.match(attendeeLine(tentative.ics, 'bob@example.org'), /PARTSTAT=TENTATIVE/);
  });
});
