//! Calendars subscribed to an external iCalendar feed (served here on loopback),
//! on both stores: created by MKCALENDAR with CS:source or Apple's CS:subscribed
//! MKCOL, filled by the server, read-only for clients, following the feed as it
//! changes, and keeping its content while the feed is down. Without
//! `feeds_allow_private`, feeds inside the server's network are refused however
//! they are named: at creation (403 with the reason) when the URL shows it, when
//! fetched otherwise; their secret URLs stay out of the log.

mod common;

use std::io::{BufRead, BufReader, Write};
use std::net::TcpListener;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use common::*;

agora_testkit::on_both_stores!(subscribed_calendars_follow_their_feed, feeds_inside_the_network_are_refused);

/// A feed on loopback: answers every request with the current body, or 500 when
/// there is none.
fn serve_feed(body: Arc<Mutex<Option<String>>>) -> u16 {
    serve(body, None).0
}

/// A server on loopback answering every request with the current body (or 500
/// when there is none), or with a redirect to `location`; counts its requests.
fn serve(body: Arc<Mutex<Option<String>>>, location: Option<String>) -> (u16, Arc<AtomicUsize>) {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    let hits = Arc::new(AtomicUsize::new(0));
    let counted = hits.clone();
    std::thread::spawn(move || {
        for stream in listener.incoming().map_while(Result::ok) {
            let mut reader = BufReader::new(&stream);
            let mut line = String::new();
            while reader.read_line(&mut line).is_ok_and(|n| n > 2) {
                line.clear();
            }
            counted.fetch_add(1, Ordering::SeqCst);
            let current = body.lock().unwrap().clone();
            let answer = match (&location, current) {
                (Some(to), _) => {
                    format!("HTTP/1.1 302 Found\r\nLocation: {to}\r\nContent-Length: 0\r\nConnection: close\r\n\r\n")
                }
                (None, Some(text)) => format!(
                    "HTTP/1.1 200 OK\r\nContent-Type: text/calendar\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{text}",
                    text.len()
                ),
                (None, None) => "HTTP/1.1 500 Oops\r\nContent-Length: 0\r\nConnection: close\r\n\r\n".into(),
            };
            let _ = (&stream).write_all(answer.as_bytes());
        }
    });
    (port, hits)
}

const ZONE: &str = "BEGIN:VTIMEZONE\r\nTZID:Europe/Paris\r\nBEGIN:STANDARD\r\nDTSTART:19701025T030000\r\n\
    TZOFFSETFROM:+0200\r\nTZOFFSETTO:+0100\r\nRRULE:FREQ=YEARLY;BYMONTH=10;BYDAY=-1SU\r\nEND:STANDARD\r\n\
    BEGIN:DAYLIGHT\r\nDTSTART:19700329T020000\r\nTZOFFSETFROM:+0100\r\nTZOFFSETTO:+0200\r\n\
    RRULE:FREQ=YEARLY;BYMONTH=3;BYDAY=-1SU\r\nEND:DAYLIGHT\r\nEND:VTIMEZONE\r\n";

fn feed(events: &[(&str, &str)]) -> String {
    let mut out = String::from("BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//Feed//EN\r\nX-WR-CALNAME:Fêtes\r\n");
    out.push_str(ZONE);
    for (uid, summary) in events {
        out.push_str(&format!(
            "BEGIN:VEVENT\r\nUID:{uid}\r\nDTSTAMP:20260101T000000Z\r\nDTSTART;TZID=Europe/Paris:20261207T100000\r\n\
             DURATION:PT1H\r\nRRULE:FREQ=WEEKLY;COUNT=4\r\nSUMMARY:{summary}\r\nEND:VEVENT\r\n\
             BEGIN:VEVENT\r\nUID:{uid}\r\nDTSTAMP:20260101T000000Z\r\nRECURRENCE-ID;TZID=Europe/Paris:20261214T100000\r\n\
             DTSTART;TZID=Europe/Paris:20261214T150000\r\nDURATION:PT1H\r\nSUMMARY:{summary} (moved)\r\nEND:VEVENT\r\n"
        ));
    }
    out.push_str("END:VCALENDAR\r\n");
    out
}

fn sync(server: &Server, path: &str, token: &str) -> String {
    let body = format!(
        r#"<D:sync-collection xmlns:D="DAV:"><D:sync-token>{token}</D:sync-token><D:sync-level>1</D:sync-level><D:prop><D:getetag/></D:prop></D:sync-collection>"#
    );
    let (status, text) = send(server, "alice", "REPORT", path, "application/xml", &body);
    assert_eq!(status, 207, "{text}");
    text
}

fn token(body: &str) -> String {
    let start = body.find("<D:sync-token>").unwrap() + "<D:sync-token>".len();
    body[start..start + body[start..].find('<').unwrap()].to_owned()
}

/// Waits until the calendar holds `n` objects; returns the listing.
fn wait_for(server: &Server, path: &str, n: usize) -> String {
    let deadline = Instant::now() + Duration::from_secs(20);
    loop {
        let listing = sync(server, path, "");
        if listing.matches("<D:response>").count() == n {
            return listing;
        }
        assert!(Instant::now() < deadline, "expected {n} objects: {listing}");
        std::thread::sleep(Duration::from_millis(100));
    }
}

fn mkcalendar(source: &str) -> String {
    format!(
        r#"<C:mkcalendar xmlns:D="DAV:" xmlns:C="urn:ietf:params:xml:ns:caldav" xmlns:CS="http://calendarserver.org/ns/"><D:set><D:prop><D:displayname>Fêtes</D:displayname><CS:source><D:href>{source}</D:href></CS:source></D:prop></D:set></C:mkcalendar>"#
    )
}

/// A 403 refusing the feed URL, with Agora's condition and `reason` for people.
fn assert_refused(status: u16, body: &str, reason: &str) {
    assert_eq!(status, 403, "{body}");
    assert!(body.contains(r#"<X:valid-feed-source xmlns:X="urn:x-agora:ns"/>"#), "{body}");
    assert!(body.contains(&format!(r#"<A:reason xmlns:A="urn:x-agora:ns">{reason}</A:reason>"#)), "{body}");
}

/// The calendar's `A:feed-status` as PROPFIND answers it, once it is `wanted`.
fn wait_for_status(server: &Server, path: &str, wanted: impl Fn(&str) -> bool) -> String {
    let ask = r#"<D:propfind xmlns:D="DAV:" xmlns:A="urn:x-agora:ns"><D:prop><A:feed-status/></D:prop></D:propfind>"#;
    let deadline = Instant::now() + Duration::from_secs(20);
    loop {
        let (status, text) = send(server, "alice", "PROPFIND", path, "application/xml", ask);
        assert_eq!(status, 207, "{text}");
        if wanted(&text) {
            return text;
        }
        assert!(Instant::now() < deadline, "feed status: {text}");
        std::thread::sleep(Duration::from_millis(100));
    }
}

fn subscribed_calendars_follow_their_feed(backend: Backend) {
    let env = StoreEnv::new(backend);
    let body = Arc::new(Mutex::new(Some(feed(&[("noel", "Noël"), ("fin", "Fin d'année")]))));
    let port = serve_feed(body.clone());
    let server = Server::start(&env, &["--refresh-seconds", "1", "--feeds-allow-private", "true"]);
    add_users(&env, &["alice"]);
    let cal = "/calendars/alice/holidays/";
    let source = format!("webcal://127.0.0.1:{port}/feed.ics");

    // Bad sources are refused with the reason, and so is link-local even here.
    for (source, reason) in [
        ("file:///etc/passwd", "feed URL file:/// is not http, https or webcal: refused"),
        ("http://169.254.169.254/latest/x.ics", "feed address 169.254.169.254 is link-local: refused"),
        ("http://0.0.0.0:8008/x.ics", "feed address 0.0.0.0 is unspecified: refused"),
    ] {
        let (status, text) =
            send(&server, "alice", "MKCALENDAR", "/calendars/alice/bad/", "application/xml", &mkcalendar(source));
        assert_refused(status, &text, reason);
    }

    assert_eq!(send(&server, "alice", "MKCALENDAR", cal, "application/xml", &mkcalendar(&source)).0, 201);
    let first = wait_for(&server, cal, 2);

    // An ordinary calendar to clients: time-range queries expand the series.
    let query = r#"<C:calendar-query xmlns:D="DAV:" xmlns:C="urn:ietf:params:xml:ns:caldav"><D:prop><C:calendar-data/></D:prop><C:filter><C:comp-filter name="VCALENDAR"><C:comp-filter name="VEVENT"><C:time-range start="20261214T130000Z" end="20261214T150000Z"/></C:comp-filter></C:comp-filter></C:filter></C:calendar-query>"#;
    let (_, found) = send(&server, "alice", "REPORT", cal, "application/xml", query);
    assert_eq!(found.matches("<D:response>").count(), 2, "the moved instances at 15:00 Paris: {found}");
    assert!(found.contains("SUMMARY:Noël (moved)") && found.contains("BEGIN:VTIMEZONE"), "{found}");
    let props = r#"<D:propfind xmlns:D="DAV:" xmlns:CS="http://calendarserver.org/ns/"><D:prop><D:resourcetype/><D:current-user-privilege-set/><CS:source/><D:displayname/></D:prop></D:propfind>"#;
    let (_, mine) = send(&server, "alice", "PROPFIND", cal, "application/xml", props);
    let mine = mine.split("</D:response>").next().unwrap().to_owned();
    assert!(mine.contains("<C:calendar/>") && mine.contains(&format!("<D:href>{source}</D:href>")), "{mine}");
    assert!(mine.contains("<D:read/>") && !mine.contains("<D:write-content/>"), "{mine}");

    // Read-only for clients, even the owner; its own properties are the owner's.
    let start = first.find(&format!("<D:href>{cal}")).unwrap() + "<D:href>".len();
    let member = &first[start..start + first[start..].find('<').unwrap()];
    let event = "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:x\r\nBEGIN:VEVENT\r\nUID:mine\r\nDTSTAMP:20260101T000000Z\r\nDTSTART:20261201T100000Z\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n";
    assert_eq!(send(&server, "alice", "PUT", &format!("{cal}mine.ics"), "text/calendar", event).0, 403);
    assert_eq!(send(&server, "alice", "PUT", member, "text/calendar", event).0, 403);
    assert_eq!(send(&server, "alice", "DELETE", member, "text/plain", "").0, 403);
    let rename = r#"<D:propertyupdate xmlns:D="DAV:"><D:set><D:prop><D:displayname>Jours fériés</D:displayname></D:prop></D:set></D:propertyupdate>"#;
    assert_eq!(send(&server, "alice", "PROPPATCH", cal, "application/xml", rename).0, 207);

    // The feed changes: one event goes, the other changes; clients see a delta.
    let before = token(&first);
    *body.lock().unwrap() = Some(feed(&[("noel", "Noël en famille")]));
    wait_for(&server, cal, 1);
    let delta = sync(&server, cal, &before);
    assert!(delta.contains("HTTP/1.1 404"), "the removed event: {delta}");
    let everything = r#"<C:calendar-query xmlns:D="DAV:" xmlns:C="urn:ietf:params:xml:ns:caldav"><D:prop><C:calendar-data/></D:prop><C:filter><C:comp-filter name="VCALENDAR"/></C:filter></C:calendar-query>"#;
    let (_, now) = send(&server, "alice", "REPORT", cal, "application/xml", everything);
    assert!(now.contains("SUMMARY:Noël en famille") && !now.contains("Fin d'année"), "{now}");

    // The last fetch succeeded: an empty status, and only when asked for.
    let ok = r#"<A:feed-status xmlns:A="urn:x-agora:ns"/>"#;
    wait_for_status(&server, cal, |t| t.contains(ok));
    let allprop = r#"<D:propfind xmlns:D="DAV:"><D:allprop/></D:propfind>"#;
    let (_, all) = send(&server, "alice", "PROPFIND", cal, "application/xml", allprop);
    assert!(all.contains("<D:resourcetype>") && !all.contains("feed-status"), "{all}");
    let ask = r#"<D:propfind xmlns:D="DAV:" xmlns:A="urn:x-agora:ns"><D:prop><A:feed-status/></D:prop></D:propfind>"#;
    let (_, plain) = send(&server, "alice", "PROPFIND", "/calendars/alice/calendar/", "application/xml", ask);
    assert!(plain.contains("HTTP/1.1 404") && plain.contains("feed-status"), "not a subscription: {plain}");
    let set = r#"<D:propertyupdate xmlns:D="DAV:" xmlns:A="urn:x-agora:ns"><D:set><D:prop><A:feed-status/></D:prop></D:set></D:propertyupdate>"#;
    let (_, patched) = send(&server, "alice", "PROPPATCH", cal, "application/xml", set);
    assert!(patched.contains("feed-status") && patched.contains("HTTP/1.1 403"), "protected: {patched}");

    // The feed is down: the calendar keeps what it had, and says why.
    *body.lock().unwrap() = None;
    let failed = wait_for_status(&server, cal, |t| t.contains("<A:error>"));
    let error =
        format!("<A:error>http://127.0.0.1:{port}/ not fetched: HTTP status 500 Internal Server Error</A:error>");
    assert!(failed.contains(&format!(r#"<A:feed-status xmlns:A="urn:x-agora:ns">{error}<A:time>20"#)), "{failed}");
    assert!(failed.contains("Z</A:time></A:feed-status>"), "{failed}");
    std::thread::sleep(Duration::from_millis(1500));
    assert_eq!(sync(&server, cal, "").matches("<D:response>").count(), 1);

    // Apple's form: MKCOL with the CalendarServer subscribed resource type.
    *body.lock().unwrap() = Some(feed(&[("a", "A"), ("b", "B"), ("c", "C")]));
    let apple = format!(
        r#"<D:mkcol xmlns:D="DAV:" xmlns:CS="http://calendarserver.org/ns/"><D:set><D:prop><D:resourcetype><D:collection/><CS:subscribed/></D:resourcetype><CS:source><D:href>http://localhost:{port}/x.ics</D:href></CS:source></D:prop></D:set></D:mkcol>"#
    );
    assert_eq!(send(&server, "alice", "MKCOL", "/calendars/alice/apple/", "application/xml", &apple).0, 201);
    wait_for(&server, "/calendars/alice/apple/", 3);
    // The feed is back: the status is empty again.
    wait_for_status(&server, cal, |t| t.contains(ok));
    let no_source = r#"<D:mkcol xmlns:D="DAV:" xmlns:CS="http://calendarserver.org/ns/"><D:set><D:prop><D:resourcetype><D:collection/><CS:subscribed/></D:resourcetype></D:prop></D:set></D:mkcol>"#;
    assert_eq!(send(&server, "alice", "MKCOL", "/calendars/alice/nosrc/", "application/xml", no_source).0, 400);
}

/// Without `feeds_allow_private`, a feed whose URL names an address inside the
/// server's network (or `localhost`) is refused at creation, in MKCALENDAR and in
/// Apple's MKCOL, with the reason and without the URL's secrets, and no calendar
/// is made. A feed on loopback reached by a redirect from a public-looking host
/// (pinned here to a loopback redirector with `feeds_resolve`, standing for a
/// host on the Internet) can only be refused when fetched: nothing is fetched
/// from it, nothing is stored, and the log shows no path or query of the URLs.
fn feeds_inside_the_network_are_refused(backend: Backend) {
    let env = StoreEnv::new(backend);
    let body = Arc::new(Mutex::new(Some(feed(&[("noel", "Noël")]))));
    let (port, inside) = serve(body.clone(), None);
    let to_inside = format!("http://127.0.0.1:{port}/secret-inside.ics?token=hush-inside");
    let (relay, relayed) = serve(body, Some(to_inside));
    let server = Server::start(&env, &["--refresh-seconds", "1", "--feeds-resolve", "feeds.example=127.0.0.1"]);
    add_users(&env, &["alice"]);

    let loopback = format!("http://127.0.0.1:{port}/secret/basic.ics?token=hush");
    let named = format!("webcal://localhost:{port}/secret-named/basic.ics");
    let at_creation = [
        ("http://169.254.169.254/latest/secret?token=hush", "feed address 169.254.169.254 is link-local: refused"),
        (loopback.as_str(), "feed address 127.0.0.1 is loopback: refused"),
        ("http://10.0.0.1/secret.ics", "feed address 10.0.0.1 is private network: refused"),
        ("webcal://192.168.1.20/secret.ics", "feed address 192.168.1.20 is private network: refused"),
        ("http://[::1]:8000/secret.ics", "feed address ::1 is loopback: refused"),
        ("http://[::ffff:169.254.169.254]/secret", "feed address ::ffff:169.254.169.254 is link-local: refused"),
        ("http://[fd00:ec2::254]/secret", "feed address fd00:ec2::254 is unique-local: refused"),
        ("http://2130706433/secret", "feed address 127.0.0.1 is loopback: refused"),
        (named.as_str(), "feed host localhost is loopback: refused"),
        ("ftp://feeds.example/secret.ics", "feed URL ftp://feeds.example/ is not http, https or webcal: refused"),
    ];
    for (source, reason) in at_creation {
        let (status, text) =
            send(&server, "alice", "MKCALENDAR", "/calendars/alice/refused/", "application/xml", &mkcalendar(source));
        assert_refused(status, &text, reason);
        assert!(!text.contains("secret") && !text.contains("hush"), "{text}");
        let apple = format!(
            r#"<D:mkcol xmlns:D="DAV:" xmlns:CS="http://calendarserver.org/ns/"><D:set><D:prop><D:resourcetype><D:collection/><CS:subscribed/></D:resourcetype><CS:source><D:href>{source}</D:href></CS:source></D:prop></D:set></D:mkcol>"#
        );
        let (status, text) = send(&server, "alice", "MKCOL", "/calendars/alice/refused/", "application/xml", &apple);
        assert_refused(status, &text, reason);
    }
    let (status, _) = send(&server, "alice", "PROPFIND", "/calendars/alice/refused/", "application/xml", "");
    assert_eq!(status, 404, "no calendar was made");

    let path = "/calendars/alice/redirected/";
    let source = format!("http://user:hush-password@feeds.example:{relay}/secret-relay.ics");
    assert_eq!(send(&server, "alice", "MKCALENDAR", path, "application/xml", &mkcalendar(&source)).0, 201);

    // Refused at every refresh; wait for two rounds.
    let deadline = Instant::now() + Duration::from_secs(20);
    // The log names the calendar by its stored path, without the leading slash.
    let this_feed = |l: &&str| l.contains("feed not fetched") && l.contains("=calendars/alice/redirected/");
    let refused = |log: &str| log.lines().filter(this_feed).count();
    while refused(&server.log_text()) < 2 {
        assert!(Instant::now() < deadline, "feed not refused twice: {}", server.log_text());
        std::thread::sleep(Duration::from_millis(100));
    }
    assert_eq!(inside.load(Ordering::SeqCst), 0, "the feed inside was never reached");
    assert!(relayed.load(Ordering::SeqCst) >= 2, "the public-looking host was asked, then its redirect refused");
    assert_eq!(sync(&server, path, "").matches("<D:response>").count(), 0);
    let log = server.log_text();
    for secret in ["secret", "hush"] {
        assert!(!log.contains(secret), "{secret} in the log: {log}");
    }
    let line = log.lines().find(this_feed).unwrap();
    assert!(line.contains(&format!("http://feeds.example:{relay}/")), "{line}");
    assert!(line.contains("redirect 1: 127.0.0.1 is a refused address (loopback)"), "{line}");
    // The owner sees why, without the URL's secrets.
    let status = wait_for_status(&server, path, |t| t.contains("<A:error>"));
    let reason = format!(
        "http://feeds.example:{relay}/ not fetched: refused: redirect 1: 127.0.0.1 is a refused address (loopback)"
    );
    assert!(status.contains(&reason), "{status}");
    assert!(!status.contains("secret") && !status.contains("hush"), "{status}");
}
