//! Reminders (VALARM, RFC 5545 §3.6.6), categories (CATEGORIES, §3.8.1.2) and colour
//! (COLOR, RFC 7986 §5.9) of one VEVENT, read for the editor and written back. Only what
//! the editor can show is ever rewritten: a display reminder relative to the start (none
//! to a week before); every other alarm (EMAIL, AUDIO, an absolute trigger, one relative
//! to the end, one with another client's X- properties) is kept untouched and shown as
//! "other reminder (kept)". A kept reminder keeps its UID and ACKNOWLEDGED (RFC 9074).
import ICAL from 'ical.js';

/** Minutes before the start the editor offers (0 = at the start). */
export const REMINDER_MINUTES = [0, 5, 10, 15, 30, 60, 120, 1440, 2880, 10080] as const;

/** A small palette of CSS3 colour names (RFC 7986 COLOR takes a CSS3 name), with the
 * value used to pick a readable text colour. */
export const PALETTE: Record<string, string> = {
  tomato: '#ff6347',
  darkorange: '#ff8c00',
  gold: '#ffd700',
  seagreen: '#2e8b57',
  teal: '#008080',
  royalblue: '#4169e1',
  slateblue: '#6a5acd',
  orchid: '#da70d6',
  hotpink: '#ff69b4',
  sienna: '#a0522d',
  slategray: '#708090',
};

export interface EventExtras {
  categories: string[];
  /** A CSS3 colour name, or '' for the calendar's colour. */
  color: string;
  /** Editor-made display reminders, in minutes before the start. */
  reminders: number[];
  /** How many other alarms the event has (kept as they are). */
  otherAlarms: number;
}

const EDITABLE_ALARM_PROPS = new Set(['action', 'trigger', 'description', 'uid', 'acknowledged']);

/** Minutes before the start, when the editor can show this alarm; else null. */
function reminderOf(alarm: ICAL.Component): number | null {
  if (String(alarm.getFirstPropertyValue('action') ?? '').toUpperCase() !== 'DISPLAY') return null;
  if (alarm.getAllProperties().some((p) => !EDITABLE_ALARM_PROPS.has(p.name))) return null;
  if (alarm.getAllSubcomponents().length) return null;
  const trigger = alarm.getFirstProperty('trigger');
  if (!trigger || String(trigger.getParameter('related') ?? 'START').toUpperCase() !== 'START') return null;
  const v = trigger.getFirstValue();
  if (!(v instanceof ICAL.Duration)) return null;
  const secs = v.toSeconds();
  if (secs > 0 || secs % 60 !== 0) return null;
  const min = -secs / 60;
  return (REMINDER_MINUTES as readonly number[]).includes(min) ? min : null;
}

export function readExtras(ev: ICAL.Component): EventExtras {
  const categories: string[] = [];
  for (const p of ev.getAllProperties('categories')) {
    for (const v of p.getValues()) {
      const s = String(v).trim();
      if (s && !categories.includes(s)) categories.push(s);
    }
  }
  const color = String(ev.getFirstPropertyValue('color') ?? '').trim().toLowerCase();
  const reminders: number[] = [];
  let otherAlarms = 0;
  for (const a of ev.getAllSubcomponents('valarm')) {
    const m = reminderOf(a);
    if (m === null) otherAlarms++;
    else reminders.push(m);
  }
  return { categories, color, reminders, otherAlarms };
}

/** "work, Paris" typed by the user as a list, without empties or repeats. */
export function splitCategories(text: string): string[] {
  return [...new Set(text.split(',').map((s) => s.trim()).filter(Boolean))];
}

function sameList(a: string[], b: string[]): boolean {
  return a.length === b.length && a.every((x, i) => x === b[i]);
}

/** Writes the editor's extras into `ev`, touching only what changed. */
export function applyExtras(ev: ICAL.Component, x: Partial<EventExtras>, description: string): void {
  const before = readExtras(ev);
  if (x.categories && !sameList(x.categories, before.categories)) {
    ev.removeAllProperties('categories');
    if (x.categories.length) {
      const p = new ICAL.Property('categories', ev);
      p.setValues(x.categories);
      ev.addProperty(p);
    }
  }
  if (x.color !== undefined && x.color !== before.color) {
    if (x.color) ev.updatePropertyWithValue('color', x.color);
    else ev.removeAllProperties('color');
  }
  if (x.reminders) {
    const wanted = [...new Set(x.reminders)];
    // Keep each editor-style alarm still wanted (with its UID and ACKNOWLEDGED), drop the others.
    for (const a of ev.getAllSubcomponents('valarm')) {
      const m = reminderOf(a);
      if (m === null) continue;
      const i = wanted.indexOf(m);
      if (i >= 0) wanted.splice(i, 1);
      else ev.removeSubcomponent(a);
    }
    for (const m of wanted) {
      const a = new ICAL.Component('valarm');
      // RFC 9074 §4: a UID lets clients tell alarms apart (snooze, acknowledge).
      a.updatePropertyWithValue('uid', crypto.randomUUID());
      a.updatePropertyWithValue('action', 'DISPLAY');
      a.updatePropertyWithValue('trigger', ICAL.Duration.fromSeconds(-m * 60));
      a.updatePropertyWithValue('description', description || 'Reminder');
      ev.addSubcomponent(a);
    }
  }
}
