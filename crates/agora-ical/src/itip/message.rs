//! [`parse_message`]: reading an incoming iTIP message.

use super::tree::{address, attendees_of, object_organizer, parse_calendar, sequence, value};
use super::types::{ItipError, Message, Method};

/// Parses an iTIP message (from this server's [`super::Outgoing`] or from e-mail).
/// It needs a METHOD, at least one VEVENT, VTODO or VFREEBUSY, and one UID
/// shared by all of them.
pub fn parse_message(text: &str) -> Result<Message, ItipError> {
    let root = parse_calendar(text).ok_or_else(|| ItipError::Malformed("not a VCALENDAR".into()))?;
    let method = value(&root, "METHOD").ok_or_else(|| ItipError::Malformed("no METHOD".into()))?;
    let method = Method::parse(method).ok_or_else(|| ItipError::Malformed(format!("unknown METHOD {method}")))?;
    let comps: Vec<_> =
        root.children.iter().filter(|c| matches!(c.name.as_str(), "VEVENT" | "VTODO" | "VFREEBUSY")).collect();
    if comps.is_empty() {
        return Err(ItipError::Malformed("no VEVENT, VTODO or VFREEBUSY".into()));
    }
    let mut uid: Option<String> = None;
    for c in &comps {
        // An empty UID is no UID (found by the itip fuzz target): it would
        // match every other object stored without one.
        let u = value(c, "UID")
            .map(str::trim)
            .filter(|u| !u.is_empty())
            .ok_or_else(|| ItipError::Malformed("component without UID".into()))?;
        match &uid {
            Some(first) if first != u => return Err(ItipError::Malformed("more than one UID".into())),
            Some(_) => {}
            None => uid = Some(u.to_owned()),
        }
    }
    let organizer =
        object_organizer(&root).or_else(|| comps.iter().find_map(|c| c.props("ORGANIZER").next())).map(address);
    Ok(Message {
        method,
        uid: uid.unwrap_or_default(),
        organizer,
        attendees: attendees_of(comps.iter().copied()),
        sequence: comps.iter().map(|c| sequence(c)).max().unwrap_or(0),
        recurrence_ids: comps.iter().filter_map(|c| value(c, "RECURRENCE-ID")).map(|v| v.trim().to_owned()).collect(),
        text: text.to_owned(),
    })
}
