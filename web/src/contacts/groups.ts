//! Contact groups in the three forms real clients write (docs/interop.md): a vCard 4
//! group card (`KIND:group` with `MEMBER:urn:uuid:…`, RFC 6350 §6.1.4 and §6.6.5),
//! Apple's group card (vCard 3 `X-ADDRESSBOOKSERVER-KIND:group` with
//! `X-ADDRESSBOOKSERVER-MEMBER:urn:uuid:…`, what macOS and iOS Contacts read and write),
//! and CATEGORIES on the members themselves (RFC 6350 §6.7.1). A group is changed in the
//! form it already has; a new group takes the book's dominant form, Apple's when the
//! book has none (docs/decisions.md).
import { Card, escapeText, listOf, makeLine, writeLine } from './vcard';
import { touchRev } from './contact';

export type GroupForm = 'kind' | 'apple' | 'categories';

export interface GroupInfo {
  form: 'kind' | 'apple';
  /** Members' UIDs, normalized (memberKey). */
  members: string[];
}

/** A member reference or a UID, compared without `urn:uuid:` and case. */
export function memberKey(v: string): string {
  return v.trim().replace(/^urn:uuid:/i, '').toLowerCase();
}

/** The URI a group card names a member by. */
export function memberUri(uid: string): string {
  return /^[a-z][a-z0-9+.-]*:/i.test(uid) ? uid : `urn:uuid:${uid}`;
}

export function groupOf(card: Card): GroupInfo | undefined {
  if (card.text('kind').toLowerCase() === 'group') {
    return { form: 'kind', members: card.all('member').map((l) => memberKey(l.rawValue)) };
  }
  if (card.text('x-addressbookserver-kind').toLowerCase() === 'group') {
    return { form: 'apple', members: card.all('x-addressbookserver-member').map((l) => memberKey(l.rawValue)) };
  }
  return undefined;
}

const MEMBER_PROP: Record<'kind' | 'apple', string> = { kind: 'member', apple: 'x-addressbookserver-member' };

/** Adds (or removes) a member to a group card's text, in the card's own form. */
export function setMember(text: string, uid: string, present: boolean): string {
  const card = Card.parse(text);
  const g = groupOf(card);
  if (!g) throw new Error('not a group card');
  const prop = MEMBER_PROP[g.form];
  const k = memberKey(uid);
  const has = card.all(prop).some((l) => memberKey(l.rawValue) === k);
  if (present && !has) {
    const after = card.all(prop).at(-1);
    const line = makeLine(writeLine(prop.toUpperCase(), {}, memberUri(uid)), card.version);
    card.lines.splice(after ? card.lines.indexOf(after) + 1 : card.lines.length, 0, line);
  } else if (!present && has) {
    card.lines = card.lines.filter((l) => !(l.name === prop && memberKey(l.rawValue) === k));
  } else {
    return text;
  }
  touchRev(card);
  return card.toString();
}

/** Adds or removes a category on a contact's card (CATEGORIES lines merged into one). */
export function setCategory(text: string, category: string, present: boolean): string {
  const card = Card.parse(text);
  const lines = card.all('categories');
  const all = lines.flatMap(listOf);
  const has = all.some((c) => c.toLowerCase() === category.toLowerCase());
  if (present === has) return text;
  const next = present ? [...all, category] : all.filter((c) => c.toLowerCase() !== category.toLowerCase());
  const at = lines.length ? card.lines.indexOf(lines[0]) : card.lines.length;
  card.lines = card.lines.filter((l) => l.name !== 'categories');
  if (next.length) card.lines.splice(Math.min(at, card.lines.length), 0, makeLine(writeLine('CATEGORIES', {}, next.map(escapeText).join(',')), card.version));
  touchRev(card);
  return card.toString();
}

/** The form a new group takes in a book: the most used one there, else Apple's. */
export function dominantForm(groups: GroupInfo[]): 'kind' | 'apple' {
  const kind = groups.filter((g) => g.form === 'kind').length;
  const apple = groups.filter((g) => g.form === 'apple').length;
  return kind > apple ? 'kind' : 'apple';
}

/** A new group card: Apple's form is vCard 3.0, KIND:group is vCard 4.0. */
export function newGroupCard(name: string, form: 'kind' | 'apple'): { uid: string; text: string } {
  const uid = crypto.randomUUID();
  const lines =
    form === 'apple'
      ? ['VERSION:3.0', 'PRODID:-//Agora//Web//EN', `UID:${uid}`, writeLine('FN', {}, escapeText(name)), writeLine('N', {}, `${escapeText(name)};;;;`), 'X-ADDRESSBOOKSERVER-KIND:group']
      : ['VERSION:4.0', 'PRODID:-//Agora//Web//EN', `UID:urn:uuid:${uid}`, 'KIND:group', writeLine('FN', {}, escapeText(name))];
  const version = form === 'apple' ? '3.0' : '4.0';
  return { uid, text: new Card(version, lines.map((l) => makeLine(l, version))).toString() };
}
