//! Collections, objects, properties and the change log, on SQLite and PostgreSQL.

use std::sync::Arc;

use agora_store::*;
use agora_testkit::Backend;

struct Opened {
    store: Arc<dyn Store>,
    owner: PrincipalId,
    _dir: tempfile::TempDir,
}

async fn open(backend: Backend) -> Opened {
    let dir = tempfile::tempdir().unwrap();
    let url = match backend {
        Backend::Sqlite => None,
        Backend::Postgres => Some(agora_testkit::pg_database().await),
    };
    let store = agora_store::open(url.as_deref(), dir.path(), Synchronous::Normal).await.unwrap();
    let owner = add_user(&store, "alice").await;
    store.provision(&[home(owner), calendar(owner, "work")], 1).await.unwrap();
    Opened { store, owner, _dir: dir }
}

/// A user principal without password or address.
async fn add_user(store: &Arc<dyn Store>, name: &str) -> PrincipalId {
    let mut display_name = name.to_owned();
    display_name[..1].make_ascii_uppercase();
    let new = NewPrincipal {
        kind: PrincipalKind::User,
        name: name.into(),
        display_name,
        resource_kind: None,
        emails: vec![],
        password_hash: None,
    };
    store.insert_principal(&new, 0).await.unwrap().id
}

agora_testkit::on_both_stores!(
    async open;
    provisioning_is_idempotent,
    objects_round_trip_their_bytes,
    conditional_writes,
    uid_conflicts_name_the_existing_object,
    the_condition_is_checked_before_the_uid,
    abandoned_writes_leave_nothing_behind,
    sync_changes_and_tombstones,
    collections_nest_and_delete_recursively,
    proppatch_is_all_or_nothing_per_call,
    span_lookup,
    instance_lookup,
    instance_reindexing,
    grants_and_memberships,
    schedule_tags_and_uid_lookup,
    mail_queue_claims_retries_and_fails,
    batched_reads_for_free_busy,
);

fn home(owner: PrincipalId) -> NewCollection {
    NewCollection {
        owner_id: owner,
        path: "calendars/alice/".into(),
        parent_path: None,
        kind: CollectionKind::CalendarHome,
        components: Components::default(),
        properties: vec![],
        source: None,
        grants: Vec::new(),
    }
}

fn calendar(owner: PrincipalId, name: &str) -> NewCollection {
    NewCollection {
        owner_id: owner,
        path: format!("calendars/alice/{name}/"),
        parent_path: Some("calendars/alice/".into()),
        kind: CollectionKind::Calendar,
        components: Components(Components::EVENT),
        properties: vec![("{DAV:}displayname".into(), "<D:displayname xmlns:D=\"DAV:\">Work</D:displayname>".into())],
        source: None,
        grants: Vec::new(),
    }
}

fn event(uid: &str, body: &str) -> NewObject {
    NewObject {
        uid: Some(uid.into()),
        etag: format!("etag-{body}"),
        content_type: "text/calendar".into(),
        data: body.as_bytes().to_vec(),
        component: Some("VEVENT".into()),
        span_start: Some(100),
        span_end: Some(200),
        class: 0,
        schedule_tag: None,
        instances: None,
    }
}

async fn work(o: &Opened) -> Collection {
    o.store.collection("calendars/alice/work/").await.unwrap().unwrap()
}

async fn provisioning_is_idempotent(o: Opened) {
    o.store.provision(&[home(o.owner), calendar(o.owner, "work")], 2).await.unwrap();
    let all = o.store.collections_of(o.owner).await.unwrap();
    assert_eq!(all.iter().map(|c| c.path.as_str()).collect::<Vec<_>>(), ["calendars/alice/", "calendars/alice/work/"]);
    let work = work(&o).await;
    assert_eq!(work.kind, CollectionKind::Calendar);
    assert!(work.components.allows("VEVENT") && !work.components.allows("VTODO"));
    assert_eq!(work.name(), "work");
    let props = o.store.collection_properties(work.id).await.unwrap();
    assert_eq!(props[0].0, "{DAV:}displayname");
    let err =
        o.store.provision(&[NewCollection { parent_path: Some("nope/".into()), ..calendar(o.owner, "x") }], 3).await;
    assert!(matches!(err, Err(StoreError::Conflict(Conflict::NoParent(_)))));
}

async fn objects_round_trip_their_bytes(o: Opened) {
    let c = work(&o).await;
    let bytes = "BEGIN:VCALENDAR\r\nX-ODD;X-P=\"a,b\":é\r\nEND:VCALENDAR\r\n";
    let put = o
        .store
        .put_object(
            c.id,
            "a b.ics",
            &NewObject { class: 2, ..event("u1", bytes) },
            &WriteCondition::Always,
            &agora_store::WriteRules::NONE,
            10,
        )
        .await
        .unwrap();
    assert_eq!(put.meta.class, 2);
    assert!(put.created);
    assert_eq!(put.meta.size, bytes.len() as i64);
    let got = o.store.object(c.id, "a b.ics").await.unwrap().unwrap();
    assert_eq!(got.data, bytes.as_bytes(), "bytes are served exactly as stored");
    assert_eq!(got.meta, put.meta);
    assert!(o.store.object(c.id, "missing.ics").await.unwrap().is_none());
    assert_eq!(o.store.object_meta(c.id, "a b.ics").await.unwrap().unwrap(), put.meta);
    assert!(o.store.object_meta(c.id, "missing.ics").await.unwrap().is_none());
    let again = o
        .store
        .put_object(c.id, "a b.ics", &event("u1", "v2"), &WriteCondition::Always, &agora_store::WriteRules::NONE, 11)
        .await
        .unwrap();
    assert!(!again.created);
    assert_eq!(again.meta.created_at, 10);
    assert!(again.meta.revision > put.meta.revision);
    let many = o.store.objects_named(c.id, &["a b.ics".into(), "missing.ics".into()]).await.unwrap();
    assert_eq!(many.len(), 1);
    assert_eq!(o.store.object_metas(c.id).await.unwrap().len(), 1);
    assert_eq!(o.store.usage(o.owner).await.unwrap(), 2, "only the current bytes count");
    assert_eq!(o.store.usage(9999).await.unwrap(), 0);
}

async fn conditional_writes(o: Opened) {
    let c = work(&o).await;
    let s = &o.store;
    let none = WriteCondition::IfNoneMatchAny;
    s.put_object(c.id, "e.ics", &event("u1", "v1"), &none, &agora_store::WriteRules::NONE, 1).await.unwrap();
    assert!(matches!(
        s.put_object(c.id, "e.ics", &event("u1", "v2"), &none, &agora_store::WriteRules::NONE, 2).await,
        Err(StoreError::PreconditionFailed)
    ));
    let stale = WriteCondition::IfMatch(vec!["etag-old".into()]);
    assert!(matches!(
        s.put_object(c.id, "e.ics", &event("u1", "v2"), &stale, &agora_store::WriteRules::NONE, 2).await,
        Err(StoreError::PreconditionFailed)
    ));
    let fresh = WriteCondition::IfMatch(vec!["etag-v1".into()]);
    s.put_object(c.id, "e.ics", &event("u1", "v2"), &fresh, &agora_store::WriteRules::NONE, 3).await.unwrap();
    assert_eq!(s.object(c.id, "e.ics").await.unwrap().unwrap().data, b"v2", "the failed writes changed nothing");
    let any = WriteCondition::IfMatch(vec!["*".into()]);
    assert!(matches!(
        s.put_object(c.id, "new.ics", &event("u2", "x"), &any, &agora_store::WriteRules::NONE, 4).await,
        Err(StoreError::PreconditionFailed)
    ));
    assert!(matches!(
        s.delete_object(c.id, "e.ics", &stale, &agora_store::WriteRules::NONE, 5).await,
        Err(StoreError::PreconditionFailed)
    ));
    assert!(
        s.delete_object(
            c.id,
            "e.ics",
            &WriteCondition::IfMatch(vec!["etag-v2".into()]),
            &agora_store::WriteRules::NONE,
            5
        )
        .await
        .unwrap()
    );
    assert!(!s.delete_object(c.id, "e.ics", &WriteCondition::Always, &agora_store::WriteRules::NONE, 6).await.unwrap());
}

async fn uid_conflicts_name_the_existing_object(o: Opened) {
    let c = work(&o).await;
    let s = &o.store;
    s.put_object(
        c.id,
        "first.ics",
        &event("same-uid", "a"),
        &WriteCondition::Always,
        &agora_store::WriteRules::NONE,
        1,
    )
    .await
    .unwrap();
    let err = s
        .put_object(
            c.id,
            "second.ics",
            &event("same-uid", "b"),
            &WriteCondition::Always,
            &agora_store::WriteRules::NONE,
            2,
        )
        .await;
    assert!(matches!(err, Err(StoreError::Conflict(Conflict::Uid(ref n))) if n == "first.ics"), "{err:?}");
    assert!(s.object(c.id, "second.ics").await.unwrap().is_none());
    // A deleted object never blocks re-creating its UID.
    s.delete_object(c.id, "first.ics", &WriteCondition::Always, &agora_store::WriteRules::NONE, 3).await.unwrap();
    s.put_object(
        c.id,
        "second.ics",
        &event("same-uid", "b"),
        &WriteCondition::Always,
        &agora_store::WriteRules::NONE,
        4,
    )
    .await
    .unwrap();
    // The same UID in another collection is fine.
    s.create_collection(&calendar(o.owner, "home"), &agora_store::WriteRules::NONE, 5).await.unwrap();
    let home = s.collection("calendars/alice/home/").await.unwrap().unwrap();
    s.put_object(home.id, "x.ics", &event("same-uid", "c"), &WriteCondition::Always, &agora_store::WriteRules::NONE, 6)
        .await
        .unwrap();
}

/// Both checks run in one statement: the condition still decides first.
async fn the_condition_is_checked_before_the_uid(o: Opened) {
    let c = work(&o).await;
    let s = &o.store;
    s.put_object(c.id, "a.ics", &event("uid-a", "a"), &WriteCondition::Always, &agora_store::WriteRules::NONE, 1)
        .await
        .unwrap();
    s.put_object(c.id, "b.ics", &event("uid-b", "b"), &WriteCondition::Always, &agora_store::WriteRules::NONE, 2)
        .await
        .unwrap();
    let none = WriteCondition::IfNoneMatchAny;
    let both = s.put_object(c.id, "b.ics", &event("uid-a", "x"), &none, &agora_store::WriteRules::NONE, 3).await;
    assert!(matches!(both, Err(StoreError::PreconditionFailed)), "{both:?}");
    let fresh = WriteCondition::IfMatch(vec!["etag-b".into()]);
    let uid = s.put_object(c.id, "b.ics", &event("uid-a", "x"), &fresh, &agora_store::WriteRules::NONE, 4).await;
    assert!(matches!(uid, Err(StoreError::Conflict(Conflict::Uid(ref n))) if n == "a.ics"), "{uid:?}");
    // Rewriting an object under its own UID is no conflict.
    s.put_object(c.id, "b.ics", &event("uid-b", "b2"), &fresh, &agora_store::WriteRules::NONE, 5).await.unwrap();
}

/// A write whose caller goes away at any point (a client that hung up) is
/// committed whole or not at all, and the next write proceeds.
async fn abandoned_writes_leave_nothing_behind(o: Opened) {
    let c = work(&o).await;
    let s = &o.store;
    for i in 0..40u64 {
        let name = format!("gone-{i}.ics");
        let object = event(&format!("u{i}"), "x");
        let rules = agora_store::WriteRules::NONE;
        let write = s.put_object(c.id, &name, &object, &WriteCondition::Always, &rules, 1);
        let _ = tokio::time::timeout(std::time::Duration::from_micros(25 * i), write).await;
        // The next write to the collection waits for the abandoned one to end
        // (its COMMIT may still be on its way to PostgreSQL when it is dropped).
        s.put_object(
            c.id,
            "after.ics",
            &event("after", "y"),
            &WriteCondition::Always,
            &agora_store::WriteRules::NONE,
            2,
        )
        .await
        .unwrap();
        let stored = s.object(c.id, &name).await.unwrap();
        let (changes, _) = s.changes_since(c.id, 0, None).await.unwrap();
        assert_eq!(stored.is_some(), changes.iter().any(|ch| ch.name == name), "{name}: object and change row agree");
    }
    s.put_object(
        c.id,
        "last.ics",
        &event("last", "z"),
        &WriteCondition::IfNoneMatchAny,
        &agora_store::WriteRules::NONE,
        3,
    )
    .await
    .unwrap();
    assert_eq!(s.object(c.id, "last.ics").await.unwrap().unwrap().data, b"z");
}

async fn sync_changes_and_tombstones(o: Opened) {
    let c = work(&o).await;
    let s = &o.store;
    let (changes, start) = s.changes_since(c.id, 0, None).await.unwrap();
    assert!(changes.is_empty());
    for name in ["a.ics", "b.ics", "c.ics"] {
        s.put_object(c.id, name, &event(name, name), &WriteCondition::Always, &agora_store::WriteRules::NONE, 1)
            .await
            .unwrap();
    }
    let (_, after_three) = s.changes_since(c.id, 0, None).await.unwrap();
    assert_eq!(after_three, start + 3);
    s.put_object(c.id, "a.ics", &event("a.ics", "a2"), &WriteCondition::Always, &agora_store::WriteRules::NONE, 2)
        .await
        .unwrap();
    s.delete_object(c.id, "b.ics", &WriteCondition::Always, &agora_store::WriteRules::NONE, 3).await.unwrap();
    let (changes, now) = s.changes_since(c.id, after_three, None).await.unwrap();
    assert_eq!(now, after_three + 2);
    let summary: Vec<_> = changes.iter().map(|c| (c.name.as_str(), c.deleted, c.object.is_some())).collect();
    assert_eq!(summary, [("a.ics", false, true), ("b.ics", true, false)]);
    assert_eq!(changes[0].object.as_ref().unwrap().etag, "etag-a2");
    // Everything from the start: one entry per member, the deleted one as a tombstone.
    let (all, _) = s.changes_since(c.id, 0, None).await.unwrap();
    assert_eq!(all.iter().map(|c| c.name.as_str()).collect::<Vec<_>>(), ["c.ics", "a.ics", "b.ics"]);
    let (limited, _) = s.changes_since(c.id, 0, Some(2)).await.unwrap();
    assert_eq!(limited.len(), 2);
    let (rest, _) = s.changes_since(c.id, limited[1].revision, None).await.unwrap();
    assert_eq!(rest.len(), 1, "resuming after the last change seen returns the rest");
}

async fn collections_nest_and_delete_recursively(o: Opened) {
    let s = &o.store;
    let plain = |path: &str, parent: &str| NewCollection {
        owner_id: o.owner,
        path: path.into(),
        parent_path: Some(parent.into()),
        kind: CollectionKind::Plain,
        components: Components::default(),
        properties: vec![],
        source: None,
        grants: Vec::new(),
    };
    let home = s.collection("calendars/alice/").await.unwrap().unwrap();
    let top = s
        .create_collection(&plain("calendars/alice/dir/", "calendars/alice/"), &agora_store::WriteRules::NONE, 1)
        .await
        .unwrap();
    let sub = s
        .create_collection(
            &plain("calendars/alice/dir/sub/", "calendars/alice/dir/"),
            &agora_store::WriteRules::NONE,
            2,
        )
        .await
        .unwrap();
    assert_eq!(sub.parent_id, Some(top.id));
    let err = s
        .create_collection(&plain("calendars/alice/dir/", "calendars/alice/"), &agora_store::WriteRules::NONE, 3)
        .await;
    assert!(matches!(err, Err(StoreError::Conflict(Conflict::Path(_)))));
    let err = s
        .create_collection(&plain("calendars/alice/x/y/", "calendars/alice/x/"), &agora_store::WriteRules::NONE, 3)
        .await;
    assert!(matches!(err, Err(StoreError::Conflict(Conflict::NoParent(_)))));
    s.put_object(
        sub.id,
        "file.txt",
        &NewObject { uid: None, ..event("", "f") },
        &WriteCondition::Always,
        &agora_store::WriteRules::NONE,
        4,
    )
    .await
    .unwrap();
    let (home_changes, _) = s.changes_since(home.id, 0, None).await.unwrap();
    assert!(home_changes.iter().any(|c| c.name == "dir/" && !c.deleted));
    assert!(s.delete_collection(top.id, &agora_store::WriteRules::NONE, 5).await.unwrap());
    assert!(s.collection("calendars/alice/dir/sub/").await.unwrap().is_none());
    assert!(s.object(sub.id, "file.txt").await.unwrap().is_none());
    let (home_changes, _) = s.changes_since(home.id, 0, None).await.unwrap();
    assert!(home_changes.iter().any(|c| c.name == "dir/" && c.deleted));
    assert_eq!(s.subcollections(home.id).await.unwrap().len(), 1, "only work/ is left");
}

async fn proppatch_is_all_or_nothing_per_call(o: Opened) {
    let c = work(&o).await;
    let s = &o.store;
    let color =
        "<x:calendar-color xmlns:x=\"http://apple.com/ns/ical/\" symbolic-color=\"red\">#FF0000FF</x:calendar-color>";
    s.patch_collection(
        c.id,
        &[
            PropertyChange::Set("{http://apple.com/ns/ical/}calendar-color".into(), color.into()),
            PropertyChange::Remove("{DAV:}displayname".into()),
        ],
        &agora_store::WriteRules::NONE,
        9,
    )
    .await
    .unwrap();
    let props = s.collection_properties(c.id).await.unwrap();
    assert_eq!(props, [("{http://apple.com/ns/ical/}calendar-color".to_string(), color.to_string())]);
    let put = s
        .put_object(c.id, "o.ics", &event("u", "x"), &WriteCondition::Always, &agora_store::WriteRules::NONE, 1)
        .await
        .unwrap();
    s.patch_object(
        put.meta.id,
        &[PropertyChange::Set("{urn:x}p".into(), "<p xmlns=\"urn:x\">1</p>".into())],
        &agora_store::WriteRules::NONE,
        5,
    )
    .await
    .unwrap();
    assert_eq!(s.object_properties(put.meta.id).await.unwrap().len(), 1);
}

/// The instance-piece lookup: exact hits decided, inexact hits and objects not
/// indexed for the range left to test, pieces replaced by a PUT, removed with
/// their object and copied with their collection.
async fn instance_lookup(o: Opened) {
    let c = work(&o).await;
    let s = &o.store;
    let week = MAX_PIECE_SECONDS;
    let indexed = |uid: &str, pieces: Vec<(i64, i64)>, exact: bool, from: i64, to: i64| NewObject {
        span_start: pieces.first().map(|p| p.0),
        span_end: pieces.last().map(|p| p.1),
        instances: Some(InstancePieces { pieces, exact, from, to }),
        ..event(uid, uid)
    };
    let all = (i64::MIN, i64::MAX);
    let put = |name: &'static str, object: NewObject| async move {
        s.put_object(c.id, name, &object, &WriteCondition::Always, &agora_store::WriteRules::NONE, 1).await.unwrap();
    };
    // Weekly 1-hour instances at 0, week, 2 weeks.
    put(
        "weekly.ics",
        indexed("weekly", vec![(0, 3600), (week, week + 3600), (2 * week, 2 * week + 3600)], true, all.0, all.1),
    )
    .await;
    // A long instance cut into pieces.
    put("long.ics", indexed("long", vec![(10 * week, 11 * week), (11 * week, 11 * week + 10)], true, all.0, all.1))
        .await;
    // A floating one: a hit is only a candidate.
    put("floating.ics", indexed("floating", vec![(week + 3700, week + 3800)], false, all.0, all.1)).await;
    // Endless, indexed from 0 to 20 weeks only.
    put(
        "endless.ics",
        NewObject { span_end: None, ..indexed("endless", vec![(5 * week, 5 * week + 60)], true, 0, 20 * week) },
    )
    .await;
    // Not indexed by instances (a task, or written before the index): its span decides.
    put("task.ics", NewObject { span_start: Some(0), span_end: Some(4 * week), ..event("task", "task") }).await;

    let names = |v: &[Object]| v.iter().map(|o| o.meta.name.clone()).collect::<Vec<_>>();
    let found = s.objects_in_time(c.id, Some(week), Some(week + 50), true).await.unwrap();
    assert_eq!(names(&found.matched), ["weekly.ics"]);
    assert_eq!(names(&found.to_test), ["task.ics"]);
    assert_eq!(found.matched[0].data, b"weekly");
    let found = s.objects_in_time(c.id, Some(week), Some(week + 4000), false).await.unwrap();
    assert_eq!(names(&found.matched), ["weekly.ics"]);
    assert!(found.matched[0].data.is_empty(), "metadata only");
    assert_eq!(found.to_test.iter().map(|o| o.data.as_slice()).collect::<Vec<_>>(), [b"floating".as_slice(), b"task"]);
    // The end is exclusive, the start inclusive.
    let found = s.objects_in_time(c.id, Some(week + 3600), Some(week + 4000), true).await.unwrap();
    assert_eq!(names(&found.matched), Vec::<String>::new());
    assert_eq!(names(&found.to_test), ["floating.ics", "task.ics"]);
    // A piece starting up to a week before the range is read.
    let found = s.objects_in_time(c.id, Some(11 * week - 5), Some(11 * week + 5), true).await.unwrap();
    assert_eq!(names(&found.matched), ["long.ics"]);
    let found = s.objects_in_time(c.id, Some(5 * week), Some(5 * week + 1), true).await.unwrap();
    assert_eq!(names(&found.matched), ["endless.ics"]);
    assert!(found.to_test.is_empty());
    // Outside its window the endless object is a candidate by its span.
    let found = s.objects_in_time(c.id, Some(30 * week), None, true).await.unwrap();
    assert!(found.matched.is_empty());
    assert_eq!(names(&found.to_test), ["endless.ics"]);
    let found = s.objects_in_time(c.id, None, None, true).await.unwrap();
    assert_eq!(names(&found.matched), ["long.ics", "weekly.ics"]);
    assert_eq!(names(&found.to_test), ["endless.ics", "floating.ics", "task.ics"]);

    // A PUT replaces the pieces; a DELETE removes them.
    put("weekly.ics", indexed("weekly", vec![(40 * week, 40 * week + 10)], true, all.0, all.1)).await;
    assert!(s.objects_in_time(c.id, Some(0), Some(3 * week), true).await.unwrap().matched.is_empty());
    assert_eq!(
        names(&s.objects_in_time(c.id, Some(40 * week), Some(41 * week), true).await.unwrap().matched),
        ["weekly.ics"]
    );
    // COPY carries them.
    s.copy_collection(
        c.id,
        "calendars/alice/copy/",
        c.parent_id.unwrap(),
        false,
        false,
        &Default::default(),
        &agora_store::WriteRules::NONE,
        2,
    )
    .await
    .unwrap();
    let copy = s.collection("calendars/alice/copy/").await.unwrap().unwrap();
    assert_eq!(
        names(&s.objects_in_time(copy.id, Some(40 * week), Some(41 * week), true).await.unwrap().matched),
        ["weekly.ics"]
    );
    assert!(
        s.delete_object(c.id, "weekly.ics", &WriteCondition::Always, &agora_store::WriteRules::NONE, 3).await.unwrap()
    );
    assert!(s.objects_in_time(c.id, Some(40 * week), Some(41 * week), true).await.unwrap().matched.is_empty());
    assert_eq!(
        names(&s.objects_in_time(copy.id, Some(40 * week), Some(41 * week), true).await.unwrap().matched),
        ["weekly.ics"]
    );
}

/// Windows running out and events never indexed are found for re-indexing;
/// new pieces are set only over the bytes they were computed from.
async fn instance_reindexing(o: Opened) {
    let c = work(&o).await;
    let s = &o.store;
    let windowed = InstancePieces { pieces: vec![(50, 60)], exact: true, from: 0, to: 100 };
    let object = NewObject { instances: Some(windowed), ..event("endless", "v1") };
    s.put_object(c.id, "endless.ics", &object, &WriteCondition::Always, &agora_store::WriteRules::NONE, 1)
        .await
        .unwrap();
    let whole = InstancePieces { pieces: vec![(5, 6)], exact: true, from: i64::MIN, to: i64::MAX };
    s.put_object(
        c.id,
        "once.ics",
        &NewObject { instances: Some(whole), ..event("once", "v1") },
        &WriteCondition::Always,
        &agora_store::WriteRules::NONE,
        1,
    )
    .await
    .unwrap();
    assert!(s.objects_to_index(100, 10).await.unwrap().is_empty(), "the window still reaches the horizon");
    let due = s.objects_to_index(101, 10).await.unwrap();
    assert_eq!(due.iter().map(|o| o.meta.name.as_str()).collect::<Vec<_>>(), ["endless.ics"]);
    let longer = InstancePieces { pieces: vec![(50, 60), (150, 160)], exact: true, from: 0, to: 1000 };
    assert!(!s.set_instances(due[0].meta.id, "another-etag", &longer).await.unwrap());
    assert!(s.set_instances(due[0].meta.id, &due[0].meta.etag, &longer).await.unwrap());
    assert!(s.objects_to_index(101, 10).await.unwrap().is_empty());
    let found = s.objects_in_time(c.id, Some(150), Some(151), true).await.unwrap();
    assert_eq!(found.matched.len(), 1);
    assert!(found.to_test.is_empty());
    let revision = s.collection(&c.path).await.unwrap().unwrap().revision;
    assert_eq!(revision, c.revision + 2, "re-indexing is not a change of the calendar");
}

async fn span_lookup(o: Opened) {
    let c = work(&o).await;
    let s = &o.store;
    let with_span = |uid: &str, start: Option<i64>, end: Option<i64>| NewObject {
        span_start: start,
        span_end: end,
        ..event(uid, uid)
    };
    s.put_object(
        c.id,
        "early.ics",
        &with_span("early", Some(0), Some(10)),
        &WriteCondition::Always,
        &agora_store::WriteRules::NONE,
        1,
    )
    .await
    .unwrap();
    s.put_object(
        c.id,
        "late.ics",
        &with_span("late", Some(100), Some(110)),
        &WriteCondition::Always,
        &agora_store::WriteRules::NONE,
        1,
    )
    .await
    .unwrap();
    s.put_object(
        c.id,
        "endless.ics",
        &with_span("endless", Some(50), None),
        &WriteCondition::Always,
        &agora_store::WriteRules::NONE,
        1,
    )
    .await
    .unwrap();
    s.put_object(
        c.id,
        "undated.ics",
        &with_span("undated", None, None),
        &WriteCondition::Always,
        &agora_store::WriteRules::NONE,
        1,
    )
    .await
    .unwrap();
    let names = |v: Vec<Object>| v.into_iter().map(|o| o.meta.name).collect::<Vec<_>>();
    assert_eq!(names(s.objects_in_span(c.id, Some(20), Some(60)).await.unwrap()), ["endless.ics", "undated.ics"]);
    assert_eq!(names(s.objects_in_span(c.id, Some(5), Some(6)).await.unwrap()), ["early.ics", "undated.ics"]);
    assert_eq!(s.objects_in_span(c.id, None, None).await.unwrap().len(), 4);
    // Closed on both sides: touching spans are candidates (VTODO rules are end-inclusive).
    assert_eq!(
        names(s.objects_in_span(c.id, Some(10), Some(50)).await.unwrap()),
        ["early.ics", "endless.ics", "undated.ics"]
    );
    assert_eq!(names(s.objects_in_span(c.id, Some(11), Some(49)).await.unwrap()), ["undated.ics"]);
}

async fn grants_and_memberships(o: Opened) {
    let s = &o.store;
    let c = work(&o).await;
    let group = |name: &str| NewPrincipal {
        kind: PrincipalKind::Group,
        name: name.into(),
        display_name: name.into(),
        resource_kind: None,
        emails: vec![],
        password_hash: None,
    };
    let staff = s.insert_principal(&group("staff"), 1).await.unwrap();
    let everyone = s.insert_principal(&group("everyone"), 1).await.unwrap();
    s.add_member(staff.id, o.owner).await.unwrap();
    s.add_member(everyone.id, staff.id).await.unwrap();
    let mut groups = s.memberships(o.owner).await.unwrap();
    groups.sort();
    assert_eq!(groups, [staff.id, everyone.id], "memberships are transitive");
    assert_eq!(s.groups_of(o.owner).await.unwrap().into_iter().map(|g| g.name).collect::<Vec<_>>(), ["staff"]);

    s.replace_grants(c.id, &[(Grantee::Principal(staff.id), 3), (Grantee::Authenticated, 1)]).await.unwrap();
    let mut got = s.grants(&[c.id]).await.unwrap();
    got.sort_by_key(|g| g.privileges);
    assert_eq!(got[0].grantee, Grantee::Authenticated);
    assert_eq!((got[1].grantee, got[1].privileges), (Grantee::Principal(staff.id), 3));
    s.replace_grants(c.id, &[(Grantee::All, 1)]).await.unwrap();
    assert_eq!(s.grants(&[c.id]).await.unwrap().len(), 1, "replaced, not added");
    s.delete_principal(everyone.id).await.unwrap();
    assert_eq!(s.memberships(o.owner).await.unwrap(), [staff.id]);
    assert!(s.grants(&[]).await.unwrap().is_empty());
}

async fn schedule_tags_and_uid_lookup(o: Opened) {
    let c = work(&o).await;
    let tagged = NewObject { schedule_tag: Some("t1".into()), ..event("meet", "v1") };
    o.store
        .put_object(c.id, "m.ics", &tagged, &WriteCondition::Always, &agora_store::WriteRules::NONE, 10)
        .await
        .unwrap();
    assert_eq!(o.store.object_meta(c.id, "m.ics").await.unwrap().unwrap().schedule_tag.as_deref(), Some("t1"));
    // RFC 6638 §8.3: a write with a stale Schedule-Tag is refused and changes nothing.
    let stale = o
        .store
        .put_object(
            c.id,
            "m.ics",
            &event("meet", "v2"),
            &WriteCondition::IfScheduleTagMatch("t0".into()),
            &agora_store::WriteRules::NONE,
            11,
        )
        .await;
    assert!(matches!(stale, Err(StoreError::PreconditionFailed)), "{stale:?}");
    let absent = o
        .store
        .put_object(
            c.id,
            "new.ics",
            &event("n", "x"),
            &WriteCondition::IfScheduleTagMatch("t1".into()),
            &agora_store::WriteRules::NONE,
            11,
        )
        .await;
    assert!(matches!(absent, Err(StoreError::PreconditionFailed)), "the object must exist");
    let next = NewObject { schedule_tag: Some("t2".into()), ..event("meet", "v3") };
    o.store
        .put_object(
            c.id,
            "m.ics",
            &next,
            &WriteCondition::IfScheduleTagMatch("t1".into()),
            &agora_store::WriteRules::NONE,
            12,
        )
        .await
        .unwrap();
    assert!(matches!(
        o.store
            .delete_object(
                c.id,
                "m.ics",
                &WriteCondition::IfScheduleTagMatch("t1".into()),
                &agora_store::WriteRules::NONE,
                13
            )
            .await,
        Err(StoreError::PreconditionFailed)
    ));
    let found = o.store.objects_by_uid(&[c.id], "meet").await.unwrap();
    assert_eq!(found.len(), 1);
    assert_eq!(found[0].data, b"v3");
    assert_eq!(found[0].meta.schedule_tag.as_deref(), Some("t2"));
    assert!(o.store.objects_by_uid(&[c.id], "other").await.unwrap().is_empty());
    assert!(o.store.objects_by_uid(&[], "meet").await.unwrap().is_empty());
    assert!(
        o.store
            .delete_object(
                c.id,
                "m.ics",
                &WriteCondition::IfScheduleTagMatch("t2".into()),
                &agora_store::WriteRules::NONE,
                14
            )
            .await
            .unwrap()
    );
}

async fn mail_queue_claims_retries_and_fails(o: Opened) {
    let mail = |to: &str| NewMail {
        envelope_from: "alice@example.org".into(),
        recipient: to.into(),
        message: b"Subject: x\r\n\r\nbody".to_vec(),
        object_path: Some("calendars/alice/work/m.ics".into()),
        attendee: Some(format!("mailto:{to}")),
    };
    let a = o.store.enqueue_mail(&mail("a@ext.example"), 100).await.unwrap();
    let b = o.store.enqueue_mail(&mail("b@ext.example"), 101).await.unwrap();
    assert!(o.store.claim_mail(99, 60, 10).await.unwrap().is_empty(), "nothing is due before it was queued");
    let claimed = o.store.claim_mail(200, 60, 10).await.unwrap();
    assert_eq!(claimed.iter().map(|m| m.id).collect::<Vec<_>>(), [a, b]);
    assert_eq!(claimed[0].mail, mail("a@ext.example"));
    assert!(o.store.claim_mail(200, 60, 10).await.unwrap().is_empty(), "a claim is leased, not handed out twice");
    // A stopping worker hands back what it did not send: due again at once.
    o.store.release_mail(&[b], 201).await.unwrap();
    let back = o.store.claim_mail(201, 60, 10).await.unwrap();
    assert_eq!((back.len(), back[0].id, back[0].attempts), (1, b, 0), "released unsent, no attempt counted");
    o.store.mail_attempted(a, MailStatus::Sent, 200, None).await.unwrap();
    o.store.mail_attempted(b, MailStatus::Queued, 500, Some("451 try later")).await.unwrap();
    assert!(o.store.claim_mail(400, 60, 10).await.unwrap().is_empty(), "the retry waits for its backoff");
    let again = o.store.claim_mail(500, 60, 10).await.unwrap();
    assert_eq!((again.len(), again[0].attempts, again[0].last_error.as_deref()), (1, 1, Some("451 try later")));
    o.store.mail_attempted(b, MailStatus::Failed, 500, Some("550 no such user")).await.unwrap();
    assert!(o.store.claim_mail(10_000, 60, 10).await.unwrap().is_empty(), "sent and failed messages are done");
    let queue = o.store.mail_queue(10).await.unwrap();
    assert_eq!(
        queue.iter().map(|m| (m.id, m.status)).collect::<Vec<_>>(),
        [(b, MailStatus::Failed), (a, MailStatus::Sent)]
    );
    assert_eq!(queue[0].attempts, 2);
}

/// The reads free/busy makes for many attendees at once answer as the
/// per-collection ones do.
async fn batched_reads_for_free_busy(o: Opened) {
    let s = &o.store;
    let bob = add_user(s, "bob").await;
    let bob_home = NewCollection { owner_id: bob, path: "calendars/bob/".into(), ..home(bob) };
    let mut bob_cal = NewCollection {
        owner_id: bob,
        path: "calendars/bob/main/".into(),
        parent_path: Some("calendars/bob/".into()),
        ..calendar(bob, "main")
    };
    bob_cal.properties.push((
        "{urn:ietf:params:xml:ns:caldav}schedule-calendar-transp".into(),
        "<C:schedule-calendar-transp xmlns:C=\"urn:ietf:params:xml:ns:caldav\"><C:transparent/></C:schedule-calendar-transp>"
            .into(),
    ));
    s.provision(&[bob_home, bob_cal], 1).await.unwrap();
    let work = work(&o).await;
    let main = s.collection("calendars/bob/main/").await.unwrap().unwrap();

    let paths = |v: Vec<Collection>| v.into_iter().map(|c| (c.owner_id, c.path)).collect::<Vec<_>>();
    assert_eq!(
        paths(s.collections_of_owners(&[bob, o.owner, 999]).await.unwrap()),
        [
            (o.owner, "calendars/alice/".to_string()),
            (o.owner, "calendars/alice/work/".to_string()),
            (bob, "calendars/bob/".to_string()),
            (bob, "calendars/bob/main/".to_string()),
        ]
    );
    assert_eq!(paths(s.collections_of_owners(&[bob]).await.unwrap()), paths(s.collections_of(bob).await.unwrap()));
    assert!(s.collections_of_owners(&[]).await.unwrap().is_empty());

    let transp = "{urn:ietf:params:xml:ns:caldav}schedule-calendar-transp";
    let props = s.collection_properties_named(&[work.id, main.id], &[transp, "{DAV:}displayname"]).await.unwrap();
    let mut expected = vec![
        (work.id, "{DAV:}displayname".to_string(), s.collection_properties(work.id).await.unwrap()[0].1.clone()),
        (main.id, "{DAV:}displayname".to_string(), "<D:displayname xmlns:D=\"DAV:\">Work</D:displayname>".to_string()),
        (main.id, transp.to_string(), s.collection_properties(main.id).await.unwrap()[1].1.clone()),
    ];
    expected.sort();
    assert_eq!(props, expected);
    let only = s.collection_properties_named(&[work.id, main.id], &[transp]).await.unwrap();
    assert_eq!(only.iter().map(|p| p.0).collect::<Vec<_>>(), [main.id]);
    assert!(s.collection_properties_named(&[], &[transp]).await.unwrap().is_empty());

    let with_span = |uid: &str, start: Option<i64>, end: Option<i64>| NewObject {
        span_start: start,
        span_end: end,
        ..event(uid, uid)
    };
    for c in [work.id, main.id] {
        s.put_object(
            c,
            "early.ics",
            &with_span("early", Some(0), Some(10)),
            &WriteCondition::Always,
            &agora_store::WriteRules::NONE,
            1,
        )
        .await
        .unwrap();
        s.put_object(
            c,
            "late.ics",
            &with_span("late", Some(100), Some(110)),
            &WriteCondition::Always,
            &agora_store::WriteRules::NONE,
            1,
        )
        .await
        .unwrap();
        s.put_object(
            c,
            "endless.ics",
            &with_span("endless", Some(50), None),
            &WriteCondition::Always,
            &agora_store::WriteRules::NONE,
            1,
        )
        .await
        .unwrap();
        s.put_object(
            c,
            "undated.ics",
            &with_span("undated", None, None),
            &WriteCondition::Always,
            &agora_store::WriteRules::NONE,
            1,
        )
        .await
        .unwrap();
    }
    let key = |v: Vec<Object>| v.into_iter().map(|o| (o.meta.collection_id, o.meta.name)).collect::<Vec<_>>();
    for (start, end) in
        [(Some(20), Some(60)), (Some(5), Some(6)), (None, None), (Some(10), Some(50)), (Some(11), Some(49))]
    {
        let mut one_by_one = key(s.objects_in_span(work.id, start, end).await.unwrap());
        one_by_one.extend(key(s.objects_in_span(main.id, start, end).await.unwrap()));
        one_by_one.sort();
        let both = key(s.objects_in_span_of(&[main.id, work.id], start, end).await.unwrap());
        assert_eq!(both, one_by_one, "{start:?}..{end:?}");
    }
    let both = s.objects_in_span_of(&[work.id, main.id], Some(5), Some(6)).await.unwrap();
    assert_eq!(both[0].data, b"early", "with their bytes");
    assert!(s.objects_in_span_of(&[], None, None).await.unwrap().is_empty());
}
