//! The event editor, a modal <dialog> (focus stays inside, Escape closes): title,
//! location, description, start and end (date and time), all-day, calendar, privacy and
//! transparency, repetition (ui/recurrence.ts), reminders, categories and colour
//! (ui/reminders.ts). Read-only calendars show the same fields disabled. Which instances
//! of a repeating event a change reaches is asked after Save (ui/scope.ts). Closing with
//! unsaved changes asks first (docs/web.md §2).
import type { CalendarInfo } from '../calendars';
import type { EventExtras } from '../event-props';
import type { EventFields } from '../ical-edit';
import type { RepeatState } from '../recurrence';
import { t } from '../i18n';
import { trashHint } from '../trash';
import { pad, type Wall } from '../tz';
import { h } from './dom';
import { repeatSection } from './recurrence';
import { extrasSection } from './reminders';
import { detailsLocked, meetingSection, type EditorTimes, type MeetingContext } from './meeting-editor';

export interface EditorInput {
  fields: EventFields;
  calendar: string;
  calendars: CalendarInfo[];
  isNew: boolean;
  readOnly: boolean;
  recurring: boolean;
  /** The stored rule (none for a new event). */
  repeat?: RepeatState;
  /** Categories, colour and reminders as stored (of the instance's override, if any). */
  extras?: EventExtras;
  /** The stored event's meeting (attendees, the user's place in it); none for a new event. */
  meeting?: MeetingContext;
}

export interface EditorResult {
  action: 'save' | 'delete';
  fields: EventFields;
  calendar: string;
}

const dateValue = (w: Wall) => `${w.year}-${pad(w.month)}-${pad(w.day)}`;
const timeValue = (w: Wall) => `${pad(w.hour)}:${pad(w.minute)}`;

function parseWall(date: string, time: string): Wall | null {
  const d = date.match(/^(\d{4})-(\d{2})-(\d{2})$/);
  const tm = time.match(/^(\d{2}):(\d{2})/) ?? ['', '00', '00'];
  if (!d) return null;
  return { year: +d[1], month: +d[2], day: +d[3], hour: +tm[1], minute: +tm[2], second: 0 };
}

let seq = 0;

function field(label: string, control: HTMLElement, extra = ''): HTMLElement {
  return h('div', { class: `field ${extra}` }, h('label', { for: control.id }, label), control);
}

export function openEditor(input: EditorInput): Promise<EditorResult | null> {
  if (document.querySelector('dialog.editor')) return Promise.resolve(null); // one at a time
  const id = (n: string) => `ed-${n}-${++seq}`;
  const f = input.fields;
  const ro = input.readOnly;
  // An invitation received: only the answer, transparency (and alarms) are the attendee's.
  const locked = ro || detailsLocked(input.meeting);
  const title = h('input', { id: id('title'), type: 'text', value: f.title, disabled: locked, maxlength: 500 });
  const location = h('input', { id: id('loc'), type: 'text', value: f.location, disabled: locked });
  const description = h('textarea', { id: id('desc'), rows: 3, disabled: locked });
  description.value = f.description;
  const allDay = h('input', { id: id('allday'), type: 'checkbox', checked: f.allDay, disabled: locked || input.recurring });
  // A series cannot switch between all-day and timed here: its exceptions would no
  // longer name its instances (RECURRENCE-ID keeps DTSTART's value type, RFC 5545 §3.8.4.4).
  const timesLocked = locked;
  const startDate = h('input', { id: id('sd'), type: 'date', value: dateValue(f.start), disabled: timesLocked, required: true });
  const startTime = h('input', { id: id('st'), type: 'time', value: timeValue(f.start), disabled: timesLocked, step: 300 });
  // All-day DTEND is exclusive; the editor shows the last day, as people count.
  const shownEnd = { ...f.end };
  if (f.allDay) {
    const d = new Date(Date.UTC(f.end.year, f.end.month - 1, f.end.day - 1));
    Object.assign(shownEnd, { year: d.getUTCFullYear(), month: d.getUTCMonth() + 1, day: d.getUTCDate() });
  }
  const endDate = h('input', { id: id('ed'), type: 'date', value: dateValue(shownEnd), disabled: timesLocked, required: true });
  const endTime = h('input', { id: id('et'), type: 'time', value: timeValue(shownEnd), disabled: timesLocked, step: 300 });
  const calendar = h('select', { id: id('cal'), disabled: ro });
  for (const c of input.calendars.filter((c) => c.writable || c.href === input.calendar)) {
    calendar.append(h('option', { value: c.href, selected: c.href === input.calendar }, c.name));
  }
  const privacy = h('select', { id: id('class'), disabled: locked });
  for (const p of ['PUBLIC', 'PRIVATE', 'CONFIDENTIAL']) privacy.append(h('option', { value: p, selected: p === f.privacy }, t(`event.privacy.${p}`)));
  const transp = h('select', { id: id('transp'), disabled: ro });
  transp.append(h('option', { value: 'busy', selected: !f.transparent }, t('event.busy')), h('option', { value: 'free', selected: f.transparent }, t('event.free')));
  const error = h('p', { class: 'form-error', role: 'alert' });
  const repeat = repeatSection(input.repeat ?? { kind: 'none' }, () => parseWall(startDate.value, '00:00'), locked);
  startDate.addEventListener('input', repeat.refresh);
  const extras = extrasSection(input.extras ?? { categories: [], color: '', reminders: [], otherAlarms: 0 }, ro);
  let closeNow = () => {};
  const times: EditorTimes = {
    get: () => {
      const start = parseWall(startDate.value, allDay.checked ? '00:00' : startTime.value);
      const end = parseWall(endDate.value, allDay.checked ? '00:00' : endTime.value);
      if (!start || !end) return null;
      if (allDay.checked) end.day += 1; // exclusive; Date.UTC in the callers normalises it
      return { start, end, allDay: allDay.checked };
    },
    set: (s, e) => {
      [startDate.value, startTime.value, endDate.value, endTime.value] = [dateValue(s), timeValue(s), dateValue(e), timeValue(e)];
      dirty = true;
    },
  };
  const meetingUi = meetingSection(input.meeting, times, ro, () => closeNow());

  const heading = input.isNew ? t('editor.new') : ro ? t('editor.view') : locked ? t('meeting.invitation') : t('editor.edit');
  const headingId = id('h');
  const dialog = h('dialog', { class: 'editor', 'aria-labelledby': headingId });
  const form = h('form', { method: 'dialog', novalidate: true });
  const buttons = h('div', { class: 'editor-actions' });
  form.append(
    h('h2', { id: headingId }, heading),
    field(t('event.title'), title),
    h(
      'fieldset',
      { class: 'when' },
      h('legend', {}, t('event.when')),
      h('div', { class: 'check' }, allDay, h('label', { for: allDay.id }, t('event.allDay'))),
      h('div', { class: 'row' }, field(t('event.startDate'), startDate), field(t('event.startTime'), startTime, 'time-field')),
      h('div', { class: 'row' }, field(t('event.endDate'), endDate), field(t('event.endTime'), endTime, 'time-field')),
    ),
    repeat.el,
    field(t('event.location'), location),
    field(t('event.description'), description),
    meetingUi.el,
    extras.reminders,
    extras.details,
    h('div', { class: 'row' }, field(t('event.calendar'), calendar), field(t('event.privacy.label'), privacy), field(t('event.transparency'), transp)),
    error,
    buttons,
  );
  dialog.append(form);
  // Time fields are hidden as a whole for all-day events.
  for (const el of [startTime, endTime]) {
    const wrap = el.parentElement;
    allDay.addEventListener('change', () => wrap?.toggleAttribute('hidden', allDay.checked));
    wrap?.toggleAttribute('hidden', allDay.checked);
  }

  let dirty = false;
  form.addEventListener('input', () => (dirty = true));

  return new Promise((resolve) => {
    const close = (result: EditorResult | null) => {
      dialog.close();
      dialog.remove();
      resolve(result);
    };
    closeNow = () => close(null);
    const cancel = () => {
      if (dirty && !ro && !window.confirm(t('editor.discard'))) return;
      close(null);
    };
    const collect = (): EventFields | null => {
      const start = parseWall(startDate.value, allDay.checked ? '00:00' : startTime.value);
      let end = parseWall(endDate.value, allDay.checked ? '00:00' : endTime.value);
      if (!start || !end) {
        error.textContent = t('editor.badDate');
        return null;
      }
      if (allDay.checked) {
        const d = new Date(Date.UTC(end.year, end.month - 1, end.day + 1));
        end = { ...end, year: d.getUTCFullYear(), month: d.getUTCMonth() + 1, day: d.getUTCDate() };
      }
      const key = (w: Wall) => Date.UTC(w.year, w.month - 1, w.day, w.hour, w.minute);
      if (key(end) <= key(start)) {
        error.textContent = t('editor.endBeforeStart');
        endDate.focus();
        return null;
      }
      const rule = repeat.value();
      if ('error' in rule) {
        error.textContent = t(rule.error);
        (repeat.el as HTMLDetailsElement).open = true;
        return null;
      }
      return {
        repeat: repeat.changed() ? rule : undefined,
        extras: extras.value(),
        title: title.value.trim(),
        location: location.value.trim(),
        description: description.value,
        allDay: allDay.checked,
        start,
        end,
        privacy: privacy.value as EventFields['privacy'],
        transparent: transp.value === 'free',
        meeting: meetingUi.fields(),
      };
    };
    if (!ro) {
      buttons.append(h('button', { type: 'submit', class: 'btn btn-primary' }, t('editor.save')));
      if (!input.isNew) {
        buttons.append(
          h('button', {
            type: 'button',
            class: 'btn btn-danger',
            onclick: () => {
              // For a series, the scope dialog that follows is the confirmation.
              const series = input.recurring && !!input.repeat && input.repeat.kind !== 'none';
              if (series || window.confirm(`${t('editor.confirmDelete')}\n${trashHint()}`)) close({ action: 'delete', fields: f, calendar: input.calendar });
            },
          }, t('editor.delete')),
        );
      }
    }
    buttons.append(h('button', { type: 'button', class: 'btn', onclick: cancel }, ro ? t('common.close') : t('common.cancel')));
    form.addEventListener('submit', (e) => {
      e.preventDefault();
      const fields = collect();
      if (fields) close({ action: 'save', fields, calendar: calendar.value });
    });
    dialog.addEventListener('cancel', (e) => {
      e.preventDefault();
      cancel();
    });
    dialog.addEventListener('click', (e) => {
      if (e.target === dialog) cancel(); // a click on the backdrop
    });
    document.body.append(dialog);
    dialog.showModal();
    (ro ? (buttons.lastElementChild as HTMLElement) : title).focus();
  });
}
