//! The brute-force reference of the property test: a random recurring event
//! (`Case`) and its recurrence set computed day by day from the rule's
//! conditions, independently of the production generator.
#![allow(dead_code)]

use chrono::{Datelike, Duration, NaiveDate, NaiveDateTime, Offset, TimeZone, Weekday};
use chrono_tz::Tz;

pub const ZONES: [&str; 3] = ["America/New_York", "Europe/Paris", "Australia/Sydney"];
pub const FLOATING: [&str; 3] = ["UTC", "Europe/Paris", "America/New_York"];
pub const MONTHDAYS: [i32; 7] = [1, 5, 15, 28, 30, 31, -1];
pub const WEEKDAYS: [Weekday; 7] =
    [Weekday::Mon, Weekday::Tue, Weekday::Wed, Weekday::Thu, Weekday::Fri, Weekday::Sat, Weekday::Sun];
pub const WD: [&str; 7] = ["MO", "TU", "WE", "TH", "FR", "SA", "SU"];
pub const HORIZON_DAYS: i64 = 1000;

/// A random recurring event: zone, DTSTART, rule parts, EXDATE/RDATE, overrides and query windows.
#[derive(Debug, Clone)]
pub struct Case {
    pub zone: usize, // 0..3 IANA, 3 floating, 4 all-day
    pub floating: usize,
    pub d0: i64,
    pub hour: u32,
    pub minute: u32,
    pub freq: usize, // DAILY, WEEKLY, MONTHLY, YEARLY
    pub interval: i64,
    pub end: (usize, u32, i64), // kind (none/count/until), count, until offset days
    pub byday: Vec<(usize, usize)>,
    pub bymonthday: Vec<usize>,
    pub bymonth: Vec<u32>,
    pub dur: i64,
    pub exdates: Vec<i64>,
    pub rdates: Vec<(i64, u32)>,
    pub overrides: Vec<(usize, i64, i64, bool)>,
    pub windows: Vec<(i64, i64, u8)>,
}

impl Case {
    pub fn all_day(&self) -> bool {
        self.zone == 4
    }
    pub fn tz(&self) -> Tz {
        if self.zone < 3 { ZONES[self.zone].parse().unwrap() } else { FLOATING[self.floating].parse().unwrap() }
    }
    pub fn start_local(&self) -> NaiveDateTime {
        let d = NaiveDate::from_ymd_opt(2024, 1, 1).unwrap() + Duration::days(self.d0);
        if self.all_day() { d.and_hms_opt(0, 0, 0).unwrap() } else { d.and_hms_opt(self.hour, self.minute, 0).unwrap() }
    }
    pub fn at_day(&self, off: i64) -> NaiveDateTime {
        self.start_local() + Duration::days(off)
    }
    /// Reference local → UTC: gap → offset of the day before, ambiguous → earliest.
    pub fn utc(&self, t: NaiveDateTime) -> i64 {
        let tz = self.tz();
        match tz.from_local_datetime(&t) {
            chrono::LocalResult::Single(d) => d.timestamp(),
            chrono::LocalResult::Ambiguous(a, b) => a.timestamp().min(b.timestamp()),
            chrono::LocalResult::None => {
                let before = tz.from_local_datetime(&(t - Duration::days(1))).earliest().unwrap().offset().fix();
                t.and_utc().timestamp() - i64::from(before.local_minus_utc())
            }
        }
    }
    pub fn until(&self) -> Option<NaiveDateTime> {
        (self.end.0 == 2).then(|| self.at_day(self.end.2).date().and_hms_opt(12, 0, 0).unwrap())
    }
    pub fn end_of(&self, local: NaiveDateTime, start: i64) -> i64 {
        if self.all_day() { self.utc(local + Duration::days(1 + self.dur % 3)) } else { start + self.dur * 60 }
    }
    pub fn byday_ord(&self, i: usize) -> Option<i32> {
        let o = [None, Some(1), Some(2), Some(-1)][self.byday[i].0];
        if self.freq >= 2 { o } else { None }
    }
}

pub fn fmt(t: NaiveDateTime) -> String {
    t.format("%Y%m%dT%H%M%S").to_string()
}
pub fn fmt_utc(ts: i64) -> String {
    chrono::DateTime::from_timestamp(ts, 0).unwrap().format("%Y%m%dT%H%M%SZ").to_string()
}
pub fn fmt_date(t: NaiveDateTime) -> String {
    t.format("%Y%m%d").to_string()
}

/// Does local day `d` belong to the rule (period alignment + BYxxx + defaults)?
pub fn ref_day(c: &Case, d: NaiveDate) -> bool {
    let s = c.start_local().date();
    let month_idx = |x: NaiveDate| i64::from(x.year()) * 12 + i64::from(x.month0());
    let aligned = match c.freq {
        0 => (d - s).num_days() % c.interval == 0,
        1 => {
            let ws = s - Duration::days(i64::from(s.weekday().num_days_from_monday()));
            ((d - ws).num_days() / 7) % c.interval == 0
        }
        2 => (month_idx(d) - month_idx(s)) % c.interval == 0,
        _ => i64::from(d.year() - s.year()) % c.interval == 0,
    };
    if !aligned || (!c.bymonth.is_empty() && !c.bymonth.contains(&d.month())) {
        return false;
    }
    let mlen = crate::common::month_len(d);
    let dom = d.day() as i32;
    if !c.bymonthday.is_empty() && !c.bymonthday.iter().any(|&i| MONTHDAYS[i] == dom || MONTHDAYS[i] == dom - mlen - 1)
    {
        return false;
    }
    if !c.byday.is_empty() {
        let in_year = c.freq == 3 && c.bymonth.is_empty();
        let (pos, len) = if in_year { (d.ordinal() as i32, crate::common::year_len(d)) } else { (dom, mlen) };
        return (0..c.byday.len()).any(|i| {
            WEEKDAYS[c.byday[i].1] == d.weekday()
                && match c.byday_ord(i) {
                    Some(n) if n > 0 => (pos - 1) / 7 + 1 == n,
                    Some(n) => -((len - pos) / 7 + 1) == n,
                    None => true,
                }
        });
    }
    if !c.bymonthday.is_empty() {
        return true;
    }
    match c.freq {
        1 => d.weekday() == s.weekday(),
        2 => d.day() == s.day(),
        3 => d.day() == s.day() && (!c.bymonth.is_empty() || d.month() == s.month()),
        _ => true,
    }
}

/// The recurrence set before overrides: `(original local, start, end)`, sorted by start.
pub fn ref_set(c: &Case) -> Vec<(NaiveDateTime, i64, i64)> {
    let s = c.start_local();
    let mut locals = vec![s];
    let mut day = s.date();
    while (day - s.date()).num_days() < HORIZON_DAYS {
        let t = day.and_time(s.time());
        if t > s && ref_day(c, day) {
            locals.push(t);
        }
        day += Duration::days(1);
    }
    if c.end.0 == 1 {
        locals.truncate(c.end.1 as usize);
    }
    if let Some(u) = c.until() {
        let keep: Vec<_> = locals
            .iter()
            .enumerate()
            .filter(|(i, t)| {
                *i == 0
                    || if c.all_day() {
                        t.date() <= u.date()
                    } else if c.zone == 3 {
                        **t <= u
                    } else {
                        c.utc(**t) <= c.utc(u)
                    }
            })
            .map(|(_, t)| *t)
            .collect();
        locals = keep;
    }
    let mut set: Vec<_> = locals.into_iter().map(|t| (t, c.utc(t))).collect();
    for &(off, h) in &c.rdates {
        let t = if c.all_day() { c.at_day(off) } else { c.at_day(off).date().and_hms_opt(h, 0, 0).unwrap() };
        set.push((t, c.utc(t)));
    }
    set.sort_by_key(|x| x.1);
    set.dedup_by_key(|x| x.1);
    let ex: Vec<NaiveDateTime> = c.exdates.iter().map(|&o| c.at_day(o)).collect();
    set.retain(|(t, st)| !ex.iter().any(|e| if c.all_day() { e.date() == t.date() } else { c.utc(*e) == *st }));
    set.into_iter().map(|(t, st)| (t, st, c.end_of(t, st))).collect()
}
