//! CalendarServer sharing as Apple Calendar speaks it, on both stores: the sharee
//! finds the invitation in the collection named by notification-URL, answers it
//! from there, and the owner is told the answer in their own notifications.

mod common;

use common::*;

agora_testkit::on_both_stores!(invitations_arrive_as_notifications);

const CS: &str = "http://calendarserver.org/ns/";

fn listing(server: &Server, user: &str, path: &str) -> String {
    let body = format!(
        r#"<D:propfind xmlns:D="DAV:" xmlns:CS="{CS}"><D:prop><D:resourcetype/><D:getetag/><CS:notificationtype/><D:sync-token/></D:prop></D:propfind>"#
    );
    let (status, text) = send(server, user, "PROPFIND", path, "application/xml", &body);
    assert_eq!(status, 207, "{text}");
    text
}

fn invitations_arrive_as_notifications(backend: Backend) {
    let env = StoreEnv::new(backend);
    let server = Server::start(&env, &[]);
    add_users(&env, &["alice", "bob"]);
    let cal = "/calendars/alice/calendar/";

    let options = client().request(reqwest::Method::OPTIONS, server.url(cal)).basic_auth("bob", Some(PASSWORD));
    let dav = options.send().unwrap().headers()["dav"].to_str().unwrap().to_owned();
    assert!(dav.contains("calendarserver-sharing"), "{dav}");

    // Apple reads notification-URL from the principal.
    let principal =
        format!(r#"<D:propfind xmlns:D="DAV:" xmlns:CS="{CS}"><D:prop><CS:notification-URL/></D:prop></D:propfind>"#);
    let (_, body) = send(&server, "bob", "PROPFIND", "/principals/bob/", "application/xml", &principal);
    assert!(body.contains("<CS:notification-URL><D:href>/calendars/bob/notifications/</D:href>"), "{body}");
    let notifications = "/calendars/bob/notifications/";
    let before = listing(&server, "bob", notifications);
    assert!(before.contains("<CS:notification/>"), "{before}");
    assert_eq!(before.matches("<D:response>").count(), 1, "{before}");

    let share = format!(
        r#"<CS:share xmlns:D="DAV:" xmlns:CS="{CS}"><CS:set><D:href>mailto:bob@example.org</D:href><CS:summary>Équipe &amp; projets</CS:summary><CS:read-write/></CS:set></CS:share>"#
    );
    assert_eq!(send(&server, "alice", "POST", cal, "application/xml", &share).0, 200);

    let after = listing(&server, "bob", notifications);
    assert_eq!(after.matches("<D:response>").count(), 2, "{after}");
    assert!(after.contains(r#"<CS:invite-notification shared-type="calendar"/>"#), "{after}");
    let start = after.find("<D:href>/calendars/bob/notifications/invite-").unwrap() + "<D:href>".len();
    let item = &after[start..start + after[start..].find('<').unwrap()];
    let (status, xml) = send(&server, "bob", "GET", item, "text/plain", "");
    assert_eq!(status, 200);
    for part in [
        "<CS:invite-notification shared-type=\"calendar\">",
        "<D:href>mailto:bob@example.org</D:href><CS:invite-noresponse/>",
        "<CS:access><CS:read-write/></CS:access>",
        "<CS:hosturl><D:href>/calendars/alice/calendar/</D:href></CS:hosturl>",
        "<CS:organizer><D:href>mailto:alice@example.org</D:href><CS:common-name>alice</CS:common-name></CS:organizer>",
        "<CS:summary>Équipe &amp; projets</CS:summary>",
        "<C:comp name=\"VEVENT\"/>",
    ] {
        assert!(xml.contains(part), "{part} in {xml}");
    }
    let uid_start = xml.find("<CS:uid>").unwrap() + "<CS:uid>".len();
    let uid = &xml[uid_start..uid_start + xml[uid_start..].find('<').unwrap()];

    // The server alone writes notifications; the owner's collection is theirs alone.
    assert_eq!(send(&server, "bob", "PUT", &format!("{notifications}x.xml"), "application/xml", "<x/>").0, 403);
    assert_eq!(send(&server, "alice", "GET", item, "text/plain", "").0, 403);
    assert_eq!(send(&server, "bob", "DELETE", notifications, "text/plain", "").0, 403);

    // Accepting from the notification (POST to the calendar home, as Apple does).
    let reply = format!(
        r#"<CS:invite-reply xmlns:D="DAV:" xmlns:CS="{CS}"><D:href>mailto:bob@example.org</D:href><CS:invite-accepted/><CS:hosturl><D:href>{cal}</D:href></CS:hosturl><CS:in-reply-to>{uid}</CS:in-reply-to><CS:summary>ok</CS:summary></CS:invite-reply>"#
    );
    let (status, body) = send(&server, "bob", "POST", "/calendars/bob/", "application/xml", &reply);
    assert_eq!(status, 200, "{body}");
    assert!(body.contains("<D:href>/calendars/bob/alice-calendar/</D:href>"), "{body}");
    // Answered: the invitation is gone, and a client's later DELETE of it is a 404.
    assert_eq!(listing(&server, "bob", notifications).matches("<D:response>").count(), 1);
    assert_eq!(send(&server, "bob", "DELETE", item, "text/plain", "").0, 404);

    // The owner is told.
    let owners = listing(&server, "alice", "/calendars/alice/notifications/");
    assert!(owners.contains(r#"<CS:invite-reply shared-type="calendar"/>"#), "{owners}");
    let start = owners.find("<D:href>/calendars/alice/notifications/reply-").unwrap() + "<D:href>".len();
    let answer = &owners[start..start + owners[start..].find('<').unwrap()];
    let (_, xml) = send(&server, "alice", "GET", answer, "text/plain", "");
    assert!(xml.contains("<D:href>mailto:bob@example.org</D:href>") && xml.contains("<CS:invite-accepted/>"), "{xml}");
    assert!(xml.contains(&format!("<CS:in-reply-to>{uid}</CS:in-reply-to>")), "{xml}");
    // Dismissing it is the owner's own business.
    assert_eq!(send(&server, "alice", "DELETE", answer, "text/plain", "").0, 204);

    // A second invitation, dismissed unanswered: the share stays pending (only an
    // answer changes it), and withdrawing the share removes its notification.
    add_users(&env, &["carol"]);
    let to_carol = format!(
        r#"<CS:share xmlns:D="DAV:" xmlns:CS="{CS}"><CS:set><D:href>mailto:carol@example.org</D:href><CS:read/></CS:set></CS:share>"#
    );
    assert_eq!(send(&server, "alice", "POST", cal, "application/xml", &to_carol).0, 200);
    let carols = listing(&server, "carol", "/calendars/carol/notifications/");
    assert!(carols.contains("<CS:invite-notification"), "{carols}");
    let withdraw = format!(
        r#"<CS:share xmlns:D="DAV:" xmlns:CS="{CS}"><CS:remove><D:href>mailto:carol@example.org</D:href></CS:remove></CS:share>"#
    );
    assert_eq!(send(&server, "alice", "POST", cal, "application/xml", &withdraw).0, 200);
    let carols = listing(&server, "carol", "/calendars/carol/notifications/");
    assert!(!carols.contains("<CS:invite-notification"), "{carols}");
}
