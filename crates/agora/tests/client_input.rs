//! What a PUT accepts, repairs and refuses, and that what is accepted reads the
//! same on every path (issue 14): byte-order marks, vendor and Windows TZIDs,
//! Apple's `PHOTO;BASE64`, METHOD, bad escapes, non-integers — on both stores.
//! Each check asserts the PUT status and precondition, the stored bytes, the
//! ETag (absent after a repair), and what calendar-query (plain and expand),
//! free/busy and addressbook-query find.

mod common;

use common::*;
use reqwest::Method;

agora_testkit::on_both_stores!(
    bom_calendar_object_is_repaired_and_found_by_every_query,
    bom_vcard_is_repaired_and_found_by_addressbook_query,
    apple_photo_base64_card_is_found_by_addressbook_query,
    libical_tzid_recurrence_id_is_not_read_as_utc,
    windows_and_alias_tzids_are_read_in_their_zone,
    unresolvable_tzid_is_refused,
    fixed_offset_tzid_is_read_as_that_offset,
    outdated_vtimezone_yields_to_the_tz_database,
    method_publish_is_removed_and_itip_methods_refused,
    bad_escapes_non_integers_and_control_characters_are_refused,
);

const CAL: &str = "/calendars/alice/calendar/";
const BOOK: &str = "/addressbooks/alice/contacts/";
const FILES: &str = "/calendars/alice/files/";

struct User {
    server: Server,
    _env: StoreEnv,
}

/// A PUT's answer.
struct Put {
    status: u16,
    etag: Option<String>,
    body: String,
}

impl User {
    fn start(backend: Backend) -> User {
        let env = StoreEnv::new(backend);
        let server = Server::start(&env, &[]);
        add_users(&env, &["alice"]);
        User { server, _env: env }
    }

    fn request(&self, method: &str, path: &str, depth: &str, ct: &str, body: Vec<u8>) -> reqwest::blocking::Response {
        client()
            .request(Method::from_bytes(method.as_bytes()).unwrap(), self.server.url(path))
            .basic_auth("alice", Some(PASSWORD))
            .header("Depth", depth)
            .header("Content-Type", ct)
            .body(body)
            .send()
            .unwrap()
    }

    fn put(&self, path: &str, ct: &str, body: impl Into<Vec<u8>>) -> Put {
        let r = self.request("PUT", path, "0", ct, body.into());
        let etag = r.headers().get("etag").map(|v| v.to_str().unwrap().to_owned());
        Put { status: r.status().as_u16(), etag, body: r.text().unwrap() }
    }

    fn get(&self, path: &str) -> Vec<u8> {
        let r = self.request("GET", path, "0", "text/plain", Vec::new());
        assert_eq!(r.status().as_u16(), 200, "GET {path}");
        r.bytes().unwrap().to_vec()
    }

    /// COPY `from` to `to` (paths), answering the status and body.
    fn copy(&self, from: &str, to: &str) -> (u16, String) {
        let r = client()
            .request(Method::from_bytes(b"COPY").unwrap(), self.server.url(from))
            .basic_auth("alice", Some(PASSWORD))
            .header("Destination", self.server.url(to))
            .send()
            .unwrap();
        (r.status().as_u16(), r.text().unwrap())
    }

    /// A plain WebDAV collection, which stores any bytes (the source of COPYs below).
    fn files(&self) -> &'static str {
        let r = self.request("MKCOL", FILES, "0", "text/plain", Vec::new());
        assert_eq!(r.status().as_u16(), 201);
        FILES
    }

    fn report(&self, path: &str, body: &str) -> String {
        let r = self.request("REPORT", path, "1", "application/xml", body.as_bytes().to_vec());
        let status = r.status().as_u16();
        let text = r.text().unwrap().replace("&#13;", "");
        assert!(status == 207 || status == 200, "REPORT {path}: {status} {text}");
        text
    }
}

fn calendar(uid: &str, lines: &str) -> String {
    format!(
        "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//t//EN\r\nBEGIN:VEVENT\r\nUID:{uid}\r\nDTSTAMP:20260101T000000Z\r\n{lines}END:VEVENT\r\nEND:VCALENDAR\r\n"
    )
}

fn time_query(start: &str, end: &str) -> String {
    format!(
        r#"<c:calendar-query xmlns:d="DAV:" xmlns:c="urn:ietf:params:xml:ns:caldav"><d:prop><d:getetag/></d:prop><c:filter><c:comp-filter name="VCALENDAR"><c:comp-filter name="VEVENT"><c:time-range start="{start}" end="{end}"/></c:comp-filter></c:comp-filter></c:filter></c:calendar-query>"#
    )
}

fn expand_query(start: &str, end: &str) -> String {
    format!(
        r#"<c:calendar-query xmlns:d="DAV:" xmlns:c="urn:ietf:params:xml:ns:caldav"><d:prop><c:calendar-data><c:expand start="{start}" end="{end}"/></c:calendar-data></d:prop><c:filter><c:comp-filter name="VCALENDAR"><c:comp-filter name="VEVENT"><c:time-range start="{start}" end="{end}"/></c:comp-filter></c:comp-filter></c:filter></c:calendar-query>"#
    )
}

fn free_busy(start: &str, end: &str) -> String {
    format!(
        r#"<c:free-busy-query xmlns:c="urn:ietf:params:xml:ns:caldav"><c:time-range start="{start}" end="{end}"/></c:free-busy-query>"#
    )
}

fn card_query(filter: &str) -> String {
    format!(
        r#"<card:addressbook-query xmlns:d="DAV:" xmlns:card="urn:ietf:params:xml:ns:carddav"><d:prop><d:getetag/></d:prop><card:filter test="anyof">{filter}</card:filter></card:addressbook-query>"#
    )
}

fn text_match(prop: &str, text: &str) -> String {
    format!(
        r#"<card:prop-filter name="{prop}"><card:text-match collation="i;unicode-casemap" match-type="contains">{text}</card:text-match></card:prop-filter>"#
    )
}

fn hrefs(body: &str) -> Vec<String> {
    let mut out: Vec<String> = body
        .split("<D:href>")
        .skip(1)
        .map(|s| s[..s.find("</D:href>").unwrap()].rsplit('/').next().unwrap().to_owned())
        .collect();
    out.sort();
    out
}

fn assert_refused(put: &Put, condition: &str) {
    assert_eq!(put.status, 403, "{}", put.body);
    assert!(put.body.contains(&format!("<C:{condition}/>")), "{condition}: {}", put.body);
}

const BOM: &str = "\u{feff}";

fn bom_calendar_object_is_repaired_and_found_by_every_query(backend: Backend) {
    let u = User::start(backend);
    let text = calendar("bom-1", "DTSTART:20261201T100000Z\r\nDTEND:20261201T110000Z\r\nSUMMARY:Avec BOM\r\n");
    let put = u.put(&format!("{CAL}bom.ics"), "text/calendar", format!("{BOM}{text}"));
    assert_eq!(put.status, 201, "{}", put.body);
    assert_eq!(put.etag, None, "the stored bytes are not the ones sent: no ETag");
    assert_eq!(u.get(&format!("{CAL}bom.ics")), text.as_bytes(), "stored without the byte-order mark");
    assert_eq!(hrefs(&u.report(CAL, &time_query("20261201T000000Z", "20261202T000000Z"))), ["bom.ics"]);
    let expanded = u.report(CAL, &expand_query("20261201T000000Z", "20261202T000000Z"));
    assert!(expanded.contains("UID:bom-1") && expanded.contains("DTSTART:20261201T100000Z"), "{expanded}");
    let fb = u.report(CAL, &free_busy("20261201T000000Z", "20261202T000000Z"));
    assert!(fb.contains("20261201T100000Z/20261201T110000Z"), "{fb}");
    // COPY into a calendar passes the same intake: repaired on the way in.
    let files = u.files();
    let sent = format!("{BOM}{}", text.replace("bom-1", "bom-3"));
    assert_eq!(u.put(&format!("{files}bom3.ics"), "text/calendar", sent.as_str()).status, 201);
    assert_eq!(u.get(&format!("{files}bom3.ics")), sent.as_bytes(), "a plain collection keeps any bytes");
    let (status, body) = u.copy(&format!("{files}bom3.ics"), &format!("{CAL}bom3.ics"));
    assert_eq!(status, 201, "{body}");
    assert_eq!(u.get(&format!("{CAL}bom3.ics")), text.replace("bom-1", "bom-3").as_bytes());
    // The same object without a BOM is stored as sent, with its ETag.
    let plain = u.put(&format!("{CAL}plain.ics"), "text/calendar", text.replace("bom-1", "bom-2"));
    assert_eq!(plain.status, 201);
    assert!(plain.etag.is_some());
}

const CARD: &str = "BEGIN:VCARD\r\nVERSION:3.0\r\nUID:card-bom\r\nFN:Jeanne Martin\r\n\
    EMAIL;TYPE=INTERNET:jeanne@example.org\r\nEND:VCARD\r\n";

fn bom_vcard_is_repaired_and_found_by_addressbook_query(backend: Backend) {
    let u = User::start(backend);
    let put = u.put(&format!("{BOOK}bom.vcf"), "text/vcard", format!("{BOM}{CARD}"));
    assert_eq!(put.status, 201, "{}", put.body);
    assert_eq!(put.etag, None);
    assert_eq!(u.get(&format!("{BOOK}bom.vcf")), CARD.as_bytes());
    assert_eq!(hrefs(&u.report(BOOK, &card_query(""))), ["bom.vcf"]);
    assert_eq!(hrefs(&u.report(BOOK, &card_query(&text_match("FN", "jeanne")))), ["bom.vcf"]);
}

/// Apple Contacts (and vCard 2.1 habits): `PHOTO;BASE64:` and `TEL;WORK;VOICE:`,
/// parameters without `=`, the photo folded with two spaces.
const APPLE: &str = "BEGIN:VCARD\r\nVERSION:3.0\r\nPRODID:-//Apple Inc.//iPhone OS 17.0//EN\r\n\
    N:Martin;Paul;;;\r\nFN:Paul Martin\r\nEMAIL;type=INTERNET;type=WORK;type=pref:paul@example.org\r\n\
    TEL;WORK;VOICE:+33 1 23 45 67 89\r\nPHOTO;BASE64:\r\n  /9j/4AAQSkZJRgABAQAAAQABAAD/2wBDAAgGBgcGBQgHBwcJCQgKDBQNDAsLDBkSEw8UHRof\r\n  Hh0aHBwgJC4nICIsIxwcKDcpLDAxNDQ0Hyc5PTgyPC4zNDL/wAALCAABAAEBAREA/8QAFAAB\r\n\
    UID:apple-photo\r\nEND:VCARD\r\n";

fn apple_photo_base64_card_is_found_by_addressbook_query(backend: Backend) {
    let u = User::start(backend);
    let put = u.put(&format!("{BOOK}apple.vcf"), "text/vcard", APPLE);
    assert_eq!(put.status, 201, "{}", put.body);
    assert!(put.etag.is_some(), "stored as sent");
    assert_eq!(u.get(&format!("{BOOK}apple.vcf")), APPLE.as_bytes());
    assert_eq!(hrefs(&u.report(BOOK, &card_query(""))), ["apple.vcf"], "an empty filter finds every card");
    assert_eq!(hrefs(&u.report(BOOK, &card_query(&text_match("FN", "paul")))), ["apple.vcf"]);
    assert_eq!(hrefs(&u.report(BOOK, &card_query(&text_match("EMAIL", "paul@example")))), ["apple.vcf"]);
    assert_eq!(hrefs(&u.report(BOOK, &card_query(&text_match("TEL", "23 45")))), ["apple.vcf"]);
    let multiget = |version: &str| {
        u.report(
            BOOK,
            &format!(
                r#"<card:addressbook-multiget xmlns:d="DAV:" xmlns:card="urn:ietf:params:xml:ns:carddav"><d:prop><card:address-data content-type="text/vcard" version="{version}"/></d:prop><d:href>{BOOK}apple.vcf</d:href></card:addressbook-multiget>"#
            ),
        )
    };
    let v4 = multiget("4.0");
    assert!(v4.contains("VERSION:4.0") && v4.contains("UID:apple-photo"), "{v4}");
    let unfolded = v4.replace("\n ", "");
    assert!(unfolded.contains("PHOTO"), "{v4}");
    assert!(unfolded.contains("PHOTO:data:image/jpeg;base64"), "a JPEG data: URI in 4.0: {v4}");
    assert!(unfolded.contains("/9j/4AAQSkZJRgABAQAAAQABAAD/2wBDAAgGBgcGBQgHBwcJCQgKDBQNDAsLDBkSEw8UHRof"), "{v4}");
    let v3 = multiget("3.0");
    assert!(v3.contains("PHOTO;BASE64:") && v3.contains("UID:apple-photo"), "3.0 is served as stored: {v3}");
}

/// Evolution (libical) writes its zone ids with a registry prefix and no VTIMEZONE.
const EVOLUTION: &str = "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//Ximian//NONSGML Evolution Calendar//EN\r\n\
    BEGIN:VEVENT\r\nUID:evo-1\r\nDTSTAMP:20260101T000000Z\r\n\
    DTSTART;TZID=/freeassociation.sourceforge.net/Europe/Paris:20261124T100000\r\n\
    DTEND;TZID=/freeassociation.sourceforge.net/Europe/Paris:20261124T110000\r\nRRULE:FREQ=WEEKLY;COUNT=4\r\n\
    SUMMARY:Hebdo\r\nEND:VEVENT\r\nBEGIN:VEVENT\r\nUID:evo-1\r\nDTSTAMP:20260101T000000Z\r\n\
    RECURRENCE-ID;TZID=/freeassociation.sourceforge.net/Europe/Paris:20261201T100000\r\n\
    DTSTART;TZID=/freeassociation.sourceforge.net/Europe/Paris:20261202T140000\r\n\
    DTEND;TZID=/freeassociation.sourceforge.net/Europe/Paris:20261202T150000\r\nSUMMARY:Hebdo (déplacé)\r\n\
    END:VEVENT\r\nEND:VCALENDAR\r\n";

fn libical_tzid_recurrence_id_is_not_read_as_utc(backend: Backend) {
    let u = User::start(backend);
    let put = u.put(&format!("{CAL}evo.ics"), "text/calendar", EVOLUTION);
    assert_eq!(put.status, 201, "{}", put.body);
    assert!(put.etag.is_some());
    // 1 Dec 10:00 Paris (09:00Z) was moved to 2 Dec 14:00 Paris (13:00Z).
    assert!(hrefs(&u.report(CAL, &time_query("20261201T000000Z", "20261202T000000Z"))).is_empty());
    assert_eq!(hrefs(&u.report(CAL, &time_query("20261202T130000Z", "20261202T140000Z"))), ["evo.ics"]);
    let expanded = u.report(CAL, &expand_query("20261120T000000Z", "20261220T000000Z"));
    assert_eq!(expanded.matches("BEGIN:VEVENT").count(), 4, "four instances, the moved one once: {expanded}");
    assert!(!expanded.contains("DTSTART:20261201T"), "{expanded}");
    assert!(expanded.contains("DTSTART:20261124T090000Z"), "10:00 Paris, not 10:00 UTC: {expanded}");
    let fb = u.report(CAL, &free_busy("20261130T000000Z", "20261203T000000Z"));
    assert!(fb.contains("20261202T130000Z/20261202T140000Z"), "{fb}");
    assert!(!fb.contains("20261201T"), "the replaced instance is free: {fb}");
}

fn windows_and_alias_tzids_are_read_in_their_zone(backend: Backend) {
    let u = User::start(backend);
    // Half an hour from 10:00 local on 15 January 2027 in each zone, and its UTC span.
    let zones = [
        ("w-europe", "W. Europe Standard Time", "0900", "0930"),
        ("romance", "Romance Standard Time", "0900", "0930"),
        ("eastern", "Eastern Standard Time", "1500", "1530"),
        ("gmt", "GMT Standard Time", "1000", "1030"),
        ("display", "(UTC+01:00) Amsterdam, Berlin, Bern, Rome, Stockholm, Vienna", "0900", "0930"),
        ("us-eastern", "US/Eastern", "1500", "1530"),
        ("calcutta", "Asia/Calcutta", "0430", "0500"),
        ("mozilla", "/mozilla.org/20050126_1/America/Argentina/Buenos_Aires", "1300", "1330"),
    ];
    for (name, tzid, ..) in zones {
        let lines = format!("DTSTART;TZID=\"{tzid}\":20270115T100000\r\nDURATION:PT30M\r\n");
        let put = u.put(&format!("{CAL}{name}.ics"), "text/calendar", calendar(name, &lines));
        assert_eq!(put.status, 201, "{tzid}: {}", put.body);
        assert!(put.etag.is_some(), "{tzid}: stored as sent");
    }
    let fb = u.report(CAL, &free_busy("20270115T000000Z", "20270116T000000Z"));
    for (name, tzid, start, end) in zones {
        let (start, end) = (format!("20270115T{start}00Z"), format!("20270115T{end}00Z"));
        let found = hrefs(&u.report(CAL, &time_query(&start, &end)));
        assert!(found.contains(&format!("{name}.ics")), "{tzid} at {start}: {found:?}");
        assert!(fb.contains(&format!("{start}/{end}")), "{tzid}: {fb}");
    }
    // Nothing was read as UTC (10:00Z is a busy time only for London).
    let at_ten = hrefs(&u.report(CAL, &time_query("20270115T100000Z", "20270115T103000Z")));
    assert_eq!(at_ten, ["gmt.ics"]);
}

fn unresolvable_tzid_is_refused(backend: Backend) {
    let u = User::start(backend);
    let text = calendar("mars", "DTSTART;TZID=Mars/Olympus_Mons:20270115T100000\r\nDURATION:PT1H\r\n");
    let put = u.put(&format!("{CAL}mars.ics"), "text/calendar", text.as_str());
    assert_refused(&put, "valid-calendar-object-resource");
    // COPY into the calendar shares the validation.
    let files = u.files();
    assert_eq!(u.put(&format!("{files}mars.ics"), "text/calendar", text.as_str()).status, 201);
    let (status, body) = u.copy(&format!("{files}mars.ics"), &format!("{CAL}mars.ics"));
    assert_eq!(status, 403, "{body}");
    assert!(body.contains("<C:valid-calendar-object-resource/>"), "{body}");
    // With its VTIMEZONE the same name is understood.
    let vtimezone = "BEGIN:VTIMEZONE\r\nTZID:Mars/Olympus_Mons\r\nBEGIN:STANDARD\r\nDTSTART:19700101T000000\r\n\
        TZOFFSETFROM:+0300\r\nTZOFFSETTO:+0300\r\nEND:STANDARD\r\nEND:VTIMEZONE\r\n";
    let defined = text.replace("BEGIN:VEVENT", &format!("{vtimezone}BEGIN:VEVENT"));
    let put = u.put(&format!("{CAL}mars.ics"), "text/calendar", defined);
    assert_eq!(put.status, 201, "{}", put.body);
    assert_eq!(hrefs(&u.report(CAL, &time_query("20270115T070000Z", "20270115T080000Z"))), ["mars.ics"]);
}

/// Python's icalendar (python caldav) writes `TZID=UTC+01:00` without a VTIMEZONE.
fn fixed_offset_tzid_is_read_as_that_offset(backend: Backend) {
    let u = User::start(backend);
    // A TZID holding a colon is a quoted parameter value (RFC 5545 §3.1), as Python writes it.
    let text =
        calendar("py", "DTSTART;TZID=\"UTC+01:00\":20270115T100000\r\nDTEND;TZID=\"UTC+01:00\":20270115T110000\r\n");
    let put = u.put(&format!("{CAL}py.ics"), "text/calendar", text.as_str());
    assert_eq!(put.status, 201, "{}", put.body);
    assert_eq!(hrefs(&u.report(CAL, &time_query("20270115T090000Z", "20270115T091500Z"))), ["py.ics"]);
    assert!(hrefs(&u.report(CAL, &time_query("20270115T100000Z", "20270115T110000Z"))).is_empty());
}

/// `Brazil/East` with the DST rules Brazil abolished in 2019: the tz database wins.
fn outdated_vtimezone_yields_to_the_tz_database(backend: Backend) {
    let u = User::start(backend);
    let vtimezone = "BEGIN:VTIMEZONE\r\nTZID:Brazil/East\r\n\
        BEGIN:STANDARD\r\nDTSTART:20080217T000000\r\nTZOFFSETFROM:-0200\r\nTZOFFSETTO:-0300\r\n\
        RRULE:FREQ=YEARLY;BYMONTH=2;BYDAY=3SU\r\nEND:STANDARD\r\n\
        BEGIN:DAYLIGHT\r\nDTSTART:20081019T000000\r\nTZOFFSETFROM:-0300\r\nTZOFFSETTO:-0200\r\n\
        RRULE:FREQ=YEARLY;BYMONTH=10;BYDAY=3SU\r\nEND:DAYLIGHT\r\nEND:VTIMEZONE\r\n";
    let text = calendar("brazil", "DTSTART;TZID=Brazil/East:20270115T100000\r\nDURATION:PT1H\r\n")
        .replace("BEGIN:VEVENT", &format!("{vtimezone}BEGIN:VEVENT"));
    let put = u.put(&format!("{CAL}brazil.ics"), "text/calendar", text);
    assert_eq!(put.status, 201, "{}", put.body);
    assert_eq!(hrefs(&u.report(CAL, &time_query("20270115T130000Z", "20270115T140000Z"))), ["brazil.ics"]);
    assert!(hrefs(&u.report(CAL, &time_query("20270115T120000Z", "20270115T130000Z"))).is_empty());
    let fb = u.report(CAL, &free_busy("20270115T000000Z", "20270116T000000Z"));
    assert!(fb.contains("20270115T130000Z/20270115T140000Z"), "{fb}");
}

fn method_publish_is_removed_and_itip_methods_refused(backend: Backend) {
    let u = User::start(backend);
    let text = calendar("pub", "DTSTART:20270115T100000Z\r\nDURATION:PT1H\r\n");
    let with = |m: &str| text.replace("PRODID:-//t//EN\r\n", &format!("PRODID:-//t//EN\r\nMETHOD:{m}\r\n"));
    let put = u.put(&format!("{CAL}pub.ics"), "text/calendar", with("PUBLISH"));
    assert_eq!(put.status, 201, "{}", put.body);
    assert_eq!(put.etag, None, "repaired: no ETag");
    assert_eq!(u.get(&format!("{CAL}pub.ics")), text.as_bytes(), "stored without METHOD");
    assert_eq!(hrefs(&u.report(CAL, &time_query("20270115T100000Z", "20270115T110000Z"))), ["pub.ics"]);
    for m in ["REQUEST", "CANCEL"] {
        let put = u.put(&format!("{CAL}itip.ics"), "text/calendar", with(m).replace("UID:pub", "UID:itip"));
        assert_refused(&put, "valid-calendar-object-resource");
    }
}

fn bad_escapes_non_integers_and_control_characters_are_refused(backend: Backend) {
    let u = User::start(backend);
    for (i, line) in
        ["SUMMARY:C:\\Users\\paul", "SEQUENCE:abc", "PRIORITY:high", "PERCENT-COMPLETE:150", "SUMMARY:bell\u{7}"]
            .into_iter()
            .enumerate()
    {
        let text = calendar(&format!("bad-{i}"), &format!("DTSTART:20270115T100000Z\r\n{line}\r\n"));
        let put = u.put(&format!("{CAL}bad-{i}.ics"), "text/calendar", text);
        assert_refused(&put, "valid-calendar-data");
    }
    let put = u.put(&format!("{BOOK}ctl.vcf"), "text/vcard", CARD.replace("Jeanne", "Jea\u{1b}nne"));
    assert_eq!(put.status, 403, "{}", put.body);
    assert!(put.body.contains("<CARD:valid-address-data/>"), "{}", put.body);
    // Nothing was stored.
    assert!(hrefs(&u.report(CAL, &time_query("20270101T000000Z", "20280101T000000Z"))).is_empty());
}
