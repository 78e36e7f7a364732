//! Delivering to an attendee: [`attendee_copy`] makes (or updates) their copy
//! from a REQUEST, [`apply_cancel`] applies a CANCEL to it (RFC 6638 §3.2.2, RFC 5546 §3.2.2, §3.2.5).

use super::address::normalise_address;
use super::instance::date_params;
use super::tree::{
    TIME_PROPS, attendee_line, attendee_lines_mut, date_key, differs, exdate_keys, find, is_schedulable, keyed,
    line_date_key, merge_zones, parse_calendar, prop, remove, sequence, set_line, set_param, set_value, value,
};
use super::types::{ItipError, Method};
use crate::content::{Line, Node, serialize};

/// Parses `text` as a VCALENDAR of VEVENTs or VTODOs whose METHOD (if any) is `method`.
pub(crate) fn parse_with(text: &str, what: &str, method: Option<Method>) -> Result<Node, ItipError> {
    let root = parse_calendar(text).ok_or_else(|| ItipError::Malformed(format!("{what} is not a VCALENDAR")))?;
    if let (Some(expected), Some(m)) = (method, value(&root, "METHOD"))
        && Method::parse(m) != Some(expected)
    {
        return Err(ItipError::Malformed(format!("{what} has METHOD {m}, not {}", expected.as_str())));
    }
    if !is_schedulable(&root) {
        return Err(ItipError::Malformed(format!("{what} holds no VEVENT or VTODO")));
    }
    Ok(root)
}

/// The UID of the first component of the object's type.
pub(crate) fn uid(root: &Node) -> Option<String> {
    keyed(root).first().and_then(|&(_, i)| value(&root.children[i], "UID")).map(|u| u.trim().to_owned())
}

/// Checks that two objects share their UID.
pub(crate) fn same_uid(a: &Node, b: &Node) -> Result<(), ItipError> {
    match (uid(a), uid(b)) {
        (Some(x), Some(y)) if x == y => Ok(()),
        (x, y) => Err(ItipError::NoMatch(format!("UID {x:?} is not {y:?}"))),
    }
}

/// The attendee's calendar object made from a REQUEST (METHOD removed).
///
/// With `existing` (the attendee's current copy): in each component whose times
/// did not change the attendee keeps their PARTSTAT (else NEEDS-ACTION, RFC 6638
/// §3.2.2.1), their own VALARMs (matched by RECURRENCE-ID; a new override takes
/// the master's) and their TRANSP. A REQUEST holding only overrides is merged
/// into an existing copy that has a master (RFC 5546 §3.2.2.5 style update of instances).
pub fn attendee_copy(request: &str, existing: Option<&str>, attendee: &str) -> Result<String, ItipError> {
    let me = normalise_address(attendee);
    let mut req = parse_with(request, "the REQUEST", Some(Method::Request))?;
    let req_keys = keyed(&req);
    if !req_keys.iter().any(|&(_, i)| attendee_line(&req.children[i], &me).is_some()) {
        return Err(ItipError::NoMatch(format!("{me} is not an attendee")));
    }
    remove(&mut req, "METHOD");
    // A copy that is not a usable object any more is simply replaced.
    let Some(existing) = existing.and_then(|e| parse_with(e, "the attendee's copy", None).ok()) else {
        return Ok(serialize(&req));
    };
    same_uid(&req, &existing)?;
    let ex_keys = keyed(&existing);
    for (key, i) in &req_keys {
        let exact = find(&ex_keys, key);
        let base = exact.or_else(|| key.as_ref().and(find(&ex_keys, &None)));
        if let Some(b) = base {
            carry(&mut req.children[*i], &existing.children[b], &me, exact.is_some());
        }
    }
    if find(&req_keys, &None).is_some() || find(&ex_keys, &None).is_none() {
        return Ok(serialize(&req));
    }
    // Only overrides: they update instances of the series the attendee has.
    let mut merged = existing;
    for (key, i) in &req_keys {
        let comp = req.children[*i].clone();
        match find(&keyed(&merged), key) {
            Some(j) => merged.children[j] = comp,
            None => merged.children.push(comp),
        }
    }
    merge_zones(&mut merged, &req);
    Ok(serialize(&merged))
}

/// Carries the attendee's own state from their copy `ex` into a REQUEST
/// component. `exact`: `ex` is the same component (else the master, for a new override).
fn carry(comp: &mut Node, ex: &Node, me: &str, exact: bool) {
    let rescheduled = if exact {
        differs(ex, comp, &TIME_PROPS)
    } else {
        let rid = prop(comp, "RECURRENCE-ID").map(line_date_key);
        prop(comp, "DTSTART").map(|s| date_key(&s.value, s.param("TZID"))) != rid
    };
    let kept = attendee_line(ex, me).and_then(|l| l.param("PARTSTAT").map(str::to_owned));
    for line in attendee_lines_mut(comp, me) {
        match (&kept, rescheduled) {
            (Some(p), false) => set_param(line, "PARTSTAT", p),
            _ => set_param(line, "PARTSTAT", "NEEDS-ACTION"),
        }
    }
    comp.children.retain(|c| c.name != "VALARM");
    comp.children.extend(ex.comps("VALARM").cloned());
    if let Some(t) = prop(ex, "TRANSP") {
        set_line(comp, t.clone());
    }
}

/// Applies a CANCEL to the attendee's copy `existing`. A component without
/// RECURRENCE-ID cancels every component (STATUS:CANCELLED and the cancel's
/// SEQUENCE); one with a RECURRENCE-ID cancels that instance: its override gets
/// STATUS:CANCELLED, else the master an EXDATE. `Err(Stale)` when the cancel's
/// SEQUENCE is lower than the component's it cancels.
pub fn apply_cancel(cancel: &str, existing: &str) -> Result<String, ItipError> {
    let c = parse_with(cancel, "the CANCEL", Some(Method::Cancel))?;
    let mut ex = parse_with(existing, "the attendee's copy", None)?;
    same_uid(&c, &ex)?;
    let ex_keys = keyed(&ex);
    let master = find(&ex_keys, &None);
    for (key, i) in keyed(&c) {
        let cc = &c.children[i];
        let seq = sequence(cc);
        let target = find(&ex_keys, &key).or(master);
        if target.is_some_and(|t| sequence(&ex.children[t]) > seq) {
            return Err(ItipError::Stale);
        }
        let cancel_comp = |n: &mut Node| {
            set_value(n, "STATUS", "CANCELLED");
            let s = sequence(n).max(seq);
            set_value(n, "SEQUENCE", &s.to_string());
        };
        match (&key, find(&ex_keys, &key)) {
            (None, _) => {
                for &(_, j) in &ex_keys {
                    cancel_comp(&mut ex.children[j]);
                }
            }
            (Some(_), Some(j)) => cancel_comp(&mut ex.children[j]),
            (Some(k), None) => {
                let (Some(m), Some(rid)) = (master, prop(cc, "RECURRENCE-ID")) else { continue };
                let m = &mut ex.children[m];
                if !exdate_keys(m).contains(k) {
                    let params = date_params(rid);
                    m.lines.push(Line::new("EXDATE", params, rid.value.trim().to_owned()));
                }
            }
        }
    }
    Ok(serialize(&ex))
}
