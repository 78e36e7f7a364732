//! Managing calendars over CalDAV, the same requests as any client: MKCALENDAR (RFC 4791
//! §5.3.1) with displayname and Apple's calendar-color, PROPPATCH to rename and recolour
//! (RFC 4918 §9.2), DELETE; export as one VCALENDAR from a calendar-query of every object
//! (time zones kept once each); the publish link (CalendarServer's publish-url, created
//! with a publish-calendar POST, removed with unpublish-calendar); subscriptions to a feed
//! (MKCALENDAR with CS:source). A refusal is thrown as a DavError carrying the status
//! and the server's precondition or message, so the page can say it in words.
import ICAL from 'ical.js';
import { dav } from './api';
import { NS, escapeXml, hrefIn, parseMultistatus, propfindBody } from './dav';

export class DavError extends Error {
  constructor(
    public status: number,
    public reason: string,
  ) {
    super(`${status} ${reason}`);
  }
}

/** The server's reason: Agora's reason in words (`<A:reason xmlns:A="urn:x-agora:ns">`
 * inside DAV:error), else the precondition element's name, else the body's text. */
export function reasonOf(body: string): string {
  // Only an XML body goes to the XML parser: Chromium's error document for anything else
  // carries an inline style, which the page's CSP reports as a violation.
  const doc = body.trimStart().startsWith('<') ? new DOMParser().parseFromString(body, 'application/xml') : undefined;
  if (doc && !doc.getElementsByTagName('parsererror').length) {
    const words = doc.getElementsByTagNameNS('urn:x-agora:ns', 'reason')[0]?.textContent?.trim();
    if (words) return words.slice(0, 300);
    const first = doc.documentElement?.firstElementChild;
    if (doc.documentElement?.localName === 'error' && first) return (first.textContent?.trim() || first.localName).slice(0, 200);
  }
  return body.replace(/<[^>]*>/g, ' ').replace(/\s+/g, ' ').trim().slice(0, 200);
}

function check(res: { status: number; text: string }, ok: number[]): void {
  if (!ok.includes(res.status)) throw new DavError(res.status, reasonOf(res.text));
  // A PROPPATCH answers 207 with a status per property: any failure is a refusal.
  if (res.status === 207) {
    const bad = res.text.match(/HTTP\/1\.1\s+([45]\d\d)/);
    if (bad) throw new DavError(Number(bad[1]), reasonOf(res.text));
  }
}

const XMLNS = 'xmlns:d="DAV:" xmlns:c="urn:ietf:params:xml:ns:caldav" xmlns:a="http://apple.com/ns/ical/" xmlns:cs="http://calendarserver.org/ns/"';

function props(name: string, color: string): string {
  // Apple clients store #RRGGBBAA; we write the same so their colour pickers agree.
  return `<d:displayname>${escapeXml(name)}</d:displayname><a:calendar-color>${escapeXml(color.toUpperCase())}FF</a:calendar-color>`;
}

/** A URL segment for a new calendar: a random UUID, so any name (or a duplicate) works.
 * `components`: what it holds — events, or VTODO for a task list, VJOURNAL for notes. */
export async function createCalendar(home: string, name: string, color: string, components: string[] = ['VEVENT']): Promise<string> {
  const comps = components.map((c) => `<c:comp name="${escapeXml(c)}"/>`).join('');
  const href = `${home.endsWith('/') ? home : home + '/'}${crypto.randomUUID()}/`;
  const body = `<?xml version="1.0" encoding="utf-8"?>
<c:mkcalendar ${XMLNS}><d:set><d:prop>${props(name, color)}<c:supported-calendar-component-set>${comps}</c:supported-calendar-component-set></d:prop></d:set></c:mkcalendar>`;
  check(await dav('MKCALENDAR', href, { body }), [201]);
  return href;
}

export async function updateCalendar(href: string, name: string, color: string): Promise<void> {
  const body = `<?xml version="1.0" encoding="utf-8"?>
<d:propertyupdate ${XMLNS}><d:set><d:prop>${props(name, color)}</d:prop></d:set></d:propertyupdate>`;
  check(await dav('PROPPATCH', href, { body }), [207, 200]);
}

export async function deleteCalendar(href: string): Promise<void> {
  check(await dav('DELETE', href), [200, 204]);
}

/** Every object of the calendar merged into one VCALENDAR; each VTIMEZONE once. */
export async function exportCalendar(href: string): Promise<string> {
  const body = `<?xml version="1.0" encoding="utf-8"?>
<c:calendar-query ${XMLNS}><d:prop><c:calendar-data/></d:prop><c:filter><c:comp-filter name="VCALENDAR"/></c:filter></c:calendar-query>`;
  const res = await dav('REPORT', href, { body, headers: { Depth: '1' } });
  check(res, [207]);
  const out = new ICAL.Component(['vcalendar', [], []]);
  out.addPropertyWithValue('version', '2.0');
  out.addPropertyWithValue('prodid', '-//Agora//Web//EN');
  const zones = new Set<string>();
  for (const item of parseMultistatus(res.text).items) {
    const data = item.props.get(`${NS.C} calendar-data`)?.textContent;
    if (!data) continue;
    const cal = new ICAL.Component(ICAL.parse(data));
    for (const sub of cal.getAllSubcomponents()) {
      if (sub.name === 'vtimezone') {
        const tzid = String(sub.getFirstPropertyValue('tzid') ?? '');
        if (zones.has(tzid)) continue;
        zones.add(tzid);
        out.addSubcomponent(sub);
      }
    }
    for (const sub of cal.getAllSubcomponents()) if (sub.name !== 'vtimezone') out.addSubcomponent(sub);
  }
  return out.toString() + '\r\n';
}

/** The publish link (absolute URL), or undefined when the calendar is not published. */
export async function publishUrl(href: string): Promise<string | undefined> {
  const res = await dav('PROPFIND', href, { body: propfindBody('<cs:publish-url/>'), headers: { Depth: '0' } });
  check(res, [207]);
  const [item] = parseMultistatus(res.text).items;
  const path = item && hrefIn(item.props, NS.CS, 'publish-url');
  return path ? new URL(path, location.origin).href : undefined;
}

export async function publish(href: string): Promise<string> {
  const body = `<?xml version="1.0" encoding="utf-8"?>\n<cs:publish-calendar xmlns:cs="http://calendarserver.org/ns/"/>`;
  check(await dav('POST', href, { body }), [200, 204]);
  const url = await publishUrl(href);
  if (!url) throw new DavError(500, 'publish-url');
  return url;
}

/** Stops publishing: CalendarServer's unpublish-calendar POST; the old link stops working. */
export async function unpublish(href: string): Promise<void> {
  const body = `<?xml version="1.0" encoding="utf-8"?>\n<cs:unpublish-calendar xmlns:cs="http://calendarserver.org/ns/"/>`;
  check(await dav('POST', href, { body }), [200, 204]);
}

/** A feed address as typed, if it reads as an absolute URL at all; which schemes and
 * addresses are allowed is the server's to say (it answers in words). */
export function feedUrl(text: string): string | undefined {
  try {
    return new URL(text.trim()).href;
  } catch {
    return undefined;
  }
}

/** A subscription: MKCALENDAR with CalendarServer's source (the server fetches the feed,
 * at once and then on schedule, and keeps the calendar read-only; README "Subscriptions").
 * The server refuses addresses inside its own network, with the reason. */
export async function subscribeCalendar(home: string, name: string, color: string, url: string): Promise<string> {
  const href = `${home.endsWith('/') ? home : home + '/'}${crypto.randomUUID()}/`;
  const body = `<?xml version="1.0" encoding="utf-8"?>
<c:mkcalendar ${XMLNS}><d:set><d:prop>${props(name, color)}<cs:source><d:href>${escapeXml(url)}</d:href></cs:source></d:prop></d:set></c:mkcalendar>`;
  check(await dav('MKCALENDAR', href, { body }), [201]);
  return href;
}
