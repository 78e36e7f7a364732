//! Delegation as CalendarServer's calendar-proxy (README "What works today", the
//! caldav-proxy spec Apple clients follow): each user's principal has two group
//! principals, `calendar-proxy-read` and `calendar-proxy-write`, whose `DAV:group-member-set`
//! (RFC 3744 §4.3) the owner sets with PROPPATCH; their members read, or manage, every
//! calendar of the owner's. The other way round, `calendar-proxy-read-for` and
//! `calendar-proxy-write-for` on one's own principal name the people one acts for
//! (calendars.ts `discoverPrincipal` adds their calendars to the list).
import { dav } from './api';
import { NS, child, escapeXml, key, normalizeHref, parseMultistatus, propfindBody } from './dav';
import { describePrincipals, type Principal } from './directory';
import { DavError, reasonOf } from './manage';

export type ProxyKind = 'read' | 'write';

function hrefsIn(el: Element | undefined): string[] {
  return Array.from(el?.getElementsByTagNameNS(NS.D, 'href') ?? [])
    .map((h) => normalizeHref(h.textContent ?? ''))
    .filter(Boolean);
}

/** The user's two proxy groups, found as the principal's children by resourcetype
 * (falling back to the names CalendarServer gives them). */
export async function proxyGroups(principal: string): Promise<Record<ProxyKind, string>> {
  const base = principal.endsWith('/') ? principal : `${principal}/`;
  const out: Record<ProxyKind, string> = { read: `${base}calendar-proxy-read/`, write: `${base}calendar-proxy-write/` };
  const res = await dav('PROPFIND', base, { body: propfindBody('<d:resourcetype/>'), headers: { Depth: '1' } });
  if (res.status !== 207) return out;
  for (const item of parseMultistatus(res.text).items) {
    const rt = item.props.get(key(NS.D, 'resourcetype'));
    if (rt && child(rt, NS.CS, 'calendar-proxy-read')) out.read = item.href;
    if (rt && child(rt, NS.CS, 'calendar-proxy-write')) out.write = item.href;
  }
  return out;
}

/** Members of a proxy group, with their names. */
export async function delegates(group: string): Promise<Principal[]> {
  const res = await dav('PROPFIND', group, { body: propfindBody('<d:group-member-set/>'), headers: { Depth: '0' } });
  if (res.status !== 207) throw new DavError(res.status, reasonOf(res.text));
  const item = parseMultistatus(res.text).items[0];
  return describePrincipals(hrefsIn(item?.props.get(key(NS.D, 'group-member-set'))));
}

/** Replaces the members of a proxy group (only its owner may). */
export async function setDelegates(group: string, hrefs: string[]): Promise<void> {
  const list = hrefs.map((h) => `<d:href>${escapeXml(h)}</d:href>`).join('');
  const body = `<?xml version="1.0" encoding="utf-8"?>
<d:propertyupdate xmlns:d="DAV:"><d:set><d:prop><d:group-member-set>${list}</d:group-member-set></d:prop></d:set></d:propertyupdate>`;
  const res = await dav('PROPPATCH', group, { body });
  const failed = res.status === 207 ? res.text.match(/HTTP\/1\.1\s+([45]\d\d)/) : null;
  if ((res.status !== 207 && res.status !== 200) || failed) throw new DavError(failed ? Number(failed[1]) : res.status, reasonOf(res.text));
}

/** Whom the user acts for: the principals whose calendars they manage or read. */
export async function actingFor(principal: string): Promise<{ principal: Principal; kind: ProxyKind }[]> {
  const res = await dav('PROPFIND', principal, {
    body: propfindBody('<cs:calendar-proxy-write-for/><cs:calendar-proxy-read-for/>'),
    headers: { Depth: '0' },
  });
  if (res.status !== 207) throw new DavError(res.status, reasonOf(res.text));
  const item = parseMultistatus(res.text).items[0];
  const write = hrefsIn(item?.props.get(key(NS.CS, 'calendar-proxy-write-for')));
  const read = hrefsIn(item?.props.get(key(NS.CS, 'calendar-proxy-read-for'))).filter((h) => !write.includes(h));
  const people = await describePrincipals([...write, ...read]);
  return people.map((p, i) => ({ principal: p, kind: i < write.length ? 'write' : 'read' }));
}
