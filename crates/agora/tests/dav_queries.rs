//! calendar-query, addressbook-query and free-busy-query over HTTP, on both stores.

mod common;

use common::*;
use reqwest::Method;

agora_testkit::on_both_stores!(time_range_queries_see_recurrences, text_filters_and_expand, card_queries, free_busy);

struct User {
    server: Server,
    _env: StoreEnv,
}

impl User {
    fn start(backend: Backend) -> User {
        let env = StoreEnv::new(backend);
        let server = Server::start(&env, &[]);
        env.cli_ok(&["user", "add", "alice", "--password-stdin"], Some("alice-password\n"));
        User { server, _env: env }
    }

    fn send(&self, method: &str, path: &str, depth: &str, ct: &str, body: &str) -> (u16, String) {
        let r = client()
            .request(Method::from_bytes(method.as_bytes()).unwrap(), self.server.url(path))
            .basic_auth("alice", Some("alice-password"))
            .header("Depth", depth)
            .header("Content-Type", ct)
            .body(body.to_owned())
            .send()
            .unwrap();
        (r.status().as_u16(), r.text().unwrap())
    }

    fn put(&self, path: &str, ct: &str, body: &str) {
        let (status, text) = self.send("PUT", path, "0", ct, body);
        assert_eq!(status, 201, "{path}: {text}");
    }

    fn report(&self, path: &str, body: &str) -> (u16, String) {
        self.send("REPORT", path, "1", "application/xml", body)
    }
}

fn vevent(uid: &str, lines: &str) -> String {
    format!(
        "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//t//EN\r\nBEGIN:VEVENT\r\nUID:{uid}\r\nDTSTAMP:20260101T000000Z\r\n{lines}END:VEVENT\r\nEND:VCALENDAR\r\n"
    )
}

fn query(comp: &str, start: &str, end: &str, extra: &str) -> String {
    format!(
        r#"<c:calendar-query xmlns:d="DAV:" xmlns:c="urn:ietf:params:xml:ns:caldav"><d:prop><d:getetag/></d:prop><c:filter><c:comp-filter name="VCALENDAR"><c:comp-filter name="{comp}"><c:time-range start="{start}" end="{end}"/>{extra}</c:comp-filter></c:comp-filter></c:filter></c:calendar-query>"#
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

fn seed(u: &User) {
    let cal = "/calendars/alice/calendar/";
    // Weekly in Paris time from 24 Nov, the 8 Dec instance moved to the 9th, the 15th excluded.
    u.put(&format!("{cal}weekly.ics"), "text/calendar", 
        "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//t//EN\r\nBEGIN:VEVENT\r\nUID:weekly\r\nDTSTAMP:20260101T000000Z\r\n\
         DTSTART;TZID=Europe/Paris:20261124T100000\r\nDTEND;TZID=Europe/Paris:20261124T110000\r\nRRULE:FREQ=WEEKLY\r\n\
         EXDATE;TZID=Europe/Paris:20261215T100000\r\nSUMMARY:Point hebdo\r\nEND:VEVENT\r\n\
         BEGIN:VEVENT\r\nUID:weekly\r\nDTSTAMP:20260101T000000Z\r\nRECURRENCE-ID:20261208T090000Z\r\n\
         DTSTART;TZID=Europe/Paris:20261209T140000\r\nDTEND;TZID=Europe/Paris:20261209T150000\r\nSUMMARY:Point hebdo (déplacé)\r\nEND:VEVENT\r\n\
         END:VCALENDAR\r\n");
    u.put(
        &format!("{cal}once.ics"),
        "text/calendar",
        &vevent(
            "once",
            "DTSTART:20261201T120000Z\r\nDTEND:20261201T130000Z\r\nSUMMARY:Déjeuner client\r\nTRANSP:OPAQUE\r\n",
        ),
    );
    u.put(
        &format!("{cal}allday.ics"),
        "text/calendar",
        &vevent("allday", "DTSTART;VALUE=DATE:20261225\r\nSUMMARY:Noël\r\nTRANSP:TRANSPARENT\r\n"),
    );
    u.put(
        &format!("{cal}maybe.ics"),
        "text/calendar",
        &vevent(
            "maybe",
            "DTSTART:20261202T080000Z\r\nDTEND:20261202T090000Z\r\nSTATUS:TENTATIVE\r\nSUMMARY:Peut-être\r\n",
        ),
    );
}

fn time_range_queries_see_recurrences(backend: Backend) {
    let u = User::start(backend);
    seed(&u);
    let cal = "/calendars/alice/calendar/";
    let (status, body) = u.report(cal, &query("VEVENT", "20261207T000000Z", "20261208T000000Z", ""));
    assert_eq!(status, 207);
    assert!(hrefs(&body).is_empty(), "the 8 Dec instance moved to the 9th: {body}");
    let (_, body) = u.report(cal, &query("VEVENT", "20261209T000000Z", "20261210T000000Z", ""));
    assert_eq!(hrefs(&body), ["weekly.ics"], "the override is found on its new day");
    let (_, body) = u.report(cal, &query("VEVENT", "20261215T000000Z", "20261216T000000Z", ""));
    assert!(hrefs(&body).is_empty(), "EXDATE removes the 15th: {body}");
    let (_, body) = u.report(cal, &query("VEVENT", "20270601T000000Z", "20270602T000000Z", ""));
    assert_eq!(hrefs(&body), ["weekly.ics"], "an endless rule reaches next June (a Tuesday)");
    // Beyond the instance index's window (two years after writing) the span decides.
    let (_, body) = u.report(cal, &query("VEVENT", "20300604T000000Z", "20300605T000000Z", ""));
    assert_eq!(hrefs(&body), ["weekly.ics"], "an endless rule reaches June 2030 (a Tuesday)");
    let (_, body) = u.report(cal, &query("VEVENT", "20300605T000000Z", "20300606T000000Z", ""));
    assert!(hrefs(&body).is_empty(), "and not the Wednesday: {body}");
    let (_, body) = u.report(cal, &query("VEVENT", "20261201T000000Z", "20261203T000000Z", ""));
    assert_eq!(hrefs(&body), ["maybe.ics", "once.ics", "weekly.ics"]);
    let (_, body) = u.report(cal, &query("VEVENT", "20261225T120000Z", "20261225T130000Z", ""));
    assert_eq!(hrefs(&body), ["allday.ics"], "all-day events cover their whole day");
    let (_, body) = u.report(cal, &query("VEVENT", "20261226T000000Z", "20261226T010000Z", ""));
    assert!(hrefs(&body).is_empty(), "and only their day, in UTC without a calendar zone: {body}");
    // A zero-length event matches a range that starts at it, not one that ends at it.
    u.put(&format!("{cal}instant.ics"), "text/calendar", &vevent("instant", "DTSTART:20261203T100000Z\r\n"));
    let (_, body) = u.report(cal, &query("VEVENT", "20261203T100000Z", "20261203T100001Z", ""));
    assert_eq!(hrefs(&body), ["instant.ics"]);
    let (_, body) = u.report(cal, &query("VEVENT", "20261203T090000Z", "20261203T100000Z", ""));
    assert!(hrefs(&body).is_empty(), "{body}");
    // Tasks live in their own calendar.
    u.put(
        "/calendars/alice/tasks/t.ics",
        "text/calendar",
        &vevent("t", "DUE:20261203T170000Z\r\nSUMMARY:Rapport\r\n").replace("VEVENT", "VTODO"),
    );
    let (_, body) = u.report("/calendars/alice/tasks/", &query("VTODO", "20261203T000000Z", "20261204T000000Z", ""));
    assert_eq!(hrefs(&body), ["t.ics"]);
    let bad = r#"<c:calendar-query xmlns:d="DAV:" xmlns:c="urn:ietf:params:xml:ns:caldav"><d:prop/><c:filter><c:comp-filter name="VEVENT"/></c:filter></c:calendar-query>"#;
    let (status, body) = u.report(cal, bad);
    assert_eq!(status, 403);
    assert!(body.contains("valid-filter"), "{body}");
}

fn text_filters_and_expand(backend: Backend) {
    let u = User::start(backend);
    seed(&u);
    let cal = "/calendars/alice/calendar/";
    let by_summary = |text: &str| {
        format!(
            r#"<c:calendar-query xmlns:d="DAV:" xmlns:c="urn:ietf:params:xml:ns:caldav"><d:prop><d:getetag/></d:prop><c:filter><c:comp-filter name="VCALENDAR"><c:comp-filter name="VEVENT"><c:prop-filter name="SUMMARY"><c:text-match collation="i;ascii-casemap">{text}</c:text-match></c:prop-filter></c:comp-filter></c:comp-filter></c:filter></c:calendar-query>"#
        )
    };
    let (_, body) = u.report(cal, &by_summary("HEBDO"));
    assert_eq!(hrefs(&body), ["weekly.ics"]);
    let (_, body) = u.report(cal, &by_summary("déjeuner"));
    assert_eq!(hrefs(&body), ["once.ics"]);
    // Expansion into instances (RFC 4791 §9.6.5).
    let expand = r#"<c:calendar-query xmlns:d="DAV:" xmlns:c="urn:ietf:params:xml:ns:caldav"><d:prop><c:calendar-data><c:expand start="20261201T000000Z" end="20261211T000000Z"/></c:calendar-data></d:prop><c:filter><c:comp-filter name="VCALENDAR"><c:comp-filter name="VEVENT"><c:time-range start="20261201T000000Z" end="20261211T000000Z"/><c:prop-filter name="UID"><c:text-match collation="i;octet">weekly</c:text-match></c:prop-filter></c:comp-filter></c:comp-filter></c:filter></c:calendar-query>"#;
    let (status, body) = u.report(cal, expand);
    assert_eq!(status, 207);
    assert_eq!(body.matches("RECURRENCE-ID").count(), 2, "the 1 Dec instance and the moved one: {body}");
    assert!(body.contains("DTSTART:20261201T090000Z"), "instances in UTC: {body}");
    assert!(body.contains("DTSTART:20261209T130000Z"), "{body}");
    assert!(!body.contains("RRULE"), "{body}");
    // Partial retrieval (RFC 4791 §9.6.1): only UID and SUMMARY of the events.
    let partial = r#"<c:calendar-multiget xmlns:d="DAV:" xmlns:c="urn:ietf:params:xml:ns:caldav"><d:prop><c:calendar-data><c:comp name="VCALENDAR"><c:prop name="VERSION"/><c:comp name="VEVENT"><c:prop name="UID"/><c:prop name="SUMMARY"/><c:prop name="DTSTART" novalue="yes"/></c:comp></c:comp></c:calendar-data></d:prop><d:href>/calendars/alice/calendar/once.ics</d:href></c:calendar-multiget>"#;
    let (status, body) = u.report(cal, partial);
    assert_eq!(status, 207);
    assert!(body.contains("UID:once") && body.contains("SUMMARY:Déjeuner client"), "{body}");
    assert!(body.contains("DTSTART:&#13;") || body.contains("DTSTART:\r"), "novalue keeps only the name: {body}");
    assert!(!body.contains("TRANSP") && !body.contains("PRODID") && !body.contains("DTEND"), "{body}");
}

const CARD: &str = "BEGIN:VCARD\r\nVERSION:3.0\r\nUID:{uid}\r\nFN:{name}\r\nEMAIL;TYPE=WORK:{mail}\r\nEND:VCARD\r\n";

fn card_queries(backend: Backend) {
    let u = User::start(backend);
    let book = "/addressbooks/alice/contacts/";
    for (uid, name, mail) in [
        ("c1", "Jean Dupont", "jean@example.org"),
        ("c2", "Marie Durand", "marie@example.fr"),
        ("c3", "Paul Martin", "paul@example.org"),
    ] {
        u.put(
            &format!("{book}{uid}.vcf"),
            "text/vcard",
            &CARD.replace("{uid}", uid).replace("{name}", name).replace("{mail}", mail),
        );
    }
    let q = |test: &str, filters: &str, limit: &str| {
        format!(
            r#"<card:addressbook-query xmlns:d="DAV:" xmlns:card="urn:ietf:params:xml:ns:carddav"><d:prop><d:getetag/></d:prop><card:filter test="{test}">{filters}</card:filter>{limit}</card:addressbook-query>"#
        )
    };
    let pf = |name: &str, mt: &str, text: &str| {
        format!(
            r#"<card:prop-filter name="{name}"><card:text-match collation="i;unicode-casemap" match-type="{mt}">{text}</card:text-match></card:prop-filter>"#
        )
    };
    let (status, body) = u.report(book, &q("anyof", &pf("FN", "starts-with", "ma"), ""));
    assert_eq!(status, 207);
    assert_eq!(hrefs(&body), ["c2.vcf"]);
    let (_, body) = u.report(book, &q("anyof", &pf("EMAIL", "ends-with", "example.org"), ""));
    assert_eq!(hrefs(&body), ["c1.vcf", "c3.vcf"]);
    let both = format!("{}{}", pf("EMAIL", "contains", "example.org"), pf("FN", "contains", "martin"));
    let (_, body) = u.report(book, &q("allof", &both, ""));
    assert_eq!(hrefs(&body), ["c3.vcf"]);
    let (_, body) = u.report(book, &q("anyof", &both, ""));
    assert_eq!(hrefs(&body), ["c1.vcf", "c3.vcf"]);
    let (_, body) = u.report(
        book,
        &q("anyof", &pf("EMAIL", "contains", "example"), "<card:limit><card:nresults>2</card:nresults></card:limit>"),
    );
    assert_eq!(body.matches("<D:getetag>").count(), 2, "{body}");
    assert!(body.contains("HTTP/1.1 507"), "truncation is reported: {body}");
    let bad = q(
        "anyof",
        r#"<card:prop-filter name="FN"><card:text-match collation="x-unknown">a</card:text-match></card:prop-filter>"#,
        "",
    );
    let (status, body) = u.report(book, &bad);
    assert_eq!(status, 403);
    assert!(body.contains("supported-collation"), "{body}");

    // RFC 6352 §10.4.2: address-data naming properties gets those (with VERSION
    // and UID), not the whole card; allprop and no list get everything.
    let data = |inner: &str| {
        format!(
            r#"<card:addressbook-query xmlns:d="DAV:" xmlns:card="urn:ietf:params:xml:ns:carddav"><d:prop><card:address-data>{inner}</card:address-data></d:prop><card:filter><card:prop-filter name="FN"><card:text-match match-type="starts-with">Jean</card:text-match></card:prop-filter></card:filter></card:addressbook-query>"#
        )
    };
    let (status, body) = u.report(book, &data(r#"<card:prop name="EMAIL"/>"#));
    assert_eq!(status, 207);
    assert!(body.contains("EMAIL") && body.contains("jean@example.org") && body.contains("UID:c1"), "{body}");
    assert!(!body.contains("FN:"), "FN was not asked for: {body}");
    let (_, body) = u.report(book, &data("<card:allprop/>"));
    assert!(body.contains("FN:Jean Dupont"), "{body}");
    let (_, body) = u.report(book, &data(""));
    assert!(body.contains("FN:Jean Dupont"), "{body}");
}

fn free_busy(backend: Backend) {
    let u = User::start(backend);
    seed(&u);
    let q = r#"<c:free-busy-query xmlns:c="urn:ietf:params:xml:ns:caldav"><c:time-range start="20261201T000000Z" end="20261203T000000Z"/></c:free-busy-query>"#;
    let (status, body) = u.report("/calendars/alice/calendar/", q);
    assert_eq!(status, 200);
    assert!(body.contains("BEGIN:VFREEBUSY"), "{body}");
    assert!(body.contains("FREEBUSY;FBTYPE=BUSY:20261201T090000Z/20261201T100000Z"), "weekly on 1 Dec: {body}");
    assert!(body.contains("FREEBUSY;FBTYPE=BUSY:20261201T120000Z/20261201T130000Z"), "{body}");
    assert!(body.contains("FREEBUSY;FBTYPE=BUSY-TENTATIVE:20261202T080000Z/20261202T090000Z"), "{body}");
    assert!(!body.contains("SUMMARY") && !body.contains("Déjeuner"), "no details leak: {body}");
    let (_, xmas) = u.report(
        "/calendars/alice/calendar/",
        r#"<c:free-busy-query xmlns:c="urn:ietf:params:xml:ns:caldav"><c:time-range start="20261225T000000Z" end="20261226T000000Z"/></c:free-busy-query>"#,
    );
    assert!(!xmas.contains("FREEBUSY;"), "transparent all-day events are free: {xmas}");
}
