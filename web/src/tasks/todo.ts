//! Tasks (VTODO, RFC 5545 §3.6.2) as the page sees them, and the changes it makes to a
//! stored one. Every property and component the page does not show is kept: a change
//! rewrites only what the user changed. Completing follows §3.8.1.11 (STATUS:COMPLETED),
//! §3.8.2.1 (COMPLETED, a UTC time) and §3.8.1.8 (PERCENT-COMPLETE:100); reopening
//! removes COMPLETED. A repeating task (RRULE) is not completed as a whole: it moves to
//! its next occurrence (docs/web.md §6), see `completeTask`.
import ICAL from 'ical.js';
import {
  instantOfDayTime, mainComponent, newObject, readCategories, readDayTime, sameDayTime, setText, textOf, touch,
  utcNow, writeCategories, writeDayTime, type DayTime,
} from './ical-dates';

export const STATUSES = ['NEEDS-ACTION', 'IN-PROCESS', 'COMPLETED', 'CANCELLED'] as const;
export type TaskStatus = (typeof STATUSES)[number];

/** What the editor shows and changes. */
export interface TaskFields {
  summary: string;
  description: string;
  due?: DayTime;
  start?: DayTime;
  /** 0 = undefined, 1 highest … 9 lowest (§3.8.1.9). */
  priority: number;
  percent: number;
  status: TaskStatus;
  categories: string[];
  /** UID of the parent task (RELATED-TO;RELTYPE=PARENT on this one, §3.8.4.5). */
  parent?: string;
}

export interface Task extends TaskFields {
  href: string;
  etag: string;
  /** The task list (calendar collection) it is stored in. */
  list: string;
  uid: string;
  /** Epoch ms, for sorting and "overdue". */
  dueAt?: number;
  createdAt?: number;
  completedAt?: number;
  recurring: boolean;
  ics: string;
}

/** The three levels the page offers, mapped as §3.8.1.9 says (1–4 high, 5 medium, 6–9 low). */
export type PriorityLevel = 'none' | 'high' | 'medium' | 'low';
export function priorityLevel(p: number): PriorityLevel {
  if (!p) return 'none';
  if (p <= 4) return 'high';
  if (p === 5) return 'medium';
  return 'low';
}
export const LEVEL_VALUE: Record<PriorityLevel, number> = { none: 0, high: 1, medium: 5, low: 9 };

export const isDone = (t: { status: TaskStatus }) => t.status === 'COMPLETED' || t.status === 'CANCELLED';

function statusOf(comp: ICAL.Component): TaskStatus {
  const s = textOf(comp, 'status').toUpperCase();
  if ((STATUSES as readonly string[]).includes(s)) return s as TaskStatus;
  // No STATUS but a COMPLETED time: completed, as most clients read it.
  return comp.hasProperty('completed') ? 'COMPLETED' : 'NEEDS-ACTION';
}

/** The parent's UID: RELATED-TO with RELTYPE PARENT, or without RELTYPE (its default). */
function parentOf(comp: ICAL.Component): string | undefined {
  for (const p of comp.getAllProperties('related-to')) {
    const type = String(p.getParameter('reltype') ?? 'PARENT').toUpperCase();
    if (type === 'PARENT') return String(p.getFirstValue() ?? '').trim() || undefined;
  }
  return undefined;
}

const timeMs = (comp: ICAL.Component, name: string) => {
  const v = comp.getFirstPropertyValue(name) as ICAL.Time | null;
  return v && typeof v === 'object' && 'toJSDate' in v ? v.toJSDate().getTime() : undefined;
};

export function parseTask(ics: string, href: string, list: string, etag: string, tz: string): Task {
  const root = new ICAL.Component(ICAL.parse(ics));
  const c = mainComponent(root, 'vtodo');
  const due = readDayTime(c, 'due', tz);
  const priority = Number(c.getFirstPropertyValue('priority') ?? 0);
  const percent = Number(c.getFirstPropertyValue('percent-complete') ?? 0);
  return {
    href,
    etag,
    list,
    uid: textOf(c, 'uid'),
    summary: textOf(c, 'summary'),
    description: textOf(c, 'description'),
    due,
    start: readDayTime(c, 'dtstart', tz),
    dueAt: due ? instantOfDayTime(due, tz) : undefined,
    priority: Number.isInteger(priority) && priority >= 0 && priority <= 9 ? priority : 0,
    percent: Number.isFinite(percent) ? Math.max(0, Math.min(100, percent)) : 0,
    status: statusOf(c),
    categories: readCategories(c),
    parent: parentOf(c),
    createdAt: timeMs(c, 'created') ?? timeMs(c, 'dtstamp'),
    completedAt: timeMs(c, 'completed'),
    recurring: c.hasProperty('rrule') || c.hasProperty('rdate'),
    ics,
  };
}

function setStatus(c: ICAL.Component, status: TaskStatus, before: TaskStatus): void {
  if (status === before) return;
  // A task without STATUS is open already (§3.8.1.11): none is added to say so.
  if (status !== 'NEEDS-ACTION' || c.hasProperty('status')) c.updatePropertyWithValue('status', status);
  if (status === 'COMPLETED') {
    c.updatePropertyWithValue('completed', utcNow());
    c.updatePropertyWithValue('percent-complete', 100);
  } else if (before === 'COMPLETED') {
    // Reopened: no completion time any more, and not "100 %" either.
    c.removeAllProperties('completed');
    if (Number(c.getFirstPropertyValue('percent-complete') ?? 0) >= 100) c.removeAllProperties('percent-complete');
  }
}

function setParent(c: ICAL.Component, parent: string | undefined): void {
  for (const p of c.getAllProperties('related-to')) {
    if (String(p.getParameter('reltype') ?? 'PARENT').toUpperCase() === 'PARENT') c.removeProperty(p);
  }
  if (!parent) return;
  const p = new ICAL.Property('related-to', c);
  p.setParameter('reltype', 'PARENT');
  p.setValue(parent);
  c.addProperty(p);
}

/** Writes the fields that differ from `before` (what the page read from the same object). */
function apply(root: ICAL.Component, c: ICAL.Component, f: TaskFields, before: TaskFields | undefined, tz: string): void {
  setText(c, 'summary', f.summary);
  setText(c, 'description', f.description);
  if (!before || !sameDayTime(f.due, before.due)) writeDayTime(root, c, 'due', f.due, tz);
  if (!before || !sameDayTime(f.start, before.start)) writeDayTime(root, c, 'dtstart', f.start, tz);
  if (f.due || f.start) c.removeAllProperties('duration'); // DUE and DURATION never together (§3.6.2)
  if (!before || f.priority !== before.priority) {
    if (f.priority) c.updatePropertyWithValue('priority', f.priority);
    else c.removeAllProperties('priority');
  }
  if (!before || f.percent !== before.percent) {
    if (f.percent > 0) c.updatePropertyWithValue('percent-complete', Math.round(f.percent));
    else c.removeAllProperties('percent-complete');
  }
  setStatus(c, f.status, before?.status ?? 'NEEDS-ACTION');
  writeCategories(c, f.categories);
  if (!before || f.parent !== before.parent) setParent(c, f.parent);
}

export function newTask(f: TaskFields, tz: string, uid = crypto.randomUUID()): string {
  const { root, comp } = newObject('vtodo', uid);
  apply(root, comp, f, undefined, tz);
  return root.toString() + '\r\n';
}

export function updateTask(task: Task, f: TaskFields, tz: string): string {
  const root = new ICAL.Component(ICAL.parse(task.ics));
  const c = mainComponent(root, 'vtodo');
  apply(root, c, f, task, tz);
  touch(c);
  return root.toString() + '\r\n';
}

/** A copy of a time as floating wall-clock (for differences that ignore the zone). */
const floating = (t: ICAL.Time) => ICAL.Time.fromData({ year: t.year, month: t.month, day: t.day, hour: t.hour, minute: t.minute, second: t.second, isDate: t.isDate });

/** The occurrence after the current one of a repeating task, from DTSTART (or DUE when
 * there is no DTSTART), honouring RDATE and EXDATE; null when the rule has ended. */
function nextOccurrence(c: ICAL.Component): ICAL.Time | null {
  const anchor = (c.getFirstPropertyValue('dtstart') ?? c.getFirstPropertyValue('due')) as ICAL.Time | null;
  if (!anchor) return null;
  const expansion = new ICAL.RecurExpansion({ component: c, dtstart: anchor });
  for (let i = 0; i < 5000; i++) {
    const next = expansion.next();
    if (!next) return null;
    if (next.compare(anchor) > 0) return next;
  }
  return null;
}

export interface CompleteResult {
  ics: string;
  /** Set when a repeating task moved to its next occurrence instead of being completed. */
  movedTo?: DayTime;
}

/** Completes a task, or reopens it (`done` false). A repeating task that has a next
 * occurrence moves to it instead (DTSTART and DUE shifted by the same wall-clock step,
 * COUNT lowered by one so the series keeps its length, RRULE kept), and stays open: the
 * way Apple Reminders, Tasks.org and Thunderbird treat "done" on a repeating task. */
export function completeTask(task: Task, done: boolean, tz: string): CompleteResult {
  const root = new ICAL.Component(ICAL.parse(task.ics));
  const c = mainComponent(root, 'vtodo');
  const before = statusOf(c);
  const next = done && task.recurring ? nextOccurrence(c) : null;
  if (next) {
    const anchorProp = c.getFirstProperty('dtstart') ?? c.getFirstProperty('due');
    const anchor = floating(anchorProp!.getFirstValue() as ICAL.Time);
    const step = floating(next).subtractDate(anchor);
    for (const name of ['dtstart', 'due']) {
      const p = c.getFirstProperty(name);
      const v = p?.getFirstValue() as ICAL.Time | undefined;
      if (!p || !v) continue;
      const moved = v.clone();
      moved.addDuration(step);
      p.setValue(moved);
    }
    const rule = c.getFirstProperty('rrule');
    const recur = rule?.getFirstValue() as ICAL.Recur | undefined;
    if (rule && recur?.count) {
      recur.count = Math.max(1, recur.count - 1);
      rule.setValue(recur);
    }
    c.removeAllProperties('completed');
    c.removeAllProperties('percent-complete');
    if (c.hasProperty('status')) c.updatePropertyWithValue('status', 'NEEDS-ACTION');
    touch(c);
    return { ics: root.toString() + '\r\n', movedTo: readDayTime(c, c.hasProperty('due') ? 'due' : 'dtstart', tz) };
  }
  setStatus(c, done ? 'COMPLETED' : 'NEEDS-ACTION', before);
  touch(c);
  return { ics: root.toString() + '\r\n' };
}

/** The task's fields alone (what the editor starts from). */
export const fieldsOf = (t: Task): TaskFields => ({
  summary: t.summary, description: t.description, due: t.due, start: t.start, priority: t.priority,
  percent: t.percent, status: t.status, categories: [...t.categories], parent: t.parent,
});
