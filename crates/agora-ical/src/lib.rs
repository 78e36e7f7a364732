//! iCalendar for Agora: validation of calendar object resources, time zones,
//! recurrence expansion and the RFC 4791 time-range semantics that CalDAV
//! queries, `CALDAV:expand` and the instance index need. Pure functions, no I/O.
//!
//! Parsing uses `calcard` (lenient), but expansion is our own: calcard's
//! `expand_dates` has no window, one shared instance budget, compares a UTC
//! UNTIL as floating, matches overrides by SEQUENCE and ignores VTIMEZONE rules.
//!
//! # Layout
//! * [`intake`] — what a client may write: repairs (byte-order mark, `METHOD:PUBLISH`)
//!   and refusals (unresolvable TZIDs, bad TEXT escapes, non-integers) on the way in.
//! * `model` — public value types ([`IcalError`], [`Instance`], [`Span`], [`Shape`], [`CalendarInfo`]).
//! * `object` — [`CalendarObject::parse`]: RFC 4791 §4.1 validation, indexable [`CalendarInfo`].
//! * `values`, `component` — typed dates/durations/periods and the per-component times (bad values → [`IcalError::Invalid`]).
//! * `zone`, `vtimezone`, `resolver` — [`TzSpec`] (fixed, IANA, or evaluated VTIMEZONE rules) and the [`TzResolver`] order.
//! * `rule`, `calendar_math`, `rule_iter` — RRULE (RFC 5545 §3.3.10) normalisation, per-period candidate sets, iteration.
//! * `series` — RRULE ∪ RDATE − EXDATE with overrides (incl. THISANDFUTURE) inside a window.
//! * `ranges`, `query` — the §9.9 tables, [`overlaps`], [`alarms_overlap`], [`expand`], [`object_span`].
//! * `expand_ical` — [`expand_to_ical`] for `CALDAV:expand` (§9.6.5).
//! * [`contacts_csv`] — Outlook's contacts CSV export (English and French headers,
//!   UTF-8 or Windows-1252) to vCard 4.0, for `agora import`.
//! * [`birthdays`] — the birthdays and anniversaries of a vCard as yearly all-day events.
//! * [`content`] — the one content-line reader and writer (RFC 5545 §3.1, RFC 6350
//!   §3.2, RFC 6868): logical lines (unfolding, with each line's stored text), one
//!   parsed line, a lenient and a strict component tree, serialization. Every module
//!   that reads the text as written uses it: [`filter`] (text-match), [`itip`],
//!   [`partial`] (`calendar-data` selection), [`feed`] (merge and split),
//!   [`vcard::split_cards`], [`json`] (jCal/jCard), [`availability`], [`freebusy`],
//!   and agora-imip's description of a message. Meaning (values, recurrence,
//!   validation, [`privacy`]) comes from calcard's tree in [`CalendarObject`].
//!
//! # Design
//! * All instants are Unix seconds UTC (`i64`). Recurrences are expanded in the
//!   master's local wall time and converted afterwards, so weekly 09:00 stays
//!   09:00 across DST; a nonexistent local time moves forward by the gap
//!   (RFC 5545 §3.3.5) and an ambiguous one takes its first occurrence.
//! * The *floating zone* is passed by the caller (the collection's
//!   `calendar-timezone`, or the request's `timezone`; UTC if none). It is used
//!   for floating date-times, all-day dates (RFC 4791 §9.9) and for TZIDs that
//!   resolve to nothing. See [`TzResolver`] for the TZID order.
//! * Work is bounded by the window: rules without COUNT jump to the window's
//!   first period; COUNT rules with one occurrence per period skip ahead
//!   arithmetically, other COUNT rules count from DTSTART (O(periods), capped at
//!   5 M periods — beyond that a pathological rule is truncated); sub-daily
//!   rules skip whole days/hours that fail BYxxx; open-ended queries expand
//!   doubling windows and stop at the first match; [`object_span`] enumerates at
//!   most [`SPAN_BUDGET`] instances (else the span is reported open-ended).
//!   No step is quadratic in the number of instances (sorting aside).
//! * RECURRENCE-ID, EXDATE and RDATE match instances by UTC instant (so a UTC
//!   RECURRENCE-ID on a TZID master works); DATE EXDATEs remove a local day.
//! * DTSTART is always the first instance and counts towards COUNT (RFC 5545 §3.3.10).
//! * Custom VTIMEZONE rules are evaluated up to [`HORIZON_YEAR`].
//!
//! # Not implemented
//! * `CALDAV:limit-recurrence-set` (§9.6.6) — TODO: return the master plus the
//!   overrides whose instance overlaps the range; [`expand`] already gives the set.
//! * EXRULE (deprecated in RFC 5545), RSCALE/SKIP (RFC 7529), leap seconds.
//! * BYWEEKNO selects days of the period's year by their week number, so days of
//!   week 1 that fall in late December belong to the earlier year's period.

pub mod availability;
pub mod birthdays;
mod calendar_math;
mod component;
pub mod contacts_csv;
pub mod content;
mod expand_ical;
pub mod feed;
pub mod filter;
pub mod freebusy;
mod instance_index;
pub mod intake;
pub mod itip;
pub mod json;
pub mod language;
pub use language::{Language, UnsupportedLanguage};
mod model;
mod object;
pub mod partial;
pub mod privacy;
mod query;
mod ranges;
mod resolver;
mod rule;
mod rule_iter;
mod series;
mod values;
pub mod vcard;
mod vtimezone;
mod zone;

pub use expand_ical::expand_to_ical;
pub use instance_index::{FLOATING_SLACK, InstanceIndex, MAX_PIECES, PIECE, instance_index};
pub use model::{CalendarInfo, Class, ComponentKind, IcalError, Instance, Shape, Span, Status};
pub use object::CalendarObject;
pub use query::{SPAN_BUDGET, alarms_overlap, expand, object_span, overlaps};
pub use resolver::TzResolver;
pub use vtimezone::{CustomZone, HORIZON_YEAR};
pub use zone::{MAX_TS, MIN_TS, TzSpec, format_utc};

pub(crate) use ranges::special;

/// The instance cap [`expand_to_ical`] applies (a server can enforce its own
/// `CALDAV:max-instances` with [`expand`] first).
pub const DEFAULT_MAX_INSTANCES: usize = 10_000;

/// Parses and validates a calendar object resource (RFC 4791 §4.1) and returns
/// what the server indexes, with the span evaluated in `floating`.
///
/// Rules: exactly one VCALENDAR; all non-VTIMEZONE components of one type among
/// VEVENT/VTODO/VJOURNAL/VFREEBUSY/VAVAILABILITY (other types →
/// [`IcalError::UnsupportedComponent`]); every component has the same UID; at most one
/// component without RECURRENCE-ID and no duplicate RECURRENCE-IDs (→
/// [`IcalError::NotAnObjectResource`]); DTSTART/DTEND/DUE/RECURRENCE-ID/RDATE/EXDATE/
/// RRULE/DURATION/TRIGGER values parse, DTEND and DURATION (DUE and DURATION) are not
/// both present, DTSTART and DTEND/DUE have the same value type, VEVENT has DTSTART
/// unless the VCALENDAR has a METHOD, RRULE/RDATE need DTSTART, VTIMEZONEs have
/// usable observances (→ [`IcalError::Invalid`]). METHOD itself is reported in
/// [`CalendarInfo::method`], not rejected.
pub fn parse_calendar(bytes: &[u8], floating: &TzSpec) -> Result<CalendarInfo, IcalError> {
    Ok(CalendarObject::parse(bytes)?.info(floating))
}
