//! One storage suite, run against SQLite and PostgreSQL alike.

use std::sync::Arc;

use agora_store::*;
use agora_testkit::Backend;

struct Opened {
    store: Arc<dyn Store>,
    _dir: tempfile::TempDir,
    url: Option<String>,
}

async fn open(backend: Backend) -> Opened {
    let agora_testkit::StorePlace { dir, url } = agora_testkit::store_place(backend).await;
    let store = agora_store::open(url.as_deref(), dir.path(), Synchronous::Full).await.unwrap();
    Opened { store, _dir: dir, url }
}

agora_testkit::on_both_stores!(
    async open;
    principals_round_trip,
    duplicates_are_conflicts_and_write_nothing,
    login_by_name_or_address,
    credential_changes_bump_the_epoch,
    app_passwords,
    nested_groups_refuse_cycles,
    deleting_cascades,
    concurrent_creations_of_one_name,
    data_survives_reopening,
    another_process_writes_are_seen,
    principals_by_many_addresses,
);

fn user(name: &str, emails: &[&str]) -> NewPrincipal {
    NewPrincipal {
        kind: PrincipalKind::User,
        name: name.into(),
        display_name: name.to_uppercase(),
        resource_kind: None,
        emails: emails.iter().map(|s| s.to_string()).collect(),
        password_hash: Some(format!("hash-of-{name}")),
    }
}

fn group(name: &str) -> NewPrincipal {
    NewPrincipal { kind: PrincipalKind::Group, password_hash: None, ..user(name, &[]) }
}

async fn principals_round_trip(o: Opened) {
    let s = &o.store;
    assert_eq!(s.count_users().await.unwrap(), 0);
    let alice = s.insert_principal(&user("alice", &["alice@example.org", "a@example.org"]), 100).await.unwrap();
    let room = NewPrincipal {
        kind: PrincipalKind::Resource,
        resource_kind: Some(ResourceKind::Room),
        password_hash: None,
        ..user("room-1", &["room1@example.org"])
    };
    s.insert_principal(&room, 101).await.unwrap();
    s.insert_principal(&group("staff"), 102).await.unwrap();

    let got = s.principal("alice").await.unwrap().unwrap();
    assert_eq!(got, alice);
    assert_eq!(got.emails, ["alice@example.org", "a@example.org"], "addresses keep their order");
    assert_eq!(got.created_at, 100);
    assert!(s.principal("nobody").await.unwrap().is_none());

    let all: Vec<_> = s.principals(None).await.unwrap().into_iter().map(|p| p.name).collect();
    assert_eq!(all, ["alice", "room-1", "staff"]);
    let rooms = s.principals(Some(PrincipalKind::Resource)).await.unwrap();
    assert_eq!(rooms.len(), 1);
    assert_eq!(rooms[0].resource_kind, Some(ResourceKind::Room));
    assert_eq!(rooms[0].emails, ["room1@example.org"]);
    assert_eq!(s.count_users().await.unwrap(), 1);
}

async fn duplicates_are_conflicts_and_write_nothing(o: Opened) {
    let s = &o.store;
    s.insert_principal(&user("alice", &["alice@example.org"]), 1).await.unwrap();
    let err = s.insert_principal(&group("alice"), 2).await.unwrap_err();
    assert!(matches!(err, StoreError::Conflict(Conflict::Name(ref n)) if n == "alice"), "{err:?}");
    // The second address collides: the whole principal must be absent afterwards.
    let err = s.insert_principal(&user("bob", &["bob@example.org", "alice@example.org"]), 3).await.unwrap_err();
    assert!(matches!(err, StoreError::Conflict(Conflict::Email(ref a)) if a == "alice@example.org"), "{err:?}");
    assert!(s.principal("bob").await.unwrap().is_none());
    assert!(s.login("bob@example.org").await.unwrap().is_none());
    assert_eq!(s.principals(None).await.unwrap().len(), 1);
}

async fn login_by_name_or_address(o: Opened) {
    let s = &o.store;
    let alice = s.insert_principal(&user("alice", &["alice@example.org"]), 1).await.unwrap();
    // A user whose login name is another user's address is found by name first.
    let odd = s.insert_principal(&user("alice@example.com", &[]), 1).await.unwrap();
    s.insert_principal(&NewPrincipal { kind: PrincipalKind::Group, ..user("team", &["team@example.org"]) }, 1)
        .await
        .unwrap();

    let by_name = s.login("alice").await.unwrap().unwrap();
    assert_eq!((by_name.id, by_name.name.as_str()), (alice.id, "alice"));
    assert_eq!(by_name.password_hash.as_deref(), Some("hash-of-alice"));
    assert_eq!(s.login("alice@example.org").await.unwrap().unwrap().id, alice.id);
    assert_eq!(s.login("alice@example.com").await.unwrap().unwrap().id, odd.id);
    assert!(s.login("team").await.unwrap().is_none(), "groups cannot log in");
    assert!(s.login("team@example.org").await.unwrap().is_none());
    assert!(s.login("nobody").await.unwrap().is_none());
}

async fn credential_changes_bump_the_epoch(o: Opened) {
    let s = &o.store;
    let alice = s.insert_principal(&user("alice", &[]), 1).await.unwrap();
    let e0 = s.auth_epoch(alice.id).await.unwrap().unwrap();
    assert!(s.set_password(alice.id, "new-hash").await.unwrap());
    let e1 = s.auth_epoch(alice.id).await.unwrap().unwrap();
    assert!(e1 > e0);
    assert_eq!(s.login("alice").await.unwrap().unwrap().password_hash.as_deref(), Some("new-hash"));
    s.insert_app_password(alice.id, "phone", "abcde", "h", 2).await.unwrap();
    assert_eq!(s.auth_epoch(alice.id).await.unwrap().unwrap(), e1, "adding an app password changes nothing");
    assert!(s.delete_app_password(alice.id, "phone").await.unwrap());
    assert!(s.auth_epoch(alice.id).await.unwrap().unwrap() > e1);
    assert!(!s.set_password(9999, "x").await.unwrap());
    assert!(s.auth_epoch(9999).await.unwrap().is_none());
}

async fn app_passwords(o: Opened) {
    let s = &o.store;
    let alice = s.insert_principal(&user("alice", &[]), 1).await.unwrap();
    let bob = s.insert_principal(&user("bob", &[]), 1).await.unwrap();
    s.insert_app_password(alice.id, "phone", "aaaaa", "hash-1", 10).await.unwrap();
    s.insert_app_password(alice.id, "laptop", "bbbbb", "hash-2", 11).await.unwrap();
    s.insert_app_password(bob.id, "phone", "aaaaa", "hash-3", 12).await.unwrap();
    let err = s.insert_app_password(alice.id, "phone", "ccccc", "hash-4", 13).await.unwrap_err();
    assert!(matches!(err, StoreError::Conflict(Conflict::AppPasswordLabel(_))), "{err:?}");

    let labels: Vec<_> = s.app_passwords(alice.id).await.unwrap().into_iter().map(|a| a.label).collect();
    assert_eq!(labels, ["phone", "laptop"]);
    assert_eq!(s.app_password_hashes(alice.id, "aaaaa").await.unwrap(), ["hash-1"]);
    assert!(s.app_password_hashes(alice.id, "zzzzz").await.unwrap().is_empty());
    assert!(s.delete_app_password(alice.id, "phone").await.unwrap());
    assert!(!s.delete_app_password(alice.id, "phone").await.unwrap());
    assert_eq!(s.app_password_hashes(bob.id, "aaaaa").await.unwrap(), ["hash-3"], "other users untouched");
}

async fn nested_groups_refuse_cycles(o: Opened) {
    let s = &o.store;
    let alice = s.insert_principal(&user("alice", &[]), 1).await.unwrap();
    let a = s.insert_principal(&group("a"), 1).await.unwrap();
    let b = s.insert_principal(&group("b"), 1).await.unwrap();
    let c = s.insert_principal(&group("c"), 1).await.unwrap();
    s.add_member(a.id, b.id).await.unwrap();
    s.add_member(b.id, c.id).await.unwrap();
    s.add_member(c.id, alice.id).await.unwrap();
    for (g, m) in [(c.id, a.id), (b.id, a.id), (a.id, a.id)] {
        let err = s.add_member(g, m).await.unwrap_err();
        assert!(matches!(err, StoreError::Conflict(Conflict::MembershipCycle)), "{err:?}");
    }
    let err = s.add_member(a.id, b.id).await.unwrap_err();
    assert!(matches!(err, StoreError::Conflict(Conflict::AlreadyMember)), "{err:?}");
    // Two paths to the same member are not a cycle.
    s.add_member(a.id, c.id).await.unwrap();
    let names: Vec<_> = s.members(a.id).await.unwrap().into_iter().map(|p| p.name).collect();
    assert_eq!(names, ["b", "c"]);
    assert!(s.remove_member(a.id, b.id).await.unwrap());
    assert!(!s.remove_member(a.id, b.id).await.unwrap());
    // a still contains c directly, so c still may not contain a; b may rejoin a.
    assert!(s.add_member(c.id, a.id).await.is_err());
    s.add_member(a.id, b.id).await.unwrap();
}

async fn deleting_cascades(o: Opened) {
    let s = &o.store;
    let alice = s.insert_principal(&user("alice", &["alice@example.org"]), 1).await.unwrap();
    let staff = s.insert_principal(&group("staff"), 1).await.unwrap();
    s.add_member(staff.id, alice.id).await.unwrap();
    s.insert_app_password(alice.id, "phone", "aaaaa", "h", 1).await.unwrap();
    assert!(s.delete_principal(alice.id).await.unwrap());
    assert!(!s.delete_principal(alice.id).await.unwrap());
    assert!(s.members(staff.id).await.unwrap().is_empty());
    assert!(s.app_passwords(alice.id).await.unwrap().is_empty());
    // Name and address are free again.
    s.insert_principal(&user("alice", &["alice@example.org"]), 2).await.unwrap();
}

async fn concurrent_creations_of_one_name(o: Opened) {
    let mut tasks = Vec::new();
    for i in 0..16 {
        let s = o.store.clone();
        tasks.push(tokio::spawn(async move {
            s.insert_principal(&user("same", &[&format!("same{i}@example.org")]), i).await
        }));
    }
    let mut ok = 0;
    for t in tasks {
        match t.await.unwrap() {
            Ok(_) => ok += 1,
            Err(StoreError::Conflict(Conflict::Name(_))) => {}
            Err(e) => panic!("a racing insert must fail as a conflict, got {e:?}"),
        }
    }
    assert_eq!(ok, 1);
    let p = o.store.principal("same").await.unwrap().unwrap();
    assert_eq!(p.emails.len(), 1, "the winner's address only");
}

async fn data_survives_reopening(o: Opened) {
    o.store.insert_principal(&user("alice", &["alice@example.org"]), 1).await.unwrap();
    o.store.close().await;
    let again = agora_store::open(o.url.as_deref(), o._dir.path(), Synchronous::Full).await.unwrap();
    assert_eq!(again.principal("alice").await.unwrap().unwrap().emails, ["alice@example.org"]);
    again.close().await;
}

/// Polls `check` until it holds, for at most five seconds.
async fn eventually(what: &str, mut check: impl AsyncFnMut() -> bool) {
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(5);
    while !check().await {
        assert!(std::time::Instant::now() < deadline, "never seen: {what}");
        tokio::time::sleep(std::time::Duration::from_millis(20)).await;
    }
}

/// Two store instances on one database stand for two processes (the CLI beside
/// a SQLite server, two servers on one PostgreSQL database): each keeps what
/// requests read in memory, and must give it up when the other writes.
async fn another_process_writes_are_seen(o: Opened) {
    let a = &o.store;
    let b = agora_store::open(o.url.as_deref(), o._dir.path(), Synchronous::Full).await.unwrap();
    let alice = a.insert_principal(&user("alice", &[]), 1).await.unwrap();
    let cal = NewCollection {
        owner_id: alice.id,
        path: "calendars/alice/".into(),
        parent_path: None,
        kind: CollectionKind::Calendar,
        components: Components(Components::EVENT),
        properties: vec![("{urn:x}p".into(), "<p xmlns=\"urn:x\">1</p>".into())],
        source: None,
        grants: Vec::new(),
    };
    a.provision(&[cal], 1).await.unwrap();
    let path = "calendars/alice/";
    let c = a.collection(path).await.unwrap().unwrap();
    let epoch = a.auth_epoch(alice.id).await.unwrap().unwrap();
    a.auth_epoch(alice.id).await.unwrap();
    assert!(a.collection("calendars/alice/x.ics/").await.unwrap().is_none());
    assert_eq!(a.collection_properties(c.id).await.unwrap().len(), 1);
    // The same again, from memory.
    assert_eq!(a.collection(path).await.unwrap().unwrap().revision, c.revision);

    // This process's own writes are seen at once.
    let object = NewObject {
        uid: Some("u1".into()),
        etag: "e1".into(),
        content_type: "text/calendar".into(),
        data: b"BEGIN:VCALENDAR".to_vec(),
        component: Some("VEVENT".into()),
        span_start: None,
        span_end: None,
        class: 0,
        schedule_tag: None,
        instances: None,
    };
    a.put_object(c.id, "one.ics", &object, &WriteCondition::Always, &agora_store::WriteRules::NONE, 2).await.unwrap();
    let after_own = a.collection(path).await.unwrap().unwrap().revision;
    assert!(after_own > c.revision, "a write of this process moves the ctag at once");

    // Another process's writes, soon.
    b.put_object(
        c.id,
        "two.ics",
        &NewObject { uid: Some("u2".into()), ..object.clone() },
        &WriteCondition::Always,
        &agora_store::WriteRules::NONE,
        3,
    )
    .await
    .unwrap();
    eventually("the other process's object write", async || {
        a.collection(path).await.unwrap().unwrap().revision > after_own
    })
    .await;
    b.set_password(alice.id, "new-hash").await.unwrap();
    assert_eq!(a.auth_epoch(alice.id).await.unwrap(), Some(epoch + 1), "credential changes count at once");
    b.patch_collection(c.id, &[PropertyChange::Remove("{urn:x}p".into())], &agora_store::WriteRules::NONE, 4)
        .await
        .unwrap();
    eventually("the other process's property change", async || a.collection_properties(c.id).await.unwrap().is_empty())
        .await;
    b.delete_collection(c.id, &agora_store::WriteRules::NONE, 5).await.unwrap();
    eventually("the other process's deletion", async || a.collection(path).await.unwrap().is_none()).await;
    b.close().await;
}

/// The free/busy lookup of many attendees: each principal once, with all its
/// addresses, whichever of them (and however many times) the list names;
/// unknown addresses find nothing.
async fn principals_by_many_addresses(o: Opened) {
    let s = &o.store;
    let alice = s.insert_principal(&user("alice", &["alice@example.org", "a@example.org"]), 1).await.unwrap();
    let bob = s.insert_principal(&user("bob", &["bob@example.org"]), 1).await.unwrap();
    s.insert_principal(&user("carol", &["carol@example.org"]), 1).await.unwrap();
    let room = NewPrincipal {
        kind: PrincipalKind::Resource,
        resource_kind: Some(ResourceKind::Room),
        password_hash: None,
        ..user("room-1", &["room1@example.org"])
    };
    let room = s.insert_principal(&room, 1).await.unwrap();
    let list = |v: &[&str]| v.iter().map(|a| a.to_string()).collect::<Vec<_>>();

    let got = s
        .principals_by_emails(&list(&[
            "room1@example.org",
            "a@example.org",
            "nobody@example.org",
            "bob@example.org",
            "alice@example.org",
            "bob@example.org",
        ]))
        .await
        .unwrap();
    assert_eq!(got, [alice.clone(), bob.clone(), room.clone()], "each once, by id, with every address");
    assert_eq!(got[0].emails, ["alice@example.org", "a@example.org"], "addresses keep their order");
    assert_eq!(got[2].resource_kind, Some(ResourceKind::Room));
    assert!(s.principals_by_emails(&list(&["nobody@example.org"])).await.unwrap().is_empty());
    assert!(s.principals_by_emails(&[]).await.unwrap().is_empty());
    // The same answer as one lookup per address.
    for a in ["alice@example.org", "a@example.org", "bob@example.org", "room1@example.org"] {
        let one = s.principal_by_email(a).await.unwrap().unwrap();
        assert_eq!(s.principals_by_emails(&list(&[a])).await.unwrap(), [one]);
    }
    // Longer than one query's list.
    let mut many: Vec<String> = (0..1200).map(|i| format!("x{i}@example.org")).collect();
    many.push("carol@example.org".into());
    many.insert(0, "a@example.org".into());
    let names: Vec<_> = s.principals_by_emails(&many).await.unwrap().into_iter().map(|p| p.name).collect();
    assert_eq!(names, ["alice", "carol"]);
}
