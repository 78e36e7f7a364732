//! Administration through the CLI, on both stores: administrators, disabled
//! accounts (refused by Basic, app passwords and web sessions, their data and
//! invitations kept), per-user quotas over the server's, and the booking rules
//! of rooms (who may book, auto-accept off, capacity shown to clients).

mod common;

use common::web::login;
use common::*;

agora_testkit::on_both_stores!(
    a_disabled_user_cannot_sign_in_by_any_means,
    a_users_quota_overrides_the_servers,
    rooms_follow_their_booking_rules,
);

const CAL: &str = "text/calendar; charset=utf-8";

fn event(uid: &str, organizer: &str, attendees: &[&str], filler: usize) -> String {
    let mut text = format!(
        "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//Test//Test//EN\r\nBEGIN:VEVENT\r\nUID:{uid}\r\n\
         DTSTAMP:20260101T000000Z\r\nDTSTART:20261201T100000Z\r\nDTEND:20261201T110000Z\r\nSUMMARY:{uid}\r\n\
         DESCRIPTION:{}\r\n",
        "x".repeat(filler)
    );
    if !attendees.is_empty() {
        text.push_str(&format!("ORGANIZER:mailto:{organizer}@example.org\r\n"));
        text.push_str(&format!("ATTENDEE;PARTSTAT=ACCEPTED:mailto:{organizer}@example.org\r\n"));
    }
    for a in attendees {
        text.push_str(&format!("ATTENDEE;PARTSTAT=NEEDS-ACTION;RSVP=TRUE:mailto:{a}@example.org\r\n"));
    }
    text.push_str("END:VEVENT\r\nEND:VCALENDAR\r\n");
    text
}

fn put(server: &Server, user: &str, name: &str, body: &str) -> (u16, String) {
    let r = request(server, user, "PUT", &format!("/calendars/{user}/calendar/{name}"), "0", CAL, body);
    (r.status().as_u16(), r.text().unwrap())
}

fn get(server: &Server, user: &str, path: &str) -> (u16, String) {
    let r = request(server, user, "GET", path, "0", "text/plain", "");
    (r.status().as_u16(), r.text().unwrap().replace("\r\n ", ""))
}

fn basic(server: &Server, user: &str, password: &str) -> u16 {
    status(&server.url(&format!("/calendars/{user}/")), user, password)
}

/// Credentials another process disabled stop working within a second (http_auth.rs).
fn refused_soon(server: &Server, login: &str, password: &str) {
    let started = std::time::Instant::now();
    while basic(server, login, password) != 401 {
        assert!(started.elapsed() < std::time::Duration::from_secs(1), "{login} still signs in after being disabled");
        std::thread::sleep(std::time::Duration::from_millis(10));
    }
}

fn a_disabled_user_cannot_sign_in_by_any_means(backend: Backend) {
    let env = StoreEnv::new(backend);
    let server = Server::start(&env, &[]);
    add_users(&env, &["alice", "bob"]);
    // The account every installation starts with administers it.
    assert!(env.cli_ok(&["user", "list"], None).lines().any(|l| l.starts_with("admin ") && l.contains("admin")));
    let app = env.cli_ok(&["user", "app-password", "add", "alice", "phone"], None).trim().to_owned();
    assert_eq!(put(&server, "alice", "mine.ics", &event("mine", "alice", &[], 10)).0, 201);
    assert_eq!(basic(&server, "alice", PASSWORD), 200);
    assert_eq!(basic(&server, "alice", &app), 200);
    let session = login(&server, "alice", PASSWORD);
    assert_eq!(session.session_status(&server), 200);

    env.cli_ok(&["user", "disable", "alice"], None);
    // Basic with the password and with the app password (both verified a moment ago):
    // refused as soon as the server hears of the CLI's write (another process: its
    // SQLite poll or PostgreSQL's NOTIFY, as for a password change).
    refused_soon(&server, "alice", PASSWORD);
    refused_soon(&server, "alice", &app);
    // The open web session ended; a new one is refused with the reason.
    assert_eq!(session.session_status(&server), 401);
    let r = common::web::post_login(&server, "alice", PASSWORD);
    assert_eq!(r.status(), 403);
    assert_eq!(common::web::json(r)["error"], "account-disabled");
    // A wrong password still says nothing about the account.
    assert_eq!(common::web::post_login(&server, "alice", "wrong-password").status(), 401);
    let list = env.cli_ok(&["user", "list"], None);
    assert!(list.lines().any(|l| l.starts_with("alice ") && l.contains("disabled")), "{list}");
    // Invitations still arrive.
    let invite = event("invite", "bob", &["alice"], 0);
    assert_eq!(put(&server, "bob", "invite.ics", &invite).0, 201);

    env.cli_ok(&["user", "enable", "alice"], None);
    assert_eq!(basic(&server, "alice", PASSWORD), 200);
    // Their data stayed, and the invitation reached them while disabled.
    assert_eq!(get(&server, "alice", "/calendars/alice/calendar/mine.ics").0, 200);
    let (_, listing) = send(&server, "alice", "PROPFIND", "/calendars/alice/calendar/", "application/xml", "");
    assert_eq!(listing.matches(".ics</D:href>").count(), 2, "{listing}");
    // The last enabled administrator stays one.
    let out = env.cli(&["user", "admin", "admin", "off"], None);
    assert!(!out.status.success(), "the last administrator cannot be demoted");
    env.cli_ok(&["user", "admin", "bob", "on"], None);
    env.cli_ok(&["user", "admin", "admin", "off"], None);
}

fn a_users_quota_overrides_the_servers(backend: Backend) {
    let env = StoreEnv::new(backend);
    let server = Server::start(&env, &["--user-quota-bytes", "1000"]);
    add_users(&env, &["alice", "bob", "carol"]);
    env.cli_ok(&["user", "quota", "alice", "2000"], None);
    env.cli_ok(&["user", "quota", "bob", "0"], None);
    assert_eq!(env.cli(&["user", "quota", "bob", "lots"], None).status.code(), Some(2));
    let big = event("big", "x", &[], 1400);
    // carol has the server's 1000 bytes; alice her own 2000; bob no limit.
    let (status, body) = put(&server, "carol", "big.ics", &big);
    assert_eq!(status, 507);
    assert!(body.contains("quota-not-exceeded"), "{body}");
    assert_eq!(put(&server, "alice", "big.ics", &big).0, 201);
    let (status, body) = put(&server, "alice", "big2.ics", &event("big2", "x", &[], 1400));
    assert_eq!(status, 507, "{body}");
    for i in 0..3 {
        assert_eq!(put(&server, "bob", &format!("b{i}.ics"), &event(&format!("b{i}"), "x", &[], 1400)).0, 201);
    }
    let quota =
        r#"<d:propfind xmlns:d="DAV:"><d:prop><d:quota-used-bytes/><d:quota-available-bytes/></d:prop></d:propfind>"#;
    let (_, body) = send(&server, "alice", "PROPFIND", "/calendars/alice/", "application/xml", quota);
    let used = big.len();
    assert!(body.contains(&format!("<D:quota-used-bytes>{used}</D:quota-used-bytes>")), "{body}");
    assert!(body.contains(&format!("<D:quota-available-bytes>{}</D:quota-available-bytes>", 2000 - used)), "{body}");
    let (_, body) = send(&server, "bob", "PROPFIND", "/calendars/bob/", "application/xml", quota);
    assert!(!body.contains("<D:quota-available-bytes>"), "unlimited: no available bytes: {body}");
    // The listing shows what RFC 4331 reports.
    let list = env.cli_ok(&["user", "list"], None);
    let alice = list.lines().find(|l| l.starts_with("alice ")).unwrap();
    assert!(alice.contains(&used.to_string()) && alice.contains("2000"), "{list}");
    assert!(list.lines().find(|l| l.starts_with("bob ")).unwrap().contains("unlimited"), "{list}");
    // Back to the server's quota.
    env.cli_ok(&["user", "quota", "alice", "default"], None);
    let (_, body) = send(&server, "alice", "PROPFIND", "/calendars/alice/", "application/xml", quota);
    assert!(body.contains("<D:quota-available-bytes>0</D:quota-available-bytes>"), "{body}");
}

/// The PARTSTAT of `who` in an event's text.
fn partstat(text: &str, who: &str) -> Option<String> {
    text.lines().find(|l| l.starts_with("ATTENDEE") && l.contains(&format!("mailto:{who}@"))).and_then(|l| {
        l.split(';').find_map(|p| p.strip_prefix("PARTSTAT=")).map(|p| p.split(':').next().unwrap().to_owned())
    })
}

fn rooms_follow_their_booking_rules(backend: Backend) {
    let env = StoreEnv::new(backend);
    let server = Server::start(&env, &[]);
    add_users(&env, &["alice", "bob", "carol"]);
    env.cli_ok(&["group", "add", "staff"], None);
    env.cli_ok(&["group", "add", "board"], None);
    env.cli_ok(&["group", "member", "add", "board", "alice"], None);
    env.cli_ok(&["group", "member", "add", "staff", "board"], None);
    let room = ["resource", "add", "boardroom", "--kind", "room", "--email", "boardroom@example.org"];
    env.cli_ok(&[&room[..], &["--capacity", "8", "--bookers", "staff"]].concat(), None);
    env.cli_ok(
        &["resource", "add", "lab", "--kind", "room", "--email", "lab@example.org", "--auto-accept", "off"],
        None,
    );
    assert_eq!(env.cli(&["resource", "set", "lab", "--bookers", "nobody"], None).status.code(), Some(3));
    let list = env.cli_ok(&["resource", "list"], None);
    let line = list.lines().find(|l| l.starts_with("boardroom ")).unwrap();
    assert!(line.contains(" 8 ") && line.contains("staff"), "{list}");
    assert!(list.lines().find(|l| l.starts_with("lab ")).unwrap().contains("off"), "{list}");

    // alice is in staff through board: booked. bob is not: declined with the reason.
    assert_eq!(put(&server, "alice", "a.ics", &event("a", "alice", &["boardroom"], 0)).0, 201);
    let (_, mine) = get(&server, "alice", "/calendars/alice/calendar/a.ics");
    assert_eq!(partstat(&mine, "boardroom").as_deref(), Some("ACCEPTED"), "{mine}");
    let mut b = event("b", "bob", &["boardroom"], 0);
    b = b.replace("20261201T10", "20261202T10").replace("20261201T11", "20261202T11");
    assert_eq!(put(&server, "bob", "b.ics", &b).0, 201);
    let (_, mine) = get(&server, "bob", "/calendars/bob/calendar/b.ics");
    assert_eq!(partstat(&mine, "boardroom").as_deref(), Some("DECLINED"), "{mine}");
    assert!(mine.contains("Only members of staff may book boardroom."), "the reason reaches the organiser: {mine}");
    // Once bob may book, his next request is accepted.
    env.cli_ok(&["resource", "set", "boardroom", "--bookers", "anyone"], None);
    let b1 = b.replace("DTSTAMP:20260101T000000Z", "DTSTAMP:20260101T000000Z\r\nSEQUENCE:1");
    assert_eq!(put(&server, "bob", "b.ics", &b1).0, 204);
    let (_, mine) = get(&server, "bob", "/calendars/bob/calendar/b.ics");
    assert_eq!(partstat(&mine, "boardroom").as_deref(), Some("ACCEPTED"), "{mine}");

    // Auto-accept off: the lab's answer waits for a person; its copy is there.
    assert_eq!(put(&server, "carol", "c.ics", &event("c", "carol", &["lab"], 0)).0, 201);
    let (_, mine) = get(&server, "carol", "/calendars/carol/calendar/c.ics");
    assert_eq!(partstat(&mine, "lab").as_deref(), Some("NEEDS-ACTION"), "{mine}");
    let lab = mine.lines().find(|l| l.contains("mailto:lab@")).unwrap();
    assert!(lab.contains("SCHEDULE-STATUS=1.2"), "delivered to the lab, not answered: {lab}");

    // Capacity: a principal property and the global address list's card.
    let prop = r#"<d:propfind xmlns:d="DAV:" xmlns:a="urn:x-agora:ns"><d:prop><a:capacity/></d:prop></d:propfind>"#;
    let (_, body) = send(&server, "alice", "PROPFIND", "/principals/boardroom/", "application/xml", prop);
    assert!(body.contains("xmlns:X=\"urn:x-agora:ns\">8</X:capacity>"), "{body}");
    let (_, card) = get(&server, "alice", "/addressbooks/alice/directory/boardroom.vcf");
    assert!(card.contains("X-AGORA-CAPACITY:8"), "{card}");
}
