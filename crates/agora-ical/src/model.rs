//! Public value types: errors, component kinds, spans and instances.

use std::fmt;

/// Why a calendar object was rejected or could not be processed.
///
/// The variants map onto the CalDAV preconditions of RFC 4791 §5.3.2.1:
/// `Invalid` → `CALDAV:valid-calendar-data`, `NotAnObjectResource` →
/// `CALDAV:valid-calendar-object-resource`, `UnsupportedComponent` →
/// `CALDAV:supported-calendar-component`, `TooManyInstances` → `CALDAV:max-instances`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum IcalError {
    /// The bytes are not valid iCalendar data (syntax, or an important value that does not parse).
    Invalid(String),
    /// Valid iCalendar, but not a valid calendar object resource (RFC 4791 §4.1).
    NotAnObjectResource(String),
    /// The object holds a component type the server does not store (e.g. only VTIMEZONE, or X- components).
    UnsupportedComponent(String),
    /// An expansion produced more instances than the caller allowed.
    TooManyInstances(usize),
}

impl fmt::Display for IcalError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            IcalError::Invalid(m) => write!(f, "invalid calendar data: {m}"),
            IcalError::NotAnObjectResource(m) => write!(f, "not a calendar object resource: {m}"),
            IcalError::UnsupportedComponent(m) => write!(f, "unsupported component: {m}"),
            IcalError::TooManyInstances(n) => write!(f, "more than {n} instances"),
        }
    }
}

impl std::error::Error for IcalError {}

/// The kind of the (non-VTIMEZONE) components of a calendar object resource.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ComponentKind {
    /// VEVENT.
    Event,
    /// VTODO.
    Todo,
    /// VJOURNAL.
    Journal,
    /// VFREEBUSY.
    FreeBusy,
    /// VAVAILABILITY (RFC 7953); stored, but it has no time-range semantics here.
    Availability,
}

impl ComponentKind {
    /// The iCalendar component name, e.g. `"VEVENT"`.
    pub fn as_str(self) -> &'static str {
        match self {
            ComponentKind::Event => "VEVENT",
            ComponentKind::Todo => "VTODO",
            ComponentKind::Journal => "VJOURNAL",
            ComponentKind::FreeBusy => "VFREEBUSY",
            ComponentKind::Availability => "VAVAILABILITY",
        }
    }
}

/// The CLASS property (RFC 5545 §3.8.1.3); unknown values are kept as `Other`.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Default)]
pub enum Class {
    /// PUBLIC (also the default when CLASS is absent).
    #[default]
    Public,
    /// PRIVATE.
    Private,
    /// CONFIDENTIAL.
    Confidential,
    /// An x-name or iana-token value.
    Other(String),
}

/// The STATUS property (RFC 5545 §3.8.1.11) of an instance.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Status {
    /// TENTATIVE (VEVENT).
    Tentative,
    /// CONFIRMED (VEVENT).
    Confirmed,
    /// CANCELLED (all).
    Cancelled,
    /// NEEDS-ACTION (VTODO).
    NeedsAction,
    /// COMPLETED (VTODO).
    Completed,
    /// IN-PROCESS (VTODO).
    InProcess,
    /// DRAFT (VJOURNAL).
    Draft,
    /// FINAL (VJOURNAL).
    Final,
    /// Any other value.
    Other,
}

/// The overall extent of an object for the index: every instance (in the
/// conservative sense of [`Shape::overlaps`]) lies within the closed interval
/// `[start, end]`; `end == None` means open-ended (endless recurrence, or a
/// VTODO that matches every later range).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Span {
    /// Earliest instant (Unix seconds UTC); `i64::MIN` when the object matches every range.
    pub start: i64,
    /// Latest instant (Unix seconds UTC), or `None` when open-ended.
    pub end: Option<i64>,
}

/// How an instance's `[start, end]` is compared with a time range: the rows
/// of the RFC 4791 §9.9 tables, reduced to the cases that actually differ.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Shape {
    /// VEVENT / VJOURNAL / FREEBUSY period: `start < end_i AND end > start_i`, or for a
    /// zero-length instance `start <= start_i AND end > start_i`.
    Interval,
    /// VTODO with DTSTART+DURATION: `start <= end_i AND (end > start_i OR end >= end_i)`.
    TodoDuration,
    /// VTODO with DTSTART+DUE: `(start < end_i OR start <= start_i) AND (end > start_i OR end >= end_i)`.
    TodoDue,
    /// VTODO with only DUE (`start_i == end_i == DUE`): `start < DUE AND end >= DUE`.
    DueOnly,
    /// Closed interval test `start <= end_i AND end >= start_i` (VTODO COMPLETED/CREATED rows).
    Closed,
    /// VFREEBUSY without FREEBUSY periods: `start <= end_i AND end > start_i`.
    EndInclusive,
    /// VTODO with only CREATED: `end > start_i` (`end_i` is `i64::MAX`).
    After,
    /// VTODO without any date: matches every range.
    Always,
}

impl Shape {
    /// Applies the §9.9 condition to an instance `[s, e]` and a range `[a, b)`;
    /// pass `i64::MIN` / `i64::MAX` for an absent range start / end.
    pub fn overlaps(self, s: i64, e: i64, a: i64, b: i64) -> bool {
        match self {
            Shape::Interval if e > s => a < e && b > s,
            Shape::Interval => a <= s && b > s,
            Shape::TodoDuration => a <= e && (b > s || b >= e),
            Shape::TodoDue => (a < e || a <= s) && (b > s || b >= e),
            Shape::DueOnly => a < e && b >= e,
            Shape::Closed => a <= e && b >= s,
            Shape::EndInclusive => a <= e && b > s,
            Shape::After => b > s,
            Shape::Always => true,
        }
    }
}

/// One instance of a recurrence set (or the single instance of a non-recurring component).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Instance {
    /// Start, Unix seconds UTC (for a DUE-only VTODO: the DUE).
    pub start: i64,
    /// End (DTEND, DTSTART+DURATION, DUE), Unix seconds UTC; equal to `start` for zero-length instances.
    pub end: i64,
    /// The original start of this instance (its RECURRENCE-ID), Unix seconds UTC.
    pub recurrence_id: i64,
    /// True when the instance comes from an overriding component (RECURRENCE-ID), incl. THISANDFUTURE.
    pub is_override: bool,
    /// TRANSP:TRANSPARENT (free/busy ignores it).
    pub transparent: bool,
    /// STATUS of the component the instance comes from.
    pub status: Option<Status>,
    /// Which §9.9 condition applies to `start`/`end`.
    pub shape: Shape,
}

impl Instance {
    /// RFC 4791 §9.9: does this instance overlap the time range (absent bounds are infinite)?
    pub fn overlaps(&self, range_start: Option<i64>, range_end: Option<i64>) -> bool {
        self.shape.overlaps(self.start, self.end, range_start.unwrap_or(i64::MIN), range_end.unwrap_or(i64::MAX))
    }
}

/// What the server indexes about a calendar object resource.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CalendarInfo {
    /// The UID shared by all components.
    pub uid: String,
    /// The component type.
    pub kind: ComponentKind,
    /// Overall extent, evaluated with the floating zone given to [`crate::parse_calendar`];
    /// `None` when no time range can match (e.g. a VJOURNAL without DTSTART, RFC 4791 §9.9).
    pub span: Option<Span>,
    /// True when some date is floating or all-day, so `span` depends on the floating zone.
    pub has_floating: bool,
    /// True when the master has RRULE or RDATE, or there are overrides.
    pub is_recurring: bool,
    /// CLASS of the master (or first component).
    pub class: Class,
    /// Some component has a VALARM.
    pub has_alarms: bool,
    /// Has an ORGANIZER (a scheduling object resource, RFC 6638 §3.1).
    pub is_scheduling_object: bool,
    /// ORGANIZER calendar address (with `mailto:` kept as written).
    pub organizer: Option<String>,
    /// ATTENDEE addresses over all components, deduplicated, in first-seen order.
    pub attendees: Vec<String>,
    /// SEQUENCE of the master (or the highest over overrides when there is no master); 0 when absent.
    pub sequence: i64,
    /// The VCALENDAR's METHOD, if any (RFC 4791 §4.1 forbids it in calendar collections; the caller decides).
    pub method: Option<String>,
}
