//! TZIDs as real clients write them (issue 14): vendor registry prefixes,
//! Windows names, IANA backward links — one resolver for every path — and which
//! rules win when an object's VTIMEZONE disagrees with the tz database.

mod common;
use agora_ical::TzSpec;
use common::{at, calendar, local, parse, starts, utc, vevent};

fn zone_name(tzid: &str) -> Option<String> {
    TzSpec::named(tzid).and_then(|z| z.name().map(str::to_owned))
}

#[test]
fn vendor_prefixes_resolve_to_the_iana_zone() {
    for (tzid, iana) in [
        ("/freeassociation.sourceforge.net/Europe/Paris", "Europe/Paris"),
        ("/freeassociation.sourceforge.net/Tzfile/Europe/Paris", "Europe/Paris"),
        ("/freeassociation.sourceforge.net/America/Argentina/Buenos_Aires", "America/Argentina/Buenos_Aires"),
        ("/freeassociation.sourceforge.net/Tzfile/America/Indiana/Indianapolis", "America/Indiana/Indianapolis"),
        ("/softwarestudio.org/Olson_20011030_5/America/Chicago", "America/Chicago"),
        ("/mozilla.org/20050126_1/Europe/Berlin", "Europe/Berlin"),
        ("/mozilla.org/20070129_1/America/Argentina/Cordoba", "America/Argentina/Cordoba"),
        ("/citadel.org/20190914_1/Asia/Tokyo", "Asia/Tokyo"),
        ("/softwarestudio.org/Tzfile/SystemV/EST5EDT", "EST5EDT"),
        ("/example.com/registry/2024a/Australia/Lord_Howe", "Australia/Lord_Howe"),
    ] {
        assert_eq!(zone_name(tzid).as_deref(), Some(iana), "{tzid}");
    }
}

#[test]
fn windows_names_resolve() {
    for (tzid, iana) in [
        ("W. Europe Standard Time", "Europe/Berlin"),
        ("Romance Standard Time", "Europe/Paris"),
        ("Eastern Standard Time", "America/New_York"),
        ("GMT Standard Time", "Europe/London"),
        ("(UTC+01:00) Amsterdam, Berlin, Bern, Rome, Stockholm, Vienna", "Europe/Berlin"),
    ] {
        assert_eq!(zone_name(tzid).as_deref(), Some(iana), "{tzid}");
    }
}

#[test]
fn iana_links_and_case_resolve() {
    for (tzid, iana) in [
        ("US/Eastern", "US/Eastern"),
        ("Asia/Calcutta", "Asia/Calcutta"),
        ("Brazil/East", "Brazil/East"),
        ("europe/paris", "Europe/Paris"),
    ] {
        assert_eq!(zone_name(tzid).as_deref(), Some(iana), "{tzid}");
    }
    // A link means its target's rules.
    let eastern = TzSpec::named("US/Eastern").unwrap();
    assert_eq!(eastern.offset_at(utc("20260701T120000Z")), -4 * 3600);
    assert_eq!(TzSpec::named("Asia/Calcutta").unwrap().offset_at(utc("20260101T000000Z")), 19_800);
}

/// Python's icalendar writes a datetime with a fixed offset as `TZID=UTC+01:00` and no
/// VTIMEZONE (python caldav does so by default); the offset is east of UTC as written.
#[test]
fn fixed_offset_names_resolve() {
    let at = utc("20260701T120000Z");
    for (tzid, offset) in [
        ("UTC+01:00", 3600),
        ("UTC-05:00", -5 * 3600),
        ("GMT+1", 3600),
        ("utc+0530", 19_800),
        ("UTC+00:00", 0),
        ("GMT-09:30", -(9 * 3600 + 1800)),
    ] {
        assert_eq!(TzSpec::named(tzid).map(|z| z.offset_at(at)), Some(offset), "{tzid}");
    }
    // The IANA names keep their POSIX sign: Etc/GMT+1 is one hour WEST.
    assert_eq!(TzSpec::named("Etc/GMT+1").map(|z| z.offset_at(at)), Some(-3600));
    for bad in ["UTC+", "UTC+1:5", "UTC+25:00", "UTC+01:60", "UTC01:00", "UTC+123", "GMT+01:00x"] {
        assert!(TzSpec::named(bad).is_none(), "{bad}");
    }
}

#[test]
fn unknown_names_do_not_resolve() {
    for tzid in ["", "Mars/Olympus_Mons", "/vendor/Nowhere", "Customized Time Zone"] {
        assert!(TzSpec::named(tzid).is_none(), "{tzid}");
    }
}

/// Issue 14: Evolution wrote the moved occurrence's RECURRENCE-ID with libical's
/// prefix and no VTIMEZONE; it was read as UTC, so it did not replace the 10:00
/// Paris instance and the occurrence appeared twice.
#[test]
fn libical_prefixed_recurrence_id_replaces_its_instance() {
    let tz = "/freeassociation.sourceforge.net/Europe/Paris";
    let master = vevent(&[
        &format!("DTSTART;TZID={tz}:20261124T100000"),
        &format!("DTEND;TZID={tz}:20261124T110000"),
        "RRULE:FREQ=WEEKLY;COUNT=4",
    ]);
    let moved = vevent(&[
        &format!("RECURRENCE-ID;TZID={tz}:20261201T100000"),
        &format!("DTSTART;TZID={tz}:20261202T140000"),
        &format!("DTEND;TZID={tz}:20261202T150000"),
    ]);
    let obj = parse(&calendar(&format!("{master}{moved}")));
    assert!(obj.unresolved_tzids().is_empty());
    let got = starts(&obj, "20261101T000000", "20270101T000000", "Europe/Paris");
    assert_eq!(got, ["20261124T100000", "20261202T140000", "20261208T100000", "20261215T100000"]);
}

/// A VTIMEZONE for `Brazil/East` that still observes DST (as written before
/// Brazil abolished it in 2019). Decision (docs/decisions.md): the IANA rules of
/// the zone it names win over its observances.
const OUTDATED_BRAZIL: &str = "BEGIN:VTIMEZONE\r\nTZID:Brazil/East\r\n\
BEGIN:STANDARD\r\nDTSTART:20080217T000000\r\nTZOFFSETFROM:-0200\r\nTZOFFSETTO:-0300\r\n\
RRULE:FREQ=YEARLY;BYMONTH=2;BYDAY=3SU\r\nEND:STANDARD\r\n\
BEGIN:DAYLIGHT\r\nDTSTART:20081019T000000\r\nTZOFFSETFROM:-0300\r\nTZOFFSETTO:-0200\r\n\
RRULE:FREQ=YEARLY;BYMONTH=10;BYDAY=3SU\r\nEND:DAYLIGHT\r\nEND:VTIMEZONE\r\n";

#[test]
fn outdated_vtimezone_of_a_known_zone_yields_to_the_tz_database() {
    let text = calendar(&format!(
        "{OUTDATED_BRAZIL}{}",
        vevent(&["DTSTART;TZID=Brazil/East:20260115T100000", "DTEND;TZID=Brazil/East:20260115T110000"])
    ));
    let obj = parse(&text);
    let inst = common::instances(&obj, "20260101T000000", "20260201T000000", "UTC");
    assert_eq!(inst.len(), 1);
    // 10:00 in São Paulo is 13:00Z (no DST since 2019), not 12:00Z as the VTIMEZONE says.
    assert_eq!(local(inst[0].start, "UTC"), "20260115T130000");
    assert_eq!(inst[0].start, at("20260115T100000", "America/Sao_Paulo"));
    // The same object under an unknown TZID is read by its own rules.
    let own = text.replace("Brazil/East", "Old Brasilia");
    let inst = common::instances(&parse(&own), "20260101T000000", "20260201T000000", "UTC");
    assert_eq!(local(inst[0].start, "UTC"), "20260115T120000");
}

#[test]
fn x_lic_location_names_the_zone_of_a_vtimezone() {
    let vtimezone = "BEGIN:VTIMEZONE\r\nTZID:/freeassociation.sourceforge.net/Tzfile/Europe/Paris\r\n\
        X-LIC-LOCATION:Europe/Paris\r\nBEGIN:STANDARD\r\nDTSTART:19700101T000000\r\nTZOFFSETFROM:+0100\r\n\
        TZOFFSETTO:+0100\r\nEND:STANDARD\r\nEND:VTIMEZONE\r\n";
    let obj = parse(&calendar(&format!(
        "{vtimezone}{}",
        vevent(&["DTSTART;TZID=/freeassociation.sourceforge.net/Tzfile/Europe/Paris:20260715T100000"])
    )));
    // Summer time from the tz database, although the truncated VTIMEZONE has none.
    let inst = common::instances(&obj, "20260701T000000", "20260801T000000", "UTC");
    assert_eq!(local(inst[0].start, "UTC"), "20260715T080000");
}
