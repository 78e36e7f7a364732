//! Meetings in iCalendar: reading ORGANIZER and ATTENDEE lines, writing them for the
//! organiser, and the attendee's answer. The server does the scheduling itself (RFC 6638
//! implicit scheduling: invitations, updates, cancellations and replies follow the PUT or
//! DELETE of the organiser's or attendee's copy), so the page only edits these lines.
//!
//! Lines that already exist are kept as they are, with every parameter the page does not
//! set (SCHEDULE-STATUS, X- parameters, DELEGATED-FROM…): only ROLE, CN and CUTYPE are
//! rewritten on them; a new attendee gets PARTSTAT=NEEDS-ACTION and RSVP=TRUE (RFC 5545
//! §3.2.16–3.2.17, §3.8.4.1). The organiser is also an ATTENDEE with PARTSTAT=ACCEPTED,
//! as Apple Calendar and Thunderbird write it.
import ICAL from 'ical.js';

export interface Person {
  /** A calendar user address, "mailto:…" (RFC 5545 §3.3.3). */
  address: string;
  name: string;
}

export interface Attendee extends Person {
  /** RFC 5545 §3.2.16: REQ-PARTICIPANT (default), OPT-PARTICIPANT, CHAIR, NON-PARTICIPANT. */
  role: string;
  /** RFC 5545 §3.2.3: INDIVIDUAL, GROUP, RESOURCE, ROOM, UNKNOWN. */
  cutype: string;
  /** RFC 5545 §3.2.12. */
  partstat: string;
  /** The comment the attendee answered with: the server records a REPLY's COMMENT on
   * the attendee's line in the organiser's copy as X-RESPONSE-COMMENT (as Thunderbird). */
  comment?: string;
}

export interface Meeting {
  uid: string;
  organizer: Person | null;
  attendees: Attendee[];
}

/** The attendee list the editor saves (the organiser is added by `applyMeeting`). */
export interface MeetingFields {
  organizer: Person;
  attendees: Omit<Attendee, 'partstat'>[];
}

/** Who the signed-in user is as a calendar user (calendar-user-address-set, RFC 6638 §2.4.1). */
export interface Identity {
  name: string;
  /** The address written as ORGANIZER: the first mailto: of the set. */
  mailto: string;
  /** Every address of the set, normalised (see `normalizeAddress`). */
  addresses: string[];
  outbox?: string;
  inbox?: string;
}

let me: Identity | null = null;

export function setIdentity(id: Identity | null): void {
  me = id;
}

export function identity(): Identity | null {
  return me;
}

/** "MAILTO:Bob@Example.org" and "mailto:bob@example.org" are the same calendar user. */
export function normalizeAddress(address: string): string {
  const a = address.trim();
  return /^mailto:/i.test(a) ? `mailto:${a.slice(7).toLowerCase()}` : a.toLowerCase();
}

export const sameAddress = (a: string, b: string) => normalizeAddress(a) === normalizeAddress(b);

/** "mailto:bob@example.org" → "bob@example.org" (for display). */
export const bareAddress = (address: string) => address.replace(/^mailto:/i, '');

export function isMine(address: string, id: Identity | null = me): boolean {
  const n = normalizeAddress(address);
  return !!id && id.addresses.includes(n);
}

const param = (p: ICAL.Property, name: string): string => {
  const v = p.getParameter(name);
  return (Array.isArray(v) ? v[0] : v ?? '').toString();
};

function attendeeOf(p: ICAL.Property): Attendee {
  const address = String(p.getFirstValue() ?? '');
  return {
    address,
    name: param(p, 'cn'),
    role: param(p, 'role').toUpperCase() || 'REQ-PARTICIPANT',
    cutype: param(p, 'cutype').toUpperCase() || 'INDIVIDUAL',
    partstat: param(p, 'partstat').toUpperCase() || 'NEEDS-ACTION',
    comment: param(p, RESPONSE_COMMENT).trim(),
  };
}

/** The master VEVENT (without RECURRENCE-ID), else the first one. */
export function masterOf(root: ICAL.Component): ICAL.Component | null {
  const evs = root.getAllSubcomponents('vevent');
  return evs.find((e) => !e.hasProperty('recurrence-id')) ?? evs[0] ?? null;
}

export function meetingOf(ev: ICAL.Component): Meeting {
  const org = ev.getFirstProperty('organizer');
  const uid = ev.getFirstPropertyValue('uid');
  return {
    uid: typeof uid === 'string' ? uid : '',
    organizer: org ? { address: String(org.getFirstValue() ?? ''), name: param(org, 'cn') } : null,
    attendees: ev.getAllProperties('attendee').map(attendeeOf),
  };
}

export function readMeeting(ics: string): Meeting {
  const ev = masterOf(new ICAL.Component(ICAL.parse(ics)));
  return ev ? meetingOf(ev) : { uid: '', organizer: null, attendees: [] };
}

/** The user's place in a meeting: organiser, attendee, or neither (a plain event, or
 * a copy in a calendar shared with them, which they edit as its owner would). */
export function roleIn(m: Meeting, id: Identity | null = me): 'organizer' | 'attendee' | 'none' {
  if (!m.organizer || m.attendees.length === 0) return 'none';
  if (isMine(m.organizer.address, id)) return 'organizer';
  return m.attendees.some((a) => isMine(a.address, id)) ? 'attendee' : 'none';
}

/** Whether this VEVENT is an invitation the user has not answered yet (drawn apart in
 * the grid so that people notice it). */
export function awaitingAnswer(ev: ICAL.Component, id: Identity | null = me): boolean {
  if (!id) return false;
  const org = ev.getFirstProperty('organizer');
  if (!org || isMine(String(org.getFirstValue() ?? ''), id)) return false;
  return ev.getAllProperties('attendee').some((p) => isMine(String(p.getFirstValue() ?? ''), id) && (param(p, 'partstat').toUpperCase() || 'NEEDS-ACTION') === 'NEEDS-ACTION');
}

/** Whether this VEVENT is the user's copy of someone else's meeting: only the
 * organiser raises SEQUENCE (RFC 5546 §2.1.4), so an attendee's edits (show as, alarms)
 * must not. */
export function isReceivedCopy(ev: ICAL.Component, id: Identity | null = me): boolean {
  const org = ev.getFirstProperty('organizer');
  if (!id || !org || isMine(String(org.getFirstValue() ?? ''), id)) return false;
  return ev.getAllProperties('attendee').some((p) => isMine(String(p.getFirstValue() ?? ''), id));
}

function setParam(p: ICAL.Property, name: string, value: string | undefined): void {
  if (value) p.setParameter(name, value);
  else p.removeParameter(name);
}

function newAttendee(ev: ICAL.Component, a: { address: string; name: string; role: string; cutype: string }, partstat: string, rsvp: boolean): ICAL.Property {
  const p = new ICAL.Property('attendee', ev);
  p.setValue(a.address);
  setParam(p, 'cn', a.name);
  p.setParameter('role', a.role);
  p.setParameter('partstat', partstat);
  if (rsvp) p.setParameter('rsvp', 'TRUE');
  p.setParameter('cutype', a.cutype);
  return p;
}

/** Writes the organiser's meeting into every VEVENT of the object (master and
 * overrides): ORGANIZER, the organiser as an accepted ATTENDEE, then the attendees in
 * the editor's order. Existing lines keep their other parameters (each override its
 * own PARTSTAT); removed attendees' lines go (the server then cancels for them). When
 * every attendee is removed from a meeting, ORGANIZER and the organiser's own line stay,
 * so that the server still treats the object as a meeting and cancels for the others.
 * `only` limits the change to some components (one occurrence's override). */
export function applyMeeting(root: ICAL.Component, m: MeetingFields, only?: ICAL.Component[]): void {
  for (const ev of only ?? root.getAllSubcomponents('vevent')) {
    const existing = ev.getAllProperties('attendee');
    const wasMeeting = ev.hasProperty('organizer') && existing.length > 0;
    if (m.attendees.length === 0 && !wasMeeting) continue;
    const org = ev.getFirstProperty('organizer');
    if (org && sameAddress(String(org.getFirstValue() ?? ''), m.organizer.address)) {
      setParam(org, 'cn', m.organizer.name || param(org, 'cn'));
    } else {
      ev.removeAllProperties('organizer');
      const p = new ICAL.Property('organizer', ev);
      p.setValue(m.organizer.address);
      setParam(p, 'cn', m.organizer.name);
      ev.addProperty(p);
    }
    const find = (address: string) => existing.find((p) => sameAddress(String(p.getFirstValue() ?? ''), address));
    const lines: ICAL.Property[] = [];
    const self = find(m.organizer.address) ?? newAttendee(ev, { ...m.organizer, role: 'CHAIR', cutype: 'INDIVIDUAL' }, 'ACCEPTED', false);
    lines.push(self);
    for (const a of m.attendees) {
      if (sameAddress(a.address, m.organizer.address)) continue;
      const old = find(a.address);
      if (old) {
        old.setParameter('role', a.role);
        setParam(old, 'cn', a.name || param(old, 'cn'));
        old.setParameter('cutype', a.cutype);
        lines.push(old);
      } else {
        lines.push(newAttendee(ev, a, 'NEEDS-ACTION', true));
      }
    }
    ev.removeAllProperties('attendee');
    for (const p of lines) ev.addProperty(p);
  }
}

/** Thunderbird's parameter for an answer's comment on the attendee's line: written
 * besides the standard COMMENT in the attendee's copy (clients read one or the other),
 * and where the server records the answer's comment in the organiser's copy. */
const RESPONSE_COMMENT = 'x-response-comment';

/** The attendee's answer written into their copy: their PARTSTAT in every component
 * they are in, RSVP removed, and the comment as COMMENT (RFC 5546 §3.2.3 allows it in a
 * REPLY) replacing their previous one. Nothing else changes: no SEQUENCE bump, which is
 * the organiser's alone (RFC 5546 §2.1.4). */
export function answerMeeting(ics: string, partstat: string, comment: string, id: Identity | null = me): string {
  const root = new ICAL.Component(ICAL.parse(ics));
  let found = false;
  for (const ev of root.getAllSubcomponents('vevent')) {
    const line = ev.getAllProperties('attendee').find((p) => isMine(String(p.getFirstValue() ?? ''), id));
    if (!line) continue;
    found = true;
    const previous = param(line, RESPONSE_COMMENT);
    line.setParameter('partstat', partstat);
    line.removeParameter('rsvp');
    setParam(line, RESPONSE_COMMENT, comment.trim() || undefined);
    if (previous) {
      for (const c of ev.getAllProperties('comment')) if (String(c.getFirstValue() ?? '') === previous) ev.removeProperty(c);
    }
    if (comment.trim()) ev.addPropertyWithValue('comment', comment.trim());
  }
  if (!found) throw new Error('not an attendee');
  return root.toString() + '\r\n';
}

/** The user's own PARTSTAT in the master, if they are an attendee. */
export function myAnswer(m: Meeting, id: Identity | null = me): string | null {
  return m.attendees.find((a) => isMine(a.address, id))?.partstat ?? null;
}

