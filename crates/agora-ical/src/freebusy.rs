//! Free/busy time (RFC 5545 §3.6.4, RFC 4791 §7.10, RFC 6638 / RFC 5546 §3.3):
//! the busy periods stored objects contribute, merging them by FBTYPE, the
//! VFREEBUSY answer and the parsing of a VFREEBUSY REQUEST.
//!
//! Only times are revealed, never summaries or other details. Calendar
//! availability (RFC 7953) is in [`crate::availability`]; its periods are
//! combined with these by [`merge`].

use std::hash::{DefaultHasher, Hash, Hasher};

use calcard::icalendar::{
    ICalendarEntry, ICalendarFreeBusyType, ICalendarParameterName, ICalendarParameterValue, ICalendarPeriod,
    ICalendarProperty, ICalendarValue,
};

use crate::availability::{first_instance, line_as, zones_text};
use crate::content::{self, Line};
use crate::model::{ComponentKind, Status};
use crate::resolver::TzResolver;
use crate::values::{DateVal, Dur};
use crate::zone::{TzSpec, format_utc};
use crate::{CalendarObject, expand};

/// The busy kinds of the FBTYPE parameter (RFC 5545 §3.2.9); FREE is the absence of a period.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum FbType {
    /// BUSY: busy with an event.
    Busy,
    /// BUSY-TENTATIVE: busy with a tentative event.
    BusyTentative,
    /// BUSY-UNAVAILABLE: outside the hours the user is available (RFC 7953).
    BusyUnavailable,
}

impl FbType {
    /// The parameter value, e.g. `"BUSY-TENTATIVE"`.
    pub fn as_str(self) -> &'static str {
        match self {
            FbType::Busy => "BUSY",
            FbType::BusyTentative => "BUSY-TENTATIVE",
            FbType::BusyUnavailable => "BUSY-UNAVAILABLE",
        }
    }

    /// Precedence where kinds overlap: BUSY > BUSY-UNAVAILABLE > BUSY-TENTATIVE (0 is strongest).
    fn rank(self) -> usize {
        match self {
            FbType::Busy => 0,
            FbType::BusyUnavailable => 1,
            FbType::BusyTentative => 2,
        }
    }
}

const BY_RANK: [FbType; 3] = [FbType::Busy, FbType::BusyUnavailable, FbType::BusyTentative];

/// A busy period `[start, end)` in Unix seconds UTC.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Period {
    /// Start (inclusive).
    pub start: i64,
    /// End (exclusive).
    pub end: i64,
    /// What kind of busy.
    pub kind: FbType,
}

/// The busy periods one stored object contributes to `[start, end)`, clipped to it.
///
/// VEVENT instances only (RFC 4791 §7.10, RFC 6638 §3.2.4): TRANSP:TRANSPARENT and
/// STATUS:CANCELLED instances are free, STATUS:TENTATIVE ones are BUSY-TENTATIVE, all
/// others BUSY; zero-length instances occupy no time. A VFREEBUSY object contributes its
/// FREEBUSY periods with their FBTYPE (absent or unknown → BUSY, FREE ignored; RFC 5545
/// §3.2.9). `floating` is the zone of floating and all-day times. Unparseable objects,
/// other component types, and objects with more than `max_instances` instances in the
/// range contribute nothing.
pub fn busy_periods(data: &[u8], start: i64, end: i64, floating: &TzSpec, max_instances: usize) -> Vec<Period> {
    let mut out = Vec::new();
    if start >= end {
        return out;
    }
    let Ok(obj) = CalendarObject::parse(data) else { return out };
    let mut push = |s: i64, e: i64, kind| {
        let (s, e) = (s.max(start), e.min(end));
        if s < e {
            out.push(Period { start: s, end: e, kind });
        }
    };
    match obj.kind() {
        ComponentKind::Event => {
            let Ok(list) = expand(&obj, start, end, floating, max_instances) else { return Vec::new() };
            for i in list {
                let kind = match i.status {
                    _ if i.transparent => continue,
                    Some(Status::Cancelled) => continue,
                    Some(Status::Tentative) => FbType::BusyTentative,
                    _ => FbType::Busy,
                };
                push(i.start, i.end, kind);
            }
        }
        ComponentKind::FreeBusy => {
            let res = TzResolver::new(&obj, floating);
            for c in obj.comps() {
                for e in obj.ical().components[c.id as usize].properties(&ICalendarProperty::Freebusy) {
                    let Some(kind) = fbtype(e) else { continue };
                    for v in &e.values {
                        if let ICalendarValue::Period(p) = v
                            && let Some((s, e)) = period_bounds(p, e.tz_id(), &res)
                        {
                            push(s, e, kind);
                        }
                    }
                }
            }
        }
        _ => {}
    }
    out
}

/// The FBTYPE of a FREEBUSY property; `None` for FREE. Unknown values count as BUSY (RFC 5545 §3.2.9).
fn fbtype(e: &ICalendarEntry) -> Option<FbType> {
    match e.parameters(&ICalendarParameterName::Fbtype).next() {
        Some(ICalendarParameterValue::Fbtype(t)) => match t {
            ICalendarFreeBusyType::Free => None,
            ICalendarFreeBusyType::Busy => Some(FbType::Busy),
            ICalendarFreeBusyType::BusyUnavailable => Some(FbType::BusyUnavailable),
            ICalendarFreeBusyType::BusyTentative => Some(FbType::BusyTentative),
        },
        Some(ICalendarParameterValue::Text(t)) if t.eq_ignore_ascii_case("FREE") => None,
        _ => Some(FbType::Busy),
    }
}

/// A FREEBUSY period's instants (the values are UTC per RFC 5545 §3.8.2.6; others are tolerated).
fn period_bounds(p: &ICalendarPeriod, tzid: Option<&str>, res: &TzResolver) -> Option<(i64, i64)> {
    let at = |v| DateVal::from_partial(v).map(|d| res.instant(&d.with_tzid(tzid)));
    match p {
        ICalendarPeriod::Range { start, end } => Some((at(start)?, at(end)?)),
        ICalendarPeriod::Duration { start, duration } => {
            let s = at(start)?;
            Some((s, s.saturating_add(Dur::from_ical(duration).exact())))
        }
    }
}

/// Merges periods: overlapping or adjacent periods of the same kind are joined, and where
/// kinds overlap the stronger one wins (BUSY > BUSY-UNAVAILABLE > BUSY-TENTATIVE, the order
/// RFC 7953 §4 uses to combine availability with events), splitting the weaker period.
/// Empty periods are dropped; the result is sorted by start and non-overlapping.
pub fn merge(periods: Vec<Period>) -> Vec<Period> {
    // A sweep over the boundaries, counting how many periods of each kind are open.
    let mut events: Vec<(i64, i64, usize)> = Vec::with_capacity(periods.len() * 2);
    for p in periods.iter().filter(|p| p.start < p.end) {
        events.push((p.start, 1, p.kind.rank()));
        events.push((p.end, -1, p.kind.rank()));
    }
    events.sort_unstable_by_key(|&(t, _, _)| t);
    let mut open = [0i64; 3];
    let mut out: Vec<Period> = Vec::new();
    let mut i = 0;
    while i < events.len() {
        let t = events[i].0;
        while let Some(&(u, delta, rank)) = events.get(i)
            && u == t
        {
            open[rank] += delta;
            i += 1;
        }
        let Some(&(next, _, _)) = events.get(i) else { break };
        let Some(kind) = open.iter().position(|&n| n > 0).map(|r| BY_RANK[r]) else { continue };
        match out.last_mut() {
            Some(last) if last.end == t && last.kind == kind => last.end = next,
            _ => out.push(Period { start: t, end: next, kind }),
        }
    }
    out
}

/// What to put in a VFREEBUSY answer (see [`vfreebusy`]).
#[derive(Debug, Clone, Copy)]
pub struct FbReply<'a> {
    /// `Some("REPLY")` for a scheduling reply (RFC 5546 §3.3.3), `None` for a
    /// free-busy-query answer (RFC 4791 §7.10) or a plain free/busy URL.
    pub method: Option<&'a str>,
    /// The request's UID (a REPLY without one gets a derived UID).
    pub uid: Option<&'a str>,
    /// ORGANIZER calendar address (for a REPLY).
    pub organizer: Option<&'a str>,
    /// ATTENDEE calendar address whose time this is (for a REPLY).
    pub attendee: Option<&'a str>,
    /// DTSTART, Unix seconds UTC.
    pub start: i64,
    /// DTEND, Unix seconds UTC.
    pub end: i64,
    /// DTSTAMP, Unix seconds UTC.
    pub now: i64,
    /// The busy periods, normally the result of [`merge`].
    pub periods: &'a [Period],
}

/// A VCALENDAR holding one VFREEBUSY: METHOD when given, UID/ORGANIZER/ATTENDEE when
/// given, DTSTAMP, DTSTART, DTEND, then one `FREEBUSY;FBTYPE=…:start/end` line per
/// non-empty period in UTC, sorted by start (RFC 5545 §3.8.2.6). CRLF line ends,
/// lines folded at 75 octets (RFC 5545 §3.1); control characters are removed from values.
pub fn vfreebusy(r: &FbReply) -> String {
    let mut lines = vec![
        "BEGIN:VCALENDAR".to_string(),
        "VERSION:2.0".to_string(),
        format!("PRODID:-//Agora//Agora {}//EN", env!("CARGO_PKG_VERSION")),
    ];
    if let Some(m) = r.method {
        lines.push(format!("METHOD:{}", clean(m)));
    }
    lines.push("BEGIN:VFREEBUSY".into());
    let is_reply = r.method.is_some_and(|m| m.trim().eq_ignore_ascii_case("REPLY"));
    match r.uid {
        Some(u) => lines.push(format!("UID:{}", clean(u))),
        // RFC 5546 §3.3.3: a REPLY needs a UID.
        None if is_reply => lines.push(format!("UID:{}", derived_uid(r))),
        None => {}
    }
    lines.push(format!("DTSTAMP:{}", format_utc(r.now)));
    lines.push(format!("DTSTART:{}", format_utc(r.start)));
    lines.push(format!("DTEND:{}", format_utc(r.end)));
    if let Some(o) = r.organizer {
        lines.push(format!("ORGANIZER:{}", clean(o)));
    }
    if let Some(a) = r.attendee {
        lines.push(format!("ATTENDEE:{}", clean(a)));
    }
    let mut periods: Vec<&Period> = r.periods.iter().filter(|p| p.start < p.end).collect();
    periods.sort_by_key(|p| (p.start, p.end, p.kind.rank()));
    for p in periods {
        lines.push(format!("FREEBUSY;FBTYPE={}:{}/{}", p.kind.as_str(), format_utc(p.start), format_utc(p.end)));
    }
    lines.push("END:VFREEBUSY".into());
    lines.push("END:VCALENDAR".into());
    let mut out = String::new();
    for l in &lines {
        crate::content::fold_into(l, &mut out);
    }
    out
}

/// A value without control characters (no CR/LF injection), trimmed.
fn clean(v: &str) -> String {
    v.chars().filter(|c| !c.is_control()).collect::<String>().trim().to_string()
}

/// A stable UID for a REPLY whose request had none.
fn derived_uid(r: &FbReply) -> String {
    let mut h = DefaultHasher::new();
    (r.organizer, r.attendee, r.start, r.end, r.now).hash(&mut h);
    format!("{:016x}-freebusy@agora", h.finish())
}

/// A VFREEBUSY REQUEST (RFC 5546 §3.3.2, RFC 6638 §3.2.4): whose free/busy time, for whom, when.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FbRequest {
    /// The UID, when the request has one.
    pub uid: Option<String>,
    /// ORGANIZER as written (trimmed).
    pub organizer: String,
    /// ATTENDEEs as written (trimmed), at least one.
    pub attendees: Vec<String>,
    /// DTSTART, Unix seconds UTC.
    pub start: i64,
    /// DTEND, Unix seconds UTC, after `start`.
    pub end: i64,
}

/// Parses a VFREEBUSY REQUEST: METHOD:REQUEST, one VFREEBUSY with ORGANIZER, at least
/// one ATTENDEE, DTSTART and DTEND (UTC per RFC 5545 §3.6.4; a TZID or a DURATION are
/// tolerated), DTEND after DTSTART; UID optional. The error names what is missing or bad.
pub fn parse_request(text: &str) -> Result<FbRequest, String> {
    let root = content::parse(text).ok_or("not iCalendar data")?;
    if root.name != "VCALENDAR" {
        return Err("no VCALENDAR".into());
    }
    match root.props("METHOD").next() {
        None => return Err("no METHOD".into()),
        Some(m) if !m.value.trim().eq_ignore_ascii_case("REQUEST") => {
            return Err(format!("METHOD is {:?}, not REQUEST", m.value.trim()));
        }
        Some(_) => {}
    }
    let mut fbs = root.comps("VFREEBUSY");
    let fb = fbs.next().ok_or("no VFREEBUSY component")?;
    if fbs.next().is_some() {
        return Err("more than one VFREEBUSY component".into());
    }
    let text_of = |l: &Line| Some(l.value.trim().to_string()).filter(|v| !v.is_empty());
    let organizer = fb.props("ORGANIZER").find_map(text_of).ok_or("no ORGANIZER")?;
    let attendees: Vec<String> = fb.props("ATTENDEE").filter_map(text_of).collect();
    if attendees.is_empty() {
        return Err("no ATTENDEE".into());
    }
    let zones = zones_text(&root);
    let dtstart = fb.props("DTSTART").next().ok_or("no DTSTART")?;
    let start = first_instance(&zones, &[line_as(dtstart, "DTSTART")]).ok_or("DTSTART is not a valid date-time")?.0;
    let end = match (fb.props("DTEND").next(), fb.props("DURATION").next()) {
        (Some(e), _) => first_instance(&zones, &[line_as(e, "DTSTART")]).ok_or("DTEND is not a valid date-time")?.0,
        (None, Some(d)) => {
            first_instance(&zones, &[line_as(dtstart, "DTSTART"), line_as(d, "DURATION")])
                .ok_or("DURATION is not a valid duration")?
                .1
        }
        (None, None) => return Err("no DTEND".into()),
    };
    if end <= start {
        return Err("DTEND is not after DTSTART".into());
    }
    let uid = fb.props("UID").find_map(text_of);
    Ok(FbRequest { uid, organizer, attendees, start, end })
}
