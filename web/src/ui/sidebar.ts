//! The calendar list: each calendar's colour, name, access (read-only, subscribed,
//! delegated) in words, and a show/hide checkbox (a real checkbox: keyboard and screen
//! readers get it for free). Hidden calendars are stored in the preferences. Each calendar
//! has an options button (rename, recolour, delete, export, publish link), and the list a
//! "New calendar" button.
import type { CalendarInfo } from '../calendars';
import { t } from '../i18n';
import { colorOf, isHidden } from '../state';
import { ICONS, h, icon } from './dom';

export interface ListActions {
  toggle: (href: string, visible: boolean) => void;
  options: (cal: CalendarInfo) => void;
  create: () => void;
}

export function calendarList(calendars: CalendarInfo[], actions: ListActions): HTMLElement {
  const list = h('ul', { class: 'cal-list' });
  calendars.forEach((cal, i) => {
    const id = `cal-${i}`;
    const box = h('input', { type: 'checkbox', id, checked: !isHidden(cal.href) });
    box.addEventListener('change', () => actions.toggle(cal.href, box.checked));
    const swatch = h('span', { class: 'swatch', 'aria-hidden': 'true' });
    swatch.style.backgroundColor = colorOf(cal);
    const notes: string[] = [];
    if (cal.subscribed) notes.push(t('calendars.subscribed'));
    else if (!cal.writable) notes.push(t('calendars.readOnly'));
    if (cal.ownerHome) notes.push(t('calendars.delegated'));
    if (cal.feedError) notes.push(t('calendars.feedFailed'));
    list.append(
      h(
        'li',
        {},
        box,
        h('label', { for: id }, swatch, h('span', { class: 'cal-name' }, cal.name), notes.length ? h('span', { class: 'cal-note' }, ` (${notes.join(', ')})`) : null),
        h('button', { type: 'button', class: 'btn btn-icon cal-options', 'aria-label': t('manage.options', { name: cal.name }), title: t('manage.options', { name: cal.name }), onclick: () => actions.options(cal) }, icon(ICONS.more)),
      ),
    );
  });
  const create = h('button', { type: 'button', class: 'btn new-cal', onclick: actions.create }, icon(ICONS.plus), h('span', {}, t('manage.new')));
  return h('section', { class: 'calendars', 'aria-labelledby': 'cal-title' }, h('h2', { id: 'cal-title' }, t('calendars.title')), list, create);
}
