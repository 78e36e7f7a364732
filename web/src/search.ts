//! Searching the user's calendars by text, on the server: calendar-query REPORTs with a
//! text-match (RFC 4791 §7.8, §9.7.5) in the i;unicode-casemap collation (RFC 5051: case
//! folded beyond ASCII, so "ÉTÉ" finds "été"), over a bounded window (a year back, two
//! ahead). Inside one comp-filter RFC 4791 combines prop-filters with "allof" only (the
//! `test="anyof"` attribute exists for CardDAV, RFC 6352 §10.5, not CalDAV), so SUMMARY,
//! LOCATION and DESCRIPTION are three queries per calendar, sent together and merged by
//! href.
//!
//! Without `expand`: a repeating event is one result (one object), shown at its next
//! occurrence from today (or its last one, if all are past), computed here with ical.js.
//! With `expand` a weekly meeting would fill the list with 150 identical lines.
import ICAL from 'ical.js';
import { dav } from './api';
import { NS, escapeXml, key, parseMultistatus } from './dav';
import { pad, wallOf, isoWall } from './tz';

export const SEARCHED = ['SUMMARY', 'LOCATION', 'DESCRIPTION'] as const;

export interface SearchHit {
  href: string;
  calendar: string;
  title: string;
  location: string;
  /** The occurrence shown, as the view's floating wall-clock ("YYYY-MM-DD" when all-day). */
  start: string;
  allDay: boolean;
  recurring: boolean;
}

const utc = (d: Date) =>
  `${d.getUTCFullYear()}${pad(d.getUTCMonth() + 1)}${pad(d.getUTCDate())}T${pad(d.getUTCHours())}${pad(d.getUTCMinutes())}${pad(d.getUTCSeconds())}Z`;

export function searchBody(property: string, text: string, from: Date, to: Date): string {
  return `<?xml version="1.0" encoding="utf-8"?>
<c:calendar-query xmlns:d="DAV:" xmlns:c="urn:ietf:params:xml:ns:caldav"><d:prop><d:getetag/><c:calendar-data/></d:prop><c:filter><c:comp-filter name="VCALENDAR"><c:comp-filter name="VEVENT"><c:time-range start="${utc(from)}" end="${utc(to)}"/><c:prop-filter name="${property}"><c:text-match collation="i;unicode-casemap">${escapeXml(text)}</c:text-match></c:prop-filter></c:comp-filter></c:comp-filter></c:filter></c:calendar-query>`;
}

/** The window searched: a year back and two years ahead of `now`. */
export function searchWindow(now: number): [Date, Date] {
  const d = new Date(now);
  return [new Date(Date.UTC(d.getUTCFullYear() - 1, d.getUTCMonth(), d.getUTCDate())), new Date(Date.UTC(d.getUTCFullYear() + 2, d.getUTCMonth(), d.getUTCDate()))];
}

function viewString(t: ICAL.Time, tz: string): string {
  if (t.isDate) return `${t.year}-${pad(t.month)}-${pad(t.day)}`;
  if (t.zone && t.zone !== ICAL.Timezone.localTimezone && t.zone.tzid !== 'floating') return isoWall(wallOf(t.toUnixTime() * 1000, tz));
  return isoWall({ year: t.year, month: t.month, day: t.day, hour: t.hour, minute: t.minute, second: t.second });
}

const folded = (s: string) => s.normalize('NFC').toLocaleLowerCase();

/** The result for one object: the component whose text matches (an override may differ
 * from its series), at its next occurrence from `now` within the window, else its last. */
export function hitOf(ics: string, href: string, calendar: string, text: string, now: number, tz: string): SearchHit | undefined {
  const root = new ICAL.Component(ICAL.parse(ics));
  for (const vtz of root.getAllSubcomponents('vtimezone')) {
    const zone = new ICAL.Timezone(vtz);
    if (zone.tzid && !ICAL.TimezoneService.has(zone.tzid)) ICAL.TimezoneService.register(zone);
  }
  const events = root.getAllSubcomponents('vevent');
  const needle = folded(text);
  const matches = (c: ICAL.Component) => SEARCHED.some((p) => folded(String(c.getFirstPropertyValue(p.toLowerCase()) ?? '')).includes(needle));
  const comp = events.find((c) => !c.hasProperty('recurrence-id') && matches(c)) ?? events.find(matches) ?? events[0];
  if (!comp) return undefined;
  const ev = new ICAL.Event(comp);
  if (!ev.startDate) return undefined;
  let start = ev.startDate;
  if (ev.isRecurring()) {
    // Next occurrence from today; the iterator is bounded by the window's end.
    const [, end] = searchWindow(now);
    const it = ev.iterator();
    let last: ICAL.Time | undefined;
    for (let next = it.next(), n = 0; next && n < 5000; next = it.next(), n++) {
      if (next.toUnixTime() * 1000 > end.getTime()) break;
      last = next;
      if (next.toUnixTime() * 1000 >= now - 86400000) break;
    }
    if (last) start = last;
  }
  const str = (name: string) => String(comp.getFirstPropertyValue(name) ?? '');
  return {
    href,
    calendar,
    title: str('summary'),
    location: str('location'),
    start: viewString(start, tz),
    allDay: start.isDate,
    recurring: ev.isRecurring() || ev.isRecurrenceException(),
  };
}

/** Upcoming results first (soonest first), then past ones (latest first). */
export function sortHits(hits: SearchHit[], today: string): SearchHit[] {
  const up = hits.filter((h) => h.start.slice(0, 10) >= today).sort((a, b) => (a.start < b.start ? -1 : 1));
  const past = hits.filter((h) => h.start.slice(0, 10) < today).sort((a, b) => (a.start > b.start ? -1 : 1));
  return [...up, ...past];
}

/** Every event of `calendars` whose title, place or description contains `text`. A
 * query that fails is counted in `failed`; the others still answer. */
export async function search(calendars: string[], text: string, tz: string, now = Date.now()): Promise<{ hits: SearchHit[]; failed: number }> {
  const [from, to] = searchWindow(now);
  const found = new Map<string, SearchHit>();
  let failed = 0;
  await Promise.all(
    calendars.flatMap((calendar) =>
      SEARCHED.map(async (property) => {
        const res = await dav('REPORT', calendar, { body: searchBody(property, text, from, to), headers: { Depth: '1' } }).catch(() => undefined);
        if (!res || res.status !== 207) {
          failed++;
          return;
        }
        for (const item of parseMultistatus(res.text).items) {
          if (found.has(item.href)) continue;
          const data = item.props.get(key(NS.C, 'calendar-data'))?.textContent;
          if (!data) continue;
          try {
            const hit = hitOf(data, item.href, calendar, text, now, tz);
            if (hit) found.set(item.href, hit);
          } catch {
            /* an unreadable object is left out */
          }
        }
      }),
    ),
  );
  const today = isoWall(wallOf(now, tz)).slice(0, 10);
  return { hits: sortHits([...found.values()], today), failed };
}
