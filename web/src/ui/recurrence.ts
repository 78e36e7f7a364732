//! The "Repeat" section of the event editor: a <details> (collapsed by default, so the
//! editor stays short at phone width) whose summary line always says the rule in words.
//! Frequency, interval, weekdays (the start's own weekday is always included, RFC 5545
//! §3.8.5.3 wants DTSTART in step with the rule), monthly by date or position, and the
//! end. A rule the model cannot show stays "Custom repetition (kept as is)" and is not
//! rewritten unless the user picks another one.
import { currentLocale, t } from '../i18n';
import {
  WEEKDAYS, defaultRepeat, describeRepeat, isLastOf, monthlyText, weekdayOf,
  type Freq, type Repeat, type RepeatState, type Weekday,
} from '../recurrence';
import { pad, type Wall } from '../tz';
import { h } from './dom';
import '../styles/series.css';

export interface RepeatSection {
  el: HTMLElement;
  /** The chosen rule, or an error message key when it cannot be written. */
  value: () => RepeatState | { error: string };
  changed: () => boolean;
  /** Call when the start date changes: labels and the summary follow it. */
  refresh: () => void;
}

let seq = 0;
const DAY_INDEX: Record<Weekday, number> = { SU: 0, MO: 1, TU: 2, WE: 3, TH: 4, FR: 5, SA: 6 };

export function repeatSection(initial: RepeatState, start: () => Wall | null, disabled: boolean): RepeatSection {
  const n = ++seq;
  const id = (s: string) => `rp-${s}-${n}`;
  const locale = currentLocale();
  const base: Repeat = initial.kind === 'rule' ? initial.rule : defaultRepeat('WEEKLY', start() ?? { year: 2026, month: 1, day: 5, hour: 0, minute: 0, second: 0 });

  const freq = h('select', { id: id('freq'), disabled });
  const choices: [string, string][] = [['none', t('repeat.none')], ['DAILY', t('repeat.daily')], ['WEEKLY', t('repeat.weekly')], ['MONTHLY', t('repeat.monthly')], ['YEARLY', t('repeat.yearly')]];
  if (initial.kind === 'custom') choices.push(['custom', t('repeat.custom')]);
  const current = initial.kind === 'rule' ? initial.rule.freq : initial.kind;
  for (const [v, label] of choices) freq.append(h('option', { value: v, selected: v === current }, label));

  const interval = h('input', { id: id('int'), type: 'number', min: 1, max: 999, value: String(base.interval), disabled, class: 'narrow' });
  const unit = h('span', { class: 'unit', id: id('unit') });
  const intervalRow = h('div', { class: 'field repeat-interval' }, h('label', { for: interval.id }, t('repeat.interval')), h('div', { class: 'inline' }, interval, unit));

  const dayBoxes = new Map<Weekday, HTMLInputElement>();
  // The days the rule names by choice; the start's own weekday is added to them, so a
  // start moved from Monday to Tuesday repeats on Tuesdays, not on both.
  const chosen = new Set<Weekday>(initial.kind === 'rule' ? initial.rule.days : []);
  const dayName = (d: Weekday, style: 'short' | 'long') =>
    new Intl.DateTimeFormat(locale, { weekday: style, timeZone: 'UTC' }).format(new Date(Date.UTC(2024, 0, 7 + DAY_INDEX[d])));
  const days = h('fieldset', { class: 'repeat-days' }, h('legend', {}, t('repeat.onWeekdays')));
  for (const d of WEEKDAYS) {
    const box = h('input', { type: 'checkbox', id: id(`d${d}`), value: d, checked: base.days.includes(d), disabled });
    dayBoxes.set(d, box);
    // On 'input', which comes before the section's own 'input' handler redraws the boxes.
    box.addEventListener('input', () => (box.checked ? chosen.add(d) : chosen.delete(d)));
    days.append(h('span', { class: 'day-check' }, box, h('label', { for: box.id, title: dayName(d, 'long') }, h('span', { 'aria-hidden': 'true' }, dayName(d, 'short')), h('span', { class: 'visually-hidden' }, dayName(d, 'long')))));
  }

  const monthly = h('select', { id: id('monthly'), disabled });
  const monthlyRow = h('div', { class: 'field' }, h('label', { for: monthly.id }, t('repeat.monthlyOn')), monthly);

  const endKind = h('select', { id: id('end'), disabled });
  for (const k of ['never', 'until', 'count']) endKind.append(h('option', { value: k, selected: base.end.kind === k }, t(`repeat.end.${k}`)));
  const until = h('input', { id: id('until'), type: 'date', disabled, value: base.end.kind === 'until' ? base.end.date : '' });
  const count = h('input', { id: id('count'), type: 'number', min: 1, max: 9999, disabled, class: 'narrow', value: base.end.kind === 'count' ? String(base.end.count) : '10' });
  const untilField = h('div', { class: 'field' }, h('label', { for: until.id }, t('repeat.untilDate')), until);
  const countField = h('div', { class: 'field' }, h('label', { for: count.id }, t('repeat.count')), count);

  const summaryText = h('span', { class: 'repeat-text' });
  const live = h('p', { class: 'repeat-summary muted', 'aria-live': 'polite', id: id('sum') });
  const body = h(
    'div',
    { class: 'repeat-body' },
    h('div', { class: 'row' }, h('div', { class: 'field' }, h('label', { for: freq.id }, t('repeat.label')), freq), intervalRow),
    days,
    monthlyRow,
    h('div', { class: 'row' }, h('div', { class: 'field' }, h('label', { for: endKind.id }, t('repeat.ends')), endKind), untilField, countField),
    live,
  );
  const el = h(
    'details',
    { class: 'repeat' },
    h('summary', {}, h('span', { class: 'repeat-label' }, t('repeat.label')), ' ', summaryText),
    body,
  );

  // "On a date" starts with a date three months after the start, not an empty field.
  endKind.addEventListener('change', () => {
    const s = start();
    if (endKind.value !== 'until' || until.value || !s) return;
    const d = new Date(Date.UTC(s.year, s.month + 2, s.day));
    until.value = `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())}`;
  });

  let dirty = false;
  body.addEventListener('input', () => (dirty = true));
  body.addEventListener('change', () => (dirty = true));

  const read = (): RepeatState | { error: string } => {
    const kind = freq.value;
    if (kind === 'none') return { kind: 'none' };
    if (kind === 'custom') return initial;
    const s = start();
    if (!s) return { error: 'editor.badDate' };
    const iv = Number(interval.value);
    if (!Number.isInteger(iv) || iv < 1 || iv > 999) return { error: 'repeat.badInterval' };
    const rule: Repeat = { ...base, freq: kind as Freq, interval: iv, days: WEEKDAYS.filter((d) => dayBoxes.get(d)!.checked), monthly: monthly.value as Repeat['monthly'] || 'date', end: { kind: 'never' } };
    if (endKind.value === 'until') {
      const startDate = `${s.year}-${pad(s.month)}-${pad(s.day)}`;
      if (!/^\d{4}-\d{2}-\d{2}$/.test(until.value) || until.value < startDate) return { error: 'repeat.badUntil' };
      rule.end = { kind: 'until', date: until.value };
    } else if (endKind.value === 'count') {
      const c = Number(count.value);
      if (!Number.isInteger(c) || c < 1 || c > 9999) return { error: 'repeat.badCount' };
      rule.end = { kind: 'count', count: c };
    }
    return { kind: 'rule', rule };
  };

  const refresh = () => {
    const s = start();
    const kind = freq.value;
    const ruled = kind !== 'none' && kind !== 'custom';
    intervalRow.hidden = !ruled;
    days.hidden = kind !== 'WEEKLY';
    monthlyRow.hidden = kind !== 'MONTHLY';
    endKind.parentElement!.hidden = !ruled;
    untilField.hidden = !ruled || endKind.value !== 'until';
    countField.hidden = !ruled || endKind.value !== 'count';
    if (ruled) unit.textContent = t(`repeat.unit.${kind}`, { count: Number(interval.value) || 1 });
    if (s) {
      // The start's weekday is always one of the days (and cannot be unticked).
      const own = weekdayOf(s);
      for (const [d, box] of dayBoxes) {
        box.checked = d === own || chosen.has(d);
        box.disabled = disabled || d === own;
      }
      const selected = monthly.value || (initial.kind === 'rule' ? initial.rule.monthly : 'date');
      monthly.replaceChildren();
      const opts: Repeat['monthly'][] = ['date', 'pos'];
      if (isLastOf(s)) opts.push('last');
      for (const o of opts) monthly.append(h('option', { value: o, selected: o === selected }, monthlyText(o, s, t, locale)));
    }
    const v = read();
    const text = 'error' in v ? t(v.error) : s ? describeRepeat(v, s, t, locale) : '';
    summaryText.textContent = text;
    live.textContent = text;
  };
  body.addEventListener('input', refresh);
  body.addEventListener('change', refresh);
  refresh();
  return { el, value: read, changed: () => dirty, refresh };
}
