//! WebDAV/CalDAV/CardDAV over real HTTP against the real binary, on both stores:
//! discovery, objects, conditional requests, sync, properties, collections.

mod common;

use common::*;
use std::rc::Rc;

use reqwest::Method;
use reqwest::blocking::Response;

agora_testkit::on_both_stores!(
    discovery_from_the_bare_host,
    objects_are_stored_byte_for_byte_with_strong_etags,
    calendar_preconditions,
    sync_collection_tokens_limits_and_deletions,
    dead_properties_round_trip_and_live_ones_are_protected,
    collections_are_made_and_removed,
    vcards_convert_between_versions,
    users_cannot_reach_each_others_data,
    bad_requests_get_clear_errors,
);

struct Dav {
    server: Rc<Server>,
    env: Rc<StoreEnv>,
    user: String,
    password: String,
}

impl Dav {
    fn start(backend: Backend) -> Dav {
        let env = StoreEnv::new(backend);
        let server = Server::start(&env, &[]);
        env.cli_ok(
            &["user", "add", "alice", "--email", "alice@example.org", "--email", "a.m@example.org", "--password-stdin"],
            Some("alice-password\n"),
        );
        Dav { server: Rc::new(server), env: Rc::new(env), user: "alice".into(), password: "alice-password".into() }
    }

    /// The same server, as another user.
    fn as_user(&self, user: &str, password: &str) -> Dav {
        Dav { server: self.server.clone(), env: self.env.clone(), user: user.into(), password: password.into() }
    }

    fn req(&self, method: &str, path: &str) -> reqwest::blocking::RequestBuilder {
        client()
            .request(Method::from_bytes(method.as_bytes()).unwrap(), self.server.url(path))
            .basic_auth(&self.user, Some(&self.password))
    }

    fn xml(&self, method: &str, path: &str, depth: &str, body: &str) -> Response {
        self.req(method, path)
            .header("Depth", depth)
            .header("Content-Type", "application/xml; charset=utf-8")
            .body(body.to_owned())
            .send()
            .unwrap()
    }

    fn put(&self, path: &str, content_type: &str, body: &str, headers: &[(&str, &str)]) -> Response {
        let mut r = self.req("PUT", path).header("Content-Type", content_type).body(body.to_owned());
        for (k, v) in headers {
            r = r.header(*k, *v);
        }
        r.send().unwrap()
    }
}

fn event(uid: &str, summary: &str) -> String {
    format!(
        "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//Agora tests//EN\r\nBEGIN:VEVENT\r\nUID:{uid}\r\n\
         DTSTAMP:20260101T000000Z\r\nDTSTART;TZID=Europe/Paris:20261124T100000\r\n\
         DTEND;TZID=Europe/Paris:20261124T110000\r\nSUMMARY:{summary}\r\nX-VENDOR-THING;X-P=\"a,b\":kept\r\n\
         END:VEVENT\r\nEND:VCALENDAR\r\n"
    )
}

const PROPFIND_HOME: &str = r#"<?xml version="1.0"?><d:propfind xmlns:d="DAV:" xmlns:c="urn:ietf:params:xml:ns:caldav" xmlns:cs="http://calendarserver.org/ns/"><d:prop><d:resourcetype/><d:displayname/><cs:getctag/><d:sync-token/><c:supported-calendar-component-set/></d:prop></d:propfind>"#;

fn text(r: Response) -> (u16, String) {
    let status = r.status().as_u16();
    (status, r.text().unwrap())
}

fn discovery_from_the_bare_host(backend: Backend) {
    let d = Dav::start(backend);
    // RFC 6764: GET and PROPFIND on the well-known URIs redirect, without credentials.
    let no_redirect = reqwest::blocking::Client::builder().redirect(reqwest::redirect::Policy::none()).build().unwrap();
    for method in ["GET", "PROPFIND"] {
        for uri in ["/.well-known/caldav", "/.well-known/carddav"] {
            let r =
                no_redirect.request(Method::from_bytes(method.as_bytes()).unwrap(), d.server.url(uri)).send().unwrap();
            assert_eq!(r.status(), 301, "{method} {uri}");
            assert_eq!(r.headers()["location"], "/");
        }
    }
    let (status, body) = text(d.xml("PROPFIND", "/", "0", r#"<d:propfind xmlns:d="DAV:"><d:prop><d:current-user-principal/><d:principal-collection-set/></d:prop></d:propfind>"#));
    assert_eq!(status, 207);
    assert!(body.contains("<D:current-user-principal><D:href>/principals/alice/</D:href>"), "{body}");

    let r = d.xml(
        "PROPFIND",
        "/principals/alice/",
        "0",
        r#"<d:propfind xmlns:d="DAV:" xmlns:c="urn:ietf:params:xml:ns:caldav" xmlns:card="urn:ietf:params:xml:ns:carddav" xmlns:cs="http://calendarserver.org/ns/"><d:prop><c:calendar-home-set/><card:addressbook-home-set/><c:calendar-user-address-set/><c:schedule-inbox-URL/><c:schedule-outbox-URL/><d:principal-URL/><cs:email-address-set/><c:calendar-user-type/><d:displayname/></d:prop></d:propfind>"#,
    );
    assert!(r.headers()["dav"].to_str().unwrap().contains("calendar-access"), "DAV header on PROPFIND too");
    let body = r.text().unwrap();
    for needle in [
        "<C:calendar-home-set><D:href>/calendars/alice/</D:href>",
        "<CARD:addressbook-home-set><D:href>/addressbooks/alice/</D:href>",
        "<D:href>mailto:alice@example.org</D:href><D:href>mailto:a.m@example.org</D:href>",
        "<C:schedule-inbox-URL><D:href>/calendars/alice/inbox/</D:href>",
        "<C:calendar-user-type>INDIVIDUAL</C:calendar-user-type>",
        "<CS:email-address>alice@example.org</CS:email-address>",
    ] {
        assert!(body.contains(needle), "{needle} missing:\n{body}");
    }
    assert!(!body.contains("404 Not Found"), "every principal property is there:\n{body}");

    // The home lists separate collections for events, tasks and notes.
    let (status, body) = text(d.xml("PROPFIND", "/calendars/alice/", "1", PROPFIND_HOME));
    assert_eq!(status, 207);
    for (href, comp) in [("calendar", "VEVENT"), ("tasks", "VTODO"), ("notes", "VJOURNAL")] {
        let start = body.find(&format!("<D:href>/calendars/alice/{href}/</D:href>")).expect(href);
        let response = &body[start..start + body[start..].find("</D:response>").unwrap()];
        assert!(response.contains("<C:calendar/>"), "{response}");
        assert!(response.contains(&format!("<C:comp name=\"{comp}\"/>")), "{response}");
        assert!(response.contains("<CS:getctag>") && response.contains("<D:sync-token>"), "{response}");
    }
    assert!(body.contains("<C:schedule-inbox/>") && body.contains("<C:schedule-outbox/>"));
    // Without the trailing slash the collection is served, not redirected.
    let (status, body) = text(d.xml("PROPFIND", "/addressbooks/alice", "1", PROPFIND_HOME));
    assert_eq!(status, 207);
    assert!(
        body.contains("<D:href>/addressbooks/alice/contacts/</D:href>") && body.contains("<CARD:addressbook/>"),
        "{body}"
    );
    let options = d.req("OPTIONS", "/").send().unwrap();
    let dav = options.headers()["dav"].to_str().unwrap();
    assert!(dav.contains("calendar-access") && dav.contains("addressbook") && dav.contains("extended-mkcol"), "{dav}");
}

fn objects_are_stored_byte_for_byte_with_strong_etags(backend: Backend) {
    let d = Dav::start(backend);
    let path = "/calendars/alice/calendar/r%C3%A9union%20du%20lundi@x.ics";
    let body = event("uid-1", "Réunion");
    let created = d.put(path, "text/calendar; charset=utf-8", &body, &[("If-None-Match", "*")]);
    assert_eq!(created.status(), 201);
    let etag = created.headers()["etag"].to_str().unwrap().to_owned();
    assert!(etag.starts_with('"') && !etag.starts_with("W/"), "strong ETag: {etag}");
    let got = d.req("GET", path).send().unwrap();
    assert_eq!(got.status(), 200);
    assert_eq!(got.headers()["etag"].to_str().unwrap(), etag);
    assert!(got.headers()["content-type"].to_str().unwrap().starts_with("text/calendar"));
    assert!(got.headers().contains_key("last-modified"));
    // Asked again every time (a browser would otherwise serve an old copy from its cache).
    assert_eq!(got.headers()["cache-control"].to_str().unwrap(), "private, no-cache");
    assert_eq!(got.text().unwrap(), body, "served exactly as stored, X- properties included");
    let head = d.req("HEAD", path).send().unwrap();
    assert_eq!(head.status(), 200);
    assert_eq!(d.req("GET", path).header("If-None-Match", &etag).send().unwrap().status(), 304);

    // Lost updates are impossible: If-None-Match: * and stale If-Match fail.
    assert_eq!(d.put(path, "text/calendar", &body, &[("If-None-Match", "*")]).status(), 412);
    assert_eq!(d.put(path, "text/calendar", &event("uid-1", "v2"), &[("If-Match", "\"stale\"")]).status(), 412);
    let updated = d.put(path, "text/calendar", &event("uid-1", "v2"), &[("If-Match", &etag)]);
    assert_eq!(updated.status(), 204);
    let new_etag = updated.headers()["etag"].to_str().unwrap().to_owned();
    assert_ne!(new_etag, etag);
    assert_eq!(d.req("DELETE", path).header("If-Match", &etag).send().unwrap().status(), 412);
    assert_eq!(d.req("DELETE", path).header("If-Match", &new_etag).send().unwrap().status(), 204);
    assert_eq!(d.req("GET", path).send().unwrap().status(), 404);
    assert_eq!(d.req("DELETE", path).send().unwrap().status(), 404);
    // A deleted object never blocks re-creating its UID.
    assert_eq!(d.put("/calendars/alice/calendar/again.ics", "text/calendar", &body, &[]).status(), 201);
}

fn calendar_preconditions(backend: Backend) {
    let d = Dav::start(backend);
    assert_eq!(d.put("/calendars/alice/calendar/a.ics", "text/calendar", &event("same", "A"), &[]).status(), 201);
    let (status, body) = text(d.put("/calendars/alice/calendar/b.ics", "text/calendar", &event("same", "B"), &[]));
    assert_eq!(status, 409);
    assert!(body.contains("<C:no-uid-conflict><D:href>/calendars/alice/calendar/a.ics</D:href>"), "{body}");
    let (status, body) =
        text(d.put("/calendars/alice/calendar/c.ics", "text/calendar", "BEGIN:VCALENDAR\r\nthis is not", &[]));
    assert_eq!(status, 403);
    assert!(body.contains("<C:valid-calendar-data/>") || body.contains("<C:supported-calendar-component/>"), "{body}");
    let (status, body) = text(d.put("/calendars/alice/tasks/e.ics", "text/calendar", &event("e", "E"), &[]));
    assert_eq!(status, 403);
    assert!(body.contains("<C:supported-calendar-component/>"), "{body}");
    let (status, body) = text(d.put("/calendars/alice/calendar/d.ics", "text/plain", &event("d", "D"), &[]));
    assert_eq!(status, 415);
    assert!(body.contains("<C:supported-calendar-data/>"), "{body}");
    let two_uids = event("x", "X").replace(
        "END:VCALENDAR",
        "BEGIN:VEVENT\r\nUID:y\r\nDTSTAMP:20260101T000000Z\r\nDTSTART:20260101T000000Z\r\nEND:VEVENT\r\nEND:VCALENDAR",
    );
    let (status, body) = text(d.put("/calendars/alice/calendar/two.ics", "text/calendar", &two_uids, &[]));
    assert_eq!(status, 403);
    assert!(body.contains("<C:valid-calendar-object-resource/>"), "{body}");
    assert_eq!(d.put("/calendars/alice/inbox/x.ics", "text/calendar", &event("i", "I"), &[]).status(), 403);
    assert_eq!(d.put("/calendars/alice/nothere/x.ics", "text/calendar", &event("n", "N"), &[]).status(), 409);
    // Nothing of the refused writes was stored.
    let (_, listing) = text(d.xml("PROPFIND", "/calendars/alice/calendar/", "1", PROPFIND_HOME));
    assert_eq!(listing.matches("<D:response>").count(), 2, "the collection and a.ics only:\n{listing}");
}

fn sync_body(token: &str, limit: Option<u32>) -> String {
    let token =
        if token.is_empty() { "<d:sync-token/>".to_owned() } else { format!("<d:sync-token>{token}</d:sync-token>") };
    let limit = limit.map(|n| format!("<d:limit><d:nresults>{n}</d:nresults></d:limit>")).unwrap_or_default();
    format!(
        r#"<d:sync-collection xmlns:d="DAV:">{token}<d:sync-level>1</d:sync-level>{limit}<d:prop><d:getetag/></d:prop></d:sync-collection>"#
    )
}

fn token_of(body: &str) -> String {
    let start = body.find("<D:sync-token>").expect("a sync token") + "<D:sync-token>".len();
    body[start..start + body[start..].find('<').unwrap()].to_owned()
}

fn sync_collection_tokens_limits_and_deletions(backend: Backend) {
    let d = Dav::start(backend);
    let coll = "/calendars/alice/calendar/";
    let (status, body) = text(d.xml("REPORT", coll, "1", &sync_body("", None)));
    assert_eq!(status, 207);
    let empty_token = token_of(&body);
    for i in 0..5 {
        assert_eq!(
            d.put(&format!("{coll}e{i}.ics"), "text/calendar", &event(&format!("u{i}"), "x"), &[]).status(),
            201
        );
    }
    let (_, body) = text(d.xml("REPORT", coll, "1", &sync_body(&empty_token, None)));
    assert_eq!(body.matches("<D:getetag>").count(), 5, "{body}");
    let token = token_of(&body);
    // Nothing changed: nothing reported, same token.
    let (_, body) = text(d.xml("REPORT", coll, "1", &sync_body(&token, None)));
    assert_eq!(body.matches("<D:response>").count(), 0);
    assert_eq!(token_of(&body), token);
    // A change and a deletion.
    d.put(&format!("{coll}e1.ics"), "text/calendar", &event("u1", "changed"), &[]);
    assert_eq!(d.req("DELETE", &format!("{coll}e2.ics")).send().unwrap().status(), 204);
    let (_, body) = text(d.xml("REPORT", coll, "1", &sync_body(&token, None)));
    assert!(body.contains("<D:href>/calendars/alice/calendar/e1.ics</D:href><D:propstat>"), "{body}");
    assert!(
        body.contains("<D:href>/calendars/alice/calendar/e2.ics</D:href><D:status>HTTP/1.1 404 Not Found"),
        "{body}"
    );
    // getctag moves with the token.
    let (_, props) = text(d.xml("PROPFIND", coll, "0", PROPFIND_HOME));
    assert!(props.contains(&format!("<CS:getctag>{}</CS:getctag>", token_of(&body))), "{props}");
    // Truncation: 507 for the collection and a token that resumes where it stopped.
    let (_, page1) = text(d.xml("REPORT", coll, "1", &sync_body(&empty_token, Some(2))));
    assert_eq!(page1.matches("<D:getetag>").count(), 2, "{page1}");
    assert!(page1.contains("<D:href>/calendars/alice/calendar/</D:href><D:status>HTTP/1.1 507"), "{page1}");
    let (_, page2) = text(d.xml("REPORT", coll, "1", &sync_body(&token_of(&page1), Some(10))));
    let seen = page1.matches("<D:getetag>").count() + page2.matches("<D:getetag>").count();
    assert_eq!(seen, 4, "the four remaining objects over two pages:\n{page2}");
    // Unknown or foreign tokens: 403 DAV:valid-sync-token (not 412).
    for bad in ["https://agora.invalid/sync/999/1", "garbage", &format!("{token}0")] {
        let (status, body) = text(d.xml("REPORT", coll, "1", &sync_body(bad, None)));
        assert_eq!(status, 403, "{bad}");
        assert!(body.contains("<D:valid-sync-token/>"));
    }
    let (_, tasks) = text(d.xml("PROPFIND", "/calendars/alice/tasks/", "0", PROPFIND_HOME));
    let (status, _) = text(d.xml("REPORT", "/calendars/alice/tasks/", "1", &sync_body(&token_of(&page1), None)));
    assert_eq!(status, 403, "a token of another collection is invalid here: {tasks}");
}

fn dead_properties_round_trip_and_live_ones_are_protected(backend: Backend) {
    let d = Dav::start(backend);
    let coll = "/calendars/alice/calendar/";
    let patch = r##"<?xml version="1.0" encoding="utf-8"?>
<d:propertyupdate xmlns:d="DAV:" xmlns:a="http://apple.com/ns/ical/" xmlns:x="urn:example:vendor">
  <d:set><d:prop>
    <a:calendar-color symbolic-color="red">#FF2968FF</a:calendar-color>
    <a:calendar-order>3</a:calendar-order>
    <d:displayname>Travail &amp; réunions</d:displayname>
    <x:settings x:level="2"><x:item>one</x:item><x:item/></x:settings>
  </d:prop></d:set>
</d:propertyupdate>"##;
    let (status, body) = text(d.xml("PROPPATCH", coll, "0", patch));
    assert_eq!(status, 207);
    assert_eq!(body.matches("HTTP/1.1 200 OK").count(), 1, "{body}");
    let (_, body) = text(d.xml(
        "PROPFIND",
        coll,
        "0",
        r#"<d:propfind xmlns:d="DAV:" xmlns:a="http://apple.com/ns/ical/" xmlns:x="urn:example:vendor"><d:prop><a:calendar-color/><a:calendar-order/><d:displayname/><x:settings/></d:prop></d:propfind>"#,
    ));
    assert!(body.contains(r##"symbolic-color="red""##) && body.contains("#FF2968FF"), "{body}");
    assert!(body.contains("Travail &amp; réunions"), "{body}");
    assert!(body.contains(r#"level="2""#) && body.contains(">one<"), "{body}");
    assert!(!body.contains("404"), "{body}");
    // A protected property fails the whole request: 403 for it, 424 for the rest.
    let bad = r#"<d:propertyupdate xmlns:d="DAV:" xmlns:a="http://apple.com/ns/ical/"><d:set><d:prop><d:getetag>"x"</d:getetag><a:calendar-order>9</a:calendar-order></d:prop></d:set></d:propertyupdate>"#;
    let (status, body) = text(d.xml("PROPPATCH", coll, "0", bad));
    assert_eq!(status, 207);
    assert!(body.contains("HTTP/1.1 403") && body.contains("HTTP/1.1 424"), "{body}");
    let (_, body) = text(d.xml("PROPFIND", coll, "0", r#"<d:propfind xmlns:d="DAV:" xmlns:a="http://apple.com/ns/ical/"><d:prop><a:calendar-order/></d:prop></d:propfind>"#));
    assert!(body.contains(">3<"), "the failed PROPPATCH changed nothing: {body}");
    // Remove.
    let remove = r#"<d:propertyupdate xmlns:d="DAV:" xmlns:a="http://apple.com/ns/ical/"><d:remove><d:prop><a:calendar-order/></d:prop></d:remove></d:propertyupdate>"#;
    assert_eq!(d.xml("PROPPATCH", coll, "0", remove).status(), 207);
    let (_, body) = text(d.xml("PROPFIND", coll, "0", r#"<d:propfind xmlns:d="DAV:" xmlns:a="http://apple.com/ns/ical/"><d:prop><a:calendar-order/></d:prop></d:propfind>"#));
    assert!(body.contains("404 Not Found"), "{body}");
}

fn collections_are_made_and_removed(backend: Backend) {
    let d = Dav::start(backend);
    let mkcalendar = r#"<?xml version="1.0" encoding="utf-8"?>
<c:mkcalendar xmlns:d="DAV:" xmlns:c="urn:ietf:params:xml:ns:caldav" xmlns:a="http://apple.com/ns/ical/">
  <d:set><d:prop>
    <d:displayname>Projets</d:displayname>
    <c:supported-calendar-component-set><c:comp name="VTODO"/></c:supported-calendar-component-set>
    <a:calendar-color>#00FF00</a:calendar-color>
  </d:prop></d:set>
</c:mkcalendar>"#;
    let r = d.xml("MKCALENDAR", "/calendars/alice/projets/", "0", mkcalendar);
    assert_eq!(r.status(), 201);
    let (_, body) = text(d.xml("PROPFIND", "/calendars/alice/projets/", "0", PROPFIND_HOME));
    assert!(
        // The client's displayname comes back verbatim, with its own prefix.
        body.contains(">Projets</d:displayname>") && body.contains("<C:comp name=\"VTODO\"/>"),
        "{body}"
    );
    assert_eq!(d.xml("MKCALENDAR", "/calendars/alice/projets/", "0", mkcalendar).status(), 405);
    assert_eq!(d.req("MKCALENDAR", "/calendars/alice/nested/deeper/").send().unwrap().status(), 409);
    let (status, body) = text(d.xml("MKCALENDAR", "/calendars/alice/projets/inner/", "0", mkcalendar));
    assert_eq!(status, 403);
    assert!(body.contains("calendar-collection-location-ok"), "{body}");
    // Extended MKCOL (RFC 5689) makes an address book.
    let mkcol = r#"<d:mkcol xmlns:d="DAV:" xmlns:card="urn:ietf:params:xml:ns:carddav"><d:set><d:prop><d:resourcetype><d:collection/><card:addressbook/></d:resourcetype><d:displayname>Fournisseurs</d:displayname></d:prop></d:set></d:mkcol>"#;
    assert_eq!(d.xml("MKCOL", "/addressbooks/alice/fournisseurs/", "0", mkcol).status(), 201);
    let (_, body) = text(d.xml("PROPFIND", "/addressbooks/alice/fournisseurs/", "0", PROPFIND_HOME));
    assert!(body.contains("<CARD:addressbook/>") && body.contains("Fournisseurs"), "{body}");
    let invalid = r#"<d:mkcol xmlns:d="DAV:"><d:set><d:prop><d:resourcetype><d:collection/><d:bogus/></d:resourcetype></d:prop></d:set></d:mkcol>"#;
    let (status, body) = text(d.xml("MKCOL", "/addressbooks/alice/x/", "0", invalid));
    assert_eq!(status, 403);
    assert!(body.contains("valid-resourcetype"), "{body}");
    // DELETE removes a collection with its content; homes stay.
    d.put("/calendars/alice/projets/t.ics", "text/calendar", &event("t", "T").replace("VEVENT", "VTODO"), &[]);
    assert_eq!(d.req("DELETE", "/calendars/alice/projets/").send().unwrap().status(), 204);
    assert_eq!(d.xml("PROPFIND", "/calendars/alice/projets/", "0", PROPFIND_HOME).status(), 404);
    assert_eq!(d.req("DELETE", "/calendars/alice/").send().unwrap().status(), 403);
}

const CARD_V3: &str = "BEGIN:VCARD\r\nVERSION:3.0\r\nUID:card-1\r\nFN:Jean Dupont\r\nN:Dupont;Jean;;;\r\n\
    EMAIL;TYPE=INTERNET:jean@example.org\r\nitem1.TEL:+33123456789\r\nitem1.X-ABLabel:Bureau\r\nEND:VCARD\r\n";

fn vcards_convert_between_versions(backend: Backend) {
    let d = Dav::start(backend);
    let path = "/addressbooks/alice/contacts/jean.vcf";
    assert_eq!(d.put(path, "text/vcard", CARD_V3, &[("If-None-Match", "*")]).status(), 201);
    assert_eq!(d.req("GET", path).send().unwrap().text().unwrap(), CARD_V3);
    let (status, body) = text(d.put(
        "/addressbooks/alice/contacts/x.vcf",
        "text/vcard",
        "BEGIN:VCARD\r\nVERSION:3.0\r\nFN:No UID\r\nEND:VCARD\r\n",
        &[],
    ));
    assert_eq!(status, 403);
    assert!(body.contains("<CARD:valid-address-data/>"), "{body}");
    let (status, body) = text(d.put("/addressbooks/alice/contacts/dup.vcf", "text/vcard", CARD_V3, &[]));
    assert_eq!(status, 409);
    assert!(body.contains("<CARD:no-uid-conflict><D:href>/addressbooks/alice/contacts/jean.vcf</D:href>"), "{body}");
    let multiget = |version: &str| {
        format!(
            r#"<card:addressbook-multiget xmlns:d="DAV:" xmlns:card="urn:ietf:params:xml:ns:carddav"><d:prop><d:getetag/><card:address-data content-type="text/vcard" version="{version}"/></d:prop><d:href>{path}</d:href></card:addressbook-multiget>"#
        )
    };
    let (status, body) = text(d.xml("REPORT", "/addressbooks/alice/contacts/", "1", &multiget("4.0")));
    assert_eq!(status, 207);
    assert!(body.contains("VERSION:4.0") && body.contains("UID:card-1"), "{body}");
    assert!(body.contains("X-ABLabel:Bureau") || body.contains("X-ABLABEL:Bureau"), "labels survive: {body}");
    let (_, body) = text(d.xml("REPORT", "/addressbooks/alice/contacts/", "1", &multiget("3.0")));
    assert!(body.contains("VERSION:3.0"), "{body}");
}

fn users_cannot_reach_each_others_data(backend: Backend) {
    let d = Dav::start(backend);
    d.env.cli_ok(&["user", "add", "bob", "--password-stdin"], Some("bob-password\n"));
    let bob = d.as_user("bob", "bob-password");
    assert_eq!(
        bob.xml("PROPFIND", "/calendars/bob/", "0", PROPFIND_HOME).status(),
        207,
        "bob's own home is provisioned"
    );
    d.put("/calendars/alice/calendar/private.ics", "text/calendar", &event("p", "Private"), &[]);
    assert_eq!(bob.xml("PROPFIND", "/calendars/alice/calendar/", "1", PROPFIND_HOME).status(), 403);
    assert_eq!(bob.req("GET", "/calendars/alice/calendar/private.ics").send().unwrap().status(), 403);
    assert_eq!(bob.put("/calendars/alice/calendar/x.ics", "text/calendar", &event("x", "X"), &[]).status(), 403);
    assert_eq!(bob.req("DELETE", "/calendars/alice/calendar/private.ics").send().unwrap().status(), 403);
    assert_eq!(bob.xml("REPORT", "/calendars/alice/calendar/", "1", &sync_body("", None)).status(), 403);
    assert_eq!(d.req("GET", "/calendars/alice/calendar/private.ics").send().unwrap().status(), 200);
}

fn bad_requests_get_clear_errors(backend: Backend) {
    let d = Dav::start(backend);
    let (status, body) = text(d.xml("PROPFIND", "/calendars/alice/", "infinity", PROPFIND_HOME));
    assert_eq!(status, 403);
    assert!(body.contains("<D:propfind-finite-depth/>"));
    let (status, body) = text(d.xml("PROPFIND", "/calendars/alice/", "0", "<d:propfind xmlns:d=\"DAV:\"><d:prop>"));
    assert_eq!(status, 400);
    assert!(body.contains("malformed XML"), "{body}");
    let r = d
        .req("PROPFIND", "/calendars/alice/")
        .header("Depth", "0")
        .header("Content-Type", "text/plain")
        .body("x")
        .send();
    assert_eq!(r.unwrap().status(), 415);
    let bomb = format!("<d:propfind xmlns:d=\"DAV:\">{}x{}</d:propfind>", "<a>".repeat(200), "</a>".repeat(200));
    assert_eq!(d.xml("PROPFIND", "/calendars/alice/", "0", &bomb).status(), 400, "nesting is bounded");
    // (%2e%2e is normalised away by the client's URL parser; an encoded slash is not.)
    assert_eq!(d.xml("PROPFIND", "/calendars/alice/a%2Fb/", "0", PROPFIND_HOME).status(), 400);
    assert_eq!(d.xml("PROPFIND", "/calendars/alice/nothing/", "0", PROPFIND_HOME).status(), 404);
    assert_eq!(
        d.xml("REPORT", "/calendars/alice/calendar/", "0", "<x:unknown-report xmlns:x=\"urn:x\"/>").status(),
        403
    );
}
