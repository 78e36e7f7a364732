// The server's birthdays calendar in the page: a card stored by CardDAV (Basic auth)
// gives an all-day "Birthday: …" event today, in a calendar the page lists as
// read-only from the PROPFIND of the home (no code of its own), whose event opens
// read-only in the editor. The card is deleted at the end (its event goes with it).
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { USER, assertNoProblems, davRequest, launch, openPage, shot, signIn } from './lib.mjs';
import { parisToday } from './helpers-ui.mjs';

let browser;
before(async () => {
  browser = await launch();
});
after(async () => {
  await browser?.close();
});

describe('birthdays calendar', () => {
  test('a contact born today shows in the read-only Birthdays calendar', async () => {
    const today = parisToday();
    const name = `Ada E2E ${Date.now() % 100000}`;
    const card = ['BEGIN:VCARD', 'VERSION:4.0', `UID:e2e-bday-${Date.now()}`, `FN:${name}`,
      `BDAY:--${today.compact.slice(4)}`, 'END:VCARD', ''].join('\r\n');
    const href = `/addressbooks/${USER.login}/contacts/e2e-bday-${Date.now()}.vcf`;
    const put = await davRequest('PUT', href, {
      body: card, headers: { 'Content-Type': 'text/vcard' },
    });
    assert.ok(put.status === 201 || put.status === 204, `PUT card: ${put.status} ${put.text}`);

    const page = await openPage(browser);
    await signIn(page);
    const item = page.locator('.cal-list li', { hasText: /^Birthdays|Anniversaires/ });
    await item.waitFor();
    assert.match(await item.locator('.cal-note').innerText(), /read-only|lecture seule/);

    const chip = page.locator('.ec-event', { hasText: name }).first();
    await chip.waitFor();
    assert.match(await chip.innerText(), /Birthday: |Anniversaire/);
    await shot(page, 'birthdays-week');
    await chip.click();
    const title = page.locator('dialog.editor input[id^=ed-title]');
    await title.waitFor();
    assert.equal(await title.isDisabled(), true, 'the event of a read-only calendar opens read-only');
    assert.match(await title.inputValue(), new RegExp(name));
    await page.keyboard.press('Escape');
    assertNoProblems(page);
    await page.context().close();
    // The other test files expect no event of ours today.
    assert.equal((await davRequest('DELETE', href)).status, 204);
  });
});
