//! Delegation (CalendarServer calendar-proxy) over DAV, on both stores: a manager
//! names an assistant who manages her calendars and a reader who sees them.

mod common;

use common::*;

agora_testkit::on_both_stores!(delegates_read_or_manage_calendars);

fn members(hrefs: &[&str]) -> String {
    let list: String = hrefs.iter().map(|h| format!("<D:href>{h}</D:href>")).collect();
    format!(
        r#"<D:propertyupdate xmlns:D="DAV:"><D:set><D:prop><D:group-member-set>{list}</D:group-member-set></D:prop></D:set></D:propertyupdate>"#
    )
}

fn event(uid: &str) -> String {
    format!(
        "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:x\r\nBEGIN:VEVENT\r\nUID:{uid}\r\nDTSTAMP:20260101T000000Z\r\n\
         DTSTART:20261201T100000Z\r\nDTEND:20261201T110000Z\r\nSUMMARY:{uid}\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n"
    )
}

fn delegates_read_or_manage_calendars(backend: Backend) {
    let env = StoreEnv::new(backend);
    let server = Server::start(&env, &[]);
    add_users(&env, &["alice", "bob", "carol"]);
    let write_group = "/principals/alice/calendar-proxy-write/";
    let read_group = "/principals/alice/calendar-proxy-read/";
    assert_eq!(send(&server, "alice", "PUT", "/calendars/alice/calendar/a.ics", "text/calendar", &event("a")).0, 201);
    assert_eq!(send(&server, "bob", "GET", "/calendars/alice/calendar/a.ics", "text/plain", "").0, 403);

    // Only alice names her delegates.
    assert_eq!(
        send(&server, "bob", "PROPPATCH", write_group, "application/xml", &members(&["/principals/bob/"])).0,
        403
    );
    assert_eq!(
        send(&server, "alice", "PROPPATCH", write_group, "application/xml", &members(&["/principals/bob/"])).0,
        207
    );
    assert_eq!(
        send(&server, "alice", "PROPPATCH", read_group, "application/xml", &members(&["mailto:carol@example.org"])).0,
        207
    );

    let (_, listing) = send(
        &server,
        "bob",
        "PROPFIND",
        "/principals/alice/",
        "application/xml",
        r#"<D:propfind xmlns:D="DAV:"><D:prop><D:resourcetype/><D:group-member-set/></D:prop></D:propfind>"#,
    );
    assert!(
        listing.contains("<CS:calendar-proxy-write/>") && listing.contains("<CS:calendar-proxy-read/>"),
        "{listing}"
    );
    assert!(
        listing.contains("<D:group-member-set><D:href>/principals/bob/</D:href></D:group-member-set>"),
        "{listing}"
    );
    let (_, bob) = send(
        &server,
        "bob",
        "PROPFIND",
        "/principals/bob/",
        "application/xml",
        r#"<D:propfind xmlns:D="DAV:" xmlns:CS="http://calendarserver.org/ns/"><D:prop><CS:calendar-proxy-write-for/><CS:calendar-proxy-read-for/><D:group-membership/></D:prop></D:propfind>"#,
    );
    assert!(bob.contains("<CS:calendar-proxy-write-for><D:href>/principals/alice/</D:href>"), "{bob}");
    assert!(bob.contains("<D:href>/principals/alice/calendar-proxy-write/</D:href>"), "{bob}");

    // bob manages every calendar of alice's, carol reads them; contacts stay private.
    assert_eq!(send(&server, "bob", "PUT", "/calendars/alice/calendar/b.ics", "text/calendar", &event("b")).0, 201);
    assert_eq!(send(&server, "bob", "GET", "/calendars/alice/tasks/", "text/plain", "").0, 200);
    assert_eq!(send(&server, "carol", "GET", "/calendars/alice/calendar/b.ics", "text/plain", "").0, 200);
    assert_eq!(send(&server, "carol", "PUT", "/calendars/alice/calendar/c.ics", "text/calendar", &event("c")).0, 403);
    assert_eq!(send(&server, "bob", "GET", "/addressbooks/alice/contacts/", "text/plain", "").0, 403);

    // Listing alice's calendar home shows a delegate her calendars, not what stays
    // hers alone (notifications); the listing itself is not refused.
    let r = request(&server, "carol", "PROPFIND", "/calendars/alice/", "1", "application/xml", "");
    assert_eq!(r.status(), 207);
    let home = r.text().unwrap();
    assert!(home.contains("/calendars/alice/calendar/") && home.contains("/calendars/alice/tasks/"), "{home}");
    assert!(!home.contains("/calendars/alice/notifications/"), "{home}");

    // Emptying the group ends the delegation at once.
    assert_eq!(send(&server, "alice", "PROPPATCH", write_group, "application/xml", &members(&[])).0, 207);
    assert_eq!(send(&server, "bob", "PUT", "/calendars/alice/calendar/d.ics", "text/calendar", &event("d")).0, 403);
    let (status, body) =
        send(&server, "alice", "PROPPATCH", write_group, "application/xml", &members(&["/principals/nobody/"]));
    assert_eq!(status, 403);
    assert!(body.contains("recognized-principal"), "{body}");
}
