//! Shared by the itip_* tests: realistic organizer bodies (Apple Calendar,
//! Thunderbird), the people in them, and readers of what the iTIP functions
//! return.
#![allow(dead_code)] // each itip_* file uses part of them

use agora_ical::content::{Line, Node, parse};
use agora_ical::itip::{Method, Outgoing, normalise_address, organizer_messages};

pub const NOW: i64 = 1_741_600_000; // 2025-03-10T09:46:40Z
pub const NOW_TEXT: &str = "20250310T094640Z";
pub const ALICE: &str = "mailto:alice@example.com";
pub const BOB: &str = "mailto:bob@example.com";
pub const CAROL: &str = "mailto:carol@example.org";
pub const DAVE: &str = "mailto:dave@example.net";

pub const PARIS: &str = "BEGIN:VTIMEZONE\r\nTZID:Europe/Paris\r\nBEGIN:DAYLIGHT\r\nTZOFFSETFROM:+0100\r\n\
RRULE:FREQ=YEARLY;BYMONTH=3;BYDAY=-1SU\r\nDTSTART:19810329T020000\r\nTZNAME:CEST\r\nTZOFFSETTO:+0200\r\n\
END:DAYLIGHT\r\nBEGIN:STANDARD\r\nTZOFFSETFROM:+0200\r\nRRULE:FREQ=YEARLY;BYMONTH=10;BYDAY=-1SU\r\n\
DTSTART:19961027T030000\r\nTZNAME:CET\r\nTZOFFSETTO:+0100\r\nEND:STANDARD\r\nEND:VTIMEZONE\r\n";

/// An Apple Calendar (macOS) organizer body: Alice invites Bob and Carol.
pub fn apple(event_lines: &str) -> String {
    format!(
        "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//Apple Inc.//macOS 14.5//EN\r\nCALSCALE:GREGORIAN\r\n{PARIS}\
         BEGIN:VEVENT\r\n{event_lines}END:VEVENT\r\nEND:VCALENDAR\r\n"
    )
}

pub fn apple_event(start: &str, end: &str, seq: u32, bob_partstat: &str) -> String {
    apple(&format!(
        "ATTENDEE;CN=\"Alice Martin\";CUTYPE=INDIVIDUAL;EMAIL=alice@example.com;PARTSTAT=ACCEPTED;ROLE=CHAIR:\
         mailto:alice@example.com\r\n\
         ATTENDEE;CN=Bob;CUTYPE=INDIVIDUAL;EMAIL=bob@example.com;PARTSTAT={bob_partstat};ROLE=REQ-PARTICIPANT;\
         RSVP=TRUE:mailto:Bob@Example.com\r\n\
         ATTENDEE;CN=Carol;CUTYPE=INDIVIDUAL;PARTSTAT=NEEDS-ACTION;RSVP=TRUE:mailto:carol@example.org\r\n\
         CREATED:20250301T080000Z\r\nDTEND;TZID=Europe/Paris:{end}\r\nDTSTAMP:20250301T080000Z\r\n\
         DTSTART;TZID=Europe/Paris:{start}\r\nLAST-MODIFIED:20250301T080000Z\r\n\
         ORGANIZER;CN=\"Alice Martin\";EMAIL=alice@example.com:mailto:alice@example.com\r\n\
         SEQUENCE:{seq}\r\nSUMMARY:Planning\\, Q2\r\nUID:8A1C6C6E-93B4-4C1A-9C4E-4C2F1E2D0001\r\n\
         X-APPLE-TRAVEL-ADVISORY-BEHAVIOR:AUTOMATIC\r\n\
         BEGIN:VALARM\r\nACTION:DISPLAY\r\nDESCRIPTION:Reminder\r\nTRIGGER:-PT15M\r\n\
         UID:A1\r\nX-WR-ALARMUID:A1\r\nEND:VALARM\r\n"
    ))
}

/// A Thunderbird weekly series with one override (the 17th moved to 14:00).
pub fn thunderbird_series(master_extra: &str, override_block: &str) -> String {
    format!(
        "BEGIN:VCALENDAR\r\nPRODID:-//Mozilla.org/NONSGML Mozilla Calendar V1.1//EN\r\nVERSION:2.0\r\n{PARIS}\
         BEGIN:VEVENT\r\nCREATED:20250301T080000Z\r\nLAST-MODIFIED:20250301T080000Z\r\nDTSTAMP:20250301T080000Z\r\n\
         UID:tb-weekly-1\r\nSUMMARY:Weekly sync\r\nORGANIZER;CN=Alice:mailto:alice@example.com\r\n\
         ATTENDEE;RSVP=TRUE;PARTSTAT=ACCEPTED;ROLE=REQ-PARTICIPANT:mailto:bob@example.com\r\n\
         ATTENDEE;RSVP=TRUE;PARTSTAT=NEEDS-ACTION;ROLE=REQ-PARTICIPANT:mailto:carol@example.org\r\n\
         RRULE:FREQ=WEEKLY;COUNT=10\r\n{master_extra}\
         DTSTART;TZID=Europe/Paris:20250310T100000\r\nDTEND;TZID=Europe/Paris:20250310T110000\r\n\
         SEQUENCE:0\r\nEND:VEVENT\r\n{override_block}END:VCALENDAR\r\n"
    )
}

pub fn tb_override(attendees: &str, start: &str, end: &str, seq: u32) -> String {
    format!(
        "BEGIN:VEVENT\r\nCREATED:20250301T080000Z\r\nLAST-MODIFIED:20250301T080000Z\r\nDTSTAMP:20250301T080000Z\r\n\
         UID:tb-weekly-1\r\nSUMMARY:Weekly sync\r\nORGANIZER;CN=Alice:mailto:alice@example.com\r\n{attendees}\
         RECURRENCE-ID;TZID=Europe/Paris:20250317T100000\r\nDTSTART;TZID=Europe/Paris:{start}\r\n\
         DTEND;TZID=Europe/Paris:{end}\r\nSEQUENCE:{seq}\r\nEND:VEVENT\r\n"
    )
}

pub const TB_BOB: &str = "ATTENDEE;RSVP=TRUE;PARTSTAT=ACCEPTED;ROLE=REQ-PARTICIPANT:mailto:bob@example.com\r\n";
pub const TB_CAROL: &str = "ATTENDEE;RSVP=TRUE;PARTSTAT=NEEDS-ACTION;ROLE=REQ-PARTICIPANT:mailto:carol@example.org\r\n";

// ---- reading helpers -------------------------------------------------------

pub fn root(text: &str) -> Node {
    parse(text).unwrap_or_else(|| panic!("does not parse:\n{text}"))
}

/// The VEVENT/VTODO components of a text.
pub fn comps(text: &str) -> Vec<Node> {
    root(text).children.into_iter().filter(|c| c.name == "VEVENT" || c.name == "VTODO").collect()
}

/// The component with this RECURRENCE-ID value (None: master).
pub fn comp(text: &str, rid: Option<&str>) -> Node {
    comps(text)
        .into_iter()
        .find(|c| c.props("RECURRENCE-ID").next().map(|l| l.value.as_str()) == rid)
        .unwrap_or_else(|| panic!("no component {rid:?} in\n{text}"))
}

pub fn val(n: &Node, name: &str) -> Option<String> {
    n.props(name).next().map(|l| l.value.clone())
}

pub fn att<'a>(n: &'a Node, addr: &str) -> &'a Line {
    n.props("ATTENDEE").find(|l| normalise_address(&l.value) == addr).unwrap_or_else(|| panic!("no {addr}"))
}

pub fn has_att(n: &Node, addr: &str) -> bool {
    n.props("ATTENDEE").any(|l| normalise_address(&l.value) == addr)
}

pub fn param(l: &Line, name: &str) -> Option<String> {
    l.params.iter().find(|(n, _)| n == name).map(|(_, v)| v.join(","))
}

pub fn to<'a>(msgs: &'a [Outgoing], who: &str, method: Method) -> &'a Outgoing {
    msgs.iter().find(|m| m.recipient == who && m.method == method).unwrap_or_else(|| {
        panic!("no {method:?} to {who} in {:?}", msgs.iter().map(|m| (&m.recipient, m.method)).collect::<Vec<_>>())
    })
}

pub fn recipients(msgs: &[Outgoing], method: Method) -> Vec<String> {
    let mut r: Vec<String> = msgs.iter().filter(|m| m.method == method).map(|m| m.recipient.clone()).collect();
    r.sort();
    r
}

/// Checks the framing every outgoing message must have.
pub fn assert_well_formed(m: &Outgoing) {
    let r = root(&m.text);
    assert_eq!(val_root(&r, "METHOD").as_deref(), Some(m.method.as_str()));
    assert_eq!(val_root(&r, "VERSION").as_deref(), Some("2.0"));
    assert_eq!(val_root(&r, "PRODID").as_deref(), Some("-//Agora//Agora//EN"));
    assert!(m.text.ends_with("END:VCALENDAR\r\n"));
    assert!(!m.text.replace("\r\n", "").contains('\n'), "bare LF in\n{}", m.text);
    assert!(m.text.split("\r\n").all(|l| l.len() <= 75), "unfolded line in\n{}", m.text);
    for c in comps(&m.text) {
        assert!(c.comps("VALARM").next().is_none(), "VALARM sent");
        assert_eq!(val(&c, "DTSTAMP").as_deref(), Some(NOW_TEXT));
        for l in c.props("ATTENDEE").chain(c.props("ORGANIZER")) {
            assert!(!l.params.iter().any(|(n, _)| n.starts_with("SCHEDULE-")), "SCHEDULE-* param sent: {l:?}");
        }
    }
}

pub fn val_root(r: &Node, name: &str) -> Option<String> {
    r.props(name).next().map(|l| l.value.clone())
}

/// Sets a parameter on `addr`'s ATTENDEE line in the component with this RECURRENCE-ID.
pub fn set_param_in(text: &str, rid: Option<&str>, addr: &str, name: &str, value: &str) -> String {
    let mut r = root(text);
    for c in r.children.iter_mut().filter(|c| c.name == "VEVENT" || c.name == "VTODO") {
        if c.props("RECURRENCE-ID").next().map(|l| l.value.as_str()) != rid {
            continue;
        }
        for l in c.lines.iter_mut().filter(|l| l.name == "ATTENDEE" && normalise_address(&l.value) == addr) {
            match l.params.iter_mut().find(|(n, _)| n == name) {
                Some((_, v)) => *v = vec![value.to_owned()],
                None => l.params.push((name.to_owned(), vec![value.to_owned()])),
            }
        }
    }
    agora_ical::content::serialize(&r)
}

pub fn apple_v1() -> String {
    apple_event("20250310T100000", "20250310T110000", 0, "NEEDS-ACTION")
}

pub fn request_for(stored: Option<&str>, put: &str, who: &str) -> String {
    let out = organizer_messages(stored, Some(put), NOW);
    to(&out.messages, who, Method::Request).text.clone()
}
