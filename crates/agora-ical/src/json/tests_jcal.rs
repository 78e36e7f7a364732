//! RFC 7265 golden tests: the §6 examples and the §3.6 value-type examples.

use serde_json::{Value, json};

use super::*;

const EXAMPLE_1: &str = "BEGIN:VCALENDAR\r\nCALSCALE:GREGORIAN\r\nPRODID:-//Example Inc.//Example Calendar//EN\r\n\
VERSION:2.0\r\nBEGIN:VEVENT\r\nDTSTAMP:20080205T191224Z\r\nDTSTART;VALUE=DATE:20081006\r\n\
SUMMARY:Planning meeting\r\nUID:4088E990AD89CB3DBB484909\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n";

const EXAMPLE_2: &str = "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//Example Corp.//Example Client//EN\r\n\
BEGIN:VTIMEZONE\r\nLAST-MODIFIED:20040110T032845Z\r\nTZID:US/Eastern\r\nBEGIN:DAYLIGHT\r\n\
DTSTART:20000404T020000\r\nRRULE:FREQ=YEARLY;BYDAY=1SU;BYMONTH=4\r\nTZNAME:EDT\r\nTZOFFSETFROM:-0500\r\n\
TZOFFSETTO:-0400\r\nEND:DAYLIGHT\r\nBEGIN:STANDARD\r\nDTSTART:20001026T020000\r\n\
RRULE:FREQ=YEARLY;BYDAY=-1SU;BYMONTH=10\r\nTZNAME:EST\r\nTZOFFSETFROM:-0400\r\nTZOFFSETTO:-0500\r\n\
END:STANDARD\r\nEND:VTIMEZONE\r\nBEGIN:VEVENT\r\nDTSTART;TZID=US/Eastern:20060102T120000\r\nDURATION:PT1H\r\n\
RRULE:FREQ=DAILY;COUNT=5\r\nRDATE;TZID=US/Eastern;VALUE=PERIOD:20060102T150000/PT2H\r\nSUMMARY:Event #2\r\n\
DESCRIPTION:We are having a meeting all this week at 12 pm fo\r\n r one hour\\, with an additional meeting on the first day 2 h\r\n \
ours long.\\nPlease bring your own lunch for the 12 pm meetin\r\n gs.\r\n\
UID:00959BC664CA650E933C892C@example.com\r\nEND:VEVENT\r\nBEGIN:VEVENT\r\n\
DTSTART;TZID=US/Eastern:20060104T140000\r\nDURATION:PT1H\r\nRECURRENCE-ID;TZID=US/Eastern:20060104T120000\r\n\
SUMMARY:Event #2 bis\r\nUID:00959BC664CA650E933C892C@example.com\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n";

fn example_2_jcal() -> Value {
    let tz = |name: &str, start: &str, byday: &str, month: i64, from: &str, to: &str| {
        json!([name, [
            ["dtstart", {}, "date-time", start],
            ["rrule", {}, "recur", {"freq": "YEARLY", "byday": byday, "bymonth": month}],
            ["tzname", {}, "text", if name == "daylight" { "EDT" } else { "EST" }],
            ["tzoffsetfrom", {}, "utc-offset", from],
            ["tzoffsetto", {}, "utc-offset", to]
        ], []])
    };
    json!(["vcalendar",
        [["version", {}, "text", "2.0"], ["prodid", {}, "text", "-//Example Corp.//Example Client//EN"]],
        [
            ["vtimezone",
                [["last-modified", {}, "date-time", "2004-01-10T03:28:45Z"], ["tzid", {}, "text", "US/Eastern"]],
                [tz("daylight", "2000-04-04T02:00:00", "1SU", 4, "-05:00", "-04:00"),
                 tz("standard", "2000-10-26T02:00:00", "-1SU", 10, "-04:00", "-05:00")]],
            ["vevent", [
                ["dtstart", {"tzid": "US/Eastern"}, "date-time", "2006-01-02T12:00:00"],
                ["duration", {}, "duration", "PT1H"],
                ["rrule", {}, "recur", {"freq": "DAILY", "count": 5}],
                ["rdate", {"tzid": "US/Eastern"}, "period", ["2006-01-02T15:00:00", "PT2H"]],
                ["summary", {}, "text", "Event #2"],
                ["description", {}, "text", "We are having a meeting all this week at 12 pm for one hour, with an additional meeting on the first day 2 hours long.\nPlease bring your own lunch for the 12 pm meetings."],
                ["uid", {}, "text", "00959BC664CA650E933C892C@example.com"]
            ], []],
            ["vevent", [
                ["dtstart", {"tzid": "US/Eastern"}, "date-time", "2006-01-04T14:00:00"],
                ["duration", {}, "duration", "PT1H"],
                ["recurrence-id", {"tzid": "US/Eastern"}, "date-time", "2006-01-04T12:00:00"],
                ["summary", {}, "text", "Event #2 bis"],
                ["uid", {}, "text", "00959BC664CA650E933C892C@example.com"]
            ], []]
        ]
    ])
}

#[test]
fn rfc7265_section_6_1_example() {
    let expected = json!([
        "vcalendar",
        [
            ["calscale", {}, "text", "GREGORIAN"],
            ["prodid", {}, "text", "-//Example Inc.//Example Calendar//EN"],
            ["version", {}, "text", "2.0"]
        ],
        [[
            "vevent",
            [
                ["dtstamp", {}, "date-time", "2008-02-05T19:12:24Z"],
                ["dtstart", {}, "date", "2008-10-06"],
                ["summary", {}, "text", "Planning meeting"],
                ["uid", {}, "text", "4088E990AD89CB3DBB484909"]
            ],
            []
        ]]
    ]);
    assert_eq!(icalendar_to_jcal(EXAMPLE_1).unwrap(), expected);
    // jCal → iCalendar gives back the same text, line for line.
    assert_eq!(jcal_to_icalendar(&expected).unwrap(), EXAMPLE_1);
}

#[test]
fn rfc7265_section_6_2_example() {
    let jcal = icalendar_to_jcal(EXAMPLE_2).unwrap();
    assert_eq!(jcal, example_2_jcal());
    let text = jcal_to_icalendar(&example_2_jcal()).unwrap();
    assert!(text.contains("\r\nRDATE;VALUE=PERIOD;TZID=US/Eastern:20060102T150000/PT2H\r\n"), "{text}");
    assert!(text.contains("\r\nRRULE:FREQ=YEARLY;BYDAY=-1SU;BYMONTH=10\r\n"), "{text}");
    assert!(text.contains("\r\nTZOFFSETFROM:-0400\r\n"));
    // The long DESCRIPTION is folded into lines of at most 75 octets.
    let lines: Vec<&str> = text.strip_suffix("\r\n").unwrap().split("\r\n").collect();
    assert!(lines.iter().all(|l| l.len() <= 75 && !l.contains('\n')), "{text}");
    let desc = lines.iter().position(|l| l.starts_with("DESCRIPTION:")).unwrap();
    assert_eq!(lines[desc].len(), 75);
    assert!(lines[desc + 1].starts_with(' ') && lines[desc + 2].starts_with(' '));
    assert_eq!(icalendar_to_jcal(&text).unwrap(), jcal);
}

/// Converts one iCalendar content line inside a VCALENDAR and returns its jCal form.
fn prop(line: &str) -> Value {
    let jcal = icalendar_to_jcal(&format!("BEGIN:VCALENDAR\r\n{line}\r\nEND:VCALENDAR\r\n")).unwrap();
    jcal[1][0].clone()
}

/// Converts one jCal property back to its (unfolded) content line.
fn line(prop: Value) -> String {
    let text = jcal_to_icalendar(&json!(["vcalendar", [prop], []])).unwrap();
    let body = text.strip_prefix("BEGIN:VCALENDAR\r\n").unwrap().strip_suffix("\r\nEND:VCALENDAR\r\n").unwrap();
    body.replace("\r\n ", "")
}

#[test]
fn rfc7265_section_3_value_types() {
    let cases = [
        (
            "ATTACH;ENCODING=BASE64;VALUE=BINARY:SGVsbG8gV29ybGQh",
            json!(["attach", {"encoding": "BASE64"}, "binary", "SGVsbG8gV29ybGQh"]),
        ),
        ("X-NON-SMOKING;VALUE=BOOLEAN:TRUE", json!(["x-non-smoking", {}, "boolean", true])),
        ("ATTENDEE:mailto:kewisch@example.com", json!(["attendee", {}, "cal-address", "mailto:kewisch@example.com"])),
        ("DTSTART;VALUE=DATE:20110517", json!(["dtstart", {}, "date", "2011-05-17"])),
        ("DTSTART:20121017T120000", json!(["dtstart", {}, "date-time", "2012-10-17T12:00:00"])),
        ("DTSTART:20121017T120000Z", json!(["dtstart", {}, "date-time", "2012-10-17T12:00:00Z"])),
        (
            "DTSTART;TZID=Europe/Berlin:20111017T120000",
            json!(["dtstart", {"tzid": "Europe/Berlin"}, "date-time", "2011-10-17T12:00:00"]),
        ),
        ("DURATION:P1D", json!(["duration", {}, "duration", "P1D"])),
        ("X-GRADE;VALUE=FLOAT:1.3", json!(["x-grade", {}, "float", 1.3])),
        ("PERCENT-COMPLETE:42", json!(["percent-complete", {}, "integer", 42])),
        (
            "FREEBUSY;FBTYPE=FREE:19970308T160000Z/P1D",
            json!(["freebusy", {"fbtype": "FREE"}, "period", ["1997-03-08T16:00:00Z", "P1D"]]),
        ),
        (
            "FREEBUSY:19970308T160000Z/19970308T170000Z,19970309T100000Z/PT1H",
            json!([
                "freebusy",
                {},
                "period",
                ["1997-03-08T16:00:00Z", "1997-03-08T17:00:00Z"],
                ["1997-03-09T10:00:00Z", "PT1H"]
            ]),
        ),
        (
            "RRULE:FREQ=MONTHLY;BYDAY=MO,TU,WE,TH,FR;BYSETPOS=-1",
            json!(["rrule", {}, "recur",
            {"freq": "MONTHLY", "byday": ["MO", "TU", "WE", "TH", "FR"], "bysetpos": -1}]),
        ),
        (
            "RRULE:FREQ=WEEKLY;UNTIL=20261124T100000Z;INTERVAL=2;WKST=SU",
            json!(["rrule", {}, "recur",
            {"freq": "WEEKLY", "until": "2026-11-24T10:00:00Z", "interval": 2, "wkst": "SU"}]),
        ),
        (
            "EXRULE:FREQ=YEARLY;UNTIL=20261124;BYMONTHDAY=1,-1",
            json!(["exrule", {}, "recur",
            {"freq": "YEARLY", "until": "2026-11-24", "bymonthday": [1, -1]}]),
        ),
        ("COMMENT:hello\\, world", json!(["comment", {}, "text", "hello, world"])),
        ("X-TIME-LOCAL;VALUE=TIME:123000", json!(["x-time-local", {}, "time", "12:30:00"])),
        ("X-TIME-UTC;VALUE=TIME:123000Z", json!(["x-time-utc", {}, "time", "12:30:00Z"])),
        (
            "TZURL:http://example.org/tz/Europe-Berlin.ics",
            json!(["tzurl", {}, "uri", "http://example.org/tz/Europe-Berlin.ics"]),
        ),
        ("TZOFFSETFROM:-0500", json!(["tzoffsetfrom", {}, "utc-offset", "-05:00"])),
        ("TZOFFSETTO:+1245", json!(["tzoffsetto", {}, "utc-offset", "+12:45"])),
        ("CATEGORIES:multi,valued\\,text", json!(["categories", {}, "text", "multi", "valued,text"])),
        (
            "EXDATE:20261124T100000Z,20261201T100000Z",
            json!(["exdate", {}, "date-time", "2026-11-24T10:00:00Z", "2026-12-01T10:00:00Z"]),
        ),
        ("RDATE;VALUE=DATE:20261124,20261125", json!(["rdate", {}, "date", "2026-11-24", "2026-11-25"])),
        ("GEO:37.386013;-122.082932", json!(["geo", {}, "float", [37.386013, -122.082932]])),
        ("REQUEST-STATUS:2.0;Success", json!(["request-status", {}, "text", ["2.0", "Success"]])),
        (
            "REQUEST-STATUS:3.7;Invalid Calendar User;ATTENDEE:mailto:jsmith@example.org",
            json!([
                "request-status",
                {},
                "text",
                ["3.7", "Invalid Calendar User", "ATTENDEE:mailto:jsmith@example.org"]
            ]),
        ),
        (
            "ATTENDEE;DELEGATED-TO=\"mailto:jdoe@example.com\",\"mailto:jqpublic@example.com\":mailto:jsmith@example.com",
            json!(["attendee", {"delegated-to": ["mailto:jdoe@example.com", "mailto:jqpublic@example.com"]}, "cal-address", "mailto:jsmith@example.com"]),
        ),
        ("TRIGGER;VALUE=DATE-TIME:20261124T090000Z", json!(["trigger", {}, "date-time", "2026-11-24T09:00:00Z"])),
        ("TRIGGER;RELATED=END:-PT15M", json!(["trigger", {"related": "END"}, "duration", "-PT15M"])),
        // §5: unknown properties keep the raw value (escapes included).
        ("X-COMPLEX-NUMBER:2.3+4.5i\\,x", json!(["x-complex-number", {}, "unknown", "2.3+4.5i\\,x"])),
        ("X-WR-CALNAME;X-PARAM=a:Work; stuff", json!(["x-wr-calname", {"x-param": "a"}, "unknown", "Work; stuff"])),
    ];
    for (text, expected) in cases {
        assert_eq!(prop(text), expected, "{text}");
        // And back: the same content line (parameter order aside, VALUE first).
        assert_eq!(prop(&line(expected.clone())), expected, "{text}");
    }
    assert_eq!(line(json!(["dtstart", {}, "date", "2011-05-17"])), "DTSTART;VALUE=DATE:20110517");
    assert_eq!(line(json!(["x-grade", {}, "float", 1.3])), "X-GRADE;VALUE=FLOAT:1.3");
    assert_eq!(line(json!(["x-complex-number", {}, "unknown", "2.3+4.5i\\,x"])), "X-COMPLEX-NUMBER:2.3+4.5i\\,x");
    assert_eq!(line(json!(["geo", {}, "float", [37.386013, -122.082932]])), "GEO:37.386013;-122.082932");
    assert_eq!(line(json!(["attach", {}, "binary", "AAAA"])), "ATTACH;VALUE=BINARY;ENCODING=BASE64:AAAA");
    assert_eq!(line(json!(["comment", {}, "text", "a;b,c\\d\ne"])), "COMMENT:a\\;b\\,c\\\\d\\ne");
    assert_eq!(line(json!(["x-bool", {}, "boolean", false])), "X-BOOL;VALUE=BOOLEAN:FALSE");
}
