//! Where reminders appear in the page (a stack of notices, each with its own Dismiss
//! button, announced by screen readers), the planner's hook for app.ts, and the
//! "Enable notifications" control of the settings dialog (the permission is asked only
//! from that button: browsers refuse it without a user gesture).
import { AHEAD_MS, dueAlarms, planAlarms, systemNotify, type DueAlarm } from '../alarms';
import { fetchRange, type Occurrence } from '../events';
import { currentLocale, t } from '../i18n';
import { state } from '../state';
import { h } from './dom';

let region: HTMLElement | null = null;

export function alarmRegion(): HTMLElement {
  region = h('section', { class: 'alarm-notes', 'aria-label': t('reminders.region') });
  return region;
}

function show(a: DueAlarm): void {
  const title = a.occ.title || t('event.untitled');
  const time = a.occ.allDay
    ? t('event.allDay')
    : new Intl.DateTimeFormat(currentLocale(), { hour: 'numeric', minute: '2-digit', hour12: state.prefs.hour12 }).format(new Date(a.start));
  const when = a.start > Date.now() ? t('reminders.startsAt', { time }) : t('reminders.started', { time });
  systemNotify(title, when, a.key);
  if (!region) return;
  const note = h('div', { class: 'alarm-note', role: 'alert' }, h('strong', {}, title), h('span', {}, when));
  note.append(h('button', { type: 'button', class: 'btn', onclick: () => note.remove() }, t('common.dismiss')));
  region.append(note);
}

let pending: number | undefined;

/** Reads the next day of the visible calendars (cached per calendar tag) and plans its
 * alarms again; called whenever the grid reads its events, and every 15 minutes. */
export function replanAlarms(calendars: string[], tz: string): void {
  window.clearTimeout(pending);
  pending = window.setTimeout(async () => {
    const hour = 3600000;
    const from = new Date(Math.floor(Date.now() / hour) * hour - hour);
    const to = new Date(from.getTime() + AHEAD_MS + 2 * hour);
    const results = await Promise.allSettled(calendars.map((c) => fetchRange(c, state.tags.get(c), from, to, tz)));
    const occs: Occurrence[] = results.flatMap((r) => (r.status === 'fulfilled' ? r.value : []));
    planAlarms(dueAlarms(occs, tz, Date.now()), show);
  }, 500);
}

/** The settings dialog's control: a button that asks for permission, or the state. */
export function notificationSetting(): HTMLElement {
  const status = h('p', { class: 'muted', 'aria-live': 'polite' });
  const box = h('div', { class: 'field notify-setting' }, h('span', { class: 'label' }, t('settings.notifications')), status);
  const render = () => {
    box.querySelector('button')?.remove();
    if (typeof Notification === 'undefined') {
      status.textContent = t('settings.notifyUnsupported');
    } else if (Notification.permission === 'granted') {
      status.textContent = t('settings.notifyOn');
    } else if (Notification.permission === 'denied') {
      status.textContent = t('settings.notifyDenied');
    } else {
      status.textContent = t('settings.notifyOff');
      const button = h('button', { type: 'button', class: 'btn' }, t('settings.notifyEnable'));
      button.addEventListener('click', async () => {
        await Notification.requestPermission().catch(() => 'default');
        render();
      });
      box.append(button);
    }
  };
  render();
  return box;
}

let every: number | undefined;

/** Plans now and every 15 minutes (the next-day window moves on); one interval per page. */
export function startAlarms(calendars: () => string[], tz: string): void {
  window.clearInterval(every);
  every = window.setInterval(() => replanAlarms(calendars(), tz), 15 * 60000);
  replanAlarms(calendars(), tz);
}
