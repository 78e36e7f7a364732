//! The birthdays calendar (`/calendars/USER/birthdays/`), on both stores: the
//! birthdays and anniversaries of the user's cards (vCard 4 and 3, without
//! year, Apple's forms, shared address books) as yearly all-day events that
//! follow the cards (ETag, getctag and sync-collection move with them), found
//! by time-range queries through the instance index, never busy time, and
//! read-only for everyone with `DAV:need-privileges`; its name follows the
//! user's language.

mod common;

use common::web::login;
use common::*;

agora_testkit::on_both_stores!(
    birthdays_follow_the_cards,
    birthdays_are_read_only_and_never_busy,
    shared_address_books_and_the_language_count
);

const HOME: &str = "/calendars/alice/";
const CAL: &str = "/calendars/alice/birthdays/";
const BOOK: &str = "/addressbooks/alice/contacts/";

const JEAN_V4: &str = "BEGIN:VCARD\r\nVERSION:4.0\r\nUID:jean-1\r\nFN:Jean Dupont\r\nBDAY:19800415\r\n\
    ANNIVERSARY:20050610\r\nEND:VCARD\r\n";
/// Apple Contacts: no year (X-APPLE-OMIT-YEAR), an anniversary by label.
const ANNE_V3: &str = "BEGIN:VCARD\r\nVERSION:3.0\r\nUID:anne-1\r\nFN:Anne Martin\r\nN:Martin;Anne;;;\r\n\
    BDAY;X-APPLE-OMIT-YEAR=1604:1604-02-29\r\nitem1.X-ABDATE;type=pref:2010-09-01\r\n\
    item1.X-ABLabel:_$!<Anniversary>!$_\r\nEND:VCARD\r\n";

fn put_card(server: &Server, user: &str, path: &str, card: &str) {
    let (status, text) = send(server, user, "PUT", path, "text/vcard", card);
    assert!(status == 201 || status == 204, "PUT {path}: {status} {text}");
}

/// The text of the first `<tag>…</tag>` after `after` in `body`.
fn element<'a>(body: &'a str, after: &str, tag: &str) -> &'a str {
    let from = body.find(after).unwrap_or_else(|| panic!("{after} in {body}"));
    let rest = &body[from..];
    let open = format!("<{tag}>");
    let start = rest.find(&open).unwrap_or_else(|| panic!("{tag} after {after} in {body}")) + open.len();
    &rest[start..start + rest[start..].find('<').unwrap()]
}

fn ctag(server: &Server) -> String {
    let ask = r#"<D:propfind xmlns:D="DAV:" xmlns:CS="http://calendarserver.org/ns/"><D:prop><CS:getctag/></D:prop></D:propfind>"#;
    let (status, text) = send(server, "alice", "PROPFIND", HOME, "application/xml", ask);
    assert_eq!(status, 207, "{text}");
    element(&text, &format!("<D:href>{CAL}</D:href>"), "CS:getctag").to_owned()
}

/// sync-collection of the birthdays calendar: (token, [(href, status line or etag)]).
fn sync(server: &Server, token: &str) -> (String, Vec<(String, String)>) {
    let body = format!(
        r#"<D:sync-collection xmlns:D="DAV:"><D:sync-token>{token}</D:sync-token><D:sync-level>1</D:sync-level><D:prop><D:getetag/></D:prop></D:sync-collection>"#
    );
    let (status, text) = send(server, "alice", "REPORT", CAL, "application/xml", &body);
    assert_eq!(status, 207, "{text}");
    let token = element(&text, "<D:multistatus", "D:sync-token").to_owned();
    let members = text
        .split("<D:response>")
        .skip(1)
        .map(|r| {
            let href = element(r, "", "D:href").to_owned();
            let what = if r.contains("<D:getetag>") {
                element(r, "", "D:getetag").to_owned()
            } else {
                element(r, "", "D:status").to_owned()
            };
            (href, what)
        })
        .collect();
    (token, members)
}

fn get(server: &Server, href: &str) -> String {
    let (status, text) = send(server, "alice", "GET", href, "text/plain", "");
    assert_eq!(status, 200, "GET {href}: {text}");
    text
}

/// calendar-query for VEVENTs in [start, end) (UTC), with the data or expanded.
fn query(server: &Server, start: &str, end: &str, expand: bool) -> String {
    let data = if expand {
        format!(r#"<C:calendar-data><C:expand start="{start}" end="{end}"/></C:calendar-data>"#)
    } else {
        "<C:calendar-data/>".into()
    };
    let body = format!(
        r#"<C:calendar-query xmlns:D="DAV:" xmlns:C="urn:ietf:params:xml:ns:caldav"><D:prop><D:getetag/>{data}</D:prop><C:filter><C:comp-filter name="VCALENDAR"><C:comp-filter name="VEVENT"><C:time-range start="{start}" end="{end}"/></C:comp-filter></C:comp-filter></C:filter></C:calendar-query>"#
    );
    let (status, text) = send(server, "alice", "REPORT", CAL, "application/xml", &body);
    assert_eq!(status, 207, "{text}");
    text
}

fn birthdays_follow_the_cards(backend: Backend) {
    let env = StoreEnv::new(backend);
    let server = Server::start(&env, &[]);
    add_users(&env, &["alice"]);

    // The calendar is there from the start, empty, in the home's listing.
    let ask = r#"<D:propfind xmlns:D="DAV:" xmlns:C="urn:ietf:params:xml:ns:caldav"><D:prop><D:displayname/><D:resourcetype/><C:supported-calendar-component-set/><C:schedule-calendar-transp/></D:prop></D:propfind>"#;
    let (_, listing) = send(&server, "alice", "PROPFIND", HOME, "application/xml", ask);
    let mine = listing
        .split(&format!("<D:href>{CAL}</D:href>"))
        .nth(1)
        .expect("listed")
        .split("</D:response>")
        .next()
        .unwrap();
    assert!(mine.contains(">Birthdays</D:displayname>"), "{mine}");
    assert!(mine.contains("<C:calendar/>") && mine.contains(r#"<C:comp name="VEVENT"/>"#), "{mine}");
    assert!(mine.contains("<C:transparent/>"), "never busy time: {mine}");
    let (empty_token, none) = sync(&server, "");
    assert!(none.is_empty(), "{none:?}");
    let ctag0 = ctag(&server);

    // A vCard 4 card with a birthday and an anniversary: two yearly events.
    put_card(&server, "alice", &format!("{BOOK}jean.vcf"), JEAN_V4);
    let ctag1 = ctag(&server);
    assert_ne!(ctag0, ctag1, "the home's listing shows the change");
    let (token1, members) = sync(&server, &empty_token);
    assert_eq!(members.len(), 2, "{members:?}");
    let birthday = members.iter().find(|(h, _)| h.ends_with("-birthday.ics")).expect("a birthday").clone();
    let text = get(&server, &birthday.0);
    for line in [
        "DTSTART;VALUE=DATE:19800415\r\n",
        "RRULE:FREQ=YEARLY\r\n",
        "SUMMARY:Birthday: Jean Dupont\r\n",
        "DESCRIPTION:Born in 1980\r\n",
        "TRANSP:TRANSPARENT\r\n",
    ] {
        assert!(text.contains(line), "{line} in {text}");
    }
    let anniversary = members.iter().find(|(h, _)| h.ends_with("-anniversary.ics")).expect("an anniversary").clone();
    assert!(get(&server, &anniversary.0).contains("SUMMARY:Anniversary: Jean Dupont\r\n"));
    assert_eq!(ctag(&server), ctag1, "nothing changed, nothing moves");

    // A vCard 3 card from Apple: no year, Feb 29, a labelled anniversary.
    put_card(&server, "alice", &format!("{BOOK}anne.vcf"), ANNE_V3);
    let (token2, members) = sync(&server, &token1);
    assert_eq!(members.len(), 2, "only Anne's events are new: {members:?}");
    let anne = members.iter().find(|(h, _)| h.ends_with("-birthday.ics")).unwrap().0.clone();
    let text = get(&server, &anne);
    assert!(text.contains("DTSTART;VALUE=DATE:19720229\r\n"), "{text}");
    assert!(text.contains("RRULE:FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=-1\r\n") && !text.contains("DESCRIPTION"), "{text}");

    // Time ranges go through the instance index: the week of April 15, 2026
    // holds Jean's birthday only; 2027's end of February holds Anne's on the 28th.
    let week = query(&server, "20260413T000000Z", "20260420T000000Z", false);
    assert_eq!(week.matches("<D:response>").count(), 1, "{week}");
    assert!(week.contains(&format!("<D:href>{}</D:href>", birthday.0)), "{week}");
    let expanded = query(&server, "20270228T000000Z", "20270301T000000Z", true);
    assert_eq!(expanded.matches("<D:response>").count(), 1, "{expanded}");
    assert!(expanded.contains("20270228") && expanded.contains("Anne Martin"), "{expanded}");
    assert!(!expanded.contains("RRULE"), "expanded: {expanded}");
    assert_eq!(query(&server, "20260416T000000Z", "20260420T000000Z", false).matches("<D:response>").count(), 0);

    // calendar-multiget of what sync listed.
    let multiget = format!(
        r#"<C:calendar-multiget xmlns:D="DAV:" xmlns:C="urn:ietf:params:xml:ns:caldav"><D:prop><D:getetag/><C:calendar-data/></D:prop><D:href>{}</D:href><D:href>{anne}</D:href></C:calendar-multiget>"#,
        birthday.0
    );
    let (status, got) = send(&server, "alice", "REPORT", CAL, "application/xml", &multiget);
    assert_eq!(status, 207);
    assert!(got.contains("Jean Dupont") && got.contains("Anne Martin") && !got.contains("404"), "{got}");

    // Editing the card changes the event's ETag, the ctag and the sync delta.
    let ctag2 = ctag(&server);
    put_card(&server, "alice", &format!("{BOOK}jean.vcf"), &JEAN_V4.replace("BDAY:19800415", "BDAY:19800416"));
    assert_ne!(ctag(&server), ctag2);
    let (token3, members) = sync(&server, &token2);
    assert_eq!(members.len(), 1, "only the birthday changed: {members:?}");
    assert_eq!(members[0].0, birthday.0, "the same href");
    assert_ne!(members[0].1, birthday.1, "a new ETag");
    assert!(get(&server, &birthday.0).contains("DTSTART;VALUE=DATE:19800416\r\n"));

    // A card without dates gives nothing; deleting a card removes its events.
    put_card(
        &server,
        "alice",
        &format!("{BOOK}nobody.vcf"),
        "BEGIN:VCARD\r\nVERSION:3.0\r\nUID:n\r\nFN:No Date\r\nEND:VCARD\r\n",
    );
    assert_eq!(send(&server, "alice", "DELETE", &format!("{BOOK}jean.vcf"), "text/plain", "").0, 204);
    let (_, members) = sync(&server, &token3);
    assert_eq!(members.len(), 2, "{members:?}");
    assert!(members.iter().all(|(_, s)| s.contains("404")), "{members:?}");
    assert_eq!(send(&server, "alice", "GET", &birthday.0, "text/plain", "").0, 404);
    let (_, all) = sync(&server, "");
    assert_eq!(all.len(), 2, "Anne's two events remain: {all:?}");
}

fn birthdays_are_read_only_and_never_busy(backend: Backend) {
    let env = StoreEnv::new(backend);
    let server = Server::start(&env, &[]);
    add_users(&env, &["alice"]);
    put_card(&server, "alice", &format!("{BOOK}jean.vcf"), JEAN_V4);
    let (_, members) = sync(&server, "");
    let member = members[0].0.clone();

    let ask = r#"<D:propfind xmlns:D="DAV:"><D:prop><D:current-user-privilege-set/></D:prop></D:propfind>"#;
    let (_, privileges) = send(&server, "alice", "PROPFIND", CAL, "application/xml", ask);
    let privileges = privileges.split("</D:response>").next().unwrap();
    assert!(privileges.contains("<D:read/>"), "{privileges}");
    for refused in ["<D:write/>", "<D:write-content/>", "<D:bind/>", "<D:unbind/>", "<D:all/>"] {
        assert!(!privileges.contains(refused), "{refused}: {privileges}");
    }

    // Writes of content are refused with the privilege they lack.
    let need = |status: u16, body: &str, privilege: &str| {
        assert_eq!(status, 403, "{body}");
        assert!(body.contains("<D:need-privileges>") && body.contains(&format!("<D:{privilege}/>")), "{body}");
        assert!(body.contains(&format!("<D:href>{CAL}</D:href>")), "{body}");
    };
    let event = "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:x\r\nBEGIN:VEVENT\r\nUID:mine\r\nDTSTAMP:20260101T000000Z\r\nDTSTART:20260415T100000Z\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n";
    let (status, body) = send(&server, "alice", "PUT", &format!("{CAL}mine.ics"), "text/calendar", event);
    need(status, &body, "write-content");
    let (status, body) = send(&server, "alice", "PUT", &member, "text/calendar", event);
    need(status, &body, "write-content");
    let (status, body) = send(&server, "alice", "DELETE", &member, "text/plain", "");
    need(status, &body, "unbind");
    let (status, body) = send(&server, "alice", "MKCOL", &format!("{CAL}sub/"), "text/plain", "");
    need(status, &body, "bind");
    let dead = r#"<D:propertyupdate xmlns:D="DAV:"><D:set><D:prop><D:comment>mine</D:comment></D:prop></D:set></D:propertyupdate>"#;
    let (status, body) = send(&server, "alice", "PROPPATCH", &member, "application/xml", dead);
    assert!(status == 403 || body.contains("HTTP/1.1 403"), "{status} {body}");
    assert_eq!(send(&server, "alice", "DELETE", CAL, "text/plain", "").0, 403, "part of the home");
    assert_eq!(send(&server, "alice", "MKCALENDAR", CAL, "text/plain", "").0, 405, "it exists");
    let moved = client()
        .request(reqwest::Method::from_bytes(b"MOVE").unwrap(), server.url(CAL))
        .basic_auth("alice", Some(PASSWORD))
        .header("Destination", server.url("/calendars/alice/elsewhere/"))
        .send()
        .unwrap();
    assert_eq!(moved.status(), 403);
    // Its own name and colour are the user's.
    let rename = r#"<D:propertyupdate xmlns:D="DAV:" xmlns:I="http://apple.com/ns/ical/"><D:set><D:prop><D:displayname>Fêtes</D:displayname><I:calendar-color>#ff0000</I:calendar-color></D:prop></D:set></D:propertyupdate>"#;
    let (status, body) = send(&server, "alice", "PROPPATCH", CAL, "application/xml", rename);
    assert!(status == 207 && !body.contains("403"), "{body}");
    let state = r#"<D:propertyupdate xmlns:D="DAV:" xmlns:A="urn:x-agora:ns"><D:set><D:prop><A:birthdays-state>1;en;</A:birthdays-state></D:prop></D:set></D:propertyupdate>"#;
    let (status, body) = send(&server, "alice", "PROPPATCH", CAL, "application/xml", state);
    assert!(status == 403 || body.contains("HTTP/1.1 403"), "the server's own: {status} {body}");
    let (_, all) = send(
        &server,
        "alice",
        "PROPFIND",
        CAL,
        "application/xml",
        r#"<D:propfind xmlns:D="DAV:"><D:allprop/></D:propfind>"#,
    );
    assert!(all.contains("Fêtes") && !all.contains("birthdays-state"), "{all}");
    assert_eq!(sync(&server, "").1.len(), 2, "still both events");

    // Free/busy: an ordinary event is busy, the birthday is not.
    let meeting = "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:x\r\nBEGIN:VEVENT\r\nUID:m\r\nDTSTAMP:20260101T000000Z\r\nDTSTART:20260415T100000Z\r\nDTEND:20260415T110000Z\r\nSUMMARY:Meeting\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n";
    let (status, _) = send(&server, "alice", "PUT", "/calendars/alice/calendar/m.ics", "text/calendar", meeting);
    assert_eq!(status, 201);
    let fb = client()
        .get(server.url("/freebusy/alice?start=20260414T000000Z&end=20260417T000000Z"))
        .basic_auth("alice", Some(PASSWORD))
        .send()
        .unwrap()
        .text()
        .unwrap();
    assert!(fb.contains("FREEBUSY") && fb.contains("20260415T100000Z/20260415T110000Z"), "{fb}");
    assert_eq!(fb.matches("FREEBUSY").count() - fb.matches("VFREEBUSY").count(), 1, "the meeting only: {fb}");
    let report = r#"<C:free-busy-query xmlns:C="urn:ietf:params:xml:ns:caldav"><C:time-range start="20260414T000000Z" end="20260417T000000Z"/></C:free-busy-query>"#;
    let (status, fb) = send(&server, "alice", "REPORT", CAL, "application/xml", report);
    assert_eq!(status, 200, "{fb}");
    assert!(fb.contains("BEGIN:VFREEBUSY") && !fb.contains("FREEBUSY:") && !fb.contains("FREEBUSY;"), "{fb}");
}

fn shared_address_books_and_the_language_count(backend: Backend) {
    let env = StoreEnv::new(backend);
    let server = Server::start(&env, &[]);
    add_users(&env, &["alice", "bob"]);
    put_card(&server, "alice", &format!("{BOOK}jean.vcf"), JEAN_V4);
    put_card(&server, "bob", "/addressbooks/bob/contacts/anne.vcf", ANNE_V3);
    assert_eq!(sync(&server, "").1.len(), 2, "alice's own card");

    // Bob's address book, shared with alice and accepted: its birthdays too.
    env.cli_ok(&["share", "add", "addressbooks/bob/contacts", "alice", "--access", "read"], None);
    let (token, members) = sync(&server, "");
    assert_eq!(members.len(), 4, "{members:?}");
    let (status, bob_sees) = send(
        &server,
        "bob",
        "REPORT",
        "/calendars/bob/birthdays/",
        "application/xml",
        r#"<D:sync-collection xmlns:D="DAV:"><D:sync-token/><D:sync-level>1</D:sync-level><D:prop><D:getetag/></D:prop></D:sync-collection>"#,
    );
    assert_eq!(status, 207);
    assert_eq!(bob_sees.matches("<D:response>").count(), 2, "bob's own only: {bob_sees}");
    let (_, nothing) = sync(&server, &token);
    assert!(nothing.is_empty(), "{nothing:?}");

    // In French once the web page says so; a name the user chose would stay.
    let web = login(&server, "alice", PASSWORD);
    let r = web
        .send(&server, "PUT", "/api/preferences")
        .header("Content-Type", "application/json")
        .body(r#"{"locale":"fr"}"#)
        .send()
        .unwrap();
    assert_eq!(r.status(), 204);
    let ask = r#"<D:propfind xmlns:D="DAV:"><D:prop><D:displayname/></D:prop></D:propfind>"#;
    let (_, name) = send(&server, "alice", "PROPFIND", CAL, "application/xml", ask);
    assert!(name.contains(">Anniversaires</D:displayname>"), "{name}");
    let (_, changed) = sync(&server, &token);
    assert_eq!(changed.len(), 4, "every summary is now French: {changed:?}");
    let week = query(&server, "20260413T000000Z", "20260420T000000Z", false);
    assert!(week.contains("SUMMARY:Anniversaire\u{a0}: Jean Dupont"), "{week}");
    assert!(week.contains("DESCRIPTION:Né(e) en 1980"), "{week}");

    // Bob stops sharing: his card's events leave alice's calendar.
    env.cli_ok(&["share", "del", "addressbooks/bob/contacts", "alice"], None);
    assert_eq!(sync(&server, "").1.len(), 2);
}
