//! Working hours as calendar availability (RFC 7953): one VAVAILABILITY without bounds
//! (§3.1: DTSTART and DTEND are optional; absent, it applies at all times) holding one
//! AVAILABLE per time range, repeating weekly on the weekdays that share it
//! (`RRULE:FREQ=WEEKLY;BYDAY=MO,TU,…`), in the chosen zone with its VTIMEZONE. Time outside
//! every AVAILABLE is "unavailable": the server answers it as BUSY-UNAVAILABLE in
//! free/busy (§4), which the scheduling assistant draws and avoids (freebusy.ts).
//! Stored as the `CALDAV:calendar-availability` property of the scheduling inbox (§7.1)
//! by PROPPATCH, and read back from it. What another client wrote and the page cannot
//! show as weekly ranges (bounded or prioritised components, one-off or overridden
//! periods) is reported, so the pane can say that saving replaces it.
import ICAL from 'ical.js';
import { dav } from './api';
import { NS, escapeXml, parseMultistatus, propfindBody } from './dav';
import { DavError, reasonOf } from './manage';
import { pad, vtimezoneLines, wallOf } from './tz';

/** "HH:MM" wall times, `from` before `to`, on one day. */
export interface Range {
  from: string;
  to: string;
}

export interface WorkingHours {
  tz: string;
  /** Index 0 = Sunday … 6 = Saturday (Date.getUTCDay); an empty day is not worked. */
  days: Range[][];
}

export interface ReadHours {
  hours: WorkingHours | null;
  /** Something was stored that the page cannot show as weekly ranges. */
  foreign: boolean;
}

const BYDAY = ['SU', 'MO', 'TU', 'WE', 'TH', 'FR', 'SA'];
const minutes = (hm: string) => Number(hm.slice(0, 2)) * 60 + Number(hm.slice(3, 5));
const hm = (t: ICAL.Time) => `${pad(t.hour)}:${pad(t.minute)}`;
const stamp = (ms: number) => new Date(ms).toISOString().replace(/[-:]/g, '').replace(/\.\d{3}/, '');

/** Whether a range reads as a real span of one day. */
export function validRange(r: Range): boolean {
  return /^\d{2}:\d{2}$/.test(r.from) && /^\d{2}:\d{2}$/.test(r.to) && minutes(r.from) < minutes(r.to);
}

/** The VCALENDAR text of these working hours. */
export function availabilityText(hours: WorkingHours, now = Date.now()): string {
  // Each weekday's date in the current week (Monday first), in the zone.
  const today = wallOf(now, hours.tz);
  const todayDate = new Date(Date.UTC(today.year, today.month - 1, today.day));
  const monday = new Date(todayDate.getTime() - ((todayDate.getUTCDay() + 6) % 7) * 86400000);
  const dateOf = (weekday: number) => {
    const d = new Date(monday.getTime() + ((weekday + 6) % 7) * 86400000);
    return `${d.getUTCFullYear()}${pad(d.getUTCMonth() + 1)}${pad(d.getUTCDate())}`;
  };
  // One AVAILABLE per distinct range, on every weekday that has it.
  const groups = new Map<string, number[]>();
  for (const [day, ranges] of hours.days.entries()) {
    for (const r of ranges.filter(validRange)) {
      const k = `${r.from}-${r.to}`;
      groups.set(k, [...(groups.get(k) ?? []), day]);
    }
  }
  const uid = crypto.randomUUID();
  const lines = ['BEGIN:VCALENDAR', 'VERSION:2.0', 'PRODID:-//Agora//Web//EN', ...vtimezoneLines(hours.tz, monday.getUTCFullYear())];
  lines.push('BEGIN:VAVAILABILITY', `UID:${uid}`, `DTSTAMP:${stamp(now)}`);
  let n = 0;
  for (const [k, days] of groups) {
    const [from, to] = k.split('-');
    // Monday first, so DTSTART is the week's first instance.
    const sorted = [...days].sort((a, b) => ((a + 6) % 7) - ((b + 6) % 7));
    const date = dateOf(sorted[0]);
    lines.push(
      'BEGIN:AVAILABLE',
      `UID:${uid}-${++n}`,
      `DTSTAMP:${stamp(now)}`,
      `DTSTART;TZID=${hours.tz}:${date}T${from.replace(':', '')}00`,
      `DTEND;TZID=${hours.tz}:${date}T${to.replace(':', '')}00`,
      `RRULE:FREQ=WEEKLY;BYDAY=${sorted.map((d) => BYDAY[d]).join(',')}`,
      'END:AVAILABLE',
    );
  }
  lines.push('END:VAVAILABILITY', 'END:VCALENDAR');
  return lines.join('\r\n') + '\r\n';
}

/** Working hours read from an availability text (RFC 7953), as far as they are weekly
 * ranges of one day. */
export function parseAvailability(text: string): ReadHours {
  const root = new ICAL.Component(ICAL.parse(text));
  const comps = root.getAllSubcomponents('vavailability');
  let foreign = comps.length !== 1;
  let tz = '';
  const days: Range[][] = [[], [], [], [], [], [], []];
  for (const av of comps) {
    if (['dtstart', 'dtend', 'duration', 'priority', 'busytype'].some((p) => av.hasProperty(p))) foreign = true;
    for (const a of av.getAllSubcomponents('available')) {
      const startProp = a.getFirstProperty('dtstart');
      const start = startProp?.getFirstValue() as ICAL.Time | undefined;
      let end = a.getFirstPropertyValue('dtend') as ICAL.Time | null;
      if (start && !end && a.hasProperty('duration')) {
        end = start.clone();
        end.addDuration(a.getFirstPropertyValue('duration') as ICAL.Duration);
      }
      const rule = a.getFirstPropertyValue('rrule') as ICAL.Recur | null;
      const simple =
        start && end && !start.isDate && rule && rule.freq === 'WEEKLY' && (rule.interval ?? 1) === 1 && !rule.until && !rule.count &&
        !a.hasProperty('recurrence-id') && !a.hasProperty('rdate') && !a.hasProperty('exdate') &&
        end.year === start.year && end.month === start.month && end.day === start.day;
      if (!simple || !start || !end) {
        foreign = true;
        continue;
      }
      const zone = String(startProp?.getParameter('tzid') ?? '') || (start.zone?.tzid === 'UTC' ? 'UTC' : '');
      if (tz && zone && zone !== tz) foreign = true;
      tz ||= zone;
      const weekday = new Date(Date.UTC(start.year, start.month - 1, start.day)).getUTCDay();
      const byday = (rule.parts?.BYDAY as string[] | undefined) ?? [BYDAY[weekday]];
      for (const d of byday) {
        const i = BYDAY.indexOf(String(d).toUpperCase());
        if (i < 0) foreign = true;
        else days[i].push({ from: hm(start), to: hm(end) });
      }
    }
  }
  for (const d of days) d.sort((a, b) => minutes(a.from) - minutes(b.from));
  const any = days.some((d) => d.length);
  return { hours: any ? { tz: tz || 'UTC', days } : null, foreign };
}

/** The availability stored on the inbox: its text, or undefined when none is set. */
export async function readAvailability(inbox: string): Promise<string | undefined> {
  const res = await dav('PROPFIND', inbox, { body: propfindBody('<c:calendar-availability/>'), headers: { Depth: '0' } });
  if (res.status !== 207) throw new DavError(res.status, reasonOf(res.text));
  const text = parseMultistatus(res.text).items[0]?.props.get(`${NS.C} calendar-availability`)?.textContent ?? '';
  return text.trim() ? text : undefined;
}

async function patch(inbox: string, body: string): Promise<void> {
  const res = await dav('PROPPATCH', inbox, { body });
  const failed = res.status === 207 ? res.text.match(/HTTP\/1\.1\s+([45]\d\d)/) : null;
  if ((res.status !== 207 && res.status !== 200) || failed) throw new DavError(failed ? Number(failed[1]) : res.status, reasonOf(res.text));
}

/** Stores the working hours (the CRs written as character references: an XML parser
 * would turn a bare CRLF into LF, and iCalendar lines end with CRLF). */
export async function writeAvailability(inbox: string, hours: WorkingHours): Promise<void> {
  const text = escapeXml(availabilityText(hours)).replace(/\r/g, '&#13;');
  await patch(inbox, `<?xml version="1.0" encoding="utf-8"?>
<d:propertyupdate xmlns:d="DAV:" xmlns:c="urn:ietf:params:xml:ns:caldav"><d:set><d:prop><c:calendar-availability>${text}</c:calendar-availability></d:prop></d:set></d:propertyupdate>`);
}

/** Removes the working hours (free/busy then shows none; the assistant assumes its default). */
export async function clearAvailability(inbox: string): Promise<void> {
  await patch(inbox, `<?xml version="1.0" encoding="utf-8"?>
<d:propertyupdate xmlns:d="DAV:" xmlns:c="urn:ietf:params:xml:ns:caldav"><d:remove><d:prop><c:calendar-availability/></d:prop></d:remove></d:propertyupdate>`);
}
