//! What a reader without write access sees of classified events: `CLASS:PRIVATE`
//! objects only as busy time (free/busy), `CLASS:CONFIDENTIAL` ones as their times
//! without details (a stub). The owner and writers see everything.

/// The CLASS of the stored object's components, scanned from the text (the most
/// restrictive one wins).
pub fn classification(data: &[u8]) -> Class {
    let text = String::from_utf8_lossy(data);
    let mut class = Class::Public;
    for line in text.split('\n') {
        let line = line.trim_end_matches('\r');
        if let Some(value) = line.strip_prefix("CLASS:").or_else(|| line.strip_prefix("class:")) {
            let this = match value.trim().to_ascii_uppercase().as_str() {
                "PRIVATE" => Class::Private,
                "CONFIDENTIAL" => Class::Confidential,
                _ => Class::Public,
            };
            class = class.max(this);
        }
    }
    class
}

/// How restricted an object is; ordered from open to closed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Class {
    /// PUBLIC or absent.
    Public,
    /// CONFIDENTIAL: times only.
    Confidential,
    /// PRIVATE: busy time only.
    Private,
}

/// Properties a time-only stub keeps: what free/busy and a calendar grid need.
const KEPT: [&str; 15] = [
    "UID",
    "DTSTAMP",
    "DTSTART",
    "DTEND",
    "DURATION",
    "DUE",
    "RRULE",
    "RDATE",
    "EXDATE",
    "RECURRENCE-ID",
    "SEQUENCE",
    "STATUS",
    "TRANSP",
    "CLASS",
    "CREATED",
];

/// The stub of a calendar object: the calendar's own lines, time zones whole, and
/// of each event/task/journal only the time properties, with SUMMARY "Busy".
pub fn time_only(text: &str) -> String {
    let mut out = String::with_capacity(text.len() / 2);
    let mut depth_kept: Vec<bool> = Vec::new();
    let mut in_zone = 0usize;
    let mut logical: Vec<String> = Vec::new();
    for line in text.split_inclusive('\n') {
        if (line.starts_with(' ') || line.starts_with('\t')) && !logical.is_empty() {
            logical.last_mut().expect("checked").push_str(line);
        } else {
            logical.push(line.to_owned());
        }
    }
    for line in logical {
        let name_end = line.find([';', ':']).unwrap_or(line.len());
        let name = line[..name_end].trim().to_ascii_uppercase();
        let value = line.split_once(':').map(|(_, v)| v.trim().to_ascii_uppercase()).unwrap_or_default();
        match name.as_str() {
            "BEGIN" => {
                let keep = match value.as_str() {
                    "VCALENDAR" | "VEVENT" | "VTODO" | "VJOURNAL" => in_zone == 0,
                    "VTIMEZONE" => {
                        in_zone += 1;
                        true
                    }
                    _ => in_zone > 0,
                };
                let parent_kept = depth_kept.last().copied().unwrap_or(true);
                depth_kept.push(keep && parent_kept);
                if keep && parent_kept {
                    out.push_str(&line);
                    if matches!(value.as_str(), "VEVENT" | "VTODO" | "VJOURNAL") {
                        out.push_str("SUMMARY:Busy\r\n");
                    }
                }
            }
            "END" => {
                if depth_kept.pop().unwrap_or(false) {
                    out.push_str(&line);
                }
                if value == "VTIMEZONE" {
                    in_zone = in_zone.saturating_sub(1);
                }
            }
            _ => {
                let kept = depth_kept.last().copied().unwrap_or(false);
                let top = depth_kept.len() == 1;
                if kept && (in_zone > 0 || top || KEPT.contains(&name.as_str())) && !(top && name == "X-WR-CALNAME") {
                    out.push_str(&line);
                }
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    const EVENT: &str = "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:x\r\nBEGIN:VTIMEZONE\r\nTZID:Europe/Paris\r\n\
        BEGIN:STANDARD\r\nDTSTART:19701025T030000\r\nTZOFFSETFROM:+0200\r\nTZOFFSETTO:+0100\r\nEND:STANDARD\r\nEND:VTIMEZONE\r\n\
        BEGIN:VEVENT\r\nUID:p\r\nDTSTAMP:20260101T000000Z\r\nDTSTART;TZID=Europe/Paris:20261201T100000\r\nDURATION:PT1H\r\n\
        CLASS:CONFIDENTIAL\r\nSUMMARY:Rendez-vous médical\r\nDESCRIPTION:Dr\\, details\r\nLOCATION:Clinique\r\n\
        ATTENDEE:mailto:x@y.org\r\nBEGIN:VALARM\r\nACTION:DISPLAY\r\nDESCRIPTION:Rappel\r\nTRIGGER:-PT15M\r\nEND:VALARM\r\n\
        END:VEVENT\r\nEND:VCALENDAR\r\n";

    #[test]
    fn classes_are_read_from_the_text() {
        assert_eq!(classification(EVENT.as_bytes()), Class::Confidential);
        assert_eq!(classification(EVENT.replace("CONFIDENTIAL", "PRIVATE").as_bytes()), Class::Private);
        assert_eq!(classification(EVENT.replace("CLASS:CONFIDENTIAL\r\n", "").as_bytes()), Class::Public);
    }

    #[test]
    fn stubs_keep_times_and_zones_only() {
        let stub = time_only(EVENT);
        for kept in
            ["TZOFFSETTO:+0100", "DTSTART;TZID=Europe/Paris:20261201T100000", "DURATION:PT1H", "UID:p", "SUMMARY:Busy"]
        {
            assert!(stub.contains(kept), "{kept} missing: {stub}");
        }
        for gone in ["médical", "Clinique", "details", "ATTENDEE", "VALARM", "Rappel"] {
            assert!(!stub.contains(gone), "{gone} leaked: {stub}");
        }
        let parsed = crate::parse_calendar(stub.as_bytes(), &crate::TzSpec::utc()).expect("the stub is a valid object");
        assert_eq!(parsed.uid, "p");
    }
}
