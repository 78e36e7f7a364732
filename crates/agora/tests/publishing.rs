//! Published calendars: a secret link serves a read-only feed without login,
//! honouring private events; revoking ends it. On both stores.

mod common;

use common::*;

agora_testkit::on_both_stores!(secret_links_serve_read_only_feeds);

/// A Depth 0 request answering the status and body.
fn send0(server: &Server, user: &str, method: &str, path: &str, ct: &str, body: &str) -> (u16, String) {
    let r = request(server, user, method, path, "0", ct, body);
    (r.status().as_u16(), r.text().unwrap())
}

fn event(uid: &str, class: &str) -> String {
    format!(
        "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:x\r\nBEGIN:VEVENT\r\nUID:{uid}\r\nDTSTAMP:20260101T000000Z\r\n\
         DTSTART:20261201T100000Z\r\nDTEND:20261201T110000Z\r\n{class}SUMMARY:Sujet {uid}\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n"
    )
}

fn secret_links_serve_read_only_feeds(backend: Backend) {
    let env = StoreEnv::new(backend);
    let server = Server::start(&env, &[]);
    env.cli_ok(&["user", "add", "alice", "--password-stdin"], Some("long-password\n"));
    let cal = "/calendars/alice/calendar/";
    for (uid, class) in [("open", ""), ("conf", "CLASS:CONFIDENTIAL\r\n"), ("priv", "CLASS:PRIVATE\r\n")] {
        assert_eq!(
            send0(&server, "alice", "PUT", &format!("{cal}{uid}.ics"), "text/calendar", &event(uid, class)).0,
            201
        );
    }
    let link = env.cli_ok(&["publish", "add", "calendars/alice/calendar"], None).trim().to_owned();
    assert!(link.starts_with("/publish/") && link.ends_with(".ics"), "{link}");
    let feed = client().get(server.url(&link)).send().unwrap();
    assert_eq!(feed.status(), 200, "no login needed");
    assert!(feed.headers()["content-type"].to_str().unwrap().starts_with("text/calendar"));
    let body = feed.text().unwrap();
    assert!(
        body.contains("SUMMARY:Sujet open") && body.contains("UID:conf") && body.contains("SUMMARY:Busy"),
        "{body}"
    );
    assert!(!body.contains("Sujet conf") && !body.contains("UID:priv") && !body.contains("Sujet priv"), "{body}");
    assert_eq!(body.matches("BEGIN:VCALENDAR").count(), 1);

    // The owner sees the link; POST with CalendarServer's body revokes or renews it.
    let props = r#"<D:propfind xmlns:D="DAV:" xmlns:CS="http://calendarserver.org/ns/"><D:prop><CS:publish-url/></D:prop></D:propfind>"#;
    let (_, found) = send0(&server, "alice", "PROPFIND", cal, "application/xml", props);
    assert!(found.contains(&format!("<D:href>{link}</D:href>")), "{found}");
    let unpublish = r#"<CS:unpublish-calendar xmlns:CS="http://calendarserver.org/ns/"/>"#;
    assert_eq!(send0(&server, "alice", "POST", cal, "application/xml", unpublish).0, 200);
    assert_eq!(client().get(server.url(&link)).send().unwrap().status(), 404, "revoked");
    let publish = r#"<CS:publish-calendar xmlns:CS="http://calendarserver.org/ns/"/>"#;
    assert_eq!(send0(&server, "alice", "POST", cal, "application/xml", publish).0, 200);
    let (_, found) = send0(&server, "alice", "PROPFIND", cal, "application/xml", props);
    assert!(found.contains("/publish/") && !found.contains(&link), "a new link: {found}");
    assert_eq!(client().get(server.url("/publish/0000.ics")).send().unwrap().status(), 404);
    assert_eq!(env.cli(&["publish", "del", "calendars/alice/tasks"], None).status.code(), Some(3));
}
