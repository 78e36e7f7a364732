// Settings → Trash: an event deleted over CalDAV is listed (kind, label, place, when,
// purge date) and restored by the page to the same href with the same bytes and ETag;
// a whole calendar deleted over DAV comes back with both its events and shows in the
// calendar list again, whose delete confirmation now names the trash; a restore refused
// (its href taken meanwhile) says the server's reason; "Delete for good" asks first and
// the entry leaves the list and GET /api/trash; an empty trash says so with the
// retention; the pane in French at 360 px; axe on the pane and the dialog.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { OTHER, PHONE, USER, assertAccessible, assertNoProblems, davRequest, launch, objects, openPage, setPreferences, shot, signIn } from './lib.mjs';

const HOME = `/calendars/${USER.login}/`;
const CAL = `${HOME}calendar/`;
const TRIP = `${HOME}trash-e2e-trip/`;

let browser;
before(async () => {
  browser = await launch();
});
after(async () => {
  await browser?.close();
});

/** An event on fixed dates (the test does not depend on the time of day). */
const ics = (uid, summary, day) =>
  ['BEGIN:VCALENDAR', 'VERSION:2.0', 'PRODID:-//Agora e2e//trash//EN', 'BEGIN:VEVENT', `UID:${uid}`, 'DTSTAMP:20270101T000000Z',
    `DTSTART:2027031${day}T090000Z`, `DTEND:2027031${day}T100000Z`, `SUMMARY:${summary}`, 'END:VEVENT', 'END:VCALENDAR', ''].join('\r\n');

async function put(href, body) {
  const r = await davRequest('PUT', href, { body, headers: { 'Content-Type': 'text/calendar; charset=utf-8', 'If-None-Match': '*' } });
  assert.equal(r.status, 201, `PUT ${href}: ${r.text}`);
}

async function del(href) {
  const r = await davRequest('DELETE', href);
  assert.equal(r.status, 204, `DELETE ${href}: ${r.text}`);
}

/** GET /api/trash through the page's session. */
const trashApi = (page) =>
  page.evaluate(async () => {
    const s = await (await fetch('/api/session')).json();
    const r = await fetch('/api/trash', { headers: { 'X-Agora-CSRF': s.csrf, Accept: 'application/json' } });
    if (!r.ok) throw new Error(`GET /api/trash: ${r.status}`);
    return r.json();
  });

/** Settings → Trash from the rail and the panes' list (behind the menu button on a phone). */
async function openTrash(page, { sections = 'Sections', settings = 'Settings', panes = 'Settings sections', pane = 'Trash', phone = false } = {}) {
  await page.getByRole('navigation', { name: sections }).getByRole('link', { name: settings }).click();
  if (phone) await page.locator('.topbar').getByRole('button', { name: settings }).click();
  await page.getByRole('navigation', { name: panes }).getByRole('link', { name: pane }).click();
  await page.locator('#pane-title', { hasText: pane }).waitFor();
  await page.locator('.trash-intro:not(:empty)').waitFor();
}

const entry = (page, label) => page.locator('.trash-item', { has: page.locator('.trash-label', { hasText: label }) });

describe('trash', () => {
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

  test('an event deleted over CalDAV is listed, and restored to the same href with the same bytes and ETag', async () => {
    const href = `${CAL}trash-e2e-dentist.ics`;
    await put(href, ics('trash-e2e-dentist', 'Dentist (trash e2e)', 0));
    const before = await davRequest('GET', href);
    assert.equal(before.status, 200);
    assert.ok(before.etag, 'an ETag');
    await del(href);
    assert.equal((await davRequest('GET', href)).status, 404);

    await openTrash(page);
    const item = entry(page, 'Dentist (trash e2e)');
    await item.waitFor();
    assert.equal(await item.locator('.trash-kind').textContent(), 'Event');
    assert.equal(await item.locator('.trash-where').getAttribute('title'), href);
    assert.match(await item.locator('.trash-where').textContent(), /^In .+/);
    assert.match(await item.locator('.trash-when').textContent(), /^Deleted (just now|1 minute ago)$/);
    const listed = (await trashApi(page)).items.find((i) => i.path === href);
    assert.ok(listed, 'in GET /api/trash');
    assert.equal(listed.what, 'VEVENT');
    const day = new Intl.DateTimeFormat('en-US', { day: 'numeric', month: 'long', timeZone: 'Europe/Paris', year: new Date(listed.purgeAt).getUTCFullYear() === new Date().getUTCFullYear() ? undefined : 'numeric' }).format(new Date(listed.purgeAt));
    assert.equal(await item.locator('.trash-fate').textContent(), `Deleted for good on ${day}`);
    assert.match(await page.locator('.trash-intro').textContent(), /^Deleted items are kept here for \d+ days?, then deleted for good\.$/);
    await assertAccessible(page, 'trash pane');
    await shot(page, 'trash-desktop');

    // By keyboard: the Restore button is named after the item.
    await page.getByRole('button', { name: 'Restore “Dentist (trash e2e)”' }).focus();
    await page.keyboard.press('Enter');
    await page.getByText(/“Dentist \(trash e2e\)” restored to /).waitFor();
    await item.waitFor({ state: 'detached' });
    const back = await davRequest('GET', href);
    assert.equal(back.status, 200);
    assert.equal(back.etag, before.etag, 'same ETag');
    assert.equal(back.text, before.text, 'same bytes');
    assert.match(back.text, /^UID:trash-e2e-dentist\r$/m);
    assert.match(back.text, /^SUMMARY:Dentist \(trash e2e\)\r$/m);
    assert.equal((await trashApi(page)).items.some((i) => i.id === listed.id), false, 'left the trash');
  });

  test('a calendar deleted over DAV comes back with both its events, and shows in the calendar list', async () => {
    const mk = await davRequest('MKCALENDAR', TRIP, {
      headers: { 'Content-Type': 'application/xml' },
      body: '<?xml version="1.0"?><c:mkcalendar xmlns:d="DAV:" xmlns:c="urn:ietf:params:xml:ns:caldav"><d:set><d:prop><d:displayname>Trip 2027 (trash e2e)</d:displayname></d:prop></d:set></c:mkcalendar>',
    });
    assert.equal(mk.status, 201, mk.text);
    await put(`${TRIP}flight.ics`, ics('trash-e2e-flight', 'Flight to Lyon', 1));
    await put(`${TRIP}hotel.ics`, ics('trash-e2e-hotel', 'Hotel check-in', 2));
    await del(TRIP);
    assert.equal((await davRequest('PROPFIND', TRIP, { headers: { Depth: '0' } })).status, 404);

    await page.reload();
    await openTrash(page);
    const item = entry(page, 'Trip 2027 (trash e2e)');
    await item.waitFor();
    assert.equal(await item.locator('.trash-kind').textContent(), 'Calendar');
    assert.equal(await item.locator('.trash-where').textContent(), 'In Calendars');
    await item.getByRole('button', { name: 'Restore “Trip 2027 (trash e2e)”' }).click();
    await page.getByText('“Trip 2027 (trash e2e)” restored to Calendars.').waitFor();
    const back = await objects(TRIP);
    assert.deepEqual(back.map((o) => o.ics.match(/^SUMMARY:(.*)$/m)[1].trim()).sort(), ['Flight to Lyon', 'Hotel check-in']);
    assert.deepEqual(back.map((o) => o.href.split('/').pop()).sort(), ['flight.ics', 'hotel.ics']);

    // The page read its calendars again: the calendar is in the list, and deleting it
    // now says it can be restored.
    await page.getByRole('navigation', { name: 'Sections' }).getByRole('link', { name: 'Calendar' }).click();
    await page.getByRole('checkbox', { name: /Trip 2027 \(trash e2e\)/ }).waitFor();
    await page.getByRole('button', { name: 'Options of the calendar “Trip 2027 (trash e2e)”' }).click();
    await page.locator('dialog.modal').getByRole('button', { name: 'Delete calendar' }).click();
    const confirm = page.locator('dialog.modal', { has: page.getByRole('heading', { name: 'Delete the calendar “Trip 2027 (trash e2e)”?' }) });
    await confirm.getByText(/^You can restore it from Settings → Trash for \d+ days?\.$/).waitFor();
    await page.keyboard.press('Escape');
    await confirm.waitFor({ state: 'detached' });
    await page.keyboard.press('Escape');
  });

  test('a restore refused because its place is taken says the server’s reason', async () => {
    const href = `${CAL}trash-e2e-taken.ics`;
    await put(href, ics('trash-e2e-taken', 'Taken spot (trash e2e)', 3));
    await del(href);
    await put(href, ics('trash-e2e-taken-2', 'Newcomer', 3));
    await openTrash(page);
    const item = entry(page, 'Taken spot (trash e2e)');
    await item.getByRole('button', { name: 'Restore “Taken spot (trash e2e)”' }).click();
    await item.getByRole('alert').getByText(/^Could not restore: .+/).waitFor();
    // The browser logs the 409 it was meant to get.
    page.problems = page.problems.filter((p) => !/status of 409 .*\/api\/trash\/\d+\/restore/.test(p));
    assert.match(await item.getByRole('alert').textContent(), /trash-e2e-taken\.ics/);
    assert.match((await davRequest('GET', href)).text, /SUMMARY:Newcomer/, 'the newcomer stays');
  });

  test('delete for good asks first, naming the item; then it leaves the list and the API', async () => {
    const href = `${CAL}trash-e2e-invoice.ics`;
    await put(href, ics('trash-e2e-invoice', 'Old invoice (trash e2e)', 4));
    await del(href);
    await page.reload();
    await openTrash(page);
    const item = entry(page, 'Old invoice (trash e2e)');
    const open = async () => {
      await item.getByRole('button', { name: 'Delete “Old invoice (trash e2e)” for good' }).click();
      return page.locator('dialog.modal', { has: page.getByRole('heading', { name: 'Delete “Old invoice (trash e2e)” for good?' }) });
    };
    let dialog = await open();
    await dialog.getByText('“Old invoice (trash e2e)” will be deleted for good: it can no longer be restored.').waitFor();
    assert.equal(await page.evaluate(() => document.activeElement?.textContent), 'Cancel', 'the safe choice has the focus');
    await assertAccessible(page, 'delete for good dialog');
    await page.keyboard.press('Escape');
    await dialog.waitFor({ state: 'detached' });
    assert.equal(await item.count(), 1, 'kept after cancel');
    dialog = await open();
    await dialog.getByRole('button', { name: 'Delete for good' }).click();
    await page.getByText('“Old invoice (trash e2e)” deleted for good.').waitFor();
    await item.waitFor({ state: 'detached' });
    assert.equal((await trashApi(page)).items.some((i) => i.path === href), false, 'gone from GET /api/trash');
    await page.reload();
    await openTrash(page);
    assert.equal(await entry(page, 'Old invoice (trash e2e)').count(), 0);
  });
});

test('an empty trash says so, with the retention', async () => {
  const page = await openPage(browser);
  await signIn(page, OTHER);
  await setPreferences(page, { locale: 'en' });
  // Whatever earlier files left in bob's trash goes, so the pane shows it empty.
  await page.evaluate(async () => {
    const s = await (await fetch('/api/session')).json();
    const headers = { 'X-Agora-CSRF': s.csrf, Accept: 'application/json' };
    const { items } = await (await fetch('/api/trash', { headers })).json();
    for (const i of items) await fetch(`/api/trash/${i.id}`, { method: 'DELETE', headers });
  });
  await openTrash(page);
  await page.locator('.trash-status', { hasText: 'The trash is empty.' }).waitFor();
  assert.match(await page.locator('.trash-intro').textContent(), /^Deleted items are kept here for \d+ days?/);
  assert.equal(await page.locator('.trash-item').count(), 0);
  assertNoProblems(page);
  await page.context().close();
});

test('the trash in French, at 360 px', async () => {
  const page = await openPage(browser, { viewport: PHONE, locale: 'fr-FR' });
  await signIn(page);
  await setPreferences(page, { locale: 'fr' });
  const href = `${CAL}trash-e2e-fr.ics`;
  await put(href, ics('trash-e2e-fr', 'Réunion de rentrée (corbeille)', 5));
  await del(href);
  await openTrash(page, { sections: 'Rubriques', settings: 'Paramètres', panes: 'Rubriques des paramètres', pane: 'Corbeille', phone: true });
  const item = entry(page, 'Réunion de rentrée (corbeille)');
  await item.waitFor();
  assert.equal(await item.locator('.trash-kind').textContent(), 'Événement');
  assert.match(await item.locator('.trash-when').textContent(), /^Supprimé (à l’instant|il y a 1 minute)$/);
  assert.match(await item.locator('.trash-fate').textContent(), /^Suppression définitive le \d{1,2} [a-zéû]+( \d{4})?$/);
  assert.match(await page.locator('.trash-intro').textContent(), /^Les éléments supprimés sont gardés ici \d+ jours?/);
  const width = await page.evaluate(() => document.documentElement.scrollWidth);
  assert.ok(width <= 360, `no horizontal scroll at 360 px (${width})`);
  await assertAccessible(page, 'trash pane in French at 360 px');
  await item.scrollIntoViewIfNeeded();
  await shot(page, 'trash-phone-fr');
  await item.getByRole('button', { name: 'Restaurer « Réunion de rentrée (corbeille) »' }).click();
  await page.getByText(/« Réunion de rentrée \(corbeille\) » restauré dans /).waitFor();
  assert.equal((await davRequest('GET', href)).status, 200);
  await setPreferences(page, { locale: 'en' }, { reload: false });
  assertNoProblems(page);
  await page.context().close();
});
