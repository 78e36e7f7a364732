//! Notes are VJOURNAL components (RFC 5545 §3.6.3): a title (SUMMARY), a day (DTSTART,
//! written as a DATE), the text (DESCRIPTION — a journal may carry several, §3.6.3: they
//! are shown one after the other and rewritten as one only when the text changed) and
//! CATEGORIES. Everything else a client stored is kept.
import ICAL from 'ical.js';
import {
  mainComponent, newObject, readCategories, readDayTime, setText, textOf, touch, writeCategories, writeDayTime, type DayTime,
} from '../tasks/ical-dates';

export interface NoteFields {
  summary: string;
  /** "YYYY-MM-DD", or '' for none. */
  date: string;
  description: string;
  categories: string[];
}

export interface Note extends NoteFields {
  href: string;
  etag: string;
  notebook: string;
  uid: string;
  /** The stored DTSTART (its time, if any, is kept when the day does not change). */
  start?: DayTime;
  /** Epoch ms of LAST-MODIFIED, else CREATED, else DTSTAMP (the list's second key). */
  changedAt: number;
  ics: string;
}

const descriptions = (c: ICAL.Component) => c.getAllProperties('description').map((p) => String(p.getFirstValue() ?? '')).filter(Boolean);

function ms(c: ICAL.Component, ...names: string[]): number {
  for (const n of names) {
    const v = c.getFirstPropertyValue(n) as ICAL.Time | null;
    if (v && typeof v === 'object' && 'toJSDate' in v) return v.toJSDate().getTime();
  }
  return 0;
}

export function parseNote(ics: string, href: string, notebook: string, etag: string, tz: string): Note {
  const root = new ICAL.Component(ICAL.parse(ics));
  const c = mainComponent(root, 'vjournal');
  const start = readDayTime(c, 'dtstart', tz);
  return {
    href, etag, notebook, ics, start,
    uid: textOf(c, 'uid'),
    summary: textOf(c, 'summary'),
    date: start?.date ?? '',
    description: descriptions(c).join('\n\n'),
    categories: readCategories(c),
    changedAt: ms(c, 'last-modified', 'created', 'dtstamp'),
  };
}

function apply(root: ICAL.Component, c: ICAL.Component, f: NoteFields, before: Note | undefined, tz: string): void {
  setText(c, 'summary', f.summary);
  if (!before || f.date !== before.date) writeDayTime(root, c, 'dtstart', f.date ? { date: f.date, time: before?.start?.time } : undefined, tz);
  if (!before || f.description !== before.description) {
    c.removeAllProperties('description');
    if (f.description.trim()) c.addPropertyWithValue('description', f.description);
  }
  writeCategories(c, f.categories);
}

export function newNote(f: NoteFields, tz: string, uid = crypto.randomUUID()): string {
  const { root, comp } = newObject('vjournal', uid);
  apply(root, comp, f, undefined, tz);
  return root.toString() + '\r\n';
}

export function updateNote(note: Note, f: NoteFields, tz: string): string {
  const root = new ICAL.Component(ICAL.parse(note.ics));
  const c = mainComponent(root, 'vjournal');
  apply(root, c, f, note, tz);
  touch(c);
  return root.toString() + '\r\n';
}

/** The first lines of the text, for the list. */
export function excerpt(text: string, lines = 3, chars = 240): string {
  const out = text.split(/\r?\n/).map((l) => l.trim()).filter(Boolean).slice(0, lines).join('\n');
  return out.length > chars ? `${out.slice(0, chars - 1)}…` : out;
}

/** Does the note contain every word of the query (title, text, categories)? */
export function noteMatches(n: Note, q: string): boolean {
  const hay = [n.summary, n.description, ...n.categories].join('\n').toLocaleLowerCase();
  return q.toLocaleLowerCase().split(/\s+/).filter(Boolean).every((w) => hay.includes(w));
}
