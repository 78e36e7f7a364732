//! The RFC 4791 §9.9 rows that do not follow from "DTSTART plus a length":
//! VTODO without DTSTART, VFREEBUSY, undated VEVENT/VJOURNAL, and VALARM
//! trigger times.
//!
//! VTODO (§9.9 table; `start`/`end` are the query range):
//!
//! | DTSTART | DURATION | DUE | COMPLETED | CREATED | condition |
//! |---|---|---|---|---|---|
//! | Y | Y | N | * | * | `start <= DTSTART+DURATION AND (end > DTSTART OR end >= DTSTART+DURATION)` |
//! | Y | N | Y | * | * | `(start < DUE OR start <= DTSTART) AND (end > DTSTART OR end >= DUE)` |
//! | Y | N | N | * | * | `start <= DTSTART AND end > DTSTART` |
//! | N | N | Y | * | * | `start < DUE AND end >= DUE` |
//! | N | N | N | Y | Y | `(start <= CREATED OR start <= COMPLETED) AND (end >= CREATED OR end >= COMPLETED)` |
//! | N | N | N | Y | N | `start <= COMPLETED AND end >= COMPLETED` |
//! | N | N | N | N | Y | `end > CREATED` |
//! | N | N | N | N | N | `TRUE` |
//!
//! The first three rows are handled with a DTSTART base in [`crate::series`]; the
//! others here. VJOURNAL without DTSTART never matches; VFREEBUSY matches any
//! FREEBUSY period (`start < period-end AND end > period-start`), else
//! `start <= DTEND AND end > DTSTART`, else nothing. VALARM: `start <= trigger
//! AND end > trigger` for every trigger (and REPEAT) of every instance.

use crate::component::{Comp, Trigger};
use crate::model::{ComponentKind, Shape};
use crate::resolver::TzResolver;
use crate::series::Occurrence;
use crate::values::PeriodEnd;

/// Instances `(start, end, shape)` of a component that has no DTSTART-based rule, or `None`
/// when the component is handled from its DTSTART.
pub(crate) fn special(kind: ComponentKind, c: &Comp, res: &TzResolver) -> Option<Vec<(i64, i64, Shape)>> {
    let at = |v| res.instant(v);
    match kind {
        ComponentKind::Todo if c.dtstart.is_none() => Some(vec![match (&c.due, &c.completed, &c.created) {
            (Some(d), _, _) => (at(d), at(d), Shape::DueOnly),
            (None, Some(co), Some(cr)) => {
                let (x, y) = (at(co), at(cr));
                (x.min(y), x.max(y), Shape::Closed)
            }
            (None, Some(co), None) => (at(co), at(co), Shape::Closed),
            (None, None, Some(cr)) => (at(cr), i64::MAX, Shape::After),
            (None, None, None) => (i64::MIN, i64::MAX, Shape::Always),
        }]),
        ComponentKind::FreeBusy => {
            let periods: Vec<_> = c
                .freebusy
                .iter()
                .map(|(s, e)| {
                    let s = at(s);
                    let e = match e {
                        PeriodEnd::At(e) => at(e),
                        PeriodEnd::Dur(d) => s + d.exact(),
                    };
                    (s, e, Shape::Interval)
                })
                .collect();
            if !periods.is_empty() {
                return Some(periods);
            }
            Some(match (&c.dtstart, &c.dtend) {
                (Some(s), Some(e)) => vec![(at(s), at(e), Shape::EndInclusive)],
                _ => vec![],
            })
        }
        ComponentKind::Availability if c.dtstart.is_none() => Some(vec![(i64::MIN, i64::MAX, Shape::Always)]),
        ComponentKind::Event | ComponentKind::Journal if c.dtstart.is_none() && c.recurrence_id.is_none() => {
            Some(vec![])
        }
        _ => None,
    }
}

/// Trigger instants of the alarms of the occurrence's component (REPEAT included).
pub(crate) fn triggers<'a>(comp: &'a Comp, occ: &'a Occurrence, res: &'a TzResolver) -> impl Iterator<Item = i64> + 'a {
    let real = |t: i64| t != i64::MIN && t != i64::MAX;
    comp.alarms.iter().flat_map(move |a| {
        let first = match &a.trigger {
            Trigger::Start(off) if real(occ.inst.start) => Some(occ.inst.start + off),
            Trigger::End(off) if real(occ.inst.end) => Some(occ.inst.end + off),
            Trigger::At(v) => Some(res.instant(v)),
            _ => None,
        };
        first.into_iter().flat_map(move |t| (0..=a.repeat).map(move |k| t + k * a.every))
    })
}

/// How far a relative trigger (with repetitions) can lie from its instance, plus a day.
pub(crate) fn trigger_reach(c: &Comp) -> i64 {
    c.alarms
        .iter()
        .map(|a| {
            let off = match a.trigger {
                Trigger::Start(o) | Trigger::End(o) => o.abs(),
                Trigger::At(_) => 0,
            };
            off + a.repeat * a.every
        })
        .max()
        .unwrap_or(0)
        + 86_400
}
