//! [`organizer_messages`]: what the server does when the organizer PUTs or
//! DELETEs a scheduling object (RFC 6638 §3.2.1, RFC 5546 §3.2).

use super::add::{add_for, added_instances};
use super::build::{for_sending, message};
use super::instance::date_params;
use super::tree::{
    DESCRIPTIVE_PROPS, SEQUENCE_PROPS, TIME_PROPS, address, attendee_line, attendee_set, date_key, differs,
    exdate_keys, exdates_removed, find, is_cancelled, is_schedulable, keyed, object_organizer, parse_calendar,
    partstat, prop, remove_param, sequence, set_param, set_value,
};
use super::types::{Agent, Method, OrganizerOutcome, Outgoing};
use crate::content::{Line, Node, serialize};

/// Key of a component: `None` for the master, else its RECURRENCE-ID key.
type Key = Option<String>;

/// How one component of the new text relates to the old text.
struct Change {
    key: Key,
    /// Index in the new root.
    idx: usize,
    /// The old component compared against: the same key, or for a new override
    /// the old master (the instance as it was).
    baseline: Option<usize>,
    /// A change that raises SEQUENCE (time or status).
    seq_change: bool,
    /// A change that invalidates the attendees' answers.
    reschedule: bool,
    /// A change attendees are told about.
    significant: bool,
}

/// Organizer side of a PUT (`new` Some) or DELETE (`new` None) by the organizer.
/// `old` is the stored text (None: a new object); `now` (Unix seconds) becomes DTSTAMP.
///
/// Returns the text to store when the server had to change the client's
/// (SEQUENCE raised, other attendees' PARTSTATs kept or reset, SCHEDULE-FORCE-SEND
/// removed) and the REQUEST/CANCEL messages, at most one per recipient and method.
/// Nothing is done when the ORGANIZER's SCHEDULE-AGENT is not SERVER.
pub fn organizer_messages(old: Option<&str>, new: Option<&str>, now: i64) -> OrganizerOutcome {
    let nothing = || OrganizerOutcome { stored: None, messages: Vec::new() };
    // An old version that the server did not schedule counts as absent.
    let old_root = old.and_then(parse_calendar).filter(|r| server_scheduled(r) == Some(true));
    let Some(mut new_root) = new.and_then(parse_calendar) else {
        if new.is_some() {
            return nothing();
        }
        return OrganizerOutcome {
            stored: None,
            messages: old_root.map(|o| cancel_everyone(&o, now)).unwrap_or_default(),
        };
    };
    match server_scheduled(&new_root) {
        Some(true) => {}
        // The organizer turned it into a plain event: the attendees lose it.
        None => {
            return OrganizerOutcome {
                stored: None,
                messages: old_root.map(|o| cancel_everyone(&o, now)).unwrap_or_default(),
            };
        }
        Some(false) => return nothing(),
    }
    let organizer = object_organizer(&new_root).map(address).unwrap_or_default();
    let original = new_root.clone();
    let changes = compare(&original, old_root.as_ref());
    if let Some(old_root) = &old_root {
        adjust(&mut new_root, old_root, &changes, &organizer);
    }
    strip_force_send(&mut new_root);
    let stored = (new_root != original).then(|| serialize(&new_root));
    let messages = match &old_root {
        Some(o) => updates(&original, &new_root, o, &changes, &organizer, now),
        None => invitations(&original, &new_root, &organizer, now),
    };
    OrganizerOutcome { stored, messages }
}

/// `None` when the object is not a scheduling object (no VEVENT/VTODO with
/// ORGANIZER), else whether the ORGANIZER's SCHEDULE-AGENT is SERVER.
fn server_scheduled(root: &Node) -> Option<bool> {
    if !is_schedulable(root) {
        return None;
    }
    let org = object_organizer(root)?;
    Some(Agent::parse(org.param("SCHEDULE-AGENT")) == Agent::Server)
}

/// Compares each new component with its old counterpart.
fn compare(new_root: &Node, old_root: Option<&Node>) -> Vec<Change> {
    let new_keys = keyed(new_root);
    let Some(old_root) = old_root else {
        return new_keys
            .into_iter()
            .map(|(key, idx)| Change {
                key,
                idx,
                baseline: None,
                seq_change: false,
                reschedule: false,
                significant: true,
            })
            .collect();
    };
    let old_keys = keyed(old_root);
    let mut out: Vec<Change> = Vec::new();
    for (key, idx) in &new_keys {
        let n = &new_root.children[*idx];
        let same = find(&old_keys, key);
        let (baseline, seq_change, reschedule, significant) = match (same, key) {
            (Some(o), _) => {
                let o_node = &old_root.children[o];
                let seq = differs(o_node, n, &SEQUENCE_PROPS);
                // Added instances (ADD) leave the answers to the others standing.
                let resched = (differs(o_node, n, &TIME_PROPS) || exdates_removed(o_node, n))
                    && (key.is_some() || added_instances(o_node, n).is_none());
                // RFC 6638 §3.2.1.2 leaves "significant" to the server. Besides
                // times, status, the descriptive properties and who takes part:
                // a SEQUENCE the client raised (RFC 5546 §2.1.4: the organiser's
                // own mark of a revision attendees must get), and the organiser's
                // own participation, which attendees' clients show beside theirs.
                let sig = seq
                    || sequence(n) > sequence(o_node)
                    || differs(o_node, n, &DESCRIPTIVE_PROPS)
                    || attendee_set(o_node) != attendee_set(n)
                    || prop(o_node, "ORGANIZER").map(address) != prop(n, "ORGANIZER").map(address)
                    || organizer_partstat(o_node) != organizer_partstat(n);
                (Some(o), seq, resched, sig)
            }
            // A new override: compare it with the instance as the master made it.
            (None, Some(k)) => match find(&old_keys, &None) {
                Some(m) => {
                    let m_node = &old_root.children[m];
                    let moved = prop(n, "DTSTART").is_some_and(|s| date_key(&s.value, s.param("TZID")) != *k)
                        || differs(m_node, n, &["DTEND", "DURATION", "DUE"]) && !has_same_length(m_node, n);
                    let status = differs(m_node, n, &["STATUS"]);
                    let sig = moved
                        || status
                        || differs(m_node, n, &DESCRIPTIVE_PROPS)
                        || attendee_set(m_node) != attendee_set(n);
                    (Some(m), moved || status, moved, sig)
                }
                None => (None, true, true, true),
            },
            (None, None) => (None, true, true, true),
        };
        out.push(Change { key: key.clone(), idx: *idx, baseline, seq_change, reschedule, significant });
    }
    // The set of overrides is part of the master: an override removed, or a new
    // override that differs from its instance, is news for the master's attendees.
    let removed = old_keys.iter().any(|(k, _)| k.is_some() && find(&new_keys, k).is_none());
    let added = out.iter().any(|c| c.key.is_some() && c.significant && find(&old_keys, &c.key).is_none());
    if removed || added {
        for c in out.iter_mut().filter(|c| c.key.is_none()) {
            c.significant = true;
        }
    }
    out
}

/// The PARTSTAT of the ATTENDEE line naming the organiser, if there is one.
fn organizer_partstat(node: &Node) -> Option<String> {
    let organizer = address(prop(node, "ORGANIZER")?);
    attendee_line(node, &organizer).map(partstat)
}

/// True when two components last equally long (an override keeps its instance's length).
fn has_same_length(master: &Node, over: &Node) -> bool {
    let len = |n: &Node| {
        let start = prop(n, "DTSTART")?;
        let end = prop(n, "DTEND").or_else(|| prop(n, "DUE"))?;
        let s = date_key(&start.value, start.param("TZID"));
        let e = date_key(&end.value, end.param("TZID"));
        Some(e.strip_prefix('U')?.parse::<i64>().ok()? - s.strip_prefix('U')?.parse::<i64>().ok()?)
    };
    match (len(master), len(over)) {
        (Some(a), Some(b)) => a == b,
        _ => value_of(master, "DURATION") == value_of(over, "DURATION"),
    }
}

fn value_of(n: &Node, name: &str) -> Option<String> {
    prop(n, name).map(|l| l.value.trim().to_ascii_uppercase())
}

/// The server's changes to the client's text (RFC 6638 §3.2.1.1 / §3.2.1.2):
/// SEQUENCE raised for time/status changes the client did not number; the
/// attendees' PARTSTATs, which only their replies may change, kept from the old
/// version, or reset to NEEDS-ACTION where the component was rescheduled.
fn adjust(new_root: &mut Node, old_root: &Node, changes: &[Change], organizer: &str) {
    for c in changes {
        let Some(b) = c.baseline else { continue };
        let base = &old_root.children[b];
        let node = &mut new_root.children[c.idx];
        if c.seq_change && sequence(node) <= sequence(base) {
            set_value(node, "SEQUENCE", &(sequence(base) + 1).to_string());
        }
        for line in node.lines.iter_mut().filter(|l| l.name == "ATTENDEE") {
            let addr = address(line);
            if addr == organizer {
                continue;
            }
            if c.reschedule {
                set_param(line, "PARTSTAT", "NEEDS-ACTION");
                set_param(line, "RSVP", "TRUE");
                continue;
            }
            // Attendees the organizer's client schedules itself keep what that client wrote.
            if Agent::parse(line.param("SCHEDULE-AGENT")) != Agent::Server {
                continue;
            }
            if let Some(old_line) = attendee_line(base, &addr) {
                for p in ["PARTSTAT", "SCHEDULE-STATUS"] {
                    match old_line.param(p) {
                        Some(v) => set_param(line, p, v),
                        None => remove_param(line, p),
                    }
                }
            }
        }
    }
}

/// SCHEDULE-FORCE-SEND is a one-shot request, never stored (RFC 6638 §7.3).
fn strip_force_send(root: &mut Node) {
    for c in root.children.iter_mut() {
        for line in c.lines.iter_mut().filter(|l| l.name == "ATTENDEE" || l.name == "ORGANIZER") {
            remove_param(line, "SCHEDULE-FORCE-SEND");
        }
    }
}

/// The attendees of the listed components the server delivers to: SCHEDULE-AGENT
/// SERVER, not the organizer; in first-appearance order.
fn recipients<'a>(nodes: impl Iterator<Item = &'a Node>, organizer: &str, skip: &mut Vec<String>) -> Vec<String> {
    let mut out = Vec::new();
    for node in nodes {
        for line in node.props("ATTENDEE") {
            let addr = address(line);
            if addr == organizer || out.contains(&addr) || skip.contains(&addr) {
                continue;
            }
            if Agent::parse(line.param("SCHEDULE-AGENT")) == Agent::Server {
                out.push(addr);
            } else {
                skip.push(addr);
            }
        }
    }
    out
}

/// True when `addr` asked for a REQUEST with SCHEDULE-FORCE-SEND in any component.
fn forced(root: &Node, comps: &[(Key, usize)], addr: &str) -> bool {
    comps.iter().any(|&(_, i)| {
        root.children[i].props("ATTENDEE").any(|l| {
            address(l) == addr && l.param("SCHEDULE-FORCE-SEND").is_some_and(|v| v.eq_ignore_ascii_case("REQUEST"))
        })
    })
}

/// A REQUEST for `addr`: the components they are in; the master carries an
/// EXDATE for each override they are not in (that instance is not theirs).
fn request_for(stored: &Node, addr: &str, now: i64) -> Option<Outgoing> {
    let keys = keyed(stored);
    let mine: Vec<&(Key, usize)> =
        keys.iter().filter(|(_, i)| attendee_line(&stored.children[*i], addr).is_some()).collect();
    if mine.is_empty() {
        return None;
    }
    let mut comps = Vec::new();
    for (key, i) in &mine {
        let mut c = for_sending(&stored.children[*i], now);
        if key.is_none() {
            for (_, o) in
                keys.iter().filter(|(k, o)| k.is_some() && attendee_line(&stored.children[*o], addr).is_none())
            {
                if let Some(rid) = prop(&stored.children[*o], "RECURRENCE-ID") {
                    c.lines.push(Line::new("EXDATE", date_params(rid), rid.value.clone()));
                }
            }
        }
        comps.push(c);
    }
    Some(message(Method::Request, addr, stored, comps))
}

/// A cancelled component: STATUS:CANCELLED, SEQUENCE `seq`; with `only`, the
/// sole ATTENDEE kept is that one (RFC 5546 §3.2.5: the removed attendees).
fn cancelled(comp: &Node, seq: i64, only: Option<&str>, now: i64) -> Node {
    let mut c = for_sending(comp, now);
    set_value(&mut c, "STATUS", "CANCELLED");
    set_value(&mut c, "SEQUENCE", &seq.to_string());
    if let Some(addr) = only {
        c.lines.retain(|l| l.name != "ATTENDEE" || address(l) == addr);
    }
    c
}

/// Creation: a REQUEST to every attendee.
fn invitations(original: &Node, stored: &Node, organizer: &str, now: i64) -> Vec<Outgoing> {
    let keys = keyed(original);
    let mut skip = Vec::new();
    let who = recipients(keys.iter().map(|&(_, i)| &original.children[i]), organizer, &mut skip);
    who.iter().filter_map(|a| request_for(stored, a, now)).collect()
}

/// Deletion (or the master cancelled, or ORGANIZER removed): a CANCEL of
/// everything they were in to every attendee, unless it was cancelled already.
fn cancel_everyone(old_root: &Node, now: i64) -> Vec<Outgoing> {
    let organizer = object_organizer(old_root).map(address).unwrap_or_default();
    let keys = keyed(old_root);
    let mut skip = Vec::new();
    let who = recipients(keys.iter().map(|&(_, i)| &old_root.children[i]), &organizer, &mut skip);
    let mut out = Vec::new();
    for a in who {
        let comps: Vec<Node> = keys
            .iter()
            .map(|&(_, i)| &old_root.children[i])
            .filter(|c| attendee_line(c, &a).is_some() && !is_cancelled(c))
            .map(|c| cancelled(c, sequence(c) + 1, None, now))
            .collect();
        if !comps.is_empty() {
            out.push(message(Method::Cancel, &a, old_root, comps));
        }
    }
    out
}

/// An update: REQUESTs to those concerned by a change, CANCELs to those removed.
fn updates(
    original: &Node,
    stored: &Node,
    old_root: &Node,
    changes: &[Change],
    organizer: &str,
    now: i64,
) -> Vec<Outgoing> {
    let new_keys = keyed(original);
    let old_keys = keyed(old_root);
    let new_master = find(&new_keys, &None).map(|i| &stored.children[i]);
    let old_master = find(&old_keys, &None).map(|i| &old_root.children[i]);
    if let Some(m) = new_master
        && is_cancelled(m)
    {
        // The whole event cancelled (RFC 5546 §3.2.5); already cancelled: nothing new to say.
        if old_master.is_some_and(is_cancelled) {
            return Vec::new();
        }
        let mut skip = Vec::new();
        let who = recipients(old_keys.iter().map(|&(_, i)| &old_root.children[i]), organizer, &mut skip);
        return who
            .iter()
            .map(|a| message(Method::Cancel, a, stored, vec![cancelled(m, sequence(m), None, now)]))
            .collect();
    }
    let mut skip = Vec::new();
    let mut who = recipients(new_keys.iter().map(|&(_, i)| &original.children[i]), organizer, &mut skip);
    for a in recipients(old_keys.iter().map(|&(_, i)| &old_root.children[i]), organizer, &mut skip) {
        if !who.contains(&a) {
            who.push(a);
        }
    }
    let new_exdates = new_master.map(exdate_keys).unwrap_or_default();
    let added = only_added_instances(original, old_root, changes);
    let mut out = Vec::new();
    for a in &who {
        let new_in: Vec<&Change> =
            changes.iter().filter(|c| attendee_line(&original.children[c.idx], a).is_some()).collect();
        let old_in: Vec<&(Key, usize)> =
            old_keys.iter().filter(|(_, i)| attendee_line(&old_root.children[*i], a).is_some()).collect();
        let stored_seq = |k: &Key| find(&new_keys, k).map_or(0, |i| sequence(&stored.children[i]));
        if new_in.is_empty() {
            // Removed from the event: cancel what they had.
            let comps = old_in
                .iter()
                .map(|(k, i)| {
                    let c = &old_root.children[*i];
                    cancelled(c, (sequence(c) + 1).max(stored_seq(k)), Some(a), now)
                })
                .collect();
            out.push(message(Method::Cancel, a, old_root, comps));
            continue;
        }
        let in_new_master = new_in.iter().any(|c| c.key.is_none());
        let lost: Vec<&(Key, usize)> =
            old_in.iter().copied().filter(|(k, _)| k.is_some() && !new_in.iter().any(|c| c.key == *k)).collect();
        if let Some(added) = &added
            && lost.is_empty()
            && !forced(original, &new_keys, a)
            && old_in.iter().any(|(k, _)| k.is_none())
            && in_new_master
        {
            if let Some(mut add) = add_for(stored, added, a, now) {
                add.fallback = request_for(stored, a, now).map(|r| r.text);
                out.push(add);
            }
            continue;
        }
        let send_request = old_in.is_empty()
            || forced(original, &new_keys, a)
            || !lost.is_empty()
            || new_in.iter().any(|c| {
                // New to them: they were not in the component (or, for a new
                // override, in the instance of the master) before.
                let before = c.baseline.is_some_and(|b| attendee_line(&old_root.children[b], a).is_some());
                c.significant || !before
            });
        if send_request && let Some(req) = request_for(stored, a, now) {
            out.push(req);
        }
        // Instances that are no longer theirs: removed from that override, or the
        // override removed and the instance excluded (or they are not in the master).
        let cancels: Vec<Node> = lost
            .iter()
            .filter(|(k, _)| {
                let still_there = find(&new_keys, k).is_some();
                let excluded = k.as_ref().is_some_and(|k| new_exdates.contains(k));
                still_there || excluded || !in_new_master
            })
            .map(|(k, i)| {
                let c = &old_root.children[*i];
                cancelled(c, (sequence(c) + 1).max(stored_seq(k)), Some(a), now)
            })
            .collect();
        if !cancels.is_empty() {
            out.push(message(Method::Cancel, a, old_root, cancels));
        }
    }
    out
}

/// The instances a change adds, when adding RDATE instances is all it does:
/// the master gains RDATEs and nothing else, no override is removed, and the
/// only new or changed overrides are those of the added instances.
fn only_added_instances(original: &Node, old_root: &Node, changes: &[Change]) -> Option<Vec<Line>> {
    let new_keys = keyed(original);
    let old_keys = keyed(old_root);
    let added =
        added_instances(&old_root.children[find(&old_keys, &None)?], &original.children[find(&new_keys, &None)?])?;
    let added_keys: Vec<Key> = added.iter().map(|l| Some(date_key(&l.value, l.param("TZID")))).collect();
    if old_keys.iter().any(|(k, _)| find(&new_keys, k).is_none()) {
        return None;
    }
    let others_unchanged = changes
        .iter()
        .filter(|c| c.key.is_some() && !added_keys.contains(&c.key))
        .all(|c| !c.significant && !c.seq_change && find(&old_keys, &c.key).is_some());
    others_unchanged.then_some(added)
}
