//! `agora import` on both stores: a calendar export and an address book export
//! land in the named collection, one object per UID; imported meetings invite
//! nobody (no copy, no inbox item for the attendees, no room booking); a second
//! import of the same file updates instead of duplicating; bad input is refused
//! with a clear message and changes nothing.

mod common;

use common::*;

agora_testkit::on_both_stores!(calendar_export_imports_without_scheduling, address_book_export_imports_by_uid);

const CALENDAR: &str = "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//Mozilla.org/NONSGML Mozilla Calendar V1.1//EN\r\n\
BEGIN:VTIMEZONE\r\nTZID:Europe/Paris\r\nBEGIN:STANDARD\r\nDTSTART:19701025T030000\r\nTZOFFSETFROM:+0200\r\n\
TZOFFSETTO:+0100\r\nRRULE:FREQ=YEARLY;BYMONTH=10;BYDAY=-1SU\r\nEND:STANDARD\r\nBEGIN:DAYLIGHT\r\n\
DTSTART:19700329T020000\r\nTZOFFSETFROM:+0100\r\nTZOFFSETTO:+0200\r\nRRULE:FREQ=YEARLY;BYMONTH=3;BYDAY=-1SU\r\n\
END:DAYLIGHT\r\nEND:VTIMEZONE\r\n\
BEGIN:VEVENT\r\nUID:weekly-1\r\nDTSTAMP:20260101T000000Z\r\nDTSTART;TZID=Europe/Paris:20261102T090000\r\n\
DTEND;TZID=Europe/Paris:20261102T100000\r\nRRULE:FREQ=WEEKLY;COUNT=10\r\nSUMMARY:Team meeting\r\n\
ORGANIZER:mailto:alice@example.org\r\nATTENDEE;PARTSTAT=ACCEPTED:mailto:alice@example.org\r\n\
ATTENDEE;PARTSTAT=ACCEPTED:mailto:bob@example.org\r\nATTENDEE;PARTSTAT=ACCEPTED:mailto:room1@example.org\r\n\
END:VEVENT\r\n\
BEGIN:VEVENT\r\nUID:weekly-1\r\nDTSTAMP:20260101T000000Z\r\nRECURRENCE-ID;TZID=Europe/Paris:20261109T090000\r\n\
DTSTART;TZID=Europe/Paris:20261109T140000\r\nDTEND;TZID=Europe/Paris:20261109T150000\r\nSUMMARY:Team meeting (moved)\r\n\
ORGANIZER:mailto:alice@example.org\r\nATTENDEE;PARTSTAT=ACCEPTED:mailto:bob@example.org\r\nEND:VEVENT\r\n\
BEGIN:VEVENT\r\nUID:lunch-2\r\nDTSTAMP:20260101T000000Z\r\nDTSTART:20261105T120000Z\r\nDTEND:20261105T130000Z\r\n\
SUMMARY:Lunch\r\nEND:VEVENT\r\n\
BEGIN:VEVENT\r\nDTSTAMP:20260101T000000Z\r\nDTSTART:20261106T120000Z\r\nSUMMARY:No UID\r\nEND:VEVENT\r\n\
BEGIN:VTODO\r\nUID:task-3\r\nDTSTAMP:20260101T000000Z\r\nSUMMARY:A task, not for an events calendar\r\nEND:VTODO\r\n\
END:VCALENDAR\r\n";

fn objects(server: &Server, user: &str, path: &str) -> Vec<String> {
    let body = r#"<C:calendar-query xmlns:D="DAV:" xmlns:C="urn:ietf:params:xml:ns:caldav"><D:prop><C:calendar-data/></D:prop><C:filter><C:comp-filter name="VCALENDAR"/></C:filter></C:calendar-query>"#;
    let (status, xml) = send(server, user, "REPORT", path, "application/xml", body);
    assert_eq!(status, 207, "{xml}");
    xml.split("<C:calendar-data>").skip(1).map(|s| s[..s.find("</C:calendar-data>").unwrap()].to_owned()).collect()
}

fn calendar_export_imports_without_scheduling(backend: Backend) {
    let env = StoreEnv::new(backend);
    let server = Server::start(&env, &[]);
    add_users(&env, &["alice", "bob"]);
    env.cli_ok(&["resource", "add", "room1", "--kind", "room", "--email", "room1@example.org"], None);
    let file = env.dir.path().join("export.ics");
    std::fs::write(&file, CALENDAR).unwrap();
    let out = env.cli(&["import", "calendars/alice/calendar", file.to_str().unwrap()], None);
    let err = String::from_utf8_lossy(&out.stderr).into_owned();
    // Exit 5: imported, but something was left out (and said so).
    assert_eq!(out.status.code(), Some(5), "{err}");
    assert!(err.contains("2 created, 0 updated, 0 unchanged, 1 skipped") && err.contains("skipped task-3"), "{err}");
    let mine = objects(&server, "alice", "/calendars/alice/calendar/");
    assert_eq!(mine.len(), 2, "one object per UID: {mine:?}");
    let series = mine.iter().find(|t| t.contains("UID:weekly-1")).expect("the series");
    assert!(series.contains("RECURRENCE-ID") && series.contains("BEGIN:VTIMEZONE"), "{series}");
    assert!(!series.contains("SCHEDULE-STATUS"), "nothing was sent: {series}");
    // Nobody was invited: no copy, no inbox item, no room booking.
    assert!(objects(&server, "bob", "/calendars/bob/calendar/").is_empty());
    let (status, inbox) = send(
        &server,
        "bob",
        "PROPFIND",
        "/calendars/bob/inbox/",
        "application/xml",
        r#"<D:propfind xmlns:D="DAV:"><D:prop><D:getetag/></D:prop></D:propfind>"#,
    );
    assert_eq!(status, 207);
    assert_eq!(inbox.matches("<D:href>").count(), 1, "bob's inbox holds nothing: {inbox}");
    let fb = request(
        &server,
        "alice",
        "GET",
        "/freebusy/room1?start=20261102T000000Z&end=20261103T000000Z",
        "0",
        "text/plain",
        "",
    );
    let fb = fb.text().unwrap();
    assert!(fb.contains("BEGIN:VFREEBUSY") && !fb.contains("\r\nFREEBUSY"), "the room is not booked: {fb}");
    // The imported meeting is a scheduling object like any other: it has a Schedule-Tag.
    let (status, xml) = send(
        &server,
        "alice",
        "PROPFIND",
        "/calendars/alice/calendar/",
        "application/xml",
        r#"<D:propfind xmlns:D="DAV:" xmlns:C="urn:ietf:params:xml:ns:caldav"><D:prop><C:schedule-tag/></D:prop></D:propfind>"#,
    );
    assert_eq!(status, 207);
    assert_eq!(xml.matches("<C:schedule-tag>").count(), 1, "the meeting has a tag, the lunch none: {xml}");

    // The same file again (from standard input): not duplicated, not even rewritten.
    let out = env.cli(&["import", "calendars/alice/calendar/"], Some(CALENDAR));
    let err = String::from_utf8_lossy(&out.stderr).into_owned();
    assert!(out.status.code() == Some(5) && err.contains("0 created, 0 updated, 2 unchanged, 1 skipped"), "{err}");
    assert_eq!(objects(&server, "alice", "/calendars/alice/calendar/").len(), 2);

    // Refusals: not a calendar file, the wrong kind of collection, no such calendar.
    let out = env.cli(&["import", "calendars/alice/calendar"], Some("hello"));
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("holds no event"), "{out:?}");
    let out = env.cli(&["import", "calendars/alice/inbox"], Some(CALENDAR));
    assert_eq!(out.status.code(), Some(2), "{out:?}");
    let out = env.cli(&["import", "calendars/alice/nope"], Some(CALENDAR));
    assert_eq!(out.status.code(), Some(3), "{out:?}");
    assert_eq!(objects(&server, "alice", "/calendars/alice/calendar/").len(), 2);
}

fn address_book_export_imports_by_uid(backend: Backend) {
    let env = StoreEnv::new(backend);
    let server = Server::start(&env, &[]);
    add_users(&env, &["alice"]);
    let cards = "BEGIN:VCARD\nVERSION:3.0\nFN:Ann Lee\nN:Lee;Ann;;;\nUID:ann-1\nEMAIL:ann@example.net\nEND:VCARD\n\
                 BEGIN:VCARD\nVERSION:3.0\nFN:Bob Roy\nN:Roy;Bob;;;\nTEL:+33 1 23 45 67 89\nEND:VCARD\n";
    let out = env.cli(&["import", "addressbooks/alice/contacts"], Some(cards));
    let err = String::from_utf8_lossy(&out.stderr).into_owned();
    assert!(out.status.success(), "{err}");
    assert!(err.contains("2 created, 0 updated, 0 unchanged, 0 skipped"), "{err}");
    let query = r#"<C:addressbook-query xmlns:D="DAV:" xmlns:C="urn:ietf:params:xml:ns:carddav"><D:prop><C:address-data/></D:prop><C:filter/></C:addressbook-query>"#;
    let (status, xml) = send(&server, "alice", "REPORT", "/addressbooks/alice/contacts/", "application/xml", query);
    assert_eq!(status, 207, "{xml}");
    assert!(xml.contains("FN:Ann Lee") && xml.contains("FN:Bob Roy"), "{xml}");
    assert!(xml.contains("UID:agora-import-"), "a card without UID gets one: {xml}");
    let out = env.cli(&["import", "addressbooks/alice/contacts"], Some(cards));
    let err = String::from_utf8_lossy(&out.stderr).into_owned();
    assert!(err.contains("0 created, 0 updated, 2 unchanged"), "{err}");
    // A changed card is updated in place.
    let changed = cards.replace("ann@example.net", "ann@example.com");
    let out = env.cli(&["import", "addressbooks/alice/contacts"], Some(&changed));
    let err = String::from_utf8_lossy(&out.stderr).into_owned();
    assert!(out.status.success() && err.contains("0 created, 1 updated, 1 unchanged"), "{err}");
}
