//! The month view's "+N more": the grid is given only the events that fit in each day
//! cell, plus one "+N more" entry per day that has more, which opens the list of that
//! day's events. The calendar component's own `dayMaxEvents` measures every event chip
//! of the six weeks to decide what fits (getBoundingClientRect per chip, seconds on a busy
//! calendar: BENCHMARKS.md "Web interface"); here the choice is arithmetic on the events,
//! so the work grows with the days on screen, not with the events.
//!
//! The layout mirrors the component's (plugins/day-grid, lib/chunks.js): events in order
//! of start, all-day first; a week row is laid out cell by cell, each event's piece going
//! to the first free line below the previous piece that starts in the same cell. An
//! event spanning several days is shown only if it fits on every day it covers, and a
//! hidden one counts in the "+N more" of every day it covers.
import { currentLocale, t } from '../i18n';
import type { Occurrence } from '../events';
import { calendarByHref, colorOf } from '../state';
import { h } from './dom';
import { openModal, showModal } from './modal';

/** One day's "+N more": the day (YYYY-MM-DD), how many are hidden, every event of the day. */
export interface MoreEntry {
  date: string;
  hidden: number;
  all: Occurrence[];
}

const DAY = 86400000;

/** Days since the epoch of a "YYYY-MM-DD…" wall-clock string. */
function dayNumber(s: string): number {
  return Date.UTC(+s.slice(0, 4), +s.slice(5, 7) - 1, +s.slice(8, 10)) / DAY;
}

function dayString(n: number): string {
  return new Date(n * DAY).toISOString().slice(0, 10);
}

/** The days an occurrence covers, as [first, last] day numbers (inclusive). Like the
 * component, an event covers a day when it starts before the day's end and ends after
 * its start: a timed event ending at midnight does not cover the next day; a zero-length
 * one covers its own. */
export function daysCovered(occ: Occurrence): [number, number] {
  const first = dayNumber(occ.start);
  let last = dayNumber(occ.end);
  const endsAtMidnight = occ.allDay || /T00:00(:00)?$/.test(occ.end) || occ.end.length === 10;
  if (endsAtMidnight && occ.end > occ.start) last -= 1;
  return [first, Math.max(first, last)];
}

/** Local Date (the component's floating dates) to a day number. */
export function localDay(d: Date): number {
  return Date.UTC(d.getFullYear(), d.getMonth(), d.getDate()) / DAY;
}

/**
 * Chooses what the month grid shows. `from`/`to` are the grid's first and last-plus-one
 * day numbers; `firstCol` the day number of a column-1 day (week rows start there);
 * `lines` how many event lines a day cell has room for ("+N more" takes one of them).
 */
export function fitMonth(occs: Occurrence[], from: number, to: number, lines: number): { shown: Occurrence[]; more: MoreEntry[] } {
  lines = Math.max(1, lines);
  const ordered = occs
    .map((occ) => {
      const [a, b] = daysCovered(occ);
      return { occ, first: Math.max(a, from), last: Math.min(b, to - 1) };
    })
    .filter((e) => e.first <= e.last)
    // The component's order: by start, all-day first on a tie.
    .sort((x, y) => (x.occ.start < y.occ.start ? -1 : x.occ.start > y.occ.start ? 1 : Number(y.occ.allDay) - Number(x.occ.allDay)));
  const cover = new Map<number, number>();
  for (const e of ordered) for (let d = e.first; d <= e.last; d++) cover.set(d, (cover.get(d) ?? 0) + 1);

  // A day with more events than lines keeps its last line for "+N more".
  const limit = new Map<number, number>();
  for (const [d, n] of cover) limit.set(d, n > lines ? lines - 1 : lines);

  const layout = () => {
    const taken = new Map<number, Set<number>>();
    const lastStarted = new Map<number, number>();
    const hidden = new Set<Occurrence>();
    for (const e of ordered) {
      // One piece per week row (7 columns from `from`, which the grid starts on).
      for (let start = e.first; start <= e.last; ) {
        const rowEnd = from + Math.floor((start - from) / 7) * 7 + 6;
        const end = Math.min(e.last, rowEnd);
        let line = (lastStarted.get(start) ?? -1) + 1;
        const at = taken.get(start);
        while (at?.has(line)) line++;
        lastStarted.set(start, line);
        for (let d = start; d <= end; d++) {
          if (!taken.has(d)) taken.set(d, new Set());
          taken.get(d)!.add(line);
          if (line >= (limit.get(d) ?? lines)) hidden.add(e.occ);
        }
        start = end + 1;
      }
    }
    return hidden;
  };
  let hidden = layout();
  // A day that lost an event to a gap in the layout, though its count fitted, needs the
  // "+N more" line too: once more with that line kept free.
  let again = false;
  for (const e of ordered) {
    if (!hidden.has(e.occ)) continue;
    for (let d = e.first; d <= e.last; d++) {
      if (limit.get(d) === lines && lines > 1) {
        limit.set(d, lines - 1);
        again = true;
      }
    }
  }
  if (again) hidden = layout();

  const byDay = new Map<number, Occurrence[]>();
  for (const e of ordered) for (let d = e.first; d <= e.last; d++) (byDay.get(d) ?? byDay.set(d, []).get(d)!).push(e.occ);
  const more: MoreEntry[] = [];
  for (const [d, list] of byDay) {
    const n = list.filter((o) => hidden.has(o)).length;
    if (n > 0) more.push({ date: dayString(d), hidden: n, all: list });
  }
  return { shown: ordered.filter((e) => !hidden.has(e.occ)).map((e) => e.occ), more };
}

/** The grid range of the month `offset` months from the one containing `mid`: from the
 * first of the month back to the week's first day, to the first of the next month
 * forward to one (as the component lays a month out), as local Dates. */
export function monthRange(mid: Date, offset: number, firstDay: number): [Date, Date] {
  const first = new Date(mid.getFullYear(), mid.getMonth() + offset, 1);
  const next = new Date(mid.getFullYear(), mid.getMonth() + offset + 1, 1);
  const start = new Date(first);
  start.setDate(start.getDate() - ((start.getDay() - firstDay + 7) % 7));
  const end = new Date(next);
  end.setDate(end.getDate() + ((firstDay - end.getDay() + 7) % 7));
  return [start, end];
}

/** How many event lines fit in a day cell of a month grid of `weeks` rows drawn in
 * `root`: from the host's height (stable whatever the grid shows at that moment, even
 * mid-way through a change of view), the day number's line (--month-head in app.css)
 * and one event line, measured on a chip when there is one. No per-event measurement. */
export function linesPerCell(root: HTMLElement, weeks: number): number {
  const rem = parseFloat(getComputedStyle(document.documentElement).fontSize) || 16;
  const header = (root.querySelector('.ec-month-view .ec-header') as HTMLElement | null)?.offsetHeight || 2.2 * rem;
  const cell = (root.clientHeight - header - 2) / Math.max(1, weeks);
  const chip = (root.querySelector('.ec-month-view .ec-events .ec-event') as HTMLElement | null)?.offsetHeight || 1.4 * rem;
  return Math.max(2, Math.floor((cell - 1.7 * rem - 2) / (chip + 1)));
}

/** The component reads each day head's height once per event chip it adds, every read
 * after a chip was inserted, so each one lays the month out again (about one layout per
 * chip: BENCHMARKS.md "Web interface"). In the month view a day head has zero height by
 * design (app.css: the day number overflows it, the chips are drawn below it), so its
 * rectangle is known without layout: each head of the grid answers it directly. */
const ZERO = new DOMRect(0, 0, 0, 0);
export function settleDayHeads(root: HTMLElement): void {
  for (const head of Array.from(root.querySelectorAll<HTMLElement>('.ec-month-view .ec-body .ec-day-head'))) {
    if (!Object.prototype.hasOwnProperty.call(head, 'getBoundingClientRect')) head.getBoundingClientRect = () => ZERO;
  }
}

/** The dialog listing every event of one day; choosing one opens it. */
export function moreDialog(entry: MoreEntry, open: (occ: Occurrence) => void): void {
  const [y, m, d] = entry.date.split('-').map(Number);
  const label = new Intl.DateTimeFormat(currentLocale(), { weekday: 'long', day: 'numeric', month: 'long', year: 'numeric' }).format(new Date(y, m - 1, d));
  const dialog = openModal(label);
  const time = new Intl.DateTimeFormat(currentLocale(), { hour: 'numeric', minute: '2-digit' });
  const list = h('ul', { class: 'more-list' });
  const sorted = [...entry.all].sort((a, b) => Number(b.allDay) - Number(a.allDay) || (a.start < b.start ? -1 : a.start > b.start ? 1 : 0));
  for (const occ of sorted) {
    const cal = calendarByHref(occ.calendar);
    const swatch = h('span', { class: 'swatch', 'aria-hidden': 'true' });
    if (cal) swatch.style.backgroundColor = colorOf(cal);
    const when = occ.allDay || occ.start.slice(0, 10) !== entry.date ? t('event.allDay') : time.format(new Date(occ.start));
    list.append(
      h(
        'li',
        {},
        h(
          'button',
          {
            type: 'button',
            class: 'more-item',
            onclick: () => {
              dialog.close();
              open(occ);
            },
          },
          swatch,
          h('span', { class: 'more-time' }, when),
          h('span', { class: 'more-title' }, occ.title || t('event.untitled')),
          cal ? h('span', { class: 'visually-hidden' }, `, ${cal.name}`) : null,
        ),
      ),
    );
  }
  dialog.form.append(list);
  dialog.actions.append(h('button', { type: 'button', class: 'btn', onclick: dialog.close }, t('common.close')));
  dialog.form.addEventListener('submit', (e) => e.preventDefault());
  showModal(dialog);
}
