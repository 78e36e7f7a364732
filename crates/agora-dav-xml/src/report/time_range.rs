//! `<C:time-range>` and the UTC date-times of its attributes (RFC 4791 §9.9).

use crate::error::XmlError;
use crate::tree::XElem;

/// A time range in Unix seconds. `start` is inclusive, `end` exclusive; a
/// missing bound is open (RFC 4791 §9.9).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct TimeRange {
    /// Inclusive start, Unix seconds.
    pub start: Option<i64>,
    /// Exclusive end, Unix seconds.
    pub end: Option<i64>,
}

impl TimeRange {
    /// `<C:time-range start=".." end=".."/>`: at least one bound (§9.9).
    pub(crate) fn parse(e: &XElem) -> Result<TimeRange, XmlError> {
        let range = Self::parse_attrs(e)?;
        if range.start.is_none() && range.end.is_none() {
            return Err(XmlError::invalid("<C:time-range> needs a start or an end"));
        }
        Ok(range)
    }

    /// `<C:expand>`, `<C:limit-recurrence-set>`, `<C:limit-freebusy-set>`:
    /// both bounds are required (§9.6.5–§9.6.7).
    pub(crate) fn parse_bounded(e: &XElem) -> Result<TimeRange, XmlError> {
        let range = Self::parse_attrs(e)?;
        if range.start.is_none() || range.end.is_none() {
            return Err(XmlError::invalid(format!("<{}> needs both start and end", e.qname)));
        }
        Ok(range)
    }

    fn parse_attrs(e: &XElem) -> Result<TimeRange, XmlError> {
        let bound = |attr: &str| e.attr(attr).map(parse_utc_datetime).transpose();
        Ok(TimeRange { start: bound("start")?, end: bound("end")? })
    }
}

/// Parses an iCalendar UTC date-time (`20060104T000000Z`, RFC 5545 §3.3.5
/// form 2) into Unix seconds. RFC 4791 §9.9: time-range values MUST be UTC,
/// so floating and date-only values are refused.
pub fn parse_utc_datetime(s: &str) -> Result<i64, XmlError> {
    let bad = || XmlError::invalid(format!("{s:?} is not a UTC date-time like 20060104T000000Z"));
    let s = s.trim();
    let b = s.as_bytes();
    if b.len() != 16 || b[8] != b'T' || b[15] != b'Z' {
        return Err(bad());
    }
    let num = |from: usize, to: usize| -> Result<i64, XmlError> {
        let digits = &b[from..to];
        if !digits.iter().all(u8::is_ascii_digit) {
            return Err(bad());
        }
        Ok(digits.iter().fold(0i64, |n, d| n * 10 + i64::from(d - b'0')))
    };
    let (year, month, day) = (num(0, 4)?, num(4, 6)?, num(6, 8)?);
    let (hour, minute, second) = (num(9, 11)?, num(11, 13)?, num(13, 15)?);
    // Seconds may be 60 on a leap second (RFC 5545 §3.3.12).
    if !(1..=12).contains(&month)
        || day < 1
        || day > days_in_month(year, month)
        || hour > 23
        || minute > 59
        || second > 60
    {
        return Err(bad());
    }
    Ok(days_from_civil(year, month, day) * 86_400 + hour * 3600 + minute * 60 + second)
}

fn days_in_month(year: i64, month: i64) -> i64 {
    match month {
        2 if year % 4 == 0 && (year % 100 != 0 || year % 400 == 0) => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

/// Days since 1970-01-01 of a proleptic Gregorian date (the well-known
/// era-based algorithm: 400-year eras of 146 097 days).
fn days_from_civil(year: i64, month: i64, day: i64) -> i64 {
    let y = if month <= 2 { year - 1 } else { year };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (month + 9) % 12;
    let doy = (153 * mp + 2) / 5 + day - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn utc_datetimes() {
        assert_eq!(parse_utc_datetime("19700101T000000Z").unwrap(), 0);
        assert_eq!(parse_utc_datetime("20060104T000000Z").unwrap(), 1_136_332_800);
        assert_eq!(parse_utc_datetime("20000229T235959Z").unwrap(), 951_868_799);
        assert_eq!(parse_utc_datetime("00010101T000000Z").unwrap(), -62_135_596_800);
        assert_eq!(parse_utc_datetime(" 20380119T031408Z ").unwrap(), 2_147_483_648);
        for bad in [
            "20060104T000000",
            "20060104",
            "20060104T000000+0100",
            "20060230T000000Z",
            "20061304T000000Z",
            "20060104T240000Z",
            "2006-01-04T00:00:00Z",
            "2006010aT000000Z",
            "19000229T000000Z",
            "",
        ] {
            assert!(matches!(parse_utc_datetime(bad), Err(XmlError::Invalid(_))), "{bad}");
        }
    }
}
