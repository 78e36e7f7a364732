//! Writing iCalendar: a new VEVENT, or changes to the stored object that keep every
//! property and component the page does not know (other clients' data survives a web
//! edit). Times are written in the user's zone with a TZID backed by a VTIMEZONE; all-day
//! events as DATE values with an exclusive DTEND (RFC 5545 §3.6.1).
import ICAL from 'ical.js';
import { applyExtras, type EventExtras } from './event-props';
import type { RepeatState } from './recurrence';
import { setRepeat } from './repeat-ical';
import { applyMeeting, isReceivedCopy, type MeetingFields } from './meeting';
import { instantOf, isValidTimeZone, pad, vtimezoneLines, wallOf, type Wall } from './tz';

export interface EventFields {
  title: string;
  location: string;
  description: string;
  allDay: boolean;
  /** Wall-clock in `tz`; for all-day, the hours are ignored and `end` is exclusive. */
  start: Wall;
  end: Wall;
  privacy: 'PUBLIC' | 'PRIVATE' | 'CONFIDENTIAL';
  transparent: boolean;
  /** Categories, colour and reminders; left out (undefined) = kept as stored. */
  extras?: Partial<EventExtras>;
  /** The repeating rule when the user changed it; left out = kept as stored. */
  repeat?: RepeatState;
  /** Attendees to write (meeting.ts); absent when the event is not a meeting. */
  meeting?: MeetingFields;
}

const PRODID = '-//Agora//Web//EN';

function stamp(): ICAL.Time {
  return ICAL.Time.fromJSDate(new Date(), true);
}

function timeOf(w: Wall, allDay: boolean): ICAL.Time {
  return ICAL.Time.fromData({
    year: w.year,
    month: w.month,
    day: w.day,
    hour: allDay ? 0 : w.hour,
    minute: allDay ? 0 : w.minute,
    second: 0,
    isDate: allDay,
  });
}

/** Writes DTSTART/DTEND from a wall-clock in the user's zone. A time that was stored in
 * another zone (a flight's arrival, an invitation from abroad) or in UTC keeps its zone:
 * the instant is converted, the TZID is not overwritten (docs/web.md §2). Returns the
 * zone written, so its VTIMEZONE can be added. */
function setTime(ev: ICAL.Component, name: 'dtstart' | 'dtend', w: Wall, allDay: boolean, tz: string): string | null {
  const old = ev.getFirstProperty(name);
  const oldTz = old?.getParameter('tzid');
  const oldValue = old?.getFirstValue() as ICAL.Time | null | undefined;
  const oldUtc = !!oldValue && !oldValue.isDate && oldValue.zone === ICAL.Timezone.utcTimezone;
  ev.removeAllProperties(name);
  const prop = new ICAL.Property(name, ev);
  let zone: string | null = null;
  if (allDay) {
    prop.setValue(timeOf(w, true));
  } else if (oldUtc || tz === 'UTC') {
    prop.setValue(ICAL.Time.fromJSDate(new Date(instantOf(w, tz)), true));
  } else {
    zone = typeof oldTz === 'string' && oldTz !== tz && isValidTimeZone(oldTz) ? oldTz : tz;
    const local = zone === tz ? w : wallOf(instantOf(w, tz), zone);
    prop.setValue(timeOf(local, false));
    prop.setParameter('tzid', zone);
  }
  ev.addProperty(prop);
  return zone;
}

export function setTimes(root: ICAL.Component, ev: ICAL.Component, start: Wall, end: Wall, allDay: boolean, tz: string): void {
  const zones = [setTime(ev, 'dtstart', start, allDay, tz)];
  ev.removeAllProperties('duration');
  zones.push(setTime(ev, 'dtend', end, allDay, tz));
  for (const z of new Set(zones)) if (z) ensureTimezone(root, z, start.year);
}

function setText(ev: ICAL.Component, name: string, value: string): void {
  if (value.trim() === '') ev.removeAllProperties(name);
  else ev.updatePropertyWithValue(name, value);
}

export function applyFields(root: ICAL.Component, ev: ICAL.Component, f: EventFields, tz: string): void {
  setTimes(root, ev, f.start, f.end, f.allDay, tz);
  if (f.repeat) setRepeat(ev, f.repeat);
  applyDetails(ev, f);
}

/** Everything but the times: text, privacy, transparency, categories, colour, reminders. */
export function applyDetails(ev: ICAL.Component, f: EventFields): void {
  setText(ev, 'summary', f.title);
  setText(ev, 'location', f.location);
  setText(ev, 'description', f.description);
  if (f.privacy === 'PUBLIC') ev.removeAllProperties('class');
  else ev.updatePropertyWithValue('class', f.privacy);
  if (f.transparent || f.allDay) ev.updatePropertyWithValue('transp', f.transparent ? 'TRANSPARENT' : 'OPAQUE');
  else ev.removeAllProperties('transp');
  if (f.extras) applyExtras(ev, f.extras, f.title);
}

/** Adds the VTIMEZONE for `tz` when the object uses it and does not define it yet. */
export function ensureTimezone(root: ICAL.Component, tz: string, year: number): void {
  if (tz === 'UTC') return;
  const has = root.getAllSubcomponents('vtimezone').some((c) => c.getFirstPropertyValue('tzid') === tz);
  if (has) return;
  const text = ['BEGIN:VCALENDAR', ...vtimezoneLines(tz, year), 'END:VCALENDAR'].join('\r\n');
  const vtz = new ICAL.Component(ICAL.parse(text)).getFirstSubcomponent('vtimezone');
  if (vtz) root.addSubcomponent(vtz);
}

export function newEvent(f: EventFields, tz: string, uid = crypto.randomUUID()): string {
  const root = new ICAL.Component(['vcalendar', [], []]);
  root.updatePropertyWithValue('version', '2.0');
  root.updatePropertyWithValue('prodid', PRODID);
  const ev = new ICAL.Component('vevent');
  ev.updatePropertyWithValue('uid', uid);
  ev.updatePropertyWithValue('dtstamp', stamp());
  ev.updatePropertyWithValue('created', stamp());
  ev.updatePropertyWithValue('sequence', 0);
  root.addSubcomponent(ev);
  applyFields(root, ev, f, tz);
  if (f.meeting) applyMeeting(root, f.meeting);
  return root.toString() + '\r\n';
}

export class RecurringError extends Error {}

/** The master VEVENT (the one without RECURRENCE-ID) of a stored object. */
export function master(root: ICAL.Component): ICAL.Component {
  const evs = root.getAllSubcomponents('vevent');
  const m = evs.find((e) => !e.hasProperty('recurrence-id')) ?? evs[0];
  if (!m) throw new Error('no VEVENT');
  return m;
}

export function isRecurring(ics: string): boolean {
  const root = new ICAL.Component(ICAL.parse(ics));
  const evs = root.getAllSubcomponents('vevent');
  return evs.length > 1 || evs.some((e) => e.hasProperty('rrule') || e.hasProperty('rdate') || e.hasProperty('recurrence-id'));
}

export function bump(ev: ICAL.Component): void {
  if (!isReceivedCopy(ev)) {
    const seq = Number(ev.getFirstPropertyValue('sequence') ?? 0);
    ev.updatePropertyWithValue('sequence', Number.isFinite(seq) ? seq + 1 : 1);
  }
  ev.updatePropertyWithValue('dtstamp', stamp());
  ev.updatePropertyWithValue('last-modified', stamp());
}

/** The stored object with the editor's fields. For a repeating event only the text
 * fields, privacy and transparency change (for the whole series); its times stay. */
export function updateEvent(ics: string, f: EventFields, tz: string): string {
  const root = new ICAL.Component(ICAL.parse(ics));
  const ev = master(root);
  if (isRecurring(ics)) {
    applyDetails(ev, f);
  } else {
    applyFields(root, ev, f, tz);
  }
  if (f.meeting) applyMeeting(root, f.meeting);
  bump(ev);
  return root.toString() + '\r\n';
}

/** A moved or resized single event: new start and end, its other properties kept. */
export function retimeEvent(ics: string, start: Wall, end: Wall, allDay: boolean, tz: string): string {
  if (isRecurring(ics)) throw new RecurringError();
  const root = new ICAL.Component(ICAL.parse(ics));
  const ev = master(root);
  setTimes(root, ev, start, end, allDay, tz);
  bump(ev);
  return root.toString() + '\r\n';
}

export const wallDate = (w: Wall) => `${w.year}-${pad(w.month)}-${pad(w.day)}`;
