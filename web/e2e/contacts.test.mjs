// The Contacts section (issue 16): a contact with a photo and two e-mails is created in
// the page, found by e-mail and by organisation, put in a group, exported (a download),
// imported into a second address book and read back by vdirsyncer (a real CardDAV
// client, from the conformance venv); vCard 3 and 4 cards with fields the editor does
// not show survive a web edit unchanged but for the edited line; the global address
// list is listed and read-only; a French run on a phone (360 px) creates and finds a
// contact. Every write is checked on the CardDAV side with Basic auth.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { mkdir, mkdtemp, readFile, readdir, writeFile } from 'node:fs/promises';
import { deflateSync } from 'node:zlib';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { DAV, PHONE, USER, assertAccessible, assertNoProblems, davRequest, eventually, launch, openPage, setPreferences, shot, signIn } from './lib.mjs';

const BOOK = `/addressbooks/${USER.login}/contacts/`;
const RUN = Date.now().toString(36);
/** A 400×300 PNG (red and blue halves): the page resizes it in a canvas to a JPEG. */
function png(w = 400, h = 300) {
  const crcTable = Array.from({ length: 256 }, (_, n) => {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    return c >>> 0;
  });
  const crc = (buf) => {
    let c = 0xffffffff;
    for (const b of buf) c = crcTable[(c ^ b) & 0xff] ^ (c >>> 8);
    return (c ^ 0xffffffff) >>> 0;
  };
  const chunk = (type, data) => {
    const len = Buffer.alloc(4);
    len.writeUInt32BE(data.length);
    const td = Buffer.concat([Buffer.from(type), data]);
    const c = Buffer.alloc(4);
    c.writeUInt32BE(crc(td));
    return Buffer.concat([len, td, c]);
  };
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(w, 0);
  ihdr.writeUInt32BE(h, 4);
  ihdr[8] = 8; // bit depth
  ihdr[9] = 2; // RGB
  const raw = Buffer.alloc((w * 3 + 1) * h);
  for (let y = 0; y < h; y++) for (let x = 0; x < w; x++) raw.set(x < w / 2 ? [200, 30, 30] : [30, 60, 200], y * (w * 3 + 1) + 1 + x * 3);
  return Buffer.concat([Buffer.from([137, 80, 78, 71, 13, 10, 26, 10]), chunk('IHDR', ihdr), chunk('IDAT', deflateSync(raw)), chunk('IEND', Buffer.alloc(0))]);
}
const PNG = png();

let browser;
before(async () => {
  browser = await launch();
});
after(async () => {
  await browser?.close();
});

const unxml = (s) => s.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&#39;/g, "'").replace(/&#13;/g, '\r').replace(/&amp;/g, '&');
const unfold = (s) => s.replace(/\r\n[ \t]/g, '');

/** Every card of a book: [{href, vcf}] (unfolded). */
async function cards(book) {
  const res = await davRequest('REPORT', book, {
    headers: { Depth: '1', 'Content-Type': 'application/xml' },
    body: '<?xml version="1.0"?><c:addressbook-query xmlns:d="DAV:" xmlns:c="urn:ietf:params:xml:ns:carddav"><d:prop><c:address-data/></d:prop><c:filter/></c:addressbook-query>',
  });
  assert.equal(res.status, 207, res.text);
  const out = [];
  for (const m of res.text.matchAll(/<D:href>([^<]+)<\/D:href>[\s\S]*?<CARD:address-data[^>]*>([\s\S]*?)<\/CARD:address-data>/gi)) out.push({ href: m[1], vcf: unfold(unxml(m[2])) });
  return out;
}
const byFn = async (book, fn) => (await cards(book)).filter((c) => c.vcf.includes(`\nFN:${fn}\r`));

/** The address books of the home: [{href, name}]. */
async function books() {
  const res = await davRequest('PROPFIND', `/addressbooks/${USER.login}/`, { headers: { Depth: '1', 'Content-Type': 'application/xml' }, body: '<?xml version="1.0"?><d:propfind xmlns:d="DAV:"><d:prop><d:displayname/></d:prop></d:propfind>' });
  return [...res.text.matchAll(/<D:href>([^<]+)<\/D:href>[\s\S]*?displayname[^>]*>([^<]*)</gi)].map((m) => ({ href: m[1], name: unxml(m[2]) }));
}

async function openContacts(page) {
  await page.getByRole('navigation', { name: /Sections|Rubriques/ }).getByRole('link', { name: /Contacts/ }).click();
  await page.locator('.book-list').waitFor({ state: 'attached' });
}

describe('contacts', () => {
  let page;
  before(async () => {
    page = await openPage(browser);
    await signIn(page);
    await setPreferences(page, { locale: 'en' });
    await openContacts(page);
  });
  after(async () => {
    assertNoProblems(page);
    await page.context().close();
  });

  test('the global address list is listed and read-only', async () => {
    const side = page.locator('#contacts-sidebar');
    await side.getByRole('button', { name: /Directory.*directory/ }).click();
    const first = page.locator('.contact-open').first();
    await first.waitFor();
    await first.click();
    await page.locator('.card-view h2').waitFor();
    await page.getByText('This address book is read-only').waitFor();
    assert.equal(await page.locator('.card-view').getByRole('button', { name: 'Edit' }).count(), 0, 'no edit button on the directory');
    assert.equal(await page.locator('.card-view').getByRole('button', { name: 'Delete' }).count(), 0);
    await side.getByRole('button', { name: 'All contacts' }).click();
  });

  const fn = `Camille Zébulon ${RUN}`;
  let uid;
  test('create a contact with a photo and two e-mails, find it by e-mail and organisation', async () => {
    await page.getByRole('button', { name: 'New contact' }).click();
    const dialog = page.locator('dialog.contact-editor');
    await dialog.getByLabel('First name').fill('Camille');
    await dialog.getByLabel('Last name').fill(`Zébulon ${RUN}`);
    await dialog.getByLabel('Organisation').fill('Orchidée SA');
    await dialog.getByRole('button', { name: 'Add an e-mail address' }).click();
    await dialog.getByLabel('E-mail', { exact: true }).nth(0).fill(`camille.${RUN}@home.example`);
    await dialog.getByRole('button', { name: 'Add an e-mail address' }).click();
    await dialog.getByLabel('Type of E-mail').nth(1).selectOption('work');
    await dialog.getByLabel('E-mail', { exact: true }).nth(1).fill(`c.zebulon.${RUN}@orchidee.example`);
    await dialog.getByLabel('Choose a picture').setInputFiles({ name: 'me.png', mimeType: 'image/png', buffer: PNG });
    await dialog.locator('img.photo-preview:not([hidden])').waitFor();
    await assertAccessible(page, 'contact editor');
    await shot(page, 'contacts-editor-desktop');
    await dialog.getByRole('button', { name: 'Save' }).click();
    await page.getByText('Contact created.').waitFor();
    const [stored] = await eventually(() => byFn(BOOK, fn), 5000, 'the new card');
    assert.match(stored.vcf, /^BEGIN:VCARD\r\nVERSION:4\.0\r\n/);
    assert.match(stored.vcf, new RegExp(`\\r\\nEMAIL;TYPE=home:camille\\.${RUN}@home\\.example\\r\\n`));
    assert.match(stored.vcf, new RegExp(`\\r\\nEMAIL;TYPE=work:c\\.zebulon\\.${RUN}@orchidee\\.example\\r\\n`));
    assert.match(stored.vcf, /\r\nPHOTO:data:image\/jpeg;base64,\/9j\/[A-Za-z0-9+/=]+\r\n/);
    assert.match(stored.vcf, /\r\nORG:Orchidée SA\r\n/);
    uid = stored.vcf.match(/\r\nUID:([^\r]+)/)[1];
    assert.match(uid, /^urn:uuid:[0-9a-f-]{36}$/);

    const search = page.getByLabel('Search contacts');
    await search.fill(`c.zebulon.${RUN}@`);
    await eventually(async () => (await page.locator('.contact-name').allTextContents()).join('|') === fn, 5000, 'found by e-mail');
    await search.fill('orchidee'); // accents ignored
    await eventually(async () => (await page.locator('.contact-name').allTextContents()).includes(fn), 5000, 'found by organisation');
    await page.locator('.contact-open', { hasText: fn }).click();
    await page.locator('.card-view h2', { hasText: fn }).waitFor();
    assert.equal(await page.locator('.card-view a[href^="mailto:"]').count(), 2);
    await page.locator('.card-view img.avatar').waitFor();
    await assertAccessible(page, 'contact list and card');
    await shot(page, 'contacts-card-desktop');
  });

  test('put it in a group: a new group card in Apple form with the member', async () => {
    await page.locator('#contacts-sidebar .book', { hasText: 'Contacts' }).getByRole('button', { name: 'New group' }).click();
    const dialog = page.locator('dialog.modal');
    await dialog.getByLabel('Name').fill(`Équipe ${RUN}`);
    await dialog.getByRole('button', { name: 'Create' }).click();
    await page.getByText(`Group “Équipe ${RUN}” created.`).waitFor();
    await page.locator('.card-view').getByLabel(`Équipe ${RUN}`).check();
    await page.getByText(`added to “Équipe ${RUN}”`).waitFor();
    const [group] = await byFn(BOOK, `Équipe ${RUN}`);
    assert.match(group.vcf, /^BEGIN:VCARD\r\nVERSION:3\.0\r\n/);
    assert.match(group.vcf, /\r\nX-ADDRESSBOOKSERVER-KIND:group\r\n/);
    assert.ok(group.vcf.includes(`\r\nX-ADDRESSBOOKSERVER-MEMBER:${uid}\r\n`), group.vcf);
    // The group's view lists its member.
    await page.locator('#contacts-sidebar .group-open', { hasText: `Équipe ${RUN}` }).click();
    await page.getByLabel('Search contacts').fill('');
    await eventually(async () => (await page.locator('.contact-name').allTextContents()).join('|') === fn, 5000, 'the group lists its member');
  });

  test('export it, import it into a second address book, read it with vdirsyncer', async () => {
    await page.locator('.contact-open', { hasText: fn }).click();
    const [download] = await Promise.all([page.waitForEvent('download'), page.locator('.card-view').getByRole('button', { name: 'Export (.vcf)' }).click()]);
    const file = await download.path();
    const text = await readFile(file, 'utf8');
    assert.match(text, /^BEGIN:VCARD\r\n/);
    assert.ok(text.includes(`FN:${fn}`));

    // A second address book, made in the page.
    await page.getByRole('button', { name: 'New address book' }).click();
    const nb = page.locator('dialog.modal');
    await nb.getByLabel('Name').fill(`Second ${RUN}`);
    await nb.getByRole('button', { name: 'Create' }).click();
    await page.getByText(`Address book “Second ${RUN}” created.`).waitFor();
    const second = (await books()).find((b) => b.name === `Second ${RUN}`);
    assert.ok(second, 'MKCOL made the book');

    await page.getByRole('button', { name: 'Import (.vcf)…' }).click();
    const imp = page.locator('dialog.modal');
    await imp.getByLabel('Address book').selectOption({ label: `Second ${RUN}` });
    await imp.getByLabel('File (.vcf)').setInputFiles(file);
    await assertAccessible(page, 'import dialog');
    await imp.getByRole('button', { name: 'Import' }).click();
    await imp.getByText('1 imported.').waitFor();
    // Again: the same UID is already there.
    await imp.getByRole('button', { name: 'Import' }).click();
    await imp.getByText('0 imported, 1 already present.').waitFor();
    await imp.getByRole('button', { name: 'Close' }).click();
    const [copy] = await byFn(second.href, fn);
    assert.ok(copy.vcf.includes(`\r\nUID:${uid}\r\n`), 'UID kept');

    // vdirsyncer (the conformance venv's) syncs the second book to a local folder.
    const python = process.env.E2E_PYTHON;
    assert.ok(python, 'E2E_PYTHON must name the python of the conformance venv (scripts/web-e2e sets it)');
    const bin = dirname(python);
    const dir = await mkdtemp(join(tmpdir(), 'agora-vdir-'));
    const local = join(dir, 'local');
    await writeFile(join(dir, 'config'), `[general]\nstatus_path = "${dir}/status/"\n\n[pair p]\na = "local"\nb = "remote"\ncollections = null\n\n[storage local]\ntype = "filesystem"\npath = "${local}/"\nfileext = ".vcf"\n\n[storage remote]\ntype = "carddav"\nurl = "${DAV}${second.href}"\nusername = "${USER.login}"\npassword = "${USER.password}"\nread_only = true\n`);
    const run = promisify(execFile);
    const env = { ...process.env, HOME: dir, XDG_CONFIG_HOME: dir, XDG_DATA_HOME: dir, XDG_CACHE_HOME: dir };
    await mkdir(local, { recursive: true });
    await run(join(bin, 'vdirsyncer'), ['-c', join(dir, 'config'), 'discover'], { env, timeout: 60000 });
    await run(join(bin, 'vdirsyncer'), ['-c', join(dir, 'config'), 'sync'], { env, timeout: 60000 });
    const files = await readdir(local);
    assert.equal(files.length, 1, `one card synced: ${files}`);
    const synced = unfold(await readFile(join(local, files[0]), 'utf8'));
    assert.ok(synced.includes(`\nFN:${fn}\r`), synced);
    assert.ok(synced.includes(`:camille.${RUN}@home.example\r`));
    assert.ok(synced.includes(`:c.zebulon.${RUN}@orchidee.example\r`));
    assert.match(synced, /\nPHOTO:data:image\/jpeg;base64,\/9j\//);
  });

  test('vCard 3 and 4 with fields the editor does not show survive a web edit', async () => {
    const v3 = ['BEGIN:VCARD', 'VERSION:3.0', 'PRODID:-//Apple Inc.//iOS 17.0//EN', `N:Durand${RUN};Paul;;;`, `FN:Paul Durand${RUN}`, 'ORG:ACME\\, Inc.;R&D', 'TITLE:Boss',
      'EMAIL;type=INTERNET;type=WORK;type=pref:paul@acme.example', 'item1.TEL;type=pref:+33 1 23 45 67 89', 'item1.X-ABLabel:Bureau', 'TEL;TYPE=CELL:06 12 34 56 78',
      'X-SOCIALPROFILE;type=twitter:http://twitter.com/pd', 'IMPP;X-SERVICE-TYPE=Jabber:xmpp:pd@acme.example', 'BDAY;X-APPLE-OMIT-YEAR=1604:1604-04-15',
      'item2.ADR;type=HOME:;;1 rue X;Paris;;75001;France', 'item2.X-ABADR:fr', 'X-FOO;X-P=1:bar', `UID:v3-${RUN}`, 'END:VCARD', ''].join('\r\n');
    const v4 = ['BEGIN:VCARD', 'VERSION:4.0', `UID:urn:uuid:00000000-0000-4000-8000-${RUN.padStart(12, '0').slice(-12)}`, `FN:Zoé Quatre${RUN}`, `N:Quatre${RUN};Zoé;;;`, 'TITLE:Chef',
      'TEL;VALUE=uri;TYPE="voice,cell":tel:+33-6-00', 'EMAIL;TYPE=work;PREF=1:zoe@acme.example', 'ANNIVERSARY:20100601', 'X-CUSTOM;X-A=b:1', 'END:VCARD', ''].join('\r\n');
    for (const [name, text, fnv] of [[`v3-${RUN}.vcf`, v3, `Paul Durand${RUN}`], [`v4-${RUN}.vcf`, v4, `Zoé Quatre${RUN}`]]) {
      const put = await davRequest('PUT', BOOK + name, { body: text, headers: { 'Content-Type': 'text/vcard', 'If-None-Match': '*' } });
      assert.equal(put.status, 201, put.text);
      await page.reload();
      await page.locator('.book-list').waitFor({ state: 'attached' });
      await page.getByLabel('Search contacts').fill(fnv);
      await page.locator('.contact-open', { hasText: fnv }).click();
      await page.locator('.card-view').getByRole('button', { name: 'Edit' }).click();
      const dialog = page.locator('dialog.contact-editor');
      await dialog.getByLabel('Job title').fill('Director');
      await dialog.getByRole('button', { name: 'Save' }).click();
      await page.getByText('Contact saved.').waitFor();
      const got = (await davRequest('GET', BOOK + name)).text;
      const oldTitle = text.match(/TITLE:[^\r]+/)[0];
      assert.deepEqual(got.split('\r\n'), text.split('\r\n').map((l) => (l === oldTitle ? 'TITLE:Director' : l)), `${name}: only TITLE changed`);
    }
  });
});

describe('contacts in French on a phone', () => {
  let page;
  before(async () => {
    page = await openPage(browser, { viewport: PHONE, locale: 'fr-FR' });
    await signIn(page);
    await setPreferences(page, { locale: 'fr' });
    await openContacts(page);
  });
  after(async () => {
    await setPreferences(page, { locale: 'en' }, { reload: false });
    assertNoProblems(page);
    await page.context().close();
  });

  test('create and find a contact, list and card as two screens', async () => {
    await page.getByRole('button', { name: 'Nouveau contact' }).click();
    const dialog = page.locator('dialog.contact-editor');
    await dialog.getByLabel('Prénom', { exact: true }).fill('Hélène');
    await dialog.getByLabel('Nom de famille').fill(`Fournier ${RUN}`);
    await dialog.getByRole('button', { name: 'Ajouter un numéro de téléphone' }).click();
    await dialog.getByLabel('Téléphone', { exact: true }).fill('+33 6 11 22 33 44');
    await dialog.getByRole('button', { name: 'Enregistrer' }).click();
    await page.getByText('Contact créé.').waitFor();
    // The new card is shown in place of the list; its back button returns to the list.
    await page.locator('.card-view h2', { hasText: `Hélène Fournier ${RUN}` }).waitFor();
    await page.locator('.card-view').getByRole('button', { name: 'Contacts' }).click();
    await page.getByLabel('Rechercher des contacts').fill('+33 6 11 22');
    await page.locator('.contact-open', { hasText: `Hélène Fournier ${RUN}` }).waitFor();
    await assertAccessible(page, 'French contact list on a phone');
    await shot(page, 'contacts-list-phone-fr');
    await page.locator('.contact-open', { hasText: `Hélène Fournier ${RUN}` }).click();
    await page.locator('.card-view h2', { hasText: `Hélène Fournier ${RUN}` }).waitFor();
    assert.equal(await page.locator('.list-pane').isVisible(), false, 'on a phone the card replaces the list');
    await page.locator('.card-view a[href="tel:+33611223344"]').waitFor();
    await shot(page, 'contacts-card-phone-fr');
    await page.locator('.card-view').getByRole('button', { name: 'Contacts' }).click();
    await page.locator('.list-pane').waitFor();
    assert.equal((await byFn(BOOK, `Hélène Fournier ${RUN}`)).length, 1);
  });
});
