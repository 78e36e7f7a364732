// Administration end to end: the administrator (scripts/web-e2e passes the `admin`
// account the server made at its first start) creates a user and a room (capacity 8)
// in the page; the new user signs in, and the room is in the meeting editor's room
// finder with its capacity; disabled in the page, the user is signed out and refused
// with the reason. A user who does not administer sees no Administration section and
// gets 403 from its API. A French run creates a user and a room again. axe-core on
// each pane and dialog; screenshots at desktop and phone width. What was made is
// deleted at the end (other files count the directory's rooms and people).
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { PHONE, USER, WEB, assertAccessible, assertNoProblems, davRequest, launch, openPage, setPreferences, shot, signIn } from './lib.mjs';

const ADMIN = { login: process.env.E2E_ADMIN ?? 'admin', password: process.env.E2E_ADMIN_PASSWORD ?? '' };
const run = Math.random().toString(36).slice(2, 7);
const NEW_USER = { login: `dana-${run}`, password: `secret-dana-${run}` };
const ROOM = { name: `atrium-${run}`, display: `Atrium ${run}`, email: `atrium-${run}@example.org` };
const made = { users: [NEW_USER.login], rooms: [ROOM.name] };

let browser;
before(async () => {
  assert.ok(ADMIN.password, 'E2E_ADMIN_PASSWORD: the admin password printed at the first start');
  browser = await launch();
});
after(async () => {
  // Leave the directory as it was, through the API as the administrator.
  if (browser) {
    const page = await openPage(browser);
    await signIn(page, ADMIN);
    await page.evaluate(async (made) => {
      const s = await (await fetch('/api/session')).json();
      const headers = { 'X-Agora-CSRF': s.csrf };
      for (const u of made.users) await fetch(`/api/admin/users/${u}`, { method: 'DELETE', headers });
      for (const r of made.rooms) await fetch(`/api/admin/resources/${r}`, { method: 'DELETE', headers });
    }, made);
    await setPreferences(page, {}, { drop: ['locale'], reload: false });
    await browser.close();
  }
});

const rail = (page) => page.getByRole('navigation', { name: /^(Sections|Rubriques)$/ });

async function openAdmin(page, pane) {
  await rail(page).getByRole('link', { name: 'Administration' }).click();
  await page.getByRole('navigation', { name: /Administration pages|Pages d’administration/ }).getByRole('link', { name: pane }).click();
  await page.locator('.admin-table, .admin-card, .admin-pane .hint').first().waitFor();
}

/** The capacity property of a room principal, read by CalDAV as any user. */
async function capacity(room) {
  const res = await davRequest('PROPFIND', `/principals/${room}/`, {
    headers: { Depth: '0', 'Content-Type': 'application/xml' },
    body: '<d:propfind xmlns:d="DAV:" xmlns:a="urn:x-agora:ns"><d:prop><a:capacity/></d:prop></d:propfind>',
  });
  return res.text.match(/capacity[^>]*>(\d+)</)?.[1];
}

describe('administration', () => {
  test('the administrator creates a user and a room; the room is in the room finder; a disabled user is refused', async () => {
    const page = await openPage(browser);
    await signIn(page, ADMIN);
    await setPreferences(page, { locale: 'en' });
    await page.locator('.ec').waitFor();
    await openAdmin(page, 'Users');
    await page.locator('.admin-table tr', { hasText: ADMIN.login }).locator('.badge-admin').waitFor();
    await assertAccessible(page, 'users pane');

    // A new user, from the keyboard to the dialog.
    const newUser = page.getByRole('button', { name: 'New user' });
    await newUser.focus();
    await page.keyboard.press('Enter');
    const dialog = page.getByRole('dialog', { name: 'New user' });
    await dialog.getByLabel('User name').fill(NEW_USER.login);
    await dialog.getByLabel('Full name').fill(`Dana ${run}`);
    await dialog.getByLabel('E-mail address').fill(`${NEW_USER.login}@example.org`);
    await dialog.getByLabel('Password').fill('short');
    await assertAccessible(page, 'new user dialog');
    await dialog.getByRole('button', { name: 'Create' }).click();
    // The server's refusal, in words, in the dialog.
    await dialog.getByRole('alert').filter({ hasText: 'The server refused this input' }).waitFor();
    await dialog.getByLabel('Password').fill(NEW_USER.password);
    await dialog.getByRole('button', { name: 'Create' }).click();
    await dialog.waitFor({ state: 'detached' });
    const row = page.locator('.admin-table tr', { hasText: NEW_USER.login });
    await row.locator('.badge', { hasText: 'Active' }).waitFor();
    await shot(page, 'admin-users');

    // A room for eight.
    await openAdmin(page, 'Rooms & equipment');
    await page.getByRole('button', { name: 'New room or equipment' }).click();
    const roomDialog = page.getByRole('dialog', { name: 'New room or equipment' });
    await roomDialog.getByLabel('Name', { exact: true }).fill(ROOM.name);
    await roomDialog.getByLabel('Display name').fill(ROOM.display);
    await roomDialog.getByLabel('E-mail address').fill(ROOM.email);
    await roomDialog.getByLabel('Capacity (people)').fill('8');
    await assertAccessible(page, 'new room dialog');
    await shot(page, 'admin-room-dialog');
    await roomDialog.getByRole('button', { name: 'Create' }).click();
    await roomDialog.waitFor({ state: 'detached' });
    await page.locator('.admin-table tr', { hasText: ROOM.display }).getByText('8 people').waitFor();
    assert.equal(await capacity(ROOM.name), '8', 'the capacity is a principal property');
    await assertAccessible(page, 'rooms pane');
    await shot(page, 'admin-rooms');

    // The new user signs in and finds the room, with its capacity.
    const dana = await openPage(browser);
    await signIn(dana, NEW_USER);
    await dana.getByRole('button', { name: 'New event' }).click();
    const editor = dana.locator('dialog.editor');
    await editor.getByRole('button', { name: 'Find a room' }).click();
    const finder = dana.locator('dialog.room-finder');
    const roomRow = finder.locator('.room-row', { hasText: ROOM.display });
    await roomRow.getByText('8 people').waitFor();
    await assertAccessible(dana, 'room finder with capacities');
    await shot(dana, 'admin-room-finder');
    await finder.getByRole('button', { name: 'Close' }).click();

    // Disabled: asked first, then the open session ends and sign-in says why.
    await openAdmin(page, 'Users');
    await page.getByRole('button', { name: `Disable ${NEW_USER.login}` }).click();
    const confirm = page.getByRole('dialog', { name: `Disable ${NEW_USER.login}?` });
    await assertAccessible(page, 'disable confirmation');
    await confirm.getByRole('button', { name: 'Disable' }).click();
    // The badge itself: the buttons' text "…DisableDelete…" holds "disabled" too.
    await page.locator('.admin-table tr', { hasText: NEW_USER.login }).locator('.badge', { hasText: 'Disabled' }).waitFor();
    // Refused by Basic at once.
    assert.equal((await davRequest('PROPFIND', `/calendars/${NEW_USER.login}/`, { user: NEW_USER, headers: { Depth: '0' } })).status, 401);
    const gone = await dana.evaluate(async () => (await fetch('/api/session')).status);
    assert.equal(gone, 401, 'the disabled user is signed out at once');
    await dana.goto(WEB + '/');
    await dana.locator('#login').fill(NEW_USER.login);
    await dana.locator('#password').fill(NEW_USER.password);
    await dana.locator('form.login-form button[type=submit]').click();
    await dana.getByText('This account is disabled. Ask an administrator.').waitFor();
    await shot(dana, 'admin-disabled-sign-in');

    // On a phone, the table becomes cards.
    await page.setViewportSize(PHONE);
    await page.locator('.admin-table tr', { hasText: NEW_USER.login }).waitFor();
    await assertAccessible(page, 'users pane on a phone');
    await shot(page, 'admin-users-phone');
    // The pane list is behind the menu button on a phone: by address.
    await page.evaluate(() => (location.hash = '#/admin/health'));
    await page.getByText('answers', { exact: true }).waitFor();
    await assertAccessible(page, 'health pane on a phone');
    await shot(page, 'admin-health-phone');
    await page.setViewportSize({ width: 1280, height: 800 });
    await openAdmin(page, 'Mail queue');
    await assertAccessible(page, 'mail pane');
    await openAdmin(page, 'Groups');
    await assertAccessible(page, 'groups pane');
    // The one refusal asked for (the short password) is the only failed request.
    page.problems = page.problems.filter((p) => !/status of 400/.test(p));
    assertNoProblems(page);
  });

  test('someone who does not administer sees no Administration and is refused by its API', async () => {
    const page = await openPage(browser);
    await signIn(page, USER);
    await rail(page).getByRole('link').first().waitFor();
    assert.equal(await rail(page).getByRole('link', { name: 'Administration' }).count(), 0);
    await page.goto(WEB + '/#/admin');
    await page.locator('.ec').waitFor();
    assert.equal(await page.locator('.section-admin').count(), 0, 'the calendar instead');
    const answer = await page.evaluate(async () => {
      const s = await (await fetch('/api/session')).json();
      const r = await fetch('/api/admin/users', { headers: { 'X-Agora-CSRF': s.csrf } });
      return { status: r.status, body: await r.json(), administrator: s.administrator };
    });
    assert.equal(answer.administrator, false);
    assert.equal(answer.status, 403);
    assert.equal(answer.body.error, 'forbidden');
  });

  test('en français : un utilisateur et une salle créés dans la page', async () => {
    const login = `eli-${run}`;
    const room = { name: `agora-${run}`, display: `Agora ${run}` };
    made.users.push(login);
    made.rooms.push(room.name);
    const page = await openPage(browser, { locale: 'fr-FR' });
    await signIn(page, ADMIN);
    await setPreferences(page, { locale: 'fr' });
    await page.locator('.ec').waitFor();
    await openAdmin(page, 'Utilisateurs');
    await page.getByRole('heading', { name: 'Utilisateurs' }).waitFor();
    await page.getByRole('button', { name: 'Nouvel utilisateur' }).click();
    const dialog = page.getByRole('dialog', { name: 'Nouvel utilisateur' });
    await dialog.getByLabel('Nom d’utilisateur').fill(login);
    await dialog.getByLabel('Quota').selectOption({ label: 'Propre' });
    await dialog.getByLabel('Mégaoctets').fill('50');
    await assertAccessible(page, 'nouvel utilisateur');
    await dialog.getByRole('button', { name: 'Créer' }).click();
    // No password given: one is generated and shown once.
    const shown = page.getByRole('dialog', { name: 'Utilisateur créé' });
    const password = (await shown.locator('output').textContent()).trim();
    assert.ok(password.length >= 12, password);
    await assertAccessible(page, 'mot de passe affiché');
    await shot(page, 'admin-password-fr');
    await shown.getByRole('button', { name: 'Fermer' }).click();
    await page.locator('.admin-table tr', { hasText: login }).getByText(/sur 50\sMo/).waitFor();
    assert.equal((await davRequest('PROPFIND', `/calendars/${login}/`, { user: { login, password }, headers: { Depth: '0' } })).status, 207);

    await openAdmin(page, 'Salles et équipements');
    await page.getByRole('button', { name: 'Nouvelle salle ou équipement' }).click();
    const roomDialog = page.getByRole('dialog', { name: 'Nouvelle salle ou équipement' });
    await roomDialog.getByLabel('Nom', { exact: true }).fill(room.name);
    await roomDialog.getByLabel('Nom affiché').fill(room.display);
    await roomDialog.getByLabel('Adresse e-mail').fill(`${room.name}@example.org`);
    await roomDialog.getByLabel('Capacité (personnes)').fill('8');
    await roomDialog.getByLabel('Répond seule aux invitations').uncheck();
    await assertAccessible(page, 'nouvelle salle');
    await roomDialog.getByRole('button', { name: 'Créer' }).click();
    const roomRow = page.locator('.admin-table tr', { hasText: room.display });
    await roomRow.getByText('8 personnes').waitFor();
    await roomRow.getByText('Par une personne').waitFor();
    await shot(page, 'admin-rooms-fr');
    assert.equal(await capacity(room.name), '8');

    // Deleting asks first.
    await roomRow.getByRole('button', { name: `Supprimer ${room.display}` }).click();
    const confirm = page.getByRole('dialog', { name: `Supprimer ${room.display} ?` });
    await assertAccessible(page, 'confirmation de suppression');
    await confirm.getByRole('button', { name: 'Supprimer' }).click();
    await roomRow.waitFor({ state: 'detached' });
    assertNoProblems(page);
  });
});
