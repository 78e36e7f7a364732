//! Repeating rules the editor can show and write, as a small model <-> RRULE text
//! (RFC 5545 §3.3.10, §3.8.5.3). The model covers what people ask for: daily, weekly on
//! chosen weekdays, monthly on the start's day or its position ("second Tuesday", "last
//! Friday"), yearly on the start's date, an interval, and an end (never, until a date,
//! after N times). Anything else (BYSETPOS, BYHOUR, several RRULEs, RDATE, EXRULE, a rule
//! out of step with DTSTART) is "custom": shown as such and written back unchanged.
//! Pure (no DOM): node tests run it directly.
import { instantOf, pad, wallOf, type Wall } from './tz';

export type Freq = 'DAILY' | 'WEEKLY' | 'MONTHLY' | 'YEARLY';
export const WEEKDAYS = ['MO', 'TU', 'WE', 'TH', 'FR', 'SA', 'SU'] as const;
export type Weekday = (typeof WEEKDAYS)[number];

export type RepeatEnd = { kind: 'never' } | { kind: 'until'; date: string } | { kind: 'count'; count: number };

export interface Repeat {
  freq: Freq;
  interval: number;
  /** WEEKLY: the days it happens on (the start's weekday among them). */
  days: Weekday[];
  /** MONTHLY: on the start's day number, its position in the month, or "last". */
  monthly: 'date' | 'pos' | 'last';
  end: RepeatEnd;
  /** WKST kept as read (it changes weekly rules with an interval, §3.3.10). */
  wkst?: Weekday;
}

export type RepeatState = { kind: 'none' } | { kind: 'rule'; rule: Repeat } | { kind: 'custom' };

/** How DTSTART is written: it decides the form of UNTIL (§3.3.10: a DATE for an all-day
 * start, UTC when the start has a TZID or is UTC, floating when the start floats). */
export type StartForm = { kind: 'date' } | { kind: 'utc' } | { kind: 'floating' } | { kind: 'zoned'; tzid: string };

const DAY_INDEX: Record<Weekday, number> = { SU: 0, MO: 1, TU: 2, WE: 3, TH: 4, FR: 5, SA: 6 };

export function weekdayOf(w: Wall): Weekday {
  const d = new Date(Date.UTC(w.year, w.month - 1, w.day)).getUTCDay();
  return WEEKDAYS[(d + 6) % 7];
}

const daysInMonth = (w: Wall) => new Date(Date.UTC(w.year, w.month, 0)).getUTCDate();
/** 1..5: which of its weekday in the month the start is. */
export const nthOf = (w: Wall) => Math.ceil(w.day / 7);
export const isLastOf = (w: Wall) => w.day + 7 > daysInMonth(w);

export function defaultRepeat(freq: Freq, start: Wall): Repeat {
  return { freq, interval: 1, days: [weekdayOf(start)], monthly: 'date', end: { kind: 'never' } };
}

function parts(rule: string): Map<string, string> | null {
  const m = new Map<string, string>();
  for (const p of rule.trim().replace(/^RRULE:/i, '').split(';')) {
    if (!p) continue;
    const i = p.indexOf('=');
    if (i < 1) return null;
    const k = p.slice(0, i).toUpperCase();
    if (m.has(k)) return null;
    m.set(k, p.slice(i + 1).toUpperCase());
  }
  return m;
}

/** The date (YYYY-MM-DD, in the start's zone) of an UNTIL value. */
export function untilDate(value: string, form: StartForm, userTz: string): string | null {
  const m = value.match(/^(\d{4})(\d{2})(\d{2})(?:T(\d{2})(\d{2})(\d{2})(Z)?)?$/);
  if (!m) return null;
  if (m[7]) {
    const ms = Date.UTC(+m[1], +m[2] - 1, +m[3], +m[4], +m[5], +m[6]);
    const w = wallOf(ms, form.kind === 'zoned' ? form.tzid : form.kind === 'utc' ? 'UTC' : userTz);
    return `${w.year}-${pad(w.month)}-${pad(w.day)}`;
  }
  return `${m[1]}-${m[2]}-${m[3]}`;
}

/** The UNTIL value for "until this date (included)": the date itself for an all-day
 * series, else the end of that day in the start's zone, in UTC for a zoned or UTC start
 * (§3.3.10 requires UTC then), floating for a floating start. */
export function untilValue(date: string, form: StartForm): string {
  const [y, mo, d] = date.split('-').map(Number);
  if (form.kind === 'date') return `${y}${pad(mo)}${pad(d)}`;
  const end: Wall = { year: y, month: mo, day: d, hour: 23, minute: 59, second: 59 };
  if (form.kind === 'floating') return `${y}${pad(mo)}${pad(d)}T235959`;
  return utcText(instantOf(end, form.kind === 'zoned' ? form.tzid : 'UTC'));
}

export function utcText(ms: number): string {
  const d = new Date(ms);
  return `${d.getUTCFullYear()}${pad(d.getUTCMonth() + 1)}${pad(d.getUTCDate())}T${pad(d.getUTCHours())}${pad(d.getUTCMinutes())}${pad(d.getUTCSeconds())}Z`;
}

/** Reads the stored recurrence of a master: its RRULE texts, whether it has RDATE or
 * EXRULE, its start as a wall-clock in its own zone and the start's form. */
export function readRepeat(rrules: string[], extra: boolean, start: Wall, form: StartForm, userTz: string): RepeatState {
  if (rrules.length === 0 && !extra) return { kind: 'none' };
  if (rrules.length !== 1 || extra) return { kind: 'custom' };
  const p = parts(rrules[0]);
  if (!p) return { kind: 'custom' };
  const freq = p.get('FREQ') as Freq | undefined;
  if (!freq || !['DAILY', 'WEEKLY', 'MONTHLY', 'YEARLY'].includes(freq)) return { kind: 'custom' };
  const interval = p.has('INTERVAL') ? Number(p.get('INTERVAL')) : 1;
  if (!Number.isInteger(interval) || interval < 1) return { kind: 'custom' };
  const rule: Repeat = { ...defaultRepeat(freq, start), interval };
  const wkst = p.get('WKST');
  if (wkst) {
    if (!(WEEKDAYS as readonly string[]).includes(wkst)) return { kind: 'custom' };
    rule.wkst = wkst as Weekday;
  }
  if (p.has('COUNT') && p.has('UNTIL')) return { kind: 'custom' };
  if (p.has('COUNT')) {
    const count = Number(p.get('COUNT'));
    if (!Number.isInteger(count) || count < 1) return { kind: 'custom' };
    rule.end = { kind: 'count', count };
  } else if (p.has('UNTIL')) {
    const date = untilDate(p.get('UNTIL') ?? '', form, userTz);
    if (!date) return { kind: 'custom' };
    rule.end = { kind: 'until', date };
  }
  const known = new Set(['FREQ', 'INTERVAL', 'COUNT', 'UNTIL', 'WKST']);
  const by = [...p.keys()].filter((k) => !known.has(k));
  const only = (...allowed: string[]) => by.every((k) => allowed.includes(k));
  const startDay = weekdayOf(start);
  switch (freq) {
    case 'DAILY':
      if (by.length) return { kind: 'custom' };
      break;
    case 'WEEKLY': {
      if (!only('BYDAY')) return { kind: 'custom' };
      if (p.has('BYDAY')) {
        const days = (p.get('BYDAY') ?? '').split(',');
        if (!days.every((d) => (WEEKDAYS as readonly string[]).includes(d))) return { kind: 'custom' };
        // A start on a day the rule does not name is out of step (§3.8.5.3: undefined).
        if (!days.includes(startDay)) return { kind: 'custom' };
        rule.days = WEEKDAYS.filter((d) => days.includes(d));
      }
      break;
    }
    case 'MONTHLY': {
      if (!only('BYDAY', 'BYMONTHDAY') || by.length > 1) return { kind: 'custom' };
      if (p.has('BYMONTHDAY')) {
        if (Number(p.get('BYMONTHDAY')) !== start.day) return { kind: 'custom' };
      } else if (p.has('BYDAY')) {
        const m = (p.get('BYDAY') ?? '').match(/^([+-]?\d)(MO|TU|WE|TH|FR|SA|SU)$/);
        if (!m || m[2] !== startDay) return { kind: 'custom' };
        const n = Number(m[1]);
        if (n === -1 && isLastOf(start)) rule.monthly = 'last';
        else if (n >= 1 && n <= 4 && n === nthOf(start)) rule.monthly = 'pos';
        else return { kind: 'custom' };
      }
      break;
    }
    case 'YEARLY': {
      if (!only('BYMONTH', 'BYMONTHDAY')) return { kind: 'custom' };
      if (p.has('BYMONTH') && Number(p.get('BYMONTH')) !== start.month) return { kind: 'custom' };
      if (p.has('BYMONTHDAY') && Number(p.get('BYMONTHDAY')) !== start.day) return { kind: 'custom' };
      break;
    }
  }
  return { kind: 'rule', rule };
}

/** The RRULE value (without "RRULE:") for a model and a start. */
export function writeRepeat(r: Repeat, start: Wall, form: StartForm): string {
  const out = [`FREQ=${r.freq}`];
  if (r.interval > 1) out.push(`INTERVAL=${r.interval}`);
  if (r.end.kind === 'count') out.push(`COUNT=${r.end.count}`);
  if (r.end.kind === 'until') out.push(`UNTIL=${untilValue(r.end.date, form)}`);
  if (r.freq === 'WEEKLY') {
    const days = WEEKDAYS.filter((d) => r.days.includes(d) || d === weekdayOf(start));
    out.push(`BYDAY=${days.join(',')}`);
  } else if (r.freq === 'MONTHLY') {
    if (r.monthly === 'date') out.push(`BYMONTHDAY=${start.day}`);
    else out.push(`BYDAY=${r.monthly === 'last' ? -1 : nthOf(start)}${weekdayOf(start)}`);
  }
  if (r.wkst) out.push(`WKST=${r.wkst}`);
  return out.join(';');
}

/** Moves a rule with its series when the whole series moves by `days` days: weekly
 * weekdays turn along (Monday+Thursday moved a day later is Tuesday+Friday). Monthly and
 * yearly rules are written from the start, so they follow by themselves. */
export function shiftRepeat(r: Repeat, days: number): Repeat {
  const turn = (d: Weekday) => WEEKDAYS[(((WEEKDAYS.indexOf(d) + days) % 7) + 7) % 7];
  return { ...r, days: r.freq === 'WEEKLY' ? r.days.map(turn) : r.days };
}

type T = (key: string, options?: Record<string, unknown>) => string;

/** "Every 2 weeks on Monday and Thursday, 10 times", in the page's language. */
export function describeRepeat(state: RepeatState, start: Wall, t: T, locale: string): string {
  if (state.kind === 'none') return t('repeat.none');
  if (state.kind === 'custom') return t('repeat.custom');
  const r = state.rule;
  const dayName = (d: Weekday) =>
    new Intl.DateTimeFormat(locale, { weekday: 'long', timeZone: 'UTC' }).format(new Date(Date.UTC(2024, 0, 7 + DAY_INDEX[d])));
  const list = (xs: string[]) => new Intl.ListFormat(locale, { type: 'conjunction' }).format(xs);
  let text = t(`repeat.every.${r.freq}`, { count: r.interval });
  if (r.freq === 'WEEKLY') {
    const days = WEEKDAYS.filter((d) => r.days.includes(d) || d === weekdayOf(start));
    text += ' ' + t('repeat.onDays', { days: list(days.map((d) => t('repeat.dayItem', { day: dayName(d) }))) });
  } else if (r.freq === 'MONTHLY') {
    text += ' ' + monthlyText(r.monthly, start, t, locale);
  } else if (r.freq === 'YEARLY') {
    const date = new Intl.DateTimeFormat(locale, { day: 'numeric', month: 'long', timeZone: 'UTC' }).format(new Date(Date.UTC(2024, start.month - 1, start.day)));
    text += ' ' + t('repeat.onDate', { date });
  }
  if (r.end.kind === 'count') text += t('repeat.times', { count: r.end.count });
  if (r.end.kind === 'until') {
    const [y, m, d] = r.end.date.split('-').map(Number);
    const date = new Intl.DateTimeFormat(locale, { dateStyle: 'medium', timeZone: 'UTC' }).format(new Date(Date.UTC(y, m - 1, d)));
    text += t('repeat.until', { date });
  }
  return text;
}

/** "on day 14", "on the second Tuesday", "on the last Friday". */
export function monthlyText(kind: Repeat['monthly'], start: Wall, t: T, locale: string): string {
  if (kind === 'date') return t('repeat.onDay', { day: start.day });
  const day = new Intl.DateTimeFormat(locale, { weekday: 'long', timeZone: 'UTC' }).format(new Date(Date.UTC(start.year, start.month - 1, start.day)));
  return t('repeat.onPos', { nth: t(`repeat.nth.${kind === 'last' ? 'last' : nthOf(start)}`), day });
}
