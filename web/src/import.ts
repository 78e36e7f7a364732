//! Importing an .ics file into a calendar through CalDAV. The file is split the way
//! RFC 4791 §4.1 wants calendar objects: one object per UID (the series and all its
//! overrides, VEVENT or VTODO), each with the VTIMEZONEs its properties name, and no
//! METHOD (an iTIP method has no place in a stored object, §4.1). Each object is a PUT
//! with If-None-Match: * to a new href; an object whose href or UID is already in the
//! calendar (412, or 409 no-uid-conflict, §5.3.2.1) is counted as already there and left
//! as it is. A refusal is kept with the server's reason in words.
//!
//! No invitations: a PUT by the organizer of a meeting is scheduled by the server
//! (RFC 6638 §3.2), which would invite every attendee again. On meetings the user
//! organizes, the import marks the ORGANIZER with SCHEDULE-AGENT=CLIENT (RFC 6638 §7.1:
//! the client takes care of scheduling), which the server honours by sending nothing,
//! now or on later edits of that object. A copy of someone else's meeting is an
//! attendee's copy, which the server creates without a reply (docs/decisions.md).
import ICAL from 'ical.js';
import { dav } from './api';
import { NS, parseMultistatus, propfindBody } from './dav';
import { reasonOf } from './manage';

export interface SplitObject {
  uid: string;
  summary: string;
  ics: string;
}

export interface Refused {
  uid: string;
  summary: string;
  status: number;
  reason: string;
}

export interface ImportResult {
  imported: number;
  present: number;
  refused: Refused[];
}

const OBJECT_COMPONENTS = new Set(['vevent', 'vtodo', 'vjournal']);

/** Every TZID named by the properties of `comp` and its subcomponents (VALARM…). */
function zonesUsed(comp: ICAL.Component, into: Set<string>): void {
  for (const p of comp.getAllProperties()) {
    const tzid = p.getParameter('tzid');
    if (typeof tzid === 'string') into.add(tzid);
  }
  for (const sub of comp.getAllSubcomponents()) zonesUsed(sub, into);
}

/** Marks the ORGANIZER of a meeting the user organizes as scheduled by the client. */
function noScheduling(comp: ICAL.Component, own: Set<string>): void {
  const org = comp.getFirstProperty('organizer');
  if (!org || !comp.hasProperty('attendee')) return;
  const address = String(org.getFirstValue() ?? '').toLowerCase();
  if (own.has(address)) org.setParameter('schedule-agent', 'CLIENT');
}

/** The file's objects, one per UID (components without a UID get a new one each). */
export function splitCalendar(text: string, ownAddresses: string[] = []): SplitObject[] {
  const parsed = ICAL.parse(text);
  const roots = (Array.isArray(parsed[0]) ? parsed : [parsed]) as unknown[];
  const own = new Set(ownAddresses.map((a) => a.toLowerCase()));
  const zones = new Map<string, ICAL.Component>();
  const groups = new Map<string, ICAL.Component[]>();
  let prodid = '-//Agora//Web import//EN';
  let calscale: string | undefined;
  for (const jcal of roots) {
    const root = new ICAL.Component(jcal as never);
    if (root.name !== 'vcalendar') continue;
    prodid = String(root.getFirstPropertyValue('prodid') ?? prodid);
    calscale = (root.getFirstPropertyValue('calscale') as string | null) ?? calscale;
    for (const sub of root.getAllSubcomponents()) {
      if (sub.name === 'vtimezone') {
        const tzid = String(sub.getFirstPropertyValue('tzid') ?? '');
        if (tzid && !zones.has(tzid)) zones.set(tzid, sub);
      } else if (OBJECT_COMPONENTS.has(sub.name)) {
        let uid = String(sub.getFirstPropertyValue('uid') ?? '');
        if (!uid) {
          uid = crypto.randomUUID();
          sub.addPropertyWithValue('uid', uid);
        }
        (groups.get(uid) ?? groups.set(uid, []).get(uid)!).push(sub);
      }
    }
  }
  const out: SplitObject[] = [];
  for (const [uid, comps] of groups) {
    const cal = new ICAL.Component(['vcalendar', [], []]);
    cal.addPropertyWithValue('version', '2.0');
    cal.addPropertyWithValue('prodid', prodid);
    if (calscale) cal.addPropertyWithValue('calscale', calscale);
    const used = new Set<string>();
    comps.forEach((c) => zonesUsed(c, used));
    for (const tzid of used) {
      const zone = zones.get(tzid);
      if (zone) cal.addSubcomponent(new ICAL.Component(JSON.parse(JSON.stringify(zone.toJSON()))));
    }
    // The series first, then its overrides (a client reading it in order meets the rule first).
    const sorted = [...comps].sort((a, b) => Number(a.hasProperty('recurrence-id')) - Number(b.hasProperty('recurrence-id')));
    for (const c of sorted) {
      noScheduling(c, own);
      cal.addSubcomponent(c);
    }
    const master = sorted[0];
    out.push({ uid, summary: String(master.getFirstPropertyValue('summary') ?? ''), ics: cal.toString() + '\r\n' });
  }
  return out;
}

/** A resource name from the UID when it is plain, else a random one (RFC 4791 §4.1
 * leaves the name to the client; a UID may hold characters a URL segment should not). */
export function objectName(uid: string): string {
  return /^[A-Za-z0-9._@-]{1,100}$/.test(uid) && !uid.startsWith('.') ? `${uid}.ics` : `${crypto.randomUUID()}.ics`;
}

/** The user's calendar addresses (RFC 6638 §2.4.1), to know which meetings are theirs. */
export async function ownAddresses(principal: string): Promise<string[]> {
  const res = await dav('PROPFIND', principal, { body: propfindBody('<c:calendar-user-address-set/>'), headers: { Depth: '0' } });
  if (res.status !== 207) return [];
  const [item] = parseMultistatus(res.text).items;
  const set = item?.props.get(`${NS.C} calendar-user-address-set`);
  return Array.from(set?.getElementsByTagNameNS(NS.D, 'href') ?? []).map((h) => (h.textContent ?? '').trim()).filter(Boolean);
}

/** Writes the objects one after the other (the server checks each; order is kept for
 * the progress line), calling `progress` after each. */
export async function importObjects(calendar: string, objects: SplitObject[], progress: (done: number, total: number) => void): Promise<ImportResult> {
  const result: ImportResult = { imported: 0, present: 0, refused: [] };
  const base = calendar.endsWith('/') ? calendar : `${calendar}/`;
  for (const [i, obj] of objects.entries()) {
    const res = await dav('PUT', base + objectName(obj.uid), { body: obj.ics, contentType: 'text/calendar; charset=utf-8', headers: { 'If-None-Match': '*' } });
    if (res.status === 201 || res.status === 204 || res.status === 200) result.imported++;
    else if (res.status === 412 || (res.status === 409 && /no-uid-conflict/.test(res.text))) result.present++;
    else result.refused.push({ uid: obj.uid, summary: obj.summary, status: res.status, reason: reasonOf(res.text) || String(res.status) });
    progress(i + 1, objects.length);
  }
  return result;
}
