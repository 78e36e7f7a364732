//! RFC 4791 §4.1 validation, the indexed summary, and `CALDAV:expand` output.

mod common;
use agora_ical::{Class, ComponentKind, IcalError, TzSpec, expand_to_ical, parse_calendar};
use common::{calendar, parse, utc, vevent};

fn err(text: &str) -> IcalError {
    parse_calendar(text.as_bytes(), &TzSpec::utc()).unwrap_err()
}

#[test]
fn rejects_what_is_not_valid_calendar_data() {
    assert!(matches!(err("hello"), IcalError::Invalid(_)));
    assert!(matches!(err(&calendar(&vevent(&["DTSTART:notadate"]))), IcalError::Invalid(_)));
    assert!(matches!(err(&calendar(&vevent(&["DTSTART:20250101T100000Z", "RRULE:FREQ=FOO"]))), IcalError::Invalid(_)));
    assert!(matches!(err(&calendar(&vevent(&["DTSTART:20250101T100000Z", "DTEND:soon"]))), IcalError::Invalid(_)));
    assert!(matches!(err(&calendar(&vevent(&["SUMMARY:no start"]))), IcalError::Invalid(_)));
    let both = calendar(&vevent(&["DTSTART:20250101T100000Z", "DTEND:20250101T110000Z", "DURATION:PT1H"]));
    assert!(matches!(err(&both), IcalError::Invalid(_)));
    let mixed = calendar(&vevent(&["DTSTART;VALUE=DATE:20250101", "DTEND:20250101T110000Z"]));
    assert!(matches!(err(&mixed), IcalError::Invalid(_)));
    let bad_tz = calendar("BEGIN:VTIMEZONE\r\nTZID:Broken\r\nEND:VTIMEZONE\r\n");
    let bad_tz =
        bad_tz.replace("END:VCALENDAR", &format!("{}END:VCALENDAR", vevent(&["DTSTART;TZID=Broken:20250101T100000"])));
    assert!(matches!(err(&bad_tz), IcalError::Invalid(_)), "a VTIMEZONE without rules is not silently UTC");
    let method = calendar(&vevent(&["SUMMARY:cancel"])).replace("VERSION:2.0", "VERSION:2.0\r\nMETHOD:CANCEL");
    let info = parse_calendar(method.as_bytes(), &TzSpec::utc()).unwrap();
    assert_eq!(info.method.as_deref(), Some("CANCEL"));
    assert_eq!(info.span, None);
}

#[test]
fn rejects_what_is_not_an_object_resource() {
    let two_uids = calendar(&format!(
        "{}{}",
        vevent(&["DTSTART:20250101T100000Z"]),
        vevent(&["DTSTART:20250102T100000Z"]).replace("test-1", "test-2")
    ));
    assert!(matches!(err(&two_uids), IcalError::NotAnObjectResource(_)));
    let two_masters =
        calendar(&format!("{}{}", vevent(&["DTSTART:20250101T100000Z"]), vevent(&["DTSTART:20250102T100000Z"])));
    assert!(matches!(err(&two_masters), IcalError::NotAnObjectResource(_)));
    let mixed = calendar(&format!(
        "{}BEGIN:VTODO\r\nUID:test-1\r\nDTSTAMP:20240101T000000Z\r\nEND:VTODO\r\n",
        vevent(&["DTSTART:20250101T100000Z"])
    ));
    assert!(matches!(err(&mixed), IcalError::NotAnObjectResource(_)));
    let no_uid = calendar("BEGIN:VEVENT\r\nDTSTART:20250101T100000Z\r\nEND:VEVENT\r\n");
    assert!(matches!(err(&no_uid), IcalError::NotAnObjectResource(_)));
    let dup_rid = calendar(&format!(
        "{}{}{}",
        vevent(&["DTSTART:20250101T100000Z", "RRULE:FREQ=DAILY"]),
        vevent(&["RECURRENCE-ID:20250102T100000Z", "DTSTART:20250102T120000Z"]),
        vevent(&["RECURRENCE-ID:20250102T100000Z", "DTSTART:20250102T130000Z"])
    ));
    assert!(matches!(err(&dup_rid), IcalError::NotAnObjectResource(_)));
    let twice = format!(
        "{}{}",
        calendar(&vevent(&["DTSTART:20250101T100000Z"])),
        calendar(&vevent(&["DTSTART:20250101T100000Z"]))
    );
    assert!(matches!(err(&twice), IcalError::NotAnObjectResource(_)));
    let tz_only = calendar("BEGIN:VTIMEZONE\r\nTZID:Europe/Paris\r\nEND:VTIMEZONE\r\n");
    assert!(matches!(err(&tz_only), IcalError::UnsupportedComponent(_)));
    let other = calendar("BEGIN:X-THING\r\nUID:a\r\nEND:X-THING\r\n");
    assert!(matches!(err(&other), IcalError::UnsupportedComponent(_)));
}

#[test]
fn indexed_summary() {
    let text = calendar(&format!(
        "{}{}",
        vevent(&[
            "DTSTART;TZID=Europe/Paris:20250101T100000",
            "DTEND;TZID=Europe/Paris:20250101T110000",
            "RRULE:FREQ=DAILY;COUNT=3",
            "CLASS:PRIVATE",
            "SEQUENCE:2",
            "ORGANIZER:mailto:boss@example.com",
            "ATTENDEE:mailto:a@example.com",
            "BEGIN:VALARM\r\nACTION:DISPLAY\r\nTRIGGER:-PT5M\r\nEND:VALARM",
        ]),
        vevent(&[
            "RECURRENCE-ID;TZID=Europe/Paris:20250102T100000",
            "DTSTART;TZID=Europe/Paris:20250102T120000",
            "ATTENDEE:mailto:b@example.com",
            "ATTENDEE:mailto:A@example.com"
        ])
    ));
    let info = parse_calendar(text.as_bytes(), &TzSpec::utc()).unwrap();
    assert_eq!(info.uid, "test-1");
    assert_eq!(info.kind, ComponentKind::Event);
    assert_eq!(info.class, Class::Private);
    assert_eq!(info.sequence, 2);
    assert!(info.has_alarms && info.is_scheduling_object && info.is_recurring && !info.has_floating);
    assert_eq!(info.organizer.as_deref(), Some("mailto:boss@example.com"));
    assert_eq!(info.attendees, ["mailto:a@example.com", "mailto:b@example.com"]);
    let span = info.span.unwrap();
    assert_eq!((span.start, span.end), (utc("20250101T090000Z"), Some(utc("20250103T100000Z"))));
}

#[test]
fn expand_output_is_utc_per_instance() {
    let text = calendar(&format!(
        "BEGIN:VTIMEZONE\r\nTZID:Europe/Paris\r\nBEGIN:STANDARD\r\nDTSTART:19701025T030000\r\nTZOFFSETFROM:+0200\r\nTZOFFSETTO:+0100\r\nEND:STANDARD\r\nEND:VTIMEZONE\r\n{}{}",
        vevent(&[
            "DTSTART;TZID=Europe/Paris:20250101T100000",
            "DTEND;TZID=Europe/Paris:20250101T110000",
            "RRULE:FREQ=DAILY;COUNT=4",
            "EXDATE;TZID=Europe/Paris:20250103T100000",
            "SUMMARY:Standup",
            "X-CUSTOM;X-P=1:keep me",
            "BEGIN:VALARM\r\nACTION:DISPLAY\r\nTRIGGER:-PT5M\r\nEND:VALARM",
        ]),
        vevent(&[
            "RECURRENCE-ID:20250102T090000Z",
            "DTSTART;TZID=Europe/Paris:20250102T150000",
            "DTEND;TZID=Europe/Paris:20250102T153000",
            "SUMMARY:Moved"
        ])
    ));
    let obj = parse(&text);
    let out = expand_to_ical(&obj, utc("20250101T000000Z"), utc("20250110T000000Z"), &TzSpec::utc()).unwrap();
    assert!(!out.contains("VTIMEZONE") && !out.contains("RRULE") && !out.contains("EXDATE"), "{out}");
    assert_eq!(out.matches("BEGIN:VEVENT").count(), 3, "{out}");
    for line in [
        "RECURRENCE-ID:20250101T090000Z",
        "DTSTART:20250101T090000Z",
        "DTEND:20250101T100000Z",
        "RECURRENCE-ID:20250102T090000Z",
        "DTSTART:20250102T140000Z",
        "DTEND:20250102T143000Z",
        "SUMMARY:Moved",
        "DTSTART:20250104T090000Z",
        "X-CUSTOM;X-P=1:keep me",
    ] {
        assert!(out.contains(line), "missing {line} in\n{out}");
    }
    assert_eq!(out.matches("BEGIN:VALARM").count(), 2, "alarms of master instances only");
    let reparsed = parse(&out.replace("RECURRENCE-ID:20250101T090000Z\r\n", ""));
    assert_eq!(reparsed.kind(), ComponentKind::Event);
}
