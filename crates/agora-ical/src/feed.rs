//! iCalendar streams and objects: [`merge`] makes one stream from many stored
//! objects, for published calendars (webcal feeds): every VTIMEZONE once, then
//! every event, task and journal, each copied line for line from its object;
//! [`split`] does the reverse for subscribed feeds: one object per UID (a series
//! with its overrides together) with the time zones it names. Both read lines
//! with [`crate::content`] and copy them as stored (folding kept, CRLF ends).

use crate::content;

/// A top-level component of a VCALENDAR text (a child of the VCALENDAR).
#[derive(Debug, Default)]
struct Component {
    /// Upper-cased component name.
    kind: String,
    /// Its lines as stored (folding kept), CRLF line ends.
    text: String,
    /// Its own UID (not a nested alarm's), when not empty.
    uid: Option<String>,
    /// Its own TZID (a VTIMEZONE's).
    tzid: Option<String>,
    /// The TZID parameters of its lines, nested components included.
    zones_used: Vec<String>,
}

/// The top-level components of a VCALENDAR text, read by [`crate::content`].
fn top_components(text: &str) -> Vec<Component> {
    let mut out = Vec::new();
    let mut depth = 0usize;
    let mut current: Option<Component> = None;
    for logical in content::logical_lines(text) {
        let line = logical.parse().ok();
        let name = line.as_ref().map_or("", |l| l.name.as_str());
        if name == "BEGIN" {
            depth += 1;
            if depth == 2 {
                let kind = line.as_ref().map_or(String::new(), |l| l.value.trim().to_ascii_uppercase());
                current = Some(Component { kind, ..Component::default() });
            }
        }
        if let Some(c) = current.as_mut().filter(|_| depth >= 2) {
            logical.write_crlf(&mut c.text);
            if let Some(l) = &line {
                let value = l.value.trim();
                match name {
                    "UID" if depth == 2 && c.uid.is_none() && !value.is_empty() => c.uid = Some(value.to_owned()),
                    "TZID" if depth == 2 && c.tzid.is_none() => c.tzid = Some(value.to_owned()),
                    _ => {}
                }
                c.zones_used.extend(l.param_values("TZID").unwrap_or_default().iter().cloned());
            }
        }
        if name == "END" {
            if depth == 2
                && let Some(c) = current.take()
            {
                out.push(c);
            }
            depth = depth.saturating_sub(1);
        }
    }
    out
}

/// Splits a stream into calendar object resources, one per UID, in stream order:
/// `(uid, text)`, each with the VTIMEZONEs its TZID parameters name. Components
/// without a UID (invalid in a stream) are left out.
pub fn split(text: &str) -> Vec<(String, String)> {
    let components = top_components(text);
    let zones: Vec<&Component> = components.iter().filter(|c| c.kind == "VTIMEZONE" && c.tzid.is_some()).collect();
    // (uid, body, TZIDs used), in stream order.
    let mut groups: Vec<(String, String, Vec<&str>)> = Vec::new();
    for c in components.iter().filter(|c| c.kind != "VTIMEZONE") {
        let Some(uid) = &c.uid else { continue };
        let used = c.zones_used.iter().map(String::as_str);
        match groups.iter_mut().find(|(u, _, _)| u == uid) {
            Some((_, body, zones)) => {
                body.push_str(&c.text);
                zones.extend(used);
            }
            None => groups.push((uid.clone(), c.text.clone(), used.collect())),
        }
    }
    groups
        .into_iter()
        .map(|(uid, body, used)| {
            let mut out = String::from("BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//Agora//Subscription//EN\r\n");
            for zone in zones.iter().filter(|z| z.tzid.as_deref().is_some_and(|id| used.contains(&id))) {
                out.push_str(&zone.text);
            }
            out.push_str(&body);
            out.push_str("END:VCALENDAR\r\n");
            (uid, out)
        })
        .collect()
}

/// Builds the feed: `name` becomes X-WR-CALNAME; objects that fail to parse into
/// components contribute nothing.
pub fn merge(name: &str, objects: &[String]) -> String {
    let mut zones: Vec<(String, String)> = Vec::new();
    let mut body = String::new();
    for object in objects {
        for c in top_components(object) {
            match c.tzid {
                Some(tzid) if c.kind == "VTIMEZONE" => {
                    if !zones.iter().any(|(id, _)| *id == tzid) {
                        zones.push((tzid, c.text));
                    }
                }
                _ if c.kind == "VTIMEZONE" => {}
                _ => body.push_str(&c.text),
            }
        }
    }
    let mut out =
        String::from("BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//Agora//Agora//EN\r\nCALSCALE:GREGORIAN\r\n");
    let escaped = name.replace('\\', "\\\\").replace(';', "\\;").replace(',', "\\,").replace('\n', "\\n");
    out.push_str(&format!("X-WR-CALNAME:{escaped}\r\n"));
    for (_, zone) in zones {
        out.push_str(&zone);
    }
    out.push_str(&body);
    out.push_str("END:VCALENDAR\r\n");
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn object(uid: &str) -> String {
        format!(
            "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:x\r\nBEGIN:VTIMEZONE\r\nTZID:Europe/Paris\r\nBEGIN:STANDARD\r\n\
             DTSTART:19701025T030000\r\nTZOFFSETFROM:+0200\r\nTZOFFSETTO:+0100\r\nEND:STANDARD\r\nEND:VTIMEZONE\r\n\
             BEGIN:VEVENT\r\nUID:{uid}\r\nDTSTAMP:20260101T000000Z\r\nDTSTART;TZID=Europe/Paris:20261201T100000\r\n\
             SUMMARY:Long\r\n  folded\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n"
        )
    }

    #[test]
    fn split_groups_series_by_uid_with_their_zones() {
        let feed = merge("x", &[object("a"), object("b")]);
        let with_override = feed.replace(
            "END:VCALENDAR",
            "BEGIN:VEVENT\r\nUID:a\r\nRECURRENCE-ID:20261208T090000Z\r\nDTSTAMP:20260101T000000Z\r\n\
             DTSTART:20261208T100000Z\r\nEND:VEVENT\r\nBEGIN:VEVENT\r\nDTSTART:20261208T100000Z\r\nEND:VEVENT\r\n\
             END:VCALENDAR",
        );
        let objects = split(&with_override);
        assert_eq!(objects.iter().map(|(u, _)| u.as_str()).collect::<Vec<_>>(), ["a", "b"]);
        let (_, a) = &objects[0];
        assert_eq!(a.matches("BEGIN:VEVENT").count(), 2, "{a}");
        assert_eq!(a.matches("BEGIN:VTIMEZONE").count(), 1, "{a}");
        assert!(calcard::icalendar::ICalendar::parse(a).is_ok(), "{a}");
        assert!(split("BEGIN:VCALENDAR\r\nEND:VCALENDAR\r\n").is_empty());
    }

    #[test]
    fn one_calendar_zones_once() {
        let feed = merge("Équipe; projets", &[object("a"), object("b")]);
        assert_eq!(feed.matches("BEGIN:VTIMEZONE").count(), 1);
        assert_eq!(feed.matches("BEGIN:VEVENT").count(), 2);
        assert!(feed.contains("X-WR-CALNAME:Équipe\\; projets") && feed.contains("SUMMARY:Long\r\n  folded"), "{feed}");
        let parsed = calcard::icalendar::ICalendar::parse(&feed).expect("a valid stream");
        assert_eq!(parsed.components.len(), 1 + 1 + 1 + 2);
    }

    #[test]
    fn split_reads_uids_and_zones_by_the_content_rules() {
        // Lower-case TZID, a TZID parameter followed by another parameter, a folded
        // UID and a quoted parameter holding ':' before the UID's value.
        let stream = "BEGIN:VCALENDAR\r\nbegin:vtimezone\r\ntzid:Europe/Paris\r\nEND:VTIMEZONE\r\n\
                      BEGIN:VTIMEZONE\r\nTZID:America/New_York\r\nEND:VTIMEZONE\r\n\
                      BEGIN:VEVENT\r\nUID;X-P=\"a:b\":real\r\nDTSTART;TZID=Europe/Paris;VALUE=DATE-TIME:20261201T100000\r\nEND:VEVENT\r\n\
                      BEGIN:VTODO\r\nU\r\n ID:t\r\nEND:VTODO\r\nEND:VCALENDAR\r\n";
        let objects = split(stream);
        assert_eq!(objects.iter().map(|(u, _)| u.as_str()).collect::<Vec<_>>(), ["real", "t"]);
        let (_, event) = &objects[0];
        assert!(event.contains("tzid:Europe/Paris") && !event.contains("America/New_York"), "{event}");
        assert!(!objects[1].1.contains("VTIMEZONE"), "{}", objects[1].1);
        let feed = merge("x", std::slice::from_ref(event));
        assert_eq!(feed.to_ascii_uppercase().matches("BEGIN:VTIMEZONE").count(), 1, "{feed}");
    }
}
