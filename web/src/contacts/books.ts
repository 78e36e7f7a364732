//! Address books over CardDAV (RFC 6352): the principal's addressbook-home-set (§7.1.1)
//! and the server's directory-gateway (the global address list,
//! draft-daboo-carddav-directory-gateway) found with PROPFIND; the books of the home,
//! own and shared, with their access from current-user-privilege-set (RFC 3744 §5.4:
//! without write or write-content a book is read-only in the page); a new book with an
//! extended MKCOL (RFC 5689, RFC 6352 §6.3.1), renamed with PROPPATCH, deleted with DELETE.
import { dav } from '../api';
import { NS, child, escapeXml, hrefIn, key, parseMultistatus, propfindBody, text } from '../dav';
import { DavError, reasonOf } from '../manage';

export const CARD = 'urn:ietf:params:xml:ns:carddav';

export interface BookInfo {
  href: string;
  name: string;
  writable: boolean;
  /** The user's own book (rename and delete are offered on these only). */
  owned: boolean;
  /** The global address list (CARD:directory). */
  directory: boolean;
  ctag?: string;
}

/** Throws the server's refusal; `propstats`: a 207 with a failed property is one too
 * (a PROPPATCH is all or nothing, RFC 4918 §9.2). */
function check(res: { status: number; text: string }, ok: number[], propstats = false): void {
  if (!ok.includes(res.status)) throw new DavError(res.status, reasonOf(res.text));
  if (propstats && res.status === 207) {
    const bad = res.text.match(/HTTP\/1\.1\s+([45]\d\d)/);
    if (bad) throw new DavError(Number(bad[1]), reasonOf(res.text));
  }
}

const BOOK_PROPS = '<d:resourcetype/><d:displayname/><d:current-user-privilege-set/><cs:getctag/><d:share-access/>';

function body(props: string): string {
  return propfindBody(props).replace('<d:propfind ', `<d:propfind xmlns:card="${CARD}" `);
}

/** The address-book home and the global address list of the signed-in user. */
export async function discoverHome(principal: string, fallback?: string): Promise<{ home: string; gateway?: string }> {
  const res = await dav('PROPFIND', principal, { body: body('<card:addressbook-home-set/><card:directory-gateway/>'), headers: { Depth: '0' } });
  check(res, [207]);
  const [p] = parseMultistatus(res.text).items;
  const home = (p && hrefIn(p.props, CARD, 'addressbook-home-set')) ?? fallback;
  if (!home) throw new Error('no addressbook-home-set');
  return { home, gateway: p ? hrefIn(p.props, CARD, 'directory-gateway') : undefined };
}

/** The address books of the home (own, shared with the user, the directory). */
export async function listBooks(home: string, gateway?: string): Promise<BookInfo[]> {
  const res = await dav('PROPFIND', home, { body: body(BOOK_PROPS), headers: { Depth: '1' } });
  check(res, [207]);
  const out: BookInfo[] = [];
  for (const item of parseMultistatus(res.text).items) {
    const rt = item.props.get(key(NS.D, 'resourcetype'));
    if (!rt || !child(rt, CARD, 'addressbook')) continue;
    const privs = item.props.get(key(NS.D, 'current-user-privilege-set'));
    const granted = new Set(Array.from(privs?.getElementsByTagNameNS(NS.D, 'privilege') ?? []).flatMap((p) => Array.from(p.children).map((c) => c.localName)));
    const directory = !!child(rt, CARD, 'directory') || item.href === gateway;
    const writable = !directory && (granted.has('all') || granted.has('write') || granted.has('write-content'));
    const access = item.props.get(key(NS.D, 'share-access'))?.firstElementChild?.localName;
    const segments = item.href.split('/').filter(Boolean);
    out.push({
      href: item.href,
      name: text(item.props, NS.D, 'displayname') ?? decodeURIComponent(segments.at(-1) ?? item.href),
      writable,
      owned: !directory && writable && (access === undefined || access === 'not-shared' || access === 'shared-owner'),
      directory,
      ctag: text(item.props, NS.CS, 'getctag'),
    });
  }
  // Own books first, then shared ones, the directory last.
  const rank = (b: BookInfo) => (b.directory ? 2 : b.owned ? 0 : 1);
  return out.sort((a, b) => rank(a) - rank(b) || a.name.localeCompare(b.name));
}

const XMLNS = `xmlns:d="DAV:" xmlns:card="${CARD}"`;

/** A new address book named `name`, at a random UUID under the home. */
export async function createBook(home: string, name: string): Promise<string> {
  const href = `${home.endsWith('/') ? home : home + '/'}${crypto.randomUUID()}/`;
  const xml = `<?xml version="1.0" encoding="utf-8"?>
<d:mkcol ${XMLNS}><d:set><d:prop><d:resourcetype><d:collection/><card:addressbook/></d:resourcetype><d:displayname>${escapeXml(name)}</d:displayname></d:prop></d:set></d:mkcol>`;
  check(await dav('MKCOL', href, { body: xml }), [201]);
  return href;
}

export async function renameBook(href: string, name: string): Promise<void> {
  const xml = `<?xml version="1.0" encoding="utf-8"?>
<d:propertyupdate ${XMLNS}><d:set><d:prop><d:displayname>${escapeXml(name)}</d:displayname></d:prop></d:set></d:propertyupdate>`;
  check(await dav('PROPPATCH', href, { body: xml }), [207, 200], true);
}

export async function deleteBook(href: string): Promise<void> {
  check(await dav('DELETE', href), [200, 204]);
}

export { check };
