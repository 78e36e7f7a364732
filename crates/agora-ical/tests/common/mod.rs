//! Shared helpers for the integration tests: building objects and reading instants.
#![allow(dead_code)]

use agora_ical::{CalendarObject, Instance, TzSpec, expand};
use chrono::{NaiveDateTime, TimeZone};

/// Wraps components in a VCALENDAR.
pub fn calendar(components: &str) -> String {
    format!("BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//agora//test//EN\r\n{components}END:VCALENDAR\r\n")
}

/// A VEVENT with the given extra lines (UID and DTSTAMP added).
pub fn vevent(lines: &[&str]) -> String {
    let mut s = String::from("BEGIN:VEVENT\r\nUID:test-1\r\nDTSTAMP:20240101T000000Z\r\n");
    for l in lines {
        s.push_str(l);
        s.push_str("\r\n");
    }
    s.push_str("END:VEVENT\r\n");
    s
}

/// Parses one calendar, panicking with the error.
pub fn parse(text: &str) -> CalendarObject {
    CalendarObject::parse(text.as_bytes()).unwrap_or_else(|e| panic!("{e}\n{text}"))
}

/// Parses a single VEVENT with the given lines.
pub fn event(lines: &[&str]) -> CalendarObject {
    parse(&calendar(&vevent(lines)))
}

/// The UTC instant of a local time `YYYYMMDDTHHMMSS` in an IANA zone.
pub fn at(local: &str, zone: &str) -> i64 {
    let tz: chrono_tz::Tz = zone.parse().unwrap();
    let n = NaiveDateTime::parse_from_str(local, "%Y%m%dT%H%M%S").unwrap();
    tz.from_local_datetime(&n).earliest().unwrap().timestamp()
}

/// The UTC instant of `YYYYMMDDTHHMMSSZ`.
pub fn utc(s: &str) -> i64 {
    at(s.trim_end_matches('Z'), "UTC")
}

/// Local `YYYYMMDDTHHMMSS` of an instant in an IANA zone.
pub fn local(ts: i64, zone: &str) -> String {
    let tz: chrono_tz::Tz = zone.parse().unwrap();
    tz.timestamp_opt(ts, 0).unwrap().format("%Y%m%dT%H%M%S").to_string()
}

/// Instances in `[from, to)` (local times in `zone`), with UTC as floating zone.
pub fn instances(obj: &CalendarObject, from: &str, to: &str, zone: &str) -> Vec<Instance> {
    expand(obj, at(from, zone), at(to, zone), &TzSpec::utc(), 100_000).unwrap()
}

/// Local starts of the instances in `[from, to)`.
pub fn starts(obj: &CalendarObject, from: &str, to: &str, zone: &str) -> Vec<String> {
    instances(obj, from, to, zone).iter().map(|i| local(i.start, zone)).collect()
}

/// Expands a New York rule (the RFC 5545 §3.8.5.3 examples) between 1997 and `to`.
pub fn ny(dtstart: &str, rrule: &str, to: &str) -> Vec<String> {
    let obj = event(&[&format!("DTSTART;TZID=America/New_York:{dtstart}"), "DURATION:PT1H", &format!("RRULE:{rrule}")]);
    starts(&obj, "19900101T000000", to, "America/New_York")
}

/// Shorthand: `["19970902", ...]` days at `time` → full local strings.
pub fn days(list: &[&str], time: &str) -> Vec<String> {
    list.iter().map(|d| format!("{d}T{time}")).collect()
}

/// Days in the month of `d`.
pub fn month_len(d: chrono::NaiveDate) -> i32 {
    use chrono::Datelike;
    let first = d.with_day(1).unwrap();
    let next = if d.month() == 12 {
        chrono::NaiveDate::from_ymd_opt(d.year() + 1, 1, 1).unwrap()
    } else {
        chrono::NaiveDate::from_ymd_opt(d.year(), d.month() + 1, 1).unwrap()
    };
    (next - first).num_days() as i32
}

/// Days in the year of `d`.
pub fn year_len(d: chrono::NaiveDate) -> i32 {
    use chrono::Datelike;
    if chrono::NaiveDate::from_ymd_opt(d.year(), 2, 29).is_some() { 366 } else { 365 }
}
