//! What the store indexes about each instance of an event, so that a time-range
//! query (RFC 4791 §9.9) is a narrow index range scan instead of a walk of the
//! collection and a parse of every candidate.
//!
//! * Each instance `[start, end)` is cut into pieces no longer than [`PIECE`]; a
//!   piece that overlaps a range must then start after `range_start - PIECE`, so a
//!   query reads only the pieces starting in `(range_start - PIECE, range_end)`.
//! * A zero-length instance (DTSTART only, or DTEND = DTSTART) becomes the piece
//!   `[start, start + 1)`: with whole seconds, `range_start <= start < range_end`
//!   (the §9.9 rule for it) is exactly "the piece overlaps the range".
//! * Only VEVENTs are indexed: their §9.9 test is one interval overlap
//!   ([`Shape::Interval`]); VTODO and VJOURNAL keep the span index and a parse.
//! * An object whose times depend on the floating zone (floating or all-day values,
//!   or a TZID that names no zone) is indexed in UTC with its pieces widened by
//!   [`FLOATING_SLACK`] and marked inexact: the index finds it, a parse decides.
//! * A recurrence that never ends, or has more than [`MAX_PIECES`] pieces, is
//!   indexed only within a window around the time of writing ([`PAST`] before,
//!   [`FUTURE`] after); a query reaching outside it falls back to the span index.

use crate::model::{ComponentKind, Shape};
use crate::resolver::TzResolver;
use crate::series::{is_endless, occurrences};
use crate::zone::{MAX_TS, MIN_TS, TzSpec};
use crate::{CalendarInfo, CalendarObject};

/// Longest piece of an instance, in seconds (a week).
pub const PIECE: i64 = 7 * 86_400;
/// Most pieces stored for one object; beyond it, a window, then no index.
pub const MAX_PIECES: usize = 2_000;
/// Floating times may be read in any zone from UTC-12 to UTC+14.
pub const FLOATING_SLACK: i64 = 14 * 3_600;
/// How far back from the time of writing a windowed object is indexed.
pub const PAST: i64 = 400 * 86_400;
/// How far ahead of the time of writing a windowed object is indexed.
pub const FUTURE: i64 = 2 * 366 * 86_400;

/// The instance pieces of one object, in UTC seconds.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InstanceIndex {
    /// `[start, end)` pieces, sorted by start.
    pub pieces: Vec<(i64, i64)>,
    /// False when the pieces were widened for floating times: a hit must be tested.
    pub exact: bool,
    /// The pieces are complete for every range inside `[from, to)`
    /// (`i64::MIN`, `i64::MAX` when the object is indexed whole).
    pub from: i64,
    /// See [`Self::from`].
    pub to: i64,
}

impl InstanceIndex {
    /// The index of an event too dense to index even in the window: it covers no
    /// range (every query tests it), and tells a re-index that it was tried.
    pub fn nothing() -> Self {
        InstanceIndex { pieces: Vec::new(), exact: false, from: i64::MAX, to: i64::MAX }
    }

    /// Whether the pieces decide a query for `[start, end)`.
    pub fn covers(&self, start: i64, end: i64) -> bool {
        self.from <= start && end <= self.to
    }
}

/// The index of an event object written at `now` ([`InstanceIndex::nothing`] when
/// it is too dense even in the window), or `None` when the object is not an event.
pub fn instance_index(obj: &CalendarObject, info: &CalendarInfo, now: i64) -> Option<InstanceIndex> {
    if obj.kind() != ComponentKind::Event {
        return None;
    }
    let utc = TzSpec::utc();
    let res = TzResolver::new(obj, &utc);
    let slack = if info.has_floating { FLOATING_SLACK } else { 0 };
    let whole = if is_endless(obj) { None } else { pieces(obj, &res, MIN_TS, MAX_TS, slack) };
    let (list, from, to) = match whole {
        Some(list) => (list, i64::MIN, i64::MAX),
        None => {
            let (from, to) = (now.saturating_sub(PAST), now.saturating_add(FUTURE));
            // The window is narrowed by the slack so that a widened piece outside it
            // cannot be missing from a query inside it.
            match pieces(obj, &res, from, to, slack) {
                Some(list) => (list, from + slack, to - slack),
                None => return Some(InstanceIndex::nothing()),
            }
        }
    };
    Some(InstanceIndex { pieces: list, exact: slack == 0, from, to })
}

/// The pieces of every instance meeting `[lo, hi]`, or `None` when there are too many
/// or an instance is not a plain interval (an undated event with METHOD).
fn pieces(obj: &CalendarObject, res: &TzResolver, lo: i64, hi: i64, slack: i64) -> Option<Vec<(i64, i64)>> {
    let list = occurrences(obj, res, lo, hi, MAX_PIECES).ok()?;
    let mut out = Vec::with_capacity(list.len());
    for o in list {
        let (s, e) = (o.inst.start, o.inst.end);
        if o.inst.shape != Shape::Interval || s < MIN_TS || e > MAX_TS || e < s {
            return None;
        }
        // Zero length: the one second at its start (see the module docs).
        let (mut s, e) = (s - slack, e.max(s + 1) + slack);
        while s < e {
            let piece_end = e.min(s + PIECE);
            out.push((s, piece_end));
            s = piece_end;
            if out.len() > MAX_PIECES {
                return None;
            }
        }
    }
    out.sort_unstable();
    out.dedup();
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn index(body: &str, now: i64) -> Option<InstanceIndex> {
        let text = format!("BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//t//t//EN\r\n{body}END:VCALENDAR\r\n");
        let obj = CalendarObject::parse(text.as_bytes()).expect("valid");
        let info = obj.info(&TzSpec::utc());
        instance_index(&obj, &info, now)
    }

    const T0: i64 = 1_767_225_600; // 2026-01-01T00:00:00Z

    #[test]
    fn a_single_event_is_one_exact_piece_indexed_whole() {
        let i =
            index("BEGIN:VEVENT\r\nUID:a\r\nDTSTART:20260101T100000Z\r\nDTEND:20260101T110000Z\r\nEND:VEVENT\r\n", 0)
                .expect("indexed");
        assert_eq!(i.pieces, vec![(T0 + 36_000, T0 + 39_600)]);
        assert!(i.exact);
        assert!(i.covers(i64::MIN, i64::MAX));
    }

    #[test]
    fn a_zero_length_event_is_its_first_second() {
        let i = index("BEGIN:VEVENT\r\nUID:a\r\nDTSTART:20260101T100000Z\r\nEND:VEVENT\r\n", 0).expect("indexed");
        assert_eq!(i.pieces, vec![(T0 + 36_000, T0 + 36_001)]);
    }

    #[test]
    fn a_long_event_is_cut_into_weeks() {
        let i =
            index("BEGIN:VEVENT\r\nUID:a\r\nDTSTART:20260101T000000Z\r\nDTEND:20260120T000000Z\r\nEND:VEVENT\r\n", 0)
                .expect("indexed");
        assert_eq!(i.pieces, vec![(T0, T0 + PIECE), (T0 + PIECE, T0 + 2 * PIECE), (T0 + 2 * PIECE, T0 + 19 * 86_400)]);
    }

    #[test]
    fn recurrences_with_exceptions_are_each_instance() {
        let i = index(
            "BEGIN:VEVENT\r\nUID:a\r\nDTSTART;TZID=Europe/Paris:20260101T100000\r\nDTEND;TZID=Europe/Paris:20260101T110000\r\n\
             RRULE:FREQ=WEEKLY;COUNT=4\r\nEXDATE;TZID=Europe/Paris:20260108T100000\r\nEND:VEVENT\r\n\
             BEGIN:VEVENT\r\nUID:a\r\nRECURRENCE-ID;TZID=Europe/Paris:20260115T100000\r\n\
             DTSTART;TZID=Europe/Paris:20260115T140000\r\nDTEND;TZID=Europe/Paris:20260115T150000\r\nEND:VEVENT\r\n",
            0,
        )
        .expect("indexed");
        let h = 3_600;
        assert_eq!(
            i.pieces,
            vec![
                (T0 + 9 * h, T0 + 10 * h),
                (T0 + 14 * 86_400 + 13 * h, T0 + 14 * 86_400 + 14 * h),
                (T0 + 21 * 86_400 + 9 * h, T0 + 21 * 86_400 + 10 * h)
            ]
        );
        assert!(i.exact);
    }

    #[test]
    fn floating_and_all_day_events_are_widened_and_inexact() {
        let i = index("BEGIN:VEVENT\r\nUID:a\r\nDTSTART;VALUE=DATE:20260101\r\nEND:VEVENT\r\n", 0).expect("indexed");
        assert!(!i.exact);
        assert_eq!(i.pieces, vec![(T0 - FLOATING_SLACK, T0 + 86_400 + FLOATING_SLACK)]);
    }

    #[test]
    fn an_endless_rule_is_indexed_in_a_window_around_now() {
        let i = index("BEGIN:VEVENT\r\nUID:a\r\nDTSTART:20200101T100000Z\r\nRRULE:FREQ=WEEKLY\r\nEND:VEVENT\r\n", T0)
            .expect("indexed");
        assert_eq!((i.from, i.to), (T0 - PAST, T0 + FUTURE));
        assert!(i.covers(T0, T0 + PIECE));
        assert!(!i.covers(T0, T0 + 3 * 366 * 86_400));
        assert!(i.pieces.iter().all(|&(s, _)| (T0 - PAST - PIECE..=T0 + FUTURE).contains(&s)));
        assert!(i.pieces.len() > 150);
    }

    #[test]
    fn a_dense_endless_rule_covers_no_range() {
        let body = "BEGIN:VEVENT\r\nUID:a\r\nDTSTART:20200101T100000Z\r\nRRULE:FREQ=HOURLY\r\nEND:VEVENT\r\n";
        let i = index(body, T0).expect("an event");
        assert_eq!(i, InstanceIndex::nothing());
        assert!(!i.covers(T0, T0 + 1) && !i.covers(i64::MIN, i64::MAX));
    }

    #[test]
    fn tasks_are_not_indexed_by_instances() {
        assert_eq!(index("BEGIN:VTODO\r\nUID:a\r\nDUE:20260101T100000Z\r\nEND:VTODO\r\n", 0), None);
    }
}
