//! The recurrence set of an object inside a window: RRULE ∪ RDATE ∪ DTSTART,
//! minus EXDATE, with overrides substituted (RFC 5545 §3.8.5, §3.8.4.4).
//!
//! * Expansion happens in the master's local wall time; each occurrence is
//!   converted to UTC with the master's zone (gap → shifted forward, ambiguous
//!   → first occurrence). Instances are keyed by that UTC start.
//! * RECURRENCE-ID, EXDATE and RDATE values are matched *by instant*, so an
//!   override whose RECURRENCE-ID is in UTC while the master uses a TZID (as
//!   Apple and Outlook send) still replaces its instance. DATE EXDATEs remove
//!   every instance on that local date.
//! * RANGE=THISANDFUTURE: later instances not overridden themselves are moved
//!   by the same offset as the override and take its duration and status.
//! * Overrides are instances in their own right (an orphan RECURRENCE-ID is kept).
//! * Durations: DTEND/DUE → the exact difference (both DATE: nominal days);
//!   DURATION → nominal days plus exact time; DATE without end → P1D; DATE-TIME
//!   without end → zero; an override without DTEND/DURATION keeps the master's.
//!
//! Work is O(periods in the widened window + RDATEs + overrides), plus the
//! COUNT prefix (see [`crate::rule_iter`]).

use std::collections::HashSet;

use chrono::{Duration, NaiveDateTime};

use crate::component::Comp;
use crate::model::{ComponentKind, IcalError, Instance, Shape};
use crate::resolver::TzResolver;
use crate::rule::{Rule, Until};
use crate::rule_iter::RuleIter;
use crate::values::{DateVal, Dur, PeriodEnd, RValue};
use crate::zone::{TzSpec, naive_from_secs, naive_secs};
use crate::{CalendarObject, special};

/// An instance and the component (index into the calcard tree) it comes from.
#[derive(Debug, Clone)]
pub(crate) struct Occurrence {
    pub inst: Instance,
    pub comp: u32,
}

/// Start, zone and length rule of a dated component.
#[derive(Debug, Clone)]
pub(crate) struct Base {
    pub local: NaiveDateTime,
    pub zone: TzSpec,
    pub start: i64,
    pub dur: Dur,
    pub shape: Shape,
}

impl Base {
    /// Computes the base of `c`, or `None` when `c` has no DTSTART (see [`special`]).
    pub fn of(kind: ComponentKind, c: &Comp, res: &TzResolver, fallback: Option<Dur>) -> Option<Base> {
        let sv = c.dtstart.as_ref().or(c.recurrence_id.as_ref())?;
        let (local, zone) = res.local(sv);
        let start = zone.to_utc(local);
        let diff = |e: &DateVal| match (sv, e) {
            (DateVal::Date(a), DateVal::Date(b)) => Dur { days: (*b - *a).num_days(), secs: 0 },
            _ => Dur { days: 0, secs: res.instant_in(e, &zone) - start },
        };
        let default = if sv.is_date() { Dur { days: 1, secs: 0 } } else { fallback.unwrap_or_default() };
        let (dur, shape) = match kind {
            ComponentKind::Todo => match (&c.duration, &c.due) {
                (Some(d), _) => (*d, Shape::TodoDuration),
                (None, Some(due)) => (diff(due), Shape::TodoDue),
                (None, None) => (Dur::default(), Shape::Interval),
            },
            ComponentKind::Journal => (if sv.is_date() { default } else { Dur::default() }, Shape::Interval),
            _ => (c.dtend.as_ref().map(diff).or(c.duration).unwrap_or(default), Shape::Interval),
        };
        Some(Base { local, zone, start, dur, shape })
    }

    /// End of the instance starting at local time `local` / instant `start`.
    pub fn end_at(&self, local: NaiveDateTime, start: i64) -> i64 {
        if self.dur.days == 0 {
            start + self.dur.secs
        } else {
            self.zone.to_utc(local + Duration::days(self.dur.days)) + self.dur.secs
        }
    }

    /// An upper bound of the instance length in seconds (a nominal day is at most 25 h).
    fn max_len(&self) -> i64 {
        self.dur.days.abs() * 90_000 + self.dur.secs.abs()
    }
}

fn until_for(u: DateVal, date_start: bool) -> Until {
    match u {
        DateVal::Date(d) => Until::Date(d),
        DateVal::Utc(t) | DateVal::Floating(t) | DateVal::Zoned(t, _) if date_start => Until::Date(t.date()),
        DateVal::Utc(t) => Until::Utc(naive_secs(t)),
        DateVal::Floating(t) | DateVal::Zoned(t, _) => Until::Local(t),
    }
}

type Start = (NaiveDateTime, i64, Option<i64>);

/// Starts of the master's recurrence set in `[lo, hi]`: `(local, start, explicit end)`, ascending,
/// EXDATEs removed; `Err` once more than `cap` rule occurrences fall in the window.
fn master_starts(m: &Comp, b: &Base, res: &TzResolver, lo: i64, hi: i64, cap: usize) -> Result<Vec<Start>, IcalError> {
    let lo_l = naive_from_secs(lo.saturating_sub(2 * 86_400));
    let hi_l = naive_from_secs(hi.saturating_add(2 * 86_400));
    let date_start = m.dtstart.as_ref().is_some_and(DateVal::is_date);
    let mut v = Vec::new();
    if m.rrules.is_empty() {
        v.push((b.local, b.start, None));
    }
    for r in &m.rrules {
        let until = r.until.as_ref().and_then(DateVal::from_partial).map(|u| until_for(u, date_start));
        let rule = Rule::new(r, b.local, until);
        for t in RuleIter::new(&rule, b.local, &b.zone, Some(lo_l), hi_l) {
            if t > hi_l {
                break;
            }
            let s = b.zone.to_utc(t);
            if t >= lo_l && s >= lo && s <= hi {
                v.push((t, s, None));
                if v.len() > cap {
                    return Err(IcalError::TooManyInstances(cap));
                }
            }
        }
    }
    for rd in &m.rdates {
        let (d, end) = match rd {
            RValue::At(d) => (d, None),
            RValue::Period(d, e) => (d, Some(e)),
        };
        let s = res.instant_in(d, &b.zone);
        let local = b.zone.to_local(s);
        let end = end.map(|e| match e {
            PeriodEnd::At(e) => res.instant_in(e, &b.zone),
            PeriodEnd::Dur(du) => Base { dur: *du, ..b.clone() }.end_at(local, s),
        });
        v.push((local, s, end));
    }
    v.sort_by_key(|(_, s, e)| (*s, e.is_none()));
    v.dedup_by_key(|(_, s, _)| *s);
    let ex_at: HashSet<i64> = m.exdates.iter().filter(|d| !d.is_date()).map(|d| res.instant_in(d, &b.zone)).collect();
    let ex_day: HashSet<chrono::NaiveDate> =
        m.exdates.iter().filter_map(|d| if let DateVal::Date(d) = d { Some(*d) } else { None }).collect();
    v.retain(|(l, s, _)| !ex_at.contains(s) && !ex_day.contains(&l.date()));
    Ok(v)
}

/// All instances whose closed extent meets `[lo, hi]`, sorted by start; at most `max`.
pub(crate) fn occurrences(
    obj: &CalendarObject,
    res: &TzResolver,
    lo: i64,
    hi: i64,
    max: usize,
) -> Result<Vec<Occurrence>, IcalError> {
    let kind = obj.kind;
    let mut out = Vec::new();
    let master = obj.master.as_ref();
    let mbase = master.filter(|m| special(kind, m, res).is_none()).and_then(|m| Base::of(kind, m, res, None));
    let mzone = mbase.as_ref().map_or_else(|| res.floating().clone(), |b| b.zone.clone());
    let mk = |start: i64, end: i64, rid: i64, c: &Comp, shape: Shape, is_override: bool| Occurrence {
        inst: Instance {
            start,
            end,
            recurrence_id: rid,
            is_override,
            transparent: c.transparent,
            status: c.status,
            shape,
        },
        comp: c.id,
    };
    let mut explicit = HashSet::new();
    let mut taf = Vec::new();
    for o in &obj.overrides {
        let Some(rv) = o.recurrence_id.as_ref() else { continue };
        let rid = res.instant_in(rv, &mzone);
        explicit.insert(rid);
        if let Some(list) = special(kind, o, res) {
            out.extend(list.into_iter().map(|(s, e, shape)| mk(s, e, rid, o, shape, true)));
        } else if let Some(b) = Base::of(kind, o, res, mbase.as_ref().map(|b| b.dur)) {
            let end = b.end_at(b.local, b.start);
            out.push(mk(b.start, end, rid, o, b.shape, true));
            if o.this_and_future {
                taf.push((rid, b.start - rid, end - b.start, o, b.shape));
            }
        }
    }
    taf.sort_by_key(|t| t.0);
    if let Some(m) = master {
        if let Some(list) = special(kind, m, res) {
            out.extend(list.into_iter().map(|(s, e, shape)| mk(s, e, s, m, shape, false)));
        } else if let Some(b) = &mbase {
            let shift = taf.iter().map(|t| t.1.abs() + t.2.abs()).max().unwrap_or(0);
            let margin = b.max_len() + shift;
            for (local, start, end) in
                master_starts(m, b, res, lo.saturating_sub(margin), hi.saturating_add(shift), max)?
            {
                if explicit.contains(&start) {
                    continue;
                }
                match taf.partition_point(|t| t.0 < start) {
                    0 => out.push(mk(start, end.unwrap_or_else(|| b.end_at(local, start)), start, m, b.shape, false)),
                    i => {
                        let (_, delta, len, o, shape) = taf[i - 1];
                        out.push(mk(start + delta, start + delta + len, start, o, shape, true));
                    }
                }
            }
        }
    }
    out.retain(|o| o.inst.start.min(o.inst.end) <= hi && o.inst.start.max(o.inst.end) >= lo);
    if out.len() > max {
        return Err(IcalError::TooManyInstances(max));
    }
    out.sort_by_key(|o| (o.inst.start, o.inst.recurrence_id));
    Ok(out)
}

/// True when the master has an RRULE without COUNT and UNTIL.
pub(crate) fn is_endless(obj: &CalendarObject) -> bool {
    obj.master
        .as_ref()
        .is_some_and(|m| m.dtstart.is_some() && m.rrules.iter().any(|r| r.count.is_none() && r.until.is_none()))
}
