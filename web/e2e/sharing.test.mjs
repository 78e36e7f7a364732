// Sharing and delegation end to end, each step checked over DAV: alice shares a calendar
// with the group "team" at read-write; bob, a member, in his own browser, accepts the
// offer, the calendar joins his list, he creates an event in it that alice's store holds;
// alice sees his answer and revokes, and the calendar leaves bob's list. Alice makes bob
// the manager of her calendars in Settings → Delegation: bob creates and edits an event
// in her calendar. Alice's working hours (Settings → Working hours) are stored as a
// VAVAILABILITY on her inbox and the scheduling assistant shows the time outside them as
// unavailable. The publish link is renewed (the old one stops working) and copied.
// A French run shares and accepts again. axe-core on each dialog and pane; screenshots.
import { after, before, beforeEach, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { DAV, OTHER, PHONE, USER, WEB, assertAccessible, assertNoProblems, davRequest, eventually, findBySummary, launch, openPage, setPreferences, shot, signIn } from './lib.mjs';

const run = Math.random().toString(36).slice(2, 7);
const NAME = `Team board ${run}`;
const CAL = `/calendars/${USER.login}/team-${run}/`;
const XML = { 'Content-Type': 'application/xml' };
// The delegate works in alice's default calendar (the page lists all her calendars).
const DEFAULT = `/calendars/${USER.login}/calendar/`;
const DELEGATED = 'Calendar · Alice Martin';

let browser;
let alice;
let bob;
before(async () => {
  browser = await launch();
  const made = await davRequest('MKCALENDAR', CAL, {
    headers: XML,
    body: `<?xml version="1.0"?><c:mkcalendar xmlns:d="DAV:" xmlns:c="urn:ietf:params:xml:ns:caldav"><d:set><d:prop><d:displayname>${NAME}</d:displayname></d:prop></d:set></c:mkcalendar>`,
  });
  assert.equal(made.status, 201, made.text);
  alice = await openPage(browser);
  await alice.context().grantPermissions(['clipboard-read', 'clipboard-write'], { origin: WEB });
  await signIn(alice);
  await setPreferences(alice, { locale: 'en' }, { drop: ['hiddenCalendars'] });
  bob = await openPage(browser);
  await signIn(bob, OTHER);
  await setPreferences(bob, { locale: 'en' }, { drop: ['hiddenCalendars'] });
});
after(async () => {
  // Leave nothing behind for the other files: no share, delegate or working hours.
  await davRequest('PROPPATCH', `/principals/${USER.login}/calendar-proxy-write/`, { headers: XML, body: members([]) });
  await davRequest('PROPPATCH', `/calendars/${USER.login}/inbox/`, {
    headers: XML,
    body: '<d:propertyupdate xmlns:d="DAV:" xmlns:c="urn:ietf:params:xml:ns:caldav"><d:remove><d:prop><c:calendar-availability/></d:prop></d:remove></d:propertyupdate>',
  });
  await davRequest('DELETE', CAL);
  for (const o of await findBySummary(DEFAULT, `Delegated ${run} (moved)`)) await davRequest('DELETE', o.href);
  // The browser is closed whatever is found, or the test process would never end.
  const found = [];
  for (const page of [alice, bob]) {
    if (!page) continue;
    // Expected: bob's open page still polls alice's calendars once the delegation ends.
    if (page === bob) page.problems = page.problems.filter((p) => !/status of 403 .*\/calendars\/alice\/[^/]+\/\)$/.test(p));
    try {
      assertNoProblems(page);
    } catch (e) {
      found.push(e);
    }
    await page.context().close();
  }
  await browser?.close();
  if (found.length) throw found[0];
});

function members(hrefs) {
  return `<d:propertyupdate xmlns:d="DAV:"><d:set><d:prop><d:group-member-set>${hrefs.map((h) => `<d:href>${h}</d:href>`).join('')}</d:group-member-set></d:prop></d:set></d:propertyupdate>`;
}

async function invite() {
  const res = await davRequest('PROPFIND', CAL, { headers: { ...XML, Depth: '0' }, body: '<d:propfind xmlns:d="DAV:"><d:prop><d:invite/></d:prop></d:propfind>' });
  assert.equal(res.status, 207, res.text);
  return res.text;
}

async function bobHome() {
  const res = await davRequest('PROPFIND', `/calendars/${OTHER.login}/`, { user: OTHER, headers: { ...XML, Depth: '1' }, body: '<d:propfind xmlns:d="DAV:"><d:prop><d:displayname/></d:prop></d:propfind>' });
  return res.text;
}

const options = (page, name) => page.getByRole('button', { name: new RegExp(`^(Options of the calendar|Options de l’agenda) “?«? ?${name}`) });

async function openShareDialog(page, share = 'Share…') {
  await options(page, NAME).click();
  await page.locator('dialog.modal').getByRole('button', { name: share }).click();
  const dialog = page.locator('dialog.share-dialog');
  await dialog.waitFor();
  return dialog;
}

async function newEvent(page, title, calendar) {
  await page.getByRole('button', { name: 'New event' }).first().click();
  const editor = page.locator('dialog.editor');
  await editor.locator('input[id^=ed-title]').fill(title);
  // A fixed time, clear of the toasts at the foot of the grid whatever the hour of the run.
  await editor.locator('input[id^=ed-st]').fill('10:00');
  await editor.locator('input[id^=ed-et]').fill('11:00');
  await editor.locator('select[id^=ed-cal]').selectOption({ label: calendar });
  await editor.getByRole('button', { name: 'Save', exact: true }).click();
  await editor.waitFor({ state: 'detached' });
}

async function settingsPane(page, pane) {
  await page.getByRole('navigation', { name: 'Sections' }).getByRole('link', { name: 'Settings' }).click();
  await page.getByRole('link', { name: pane }).click();
  await page.locator('.pane-title', { hasText: pane }).waitFor();
}

/** Each test starts without a dialog left open by a failed one. */
async function fresh(...pages) {
  for (const p of pages) {
    await p.evaluate(() => {
      document.querySelectorAll('dialog').forEach((d) => d.remove());
      location.hash = '#/calendar';
    });
    await p.locator('.ec').waitFor();
  }
}

describe('sharing and delegation', () => {
  beforeEach(() => fresh(alice, bob));
  test('a calendar shared with a group at read-write: a member accepts, writes, then loses it', async () => {
    const dialog = await openShareDialog(alice);
    await dialog.getByText('Private events stay hidden').waitFor();
    await dialog.getByLabel('Access', { exact: true }).selectOption('read-write');
    await dialog.getByLabel('Share with a person or a group').fill('Project');
    await dialog.getByRole('option', { name: /Project team/ }).click();
    await dialog.locator('.share-row', { hasText: 'Bob Durand' }).getByText('Waiting for an answer').waitFor();
    assert.match(await invite(), /mailto:bob@example\.org<\/D:href><D:invite-noresponse\/><D:share-access><D:read-write\/>/);
    await assertAccessible(alice, 'share dialog');
    await shot(alice, 'share-dialog-desktop');

    // Bob, in his own browser: the offer, accepted.
    await bob.reload();
    const entry = bob.getByRole('button', { name: /Shared with you: 1 waiting/ });
    await entry.click();
    const offers = bob.locator('dialog.offers');
    const item = offers.locator('.offer-item', { hasText: NAME });
    await item.getByText('From Alice Martin').waitFor();
    await item.getByText('Calendar · Can edit').waitFor();
    await assertAccessible(bob, 'shares offered dialog');
    await shot(bob, 'share-offers-desktop');
    await item.getByRole('button', { name: 'Accept' }).click();
    await offers.getByText(`“${NAME}” accepted`).waitFor();
    await offers.getByRole('button', { name: 'Close' }).click();
    await bob.getByRole('checkbox', { name: new RegExp(NAME) }).waitFor();
    assert.match(await bobHome(), new RegExp(`<D:href>/calendars/${OTHER.login}/${USER.login}-team-${run}/</D:href>`), 'mounted in bob’s home');
    await entry.waitFor({ state: 'hidden' });

    // He writes into it; alice's calendar holds the event.
    const title = `Bob's note ${run}`;
    await newEvent(bob, title, NAME);
    const stored = await eventually(async () => (await findBySummary(CAL, title)).length === 1, 10000, 'bob’s event in alice’s calendar');
    assert.ok(stored);

    // Alice sees the answer, and stops sharing.
    await alice.reload();
    const again = await openShareDialog(alice);
    const row = again.locator('.share-row', { hasText: 'Bob Durand' });
    await row.getByText('Accepted').waitFor();
    assert.equal(await row.getByLabel('Access of Bob Durand').inputValue(), 'read-write');
    await row.getByRole('button', { name: 'Stop sharing with Bob Durand' }).click();
    await again.getByText('Not shared with anyone.').waitFor();
    await alice.keyboard.press('Escape');
    assert.doesNotMatch(await invite(), /bob@example/);
    assert.doesNotMatch(await bobHome(), new RegExp(`team-${run}`));
    await bob.reload();
    await bob.locator('.cal-list li').first().waitFor();
    assert.equal(await bob.getByRole('checkbox', { name: new RegExp(NAME) }).count(), 0, 'gone from bob’s list');
  });

  test('free/busy only: Agora’s own level, stored and shown; bob’s offer says so', async () => {
    const dialog = await openShareDialog(alice);
    await dialog.getByLabel('Access', { exact: true }).selectOption('freebusy');
    await dialog.getByLabel('Share with a person or a group').fill('Durand');
    await dialog.getByRole('option', { name: /Bob Durand/ }).click();
    const row = dialog.locator('.share-row', { hasText: 'Bob Durand' });
    await row.getByText('Waiting for an answer').waitFor();
    assert.equal(await row.getByLabel('Access of Bob Durand').inputValue(), 'freebusy');
    assert.match(await invite(), /mailto:bob@example\.org<\/D:href><D:invite-noresponse\/><D:share-access><A:read-free-busy xmlns:A="urn:x-agora:ns"\/>/);
    await bob.reload();
    await bob.getByRole('button', { name: /Shared with you: 1 waiting/ }).click();
    await bob.locator('dialog.offers .offer-item', { hasText: NAME }).getByText(/Free\/busy only/).waitFor();
    await bob.keyboard.press('Escape');
    await row.getByRole('button', { name: 'Stop sharing with Bob Durand' }).click();
    await dialog.getByText('Not shared with anyone.').waitFor();
    await alice.keyboard.press('Escape');
    assert.doesNotMatch(await invite(), /bob@example/);
  });

  test('delegation: bob manages alice’s calendars, creating and editing an event', async () => {
    await settingsPane(alice, 'Delegation');
    const pane = alice.locator('main');
    await pane.getByLabel('Add someone who manages your calendars').fill('Bob');
    await pane.getByRole('option', { name: /Bob Durand/ }).click();
    await alice.getByText('Bob Durand added.').waitFor();
    const group = await davRequest('PROPFIND', `/principals/${USER.login}/calendar-proxy-write/`, { headers: { ...XML, Depth: '0' }, body: '<d:propfind xmlns:d="DAV:"><d:prop><d:group-member-set/></d:prop></d:propfind>' });
    assert.match(group.text, /<D:group-member-set><D:href>\/principals\/bob\/<\/D:href><\/D:group-member-set>/);
    await assertAccessible(alice, 'delegation pane');
    await shot(alice, 'delegation-desktop');

    await bob.reload();
    await bob.getByRole('checkbox', { name: new RegExp(`${DELEGATED}.*delegated`) }).waitFor();
    const title = `Delegated ${run}`;
    await newEvent(bob, title, DELEGATED);
    await eventually(async () => (await findBySummary(DEFAULT, title)).length === 1, 10000, 'the delegate’s event');
    // He changes it from his page.
    // By keyboard: a toast may lie over the event at the foot of the grid.
    await bob.locator('.ec-event', { hasText: title }).first().focus();
    await bob.keyboard.press('Enter');
    const editor = bob.locator('dialog.editor');
    await editor.locator('input[id^=ed-title]').fill(`${title} (moved)`);
    await editor.getByRole('button', { name: 'Save', exact: true }).click();
    await editor.waitFor({ state: 'detached' });
    await eventually(async () => (await findBySummary(DEFAULT, `${title} (moved)`)).length === 1, 10000, 'the delegate’s edit');
    assert.equal((await findBySummary(DEFAULT, title)).length, 0, 'edited in place');
    // His own pane says whom he acts for.
    await settingsPane(bob, 'Delegation');
    await bob.locator('.deleg-for li', { hasText: 'Alice Martin' }).getByText('You manage their calendars').waitFor();

    // Alice removes him.
    await alice.locator('main').getByRole('button', { name: 'Remove Bob Durand' }).click();
    await alice.getByText('Bob Durand removed.').waitFor();
    const after = await davRequest('PROPFIND', `/principals/${USER.login}/calendar-proxy-write/`, { headers: { ...XML, Depth: '0' }, body: '<d:propfind xmlns:d="DAV:"><d:prop><d:group-member-set/></d:prop></d:propfind>' });
    assert.doesNotMatch(after.text, /principals\/bob/);
  });

  test('working hours: stored as VAVAILABILITY, used by the scheduling assistant', async () => {
    await settingsPane(alice, 'Working hours');
    const pane = alice.locator('main');
    await pane.getByText('Not set yet').waitFor();
    await pane.getByLabel('Time zone').selectOption('Europe/Paris');
    for (let d = 0; d < 7; d++) {
      if (!(await pane.locator(`#wh-${d}-0-from`).count())) await pane.locator(`#wh-add-${d}`).click();
      await pane.locator(`#wh-${d}-0-from`).fill('10:00');
      await pane.locator(`#wh-${d}-0-to`).fill('16:00');
    }
    // Two ranges on Wednesdays.
    await pane.getByRole('button', { name: 'Add hours on Wednesday' }).click();
    await pane.locator('#wh-3-1-from').fill('18:00');
    await pane.locator('#wh-3-1-to').fill('19:00');
    await assertAccessible(alice, 'working hours pane');
    await pane.getByRole('button', { name: 'Save' }).click();
    await alice.getByText('Working hours saved.').waitFor();
    await pane.getByText('Your working hours, as stored.').waitFor();
    const res = await davRequest('PROPFIND', `/calendars/${USER.login}/inbox/`, { headers: { ...XML, Depth: '0' }, body: '<d:propfind xmlns:d="DAV:" xmlns:c="urn:ietf:params:xml:ns:caldav"><d:prop><c:calendar-availability/></d:prop></d:propfind>' });
    const text = res.text.replace(/&#13;/g, '');
    assert.match(text, /BEGIN:VAVAILABILITY/);
    assert.match(text, /DTSTART;TZID=Europe\/Paris:\d{8}T100000\s+DTEND;TZID=Europe\/Paris:\d{8}T160000\s+RRULE:FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR,SA,SU/);
    assert.match(text, /T180000\s+DTEND;TZID=Europe\/Paris:\d{8}T190000\s+RRULE:FREQ=WEEKLY;BYDAY=WE/);
    assert.match(text, /BEGIN:VTIMEZONE\s+TZID:Europe\/Paris/);
    // Read back in a fresh pane.
    await alice.reload();
    await pane.getByText('Your working hours, as stored.').waitFor();
    assert.equal(await pane.locator('#wh-3-1-to').inputValue(), '19:00');
    assert.equal(await pane.locator('#wh-0-0-from').inputValue(), '10:00');
    await shot(alice, 'working-hours-desktop');

    // The assistant: alice is unavailable before 10:00 and after 16:00 (not 08:00–18:00).
    await alice.getByRole('navigation', { name: 'Sections' }).getByRole('link', { name: 'Calendar' }).click();
    await alice.locator('.ec').waitFor();
    await alice.getByRole('button', { name: 'New event' }).first().click();
    const editor = alice.locator('dialog.editor');
    // A meeting on a Tuesday no other test fills with events, at 11:00 (late in the
    // evening the default start would be 23:00).
    await editor.locator('input[id^=ed-sd]').fill('2027-03-02');
    await editor.locator('input[id^=ed-ed]').fill('2027-03-02');
    await editor.locator('input[id^=ed-st]').fill('11:00');
    await editor.locator('input[id^=ed-et]').fill('12:00');
    await editor.getByRole('button', { name: 'Scheduling assistant' }).click();
    const assistant = alice.locator('dialog.assistant');
    await assistant.locator('summary').click();
    const mine = assistant.locator('.fb-text li', { hasText: 'Alice Martin' });
    const reading = /10:00\sAM outside working hours/;
    await eventually(async () => reading.test(await mine.textContent()), 10000, 'the assistant’s reading').catch(() => {});
    const said = await mine.textContent();
    assert.match(said, reading);
    assert.match(said, /4:00\sPM–\d{1,2}:00\s[AP]M outside working hours/);
    assert.ok((await assistant.locator('.fb-row', { hasText: 'Alice Martin' }).locator('.fb-busy-unavailable').count()) > 0, 'shaded');
    await alice.keyboard.press('Escape');
    await alice.keyboard.press('Escape');

    // Removed: the property is gone.
    await settingsPane(alice, 'Working hours');
    await pane.getByRole('button', { name: 'Remove my working hours' }).click();
    await alice.getByText('Working hours removed.').waitFor();
    const gone = await davRequest('PROPFIND', `/calendars/${USER.login}/inbox/`, { headers: { ...XML, Depth: '0' }, body: '<d:propfind xmlns:d="DAV:" xmlns:c="urn:ietf:params:xml:ns:caldav"><d:prop><c:calendar-availability/></d:prop></d:propfind>' });
    assert.doesNotMatch(gone.text, /VAVAILABILITY/);
  });

  test('publish link: renewed (the old one stops working) and copied', async () => {
    await alice.getByRole('navigation', { name: 'Sections' }).getByRole('link', { name: 'Calendar' }).click();
    await options(alice, NAME).click();
    const dialog = alice.locator('dialog.modal');
    await dialog.getByRole('button', { name: 'Create a publish link' }).click();
    const link = dialog.getByLabel(/Publish link/);
    await eventually(async () => (await link.inputValue()).includes('/publish/'), 5000, 'the link');
    const first = await link.inputValue();
    await dialog.getByRole('button', { name: 'New link' }).click();
    const confirm = alice.locator('dialog.modal', { hasText: 'The current link stops working' });
    await assertAccessible(alice, 'renew confirmation');
    await confirm.getByRole('button', { name: 'New link' }).click();
    await alice.getByText('New publish link made').waitFor();
    const second = await link.inputValue();
    assert.notEqual(second, first);
    assert.equal((await fetch(DAV + new URL(first).pathname)).status, 404, 'the old link is dead');
    assert.equal((await fetch(DAV + new URL(second).pathname)).status, 200, 'the new one works');
    await dialog.getByRole('button', { name: 'Copy link' }).click();
    await alice.getByText('Link copied.').waitFor();
    assert.equal(await alice.evaluate(() => navigator.clipboard.readText()), second);
    await alice.keyboard.press('Escape');
  });

  test('phone width: the share dialog, the offers and the panes fit 360 px', async (t) => {
    await alice.setViewportSize(PHONE);
    // Back to the desktop width even if this test fails, for the ones after it.
    t.after(() => alice.setViewportSize({ width: 1280, height: 800 }));
    await alice.evaluate(() => (location.hash = '#/settings/hours'));
    await alice.locator('.wh-state', { hasText: 'Not set yet' }).waitFor();
    await shot(alice, 'working-hours-phone');
    await alice.evaluate(() => (location.hash = '#/settings/delegation'));
    await alice.locator('.deleg-list').first().waitFor();
    await shot(alice, 'delegation-phone');
    await alice.evaluate(() => (location.hash = '#/calendar'));
    await alice.getByRole('button', { name: 'Calendars and mini-month' }).click();
    const dialog = await openShareDialog(alice);
    assert.ok(await dialog.evaluate((d) => d.scrollWidth <= d.clientWidth + 1), 'no sideways scrolling');
    await shot(alice, 'share-dialog-phone');
    await alice.keyboard.press('Escape');
    await alice.setViewportSize({ width: 1280, height: 800 });
  });

  test('in French: share with a person, who accepts', async () => {
    await setPreferences(alice, { locale: 'fr' });
    await setPreferences(bob, { locale: 'fr' });
    const dialog = await openShareDialog(alice, 'Partager…');
    await dialog.getByText('Les événements privés restent cachés').waitFor();
    await dialog.getByLabel('Partager avec une personne ou un groupe').fill('Bob');
    await dialog.getByRole('option', { name: /Bob Durand/ }).click();
    await dialog.locator('.share-row', { hasText: 'Bob Durand' }).getByText('En attente de réponse').waitFor();
    await alice.getByText('Partagé avec Bob Durand').first().waitFor();
    await assertAccessible(alice, 'share dialog (fr)');
    await shot(alice, 'share-dialog-fr');
    await alice.keyboard.press('Escape');
    assert.match(await invite(), /mailto:bob@example\.org<\/D:href><D:invite-noresponse\/><D:share-access><D:read\/>/);

    await bob.reload();
    await bob.getByRole('button', { name: /Partagés avec vous : 1 en attente/ }).click();
    const item = bob.locator('dialog.offers .offer-item', { hasText: NAME });
    await item.getByText('Agenda · Lecture seule').waitFor();
    await item.getByRole('button', { name: 'Accepter' }).click();
    await bob.locator('dialog.offers').getByText(`« ${NAME} » accepté`).waitFor();
    await bob.keyboard.press('Escape');
    await bob.getByRole('checkbox', { name: new RegExp(NAME) }).waitFor();
    assert.match(await invite(), /mailto:bob@example\.org<\/D:href><D:invite-accepted\/>/);
    await setPreferences(alice, { locale: 'en' }, { reload: false });
    await setPreferences(bob, { locale: 'en' }, { reload: false });
  });
});
