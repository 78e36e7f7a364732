//! The calendar grid (@event-calendar/core): our views mapped to its view types, events
//! fed as floating wall-clock in the user's zone, its own toolbar hidden (ours is
//! translated and labelled), every event's text set as text nodes.
import {
  createCalendar,
  DayGrid,
  Interaction,
  List,
  ResourceTimeGrid,
  TimeGrid,
  type Calendar,
} from '@event-calendar/core';
import { currentLocale, t } from '../i18n';
import type { Occurrence } from '../events';
import { calendarByHref, colorOf } from '../state';
import { PALETTE } from '../event-props';
import { h } from './dom';
import { fitMonth, linesPerCell, localDay, monthRange, moreDialog, settleDayHeads, type MoreEntry } from './month-more';

export type ViewName = 'day' | 'workweek' | 'week' | 'month' | 'list' | 'columns';
export const VIEWS: ViewName[] = ['day', 'workweek', 'week', 'month', 'list', 'columns'];

const EC_VIEW: Record<ViewName, string> = {
  day: 'timeGridDay',
  workweek: 'timeGridWeek',
  week: 'timeGridWeek',
  month: 'dayGridMonth',
  list: 'listMonth',
  columns: 'resourceTimeGridDay',
};

export interface ViewHandlers {
  fetch: (start: Date, end: Date) => Promise<Occurrence[]>;
  select: (start: Date, end: Date, allDay: boolean, calendar?: string) => void;
  open: (occ: Occurrence) => void;
  change: (occ: Occurrence, start: Date, end: Date, allDay: boolean, revert: () => void) => void;
  dates: (title: string, start: Date, end: Date) => void;
}

export interface ViewSettings {
  firstDay: number;
  hour12: boolean;
  timeZoneOffset: string;
  resources: { id: string; title: string }[];
}

function luminance(hex: string): number {
  const n = parseInt(hex.slice(1, 7), 16);
  const [r, g, b] = [(n >> 16) & 255, (n >> 8) & 255, n & 255].map((c) => {
    const v = c / 255;
    return v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4;
  });
  return 0.2126 * r + 0.7152 * g + 0.0722 * b;
}

/** White or near-black text, whichever contrasts more with the calendar's colour. */
function readableText(bg: string): string {
  const l = luminance(bg);
  return (1.05 / (l + 0.05) >= (l + 0.05) / 0.05) ? '#ffffff' : '#111111';
}

const GRID_ROLES = new Set(['table', 'row', 'rowgroup', 'cell', 'columnheader', 'gridcell', 'list', 'listitem']);

/** The component's table roles do not form a valid ARIA table (asides and buttons sit
 * between table, rows and cells; axe flags it as critical). Without them the grid reads
 * as plain content: day headers with their full date, and each event as its own item. */
function stripGridRoles(root: HTMLElement): void {
  const strip = () => {
    for (const el of Array.from(root.querySelectorAll('[role]'))) {
      if (GRID_ROLES.has(el.getAttribute('role') ?? '')) {
        el.removeAttribute('role');
        el.removeAttribute('aria-colindex');
      }
    }
    // The scrolling time grid must be reachable by keyboard (WCAG 2.1.1).
    for (const el of Array.from(root.querySelectorAll('.ec-main:not([tabindex])'))) el.setAttribute('tabindex', '0');
  };
  strip();
  new MutationObserver(strip).observe(root, { subtree: true, childList: true, attributes: true, attributeFilter: ['role'] });
}

const resolved = new Map<string, string | null>();

/** An event's own COLOR (RFC 7986: a CSS3 colour name) as #rrggbb, or null when the
 * browser does not know it (the calendar's colour is used then). */
export function eventColor(name: string): string | null {
  if (PALETTE[name]) return PALETTE[name];
  if (!resolved.has(name)) {
    let hex: string | null = null;
    const ctx = typeof CSS !== 'undefined' && CSS.supports('color', name) ? document.createElement('canvas').getContext('2d') : null;
    if (ctx) {
      ctx.fillStyle = '#000000';
      ctx.fillStyle = name;
      hex = /^#[0-9a-f]{6}$/i.test(ctx.fillStyle) ? ctx.fillStyle : null;
    }
    resolved.set(name, hex);
  }
  return resolved.get(name) ?? null;
}

/** The event object the grid takes; `extendedProps.occ` carries ours back in callbacks. */
function toEc(occ: Occurrence): Calendar.EventInput {
  const cal = calendarByHref(occ.calendar);
  const color = (occ.color && eventColor(occ.color)) || (cal ? colorOf(cal) : '#1a73e8');
  const writable = !!cal?.writable;
  return {
    id: occ.id,
    title: occ.title || t('event.untitled'),
    start: occ.start,
    end: occ.end,
    allDay: occ.allDay,
    resourceIds: [occ.calendar],
    backgroundColor: color,
    textColor: readableText(color),
    editable: writable,
    classNames: [occ.transparent ? 'ev-free' : 'ev-busy', `ev-${occ.privacy.toLowerCase()}`, ...(occ.awaiting ? ['ev-awaiting'] : []), ...(occ.classes ?? [])],
    extendedProps: { occ },
  };
}

/** The "+N more" entry of one month day: an all-day event of ours, after the day's events. */
function moreToEc(entry: MoreEntry): Calendar.EventInput {
  const [y, m, d] = entry.date.split('-').map(Number);
  const next = new Date(Date.UTC(y, m - 1, d + 1)).toISOString().slice(0, 10);
  return {
    id: `more|${entry.date}`,
    title: t('event.more', { count: entry.hidden }),
    start: entry.date,
    end: next,
    allDay: true,
    editable: false,
    startEditable: false,
    durationEditable: false,
    backgroundColor: 'transparent',
    classNames: ['ev-more'],
    extendedProps: { more: entry },
  } as Calendar.EventInput;
}

export function createView(target: HTMLElement, view: ViewName, s: ViewSettings, on: ViewHandlers): Calendar {
  const timeFormat: Intl.DateTimeFormatOptions = { hour: 'numeric', minute: '2-digit', hour12: s.hour12 };
  // The component also renders its own previews (selection, drag pointer) without our data.
  const occOf = (e: Calendar.Event) => (e.extendedProps as { occ?: Occurrence } | undefined)?.occ;
  const moreOf = (e: Calendar.Event) => (e.extendedProps as { more?: MoreEntry } | undefined)?.more;
  let ec: Calendar | undefined;
  const isMonth = () => ec?.getOption('view') === EC_VIEW.month;
  // The month view gets only what fits per day (month-more.ts); how many lines fit is
  // measured once per load, and a resize that changes it loads the (cached) range again.
  let lines = 0;
  let weeks = 6;
  const events = (info: { start: Date; end: Date }) =>
    on.fetch(info.start, info.end).then((list) => {
      if (!isMonth()) return list.map(toEc);
      const from = localDay(info.start);
      const to = localDay(info.end);
      weeks = Math.round((to - from) / 7);
      lines = linesPerCell(target, weeks);
      settleDayHeads(target);
      const { shown, more } = fitMonth(list, from, to, lines);
      prefetch(new Date(info.start.getTime() + 14 * 86400000));
      return [...shown.map(toEc), ...more.map(moreToEc)];
    });
  // Once a month is drawn, the months before and after are read while the page is idle
  // (events.ts caches them until the calendar changes): "next month" then needs neither
  // the server nor the parser.
  const prefetch = (mid: Date) => {
    const idle = window.requestIdleCallback ?? ((f: () => void) => window.setTimeout(f, 200));
    idle(() => {
      for (const offset of [1, -1]) {
        const [start, end] = monthRange(mid, offset, s.firstDay);
        on.fetch(start, end).catch(() => {});
      }
    });
  };
  let resizing: number | undefined;
  new ResizeObserver(() => {
    clearTimeout(resizing);
    resizing = window.setTimeout(() => {
      if (isMonth() && lines && linesPerCell(target, weeks) !== lines) ec?.refetchEvents();
    }, 150);
  }).observe(target);
  const changed = (arg: { event: Calendar.Event; revert: () => void }) => {
    const occ = occOf(arg.event);
    if (occ) on.change(occ, arg.event.start, arg.event.end, arg.event.allDay, arg.revert);
    else arg.revert();
  };
  stripGridRoles(target);
  ec = createCalendar(target, [TimeGrid, DayGrid, List, ResourceTimeGrid, Interaction], {
    view: EC_VIEW[view],
    headerToolbar: { start: '', center: '', end: '' },
    locale: currentLocale(),
    firstDay: s.firstDay,
    hiddenDays: view === 'workweek' ? [0, 6] : [],
    timeZone: s.timeZoneOffset,
    weekNumbers: true,
    nowIndicator: true,
    selectable: true,
    // Every range change asks the event source again: the month view's events are
    // chosen for the month grid (month-more.ts) and must not be reused by another view.
    lazyFetching: false,
    editable: true,
    height: '100%',
    scrollTime: '08:00:00',
    slotLabelFormat: timeFormat,
    eventTimeFormat: timeFormat,
    dayMaxEvents: true,
    // "+N more" entries after the events of their day (else the component's order:
    // by start, all-day first).
    eventOrder: (a: Calendar.Event, b: Calendar.Event) =>
      Number(!!moreOf(a)) - Number(!!moreOf(b)) || +a.start - +b.start || Number(b.allDay) - Number(a.allDay),
    resources: s.resources,
    views: { listMonth: { duration: { days: 42 } }, dayGridMonth: { dayMaxEvents: false } },
    buttonText: { today: t('nav.today') } as Calendar.Options['buttonText'],
    allDayContent: t('event.allDay'),
    noEventsContent: t('event.none'),
    moreLinkContent: (arg: { num: number }) => t('event.more', { count: arg.num }),
    weekNumberContent: (arg: { week: number }) => `${t('nav.weekShort')}${arg.week}`,
    eventSources: [{ events }],
    eventContent: (arg: { event: Calendar.Event; timeText: string }) => {
      const more = moreOf(arg.event);
      if (more) {
        // "+N" alone where a day is narrow (a phone); the full words for screen readers.
        const text = t('event.more', { count: more.hidden });
        return { domNodes: [h('span', { class: 'ev-more-text', 'aria-hidden': 'true' }, text), h('span', { class: 'ev-more-short', 'aria-hidden': 'true' }, `+${more.hidden}`), h('span', { class: 'visually-hidden' }, text)] };
      }
      const occ = occOf(arg.event);
      if (!occ) return undefined;
      const nodes: Node[] = [];
      if (arg.timeText && !occ.allDay) nodes.push(h('span', { class: 'ev-time' }, arg.timeText));
      nodes.push(h('span', { class: 'ev-title' }, occ.title || t('event.untitled')));
      if (occ.location) nodes.push(h('span', { class: 'ev-loc' }, occ.location));
      const cal = calendarByHref(occ.calendar);
      if (cal) nodes.push(h('span', { class: 'visually-hidden' }, `, ${cal.name}`));
      if (occ.awaiting) nodes.push(h('span', { class: 'visually-hidden' }, `, ${t('invitations.awaiting')}`));
      return { domNodes: nodes };
    },
    // Enter or Space on a focused event opens it: the component makes events focusable but
    // its own key handler does not reach eventClick when dragging is enabled.
    eventDidMount: (arg: { el: HTMLElement; event: Calendar.Event }) => {
      const occ = occOf(arg.event);
      const more = moreOf(arg.event);
      if (!occ && !more) return;
      if (more) {
        arg.el.setAttribute('role', 'button');
        arg.el.setAttribute('tabindex', '0');
        arg.el.setAttribute('aria-haspopup', 'dialog');
      }
      arg.el.addEventListener('keydown', (e) => {
        if ((e.key === 'Enter' || e.key === ' ') && e.target === arg.el) {
          e.preventDefault();
          e.stopPropagation();
          if (more) moreDialog(more, on.open);
          else if (occ) on.open(occ);
        }
      });
    },
    eventClick: (arg: { event: Calendar.Event }) => {
      const more = moreOf(arg.event);
      if (more) return moreDialog(more, on.open);
      const occ = occOf(arg.event);
      if (occ) on.open(occ);
    },
    select: (arg: { start: Date; end: Date; allDay: boolean; resource?: { id: string } }) => on.select(arg.start, arg.end, arg.allDay, arg.resource?.id),
    dateClick: (arg: { date: Date; allDay: boolean; resource?: { id: string } }) => {
      const end = new Date(arg.date);
      if (arg.allDay) end.setDate(end.getDate() + 1);
      else end.setHours(end.getHours() + 1);
      on.select(arg.date, end, arg.allDay, arg.resource?.id);
    },
    eventDrop: (arg: { event: Calendar.Event; revert: () => void }) => changed(arg),
    eventResize: (arg: { event: Calendar.Event; revert: () => void }) => changed(arg),
    // The mini-month follows the period shown (a month view's first cell is often
    // in the month before), not the grid's first cell.
    datesSet: (arg: { start: Date; end: Date; view: { title: string; currentStart: Date } }) =>
      on.dates(arg.view.title, arg.view.currentStart, arg.end),
  } as Calendar.Options);
  return ec;
}

export function applyView(ec: Calendar, view: ViewName): void {
  ec.setOption('hiddenDays', view === 'workweek' ? [0, 6] : []);
  ec.setOption('view', EC_VIEW[view]);
}
