// The agenda in French (catalogue, Monday first, ISO week number, 24 h) and a flow done
// with the keyboard only: sign in, create an event, open it, close it.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { USER, WEB, assertAccessible, assertNoProblems, findBySummary, launch, openPage, prop, shot, signIn } from './lib.mjs';
import { fillEditor, parisToday } from './helpers-ui.mjs';

const CAL = `/calendars/${USER.login}/calendar/`;
let browser;
before(async () => {
  browser = await launch();
});
after(async () => {
  await browser?.close();
});

test('en français : lundi en premier, numéro de semaine ISO, 24 h, création par l’éditeur', async () => {
  const page = await openPage(browser, { locale: 'fr-FR' });
  await page.goto(WEB + '/');
  await page.getByLabel('Identifiant').waitFor();
  assert.equal(await page.locator('html').getAttribute('lang'), 'fr');
  await shot(page, 'login-fr-desktop');
  await signIn(page);
  await page.getByLabel('Vue').selectOption('week');
  const firstHead = await page.locator('.ec-col-head').first().textContent();
  assert.match(firstHead, /^lun/i, `first column: ${firstHead}`);
  assert.match(await page.locator('#view-title').textContent(), /Semaine \d+/);
  assert.ok(await page.locator('.ec-body .ec-sidebar time', { hasText: '14:00' }).count(), '24 h labels');
  const today = parisToday();
  await page.getByRole('button', { name: 'Nouvel événement' }).click();
  const dialog = await fillEditor(page, { title: 'Réunion d’équipe', date: today.ymd, start: '09:00', end: '09:30', location: 'Salle Molière' });
  await assertAccessible(page, 'éditeur');
  await dialog.getByRole('button', { name: 'Enregistrer' }).click();
  await page.getByText('Événement créé.').waitFor();
  const [stored] = await findBySummary(CAL, 'Réunion d’équipe');
  assert.ok(stored, 'stored');
  assert.equal(prop(stored.ics, 'DTSTART'), `;TZID=Europe/Paris:${today.compact}T090000`);
  assert.equal(prop(stored.ics, 'LOCATION'), ':Salle Molière');
  await assertAccessible(page, 'vue semaine');
  await shot(page, 'week-fr-desktop');
  for (const view of ['month', 'columns']) {
    await page.getByLabel('Vue').selectOption(view);
    await page.waitForTimeout(300);
    await assertAccessible(page, `vue ${view}`);
    await shot(page, `${view}-fr-desktop`);
  }
  await page.getByLabel('Vue').selectOption('week');
  // The switch changes the language at once and stores it in the preferences.
  await page.locator('#lang-narrow').selectOption('en');
  await page.getByRole('button', { name: 'New event' }).waitFor();
  const storedLocale = () =>
    page.evaluate(async () => {
      const { csrf } = await (await fetch('/api/session')).json();
      return (await (await fetch('/api/preferences', { headers: { 'X-Agora-CSRF': csrf } })).json()).locale;
    });
  for (let i = 0; i < 20 && (await storedLocale()) !== 'en'; i++) await page.waitForTimeout(200);
  assert.equal(await storedLocale(), 'en');
  await page.locator('#lang-narrow').selectOption('fr');
  await page.getByRole('button', { name: 'Nouvel événement' }).waitFor();
  assertNoProblems(page);
  await page.context().close();
});

test('keyboard only: sign in, create an event, open it and close it', async () => {
  const page = await openPage(browser);
  await page.goto(WEB + '/');
  await page.locator('#login:focus').waitFor();
  await page.keyboard.type(USER.login);
  await page.keyboard.press('Tab');
  await page.keyboard.type(USER.password);
  await page.keyboard.press('Enter');
  await page.locator('.ec').waitFor();
  const tabTo = async (match, max = 60) => {
    for (let i = 0; i < max; i++) {
      await page.keyboard.press('Tab');
      if (await page.evaluate(match)) return;
    }
    throw new Error(`not reached by Tab: ${match}`);
  };
  await tabTo(() => document.activeElement?.classList.contains('new-btn'));
  await page.keyboard.press('Enter');
  await page.locator('dialog.editor').waitFor();
  await page.keyboard.type('Typed without a mouse');
  await page.keyboard.press('Enter');
  await page.locator('.toast:not([hidden])').waitFor(); // in the language stored by the previous test
  const [stored] = await findBySummary(CAL, 'Typed without a mouse');
  assert.ok(stored, 'stored by keyboard');
  await page.locator('.ec-event', { hasText: 'Typed without a mouse' }).waitFor();
  await tabTo(() => !!document.activeElement?.classList.contains('ec-event') && document.activeElement.textContent.includes('Typed without a mouse'), 150);
  await page.keyboard.press('Enter');
  await page.locator('dialog.editor').waitFor();
  assert.equal(await page.locator('dialog.editor input[id^=ed-title]').inputValue(), 'Typed without a mouse');
  await page.keyboard.press('Escape');
  await page.locator('dialog.editor').waitFor({ state: 'detached' });
  await shot(page, 'keyboard-desktop');
  assertNoProblems(page);
  await page.context().close();
});
