//! Tasks with a due date in the calendar views, when the user turned it on (Tasks
//! sidebar; preference `tasks.inCalendar`): one calendar-query per task list with a
//! time-range on VTODO (RFC 4791 §9.9), each task with a DUE in the range becoming an
//! all-day item (a DUE that is a day) or a half-hour item from its due time, marked as
//! a task with a checkbox-like box (ticked when done). Clicking opens the task editor,
//! which can complete it. Not draggable: the list is not among the calendars.
import type { CalendarInfo } from '../calendars';
import type { Occurrence } from '../events';
import { currentLocale, t } from '../i18n';
import { state } from '../state';
import { loadTasks } from '../tasks/actions';
import { toWall } from '../tasks/ical-dates';
import { collections, holds, query } from '../tasks/store';
import { isDone, parseTask, type Task } from '../tasks/todo';
import { isoWall, pad } from '../tz';
import { openTask } from './tasks-flow';

let lists: Promise<CalendarInfo[]> | undefined;

/** The task lists are read again on next use (a list was created, renamed, deleted). */
export function forgetTaskLists(): void {
  lists = undefined;
}

function taskLists(): Promise<CalendarInfo[]> {
  lists ??= collections().then(
    (all) => all.filter((c) => holds(c, 'VTODO')),
    (e) => {
      lists = undefined;
      throw e;
    },
  );
  return lists;
}

const PREFIX = 'task|';
export const isTaskOccurrence = (occ: Occurrence) => occ.id.startsWith(PREFIX);

function occurrence(task: Task, list: CalendarInfo): Occurrence {
  const due = task.due!;
  const w = toWall(due);
  const dayAfter = new Date(Date.UTC(w.year, w.month - 1, w.day + 1));
  const later = new Date(Date.UTC(w.year, w.month - 1, w.day, w.hour, w.minute + 30));
  const wallOfUtc = (d: Date) => ({ year: d.getUTCFullYear(), month: d.getUTCMonth() + 1, day: d.getUTCDate(), hour: d.getUTCHours(), minute: d.getUTCMinutes(), second: 0 });
  return {
    id: `${PREFIX}${task.href}`,
    href: task.href,
    calendar: task.list,
    etag: task.etag,
    uid: task.uid,
    title: task.summary,
    location: '',
    description: task.description,
    allDay: !due.time,
    start: due.time ? isoWall(w) : due.date,
    end: due.time ? isoWall(wallOfUtc(later)) : `${dayAfter.getUTCFullYear()}-${pad(dayAfter.getUTCMonth() + 1)}-${pad(dayAfter.getUTCDate())}`,
    recurring: false,
    privacy: 'PUBLIC',
    transparent: false,
    color: list.color,
    categories: task.categories,
    alarms: [],
    classes: ['ev-task', isDone(task) ? 'ev-task-done' : 'ev-task-open'],
  };
}

/** The due tasks of the range as grid items; none when the option is off. */
export async function dueTaskOccurrences(from: Date, to: Date, tz: string): Promise<Occurrence[]> {
  if (!state.prefs.tasks?.inCalendar) return [];
  // The words screen readers say for the box before a task's title (styles/tasks.css).
  document.documentElement.style.setProperty('--task-open', JSON.stringify(`${t('tasks.inGridOpen')} `));
  document.documentElement.style.setProperty('--task-done', JSON.stringify(`${t('tasks.inGridDone')} `));
  const all = await taskLists();
  const hideDone = !!state.prefs.tasks?.hideCompleted;
  const results = await Promise.allSettled(all.map((l) => query(l.href, 'VTODO', { start: from, end: to })));
  const out: Occurrence[] = [];
  results.forEach((r, i) => {
    if (r.status !== 'fulfilled') return;
    for (const raw of r.value) {
      try {
        const task = parseTask(raw.ics, raw.href, all[i].href, raw.etag, tz);
        // A task without dates matches every range (§9.9): only a DUE inside it counts.
        if (task.dueAt === undefined || task.dueAt < from.getTime() || task.dueAt >= to.getTime()) continue;
        if (hideDone && isDone(task)) continue;
        out.push(occurrence(task, all[i]));
      } catch {
        /* skipped */
      }
    }
  });
  return out;
}

/** A task item clicked in the grid: its editor (where it can be completed). */
export async function openTaskOccurrence(occ: Occurrence, tz: string, changed: () => void): Promise<void> {
  const all = await taskLists();
  const list = all.find((l) => l.href === occ.calendar);
  if (!list) return;
  const { tasks } = await loadTasks([list], tz);
  const task = tasks.find((t) => t.href === occ.href);
  if (!task) return changed();
  await openTask({ lists: all, tasks, tz, locale: currentLocale(), changed }, task);
}
