// The vCard round trip of the Contacts section (src/contacts/vcard.ts, contact.ts,
// groups.ts), bundled with esbuild: an edit rewrites only the changed lines, in the
// card's own VERSION, and every other line (item groups, X- properties) stays byte for byte.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { build } from 'esbuild';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, dirname } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const dir = await mkdtemp(join(tmpdir(), 'agora-vcard-'));
const entry = join(dir, 'entry.ts');
await writeFile(entry, `export * from '${join(root, 'src/contacts/vcard.ts')}';\nexport * from '${join(root, 'src/contacts/contact.ts')}';\nexport * from '${join(root, 'src/contacts/groups.ts')}';\n`);
await build({ entryPoints: [entry], bundle: true, format: 'esm', platform: 'node', outfile: join(dir, 'm.mjs'), logLevel: 'error', nodePaths: [join(root, 'node_modules')] });
const M = await import(pathToFileURL(join(dir, 'm.mjs')).href);

const V3 = ['BEGIN:VCARD', 'VERSION:3.0', 'PRODID:-//Apple Inc.//iOS 17.0//EN', 'N:Dupont;Jean;;;', 'FN:Jean Dupont', 'ORG:ACME\\, Inc.;R&D', 'TITLE:Boss',
  'EMAIL;type=INTERNET;type=WORK;type=pref:jean@ex.org', 'item1.TEL;type=pref:+33 1 23 45 67 89', 'item1.X-ABLabel:Bureau', 'TEL;TYPE=CELL:06 12',
  'X-SOCIALPROFILE;type=twitter:http://twitter.com/jd', 'IMPP;X-SERVICE-TYPE=Jabber:xmpp:jd@ex.org', 'BDAY;X-APPLE-OMIT-YEAR=1604:1604-04-15', 'X-FOO;X-P=1:bar', 'UID:abc-3', 'END:VCARD', ''].join('\r\n');
const V4 = ['BEGIN:VCARD', 'VERSION:4.0', 'UID:urn:uuid:4', 'FN:Zoé', 'N:;Zoé;;;', 'TEL;VALUE=uri;TYPE="voice,cell":tel:+33-6', 'EMAIL;TYPE=work;PREF=1:z@ex.org', 'X-CUSTOM;X-A=b:1', 'END:VCARD', ''].join('\r\n');

const lines = (s) => s.split('\r\n');

test('an untouched card is written back byte for byte', () => {
  for (const text of [V3, V4]) assert.equal(M.Card.parse(text).toString(), text);
});

test('vCard 3: changing the title touches only TITLE; labels and types are read', () => {
  const card = M.Card.parse(V3);
  const before = M.readContact(card);
  assert.equal(before.bday, '--04-15');
  assert.deepEqual(before.tel.map((e) => [e.kind, e.label]), [['custom', 'Bureau'], ['cell', '']]);
  assert.equal(before.email[0].kind, 'work');
  M.writeContact(card, before, { ...before, title: 'CEO' });
  const out = card.toString();
  assert.deepEqual(lines(out), lines(V3).map((l) => (l === 'TITLE:Boss' ? 'TITLE:CEO' : l)));
});

test('vCard 4: a second e-mail is added after the first, PHOTO as a data: URI with its comma', () => {
  const card = M.Card.parse(V4);
  const before = M.readContact(card);
  const email = [...before.email, { value: ['zoe@home.example'], kind: 'home', label: '' }];
  M.writeContact(card, before, { ...before, email }, { jpegBase64: 'AAAA' });
  const out = lines(card.toString());
  assert.equal(out[out.indexOf('EMAIL;TYPE=work;PREF=1:z@ex.org') + 1], 'EMAIL;TYPE=home:zoe@home.example');
  assert.ok(out.includes('PHOTO:data:image/jpeg;base64,AAAA'));
  assert.ok(out.includes('TEL;VALUE=uri;TYPE="voice,cell":tel:+33-6'), 'the TEL line kept as it was');
  assert.ok(out.includes('X-CUSTOM;X-A=b:1'));
});

test('vCard 3 photo and a custom label on a new phone use an item group', () => {
  const card = M.Card.parse(V3);
  const before = M.readContact(card);
  const tel = [...before.tel, { value: ['+1 555'], kind: 'custom', label: 'Boat' }];
  M.writeContact(card, before, { ...before, tel }, { jpegBase64: 'BBBB' });
  const out = lines(card.toString());
  const i = out.indexOf('item2.TEL:+1 555');
  assert.ok(i > 0, out.join('\n'));
  assert.equal(out[i + 1], 'item2.X-ABLabel:Boat');
  assert.ok(out.includes('PHOTO;ENCODING=b;TYPE=JPEG:BBBB'));
});

test('groups: Apple and KIND:group members, categories', () => {
  const apple = M.newGroupCard('Team', 'apple');
  assert.match(apple.text, /VERSION:3\.0\r\n[\s\S]*X-ADDRESSBOOKSERVER-KIND:group/);
  const withMember = M.setMember(apple.text, 'abc-3', true);
  assert.match(withMember, /X-ADDRESSBOOKSERVER-MEMBER:urn:uuid:abc-3\r\n/);
  assert.deepEqual(M.groupOf(M.Card.parse(withMember)).members, ['abc-3']);
  assert.doesNotMatch(M.setMember(withMember, 'urn:uuid:ABC-3', false), /MEMBER/);
  const kind = M.setMember(M.newGroupCard('Team', 'kind').text, 'urn:uuid:4', true);
  assert.match(kind, /KIND:group\r\n[\s\S]*MEMBER:urn:uuid:4\r\n/);
  const cat = M.setCategory(V4, 'Friends, old', true);
  assert.match(cat, /CATEGORIES:Friends\\, old\r\n/);
});

test('folding at 75 octets without splitting a character', () => {
  const long = `NOTE:${'é'.repeat(60)}`;
  const folded = M.fold(long);
  for (const l of folded.split('\r\n')) assert.ok(Buffer.byteLength(l) <= 75);
  assert.equal(M.contentLines(folded)[0], long);
});
