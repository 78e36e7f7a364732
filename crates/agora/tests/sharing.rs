//! Sharing through `agora share`, seen over DAV by the sharees, on both stores:
//! the shared calendar appears inside the sharee's own home, access follows the
//! level, the sharee's display properties are their own, leaving or revoking
//! makes it disappear from the sharee's sync.

mod common;

use common::*;

agora_testkit::on_both_stores!(shared_calendars_appear_in_the_sharees_home, sharing_protocols_over_dav);

const LIST: &str = r#"<D:propfind xmlns:D="DAV:" xmlns:C="urn:ietf:params:xml:ns:caldav"><D:prop><D:resourcetype/><D:displayname/><D:sync-token/></D:prop></D:propfind>"#;

fn event(uid: &str) -> String {
    format!(
        "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:x\r\nBEGIN:VEVENT\r\nUID:{uid}\r\nDTSTAMP:20260101T000000Z\r\n\
         DTSTART:20261201T100000Z\r\nDTEND:20261201T110000Z\r\nSUMMARY:Point {uid}\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n"
    )
}

fn token(body: &str) -> String {
    let start = body.find("<D:sync-token>").unwrap() + "<D:sync-token>".len();
    body[start..start + body[start..].find('<').unwrap()].to_owned()
}

fn shared_calendars_appear_in_the_sharees_home(backend: Backend) {
    let env = StoreEnv::new(backend);
    let server = Server::start(&env, &[]);
    add_users(&env, &["alice", "bob", "carol", "dave"]);
    env.cli_ok(&["group", "add", "team"], None);
    env.cli_ok(&["group", "member", "add", "team", "carol"], None);
    assert_eq!(send(&server, "alice", "PUT", "/calendars/alice/calendar/e1.ics", "text/calendar", &event("e1")).0, 201);
    let (_, before) = send(&server, "bob", "PROPFIND", "/calendars/bob/", "application/xml", LIST);
    let bob_token = token(&before);

    env.cli_ok(&["share", "add", "calendars/alice/calendar", "bob", "--access", "read"], None);
    env.cli_ok(&["share", "add", "/calendars/alice/calendar/", "team", "--access", "read-write"], None);
    env.cli_ok(&["share", "add", "calendars/alice/calendar", "dave", "--access", "freebusy"], None);
    let listed = env.cli_ok(&["share", "list"], None);
    assert!(
        listed.contains("bob") && listed.contains("carol") && listed.contains("/calendars/bob/alice-calendar/"),
        "{listed}"
    );
    assert_eq!(env.cli(&["share", "add", "calendars/alice/nothing", "bob"], None).status.code(), Some(3));

    // bob: read, in his own home.
    let (_, home) = send(&server, "bob", "PROPFIND", "/calendars/bob/", "application/xml", LIST);
    assert!(
        home.contains("<D:href>/calendars/bob/alice-calendar/</D:href>") && home.contains("<C:calendar/>"),
        "{home}"
    );
    assert_ne!(token(&home), bob_token, "the new member shows in the home's sync");
    let (status, ev) = send(&server, "bob", "GET", "/calendars/bob/alice-calendar/e1.ics", "text/plain", "");
    assert_eq!((status, ev.contains("Point e1")), (200, true));
    let (_, inside) = send(&server, "bob", "PROPFIND", "/calendars/bob/alice-calendar/", "application/xml", LIST);
    assert!(
        inside.contains("<D:href>/calendars/bob/alice-calendar/e1.ics</D:href>"),
        "hrefs under the sharee's path: {inside}"
    );
    assert_eq!(send(&server, "bob", "PUT", "/calendars/bob/alice-calendar/x.ics", "text/calendar", &event("x")).0, 403);
    // His name for it is his own.
    let rename = r#"<D:propertyupdate xmlns:D="DAV:"><D:set><D:prop><D:displayname>Agenda d'Alice</D:displayname></D:prop></D:set></D:propertyupdate>"#;
    assert_eq!(send(&server, "bob", "PROPPATCH", "/calendars/bob/alice-calendar/", "application/xml", rename).0, 207);
    let (_, mine) = send(&server, "bob", "PROPFIND", "/calendars/bob/alice-calendar/", "application/xml", LIST);
    assert!(mine.contains("Agenda d'Alice") || mine.contains("Agenda d&apos;Alice"), "{mine}");
    let (_, hers) = send(&server, "alice", "PROPFIND", "/calendars/alice/calendar/", "application/xml", LIST);
    assert!(!hers.contains("Agenda d") && hers.contains("<D:displayname>Calendar</D:displayname>"), "{hers}");

    // carol: read-write through the group.
    assert_eq!(
        send(&server, "carol", "PUT", "/calendars/carol/alice-calendar/c1.ics", "text/calendar", &event("c1")).0,
        201
    );
    assert_eq!(send(&server, "alice", "GET", "/calendars/alice/calendar/c1.ics", "text/plain", "").0, 200);
    // dave: free/busy only.
    assert_eq!(send(&server, "dave", "GET", "/calendars/dave/alice-calendar/e1.ics", "text/plain", "").0, 403);
    let fb = r#"<C:free-busy-query xmlns:C="urn:ietf:params:xml:ns:caldav"><C:time-range start="20261201T000000Z" end="20261202T000000Z"/></C:free-busy-query>"#;
    let (status, busy) = send(&server, "dave", "REPORT", "/calendars/dave/alice-calendar/", "application/xml", fb);
    assert_eq!(status, 200);
    assert!(busy.contains("FREEBUSY;FBTYPE=BUSY:20261201T100000Z/20261201T110000Z"), "{busy}");
    // Free/busy access is enough to leave the share, not to delete what is in it.
    assert_eq!(send(&server, "dave", "DELETE", "/calendars/dave/alice-calendar/e1.ics", "text/plain", "").0, 403);
    assert_eq!(send(&server, "dave", "DELETE", "/calendars/dave/alice-calendar/", "text/plain", "").0, 204);
    let (_, dave_home) = send(&server, "dave", "PROPFIND", "/calendars/dave/", "application/xml", LIST);
    assert!(!dave_home.contains("alice-calendar"), "{dave_home}");
    assert_eq!(send(&server, "alice", "GET", "/calendars/alice/calendar/e1.ics", "text/plain", "").0, 200);

    // bob leaves: gone from his home, the calendar stays with alice.
    assert_eq!(send(&server, "bob", "DELETE", "/calendars/bob/alice-calendar/", "text/plain", "").0, 204);
    let (_, home) = send(&server, "bob", "PROPFIND", "/calendars/bob/", "application/xml", LIST);
    assert!(!home.contains("alice-calendar"), "{home}");
    assert_eq!(send(&server, "alice", "GET", "/calendars/alice/calendar/e1.ics", "text/plain", "").0, 200);
    assert_eq!(
        send(&server, "bob", "GET", "/calendars/alice/calendar/e1.ics", "text/plain", "").0,
        403,
        "access ends with the share"
    );
    // The owner revokes carol's share.
    env.cli_ok(&["share", "del", "calendars/alice/calendar", "carol"], None);
    assert_eq!(
        send(&server, "carol", "PUT", "/calendars/carol/alice-calendar/c2.ics", "text/calendar", &event("c2")).0,
        409
    );
    let (_, carol_home) = send(&server, "carol", "PROPFIND", "/calendars/carol/", "application/xml", LIST);
    assert!(!carol_home.contains("alice-calendar"), "{carol_home}");
}

const CS: &str = "http://calendarserver.org/ns/";

fn sharing_protocols_over_dav(backend: Backend) {
    let env = StoreEnv::new(backend);
    let server = Server::start(&env, &[]);
    add_users(&env, &["alice", "bob", "carol"]);
    let cal = "/calendars/alice/calendar/";
    assert_eq!(send(&server, "alice", "PUT", &format!("{cal}e1.ics"), "text/calendar", &event("e1")).0, 201);
    // Apple's CalendarServer sharing, and the resource-sharing draft.
    let cs_share = format!(
        r#"<CS:share xmlns:D="DAV:" xmlns:CS="{CS}"><CS:set><D:href>mailto:bob@example.org</D:href><CS:summary>Projet</CS:summary><CS:read-write/></CS:set></CS:share>"#
    );
    assert_eq!(send(&server, "alice", "POST", cal, "application/xml", &cs_share).0, 200);
    let draft = r#"<D:share-resource xmlns:D="DAV:"><D:sharee><D:href>/principals/carol/</D:href><D:share-access><D:read/></D:share-access></D:sharee></D:share-resource>"#;
    assert_eq!(send(&server, "alice", "POST", cal, "application/xml", draft).0, 200);
    let unknown = format!(
        r#"<CS:share xmlns:D="DAV:" xmlns:CS="{CS}"><CS:set><D:href>mailto:nobody@example.org</D:href><CS:read/></CS:set></CS:share>"#
    );
    let (status, body) = send(&server, "alice", "POST", cal, "application/xml", &unknown);
    assert_eq!(status, 403);
    assert!(body.contains("recognized-principal"), "{body}");

    let props = format!(
        r#"<D:propfind xmlns:D="DAV:" xmlns:CS="{CS}"><D:prop><D:share-access/><D:invite/><CS:invite/></D:prop></D:propfind>"#
    );
    let (_, owner) = send(&server, "alice", "PROPFIND", cal, "application/xml", &props);
    assert!(owner.contains("<D:shared-owner/>"), "{owner}");
    assert!(
        owner.contains("<D:href>mailto:bob@example.org</D:href><D:invite-noresponse/><D:share-access><D:read-write/>"),
        "{owner}"
    );
    assert!(owner.contains("<CS:user><D:href>mailto:carol@example.org</D:href><CS:common-name>carol</CS:common-name><CS:invite-noresponse/>"), "{owner}");
    // Not accepted yet: no access.
    assert_eq!(send(&server, "bob", "GET", &format!("{cal}e1.ics"), "text/plain", "").0, 403);

    let reply = format!(
        r#"<CS:invite-reply xmlns:D="DAV:" xmlns:CS="{CS}"><D:href>mailto:bob@example.org</D:href><CS:invite-accepted/><CS:hosturl><D:href>{cal}</D:href></CS:hosturl></CS:invite-reply>"#
    );
    let (status, body) = send(&server, "bob", "POST", "/calendars/bob/", "application/xml", &reply);
    assert_eq!(status, 200);
    assert!(body.contains("<D:href>/calendars/bob/alice-calendar/</D:href></CS:shared-as>"), "{body}");
    assert_eq!(
        send(&server, "bob", "PUT", "/calendars/bob/alice-calendar/b1.ics", "text/calendar", &event("b1")).0,
        201
    );
    let mount_props = r#"<D:propfind xmlns:D="DAV:"><D:prop><D:resourcetype/><D:share-access/><D:sharer-resource-uri/></D:prop></D:propfind>"#;
    let (_, mount) = send(&server, "bob", "PROPFIND", "/calendars/bob/alice-calendar/", "application/xml", mount_props);
    let mount = mount.split("</D:response>").next().unwrap().to_owned();
    assert!(mount.contains("<CS:shared/>") && mount.contains("<D:share-access><D:read-write/>"), "{mount}");
    assert!(mount.contains("<D:sharer-resource-uri><D:href>/calendars/alice/calendar/</D:href>"), "{mount}");
    let decline =
        format!(r#"<D:invite-reply xmlns:D="DAV:"><D:href>{cal}</D:href><D:invite-declined/></D:invite-reply>"#);
    assert_eq!(send(&server, "carol", "POST", "/calendars/carol/", "application/xml", &decline).0, 200);
    let (_, owner) = send(&server, "alice", "PROPFIND", cal, "application/xml", &props);
    assert!(owner.contains("<D:href>mailto:bob@example.org</D:href><D:invite-accepted/>"), "{owner}");
    assert!(owner.contains("<D:href>mailto:carol@example.org</D:href><D:invite-declined/>"), "{owner}");
    // The owner removes bob: the share leaves his home.
    let remove = format!(
        r#"<CS:share xmlns:D="DAV:" xmlns:CS="{CS}"><CS:remove><D:href>mailto:bob@example.org</D:href></CS:remove></CS:share>"#
    );
    assert_eq!(send(&server, "alice", "POST", cal, "application/xml", &remove).0, 200);
    let (_, home) = send(&server, "bob", "PROPFIND", "/calendars/bob/", "application/xml", LIST);
    assert!(!home.contains("alice-calendar"), "{home}");
    // Only owners share.
    assert_eq!(send(&server, "carol", "POST", cal, "application/xml", &cs_share).0, 403);

    // Free/busy only, Agora's own level in either protocol: invite and the
    // sharee's invitation name it, and the accepted share reads no event.
    let fb = r#"<D:share-resource xmlns:D="DAV:" xmlns:A="urn:x-agora:ns"><D:sharee><D:href>/principals/bob/</D:href><D:share-access><A:read-free-busy/></D:share-access></D:sharee></D:share-resource>"#;
    assert_eq!(send(&server, "alice", "POST", cal, "application/xml", fb).0, 200);
    let (_, owner) = send(&server, "alice", "PROPFIND", cal, "application/xml", &props);
    assert!(
        owner.contains(r#"<D:share-access><A:read-free-busy xmlns:A="urn:x-agora:ns"/></D:share-access>"#),
        "{owner}"
    );
    assert!(owner.contains(r#"<CS:access><A:read-free-busy xmlns:A="urn:x-agora:ns"/></CS:access>"#), "{owner}");
    let (_, notes) = send(&server, "bob", "PROPFIND", "/calendars/bob/notifications/", "application/xml", "");
    assert!(notes.contains("invite-"), "{notes}");
    assert_eq!(send(&server, "bob", "POST", "/calendars/bob/", "application/xml", &reply).0, 200);
    assert_eq!(send(&server, "bob", "GET", &format!("{cal}e1.ics"), "text/plain", "").0, 403);
    let cs_fb = format!(
        r#"<CS:share xmlns:D="DAV:" xmlns:CS="{CS}" xmlns:A="urn:x-agora:ns"><CS:set><D:href>mailto:carol@example.org</D:href><A:read-free-busy/></CS:set></CS:share>"#
    );
    assert_eq!(send(&server, "alice", "POST", cal, "application/xml", &cs_fb).0, 200);
    let (_, owner) = send(&server, "alice", "PROPFIND", cal, "application/xml", &props);
    let carol = owner.split("mailto:carol@example.org").nth(1).unwrap_or_default();
    // A new level keeps her earlier answer.
    assert!(carol.starts_with("</D:href><D:invite-declined/><D:share-access><A:read-free-busy"), "{owner}");
}
