//! Who is who, from the principals (RFC 3744, RFC 6638 §2.4): the signed-in user's
//! calendar-user-address-set, outbox and inbox, and the directory search that feeds the
//! attendee autocomplete and the room finder: principal-property-search (RFC 3744 §9.4)
//! on displayname and calendar-user-address-set, which also gives calendar-user-type
//! (INDIVIDUAL, GROUP, ROOM, RESOURCE) to write as CUTYPE. The global address list
//! (a CardDAV address book) holds the same people but not their calendar user type in a
//! standard property; the principals do (docs/decisions.md).
import { dav } from './api';
import { NS, escapeXml, hrefIn, key, parseMultistatus, propfindBody, text } from './dav';
import { normalizeAddress, setIdentity, type Identity } from './meeting';

export interface Principal {
  href: string;
  name: string;
  /** The first mailto: address, "" when the principal has none. */
  address: string;
  cutype: string;
  /** How many people a room holds, when an administrator said (Agora's capacity property). */
  capacity?: number;
}

function addresses(props: Map<string, Element>): string[] {
  const el = props.get(key(NS.C, 'calendar-user-address-set'));
  return Array.from(el?.getElementsByTagNameNS(NS.D, 'href') ?? []).map((h) => (h.textContent ?? '').trim()).filter(Boolean);
}

const PROPS = '<d:displayname/><c:calendar-user-address-set/><c:calendar-user-type/><ag:capacity/>';

/** The user as a calendar user. Also remembered for meeting.ts (`identity()`). */
export async function loadIdentity(principal: string, fallbackName: string): Promise<Identity> {
  const res = await dav('PROPFIND', principal, {
    body: propfindBody(`${PROPS}<c:schedule-outbox-URL/><c:schedule-inbox-URL/>`),
    headers: { Depth: '0' },
  });
  if (res.status !== 207) throw new Error(`PROPFIND ${principal}: ${res.status}`);
  const item = parseMultistatus(res.text).items[0];
  const all = item ? addresses(item.props) : [];
  const mailto = all.find((a) => /^mailto:/i.test(a)) ?? '';
  const id: Identity = {
    name: (item && text(item.props, NS.D, 'displayname')) || fallbackName,
    mailto,
    addresses: all.map(normalizeAddress),
    outbox: item ? hrefIn(item.props, NS.C, 'schedule-outbox-URL') : undefined,
    inbox: item ? hrefIn(item.props, NS.C, 'schedule-inbox-URL') : undefined,
  };
  setIdentity(id);
  return id;
}

function principalsOf(xml: string): Principal[] {
  return parseMultistatus(xml).items.map((item) => {
    const all = addresses(item.props);
    return {
      href: item.href,
      name: text(item.props, NS.D, 'displayname') ?? item.href.replace(/\/$/, '').split('/').pop() ?? '',
      address: all.find((a) => /^mailto:/i.test(a)) ?? '',
      cutype: (text(item.props, NS.C, 'calendar-user-type') ?? 'INDIVIDUAL').toUpperCase(),
      capacity: Number(text(item.props, NS.AG, 'capacity')) || undefined,
    };
  });
}

async function search(body: string): Promise<Principal[]> {
  const res = await dav('REPORT', '/principals/', { body, headers: { Depth: '0' } });
  if (res.status !== 207) throw new Error(`principal-property-search: ${res.status}`);
  return principalsOf(res.text);
}

const HEAD = '<?xml version="1.0" encoding="utf-8"?>\n<d:principal-property-search xmlns:d="DAV:" xmlns:c="urn:ietf:params:xml:ns:caldav" xmlns:ag="urn:x-agora:ns"';

/** People, groups, rooms and equipment whose name or address contains `query`, with
 * or without an e-mail address (sharing and delegation name principals by URL). */
export async function searchDirectory(query: string, limit = 8): Promise<Principal[]> {
  const q = escapeXml(query.trim());
  const body = `${HEAD} test="anyof"><d:property-search><d:prop><d:displayname/></d:prop><d:match>${q}</d:match></d:property-search><d:property-search><d:prop><c:calendar-user-address-set/></d:prop><d:match>${q}</d:match></d:property-search><d:prop>${PROPS}</d:prop><d:limit><d:nresults>${limit}</d:nresults></d:limit></d:principal-property-search>`;
  return search(body);
}

/** The same, keeping only principals with a mailto: address (the ones one can invite). */
export async function searchPrincipals(query: string, limit = 8): Promise<Principal[]> {
  return (await searchDirectory(query, limit)).filter((p) => p.address);
}

/** Names and addresses of principals known by URL (PROPFIND each, in parallel); one
 * that cannot be read is named by its URL. */
export async function describePrincipals(hrefs: string[]): Promise<Principal[]> {
  return Promise.all(
    hrefs.map(async (href) => {
      const res = await dav('PROPFIND', href, { body: propfindBody(PROPS), headers: { Depth: '0' } }).catch(() => null);
      const found = res?.status === 207 ? principalsOf(res.text)[0] : undefined;
      return found ?? { href, name: href.replace(/\/$/, '').split('/').pop() ?? href, address: '', cutype: 'INDIVIDUAL' };
    }),
  );
}

/** Every room (calendar-user-type ROOM, RFC 6638 §2.4.2), by name. */
export async function listRooms(): Promise<Principal[]> {
  const body = `${HEAD}><d:property-search><d:prop><c:calendar-user-type/></d:prop><d:match>ROOM</d:match></d:property-search><d:prop>${PROPS}</d:prop></d:principal-property-search>`;
  return (await search(body)).filter((p) => p.address && p.cutype === 'ROOM').sort((a, b) => a.name.localeCompare(b.name));
}
