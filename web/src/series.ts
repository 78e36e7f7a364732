//! Changing one occurrence of a repeating event, or the series from it on, or all of it
//! (RFC 5545 §3.8.4.4 RECURRENCE-ID; RFC 4791 §4.1: every instance of a UID lives in
//! one stored object). Pure text in, text out:
//! - this event: an override VEVENT with RECURRENCE-ID in the master DTSTART's own value
//!   type and TZID; a deletion is an EXDATE on the master (and the override goes);
//! - this and following: the series is split. The old master ends with an UNTIL just
//!   before the instance (a COUNT becomes that UNTIL); a new object with a new UID starts
//!   at the instance, takes the later overrides and exceptions, and both are linked with
//!   RELATED-TO (docs/decisions.md says why not RANGE=THISANDFUTURE);
//! - all events: the master moves by the edit's offset in its own zone's wall-clock, and
//!   so do the overrides' RECURRENCE-IDs and the EXDATEs, so every exception stays on the
//!   instance it was made for.
import ICAL from 'ical.js';
import { readExtras, type EventExtras } from './event-props';
import { applyDetails, bump, master, setTimes, type EventFields } from './ical-edit';
import { applyMeeting } from './meeting';
import { shiftRepeat, utcText, type RepeatState, type StartForm } from './recurrence';
import { repeatOf, setRepeat, startOf } from './repeat-ical';
import { instantOf, pad, wallOf, type Wall } from './tz';

export type Scope = 'this' | 'following' | 'all';

/** Why a series change cannot be written as asked. */
export class SeriesError extends Error {
  constructor(public reason: 'custom-shift' | 'all-day' | 'no-master') {
    super(reason);
  }
}

export interface Change {
  /** The instance as it was shown (the user's zone). */
  before: { start: Wall; end: Wall };
  /** The edited fields, new times included (the user's zone). */
  fields: EventFields;
  /** A drag: only the times change (the series keeps its own text). */
  timesOnly?: boolean;
}

/** An instance key: "D:YYYYMMDD" for a date, "T:<ms>" for an instant. */
type Key = string;
const naive = (w: Wall) => Date.UTC(w.year, w.month - 1, w.day, w.hour, w.minute, w.second);
const fromNaive = (ms: number): Wall => {
  const d = new Date(ms);
  return { year: d.getUTCFullYear(), month: d.getUTCMonth() + 1, day: d.getUTCDate(), hour: d.getUTCHours(), minute: d.getUTCMinutes(), second: d.getUTCSeconds() };
};
const ymd = (w: Wall) => `${w.year}${pad(w.month)}${pad(w.day)}`;
const DAY = 86400000;

/** The key of a RECURRENCE-ID as the server's expand sends it (UTC, or a DATE). */
export function ridKey(rid: string, userTz: string): Key {
  const m = rid.match(/^(\d{4})(\d{2})(\d{2})(?:T(\d{2})(\d{2})(\d{2})(Z)?)?$/);
  if (!m) throw new Error(`bad RECURRENCE-ID ${rid}`);
  if (!m[4]) return `D:${m[1]}${m[2]}${m[3]}`;
  const w: Wall = { year: +m[1], month: +m[2], day: +m[3], hour: +m[4], minute: +m[5], second: +m[6] };
  return `T:${m[7] ? naive(w) : instantOf(w, userTz)}`;
}

function keyOfTime(v: ICAL.Time, tzid: unknown, userTz: string): Key {
  const w: Wall = { year: v.year, month: v.month, day: v.day, hour: v.hour, minute: v.minute, second: v.second };
  if (v.isDate) return `D:${ymd(w)}`;
  if (typeof tzid === 'string' && tzid) return `T:${instantOf(w, tzid)}`;
  if (v.zone === ICAL.Timezone.utcTimezone) return `T:${naive(w)}`;
  return `T:${instantOf(w, userTz)}`;
}

const keyOfProp = (p: ICAL.Property, userTz: string) => keyOfTime(p.getFirstValue() as ICAL.Time, p.getParameter('tzid'), userTz);

const zoneOf = (form: StartForm, userTz: string) => (form.kind === 'zoned' ? form.tzid : form.kind === 'utc' ? 'UTC' : userTz);

/** The wall-clock of a key in the master's zone. */
function wallOfKey(k: Key, form: StartForm, userTz: string): Wall {
  if (k.startsWith('D:')) {
    const s = k.slice(2);
    return { year: +s.slice(0, 4), month: +s.slice(4, 6), day: +s.slice(6, 8), hour: 0, minute: 0, second: 0 };
  }
  return wallOf(Number(k.slice(2)), zoneOf(form, userTz));
}

/** A RECURRENCE-ID, EXDATE or RDATE property for key `k` in the master's value type. */
function timeProp(name: string, parent: ICAL.Component, form: StartForm, k: Key, userTz: string): ICAL.Property {
  const p = new ICAL.Property(name, parent);
  const w = wallOfKey(k, form, userTz);
  if (form.kind === 'date') {
    p.resetType('date');
    p.setValue(ICAL.Time.fromData({ year: w.year, month: w.month, day: w.day, isDate: true }));
  } else if (form.kind === 'utc') {
    p.setValue(ICAL.Time.fromJSDate(new Date(Number(k.slice(2))), true));
  } else {
    p.setValue(ICAL.Time.fromData({ ...w, isDate: false }));
    if (form.kind === 'zoned') p.setParameter('tzid', form.tzid);
  }
  return p;
}

interface Parsed {
  root: ICAL.Component;
  m: ICAL.Component;
  form: StartForm;
  start: Wall;
  overrides: ICAL.Component[];
}

function parse(ics: string): Parsed {
  const root = new ICAL.Component(ICAL.parse(ics));
  const m = master(root);
  const st = startOf(m);
  if (!st || m.hasProperty('recurrence-id')) throw new SeriesError('no-master');
  const overrides = root.getAllSubcomponents('vevent').filter((e) => e !== m && e.hasProperty('recurrence-id'));
  return { root, m, form: st.form, start: st.wall, overrides };
}

const text = (root: ICAL.Component) => root.toString() + '\r\n';

function overrideFor(p: Parsed, k: Key, userTz: string): ICAL.Component | undefined {
  return p.overrides.find((o) => keyOfProp(o.getFirstProperty('recurrence-id')!, userTz) === k);
}

/** The key of the series' first instance (its DTSTART). */
function firstKey(p: Parsed, userTz: string): Key {
  return keyOfProp(p.m.getFirstProperty('dtstart')!, userTz);
}

/** Whether `rid` is the series' first instance ("this and following" is then "all"). */
export function isFirstInstance(ics: string, rid: string, userTz: string): boolean {
  const p = parse(ics);
  return firstKey(p, userTz) === ridKey(rid, userTz);
}

/** Whether an override exists for this instance (then its fields are the editor's). */
export function overrideOf(ics: string, rid: string, userTz: string): ICAL.Component | undefined {
  const p = parse(ics);
  return overrideFor(p, ridKey(rid, userTz), userTz);
}

/** This event only: add or change its override. */
export function editThis(ics: string, rid: string, f: EventFields, userTz: string): string {
  const p = parse(ics);
  const k = ridKey(rid, userTz);
  let ov = overrideFor(p, k, userTz);
  if (!ov) {
    // An override is a whole VEVENT (§3.8.4.4): the master's properties and alarms,
    // without the rule, at the instance.
    ov = new ICAL.Component(structuredClone(p.m.jCal));
    for (const n of ['rrule', 'rdate', 'exdate', 'exrule', 'recurrence-id']) ov.removeAllProperties(n);
    ov.addProperty(timeProp('recurrence-id', ov, p.form, k, userTz));
    p.root.addSubcomponent(ov);
  }
  const seq = Math.max(Number(ov.getFirstPropertyValue('sequence') ?? 0), Number(p.m.getFirstPropertyValue('sequence') ?? 0));
  ov.updatePropertyWithValue('sequence', Number.isFinite(seq) ? seq : 0);
  setTimes(p.root, ov, f.start, f.end, f.allDay, userTz);
  applyDetails(ov, f);
  if (f.meeting) applyMeeting(p.root, f.meeting, [ov]);
  bump(ov);
  return text(p.root);
}

/** This event only, deleted: an EXDATE on the master, its override removed. */
export function deleteThis(ics: string, rid: string, userTz: string): string {
  const p = parse(ics);
  const k = ridKey(rid, userTz);
  const ov = overrideFor(p, k, userTz);
  if (ov) p.root.removeSubcomponent(ov);
  p.m.addProperty(timeProp('exdate', p.m, p.form, k, userTz));
  bump(p.m);
  return text(p.root);
}

/** Moves every exception time (RECURRENCE-ID, EXDATE, RDATE) of the series by the
 * master's own wall-clock shift, so that each still names the instance it was for. */
function shiftKey(k: Key, form: StartForm, wallDelta: number, userTz: string): Key {
  const w = fromNaive(naive(wallOfKey(k, form, userTz)) + wallDelta);
  return k.startsWith('D:') ? `D:${ymd(w)}` : `T:${instantOf(w, zoneOf(form, userTz))}`;
}

function shiftTimeProps(p: Parsed, name: 'exdate' | 'rdate', wallDelta: number, userTz: string): void {
  const props = p.m.getAllProperties(name);
  const keys: Key[] = [];
  for (const prop of props) {
    for (const v of prop.getValues()) {
      if (!(v instanceof ICAL.Time)) throw new SeriesError('custom-shift'); // an RDATE period
      keys.push(shiftKey(keyOfTime(v, prop.getParameter('tzid'), userTz), p.form, wallDelta, userTz));
    }
  }
  p.m.removeAllProperties(name);
  for (const k of keys) p.m.addProperty(timeProp(name, p.m, p.form, k, userTz));
}

const TEXT_PROPS = ['summary', 'location', 'description', 'class', 'transp'];

/** The whole series: the master's times, rule and details; exceptions follow. */
export function editAll(ics: string, c: Change, userTz: string): string {
  const p = parse(ics);
  const f = c.fields;
  const allDay = p.form.kind === 'date';
  if (f.allDay !== allDay) throw new SeriesError('all-day');
  const zone = zoneOf(p.form, userTz);
  // The shift, measured in the master's own zone, as wall-clock (a weekly 10:00 stays
  // 10:00 on both sides of a DST change).
  let wallDelta: number;
  let dayDelta: number;
  if (allDay) {
    wallDelta = naive({ ...f.start, hour: 0, minute: 0, second: 0 }) - naive({ ...c.before.start, hour: 0, minute: 0, second: 0 });
    dayDelta = Math.round(wallDelta / DAY);
  } else {
    const oldW = wallOf(instantOf(c.before.start, userTz), zone);
    const newW = wallOf(instantOf(f.start, userTz), zone);
    wallDelta = naive(newW) - naive(oldW);
    dayDelta = Math.round((naive({ ...newW, hour: 0, minute: 0, second: 0 }) - naive({ ...oldW, hour: 0, minute: 0, second: 0 })) / DAY);
  }
  const rule = repeatOf(p.m, userTz);
  const before = Object.fromEntries(TEXT_PROPS.map((n) => [n, String(p.m.getFirstPropertyValue(n) ?? '')]));
  // New master times: its start shifted, the edited duration.
  const newStart = fromNaive(naive(p.start) + wallDelta);
  if (allDay) {
    const days = Math.round((naive(f.end) - naive(f.start)) / DAY);
    setTimes(p.root, p.m, newStart, fromNaive(naive(newStart) + days * DAY), true, userTz);
  } else {
    const ms = instantOf(newStart, zone);
    const dur = instantOf(f.end, userTz) - instantOf(f.start, userTz);
    setTimes(p.root, p.m, wallOf(ms, userTz), wallOf(ms + dur, userTz), false, userTz);
  }
  if (wallDelta !== 0) {
    for (const ov of p.overrides) {
      const ridProp = ov.getFirstProperty('recurrence-id')!;
      const k = keyOfProp(ridProp, userTz);
      const nk = shiftKey(k, p.form, wallDelta, userTz);
      // An override still at its instance's time moves with the series; one moved on its
      // own keeps the time the user gave it.
      const ovStart = ov.getFirstProperty('dtstart');
      if (ovStart && keyOfProp(ovStart, userTz) === k) {
        const ovEnd = ov.getFirstProperty('dtend');
        const sw = wallOfKey(nk, p.form, userTz);
        if (allDay) {
          const at = (q: ICAL.Property) => naive(wallOfKey(keyOfProp(q, userTz), p.form, userTz));
          const days = ovEnd ? Math.max(1, Math.round((at(ovEnd) - at(ovStart)) / DAY)) : 1;
          setTimes(p.root, ov, sw, fromNaive(naive(sw) + days * DAY), true, userTz);
        } else {
          const dur = ovEnd ? Number(keyOfProp(ovEnd, userTz).slice(2)) - Number(k.slice(2)) : 0;
          const ms = Number(nk.slice(2));
          setTimes(p.root, ov, wallOf(ms, userTz), wallOf(ms + dur, userTz), false, userTz);
        }
      }
      ov.removeAllProperties('recurrence-id');
      ov.addProperty(timeProp('recurrence-id', ov, p.form, nk, userTz));
    }
    shiftTimeProps(p, 'exdate', wallDelta, userTz);
    shiftTimeProps(p, 'rdate', wallDelta, userTz);
  }
  // The rule: the one the user chose, else the stored one moved along.
  if (f.repeat?.kind === 'none') {
    // No longer repeating: exceptions would name instances that no longer exist.
    for (const ov of p.overrides) p.root.removeSubcomponent(ov);
    p.overrides = [];
    for (const n of ['exdate', 'rdate', 'exrule']) p.m.removeAllProperties(n);
    setRepeat(p.m, f.repeat);
  } else if (f.repeat && f.repeat.kind !== 'custom') setRepeat(p.m, f.repeat);
  else if (wallDelta !== 0 && rule.kind === 'rule') {
    const r = shiftRepeat(rule.rule, dayDelta);
    if (r.end.kind === 'until') {
      const [y, mo, d] = r.end.date.split('-').map(Number);
      const w = fromNaive(Date.UTC(y, mo - 1, d) + dayDelta * DAY);
      r.end = { kind: 'until', date: `${w.year}-${pad(w.month)}-${pad(w.day)}` };
    }
    setRepeat(p.m, { kind: 'rule', rule: r });
  } else if (wallDelta !== 0 && rule.kind === 'custom') {
    // A rule the editor does not model can move in time of day, not to other days
    // (its BYDAY/BYMONTHDAY would no longer match the start).
    if (dayDelta !== 0) throw new SeriesError('custom-shift');
    for (const prop of p.m.getAllProperties('rrule')) {
      const r = prop.getFirstValue() as ICAL.Recur;
      if (r.until && !r.until.isDate) {
        const until = r.until;
        const u = wallOfKey(keyOfTime(until, null, userTz), p.form, userTz);
        r.until = until.zone === ICAL.Timezone.utcTimezone
          ? ICAL.Time.fromJSDate(new Date(until.toJSDate().getTime() + wallDelta), true)
          : ICAL.Time.fromData({ ...fromNaive(naive(u) + wallDelta), isDate: false });
        prop.setValue(r);
      }
    }
  }
  if (c.timesOnly) {
    bump(p.m);
    return text(p.root);
  }
  // Text changed for the series reaches the overrides that still had the old text.
  for (const ov of p.overrides) {
    const after: Record<string, string> = { summary: f.title, location: f.location, description: f.description };
    for (const n of ['summary', 'location', 'description']) {
      if (String(ov.getFirstPropertyValue(n) ?? '') === before[n] && after[n] !== before[n]) {
        if (after[n].trim()) ov.updatePropertyWithValue(n, after[n]);
        else ov.removeAllProperties(n);
      }
    }
  }
  applyDetails(p.m, f);
  // Attendees changed for the whole series change in its exceptions too.
  if (f.meeting) applyMeeting(p.root, f.meeting);
  bump(p.m);
  return text(p.root);
}

/** The UNTIL that ends a series just before instance `k` (§3.3.10: DATE for an all-day
 * start, UTC for a zoned or UTC start, floating for a floating one). */
function untilBefore(k: Key, form: StartForm, userTz: string): string {
  if (form.kind === 'date') return ymd(fromNaive(naive(wallOfKey(k, form, userTz)) - DAY));
  if (form.kind === 'floating') {
    const w = fromNaive(naive(wallOfKey(k, form, userTz)) - 1000);
    return `${ymd(w)}T${pad(w.hour)}${pad(w.minute)}${pad(w.second)}`;
  }
  return utcText(Number(k.slice(2)) - 1000);
}

function ruleParts(r: ICAL.Recur): string[] {
  return r.toString().split(';').filter((s) => s && !/^(COUNT|UNTIL)=/i.test(s));
}

/** How many instances the rule makes before instance `k` (EXDATEs count: COUNT counts
 * what the rule generates, before exclusions, §3.8.5.3). */
function countBefore(p: Parsed, r: ICAL.Recur, k: Key, userTz: string): number {
  const limit = naive(wallOfKey(k, p.form, userTz));
  const it = r.iterator(p.m.getFirstPropertyValue('dtstart') as ICAL.Time);
  let n = 0;
  for (let t = it.next(); t && n < 100000; t = it.next()) {
    if (naive({ year: t.year, month: t.month, day: t.day, hour: t.hour, minute: t.minute, second: t.second }) >= limit) break;
    n++;
  }
  return n;
}

const isBefore = (a: Key, b: Key) => (a.startsWith('D:') ? a.slice(2) < b.slice(2) : Number(a.slice(2)) < Number(b.slice(2)));

/** Keeps in `p` only the exceptions before (`keepBefore`) or from instance `k`. */
function keepExceptions(p: Parsed, k: Key, keepBefore: boolean, userTz: string): void {
  for (const ov of p.overrides) {
    if (isBefore(keyOfProp(ov.getFirstProperty('recurrence-id')!, userTz), k) !== keepBefore) p.root.removeSubcomponent(ov);
  }
  p.overrides = p.overrides.filter((ov) => ov.parent === p.root);
  for (const name of ['exdate', 'rdate']) {
    const kept: Key[] = [];
    for (const prop of p.m.getAllProperties(name)) {
      for (const v of prop.getValues()) {
        if (!(v instanceof ICAL.Time)) continue;
        const vk = keyOfTime(v, prop.getParameter('tzid'), userTz);
        if (isBefore(vk, k) === keepBefore) kept.push(vk);
      }
    }
    p.m.removeAllProperties(name);
    for (const vk of kept) p.m.addProperty(timeProp(name, p.m, p.form, vk, userTz));
  }
}

/** Ends the series just before `rid` (delete "this and following", or the old half of a split). */
function truncate(p: Parsed, k: Key, userTz: string): void {
  for (const prop of p.m.getAllProperties('rrule')) {
    const r = prop.getFirstValue() as ICAL.Recur;
    prop.setValue(ICAL.Recur.fromString([...ruleParts(r), `UNTIL=${untilBefore(k, p.form, userTz)}`].join(';')));
  }
  keepExceptions(p, k, true, userTz);
  bump(p.m);
}

/** Delete "this and following": the series ends before the instance; null when the
 * instance is the first one (then the whole object goes). */
export function deleteFollowing(ics: string, rid: string, userTz: string): string | null {
  const p = parse(ics);
  const k = ridKey(rid, userTz);
  if (firstKey(p, userTz) === k) return null;
  truncate(p, k, userTz);
  return text(p.root);
}

export interface Split {
  /** The old object, ending before the instance. */
  old: string;
  /** The new object (new UID), from the instance on, with the change applied. */
  next: string;
  uid: string;
}

/** "This and following": two objects (the caller PUTs `next` as a new resource). */
export function splitFollowing(ics: string, rid: string, c: Change, userTz: string): Split {
  const k = ridKey(rid, userTz);
  const uid = crypto.randomUUID();
  // The new half, from a fresh copy of the object.
  const n = parse(ics);
  const oldUid = String(n.m.getFirstPropertyValue('uid') ?? '');
  for (const prop of n.m.getAllProperties('rrule')) {
    const r = prop.getFirstValue() as ICAL.Recur;
    const partsN = ruleParts(r);
    if (r.count) partsN.push(`COUNT=${Math.max(1, r.count - countBefore(n, r, k, userTz))}`);
    else if (r.until) partsN.push(`UNTIL=${r.until.toICALString()}`);
    prop.setValue(ICAL.Recur.fromString(partsN.join(';')));
  }
  keepExceptions(n, k, false, userTz);
  for (const ev of n.root.getAllSubcomponents('vevent')) {
    ev.updatePropertyWithValue('uid', uid);
    for (const rel of ev.getAllProperties('related-to')) {
      if (String(rel.getParameter('reltype') ?? '').toUpperCase() === 'NEXT') ev.removeProperty(rel);
    }
  }
  n.m.updatePropertyWithValue('sequence', 0);
  n.m.updatePropertyWithValue('created', ICAL.Time.fromJSDate(new Date(), true));
  // RFC 5545 §3.8.4.5: the new half names the old one as its sibling.
  const sib = new ICAL.Property('related-to', n.m);
  sib.setValue(oldUid);
  sib.setParameter('reltype', 'SIBLING');
  n.m.addProperty(sib);
  // Its DTSTART is the instance, with the series' duration.
  const st = wallOfKey(k, n.form, userTz);
  if (n.form.kind === 'date') {
    const s = n.m.getFirstProperty('dtstart')!;
    const e = n.m.getFirstProperty('dtend');
    const at = (q: ICAL.Property) => naive(wallOfKey(keyOfProp(q, userTz), n.form, userTz));
    const days = e ? Math.max(1, Math.round((at(e) - at(s)) / DAY)) : 1;
    setTimes(n.root, n.m, st, fromNaive(naive(st) + days * DAY), true, userTz);
  } else {
    const s = n.m.getFirstProperty('dtstart')!;
    const e = n.m.getFirstProperty('dtend');
    const dur = e ? Number(keyOfProp(e, userTz).slice(2)) - Number(keyOfProp(s, userTz).slice(2)) : 0;
    const ms = Number(k.slice(2));
    setTimes(n.root, n.m, wallOf(ms, userTz), wallOf(ms + dur, userTz), false, userTz);
  }
  const next = editAll(text(n.root), c, userTz);
  // The old half ends before the instance and points to its successor (RFC 9253 NEXT).
  const o = parse(ics);
  truncate(o, k, userTz);
  const rel = new ICAL.Property('related-to', o.m);
  rel.setValue(uid);
  rel.setParameter('reltype', 'NEXT');
  o.m.addProperty(rel);
  return { old: text(o.root), next, uid };
}

/** What the editor shows of a stored object opened at one of its instances. */
export interface StoredView {
  repeat: RepeatState;
  extras: EventExtras;
  /** A master with a rule or RDATEs: changes to an instance ask for a scope. */
  series: boolean;
  exceptions: boolean;
}

export function storedView(ics: string, rid: string | undefined, userTz: string): StoredView {
  let p: Parsed;
  try {
    p = parse(ics);
  } catch {
    // Only overrides (an invitation to one instance): edited as a single event.
    const root = new ICAL.Component(ICAL.parse(ics));
    return { repeat: { kind: 'none' }, extras: readExtras(master(root)), series: false, exceptions: false };
  }
  const repeat = repeatOf(p.m, userTz);
  const ov = rid ? overrideFor(p, ridKey(rid, userTz), userTz) : undefined;
  return {
    repeat,
    extras: readExtras(ov ?? p.m),
    series: repeat.kind !== 'none' && !!rid,
    exceptions: p.overrides.length > 0 || p.m.hasProperty('exdate'),
  };
}
