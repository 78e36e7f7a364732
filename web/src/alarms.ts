//! Reminders while the page is open: the display alarms (RFC 5545 §3.6.6, ACTION:DISPLAY)
//! of the events in the next day of the visible calendars get a timer; when it fires the
//! page shows a notice in the page and, if the user allowed it, a system notification
//! (the Notification API; permission is asked only from a button, ui/alarm-notes.ts).
//! Planned again whenever the events are read again. An alarm instance fires once: its
//! key is remembered in localStorage, so another tab or a reload does not repeat it. An
//! alarm acknowledged (RFC 9074 ACKNOWLEDGED) at or after its trigger is not shown.
import type { AlarmInfo, Occurrence } from './events';
import { instantOf, type Wall } from './tz';

/** How far ahead alarms are planned, and how late a missed one may still be shown. */
export const AHEAD_MS = 24 * 3600000;
const LATE_MS = 15 * 60000;
const STORE_KEY = 'agora.firedAlarms';

export interface DueAlarm {
  key: string;
  at: number;
  occ: Occurrence;
  /** The event's start (epoch ms). */
  start: number;
}

const parseView = (s: string): Wall => {
  const m = s.match(/^(\d{4})-(\d{2})-(\d{2})(?:T(\d{2}):(\d{2})(?::(\d{2}))?)?/)!;
  return { year: +m[1], month: +m[2], day: +m[3], hour: +(m[4] ?? 0), minute: +(m[5] ?? 0), second: +(m[6] ?? 0) };
};

function triggerAt(a: AlarmInfo, start: number, end: number): number | null {
  if (a.at !== undefined) return a.at;
  if (a.offset === undefined) return null;
  return (a.related === 'END' ? end : start) + a.offset * 1000;
}

/** The alarm instances of `occs` due in [now - LATE_MS, now + AHEAD_MS), earliest first. */
export function dueAlarms(occs: Occurrence[], tz: string, now: number): DueAlarm[] {
  const out: DueAlarm[] = [];
  for (const occ of occs) {
    if (!occ.alarms.length) continue;
    const start = instantOf(parseView(occ.start), tz);
    const end = instantOf(parseView(occ.end), tz);
    occ.alarms.forEach((a, i) => {
      const at = triggerAt(a, start, end);
      if (at === null || at < now - LATE_MS || at >= now + AHEAD_MS || end <= now) return;
      if (a.acknowledged !== undefined && a.acknowledged >= at) return;
      out.push({ key: `${occ.uid}|${occ.recurrenceId ?? ''}|${i}|${at}`, at, occ, start });
    });
  }
  return out.sort((x, y) => x.at - y.at);
}

function fired(): Record<string, number> {
  try {
    const v = JSON.parse(localStorage.getItem(STORE_KEY) ?? '{}') as Record<string, number>;
    return v && typeof v === 'object' ? v : {};
  } catch {
    return {};
  }
}

/** Marks `key` fired; false when it already was (another tab, an earlier plan). */
function claim(key: string, now: number): boolean {
  const all = fired();
  if (all[key]) return false;
  for (const [k, t] of Object.entries(all)) if (t < now - 3 * AHEAD_MS) delete all[k];
  all[key] = now;
  try {
    localStorage.setItem(STORE_KEY, JSON.stringify(all));
  } catch {
    /* storage full or off: the timer still fires once in this page */
  }
  return true;
}

const timers = new Map<string, number>();

/** Replaces the planned timers with those of `alarms`; `show` runs once per alarm instance. */
export function planAlarms(alarms: DueAlarm[], show: (a: DueAlarm) => void): void {
  for (const id of timers.values()) window.clearTimeout(id);
  timers.clear();
  for (const a of alarms) {
    if (fired()[a.key]) continue;
    const fire = () => {
      timers.delete(a.key);
      if (claim(a.key, Date.now())) show(a);
    };
    timers.set(a.key, window.setTimeout(fire, Math.max(0, a.at - Date.now())));
  }
}

/** A system notification when the user allowed them (the page notice is always shown). */
export function systemNotify(title: string, body: string, tag: string): void {
  if (typeof Notification === 'undefined' || Notification.permission !== 'granted') return;
  try {
    new Notification(title, { body, tag });
  } catch {
    /* some browsers only allow notifications from a service worker: the page notice stays */
  }
}
