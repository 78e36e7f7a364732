//! Calendar arithmetic: month and year lengths, week numbers relative to WKST
//! (RFC 5545 §3.3.10, ISO 8601 generalised), and the mapping between a rule's
//! period index `k` and the local time at which that period starts.

use chrono::{Datelike, Duration, NaiveDate, NaiveDateTime, Timelike, Weekday};

use crate::rule::Freq;

/// Number of days in `year`.
pub(crate) fn year_len(year: i32) -> i32 {
    if NaiveDate::from_ymd_opt(year, 2, 29).is_some() { 366 } else { 365 }
}

/// Number of days in `month` of `year`.
pub(crate) fn month_len(year: i32, month: u32) -> i32 {
    let (ny, nm) = if month == 12 { (year + 1, 1) } else { (year, month + 1) };
    match (NaiveDate::from_ymd_opt(year, month, 1), NaiveDate::from_ymd_opt(ny, nm, 1)) {
        (Some(a), Some(b)) => (b - a).num_days() as i32,
        _ => 31,
    }
}

/// First day of week 1 of `year`: the week (starting on `wkst`) that holds at least four days of the year.
fn week1_start(year: i32, wkst: Weekday) -> NaiveDate {
    let jan1 = NaiveDate::from_ymd_opt(year, 1, 1).unwrap_or_default();
    let back = i64::from(jan1.weekday().days_since(wkst));
    let start = jan1 - Duration::days(back);
    if back <= 3 { start } else { start + Duration::days(7) }
}

/// `(week number, weeks in that week-numbering year)` of `d`, weeks starting on `wkst`.
pub(crate) fn week_no(d: NaiveDate, wkst: Weekday) -> (i32, i32) {
    let mut y = d.year();
    if d < week1_start(y, wkst) {
        y -= 1;
    } else if d >= week1_start(y + 1, wkst) {
        y += 1;
    }
    let start = week1_start(y, wkst);
    let week = (d - start).num_days() / 7 + 1;
    let total = (week1_start(y + 1, wkst) - start).num_days() / 7;
    (week as i32, total as i32)
}

/// Period arithmetic of one rule: period `k` is the `k * interval`-th period after DTSTART's.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Periods {
    freq: Freq,
    interval: i64,
    /// Start of DTSTART's period (Jan 1, the 1st of the month, the WKST day, midnight, the hour, ...).
    base: NaiveDateTime,
}

impl Periods {
    pub fn new(freq: Freq, interval: i64, dtstart: NaiveDateTime, wkst: Weekday) -> Periods {
        let d = dtstart.date();
        let midnight = |d: NaiveDate| d.and_hms_opt(0, 0, 0).unwrap_or_default();
        let base = match freq {
            Freq::Yearly => midnight(NaiveDate::from_ymd_opt(d.year(), 1, 1).unwrap_or(d)),
            Freq::Monthly => midnight(NaiveDate::from_ymd_opt(d.year(), d.month(), 1).unwrap_or(d)),
            Freq::Weekly => midnight(d - Duration::days(i64::from(d.weekday().days_since(wkst)))),
            Freq::Daily => midnight(d),
            Freq::Hourly => d.and_hms_opt(dtstart.hour(), 0, 0).unwrap_or(dtstart),
            Freq::Minutely => d.and_hms_opt(dtstart.hour(), dtstart.minute(), 0).unwrap_or(dtstart),
            Freq::Secondly => dtstart,
        };
        Periods { freq, interval, base }
    }

    fn unit_secs(&self) -> Option<i64> {
        match self.freq {
            Freq::Yearly | Freq::Monthly => None,
            Freq::Weekly => Some(7 * 86_400),
            Freq::Daily => Some(86_400),
            Freq::Hourly => Some(3_600),
            Freq::Minutely => Some(60),
            Freq::Secondly => Some(1),
        }
    }

    fn month_index(t: NaiveDateTime) -> i64 {
        i64::from(t.year()) * 12 + i64::from(t.month0())
    }

    /// Local start of period `k`, or `None` past chrono's range.
    pub fn start(&self, k: i64) -> Option<NaiveDateTime> {
        let steps = k.checked_mul(self.interval)?;
        match self.unit_secs() {
            Some(u) => self.base.checked_add_signed(Duration::try_seconds(steps.checked_mul(u)?)?),
            None => {
                let months = if self.freq == Freq::Yearly { steps.checked_mul(12)? } else { steps };
                let mi = Self::month_index(self.base).checked_add(months)?;
                let y = i32::try_from(mi.div_euclid(12)).ok()?;
                NaiveDate::from_ymd_opt(y, mi.rem_euclid(12) as u32 + 1, 1)?.and_hms_opt(0, 0, 0)
            }
        }
    }

    /// The last `k >= 0` whose period starts at or before `t` (floor).
    pub fn index_at(&self, t: NaiveDateTime) -> i64 {
        let units = match self.unit_secs() {
            Some(u) => (t - self.base).num_seconds().div_euclid(u),
            None => {
                let m = Self::month_index(t) - Self::month_index(self.base);
                if self.freq == Freq::Yearly { m.div_euclid(12) } else { m }
            }
        };
        units.div_euclid(self.interval).max(0)
    }

    /// The first `k` whose period starts at or after `t` (ceiling).
    pub fn index_from(&self, t: NaiveDateTime) -> i64 {
        let k = self.index_at(t);
        if self.start(k).is_some_and(|s| s < t) { k + 1 } else { k }
    }
}
