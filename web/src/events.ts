//! Events of the visible range: one calendar-query REPORT with <C:expand> per visible
//! calendar (RFC 4791 §7.8, §9.6.5: instances come back with UTC times and a
//! RECURRENCE-ID), sent in parallel and cached per calendar and range until the
//! calendar's ctag/sync-token changes.
import ICAL from 'ical.js';
import { dav } from './api';
import { NS, key, parseMultistatus } from './dav';
import { awaitingAnswer } from './meeting';
import { pad, wallOf, isoWall, type Wall } from './tz';

export interface Occurrence {
  /** Unique in the view: object href plus the instance's RECURRENCE-ID. */
  id: string;
  href: string;
  calendar: string;
  etag: string;
  uid: string;
  title: string;
  location: string;
  description: string;
  allDay: boolean;
  /** Floating wall-clock strings in the user's zone ("YYYY-MM-DD" for all-day). */
  start: string;
  end: string;
  recurring: boolean;
  privacy: string;
  transparent: boolean;
  /** The instance's RECURRENCE-ID as the server's expand sends it ("20261208T090000Z",
   * or "20261208" for all-day), which says which instance a write is about. */
  recurrenceId?: string;
  /** RFC 7986 COLOR (a CSS3 colour name), shown instead of the calendar's colour. */
  color?: string;
  categories: string[];
  /** Display alarms of the instance, for the page's reminders (alarms.ts). */
  alarms: AlarmInfo[];
  /** An invitation the user has not answered yet (meeting.ts). */
  awaiting?: boolean;
  /** Extra classes of the grid item (a task shown in the calendar: ui/tasks-grid.ts). */
  classes?: string[];
}

export interface AlarmInfo {
  /** Seconds from the start (or end, `related`), for a relative trigger. */
  offset?: number;
  related?: 'START' | 'END';
  /** Epoch ms, for an absolute trigger. */
  at?: number;
  /** RFC 9074 ACKNOWLEDGED, epoch ms. */
  acknowledged?: number;
  description: string;
}

function alarmsOf(ev: ICAL.Component): AlarmInfo[] {
  const out: AlarmInfo[] = [];
  for (const a of ev.getAllSubcomponents('valarm')) {
    if (String(a.getFirstPropertyValue('action') ?? '').toUpperCase() !== 'DISPLAY') continue;
    const trig = a.getFirstProperty('trigger');
    const v = trig?.getFirstValue();
    const ack = a.getFirstPropertyValue('acknowledged') as ICAL.Time | null;
    const info: AlarmInfo = { description: String(a.getFirstPropertyValue('description') ?? ''), acknowledged: ack ? ack.toJSDate().getTime() : undefined };
    if (v instanceof ICAL.Duration) {
      info.offset = v.toSeconds();
      info.related = String(trig?.getParameter('related') ?? 'START').toUpperCase() === 'END' ? 'END' : 'START';
    } else if (v instanceof ICAL.Time) info.at = v.toJSDate().getTime();
    else continue;
    out.push(info);
  }
  return out;
}

function categoriesOf(ev: ICAL.Component): string[] {
  return ev.getAllProperties('categories').flatMap((p) => p.getValues().map((v) => String(v).trim())).filter(Boolean);
}

const utc = (d: Date) =>
  `${d.getUTCFullYear()}${pad(d.getUTCMonth() + 1)}${pad(d.getUTCDate())}T${pad(d.getUTCHours())}${pad(d.getUTCMinutes())}${pad(d.getUTCSeconds())}Z`;

function queryBody(start: Date, end: Date): string {
  const s = utc(start);
  const e = utc(end);
  return `<?xml version="1.0" encoding="utf-8"?>
<c:calendar-query xmlns:d="DAV:" xmlns:c="urn:ietf:params:xml:ns:caldav"><d:prop><d:getetag/><c:calendar-data><c:expand start="${s}" end="${e}"/></c:calendar-data></d:prop><c:filter><c:comp-filter name="VCALENDAR"><c:comp-filter name="VEVENT"><c:time-range start="${s}" end="${e}"/></c:comp-filter></c:comp-filter></c:filter></c:calendar-query>`;
}

const dateStr = (t: ICAL.Time) => `${t.year}-${pad(t.month)}-${pad(t.day)}`;

/** An ICAL.Time as the view's floating string in zone `tz`. Expanded times are UTC;
 * a floating or unknown-zone time is taken as wall-clock already. */
function toView(t: ICAL.Time, tz: string): string {
  if (t.isDate) return dateStr(t);
  if (t.zone === ICAL.Timezone.utcTimezone || t.zone?.tzid === 'UTC') return isoWall(wallOf(t.toUnixTime() * 1000, tz));
  const w: Wall = { year: t.year, month: t.month, day: t.day, hour: t.hour, minute: t.minute, second: t.second };
  return isoWall(w);
}

export function parseObject(ics: string, href: string, calendar: string, etag: string, tz: string): Occurrence[] {
  const root = new ICAL.Component(ICAL.parse(ics));
  const out: Occurrence[] = [];
  for (const ev of root.getAllSubcomponents('vevent')) {
    const startT = ev.getFirstPropertyValue('dtstart') as ICAL.Time | null;
    if (!startT) continue;
    let endT = ev.getFirstPropertyValue('dtend') as ICAL.Time | null;
    if (!endT) {
      const dur = ev.getFirstPropertyValue('duration') as ICAL.Duration | null;
      endT = startT.clone();
      if (dur) endT.addDuration(dur);
      else if (startT.isDate) endT.adjust(1, 0, 0, 0);
    }
    const rid = ev.getFirstPropertyValue('recurrence-id') as ICAL.Time | null;
    const str = (name: string) => {
      const v = ev.getFirstPropertyValue(name);
      return typeof v === 'string' ? v : '';
    };
    out.push({
      id: rid ? `${href}#${rid.toString()}` : href,
      href,
      calendar,
      etag,
      uid: str('uid'),
      title: str('summary'),
      location: str('location'),
      description: str('description'),
      allDay: startT.isDate,
      start: toView(startT, tz),
      end: toView(endT, tz),
      recurring: !!rid || !!ev.getFirstProperty('rrule'),
      privacy: str('class').toUpperCase() || 'PUBLIC',
      transparent: str('transp').toUpperCase() === 'TRANSPARENT',
      recurrenceId: rid ? rid.toICALString() : undefined,
      color: str('color').trim().toLowerCase() || undefined,
      categories: categoriesOf(ev),
      alarms: alarmsOf(ev),
      awaiting: awaitingAnswer(ev),
    });
  }
  return out;
}

interface CacheEntry {
  tag: string | undefined;
  events: Occurrence[];
}

const cache = new Map<string, CacheEntry>();
/** Requests under way, so a range asked for again meanwhile (the month view reads the
 * months around the one shown ahead of time) waits for the same answer. */
const pending = new Map<string, Promise<Occurrence[]>>();

export function forgetCalendar(calendar: string): void {
  for (const k of cache.keys()) if (k.startsWith(`${calendar}|`)) cache.delete(k);
  // A request sent before a change must not answer for after it.
  for (const k of pending.keys()) if (k.startsWith(`${calendar}|`)) pending.delete(k);
}

export function fetchRange(calendar: string, tag: string | undefined, start: Date, end: Date, tz: string): Promise<Occurrence[]> {
  const cacheKey = `${calendar}|${start.toISOString()}|${end.toISOString()}|${tz}`;
  const hit = cache.get(cacheKey);
  if (hit && hit.tag === tag && tag !== undefined) return Promise.resolve(hit.events);
  const flightKey = `${cacheKey}|${tag}`;
  const flying = pending.get(flightKey);
  if (flying) return flying;
  const request: Promise<Occurrence[]> = readRange(calendar, start, end, tz).then(
    (events) => {
      // Cached only if the calendar was not forgotten (changed) meanwhile.
      if (pending.get(flightKey) === request) cache.set(cacheKey, { tag, events });
      return events;
    },
  ).finally(() => {
    if (pending.get(flightKey) === request) pending.delete(flightKey);
  });
  pending.set(flightKey, request);
  return request;
}

async function readRange(calendar: string, start: Date, end: Date, tz: string): Promise<Occurrence[]> {
  const res = await dav('REPORT', calendar, { body: queryBody(start, end), headers: { Depth: '1' } });
  if (res.status !== 207) throw new Error(`REPORT ${calendar}: ${res.status}`);
  const events: Occurrence[] = [];
  for (const item of parseMultistatus(res.text).items) {
    const data = item.props.get(key(NS.C, 'calendar-data'))?.textContent;
    if (!data) continue;
    const etag = item.props.get(key(NS.D, 'getetag'))?.textContent?.trim() ?? '';
    try {
      events.push(...parseObject(data, item.href, calendar, etag, tz));
    } catch {
      /* one unreadable object must not hide the others */
    }
  }
  return events;
}
