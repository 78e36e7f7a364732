//! Updating the organizer's copy: [`apply_reply`] (RFC 6638 §3.2.2, RFC 5546
//! §3.2.3), and the status setters the server uses after delivery.

use super::address::normalise_address;
use super::comment::{response_comment, set_response_comment};
use super::inbox::same_uid;
use super::instance::derive_override;
use super::tree::{
    address, attendee_line, attendee_lines_mut, find, is_schedulable, keyed, parse_calendar, partstat, prop, sequence,
    set_param, value,
};
use super::types::{ItipError, Method};
use crate::content::serialize;

/// Applies a REPLY to the organizer's copy: the replier's PARTSTAT (and
/// SCHEDULE-STATUS=2.0, RFC 6638 §7.3) in each component the reply answers,
/// and their comment on the answer as X-RESPONSE-COMMENT on their ATTENDEE
/// line (removed when the new answer has none; see `comment`).
/// A reply about an instance the copy has no override for creates that
/// override from the master. Returns the new text and the PARTSTAT applied
/// (the master's when the reply answers it, else the first component's).
///
/// `Err(NoMatch)` when the UID differs or the replier is not an attendee of
/// that component; `Err(Stale)` when the reply's SEQUENCE is lower than the component's.
pub fn apply_reply(organizer_copy: &str, reply: &str) -> Result<(String, String), ItipError> {
    let mut copy = parse_calendar(organizer_copy)
        .filter(is_schedulable)
        .ok_or_else(|| ItipError::Malformed("the organizer's copy is not a VEVENT/VTODO VCALENDAR".into()))?;
    let r = parse_calendar(reply).ok_or_else(|| ItipError::Malformed("the REPLY is not a VCALENDAR".into()))?;
    if let Some(m) = value(&r, "METHOD")
        && Method::parse(m) != Some(Method::Reply)
    {
        return Err(ItipError::Malformed(format!("METHOD {m} is not REPLY")));
    }
    let reply_keys = keyed(&r);
    if reply_keys.is_empty() || !is_schedulable(&r) {
        return Err(ItipError::Malformed("the REPLY holds no VEVENT or VTODO".into()));
    }
    same_uid(&copy, &r)?;
    let mut applied: Option<String> = None;
    for (key, i) in &reply_keys {
        let rc = &r.children[*i];
        let line = rc.props("ATTENDEE").next().ok_or_else(|| ItipError::Malformed("REPLY without ATTENDEE".into()))?;
        let who = address(line);
        let ps = partstat(line);
        let copy_keys = keyed(&copy);
        let target = match (find(&copy_keys, key), key) {
            (Some(j), _) => j,
            (None, Some(_)) => {
                let m = find(&copy_keys, &None)
                    .ok_or_else(|| ItipError::NoMatch("no such instance and no master".into()))?;
                let master = &copy.children[m];
                if attendee_line(master, &who).is_none() {
                    return Err(ItipError::NoMatch(format!("{who} is not an attendee")));
                }
                if sequence(rc) < sequence(master) {
                    return Err(ItipError::Stale);
                }
                let rid = prop(rc, "RECURRENCE-ID").ok_or_else(|| ItipError::Malformed("no RECURRENCE-ID".into()))?;
                let over = derive_override(master, rid);
                let at = copy_keys.iter().map(|&(_, j)| j + 1).max().unwrap_or(copy.children.len());
                copy.children.insert(at, over);
                at
            }
            (None, None) => return Err(ItipError::NoMatch("the copy has no master".into())),
        };
        let t = &mut copy.children[target];
        if attendee_line(t, &who).is_none() {
            return Err(ItipError::NoMatch(format!("{who} is not an attendee")));
        }
        if sequence(rc) < sequence(t) {
            return Err(ItipError::Stale);
        }
        let delegated = line.param("DELEGATED-TO").map(str::to_owned);
        let comment = response_comment(rc, line, t);
        for l in attendee_lines_mut(t, &who) {
            set_param(l, "PARTSTAT", &ps);
            set_param(l, "SCHEDULE-STATUS", "2.0");
            if let Some(d) = &delegated {
                set_param(l, "DELEGATED-TO", d);
            }
            set_response_comment(l, comment.as_deref());
        }
        if key.is_none() || applied.is_none() {
            applied = Some(ps);
        }
    }
    Ok((serialize(&copy), applied.unwrap_or_default()))
}

/// Sets SCHEDULE-STATUS on the ATTENDEE lines of the given addresses
/// (`(address, status)`), in every component. The text is returned unchanged
/// when no line matched (or it does not parse).
pub fn set_schedule_status(text: &str, statuses: &[(String, String)]) -> String {
    let wanted: Vec<(String, &str)> = statuses.iter().map(|(a, s)| (normalise_address(a), s.as_str())).collect();
    set_on_attendees(text, |addr| wanted.iter().find(|(a, _)| *a == addr).map(|(_, s)| ("SCHEDULE-STATUS", *s)))
}

/// Sets one attendee's PARTSTAT in every component they are in (automatic
/// answers of rooms and resources). The text is returned unchanged when they are not listed.
pub fn set_partstat(text: &str, attendee: &str, partstat: &str) -> String {
    let me = normalise_address(attendee);
    let ps = partstat.trim().to_ascii_uppercase();
    set_on_attendees(text, |addr| (addr == me).then_some(("PARTSTAT", ps.as_str())))
}

/// Sets one attendee's comment on their answer (the X-RESPONSE-COMMENT
/// parameter, see [`super::comment`]) in every component they are in: what a
/// room that declines says to the organiser. Control characters become spaces.
pub fn set_attendee_comment(text: &str, attendee: &str, comment: &str) -> String {
    let me = normalise_address(attendee);
    let comment = super::comment::param_text(comment);
    set_on_attendees(text, |addr| (addr == me).then_some((super::comment::RESPONSE_COMMENT, comment.as_str())))
}

/// Sets the parameter `choose` picks for each ATTENDEE line of the top-level components.
fn set_on_attendees<'a>(text: &str, choose: impl Fn(String) -> Option<(&'a str, &'a str)>) -> String {
    let Some(mut root) = parse_calendar(text) else { return text.to_owned() };
    let mut changed = false;
    for comp in root.children.iter_mut().filter(|c| c.name != "VTIMEZONE") {
        for line in comp.lines.iter_mut().filter(|l| l.name == "ATTENDEE") {
            if let Some((name, v)) = choose(address(line)) {
                set_param(line, name, v);
                changed = true;
            }
        }
    }
    if changed { serialize(&root) } else { text.to_owned() }
}
