//! Instants in words for the meeting dialogs (assistant, room finder, invitations):
//! Intl in the page's locale, the user's zone and their 12/24 h choice.
import { currentLocale, localeHour12 } from '../i18n';
import { state } from '../state';
import { timeZone as userZone } from './app';

export { userZone };

function hour12(): boolean {
  return state.prefs.hour12 ?? localeHour12(currentLocale());
}

export function fmtDay(ms: number, tz = userZone()): string {
  return new Intl.DateTimeFormat(currentLocale(), { timeZone: tz, weekday: 'long', day: 'numeric', month: 'long', year: 'numeric' }).format(ms);
}

export function fmtTime(ms: number, tz = userZone()): string {
  return new Intl.DateTimeFormat(currentLocale(), { timeZone: tz, hour: 'numeric', minute: '2-digit', hour12: hour12() }).format(ms);
}

/** "Tuesday 8 December 2026, 10:45 – 11:45" (the end's date too when it differs). */
export function fmtRange(start: number, end: number, allDay = false, tz = userZone()): string {
  if (allDay) {
    const last = end - 86400000;
    return last > start ? `${fmtDay(start, tz)} – ${fmtDay(last, tz)}` : fmtDay(start, tz);
  }
  const sameDay = fmtDay(start, tz) === fmtDay(end - 1, tz);
  return sameDay ? `${fmtDay(start, tz)}, ${fmtTime(start, tz)} – ${fmtTime(end, tz)}` : `${fmtDay(start, tz)}, ${fmtTime(start, tz)} – ${fmtDay(end, tz)}, ${fmtTime(end, tz)}`;
}
