//! DAV through the web session cookie: the same requests and the same core
//! path as Basic, but only with the session's `X-Agora-CSRF` header — on both
//! stores.

mod common;

use common::web::*;
use common::*;

agora_testkit::on_both_stores!(
    cookie_requests_without_the_csrf_header_do_nothing,
    a_put_through_the_cookie_is_the_same_write_as_by_basic,
    basic_wins_over_the_cookie,
);

const EVENT: &str = "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//test//EN\r\nBEGIN:VEVENT\r\nUID:web-1\r\n\
DTSTAMP:20260101T000000Z\r\nDTSTART:20260110T090000Z\r\nDTEND:20260110T100000Z\r\nSUMMARY:From the web\r\n\
END:VEVENT\r\nEND:VCALENDAR\r\n";

const PATH: &str = "/calendars/alice/calendar/web-1.ics";

fn basic_get(server: &Server, path: &str) -> (u16, String, String) {
    let r = client().get(server.url(path)).basic_auth("alice", Some(PASSWORD)).send().unwrap();
    let etag = r.headers().get("etag").map(|v| v.to_str().unwrap().to_owned()).unwrap_or_default();
    (r.status().as_u16(), etag, r.text().unwrap())
}

fn cookie_requests_without_the_csrf_header_do_nothing(backend: Backend) {
    let env = StoreEnv::new(backend);
    let server = Server::start(&env, &[]);
    add_users(&env, &["alice"]);
    let web = login(&server, "alice", PASSWORD);
    let forbidden = |r: reqwest::blocking::Response, what: &str| {
        assert_eq!(r.status(), 403, "{what}");
        assert!(r.text().unwrap().contains("X-Agora-CSRF"), "{what}");
    };
    for csrf in [None, Some("wrong"), Some("")] {
        let what = format!("csrf {csrf:?}");
        let propfind = web.request(&server, "PROPFIND", "/calendars/alice/", csrf).header("Depth", "1").send();
        forbidden(propfind.unwrap(), &what);
        let put =
            web.request(&server, "PUT", PATH, csrf).header("Content-Type", "text/calendar").body(EVENT).send().unwrap();
        forbidden(put, &what);
        assert_eq!(basic_get(&server, PATH).0, 404, "nothing written ({what})");
        forbidden(web.request(&server, "GET", "/calendars/alice/calendar/", csrf).send().unwrap(), &what);
    }
    // With the header the same requests go through.
    let propfind = web.send(&server, "PROPFIND", "/calendars/alice/").header("Depth", "1").send().unwrap();
    assert_eq!(propfind.status(), 207);
    assert!(propfind.text().unwrap().contains("/calendars/alice/calendar/"));
    let put = web.send(&server, "PUT", PATH).header("Content-Type", "text/calendar").body(EVENT).send().unwrap();
    assert_eq!(put.status(), 201);
    for csrf in [None, Some("wrong")] {
        forbidden(web.request(&server, "DELETE", PATH, csrf).send().unwrap(), &format!("DELETE {csrf:?}"));
        assert_eq!(basic_get(&server, PATH).0, 200, "still there");
    }
    assert_eq!(web.send(&server, "DELETE", PATH).send().unwrap().status(), 204);
    assert_eq!(basic_get(&server, PATH).0, 404);
    // A cookie that opens no session is refused before the CSRF check.
    let stale = client()
        .request(reqwest::Method::from_bytes(b"PROPFIND").unwrap(), server.url("/calendars/alice/"))
        .header("Cookie", "agora_session=AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA")
        .header("X-Agora-CSRF", &web.csrf)
        .send()
        .unwrap();
    assert_eq!(stale.status(), 401);
    // The page's request without any cookie left is signed out, not asked for Basic.
    let dropped = client()
        .request(reqwest::Method::from_bytes(b"PROPFIND").unwrap(), server.url("/calendars/alice/"))
        .header("X-Agora-CSRF", &web.csrf)
        .send()
        .unwrap();
    assert_eq!(dropped.status(), 401);
    let challenge = dropped.headers()["www-authenticate"].to_str().unwrap().to_owned();
    assert!(challenge.starts_with("Session"), "{challenge}");
}

fn a_put_through_the_cookie_is_the_same_write_as_by_basic(backend: Backend) {
    let env = StoreEnv::new(backend);
    let server = Server::start(&env, &[]);
    add_users(&env, &["alice", "bob"]);
    let web = login(&server, "alice", PASSWORD);
    let put = web.send(&server, "PUT", PATH).header("Content-Type", "text/calendar").body(EVENT).send().unwrap();
    assert_eq!(put.status(), 201);
    let etag = put.headers()["etag"].to_str().unwrap().to_owned();
    let (status, basic_etag, body) = basic_get(&server, PATH);
    assert_eq!((status, basic_etag), (200, etag.clone()));
    assert!(body.contains("SUMMARY:From the web"));
    // The same conditions and validation as any client.
    let stale = web
        .send(&server, "PUT", PATH)
        .header("Content-Type", "text/calendar")
        .header("If-Match", "\"not-the-etag\"")
        .body(EVENT.replace("From the web", "Changed"))
        .send()
        .unwrap();
    assert_eq!(stale.status(), 412);
    let invalid = web.send(&server, "PUT", "/calendars/alice/calendar/bad.ics").header("Content-Type", "text/calendar");
    let invalid = invalid.body("BEGIN:VCALENDAR\r\nEND:VCALENDAR\r\n").send().unwrap().status().as_u16();
    let by_basic = request(
        &server,
        "alice",
        "PUT",
        "/calendars/alice/calendar/bad.ics",
        "0",
        "text/calendar",
        "BEGIN:VCALENDAR\r\nEND:VCALENDAR\r\n",
    );
    assert_eq!(invalid, by_basic.status().as_u16());
    assert!(invalid >= 400);
    // And the same authorization: alice's session cannot write bob's calendar.
    assert_eq!(send(&server, "bob", "PROPFIND", "/calendars/bob/", "application/xml", "").0, 207);
    let other = web
        .send(&server, "PUT", "/calendars/bob/calendar/x.ics")
        .header("Content-Type", "text/calendar")
        .body(EVENT.replace("web-1", "web-2"))
        .send()
        .unwrap();
    assert_eq!(other.status(), 403);
    let r = client().get(server.url("/calendars/bob/calendar/x.ics")).basic_auth("bob", Some(PASSWORD)).send();
    assert_eq!(r.unwrap().status(), 404, "nothing written in bob's calendar");
}

fn basic_wins_over_the_cookie(backend: Backend) {
    let env = StoreEnv::new(backend);
    let server = Server::start(&env, &[]);
    add_users(&env, &["alice", "bob"]);
    let web = login(&server, "alice", PASSWORD);
    // A request with both is Basic's: no CSRF header needed, and it is bob's.
    let r = web.request(&server, "GET", "/", None).basic_auth("bob", Some(PASSWORD)).send().unwrap();
    assert_eq!(r.status(), 200);
    assert!(r.text().unwrap().contains("signed in as bob"));
    // Wrong Basic credentials are refused even with a valid cookie.
    let r = web.send(&server, "GET", "/").basic_auth("alice", Some("wrong")).send().unwrap();
    assert_eq!(r.status(), 401);
    assert!(r.headers()["www-authenticate"].to_str().unwrap().starts_with("Basic"));
    // The cookie alone, with its header, is alice's.
    let r = web.send(&server, "GET", "/").send().unwrap();
    assert!(r.text().unwrap().contains("signed in as alice"));
}
