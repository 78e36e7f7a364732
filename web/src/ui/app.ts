//! The calendar section: header (navigation, view, new event, language, print, sign-out),
//! sidebar (mini-month, calendars) and the grid, wired to CalDAV through actions.ts.
import type { Calendar } from '@event-calendar/core';
import { putPreferences } from '../api';
import { ConflictError, create, load, moveTo, remove, restore, retime, update, type Stored } from '../actions';
import { RecurringError, type EventFields } from '../ical-edit';
import { SeriesError, editAll, storedView } from '../series';
import { deleteSeries, saveSeries, undoSeries } from '../series-actions';
import { askScope } from './scope';
import { alarmRegion, replanAlarms, startAlarms } from './alarm-notes';
import { forgetCalendar, fetchRange, type Occurrence } from '../events';
import { currentLocale, localeFirstDay, localeHour12, t } from '../i18n';
import { trashHint } from '../trash';
import { listCalendars } from '../calendars';
import { startLive } from '../live';
import { calendarByHref, isHidden, state } from '../state';
import { browserTimeZone, instantOf, isValidTimeZone, offsetString, wallFromLocalDate, wallOf, type Wall } from '../tz';
import { ICONS, h, icon } from './dom';
import { openEditor } from './editor';
import { invitationsEntry, refreshInvitations } from './invitations';
import { shareOffersEntry } from './share-offers';
import { announceRooms, meetingContext } from './meeting-editor';
import { MiniMonth, isoWeek } from './minimonth';
import { calendarOptionsDialog, newCalendarDialog } from './calendar-dialogs';
import { searchBox } from './search';
import { accountControls, menuButton, sectionRail, sidebarAccount, type SectionContext } from './sections';
import { calendarList } from './sidebar';
import { dueTaskOccurrences, isTaskOccurrence, openTaskOccurrence } from './tasks-grid';
import { toast, toastRegion } from './toast';
import { VIEWS, applyView, createView, type ViewName } from './view';

const NARROW = '(max-width: 640px)';

export function timeZone(): string {
  const tz = state.prefs.timeZone;
  return tz && isValidTimeZone(tz) ? tz : browserTimeZone();
}

function parseViewDate(s: string): Wall {
  const m = s.match(/^(\d{4})-(\d{2})-(\d{2})(?:T(\d{2}):(\d{2}))?/);
  if (!m) throw new Error(`bad date ${s}`);
  return { year: +m[1], month: +m[2], day: +m[3], hour: +(m[4] ?? 0), minute: +(m[5] ?? 0), second: 0 };
}

function savePrefs(): void {
  putPreferences(state.prefs).catch(() => toast(t('errors.prefs'), undefined, 'error'));
}

export function appPage(ctx: SectionContext): HTMLElement {
  const rerender = ctx.rerender;
  const locale = currentLocale();
  const firstDay = state.prefs.firstDay ?? localeFirstDay(locale);
  const hour12 = state.prefs.hour12 ?? localeHour12(locale);
  const tz = timeZone();
  const todayWall = () => wallOf(Date.now(), tz);
  const today = () => {
    const w = todayWall();
    return new Date(w.year, w.month - 1, w.day);
  };
  let view: ViewName = window.matchMedia(NARROW).matches ? 'list' : ((state.prefs.view as ViewName) ?? 'week');
  if (!VIEWS.includes(view)) view = 'week';

  const title = h('h1', { class: 'view-title', id: 'view-title', 'aria-live': 'polite' });
  const gridHost = h('div', { class: 'grid-host' });
  const visible = () => state.calendars.filter((c) => !isHidden(c.href));
  const resources = () => visible().map((c) => ({ id: c.href, title: c.name }));

  let ec: Calendar;
  const refresh = (calendar?: string) => {
    if (calendar) forgetCalendar(calendar);
    ec.refetchEvents();
  };
  // Resolved when the grid has read the events again: an undo says "done" only once the
  // grid holds the restored copy (and its ETag), so the next edit starts from it.
  let fetched: (() => void)[] = [];
  const refreshed = (calendar: string) =>
    new Promise<void>((resolve) => {
      fetched.push(resolve);
      refresh(calendar);
    });

  const writable = () => state.calendars.filter((c) => c.writable);
  const defaultCalendar = () => {
    const pref = state.prefs.defaultCalendar;
    return writable().find((c) => c.href === pref && !isHidden(c.href)) ?? writable().find((c) => !isHidden(c.href)) ?? writable()[0];
  };

  const failed = (e: unknown, calendar: string) => {
    if (e instanceof ConflictError) toast(t('errors.conflict'), undefined, 'error');
    else if (e instanceof RecurringError) toast(t('drag.recurring'), undefined, 'error');
    else if (e instanceof SeriesError) toast(t(`scope.error.${e.reason}`), undefined, 'error');
    else toast(t('errors.write'), undefined, 'error');
    refresh(calendar);
  };

  const editNew = async (start: Wall, end: Wall, allDay: boolean, calendarHint?: string) => {
    const target = (calendarHint && calendarByHref(calendarHint)?.writable ? calendarByHref(calendarHint) : undefined) ?? defaultCalendar();
    if (!target) {
      toast(t('errors.noWritable'), undefined, 'error');
      return;
    }
    const fields: EventFields = { title: '', location: '', description: '', allDay, start, end, privacy: 'PUBLIC', transparent: false };
    // The reminder chosen in Settings → General, if any.
    const extras = { categories: [], color: '', reminders: state.prefs.defaultAlarm === undefined ? [] : [state.prefs.defaultAlarm], otherAlarms: 0 };
    const result = await openEditor({ fields, calendar: target.href, calendars: state.calendars, isNew: true, readOnly: false, recurring: false, extras });
    ec.unselect();
    if (!result || result.action !== 'save') return;
    try {
      const saved = await create(result.calendar, result.fields, tz);
      toast(t('event.created'));
      refresh(result.calendar);
      if (result.fields.meeting) void announceRooms(saved.href);
    } catch (e) {
      failed(e, result.calendar);
    }
  };

  const occFields = (occ: Occurrence): EventFields => ({
    title: occ.title,
    location: occ.location,
    description: occ.description,
    allDay: occ.allDay,
    start: parseViewDate(occ.start),
    end: parseViewDate(occ.end),
    privacy: (['PUBLIC', 'PRIVATE', 'CONFIDENTIAL'].includes(occ.privacy) ? occ.privacy : 'PRIVATE') as EventFields['privacy'],
    transparent: occ.transparent,
  });
  const shown = (occ: Occurrence) => ({ start: parseViewDate(occ.start), end: parseViewDate(occ.end) });

  const openOccurrence = async (occ: Occurrence) => {
    if (isTaskOccurrence(occ)) return openTaskOccurrence(occ, tz, () => refresh());
    const cal = calendarByHref(occ.calendar);
    let stored: Stored;
    try {
      // The stored object gives the rule, reminders, categories and colour; a write
      // carries the ETag the grid showed, so a change made since is never overwritten.
      stored = await load(occ.href);
      stored = { ...stored, etag: occ.etag || stored.etag };
    } catch (e) {
      failed(e, occ.calendar);
      return;
    }
    const view = storedView(stored.ics, occ.recurrenceId, tz);
    const meeting = await meetingContext(occ.href, () => (refresh(occ.calendar), refreshInvitations()), stored.ics);
    const result = await openEditor({
      fields: occFields(occ), calendar: occ.calendar, calendars: state.calendars, isNew: false, readOnly: !cal?.writable,
      recurring: occ.recurring, repeat: view.repeat, extras: view.extras, meeting,
    });
    if (!result) return;
    try {
      if (view.series && result.calendar === occ.calendar) {
        const action = result.action === 'delete' ? 'delete' : 'save';
        const scope = await askScope({ action, allowThis: !result.fields.repeat, hasExceptions: view.exceptions });
        if (!scope) {
          toast(t('scope.cancelled'));
          return;
        }
        if (action === 'delete') await deleteSeries(stored, occ, scope, tz);
        else await saveSeries(stored, occ, scope, { before: shown(occ), fields: result.fields }, tz);
        toast(action === 'delete' ? `${t('event.deleted')} ${trashHint()}` : t('event.saved'));
      } else if (result.action === 'delete') {
        await remove(stored);
        toast(`${t('event.deleted')} ${trashHint()}`);
      } else if (result.calendar !== occ.calendar) {
        // A series goes to another calendar as a whole, with its edits for all events.
        if (view.series) stored = { ...stored, ics: editAll(stored.ics, { before: shown(occ), fields: result.fields }, tz) };
        await moveTo(stored, result.calendar, result.fields, tz);
        refresh(result.calendar);
        toast(t('event.saved'));
      } else {
        await update(stored, result.fields, tz);
        toast(t('event.saved'));
        if (result.fields.meeting) void announceRooms(stored.href);
      }
      refresh(occ.calendar);
    } catch (e) {
      failed(e, occ.calendar);
    }
  };

  /** "Moved", with an Undo that puts the stored copy back and says so once the grid has it. */
  const offerUndo = (calendar: string, undo: () => Promise<unknown>) =>
    toast(t('drag.moved'), {
      label: t('common.undo'),
      run: () =>
        undo()
          .then(() => refreshed(calendar))
          .then(() => toast(t('drag.undone')))
          .catch((err) => failed(err, calendar)),
    });

  /** A dragged occurrence of a repeating event: which ones move is asked first. */
  const draggedInSeries = async (occ: Occurrence, s: Wall, e: Wall, allDay: boolean, revert: () => void) => {
    let before: Stored;
    try {
      before = await load(occ.href);
      if (occ.etag && before.etag && before.etag !== occ.etag) throw new ConflictError();
      const view = storedView(before.ics, occ.recurrenceId, tz);
      if (!view.series) throw new RecurringError();
      if (allDay !== occ.allDay) throw new SeriesError('all-day');
      const scope = await askScope({ action: 'move', allowThis: true, hasExceptions: view.exceptions });
      if (!scope) {
        revert();
        return;
      }
      const fields = { ...occFields(occ), start: s, end: e, allDay };
      const result = await saveSeries(before, occ, scope, { before: shown(occ), fields, timesOnly: true }, tz);
      offerUndo(occ.calendar, () => undoSeries(before, result));
      refresh(occ.calendar);
    } catch (err) {
      revert();
      failed(err, occ.calendar);
    }
  };

  const dragged = async (occ: Occurrence, start: Date, end: Date | null, allDay: boolean, revert: () => void) => {
    const s = wallFromLocalDate(start);
    const e = end ? wallFromLocalDate(end) : wallOf(instantOf(s, tz) + 3600000, tz);
    if (occ.recurring && occ.recurrenceId) return draggedInSeries(occ, s, e, allDay, revert);
    let before: Stored;
    try {
      before = await load(occ.href);
      if (occ.etag && before.etag && before.etag !== occ.etag) throw new ConflictError();
      const after = await retime(before, s, e, allDay, tz);
      offerUndo(occ.calendar, () => restore(after, before.ics));
      refresh(occ.calendar);
    } catch (err) {
      revert();
      failed(err, occ.calendar);
    }
  };

  const mini = new MiniMonth(firstDay, today, (d) => ec.setOption('date', d));

  const viewSelect = h('select', { id: 'view-select' });
  for (const v of VIEWS) viewSelect.append(h('option', { value: v, selected: v === view }, t(`views.${v}`)));
  viewSelect.addEventListener('change', () => {
    view = viewSelect.value as ViewName;
    applyView(ec, view);
    state.prefs.view = view;
    savePrefs();
  });

  const sidebar = h('aside', { class: 'sidebar', id: 'sidebar', 'aria-label': t('nav.sidebar') });
  const renderCalendars = () => {
    sidebar.querySelector('.calendars')?.remove();
    sidebar.append(
      calendarList(state.calendars, {
        toggle: (href, shown) => {
          const hidden = new Set(state.prefs.hiddenCalendars ?? []);
          if (shown) hidden.delete(href);
          else hidden.add(href);
          state.prefs.hiddenCalendars = [...hidden];
          savePrefs();
          ec.setOption('resources', resources());
          refresh();
        },
        options: (cal) =>
          calendarOptionsDialog(cal, (message) => {
            // The colour written to the calendar replaces a page-only colour, if any.
            if (state.prefs.calendarColors?.[cal.href]) {
              delete state.prefs.calendarColors[cal.href];
              savePrefs();
            }
            void reloadCalendars(cal.href, message);
          }),
        create: () => newCalendarDialog(state.homes[0] ?? state.session?.calendarHome ?? '', state.calendars.length, (href, message) => void reloadCalendars(href, message)),
      }),
    );
  };
  // After a calendar is created, changed or deleted: read the list again and redraw, with
  // the focus back in the calendar list.
  const reloadCalendars = async (changed: string, message: string) => {
    try {
      forgetCalendar(changed);
      state.calendars = await listCalendars(state.homes);
      state.tags = new Map(state.calendars.map((c) => [c.href, c.syncToken ?? c.ctag ?? '']));
    } catch {
      toast(t('errors.load'), undefined, 'error');
    }
    rerender();
    toast(message);
    (document.querySelector('.new-cal') as HTMLElement | null)?.focus();
  };
  sidebar.append(mini.el, invitationsEntry(() => refresh()), shareOffersEntry((message) => void reloadCalendars('', message)));
  renderCalendars();
  // On a phone the account controls live at the foot of the sidebar, not in the header.
  sidebar.append(sidebarAccount(ctx));
  const menu = menuButton(sidebar, t('nav.menu'));

  const newButton = h('button', { type: 'button', class: 'btn btn-primary new-btn', 'aria-label': t('event.new') }, icon(ICONS.plus), h('span', {}, t('event.new')));
  newButton.addEventListener('click', () => {
    const d = ec.getOption('date') as Date;
    const now = todayWall();
    const base = { year: d.getFullYear(), month: d.getMonth() + 1, day: d.getDate(), hour: Math.min(now.hour + 1, 23), minute: 0, second: 0 };
    const end = wallOf(instantOf(base, tz) + 3600000, tz);
    editNew(base, end, false);
  });

  const header = h(
    'header',
    { class: 'topbar' },
    menu,
    h('span', { class: 'brand' }, 'Agora'),
    h(
      'nav',
      { class: 'nav', 'aria-label': t('nav.dates') },
      h('button', { type: 'button', class: 'btn', onclick: () => ec.setOption('date', today()) }, t('nav.today')),
      h('button', { type: 'button', class: 'btn btn-icon', 'aria-label': t('nav.prev'), onclick: () => ec.prev() }, icon(ICONS.prev)),
      h('button', { type: 'button', class: 'btn btn-icon', 'aria-label': t('nav.next'), onclick: () => ec.next() }, icon(ICONS.next)),
    ),
    title,
    h('span', { class: 'spacer' }),
    searchBox({ calendars: () => visible().map((c) => c.href), tz, hour12, goTo: (d) => ec.setOption('date', d), open: (occ) => void openOccurrence(occ) }),
    h('span', { class: 'view-switch' }, h('label', { for: 'view-select', class: 'visually-hidden' }, t('views.label')), viewSelect),
    newButton,
    h('button', { type: 'button', class: 'btn btn-icon print-btn', 'aria-label': t('nav.print'), onclick: () => window.print() }, icon(ICONS.print)),
    accountControls(ctx),
  );

  const page = h('div', { class: 'app' }, header, h('div', { class: 'body' }, sectionRail('calendar'), sidebar, h('main', { class: 'main', 'aria-labelledby': 'view-title' }, gridHost)), toastRegion(), alarmRegion());

  ec = createView(gridHost, view, { firstDay, hour12, timeZoneOffset: offsetString(tz), resources: resources() }, {
    fetch: async (start, end) => {
      const waiting = fetched;
      fetched = [];
      const from = new Date(instantOf(wallFromLocalDate(start), tz));
      const to = new Date(instantOf(wallFromLocalDate(end), tz));
      const dueTasks = dueTaskOccurrences(from, to, tz).catch(() => []);
      const results = await Promise.allSettled(visible().map((c) => fetchRange(c.href, state.tags.get(c.href), from, to, tz)));
      if (results.some((r) => r.status === 'rejected')) toast(t('errors.load'), undefined, 'error');
      replanAlarms(visible().map((c) => c.href), tz);
      // After the grid has the events (the source's promise resolves first).
      setTimeout(() => waiting.forEach((done) => done()), 0);
      return [...results.flatMap((r) => (r.status === 'fulfilled' ? r.value : [])), ...(await dueTasks)];
    },
    select: (start, end, allDay, cal) => editNew(wallFromLocalDate(start), wallFromLocalDate(end), allDay, cal),
    open: openOccurrence,
    change: dragged,
    dates: (text, start) => {
      const weekly = view === 'week' || view === 'workweek';
      title.textContent = weekly && firstDay === 1 ? `${text} · ${t('nav.week')} ${isoWeek(start)}` : text;
      mini.select(start);
    },
  });

  startAlarms(() => visible().map((c) => c.href), tz);
  let clock = `${offsetString(tz)} ${today().toDateString()}`;
  startLive(
    () => visible().map((c) => c.href),
    (changed) => {
      changed.forEach((c) => forgetCalendar(c));
      refresh();
      refreshInvitations();
    },
    () => {
      // Today and the now line follow the user's zone across midnight and DST changes,
      // even in a tab left open for days (docs/web.md §1).
      const next = `${offsetString(tz)} ${today().toDateString()}`;
      if (next !== clock) {
        clock = next;
        ec.setOption('timeZone', offsetString(tz));
        refresh();
      }
    },
    // A delegation given or ended while the page is open: its calendars join or leave.
    async () => {
      state.calendars = await listCalendars(state.homes);
      state.tags = new Map(state.calendars.map((c) => [c.href, c.syncToken ?? c.ctag ?? '']));
      rerender();
    },
  );
  return page;
}
