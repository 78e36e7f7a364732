//! A room is never double-booked across processes: `agora deliver`, run as an
//! MTA runs it (its own process, its own connection to the store), books the
//! room for an invitation from outside while the server books it for a local
//! organiser's CalDAV PUT at an overlapping time. Round after round, the room
//! holds exactly one of the two and the other organiser is told DECLINED. On
//! SQLite and PostgreSQL.
//!
//! The PUT's delay after starting `agora deliver` is searched round by round for
//! the moment both book at once. With the free-check read outside the booking's
//! lock (the old way), this test failed within five rounds on both stores.

mod common;

use std::sync::{Arc, Barrier};
use std::time::{Duration, Instant};

use agora_testkit::smtp_sink::{Captured, SmtpSink};
use common::*;

agora_testkit::on_both_stores!(deliver_and_caldav_race_for_a_room);

const ROUNDS: u32 = 10;

/// The invitation dave, outside, mails to the room: `day` 10:00-11:00.
fn external_request(uid: &str, day: &str) -> String {
    let calendar = format!(
        "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//Outside//EN\r\nMETHOD:REQUEST\r\nBEGIN:VEVENT\r\nUID:{uid}\r\n\
         DTSTAMP:20260101T000000Z\r\nDTSTART:{day}T100000Z\r\nDTEND:{day}T110000Z\r\nSUMMARY:Outside\r\n\
         ORGANIZER:mailto:dave@external.example\r\n\
         ATTENDEE;PARTSTAT=NEEDS-ACTION;RSVP=TRUE:mailto:room1@example.org\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n"
    );
    format!(
        "From: dave@external.example\r\nTo: room1@example.org\r\nSubject: Outside\r\n\
         Date: Thu, 01 Jan 2026 00:00:00 +0000\r\nMessage-ID: <{uid}>\r\nMIME-Version: 1.0\r\n\
         Content-Type: text/calendar; charset=utf-8; method=REQUEST\r\n\r\n{calendar}"
    )
}

/// Alice's meeting in the room: `day` 10:30-11:30.
fn local_event(uid: &str, day: &str) -> String {
    format!(
        "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//Test//EN\r\nBEGIN:VEVENT\r\nUID:{uid}\r\n\
         DTSTAMP:20260101T000000Z\r\nDTSTART:{day}T103000Z\r\nDTEND:{day}T113000Z\r\nSUMMARY:Inside\r\n\
         ORGANIZER:mailto:alice@example.org\r\nATTENDEE;PARTSTAT=ACCEPTED:mailto:alice@example.org\r\n\
         ATTENDEE;PARTSTAT=NEEDS-ACTION;RSVP=TRUE:mailto:room1@example.org\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n"
    )
}

/// The room's PARTSTAT in an iCalendar text.
fn room_partstat(text: &str) -> Option<String> {
    let unfolded = text.replace("\r\n ", "");
    let line = unfolded.lines().find(|l| l.starts_with("ATTENDEE") && l.contains("mailto:room1@"))?;
    line.split(';').find_map(|p| p.strip_prefix("PARTSTAT=")).map(|p| p.split(':').next().unwrap().to_owned())
}

/// The room's answer to dave for `uid`, once the server's mail worker sent it.
fn answer_to_dave(sink: &SmtpSink, uid: &str) -> String {
    let deadline = Instant::now() + Duration::from_secs(30);
    loop {
        let found = sink.messages().into_iter().find_map(|m: Captured| {
            let incoming = agora_imip::incoming::parse(&m.data).ok()?;
            let text = incoming.calendars.into_iter().find(|c| c.contains(&format!("UID:{uid}")))?;
            assert_eq!(m.rcpt_to, ["dave@external.example"]);
            assert!(text.contains("METHOD:REPLY"), "{text}");
            room_partstat(&text)
        });
        if let Some(partstat) = found {
            return partstat;
        }
        assert!(Instant::now() < deadline, "no answer to dave for {uid}");
        std::thread::sleep(Duration::from_millis(50));
    }
}

/// `agora deliver` of dave's invitation to the room, with the relay on
/// `smtp_port` configured (as the MTA's environment would) so that the room's
/// answer is queued for him.
fn deliver_to_room(env: &StoreEnv, smtp_port: u16, message: &str) {
    let mut command = env.command();
    command.env("AGORA_SMTP_HOST", "127.0.0.1").env("AGORA_SMTP_PORT", smtp_port.to_string());
    command.env("AGORA_SMTP_SECURITY", "none");
    // The developer's own mail settings must not leak into the test.
    command.env_remove("AGORA_SMTP_USERNAME").env_remove("AGORA_SMTP_PASSWORD").env_remove("AGORA_IMIP_SENDER");
    let out = deliver(&mut command, "room1@example.org", "dave@external.example", message);
    assert_eq!(out.status.code(), Some(0), "agora deliver: {}", String::from_utf8_lossy(&out.stderr));
}

fn deliver_and_caldav_race_for_a_room(backend: Backend) {
    let env = Arc::new(StoreEnv::new(backend));
    let sink = SmtpSink::start();
    let server = Arc::new(start_with_relay(&env, &mail_args(sink.port)));
    add_users(&env, &["alice"]);
    env.cli_ok(&["resource", "add", "room1", "--kind", "room", "--email", "room1@example.org"], None);

    // How long one `agora deliver` runs (start, open the store, book, close).
    let started = Instant::now();
    deliver_to_room(&env, sink.port, &external_request("warm-up@external.example", "20310101"));
    let run = started.elapsed();
    assert_eq!(answer_to_dave(&sink, "warm-up@external.example"), "ACCEPTED");

    // When to send the PUT after starting `agora deliver`: a binary search for the
    // moment both book at once. After a round the PUT won it goes later, after one
    // `agora deliver` won earlier, by half the last step each time, so the later
    // rounds land within a millisecond or two of that moment.
    let (mut delay, mut step) = (run / 2, run / 4);
    for round in 0..ROUNDS {
        let day = format!("203003{:02}", round + 1);
        let (ext, loc) = (format!("ext-{round}@external.example"), format!("loc-{round}"));
        let barrier = Arc::new(Barrier::new(2));
        let mail = external_request(&ext, &day);
        let mta = {
            let (env, port, barrier) = (env.clone(), sink.port, barrier.clone());
            std::thread::spawn(move || {
                barrier.wait();
                deliver_to_room(&env, port, &mail);
            })
        };
        let href = format!("/calendars/alice/calendar/{loc}.ics");
        let caldav = {
            let (server, barrier, href, body) =
                (server.clone(), barrier.clone(), href.clone(), local_event(&loc, &day));
            std::thread::spawn(move || {
                barrier.wait();
                std::thread::sleep(delay);
                request(&server, "alice", "PUT", &href, "0", "text/calendar; charset=utf-8", &body).status().as_u16()
            })
        };
        mta.join().unwrap();
        assert_eq!(caldav.join().unwrap(), 201, "round {round}: alice's PUT");

        // What the room holds: its free/busy shows each booking's own period.
        let next = format!("203003{:02}", round + 2);
        let fb = request(
            &server,
            "alice",
            "GET",
            &format!("/freebusy/room1?start={day}T000000Z&end={next}T000000Z"),
            "0",
            "text/plain",
            "",
        )
        .text()
        .unwrap();
        let external_held = fb.contains(&format!("{day}T100000Z/{day}T110000Z"));
        let local_held = fb.contains(&format!("{day}T103000Z/{day}T113000Z"));
        assert!(external_held != local_held, "round {round}: the room holds exactly one booking: {fb}");
        eprintln!(
            "round {round}: PUT after {delay:?}, {} won",
            if external_held { "agora deliver" } else { "the PUT" }
        );
        delay = if local_held { delay + step } else { delay.saturating_sub(step) };
        step = (step / 2).max(Duration::from_millis(1));

        // Each organiser was told, and the loser was told DECLINED.
        let alices = request(&server, "alice", "GET", &href, "0", "text/plain", "").text().unwrap();
        let local_answer = room_partstat(&alices);
        let expected = |held| Some(if held { "ACCEPTED" } else { "DECLINED" }.to_owned());
        assert_eq!(local_answer, expected(local_held), "round {round}: the room's answer to alice: {alices}");
        assert_eq!(Some(answer_to_dave(&sink, &ext)), expected(external_held), "round {round}: the answer to dave");
    }
}
