//! Implicit scheduling (RFC 6638) between users of one server, through raw
//! CalDAV as clients send it, on both stores: invitations reach colleagues and a
//! room, answers come back into the organiser's event, recurring meetings move
//! and cancel per instance, a delegate answers for her manager, rooms are never
//! double-booked, free/busy covers users and rooms, and an attendee's comment on
//! an answer reaches the organiser.

mod common;

use common::*;

agora_testkit::on_both_stores!(
    invitations_and_answers,
    recurring_instances_move_and_cancel,
    delegate_answers_for_her_manager,
    rooms_are_never_double_booked,
    free_busy_for_users_and_rooms,
    free_busy_answers_many_attendees_at_once,
    schedule_agent_client_sends_nothing,
    an_answers_comment_reaches_the_organiser,
);

const CAL: &str = "text/calendar; charset=utf-8";

fn event(uid: &str, seq: u32, start: &str, end: &str, attendees: &[(&str, &str)], extra: &str) -> String {
    let mut lines = format!(
        "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//Test//Test//EN\r\nBEGIN:VEVENT\r\nUID:{uid}\r\n\
         DTSTAMP:20260101T000000Z\r\nSEQUENCE:{seq}\r\nDTSTART:{start}\r\nDTEND:{end}\r\nSUMMARY:Planning {uid}\r\n{extra}\
         ORGANIZER;CN=Alice:mailto:alice@example.org\r\n"
    );
    for (who, partstat) in attendees {
        lines.push_str(&format!("ATTENDEE;CN={who};PARTSTAT={partstat};RSVP=TRUE:mailto:{who}@example.org\r\n"));
    }
    lines.push_str("END:VEVENT\r\nEND:VCALENDAR\r\n");
    lines
}

/// The objects of a collection: (href, body), through calendar-query.
fn objects(server: &Server, user: &str, path: &str) -> Vec<(String, String)> {
    let body = r#"<C:calendar-query xmlns:D="DAV:" xmlns:C="urn:ietf:params:xml:ns:caldav"><D:prop><D:getetag/><C:calendar-data/></D:prop><C:filter><C:comp-filter name="VCALENDAR"/></C:filter></C:calendar-query>"#;
    let (status, xml) = send(server, user, "REPORT", path, "application/xml", body);
    assert_eq!(status, 207, "{xml}");
    let mut out = Vec::new();
    for resp in xml.split("<D:response>").skip(1) {
        let href = between(resp, "<D:href>", "</D:href>");
        let data =
            between(resp, "<C:calendar-data>", "</C:calendar-data>").replace("&#13;", "\r").replace("&amp;", "&");
        out.push((href, data.replace("&lt;", "<").replace("&gt;", ">")));
    }
    out
}

fn inbox_items(server: &Server, user: &str) -> Vec<String> {
    let (status, xml) = send(
        server,
        user,
        "PROPFIND",
        &format!("/calendars/{user}/inbox/"),
        "application/xml",
        r#"<D:propfind xmlns:D="DAV:"><D:prop><D:getetag/></D:prop></D:propfind>"#,
    );
    assert_eq!(status, 207, "{xml}");
    xml.split("<D:href>")
        .skip(1)
        .map(|s| s[..s.find("</D:href>").unwrap()].to_owned())
        .filter(|h| h.ends_with(".ics"))
        .map(|h| get(server, user, &h).1)
        .collect()
}

fn between(s: &str, a: &str, b: &str) -> String {
    s.find(a)
        .and_then(|i| s[i + a.len()..].find(b).map(|j| s[i + a.len()..i + a.len() + j].to_owned()))
        .unwrap_or_default()
}

fn get(server: &Server, user: &str, path: &str) -> (u16, String, Option<String>) {
    let r = request(server, user, "GET", path, "0", "text/plain", "");
    let tag = r.headers().get("schedule-tag").map(|v| v.to_str().unwrap().to_owned());
    (r.status().as_u16(), r.text().unwrap(), tag)
}

/// The unfolded PARTSTAT of `who` in the first component that lists them.
fn partstat(text: &str, who: &str) -> Option<String> {
    let unfolded = text.replace("\r\n ", "");
    unfolded
        .lines()
        .find(|l| l.starts_with("ATTENDEE") && l.to_lowercase().contains(&format!("mailto:{who}@")))
        .and_then(|l| {
            l.split(';').find_map(|p| p.strip_prefix("PARTSTAT=")).map(|p| p.split(':').next().unwrap().to_owned())
        })
}

fn the_copy(server: &Server, user: &str, uid: &str) -> (String, String) {
    objects(server, user, &format!("/calendars/{user}/calendar/"))
        .into_iter()
        .find(|(_, d)| d.contains(&format!("UID:{uid}")))
        .unwrap_or_else(|| panic!("{user} has no copy of {uid}"))
}

fn answer(server: &Server, user: &str, uid: &str, to: &str) {
    let (href, text) = the_copy(server, user, uid);
    let (_, _, tag) = get(server, user, &href);
    let tag = tag.expect("an attendee's copy has a Schedule-Tag");
    let changed = text
        .replace("\r\n ", "")
        .replace(&format!("PARTSTAT={}", partstat(&text, user).unwrap()), &format!("PARTSTAT={to}"));
    let r = client()
        .put(server.url(&href))
        .basic_auth(user, Some(PASSWORD))
        .header("Content-Type", CAL)
        .header("If-Schedule-Tag-Match", tag)
        .body(changed)
        .send()
        .unwrap();
    assert_eq!(r.status().as_u16(), 204, "{user} answers {to}");
}

fn setup(backend: Backend) -> (StoreEnv, Server) {
    let env = StoreEnv::new(backend);
    let server = Server::start(&env, &[]);
    add_users(&env, &["alice", "bob", "carol", "dave", "erin"]);
    env.cli_ok(&["resource", "add", "room1", "--kind", "room", "--email", "room1@example.org"], None);
    (env, server)
}

fn invitations_and_answers(backend: Backend) {
    let (_env, server) = setup(backend);
    let body = event(
        "m1",
        0,
        "20261201T100000Z",
        "20261201T110000Z",
        &[
            ("alice", "ACCEPTED"),
            ("bob", "NEEDS-ACTION"),
            ("carol", "NEEDS-ACTION"),
            ("dave", "NEEDS-ACTION"),
            ("room1", "NEEDS-ACTION"),
        ],
        "",
    );
    let r = request(&server, "alice", "PUT", "/calendars/alice/calendar/m1.ics", "0", CAL, &body);
    assert_eq!(r.status().as_u16(), 201);
    assert!(r.headers().get("etag").is_none(), "the server added SCHEDULE-STATUS: no ETag (RFC 6638)");
    assert!(r.headers().get("schedule-tag").is_some());

    // Every colleague has a copy waiting for an answer, and the REQUEST in the inbox.
    for who in ["bob", "carol", "dave"] {
        let (_, copy) = the_copy(&server, who, "m1");
        assert_eq!(partstat(&copy, who).as_deref(), Some("NEEDS-ACTION"), "{copy}");
        assert!(!copy.contains("METHOD:"), "a calendar copy is not an iTIP message");
        let inbox = inbox_items(&server, who);
        assert!(inbox.iter().any(|m| m.contains("METHOD:REQUEST") && m.contains("UID:m1")), "{inbox:?}");
    }
    // The room accepted by itself; the organiser sees delivery statuses.
    let (_, mine, tag0) = get(&server, "alice", "/calendars/alice/calendar/m1.ics");
    assert_eq!(partstat(&mine, "room1").as_deref(), Some("ACCEPTED"), "{mine}");
    assert!(mine.replace("\r\n ", "").contains("SCHEDULE-STATUS=1.2"), "{mine}");

    let (href, _) = the_copy(&server, "bob", "m1");
    let bob_tag = get(&server, "bob", &href).2;
    answer(&server, "bob", "m1", "ACCEPTED");
    assert_eq!(
        get(&server, "bob", &href).2,
        bob_tag,
        "an attendee's own answer keeps the Schedule-Tag (RFC 6638 §3.2.10)"
    );
    answer(&server, "carol", "m1", "DECLINED");
    answer(&server, "dave", "m1", "TENTATIVE");
    let (_, mine, tag1) = get(&server, "alice", "/calendars/alice/calendar/m1.ics");
    assert_eq!(partstat(&mine, "bob").as_deref(), Some("ACCEPTED"), "{mine}");
    assert_eq!(partstat(&mine, "carol").as_deref(), Some("DECLINED"));
    assert_eq!(partstat(&mine, "dave").as_deref(), Some("TENTATIVE"));
    assert_eq!(tag0, tag1, "answers recorded by the server keep the organiser's Schedule-Tag (RFC 6638 §3.2.10)");
    let replies = inbox_items(&server, "alice");
    assert_eq!(replies.iter().filter(|m| m.contains("METHOD:REPLY")).count(), 4, "{replies:?}");

    // The organiser's client PUTs with its stale PARTSTATs and the Schedule-Tag:
    // accepted, and the answers are kept.
    let r = client()
        .put(server.url("/calendars/alice/calendar/m1.ics"))
        .basic_auth("alice", Some(PASSWORD))
        .header("Content-Type", CAL)
        .header("If-Schedule-Tag-Match", tag1.clone().unwrap())
        .body(body.replace("SUMMARY:Planning m1", "SUMMARY:Planning m1 (agenda)"))
        .send()
        .unwrap();
    assert_eq!(r.status().as_u16(), 204);
    let (_, mine, _) = get(&server, "alice", "/calendars/alice/calendar/m1.ics");
    assert_eq!(partstat(&mine, "bob").as_deref(), Some("ACCEPTED"), "answers survive a stale organiser PUT: {mine}");
    let (_, bobs) = the_copy(&server, "bob", "m1");
    assert!(bobs.contains("agenda"), "the update reached bob");
    assert_eq!(partstat(&bobs, "bob").as_deref(), Some("ACCEPTED"), "no time change: bob's answer stands");
    // A stale Schedule-Tag is refused.
    let r = client()
        .put(server.url("/calendars/alice/calendar/m1.ics"))
        .basic_auth("alice", Some(PASSWORD))
        .header("If-Schedule-Tag-Match", "\"stale\"")
        .body(body.clone())
        .send()
        .unwrap();
    assert_eq!(r.status().as_u16(), 412);

    // Rescheduling resets answers and bumps SEQUENCE.
    let moved = body.replace("20261201T100000Z", "20261202T100000Z").replace("20261201T110000Z", "20261202T110000Z");
    assert_eq!(request(&server, "alice", "PUT", "/calendars/alice/calendar/m1.ics", "0", CAL, &moved).status(), 204);
    let (_, bobs) = the_copy(&server, "bob", "m1");
    assert!(bobs.contains("DTSTART:20261202T100000Z"), "{bobs}");
    assert_eq!(partstat(&bobs, "bob").as_deref(), Some("NEEDS-ACTION"));
    assert!(bobs.contains("SEQUENCE:1"), "{bobs}");

    // An attendee deleting their copy declines.
    let (href, _) = the_copy(&server, "bob", "m1");
    assert_eq!(request(&server, "bob", "DELETE", &href, "0", CAL, "").status(), 204);
    let (_, mine, _) = get(&server, "alice", "/calendars/alice/calendar/m1.ics");
    assert_eq!(partstat(&mine, "bob").as_deref(), Some("DECLINED"), "{mine}");

    // Inbox items can be read and deleted.
    let (_, listing) = send(&server, "carol", "PROPFIND", "/calendars/carol/inbox/", "application/xml", "");
    let item = listing
        .split("<D:href>")
        .skip(1)
        .map(|s| &s[..s.find("</D:href>").unwrap()])
        .find(|h| h.ends_with(".ics"))
        .unwrap()
        .to_owned();
    assert_eq!(request(&server, "carol", "DELETE", &item, "0", CAL, "").status(), 204);
    assert_eq!(get(&server, "carol", &item).0, 404);
    // Nobody writes into an inbox by PUT.
    assert_eq!(request(&server, "carol", "PUT", "/calendars/carol/inbox/x.ics", "0", CAL, &body).status(), 403);

    // The organiser deletes the meeting: everybody's copy is cancelled.
    assert_eq!(request(&server, "alice", "DELETE", "/calendars/alice/calendar/m1.ics", "0", CAL, "").status(), 204);
    let (_, carols) = the_copy(&server, "carol", "m1");
    assert!(carols.contains("STATUS:CANCELLED"), "{carols}");
    assert!(inbox_items(&server, "dave").iter().any(|m| m.contains("METHOD:CANCEL")));
}

fn recurring_instances_move_and_cancel(backend: Backend) {
    let (_env, server) = setup(backend);
    let weekly = "RRULE:FREQ=WEEKLY;COUNT=10\r\n";
    let body = event(
        "r1",
        0,
        "20261102T090000Z",
        "20261102T100000Z",
        &[("alice", "ACCEPTED"), ("bob", "NEEDS-ACTION")],
        weekly,
    );
    assert_eq!(request(&server, "alice", "PUT", "/calendars/alice/calendar/r1.ics", "0", CAL, &body).status(), 201);
    answer(&server, "bob", "r1", "ACCEPTED");
    // Move the third instance one hour later.
    let over = "BEGIN:VEVENT\r\nUID:r1\r\nDTSTAMP:20260101T000000Z\r\nRECURRENCE-ID:20261116T090000Z\r\nSEQUENCE:1\r\n\
                DTSTART:20261116T100000Z\r\nDTEND:20261116T110000Z\r\nSUMMARY:Planning r1 (moved)\r\n\
                ORGANIZER;CN=Alice:mailto:alice@example.org\r\nATTENDEE;PARTSTAT=ACCEPTED:mailto:alice@example.org\r\n\
                ATTENDEE;PARTSTAT=ACCEPTED:mailto:bob@example.org\r\nEND:VEVENT\r\n";
    let moved = body.replace("END:VCALENDAR\r\n", &format!("{over}END:VCALENDAR\r\n"));
    assert_eq!(request(&server, "alice", "PUT", "/calendars/alice/calendar/r1.ics", "0", CAL, &moved).status(), 204);
    let (_, bobs) = the_copy(&server, "bob", "r1");
    assert!(bobs.contains("RECURRENCE-ID:20261116T090000Z") && bobs.contains("DTSTART:20261116T100000Z"), "{bobs}");
    // Cancel the fifth instance (EXDATE): bob's copy loses it.
    let cancelled = moved.replace(weekly, &format!("{weekly}EXDATE:20261130T090000Z\r\n"));
    assert_eq!(
        request(&server, "alice", "PUT", "/calendars/alice/calendar/r1.ics", "0", CAL, &cancelled).status(),
        204
    );
    let (_, bobs) = the_copy(&server, "bob", "r1");
    assert!(bobs.contains("20261130T090000Z"), "the instance is excluded in bob's copy: {bobs}");
    // Bob declines only the moved instance: the organiser's override records it.
    let (href, text) = the_copy(&server, "bob", "r1");
    let unfolded = text.replace("\r\n ", "");
    let idx = unfolded.find("RECURRENCE-ID:20261116T090000Z").unwrap();
    let (head, tail) = unfolded.split_at(idx);
    // The moved instance was reset to NEEDS-ACTION for bob (its time changed).
    let end = tail.find("END:VEVENT").unwrap();
    let (over, rest) = tail.split_at(end);
    let over: String = over
        .split("\r\n")
        .map(|l| {
            if l.starts_with("ATTENDEE") && l.contains("mailto:bob@") {
                let p = partstat(&format!("{l}\r\n"), "bob").unwrap();
                l.replace(&format!("PARTSTAT={p}"), "PARTSTAT=DECLINED")
            } else {
                l.to_owned()
            }
        })
        .collect::<Vec<_>>()
        .join("\r\n");
    let tail = format!("{over}{rest}");
    assert_eq!(request(&server, "bob", "PUT", &href, "0", CAL, &format!("{head}{tail}")).status(), 204);
    let (_, mine, _) = get(&server, "alice", "/calendars/alice/calendar/r1.ics");
    let mine = mine.replace("\r\n ", "");
    let over_at = mine.find("RECURRENCE-ID:20261116T090000Z").expect("the override is kept");
    assert_eq!(partstat(&mine[over_at..], "bob").as_deref(), Some("DECLINED"), "{mine}");
    assert_eq!(partstat(&mine, "bob").as_deref(), Some("ACCEPTED"), "the series stays accepted: {mine}");

    // Alice adds an extra meeting to the series (RDATE): Bob gets an ADD with
    // only that instance, and his answer to the series stands.
    let (_, current, _) = get(&server, "alice", "/calendars/alice/calendar/r1.ics");
    let extra = current.replace("\r\n ", "").replacen(weekly, &format!("{weekly}RDATE:20261204T090000Z\r\n"), 1);
    assert_eq!(request(&server, "alice", "PUT", "/calendars/alice/calendar/r1.ics", "0", CAL, &extra).status(), 204);
    let adds: Vec<String> = inbox_items(&server, "bob").into_iter().filter(|t| t.contains("METHOD:ADD")).collect();
    assert_eq!(adds.len(), 1, "one ADD in bob's inbox");
    assert!(adds[0].contains("DTSTART:20261204T090000Z") && !adds[0].contains("RRULE"), "{}", adds[0]);
    let (_, bobs) = the_copy(&server, "bob", "r1");
    let bobs = bobs.replace("\r\n ", "");
    assert!(bobs.contains("RDATE:20261204T090000Z"), "{bobs}");
    let added_at = bobs.find("RECURRENCE-ID:20261204T090000Z").expect("the new instance as an override");
    assert_eq!(partstat(&bobs[added_at..], "bob").as_deref(), Some("NEEDS-ACTION"), "{bobs}");
    assert_eq!(partstat(&bobs, "bob").as_deref(), Some("ACCEPTED"), "the series answer stays: {bobs}");
}

fn delegate_answers_for_her_manager(backend: Backend) {
    let (_env, server) = setup(backend);
    // erin manages bob's calendars.
    let set = r#"<D:propertyupdate xmlns:D="DAV:"><D:set><D:prop><D:group-member-set><D:href>/principals/erin/</D:href></D:group-member-set></D:prop></D:set></D:propertyupdate>"#;
    assert_eq!(
        send(&server, "bob", "PROPPATCH", "/principals/bob/calendar-proxy-write/", "application/xml", set).0,
        207
    );
    let body =
        event("d1", 0, "20261203T100000Z", "20261203T110000Z", &[("alice", "ACCEPTED"), ("bob", "NEEDS-ACTION")], "");
    assert_eq!(request(&server, "alice", "PUT", "/calendars/alice/calendar/d1.ics", "0", CAL, &body).status(), 201);
    let (href, text) = the_copy(&server, "bob", "d1");
    let accepted = text
        .replace("\r\n ", "")
        .replace("PARTSTAT=NEEDS-ACTION;RSVP=TRUE:mailto:bob", "PARTSTAT=ACCEPTED;RSVP=TRUE:mailto:bob");
    assert_ne!(accepted, text.replace("\r\n ", ""), "{text}");
    assert_eq!(
        request(&server, "erin", "PUT", &href, "0", CAL, &accepted).status(),
        204,
        "the delegate writes bob's copy"
    );
    let (_, mine, _) = get(&server, "alice", "/calendars/alice/calendar/d1.ics");
    assert_eq!(partstat(&mine, "bob").as_deref(), Some("ACCEPTED"), "bob answered through erin: {mine}");
    assert!(
        objects(&server, "erin", "/calendars/erin/calendar/").iter().all(|(_, d)| !d.contains("UID:d1")),
        "erin got no copy"
    );
}

fn rooms_are_never_double_booked(backend: Backend) {
    let (_env, server) = setup(backend);
    let organisers = ["alice", "bob", "carol", "dave", "erin"];
    let server = std::sync::Arc::new(server);
    let barrier = std::sync::Arc::new(std::sync::Barrier::new(organisers.len()));
    let threads: Vec<_> = organisers
        .iter()
        .map(|who| {
            let (server, barrier, who) = (server.clone(), barrier.clone(), who.to_string());
            std::thread::spawn(move || {
                let body = event(
                    &format!("b-{who}"),
                    0,
                    "20261204T100000Z",
                    "20261204T110000Z",
                    &[("room1", "NEEDS-ACTION")],
                    "",
                )
                .replace("ORGANIZER;CN=Alice:mailto:alice@example.org", &format!("ORGANIZER:mailto:{who}@example.org"));
                barrier.wait();
                request(&server, &who, "PUT", &format!("/calendars/{who}/calendar/b.ics"), "0", CAL, &body)
                    .status()
                    .as_u16()
            })
        })
        .collect();
    for t in threads {
        assert_eq!(t.join().unwrap(), 201);
    }
    let mut accepted = 0;
    for who in organisers {
        let (_, mine, _) = get(&server, who, &format!("/calendars/{who}/calendar/b.ics"));
        match partstat(&mine, "room1").as_deref() {
            Some("ACCEPTED") => accepted += 1,
            Some("DECLINED") => {}
            other => panic!("the room answered {other:?}: {mine}"),
        }
    }
    assert_eq!(accepted, 1, "exactly one of the simultaneous bookings wins the room");
    // Years ahead, the same rule holds (the check starts at the booking, not today).
    for who in ["alice", "bob"] {
        let body =
            event(&format!("far-{who}"), 0, "20300304T100000Z", "20300304T110000Z", &[("room1", "NEEDS-ACTION")], "")
                .replace("ORGANIZER;CN=Alice:mailto:alice@example.org", &format!("ORGANIZER:mailto:{who}@example.org"));
        assert_eq!(
            request(&server, who, "PUT", &format!("/calendars/{who}/calendar/far.ics"), "0", CAL, &body).status(),
            201
        );
    }
    let far = |who: &str| partstat(&get(&server, who, &format!("/calendars/{who}/calendar/far.ics")).1, "room1");
    assert_eq!((far("alice").as_deref(), far("bob").as_deref()), (Some("ACCEPTED"), Some("DECLINED")));
    // The room's free/busy shows that one booking.
    let fb = get(&server, "alice", "/freebusy/room1?start=20261204T000000Z&end=20261205T000000Z").1;
    assert!(fb.contains("20261204T100000Z/20261204T110000Z"), "{fb}");
}

fn free_busy_for_users_and_rooms(backend: Backend) {
    let (_env, server) = setup(backend);
    let plain = |uid: &str, start: &str, end: &str, extra: &str| {
        format!(
            "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:x\r\nBEGIN:VEVENT\r\nUID:{uid}\r\nDTSTAMP:20260101T000000Z\r\n\
             DTSTART:{start}\r\nDTEND:{end}\r\nSUMMARY:Secret {uid}\r\n{extra}END:VEVENT\r\nEND:VCALENDAR\r\n"
        )
    };
    let put = |user: &str, name: &str, body: String| {
        assert_eq!(
            request(&server, user, "PUT", &format!("/calendars/{user}/calendar/{name}"), "0", CAL, &body).status(),
            201
        )
    };
    put("bob", "busy.ics", plain("f1", "20261207T090000Z", "20261207T100000Z", ""));
    put("bob", "maybe.ics", plain("f2", "20261207T110000Z", "20261207T120000Z", "STATUS:TENTATIVE\r\n"));
    put("bob", "free.ics", plain("f3", "20261207T130000Z", "20261207T140000Z", "TRANSP:TRANSPARENT\r\n"));
    put("bob", "off.ics", plain("f4", "20261207T150000Z", "20261207T160000Z", "STATUS:CANCELLED\r\n"));
    put("bob", "private.ics", plain("f5", "20261207T170000Z", "20261207T180000Z", "CLASS:PRIVATE\r\n"));
    // Bob's working hours: 08:00-18:00 UTC on weekdays (RFC 7953), set on his inbox.
    let availability = "BEGIN:VCALENDAR&#13;\nVERSION:2.0&#13;\nPRODID:x&#13;\nBEGIN:VAVAILABILITY&#13;\nUID:wh&#13;\nDTSTAMP:20260101T000000Z&#13;\n\
        BEGIN:AVAILABLE&#13;\nUID:wh-1&#13;\nDTSTAMP:20260101T000000Z&#13;\nDTSTART:20260105T080000Z&#13;\nDTEND:20260105T180000Z&#13;\n\
        RRULE:FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR&#13;\nEND:AVAILABLE&#13;\nEND:VAVAILABILITY&#13;\nEND:VCALENDAR&#13;\n";
    let patch = format!(
        r#"<D:propertyupdate xmlns:D="DAV:" xmlns:C="urn:ietf:params:xml:ns:caldav"><D:set><D:prop><C:calendar-availability>{availability}</C:calendar-availability></D:prop></D:set></D:propertyupdate>"#
    );
    let (s, x) = send(&server, "bob", "PROPPATCH", "/calendars/bob/inbox/", "application/xml", &patch);
    assert_eq!(s, 207, "{x}");
    assert!(x.contains("200 OK"), "{x}");
    // The room is booked by an invitation (rooms never sign in).
    let booking = event("f6", 0, "20261207T100000Z", "20261207T103000Z", &[("room1", "NEEDS-ACTION")], "");
    put("alice", "booking.ics", booking);

    let request_body = "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//Apple Inc.//Mac OS X//EN\r\nMETHOD:REQUEST\r\n\
        BEGIN:VFREEBUSY\r\nUID:fb-1\r\nDTSTAMP:20261201T000000Z\r\nDTSTART:20261207T000000Z\r\nDTEND:20261208T000000Z\r\n\
        ORGANIZER:mailto:alice@example.org\r\nATTENDEE:mailto:bob@example.org\r\nATTENDEE:mailto:room1@example.org\r\n\
        ATTENDEE:mailto:nobody@example.org\r\nEND:VFREEBUSY\r\nEND:VCALENDAR\r\n";
    let r = request(&server, "alice", "POST", "/calendars/alice/outbox/", "0", CAL, request_body);
    assert_eq!(r.status().as_u16(), 200);
    let xml = r.text().unwrap().replace("&#13;", "");
    let part = |who: &str| {
        xml.split("<C:response>")
            .find(|p| p.contains(&format!("mailto:{who}@example.org</D:href>")))
            .unwrap_or_default()
            .to_owned()
    };
    let bob = part("bob");
    assert!(bob.contains("2.0;Success"), "{xml}");
    assert!(bob.contains("METHOD:REPLY") && bob.contains("UID:fb-1"), "{bob}");
    assert!(bob.contains("FREEBUSY;FBTYPE=BUSY:20261207T090000Z/20261207T100000Z"), "{bob}");
    assert!(bob.contains("FBTYPE=BUSY-TENTATIVE:20261207T110000Z/20261207T120000Z"), "{bob}");
    assert!(bob.contains("FBTYPE=BUSY:20261207T170000Z/20261207T180000Z"), "private time is busy: {bob}");
    assert!(
        !bob.contains("20261207T130000Z/") && !bob.contains("20261207T150000Z/"),
        "transparent and cancelled are free: {bob}"
    );
    assert!(!bob.contains("Secret"), "free/busy reveals no details");
    assert!(bob.contains("FBTYPE=BUSY-UNAVAILABLE:20261207T000000Z/20261207T080000Z"), "outside working hours: {bob}");
    assert!(part("room1").contains("FBTYPE=BUSY:20261207T100000Z/20261207T103000Z"), "{xml}");
    assert!(part("nobody").contains("3.7"), "{xml}");
    // Someone else's outbox, or an organiser who is not the outbox owner: refused.
    assert_eq!(request(&server, "bob", "POST", "/calendars/alice/outbox/", "0", CAL, request_body).status(), 403);
    assert_eq!(request(&server, "bob", "POST", "/calendars/bob/outbox/", "0", CAL, request_body).status(), 403);
    assert_eq!(
        request(&server, "alice", "POST", "/calendars/alice/outbox/", "0", CAL, "BEGIN:VCALENDAR\r\nEND:VCALENDAR\r\n")
            .status(),
        400
    );

    // The plain URL, by login name or by address (Outlook's %NAME%@%SERVER% template).
    for url in [
        "/freebusy/bob?start=20261207T000000Z&end=20261208T000000Z",
        "/freebusy/bob@example.org.vfb?start=2026-12-07&end=2026-12-08",
    ] {
        let (status, text, _) = get(&server, "carol", url);
        assert_eq!(status, 200, "{url}");
        assert!(
            text.contains("BEGIN:VFREEBUSY") && text.contains("FBTYPE=BUSY:20261207T090000Z/20261207T100000Z"),
            "{text}"
        );
        assert!(!text.contains("Secret"));
    }
    assert_eq!(get(&server, "carol", "/freebusy/nobody").0, 404);
    assert_eq!(get(&server, "carol", "/freebusy/bob?start=yesterday").0, 400);
    let anonymous = client().get(server.url("/freebusy/bob")).send().unwrap();
    assert_eq!(anonymous.status().as_u16(), 401);

    // The read-free-busy privilege: every signed-in user holds it on a new
    // inbox; Bob narrows it to Carol with the ACL method.
    let (s, acl) = send(
        &server,
        "bob",
        "PROPFIND",
        "/calendars/bob/inbox/",
        "application/xml",
        r#"<D:propfind xmlns:D="DAV:"><D:prop><D:acl/></D:prop></D:propfind>"#,
    );
    assert_eq!(s, 207, "{acl}");
    assert!(acl.contains("<D:authenticated/>") && acl.contains("read-free-busy"), "{acl}");
    let only_carol = r#"<D:acl xmlns:D="DAV:" xmlns:C="urn:ietf:params:xml:ns:caldav"><D:ace><D:principal><D:href>/principals/carol/</D:href></D:principal><D:grant><D:privilege><C:read-free-busy/></D:privilege></D:grant></D:ace></D:acl>"#;
    let (s, x) = send(&server, "bob", "ACL", "/calendars/bob/inbox/", "application/xml", only_carol);
    assert_eq!(s, 200, "{x}");
    let r = request(&server, "alice", "POST", "/calendars/alice/outbox/", "0", CAL, request_body);
    assert_eq!(r.status().as_u16(), 200);
    let xml = r.text().unwrap();
    let bob = xml.split("<C:response>").find(|p| p.contains("mailto:bob@")).unwrap_or_default();
    assert!(bob.contains("3.8;No authority") && !bob.contains("calendar-data"), "{xml}");
    let room = xml.split("<C:response>").find(|p| p.contains("mailto:room1@")).unwrap_or_default();
    assert!(room.contains("2.0;Success"), "rooms keep the default: {xml}");
    let url = "/freebusy/bob?start=20261207T000000Z&end=20261208T000000Z";
    assert_eq!(get(&server, "alice", url).0, 403);
    assert_eq!(get(&server, "carol", url).0, 200);
    assert_eq!(get(&server, "bob", url).0, 200, "a user always sees their own");
}

/// One request naming many attendees is answered per attendee, in order, as
/// if each were asked alone: any spelling of an address, the same person twice,
/// a principal URL, a group, unknown and foreign addresses, someone who never
/// signed in, a `3.8` among `2.0`s, and the organiser's privileges (not her
/// delegate's) when the delegate posts.
fn free_busy_answers_many_attendees_at_once(backend: Backend) {
    let (env, server) = setup(backend);
    env.cli_ok(&["group", "add", "team"], None);
    add_users(&env, &["frank"]);
    let busy = |user: &str, start: &str, end: &str| {
        let body = format!(
            "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:x\r\nBEGIN:VEVENT\r\nUID:{user}-{start}\r\nDTSTAMP:20260101T000000Z\r\n\
             DTSTART:{start}\r\nDTEND:{end}\r\nSUMMARY:x\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n"
        );
        let path = format!("/calendars/{user}/calendar/{start}.ics");
        assert_eq!(request(&server, user, "PUT", &path, "0", CAL, &body).status(), 201);
    };
    busy("alice", "20261207T150000Z", "20261207T160000Z");
    busy("bob", "20261207T090000Z", "20261207T100000Z");
    busy("carol", "20261207T110000Z", "20261207T120000Z");
    busy("dave", "20261207T130000Z", "20261207T140000Z");
    // Dave shows his busy time to Erin only; Erin manages Alice's calendars.
    let only_erin = r#"<D:acl xmlns:D="DAV:" xmlns:C="urn:ietf:params:xml:ns:caldav"><D:ace><D:principal><D:href>/principals/erin/</D:href></D:principal><D:grant><D:privilege><C:read-free-busy/></D:privilege></D:grant></D:ace></D:acl>"#;
    assert_eq!(send(&server, "dave", "ACL", "/calendars/dave/inbox/", "application/xml", only_erin).0, 200);
    let erin_manages = r#"<D:propertyupdate xmlns:D="DAV:"><D:set><D:prop><D:group-member-set><D:href>/principals/erin/</D:href></D:group-member-set></D:prop></D:set></D:propertyupdate>"#;
    let (s, x) =
        send(&server, "alice", "PROPPATCH", "/principals/alice/calendar-proxy-write/", "application/xml", erin_manages);
    assert_eq!(s, 207, "{x}");

    let fb_request = |organizer: &str, attendees: &[&str]| {
        let mut body = format!(
            "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:x\r\nMETHOD:REQUEST\r\nBEGIN:VFREEBUSY\r\nUID:fb-many\r\n\
             DTSTAMP:20261201T000000Z\r\nDTSTART:20261207T000000Z\r\nDTEND:20261208T000000Z\r\nORGANIZER:mailto:{organizer}@example.org\r\n"
        );
        for a in attendees {
            body.push_str(&format!("ATTENDEE:{a}\r\n"));
        }
        body.push_str("END:VFREEBUSY\r\nEND:VCALENDAR\r\n");
        body
    };
    // (recipient, status, calendar data) of each answer, in order.
    let answers = |poster: &str, outbox: &str, body: &str| -> Vec<(String, String, String)> {
        let r = request(&server, poster, "POST", &format!("/calendars/{outbox}/outbox/"), "0", CAL, body);
        assert_eq!(r.status().as_u16(), 200, "{poster}");
        let xml = r.text().unwrap().replace("&#13;", "");
        xml.split("<C:response>")
            .skip(1)
            .map(|p| {
                (
                    between(p, "<D:href>", "</D:href>"),
                    between(p, "<C:request-status>", "</C:request-status>"),
                    between(p, "<C:calendar-data>", "</C:calendar-data>"),
                )
            })
            .collect()
    };
    let attendees = [
        "mailto:BOB@Example.ORG",
        "mailto:bob@example.org",
        "/principals/carol/",
        "mailto:dave@example.org",
        "mailto:alice@example.org",
        "mailto:room1@example.org",
        "mailto:frank@example.org",
        "mailto:nobody@example.org",
        "urn:uuid:0b8c0000-0000-0000-0000-000000000000",
        "/principals/team/",
    ];
    for poster in ["alice", "erin"] {
        let got = answers(poster, "alice", &fb_request("alice", &attendees));
        let recipients: Vec<&str> = got.iter().map(|a| a.0.as_str()).collect();
        assert_eq!(recipients, attendees, "one answer per attendee, in order ({poster})");
        let statuses: Vec<&str> = got.iter().map(|a| &a.1[..3]).collect();
        assert_eq!(statuses, ["2.0", "2.0", "2.0", "3.8", "2.0", "2.0", "2.0", "3.7", "3.7", "3.8"], "{got:?}");
        for (i, period) in [
            (0, "20261207T090000Z/20261207T100000Z"),
            (1, "20261207T090000Z/20261207T100000Z"),
            (2, "20261207T110000Z/20261207T120000Z"),
            (4, "20261207T150000Z/20261207T160000Z"),
        ] {
            let data = &got[i].2;
            assert!(data.contains(&format!("FREEBUSY;FBTYPE=BUSY:{period}")), "{}: {data}", got[i].0);
            assert!(data.contains(&format!("ATTENDEE:{}", attendees[i])), "{data}");
            assert_eq!(data.matches("FREEBUSY;").count(), 1, "only their own busy time: {data}");
        }
        for i in [5, 6] {
            assert!(got[i].2.contains("BEGIN:VFREEBUSY") && !got[i].2.contains("FREEBUSY;"), "free: {:?}", got[i]);
        }
        for i in [3, 7, 8, 9] {
            assert!(got[i].2.is_empty(), "no data without success: {:?}", got[i]);
        }
    }
    // Erin herself may see Dave's time: the 3.8 above was Alice's.
    let got = answers("erin", "erin", &fb_request("erin", &["mailto:dave@example.org", "mailto:bob@example.org"]));
    assert_eq!((got[0].1.as_str(), got[1].1.as_str()), ("2.0;Success", "2.0;Success"), "{got:?}");
    assert!(got[0].2.contains("FBTYPE=BUSY:20261207T130000Z/20261207T140000Z"), "{got:?}");
}

fn schedule_agent_client_sends_nothing(backend: Backend) {
    let (_env, server) = setup(backend);
    let body =
        event("c1", 0, "20261205T100000Z", "20261205T110000Z", &[("alice", "ACCEPTED"), ("bob", "NEEDS-ACTION")], "")
            .replace("ATTENDEE;CN=bob;", "ATTENDEE;SCHEDULE-AGENT=CLIENT;CN=bob;");
    assert_eq!(request(&server, "alice", "PUT", "/calendars/alice/calendar/c1.ics", "0", CAL, &body).status(), 201);
    assert!(
        objects(&server, "bob", "/calendars/bob/calendar/").is_empty(),
        "SCHEDULE-AGENT=CLIENT: the server sends nothing"
    );
    assert!(inbox_items(&server, "bob").is_empty());
    // The organiser's SCHEDULE-AGENT=CLIENT silences every attendee.
    let body = event("c2", 0, "20261205T100000Z", "20261205T110000Z", &[("bob", "NEEDS-ACTION")], "")
        .replace("ORGANIZER;CN=Alice:", "ORGANIZER;SCHEDULE-AGENT=CLIENT;CN=Alice:");
    assert_eq!(request(&server, "alice", "PUT", "/calendars/alice/calendar/c2.ics", "0", CAL, &body).status(), 201);
    assert!(inbox_items(&server, "bob").is_empty());
}

/// The unfolded ATTENDEE line of `who` in the first component that lists them.
fn attendee_line(text: &str, who: &str) -> String {
    text.replace("\r\n ", "")
        .lines()
        .find(|l| l.starts_with("ATTENDEE") && l.to_lowercase().contains(&format!("mailto:{who}@")))
        .unwrap_or_else(|| panic!("no ATTENDEE {who} in {text}"))
        .to_owned()
}

/// Bob answers alice's meeting with a comment, as Thunderbird writes it (a
/// COMMENT in the VEVENT and X-RESPONSE-COMMENT on his ATTENDEE line): the
/// REPLY in alice's inbox carries the COMMENT (RFC 5546 §3.2.3) and her copy
/// records it on bob's ATTENDEE line; a later answer without one removes it.
fn an_answers_comment_reaches_the_organiser(backend: Backend) {
    let (_env, server) = setup(backend);
    let body = event(
        "c1",
        0,
        "20261203T100000Z",
        "20261203T110000Z",
        &[("alice", "ACCEPTED"), ("bob", "NEEDS-ACTION"), ("carol", "NEEDS-ACTION")],
        "",
    );
    let path = "/calendars/alice/calendar/c1.ics";
    assert_eq!(request(&server, "alice", "PUT", path, "0", CAL, &body).status().as_u16(), 201);

    let put_bobs = |text: String| {
        let (href, _) = the_copy(&server, "bob", "c1");
        let tag = get(&server, "bob", &href).2.expect("an attendee's copy has a Schedule-Tag");
        let r = client()
            .put(server.url(&href))
            .basic_auth("bob", Some(PASSWORD))
            .header("Content-Type", CAL)
            .header("If-Schedule-Tag-Match", tag)
            .body(text)
            .send()
            .unwrap();
        assert_eq!(r.status().as_u16(), 204, "bob's answer");
    };
    let (_, copy) = the_copy(&server, "bob", "c1");
    let copy = copy.replace("\r\n ", "");
    let mine = attendee_line(&copy, "bob");
    let accepted_line =
        mine.replace("PARTSTAT=NEEDS-ACTION", "PARTSTAT=ACCEPTED;X-RESPONSE-COMMENT=\"Will bring the slides\"");
    let accepted =
        copy.replace(&mine, &accepted_line).replacen("END:VEVENT", "COMMENT:Will bring the slides\r\nEND:VEVENT", 1);
    put_bobs(accepted);

    // (a) The REPLY in alice's schedule inbox has the comment.
    let replies: Vec<String> =
        inbox_items(&server, "alice").into_iter().filter(|m| m.contains("METHOD:REPLY")).collect();
    assert_eq!(replies.len(), 1, "{replies:?}");
    assert!(replies[0].replace("\r\n ", "").contains("\r\nCOMMENT:Will bring the slides\r\n"), "{}", replies[0]);
    // (b) Alice's copy has it on bob's ATTENDEE line, not as a COMMENT of her event.
    let (_, mine, _) = get(&server, "alice", path);
    let bob = attendee_line(&mine, "bob");
    assert!(bob.contains("PARTSTAT=ACCEPTED"), "{bob}");
    assert!(bob.contains("X-RESPONSE-COMMENT=Will bring the slides"), "{bob}");
    assert!(!mine.contains("\r\nCOMMENT"), "no COMMENT in the organiser's event: {mine}");
    assert!(!attendee_line(&mine, "carol").contains("X-RESPONSE-COMMENT"), "{mine}");

    // (c) Bob changes his answer without a comment: the old one goes.
    let (_, copy) = the_copy(&server, "bob", "c1");
    let copy = copy.replace("\r\n ", "");
    let line = attendee_line(&copy, "bob");
    let tentative_line = line
        .replace("PARTSTAT=ACCEPTED", "PARTSTAT=TENTATIVE")
        .replace(";X-RESPONSE-COMMENT=Will bring the slides", "")
        .replace(";X-RESPONSE-COMMENT=\"Will bring the slides\"", "");
    assert!(!tentative_line.contains("X-RESPONSE-COMMENT"), "{tentative_line}");
    let tentative = copy.replace(&line, &tentative_line).replace("COMMENT:Will bring the slides\r\n", "");
    put_bobs(tentative);
    let (_, mine, _) = get(&server, "alice", path);
    let bob = attendee_line(&mine, "bob");
    assert!(bob.contains("PARTSTAT=TENTATIVE") && !bob.contains("X-RESPONSE-COMMENT"), "{bob}");
    let replies = inbox_items(&server, "alice");
    assert_eq!(replies.iter().filter(|m| m.contains("METHOD:REPLY")).count(), 2, "{replies:?}");
}
