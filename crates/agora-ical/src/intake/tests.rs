use super::*;
use crate::TzSpec;

const EVENT: &str = "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:x\r\nBEGIN:VEVENT\r\nUID:u1\r\n\
    DTSTAMP:20260101T000000Z\r\nDTSTART:20260101T100000Z\r\nSUMMARY:a\\, b\\; c\\\\d\\ne\\Nf\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n";

const CARD: &str = "BEGIN:VCARD\r\nVERSION:3.0\r\nUID:c1\r\nFN:Jean Dupont\r\nEND:VCARD\r\n";

fn invalid(text: &str) -> String {
    match calendar(text.as_bytes().to_vec()) {
        Err(IcalError::Invalid(m)) => m,
        other => panic!("expected Invalid, got {other:?}"),
    }
}

fn not_an_object(text: &str) -> String {
    match calendar(text.as_bytes().to_vec()) {
        Err(IcalError::NotAnObjectResource(m)) => m,
        other => panic!("expected NotAnObjectResource, got {other:?}"),
    }
}

#[test]
fn a_valid_object_is_stored_as_sent() {
    let a = calendar(EVENT.as_bytes().to_vec()).unwrap();
    assert_eq!(a.data, EVENT.as_bytes());
    assert!(a.repairs.is_empty());
    assert_eq!(a.parsed.uid(), "u1");
}

#[test]
fn byte_order_mark_is_removed_from_calendars_and_cards() {
    let a = calendar(format!("\u{feff}{EVENT}").into_bytes()).unwrap();
    assert_eq!(a.data, EVENT.as_bytes());
    assert_eq!(a.repairs, [Repair::ByteOrderMark]);
    let c = card(format!("\u{feff}{CARD}").into_bytes()).unwrap();
    assert_eq!(c.data, CARD.as_bytes());
    assert_eq!(c.repairs, [Repair::ByteOrderMark]);
    assert_eq!(c.parsed.uid, "c1");
    // Stored before the repair existed: read the same on every path.
    assert!(CalendarObject::parse(format!("\u{feff}{EVENT}").as_bytes()).is_ok());
    assert!(vcard::parse_vcard(format!("\u{feff}{CARD}").as_bytes()).is_ok());
}

#[test]
fn method_publish_is_removed_with_the_writer() {
    let text = EVENT.replace("PRODID:x\r\n", "PRODID:x\r\nMETHOD:PUBLISH\r\n");
    let a = calendar(format!("\u{feff}{text}").into_bytes()).unwrap();
    assert_eq!(a.repairs, [Repair::ByteOrderMark, Repair::Method("PUBLISH".into())]);
    let stored = String::from_utf8(a.data).unwrap();
    assert!(!stored.contains("METHOD"), "{stored}");
    assert_eq!(stored, EVENT, "the rest is written back unchanged");
    assert_eq!(a.parsed.info(&TzSpec::utc()).method, None);
}

#[test]
fn method_of_an_itip_message_is_refused() {
    for m in ["REQUEST", "REPLY", "CANCEL"] {
        let text = EVENT.replace("PRODID:x\r\n", &format!("PRODID:x\r\nMETHOD:{m}\r\n"));
        let msg = not_an_object(&text);
        assert!(msg.starts_with(&format!("METHOD:{m}: ")), "{msg}");
    }
    // METHOD on a component is not the VCALENDAR's (and not iCalendar's either).
    let nested = EVENT.replace("UID:u1\r\n", "UID:u1\r\nX-METHOD:REQUEST\r\n");
    assert!(calendar(nested.into_bytes()).is_ok());
}

#[test]
fn bad_text_escapes_are_refused_with_the_line() {
    assert_eq!(
        invalid(&EVENT.replace("SUMMARY:a", "SUMMARY:C:\\Users")),
        "line 8: SUMMARY: bad escape sequence \\U (RFC 5545 §3.3.11 allows only \\\\ \\; \\, \\n \\N)"
    );
    let m = invalid(&EVENT.replace("DTSTART:20260101T100000Z\r\n", "DTSTART:20260101T100000Z\r\nLOCATION:x\\\r\n"));
    assert!(m.starts_with("line 8: LOCATION: bad escape sequence \\ at the end"), "{m}");
    // Not TEXT: a URI may hold backslashes, and so may an X- property.
    let uri = EVENT.replace("UID:u1\r\n", "UID:u1\r\nDESCRIPTION;VALUE=URI:file:///a\\b\r\nX-P:a\\b\r\n");
    assert!(calendar(uri.into_bytes()).is_ok());
}

#[test]
fn non_integers_are_refused_with_the_line() {
    let with = |l: &str| EVENT.replace("UID:u1\r\n", &format!("UID:u1\r\n{l}\r\n"));
    assert_eq!(invalid(&with("SEQUENCE:abc")), "line 6: SEQUENCE: \"abc\" is not an integer");
    assert_eq!(invalid(&with("SEQUENCE:1.5")), "line 6: SEQUENCE: \"1.5\" is not an integer");
    assert_eq!(invalid(&with("PRIORITY:high")), "line 6: PRIORITY: \"high\" is not an integer");
    assert_eq!(invalid(&with("PRIORITY:10")), "line 6: PRIORITY: 10 is outside 0..9");
    assert_eq!(invalid(&with("PERCENT-COMPLETE:101")), "line 6: PERCENT-COMPLETE: 101 is outside 0..100");
    for ok in ["SEQUENCE:3", "PRIORITY:0", "PRIORITY:9", "PERCENT-COMPLETE:100"] {
        assert!(calendar(with(ok).into_bytes()).is_ok(), "{ok}");
    }
}

#[test]
fn control_characters_are_refused_with_the_line() {
    let m = invalid(&EVENT.replace("SUMMARY:a", "SUMMARY:a\u{7}"));
    assert_eq!(m, "line 8: control character U+0007 in a content line");
    let c = CARD.replace("FN:Jean", "FN:Je\u{1b}an");
    match card(c.into_bytes()) {
        Err(VcardError::Invalid(m)) => {
            assert_eq!(m, "invalid vCard data: line 4: control character U+001B in a content line")
        }
        other => panic!("expected Invalid, got {other:?}"),
    }
}

#[test]
fn unresolvable_tzid_without_vtimezone_is_refused() {
    let text = EVENT.replace("DTSTART:20260101T100000Z", "DTSTART;TZID=Mars/Olympus_Mons:20260101T100000");
    assert_eq!(
        not_an_object(&text),
        "TZID Mars/Olympus_Mons: no VTIMEZONE in the object defines it and it names no known time zone"
    );
    // Stored objects are still read (in the default zone).
    let stored = CalendarObject::parse(text.as_bytes()).unwrap();
    assert_eq!(stored.unresolved_tzids(), ["Mars/Olympus_Mons"]);
    // With its VTIMEZONE the same name is understood.
    let vtimezone = "BEGIN:VTIMEZONE\r\nTZID:Mars/Olympus_Mons\r\nBEGIN:STANDARD\r\nDTSTART:19700101T000000\r\n\
        TZOFFSETFROM:+0100\r\nTZOFFSETTO:+0100\r\nEND:STANDARD\r\nEND:VTIMEZONE\r\n";
    let defined = text.replace("BEGIN:VEVENT", &format!("{vtimezone}BEGIN:VEVENT"));
    assert!(calendar(defined.into_bytes()).unwrap().parsed.unresolved_tzids().is_empty());
}

#[test]
fn vendor_and_windows_tzids_are_accepted() {
    for tzid in [
        "/freeassociation.sourceforge.net/Europe/Paris",
        "/freeassociation.sourceforge.net/Tzfile/Europe/Paris",
        "Romance Standard Time",
        "US/Eastern",
    ] {
        let text = EVENT.replace("DTSTART:20260101T100000Z", &format!("DTSTART;TZID=\"{tzid}\":20260101T100000"));
        let a = calendar(text.into_bytes()).unwrap_or_else(|e| panic!("{tzid}: {e:?}"));
        assert!(a.repairs.is_empty());
    }
}

/// Objects stored with a byte-order mark before the repair existed are found by
/// the query filters as by every other path.
#[test]
fn byte_order_mark_stored_earlier_is_read_by_query_filters() {
    use crate::filter::{CompFilter, calendar_matches, card_matches};
    let text = format!("\u{feff}{EVENT}");
    let obj = CalendarObject::parse(text.as_bytes()).unwrap();
    let event = CompFilter {
        name: "VEVENT".into(),
        is_not_defined: false,
        // 2026-01-01 10:00Z to 11:00Z, around DTSTART.
        time_range: Some((Some(1_767_261_600), Some(1_767_265_200))),
        prop_filters: vec![],
        comp_filters: vec![],
    };
    let root = CompFilter {
        name: "VCALENDAR".into(),
        is_not_defined: false,
        time_range: None,
        prop_filters: vec![],
        comp_filters: vec![event],
    };
    assert!(calendar_matches(&obj, &text, &root, &TzSpec::utc()));
    assert!(card_matches(&format!("\u{feff}{CARD}"), &[], false));
}

/// Found by fuzz/fuzz_targets/ical_object.rs: with two byte-order marks, one was
/// removed and the stored object needed the same repair again.
#[test]
fn double_byte_order_mark_is_removed_at_once() {
    let input = include_bytes!("../../../../fuzz/corpus/ical_object/regress-intake-double-bom");
    let a = calendar(input.to_vec()).expect("the fuzz input is admitted");
    assert_eq!(a.repairs[0], Repair::ByteOrderMark);
    assert!(!a.data.starts_with("\u{feff}".as_bytes()));
    let again = calendar(a.data.clone()).unwrap();
    assert!(again.repairs.is_empty(), "{:?}", again.repairs);
    assert_eq!(again.data, a.data);
}

/// Found by the differential corpus (tests/corpus/…/folded-inside-utf8.*): a
/// simple writer folded at 75 octets in the middle of "é"; RFC 5545 §3.1 has
/// readers unfold octets to restore it.
#[test]
fn a_fold_inside_a_utf8_character_is_rejoined() {
    let summary = "Réunion ".repeat(12);
    let event = format!(
        "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:x\r\nBEGIN:VEVENT\r\nUID:u1\r\nDTSTAMP:20260101T000000Z\r\n\
         DTSTART:20260101T100000Z\r\nSUMMARY:{summary}\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n"
    );
    // Cut the SUMMARY line between the two octets of an "é".
    let summary_at = event.find("SUMMARY").unwrap();
    let cut = summary_at + event[summary_at + 40..].find('é').unwrap() + 40 + 1;
    let mut split = event.as_bytes()[..cut].to_vec();
    split.extend_from_slice(b"\r\n ");
    split.extend_from_slice(&event.as_bytes()[cut..]);
    assert!(std::str::from_utf8(&split).is_err(), "the test body must be split inside a character");
    let a = calendar(split).unwrap();
    assert_eq!(a.repairs, [Repair::SplitCharacter]);
    let text = String::from_utf8(a.data).unwrap();
    assert!(text.replace("\r\n ", "").contains(&format!("SUMMARY:{summary}")), "{text}");
    assert!(text.lines().all(|l| l.len() <= 76), "folded again:\n{text}");
    // A vCard too; a body that stays unreadable is still refused.
    let card_text = format!("BEGIN:VCARD\r\nVERSION:3.0\r\nUID:c1\r\nFN:{summary}\r\nEND:VCARD\r\n");
    let cut = card_text.find("é").unwrap() + 1;
    let mut split = card_text.as_bytes()[..cut].to_vec();
    split.extend_from_slice(b"\r\n\t");
    split.extend_from_slice(&card_text.as_bytes()[cut..]);
    assert_eq!(card(split).unwrap().repairs, [Repair::SplitCharacter]);
    assert!(calendar(b"BEGIN:VCALENDAR\r\n\xff\r\nEND:VCALENDAR\r\n".to_vec()).is_err());
}
