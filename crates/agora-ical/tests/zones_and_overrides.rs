//! Time zones (DST, custom VTIMEZONE, Windows names) and the recurrence set
//! operations (EXDATE, RDATE, RECURRENCE-ID incl. THISANDFUTURE).

mod common;
use agora_ical::{CalendarObject, TzSpec, expand};
use common::{at, calendar, event, local, parse, starts, utc, vevent};

const NY_VTIMEZONE_CUSTOM: &str = "BEGIN:VTIMEZONE\r\nTZID:My Custom Zone\r\n\
BEGIN:DAYLIGHT\r\nTZOFFSETFROM:-0500\r\nTZOFFSETTO:-0400\r\nDTSTART:20070311T020000\r\n\
RRULE:FREQ=YEARLY;BYMONTH=3;BYDAY=2SU\r\nEND:DAYLIGHT\r\n\
BEGIN:STANDARD\r\nTZOFFSETFROM:-0400\r\nTZOFFSETTO:-0500\r\nDTSTART:20071104T020000\r\n\
RRULE:FREQ=YEARLY;BYMONTH=11;BYDAY=1SU\r\nEND:STANDARD\r\nEND:VTIMEZONE\r\n";

#[test]
fn new_york_weekly_keeps_wall_time_across_both_transitions() {
    let obj = event(&["DTSTART;TZID=America/New_York:20250301T093000", "DURATION:PT1H", "RRULE:FREQ=WEEKLY;COUNT=40"]);
    let inst = common::instances(&obj, "20250101T000000", "20260101T000000", "UTC");
    assert_eq!(inst.len(), 40);
    assert!(inst.iter().all(|i| local(i.start, "America/New_York").ends_with("T093000")));
    // 14:30Z in EST before March 9, 13:30Z in EDT, 14:30Z again after November 2.
    assert_eq!(local(inst[0].start, "UTC"), "20250301T143000");
    assert_eq!(local(inst[2].start, "UTC"), "20250315T133000");
    assert_eq!(local(inst[36].start, "UTC"), "20251108T143000");
    assert!(inst.iter().all(|i| i.end - i.start == 3600));
}

#[test]
fn paris_weekly_keeps_wall_time() {
    let obj = event(&["DTSTART;TZID=Europe/Paris:20250320T080000", "RRULE:FREQ=WEEKLY;UNTIL=20251106T070000Z"]);
    let got = starts(&obj, "20250101T000000", "20260101T000000", "Europe/Paris");
    assert_eq!(got.len(), 34);
    assert!(got.iter().all(|s| s.ends_with("T080000")));
    assert_eq!(got.last().unwrap(), "20251106T080000", "UNTIL is exactly the last instance (07:00Z = 08:00 CET)");
}

#[test]
fn nonexistent_local_time_shifts_forward_and_ambiguous_takes_the_first() {
    let obj = event(&["DTSTART;TZID=America/New_York:20250302T023000", "RRULE:FREQ=WEEKLY;COUNT=3"]);
    let inst = common::instances(&obj, "20250101T000000", "20260101T000000", "UTC");
    assert_eq!(local(inst[1].start, "America/New_York"), "20250309T033000");
    assert_eq!(local(inst[1].start, "UTC"), "20250309T073000");
    let obj = event(&["DTSTART;TZID=America/New_York:20251026T013000", "RRULE:FREQ=WEEKLY;COUNT=2"]);
    let inst = common::instances(&obj, "20250101T000000", "20260101T000000", "UTC");
    assert_eq!(local(inst[1].start, "UTC"), "20251102T053000", "01:30 EDT, the first of the two");
}

#[test]
fn custom_vtimezone_gives_the_same_instants_as_iana() {
    let custom = parse(&calendar(&format!(
        "{NY_VTIMEZONE_CUSTOM}{}",
        vevent(&[
            "DTSTART;TZID=My Custom Zone:20240105T090000",
            "DTEND;TZID=My Custom Zone:20240105T100000",
            "RRULE:FREQ=WEEKLY;COUNT=60"
        ])
    )));
    let iana = event(&[
        "DTSTART;TZID=America/New_York:20240105T090000",
        "DTEND;TZID=America/New_York:20240105T100000",
        "RRULE:FREQ=WEEKLY;COUNT=60",
    ]);
    let a = common::instances(&custom, "20230101T000000", "20260101T000000", "UTC");
    let b = common::instances(&iana, "20230101T000000", "20260101T000000", "UTC");
    assert_eq!(a.len(), 60);
    assert_eq!(a, b);
    // A floating time read in the custom zone too (calendar-timezone of the collection).
    let zone = TzSpec::from_calendar_timezone(&calendar(NY_VTIMEZONE_CUSTOM)).unwrap();
    assert_eq!(zone.name(), Some("My Custom Zone"));
    assert_eq!(zone.offset_at(utc("20240701T000000Z")), -4 * 3600);
    assert_eq!(zone.offset_at(utc("20240101T000000Z")), -5 * 3600);
}

#[test]
fn vtimezone_named_like_an_iana_zone_uses_iana_rules() {
    // A truncated VTIMEZONE (only the current rules from 2007) still gives correct 2005 instants.
    let tz = NY_VTIMEZONE_CUSTOM.replace("My Custom Zone", "America/New_York");
    let obj = parse(&calendar(&format!("{tz}{}", vevent(&["DTSTART;TZID=America/New_York:20050401T120000"]))));
    let inst = common::instances(&obj, "20050101T000000", "20060101T000000", "UTC");
    assert_eq!(inst[0].start, at("20050401T120000", "America/New_York"));
    assert_eq!(local(inst[0].start, "UTC"), "20050401T170000", "EST: 2005 DST began in April");
}

#[test]
fn windows_zone_name_resolves_and_unknown_tzid_uses_the_default_zone() {
    let obj = event(&["DTSTART;TZID=W. Europe Standard Time:20250701T090000"]);
    let inst = common::instances(&obj, "20250101T000000", "20260101T000000", "UTC");
    assert_eq!(local(inst[0].start, "UTC"), "20250701T070000");
    let obj = event(&["DTSTART;TZID=Nowhere/Special:20250701T090000"]);
    let paris = TzSpec::named("Europe/Paris").unwrap();
    let inst = expand(&obj, 0, i64::from(i32::MAX) * 2, &paris, 10).unwrap();
    assert_eq!(local(inst[0].start, "UTC"), "20250701T070000", "unknown TZID → the default (floating) zone");
    let inst = expand(&obj, 0, i64::from(i32::MAX) * 2, &TzSpec::utc(), 10).unwrap();
    assert_eq!(local(inst[0].start, "UTC"), "20250701T090000");
}

#[test]
fn floating_and_all_day_use_the_floating_zone() {
    let obj = event(&["DTSTART;VALUE=DATE:20250704", "RRULE:FREQ=YEARLY;COUNT=2"]);
    let ny = TzSpec::named("America/New_York").unwrap();
    let inst = expand(&obj, 0, utc("20300101T000000Z"), &ny, 10).unwrap();
    assert_eq!(inst.len(), 2);
    assert_eq!(local(inst[0].start, "UTC"), "20250704T040000");
    assert_eq!(inst[0].end - inst[0].start, 86_400);
    let obj = event(&["DTSTART:20250704T100000", "DTEND:20250704T110000"]);
    let inst = expand(&obj, 0, utc("20300101T000000Z"), &ny, 10).unwrap();
    assert_eq!(local(inst[0].start, "UTC"), "20250704T140000");
}

#[test]
fn all_day_across_dst_lasts_one_nominal_day() {
    let obj = event(&["DTSTART;VALUE=DATE:20250309", "DTEND;VALUE=DATE:20250310"]);
    let ny = TzSpec::named("America/New_York").unwrap();
    let inst = expand(&obj, 0, utc("20300101T000000Z"), &ny, 10).unwrap();
    assert_eq!(inst[0].end - inst[0].start, 23 * 3600);
}

fn with_override(master: &[&str], over: &[&str]) -> CalendarObject {
    parse(&calendar(&format!("{}{}", vevent(master), vevent(over))))
}

#[test]
fn utc_recurrence_id_matches_a_tzid_master() {
    let master = ["DTSTART;TZID=Europe/Berlin:20250303T090000", "DURATION:PT1H", "RRULE:FREQ=DAILY;COUNT=5"];
    let obj = with_override(
        &master,
        &[
            "RECURRENCE-ID:20250305T080000Z",
            "DTSTART;TZID=Europe/Berlin:20250305T150000",
            "DURATION:PT30M",
            "SEQUENCE:3",
        ],
    );
    let inst = common::instances(&obj, "20250101T000000", "20260101T000000", "UTC");
    let got: Vec<_> = inst.iter().map(|i| (local(i.start, "Europe/Berlin"), i.is_override)).collect();
    assert_eq!(inst.len(), 5, "{got:?}");
    assert_eq!(got[2], ("20250305T150000".to_string(), true));
    assert_eq!(inst[2].recurrence_id, utc("20250305T080000Z"));
    assert_eq!(inst[2].end - inst[2].start, 1800);
}

#[test]
fn exdate_removes_and_rdate_adds() {
    let obj = event(&[
        "DTSTART;TZID=America/New_York:20250106T100000",
        "DTEND;TZID=America/New_York:20250106T110000",
        "RRULE:FREQ=WEEKLY;COUNT=4",
        "EXDATE:20250113T150000Z",
        "RDATE;TZID=America/New_York:20250108T120000,20250109T120000",
        "RDATE;VALUE=PERIOD:20250110T170000Z/PT3H",
    ]);
    let inst = common::instances(&obj, "20250101T000000", "20260101T000000", "America/New_York");
    let got: Vec<_> = inst.iter().map(|i| local(i.start, "America/New_York")).collect();
    assert_eq!(
        got,
        [
            "20250106T100000",
            "20250108T120000",
            "20250109T120000",
            "20250110T120000",
            "20250120T100000",
            "20250127T100000"
        ]
    );
    assert_eq!(inst[3].end - inst[3].start, 3 * 3600, "PERIOD end");
    assert_eq!(inst[1].end - inst[1].start, 3600, "RDATE takes the master's duration");
}

#[test]
fn override_moves_an_instance_out_of_and_into_a_window() {
    let master = ["DTSTART:20250601T100000Z", "DTEND:20250601T110000Z", "RRULE:FREQ=DAILY;COUNT=10"];
    let obj = with_override(
        &master,
        &["RECURRENCE-ID:20250603T100000Z", "DTSTART:20250620T100000Z", "DTEND:20250620T110000Z"],
    );
    let june3 = expand(&obj, utc("20250603T000000Z"), utc("20250604T000000Z"), &TzSpec::utc(), 10).unwrap();
    assert!(june3.is_empty(), "moved out: {june3:?}");
    let june20 = expand(&obj, utc("20250620T000000Z"), utc("20250621T000000Z"), &TzSpec::utc(), 10).unwrap();
    assert_eq!(june20.len(), 1);
    assert!(june20[0].is_override);
    assert_eq!(june20[0].recurrence_id, utc("20250603T100000Z"));
    assert!(agora_ical::overlaps(&obj, Some(utc("20250620T103000Z")), Some(utc("20250620T104000Z")), &TzSpec::utc()));
    assert!(!agora_ical::overlaps(&obj, Some(utc("20250603T000000Z")), Some(utc("20250604T000000Z")), &TzSpec::utc()));
}

#[test]
fn this_and_future_moves_later_instances() {
    let master = ["DTSTART:20250601T100000Z", "DTEND:20250601T110000Z", "RRULE:FREQ=DAILY;COUNT=6"];
    let obj = with_override(
        &master,
        &[
            "RECURRENCE-ID;RANGE=THISANDFUTURE:20250603T100000Z",
            "DTSTART:20250603T140000Z",
            "DTEND:20250603T143000Z",
            "STATUS:TENTATIVE",
        ],
    );
    let inst = expand(&obj, utc("20250101T000000Z"), utc("20260101T000000Z"), &TzSpec::utc(), 100).unwrap();
    let got: Vec<_> = inst.iter().map(|i| local(i.start, "UTC")).collect();
    assert_eq!(
        got,
        [
            "20250601T100000",
            "20250602T100000",
            "20250603T140000",
            "20250604T140000",
            "20250605T140000",
            "20250606T140000"
        ]
    );
    assert!(
        inst[3..]
            .iter()
            .all(|i| i.end - i.start == 1800 && i.is_override && i.status == Some(agora_ical::Status::Tentative))
    );
    assert_eq!(inst[4].recurrence_id, utc("20250605T100000Z"));
}

#[test]
fn span_for_the_index() {
    let obj = event(&[
        "DTSTART:20250601T100000Z",
        "DTEND:20250601T110000Z",
        "RRULE:FREQ=DAILY;COUNT=3",
        "RDATE:20240101T000000Z",
    ]);
    let span = agora_ical::object_span(&obj, &TzSpec::utc()).unwrap();
    assert_eq!((span.start, span.end), (utc("20240101T000000Z"), Some(utc("20250603T110000Z"))));
    let endless = event(&["DTSTART:20250601T100000Z", "RRULE:FREQ=WEEKLY"]);
    let span = agora_ical::object_span(&endless, &TzSpec::utc()).unwrap();
    assert_eq!((span.start, span.end), (utc("20250601T100000Z"), None));
    let gone = event(&["DTSTART:20250601T100000Z", "RRULE:FREQ=DAILY;COUNT=1", "EXDATE:20250601T100000Z"]);
    assert_eq!(agora_ical::object_span(&gone, &TzSpec::utc()), None);
}

#[test]
fn max_instances_is_enforced() {
    let obj = event(&["DTSTART:20250601T100000Z", "RRULE:FREQ=HOURLY"]);
    let err = expand(&obj, utc("20250601T000000Z"), utc("20250701T000000Z"), &TzSpec::utc(), 100).unwrap_err();
    assert_eq!(err, agora_ical::IcalError::TooManyInstances(100));
}
