//! Evaluating a VTIMEZONE (RFC 5545 §3.6.5).
//!
//! If the VTIMEZONE's TZID, X-LIC-LOCATION or X-MICROSOFT-CDO-TZID names a
//! known zone ([`TzSpec::named`]: IANA names and links, vendor ids, Windows
//! names), the IANA rules are used and the observances are ignored — also when
//! they disagree (an outdated `Brazil/East` still observing DST, abolished in
//! 2019). Deliberately: the date-time in the object is the wall time its author
//! meant in that place, and today's tz database is the best knowledge of which
//! instant that wall time is; clients send VTIMEZONEs truncated to the rules of
//! the year they were written (or older, when their own copy is stale), while
//! events lie in any year; and every object naming the zone then agrees, however
//! old the client that wrote it (CalConnect's cc-r0602 recommends the same).
//! Otherwise the STANDARD/DAYLIGHT observances are evaluated:
//! every onset (DTSTART, RRULE occurrences, RDATEs — all local times in the
//! offset TZOFFSETFROM) becomes a transition to TZOFFSETTO at
//! `onset - TZOFFSETFROM` UTC. Rules are expanded up to [`HORIZON_YEAR`];
//! later instants keep the last offset. Before the first onset, the first
//! observance's TZOFFSETFROM applies.

use calcard::icalendar::{ICalendar, ICalendarComponentType, ICalendarProperty, ICalendarValue};
use chrono::NaiveDate;

use crate::IcalError;
use crate::rule::{Rule, Until};
use crate::rule_iter::RuleIter;
use crate::values::{self, DateVal};
use crate::zone::{TzSpec, naive_secs};

/// Observance rules are expanded through the end of this year.
pub const HORIZON_YEAR: i32 = 2200;

/// A zone defined only by VTIMEZONE observances: sorted UTC transitions.
#[derive(Debug)]
pub struct CustomZone {
    name: String,
    initial: i32,
    /// `(utc instant, offset from then on)`, ascending.
    transitions: Vec<(i64, i32)>,
}

impl CustomZone {
    /// The TZID.
    pub fn name(&self) -> &str {
        &self.name
    }

    /// Offset in effect at `utc`.
    pub fn offset_at(&self, utc: i64) -> i32 {
        match self.transitions.partition_point(|(t, _)| *t <= utc) {
            0 => self.initial,
            i => self.transitions[i - 1].1,
        }
    }
}

/// The TZID and zone of the VTIMEZONE at component index `id`.
pub(crate) fn zone_from_vtimezone(ical: &ICalendar, id: u32) -> Result<(String, TzSpec), IcalError> {
    let comp = &ical.components[id as usize];
    let tzid = comp
        .property(&ICalendarProperty::Tzid)
        .and_then(|e| e.values.first())
        .and_then(|v| v.as_text())
        .ok_or_else(|| IcalError::Invalid("VTIMEZONE without TZID".into()))?
        .to_string();
    if let Some(z) = known_zone(comp, &tzid) {
        return Ok((tzid, z));
    }
    let horizon =
        NaiveDate::from_ymd_opt(HORIZON_YEAR, 12, 31).and_then(|d| d.and_hms_opt(23, 59, 59)).unwrap_or_default();
    let mut transitions = Vec::new();
    for &cid in &comp.component_ids {
        let obs = &ical.components[cid as usize];
        if !matches!(obs.component_type, ICalendarComponentType::Standard | ICalendarComponentType::Daylight) {
            continue;
        }
        let bad = |what: &str| IcalError::Invalid(format!("VTIMEZONE {tzid}: bad {what}"));
        let from = offset(obs, &ICalendarProperty::Tzoffsetfrom).ok_or_else(|| bad("TZOFFSETFROM"))?;
        let to = offset(obs, &ICalendarProperty::Tzoffsetto).ok_or_else(|| bad("TZOFFSETTO"))?;
        let start = match values::date_prop(obs, &ICalendarProperty::Dtstart).map_err(|_| bad("DTSTART"))? {
            Some(DateVal::Floating(t) | DateVal::Zoned(t, _) | DateVal::Utc(t)) => t,
            Some(DateVal::Date(d)) => d.and_hms_opt(0, 0, 0).unwrap_or_default(),
            None => return Err(bad("DTSTART")),
        };
        let from_zone = TzSpec::fixed(from).ok_or_else(|| bad("TZOFFSETFROM"))?;
        let mut onsets = vec![start];
        for e in obs.properties(&ICalendarProperty::Rrule) {
            let Some(ICalendarValue::RecurrenceRule(r)) = e.values.first() else { return Err(bad("RRULE")) };
            let until = match r.until.as_ref().and_then(DateVal::from_partial) {
                Some(DateVal::Utc(u)) => Some(Until::Utc(naive_secs(u))),
                Some(DateVal::Date(d)) => Some(Until::Date(d)),
                Some(DateVal::Floating(l) | DateVal::Zoned(l, _)) => Some(Until::Local(l)),
                None => None,
            };
            let rule = Rule::new(r, start, until);
            onsets.extend(RuleIter::new(&rule, start, &from_zone, None, horizon).skip(1));
        }
        for e in obs.properties(&ICalendarProperty::Rdate) {
            for v in &e.values {
                match v.as_partial_date_time().and_then(DateVal::from_partial) {
                    Some(DateVal::Utc(u)) => onsets.push(u + chrono::Duration::seconds(i64::from(from))),
                    Some(DateVal::Floating(t) | DateVal::Zoned(t, _)) => onsets.push(t),
                    _ => {}
                }
            }
        }
        transitions.extend(onsets.into_iter().map(|t| (naive_secs(t) - i64::from(from), to)));
    }
    transitions.sort_unstable();
    let Some(&(first_at, _)) = transitions.first() else {
        return Err(IcalError::Invalid(format!("VTIMEZONE {tzid} has no STANDARD or DAYLIGHT")));
    };
    // The offset before the first onset is the TZOFFSETFROM of that onset's observance.
    let initial = first_offset_from(ical, id, first_at).unwrap_or(transitions[0].1);
    Ok((tzid.clone(), TzSpec::custom(CustomZone { name: tzid, initial, transitions })))
}

/// The known zone a VTIMEZONE names by its TZID, X-LIC-LOCATION (libical) or
/// X-MICROSOFT-CDO-TZID (Outlook's numeric zone), resolved like a TZID without
/// VTIMEZONE ([`TzSpec::named`]), so both paths read a name the same way.
fn known_zone(comp: &calcard::icalendar::ICalendarComponent, tzid: &str) -> Option<TzSpec> {
    let text = |name: &str| {
        comp.entries.iter().find_map(|e| match (&e.name, e.values.first()) {
            (ICalendarProperty::Other(n), Some(v)) if n.eq_ignore_ascii_case(name) => v.as_text(),
            _ => None,
        })
    };
    TzSpec::named(tzid).or_else(|| text("X-LIC-LOCATION").and_then(TzSpec::named)).or_else(|| {
        match calcard::common::timezone::Tz::from_ms_cdo_zone_id(text("X-MICROSOFT-CDO-TZID")?)? {
            calcard::common::timezone::Tz::Tz(tz) => TzSpec::named(tz.name()),
            _ => None,
        }
    })
}

/// TZOFFSETFROM of the observance whose DTSTART is the earliest onset.
fn first_offset_from(ical: &ICalendar, id: u32, first_at: i64) -> Option<i32> {
    ical.components[id as usize].component_ids.iter().find_map(|&cid| {
        let obs = &ical.components[cid as usize];
        let from = offset(obs, &ICalendarProperty::Tzoffsetfrom)?;
        match values::date_prop(obs, &ICalendarProperty::Dtstart).ok()?? {
            DateVal::Floating(t) if naive_secs(t) - i64::from(from) == first_at => Some(from),
            _ => None,
        }
    })
}

/// A UTC-OFFSET property value in seconds east of UTC.
fn offset(comp: &calcard::icalendar::ICalendarComponent, name: &ICalendarProperty) -> Option<i32> {
    let v = comp.property(name)?.values.first()?.as_partial_date_time()?;
    let secs = i32::from(v.tz_hour?) * 3600 + i32::from(v.tz_minute.unwrap_or(0)) * 60;
    Some(if v.tz_minus { -secs } else { secs })
}
