//! The RRULE examples of RFC 5545 §3.8.5.3 for MONTHLY and YEARLY frequencies
//! (BYDAY ordinals, BYMONTHDAY, BYYEARDAY, BYWEEKNO, BYSETPOS, invalid dates),
//! with exact instance lists (DTSTART 09:00 America/New_York unless stated).

mod common;
use common::{days, ny};

const T: &str = "090000";

#[test]
fn monthly_on_the_first_friday() {
    let d = [
        "19970905", "19971003", "19971107", "19971205", "19980102", "19980206", "19980306", "19980403", "19980501",
        "19980605",
    ];
    assert_eq!(ny("19970905T090000", "FREQ=MONTHLY;COUNT=10;BYDAY=1FR", "20100101T000000"), days(&d, T));
    let until = ny("19970905T090000", "FREQ=MONTHLY;UNTIL=19971224T000000Z;BYDAY=1FR", "20100101T000000");
    assert_eq!(until, days(&d[..4], T));
}

#[test]
fn every_other_month_first_and_last_sunday() {
    let d = [
        "19970907", "19970928", "19971102", "19971130", "19980104", "19980125", "19980301", "19980329", "19980503",
        "19980531",
    ];
    assert_eq!(
        ny("19970907T090000", "FREQ=MONTHLY;INTERVAL=2;COUNT=10;BYDAY=1SU,-1SU", "20100101T000000"),
        days(&d, T)
    );
}

#[test]
fn monthly_second_to_last_monday_for_6_months() {
    let d = ["19970922", "19971020", "19971117", "19971222", "19980119", "19980216"];
    assert_eq!(ny("19970922T090000", "FREQ=MONTHLY;COUNT=6;BYDAY=-2MO", "20100101T000000"), days(&d, T));
}

#[test]
fn last_sunday_of_every_month() {
    let d = ["19970928", "19971026", "19971130", "19971228", "19980125", "19980222"];
    assert_eq!(ny("19970928T090000", "FREQ=MONTHLY;BYDAY=-1SU", "19980301T000000"), days(&d, T));
}

#[test]
fn monthly_third_to_last_day_forever() {
    let d = ["19970928", "19971029", "19971128", "19971229", "19980129", "19980226"];
    assert_eq!(ny("19970928T090000", "FREQ=MONTHLY;BYMONTHDAY=-3", "19980301T000000"), days(&d, T));
}

#[test]
fn monthly_on_the_2nd_and_15th() {
    let d = [
        "19970902", "19970915", "19971002", "19971015", "19971102", "19971115", "19971202", "19971215", "19980102",
        "19980115",
    ];
    assert_eq!(ny("19970902T090000", "FREQ=MONTHLY;COUNT=10;BYMONTHDAY=2,15", "20100101T000000"), days(&d, T));
}

#[test]
fn monthly_on_the_first_and_last_day() {
    let d = [
        "19970930", "19971001", "19971031", "19971101", "19971130", "19971201", "19971231", "19980101", "19980131",
        "19980201",
    ];
    assert_eq!(ny("19970930T090000", "FREQ=MONTHLY;COUNT=10;BYMONTHDAY=1,-1", "20100101T000000"), days(&d, T));
}

#[test]
fn every_18_months_on_the_10th_to_15th() {
    let d = [
        "19970910", "19970911", "19970912", "19970913", "19970914", "19970915", "19990310", "19990311", "19990312",
        "19990313",
    ];
    let rule = "FREQ=MONTHLY;INTERVAL=18;COUNT=10;BYMONTHDAY=10,11,12,13,14,15";
    assert_eq!(ny("19970910T090000", rule, "20100101T000000"), days(&d, T));
}

#[test]
fn every_tuesday_every_other_month() {
    let d = [
        "19970902", "19970909", "19970916", "19970923", "19970930", "19971104", "19971111", "19971118", "19971125",
        "19980106",
    ];
    assert_eq!(ny("19970902T090000", "FREQ=MONTHLY;INTERVAL=2;BYDAY=TU", "19980107T000000"), days(&d, T));
}

#[test]
fn yearly_in_june_and_july() {
    let d: Vec<String> = (1997..=2001).flat_map(|y| [format!("{y}0610"), format!("{y}0710")]).collect();
    let d: Vec<&str> = d.iter().map(String::as_str).collect();
    assert_eq!(ny("19970610T090000", "FREQ=YEARLY;COUNT=10;BYMONTH=6,7", "20100101T000000"), days(&d, T));
}

#[test]
fn every_other_year_in_january_february_march() {
    let d = [
        "19970310", "19990110", "19990210", "19990310", "20010110", "20010210", "20010310", "20030110", "20030210",
        "20030310",
    ];
    assert_eq!(ny("19970310T090000", "FREQ=YEARLY;INTERVAL=2;COUNT=10;BYMONTH=1,2,3", "20100101T000000"), days(&d, T));
}

#[test]
fn every_third_year_on_days_1_100_200() {
    let d = [
        "19970101", "19970410", "19970719", "20000101", "20000409", "20000718", "20030101", "20030410", "20030719",
        "20060101",
    ];
    assert_eq!(
        ny("19970101T090000", "FREQ=YEARLY;INTERVAL=3;COUNT=10;BYYEARDAY=1,100,200", "20100101T000000"),
        days(&d, T)
    );
}

#[test]
fn every_20th_monday_of_the_year() {
    assert_eq!(
        ny("19970519T090000", "FREQ=YEARLY;BYDAY=20MO", "20000101T000000"),
        days(&["19970519", "19980518", "19990517"], T)
    );
}

#[test]
fn monday_of_week_number_20() {
    let got = ny("19970512T090000", "FREQ=YEARLY;BYWEEKNO=20;BYDAY=MO", "20000101T000000");
    assert_eq!(got, days(&["19970512", "19980511", "19990517"], T));
}

#[test]
fn negative_byyearday_and_byweekno() {
    let got = ny("20241231T090000", "FREQ=YEARLY;BYYEARDAY=-1", "20270101T000000");
    assert_eq!(got, days(&["20241231", "20251231", "20261231"], T));
    // Monday of the last ISO week: 2025 has 52 weeks, 2026 has 53.
    let got = ny("20251222T090000", "FREQ=YEARLY;BYWEEKNO=-1;BYDAY=MO", "20270101T000000");
    assert_eq!(got, days(&["20251222", "20261228"], T));
}

#[test]
fn every_thursday_in_march() {
    let d = [
        "19970313", "19970320", "19970327", "19980305", "19980312", "19980319", "19980326", "19990304", "19990311",
        "19990318", "19990325",
    ];
    assert_eq!(ny("19970313T090000", "FREQ=YEARLY;BYMONTH=3;BYDAY=TH", "20000101T000000"), days(&d, T));
}

#[test]
fn every_thursday_in_june_july_august() {
    let got = ny("19970605T090000", "FREQ=YEARLY;BYDAY=TH;BYMONTH=6,7,8", "19980101T000000");
    let d = [
        "19970605", "19970612", "19970619", "19970626", "19970703", "19970710", "19970717", "19970724", "19970731",
        "19970807", "19970814", "19970821", "19970828",
    ];
    assert_eq!(got, days(&d, T));
}

#[test]
fn every_friday_the_13th_with_exdate_of_dtstart() {
    let obj = common::event(&[
        "DTSTART;TZID=America/New_York:19970902T090000",
        "EXDATE;TZID=America/New_York:19970902T090000",
        "RRULE:FREQ=MONTHLY;BYDAY=FR;BYMONTHDAY=13",
    ]);
    let got = common::starts(&obj, "19970101T000000", "20001231T000000", "America/New_York");
    assert_eq!(got, days(&["19980213", "19980313", "19981113", "19990813", "20001013"], T));
}

#[test]
fn first_saturday_that_follows_the_first_sunday() {
    let d = [
        "19970913", "19971011", "19971108", "19971213", "19980110", "19980207", "19980307", "19980411", "19980509",
        "19980613",
    ];
    assert_eq!(
        ny("19970913T090000", "FREQ=MONTHLY;BYDAY=SA;BYMONTHDAY=7,8,9,10,11,12,13", "19980614T000000"),
        days(&d, T)
    );
}

#[test]
fn us_presidential_election_day() {
    let rule = "FREQ=YEARLY;INTERVAL=4;BYMONTH=11;BYDAY=TU;BYMONTHDAY=2,3,4,5,6,7,8";
    assert_eq!(ny("19961105T090000", rule, "20050101T000000"), days(&["19961105", "20001107", "20041102"], T));
}

#[test]
fn bysetpos_third_tu_we_th_of_the_month() {
    let got = ny("19970904T090000", "FREQ=MONTHLY;COUNT=3;BYDAY=TU,WE,TH;BYSETPOS=3", "20100101T000000");
    assert_eq!(got, days(&["19970904", "19971007", "19971106"], T));
}

#[test]
fn bysetpos_second_to_last_weekday_of_the_month() {
    let got = ny("19970929T090000", "FREQ=MONTHLY;BYDAY=MO,TU,WE,TH,FR;BYSETPOS=-2", "19980331T000000");
    let d = ["19970929", "19971030", "19971127", "19971230", "19980129", "19980226", "19980330"];
    assert_eq!(got, days(&d, T));
}

#[test]
fn bysetpos_last_work_day_of_the_month() {
    let got = ny("19970930T090000", "FREQ=MONTHLY;BYDAY=MO,TU,WE,TH,FR;BYSETPOS=-1", "19980101T000000");
    assert_eq!(got, days(&["19970930", "19971031", "19971128", "19971231"], T));
}

#[test]
fn invalid_dates_are_skipped() {
    let got = ny("20070115T090000", "FREQ=MONTHLY;BYMONTHDAY=15,30;COUNT=5", "20100101T000000");
    assert_eq!(got, days(&["20070115", "20070130", "20070215", "20070315", "20070330"], T));
    let leap = ny("20000229T090000", "FREQ=YEARLY;COUNT=3", "21000101T000000");
    assert_eq!(leap, days(&["20000229", "20040229", "20080229"], T));
    let m31 = ny("20070131T090000", "FREQ=MONTHLY;COUNT=4", "21000101T000000");
    assert_eq!(m31, days(&["20070131", "20070331", "20070531", "20070731"], T));
}
