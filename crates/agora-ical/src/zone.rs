//! [`TzSpec`]: a time zone that converts between local wall time and UTC.
//!
//! Three sources: a fixed offset (UTC included), an IANA zone from chrono-tz,
//! or a [`CustomZone`] evaluated from a VTIMEZONE's observances.
//!
//! Local → UTC follows RFC 5545 §3.3.5: a local time that falls in a gap
//! (spring forward) is interpreted with the offset *before* the gap, so
//! 02:30 in New York on a spring-forward day becomes 03:30 EDT; an ambiguous
//! local time (fall back) takes its first occurrence.

use std::sync::Arc;

use chrono::{DateTime, NaiveDateTime, Offset, TimeZone};

use crate::vtimezone::CustomZone;

/// A resolved time zone.
#[derive(Debug, Clone)]
pub struct TzSpec(Inner);

#[derive(Debug, Clone)]
enum Inner {
    Fixed(i32),
    Iana(chrono_tz::Tz),
    Custom(Arc<CustomZone>),
}

impl Default for TzSpec {
    fn default() -> Self {
        TzSpec::utc()
    }
}

impl PartialEq for TzSpec {
    fn eq(&self, other: &Self) -> bool {
        match (&self.0, &other.0) {
            (Inner::Fixed(a), Inner::Fixed(b)) => a == b,
            (Inner::Iana(a), Inner::Iana(b)) => a == b,
            (Inner::Custom(a), Inner::Custom(b)) => Arc::ptr_eq(a, b),
            _ => false,
        }
    }
}

impl TzSpec {
    /// UTC.
    pub fn utc() -> Self {
        TzSpec(Inner::Fixed(0))
    }

    /// A fixed offset east of UTC in seconds (|offset| < 26 h), else `None`.
    pub fn fixed(offset_secs: i32) -> Option<Self> {
        (offset_secs.abs() < 26 * 3600).then_some(TzSpec(Inner::Fixed(offset_secs)))
    }

    /// The zone a TZID names, without a VTIMEZONE: the one name table of Agora
    /// (every path — index, queries, expansion, free/busy, iTIP — resolves names here).
    ///
    /// In order: an IANA name or backward link (`Europe/Paris`, `US/Eastern`,
    /// `Asia/Calcutta`), also in another case; a vendor registry id, read by
    /// dropping leading `/…/` segments until the rest is an IANA name
    /// (`/freeassociation.sourceforge.net/Europe/Paris` and `…/Tzfile/…` from
    /// libical, `/mozilla.org/20050126_1/…`, `/softwarestudio.org/Olson_20011030_5/…`,
    /// `/citadel.org/…`; RFC 5545 §3.2.19 gives the leading `/` that meaning); a
    /// Windows or Outlook name (`W. Europe Standard Time`, `(UTC+01:00) Amsterdam,
    /// Berlin, …`) through calcard's table; a fixed offset written as a name
    /// (`UTC+01:00`, `GMT-5`, `UTC+0530`: Python's icalendar writes a datetime with a
    /// fixed offset so, without a VTIMEZONE). `None` when nothing matches.
    pub fn named(name: &str) -> Option<Self> {
        let name = name.trim();
        if let Some(tz) = iana(name) {
            return Some(TzSpec(Inner::Iana(tz)));
        }
        if let Some(fixed) = fixed_offset_name(name) {
            return Some(fixed);
        }
        // Vendor ids: `/registry/version/Area/City`, or any path ending in an IANA name.
        let mut rest = name;
        while let Some((_, tail)) = rest.split_once('/') {
            rest = tail;
            if let Some(tz) = iana(rest) {
                return Some(TzSpec(Inner::Iana(tz)));
            }
        }
        match name.parse::<calcard::common::timezone::Tz>().ok()? {
            calcard::common::timezone::Tz::Tz(tz) => Some(TzSpec(Inner::Iana(tz))),
            calcard::common::timezone::Tz::Fixed(off) => TzSpec::fixed(off.local_minus_utc()),
            calcard::common::timezone::Tz::Floating => None,
        }
    }

    /// The zone of a CalDAV `calendar-timezone` property value (RFC 4791 §5.2.2): a
    /// VCALENDAR holding exactly one VTIMEZONE, resolved like a VTIMEZONE inside an object.
    pub fn from_calendar_timezone(text: &str) -> Result<Self, crate::IcalError> {
        let ical = calcard::icalendar::ICalendar::parse(text)
            .map_err(|e| crate::IcalError::Invalid(format!("not iCalendar: {e:?}")))?;
        let tz = ical
            .components
            .iter()
            .position(|c| c.component_type == calcard::icalendar::ICalendarComponentType::VTimezone)
            .ok_or_else(|| crate::IcalError::Invalid("no VTIMEZONE".into()))?;
        crate::vtimezone::zone_from_vtimezone(&ical, tz as u32).map(|(_, z)| z)
    }

    pub(crate) fn custom(zone: CustomZone) -> Self {
        TzSpec(Inner::Custom(Arc::new(zone)))
    }

    /// The IANA name when this is an IANA zone, `"UTC"` for UTC, the TZID for a custom zone.
    pub fn name(&self) -> Option<&str> {
        match &self.0 {
            Inner::Fixed(0) => Some("UTC"),
            Inner::Fixed(_) => None,
            Inner::Iana(tz) => Some(tz.name()),
            Inner::Custom(z) => Some(z.name()),
        }
    }

    /// The UTC offset (seconds east) in effect at the UTC instant `utc`.
    pub fn offset_at(&self, utc: i64) -> i32 {
        match &self.0 {
            Inner::Fixed(o) => *o,
            Inner::Iana(tz) => match DateTime::from_timestamp(utc, 0) {
                Some(dt) => tz.offset_from_utc_datetime(&dt.naive_utc()).fix().local_minus_utc(),
                None => 0,
            },
            Inner::Custom(z) => z.offset_at(utc),
        }
    }

    /// Local wall time of the UTC instant `utc`.
    pub fn to_local(&self, utc: i64) -> NaiveDateTime {
        naive_from_secs(utc + i64::from(self.offset_at(utc)))
    }

    /// UTC instant of the local wall time `local` (gap → offset before the gap; ambiguous → first).
    pub fn to_utc(&self, local: NaiveDateTime) -> i64 {
        let l = naive_secs(local);
        if let Inner::Fixed(o) = self.0 {
            return l - i64::from(o);
        }
        // Offsets a day before and after; zones change offset at most once within two days.
        let before = self.offset_at(l - 86_400);
        let after = self.offset_at(l + 86_400);
        let mut best: Option<i64> = None;
        for o in [before, after] {
            let u = l - i64::from(o);
            if self.offset_at(u) == o {
                best = Some(best.map_or(u, |b| b.min(u)));
            }
        }
        best.unwrap_or(l - i64::from(before))
    }
}

/// An IANA zone or backward link by name, in any case (`europe/paris`).
fn iana(name: &str) -> Option<chrono_tz::Tz> {
    if name.is_empty() {
        return None;
    }
    name.parse::<chrono_tz::Tz>()
        .ok()
        .or_else(|| chrono_tz::TZ_VARIANTS.iter().find(|tz| tz.name().eq_ignore_ascii_case(name)).copied())
}

/// Seconds of a naive date-time as if it were UTC.
pub(crate) fn naive_secs(t: NaiveDateTime) -> i64 {
    t.and_utc().timestamp()
}

/// The naive date-time `secs` seconds after the epoch (clamped to chrono's range).
pub(crate) fn naive_from_secs(secs: i64) -> NaiveDateTime {
    let secs = secs.clamp(MIN_TS, MAX_TS);
    DateTime::from_timestamp(secs, 0).map(|d| d.naive_utc()).unwrap_or_default()
}

/// 0001-01-01T00:00:00Z: the earliest instant the engine works with.
pub const MIN_TS: i64 = -62_135_596_800;
/// 9999-12-31T23:59:59Z: the latest instant the engine works with.
pub const MAX_TS: i64 = 253_402_300_799;

/// An instant as an iCalendar UTC DATE-TIME (`20261124T090000Z`).
pub fn format_utc(ts: i64) -> String {
    chrono::DateTime::from_timestamp(ts, 0)
        .map(|d| d.format("%Y%m%dT%H%M%SZ").to_string())
        .unwrap_or_else(|| "99991231T235959Z".into())
}

/// `UTC±h`, `UTC±hh`, `UTC±hh:mm`, `UTC±hhmm` (or `GMT…`), east of UTC as written
/// (ISO 8601 sign, not the inverted POSIX sign of `Etc/GMT+1`, which the IANA table
/// resolves before this).
fn fixed_offset_name(name: &str) -> Option<TzSpec> {
    let upper = name.to_ascii_uppercase();
    let rest = upper.strip_prefix("UTC").or_else(|| upper.strip_prefix("GMT"))?;
    let (sign, digits) = match rest.as_bytes().first()? {
        b'+' => (1, &rest[1..]),
        b'-' => (-1, &rest[1..]),
        _ => return None,
    };
    let (hours, minutes) = match digits.split_once(':') {
        Some((h, m)) => (h, m),
        None if digits.len() == 4 => digits.split_at(2),
        None => (digits, "00"),
    };
    let all_digits = |s: &str| !s.is_empty() && s.len() <= 2 && s.bytes().all(|b| b.is_ascii_digit());
    if !all_digits(hours) || minutes.len() != 2 || !all_digits(minutes) {
        return None;
    }
    let (h, m): (i32, i32) = (hours.parse().ok()?, minutes.parse().ok()?);
    if h > 18 || m > 59 {
        return None;
    }
    TzSpec::fixed(sign * (h * 3600 + m * 60))
}

#[cfg(test)]
mod format_tests {
    #[test]
    fn utc_date_times() {
        assert_eq!(super::format_utc(0), "19700101T000000Z");
        assert_eq!(super::format_utc(951_782_400), "20000229T000000Z");
    }
}

#[cfg(test)]
mod windows_names {
    use super::TzSpec;

    /// Outlook and Exchange write Windows zone names in TZID (issue 17): each must
    /// resolve to the IANA zone Windows' own table (CLDR windowsZones) maps it to.
    #[test]
    fn outlook_zone_names_resolve_to_their_iana_zone() {
        for (windows, iana) in [
            ("W. Europe Standard Time", "Europe/Berlin"),
            ("Romance Standard Time", "Europe/Paris"),
            ("Eastern Standard Time", "America/New_York"),
            ("GMT Standard Time", "Europe/London"),
            ("Pacific Standard Time", "America/Los_Angeles"),
            ("Central Europe Standard Time", "Europe/Budapest"),
        ] {
            let named = TzSpec::named(windows).unwrap_or_else(|| panic!("{windows} resolves to nothing"));
            let expected = TzSpec::named(iana).unwrap();
            // Same offsets in winter and in summer (the names may be links of each other).
            for utc in [1_767_225_600, 1_782_864_000] {
                assert_eq!(named.offset_at(utc), expected.offset_at(utc), "{windows} at {utc}");
            }
        }
    }
}
