//! Defects third-party suites and real clients found (issue 14), each with its
//! regression test, on both stores: a UID cannot change under a resource's name,
//! broken filters and unsupported data formats are refused with their
//! precondition, collections report the length GET answers, a 201 of COPY and
//! MOVE names what it created, JSON data names its media type, a query may name
//! one object, and a resource name with a control character is refused with a
//! reason.

mod common;

use common::*;

agora_testkit::on_both_stores!(
    uid_change_is_refused_with_no_uid_conflict,
    invalid_queries_are_refused_with_their_precondition,
    collections_report_the_length_get_answers,
    copy_and_move_name_what_they_created,
    json_report_data_names_its_media_type,
    a_query_may_name_one_object,
    a_name_with_a_newline_is_refused,
);

const CAL: &str = "/calendars/alice/calendar/";
const BOOK: &str = "/addressbooks/alice/contacts/";

fn start(backend: Backend) -> (StoreEnv, Server) {
    let env = StoreEnv::new(backend);
    let server = Server::start(&env, &[]);
    add_users(&env, &["alice"]);
    (env, server)
}

fn event(uid: &str) -> String {
    format!(
        "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//t//EN\r\nBEGIN:VEVENT\r\nUID:{uid}\r\nDTSTAMP:20260101T000000Z\r\n\
         DTSTART:20261201T100000Z\r\nDTEND:20261201T110000Z\r\nSUMMARY:{uid}\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n"
    )
}

fn card(uid: &str) -> String {
    format!("BEGIN:VCARD\r\nVERSION:3.0\r\nUID:{uid}\r\nFN:Card {uid}\r\nN:{uid};Card;;;\r\nEND:VCARD\r\n")
}

fn put(server: &Server, path: &str, body: &str) -> (u16, String) {
    let ct = if path.ends_with(".vcf") { "text/vcard" } else { "text/calendar" };
    send(server, "alice", "PUT", path, ct, body)
}

fn transfer(server: &Server, method: &str, from: &str, to: &str, overwrite: bool) -> reqwest::blocking::Response {
    client()
        .request(reqwest::Method::from_bytes(method.as_bytes()).unwrap(), server.url(from))
        .basic_auth("alice", Some(PASSWORD))
        .header("Destination", server.url(to))
        .header("Overwrite", if overwrite { "T" } else { "F" })
        .send()
        .unwrap()
}

fn get(server: &Server, path: &str) -> String {
    request(server, "alice", "GET", path, "0", "text/plain", "").text().unwrap()
}

/// RFC 4791 §5.3.2.1, RFC 6352 §6.3.2.1: PUT onto an existing name, and COPY or
/// MOVE with Overwrite, may not replace an object by one with another UID.
fn uid_change_is_refused_with_no_uid_conflict(backend: Backend) {
    let (_env, server) = start(backend);
    for (base, a, b, c, body, ns) in [
        (CAL, "a.ics", "b.ics", "c.ics", event as fn(&str) -> String, "C:no-uid-conflict"),
        (BOOK, "a.vcf", "b.vcf", "c.vcf", card as fn(&str) -> String, "CARD:no-uid-conflict"),
    ] {
        let (pa, pb, pc) = (format!("{base}{a}"), format!("{base}{b}"), format!("{base}{c}"));
        assert_eq!(put(&server, &pa, &body("uid-a")).0, 201);
        assert_eq!(put(&server, &pb, &body("uid-b")).0, 201);
        // The same UID may be rewritten in place.
        assert_eq!(put(&server, &pa, &body("uid-a")).0, 204);
        // PUT of another UID onto a's name.
        let (status, xml) = put(&server, &pa, &body("uid-new"));
        assert_eq!(status, 409, "{xml}");
        assert!(xml.contains(&format!("<{ns}><D:href>{pa}</D:href></{ns}>")), "{xml}");
        assert!(xml.contains("another UID"), "the reason is given: {xml}");
        assert!(get(&server, &pa).contains("UID:uid-a"), "nothing changed");
        // COPY and MOVE of b onto a with Overwrite.
        for method in ["COPY", "MOVE"] {
            let r = transfer(&server, method, &pb, &pa, true);
            assert_eq!(r.status().as_u16(), 409, "{method}");
            let xml = r.text().unwrap();
            assert!(xml.contains(&format!("<{ns}><D:href>{pa}</D:href></{ns}>")), "{method}: {xml}");
            assert!(get(&server, &pa).contains("UID:uid-a"), "{method} left a alone");
            assert!(get(&server, &pb).contains("UID:uid-b"), "{method} left b alone");
        }
        // Without Overwrite it stays a plain 412; onto a new name a MOVE works.
        assert_eq!(transfer(&server, "COPY", &pb, &pa, false).status().as_u16(), 412);
        let moved = transfer(&server, "MOVE", &pb, &pc, true);
        assert_eq!(moved.status().as_u16(), 201);
        // The UID travels with the moved object.
        assert!(get(&server, &pc).contains("UID:uid-b"));
    }
}

fn query(filter: &str, data: &str) -> String {
    format!(
        r#"<C:calendar-query xmlns:D="DAV:" xmlns:C="urn:ietf:params:xml:ns:caldav"><D:prop><D:getetag/>{data}</D:prop><C:filter>{filter}</C:filter></C:calendar-query>"#
    )
}

fn report(server: &Server, path: &str, body: &str) -> (u16, String) {
    send(server, "alice", "REPORT", path, "application/xml", body)
}

/// RFC 4791 §7.8 and §9.7, RFC 6352 §8.6: broken filters get `valid-filter`,
/// unsupported data formats `supported-calendar-data` / `supported-address-data`.
fn invalid_queries_are_refused_with_their_precondition(backend: Backend) {
    let (_env, server) = start(backend);
    assert_eq!(put(&server, &format!("{CAL}e.ics"), &event("e")).0, 201);
    assert_eq!(put(&server, &format!("{BOOK}k.vcf"), &card("k")).0, 201);
    let range = r#"<C:time-range start="20261201T000000Z" end="20261202T000000Z"/>"#;
    let invalid_filters = [
        // A time-range directly on VCALENDAR once matched everything.
        format!(r#"<C:comp-filter name="VCALENDAR">{range}</C:comp-filter>"#),
        // A time-range on VTIMEZONE.
        format!(r#"<C:comp-filter name="VCALENDAR"><C:comp-filter name="VTIMEZONE">{range}</C:comp-filter></C:comp-filter>"#),
        // Invalid nestings.
        r#"<C:comp-filter name="VEVENT"/>"#.to_owned(),
        r#"<C:comp-filter name="VCALENDAR"><C:comp-filter name="VALARM"/></C:comp-filter>"#.to_owned(),
        r#"<C:comp-filter name="VCALENDAR"><C:comp-filter name="VEVENT"><C:comp-filter name="VTODO"/></C:comp-filter></C:comp-filter>"#.to_owned(),
        r#"<C:comp-filter name="VCALENDAR"><C:comp-filter name="VCALENDAR"/></C:comp-filter>"#.to_owned(),
        // Non-UTC and unbounded time ranges.
        r#"<C:comp-filter name="VCALENDAR"><C:comp-filter name="VEVENT"><C:time-range start="20261201T000000"/></C:comp-filter></C:comp-filter>"#.to_owned(),
        r#"<C:comp-filter name="VCALENDAR"><C:comp-filter name="VEVENT"><C:time-range start="20261201"/></C:comp-filter></C:comp-filter>"#.to_owned(),
        r#"<C:comp-filter name="VCALENDAR"><C:comp-filter name="VEVENT"><C:time-range/></C:comp-filter></C:comp-filter>"#.to_owned(),
        // Conflicting tests.
        format!(r#"<C:comp-filter name="VCALENDAR"><C:comp-filter name="VEVENT"><C:is-not-defined/>{range}</C:comp-filter></C:comp-filter>"#),
        r#"<C:comp-filter name="VCALENDAR"><C:comp-filter name="VEVENT"><C:prop-filter name="DTSTART"><C:is-not-defined/><C:text-match>x</C:text-match></C:prop-filter></C:comp-filter></C:comp-filter>"#.to_owned(),
    ];
    for filter in &invalid_filters {
        let (status, xml) = report(&server, CAL, &query(filter, ""));
        assert_eq!(status, 403, "{filter}: {xml}");
        assert!(xml.contains("<C:valid-filter/>"), "{filter}: {xml}");
        assert!(xml.contains("<A:reason"), "a reason for people: {xml}");
    }
    // Valid filters still answer: an unknown or experimental component matches nothing.
    for (filter, expected) in [
        (format!(r#"<C:comp-filter name="VCALENDAR"><C:comp-filter name="VEVENT">{range}</C:comp-filter></C:comp-filter>"#), 1),
        (r#"<C:comp-filter name="VCALENDAR"><C:comp-filter name="X-THING"/></C:comp-filter>"#.to_owned(), 0),
        (r#"<C:comp-filter name="VCALENDAR"><C:comp-filter name="VEVENT"><C:comp-filter name="VALARM"><C:is-not-defined/></C:comp-filter></C:comp-filter></C:comp-filter>"#.to_owned(), 1),
    ] {
        let (status, xml) = report(&server, CAL, &query(&filter, ""));
        assert_eq!(status, 207, "{filter}: {xml}");
        assert_eq!(xml.matches("<D:response>").count(), expected, "{filter}: {xml}");
    }
    let all = r#"<C:comp-filter name="VCALENDAR"/>"#;
    for data in [
        r#"<C:calendar-data content-type="text/html"/>"#,
        r#"<C:calendar-data content-type="text/calendar" version="1.0"/>"#,
    ] {
        let (status, xml) = report(&server, CAL, &query(all, data));
        assert_eq!(status, 403, "{data}: {xml}");
        assert!(xml.contains("<C:supported-calendar-data/>"), "{xml}");
        let multiget = format!(
            r#"<C:calendar-multiget xmlns:D="DAV:" xmlns:C="urn:ietf:params:xml:ns:caldav"><D:prop>{data}</D:prop><D:href>{CAL}e.ics</D:href></C:calendar-multiget>"#
        );
        assert_eq!(report(&server, CAL, &multiget).0, 403, "multiget {data}");
    }
    for data in [r#"<CARD:address-data content-type="text/x-foo"/>"#, r#"<CARD:address-data version="2.1"/>"#] {
        let body = format!(
            r#"<CARD:addressbook-query xmlns:D="DAV:" xmlns:CARD="urn:ietf:params:xml:ns:carddav"><D:prop>{data}</D:prop><CARD:filter/></CARD:addressbook-query>"#
        );
        let (status, xml) = report(&server, BOOK, &body);
        assert_eq!(status, 403, "{data}: {xml}");
        assert!(xml.contains("<CARD:supported-address-data/>"), "{xml}");
    }
    let conflicting = r#"<CARD:addressbook-query xmlns:D="DAV:" xmlns:CARD="urn:ietf:params:xml:ns:carddav"><D:prop><D:getetag/></D:prop><CARD:filter><CARD:prop-filter name="FN"><CARD:is-not-defined/><CARD:text-match>x</CARD:text-match></CARD:prop-filter></CARD:filter></CARD:addressbook-query>"#;
    let (status, xml) = report(&server, BOOK, conflicting);
    assert_eq!(status, 403, "{xml}");
    assert!(xml.contains("<CARD:valid-filter/>"), "{xml}");
}

fn prop_of(xml: &str, name: &str) -> Option<String> {
    let open = format!("<D:{name}>");
    let i = xml.find(&open)? + open.len();
    Some(xml[i..i + xml[i..].find('<')?].to_owned())
}

/// A server with one event and two cards.
fn seeded(backend: Backend) -> (StoreEnv, Server) {
    let (env, server) = start(backend);
    assert_eq!(put(&server, &format!("{CAL}e.ics"), &event("e")).0, 201);
    assert_eq!(put(&server, &format!("{BOOK}k.vcf"), &card("k")).0, 201);
    assert_eq!(put(&server, &format!("{BOOK}j.vcf"), &card("j")).0, 201);
    (env, server)
}

/// getcontentlength on collections: the length GET answers (RFC 4918 §15.4).
fn collections_report_the_length_get_answers(backend: Backend) {
    let (_env, server) = seeded(backend);
    for path in ["/", "/calendars/alice/", CAL, BOOK, "/principals/alice/"] {
        let props =
            r#"<D:propfind xmlns:D="DAV:"><D:prop><D:getcontentlength/><D:getcontenttype/></D:prop></D:propfind>"#;
        let r = request(&server, "alice", "PROPFIND", path, "0", "application/xml", props);
        let xml = r.text().unwrap();
        let length: usize =
            prop_of(&xml, "getcontentlength").unwrap_or_else(|| panic!("{path}: {xml}")).parse().unwrap();
        let got = request(&server, "alice", "GET", path, "0", "text/plain", "");
        let header: usize = got.headers()["content-length"].to_str().unwrap().parse().unwrap();
        let media = got.headers()["content-type"].to_str().unwrap().to_owned();
        assert_eq!(got.text().unwrap().len(), length, "{path}");
        assert_eq!(header, length, "{path}");
        assert_eq!(prop_of(&xml, "getcontenttype").as_deref(), Some(media.as_str()), "{path}");
    }
}

/// COPY and MOVE answer 201 with Location (RFC 9110 §15.3.2), 204 without.
fn copy_and_move_name_what_they_created(backend: Backend) {
    let (_env, server) = seeded(backend);
    let second = "/calendars/alice/second/";
    assert_eq!(send(&server, "alice", "MKCALENDAR", second, "application/xml", "").0, 201);
    let copied = transfer(&server, "COPY", &format!("{CAL}e.ics"), &format!("{second}e%20copy.ics"), true);
    assert_eq!(copied.status().as_u16(), 201);
    assert_eq!(copied.headers()["location"], format!("{second}e%20copy.ics").as_str());
    let again = transfer(&server, "COPY", &format!("{CAL}e.ics"), &format!("{second}e%20copy.ics"), true);
    assert_eq!(again.status().as_u16(), 204);
    assert!(again.headers().get("location").is_none());
    let moved = transfer(&server, "MOVE", CAL, "/calendars/alice/moved/", true);
    assert_eq!(moved.status().as_u16(), 201);
    assert_eq!(moved.headers()["location"], "/calendars/alice/moved/");
}

/// jCal and jCard in reports carry their content-type (RFC 7265 §6, RFC 7095 §6).
fn json_report_data_names_its_media_type(backend: Backend) {
    let (_env, server) = seeded(backend);
    let cal = CAL;
    let jcal = format!(
        r#"<C:calendar-multiget xmlns:D="DAV:" xmlns:C="urn:ietf:params:xml:ns:caldav"><D:prop><C:calendar-data content-type="application/calendar+json"/></D:prop><D:href>{cal}e.ics</D:href></C:calendar-multiget>"#
    );
    let (status, xml) = report(&server, cal, &jcal);
    assert_eq!(status, 207, "{xml}");
    assert!(xml.contains(r#"<C:calendar-data content-type="application/calendar+json">["vcalendar""#), "{xml}");
    let jcard = format!(
        r#"<CARD:addressbook-multiget xmlns:D="DAV:" xmlns:CARD="urn:ietf:params:xml:ns:carddav"><D:prop><CARD:address-data content-type="application/vcard+json"/></D:prop><D:href>{BOOK}k.vcf</D:href></CARD:addressbook-multiget>"#
    );
    let (status, xml) = report(&server, BOOK, &jcard);
    assert_eq!(status, 207, "{xml}");
    assert!(xml.contains(r#"<CARD:address-data content-type="application/vcard+json">["vcard""#), "{xml}");
}

/// A query may name one object (RFC 6352 §8.6, RFC 4791 §7.8).
fn a_query_may_name_one_object(backend: Backend) {
    let (_env, server) = seeded(backend);
    let cal = CAL;
    let card_query = r#"<CARD:addressbook-query xmlns:D="DAV:" xmlns:CARD="urn:ietf:params:xml:ns:carddav"><D:prop><D:getetag/></D:prop><CARD:filter/></CARD:addressbook-query>"#;
    let r = request(&server, "alice", "REPORT", &format!("{BOOK}k.vcf"), "0", "application/xml", card_query);
    assert_eq!(r.status().as_u16(), 207);
    let xml = r.text().unwrap();
    assert_eq!(xml.matches("<D:response>").count(), 1, "{xml}");
    assert!(xml.contains(&format!("<D:href>{BOOK}k.vcf</D:href>")), "{xml}");
    let cal_query = query(r#"<C:comp-filter name="VCALENDAR"><C:comp-filter name="VTODO"/></C:comp-filter>"#, "");
    let r = request(&server, "alice", "REPORT", &format!("{cal}e.ics"), "0", "application/xml", &cal_query);
    assert_eq!(r.status().as_u16(), 207);
    assert_eq!(r.text().unwrap().matches("<D:response>").count(), 0, "an event is no VTODO");
    let cal_query = query(r#"<C:comp-filter name="VCALENDAR"><C:comp-filter name="VEVENT"/></C:comp-filter>"#, "");
    let r = request(&server, "alice", "REPORT", &format!("{cal}e.ics"), "0", "application/xml", &cal_query);
    assert_eq!(r.text().unwrap().matches("<D:response>").count(), 1);
}

/// A name with a newline (%0A) is refused with the reason; the UID inside may hold one.
fn a_name_with_a_newline_is_refused(backend: Backend) {
    let (_env, server) = seeded(backend);
    let cal = CAL;
    let (status, text) = put(&server, &format!("{cal}a%0Ab.ics"), &event("x"));
    assert_eq!(status, 400, "{text}");
    assert!(text.contains("control characters"), "{text}");
    let newline_uid = event("line\\nbreak");
    assert_eq!(put(&server, &format!("{cal}line%5Cnbreak.ics"), &newline_uid).0, 201);
}
