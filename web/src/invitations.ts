//! Invitations: finding the meetings the user has not answered, and answering one.
//!
//! Found with one calendar-query per calendar of the user's own (RFC 4791 §7.8): a
//! VEVENT whose ATTENDEE contains the user's address and has PARTSTAT=NEEDS-ACTION
//! (prop-filter with text-match and param-filter, §9.7.2–9.7.3), ending after now. The
//! server puts each invitation straight into the attendee's calendar (RFC 6638
//! §3.2.4), which is the copy the answer is written to; its schedule inbox holds the
//! same REQUEST but answers nothing but sync-collection there, and would need one GET
//! per message and a guess at which calendar copy it belongs to (docs/decisions.md).
//!
//! Answering is a PUT of that copy with If-Match, changing only the user's PARTSTAT
//! (meeting.ts `answerMeeting`); the server sends the REPLY (RFC 6638 §3.2.2).
import ICAL from 'ical.js';
import { dav } from './api';
import { ConflictError, WriteError } from './actions';
import type { CalendarInfo } from './calendars';
import { NS, escapeXml, key, parseMultistatus } from './dav';
import { answerMeeting, identity, isMine, masterOf, type Identity, type Person } from './meeting';
import { pad } from './tz';

export interface Invitation {
  href: string;
  etag: string;
  calendar: string;
  uid: string;
  title: string;
  location: string;
  organizer: Person;
  start: number;
  end: number;
  allDay: boolean;
  recurring: boolean;
}

const utc = (d: Date) => `${d.getUTCFullYear()}${pad(d.getUTCMonth() + 1)}${pad(d.getUTCDate())}T${pad(d.getUTCHours())}${pad(d.getUTCMinutes())}${pad(d.getUTCSeconds())}Z`;

function queryBody(address: string, from: Date): string {
  return `<?xml version="1.0" encoding="utf-8"?>
<c:calendar-query xmlns:d="DAV:" xmlns:c="urn:ietf:params:xml:ns:caldav"><d:prop><d:getetag/><c:calendar-data/></d:prop><c:filter><c:comp-filter name="VCALENDAR"><c:comp-filter name="VEVENT"><c:time-range start="${utc(from)}"/><c:prop-filter name="ATTENDEE"><c:text-match collation="i;ascii-casemap">${escapeXml(address)}</c:text-match><c:param-filter name="PARTSTAT"><c:text-match collation="i;ascii-casemap">NEEDS-ACTION</c:text-match></c:param-filter></c:prop-filter></c:comp-filter></c:comp-filter></c:filter></c:calendar-query>`;
}

function invitationOf(ics: string, href: string, etag: string, calendar: string, id: Identity): Invitation | null {
  const root = new ICAL.Component(ICAL.parse(ics));
  const ev = masterOf(root);
  if (!ev) return null;
  const org = ev.getFirstProperty('organizer');
  if (!org || isMine(String(org.getFirstValue() ?? ''), id)) return null;
  // The server's text-match is a substring test: check the address exactly here.
  const mine = ev.getAllProperties('attendee').find((p) => isMine(String(p.getFirstValue() ?? ''), id));
  if (!mine || String(mine.getParameter('partstat') ?? 'NEEDS-ACTION').toUpperCase() !== 'NEEDS-ACTION') return null;
  const start = ev.getFirstPropertyValue('dtstart') as ICAL.Time | null;
  if (!start) return null;
  let end = ev.getFirstPropertyValue('dtend') as ICAL.Time | null;
  if (!end) {
    end = start.clone();
    const dur = ev.getFirstPropertyValue('duration') as ICAL.Duration | null;
    if (dur) end.addDuration(dur);
    else if (start.isDate) end.adjust(1, 0, 0, 0);
  }
  const str = (n: string) => {
    const v = ev.getFirstPropertyValue(n);
    return typeof v === 'string' ? v : '';
  };
  // A floating or all-day time is read in the browser's zone: close enough for a list.
  return {
    href,
    etag,
    calendar,
    uid: str('uid'),
    title: str('summary'),
    location: str('location'),
    organizer: { address: String(org.getFirstValue() ?? ''), name: String(org.getParameter('cn') ?? '') },
    start: start.toJSDate().getTime(),
    end: end.toJSDate().getTime(),
    allDay: start.isDate,
    recurring: ev.hasProperty('rrule') || ev.hasProperty('rdate'),
  };
}

/** Unanswered invitations in the user's own event calendars, soonest first. */
export async function findInvitations(calendars: CalendarInfo[], id: Identity | null = identity()): Promise<Invitation[]> {
  if (!id?.mailto) return [];
  const own = calendars.filter((c) => c.owned && c.writable && !c.subscribed && (c.components.length === 0 || c.components.includes('VEVENT')));
  const from = new Date(Date.now() - 3600000);
  const found = await Promise.all(
    own.map(async (cal) => {
      const res = await dav('REPORT', cal.href, { body: queryBody(id.mailto, from), headers: { Depth: '1' } });
      if (res.status !== 207) return [];
      const out: Invitation[] = [];
      for (const item of parseMultistatus(res.text).items) {
        const data = item.props.get(key(NS.C, 'calendar-data'))?.textContent;
        if (!data) continue;
        try {
          const inv = invitationOf(data, item.href, item.props.get(key(NS.D, 'getetag'))?.textContent?.trim() ?? '', cal.href, id);
          if (inv) out.push(inv);
        } catch {
          /* an unreadable object is not an invitation */
        }
      }
      return out;
    }),
  );
  return found.flat().sort((a, b) => a.start - b.start);
}

/** Writes the user's answer into their copy at `href` (If-Match on the ETag read just
 * before; a 412 is retried once on a fresh copy, since the organiser's updates also
 * change it). */
export async function answerInvitation(href: string, partstat: 'ACCEPTED' | 'TENTATIVE' | 'DECLINED', comment: string): Promise<void> {
  for (let attempt = 0; attempt < 2; attempt++) {
    const got = await dav('GET', href, { headers: { Accept: 'text/calendar' } });
    if (got.status !== 200) throw new WriteError(got.status);
    const ics = answerMeeting(got.text, partstat, comment);
    const res = await dav('PUT', href, { body: ics, contentType: 'text/calendar; charset=utf-8', headers: got.etag ? { 'If-Match': got.etag } : {} });
    if (res.status === 412) continue;
    if (res.status !== 201 && res.status !== 204 && res.status !== 200) throw new WriteError(res.status);
    return;
  }
  throw new ConflictError();
}
