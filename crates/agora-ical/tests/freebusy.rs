//! Free/busy: busy periods of stored objects, merging, the VFREEBUSY answer,
//! VFREEBUSY REQUEST parsing and calendar availability (RFC 7953).

mod common;
use agora_ical::availability::unavailable;
use agora_ical::freebusy::{FbReply, FbType, Period, busy_periods, merge, parse_request, vfreebusy};
use agora_ical::{CalendarObject, ComponentKind, TzSpec, content};
use common::{at, calendar, utc, vevent};

use FbType::{Busy, BusyTentative as Tentative, BusyUnavailable as Unavailable};

/// A period from two `YYYYMMDDTHHMMSSZ` strings.
fn p(start: &str, end: &str, kind: FbType) -> Period {
    Period { start: utc(start), end: utc(end), kind }
}

fn busy_utc(text: &str, start: &str, end: &str) -> Vec<Period> {
    busy_periods(text.as_bytes(), utc(start), utc(end), &TzSpec::utc(), 1000)
}

fn paris() -> TzSpec {
    TzSpec::named("Europe/Paris").unwrap()
}

#[test]
fn transparent_and_cancelled_are_free_tentative_is_tentative() {
    let ev = |extra: &[&str]| {
        let mut lines = vec!["DTSTART:20250310T090000Z", "DTEND:20250310T100000Z"];
        lines.extend_from_slice(extra);
        calendar(&vevent(&lines))
    };
    let (a, b) = ("20250310T000000Z", "20250311T000000Z");
    let one_hour = |kind| vec![p("20250310T090000Z", "20250310T100000Z", kind)];
    assert_eq!(busy_utc(&ev(&[]), a, b), one_hour(Busy));
    assert_eq!(busy_utc(&ev(&["STATUS:CONFIRMED", "TRANSP:OPAQUE"]), a, b), one_hour(Busy));
    assert_eq!(busy_utc(&ev(&["STATUS:TENTATIVE"]), a, b), one_hour(Tentative));
    assert!(busy_utc(&ev(&["TRANSP:TRANSPARENT"]), a, b).is_empty());
    assert!(busy_utc(&ev(&["STATUS:CANCELLED"]), a, b).is_empty());
    assert!(busy_utc(&ev(&[]), "20250311T000000Z", "20250312T000000Z").is_empty(), "outside the range");
}

#[test]
fn recurring_with_exdate_and_override_across_dst() {
    // Daily 10:00 Paris: 09:00Z before the switch on 30 March 2025, 08:00Z after.
    let master = vevent(&[
        "DTSTART;TZID=Europe/Paris:20250328T100000",
        "DURATION:PT1H",
        "RRULE:FREQ=DAILY;COUNT=5",
        "EXDATE;TZID=Europe/Paris:20250329T100000",
    ]);
    let moved = vevent(&[
        "RECURRENCE-ID;TZID=Europe/Paris:20250331T100000",
        "DTSTART;TZID=Europe/Paris:20250331T140000",
        "DTEND;TZID=Europe/Paris:20250331T150000",
        "STATUS:TENTATIVE",
    ]);
    let got = busy_utc(&calendar(&format!("{master}{moved}")), "20250301T000000Z", "20250501T000000Z");
    assert_eq!(
        got,
        vec![
            p("20250328T090000Z", "20250328T100000Z", Busy),
            p("20250330T080000Z", "20250330T090000Z", Busy),
            p("20250331T120000Z", "20250331T130000Z", Tentative),
            p("20250401T080000Z", "20250401T090000Z", Busy),
        ]
    );
}

#[test]
fn periods_are_clipped_to_the_range_and_floating_uses_the_given_zone() {
    let long = calendar(&vevent(&["DTSTART:20250327T220000Z", "DTEND:20250328T020000Z"]));
    assert_eq!(
        busy_utc(&long, "20250328T000000Z", "20250328T010000Z"),
        vec![p("20250328T000000Z", "20250328T010000Z", Busy)]
    );
    let all_day = calendar(&vevent(&["DTSTART;VALUE=DATE:20250328"]));
    let got = busy_periods(all_day.as_bytes(), utc("20250301T000000Z"), utc("20250401T000000Z"), &paris(), 10);
    assert_eq!(got, vec![p("20250327T230000Z", "20250328T230000Z", Busy)], "midnight to midnight in Paris");
    let zero = calendar(&vevent(&["DTSTART:20250328T100000Z"]));
    assert!(busy_utc(&zero, "20250328T000000Z", "20250329T000000Z").is_empty(), "zero-length events take no time");
}

#[test]
fn vfreebusy_objects_contribute_their_periods_by_fbtype() {
    let fb = calendar(
        "BEGIN:VFREEBUSY\r\nUID:fb-1\r\nDTSTAMP:20250101T000000Z\r\n\
         DTSTART:20250310T000000Z\r\nDTEND:20250317T000000Z\r\n\
         FREEBUSY;FBTYPE=FREE:20250310T080000Z/20250310T120000Z\r\n\
         FREEBUSY:20250310T090000Z/20250310T100000Z,20250311T090000Z/PT30M\r\n\
         FREEBUSY;FBTYPE=BUSY-TENTATIVE:20250312T090000Z/20250312T100000Z\r\n\
         FREEBUSY;FBTYPE=BUSY-UNAVAILABLE:20250313T170000Z/20250314T080000Z\r\n\
         FREEBUSY;FBTYPE=X-OUT-OF-OFFICE:20250315T090000Z/20250315T100000Z\r\n\
         END:VFREEBUSY\r\n",
    );
    let got = busy_utc(&fb, "20250310T000000Z", "20250314T000000Z");
    assert_eq!(
        got,
        vec![
            p("20250310T090000Z", "20250310T100000Z", Busy),
            p("20250311T090000Z", "20250311T093000Z", Busy),
            p("20250312T090000Z", "20250312T100000Z", Tentative),
            p("20250313T170000Z", "20250314T000000Z", Unavailable),
        ]
    );
    let later = busy_utc(&fb, "20250315T000000Z", "20250316T000000Z");
    assert_eq!(later, vec![p("20250315T090000Z", "20250315T100000Z", Busy)], "unknown FBTYPE counts as BUSY");
}

#[test]
fn unusable_objects_contribute_nothing() {
    let (a, b) = ("20250101T000000Z", "20260101T000000Z");
    assert!(busy_utc("not a calendar", a, b).is_empty());
    assert!(busy_periods(&[0xff, 0xfe, 0x00], utc(a), utc(b), &TzSpec::utc(), 10).is_empty());
    let todo = calendar(
        "BEGIN:VTODO\r\nUID:t\r\nDTSTAMP:20250101T000000Z\r\nDTSTART:20250310T090000Z\r\nDUE:20250310T100000Z\r\nEND:VTODO\r\n",
    );
    assert!(busy_utc(&todo, a, b).is_empty(), "only events are busy time");
    let daily = calendar(&vevent(&["DTSTART:20250101T090000Z", "DURATION:PT1H", "RRULE:FREQ=DAILY"]));
    assert_eq!(busy_utc(&daily, a, b).len(), 365);
    assert!(busy_periods(daily.as_bytes(), utc(a), utc(b), &TzSpec::utc(), 100).is_empty(), "over max_instances");
    assert!(busy_utc(&daily, b, a).is_empty(), "empty range");
}

#[test]
fn merge_joins_same_kinds_and_lets_the_stronger_kind_win() {
    let got = merge(vec![
        p("20250310T100000Z", "20250310T110000Z", Busy),
        p("20250310T110000Z", "20250310T120000Z", Busy),
        p("20250310T080000Z", "20250310T150000Z", Tentative),
        p("20250310T140000Z", "20250310T180000Z", Unavailable),
        p("20250310T200000Z", "20250310T200000Z", Busy),
        p("20250311T090000Z", "20250311T100000Z", Tentative),
        p("20250311T093000Z", "20250311T103000Z", Tentative),
    ]);
    assert_eq!(
        got,
        vec![
            p("20250310T080000Z", "20250310T100000Z", Tentative),
            p("20250310T100000Z", "20250310T120000Z", Busy),
            p("20250310T120000Z", "20250310T140000Z", Tentative),
            p("20250310T140000Z", "20250310T180000Z", Unavailable),
            p("20250311T090000Z", "20250311T103000Z", Tentative),
        ]
    );
    // A BUSY period inside BUSY-UNAVAILABLE splits it in three.
    let split = merge(vec![
        p("20250312T000000Z", "20250312T090000Z", Unavailable),
        p("20250312T080000Z", "20250312T083000Z", Busy),
    ]);
    assert_eq!(
        split,
        vec![
            p("20250312T000000Z", "20250312T080000Z", Unavailable),
            p("20250312T080000Z", "20250312T083000Z", Busy),
            p("20250312T083000Z", "20250312T090000Z", Unavailable),
        ]
    );
    assert!(merge(Vec::new()).is_empty());
    assert_eq!(FbType::BusyUnavailable.as_str(), "BUSY-UNAVAILABLE");
}

fn reply<'a>(periods: &'a [Period], method: Option<&'a str>) -> FbReply<'a> {
    FbReply {
        method,
        uid: None,
        organizer: None,
        attendee: None,
        start: utc("20250310T000000Z"),
        end: utc("20250317T000000Z"),
        now: utc("20250309T120000Z"),
        periods,
    }
}

#[test]
fn free_busy_query_answer_parses_back() {
    let periods = [
        p("20250311T090000Z", "20250311T100000Z", Tentative),
        p("20250310T090000Z", "20250310T100000Z", Busy),
        p("20250312T090000Z", "20250312T090000Z", Busy),
    ];
    let text = vfreebusy(&reply(&periods, None));
    assert!(text.ends_with("END:VCALENDAR\r\n"));
    assert!(!text.replace("\r\n", "").contains('\n'), "CRLF only");
    let root = content::parse(&text).unwrap();
    assert!(root.props("METHOD").next().is_none());
    let fb = root.comps("VFREEBUSY").next().unwrap();
    assert!(fb.props("UID").next().is_none() && fb.props("ORGANIZER").next().is_none());
    assert_eq!(fb.props("DTSTAMP").next().unwrap().value, "20250309T120000Z");
    assert_eq!(fb.props("DTSTART").next().unwrap().value, "20250310T000000Z");
    assert_eq!(fb.props("DTEND").next().unwrap().value, "20250317T000000Z");
    let lines: Vec<_> = fb.props("FREEBUSY").collect();
    assert_eq!(lines.len(), 2, "the empty period is left out");
    assert_eq!(lines[0].params, vec![("FBTYPE".to_string(), vec!["BUSY".to_string()])]);
    assert_eq!(lines[0].value, "20250310T090000Z/20250310T100000Z");
    assert_eq!(lines[1].params[0].1, ["BUSY-TENTATIVE"]);
    assert_eq!(lines[1].value, "20250311T090000Z/20250311T100000Z");
}

#[test]
fn scheduling_reply_round_trips_and_is_folded() {
    let periods =
        [p("20250310T090000Z", "20250310T100000Z", Busy), p("20250312T140000Z", "20250312T150000Z", Tentative)];
    let attendee = format!("mailto:{}@example.com", "a-very-long-local-part".repeat(4));
    let mut r = reply(&periods, Some("REPLY"));
    r.uid = Some("req-42");
    r.organizer = Some("mailto:alice@example.com\r\nX-INJECTED:1");
    r.attendee = Some(&attendee);
    let text = vfreebusy(&r);
    assert!(text.lines().all(|l| l.len() <= 75), "folded:\n{text}");
    assert!(!text.contains("\r\nX-INJECTED"), "control characters are stripped");
    let obj = CalendarObject::parse(text.as_bytes()).unwrap();
    assert_eq!(obj.kind(), ComponentKind::FreeBusy);
    assert_eq!(obj.uid(), "req-42");
    let root = content::parse(&text).unwrap();
    assert_eq!(root.props("METHOD").next().unwrap().value, "REPLY");
    let fb = root.comps("VFREEBUSY").next().unwrap();
    assert_eq!(fb.props("ATTENDEE").next().unwrap().value, attendee, "unfolds to the original");
    assert!(fb.props("ORGANIZER").next().unwrap().value.starts_with("mailto:alice@example.com"));
    let back = busy_utc(&text, "20250310T000000Z", "20250317T000000Z");
    assert_eq!(back, periods, "busy_periods reads the answer back");
    // A REPLY without a request UID still gets one (RFC 5546 §3.3.3).
    let no_uid = vfreebusy(&reply(&periods, Some("REPLY")));
    assert!(CalendarObject::parse(no_uid.as_bytes()).is_ok_and(|o| !o.uid().is_empty()));
}

const APPLE_REQUEST: &str = "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//Apple Inc.//macOS 14.4//EN\r\n\
CALSCALE:GREGORIAN\r\nMETHOD:REQUEST\r\nBEGIN:VFREEBUSY\r\nUID:5F1C2D9A-3B4E-4F60-8A71-92B3C4D5E6F7\r\n\
DTEND:20250312T230000Z\r\nATTENDEE:mailto:bob@example.com\r\nATTENDEE:urn:uuid:6c1f0d0e-0000-4000-8000-000000000002\r\n\
DTSTART:20250311T230000Z\r\nX-CALENDARSERVER-MASK-UID:0A1B2C3D-0000-4000-8000-000000000001\r\n\
DTSTAMP:20250310T101500Z\r\nORGANIZER:mailto:alice@example.com\r\nEND:VFREEBUSY\r\nEND:VCALENDAR\r\n";

const THUNDERBIRD_REQUEST: &str = "BEGIN:VCALENDAR\nPRODID:-//Mozilla.org/NONSGML Mozilla Calendar V1.1//EN\n\
VERSION:2.0\nMETHOD:REQUEST\nBEGIN:VFREEBUSY\nDTSTAMP:20250310T101500Z\nORGANIZER:mailto:alice@exampl\n e.com\n\
DTSTART:20250310T000000Z\nDTEND:20250324T000000Z\nUID:a0b1c2d3-e4f5-4a6b-9c8d-7e6f5a4b3c2d\n\
ATTENDEE;PARTSTAT=NEEDS-ACTION;ROLE=REQ-PARTICIPANT;CUTYPE=INDIVIDUAL:  mailto:carol@example.org \n\
END:VFREEBUSY\nEND:VCALENDAR\n";

#[test]
fn apple_and_thunderbird_requests_parse() {
    let apple = parse_request(APPLE_REQUEST).unwrap();
    assert_eq!(apple.uid.as_deref(), Some("5F1C2D9A-3B4E-4F60-8A71-92B3C4D5E6F7"));
    assert_eq!(apple.organizer, "mailto:alice@example.com");
    assert_eq!(apple.attendees, ["mailto:bob@example.com", "urn:uuid:6c1f0d0e-0000-4000-8000-000000000002"]);
    assert_eq!((apple.start, apple.end), (utc("20250311T230000Z"), utc("20250312T230000Z")));
    let tb = parse_request(THUNDERBIRD_REQUEST).unwrap();
    assert_eq!(tb.organizer, "mailto:alice@example.com", "folded line");
    assert_eq!(tb.attendees, ["mailto:carol@example.org"], "trimmed");
    assert_eq!(tb.end - tb.start, 14 * 86_400);
    assert_eq!(tb.uid.as_deref(), Some("a0b1c2d3-e4f5-4a6b-9c8d-7e6f5a4b3c2d"));
    assert_eq!(parse_request(&format!("\u{feff}{APPLE_REQUEST}")), Ok(apple), "a byte order mark is skipped");
}

#[test]
fn requests_with_a_zone_or_a_duration_are_tolerated() {
    let req = APPLE_REQUEST
        .replace("DTSTART:20250311T230000Z", "DTSTART;TZID=Europe/Paris:20250330T000000")
        .replace("DTEND:20250312T230000Z\r\n", "DURATION:P1D\r\n");
    let r = parse_request(&req).unwrap();
    assert_eq!(r.start, at("20250330T000000", "Europe/Paris"));
    // P1D is a nominal day (RFC 5545 §3.3.6): 23 hours on the day Paris springs forward.
    assert_eq!(r.end, at("20250331T000000", "Europe/Paris"));
    assert_eq!(r.end - r.start, 23 * 3600);
}

#[test]
fn bad_requests_name_the_problem() {
    let err = |from: &str, to: &str| parse_request(&APPLE_REQUEST.replace(from, to)).unwrap_err();
    assert!(err("METHOD:REQUEST\r\n", "").contains("METHOD"));
    assert!(err("METHOD:REQUEST", "METHOD:REPLY").contains("REPLY"));
    assert!(err("ORGANIZER:mailto:alice@example.com\r\n", "").contains("ORGANIZER"));
    assert!(err("ATTENDEE", "X-ATTENDEE").contains("ATTENDEE"));
    assert!(err("DTSTART:20250311T230000Z\r\n", "").contains("DTSTART"));
    assert!(err("DTEND:20250312T230000Z\r\n", "").contains("DTEND"));
    assert!(err("DTEND:20250312T230000Z", "DTEND:20250310T230000Z").contains("not after"));
    assert!(err("DTSTART:20250311T230000Z", "DTSTART:yesterday").contains("DTSTART"));
    assert!(err("VFREEBUSY", "VEVENT").contains("VFREEBUSY"));
    assert!(parse_request("").is_err());
    assert!(parse_request("BEGIN:VCARD\r\nFN:x\r\nEND:VCARD\r\n").unwrap_err().contains("VCALENDAR"));
    assert!(parse_request("BEGIN:VCALENDAR\r\nMETHOD:REQUEST\r\n").is_err(), "truncated");
}

/// A VCALENDAR around `body`.
fn avail_cal(body: &str) -> String {
    format!("BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//test//EN\r\n{body}END:VCALENDAR\r\n")
}

/// A VAVAILABILITY with `props` and AVAILABLE components (each a list of lines).
fn vavail(props: &[&str], available: &[&[&str]]) -> String {
    let mut s = String::from("BEGIN:VAVAILABILITY\r\nUID:av\r\nDTSTAMP:20250101T000000Z\r\n");
    for l in props {
        s.push_str(&format!("{l}\r\n"));
    }
    for (i, a) in available.iter().enumerate() {
        s.push_str(&format!("BEGIN:AVAILABLE\r\nUID:slot-{i}\r\nDTSTAMP:20250101T000000Z\r\n"));
        for l in a.iter() {
            s.push_str(&format!("{l}\r\n"));
        }
        s.push_str("END:AVAILABLE\r\n");
    }
    s.push_str("END:VAVAILABILITY\r\n");
    s
}

fn unavail(text: &str, start: &str, end: &str) -> Vec<Period> {
    unavailable(text, utc(start), utc(end))
}

const WORKING_HOURS: &[&str] = &[
    "DTSTART;TZID=Europe/Paris:20250106T090000",
    "DTEND;TZID=Europe/Paris:20250106T170000",
    "RRULE:FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR",
];

/// Outside 09:00–17:00 Paris, Thursday 27 March to Wednesday 2 April 2025 (UTC), across
/// the switch to summer time on Sunday 30 March.
fn paris_working_hours_expected() -> Vec<Period> {
    vec![
        p("20250327T000000Z", "20250327T080000Z", Unavailable),
        p("20250327T160000Z", "20250328T080000Z", Unavailable),
        p("20250328T160000Z", "20250331T070000Z", Unavailable),
        p("20250331T150000Z", "20250401T070000Z", Unavailable),
        p("20250401T150000Z", "20250402T000000Z", Unavailable),
    ]
}

#[test]
fn paris_working_hours_across_the_dst_change() {
    let text = avail_cal(&vavail(&[], &[WORKING_HOURS]));
    assert_eq!(unavail(&text, "20250327T000000Z", "20250402T000000Z"), paris_working_hours_expected());
}

#[test]
fn working_hours_in_a_custom_vtimezone() {
    let zone = "BEGIN:VTIMEZONE\r\nTZID:Bureau Paris\r\n\
        BEGIN:STANDARD\r\nDTSTART:19961027T030000\r\nRRULE:FREQ=YEARLY;BYMONTH=10;BYDAY=-1SU\r\n\
        TZOFFSETFROM:+0200\r\nTZOFFSETTO:+0100\r\nEND:STANDARD\r\n\
        BEGIN:DAYLIGHT\r\nDTSTART:19810329T020000\r\nRRULE:FREQ=YEARLY;BYMONTH=3;BYDAY=-1SU\r\n\
        TZOFFSETFROM:+0100\r\nTZOFFSETTO:+0200\r\nEND:DAYLIGHT\r\nEND:VTIMEZONE\r\n";
    let hours: Vec<String> = WORKING_HOURS.iter().map(|l| l.replace("Europe/Paris", "\"Bureau Paris\"")).collect();
    let hours: Vec<&str> = hours.iter().map(String::as_str).collect();
    let text = avail_cal(&format!("{zone}{}", vavail(&[], &[&hours])));
    assert_eq!(unavail(&text, "20250327T000000Z", "20250402T000000Z"), paris_working_hours_expected());
}

#[test]
fn bounded_vavailability_with_its_busytype() {
    let slot: &[&str] = &["DTSTART:20250101T100000Z", "DTEND:20250101T120000Z", "RRULE:FREQ=DAILY"];
    let text =
        avail_cal(&vavail(&["DTSTART:20250328T000000Z", "DTEND:20250329T000000Z", "BUSYTYPE:BUSY-TENTATIVE"], &[slot]));
    let want = vec![
        p("20250328T000000Z", "20250328T100000Z", Tentative),
        p("20250328T120000Z", "20250329T000000Z", Tentative),
    ];
    assert_eq!(unavail(&text, "20250327T000000Z", "20250331T000000Z"), want);
    assert!(unavail(&text, "20250329T000000Z", "20250330T000000Z").is_empty(), "outside its bounds");
    // DURATION bounds it the same way; with only DTSTART it runs forever.
    let dur = avail_cal(&vavail(&["DTSTART:20250328T000000Z", "DURATION:P1D", "BUSYTYPE:BUSY-TENTATIVE"], &[slot]));
    assert_eq!(unavail(&dur, "20250327T000000Z", "20250331T000000Z"), want);
    let open = avail_cal(&vavail(&["DTSTART:20250328T000000Z", "BUSYTYPE:BUSY"], &[slot]));
    let got = unavail(&open, "20250327T000000Z", "20250331T000000Z");
    assert_eq!(got.len(), 4);
    assert_eq!(got[0], p("20250328T000000Z", "20250328T100000Z", Busy));
    assert_eq!(got[3], p("20250330T120000Z", "20250331T000000Z", Busy));
}

#[test]
fn higher_priority_components_override_lower_ones() {
    let holiday = vavail(&["PRIORITY:1", "DTSTART:20250331T000000Z", "DTEND:20250401T000000Z", "BUSYTYPE:BUSY"], &[]);
    let saturday = vavail(
        &["PRIORITY:2", "DTSTART:20250329T000000Z", "DTEND:20250330T000000Z"],
        &[&["DTSTART:20250329T100000Z", "DTEND:20250329T120000Z"]],
    );
    let normal = vavail(&["PRIORITY:9"], &[WORKING_HOURS]);
    // PRIORITY:0 is undefined, i.e. lower than 9: it changes nothing here.
    let never = vavail(&["PRIORITY:0", "BUSYTYPE:BUSY-TENTATIVE"], &[]);
    let text = avail_cal(&format!("{never}{normal}{holiday}{saturday}"));
    assert_eq!(
        unavail(&text, "20250327T000000Z", "20250402T000000Z"),
        vec![
            p("20250327T000000Z", "20250327T080000Z", Unavailable),
            p("20250327T160000Z", "20250328T080000Z", Unavailable),
            p("20250328T160000Z", "20250329T100000Z", Unavailable),
            p("20250329T120000Z", "20250331T000000Z", Unavailable),
            p("20250331T000000Z", "20250401T000000Z", Busy),
            p("20250401T000000Z", "20250401T070000Z", Unavailable),
            p("20250401T150000Z", "20250402T000000Z", Unavailable),
        ]
    );
}

#[test]
fn equal_priorities_combine_their_available_time() {
    let week = vavail(
        &["PRIORITY:5"],
        &[&["DTSTART:20250106T090000Z", "DTEND:20250106T170000Z", "RRULE:FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR"]],
    );
    let sat = vavail(
        &["PRIORITY:5"],
        &[&["DTSTART:20250104T100000Z", "DTEND:20250104T120000Z", "RRULE:FREQ=WEEKLY;BYDAY=SA"]],
    );
    assert_eq!(
        unavail(&avail_cal(&format!("{week}{sat}")), "20250328T000000Z", "20250330T000000Z"),
        vec![
            p("20250328T000000Z", "20250328T090000Z", Unavailable),
            p("20250328T170000Z", "20250329T100000Z", Unavailable),
            p("20250329T120000Z", "20250330T000000Z", Unavailable),
        ]
    );
}

#[test]
fn available_overrides_and_exdates_apply() {
    let text = avail_cal(
        "BEGIN:VAVAILABILITY\r\nUID:av\r\nDTSTAMP:20250101T000000Z\r\n\
         BEGIN:AVAILABLE\r\nUID:daily\r\nDTSTAMP:20250101T000000Z\r\nDTSTART:20250301T090000Z\r\n\
         DTEND:20250301T170000Z\r\nRRULE:FREQ=DAILY\r\nEXDATE:20250328T090000Z\r\nEND:AVAILABLE\r\n\
         BEGIN:AVAILABLE\r\nUID:daily\r\nDTSTAMP:20250101T000000Z\r\nRECURRENCE-ID:20250327T090000Z\r\n\
         DTSTART:20250327T130000Z\r\nDTEND:20250327T150000Z\r\nEND:AVAILABLE\r\n\
         END:VAVAILABILITY\r\n",
    );
    assert_eq!(
        unavail(&text, "20250327T000000Z", "20250330T000000Z"),
        vec![
            p("20250327T000000Z", "20250327T130000Z", Unavailable),
            p("20250327T150000Z", "20250329T090000Z", Unavailable),
            p("20250329T170000Z", "20250330T000000Z", Unavailable),
        ]
    );
}

#[test]
fn garbage_availability_gives_nothing() {
    let (a, b) = ("20250327T000000Z", "20250402T000000Z");
    assert!(unavail("", a, b).is_empty());
    assert!(unavail("garbage\r\n:::\r\n", a, b).is_empty());
    assert!(unavail("BEGIN:VCALENDAR\r\nBEGIN:VAVAILABILITY\r\n", a, b).is_empty(), "truncated");
    assert!(unavail(&avail_cal(""), a, b).is_empty(), "no VAVAILABILITY");
    let bad_slot = avail_cal(&vavail(&[], &[&["DTSTART:notadate", "DTEND:20250106T170000Z"]]));
    assert!(unavail(&bad_slot, a, b).is_empty(), "an unreadable component is ignored, not made busy");
    let bad_bound = avail_cal(&vavail(&["DTSTART:soon"], &[WORKING_HOURS]));
    assert!(unavail(&bad_bound, a, b).is_empty());
    let good = avail_cal(&vavail(&[], &[WORKING_HOURS]));
    assert!(unavail(&good, b, a).is_empty(), "empty range");
    // A VAVAILABILITY without AVAILABLE is unavailable throughout.
    let none = avail_cal(&vavail(&[], &[]));
    assert_eq!(unavail(&none, a, b), vec![p(a, b, Unavailable)]);
}
