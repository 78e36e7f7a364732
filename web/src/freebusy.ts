//! Free/busy for the scheduling assistant and the room finder: ONE POST of a VFREEBUSY
//! REQUEST to the user's outbox naming every attendee (RFC 6638 §5, RFC 5545 §3.6.4),
//! each recipient's answer read from the schedule-response (its request-status and
//! calendar-data). Working hours: a recipient whose free/busy carries BUSY-UNAVAILABLE
//! has published them (VAVAILABILITY, RFC 7953, which the server turns into
//! BUSY-UNAVAILABLE); for the others Monday–Friday 08:00–18:00 in the user's zone is
//! assumed. `nextFreeSlot` finds the first slot where everyone is free.
import ICAL from 'ical.js';
import { dav } from './api';
import { NS, child, children } from './dav';
import { normalizeAddress } from './meeting';
import { instantOf, wallOf } from './tz';

export type BusyKind = 'BUSY' | 'BUSY-TENTATIVE' | 'BUSY-UNAVAILABLE';

export interface Period {
  start: number;
  end: number;
  kind: BusyKind;
}

export interface FreeBusy {
  /** The recipient as asked, normalised. */
  address: string;
  /** Whether the server could answer for this recipient (request-status 2.x). */
  ok: boolean;
  status: string;
  periods: Period[];
  /** Working hours came from the recipient (BUSY-UNAVAILABLE present), not assumed. */
  ownHours: boolean;
}

export const HOUR = 3600000;
const STEP = 15 * 60000;

const icalUtc = (ms: number) => ICAL.Time.fromJSDate(new Date(ms), true);

function requestBody(organizer: string, attendees: string[], start: number, end: number): string {
  const root = new ICAL.Component(['vcalendar', [], []]);
  root.updatePropertyWithValue('version', '2.0');
  root.updatePropertyWithValue('prodid', '-//Agora//Web//EN');
  root.updatePropertyWithValue('method', 'REQUEST');
  const fb = new ICAL.Component('vfreebusy');
  fb.updatePropertyWithValue('uid', crypto.randomUUID());
  fb.updatePropertyWithValue('dtstamp', icalUtc(Date.now()));
  fb.updatePropertyWithValue('dtstart', icalUtc(start));
  fb.updatePropertyWithValue('dtend', icalUtc(end));
  fb.updatePropertyWithValue('organizer', organizer);
  for (const a of attendees) fb.addPropertyWithValue('attendee', a);
  root.addSubcomponent(fb);
  return root.toString() + '\r\n';
}

function periodsOf(ics: string): Period[] {
  const out: Period[] = [];
  const root = new ICAL.Component(ICAL.parse(ics));
  for (const fb of root.getAllSubcomponents('vfreebusy')) {
    for (const p of fb.getAllProperties('freebusy')) {
      const kind = String(p.getParameter('fbtype') ?? 'BUSY').toUpperCase();
      if (kind === 'FREE') continue;
      for (const v of p.getValues() as ICAL.Period[]) {
        const start = v.start.toJSDate().getTime();
        const end = v.getEnd().toJSDate().getTime();
        out.push({ start, end, kind: (['BUSY-TENTATIVE', 'BUSY-UNAVAILABLE'].includes(kind) ? kind : 'BUSY') as BusyKind });
      }
    }
  }
  return out.sort((a, b) => a.start - b.start);
}

/** Free/busy of `attendees` (addresses) over [start, end), in one outbox POST. */
export async function queryFreeBusy(outbox: string, organizer: string, attendees: string[], start: number, end: number): Promise<Map<string, FreeBusy>> {
  const unique = [...new Map(attendees.map((a) => [normalizeAddress(a), a])).values()];
  const res = await dav('POST', outbox, { body: requestBody(organizer, unique, start, end), contentType: 'text/calendar; charset=utf-8' });
  if (res.status !== 200) throw new Error(`free/busy POST: ${res.status}`);
  const doc = new DOMParser().parseFromString(res.text, 'application/xml');
  const out = new Map<string, FreeBusy>();
  for (const r of Array.from(doc.getElementsByTagNameNS(NS.C, 'response'))) {
    const recipient = child(r, NS.C, 'recipient');
    const href = recipient ? children(recipient, NS.D, 'href')[0]?.textContent?.trim() : undefined;
    if (!href) continue;
    const status = child(r, NS.C, 'request-status')?.textContent?.trim() ?? '';
    const data = child(r, NS.C, 'calendar-data')?.textContent ?? '';
    let periods: Period[] = [];
    let ok = status.startsWith('2');
    try {
      if (ok && data) periods = periodsOf(data);
    } catch {
      ok = false;
    }
    const address = normalizeAddress(href);
    out.set(address, { address, ok, status, periods, ownHours: periods.some((p) => p.kind === 'BUSY-UNAVAILABLE') });
  }
  return out;
}

/** Outside Monday–Friday 08:00–18:00 in zone `tz`, over [start, end): the assumed
 * working hours of someone who published none. */
export function defaultUnavailable(start: number, end: number, tz: string, from = 8, to = 18): Period[] {
  const out: Period[] = [];
  const first = wallOf(start, tz);
  for (let i = -1; ; i++) {
    const d = new Date(Date.UTC(first.year, first.month - 1, first.day + i));
    const day = { year: d.getUTCFullYear(), month: d.getUTCMonth() + 1, day: d.getUTCDate(), second: 0 };
    const at = (hour: number) => instantOf({ ...day, hour, minute: 0 }, tz);
    const dayStart = at(0);
    if (dayStart >= end) break;
    const next = new Date(Date.UTC(day.year, day.month - 1, day.day + 1));
    const dayEnd = instantOf({ year: next.getUTCFullYear(), month: next.getUTCMonth() + 1, day: next.getUTCDate(), hour: 0, minute: 0, second: 0 }, tz);
    const weekday = d.getUTCDay();
    if (weekday === 0 || weekday === 6) out.push({ start: dayStart, end: dayEnd, kind: 'BUSY-UNAVAILABLE' });
    else out.push({ start: dayStart, end: at(from), kind: 'BUSY-UNAVAILABLE' }, { start: at(to), end: dayEnd, kind: 'BUSY-UNAVAILABLE' });
  }
  return out.filter((p) => p.end > start && p.start < end);
}

/** What blocks a person or room: their busy periods, and outside their working hours
 * (their own, else the default for people; rooms have no assumed hours). */
export function blocking(fb: FreeBusy | undefined, assumeHours: boolean, start: number, end: number, tz: string): Period[] {
  const own = fb?.periods ?? [];
  if (fb?.ownHours || !assumeHours) return own;
  return [...own, ...defaultUnavailable(start, end, tz)].sort((a, b) => a.start - b.start);
}

const overlaps = (p: Period, s: number, e: number) => p.start < e && p.end > s;

/** The first start after `after` (on a quarter hour) where a slot of `duration` ms
 * overlaps nobody's blocking period, before `until`; null when none. */
export function nextFreeSlot(rows: Period[][], after: number, duration: number, until: number): number | null {
  let s = Math.floor(after / STEP) * STEP + STEP;
  while (s + duration <= until) {
    const e = s + duration;
    const clash = rows.flat().filter((p) => overlaps(p, s, e));
    if (clash.length === 0) return s;
    // Jump to the earliest end of what clashes, rounded up to a quarter hour.
    const jump = Math.min(...clash.map((p) => p.end));
    s = Math.max(s + STEP, Math.ceil(jump / STEP) * STEP);
  }
  return null;
}

/** Whether [start, end) is free in these periods (for the room finder). */
export function isFree(periods: Period[], start: number, end: number): boolean {
  return !periods.some((p) => overlaps(p, start, end));
}
