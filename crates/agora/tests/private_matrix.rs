//! Nothing of a PRIVATE event, and nothing but the time of a CONFIDENTIAL one,
//! reaches a reader without write access — a read-only sharee, a free/busy-only
//! sharee, a read delegate, a reader by ACL grant, the anonymous reader of a
//! published feed — whatever the spelling of CLASS (RFC 5545 §3.1: names are
//! case-insensitive, parameters and folding allowed) and whichever method they
//! use: GET, PROPFIND, every REPORT, sync, free/busy, the collection listing,
//! COPY of an object or of a whole collection. Each cell checks the bytes that
//! came back or that the copy wrote, on both stores.

mod common;

use common::*;

agora_testkit::on_both_stores!(no_reader_obtains_hidden_details);

/// Every detail that must stay hidden carries this marker.
const SECRET: &str = "SECRET";

/// How a CLASS is written in an object: spellings real clients and hand-written
/// files use, and a class the server does not know (RFC 5545 §3.8.1.3: PRIVATE).
const PRIVATE_SPELLINGS: [&str; 5] = [
    "CLASS:PRIVATE",
    "Class:PRIVATE",
    "class;X-ORIGIN=\"a:b\":private",
    "CL\r\n ASS:PRI\r\n VATE",
    "CLASS:X-SECRET-LEVEL",
];
const CONFIDENTIAL_SPELLINGS: [&str; 3] = ["CLASS:CONFIDENTIAL", "Class:Confidential", "CLASS;X-A=1:\r\n CONFIDENTIAL"];

fn event(uid: &str, class_line: &str, hour: u32) -> String {
    format!(
        "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:x\r\nBEGIN:VEVENT\r\nUID:{uid}\r\nDTSTAMP:20260101T000000Z\r\n\
         DTSTART:20261201T{hour:02}0000Z\r\nDTEND:20261201T{hour:02}3000Z\r\n{class_line}\r\nSUMMARY:{SECRET} summary {uid}\r\n\
         DESCRIPTION:{SECRET} description\r\nLOCATION:{SECRET} location\r\n\
         ORGANIZER:mailto:alice@example.org\r\nATTENDEE;CN={SECRET} guest:mailto:guest@example.net\r\n\
         X-ANYTHING:{SECRET} x-property\r\nBEGIN:VALARM\r\nACTION:DISPLAY\r\nDESCRIPTION:{SECRET} alarm\r\n\
         TRIGGER:-PT15M\r\nEND:VALARM\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n"
    )
}

/// A public series whose one moved occurrence is PRIVATE: the whole object is.
fn series_with_private_override() -> String {
    format!(
        "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:x\r\nBEGIN:VEVENT\r\nUID:priv-series\r\nDTSTAMP:20260101T000000Z\r\n\
         DTSTART:20261130T200000Z\r\nDURATION:PT30M\r\nRRULE:FREQ=DAILY;COUNT=3\r\nSUMMARY:{SECRET} series\r\nEND:VEVENT\r\n\
         BEGIN:VEVENT\r\nUID:priv-series\r\nDTSTAMP:20260101T000000Z\r\nRECURRENCE-ID:20261201T200000Z\r\n\
         DTSTART:20261201T210000Z\r\nDURATION:PT30M\r\nclass:private\r\nSUMMARY:{SECRET} moved\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n"
    )
}

/// Asserts a reader's answer carries nothing hidden and no PRIVATE object.
fn clean(what: &str, body: &str) {
    assert!(!body.contains(SECRET) && !body.contains("guest@example.net"), "{what} leaked details: {body}");
    assert!(!body.contains("priv-"), "{what} leaked a PRIVATE object: {body}");
}

const PROPFIND_DATA: &str = r#"<D:propfind xmlns:D="DAV:" xmlns:C="urn:ietf:params:xml:ns:caldav"><D:prop><D:getetag/><D:getcontentlength/><D:displayname/><C:calendar-data/></D:prop></D:propfind>"#;
const ALLPROP: &str = r#"<D:propfind xmlns:D="DAV:"><D:allprop/></D:propfind>"#;
const QUERY_ALL: &str = r#"<C:calendar-query xmlns:D="DAV:" xmlns:C="urn:ietf:params:xml:ns:caldav"><D:prop><D:getetag/><C:calendar-data/></D:prop><C:filter><C:comp-filter name="VCALENDAR"/></C:filter></C:calendar-query>"#;
const QUERY_RANGE_EXPAND: &str = r#"<C:calendar-query xmlns:D="DAV:" xmlns:C="urn:ietf:params:xml:ns:caldav"><D:prop><C:calendar-data><C:expand start="20261130T000000Z" end="20261203T000000Z"/></C:calendar-data></D:prop><C:filter><C:comp-filter name="VCALENDAR"><C:comp-filter name="VEVENT"><C:time-range start="20261130T000000Z" end="20261203T000000Z"/></C:comp-filter></C:comp-filter></C:filter></C:calendar-query>"#;
const QUERY_JCAL: &str = r#"<C:calendar-query xmlns:D="DAV:" xmlns:C="urn:ietf:params:xml:ns:caldav"><D:prop><C:calendar-data content-type="application/calendar+json" version="4.0"/></D:prop><C:filter><C:comp-filter name="VCALENDAR"/></C:filter></C:calendar-query>"#;
const SYNC_DATA: &str = r#"<D:sync-collection xmlns:D="DAV:" xmlns:C="urn:ietf:params:xml:ns:caldav"><D:sync-token/><D:sync-level>1</D:sync-level><D:prop><D:getetag/><C:calendar-data/></D:prop></D:sync-collection>"#;
const FREE_BUSY: &str = r#"<C:free-busy-query xmlns:C="urn:ietf:params:xml:ns:caldav"><C:time-range start="20261130T000000Z" end="20261203T000000Z"/></C:free-busy-query>"#;

fn search(text: &str) -> String {
    format!(
        r#"<C:calendar-query xmlns:D="DAV:" xmlns:C="urn:ietf:params:xml:ns:caldav"><D:prop><D:getetag/></D:prop><C:filter><C:comp-filter name="VCALENDAR"><C:comp-filter name="VEVENT"><C:prop-filter name="{text}"><C:text-match>{SECRET}</C:text-match></C:prop-filter></C:comp-filter></C:comp-filter></C:filter></C:calendar-query>"#
    )
}

fn multiget(cal: &str, names: &[String]) -> String {
    let hrefs: String = names.iter().map(|n| format!("<D:href>{cal}{n}</D:href>")).collect();
    format!(
        r#"<C:calendar-multiget xmlns:D="DAV:" xmlns:C="urn:ietf:params:xml:ns:caldav"><D:prop><D:getetag/><C:calendar-data/></D:prop>{hrefs}</C:calendar-multiget>"#
    )
}

/// Every read a reader with `read` access can make of `cal`, each checked.
fn reads_show_no_secret(server: &Server, who: &str, cal: &str, names: &[String], confidential: &[String]) {
    let ask = |method: &str, path: &str, depth: &str, body: &str| {
        let r = request(server, who, method, path, depth, "application/xml", body);
        (r.status().as_u16(), r.text().unwrap())
    };
    for (what, method, depth, body) in [
        ("PROPFIND calendar-data", "PROPFIND", "1", PROPFIND_DATA),
        ("PROPFIND allprop", "PROPFIND", "1", ALLPROP),
        ("calendar-query", "REPORT", "1", QUERY_ALL),
        ("calendar-query expand", "REPORT", "1", QUERY_RANGE_EXPAND),
        ("calendar-query jCal", "REPORT", "1", QUERY_JCAL),
        ("sync-collection", "REPORT", "1", SYNC_DATA),
        ("free-busy-query", "REPORT", "1", FREE_BUSY),
    ] {
        let (status, text) = ask(method, cal, depth, body);
        assert!(status == 207 || status == 200, "{who} {what}: {status} {text}");
        clean(&format!("{who}: {what}"), &text);
    }
    let (_, listed) = ask("PROPFIND", cal, "1", PROPFIND_DATA);
    for conf in confidential {
        assert!(listed.contains(&format!("{cal}{conf}")), "{who} sees the CONFIDENTIAL {conf} as busy time: {listed}");
    }
    for prop in ["SUMMARY", "DESCRIPTION", "LOCATION", "ATTENDEE", "X-ANYTHING"] {
        let (status, found) = ask("REPORT", cal, "1", &search(prop));
        assert_eq!(status, 207, "{found}");
        assert!(!found.contains(".ics"), "{who} found a hidden {prop} by searching: {found}");
    }
    // A multiget names what it asks for: a PRIVATE object is answered 404.
    let (_, got) = ask("REPORT", cal, "1", &multiget(cal, names));
    assert!(!got.contains(SECRET) && !got.contains("UID:priv-"), "{who}: multiget leaked: {got}");
    for name in names.iter().filter(|n| n.starts_with("priv-")) {
        let answer = format!("<D:href>{cal}{name}</D:href><D:status>HTTP/1.1 404");
        assert!(got.contains(&answer), "{who}: multiget of {name}: {got}");
    }
    for name in names {
        let (status, body) = ask("GET", &format!("{cal}{name}"), "0", "");
        if name.starts_with("priv-") {
            assert_eq!(status, 404, "{who} GET {name}: {body}");
        } else {
            assert_eq!(status, 200, "{who} GET {name}: {body}");
            assert!(body.contains("DTSTART:20261201T") && body.contains("SUMMARY:Busy"), "{who} GET {name}: {body}");
            clean(&format!("{who}: GET {name}"), &body);
        }
    }
    let (_, text) = ask("GET", cal, "0", "");
    clean(&format!("{who}: GET of the collection"), &text);
    // Free/busy still shows every event's time, the private ones included.
    let (_, busy) = ask("REPORT", cal, "1", FREE_BUSY);
    assert!(busy.contains("20261201T080000Z/20261201T083000Z"), "{who}: private time is busy time: {busy}");
}

fn no_reader_obtains_hidden_details(backend: Backend) {
    let env = StoreEnv::new(backend);
    let server = Server::start(&env, &[]);
    add_users(&env, &["alice", "bob", "carol", "dave", "erin"]);
    let cal = "/calendars/alice/calendar/";
    let mut names = Vec::new();
    let mut confidential = Vec::new();
    let classified = PRIVATE_SPELLINGS.iter().enumerate().map(|(i, s)| (format!("priv-{i}"), *s));
    let classified =
        classified.chain(CONFIDENTIAL_SPELLINGS.iter().enumerate().map(|(i, s)| (format!("conf-{i}"), *s)));
    for ((uid, spelling), hour) in classified.zip(8..) {
        let name = format!("{uid}.ics");
        let (status, body) =
            send(&server, "alice", "PUT", &format!("{cal}{name}"), "text/calendar", &event(&uid, spelling, hour));
        assert_eq!(status, 201, "{spelling:?}: {body}");
        if uid.starts_with("conf-") {
            confidential.push(name.clone());
        }
        names.push(name);
    }
    assert_eq!(
        send(
            &server,
            "alice",
            "PUT",
            &format!("{cal}priv-series.ics"),
            "text/calendar",
            &series_with_private_override()
        )
        .0,
        201
    );
    names.push("priv-series.ics".into());
    // The owner sees everything.
    let (_, own) = send(&server, "alice", "GET", &format!("{cal}priv-1.ics"), "text/plain", "");
    assert!(own.contains("SECRET summary priv-1"), "{own}");

    // bob: read-only sharee; dave: free/busy only; carol: read delegate; erin: read by ACL.
    env.cli_ok(&["share", "add", "calendars/alice/calendar", "bob", "--access", "read"], None);
    env.cli_ok(&["share", "add", "calendars/alice/calendar", "dave", "--access", "freebusy"], None);
    let group = r#"<D:propertyupdate xmlns:D="DAV:"><D:set><D:prop><D:group-member-set><D:href>/principals/carol/</D:href></D:group-member-set></D:prop></D:set></D:propertyupdate>"#;
    assert_eq!(
        send(&server, "alice", "PROPPATCH", "/principals/alice/calendar-proxy-read/", "application/xml", group).0,
        207
    );
    let acl = r#"<D:acl xmlns:D="DAV:"><D:ace><D:principal><D:href>/principals/erin/</D:href></D:principal><D:grant><D:privilege><D:read/></D:privilege></D:grant></D:ace></D:acl>"#;
    assert_eq!(send(&server, "alice", "ACL", cal, "application/xml", acl).0, 200);

    let bob_cal = "/calendars/bob/alice-calendar/";
    reads_show_no_secret(&server, "bob", bob_cal, &names, &confidential);
    reads_show_no_secret(&server, "carol", cal, &names, &confidential);
    reads_show_no_secret(&server, "erin", cal, &names, &confidential);

    // dave reads busy time only.
    for name in &names {
        assert_eq!(
            send(&server, "dave", "GET", &format!("/calendars/dave/alice-calendar/{name}"), "text/plain", "").0,
            403
        );
    }
    let (status, busy) =
        send(&server, "dave", "REPORT", "/calendars/dave/alice-calendar/", "application/xml", FREE_BUSY);
    assert_eq!(status, 200, "{busy}");
    clean("dave: free-busy-query", &busy);
    assert!(busy.contains("20261201T080000Z/20261201T083000Z") && busy.contains("20261201T210000Z"), "{busy}");
    for body in [PROPFIND_DATA, QUERY_ALL, SYNC_DATA] {
        let (_, text) = send(
            &server,
            "dave",
            if body == PROPFIND_DATA { "PROPFIND" } else { "REPORT" },
            "/calendars/dave/alice-calendar/",
            "application/xml",
            body,
        );
        clean("dave: reads", &text);
    }
    let (_, url_busy) =
        send(&server, "dave", "GET", "/freebusy/alice?start=20261130T000000Z&end=20261203T000000Z", "text/plain", "");
    clean("dave: free/busy URL", &url_busy);
    assert!(url_busy.contains("20261201T080000Z"), "{url_busy}");

    // COPY of an object: what the reader may read, no more; nothing of a PRIVATE one.
    let copy = |who: &str, from: &str, to: &str| {
        let r = client()
            .request(reqwest::Method::from_bytes(b"COPY").unwrap(), server.url(from))
            .basic_auth(who, Some(PASSWORD))
            .header("Destination", server.url(to))
            .header("Depth", "infinity")
            .send()
            .unwrap();
        r.status().as_u16()
    };
    assert_eq!(copy("bob", &format!("{bob_cal}conf-0.ics"), "/calendars/bob/calendar/conf-0.ics"), 201);
    let (status, copied) = send(&server, "bob", "GET", "/calendars/bob/calendar/conf-0.ics", "text/plain", "");
    assert_eq!(status, 200);
    clean("bob: his copy of a CONFIDENTIAL event", &copied);
    assert!(copied.contains("DTSTART:20261201T") && copied.contains("SUMMARY:Busy"), "{copied}");
    for priv_name in ["priv-0.ics", "priv-3.ics", "priv-series.ics"] {
        assert_eq!(copy("bob", &format!("{bob_cal}{priv_name}"), &format!("/calendars/bob/calendar/{priv_name}")), 404);
        assert_eq!(
            send(&server, "bob", "GET", &format!("/calendars/bob/calendar/{priv_name}"), "text/plain", "").0,
            404
        );
    }
    assert_eq!(copy("dave", "/calendars/dave/alice-calendar/conf-0.ics", "/calendars/dave/calendar/conf-0.ics"), 403);

    // COPY of the whole collection, by a delegate and by an ACL reader: the copy
    // is theirs, and holds stubs and no PRIVATE object.
    for (who, dst) in [("carol", "/calendars/carol/copied/"), ("erin", "/calendars/erin/copied/")] {
        assert_eq!(copy(who, cal, dst), 201, "{who} copies the calendar");
        let (_, listing) = send(&server, who, "PROPFIND", dst, "application/xml", PROPFIND_DATA);
        clean(&format!("{who}: the copied collection"), &listing);
        for conf in &confidential {
            let (status, body) = send(&server, who, "GET", &format!("{dst}{conf}"), "text/plain", "");
            assert_eq!(status, 200, "{who}: {conf} copied as its stub");
            clean(&format!("{who}: copied {conf}"), &body);
        }
        for name in names.iter().filter(|n| n.starts_with("priv-")) {
            assert_eq!(send(&server, who, "GET", &format!("{dst}{name}"), "text/plain", "").0, 404, "{who}: {name}");
        }
        let (_, sync) = send(&server, who, "REPORT", dst, "application/xml", SYNC_DATA);
        clean(&format!("{who}: sync of the copy"), &sync);
    }
    // The owner's own copy is whole.
    assert_eq!(copy("alice", cal, "/calendars/alice/backup/"), 201);
    let (_, whole) = send(&server, "alice", "GET", "/calendars/alice/backup/priv-2.ics", "text/plain", "");
    assert!(whole.contains("SECRET summary priv-2"), "{whole}");

    // The anonymous reader of a published feed.
    let link = env.cli_ok(&["publish", "add", "calendars/alice/calendar"], None).trim().to_owned();
    let feed = client().get(server.url(&link)).send().unwrap().text().unwrap();
    clean("the published feed", &feed);
    assert!(feed.contains("UID:conf-0") && feed.contains("SUMMARY:Busy"), "{feed}");
}
