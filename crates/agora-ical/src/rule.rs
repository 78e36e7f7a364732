//! A normalised RRULE (RFC 5545 §3.3.10) and the candidate set of one period.
//!
//! Expansion works on *periods* of the rule's frequency (a year, a month, a
//! week starting at WKST, a day, an hour, ...). For each period the BYxxx
//! parts are applied as in the table of §3.3.10: date-level parts select days
//! of the period (BYMONTH, BYWEEKNO, BYYEARDAY, BYMONTHDAY, BYDAY — an
//! "expand" for a coarser frequency and a "limit" for a finer one are the same
//! filter over the days of the period), time-level parts expand or limit the
//! times, the product is sorted, and BYSETPOS picks from it. Work per period
//! is O(days in period × times); a year period only scans the BYMONTH months.

use calcard::icalendar::{ICalendarFrequency, ICalendarRecurrenceRule, ICalendarWeekday};
use chrono::{Datelike, NaiveDate, NaiveDateTime, NaiveTime, Timelike, Weekday};

/// RRULE frequency, coarsest first.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) enum Freq {
    Yearly,
    Monthly,
    Weekly,
    Daily,
    Hourly,
    Minutely,
    Secondly,
}

/// UNTIL, already interpreted against the kind of DTSTART (§3.3.10).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Until {
    /// Inclusive last local date (DATE UNTIL, or DATE DTSTART).
    Date(NaiveDate),
    /// Floating DTSTART: compare local wall time.
    Local(NaiveDateTime),
    /// UTC UNTIL with a zoned DTSTART: compare instants.
    Utc(i64),
}

/// A recurrence rule with the defaults derived from DTSTART filled in.
#[derive(Debug, Clone)]
pub(crate) struct Rule {
    pub freq: Freq,
    pub interval: i64,
    pub count: Option<u64>,
    pub until: Option<Until>,
    pub by_second: Vec<u32>,
    pub by_minute: Vec<u32>,
    pub by_hour: Vec<u32>,
    pub by_day: Vec<(Option<i32>, Weekday)>,
    pub by_month_day: Vec<i32>,
    pub by_year_day: Vec<i32>,
    pub by_week_no: Vec<i32>,
    pub by_month: Vec<u32>,
    pub by_set_pos: Vec<i32>,
    pub wkst: Weekday,
}

pub(crate) fn weekday(w: ICalendarWeekday) -> Weekday {
    match w {
        ICalendarWeekday::Monday => Weekday::Mon,
        ICalendarWeekday::Tuesday => Weekday::Tue,
        ICalendarWeekday::Wednesday => Weekday::Wed,
        ICalendarWeekday::Thursday => Weekday::Thu,
        ICalendarWeekday::Friday => Weekday::Fri,
        ICalendarWeekday::Saturday => Weekday::Sat,
        ICalendarWeekday::Sunday => Weekday::Sun,
    }
}

impl Rule {
    /// Normalises calcard's rule for a given DTSTART (local wall time); `until` is interpreted by the caller.
    pub fn new(r: &ICalendarRecurrenceRule, dtstart: NaiveDateTime, until: Option<Until>) -> Rule {
        let freq = match r.freq {
            ICalendarFrequency::Yearly => Freq::Yearly,
            ICalendarFrequency::Monthly => Freq::Monthly,
            ICalendarFrequency::Weekly => Freq::Weekly,
            ICalendarFrequency::Daily => Freq::Daily,
            ICalendarFrequency::Hourly => Freq::Hourly,
            ICalendarFrequency::Minutely => Freq::Minutely,
            ICalendarFrequency::Secondly => Freq::Secondly,
        };
        let mut rule = Rule {
            freq,
            interval: i64::from(r.interval.unwrap_or(1).max(1)),
            count: r.count.map(u64::from),
            until,
            by_second: r.bysecond.iter().map(|&v| u32::from(v)).filter(|&v| v < 60).collect(),
            by_minute: r.byminute.iter().map(|&v| u32::from(v)).filter(|&v| v < 60).collect(),
            by_hour: r.byhour.iter().map(|&v| u32::from(v)).filter(|&v| v < 24).collect(),
            by_day: r.byday.iter().map(|d| (d.ordwk.map(i32::from), weekday(d.weekday))).collect(),
            by_month_day: r.bymonthday.iter().map(|&v| i32::from(v)).collect(),
            by_year_day: r.byyearday.iter().map(|&v| i32::from(v)).collect(),
            by_week_no: r.byweekno.iter().map(|&v| i32::from(v)).collect(),
            by_month: r.bymonth.iter().map(|m| u32::from(m.month())).collect(),
            by_set_pos: r.bysetpos.clone(),
            wkst: r.wkst.map(weekday).unwrap_or(Weekday::Mon),
        };
        rule.fill_defaults(dtstart);
        rule
    }

    /// Date defaults from DTSTART when no date-level part is given (as the §3.3.10 examples imply).
    fn fill_defaults(&mut self, dt: NaiveDateTime) {
        let none = self.by_week_no.is_empty()
            && self.by_year_day.is_empty()
            && self.by_month_day.is_empty()
            && self.by_day.is_empty();
        if !none {
            return;
        }
        match self.freq {
            Freq::Yearly => {
                if self.by_month.is_empty() {
                    self.by_month.push(dt.month());
                }
                self.by_month_day.push(dt.day() as i32);
            }
            Freq::Monthly => self.by_month_day.push(dt.day() as i32),
            Freq::Weekly => self.by_day.push((None, dt.weekday())),
            _ => {}
        }
    }

    /// True when every period holds exactly one candidate, DTSTART's (so COUNT can skip
    /// whole periods arithmetically): no BYxxx parts other than DTSTART's own defaults.
    pub fn one_per_period(&self, dt: NaiveDateTime) -> bool {
        let plain = self.by_set_pos.is_empty()
            && self.by_week_no.is_empty()
            && self.by_year_day.is_empty()
            && self.by_hour.is_empty()
            && self.by_minute.is_empty()
            && self.by_second.is_empty();
        let day = dt.day() as i32;
        plain
            && match self.freq {
                Freq::Weekly => {
                    self.by_day == [(None, dt.weekday())] && self.by_month.is_empty() && self.by_month_day.is_empty()
                }
                Freq::Monthly => {
                    self.by_month_day == [day] && day <= 28 && self.by_day.is_empty() && self.by_month.is_empty()
                }
                Freq::Yearly => {
                    self.by_month == [dt.month()]
                        && self.by_month_day == [day]
                        && !(dt.month() == 2 && day == 29)
                        && self.by_day.is_empty()
                }
                _ => self.by_month.is_empty() && self.by_month_day.is_empty() && self.by_day.is_empty(),
            }
    }

    /// Sorted, BYSETPOS-filtered candidates of the period whose first day is `first` (for
    /// sub-daily frequencies `at` is the period's start). Returns the candidates, or a
    /// local time before which no later period can match (used to skip).
    pub fn period_set(
        &self,
        first: NaiveDateTime,
        dtstart: NaiveDateTime,
    ) -> Result<Vec<NaiveDateTime>, NaiveDateTime> {
        let date = first.date();
        let days: Vec<NaiveDate> = match self.freq {
            Freq::Yearly => {
                let months: Vec<u32> =
                    if self.by_month.is_empty() { (1..=12).collect() } else { self.by_month.clone() };
                let mut v = Vec::new();
                for m in months {
                    let Some(d1) = NaiveDate::from_ymd_opt(date.year(), m, 1) else { continue };
                    v.extend(d1.iter_days().take_while(|d| d.month() == m).filter(|d| self.day_ok(*d)));
                }
                v.sort_unstable();
                v.dedup();
                v
            }
            Freq::Monthly => {
                date.iter_days().take_while(|d| d.month() == date.month()).filter(|d| self.day_ok(*d)).collect()
            }
            Freq::Weekly => date.iter_days().take(7).filter(|d| self.day_ok(*d)).collect(),
            _ if self.day_ok(date) => vec![date],
            // A month outside BYMONTH is skipped whole, other days one by one.
            _ if !self.by_month.is_empty() && !self.by_month.contains(&date.month()) => {
                let next = crate::calendar_math::month_len(date.year(), date.month()) - date.day() as i32 + 1;
                return Err(date.and_hms_opt(0, 0, 0).unwrap_or(first) + chrono::Duration::days(i64::from(next)));
            }
            _ => return Err(date.and_hms_opt(0, 0, 0).unwrap_or(first) + chrono::Duration::days(1)),
        };
        let times = self.period_times(first, dtstart.time())?;
        let mut set: Vec<NaiveDateTime> = days.iter().flat_map(|d| times.iter().map(move |t| d.and_time(*t))).collect();
        if !self.by_set_pos.is_empty() {
            let n = set.len() as i32;
            let mut picked: Vec<NaiveDateTime> = self
                .by_set_pos
                .iter()
                .filter_map(|&p| {
                    let idx = if p > 0 { p - 1 } else { n + p };
                    (0..n).contains(&idx).then(|| set[idx as usize])
                })
                .collect();
            picked.sort_unstable();
            picked.dedup();
            set = picked;
        }
        Ok(set)
    }

    /// Times of day of a period: expanded for DAILY and coarser, limited at the period's own unit below.
    fn period_times(&self, at: NaiveDateTime, t0: NaiveTime) -> Result<Vec<NaiveTime>, NaiveDateTime> {
        let hour_start = at.date().and_hms_opt(at.hour(), 0, 0).unwrap_or(at);
        let (hours, minutes, seconds) = match self.freq {
            Freq::Hourly | Freq::Minutely | Freq::Secondly => {
                if !self.by_hour.is_empty() && !self.by_hour.contains(&at.hour()) {
                    return Err(hour_start + chrono::Duration::hours(1));
                }
                let minutes = if self.freq == Freq::Hourly {
                    pick(&self.by_minute, t0.minute())
                } else if self.by_minute.is_empty() || self.by_minute.contains(&at.minute()) {
                    vec![at.minute()]
                } else {
                    let minute_start = hour_start + chrono::Duration::minutes(i64::from(at.minute()));
                    return Err(minute_start + chrono::Duration::minutes(1));
                };
                let seconds = if self.freq == Freq::Secondly {
                    if self.by_second.is_empty() || self.by_second.contains(&at.second()) {
                        vec![at.second()]
                    } else {
                        vec![]
                    }
                } else {
                    pick(&self.by_second, t0.second())
                };
                (vec![at.hour()], minutes, seconds)
            }
            _ => {
                (pick(&self.by_hour, t0.hour()), pick(&self.by_minute, t0.minute()), pick(&self.by_second, t0.second()))
            }
        };
        let mut out = Vec::with_capacity(hours.len() * minutes.len() * seconds.len());
        for &h in &hours {
            for &m in &minutes {
                out.extend(seconds.iter().filter_map(|&s| NaiveTime::from_hms_opt(h, m, s)));
            }
        }
        Ok(out)
    }

    /// Date-level filter: BYMONTH, BYWEEKNO, BYYEARDAY, BYMONTHDAY and BYDAY (with ordinals
    /// relative to the month for MONTHLY or YEARLY+BYMONTH, to the year for YEARLY).
    pub fn day_ok(&self, d: NaiveDate) -> bool {
        if !self.by_month.is_empty() && !self.by_month.contains(&d.month()) {
            return false;
        }
        if !self.by_week_no.is_empty() {
            let (week, total) = crate::calendar_math::week_no(d, self.wkst);
            if !self.by_week_no.iter().any(|&n| n == week || (n < 0 && total + n + 1 == week)) {
                return false;
            }
        }
        let ylen = crate::calendar_math::year_len(d.year());
        let doy = d.ordinal() as i32;
        if !self.by_year_day.is_empty() && !self.by_year_day.iter().any(|&n| n == doy || n == doy - ylen - 1) {
            return false;
        }
        let mlen = crate::calendar_math::month_len(d.year(), d.month());
        let dom = d.day() as i32;
        if !self.by_month_day.is_empty() && !self.by_month_day.iter().any(|&n| n == dom || n == dom - mlen - 1) {
            return false;
        }
        if self.by_day.is_empty() {
            return true;
        }
        let (pos, len) = match self.freq {
            Freq::Monthly => (dom, mlen),
            Freq::Yearly if !self.by_month.is_empty() => (dom, mlen),
            Freq::Yearly if self.by_week_no.is_empty() => (doy, ylen),
            _ => (0, 0),
        };
        self.by_day.iter().any(|&(ord, wd)| {
            wd == d.weekday()
                && match ord {
                    Some(n) if len > 0 && n > 0 => (pos - 1) / 7 + 1 == n,
                    Some(n) if len > 0 && n < 0 => -((len - pos) / 7 + 1) == n,
                    _ => true,
                }
        })
    }
}

fn pick(list: &[u32], default: u32) -> Vec<u32> {
    if list.is_empty() {
        vec![default]
    } else {
        let mut v = list.to_vec();
        v.sort_unstable();
        v.dedup();
        v
    }
}
