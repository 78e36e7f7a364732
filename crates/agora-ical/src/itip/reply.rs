//! REPLY messages from an attendee's copy (RFC 6638 §3.2.2, RFC 5546 §3.2.3):
//! [`attendee_reply`] after the attendee's own PUT/DELETE, [`reply_from_copy`]
//! for answers the server gives itself (rooms).

use super::address::normalise_address;
use super::build::message;
use super::comment::RESPONSE_COMMENT;
use super::instance::derive_override;
use super::tree::{
    address, attendee_line, exdate_keys, find, is_cancelled, is_schedulable, keyed, object_organizer, parse_calendar,
    partstat, prop, remove_param, set_param, set_value, strip_schedule_params,
};
use super::types::{Agent, Method, Outgoing};
use crate::content::{Line, Node};
use crate::format_utc;

/// The REPLY, if any, after the attendee `attendee` (their address as listed)
/// changed (`new` Some) or deleted (`new` None) their copy `old`.
///
/// A component is answered when the attendee's PARTSTAT differs from the
/// previous copy's (an override the attendee's client added is compared with
/// the master's PARTSTAT), when SCHEDULE-FORCE-SEND=REPLY is on their line, or
/// when their client excluded an instance with a new EXDATE (answered DECLINED
/// for that instance, RFC 6638 §3.2.2.1). Deleting the copy declines every
/// component not declined or cancelled already. `None` when there is nothing
/// to say or the organizer's or attendee's SCHEDULE-AGENT is not SERVER.
pub fn attendee_reply(old: Option<&str>, new: Option<&str>, attendee: &str, now: i64) -> Option<Outgoing> {
    let me = normalise_address(attendee);
    let old_root = old.and_then(parse_calendar);
    let Some(new) = new else {
        let root = old_root?;
        let organizer = organizer_for(&root, &me)?;
        let comps: Vec<Node> = keyed(&root)
            .iter()
            .map(|&(_, i)| &root.children[i])
            .filter(|c| !is_cancelled(c))
            .filter(|c| attendee_line(c, &me).is_some_and(|l| partstat(l) != "DECLINED"))
            .map(|c| reply_component(c, &me, Some("DECLINED"), now))
            .collect();
        return (!comps.is_empty()).then(|| message(Method::Reply, &organizer, &root, comps));
    };
    let root = parse_calendar(new)?;
    let organizer = organizer_for(&root, &me)?;
    let keys = keyed(&root);
    let old_keys = old_root.as_ref().map(keyed).unwrap_or_default();
    let old_comp = |k: &Option<String>| old_root.as_ref().and_then(|o| find(&old_keys, k).map(|i| &o.children[i]));
    let mut comps = Vec::new();
    for (key, i) in &keys {
        let c = &root.children[*i];
        let Some(line) = attendee_line(c, &me) else { continue };
        let before = old_comp(key)
            .or_else(|| key.as_ref().and(old_comp(&None)))
            .and_then(|o| attendee_line(o, &me))
            .map_or_else(|| "NEEDS-ACTION".to_owned(), partstat);
        let force = line.param("SCHEDULE-FORCE-SEND").is_some_and(|v| v.eq_ignore_ascii_case("REPLY"));
        if partstat(line) != before || force {
            comps.push(reply_component(c, &me, None, now));
        }
    }
    // Instances the attendee's client removed with EXDATE: declined.
    if let (Some(master_idx), Some(old_master)) = (find(&keys, &None), old_comp(&None)) {
        let master = &root.children[master_idx];
        if attendee_line(master, &me).is_some() {
            let before = exdate_keys(old_master);
            for line in master.props("EXDATE") {
                for v in line.value.split(',') {
                    let single = Line::new("RECURRENCE-ID", line.params.clone(), v);
                    let k = super::tree::line_date_key(&single);
                    if before.contains(&k) || find(&keys, &Some(k.clone())).is_some() {
                        continue;
                    }
                    let instance = derive_override(master, &single);
                    comps.push(reply_component(&instance, &me, Some("DECLINED"), now));
                }
            }
        }
    }
    (!comps.is_empty()).then(|| message(Method::Reply, &organizer, &root, comps))
}

/// A REPLY as `attendee` for every component of `copy` they are in, with their
/// PARTSTAT there. Meant for answers the server makes itself (resources), so
/// SCHEDULE-AGENT is not consulted. `None` without ORGANIZER or if not an attendee.
pub fn reply_from_copy(copy: &str, attendee: &str, now: i64) -> Option<Outgoing> {
    let me = normalise_address(attendee);
    let root = parse_calendar(copy)?;
    if !is_schedulable(&root) {
        return None;
    }
    let organizer = object_organizer(&root).map(address)?;
    let comps: Vec<Node> = keyed(&root)
        .iter()
        .map(|&(_, i)| &root.children[i])
        .filter(|c| attendee_line(c, &me).is_some())
        .map(|c| reply_component(c, &me, None, now))
        .collect();
    (!comps.is_empty()).then(|| message(Method::Reply, &organizer, &root, comps))
}

/// The organizer to reply to, if the server replies for `me` in this object:
/// a VEVENT/VTODO with ORGANIZER, both SCHEDULE-AGENTs SERVER, `me` an attendee
/// and not the organizer.
fn organizer_for(root: &Node, me: &str) -> Option<String> {
    if !is_schedulable(root) {
        return None;
    }
    let org = object_organizer(root)?;
    if Agent::parse(org.param("SCHEDULE-AGENT")) != Agent::Server || address(org) == me {
        return None;
    }
    let mine = keyed(root).iter().find_map(|&(_, i)| attendee_line(&root.children[i], me).cloned())?;
    (Agent::parse(mine.param("SCHEDULE-AGENT")) == Agent::Server).then(|| address(org))
}

/// One REPLY component: what Google and Microsoft 365 need to accept it (UID,
/// DTSTAMP, SEQUENCE, RECURRENCE-ID, the times, SUMMARY, ORGANIZER), the
/// attendee's COMMENTs on their answer, and exactly one ATTENDEE, the
/// replier's, without SCHEDULE-* or RSVP (RFC 5546 §3.2.3).
///
/// With `partstat` given the server answers in the attendee's place (a deleted
/// copy, an instance excluded with EXDATE): the comment, written for the
/// answer in the copy, is left out, COMMENT and X-RESPONSE-COMMENT alike.
pub(crate) fn reply_component(comp: &Node, me: &str, partstat: Option<&str>, now: i64) -> Node {
    let mut c = Node { name: comp.name.clone(), lines: Vec::new(), children: Vec::new() };
    let keep = ["UID", "SEQUENCE", "RECURRENCE-ID", "DTSTART", "DTEND", "DURATION", "DUE", "SUMMARY", "ORGANIZER"];
    for name in keep {
        c.lines.extend(comp.props(name).take(1).cloned());
        if name == "UID" {
            c.lines.push(Line::new("DTSTAMP", Vec::new(), format_utc(now)));
        }
    }
    if prop(&c, "SEQUENCE").is_none() {
        set_value(&mut c, "SEQUENCE", "0");
    }
    if partstat.is_none() {
        c.lines.extend(comp.props("COMMENT").cloned());
    }
    strip_schedule_params(&mut c);
    if let Some(line) = attendee_line(comp, me) {
        let mut line = line.clone();
        if let Some(p) = partstat {
            set_param(&mut line, "PARTSTAT", p);
            remove_param(&mut line, RESPONSE_COMMENT);
        }
        remove_param(&mut line, "RSVP");
        line.params.retain(|(n, _)| !n.starts_with("SCHEDULE-"));
        c.lines.push(line);
    }
    c
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::content::parse;

    const BOB: &str = "mailto:bob@example.org";

    fn event() -> Node {
        parse(
            "BEGIN:VEVENT\r\nUID:m1\r\nDTSTART:20261201T100000Z\r\nDTEND:20261201T110000Z\r\nSUMMARY:Planning\r\n\
             LOCATION:Room 1\r\nORGANIZER:mailto:alice@example.org\r\n\
             ATTENDEE;PARTSTAT=ACCEPTED:mailto:alice@example.org\r\n\
             ATTENDEE;PARTSTAT=ACCEPTED;RSVP=TRUE;X-RESPONSE-COMMENT=Will bring the slides:mailto:bob@example.org\r\n\
             COMMENT:Will bring the slides\r\nCOMMENT:and coffee\\, too\r\nEND:VEVENT\r\n",
        )
        .unwrap()
    }

    #[test]
    fn reply_component_keeps_the_attendees_comments() {
        let c = reply_component(&event(), BOB, None, 0);
        let comments: Vec<String> = c.props("COMMENT").map(Line::text).collect();
        assert_eq!(comments, ["Will bring the slides", "and coffee, too"]);
        let me = attendee_line(&c, BOB).unwrap();
        assert_eq!(me.param(RESPONSE_COMMENT), Some("Will bring the slides"));
        assert_eq!(me.param("RSVP"), None);
        assert_eq!(c.props("ATTENDEE").count(), 1);
        assert!(prop(&c, "LOCATION").is_none(), "only what a REPLY needs");
    }

    #[test]
    fn reply_component_for_an_answer_the_server_makes_has_no_comment() {
        let c = reply_component(&event(), BOB, Some("DECLINED"), 0);
        assert_eq!(c.props("COMMENT").count(), 0);
        let me = attendee_line(&c, BOB).unwrap();
        assert_eq!((partstat(me).as_str(), me.param(RESPONSE_COMMENT)), ("DECLINED", None));
    }
}
