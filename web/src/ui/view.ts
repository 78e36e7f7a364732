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
import { h } from './dom';

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

function readableText(bg: string): string {
  const n = parseInt(bg.slice(1, 7), 16);
  const [r, g, b] = [(n >> 16) & 255, (n >> 8) & 255, n & 255].map((c) => {
    const s = c / 255;
    return s <= 0.03928 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4;
  });
  const lum = 0.2126 * r + 0.7152 * g + 0.0722 * b;
  return lum > 0.18 ? '#111111' : '#ffffff';
}

/** The event object the grid takes; `extendedProps.occ` carries ours back in callbacks. */
function toEc(occ: Occurrence): Calendar.EventInput {
  const cal = calendarByHref(occ.calendar);
  const color = cal ? colorOf(cal) : '#1a73e8';
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
    classNames: [occ.transparent ? 'ev-free' : 'ev-busy', `ev-${occ.privacy.toLowerCase()}`],
    extendedProps: { occ },
  };
}

export function createView(target: HTMLElement, view: ViewName, s: ViewSettings, on: ViewHandlers): Calendar {
  const timeFormat: Intl.DateTimeFormatOptions = { hour: 'numeric', minute: '2-digit', hour12: s.hour12 };
  const occOf = (e: Calendar.Event) => (e.extendedProps as { occ: Occurrence }).occ;
  return createCalendar(target, [TimeGrid, DayGrid, List, ResourceTimeGrid, Interaction], {
    view: EC_VIEW[view],
    headerToolbar: { start: '', center: '', end: '' },
    locale: currentLocale(),
    firstDay: s.firstDay,
    hiddenDays: view === 'workweek' ? [0, 6] : [],
    timeZone: s.timeZoneOffset,
    weekNumbers: true,
    nowIndicator: true,
    selectable: true,
    editable: true,
    height: '100%',
    scrollTime: '08:00:00',
    slotLabelFormat: timeFormat,
    eventTimeFormat: timeFormat,
    dayMaxEvents: true,
    resources: s.resources,
    views: { listMonth: { duration: { days: 42 } } },
    buttonText: { today: t('nav.today') } as Calendar.Options['buttonText'],
    allDayContent: t('event.allDay'),
    noEventsContent: t('event.none'),
    weekNumberContent: (arg: { week: number }) => `${t('nav.weekShort')}${arg.week}`,
    eventSources: [{ events: (info: { start: Date; end: Date }) => on.fetch(info.start, info.end).then((list) => list.map(toEc)) }],
    eventContent: (arg: { event: Calendar.Event; timeText: string }) => {
      const occ = occOf(arg.event);
      const nodes: Node[] = [];
      if (arg.timeText && !occ.allDay) nodes.push(h('span', { class: 'ev-time' }, arg.timeText));
      nodes.push(h('span', { class: 'ev-title' }, occ.title || t('event.untitled')));
      if (occ.location) nodes.push(h('span', { class: 'ev-loc' }, occ.location));
      return { domNodes: nodes };
    },
    eventDidMount: (arg: { el: HTMLElement; event: Calendar.Event }) => {
      const occ = occOf(arg.event);
      const cal = calendarByHref(occ.calendar);
      arg.el.setAttribute('aria-label', [occ.title || t('event.untitled'), occ.location, cal?.name].filter(Boolean).join(', '));
    },
    eventClick: (arg: { event: Calendar.Event }) => on.open(occOf(arg.event)),
    select: (arg: { start: Date; end: Date; allDay: boolean; resource?: { id: string } }) => on.select(arg.start, arg.end, arg.allDay, arg.resource?.id),
    dateClick: (arg: { date: Date; allDay: boolean; resource?: { id: string } }) => {
      const end = new Date(arg.date);
      if (arg.allDay) end.setDate(end.getDate() + 1);
      else end.setHours(end.getHours() + 1);
      on.select(arg.date, end, arg.allDay, arg.resource?.id);
    },
    eventDrop: (arg: { event: Calendar.Event; revert: () => void }) =>
      on.change(occOf(arg.event), arg.event.start, arg.event.end, arg.event.allDay, arg.revert),
    eventResize: (arg: { event: Calendar.Event; revert: () => void }) =>
      on.change(occOf(arg.event), arg.event.start, arg.event.end, arg.event.allDay, arg.revert),
    datesSet: (arg: { start: Date; end: Date; view: { title: string } }) => on.dates(arg.view.title, arg.start, arg.end),
  } as Calendar.Options);
}

export function applyView(ec: Calendar, view: ViewName): void {
  ec.setOption('hiddenDays', view === 'workweek' ? [0, 6] : []);
  ec.setOption('view', EC_VIEW[view]);
}
