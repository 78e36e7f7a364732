//! Sharing calendars and address books, as Apple clients and the resource-sharing draft
//! speak it to the server (README "Sharing"):
//! - the owner's side: who a collection is shared with, read from CalendarServer's
//!   `CS:invite` (it carries each sharee's name, answer and access); sharing and revoking
//!   with draft-pot-webdav-resource-sharing's `share-resource` POST (§5.3: `read`,
//!   `read-write`, `no-access` to remove). A group is offered to each of its members
//!   (the server expands it when the share is made).
//! - the sharee's side: the offers waiting in the notification collection named by the
//!   principal's `CS:notification-URL` (`invite-notification`, CalendarServer sharing),
//!   answered with `CS:invite-reply` POSTed to one's calendar home; an accepted share
//!   appears in one's own home (the calendar list finds it there).
//! The free/busy level has no form in either protocol: Agora names it
//! `<A:read-free-busy/>` (urn:x-agora:ns) in share-access, invite and the invitation;
//! the sharee sees the owner's busy times (scheduling assistant), not the events.
import { dav } from './api';
import { NS, child, children, escapeXml, hrefIn, normalizeHref, parseMultistatus, propfindBody } from './dav';
import { DavError, reasonOf } from './manage';

export type ShareLevel = 'read' | 'read-write' | 'freebusy';
export type ShareStatus = 'accepted' | 'declined' | 'pending';
export type SharedKind = 'calendar' | 'addressbook';

export interface Sharee {
  /** As the server names them: a mailto: address, else the principal's URL. */
  href: string;
  name: string;
  status: ShareStatus;
  level: ShareLevel;
}

export interface ShareOffer {
  /** The notification resource. */
  href: string;
  uid: string;
  kind: SharedKind;
  /** The owner's collection (what the answer names). */
  host: string;
  level: ShareLevel;
  ownerName: string;
  ownerAddress: string;
  /** The collection's name, or the owner's note. */
  summary: string;
}

/** The level named inside a CS:access (or D:share-access) element. */
function levelIn(access: Element | null | undefined): ShareLevel {
  if (access && child(access, NS.AG, 'read-free-busy')) return 'freebusy';
  return access && (child(access, NS.CS, 'read-write') || child(access, NS.D, 'read-write')) ? 'read-write' : 'read';
}

function check(res: { status: number; text: string }, ok: number[]): void {
  if (!ok.includes(res.status)) throw new DavError(res.status, reasonOf(res.text));
}

const statusOf = (el: Element): ShareStatus =>
  child(el, NS.CS, 'invite-accepted') ? 'accepted' : child(el, NS.CS, 'invite-declined') ? 'declined' : 'pending';

/** Who the collection at `href` is shared with (the owner's view). */
export async function sharees(href: string): Promise<Sharee[]> {
  const res = await dav('PROPFIND', href, { body: propfindBody('<cs:invite/>'), headers: { Depth: '0' } });
  check(res, [207]);
  const invite = parseMultistatus(res.text).items[0]?.props.get(`${NS.CS} invite`);
  if (!invite) return [];
  return children(invite, NS.CS, 'user').map((u) => {
    const access = child(u, NS.CS, 'access');
    const address = child(u, NS.D, 'href')?.textContent?.trim() ?? '';
    return {
      href: address,
      name: child(u, NS.CS, 'common-name')?.textContent?.trim() || address.replace(/^mailto:/i, ''),
      status: statusOf(u),
      level: levelIn(access),
    };
  });
}

function shareBody(who: string, access: ShareLevel | 'no-access', comment?: string): string {
  const note = comment ? `<d:comment>${escapeXml(comment)}</d:comment>` : '';
  const level = access === 'freebusy' ? '<a:read-free-busy/>' : `<d:${access}/>`;
  return `<?xml version="1.0" encoding="utf-8"?>
<d:share-resource xmlns:d="DAV:" xmlns:a="${NS.AG}"><d:sharee><d:href>${escapeXml(who)}</d:href><d:share-access>${level}</d:share-access>${note}</d:sharee></d:share-resource>`;
}

/** Offers the collection to a user or a group (principal URL or mailto:), or changes
 * the level of an existing share. `comment` is what the invitation shows as its
 * summary (the collection's name; the server would otherwise show its URL segment). */
export async function share(href: string, who: string, level: ShareLevel, comment?: string): Promise<void> {
  check(await dav('POST', href, { body: shareBody(who, level, comment) }), [200, 204]);
}

/** Ends a share (its invitation goes too, if unanswered). */
export async function unshare(href: string, who: string): Promise<void> {
  check(await dav('POST', href, { body: shareBody(who, 'no-access') }), [200, 204]);
}

/** The user's notification collection (CalendarServer's notification-URL). */
async function notificationCollection(principal: string): Promise<string | undefined> {
  const res = await dav('PROPFIND', principal, { body: propfindBody('<cs:notification-URL/>'), headers: { Depth: '0' } });
  if (res.status !== 207) return undefined;
  const item = parseMultistatus(res.text).items[0];
  return item && hrefIn(item.props, NS.CS, 'notification-URL');
}

function offerOf(href: string, xml: string): ShareOffer | null {
  const doc = new DOMParser().parseFromString(xml, 'application/xml');
  const inv = doc.getElementsByTagNameNS(NS.CS, 'invite-notification')[0];
  if (!inv) return null;
  const host = child(inv, NS.CS, 'hosturl');
  const hostHref = host && child(host, NS.D, 'href')?.textContent?.trim();
  if (!hostHref) return null;
  const access = child(inv, NS.CS, 'access');
  const org = child(inv, NS.CS, 'organizer');
  const ownerAddress = (org && child(org, NS.D, 'href')?.textContent?.trim()) ?? '';
  return {
    href,
    uid: child(inv, NS.CS, 'uid')?.textContent?.trim() ?? '',
    kind: inv.getAttribute('shared-type') === 'addressbook' ? 'addressbook' : 'calendar',
    host: normalizeHref(hostHref),
    level: levelIn(access),
    ownerName: (org && child(org, NS.CS, 'common-name')?.textContent?.trim()) || ownerAddress.replace(/^mailto:/i, ''),
    ownerAddress,
    summary: child(inv, NS.CS, 'summary')?.textContent?.trim() ?? '',
  };
}

/** The shares offered to the user and not answered yet. */
export async function pendingOffers(principal: string): Promise<ShareOffer[]> {
  const collection = await notificationCollection(principal);
  if (!collection) return [];
  const res = await dav('PROPFIND', collection, { body: propfindBody('<cs:notificationtype/>'), headers: { Depth: '1' } });
  check(res, [207]);
  const invites = parseMultistatus(res.text).items.filter((i) => {
    const type = i.props.get(`${NS.CS} notificationtype`);
    return type && child(type, NS.CS, 'invite-notification');
  });
  const offers = await Promise.all(
    invites.map(async (i) => {
      const got = await dav('GET', i.href, { headers: { Accept: 'application/xml' } });
      return got.status === 200 ? offerOf(i.href, got.text) : null;
    }),
  );
  return offers.filter((o): o is ShareOffer => !!o);
}

/** Accepts or declines an offer (POST of CS:invite-reply to the user's calendar home);
 * an accepted share's place in the user's home is returned. */
export async function answerOffer(home: string, me: string, offer: ShareOffer, accept: boolean): Promise<string | undefined> {
  const body = `<?xml version="1.0" encoding="utf-8"?>
<cs:invite-reply xmlns:d="DAV:" xmlns:cs="http://calendarserver.org/ns/"><d:href>${escapeXml(me)}</d:href><cs:${accept ? 'invite-accepted' : 'invite-declined'}/><cs:hosturl><d:href>${escapeXml(offer.host)}</d:href></cs:hosturl><cs:in-reply-to>${escapeXml(offer.uid)}</cs:in-reply-to></cs:invite-reply>`;
  const res = await dav('POST', home, { body });
  check(res, [200, 204]);
  const doc = res.text.trim().startsWith('<') ? new DOMParser().parseFromString(res.text, 'application/xml') : null;
  const as = doc?.getElementsByTagNameNS(NS.CS, 'shared-as')[0];
  const h = as && child(as, NS.D, 'href')?.textContent;
  return h ? normalizeHref(h) : undefined;
}

/** Leaves a share accepted earlier: DELETE of its place in one's home (the owner's
 * collection stays). */
export async function leaveShare(mount: string): Promise<void> {
  check(await dav('DELETE', mount), [200, 204]);
}
