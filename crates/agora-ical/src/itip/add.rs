//! iTIP ADD (RFC 5546 §3.2.4): instances added to an existing recurring event,
//! sent without the rest of the series. [`added_instances`] tells when an
//! organiser's change to a master is exactly that, [`add_for`] builds the
//! message for one attendee, and [`apply_add`] applies an ADD to an attendee's
//! copy: each new instance becomes an RDATE of the master plus an override
//! carrying the instance as sent.

use super::build::{for_sending, message};
use super::inbox::{parse_with, same_uid};
use super::instance::{date_params, derive_override};
use super::tree::{
    DESCRIPTIVE_PROPS, address, attendee_line, attendee_set, date_key, date_list_keys, differs, find, keyed,
    merge_zones, prop, remove, sequence, set_param, set_value,
};
use super::types::{ItipError, Method, Outgoing};
use crate::content::{Line, Node, serialize};

/// Everything of a master that, when changed, is more than added instances.
const OTHER_PROPS: [&str; 7] = ["DTSTART", "DTEND", "DURATION", "DUE", "RRULE", "EXDATE", "STATUS"];

/// The instances `new` adds to `old` (one RDATE line per new value) when new
/// RDATE values are the only change to the master that attendees would see;
/// `None` when anything else changed, an RDATE was removed, or a new one is a
/// PERIOD (an instance with its own length is sent as a full REQUEST).
pub(crate) fn added_instances(old: &Node, new: &Node) -> Option<Vec<Line>> {
    if differs(old, new, &OTHER_PROPS)
        || differs(old, new, &DESCRIPTIVE_PROPS)
        || attendee_set(old) != attendee_set(new)
        || prop(old, "ORGANIZER").map(address) != prop(new, "ORGANIZER").map(address)
    {
        return None;
    }
    let before = date_list_keys(old, "RDATE");
    if !before.is_subset(&date_list_keys(new, "RDATE")) {
        return None;
    }
    let mut added = Vec::new();
    for line in new.props("RDATE") {
        if line.param("VALUE").is_some_and(|v| v.eq_ignore_ascii_case("PERIOD")) {
            return None;
        }
        for v in line.value.split(',').map(str::trim) {
            if !before.contains(&date_key(v, line.param("TZID"))) {
                added.push(Line::new("RDATE", date_params(line), v));
            }
        }
    }
    (!added.is_empty()).then_some(added)
}

/// The ADD telling `addr` about the `added` instances of the stored series:
/// one component per instance they attend (the organiser's override when there
/// is one, else the instance as the master makes it), without RECURRENCE-ID or
/// recurrence rules (RFC 5546 §3.2.4), at the master's SEQUENCE, every
/// attendee's answer NEEDS-ACTION. `None` when
/// they attend none of them.
pub(crate) fn add_for(stored: &Node, added: &[Line], addr: &str, now: i64) -> Option<Outgoing> {
    let keys = keyed(stored);
    let master = &stored.children[find(&keys, &None)?];
    let mut comps = Vec::new();
    for line in added {
        let key = Some(date_key(&line.value, line.param("TZID")));
        let mut instance = match find(&keys, &key) {
            Some(i) => stored.children[i].clone(),
            None => derive_override(master, line),
        };
        if attendee_line(&instance, addr).is_none() {
            continue;
        }
        for name in ["RECURRENCE-ID", "RRULE", "RDATE", "EXDATE", "EXRULE"] {
            remove(&mut instance, name);
        }
        set_value(&mut instance, "SEQUENCE", &sequence(master).to_string());
        // A new instance has not been answered yet.
        let organizer = prop(master, "ORGANIZER").map(address);
        for line in instance.lines.iter_mut().filter(|l| l.name == "ATTENDEE") {
            if Some(address(line)) != organizer {
                set_param(line, "PARTSTAT", "NEEDS-ACTION");
                set_param(line, "RSVP", "TRUE");
            }
        }
        comps.push(for_sending(&instance, now));
    }
    (!comps.is_empty()).then(|| message(Method::Add, addr, stored, comps))
}

/// Applies an ADD to the attendee's copy `existing`: each component becomes an
/// RDATE of the master (an EXDATE of the same instant is lifted) and an override
/// with RECURRENCE-ID at its DTSTART, carrying the master's alarms. `NoMatch`
/// when the copy has no master to add to (the attendee needs the whole series:
/// RFC 5546 §3.2.4 has them ask with REFRESH); `Stale` when the copy is newer.
pub fn apply_add(add: &str, existing: &str) -> Result<String, ItipError> {
    let a = parse_with(add, "the ADD", Some(Method::Add))?;
    let mut ex = parse_with(existing, "the attendee's copy", None)?;
    same_uid(&a, &ex)?;
    let Some(m) = find(&keyed(&ex), &None) else {
        return Err(ItipError::NoMatch("the copy has no series to add instances to".into()));
    };
    let added = keyed(&a);
    let seq = added.iter().map(|&(_, i)| sequence(&a.children[i])).max().unwrap_or(0);
    if sequence(&ex.children[m]) > seq {
        return Err(ItipError::Stale);
    }
    for &(_, i) in &added {
        let comp = &a.children[i];
        let start =
            prop(comp, "DTSTART").ok_or_else(|| ItipError::Malformed("an ADD component has no DTSTART".into()))?;
        let key = date_key(&start.value, start.param("TZID"));
        let at = Line::new("RDATE", date_params(start), start.value.trim().to_owned());
        let master = &mut ex.children[m];
        lift_exdate(master, &key);
        if !date_list_keys(master, "RDATE").contains(&key) {
            master.lines.push(at.clone());
        }
        let alarms: Vec<Node> = master.comps("VALARM").cloned().collect();
        let mut over = comp.clone();
        for name in ["RECURRENCE-ID", "RRULE", "RDATE", "EXDATE", "EXRULE"] {
            remove(&mut over, name);
        }
        let after_start = over.lines.iter().position(|l| l.name == "DTSTART").map_or(over.lines.len(), |p| p + 1);
        over.lines.insert(after_start, Line { name: "RECURRENCE-ID".into(), ..at });
        over.children.retain(|c| c.name != "VALARM");
        over.children.extend(alarms);
        match find(&keyed(&ex), &Some(key)) {
            Some(j) => ex.children[j] = over,
            None => ex.children.push(over),
        }
    }
    set_value(&mut ex.children[m], "SEQUENCE", &seq.to_string());
    merge_zones(&mut ex, &a);
    Ok(serialize(&ex))
}

/// Removes the EXDATE value with this key (the instance comes back).
fn lift_exdate(master: &mut Node, key: &str) {
    for line in master.lines.iter_mut().filter(|l| l.name == "EXDATE") {
        let tzid = line.param("TZID").map(str::to_owned);
        let kept: Vec<&str> = line.value.split(',').filter(|v| date_key(v, tzid.as_deref()) != key).collect();
        line.value = kept.join(",");
    }
    master.lines.retain(|l| l.name != "EXDATE" || !l.value.trim().is_empty());
}
