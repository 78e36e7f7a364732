//! Helpers over the [`crate::content`] tree: properties, parameters, the
//! scheduling components of a VCALENDAR, their RECURRENCE-ID keys, and the
//! comparisons that decide whether a change matters to attendees.

use std::collections::BTreeSet;

use chrono::NaiveDateTime;

use super::address::normalise_address;
use super::types::{Agent, Attendee};
use crate::content::{self, Line, Node};
use crate::zone::{TzSpec, naive_secs};

/// Properties whose change is a reschedule or a status change: SEQUENCE is raised
/// for them (RFC 5546 §2.1.4 — changes that affect the time or the status).
pub(crate) const SEQUENCE_PROPS: [&str; 8] =
    ["DTSTART", "DTEND", "DURATION", "DUE", "RRULE", "RDATE", "EXDATE", "STATUS"];
/// Properties whose change invalidates the attendees' answers.
pub(crate) const TIME_PROPS: [&str; 6] = ["DTSTART", "DTEND", "DURATION", "DUE", "RRULE", "RDATE"];
/// Descriptive properties attendees are told about (RFC 6638 §3.2.1.2 leaves the
/// set to the server; these are the ones clients show).
pub(crate) const DESCRIPTIVE_PROPS: [&str; 3] = ["SUMMARY", "LOCATION", "DESCRIPTION"];
/// SCHEDULE-* parameters, which are for the server and never leave it.
pub(crate) const SCHEDULE_PARAMS: [&str; 3] = ["SCHEDULE-STATUS", "SCHEDULE-AGENT", "SCHEDULE-FORCE-SEND"];

/// The VCALENDAR tree of a text, if it is one.
pub(crate) fn parse_calendar(text: &str) -> Option<Node> {
    content::parse(text).filter(|n| n.name == "VCALENDAR")
}

/// Indices (into `root.children`) of the components of the object's type: the
/// type of the first non-VTIMEZONE component.
pub(crate) fn main_components(root: &Node) -> Vec<usize> {
    let Some(kind) = root.children.iter().find(|c| c.name != "VTIMEZONE").map(|c| c.name.clone()) else {
        return Vec::new();
    };
    root.children.iter().enumerate().filter(|(_, c)| c.name == kind).map(|(i, _)| i).collect()
}

/// True when the object's components are VEVENTs or VTODOs.
pub(crate) fn is_schedulable(root: &Node) -> bool {
    main_components(root).first().is_some_and(|&i| matches!(root.children[i].name.as_str(), "VEVENT" | "VTODO"))
}

/// Sets a parameter to one value (replacing it in place, else appending).
pub(crate) fn set_param(line: &mut Line, name: &str, value: &str) {
    match line.params.iter_mut().find(|(n, _)| n == name) {
        Some((_, v)) => *v = vec![value.to_owned()],
        None => line.params.push((name.to_owned(), vec![value.to_owned()])),
    }
}

/// Removes a parameter.
pub(crate) fn remove_param(line: &mut Line, name: &str) {
    line.params.retain(|(n, _)| n != name);
}

/// The first property called `name`.
pub(crate) fn prop<'a>(node: &'a Node, name: &str) -> Option<&'a Line> {
    node.lines.iter().find(|l| l.name == name)
}

/// The value of the first property called `name`.
pub(crate) fn value<'a>(node: &'a Node, name: &str) -> Option<&'a str> {
    prop(node, name).map(|l| l.value.as_str())
}

/// Sets a single-valued property (value and no parameters), in place if present,
/// else after UID (or at the end).
pub(crate) fn set_value(node: &mut Node, name: &str, value: &str) {
    let line = Line::new(name, Vec::new(), value);
    set_line(node, line);
}

/// Replaces the properties called `line.name` by `line` (in place of the first one).
pub(crate) fn set_line(node: &mut Node, line: Line) {
    match node.lines.iter().position(|l| l.name == line.name) {
        Some(i) => {
            let name = line.name.clone();
            node.lines[i] = line;
            let mut seen = false;
            node.lines.retain(|l| {
                if l.name != name {
                    return true;
                }
                let keep = !seen;
                seen = true;
                keep
            });
        }
        None => {
            let at = node.lines.iter().position(|l| l.name == "UID").map_or(node.lines.len(), |i| i + 1);
            node.lines.insert(at, line);
        }
    }
}

/// Removes every property called `name`.
pub(crate) fn remove(node: &mut Node, name: &str) {
    node.lines.retain(|l| l.name != name);
}

/// SEQUENCE (absent or unreadable: 0).
pub(crate) fn sequence(node: &Node) -> i64 {
    value(node, "SEQUENCE").and_then(|v| v.trim().parse().ok()).unwrap_or(0)
}

/// True when STATUS is CANCELLED.
pub(crate) fn is_cancelled(node: &Node) -> bool {
    value(node, "STATUS").is_some_and(|v| v.trim().eq_ignore_ascii_case("CANCELLED"))
}

/// A comparable key for one DATE / DATE-TIME value: the UTC instant when the
/// value is UTC or has a TZID known by name, else the value as written. This
/// lets a UTC RECURRENCE-ID match a TZID one of the same instant.
pub(crate) fn date_key(value: &str, tzid: Option<&str>) -> String {
    let v = value.trim().to_ascii_uppercase();
    if let Some(t) = v.strip_suffix('Z').and_then(parse_local) {
        return format!("U{}", naive_secs(t));
    }
    match (parse_local(&v), tzid) {
        (Some(t), Some(z)) => match TzSpec::named(z) {
            Some(zone) => format!("U{}", zone.to_utc(t)),
            None => format!("L{z}:{v}"),
        },
        _ => format!("F{v}"),
    }
}

/// A local DATE-TIME value `YYYYMMDDTHHMMSS`.
pub(crate) fn parse_local(v: &str) -> Option<NaiveDateTime> {
    NaiveDateTime::parse_from_str(v, "%Y%m%dT%H%M%S").ok()
}

/// The key of one line holding a single date value (RECURRENCE-ID).
pub(crate) fn line_date_key(line: &Line) -> String {
    date_key(&line.value, line.param("TZID"))
}

/// The component key: `None` for the master, the RECURRENCE-ID key for an override.
pub(crate) fn rid_key(node: &Node) -> Option<String> {
    prop(node, "RECURRENCE-ID").map(line_date_key)
}

/// The keys of every EXDATE value of a component.
pub(crate) fn exdate_keys(node: &Node) -> BTreeSet<String> {
    date_list_keys(node, "EXDATE")
}

/// The keys of every value of a date-list property (EXDATE, RDATE).
pub(crate) fn date_list_keys(node: &Node, name: &str) -> BTreeSet<String> {
    node.props(name)
        .flat_map(|l| l.value.split(',').map(move |v| date_key(v, l.param("TZID"))).collect::<Vec<_>>())
        .collect()
}

/// Adds the VTIMEZONEs of `from` that `into` lacks, before its other components.
pub(crate) fn merge_zones(into: &mut Node, from: &Node) {
    for zone in from.comps("VTIMEZONE") {
        let id = value(zone, "TZID");
        if !into.comps("VTIMEZONE").any(|z| value(z, "TZID") == id) {
            let at = into.children.iter().position(|c| c.name != "VTIMEZONE").unwrap_or(into.children.len());
            into.children.insert(at, zone.clone());
        }
    }
}

/// Normalised address of an ATTENDEE or ORGANIZER line.
pub(crate) fn address(line: &Line) -> String {
    normalise_address(&line.value)
}

/// The ORGANIZER of an object: the master's, else the first component's that has one.
pub(crate) fn object_organizer(root: &Node) -> Option<&Line> {
    let comps = main_components(root);
    let master = comps.iter().find(|&&i| rid_key(&root.children[i]).is_none());
    master.into_iter().chain(comps.iter()).find_map(|&i| prop(&root.children[i], "ORGANIZER"))
}

/// The ATTENDEE line of `addr` (normalised) in a component.
pub(crate) fn attendee_line<'a>(node: &'a Node, addr: &str) -> Option<&'a Line> {
    node.props("ATTENDEE").find(|l| address(l) == addr)
}

/// The ATTENDEE lines of `addr` (normalised) in a component, mutable.
pub(crate) fn attendee_lines_mut<'a>(node: &'a mut Node, addr: &'a str) -> impl Iterator<Item = &'a mut Line> {
    node.lines.iter_mut().filter(move |l| l.name == "ATTENDEE" && address(l) == addr)
}

/// The upper-cased PARTSTAT of an ATTENDEE line (NEEDS-ACTION when absent).
pub(crate) fn partstat(line: &Line) -> String {
    line.param("PARTSTAT").map_or_else(|| "NEEDS-ACTION".to_owned(), |p| p.trim().to_ascii_uppercase())
}

/// The [`Attendee`] view of an ATTENDEE line.
pub(crate) fn attendee_of(line: &Line) -> Attendee {
    Attendee {
        address: address(line),
        partstat: partstat(line),
        agent: Agent::parse(line.param("SCHEDULE-AGENT")),
        cutype: line.param("CUTYPE").map_or_else(|| "INDIVIDUAL".to_owned(), |c| c.trim().to_ascii_uppercase()),
        force_send: line.param("SCHEDULE-FORCE-SEND").map(str::to_owned),
        cn: line.param("CN").map(str::to_owned),
    }
}

/// Attendees over the given components, deduplicated by address, first occurrence wins.
pub(crate) fn attendees_of<'a>(nodes: impl Iterator<Item = &'a Node>) -> Vec<Attendee> {
    let mut out: Vec<Attendee> = Vec::new();
    for node in nodes {
        for line in node.props("ATTENDEE") {
            let a = attendee_of(line);
            if !out.iter().any(|o| o.address == a.address) {
                out.push(a);
            }
        }
    }
    out
}

/// The set of attendee addresses of a component.
pub(crate) fn attendee_set(node: &Node) -> BTreeSet<String> {
    node.props("ATTENDEE").map(address).collect()
}

/// A comparable form of the listed properties of a component: dates compared
/// by instant, multi-valued lists split and sorted, RRULE parts sorted.
fn fingerprint(node: &Node, names: &[&str]) -> Vec<String> {
    let mut out = Vec::new();
    for line in node.lines.iter().filter(|l| names.contains(&l.name.as_str())) {
        let tzid = line.param("TZID");
        match line.name.as_str() {
            "DTSTART" | "DTEND" | "DUE" | "EXDATE" | "RDATE" => {
                for v in line.value.split(',') {
                    out.push(format!("{}:{}", line.name, date_key(v, tzid)));
                }
            }
            "RRULE" => {
                let mut parts: Vec<String> = line.value.split(';').map(|p| p.trim().to_ascii_uppercase()).collect();
                parts.sort();
                out.push(format!("RRULE:{}", parts.join(";")));
            }
            "STATUS" | "DURATION" => out.push(format!("{}:{}", line.name, line.value.trim().to_ascii_uppercase())),
            _ => out.push(format!("{}:{}", line.name, line.value)),
        }
    }
    out.sort();
    out
}

/// True when the listed properties differ between two components.
pub(crate) fn differs(a: &Node, b: &Node, names: &[&str]) -> bool {
    fingerprint(a, names) != fingerprint(b, names)
}

/// True when `new` removes EXDATE values `old` had (reinstated instances).
pub(crate) fn exdates_removed(old: &Node, new: &Node) -> bool {
    !exdate_keys(old).is_subset(&exdate_keys(new))
}

/// Every TZID parameter used in a component (and its sub-components).
pub(crate) fn tzids(node: &Node, out: &mut BTreeSet<String>) {
    for line in &node.lines {
        if let Some(z) = line.param("TZID") {
            out.insert(z.to_owned());
        }
    }
    for child in &node.children {
        tzids(child, out);
    }
}

/// The VTIMEZONEs of `root` that `comps` reference.
pub(crate) fn zones_for(root: &Node, comps: &[Node]) -> Vec<Node> {
    let mut used = BTreeSet::new();
    for c in comps {
        tzids(c, &mut used);
    }
    root.comps("VTIMEZONE").filter(|z| value(z, "TZID").is_some_and(|id| used.contains(id))).cloned().collect()
}

/// Strips the SCHEDULE-* parameters from ORGANIZER and ATTENDEE lines.
pub(crate) fn strip_schedule_params(node: &mut Node) {
    for line in node.lines.iter_mut().filter(|l| l.name == "ATTENDEE" || l.name == "ORGANIZER") {
        for p in SCHEDULE_PARAMS {
            remove_param(line, p);
        }
    }
}

/// The main components of a root keyed by RECURRENCE-ID (`None`: master).
pub(crate) fn keyed(root: &Node) -> Vec<(Option<String>, usize)> {
    main_components(root).into_iter().map(|i| (rid_key(&root.children[i]), i)).collect()
}

/// The index of the component with this key.
pub(crate) fn find(keys: &[(Option<String>, usize)], key: &Option<String>) -> Option<usize> {
    keys.iter().find(|(k, _)| k == key).map(|&(_, i)| i)
}
