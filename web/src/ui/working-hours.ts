//! Settings → Working hours: for each weekday none, one or several ranges (from–to),
//! in a time zone; stored as the user's calendar availability (availability.ts, RFC
//! 7953) on their scheduling inbox, read back when the pane opens. Free/busy then shows
//! the time outside them as unavailable, to colleagues and in the scheduling assistant.
import '../styles/sharing.css';
import { clearAvailability, parseAvailability, readAvailability, validRange, writeAvailability, type Range, type WorkingHours } from '../availability';
import { identity } from '../meeting';
import { currentLanguage, localeFirstDay, currentLocale, t } from '../i18n';
import { state } from '../state';
import { browserTimeZone, isValidTimeZone } from '../tz';
import { refusal } from './calendar-dialogs';
import { ICONS, clear, h, icon } from './dom';
import { field } from './modal';
import { registerSettingsPane } from './settings';
import { toast } from './toast';
import { userZone } from './when';

/** Monday to Friday, 08:00–18:00: what the assistant assumes for people without hours. */
const DEFAULT: Range[][] = [0, 1, 2, 3, 4, 5, 6].map((d) => (d === 0 || d === 6 ? [] : [{ from: '08:00', to: '18:00' }]));

function zones(current: string): string[] {
  const intl = Intl as typeof Intl & { supportedValuesOf?: (k: string) => string[] };
  return [...new Set([...(intl.supportedValuesOf?.('timeZone') ?? []), current, browserTimeZone(), 'UTC'])].sort();
}

function workingHoursPane(): HTMLElement {
  const inbox = identity()?.inbox;
  const form = h('form', { class: 'settings-form working-hours', novalidate: true });
  const stateLine = h('p', { class: 'wh-state', role: 'status' }, t('invitations.loading'));
  form.append(h('p', { class: 'muted' }, t('hours.intro')), stateLine);
  if (!inbox) {
    stateLine.textContent = t('hours.noInbox');
    return form;
  }
  let days: Range[][] = DEFAULT.map((d) => d.map((r) => ({ ...r })));
  let stored = false;
  const tz = h('select', { id: 'wh-tz' });
  const fillZones = (current: string) => {
    clear(tz);
    for (const z of zones(current)) tz.append(h('option', { value: z, selected: z === current }, z.replace(/_/g, ' ')));
  };
  fillZones(userZone());
  const grid = h('div', { class: 'wh-days' });
  const error = h('p', { class: 'form-error', role: 'alert' });
  const removeButton = h('button', { type: 'button', class: 'btn btn-danger-plain', hidden: true }, t('hours.clear'));
  const first = state.prefs.firstDay ?? localeFirstDay(currentLocale());
  const dayName = (d: number) => new Intl.DateTimeFormat(currentLanguage(), { weekday: 'long' }).format(new Date(Date.UTC(2024, 0, 7 + d)));

  const draw = (focus?: string) => {
    clear(grid);
    for (let i = 0; i < 7; i++) {
      const d = (first + i) % 7;
      const name = dayName(d);
      const nameId = `wh-d${d}`;
      const ranges = h('div', { class: 'wh-ranges' });
      days[d].forEach((r, k) => {
        const from = h('input', { type: 'time', id: `wh-${d}-${k}-from`, value: r.from, required: true, 'aria-label': t('hours.from', { day: name, n: k + 1 }) });
        const to = h('input', { type: 'time', id: `wh-${d}-${k}-to`, value: r.to, required: true, 'aria-label': t('hours.to', { day: name, n: k + 1 }) });
        from.addEventListener('change', () => (r.from = from.value));
        to.addEventListener('change', () => (r.to = to.value));
        const remove = h('button', { type: 'button', class: 'btn btn-icon wh-remove', 'aria-label': t('hours.remove', { day: name, n: k + 1 }), title: t('hours.remove', { day: name, n: k + 1 }) }, icon(ICONS.close));
        remove.addEventListener('click', () => {
          days[d].splice(k, 1);
          draw(`wh-add-${d}`);
        });
        ranges.append(h('div', { class: 'wh-range' }, from, h('span', { 'aria-hidden': 'true' }, '–'), to, remove));
      });
      if (!days[d].length) ranges.append(h('span', { class: 'muted wh-off' }, t('hours.off')));
      const add = h('button', { type: 'button', class: 'btn wh-add', id: `wh-add-${d}`, 'aria-label': t('hours.addOn', { day: name }) }, icon(ICONS.plus), h('span', {}, t('hours.add')));
      add.addEventListener('click', () => {
        const last = days[d][days[d].length - 1];
        days[d].push(last ? { from: last.to < '23:00' ? last.to : '22:00', to: '23:00' } : { from: '09:00', to: '17:00' });
        draw(`wh-${d}-${days[d].length - 1}-from`);
      });
      grid.append(h('div', { class: 'wh-day', role: 'group', 'aria-labelledby': nameId }, h('span', { class: 'wh-name', id: nameId }, name), ranges, add));
    }
    if (focus) (document.getElementById(focus) as HTMLElement | null)?.focus();
  };

  const show = (text: string | undefined) => {
    const read = text ? parseAvailability(text) : { hours: null, foreign: false };
    stored = !!text;
    removeButton.hidden = !stored;
    if (read.hours) {
      days = read.hours.days;
      if (isValidTimeZone(read.hours.tz)) fillZones(read.hours.tz);
    }
    stateLine.textContent = !stored ? t('hours.unset') : read.foreign ? t('hours.foreign') : t('hours.set');
    draw();
  };

  form.append(
    field(t('settings.timeZone'), tz),
    h('fieldset', { class: 'wh-fieldset' }, h('legend', {}, t('hours.days')), grid),
    error,
    h('div', { class: 'editor-actions' }, h('button', { type: 'submit', class: 'btn btn-primary' }, t('editor.save')), removeButton),
  );
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    error.textContent = '';
    for (let d = 0; d < 7; d++) {
      const bad = days[d].findIndex((r) => !validRange(r));
      if (bad >= 0) {
        error.textContent = t('hours.badRange', { day: dayName(d) });
        (document.getElementById(`wh-${d}-${bad}-from`) as HTMLElement | null)?.focus();
        return;
      }
    }
    const hours: WorkingHours = { tz: tz.value, days };
    try {
      await writeAvailability(inbox, hours);
      show(await readAvailability(inbox));
      toast(t('hours.saved'));
    } catch (err) {
      error.textContent = refusal(err);
    }
  });
  removeButton.addEventListener('click', async () => {
    error.textContent = '';
    try {
      await clearAvailability(inbox);
      days = DEFAULT.map((d) => d.map((r) => ({ ...r })));
      show(undefined);
      toast(t('hours.cleared'));
      (form.querySelector('button[type=submit]') as HTMLElement | null)?.focus();
    } catch (err) {
      error.textContent = refusal(err);
    }
  });
  draw();
  readAvailability(inbox).then(show, (err) => (error.textContent = refusal(err)));
  return form;
}

registerSettingsPane({ id: 'hours', label: 'hours.pane', order: 40, render: workingHoursPane });
