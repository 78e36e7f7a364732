//! The editor's reminders, categories and colour: a list of reminders (none, at the
//! start, 5 minutes … 1 week before; several allowed) with the alarms the editor does
//! not make shown as "other reminder (kept)"; categories typed as a comma-separated
//! list; a colour from a small palette of CSS3 names (RFC 7986 COLOR) or the calendar's.
import { PALETTE, REMINDER_MINUTES, splitCategories, type EventExtras } from '../event-props';
import { t } from '../i18n';
import { h } from './dom';

let seq = 0;

export function reminderLabel(min: number): string {
  if (min === 0) return t('reminders.atStart');
  if (min % 10080 === 0) return t('reminders.weeks', { count: min / 10080 });
  if (min % 1440 === 0) return t('reminders.days', { count: min / 1440 });
  if (min % 60 === 0) return t('reminders.hours', { count: min / 60 });
  return t('reminders.minutes', { count: min });
}

export interface ExtrasSection {
  reminders: HTMLElement;
  details: HTMLElement;
  value: () => EventExtras;
}

export function extrasSection(initial: EventExtras, disabled: boolean): ExtrasSection {
  const n = ++seq;
  const id = (s: string) => `rm-${s}-${n}`;
  const list = h('ul', { class: 'reminder-list' });
  let rows = 0;
  const addRow = (min: number, focus = false) => {
    const r = ++rows;
    const select = h('select', { id: id(`r${r}`), disabled, class: 'reminder' });
    for (const m of REMINDER_MINUTES) select.append(h('option', { value: String(m), selected: m === min }, reminderLabel(m)));
    const remove = h('button', { type: 'button', class: 'btn btn-icon', disabled, 'aria-label': t('reminders.remove', { what: reminderLabel(min) }) }, '×');
    select.addEventListener('change', () => remove.setAttribute('aria-label', t('reminders.remove', { what: reminderLabel(Number(select.value)) })));
    const li = h('li', {}, h('label', { for: select.id, class: 'visually-hidden' }, t('reminders.one', { n: r })), select, remove);
    remove.addEventListener('click', () => {
      li.remove();
      list.dispatchEvent(new Event('input', { bubbles: true }));
      add.focus();
    });
    list.append(li);
    if (focus) select.focus();
  };
  for (const m of initial.reminders) addRow(m);
  const add = h('button', { type: 'button', class: 'btn', disabled }, '+ ', t('reminders.add'));
  add.addEventListener('click', () => {
    addRow(15, true);
    list.dispatchEvent(new Event('input', { bubbles: true }));
  });
  const others = initial.otherAlarms ? h('p', { class: 'muted' }, t('reminders.other', { count: initial.otherAlarms })) : null;
  const reminders = h('fieldset', { class: 'reminders' }, h('legend', {}, t('reminders.title')), list, others, h('div', { class: 'reminder-add' }, add));

  const categories = h('input', { id: id('cat'), type: 'text', disabled, value: initial.categories.join(', '), autocomplete: 'off' });
  const color = h('select', { id: id('color'), disabled });
  color.append(h('option', { value: '', selected: !initial.color }, t('colors.calendar')));
  for (const name of Object.keys(PALETTE)) color.append(h('option', { value: name, selected: name === initial.color }, t(`colors.${name}`)));
  if (initial.color && !PALETTE[initial.color]) color.append(h('option', { value: initial.color, selected: true }, initial.color));
  const swatch = h('span', { class: 'swatch swatch-large', 'aria-hidden': 'true' });
  const paint = () => {
    swatch.style.background = color.value ? PALETTE[color.value] ?? color.value : 'transparent';
    swatch.classList.toggle('empty', !color.value);
  };
  color.addEventListener('change', paint);
  paint();
  const details = h(
    'div',
    { class: 'row' },
    h('div', { class: 'field grow' }, h('label', { for: categories.id }, t('event.categories')), categories),
    h('div', { class: 'field' }, h('label', { for: color.id }, t('event.color')), h('div', { class: 'inline' }, color, swatch)),
  );
  return {
    reminders,
    details,
    value: () => ({
      categories: splitCategories(categories.value),
      color: color.value,
      reminders: Array.from(list.querySelectorAll('select')).map((s) => Number(s.value)),
      otherAlarms: initial.otherAlarms,
    }),
  };
}
