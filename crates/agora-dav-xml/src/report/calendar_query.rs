//! `calendar-query` (RFC 4791 §7.8, filters §9.7) and `free-busy-query` (§7.10).

use super::text_match::TextMatch;
use super::time_range::TimeRange;
use super::{PropRequest, Report};
use crate::common::{is_cal, required_attr};
use crate::error::{Budget, XmlError};
use crate::tree::XElem;

/// `<C:comp-filter>` (RFC 4791 §9.7.1).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct CompFilter {
    /// Component name, e.g. `VCALENDAR`, `VEVENT`, `VTODO`.
    pub name: String,
    /// `<C:is-not-defined/>`: matches when the component is absent.
    pub is_not_defined: bool,
    /// `<C:time-range>`.
    pub time_range: Option<TimeRange>,
    /// `<C:prop-filter>` children, all of which must match.
    pub prop_filters: Vec<PropFilter>,
    /// Nested `<C:comp-filter>` children, all of which must match.
    pub comp_filters: Vec<CompFilter>,
}

/// `<C:prop-filter>` (RFC 4791 §9.7.2).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct PropFilter {
    /// iCalendar property name, e.g. `UID`, `SUMMARY`.
    pub name: String,
    /// `<C:is-not-defined/>`.
    pub is_not_defined: bool,
    /// `<C:time-range>` on a date-time property.
    pub time_range: Option<TimeRange>,
    /// `<C:text-match>`.
    pub text_match: Option<TextMatch>,
    /// `<C:param-filter>` children, all of which must match.
    pub param_filters: Vec<ParamFilter>,
}

/// `<C:param-filter>` (RFC 4791 §9.7.3), also used by CardDAV (RFC 6352 §10.5.2).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct ParamFilter {
    /// Parameter name, e.g. `PARTSTAT`, `TYPE`.
    pub name: String,
    /// `<is-not-defined/>`.
    pub is_not_defined: bool,
    /// `<text-match>`.
    pub text_match: Option<TextMatch>,
}

/// `<!ELEMENT calendar-query ((DAV:allprop | DAV:propname | DAV:prop)?,
/// filter, timezone?)>` plus RFC 7809's `timezone-id`.
pub(super) fn parse_query(root: &XElem, budget: &mut Budget) -> Result<Report, XmlError> {
    let props = PropRequest::parse(root, budget)?;
    let filter =
        root.child(crate::NS_CALDAV, "filter").ok_or_else(|| XmlError::invalid("calendar-query needs <C:filter>"))?;
    // <!ELEMENT filter (comp-filter)>: exactly one top-level comp-filter.
    let mut comps = filter.elements().filter(|e| is_cal(e, "comp-filter"));
    let (Some(top), None) = (comps.next(), comps.next()) else {
        return Err(XmlError::invalid("<C:filter> needs exactly one <C:comp-filter>"));
    };
    let filter = comp_filter(top, budget)?;
    check_nesting(None, &filter)?;
    let text_of = |local| root.child(crate::NS_CALDAV, local).map(XElem::text);
    Ok(Report::CalendarQuery {
        props,
        filter,
        timezone: text_of("timezone"),
        timezone_id: text_of("timezone-id").map(|s| s.trim().to_owned()),
    })
}

/// `<!ELEMENT free-busy-query (time-range)>`.
pub(super) fn parse_free_busy(root: &XElem) -> Result<Report, XmlError> {
    let range = root
        .child(crate::NS_CALDAV, "time-range")
        .ok_or_else(|| XmlError::invalid("free-busy-query needs <C:time-range>"))?;
    Ok(Report::FreeBusyQuery { range: TimeRange::parse(range)? })
}

/// `<!ELEMENT comp-filter (is-not-defined | (time-range?, prop-filter*, comp-filter*))>`
fn comp_filter(e: &XElem, budget: &mut Budget) -> Result<CompFilter, XmlError> {
    budget.take()?;
    let mut f = CompFilter { name: required_attr(e, "name")?, ..Default::default() };
    for child in e.elements().filter(|c| c.name.ns == crate::NS_CALDAV) {
        match child.name.local.as_str() {
            "is-not-defined" => f.is_not_defined = true,
            "time-range" => f.time_range = Some(TimeRange::parse(child).map_err(|e| filter_error(false, e))?),
            "prop-filter" => f.prop_filters.push(prop_filter(child, budget)?),
            "comp-filter" => f.comp_filters.push(comp_filter(child, budget)?),
            _ => {}
        }
    }
    if f.is_not_defined && (f.time_range.is_some() || !f.prop_filters.is_empty() || !f.comp_filters.is_empty()) {
        return Err(invalid_filter(false, format!("comp-filter {}: is-not-defined excludes other tests", f.name)));
    }
    Ok(f)
}

/// `<!ELEMENT prop-filter (is-not-defined | ((time-range | text-match)?, param-filter*))>`
fn prop_filter(e: &XElem, budget: &mut Budget) -> Result<PropFilter, XmlError> {
    budget.take()?;
    let mut f = PropFilter { name: required_attr(e, "name")?, ..Default::default() };
    for child in e.elements().filter(|c| c.name.ns == crate::NS_CALDAV) {
        match child.name.local.as_str() {
            "is-not-defined" => f.is_not_defined = true,
            "time-range" => f.time_range = Some(TimeRange::parse(child).map_err(|e| filter_error(false, e))?),
            "text-match" => f.text_match = Some(TextMatch::parse(child)?),
            "param-filter" => f.param_filters.push(param_filter(child, budget, crate::NS_CALDAV)?),
            _ => {}
        }
    }
    let others = f.time_range.is_some() as u8 + f.text_match.is_some() as u8;
    if others > 1 || (f.is_not_defined && (others > 0 || !f.param_filters.is_empty())) {
        return Err(invalid_filter(false, format!("prop-filter {}: conflicting tests", f.name)));
    }
    Ok(f)
}

/// `<!ELEMENT param-filter (is-not-defined | text-match)?>` in namespace `ns`.
pub(super) fn param_filter(e: &XElem, budget: &mut Budget, ns: &str) -> Result<ParamFilter, XmlError> {
    budget.take()?;
    let mut f = ParamFilter { name: required_attr(e, "name")?, ..Default::default() };
    for child in e.elements().filter(|c| c.name.ns == ns) {
        match child.name.local.as_str() {
            "is-not-defined" => f.is_not_defined = true,
            "text-match" => f.text_match = Some(TextMatch::parse(child)?),
            _ => {}
        }
    }
    if f.is_not_defined && f.text_match.is_some() {
        return Err(invalid_filter(ns == crate::NS_CARDDAV, format!("param-filter {}: conflicting tests", f.name)));
    }
    Ok(f)
}

/// A filter refused with `valid-filter` (RFC 4791 §7.8, RFC 6352 §8.6).
pub(super) fn invalid_filter(card: bool, reason: impl Into<String>) -> XmlError {
    XmlError::InvalidFilter { card, reason: reason.into() }
}

/// A grammar error inside a filter (a time-range without bounds or with
/// non-UTC times, §9.9) is a broken filter, not a broken body.
fn filter_error(card: bool, e: XmlError) -> XmlError {
    match e {
        XmlError::Invalid(reason) => invalid_filter(card, reason),
        other => other,
    }
}

/// Which components a comp-filter may name inside which (RFC 5545 §3.6,
/// RFC 7953 §3.1) and where a time-range means something (RFC 4791 §9.9: not
/// on VCALENDAR, whose "instances" are undefined, nor on time-zone parts).
/// Experimental `X-` components may appear anywhere, other unknown ones only
/// in VCALENDAR (RFC 5545 §3.6 `iana-comp`): they match nothing, as absent
/// components do.
fn check_nesting(parent: Option<&str>, f: &CompFilter) -> Result<(), XmlError> {
    let name = f.name.to_ascii_uppercase();
    let allowed: &[&str] = match parent {
        None => &["VCALENDAR"],
        Some("VCALENDAR") => &["VEVENT", "VTODO", "VJOURNAL", "VFREEBUSY", "VTIMEZONE", "VAVAILABILITY"],
        Some("VEVENT" | "VTODO") => &["VALARM"],
        Some("VTIMEZONE") => &["STANDARD", "DAYLIGHT"],
        Some("VAVAILABILITY") => &["AVAILABLE"],
        Some(_) => &[],
    };
    const KNOWN: [&str; 11] = [
        "VCALENDAR",
        "VEVENT",
        "VTODO",
        "VJOURNAL",
        "VFREEBUSY",
        "VTIMEZONE",
        "VALARM",
        "STANDARD",
        "DAYLIGHT",
        "VAVAILABILITY",
        "AVAILABLE",
    ];
    let experimental = name.starts_with("X-");
    let unknown_in_calendar = parent == Some("VCALENDAR") && !KNOWN.contains(&name.as_str());
    let placed = allowed.contains(&name.as_str()) || unknown_in_calendar || (parent.is_some() && experimental);
    if !placed {
        return Err(invalid_filter(
            false,
            match parent {
                None => format!("the top-level comp-filter must be VCALENDAR, not {}", f.name),
                Some(p) => format!("{} cannot be inside {p}", f.name),
            },
        ));
    }
    if f.time_range.is_some() && matches!(name.as_str(), "VCALENDAR" | "VTIMEZONE" | "STANDARD" | "DAYLIGHT") {
        return Err(invalid_filter(false, format!("a time-range does not apply to {}", f.name)));
    }
    f.comp_filters.iter().try_for_each(|c| check_nesting(Some(&name), c))
}
