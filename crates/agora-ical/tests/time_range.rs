//! The RFC 4791 §9.9 tables: VEVENT, VTODO, VJOURNAL, VFREEBUSY and VALARM.

mod common;
use agora_ical::{CalendarObject, TzSpec, alarms_overlap, overlaps};
use common::{calendar, parse, utc};

fn comp(kind: &str, lines: &[&str]) -> CalendarObject {
    let mut s = format!("BEGIN:{kind}\r\nUID:x\r\nDTSTAMP:20240101T000000Z\r\n");
    for l in lines {
        s.push_str(l);
        s.push_str("\r\n");
    }
    s.push_str(&format!("END:{kind}\r\n"));
    parse(&calendar(&s))
}

/// Range given as `YYYYMMDDTHHMMSS` UTC strings, `""` for an absent bound.
fn hit(obj: &CalendarObject, start: &str, end: &str) -> bool {
    let b = |s: &str| (!s.is_empty()).then(|| utc(s));
    overlaps(obj, b(start), b(end), &TzSpec::utc())
}

fn alarm_hit(obj: &CalendarObject, start: &str, end: &str) -> bool {
    let b = |s: &str| (!s.is_empty()).then(|| utc(s));
    alarms_overlap(obj, b(start), b(end), &TzSpec::utc())
}

#[test]
fn vevent_rows() {
    let e = comp("VEVENT", &["DTSTART:20250101T100000Z", "DTEND:20250101T110000Z"]);
    assert!(hit(&e, "20250101T103000", "20250101T120000"));
    assert!(!hit(&e, "20250101T110000", "20250101T120000"), "end is exclusive");
    assert!(!hit(&e, "20250101T090000", "20250101T100000"), "range end is exclusive");
    assert!(hit(&e, "", "20250101T100001"));
    assert!(hit(&e, "20250101T105959", ""));
    let zero = comp("VEVENT", &["DTSTART:20250101T100000Z"]);
    assert!(hit(&zero, "20250101T100000", "20250101T100001"), "start <= DTSTART AND end > DTSTART");
    assert!(!hit(&zero, "20250101T090000", "20250101T100000"));
    let zero_dur = comp("VEVENT", &["DTSTART:20250101T100000Z", "DURATION:PT0S"]);
    assert!(hit(&zero_dur, "20250101T100000", "20250101T100001"));
    let day = comp("VEVENT", &["DTSTART;VALUE=DATE:20250101"]);
    assert!(hit(&day, "20250101T230000", "20250102T000000"), "DATE without DTEND lasts one day");
    assert!(!hit(&day, "20250102T000000", "20250103T000000"));
}

#[test]
fn vtodo_rows() {
    // DTSTART + DURATION
    let t = comp("VTODO", &["DTSTART:20250101T100000Z", "DURATION:PT1H"]);
    assert!(hit(&t, "20250101T110000", "20250101T120000"), "start <= DTSTART+DURATION (inclusive)");
    assert!(!hit(&t, "20250101T110001", "20250101T120000"));
    assert!(!hit(&t, "20250101T090000", "20250101T100000"));
    // DTSTART + DUE
    let t = comp("VTODO", &["DTSTART:20250101T100000Z", "DUE:20250101T120000Z"]);
    assert!(hit(&t, "20250101T110000", "20250101T113000"));
    assert!(!hit(&t, "20250101T120000", "20250101T130000"), "start < DUE fails, start <= DTSTART fails");
    assert!(!hit(&t, "20250101T090000", "20250101T100000"), "end > DTSTART fails, end >= DUE fails");
    // DTSTART only
    let t = comp("VTODO", &["DTSTART:20250101T100000Z"]);
    assert!(hit(&t, "20250101T100000", "20250101T100001"));
    assert!(!hit(&t, "20250101T100001", "20250101T110000"));
    // DUE only
    let t = comp("VTODO", &["DUE:20250101T120000Z"]);
    assert!(hit(&t, "20250101T110000", "20250101T120000"), "start < DUE AND end >= DUE");
    assert!(!hit(&t, "20250101T120000", "20250101T130000"));
    // COMPLETED + CREATED
    let t = comp("VTODO", &["CREATED:20250101T000000Z", "COMPLETED:20250105T000000Z"]);
    assert!(hit(&t, "20250102T000000", "20250103T000000"));
    assert!(hit(&t, "20250105T000000", "20250106T000000"));
    assert!(!hit(&t, "20250105T000001", "20250106T000000"));
    // COMPLETED only
    let t = comp("VTODO", &["COMPLETED:20250105T000000Z"]);
    assert!(hit(&t, "20250104T000000", "20250105T000000"), "end >= COMPLETED");
    assert!(!hit(&t, "20250104T000000", "20250104T235959"));
    // CREATED only
    let t = comp("VTODO", &["CREATED:20250101T000000Z"]);
    assert!(hit(&t, "20300101T000000", "20300102T000000"));
    assert!(!hit(&t, "20241201T000000", "20250101T000000"), "end > CREATED");
    // nothing
    let t = comp("VTODO", &["SUMMARY:someday"]);
    assert!(hit(&t, "19000101T000000", "19000102T000000"));
    assert_eq!(agora_ical::object_span(&t, &TzSpec::utc()).map(|s| (s.start, s.end)), Some((i64::MIN, None)));
}

#[test]
fn recurring_vtodo_with_due() {
    let t = comp("VTODO", &["DTSTART:20250106T090000Z", "DUE:20250106T170000Z", "RRULE:FREQ=WEEKLY;COUNT=3"]);
    assert!(hit(&t, "20250120T120000", "20250120T130000"));
    assert!(!hit(&t, "20250127T120000", "20250127T130000"));
    assert!(!hit(&t, "20250113T170000", "20250114T000000"));
}

#[test]
fn vjournal_rows() {
    let j = comp("VJOURNAL", &["DTSTART;VALUE=DATE:20250101"]);
    assert!(hit(&j, "20250101T120000", "20250101T130000"));
    assert!(!hit(&j, "20250102T000000", "20250103T000000"));
    let j = comp("VJOURNAL", &["DTSTART:20250101T100000Z"]);
    assert!(hit(&j, "20250101T100000", "20250101T100001"));
    assert!(!hit(&j, "20250101T100001", "20250101T110000"));
    let j = comp("VJOURNAL", &["SUMMARY:undated"]);
    assert!(!hit(&j, "", ""), "no DTSTART: FALSE");
    assert_eq!(agora_ical::object_span(&j, &TzSpec::utc()), None);
}

#[test]
fn vfreebusy_rows() {
    let f = comp(
        "VFREEBUSY",
        &[
            "DTSTART:20250101T000000Z",
            "DTEND:20250108T000000Z",
            "FREEBUSY:20250102T100000Z/PT1H,20250103T100000Z/20250103T120000Z",
        ],
    );
    assert!(hit(&f, "20250102T103000", "20250102T104000"));
    assert!(hit(&f, "20250103T113000", "20250103T140000"));
    assert!(!hit(&f, "20250102T110000", "20250103T100000"), "between periods");
    let f = comp("VFREEBUSY", &["DTSTART:20250101T000000Z", "DTEND:20250108T000000Z"]);
    assert!(hit(&f, "20250108T000000", "20250109T000000"), "start <= DTEND");
    assert!(!hit(&f, "20241231T000000", "20250101T000000"), "end > DTSTART");
    let f = comp("VFREEBUSY", &["ORGANIZER:mailto:a@example.com"]);
    assert!(!hit(&f, "", ""));
}

#[test]
fn valarm_relative_to_start_end_and_absolute() {
    let alarm = |trigger: &str, extra: &str| {
        comp(
            "VEVENT",
            &[
                "DTSTART:20250106T100000Z",
                "DTEND:20250106T110000Z",
                "RRULE:FREQ=DAILY",
                "BEGIN:VALARM",
                "ACTION:DISPLAY",
                "DESCRIPTION:x",
                trigger,
                extra,
                "END:VALARM",
            ],
        )
    };
    let start = alarm("TRIGGER:-PT15M", "X-A:1");
    assert!(alarm_hit(&start, "20250301T094500", "20250301T094501"), "any instance of an endless rule");
    assert!(!alarm_hit(&start, "20250301T094501", "20250301T100000"));
    assert!(!alarm_hit(&start, "20250106T090000", "20250106T094500"), "end > trigger");
    assert!(alarm_hit(&start, "20300101T000000", ""), "open-ended range");
    let end = alarm("TRIGGER;RELATED=END:PT5M", "X-A:1");
    assert!(alarm_hit(&end, "20250107T110500", "20250107T110501"));
    assert!(!alarm_hit(&end, "20250107T094500", "20250107T094501"));
    let abs = alarm("TRIGGER;VALUE=DATE-TIME:20240101T000000Z", "X-A:1");
    assert!(alarm_hit(&abs, "20231231T000000", "20240102T000000"));
    assert!(!alarm_hit(&abs, "20250106T000000", "20250107T000000"));
    let rep = alarm("TRIGGER:-PT30M", "REPEAT:2\r\nDURATION:PT10M");
    assert!(alarm_hit(&rep, "20250110T095000", "20250110T095001"), "second repetition");
    assert!(!alarm_hit(&rep, "20250110T095500", "20250110T095900"));
    let none = comp("VEVENT", &["DTSTART:20250106T100000Z"]);
    assert!(!alarm_hit(&none, "", ""));
}

#[test]
fn valarm_on_vtodo_due_and_override_alarms() {
    let t = comp(
        "VTODO",
        &["DUE:20250110T120000Z", "BEGIN:VALARM", "ACTION:DISPLAY", "TRIGGER;RELATED=END:-PT1H", "END:VALARM"],
    );
    assert!(alarm_hit(&t, "20250110T110000", "20250110T110001"));
    let text = calendar(
        "BEGIN:VEVENT\r\nUID:a\r\nDTSTART:20250101T100000Z\r\nRRULE:FREQ=DAILY;COUNT=3\r\n\
         BEGIN:VALARM\r\nACTION:DISPLAY\r\nTRIGGER:-PT10M\r\nEND:VALARM\r\nEND:VEVENT\r\n\
         BEGIN:VEVENT\r\nUID:a\r\nRECURRENCE-ID:20250102T100000Z\r\nDTSTART:20250102T100000Z\r\nEND:VEVENT\r\n",
    );
    let obj = parse(&text);
    assert!(alarm_hit(&obj, "20250101T095000", "20250101T095001"));
    assert!(!alarm_hit(&obj, "20250102T095000", "20250102T095001"), "the override has no alarm");
    assert!(alarm_hit(&obj, "20250103T095000", "20250103T095001"));
}
