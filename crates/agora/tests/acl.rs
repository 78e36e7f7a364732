//! Access control (RFC 3744) through the ACL method, on both stores: grants to a
//! user, to a nested group, to every authenticated user (free/busy only), inherited
//! from a home; what each may do, and what they see of their own privileges; the
//! ACL reports (principal-match, acl-principal-prop-set) and DAV:owner; requests
//! without credentials where a grant to DAV:unauthenticated makes a calendar public.

mod common;

use common::*;

agora_testkit::on_both_stores!(
    grants_decide_who_may_do_what,
    acl_reports_name_principals,
    anonymous_reads_only_what_is_granted
);

struct Who<'a> {
    server: &'a Server,
    user: &'a str,
}

impl Who<'_> {
    fn send(&self, method: &str, path: &str, ct: &str, body: &str) -> (u16, String) {
        send(self.server, self.user, method, path, ct, body)
    }

    fn put(&self, path: &str, uid: &str) -> u16 {
        let body = format!(
            "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:x\r\nBEGIN:VEVENT\r\nUID:{uid}\r\nDTSTAMP:20260101T000000Z\r\n\
             DTSTART:20261201T100000Z\r\nDTEND:20261201T110000Z\r\nSUMMARY:Secret {uid}\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n"
        );
        self.send("PUT", path, "text/calendar", &body).0
    }

    fn acl(&self, path: &str, aces: &str) -> (u16, String) {
        self.send(
            "ACL",
            path,
            "application/xml",
            &format!(r#"<D:acl xmlns:D="DAV:" xmlns:C="urn:ietf:params:xml:ns:caldav">{aces}</D:acl>"#),
        )
    }

    fn props(&self, path: &str, props: &str) -> (u16, String) {
        let body = format!(r#"<D:propfind xmlns:D="DAV:"><D:prop>{props}</D:prop></D:propfind>"#);
        let r = request(self.server, self.user, "PROPFIND", path, "0", "application/xml", &body);
        (r.status().as_u16(), r.text().unwrap())
    }
}

fn ace(principal: &str, privileges: &[&str]) -> String {
    let p: String = privileges.iter().map(|p| format!("<D:privilege>{p}</D:privilege>")).collect();
    format!("<D:ace><D:principal>{principal}</D:principal><D:grant>{p}</D:grant></D:ace>")
}

fn grants_decide_who_may_do_what(backend: Backend) {
    let env = StoreEnv::new(backend);
    let server = Server::start(&env, &[]);
    add_users(&env, &["alice", "bob", "carol", "dave"]);
    env.cli_ok(&["group", "add", "team"], None);
    env.cli_ok(&["group", "add", "everyone"], None);
    env.cli_ok(&["group", "member", "add", "team", "carol"], None);
    env.cli_ok(&["group", "member", "add", "everyone", "team"], None);
    let [alice, bob, carol, dave] = ["alice", "bob", "carol", "dave"].map(|user| Who { server: &server, user });
    let cal = "/calendars/alice/calendar/";
    assert_eq!(alice.put(&format!("{cal}a.ics"), "a"), 201);
    // Before any grant, nobody else gets in.
    for other in [&bob, &carol, &dave] {
        assert_eq!(other.props(cal, "<D:displayname/>").0, 403, "{}", other.user);
    }

    let aces = format!(
        "{}{}{}",
        ace("<D:href>/principals/bob/</D:href>", &["<D:read/>"]),
        ace("<D:href>/principals/everyone/</D:href>", &["<D:read/>", "<D:write/>"]),
        ace("<D:authenticated/>", &["<C:read-free-busy/>"])
    );
    assert_eq!(alice.acl(cal, &aces).0, 200);

    // bob: read only.
    let (status, body) = bob.send(
        "PROPFIND",
        cal,
        "application/xml",
        r#"<D:propfind xmlns:D="DAV:"><D:prop><D:getetag/></D:prop></D:propfind>"#,
    );
    assert_eq!(status, 207);
    assert!(body.contains("a.ics"), "{body}");
    assert_eq!(bob.send("GET", &format!("{cal}a.ics"), "text/plain", "").0, 200);
    assert_eq!(bob.put(&format!("{cal}b.ics"), "b"), 403);
    assert_eq!(bob.send("DELETE", &format!("{cal}a.ics"), "text/plain", "").0, 403);
    let (_, cups) = bob.props(cal, "<D:current-user-privilege-set/>");
    assert!(cups.contains("<D:read/>") && !cups.contains("<D:write/>") && !cups.contains("<D:all/>"), "{cups}");
    // carol: write through two levels of groups.
    assert_eq!(carol.put(&format!("{cal}c.ics"), "c"), 201);
    let (_, cups) = carol.props(cal, "<D:current-user-privilege-set/>");
    assert!(cups.contains("<D:write/>") && cups.contains("<D:bind/>"), "{cups}");
    // dave: free/busy only.
    assert_eq!(dave.send("GET", &format!("{cal}a.ics"), "text/plain", "").0, 403);
    let (status, fb) = dave.send(
        "REPORT",
        cal,
        "application/xml",
        r#"<C:free-busy-query xmlns:C="urn:ietf:params:xml:ns:caldav"><C:time-range start="20261201T000000Z" end="20261202T000000Z"/></C:free-busy-query>"#,
    );
    assert_eq!(status, 200);
    assert!(fb.contains("FREEBUSY;FBTYPE=BUSY:20261201T100000Z/20261201T110000Z") && !fb.contains("Secret"), "{fb}");
    let query = r#"<C:calendar-query xmlns:D="DAV:" xmlns:C="urn:ietf:params:xml:ns:caldav"><D:prop><C:calendar-data/></D:prop><C:filter><C:comp-filter name="VCALENDAR"/></C:filter></C:calendar-query>"#;
    assert_eq!(dave.send("REPORT", cal, "application/xml", query).0, 403, "free/busy does not read events");

    // Only the owner sees and changes the ACL.
    let (_, acl) = alice.props(cal, "<D:acl/><D:acl-restrictions/><D:supported-privilege-set/>");
    assert!(acl.contains("<D:href>/principals/alice/</D:href></D:principal><D:grant><D:privilege><D:all/></D:privilege></D:grant><D:protected/>"), "{acl}");
    assert!(acl.contains("<D:href>/principals/bob/</D:href>") && acl.contains("<D:authenticated/>"), "{acl}");
    assert!(acl.contains("<D:grant-only/>") && acl.contains("<C:read-free-busy/>"), "{acl}");
    let (_, hidden) = bob.props(cal, "<D:acl/>");
    assert!(!hidden.contains("<D:ace>"), "bob has no read-acl: {hidden}");
    assert_eq!(bob.acl(cal, &ace("<D:href>/principals/bob/</D:href>", &["<D:all/>"])).0, 403);
    let (status, body) = alice.acl(
        cal,
        "<D:ace><D:principal><D:all/></D:principal><D:deny><D:privilege><D:read/></D:privilege></D:deny></D:ace>",
    );
    assert_eq!(status, 403);
    assert!(body.contains("grant-only"), "{body}");
    let (status, body) = alice.acl(cal, &ace("<D:href>/principals/nobody/</D:href>", &["<D:read/>"]));
    assert_eq!(status, 403);
    assert!(body.contains("recognized-principal"), "{body}");

    // Grants on a home are inherited by its collections; revoking takes effect at once.
    assert_eq!(bob.props("/calendars/alice/tasks/", "<D:displayname/>").0, 403);
    assert_eq!(alice.acl("/calendars/alice/", &ace("<D:href>/principals/bob/</D:href>", &["<D:read/>"])).0, 200);
    assert_eq!(bob.props("/calendars/alice/tasks/", "<D:displayname/>").0, 207);
    let (_, inherited) = alice.props("/calendars/alice/tasks/", "<D:inherited-acl-set/>");
    assert!(inherited.contains("<D:href>/calendars/alice/</D:href>"), "{inherited}");
    assert_eq!(alice.acl(cal, "").0, 200);
    assert_eq!(bob.put(&format!("{cal}x.ics"), "x"), 403);
    assert_eq!(carol.put(&format!("{cal}y.ics"), "y"), 403, "the group's write is gone");

    // Group membership is visible on principals.
    let (_, team) = alice.props("/principals/team/", "<D:group-member-set/><D:group-membership/>");
    assert!(team.contains("<D:group-member-set><D:href>/principals/carol/</D:href>"), "{team}");
    assert!(team.contains("<D:group-membership><D:href>/principals/everyone/</D:href>"), "{team}");
}

fn report(who: &Who, path: &str, depth: &str, body: &str) -> (u16, String) {
    let r = request(who.server, who.user, "REPORT", path, depth, "application/xml", body);
    (r.status().as_u16(), r.text().unwrap())
}

/// The `<D:href>` of every `<D:response>`, in order.
fn response_hrefs(body: &str) -> Vec<String> {
    body.split("<D:response><D:href>").skip(1).map(|s| s.split('<').next().unwrap().to_owned()).collect()
}

fn acl_reports_name_principals(backend: Backend) {
    let env = StoreEnv::new(backend);
    let server = Server::start(&env, &[]);
    add_users(&env, &["alice", "bob", "carol", "dave"]);
    env.cli_ok(&["group", "add", "team"], None);
    env.cli_ok(&["group", "add", "staff"], None);
    env.cli_ok(&["group", "member", "add", "team", "bob"], None);
    env.cli_ok(&["group", "member", "add", "staff", "team"], None);
    let [alice, bob, carol, dave] = ["alice", "bob", "carol", "dave"].map(|user| Who { server: &server, user });
    let cal = "/calendars/alice/calendar/";
    assert_eq!(alice.put(&format!("{cal}a.ics"), "a"), 201);
    let aces = format!(
        "{}{}{}",
        ace("<D:href>/principals/bob/</D:href>", &["<D:read/>", "<D:read-acl/>"]),
        ace("<D:href>/principals/team/</D:href>", &["<D:read/>"]),
        ace("<D:href>/principals/carol/</D:href>", &["<D:read/>"])
    );
    assert_eq!(alice.acl(cal, &aces).0, 200);

    // acl-principal-prop-set (RFC 3744 §9.2): the owner, then each grantee, once.
    let prop_set =
        r#"<D:acl-principal-prop-set xmlns:D="DAV:"><D:prop><D:displayname/></D:prop></D:acl-principal-prop-set>"#;
    let (status, body) = report(&alice, cal, "0", prop_set);
    assert_eq!(status, 207, "{body}");
    assert_eq!(
        response_hrefs(&body),
        ["/principals/alice/", "/principals/bob/", "/principals/team/", "/principals/carol/"]
    );
    assert!(body.contains("<D:displayname>bob</D:displayname>"), "{body}");
    // On an object, the collection's ACL applies.
    let (status, body) = report(&bob, &format!("{cal}a.ics"), "0", prop_set);
    assert_eq!(status, 207, "bob holds read-acl: {body}");
    assert_eq!(response_hrefs(&body).len(), 4, "{body}");
    // Read without read-acl is refused with the missing privilege named.
    let (status, body) = report(&carol, cal, "0", prop_set);
    assert_eq!(status, 403);
    assert!(body.contains("need-privileges") && body.contains("read-acl"), "{body}");
    assert_eq!(report(&dave, cal, "0", prop_set).0, 403, "no access at all");
    assert_eq!(report(&alice, cal, "1", prop_set).0, 400, "defined for Depth 0 only");

    // principal-match self: the user, their groups (nested too), nobody else.
    let me = r#"<D:principal-match xmlns:D="DAV:"><D:self/><D:prop><D:displayname/></D:prop></D:principal-match>"#;
    let (status, body) = report(&bob, "/principals/", "0", me);
    assert_eq!(status, 207, "{body}");
    let mut found = response_hrefs(&body);
    found.sort();
    assert_eq!(found, ["/principals/bob/", "/principals/staff/", "/principals/team/"]);
    let (_, body) = report(&dave, "/principals/", "0", me);
    assert_eq!(response_hrefs(&body), ["/principals/dave/"]);
    let (status, body) = report(&bob, "/principals/", "0", r#"<D:principal-match xmlns:D="DAV:"/>"#);
    assert_eq!(status, 400, "self or principal-property is required: {body}");

    // DAV:owner names the real owner, also to a reader of someone else's calendar.
    let (_, body) = bob.props(cal, "<D:owner/>");
    assert!(body.contains("<D:owner><D:href>/principals/alice/</D:href></D:owner>"), "{body}");
    let (_, body) = bob.props(&format!("{cal}a.ics"), "<D:owner/>");
    assert!(body.contains("<D:owner><D:href>/principals/alice/</D:href></D:owner>"), "{body}");

    let (_, body) = alice.props(cal, "<D:supported-report-set/>");
    for r in ["<D:acl-principal-prop-set/>", "<D:principal-match/>", "<C:calendar-query/>", "<D:sync-collection/>"] {
        assert!(body.contains(r), "{r} not advertised: {body}");
    }

    // principal-match on a property: what alice owns below her home; bob, who
    // only reads her calendar, owns none of it.
    let owned = r#"<D:principal-match xmlns:D="DAV:"><D:principal-property><D:owner/></D:principal-property></D:principal-match>"#;
    let (status, body) = report(&alice, "/calendars/alice/", "0", owned);
    assert_eq!(status, 207, "{body}");
    let found = response_hrefs(&body);
    for href in ["/calendars/alice/", "/calendars/alice/calendar/", "/calendars/alice/calendar/a.ics"] {
        assert!(found.iter().any(|h| h == href), "{href} missing from {found:?}");
    }
    let (status, body) = report(&bob, cal, "0", owned);
    assert_eq!(status, 207);
    assert!(response_hrefs(&body).is_empty(), "{body}");
}

/// A request without credentials: status, WWW-Authenticate, body.
fn nobody(server: &Server, method: &str, path: &str, depth: &str, body: &str) -> (u16, bool, String) {
    let r = client()
        .request(reqwest::Method::from_bytes(method.as_bytes()).unwrap(), server.url(path))
        .header("Content-Type", "application/xml")
        .header("Depth", depth)
        .body(body.to_owned())
        .send()
        .unwrap();
    let challenge = r.headers().contains_key("www-authenticate");
    (r.status().as_u16(), challenge, r.text().unwrap())
}

fn anonymous_reads_only_what_is_granted(backend: Backend) {
    let env = StoreEnv::new(backend);
    let server = Server::start(&env, &[]);
    add_users(&env, &["alice"]);
    let alice = Who { server: &server, user: "alice" };
    let cal = "/calendars/alice/calendar/";
    assert_eq!(alice.put(&format!("{cal}a.ics"), "a"), 201);
    let private = "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:x\r\nBEGIN:VEVENT\r\nUID:p\r\nDTSTAMP:20260101T000000Z\r\n\
        DTSTART:20261202T100000Z\r\nDTEND:20261202T110000Z\r\nCLASS:PRIVATE\r\nSUMMARY:Hidden\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n";
    assert_eq!(alice.send("PUT", &format!("{cal}p.ics"), "text/calendar", private).0, 201);
    let listing =
        r#"<D:propfind xmlns:D="DAV:"><D:prop><D:getetag/><D:current-user-principal/><D:owner/></D:prop></D:propfind>"#;

    // Nothing is public until granted: the usual challenge, not a 403 or 404.
    for (method, path) in
        [("GET", format!("{cal}a.ics")), ("PROPFIND", cal.to_owned()), ("GET", format!("{cal}none.ics"))]
    {
        let (status, challenge, _) = nobody(&server, method, &path, "1", if method == "GET" { "" } else { listing });
        assert_eq!((status, challenge), (401, true), "{method} {path}");
    }
    // Granted to every authenticated user: still not to nobody.
    assert_eq!(alice.acl(cal, &ace("<D:authenticated/>", &["<D:read/>"])).0, 200);
    assert_eq!(nobody(&server, "GET", &format!("{cal}a.ics"), "0", "").0, 401);

    // A public calendar: read-only, private events left out, other collections closed.
    assert_eq!(alice.acl(cal, &ace("<D:unauthenticated/>", &["<D:read/>"])).0, 200);
    let (status, _, body) = nobody(&server, "GET", &format!("{cal}a.ics"), "0", "");
    assert_eq!(status, 200);
    assert!(body.contains("Secret a"), "{body}");
    let (status, _, body) = nobody(&server, "PROPFIND", cal, "1", listing);
    assert_eq!(status, 207, "{body}");
    assert!(body.contains("/calendars/alice/calendar/a.ics") && !body.contains("p.ics"), "{body}");
    assert!(body.contains("<D:current-user-principal><D:unauthenticated/></D:current-user-principal>"), "{body}");
    assert!(body.contains("<D:owner><D:href>/principals/alice/</D:href></D:owner>"), "{body}");
    let query = r#"<C:calendar-query xmlns:D="DAV:" xmlns:C="urn:ietf:params:xml:ns:caldav"><D:prop><C:calendar-data/></D:prop><C:filter><C:comp-filter name="VCALENDAR"/></C:filter></C:calendar-query>"#;
    let (status, _, body) = nobody(&server, "REPORT", cal, "1", query);
    assert_eq!(status, 207);
    assert!(body.contains("Secret a") && !body.contains("Hidden"), "{body}");
    assert_eq!(nobody(&server, "GET", &format!("{cal}p.ics"), "0", "").0, 401, "private stays out");
    assert_eq!(nobody(&server, "PUT", &format!("{cal}new.ics"), "0", private).0, 401, "no anonymous writes");
    assert_eq!(nobody(&server, "DELETE", &format!("{cal}a.ics"), "0", "").0, 401);
    assert_eq!(nobody(&server, "PROPFIND", "/calendars/alice/tasks/", "0", listing).0, 401);
    assert_eq!(nobody(&server, "PROPFIND", "/calendars/alice/", "0", listing).0, 401, "the home is not public");
    assert_eq!(nobody(&server, "PROPFIND", "/principals/alice/", "0", listing).0, 401);
    assert_eq!(
        nobody(
            &server,
            "REPORT",
            cal,
            "0",
            r#"<D:acl-principal-prop-set xmlns:D="DAV:"><D:prop><D:displayname/></D:prop></D:acl-principal-prop-set>"#
        )
        .0,
        401
    );
    assert_eq!(alice.send("GET", &format!("{cal}a.ics"), "text/plain", "").0, 200, "alice unaffected");

    // Revoked: closed again at once.
    assert_eq!(alice.acl(cal, "").0, 200);
    assert_eq!(nobody(&server, "GET", &format!("{cal}a.ics"), "0", "").0, 401);
}
