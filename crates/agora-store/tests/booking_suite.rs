//! Room bookings (`SchedulingStore::book`): the check and the write are one
//! transaction, so concurrent bookings through separately opened stores on the
//! same database (as separate processes would be) never both win. On SQLite and
//! PostgreSQL.

use std::sync::{Arc, Mutex};
use std::time::Duration;

use agora_store::*;
use agora_testkit::Backend;

struct Opened {
    store: Arc<dyn Store>,
    dir: tempfile::TempDir,
    url: Option<String>,
    room: PrincipalId,
    calendar: CollectionId,
}

impl Opened {
    /// Another store on the same database: a second process would open this.
    async fn reopen(&self) -> Arc<dyn Store> {
        agora_store::open(self.url.as_deref(), self.dir.path(), Synchronous::Normal).await.unwrap()
    }
}

async fn open(backend: Backend) -> Opened {
    let agora_testkit::StorePlace { dir, url } = agora_testkit::store_place(backend).await;
    let store = agora_store::open(url.as_deref(), dir.path(), Synchronous::Normal).await.unwrap();
    let new = NewPrincipal {
        kind: PrincipalKind::Resource,
        name: "room1".into(),
        display_name: "Room 1".into(),
        resource_kind: Some(ResourceKind::Room),
        emails: vec![],
        password_hash: None,
    };
    let room = store.insert_principal(&new, 0).await.unwrap().id;
    let collection = |path: &str, parent: Option<&str>, kind| NewCollection {
        owner_id: room,
        path: path.into(),
        parent_path: parent.map(str::to_owned),
        kind,
        components: Components(Components::EVENT),
        properties: vec![],
        source: None,
        grants: Vec::new(),
    };
    let home = collection("calendars/room1/", None, CollectionKind::CalendarHome);
    let cal = collection("calendars/room1/calendar/", Some("calendars/room1/"), CollectionKind::Calendar);
    store.provision(&[home, cal], 1).await.unwrap();
    let calendar = store.collection("calendars/room1/calendar/").await.unwrap().unwrap().id;
    Opened { store, dir, url, room, calendar }
}

agora_testkit::on_both_stores!(
    async open;
    a_booking_reads_decides_and_writes,
    concurrent_bookings_from_two_stores_win_once,
);

/// A room's copy of `uid`, taking `[start, end)`; the bytes say which it is.
fn copy(uid: &str, start: i64, end: i64) -> NewObject {
    NewObject {
        uid: Some(uid.into()),
        etag: format!("etag-{uid}-{start}"),
        content_type: "text/calendar".into(),
        data: format!("{uid} {start}").into_bytes(),
        component: Some("VEVENT".into()),
        span_start: Some(start),
        span_end: Some(end),
        class: 0,
        schedule_tag: Some(format!("tag-{uid}-{start}")),
        instances: None,
    }
}

/// Accepts when no other booking was seen; records the UIDs it was shown.
fn free_only(seen: &Mutex<Vec<Vec<String>>>) -> impl Fn(&[Object]) -> BookingDecision + Send + Sync + '_ {
    move |others: &[Object]| {
        seen.lock().unwrap().push(others.iter().filter_map(|o| o.meta.uid.clone()).collect());
        if others.is_empty() { BookingDecision::Accept } else { BookingDecision::Decline }
    }
}

async fn a_booking_reads_decides_and_writes(o: Opened) {
    let s = &o.store;
    let cals = [o.calendar];
    let seen = Mutex::new(Vec::new());
    let rule = free_only(&seen);
    let booking = |uid, accepted, span, name| Booking {
        key: o.room,
        calendars: &cals,
        uid,
        span,
        accepted,
        new_at: (o.calendar, name),
    };
    let first = &copy("b1", 100, 200);
    let before = s.collection_by_id(o.calendar).await.unwrap().unwrap().revision;
    let Booked::Accepted(put) = s.book(&booking("b1", first, 100..200, "b1.ics"), &rule, 10).await.unwrap() else {
        panic!("a free room accepts");
    };
    assert!(put.created && put.meta.name == "b1.ics", "{put:?}");
    assert_eq!(put.meta.schedule_tag.as_deref(), Some("tag-b1-100"));
    let stored = s.object(o.calendar, "b1.ics").await.unwrap().unwrap();
    assert_eq!(stored.data, first.data);
    assert!(s.collection_by_id(o.calendar).await.unwrap().unwrap().revision > before, "a change was recorded");
    let (changes, _) = s.changes_since(o.calendar, before, None).await.unwrap();
    assert!(changes.iter().any(|c| c.name == "b1.ics" && !c.deleted), "{changes:?}");

    // An overlapping booking is shown the first and declined: nothing is written.
    let second = &copy("b2", 150, 250);
    let got = s.book(&booking("b2", second, 150..250, "b2.ics"), &rule, 11).await.unwrap();
    assert_eq!(got, Booked::Declined { released: false });
    assert!(s.object(o.calendar, "b2.ics").await.unwrap().is_none());

    // The first meeting moves: its own copy is not a conflict, and it is
    // rewritten where it is (not at `new_at`).
    let moved = &copy("b1", 300, 400);
    let Booked::Accepted(put) = s.book(&booking("b1", moved, 300..400, "elsewhere.ics"), &rule, 12).await.unwrap()
    else {
        panic!("the room is free at the new time");
    };
    assert!(!put.created && put.meta.name == "b1.ics", "{put:?}");
    assert!(s.object(o.calendar, "elsewhere.ics").await.unwrap().is_none());

    // Another booking takes 300..400; b1 moving onto it is declined and the room
    // lets go of b1's old copy.
    let third = &copy("b3", 500, 600);
    assert!(matches!(s.book(&booking("b3", third, 500..600, "b3.ics"), &rule, 13).await.unwrap(), Booked::Accepted(_)));
    let clash = &copy("b1", 550, 650);
    let got = s.book(&booking("b1", clash, 550..650, "b1-new.ics"), &rule, 14).await.unwrap();
    assert_eq!(got, Booked::Declined { released: true });
    assert!(s.object(o.calendar, "b1.ics").await.unwrap().is_none(), "the declined meeting's copy is gone");
    let (changes, _) = s.changes_since(o.calendar, before, None).await.unwrap();
    assert!(changes.iter().any(|c| c.name == "b1.ics" && c.deleted), "{changes:?}");

    // Something that takes no time reads nothing.
    let instant = &copy("b4", 550, 550);
    assert!(matches!(s.book(&booking("b4", instant, 0..0, "b4.ics"), &rule, 15).await.unwrap(), Booked::Accepted(_)));

    let seen = seen.lock().unwrap().clone();
    let expected: [&[&str]; 6] = [&[], &["b1"], &[], &[], &["b3"], &[]];
    assert_eq!(seen, expected.map(|v| v.iter().map(|s| s.to_string()).collect::<Vec<_>>()), "what each decision saw");
}

/// N bookings of overlapping times, half through a second store on the same
/// database, each decision slowed down so that an unlocked check would let
/// several of them see the room free: exactly one wins.
async fn concurrent_bookings_from_two_stores_win_once(o: Opened) {
    const N: i64 = 8;
    let other = o.reopen().await;
    let stores = [o.store.clone(), other.clone()];
    let (room, calendar) = (o.room, o.calendar);
    let tasks: Vec<_> = (0..N)
        .map(|i| {
            let store = stores[i as usize % 2].clone();
            tokio::spawn(async move {
                let uid = format!("race-{i}");
                let obj = copy(&uid, 1000 + i * 10, 2000 + i * 10);
                let name = format!("{uid}.ics");
                let cals = [calendar];
                let booking = Booking {
                    key: room,
                    calendars: &cals,
                    uid: &uid,
                    span: 1000 + i * 10..2000 + i * 10,
                    accepted: &obj,
                    new_at: (calendar, &name),
                };
                let rule = |others: &[Object]| {
                    // Long enough for every other booking to reach its check.
                    std::thread::sleep(Duration::from_millis(30));
                    if others.is_empty() { BookingDecision::Accept } else { BookingDecision::Decline }
                };
                store.book(&booking, &rule, 20).await.unwrap()
            })
        })
        .collect();
    let mut accepted = 0;
    for t in tasks {
        if matches!(t.await.unwrap(), Booked::Accepted(_)) {
            accepted += 1;
        }
    }
    assert_eq!(accepted, 1, "exactly one of {N} simultaneous bookings wins the room");
    for s in &stores {
        assert_eq!(s.objects(calendar).await.unwrap().len(), 1, "the room holds one booking, seen by both stores");
    }
    other.close().await;
}
