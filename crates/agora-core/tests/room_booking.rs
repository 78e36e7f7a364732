//! A room is never double-booked across processes: invitations from outside
//! (iMIP, as `agora deliver` and LMTP hand them to the core) race for one room
//! through two cores on two separately opened stores on the same database, as
//! two processes would. On SQLite and PostgreSQL.

use std::sync::Arc;

use agora_core::directory::NewEntry;
use agora_core::scheduling::ImipConfig;
use agora_core::{Core, CoreConfig, ResourceKind, Store};
use agora_store::{CollectionKind, Synchronous};
use agora_testkit::Backend;

struct Env {
    cores: [Arc<Core>; 2],
    stores: [Arc<dyn Store>; 2],
    _dir: tempfile::TempDir,
}

fn config() -> CoreConfig {
    // Mail enabled: the room's answers are queued, so the test can read them.
    let imip = ImipConfig { enabled: true, message_id_domain: "example.org".into(), ..Default::default() };
    CoreConfig { imip, ..Default::default() }
}

async fn env(backend: Backend) -> Env {
    let agora_testkit::StorePlace { dir, url } = agora_testkit::store_place(backend).await;
    let first = agora_store::open(url.as_deref(), dir.path(), Synchronous::Normal).await.unwrap();
    let second = agora_store::open(url.as_deref(), dir.path(), Synchronous::Normal).await.unwrap();
    let cores = [Arc::new(Core::new(first.clone(), config())), Arc::new(Core::new(second.clone(), config()))];
    let room = NewEntry { name: "room1".into(), display_name: None, emails: vec!["room1@example.org".into()] };
    cores[0].directory().add_resource(&room, ResourceKind::Room).await.unwrap();
    Env { cores, stores: [first, second], _dir: dir }
}

agora_testkit::on_both_stores!(async env; simultaneous_invitations_book_the_room_once);

/// An invitation by e-mail from `organiser` for the room, `minute` minutes after
/// 10:00 for an hour: every two of them overlap.
fn invitation(organiser: &str, uid: &str, minute: u32) -> String {
    let calendar = format!(
        "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//Test//EN\r\nMETHOD:REQUEST\r\nBEGIN:VEVENT\r\nUID:{uid}\r\n\
         DTSTAMP:20260101T000000Z\r\nDTSTART:20300301T10{minute:02}00Z\r\nDTEND:20300301T11{minute:02}00Z\r\n\
         SUMMARY:Race\r\nORGANIZER:mailto:{organiser}\r\n\
         ATTENDEE;PARTSTAT=NEEDS-ACTION;RSVP=TRUE:mailto:room1@example.org\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n"
    );
    format!(
        "From: {organiser}\r\nTo: room1@example.org\r\nSubject: Race\r\nDate: Thu, 01 Jan 2026 00:00:00 +0000\r\n\
         Message-ID: <{uid}@external.example>\r\nMIME-Version: 1.0\r\n\
         Content-Type: text/calendar; charset=utf-8; method=REQUEST\r\n\r\n{calendar}"
    )
}

/// The PARTSTAT an iTIP text gives its (only) attendee.
fn partstat(text: &str) -> String {
    let unfolded = text.replace("\r\n ", "");
    let line = unfolded.lines().find(|l| l.starts_with("ATTENDEE")).unwrap_or_else(|| panic!("no ATTENDEE: {text}"));
    line.split(';').find_map(|p| p.strip_prefix("PARTSTAT=")).unwrap().split(':').next().unwrap().to_owned()
}

async fn simultaneous_invitations_book_the_room_once(e: Env) {
    const N: usize = 8;
    let tasks: Vec<_> = (0..N)
        .map(|i| {
            let core = e.cores[i % 2].clone();
            tokio::spawn(async move {
                let organiser = format!("org{i}@external.example");
                let mail = invitation(&organiser, &format!("race-{i}@external.example"), i as u32 * 5);
                core.receive_imip(&organiser, "room1@example.org", mail.as_bytes()).await
            })
        })
        .collect();
    for t in tasks {
        assert_eq!(t.await.unwrap(), Ok(1), "each invitation is applied");
    }
    // The room holds one booking, whichever store reads it.
    let room = e.stores[0].principal("room1").await.unwrap().unwrap();
    for store in &e.stores {
        let calendars = store.collections_of(room.id).await.unwrap();
        let mut held = Vec::new();
        for c in calendars.iter().filter(|c| c.kind == CollectionKind::Calendar) {
            held.extend(store.objects(c.id).await.unwrap());
        }
        assert_eq!(held.len(), 1, "the room holds exactly one of the {N} bookings");
        assert_eq!(partstat(&String::from_utf8_lossy(&held[0].data)), "ACCEPTED");
    }
    // Every organiser got an answer: one ACCEPTED, the others DECLINED.
    let queue = e.stores[0].mail_queue(100).await.unwrap();
    assert_eq!(queue.len(), N, "one REPLY per invitation");
    let mut answers: Vec<String> = queue
        .iter()
        .map(|m| {
            let incoming = agora_imip::incoming::parse(&m.mail.message).unwrap();
            assert!(incoming.calendars[0].contains("METHOD:REPLY"), "{}", incoming.calendars[0]);
            partstat(&incoming.calendars[0])
        })
        .collect();
    answers.sort();
    let mut expected = vec!["ACCEPTED".to_owned()];
    expected.extend(std::iter::repeat_n("DECLINED".to_owned(), N - 1));
    assert_eq!(answers, expected);
    for core in &e.cores {
        core.close().await;
    }
}
