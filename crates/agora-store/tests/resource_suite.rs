//! Collections, objects, properties, the change log, grants and group
//! memberships, on SQLite and PostgreSQL.

mod common;

use agora_store::*;
use common::{Opened, calendar, event, home, open, work};

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
    grants_and_memberships,
    feed_status_keeps_the_last_fetch,
);

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

async fn feed_status_keeps_the_last_fetch(o: Opened) {
    let s = &o.store;
    let new = NewCollection { source: Some("https://feeds.example/a.ics".into()), ..calendar(o.owner, "feed") };
    let feed = s.create_collection(&new, &WriteRules::NONE, 1).await.unwrap();
    assert_eq!(s.feed_status(feed.id).await.unwrap(), None, "never fetched");
    s.set_feed_status(feed.id, 10, Some("HTTP status 500")).await.unwrap();
    assert_eq!(s.feed_status(feed.id).await.unwrap(), Some((10, Some("HTTP status 500".into()))));
    s.set_feed_status(feed.id, 20, None).await.unwrap();
    assert_eq!(s.feed_status(feed.id).await.unwrap(), Some((20, None)), "the last fetch only");
    assert!(s.delete_collection(feed.id, &WriteRules::NONE, 30).await.unwrap());
    assert_eq!(s.feed_status(feed.id).await.unwrap(), None, "gone with its calendar");
    // A fetch ending after its calendar was deleted records nothing.
    s.set_feed_status(feed.id, 40, Some("late")).await.unwrap();
    assert_eq!(s.feed_status(feed.id).await.unwrap(), None);
}
