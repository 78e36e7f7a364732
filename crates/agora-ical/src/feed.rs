//! iCalendar streams and objects: [`merge`] makes one stream from many stored
//! objects, for published calendars (webcal feeds): every VTIMEZONE once, then
//! every event, task and journal, each copied line for line from its object;
//! [`split`] does the reverse for subscribed feeds: one object per UID (a series
//! with its overrides together) with the time zones it names.

/// The top-level components of a VCALENDAR text, each as its lines (folding kept),
/// with their component name.
fn top_components(text: &str) -> Vec<(String, String)> {
    let mut out = Vec::new();
    let mut depth = 0usize;
    let mut current = String::new();
    let mut name = String::new();
    for line in text.split_inclusive('\n') {
        let upper = line.trim_end().to_ascii_uppercase();
        if let Some(comp) = upper.strip_prefix("BEGIN:") {
            depth += 1;
            if depth == 2 {
                name = comp.to_owned();
                current.clear();
            }
        }
        if depth >= 2 {
            current.push_str(line);
            if !line.ends_with('\n') {
                current.push_str("\r\n");
            }
        }
        if upper.starts_with("END:") {
            if depth == 2 {
                out.push((name.clone(), std::mem::take(&mut current)));
            }
            depth = depth.saturating_sub(1);
        }
    }
    out
}

fn tzid_of(component: &str) -> Option<String> {
    component.split('\n').find_map(|l| l.trim_end().strip_prefix("TZID:").map(|v| v.trim().to_owned()))
}

/// Splits a stream into calendar object resources, one per UID, in stream order:
/// `(uid, text)`. Components without a UID (invalid in a stream) are left out.
pub fn split(text: &str) -> Vec<(String, String)> {
    let components = top_components(text);
    let zones: Vec<(String, &String)> =
        components.iter().filter(|(k, _)| k == "VTIMEZONE").filter_map(|(_, c)| tzid_of(c).map(|id| (id, c))).collect();
    let mut groups: Vec<(String, String)> = Vec::new();
    for (kind, component) in &components {
        if kind == "VTIMEZONE" {
            continue;
        }
        let Some(uid) = uid_of(component) else { continue };
        match groups.iter_mut().find(|(u, _)| *u == uid) {
            Some((_, body)) => body.push_str(component),
            None => groups.push((uid, component.clone())),
        }
    }
    groups
        .into_iter()
        .map(|(uid, body)| {
            let mut out = String::from("BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//Agora//Subscription//EN\r\n");
            for (tzid, zone) in &zones {
                if body.contains(&format!("TZID={tzid}:")) || body.contains(&format!("TZID=\"{tzid}\":")) {
                    out.push_str(zone);
                }
            }
            out.push_str(&body);
            out.push_str("END:VCALENDAR\r\n");
            (uid, out)
        })
        .collect()
}

/// The UID of a top-level component (its own line, not a nested alarm's).
fn uid_of(component: &str) -> Option<String> {
    let mut depth = 0usize;
    for line in component.split('\n') {
        let line = line.trim_end();
        let upper = line.to_ascii_uppercase();
        if upper.starts_with("BEGIN:") {
            depth += 1;
        } else if upper.starts_with("END:") {
            depth = depth.saturating_sub(1);
        } else if depth == 1 && upper.starts_with("UID") {
            let value = line.split_once(':')?.1.trim();
            if !value.is_empty() && matches!(upper.as_bytes().get(3), Some(b':' | b';')) {
                return Some(value.to_owned());
            }
        }
    }
    None
}

/// Builds the feed: `name` becomes X-WR-CALNAME; objects that fail to parse into
/// components contribute nothing.
pub fn merge(name: &str, objects: &[String]) -> String {
    let mut zones: Vec<(String, String)> = Vec::new();
    let mut body = String::new();
    for object in objects {
        for (kind, component) in top_components(object) {
            if kind == "VTIMEZONE" {
                if let Some(tzid) = tzid_of(&component)
                    && !zones.iter().any(|(id, _)| *id == tzid)
                {
                    zones.push((tzid, component));
                }
            } else {
                body.push_str(&component);
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
}
