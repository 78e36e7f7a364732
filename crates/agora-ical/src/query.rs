//! Public queries: expansion in a window, RFC 4791 §9.9 time-range tests,
//! VALARM tests and the overall span for the index.
//!
//! Ranges are searched in windows that double in size (a day, two, four, …)
//! from the later of the range start and the object's first date, up to the
//! range end or 9999-12-31, so an open-ended query costs O(log range) window
//! expansions and stops at the first match; a window holding too many
//! instances (dense SECONDLY/MINUTELY rules) is split instead.

use crate::CalendarObject;
use crate::component::Trigger;
use crate::model::{IcalError, Instance, Span};
use crate::ranges::{trigger_reach, triggers};
use crate::resolver::TzResolver;
use crate::series::{Occurrence, is_endless, occurrences};
use crate::zone::{MAX_TS, MIN_TS, TzSpec};

/// At most this many instances are enumerated to find the end of a finite recurrence
/// for [`object_span`]; beyond it the span is reported as open-ended (still correct for an index).
pub const SPAN_BUDGET: usize = 50_000;

/// Instances overlapping `[window_start, window_end)` per RFC 4791 §9.9, sorted by start.
///
/// Floating and all-day values, and TZIDs that resolve to nothing, are read in `floating`
/// (see [`TzResolver`]). Fails with [`IcalError::TooManyInstances`] beyond `max_instances`.
pub fn expand(
    obj: &CalendarObject,
    window_start: i64,
    window_end: i64,
    floating: &TzSpec,
    max_instances: usize,
) -> Result<Vec<Instance>, IcalError> {
    Ok(expand_occurrences(obj, window_start, window_end, floating, max_instances)?
        .into_iter()
        .map(|o| o.inst)
        .collect())
}

pub(crate) fn expand_occurrences(
    obj: &CalendarObject,
    window_start: i64,
    window_end: i64,
    floating: &TzSpec,
    max_instances: usize,
) -> Result<Vec<Occurrence>, IcalError> {
    let res = TzResolver::new(obj, floating);
    let too_many = |_| IcalError::TooManyInstances(max_instances);
    let mut occ =
        occurrences(obj, &res, window_start, window_end, max_instances.saturating_add(64)).map_err(too_many)?;
    occ.retain(|o| o.inst.overlaps(Some(window_start), Some(window_end)));
    if occ.len() > max_instances {
        return Err(IcalError::TooManyInstances(max_instances));
    }
    Ok(occ)
}

/// Instances one window of an open-ended search may hold before it is split.
const CHUNK_CAP: usize = 100_000;

/// Earliest date of any component (a lower bound of every instance start), `i64::MIN` if undated.
fn first_date(obj: &CalendarObject, res: &TzResolver) -> i64 {
    let undated = obj.comps().any(|c| {
        crate::ranges::special(obj.kind, c, res)
            .is_some_and(|l| l.iter().any(|(s, e, _)| *s == i64::MIN || *e == i64::MIN))
    });
    if undated {
        return i64::MIN;
    }
    obj.comps().flat_map(|c| c.dates()).map(|d| res.instant(d)).min().unwrap_or(i64::MIN).saturating_sub(2 * 86_400)
}

/// Searches `[a, b]` in doubling windows for an occurrence satisfying `pred`.
fn any_occurrence(
    obj: &CalendarObject,
    res: &TzResolver,
    a: i64,
    b: i64,
    widen: i64,
    mut pred: impl FnMut(&Occurrence) -> bool,
) -> bool {
    let mut cur = a.max(MIN_TS).max(first_date(obj, res).saturating_sub(widen));
    let hi = b.min(MAX_TS);
    let mut size: i64 = 86_400;
    while cur <= hi {
        let end = cur.saturating_add(size).min(hi);
        match occurrences(obj, res, cur.saturating_sub(widen), end.saturating_add(widen), CHUNK_CAP) {
            Ok(list) if list.iter().any(&mut pred) => return true,
            Ok(_) => {}
            // Dense rule (SECONDLY, MINUTELY): retry a smaller window.
            Err(_) if size > 60 => {
                size /= 4;
                continue;
            }
            Err(_) => {}
        }
        if end >= hi {
            break;
        }
        cur = end;
        size = size.saturating_mul(2);
    }
    false
}

/// RFC 4791 §9.9: does any instance of the object's components overlap the range?
/// `None` bounds are infinite. Implements the VEVENT, VTODO, VJOURNAL and VFREEBUSY tables.
pub fn overlaps(obj: &CalendarObject, range_start: Option<i64>, range_end: Option<i64>, floating: &TzSpec) -> bool {
    let res = TzResolver::new(obj, floating);
    let (a, b) = (range_start.unwrap_or(i64::MIN), range_end.unwrap_or(i64::MAX));
    // Instances sitting at the extremes (undated VTODO) are outside [MIN_TS, MAX_TS] only by their ends.
    any_occurrence(obj, &res, a, b, 0, |o| o.inst.overlaps(range_start, range_end))
}

/// RFC 4791 §9.9 VALARM: does any trigger (with repetitions) of any instance fall in the
/// range (`start <= trigger AND end > trigger`)? Overrides use their own alarms.
pub fn alarms_overlap(
    obj: &CalendarObject,
    range_start: Option<i64>,
    range_end: Option<i64>,
    floating: &TzSpec,
) -> bool {
    let res = TzResolver::new(obj, floating);
    let (a, b) = (range_start.unwrap_or(i64::MIN), range_end.unwrap_or(i64::MAX));
    let hit = |t: i64| a <= t && b > t;
    // Absolute triggers do not move with instances: test them once.
    let absolute = obj.comps().flat_map(|c| &c.alarms).any(|al| match &al.trigger {
        Trigger::At(v) => (0..=al.repeat).any(|k| hit(res.instant(v) + k * al.every)),
        _ => false,
    });
    if absolute {
        return true;
    }
    let reach = obj.comps().map(trigger_reach).max().unwrap_or(0);
    if obj.comps().all(|c| c.alarms.is_empty()) {
        return false;
    }
    let by_id = |id: u32| obj.comps().find(|c| c.id == id);
    any_occurrence(obj, &res, a, b, reach, |o| by_id(o.comp).is_some_and(|c| triggers(c, o, &res).any(hit)))
}

/// The overall span for the index: the minimum start and maximum end over all
/// instances (`end: None` for endless rules, or when more than [`SPAN_BUDGET`] instances
/// would have to be enumerated); `None` when no time range can match the object.
pub fn object_span(obj: &CalendarObject, floating: &TzSpec) -> Option<Span> {
    let res = TzResolver::new(obj, floating);
    if !is_endless(obj)
        && let Ok(list) = occurrences(obj, &res, i64::MIN, i64::MAX, SPAN_BUDGET)
    {
        let start = list.iter().map(|o| o.inst.start.min(o.inst.end)).min()?;
        let end = list.iter().map(|o| o.inst.start.max(o.inst.end)).max()?;
        return Some(Span { start, end: (end != i64::MAX).then_some(end) });
    }
    // Endless (or too long): a conservative lower bound; instances never start before the first date.
    occurrences(obj, &res, i64::MIN, first_date(obj, &res).saturating_add(400 * 86_400), SPAN_BUDGET)
        .ok()
        .and_then(|l| l.iter().map(|o| o.inst.start.min(o.inst.end)).min())
        .or(Some(first_date(obj, &res)))
        .map(|start| Span { start, end: None })
}
