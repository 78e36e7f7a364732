//! jCal and jCard (RFC 7265, RFC 7095) on GET, in reports and on PUT, on both stores.

mod common;

use common::*;
use reqwest::Method;

agora_testkit::on_both_stores!(json_forms_on_request);

const EVENT: &str = "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//t//EN\r\nBEGIN:VEVENT\r\nUID:j1\r\n\
    DTSTAMP:20260101T000000Z\r\nDTSTART;TZID=Europe/Paris:20261124T100000\r\nSUMMARY:Réunion\\, salle B\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n";
const CARD: &str = "BEGIN:VCARD\r\nVERSION:4.0\r\nUID:k1\r\nFN:Jean Dupont\r\nEMAIL:jean@example.org\r\nEND:VCARD\r\n";

fn json_forms_on_request(backend: Backend) {
    let env = StoreEnv::new(backend);
    let server = Server::start(&env, &[]);
    let req = |method: &str, path: &str| {
        client()
            .request(Method::from_bytes(method.as_bytes()).unwrap(), server.url(path))
            .basic_auth("admin", Some(server.admin()))
    };
    let ev = "/calendars/admin/calendar/j1.ics";
    assert_eq!(req("PUT", ev).header("Content-Type", "text/calendar").body(EVENT).send().unwrap().status(), 201);
    assert_eq!(
        req("PUT", "/addressbooks/admin/contacts/k1.vcf")
            .header("Content-Type", "text/vcard")
            .body(CARD)
            .send()
            .unwrap()
            .status(),
        201
    );

    // GET: the stored text by default, jCal when preferred.
    let plain = req("GET", ev).header("Accept", "text/calendar, application/calendar+json").send().unwrap();
    assert_eq!(plain.text().unwrap(), EVENT);
    let json = req("GET", ev).header("Accept", "application/calendar+json").send().unwrap();
    assert!(json.headers()["content-type"].to_str().unwrap().starts_with("application/calendar+json"));
    let value: serde_json::Value = serde_json::from_str(&json.text().unwrap()).unwrap();
    assert_eq!(value[0], "vcalendar");
    let vevent = &value[2][0];
    assert_eq!(vevent[0], "vevent");
    let summary = vevent[1].as_array().unwrap().iter().find(|p| p[0] == "summary").unwrap();
    assert_eq!(summary[3], "Réunion, salle B", "text escapes undone");
    let dtstart = vevent[1].as_array().unwrap().iter().find(|p| p[0] == "dtstart").unwrap();
    assert_eq!(dtstart[1]["tzid"], "Europe/Paris");
    assert_eq!(dtstart[3], "2026-11-24T10:00:00");

    // Reports honour the data element's content-type.
    let multiget = r#"<c:calendar-multiget xmlns:d="DAV:" xmlns:c="urn:ietf:params:xml:ns:caldav"><d:prop><c:calendar-data content-type="application/calendar+json" version="2.0"/></d:prop><d:href>/calendars/admin/calendar/j1.ics</d:href></c:calendar-multiget>"#;
    let body = req("REPORT", "/calendars/admin/calendar/")
        .header("Content-Type", "application/xml")
        .body(multiget)
        .send()
        .unwrap()
        .text()
        .unwrap();
    assert!(body.contains("[\"vcalendar\""), "{body}");
    let cards = r#"<card:addressbook-multiget xmlns:d="DAV:" xmlns:card="urn:ietf:params:xml:ns:carddav"><d:prop><card:address-data content-type="application/vcard+json"/></d:prop><d:href>/addressbooks/admin/contacts/k1.vcf</d:href></card:addressbook-multiget>"#;
    let body = req("REPORT", "/addressbooks/admin/contacts/")
        .header("Content-Type", "application/xml")
        .body(cards)
        .send()
        .unwrap()
        .text()
        .unwrap();
    assert!(body.contains("[\"vcard\"") && body.contains("Jean Dupont"), "{body}");

    // PUT of jCal: stored as iCalendar, and no ETag since the bytes differ from those sent.
    let jcal = serde_json::json!([
        "vcalendar",
        [["version", {}, "text", "2.0"], ["prodid", {}, "text", "-//t//EN"]],
        [[
            "vevent",
            [
                ["uid", {}, "text", "j2"],
                ["dtstamp", {}, "date-time", "2026-01-01T00:00:00Z"],
                ["dtstart", {}, "date-time", "2026-11-25T09:00:00Z"],
                ["summary", {}, "text", "Depuis jCal"]
            ],
            []
        ]]
    ]);
    let put = req("PUT", "/calendars/admin/calendar/j2.ics")
        .header("Content-Type", "application/calendar+json")
        .body(jcal.to_string())
        .send()
        .unwrap();
    assert_eq!(put.status(), 201);
    assert!(!put.headers().contains_key("etag"), "converted data: no ETag");
    let stored = req("GET", "/calendars/admin/calendar/j2.ics").send().unwrap().text().unwrap();
    assert!(stored.contains("SUMMARY:Depuis jCal") && stored.contains("DTSTART:20261125T090000Z"), "{stored}");
    let bad = req("PUT", "/calendars/admin/calendar/j3.ics")
        .header("Content-Type", "application/calendar+json")
        .body("{not json")
        .send()
        .unwrap();
    assert_eq!(bad.status(), 403);
}
