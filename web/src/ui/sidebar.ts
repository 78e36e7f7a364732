//! The calendar list: each calendar's colour, name, access (read-only, subscribed,
//! delegated) in words, and a show/hide checkbox (a real checkbox: keyboard and screen
//! readers get it for free). Hidden calendars are stored in the preferences.
import type { CalendarInfo } from '../calendars';
import { t } from '../i18n';
import { colorOf, isHidden } from '../state';
import { h } from './dom';

export function calendarList(calendars: CalendarInfo[], onToggle: (href: string, visible: boolean) => void): HTMLElement {
  const list = h('ul', { class: 'cal-list' });
  calendars.forEach((cal, i) => {
    const id = `cal-${i}`;
    const box = h('input', { type: 'checkbox', id, checked: !isHidden(cal.href) });
    box.addEventListener('change', () => onToggle(cal.href, box.checked));
    const swatch = h('span', { class: 'swatch', 'aria-hidden': 'true' });
    swatch.style.backgroundColor = colorOf(cal);
    const notes: string[] = [];
    if (cal.subscribed) notes.push(t('calendars.subscribed'));
    else if (!cal.writable) notes.push(t('calendars.readOnly'));
    if (cal.ownerHome) notes.push(t('calendars.delegated'));
    list.append(
      h(
        'li',
        {},
        box,
        h('label', { for: id }, swatch, h('span', { class: 'cal-name' }, cal.name), notes.length ? h('span', { class: 'cal-note' }, ` (${notes.join(', ')})`) : null),
      ),
    );
  });
  return h('section', { class: 'calendars', 'aria-labelledby': 'cal-title' }, h('h2', { id: 'cal-title' }, t('calendars.title')), list);
}
