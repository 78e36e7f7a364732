//! Realistic objects: text → JSON → text → JSON gives the same JSON, the
//! regenerated text is stable, folded at 75 octets, and still valid.

use serde_json::{Value, json};

use super::*;
use crate::{CalendarObject, vcard::parse_vcard};

const RECURRING: &str = "BEGIN:VCALENDAR\nVERSION:2.0\nPRODID:-//Agora//Test//EN\nBEGIN:VTIMEZONE\nTZID:Europe/Zurich\n\
BEGIN:STANDARD\nDTSTART:19701025T030000\nRRULE:FREQ=YEARLY;BYMONTH=10;BYDAY=-1SU\nTZOFFSETFROM:+0200\n\
TZOFFSETTO:+0100\nTZNAME:CET\nEND:STANDARD\nBEGIN:DAYLIGHT\nDTSTART:19700329T020000\n\
RRULE:FREQ=YEARLY;BYMONTH=3;BYDAY=-1SU\nTZOFFSETFROM:+0100\nTZOFFSETTO:+0200\nTZNAME:CEST\nEND:DAYLIGHT\n\
END:VTIMEZONE\nBEGIN:VEVENT\nUID:weekly-1@agora.test\nDTSTAMP:20261101T080000Z\n\
DTSTART;TZID=Europe/Zurich:20261102T100000\nDTEND;TZID=Europe/Zurich:20261102T110000\n\
RRULE:FREQ=WEEKLY;BYDAY=MO,WE;UNTIL=20270301T090000Z\n\
EXDATE;TZID=Europe/Zurich:20261111T100000,20261124T100000\nSUMMARY:Équipe — réunion hebdo\n\
DESCRIPTION:Ordre du jour: 1) budget\\, 2) planning\\; notes\\nLigne deux avec des accents éàü et un texte assez long pour être plié 日本語\n\
ORGANIZER;CN=\"Martin, Anne\":mailto:anne@agora.test\n\
ATTENDEE;CN=\"Dupont, Jean\";ROLE=REQ-PARTICIPANT;PARTSTAT=NEEDS-ACTION;RSVP=TRUE:mailto:jean@agora.test\n\
ATTENDEE;CUTYPE=ROOM;CN=Salle 3:mailto:room3@agora.test\nCATEGORIES:Travail,Équipe\nSEQUENCE:2\nCLASS:PUBLIC\n\
GEO:46.5197;6.6323\nATTACH;FMTTYPE=application/pdf:https://files.agora.test/agenda.pdf\n\
X-MOZ-GENERATION:3\nX-APPLE-STRUCTURED-LOCATION;VALUE=URI;X-ADDRESS=\"Rue 1, Lausanne\";X-TITLE=Salle 3:geo:46.5,6.6\n\
X-CUSTOM;X-PARAM=\"caret ^ and ^'quote^' and ^nnewline\":raw\\;value\nBEGIN:VALARM\nACTION:DISPLAY\n\
DESCRIPTION:Rappel\nTRIGGER;RELATED=START:-PT15M\nEND:VALARM\nEND:VEVENT\nBEGIN:VEVENT\nUID:weekly-1@agora.test\n\
DTSTAMP:20261101T080000Z\nRECURRENCE-ID;TZID=Europe/Zurich:20261104T100000\n\
DTSTART;TZID=Europe/Zurich:20261104T140000\nDTEND;TZID=Europe/Zurich:20261104T150000\nSUMMARY:Déplacée\n\
END:VEVENT\nEND:VCALENDAR\n";

const TODO: &str = "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//Agora//Test//EN\r\nBEGIN:VTODO\r\nUID:todo-7@agora.test\r\n\
DTSTAMP:20261101T080000Z\r\nCREATED:20261020T120000Z\r\nDTSTART;VALUE=DATE:20261120\r\nDUE;VALUE=DATE:20261124\r\n\
SUMMARY:Rendre le rapport\r\nPERCENT-COMPLETE:40\r\nPRIORITY:1\r\nSTATUS:IN-PROCESS\r\n\
RELATED-TO;RELTYPE=PARENT:todo-1@agora.test\r\nRESOURCES:Projecteur,Salle\r\n\
RDATE;VALUE=PERIOD:20261201T090000Z/20261201T100000Z,20261202T090000Z/PT1H\r\nBEGIN:VALARM\r\nACTION:AUDIO\r\n\
TRIGGER;VALUE=DATE-TIME:20261123T080000Z\r\nREPEAT:2\r\nDURATION:PT5M\r\nEND:VALARM\r\nEND:VTODO\r\nEND:VCALENDAR\r\n";

const APPLE: &str = "BEGIN:VCARD\r\nVERSION:3.0\r\nPRODID:-//Apple Inc.//macOS 14.2//EN\r\nN:Müller;Anna;Maria;Dr.;\r\n\
FN:Dr. Anna Maria Müller\r\nNICKNAME:Anni,Mia\r\nORG:Agora AG;Entwicklung\r\nTITLE:Leiterin\\, Team\r\n\
item1.EMAIL;type=INTERNET;type=pref:anna@agora.test\r\nitem1.X-ABLabel:_$!<Other>!$_\r\n\
item2.TEL:+41 44 000 00 00\r\nitem2.X-ABLabel:Büro\r\nitem3.X-ABRELATEDNAMES;type=pref:Max\r\n\
item3.X-ABLabel:_$!<Spouse>!$_\r\nitem4.URL;type=pref:https://agora.test/~anna\r\nitem4.X-ABLabel:_$!<HomePage>!$_\r\n\
NOTE:Zeile eins\\nZeile zwei\\; mit Semikolon\r\nBDAY:1980-02-29\r\n\
PHOTO;ENCODING=b;TYPE=JPEG:/9j/4AAQSkZJRgABAQAAAQABAAD/2wBDAAgGBgcGBQgHBwcJCQgKDBQNDAsLDBkSEw8UHRofHh0aHBwgJC4n\r\n ICIsIxwcKDcpLDAxNDQ0Hyc5PTgyPC4zNDL/wAALCAABAAEBAREA\r\n\
X-ABUID:0A1B2C3D-4E5F:ABPerson\r\nUID:0A1B2C3D-4E5F-6789-ABCD-EF0123456789\r\nREV:2026-11-01T08:00:00Z\r\nEND:VCARD\r\n";

const GROUP: &str = "BEGIN:VCARD\nVERSION:4.0\nKIND:group\nFN:Équipe Agora\nUID:urn:uuid:7f1c9b4e-1111-4a2b-9c3d-000000000001\n\
MEMBER:urn:uuid:03a0e51f-d1aa-4385-8a53-e29025acd8af\nMEMBER:mailto:subscriber1@agora.test\n\
CLIENTPIDMAP:1;urn:uuid:3df403f4-5924-4bb7-b077-3c711d9eb34b\nEMAIL;PID=1.1;TYPE=work:team@agora.test\n\
NOTE;LANGUAGE=fr;ALTID=1:L'équipe\nNOTE;LANGUAGE=de;ALTID=1:Das Team\nX-SOCIALPROFILE;TYPE=\"mastodon\":https://social.test/@agora\n\
REV:20261101T080000Z\nEND:VCARD\n";

/// Checks CRLF line ends and ≤ 75-octet lines.
fn assert_folded(text: &str) {
    let body = text.strip_suffix("\r\n").expect("ends with CRLF");
    for l in body.split("\r\n") {
        assert!(l.len() <= 75 && !l.contains(['\r', '\n']), "bad line {l:?}");
    }
}

fn roundtrip(
    text: &str,
    to: fn(&str) -> Result<Value, JsonError>,
    from: fn(&Value) -> Result<String, JsonError>,
) -> (Value, String) {
    let j1 = to(text).unwrap();
    let t2 = from(&j1).unwrap();
    assert_folded(&t2);
    let j2 = to(&t2).unwrap();
    assert_eq!(j1, j2, "JSON changed through\n{t2}");
    assert_eq!(from(&j2).unwrap(), t2, "regenerated text is not stable");
    (j1, t2)
}

#[test]
fn recurring_event_round_trips() {
    let (j, text) = roundtrip(RECURRING, icalendar_to_jcal, jcal_to_icalendar);
    let master = &j[2][1][1];
    assert_eq!(master[2], json!(["dtstart", {"tzid": "Europe/Zurich"}, "date-time", "2026-11-02T10:00:00"]));
    assert_eq!(
        master[4],
        json!(["rrule", {}, "recur", {"freq": "WEEKLY", "byday": ["MO", "WE"], "until": "2027-03-01T09:00:00Z"}])
    );
    assert_eq!(
        master[5],
        json!(["exdate", {"tzid": "Europe/Zurich"}, "date-time", "2026-11-11T10:00:00", "2026-11-24T10:00:00"])
    );
    assert_eq!(
        master[7][3],
        "Ordre du jour: 1) budget, 2) planning; notes\nLigne deux avec des accents éàü et un texte assez long pour être plié 日本語"
    );
    assert_eq!(
        master[9][1],
        json!({"cn": "Dupont, Jean", "role": "REQ-PARTICIPANT", "partstat": "NEEDS-ACTION", "rsvp": "TRUE"})
    );
    assert_eq!(master[11], json!(["categories", {}, "text", "Travail", "Équipe"]));
    assert_eq!(master[14], json!(["geo", {}, "float", [46.5197, 6.6323]]));
    assert_eq!(master[16], json!(["x-moz-generation", {}, "unknown", "3"]));
    assert_eq!(
        master[17],
        json!(["x-apple-structured-location", {"x-address": "Rue 1, Lausanne", "x-title": "Salle 3"}, "uri", "geo:46.5,6.6"])
    );
    assert_eq!(
        master[18],
        json!(["x-custom", {"x-param": "caret ^ and \"quote\" and \nnewline"}, "unknown", "raw\\;value"])
    );
    assert_eq!(
        j[2][1][2][0],
        json!(["valarm", [
        ["action", {}, "text", "DISPLAY"], ["description", {}, "text", "Rappel"], ["trigger", {"related": "START"}, "duration", "-PT15M"]
    ], []])
    );
    assert!(text.contains("ATTENDEE;CN=\"Dupont, Jean\";"), "{text}");
    assert!(text.contains("X-CUSTOM;X-PARAM=caret ^^ and ^'quote^' and ^nnewline:raw\\;value\r\n"), "{text}");
    assert!(text.contains("X-APPLE-STRUCTURED-LOCATION;VALUE=URI;"), "{text}");
    let obj = CalendarObject::parse(text.as_bytes()).expect("valid iCalendar");
    assert_eq!(obj.uid(), "weekly-1@agora.test");
}

#[test]
fn todo_round_trips() {
    let (j, text) = roundtrip(TODO, icalendar_to_jcal, jcal_to_icalendar);
    let todo = &j[2][0][1];
    assert_eq!(todo[4], json!(["due", {}, "date", "2026-11-24"]));
    assert_eq!(todo[6], json!(["percent-complete", {}, "integer", 40]));
    assert_eq!(todo[10], json!(["resources", {}, "text", "Projecteur", "Salle"]));
    assert_eq!(
        todo[11],
        json!([
            "rdate",
            {},
            "period",
            ["2026-12-01T09:00:00Z", "2026-12-01T10:00:00Z"],
            ["2026-12-02T09:00:00Z", "PT1H"]
        ])
    );
    assert_eq!(j[2][0][2][0][1][1], json!(["trigger", {}, "date-time", "2026-11-23T08:00:00Z"]));
    assert!(text.contains("\r\nDUE;VALUE=DATE:20261124\r\n") && text.contains("\r\nREPEAT:2\r\n"));
    CalendarObject::parse(text.as_bytes()).expect("valid iCalendar");
}

#[test]
fn freebusy_reply_and_stream_round_trip() {
    let reply = "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:x\r\nMETHOD:REPLY\r\nBEGIN:VFREEBUSY\r\nUID:fb-1\r\n\
DTSTAMP:20261101T080000Z\r\nFREEBUSY;FBTYPE=BUSY-TENTATIVE:20261124T090000Z/PT1H,20261124T140000Z/20261124T150000Z\r\n\
REQUEST-STATUS:2.8;Success\\, repeating event ignored;RRULE:FREQ=DAILY\r\nEND:VFREEBUSY\r\nEND:VCALENDAR\r\n";
    let (j, _) = roundtrip(reply, icalendar_to_jcal, jcal_to_icalendar);
    assert_eq!(
        j[2][0][1][3],
        json!(["request-status", {}, "text", ["2.8", "Success, repeating event ignored", "RRULE:FREQ=DAILY"]])
    );
    let (stream, _) = roundtrip(&format!("{TODO}{reply}"), icalendar_to_jcal, jcal_to_icalendar);
    assert_eq!(stream.as_array().map(Vec::len), Some(2));
}

#[test]
fn vcards_round_trip() {
    let (j, text) = roundtrip(APPLE, vcard_to_jcard, jcard_to_vcard);
    let props = j[1].as_array().unwrap();
    assert_eq!(props[0], json!(["version", {}, "text", "4.0"]));
    assert_eq!(props[2], json!(["n", {}, "text", ["Müller", "Anna", "Maria", "Dr.", ""]]));
    assert_eq!(props[4], json!(["nickname", {}, "text", "Anni", "Mia"]));
    assert_eq!(props[7], json!(["email", {"group": "item1", "type": ["INTERNET", "pref"]}, "text", "anna@agora.test"]));
    assert_eq!(props[10], json!(["x-ablabel", {"group": "item2"}, "unknown", "Büro"]));
    assert_eq!(props[15], json!(["note", {}, "text", "Zeile eins\nZeile zwei; mit Semikolon"]));
    assert_eq!(props[16], json!(["bday", {}, "date-and-or-time", "1980-02-29"]));
    assert!(props[17][3].as_str().unwrap().starts_with("data:image/jpeg;base64,/9j/4AAQ"));
    assert!(!props[17][3].as_str().unwrap().contains(' '));
    assert_eq!(props[18], json!(["x-abuid", {}, "unknown", "0A1B2C3D-4E5F:ABPerson"]));
    assert!(text.contains("\r\nitem3.X-ABRELATEDNAMES;TYPE=pref:Max\r\n"), "{text}");
    assert_eq!(parse_vcard(text.as_bytes()).expect("valid vCard").uid, "0A1B2C3D-4E5F-6789-ABCD-EF0123456789");

    let (j, text) = roundtrip(GROUP, vcard_to_jcard, jcard_to_vcard);
    let props = j[1].as_array().unwrap();
    assert_eq!(props[1], json!(["kind", {}, "text", "group"]));
    assert_eq!(props[4], json!(["member", {}, "uri", "urn:uuid:03a0e51f-d1aa-4385-8a53-e29025acd8af"]));
    assert_eq!(props[6], json!(["clientpidmap", {}, "text", ["1", "urn:uuid:3df403f4-5924-4bb7-b077-3c711d9eb34b"]]));
    assert_eq!(props[8], json!(["note", {"language": "fr", "altid": "1"}, "text", "L'équipe"]));
    assert_eq!(props[10], json!(["x-socialprofile", {"type": "mastodon"}, "unknown", "https://social.test/@agora"]));
    assert!(text.contains("\r\nKIND:group\r\n") && text.contains("\r\nREV:20261101T080000Z\r\n"));
    parse_vcard(text.as_bytes()).expect("valid vCard");
}

#[test]
fn ical_errors() {
    for bad in [
        "BEGIN:VCARD\r\nEND:VCARD\r\n",
        "BEGIN:VCALENDAR\r\nBEGIN:VEVENT\r\nEND:VTODO\r\nEND:VCALENDAR\r\n",
        "BEGIN:VCALENDAR\r\nEND:VCALENDAR\r\nEND:VCALENDAR\r\n",
        "BEGIN:VCALENDAR\r\nPRIORITY:high\r\nEND:VCALENDAR\r\n",
        "BEGIN:VCALENDAR\r\nRRULE:COUNT=3\r\nEND:VCALENDAR\r\n",
        "BEGIN:VCALENDAR\r\nGEO:1;north\r\nEND:VCALENDAR\r\n",
        "BEGIN:VCALENDAR\r\nX-B;VALUE=BOOLEAN:yes\r\nEND:VCALENDAR\r\n",
        "BEGIN:VCALENDAR\r\nX;P=\"open:1\r\nEND:VCALENDAR\r\n",
    ] {
        assert!(icalendar_to_jcal(bad).is_err(), "{bad:?}");
    }
    let e = icalendar_to_jcal("BEGIN:VCALENDAR\r\nPRIORITY:high\r\nEND:VCALENDAR\r\n").unwrap_err();
    assert_eq!(e.to_string(), "property priority: \"high\" is not a valid integer");
    for bad in [
        json!(["vcard", []]),
        json!(["vcalendar", [], [["vevent", []]]]),
        json!(["vcalendar", [["rrule", {}, "recur", {"count": 2}]], []]),
        json!(["vcalendar", [["rrule", {}, "recur", "FREQ=DAILY"]], []]),
        json!(["vcalendar", [["rdate", {}, "period", ["2026-11-24T10:00:00Z"]]], []]),
        json!(["vcalendar", [["x-a", {"b c": "d"}, "text", "x"]], []]),
        json!("vcalendar"),
    ] {
        let e = jcal_to_icalendar(&bad).unwrap_err();
        assert!(!e.to_string().is_empty());
    }
}

#[test]
fn error_messages() {
    let e = icalendar_to_jcal("BEGIN:VCALENDAR\r\nBEGIN:VEVENT\r\n").unwrap_err();
    assert_eq!(e, JsonError::Text { line: 0, message: "VEVENT is not closed".into() });
    assert_eq!(e.to_string(), "VEVENT is not closed");
    let e = jcal_to_icalendar(&json!(["vcalendar", [["x-n", {}, "integer", 1.5]], []])).unwrap_err();
    assert_eq!(e.to_string(), "property x-n: 1.5 is not a valid integer value");
    let e = jcal_to_icalendar(&json!(["vcalendar", [], [["vevent"]]])).unwrap_err();
    assert!(matches!(e, JsonError::Shape(_)) && e.to_string().starts_with("not a jCal/jCard value: "));
}

/// Found by fuzz/fuzz_targets/jcal.rs: `VALUE=BINARY` without `ENCODING` gave
/// jCal without `encoding`, the text written back had `ENCODING=BASE64`, and
/// the jCal of that text had it: the round trip changed the jCal.
#[test]
fn binary_without_encoding_round_trips() {
    let text = "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:x\r\nBEGIN:VEVENT\r\nUID:b\r\n\
        ATTACH;X-A=1;VALUE=BINARY:aGVsbG8=\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n";
    let first = icalendar_to_jcal(text).unwrap();
    let again = icalendar_to_jcal(&jcal_to_icalendar(&first).unwrap()).unwrap();
    assert_eq!(again, first);
    assert_eq!(first[2][0][1][1][1]["encoding"], json!("BASE64"));
}

/// Found by fuzz/fuzz_targets/jcard.rs and jcal.rs: a raw CR (or NUL) inside
/// a line went to JSON as it was and came back as `\n`, or was refused on the
/// way back in a DTSTART: such lines are refused when read.
#[test]
fn control_characters_in_a_line_are_refused() {
    let card = "BEGIN:VCARD\r\nVERSION:4.0\r\nUID:u\r\nNOTE:a\rb\r\nEND:VCARD\r\n";
    assert!(vcard_to_jcard(card).is_err());
    let event =
        "BEGIN:VCALENDAR\r\nBEGIN:VEVENT\r\nUID:u\r\nDTSTART:20260101T10\r0000Z\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n";
    assert!(icalendar_to_jcal(event).is_err());
    assert!(icalendar_to_jcal(&event.replace('\r', "").replace("T10", "T10\0")).is_err());
    assert!(vcard_to_jcard("BEGIN:VCARD\r\nVERSION:4.0\r\nNOTE:tab\tok\r\nEND:VCARD\r\n").is_ok());
}

/// Found by fuzz/fuzz_targets/jcal.rs: an RRULE part whose name is not a name
/// (`BYMON~TH`) went to jCal and was refused on the way back; both directions now
/// refuse it.
#[test]
fn rule_part_with_a_bad_name_is_refused_both_ways() {
    let event = "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:x\r\nBEGIN:VEVENT\r\nUID:u\r\n\
        DTSTART:20260101T100000Z\r\nRRULE:FREQ=YEARLY;BYMON~TH=10\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n";
    let err = icalendar_to_jcal(event).unwrap_err();
    assert!(err.to_string().contains("BYMON~TH") || err.to_string().contains("bymon~th"), "{err}");
    let good = event.replace("BYMON~TH", "BYMONTH");
    let jcal = icalendar_to_jcal(&good).unwrap();
    assert_eq!(icalendar_to_jcal(&jcal_to_icalendar(&jcal).unwrap()).unwrap(), jcal);
}

/// Found by fuzz/fuzz_targets/jcard.rs: a garbled date-and-or-time
/// (`-EMBER:urn:uHOTO;X:group`, a `T` in it) went to jCard as it was and came
/// back without its last `:` (read as a time), so the second round trip changed
/// the card. Values that do not convert exactly are kept as they are both ways.
#[test]
fn garbled_date_value_round_trips() {
    let card = "BEGIN:VCARD\r\nVERSION:4.0\r\nUID:u\r\nFN:a\r\n\
        BDAY:-EMBER:urn:uHOTO;X:group\r\nEND:VCARD\r\n";
    let first = vcard_to_jcard(card).unwrap();
    let back = jcard_to_vcard(&first).unwrap();
    assert!(back.contains("\r\nBDAY:-EMBER:urn:uHOTO;X:group\r\n"), "{back}");
    assert_eq!(vcard_to_jcard(&back).unwrap(), first);
    // A jCard value that is not one the text form gives is written as it is.
    let jcard = json!(["vcard", [["version", {}, "text", "4.0"], ["bday", {}, "date-and-or-time", "x:yTa:b"]]]);
    let text = jcard_to_vcard(&jcard).unwrap();
    assert!(text.contains("\r\nBDAY:x:yTa:b\r\n"), "{text}");
    assert_eq!(jcard_to_vcard(&vcard_to_jcard(&text).unwrap()).unwrap(), text);
    // Real values still convert both ways.
    let real = json!(["vcard", [["version", {}, "text", "4.0"], ["bday", {}, "date-and-or-time", "--04-12T10:22"]]]);
    assert!(jcard_to_vcard(&real).unwrap().contains("\r\nBDAY:--0412T1022\r\n"));
}

/// Found by fuzz/fuzz_targets/jcal.rs and jcard.rs: a utc-offset that is not
/// one (`-0500:`, `+0200ayX:+0100`) lost its `:` on the way back from JSON, so
/// the next jCard read `-0500` as `-05:00`. Such values are kept as they are.
#[test]
fn garbled_utc_offset_round_trips() {
    let card = "BEGIN:VCARD\r\nVERSION:4.0\r\nUID:u\r\nTZ;VALUE=utc-offset:-0500:\r\nEND:VCARD\r\n";
    let first = vcard_to_jcard(card).unwrap();
    let back = jcard_to_vcard(&first).unwrap();
    assert!(back.contains("\r\nTZ;VALUE=utc-offset:-0500:\r\n"), "{back}");
    assert_eq!(vcard_to_jcard(&back).unwrap(), first);
    let event = "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:x\r\nBEGIN:VTIMEZONE\r\nTZID:Z\r\nBEGIN:STANDARD\r\n\
        DTSTART:19701025T030000\r\nTZOFFSETFROM:+0200ayX:+0100\r\nTZOFFSETTO:+0100\r\nEND:STANDARD\r\n\
        END:VTIMEZONE\r\nEND:VCALENDAR\r\n";
    let first = icalendar_to_jcal(event).unwrap();
    let back = jcal_to_icalendar(&first).unwrap();
    assert!(back.contains("\r\nTZOFFSETFROM:+0200ayX:+0100\r\n"), "{back}");
    assert_eq!(icalendar_to_jcal(&back).unwrap(), first);
    // A real offset still converts both ways.
    assert!(first.to_string().contains(r#""tzoffsetto",{},"utc-offset","+01:00""#), "{first}");
    assert!(back.contains("\r\nTZOFFSETTO:+0100\r\n"), "{back}");
}

/// Found by fuzz/fuzz_targets/jcal.rs: `FREQ=WEEKLYayOUNT=5` (a rule part with
/// `=` in its value) went to jCal and was refused on the way back. Also what the
/// same round trips could not keep: a number spelt `05` (now a string, written
/// back as it was) and an upper-case key in jCal (refused, RFC 7265 §3.6.10).
#[test]
fn rule_values_jcal_cannot_carry_back_are_refused() {
    let event = |rule: &str| {
        format!(
            "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:x\r\nBEGIN:VEVENT\r\nUID:u\r\n\
             DTSTART:20260101T100000Z\r\nRRULE:{rule}\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n"
        )
    };
    assert!(icalendar_to_jcal(&event("FREQ=WEEKLYayOUNT=5")).is_err());
    assert!(icalendar_to_jcal(&event("FREQ=WEEKLY;BYDAY=MO,,TU")).is_err());
    let text = event("FREQ=MONTHLY;BYMONTHDAY=05,-0,7");
    let jcal = icalendar_to_jcal(&text).unwrap();
    assert_eq!(jcal[2][0][1][2][3]["bymonthday"], json!(["05", "-0", 7]));
    let back = jcal_to_icalendar(&jcal).unwrap();
    assert!(back.contains("\r\nRRULE:FREQ=MONTHLY;BYMONTHDAY=05,-0,7\r\n"), "{back}");
    let mut upper = jcal.clone();
    upper[2][0][1][2][3]["FREQ"] = json!("DAILY");
    assert!(jcal_to_icalendar(&upper).is_err());
}

/// Found by fuzz/fuzz_targets/jcard.rs: `["uid", {}, "uri", "A"]` was written as
/// `UID:A` (uri is UID's default type), which reads back as text (a UID without
/// a scheme), so the second text gained `VALUE=text`. VALUE is now written when
/// the reader would infer another type.
#[test]
fn value_type_the_reader_would_not_infer_is_written() {
    let jcard =
        json!(["vcard", [["version", {}, "text", "4.0"], ["uid", {}, "uri", "A"], ["tz", {}, "text", "+0100"]]]);
    let text = jcard_to_vcard(&jcard).unwrap();
    assert!(text.contains("\r\nUID;VALUE=uri:A\r\n"), "{text}");
    assert!(text.contains("\r\nTZ;VALUE=text:+0100\r\n"), "{text}");
    assert_eq!(vcard_to_jcard(&text).unwrap(), jcard);
    let usual = json!(["vcard", [["version", {}, "text", "4.0"], ["uid", {}, "uri", "urn:uuid:1"]]]);
    assert!(jcard_to_vcard(&usual).unwrap().contains("\r\nUID:urn:uuid:1\r\n"));
}

/// Found by fuzz/fuzz_targets/jcal.rs: `["dto", {}, "float", [1.5, 2.5]]` (a
/// structured value for a property that has none) was written `DTO;VALUE=FLOAT:1.5;2.5`,
/// which reads back as one bad float. Structured and several values are now
/// written only where the reader reads them back so.
#[test]
fn structured_value_for_a_plain_property_is_refused() {
    let jcal = |prop: Value| {
        json!(["vcalendar", [["version", {}, "text", "2.0"]], [["vevent", [["uid", {}, "text", "u"], prop], []]]])
    };
    assert!(jcal_to_icalendar(&jcal(json!(["dto", {}, "float", [1.5, 2.5]]))).is_err());
    assert!(jcal_to_icalendar(&jcal(json!(["summary", {}, "text", "a", "b"]))).is_err());
    let geo = jcal_to_icalendar(&jcal(json!(["geo", {}, "float", [1.5, 2.5]]))).unwrap();
    assert!(geo.contains("\r\nGEO:1.5;2.5\r\n"), "{geo}");
    let cats = jcal_to_icalendar(&jcal(json!(["categories", {}, "text", "a", "b"]))).unwrap();
    assert!(cats.contains("\r\nCATEGORIES:a,b\r\n"), "{cats}");
}

/// Found by fuzz/fuzz_targets/jcard.rs: a vCard parameter `GROUP` became jCard's
/// `group` parameter and came back as the group prefix (RFC 7095 §3.3.1.2); it is
/// refused.
#[test]
fn group_parameter_is_refused_in_jcard() {
    let card = "BEGIN:VCARD\r\nVERSION:4.0\r\nUID:u\r\nTEL;group=uT.ri:tel:1\r\nEND:VCARD\r\n";
    assert!(vcard_to_jcard(card).unwrap_err().to_string().contains("GROUP"));
    let grouped = "BEGIN:VCARD\r\nVERSION:4.0\r\nUID:u\r\nitem1.TEL:tel:1\r\nEND:VCARD\r\n";
    let jcard = vcard_to_jcard(grouped).unwrap();
    assert_eq!(jcard[1][2][1]["group"], json!("item1"));
}

/// Found by fuzz/fuzz_targets/jcal.rs and jcard.rs: a DEL (U+007F) in a JSON
/// string was written into a line the strict reader then refused. Control
/// characters other than HTAB are refused when writing.
#[test]
fn control_character_from_json_is_refused() {
    let card = json!(["vcard", [["version", {}, "text", "4.0"], ["x-a", {}, "unknown", "a\u{7f}b"]]]);
    assert!(jcard_to_vcard(&card).unwrap_err().to_string().contains("U+007F"));
    let card = json!(["vcard", [["version", {}, "text", "4.0"], ["note", {"x-p": "a\u{1}"}, "text", "n"]]]);
    assert!(jcard_to_vcard(&card).is_err());
    let tab = json!(["vcard", [["version", {}, "text", "4.0"], ["note", {}, "text", "a\tb"]]]);
    assert!(jcard_to_vcard(&tab).is_ok());
}

/// Found by fuzz/fuzz_targets/jcal.rs: `["trigger", {}, "duration", "5PT15M"]`
/// was written `TRIGGER:5PT15M`, which reads back as a date-time (it does not
/// start with `P`). VALUE is now written when the reader would infer another type.
#[test]
fn jcal_value_type_the_reader_would_not_infer_is_written() {
    let jcal = json!([
        "vcalendar",
        [["version", {}, "text", "2.0"]],
        [[
            "vevent",
            [["uid", {}, "text", "u"]],
            [["valarm", [["trigger", {}, "duration", "5PT15M"], ["action", {}, "text", "DISPLAY"]], []]]
        ]]
    ]);
    let text = jcal_to_icalendar(&jcal).unwrap();
    assert!(text.contains("\r\nTRIGGER;VALUE=DURATION:5PT15M\r\n"), "{text}");
    assert_eq!(jcal_to_icalendar(&icalendar_to_jcal(&text).unwrap()).unwrap(), text);
    let usual = jcal.to_string().replace("5PT15M", "-PT15M");
    let text = jcal_to_icalendar(&serde_json::from_str(&usual).unwrap()).unwrap();
    assert!(text.contains("\r\nTRIGGER:-PT15M\r\n"), "{text}");
}

/// Found by fuzz/fuzz_targets/jcal.rs and jcard.rs: a string for a float
/// (`["geo", {}, "float", ["r", 1]]`) was written as it was and refused when read
/// back; a vCard 3.0 PHOTO whose TYPE held a line break (`^n`) went into the
/// `data:` URI and could not be written back.
#[test]
fn values_that_cannot_be_read_back_are_not_written() {
    let jcal = json!([
        "vcalendar",
        [["version", {}, "text", "2.0"]],
        [["vevent", [["uid", {}, "text", "u"], ["geo", {}, "float", ["r", 1]]], []]]
    ]);
    assert!(jcal_to_icalendar(&jcal).is_err());
    let card = "BEGIN:VCARD\r\nVERSION:3.0\r\nUID:u\r\nPHOTO;ENCODING=b;TYPE=a^nb:aGk=\r\nEND:VCARD\r\n";
    let jcard = vcard_to_jcard(card).unwrap();
    assert_eq!(jcard[1][2][3], json!("data:application/octet-stream;base64,aGk="));
    assert!(jcard_to_vcard(&jcard).is_ok());
}

/// Found by fuzz/fuzz_targets/jcal.rs: `["geo", {}, "unknown", "r"]` was written
/// `GEO:r`, which reads back as a (bad) float. `unknown` for a property with a
/// known type is written with VALUE=UNKNOWN and read back as unknown.
#[test]
fn unknown_type_of_a_known_property_round_trips() {
    let jcal = json!([
        "vcalendar",
        [["version", {}, "text", "2.0"]],
        [["vevent", [["uid", {}, "text", "u"], ["geo", {}, "unknown", "r"], ["x-a", {}, "unknown", "s"]], []]]
    ]);
    let text = jcal_to_icalendar(&jcal).unwrap();
    assert!(text.contains("\r\nGEO;VALUE=UNKNOWN:r\r\nX-A:s\r\n"), "{text}");
    assert_eq!(icalendar_to_jcal(&text).unwrap(), jcal);
}

/// Found by fuzz/fuzz_targets/jcal.rs: `"count": ["TU", "TH"]` was written
/// `COUNT=TU,TH` and refused when read back; jCal is now held to the same rules.
#[test]
fn rule_parts_are_checked_from_jcal_as_from_text() {
    let jcal = |rule: Value| {
        json!([
            "vcalendar",
            [["version", {}, "text", "2.0"]],
            [[
                "vevent",
                [
                    ["uid", {}, "text", "u"],
                    ["dtstart", {}, "date-time", "2026-01-01T10:00:00Z"],
                    ["rrule", {}, "recur", rule]
                ],
                []
            ]]
        ])
    };
    assert!(jcal_to_icalendar(&jcal(json!({"freq": "DAILY", "count": ["TU", "TH"]}))).is_err());
    assert!(jcal_to_icalendar(&jcal(json!({"freq": "DAILY", "interval": "x"}))).is_err());
    assert!(jcal_to_icalendar(&jcal(json!({"freq": "DAILY", "count": 3}))).is_ok());
}
