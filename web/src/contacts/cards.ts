//! The cards of an address book over CardDAV. The list is loaded in pages: a PROPFIND
//! Depth 1 gives every href and ETag (small), then addressbook-multiget (RFC 6352 §8.7)
//! asks for a few hundred cards at a time with `address-data` naming only the
//! properties the list needs (§10.4.2: no PHOTO), so the first page is drawn before a
//! 20,000-card book has arrived (docs/web.md §5, nextcloud/contacts#2896). A card is
//! read whole with GET and written with PUT: If-Match its ETag (RFC 7232 §3.1) for an
//! edit, If-None-Match: * for a new card (RFC 6352 §6.3.2.1 — never overwrite).
import { dav } from '../api';
import { NS, escapeXml, key, parseMultistatus, propfindBody } from '../dav';
import { CARD, check } from './books';
import { Card } from './vcard';
import { categoriesOf, displayName } from './contact';
import { groupOf, type GroupInfo } from './groups';

export interface Summary {
  href: string;
  etag: string;
  uid: string;
  name: string;
  emails: string[];
  tels: string[];
  org: string;
  categories: string[];
  /** Set when the card is a group (KIND:group or Apple's group card). */
  group?: GroupInfo;
}

/** What the list needs: no PHOTO, no NOTE, no addresses. */
const LIST_PROPS = ['VERSION', 'UID', 'FN', 'N', 'EMAIL', 'TEL', 'ORG', 'KIND', 'MEMBER', 'CATEGORIES', 'X-ADDRESSBOOKSERVER-KIND', 'X-ADDRESSBOOKSERVER-MEMBER'];
export const PAGE = 250;

export function summarize(href: string, etag: string, text: string): Summary | undefined {
  let card: Card;
  try {
    card = Card.parse(text);
  } catch {
    return undefined;
  }
  return {
    href,
    etag,
    uid: card.text('uid'),
    name: displayName(card),
    emails: card.all('email').map((l) => l.rawValue.trim()),
    tels: card.all('tel').map((l) => l.rawValue.replace(/^tel:/i, '').trim()),
    org: card.text('org'),
    categories: categoriesOf(card),
    group: groupOf(card),
  };
}

/** Every card's href and ETag. */
export async function listHrefs(book: string): Promise<{ href: string; etag: string }[]> {
  const res = await dav('PROPFIND', book, { body: propfindBody('<d:getetag/>'), headers: { Depth: '1' } });
  check(res, [207]);
  return parseMultistatus(res.text)
    .items.filter((i) => i.href !== book && i.props.has(key(NS.D, 'getetag')))
    .map((i) => ({ href: i.href, etag: i.props.get(key(NS.D, 'getetag'))!.textContent!.trim() }));
}

/** addressbook-multiget of `hrefs`: [{href, etag, text}]; `props` limits the properties. */
export async function multiget(book: string, hrefs: string[], props?: string[]): Promise<{ href: string; etag: string; text: string }[]> {
  const data = props ? `<card:address-data>${props.map((p) => `<card:prop name="${p}"/>`).join('')}</card:address-data>` : '<card:address-data/>';
  const body = `<?xml version="1.0" encoding="utf-8"?>
<card:addressbook-multiget xmlns:d="DAV:" xmlns:card="${CARD}"><d:prop><d:getetag/>${data}</d:prop>${hrefs.map((h) => `<d:href>${escapeXml(h)}</d:href>`).join('')}</card:addressbook-multiget>`;
  const res = await dav('REPORT', book, { body, headers: { Depth: '1' } });
  check(res, [207]);
  const out: { href: string; etag: string; text: string }[] = [];
  for (const item of parseMultistatus(res.text).items) {
    const text = item.props.get(key(CARD, 'address-data'))?.textContent;
    if (text) out.push({ href: item.href, etag: item.props.get(key(NS.D, 'getetag'))?.textContent?.trim() ?? '', text });
  }
  return out;
}

/** Loads a book's list page by page; `onPage` gets each page as it arrives. Stops when
 * `cancelled()` turns true (the user opened another book). */
export async function loadSummaries(book: string, onPage: (page: Summary[], loaded: number, total: number) => void, cancelled: () => boolean): Promise<void> {
  const all = await listHrefs(book);
  if (!all.length) onPage([], 0, 0);
  for (let i = 0; i < all.length && !cancelled(); i += PAGE) {
    const chunk = all.slice(i, i + PAGE);
    const got = await multiget(book, chunk.map((c) => c.href), LIST_PROPS);
    if (cancelled()) return;
    onPage(got.map((g) => summarize(g.href, g.etag, g.text)).filter((s): s is Summary => !!s), Math.min(i + PAGE, all.length), all.length);
  }
}

export interface Stored {
  href: string;
  etag: string;
  text: string;
}

export async function getCard(href: string): Promise<Stored> {
  const res = await dav('GET', href, { headers: { Accept: 'text/vcard' } });
  check(res, [200]);
  return { href, etag: res.etag ?? '', text: res.text };
}

/** Writes a card; returns its new ETag (empty when the server gave none). */
export async function putCard(href: string, text: string, etag?: string): Promise<string> {
  const headers: Record<string, string> = etag ? { 'If-Match': etag } : { 'If-None-Match': '*' };
  const res = await dav('PUT', href, { body: text, contentType: 'text/vcard; charset=utf-8', headers });
  check(res, [200, 201, 204]);
  return res.etag ?? '';
}

export async function deleteCard(href: string, etag?: string): Promise<void> {
  check(await dav('DELETE', href, { headers: etag ? { 'If-Match': etag } : {} }), [200, 204]);
}

/** A new card's href: its UID when that is a safe path segment, else a fresh UUID. */
export function newHref(book: string, uid: string): string {
  const seg = uid.replace(/^urn:uuid:/i, '');
  const safe = /^[A-Za-z0-9._@-]{1,120}$/.test(seg) ? seg : crypto.randomUUID();
  return `${book.endsWith('/') ? book : book + '/'}${safe}.vcf`;
}

/** Every card of a book as stored, for export (one addressbook-query, RFC 6352 §8.6;
 * a GET on an address book is no vCard on this server). */
export async function allCards(book: string): Promise<Stored[]> {
  const body = `<?xml version="1.0" encoding="utf-8"?>
<card:addressbook-query xmlns:d="DAV:" xmlns:card="${CARD}"><d:prop><d:getetag/><card:address-data/></d:prop><card:filter/></card:addressbook-query>`;
  const res = await dav('REPORT', book, { body, headers: { Depth: '1' } });
  check(res, [207]);
  return parseMultistatus(res.text)
    .items.map((i) => ({ href: i.href, etag: i.props.get(key(NS.D, 'getetag'))?.textContent?.trim() ?? '', text: i.props.get(key(CARD, 'address-data'))?.textContent ?? '' }))
    .filter((s) => s.text);
}
