//! RFC 6638 rules issue 14 found missing, on both stores: a user has one
//! scheduling object per UID among their calendars (§3.2.4.1): an attendee who
//! saves their accepted copy in another calendar moves the meeting there and
//! the organiser hears the answer; a second copy is refused with the href of
//! the first; a MOVE keeps it one object with its Schedule-Tag. And an
//! organiser who changes their own participation reaches the attendees.

mod common;

use common::*;

agora_testkit::on_both_stores!(one_scheduling_object_per_uid, organizer_participation_reaches_attendees);

const CAL: &str = "text/calendar; charset=utf-8";

fn meeting(seq: u32, alice: &str, bob: &str) -> String {
    format!(
        "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//t//EN\r\nBEGIN:VEVENT\r\nUID:meet-1\r\nDTSTAMP:20260101T000000Z\r\n\
         SEQUENCE:{seq}\r\nDTSTART:20261201T100000Z\r\nDTEND:20261201T110000Z\r\nSUMMARY:Planning\r\n\
         ORGANIZER;CN=Alice:mailto:alice@example.org\r\n\
         ATTENDEE;CN=Alice;PARTSTAT={alice}:mailto:alice@example.org\r\n\
         ATTENDEE;CN=Bob;PARTSTAT={bob};RSVP=TRUE:mailto:bob@example.org\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n"
    )
}

fn setup(backend: Backend) -> (StoreEnv, Server) {
    let env = StoreEnv::new(backend);
    let server = Server::start(&env, &[]);
    add_users(&env, &["alice", "bob"]);
    (env, server)
}

/// The hrefs of a collection's `.ics` members.
fn members(server: &Server, user: &str, path: &str) -> Vec<String> {
    let (status, xml) = send(
        server,
        user,
        "PROPFIND",
        path,
        "application/xml",
        "<D:propfind xmlns:D=\"DAV:\"><D:prop><D:getetag/></D:prop></D:propfind>",
    );
    assert_eq!(status, 207, "{xml}");
    xml.split("<D:href>")
        .skip(1)
        .map(|s| s[..s.find("</D:href>").unwrap()].to_owned())
        .filter(|h| h.ends_with(".ics"))
        .collect()
}

fn get(server: &Server, user: &str, path: &str) -> (u16, String, Option<String>) {
    let r = request(server, user, "GET", path, "0", "text/plain", "");
    let tag = r.headers().get("schedule-tag").map(|v| v.to_str().unwrap().to_owned());
    (r.status().as_u16(), r.text().unwrap(), tag)
}

fn transfer(server: &Server, method: &str, from: &str, to: &str) -> (u16, String) {
    let r = client()
        .request(reqwest::Method::from_bytes(method.as_bytes()).unwrap(), server.url(from))
        .basic_auth("bob", Some(PASSWORD))
        .header("Destination", server.url(to))
        .send()
        .unwrap();
    (r.status().as_u16(), r.text().unwrap())
}

fn one_scheduling_object_per_uid(backend: Backend) {
    let (_env, server) = setup(backend);
    let (status, text) = send(
        &server,
        "alice",
        "PUT",
        "/calendars/alice/calendar/meet.ics",
        CAL,
        &meeting(0, "ACCEPTED", "NEEDS-ACTION"),
    );
    assert_eq!(status, 201, "{text}");
    let copies = members(&server, "bob", "/calendars/bob/calendar/");
    assert_eq!(copies.len(), 1, "bob got the invitation: {copies:?}");
    let copy = &copies[0];
    let (status, text) = send(&server, "bob", "MKCALENDAR", "/calendars/bob/work/", "application/xml", "");
    assert_eq!(status, 201, "{text}");

    // Evolution saves the accepted copy into the calendar the user picked: it is
    // taken as the same scheduling object moved there, and the answer reaches alice.
    let (_, _, tag) = get(&server, "bob", copy);
    let tag = tag.expect("the attendee's copy has a Schedule-Tag");
    let accepted = meeting(0, "ACCEPTED", "ACCEPTED");
    let (status, text) = send(&server, "bob", "PUT", "/calendars/bob/work/accepted.ics", CAL, &accepted);
    assert_eq!(status, 201, "{text}");
    assert!(members(&server, "bob", "/calendars/bob/calendar/").is_empty(), "one object per UID: the old copy went");
    let (_, _, moved_tag) = get(&server, "bob", "/calendars/bob/work/accepted.ics");
    assert_eq!(moved_tag.as_deref(), Some(tag.as_str()), "an attendee's own change keeps the Schedule-Tag");
    assert_eq!(bob_partstat_at_alice(&server), "ACCEPTED");

    // A second one is refused with the href of the first: a PUT onto another
    // existing name, a COPY, and the organiser's second copy.
    let (status, text) = send(
        &server,
        "bob",
        "PUT",
        "/calendars/bob/work/other.ics",
        CAL,
        &meeting(0, "ACCEPTED", "ACCEPTED").replace("meet-1", "other-uid"),
    );
    assert_eq!(status, 201, "{text}");
    let (status, xml) = send(&server, "bob", "PUT", "/calendars/bob/work/other.ics", CAL, &accepted);
    assert_eq!(status, 409, "{xml}");
    let first = "<D:href>/calendars/bob/work/accepted.ics</D:href>";
    assert!(
        xml.contains(&format!("<C:unique-scheduling-object-resource>{first}</C:unique-scheduling-object-resource>")),
        "{xml}"
    );
    let (status, xml) =
        transfer(&server, "COPY", "/calendars/bob/work/accepted.ics", "/calendars/bob/calendar/copied.ics");
    assert_eq!(status, 409, "{xml}");
    assert!(xml.contains(first), "{xml}");
    let (status, _) = send(&server, "alice", "MKCALENDAR", "/calendars/alice/second/", "application/xml", "");
    assert_eq!(status, 201);
    let (status, xml) =
        send(&server, "alice", "PUT", "/calendars/alice/second/meet.ics", CAL, &meeting(0, "ACCEPTED", "ACCEPTED"));
    assert_eq!(status, 409, "{xml}");
    assert!(xml.contains("<D:href>/calendars/alice/calendar/meet.ics</D:href>"), "{xml}");
    // A copy of someone else's meeting the user does not attend is no scheduling object of theirs.
    let foreign = meeting(0, "ACCEPTED", "ACCEPTED").replace("bob@example.org", "zed@example.net");
    let (status, text) = send(&server, "bob", "PUT", "/calendars/bob/calendar/foreign.ics", CAL, &foreign);
    assert_eq!(status, 201, "{text}");
    assert_eq!(send(&server, "bob", "DELETE", "/calendars/bob/calendar/foreign.ics", CAL, "").0, 204);

    // A MOVE keeps it one object, with its Schedule-Tag.
    let (status, text) =
        transfer(&server, "MOVE", "/calendars/bob/work/accepted.ics", "/calendars/bob/calendar/meet.ics");
    assert_eq!(status, 201, "{text}");
    let (status, body, moved_tag) = get(&server, "bob", "/calendars/bob/calendar/meet.ics");
    assert_eq!(status, 200);
    assert_eq!(moved_tag.as_deref(), Some(tag.as_str()), "the Schedule-Tag moved with it");
    // Bob answers in the moved copy; the organiser hears it.
    let answered = body.replace("\r\n ", "").replace("PARTSTAT=ACCEPTED;RSVP", "PARTSTAT=TENTATIVE;RSVP");
    let r = client()
        .put(server.url("/calendars/bob/calendar/meet.ics"))
        .basic_auth("bob", Some(PASSWORD))
        .header("Content-Type", CAL)
        .header("If-Schedule-Tag-Match", &tag)
        .body(answered)
        .send()
        .unwrap();
    assert_eq!(r.status().as_u16(), 204);
    assert_eq!(bob_partstat_at_alice(&server), "TENTATIVE");
}

/// Bob's PARTSTAT in the organiser's copy.
fn bob_partstat_at_alice(server: &Server) -> String {
    let (_, organizer_copy, _) = get(server, "alice", "/calendars/alice/calendar/meet.ics");
    let unfolded = organizer_copy.replace("\r\n ", "");
    let line = unfolded.lines().find(|l| l.contains("mailto:bob@")).unwrap().to_owned();
    let at = line.find("PARTSTAT=").unwrap() + "PARTSTAT=".len();
    line[at..].split([';', ':']).next().unwrap().to_owned()
}

/// RFC 6638 §3.2.1.2 leaves "significant" to the server: Agora counts a SEQUENCE
/// the organiser's client raised and the organiser's own participation.
fn organizer_participation_reaches_attendees(backend: Backend) {
    let (_env, server) = setup(backend);
    let path = "/calendars/alice/calendar/meet.ics";
    assert_eq!(send(&server, "alice", "PUT", path, CAL, &meeting(0, "ACCEPTED", "NEEDS-ACTION")).0, 201);
    let inbox_before = members(&server, "bob", "/calendars/bob/inbox/").len();
    let (status, text) = send(&server, "alice", "PUT", path, CAL, &meeting(1, "DECLINED", "NEEDS-ACTION"));
    assert_eq!(status, 204, "{text}");
    let copy = &members(&server, "bob", "/calendars/bob/calendar/")[0];
    let (_, body, _) = get(&server, "bob", copy);
    let unfolded = body.replace("\r\n ", "");
    let alice_line = unfolded.lines().find(|l| l.starts_with("ATTENDEE") && l.contains("mailto:alice@")).unwrap();
    assert!(alice_line.contains("PARTSTAT=DECLINED"), "bob sees that alice declined:\n{body}");
    assert!(unfolded.contains("SEQUENCE:1"), "{body}");
    assert_eq!(members(&server, "bob", "/calendars/bob/inbox/").len(), inbox_before + 1, "a REQUEST in bob's inbox");
}
