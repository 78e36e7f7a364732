//! The bridge between the repeating-rule model (recurrence.ts) and a stored VEVENT: the
//! form and wall-clock of its DTSTART, its rule as the model, writing the model back as
//! an RRULE. A rule the editor cannot show ("custom") is never rewritten from here.
import ICAL from 'ical.js';
import { readRepeat, writeRepeat, type RepeatState, type StartForm } from './recurrence';
import type { Wall } from './tz';

export interface StartInfo {
  form: StartForm;
  /** DTSTART's wall-clock in its own zone (UTC for a UTC start). */
  wall: Wall;
}

export function startOf(ev: ICAL.Component): StartInfo | null {
  const prop = ev.getFirstProperty('dtstart');
  const v = prop?.getFirstValue() as ICAL.Time | null | undefined;
  if (!prop || !v) return null;
  const wall: Wall = { year: v.year, month: v.month, day: v.day, hour: v.hour, minute: v.minute, second: v.second };
  const tzid = prop.getParameter('tzid');
  let form: StartForm;
  if (v.isDate) form = { kind: 'date' };
  else if (typeof tzid === 'string' && tzid) form = { kind: 'zoned', tzid };
  else if (v.zone === ICAL.Timezone.utcTimezone) form = { kind: 'utc' };
  else form = { kind: 'floating' };
  return { form, wall };
}

/** The series rule of a master VEVENT, as the editor shows it. */
export function repeatOf(ev: ICAL.Component, userTz: string): RepeatState {
  const start = startOf(ev);
  const rrules = ev.getAllProperties('rrule').map((p) => String(p.getFirstValue()?.toString() ?? ''));
  const extra = ev.hasProperty('rdate') || ev.hasProperty('exrule');
  if (!start) return rrules.length || extra ? { kind: 'custom' } : { kind: 'none' };
  return readRepeat(rrules, extra, start.wall, start.form, userTz);
}

/** Writes the editor's rule (after DTSTART is set): none removes the RRULE; custom keeps
 * whatever is stored. EXDATEs stay: they still name instances the user removed. */
export function setRepeat(ev: ICAL.Component, state: RepeatState): void {
  if (state.kind === 'custom') return;
  ev.removeAllProperties('rrule');
  if (state.kind === 'none') return;
  const start = startOf(ev);
  if (!start) return;
  ev.addPropertyWithValue('rrule', ICAL.Recur.fromString(writeRepeat(state.rule, start.wall, start.form)));
}
