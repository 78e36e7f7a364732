//! One iCalendar stream from many stored objects, for published calendars
//! (webcal feeds): every VTIMEZONE once, then every event, task and journal, each
//! copied line for line from its object.

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
    fn one_calendar_zones_once() {
        let feed = merge("Équipe; projets", &[object("a"), object("b")]);
        assert_eq!(feed.matches("BEGIN:VTIMEZONE").count(), 1);
        assert_eq!(feed.matches("BEGIN:VEVENT").count(), 2);
        assert!(feed.contains("X-WR-CALNAME:Équipe\\; projets") && feed.contains("SUMMARY:Long\r\n  folded"), "{feed}");
        let parsed = calcard::icalendar::ICalendar::parse(&feed).expect("a valid stream");
        assert_eq!(parsed.components.len(), 1 + 1 + 1 + 2);
    }
}
