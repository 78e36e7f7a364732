//! CLASS:PRIVATE and CLASS:CONFIDENTIAL for readers without write access, on every
//! read path (listing, GET, multiget, query, sync, free/busy), on both stores.

mod common;

use common::*;

agora_testkit::on_both_stores!(classified_events_show_only_what_they_may);

/// A Depth 1 request answering the status, the ETag and the body.
fn send_tagged(server: &Server, user: &str, method: &str, path: &str, ct: &str, body: &str) -> (u16, String, String) {
    let r = request(server, user, method, path, "1", ct, body);
    let etag = r.headers().get("etag").map(|v| v.to_str().unwrap().to_owned()).unwrap_or_default();
    (r.status().as_u16(), etag, r.text().unwrap())
}

fn event(uid: &str, class: &str, summary: &str, hour: u32) -> String {
    format!(
        "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:x\r\nBEGIN:VEVENT\r\nUID:{uid}\r\nDTSTAMP:20260101T000000Z\r\n\
         DTSTART:20261201T{hour:02}0000Z\r\nDTEND:20261201T{:02}0000Z\r\n{class}SUMMARY:{summary}\r\n\
         DESCRIPTION:details of {summary}\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n",
        hour + 1
    )
}

fn classified_events_show_only_what_they_may(backend: Backend) {
    let env = StoreEnv::new(backend);
    let server = Server::start(&env, &[]);
    add_users(&env, &["alice", "bob", "carol"]);
    let cal = "/calendars/alice/calendar/";
    let put = |name: &str, body: String| {
        send_tagged(&server, "alice", "PUT", &format!("{cal}{name}"), "text/calendar", &body).0
    };
    assert_eq!(put("open.ics", event("open", "", "Réunion d'équipe", 8)), 201);
    assert_eq!(put("conf.ics", event("conf", "CLASS:CONFIDENTIAL\r\n", "Rendez-vous médecin", 10)), 201);
    assert_eq!(put("priv.ics", event("priv", "CLASS:PRIVATE\r\n", "Entretien confidentiel", 12)), 201);
    let acl = r#"<D:acl xmlns:D="DAV:"><D:ace><D:principal><D:href>/principals/bob/</D:href></D:principal><D:grant><D:privilege><D:read/></D:privilege></D:grant></D:ace><D:ace><D:principal><D:href>/principals/carol/</D:href></D:principal><D:grant><D:privilege><D:read/></D:privilege><D:privilege><D:write/></D:privilege></D:grant></D:ace></D:acl>"#;
    assert_eq!(send_tagged(&server, "alice", "ACL", cal, "application/xml", acl).0, 200);

    let listing = |user: &str| {
        send_tagged(
            &server,
            user,
            "PROPFIND",
            cal,
            "application/xml",
            r#"<D:propfind xmlns:D="DAV:"><D:prop><D:getetag/></D:prop></D:propfind>"#,
        )
        .2
    };
    let bob_list = listing("bob");
    assert!(
        bob_list.contains("open.ics") && bob_list.contains("conf.ics") && !bob_list.contains("priv.ics"),
        "{bob_list}"
    );
    for user in ["alice", "carol"] {
        assert!(listing(user).contains("priv.ics"), "{user} sees everything");
    }

    // GET: a stub with its own ETag, or nothing.
    let (status, stub_etag, stub) = send_tagged(&server, "bob", "GET", &format!("{cal}conf.ics"), "text/plain", "");
    assert_eq!(status, 200);
    assert!(stub.contains("DTSTART:20261201T100000Z") && stub.contains("SUMMARY:Busy"), "{stub}");
    assert!(!stub.contains("médecin") && !stub.contains("details"), "{stub}");
    let (_, full_etag, full) = send_tagged(&server, "carol", "GET", &format!("{cal}conf.ics"), "text/plain", "");
    assert!(full.contains("médecin"), "writers see everything");
    assert_ne!(stub_etag, full_etag);
    assert_eq!(send_tagged(&server, "bob", "GET", &format!("{cal}priv.ics"), "text/plain", "").0, 404);

    // Reports: multiget, text search, time range, sync.
    let multiget = format!(
        r#"<C:calendar-multiget xmlns:D="DAV:" xmlns:C="urn:ietf:params:xml:ns:caldav"><D:prop><D:getetag/><C:calendar-data/></D:prop><D:href>{cal}conf.ics</D:href><D:href>{cal}priv.ics</D:href></C:calendar-multiget>"#
    );
    let (_, _, body) = send_tagged(&server, "bob", "REPORT", cal, "application/xml", &multiget);
    assert!(body.contains("SUMMARY:Busy") && !body.contains("médecin"), "{body}");
    assert!(body.contains(&format!("<D:href>{cal}priv.ics</D:href><D:status>HTTP/1.1 404")), "{body}");
    assert!(body.contains(&format!("<D:getetag>{stub_etag}</D:getetag>")), "listings give the stub's ETag: {body}");
    let search = |user: &str, text: &str| {
        let q = format!(
            r#"<C:calendar-query xmlns:D="DAV:" xmlns:C="urn:ietf:params:xml:ns:caldav"><D:prop><D:getetag/></D:prop><C:filter><C:comp-filter name="VCALENDAR"><C:comp-filter name="VEVENT"><C:prop-filter name="SUMMARY"><C:text-match>{text}</C:text-match></C:prop-filter></C:comp-filter></C:comp-filter></C:filter></C:calendar-query>"#
        );
        send_tagged(&server, user, "REPORT", cal, "application/xml", &q).2
    };
    assert!(!search("bob", "médecin").contains("conf.ics"), "hidden details cannot be searched");
    assert!(!search("bob", "Entretien").contains("priv.ics"));
    assert!(search("carol", "médecin").contains("conf.ics"));
    let range = r#"<C:calendar-query xmlns:D="DAV:" xmlns:C="urn:ietf:params:xml:ns:caldav"><D:prop><D:getetag/></D:prop><C:filter><C:comp-filter name="VCALENDAR"><C:comp-filter name="VEVENT"><C:time-range start="20261201T000000Z" end="20261202T000000Z"/></C:comp-filter></C:comp-filter></C:filter></C:calendar-query>"#;
    let (_, _, body) = send_tagged(&server, "bob", "REPORT", cal, "application/xml", range);
    assert!(body.contains("open.ics") && body.contains("conf.ics") && !body.contains("priv.ics"), "{body}");
    let sync = r#"<D:sync-collection xmlns:D="DAV:"><D:sync-token/><D:sync-level>1</D:sync-level><D:prop><D:getetag/></D:prop></D:sync-collection>"#;
    let (_, _, body) = send_tagged(&server, "bob", "REPORT", cal, "application/xml", sync);
    assert!(body.contains("conf.ics") && !body.contains("priv.ics"), "{body}");
    // Free/busy still counts the private event's time.
    let fb = r#"<C:free-busy-query xmlns:C="urn:ietf:params:xml:ns:caldav"><C:time-range start="20261201T000000Z" end="20261202T000000Z"/></C:free-busy-query>"#;
    let (_, _, body) = send_tagged(&server, "bob", "REPORT", cal, "application/xml", fb);
    assert!(body.contains("20261201T120000Z/20261201T130000Z") && !body.contains("Entretien"), "{body}");
}
