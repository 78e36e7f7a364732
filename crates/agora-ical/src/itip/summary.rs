//! [`scheduling`]: what implicit scheduling needs from a stored object.

use super::tree::{
    address, attendees_of, is_schedulable, keyed, main_components, object_organizer, parse_calendar, sequence, value,
};
use super::types::{Agent, Scheduling};
use crate::content::unescape;

/// The scheduling view of a calendar object. `None` unless the object is a
/// VEVENT or VTODO (the type of the first non-VTIMEZONE component) with an ORGANIZER.
pub fn scheduling(text: &str) -> Option<Scheduling> {
    let root = parse_calendar(text)?;
    if !is_schedulable(&root) {
        return None;
    }
    let organizer = object_organizer(&root)?;
    let comps = main_components(&root);
    let keys = keyed(&root);
    // Master first, so its SUMMARY and its attendees' lines win.
    let mut order: Vec<usize> = keys.iter().filter(|(k, _)| k.is_none()).map(|&(_, i)| i).collect();
    order.extend(keys.iter().filter(|(k, _)| k.is_some()).map(|&(_, i)| i));
    let nodes = order.iter().map(|&i| &root.children[i]);
    let first = &root.children[*order.first()?];
    Some(Scheduling {
        uid: value(first, "UID").map(|u| u.trim().to_owned()).unwrap_or_default(),
        organizer: address(organizer),
        organizer_agent: Agent::parse(organizer.param("SCHEDULE-AGENT")),
        organizer_cn: organizer.param("CN").map(str::to_owned),
        attendees: attendees_of(nodes),
        summary: order.iter().find_map(|&i| value(&root.children[i], "SUMMARY")).map(unescape),
        sequence: comps.iter().map(|&i| sequence(&root.children[i])).max().unwrap_or(0),
    })
}
