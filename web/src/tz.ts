//! Time zones through Intl only (the browser's tz database): an instant's wall-clock in an
//! IANA zone, a wall-clock's instant, and a VTIMEZONE for a zone so that every TZID the
//! page writes is backed by one (RFC 5545 §3.6.5; docs/web.md §2).

export interface Wall {
  year: number;
  month: number; // 1-12
  day: number;
  hour: number;
  minute: number;
  second: number;
}

const formatters = new Map<string, Intl.DateTimeFormat>();
function formatter(tz: string): Intl.DateTimeFormat {
  let f = formatters.get(tz);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone: tz,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    });
    formatters.set(tz, f);
  }
  return f;
}

export function browserTimeZone(): string {
  return Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC';
}

export function isValidTimeZone(tz: string): boolean {
  try {
    formatter(tz);
    return true;
  } catch {
    return false;
  }
}

function wallOfIntl(ms: number, tz: string): Wall {
  const parts: Record<string, number> = {};
  for (const p of formatter(tz).formatToParts(new Date(ms))) if (p.type !== 'literal') parts[p.type] = Number(p.value);
  return { year: parts.year, month: parts.month, day: parts.day, hour: parts.hour % 24, minute: parts.minute, second: parts.second };
}

// formatToParts costs tens of microseconds a call, and a month of a busy calendar needs
// thousands (BENCHMARKS.md "Web interface"): the zone's offset is remembered per quarter
// hour. It is used only when it is the same at both ends of the quarter, so a change of
// offset inside one (none is known, but old local mean times have odd seconds) falls
// back to Intl.
const QUARTER = 900000;
const offsets = new Map<string, number | null>();

/** The wall-clock of an instant (ms since epoch) in zone `tz`. */
export function wallOf(ms: number, tz: string): Wall {
  const q = Math.floor(ms / QUARTER);
  const k = `${tz} ${q}`;
  let off = offsets.get(k);
  if (off === undefined) {
    const offsetOf = (t: number) => Date.UTC(...wallArgs(wallOfIntl(t, tz))) - Math.floor(t / 1000) * 1000;
    const a = offsetOf(q * QUARTER);
    off = a === offsetOf(q * QUARTER + QUARTER - 1000) ? a : null;
    if (offsets.size > 20000) offsets.clear();
    offsets.set(k, off);
  }
  if (off === null) return wallOfIntl(ms, tz);
  const d = new Date(Math.floor(ms / 1000) * 1000 + off);
  return { year: d.getUTCFullYear(), month: d.getUTCMonth() + 1, day: d.getUTCDate(), hour: d.getUTCHours(), minute: d.getUTCMinutes(), second: d.getUTCSeconds() };
}

const wallArgs = (w: Wall): [number, number, number, number, number, number] => [w.year, w.month - 1, w.day, w.hour, w.minute, w.second];

const wallMs = (w: Wall) => Date.UTC(w.year, w.month - 1, w.day, w.hour, w.minute, w.second);

/** UTC offset of zone `tz` at instant `ms`, in minutes east of Greenwich. */
export function offsetAt(ms: number, tz: string): number {
  const s = Math.floor(ms / 1000) * 1000;
  return Math.round((wallMs(wallOf(s, tz)) - s) / 60000);
}

/** The instant of a wall-clock in zone `tz`. In a DST gap, the time after the gap; in an
 * overlap, the first (earlier) instant, as RFC 5545 §3.3.5 asks. */
export function instantOf(w: Wall, tz: string): number {
  const guess = wallMs(w);
  const o1 = offsetAt(guess - 0, tz);
  let ms = guess - o1 * 60000;
  const o2 = offsetAt(ms, tz);
  if (o2 !== o1) ms = guess - o2 * 60000;
  // Overlap: prefer the earlier instant when it shows the same wall-clock.
  const earlier = ms - 3600000;
  if (wallMs(wallOf(earlier, tz)) === guess) return earlier;
  return ms;
}

export const pad = (n: number, w = 2) => String(n).padStart(w, '0');

/** "2026-06-01T10:00:00", the floating form the calendar view takes. */
export function isoWall(w: Wall): string {
  return `${w.year}-${pad(w.month)}-${pad(w.day)}T${pad(w.hour)}:${pad(w.minute)}:${pad(w.second)}`;
}

/** A Date whose local fields are the wall-clock (what the calendar view hands back). */
export function wallFromLocalDate(d: Date): Wall {
  return { year: d.getFullYear(), month: d.getMonth() + 1, day: d.getDate(), hour: d.getHours(), minute: d.getMinutes(), second: d.getSeconds() };
}

export function localDateFromWall(w: Wall): Date {
  return new Date(w.year, w.month - 1, w.day, w.hour, w.minute, w.second);
}

/** "+02:00" for the calendar view's timeZone option (its "now" and today). */
export function offsetString(tz: string, ms = Date.now()): string {
  const o = offsetAt(ms, tz);
  const a = Math.abs(o);
  return `${o < 0 ? '-' : '+'}${pad(Math.floor(a / 60))}:${pad(a % 60)}`;
}

interface Transition {
  ms: number;
  from: number;
  to: number;
}

function transitionsIn(year: number, tz: string): Transition[] {
  const out: Transition[] = [];
  let prevMs = Date.UTC(year, 0, 1);
  let prev = offsetAt(prevMs, tz);
  for (let day = 1; day <= 366; day++) {
    const ms = Date.UTC(year, 0, 1) + day * 86400000;
    const o = offsetAt(ms, tz);
    if (o !== prev) {
      let lo = prevMs;
      let hi = ms;
      while (hi - lo > 60000) {
        const mid = lo + Math.floor((hi - lo) / 120000) * 60000;
        if (offsetAt(mid, tz) === prev) lo = mid;
        else hi = mid;
      }
      out.push({ ms: hi, from: prev, to: o });
      prev = o;
    }
    prevMs = ms;
  }
  return out;
}

function fmtOffset(min: number): string {
  const a = Math.abs(min);
  return `${min < 0 ? '-' : '+'}${pad(Math.floor(a / 60))}${pad(a % 60)}`;
}

const DAYS = ['SU', 'MO', 'TU', 'WE', 'TH', 'FR', 'SA'];

/** A VTIMEZONE (as iCalendar lines) for `tz` around `year`: the year's transitions as
 * yearly rules ("last Sunday of March"), or one fixed STANDARD when the zone has none. */
export function vtimezoneLines(tz: string, year: number): string[] {
  const lines = ['BEGIN:VTIMEZONE', `TZID:${tz}`];
  const trs = transitionsIn(year, tz);
  if (trs.length === 0) {
    const o = offsetAt(Date.UTC(year, 0, 1), tz);
    lines.push('BEGIN:STANDARD', 'DTSTART:19700101T000000', `TZOFFSETFROM:${fmtOffset(o)}`, `TZOFFSETTO:${fmtOffset(o)}`, 'END:STANDARD');
  }
  for (const tr of trs) {
    // The wall-clock at the transition, in the offset in force before it (RFC 5545 §3.6.5).
    const atMs = tr.ms + tr.from * 60000;
    const at = new Date(atMs);
    const dim = new Date(Date.UTC(at.getUTCFullYear(), at.getUTCMonth() + 1, 0)).getUTCDate();
    const d = at.getUTCDate();
    const nth = d > dim - 7 ? -1 : Math.ceil(d / 7);
    const kind = tr.to > tr.from ? 'DAYLIGHT' : 'STANDARD';
    const dt = `${year}${pad(at.getUTCMonth() + 1)}${pad(at.getUTCDate())}T${pad(at.getUTCHours())}${pad(at.getUTCMinutes())}00`;
    lines.push(
      `BEGIN:${kind}`,
      `DTSTART:${dt}`,
      `RRULE:FREQ=YEARLY;BYMONTH=${at.getUTCMonth() + 1};BYDAY=${nth}${DAYS[at.getUTCDay()]}`,
      `TZOFFSETFROM:${fmtOffset(tr.from)}`,
      `TZOFFSETTO:${fmtOffset(tr.to)}`,
      `END:${kind}`,
    );
  }
  lines.push('END:VTIMEZONE');
  return lines;
}
