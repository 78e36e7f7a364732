//! Dates of tasks and notes as the page shows them: a day, and a time of day or none, in
//! the user's zone. Read from DATE, UTC, TZID or floating values (RFC 5545 §3.3.4,
//! §3.3.5); written as DATE or as local time with a TZID backed by a VTIMEZONE. A value
//! the user did not change is never rewritten, so another client's zone survives.
import ICAL from 'ical.js';
import { ensureTimezone } from '../ical-edit';
import { instantOf, isValidTimeZone, pad, wallOf, type Wall } from '../tz';

/** A day ("2026-12-10") and, when the value has one, a time ("14:30"), in the user's zone. */
export interface DayTime {
  date: string;
  time?: string;
}

export const sameDayTime = (a?: DayTime, b?: DayTime) => (a?.date ?? '') === (b?.date ?? '') && (a?.time ?? '') === (b?.time ?? '');

const wallDay = (w: Wall) => `${w.year}-${pad(w.month)}-${pad(w.day)}`;

/** The property's value in the user's zone `tz`, or undefined when it is absent. */
export function readDayTime(comp: ICAL.Component, name: string, tz: string): DayTime | undefined {
  const prop = comp.getFirstProperty(name);
  const v = prop?.getFirstValue() as ICAL.Time | null | undefined;
  if (!prop || !v || typeof v !== 'object' || !('year' in v)) return undefined;
  if (v.isDate) return { date: `${v.year}-${pad(v.month)}-${pad(v.day)}` };
  const wall: Wall = { year: v.year, month: v.month, day: v.day, hour: v.hour, minute: v.minute, second: v.second };
  const tzid = prop.getParameter('tzid');
  let shown = wall;
  if (v.zone === ICAL.Timezone.utcTimezone) shown = wallOf(Date.UTC(v.year, v.month - 1, v.day, v.hour, v.minute, v.second), tz);
  else if (typeof tzid === 'string' && tzid !== tz && isValidTimeZone(tzid)) shown = wallOf(instantOf(wall, tzid), tz);
  return { date: wallDay(shown), time: `${pad(shown.hour)}:${pad(shown.minute)}` };
}

/** Epoch ms of a DayTime in zone `tz` (a day alone: its start). */
export function instantOfDayTime(d: DayTime, tz: string): number {
  return instantOf(toWall(d), tz);
}

export function toWall(d: DayTime): Wall {
  const [year, month, day] = d.date.split('-').map(Number);
  const [hour, minute] = (d.time ?? '00:00').split(':').map(Number);
  return { year, month, day, hour, minute, second: 0 };
}

/** Writes (or removes) the property; a timed value gets the user's TZID and its VTIMEZONE. */
export function writeDayTime(root: ICAL.Component, comp: ICAL.Component, name: string, d: DayTime | undefined, tz: string): void {
  comp.removeAllProperties(name);
  if (!d) return;
  const w = toWall(d);
  const prop = new ICAL.Property(name, comp);
  if (!d.time) {
    prop.setValue(ICAL.Time.fromData({ year: w.year, month: w.month, day: w.day, isDate: true }));
  } else if (tz === 'UTC') {
    prop.setValue(ICAL.Time.fromJSDate(new Date(instantOf(w, tz)), true));
  } else {
    prop.setValue(ICAL.Time.fromData({ year: w.year, month: w.month, day: w.day, hour: w.hour, minute: w.minute, second: 0 }));
    prop.setParameter('tzid', tz);
    ensureTimezone(root, tz, w.year);
  }
  comp.addProperty(prop);
}

/** "Now" as a UTC DATE-TIME (DTSTAMP, LAST-MODIFIED, COMPLETED must be UTC: §3.8.2.1). */
export const utcNow = () => ICAL.Time.fromJSDate(new Date(), true);

/** Every CATEGORIES value, once each (§3.8.1.2: several properties may carry them). */
export function readCategories(comp: ICAL.Component): string[] {
  const out: string[] = [];
  for (const p of comp.getAllProperties('categories')) {
    for (const v of p.getValues()) {
      const s = String(v).trim();
      if (s && !out.includes(s)) out.push(s);
    }
  }
  return out;
}

/** Rewrites CATEGORIES only when the list changed (another client's grouping is kept). */
export function writeCategories(comp: ICAL.Component, list: string[]): void {
  const before = readCategories(comp);
  if (before.length === list.length && before.every((c, i) => c === list[i])) return;
  comp.removeAllProperties('categories');
  if (!list.length) return;
  const p = new ICAL.Property('categories', comp);
  p.setValues(list);
  comp.addProperty(p);
}

/** "a, b ,c" → ["a", "b", "c"] (commas separate, as in the property itself). */
export const parseCategories = (s: string) => [...new Set(s.split(',').map((c) => c.trim()).filter(Boolean))];

export function setText(comp: ICAL.Component, name: string, value: string): void {
  if (value.trim() === '') comp.removeAllProperties(name);
  else if (comp.getFirstPropertyValue(name) !== value) comp.updatePropertyWithValue(name, value);
}

export const textOf = (comp: ICAL.Component, name: string) => {
  const v = comp.getFirstPropertyValue(name);
  return typeof v === 'string' ? v : '';
};

/** A new VCALENDAR holding one component of `name` with UID, DTSTAMP and CREATED. */
export function newObject(name: 'vtodo' | 'vjournal', uid: string): { root: ICAL.Component; comp: ICAL.Component } {
  const root = new ICAL.Component(['vcalendar', [], []]);
  root.updatePropertyWithValue('version', '2.0');
  root.updatePropertyWithValue('prodid', '-//Agora//Web//EN');
  const comp = new ICAL.Component(name);
  comp.updatePropertyWithValue('uid', uid);
  comp.updatePropertyWithValue('dtstamp', utcNow());
  comp.updatePropertyWithValue('created', utcNow());
  root.addSubcomponent(comp);
  return { root, comp };
}

/** The main component of a stored object: the one without RECURRENCE-ID. */
export function mainComponent(root: ICAL.Component, name: 'vtodo' | 'vjournal'): ICAL.Component {
  const all = root.getAllSubcomponents(name);
  const m = all.find((c) => !c.hasProperty('recurrence-id')) ?? all[0];
  if (!m) throw new Error(`no ${name.toUpperCase()}`);
  return m;
}

/** A changed object: DTSTAMP and LAST-MODIFIED now, SEQUENCE one more (§3.8.7.4). */
export function touch(comp: ICAL.Component): void {
  const seq = Number(comp.getFirstPropertyValue('sequence') ?? 0);
  comp.updatePropertyWithValue('sequence', Number.isFinite(seq) ? seq + 1 : 1);
  comp.updatePropertyWithValue('dtstamp', utcNow());
  comp.updatePropertyWithValue('last-modified', utcNow());
}

/** "10 Dec 2026" or "10 Dec 2026, 14:30" in the page's language (the wall-clock as it is). */
export function formatDayTime(d: DayTime, locale: string, hour12?: boolean, style: 'medium' | 'long' = 'medium'): string {
  const w = toWall(d);
  const opts: Intl.DateTimeFormatOptions = { timeZone: 'UTC', dateStyle: style };
  if (d.time) Object.assign(opts, { timeStyle: 'short', hour12 });
  return new Intl.DateTimeFormat(locale, opts).format(new Date(Date.UTC(w.year, w.month - 1, w.day, w.hour, w.minute)));
}
