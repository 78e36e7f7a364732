//! The VCALENDARs sent out: METHOD, the components, the VTIMEZONEs they use.

use super::tree::{set_value, strip_schedule_params, zones_for};
use super::types::{Method, Outgoing};
use crate::content::{Line, Node, serialize};
use crate::format_utc;

/// PRODID of every message this module writes.
pub(crate) const PRODID: &str = "-//Agora//Agora//EN";

/// A component as sent: no VALARM (the sender's reminders are not the
/// recipient's), no SCHEDULE-* parameters (RFC 6638 §7: server-only), DTSTAMP now.
pub(crate) fn for_sending(comp: &Node, now: i64) -> Node {
    let mut c = comp.clone();
    c.children.retain(|ch| ch.name != "VALARM");
    strip_schedule_params(&mut c);
    set_value(&mut c, "DTSTAMP", &format_utc(now));
    c
}

/// A complete message: VCALENDAR with METHOD, the VTIMEZONEs of `source` that
/// `comps` reference, then `comps`.
pub(crate) fn message(method: Method, recipient: &str, source: &Node, comps: Vec<Node>) -> Outgoing {
    let line = |name: &str, value: &str| Line::new(name, Vec::new(), value);
    let mut children = zones_for(source, &comps);
    children.extend(comps);
    let root = Node {
        name: "VCALENDAR".into(),
        lines: vec![line("VERSION", "2.0"), line("PRODID", PRODID), line("METHOD", method.as_str())],
        children,
    };
    Outgoing { method, recipient: recipient.to_owned(), text: serialize(&root), fallback: None }
}
