//! What the page knows at a given moment: the session, the preferences, the calendars.
import type { Preferences, Session } from './api';
import type { CalendarInfo } from './calendars';

export const state = {
  session: null as Session | null,
  prefs: {} as Preferences,
  homes: [] as string[],
  calendars: [] as CalendarInfo[],
  /** The calendars' ctag/sync-token at the last fetch, for the live refresh. */
  tags: new Map<string, string>(),
};

export function calendarByHref(href: string): CalendarInfo | undefined {
  return state.calendars.find((c) => c.href === href);
}

export function isHidden(href: string): boolean {
  return (state.prefs.hiddenCalendars ?? []).includes(href);
}

export function colorOf(cal: CalendarInfo): string {
  return state.prefs.calendarColors?.[cal.href] ?? cal.color;
}
