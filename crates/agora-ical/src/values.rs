//! Typed date, period and duration values read from calcard entries.
//!
//! calcard turns a value it cannot parse into `Text` without an error; the
//! readers here report such values, so that the validator can answer
//! `valid-calendar-data` for a DTSTART like `notadate` instead of silently
//! treating the component as undated.

use calcard::common::PartialDateTime;
use calcard::icalendar::{ICalendarComponent, ICalendarDuration, ICalendarPeriod, ICalendarProperty, ICalendarValue};
use chrono::{Duration, NaiveDate, NaiveDateTime};

/// A DATE or DATE-TIME value in one of its three forms (RFC 5545 §3.3.5).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum DateVal {
    /// VALUE=DATE: all-day, evaluated in the floating zone.
    Date(NaiveDate),
    /// Local time without TZID: evaluated in the floating zone.
    Floating(NaiveDateTime),
    /// UTC time (trailing `Z`; a numeric offset is normalised to UTC).
    Utc(NaiveDateTime),
    /// Local time with a TZID parameter.
    Zoned(NaiveDateTime, String),
}

impl DateVal {
    /// Reads a parsed value (no TZID yet).
    pub fn from_partial(p: &PartialDateTime) -> Option<DateVal> {
        if !p.has_date() {
            return None;
        }
        let r = p.to_date_time()?;
        if !p.has_time() {
            return Some(DateVal::Date(r.date_time.date()));
        }
        Some(match r.offset {
            Some(off) => DateVal::Utc(r.date_time - Duration::seconds(i64::from(off.local_minus_utc()))),
            None => DateVal::Floating(r.date_time),
        })
    }

    /// Applies a TZID parameter to a floating value.
    pub fn with_tzid(self, tzid: Option<&str>) -> DateVal {
        match (self, tzid) {
            (DateVal::Floating(t), Some(z)) => DateVal::Zoned(t, z.to_string()),
            (v, _) => v,
        }
    }

    /// True for VALUE=DATE.
    pub fn is_date(&self) -> bool {
        matches!(self, DateVal::Date(_))
    }

    /// True when the value depends on the floating zone.
    pub fn is_floating(&self) -> bool {
        matches!(self, DateVal::Date(_) | DateVal::Floating(_))
    }
}

/// A duration split into nominal days (weeks and days, added in local wall time) and exact seconds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub(crate) struct Dur {
    pub days: i64,
    pub secs: i64,
}

impl Dur {
    pub fn from_ical(d: &ICalendarDuration) -> Dur {
        let sign = if d.neg { -1 } else { 1 };
        Dur {
            days: sign * (i64::from(d.weeks) * 7 + i64::from(d.days)),
            secs: sign * (i64::from(d.hours) * 3600 + i64::from(d.minutes) * 60 + i64::from(d.seconds)),
        }
    }

    /// The duration as exact seconds (a day counts 86 400 s).
    pub fn exact(self) -> i64 {
        self.days * 86_400 + self.secs
    }
}

/// The end of an RDATE/FREEBUSY period.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum PeriodEnd {
    At(DateVal),
    Dur(Dur),
}

/// An RDATE value: a start, or a PERIOD.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum RValue {
    At(DateVal),
    Period(DateVal, PeriodEnd),
}

/// The first `name` property of `comp` as a date; `Err` when present but not a date.
pub(crate) fn date_prop(comp: &ICalendarComponent, name: &ICalendarProperty) -> Result<Option<DateVal>, String> {
    let Some(e) = comp.property(name) else { return Ok(None) };
    e.values
        .first()
        .and_then(|v| v.as_partial_date_time())
        .and_then(DateVal::from_partial)
        .map(|v| Some(v.with_tzid(e.tz_id())))
        .ok_or_else(|| format!("{} is not a valid date or date-time", name.as_str()))
}

/// The first DURATION-valued `name` property; `Err` when present but not a duration.
pub(crate) fn duration_prop(comp: &ICalendarComponent, name: &ICalendarProperty) -> Result<Option<Dur>, String> {
    match comp.property(name).map(|e| e.values.first()) {
        None => Ok(None),
        Some(Some(ICalendarValue::Duration(d))) => Ok(Some(Dur::from_ical(d))),
        Some(_) => Err(format!("{} is not a valid duration", name.as_str())),
    }
}

fn period(p: &ICalendarPeriod, tzid: Option<&str>) -> Option<(DateVal, PeriodEnd)> {
    match p {
        ICalendarPeriod::Range { start, end } => Some((
            DateVal::from_partial(start)?.with_tzid(tzid),
            PeriodEnd::At(DateVal::from_partial(end)?.with_tzid(tzid)),
        )),
        ICalendarPeriod::Duration { start, duration } => {
            Some((DateVal::from_partial(start)?.with_tzid(tzid), PeriodEnd::Dur(Dur::from_ical(duration))))
        }
    }
}

/// All values of every `name` property (RDATE, EXDATE, FREEBUSY); `Err` on an unparseable value.
pub(crate) fn date_list(comp: &ICalendarComponent, name: &ICalendarProperty) -> Result<Vec<RValue>, String> {
    let mut out = Vec::new();
    for e in comp.properties(name) {
        let tzid = e.tz_id();
        for v in &e.values {
            let item = match v {
                ICalendarValue::Period(p) => period(p, tzid).map(|(s, e)| RValue::Period(s, e)),
                other => {
                    other.as_partial_date_time().and_then(DateVal::from_partial).map(|d| RValue::At(d.with_tzid(tzid)))
                }
            };
            out.push(item.ok_or_else(|| format!("{} has an invalid value", name.as_str()))?);
        }
    }
    Ok(out)
}
