//! Human-readable dates for subjects and summaries: "Tue 3 Mar 2026 10:00 UTC",
//! "mar. 3 mars 2026 10:00 UTC".
//!
//! Values are shown in the time zone they were written in (RFC 5545 §3.3.5: UTC
//! with a trailing `Z`, a TZID parameter, or floating); no conversion is done, so
//! no time-zone database is needed.

use crate::Language;
use crate::ical_text::Property;

const WEEKDAYS: [&str; 7] = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"];
const MONTHS: [&str; 12] = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];
const WEEKDAYS_FR: [&str; 7] = ["dim.", "lun.", "mar.", "mer.", "jeu.", "ven.", "sam."];
const MONTHS_FR: [&str; 12] =
    ["janv.", "févr.", "mars", "avr.", "mai", "juin", "juil.", "août", "sept.", "oct.", "nov.", "déc."];

/// Formats a DATE or DATE-TIME property (DTSTART, DTEND, DUE…). A value that is
/// not a valid date is shown as written.
pub(crate) fn describe(prop: &Property, lang: Language) -> String {
    let value = prop.value.trim();
    let Some(date) = parse(value) else { return value.to_string() };
    let (weekdays, months) = lang.pick((WEEKDAYS, MONTHS), (WEEKDAYS_FR, MONTHS_FR));
    let mut out = format!(
        "{} {} {} {}",
        weekdays[weekday(date.year, date.month, date.day)],
        date.day,
        months[usize::from(date.month - 1)],
        date.year
    );
    if let Some((hour, minute)) = date.time {
        out.push_str(&format!(" {hour:02}:{minute:02}"));
        if date.utc {
            out.push_str(" UTC");
        } else if let Some(tz) = prop.param("TZID") {
            // A TZID may carry a leading '/' for globally unique names (RFC 5545 §3.2.19).
            let tz = tz.trim_start_matches('/').trim();
            if !tz.is_empty() {
                out.push(' ');
                out.push_str(tz);
            }
        }
    }
    out
}

struct Parsed {
    year: i32,
    month: u8,
    day: u8,
    time: Option<(u8, u8)>,
    utc: bool,
}

/// `YYYYMMDD` or `YYYYMMDDTHHMMSS[Z]`.
fn parse(value: &str) -> Option<Parsed> {
    let bytes = value.as_bytes();
    if bytes.len() < 8 || !bytes[..8].iter().all(u8::is_ascii_digit) {
        return None;
    }
    let year: i32 = value[..4].parse().ok()?;
    let month: u8 = value[4..6].parse().ok()?;
    let day: u8 = value[6..8].parse().ok()?;
    if !(1..=12).contains(&month) || day < 1 || day > days_in_month(year, month) {
        return None;
    }
    let rest = &value[8..];
    if rest.is_empty() {
        return Some(Parsed { year, month, day, time: None, utc: false });
    }
    let time = rest.strip_prefix('T')?;
    let (time, utc) = match time.strip_suffix('Z') {
        Some(t) => (t, true),
        None => (time, false),
    };
    if time.len() != 6 || !time.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let hour: u8 = time[..2].parse().ok()?;
    let minute: u8 = time[2..4].parse().ok()?;
    if hour > 23 || minute > 59 {
        return None;
    }
    Some(Parsed { year, month, day, time: Some((hour, minute)), utc })
}

fn is_leap(year: i32) -> bool {
    (year % 4 == 0 && year % 100 != 0) || year % 400 == 0
}

fn days_in_month(year: i32, month: u8) -> u8 {
    match month {
        2 if is_leap(year) => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

/// Day of the week, 0 = Sunday (Sakamoto's method on the proleptic Gregorian calendar).
fn weekday(year: i32, month: u8, day: u8) -> usize {
    const OFFSETS: [i32; 12] = [0, 3, 2, 5, 0, 3, 5, 1, 4, 6, 2, 4];
    let y = if month < 3 { year - 1 } else { year };
    let w = y + y / 4 - y / 100 + y / 400 + OFFSETS[usize::from(month - 1)] + i32::from(day);
    w.rem_euclid(7) as usize
}

#[cfg(test)]
mod tests {
    use super::*;
    use agora_ical::content::parse_line;

    fn show(line: &str) -> String {
        describe(&parse_line(line).unwrap(), Language::En)
    }

    #[test]
    fn formats_the_three_kinds_of_time() {
        assert_eq!(show("DTSTART:20260303T100000Z"), "Tue 3 Mar 2026 10:00 UTC");
        assert_eq!(show("DTSTART;TZID=Europe/Paris:20261225T093000"), "Fri 25 Dec 2026 09:30 Europe/Paris");
        assert_eq!(show("DTSTART:20240229T235900"), "Thu 29 Feb 2024 23:59");
        assert_eq!(show("DTSTART;VALUE=DATE:20000101"), "Sat 1 Jan 2000");
    }

    #[test]
    fn french_names_days_and_months_in_french() {
        let fr = |line: &str| describe(&parse_line(line).unwrap(), Language::Fr);
        assert_eq!(fr("DTSTART:20260303T100000Z"), "mar. 3 mars 2026 10:00 UTC");
        assert_eq!(fr("DTSTART;VALUE=DATE:20260815"), "sam. 15 août 2026");
    }

    #[test]
    fn invalid_values_are_shown_as_written() {
        assert_eq!(show("DTSTART:20250229T100000Z"), "20250229T100000Z");
        assert_eq!(show("DTSTART:2026-03-03"), "2026-03-03");
        assert_eq!(show("DTSTART:20260303T250000"), "20260303T250000");
        assert_eq!(show("DTSTART:20260303Té"), "20260303Té");
    }
}
