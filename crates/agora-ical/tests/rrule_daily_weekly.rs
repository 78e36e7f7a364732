//! The RRULE examples of RFC 5545 §3.8.5.3 for DAILY, WEEKLY and sub-daily
//! frequencies, with exact instance lists (DTSTART 09:00 America/New_York unless stated).

mod common;
use common::{days, ny};

const T: &str = "090000";

#[test]
fn daily_for_10_occurrences() {
    let d = [
        "19970902", "19970903", "19970904", "19970905", "19970906", "19970907", "19970908", "19970909", "19970910",
        "19970911",
    ];
    assert_eq!(ny("19970902T090000", "FREQ=DAILY;COUNT=10", "20100101T000000"), days(&d, T));
}

#[test]
fn daily_until_december_24_keeps_local_time_across_dst() {
    let got = ny("19970902T090000", "FREQ=DAILY;UNTIL=19971224T000000Z", "20100101T000000");
    assert_eq!(got.len(), 113);
    assert_eq!(got.first().unwrap(), "19970902T090000");
    assert_eq!(got.last().unwrap(), "19971223T090000");
    assert!(got.iter().all(|s| s.ends_with("T090000")));
}

#[test]
fn every_other_day_forever_is_cut_by_the_window() {
    let got = ny("19970902T090000", "FREQ=DAILY;INTERVAL=2", "19970912T000000");
    assert_eq!(got, days(&["19970902", "19970904", "19970906", "19970908", "19970910"], T));
}

#[test]
fn every_10_days_5_occurrences() {
    let got = ny("19970902T090000", "FREQ=DAILY;INTERVAL=10;COUNT=5", "20100101T000000");
    assert_eq!(got, days(&["19970902", "19970912", "19970922", "19971002", "19971012"], T));
}

#[test]
fn every_day_in_january_for_3_years_yearly_and_daily() {
    for rule in [
        "FREQ=YEARLY;UNTIL=20000131T140000Z;BYMONTH=1;BYDAY=SU,MO,TU,WE,TH,FR,SA",
        "FREQ=DAILY;UNTIL=20000131T140000Z;BYMONTH=1",
    ] {
        let got = ny("19980101T090000", rule, "20100101T000000");
        let want: Vec<String> =
            [1998, 1999, 2000].iter().flat_map(|y| (1..=31).map(move |d| format!("{y}01{d:02}T090000"))).collect();
        assert_eq!(got, want, "{rule}");
    }
}

#[test]
fn weekly_for_10_occurrences() {
    let d = [
        "19970902", "19970909", "19970916", "19970923", "19970930", "19971007", "19971014", "19971021", "19971028",
        "19971104",
    ];
    assert_eq!(ny("19970902T090000", "FREQ=WEEKLY;COUNT=10", "20100101T000000"), days(&d, T));
}

#[test]
fn weekly_until_december_24() {
    let got = ny("19970902T090000", "FREQ=WEEKLY;UNTIL=19971224T000000Z", "20100101T000000");
    assert_eq!(got.len(), 17);
    assert_eq!(got.last().unwrap(), "19971223T090000");
}

#[test]
fn every_other_week_forever_wkst_sunday() {
    let got = ny("19970902T090000", "FREQ=WEEKLY;INTERVAL=2;WKST=SU", "19971101T000000");
    assert_eq!(got, days(&["19970902", "19970916", "19970930", "19971014", "19971028"], T));
}

#[test]
fn weekly_on_tuesday_and_thursday_for_five_weeks() {
    let d = [
        "19970902", "19970904", "19970909", "19970911", "19970916", "19970918", "19970923", "19970925", "19970930",
        "19971002",
    ];
    for rule in ["FREQ=WEEKLY;UNTIL=19971007T000000Z;WKST=SU;BYDAY=TU,TH", "FREQ=WEEKLY;COUNT=10;WKST=SU;BYDAY=TU,TH"] {
        assert_eq!(ny("19970902T090000", rule, "20100101T000000"), days(&d, T), "{rule}");
    }
}

#[test]
fn every_other_week_mo_we_fr_until_december_24() {
    let d = [
        "19970901", "19970903", "19970905", "19970915", "19970917", "19970919", "19970929", "19971001", "19971003",
        "19971013", "19971015", "19971017", "19971027", "19971029", "19971031", "19971110", "19971112", "19971114",
        "19971124", "19971126", "19971128", "19971208", "19971210", "19971212", "19971222",
    ];
    let got = ny(
        "19970901T090000",
        "FREQ=WEEKLY;INTERVAL=2;UNTIL=19971224T000000Z;WKST=SU;BYDAY=MO,WE,FR",
        "20100101T000000",
    );
    assert_eq!(got, days(&d, T));
}

#[test]
fn every_other_week_tu_th_for_8() {
    let d = ["19970902", "19970904", "19970916", "19970918", "19970930", "19971002", "19971014", "19971016"];
    assert_eq!(
        ny("19970902T090000", "FREQ=WEEKLY;INTERVAL=2;COUNT=8;WKST=SU;BYDAY=TU,TH", "20100101T000000"),
        days(&d, T)
    );
}

#[test]
fn wkst_changes_the_result() {
    let mo = ny("19970805T090000", "FREQ=WEEKLY;INTERVAL=2;COUNT=4;BYDAY=TU,SU;WKST=MO", "20100101T000000");
    assert_eq!(mo, days(&["19970805", "19970810", "19970819", "19970824"], T));
    let su = ny("19970805T090000", "FREQ=WEEKLY;INTERVAL=2;COUNT=4;BYDAY=TU,SU;WKST=SU", "20100101T000000");
    assert_eq!(su, days(&["19970805", "19970817", "19970819", "19970831"], T));
}

#[test]
fn every_3_hours_from_9_to_5() {
    // RFC 5545 writes UNTIL=19970902T170000Z but lists 15:00 EDT (19:00Z), a known erratum;
    // with UNTIL at 21:00Z (17:00 EDT) the listed result is right.
    let got = ny("19970902T090000", "FREQ=HOURLY;INTERVAL=3;UNTIL=19970902T210000Z", "20100101T000000");
    assert_eq!(got, ["19970902T090000", "19970902T120000", "19970902T150000"]);
    let strict = ny("19970902T090000", "FREQ=HOURLY;INTERVAL=3;UNTIL=19970902T170000Z", "20100101T000000");
    assert_eq!(strict, ["19970902T090000", "19970902T120000"]);
}

#[test]
fn every_15_minutes_for_6_and_every_90_minutes_for_4() {
    let got = ny("19970902T090000", "FREQ=MINUTELY;INTERVAL=15;COUNT=6", "20100101T000000");
    let t = ["090000", "091500", "093000", "094500", "100000", "101500"];
    assert_eq!(got, t.iter().map(|t| format!("19970902T{t}")).collect::<Vec<_>>());
    let got = ny("19970902T090000", "FREQ=MINUTELY;INTERVAL=90;COUNT=4", "20100101T000000");
    let t = ["090000", "103000", "120000", "133000"];
    assert_eq!(got, t.iter().map(|t| format!("19970902T{t}")).collect::<Vec<_>>());
}

#[test]
fn every_20_minutes_from_9_to_1640_daily_and_minutely() {
    let want: Vec<String> = ["19970902", "19970903"]
        .iter()
        .flat_map(|d| (9..=16).flat_map(move |h| [0, 20, 40].map(|m| format!("{d}T{h:02}{m:02}00"))))
        .collect();
    for rule in [
        "FREQ=DAILY;BYHOUR=9,10,11,12,13,14,15,16;BYMINUTE=0,20,40",
        "FREQ=MINUTELY;INTERVAL=20;BYHOUR=9,10,11,12,13,14,15,16",
    ] {
        assert_eq!(ny("19970902T090000", rule, "19970904T000000"), want, "{rule}");
    }
}

#[test]
fn secondly_with_bysecond_limit() {
    let got = ny("19970902T090000", "FREQ=SECONDLY;BYSECOND=0,30;COUNT=4", "20100101T000000");
    assert_eq!(got, ["19970902T090000", "19970902T090030", "19970902T090100", "19970902T090130"]);
}

#[test]
fn count_is_counted_from_dtstart_when_the_window_starts_later() {
    let obj = common::event(&["DTSTART;TZID=America/New_York:19970902T090000", "RRULE:FREQ=DAILY;COUNT=10"]);
    let got = common::starts(&obj, "19970909T000000", "20100101T000000", "America/New_York");
    assert_eq!(got, days(&["19970909", "19970910", "19970911"], T));
    // A large COUNT with a far window is still cheap: bounded by COUNT.
    let obj = common::event(&["DTSTART:20000101T120000Z", "RRULE:FREQ=MINUTELY;COUNT=200000"]);
    let got = common::starts(&obj, "20000408T000000", "20000409T000000", "UTC");
    assert_eq!(got.len(), 1440);
    assert_eq!(got.first().map(String::as_str), Some("20000408T000000"));
}

#[test]
fn dense_and_sparse_rules_stay_cheap() {
    use agora_ical::{TzSpec, overlaps};
    let start = std::time::Instant::now();
    // Endless SECONDLY rule, open-ended query far in the future.
    let obj = common::event(&["DTSTART:20000101T000000Z", "RRULE:FREQ=SECONDLY"]);
    assert!(overlaps(&obj, Some(common::utc("20500101T000000Z")), None, &TzSpec::utc()));
    // MINUTELY on Mondays in February only: whole days and months are skipped.
    let obj = common::event(&["DTSTART:20000101T000000Z", "RRULE:FREQ=MINUTELY;BYDAY=MO;BYMONTH=2"]);
    let inst = common::instances(&obj, "20300101T000000", "20300301T000000", "UTC");
    assert_eq!(inst.len(), 4 * 1440);
    // An impossible rule terminates (bounded by the window / year 9999); only DTSTART is an instance.
    let obj = common::event(&["DTSTART:20000101T000000Z", "RRULE:FREQ=DAILY;BYMONTH=2;BYMONTHDAY=30"]);
    assert!(overlaps(&obj, Some(0), None, &TzSpec::utc()));
    assert!(!overlaps(&obj, Some(common::utc("20000102T000000Z")), None, &TzSpec::utc()));
    assert!(start.elapsed().as_secs() < 5, "took {:?}", start.elapsed());
}

#[test]
fn huge_count_from_a_distant_dtstart_skips_ahead_exactly() {
    let start = std::time::Instant::now();
    // One occurrence per period: COUNT is consumed arithmetically up to the window.
    let obj = common::event(&["DTSTART:19000101T000000Z", "RRULE:FREQ=SECONDLY;COUNT=3786825605"]);
    // 1900-01-01 + 3 786 825 604 s = 2020-01-01T00:00:04Z is the last instance.
    let got = common::starts(&obj, "20200101T000000", "20200102T000000", "UTC");
    assert_eq!(got, ["20200101T000000", "20200101T000001", "20200101T000002", "20200101T000003", "20200101T000004"]);
    let obj = common::event(&["DTSTART;TZID=Europe/Paris:19000315T083000", "RRULE:FREQ=MONTHLY;INTERVAL=3;COUNT=500"]);
    // 1900-03 + 3 × 499 months = 2024-12: the 500th and last.
    let got = common::starts(&obj, "20240101T000000", "20300101T000000", "Europe/Paris");
    assert_eq!(got, ["20240315T083000", "20240615T083000", "20240915T083000", "20241215T083000"]);
    assert!(start.elapsed().as_secs() < 2, "took {:?}", start.elapsed());
}
