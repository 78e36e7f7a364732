//! The records (issue 17) on SQLite and PostgreSQL: deletions fill the trash in
//! their own transaction, a restore brings back bytes, dead properties and the
//! change log, purges honour legal holds, and the audit log gets one row per
//! write, in the write's transaction, and refuses to be altered.

use std::sync::Arc;

use agora_store::*;
use agora_testkit::Backend;
use sqlx::Connection;

struct Opened {
    store: Arc<dyn Store>,
    owner: PrincipalId,
    place: agora_testkit::StorePlace,
}

async fn open(backend: Backend) -> Opened {
    let place = agora_testkit::store_place(backend).await;
    let store = agora_store::open(place.url.as_deref(), place.dir.path(), Synchronous::Normal).await.unwrap();
    let new = NewPrincipal {
        kind: PrincipalKind::User,
        name: "alice".into(),
        display_name: "Alice".into(),
        resource_kind: None,
        emails: vec![],
        password_hash: None,
    };
    let owner = store.insert_principal(&new, 0).await.unwrap().id;
    let coll = |path: &str, parent: Option<&str>, kind| NewCollection {
        owner_id: owner,
        path: path.into(),
        parent_path: parent.map(str::to_owned),
        kind,
        components: Components::default(),
        properties: vec![],
        source: None,
        grants: Vec::new(),
    };
    store
        .provision(
            &[
                coll("calendars/alice/", None, CollectionKind::CalendarHome),
                coll("calendars/alice/work/", Some("calendars/alice/"), CollectionKind::Plain),
            ],
            1,
        )
        .await
        .unwrap();
    Opened { store, owner, place }
}

agora_testkit::on_both_stores!(
    async open;
    a_deleted_object_waits_in_the_trash_and_comes_back,
    a_deleted_collection_comes_back_whole,
    purges_honour_age_and_holds,
    every_write_leaves_one_audit_row_in_its_transaction,
    the_audit_log_cannot_be_altered,
);

fn file(uid: &str, body: &str) -> NewObject {
    NewObject {
        uid: Some(uid.into()),
        etag: format!("etag-{body}"),
        content_type: "text/plain".into(),
        data: body.as_bytes().to_vec(),
        component: None,
        span_start: None,
        span_end: None,
        class: 0,
        schedule_tag: None,
        instances: None,
    }
}

fn rules(owner: PrincipalId, target: &str) -> WriteRules {
    WriteRules {
        principal: Some(owner),
        trash: true,
        audit: Some(AuditContext {
            actor_id: Some(owner),
            actor: "alice".into(),
            target: target.into(),
            address: Some("192.0.2.7".into()),
            client: Some("Test/1.0".into()),
        }),
        ..WriteRules::NONE
    }
}

async fn a_deleted_object_waits_in_the_trash_and_comes_back(o: Opened) {
    let work = o.store.collection("calendars/alice/work/").await.unwrap().unwrap();
    let always = WriteCondition::Always;
    let r = rules(o.owner, "calendars/alice/work/a.txt");
    o.store.put_object(work.id, "a.txt", &file("u-a", "hello"), &always, &r, 2).await.unwrap();
    o.store
        .patch_object(
            o.store.object_meta(work.id, "a.txt").await.unwrap().unwrap().id,
            &[PropertyChange::Set("{urn:x}note".into(), "<x:note xmlns:x=\"urn:x\">kept</x:note>".into())],
            &r,
            3,
        )
        .await
        .unwrap();
    // A server write (no rules) is not kept.
    o.store.put_object(work.id, "srv.txt", &file("u-s", "server"), &always, &WriteRules::NONE, 3).await.unwrap();
    o.store.delete_object(work.id, "srv.txt", &always, &WriteRules::NONE, 4).await.unwrap();
    // A refused delete keeps nothing either.
    let refused = o.store.delete_object(work.id, "a.txt", &WriteCondition::IfMatch(vec!["nope".into()]), &r, 4).await;
    assert!(matches!(refused, Err(StoreError::PreconditionFailed)), "{refused:?}");
    assert!(o.store.trash_of(o.owner).await.unwrap().is_empty());

    assert!(o.store.delete_object(work.id, "a.txt", &always, &r, 5).await.unwrap());
    let (_, deleted_at) = o.store.changes_since(work.id, 0, None).await.unwrap();
    let trash = o.store.trash_of(o.owner).await.unwrap();
    assert_eq!(trash.len(), 1, "{trash:?}");
    let entry = &trash[0];
    assert_eq!(
        (entry.path.as_str(), entry.is_collection, entry.size, entry.deleted_at),
        ("calendars/alice/work/a.txt", false, 5, 5)
    );
    assert_eq!(entry.deleted_by, Some(o.owner));
    let content = o.store.trash_content(entry.id).await.unwrap().unwrap();
    assert_eq!(content.objects.len(), 1);
    assert_eq!(content.objects[0].data, b"hello");
    assert_eq!(
        content.objects[0].properties,
        vec![("{urn:x}note".to_string(), "<x:note xmlns:x=\"urn:x\">kept</x:note>".to_string())]
    );

    // Restored: the same bytes and ETag, a new change row after the tombstone.
    let back = o
        .store
        .restore_object(entry.id, work.id, "a.txt", &file("u-a", "hello"), &content.objects[0].properties, &r, 6)
        .await
        .unwrap();
    assert!(back.created);
    assert_eq!(back.meta.etag, "etag-hello");
    let (changes, revision) = o.store.changes_since(work.id, deleted_at, None).await.unwrap();
    assert!(revision > deleted_at);
    assert!(changes.iter().any(|c| c.name == "a.txt" && !c.deleted), "{changes:?}");
    assert_eq!(o.store.object_properties(back.meta.id).await.unwrap().len(), 1);
    assert!(o.store.trash_of(o.owner).await.unwrap().is_empty(), "the entry leaves the trash");
    // Restoring twice is refused.
    let again = o.store.restore_object(entry.id, work.id, "b.txt", &file("u-b", "x"), &[], &r, 7).await;
    assert!(matches!(again, Err(StoreError::PreconditionFailed)), "{again:?}");

    // A name taken meanwhile: refused, the entry stays.
    o.store.delete_object(work.id, "a.txt", &always, &r, 8).await.unwrap();
    o.store.put_object(work.id, "a.txt", &file("u-new", "new"), &always, &r, 9).await.unwrap();
    let id = o.store.trash_of(o.owner).await.unwrap()[0].id;
    let taken = o.store.restore_object(id, work.id, "a.txt", &file("u-a", "hello"), &[], &r, 10).await;
    assert!(matches!(taken, Err(StoreError::PreconditionFailed)), "{taken:?}");
    assert_eq!(o.store.trash_of(o.owner).await.unwrap().len(), 1);
    // … and a UID taken meanwhile too.
    let clash = o.store.restore_object(id, work.id, "other.txt", &file("u-new", "hello"), &[], &r, 10).await;
    assert!(matches!(clash, Err(StoreError::Conflict(Conflict::Uid(_)))), "{clash:?}");
    assert_eq!(o.store.trash_of(o.owner).await.unwrap().len(), 1);
}

async fn a_deleted_collection_comes_back_whole(o: Opened) {
    let home = o.store.collection("calendars/alice/").await.unwrap().unwrap();
    let r = rules(o.owner, "calendars/alice/team/");
    let new = NewCollection {
        owner_id: o.owner,
        path: "calendars/alice/team/".into(),
        parent_path: Some("calendars/alice/".into()),
        kind: CollectionKind::Plain,
        components: Components::default(),
        properties: vec![("{DAV:}displayname".into(), "<D:displayname xmlns:D=\"DAV:\">Team</D:displayname>".into())],
        source: None,
        grants: Vec::new(),
    };
    let team = o.store.create_collection(&new, &r, 2).await.unwrap();
    let sub = NewCollection {
        path: "calendars/alice/team/sub/".into(),
        parent_path: Some(team.path.clone()),
        properties: vec![],
        ..new.clone()
    };
    let sub = o.store.create_collection(&sub, &r, 3).await.unwrap();
    for (c, name) in [(team.id, "1.txt"), (team.id, "2.txt"), (sub.id, "3.txt")] {
        o.store.put_object(c, name, &file(name, name), &WriteCondition::Always, &r, 4).await.unwrap();
    }
    assert!(o.store.delete_collection(team.id, &r, 5).await.unwrap());
    assert!(o.store.collection("calendars/alice/team/").await.unwrap().is_none());
    let (_, home_rev) = o.store.changes_since(home.id, 0, None).await.unwrap();
    let trash = o.store.trash_of(o.owner).await.unwrap();
    assert_eq!(trash.len(), 1, "one entry for the whole tree: {trash:?}");
    assert!(trash[0].is_collection);
    assert_eq!(trash[0].size, 15);
    let content = o.store.trash_content(trash[0].id).await.unwrap().unwrap();
    let rels: Vec<&str> = content.collections.iter().map(|c| c.rel_path.as_str()).collect();
    assert_eq!(rels, ["", "sub/"]);
    assert_eq!(content.collections[0].properties.len(), 1);
    let objs: Vec<(&str, &str)> = content.objects.iter().map(|o| (o.rel_path.as_str(), o.name.as_str())).collect();
    assert_eq!(objs, [("", "1.txt"), ("", "2.txt"), ("sub/", "3.txt")]);

    let collections: Vec<NewCollection> = content
        .collections
        .iter()
        .map(|c| {
            let path = format!("calendars/alice/team/{}", c.rel_path);
            NewCollection {
                owner_id: o.owner,
                parent_path: Some(if c.rel_path.is_empty() {
                    "calendars/alice/".into()
                } else {
                    "calendars/alice/team/".into()
                }),
                path,
                kind: c.kind,
                components: c.components,
                properties: c.properties.clone(),
                source: c.source.clone(),
                grants: Vec::new(),
            }
        })
        .collect();
    let objects: Vec<_> = content
        .objects
        .iter()
        .map(|t| {
            (
                format!("calendars/alice/team/{}", t.rel_path),
                t.name.clone(),
                file(&t.name, &t.name),
                t.properties.clone(),
            )
        })
        .collect();
    o.store.restore_collection(trash[0].id, &collections, &objects, &r, 6).await.unwrap();
    let team = o.store.collection("calendars/alice/team/").await.unwrap().unwrap();
    let sub = o.store.collection("calendars/alice/team/sub/").await.unwrap().unwrap();
    assert_eq!(o.store.object_metas(team.id).await.unwrap().len(), 2);
    assert_eq!(o.store.object(sub.id, "3.txt").await.unwrap().unwrap().data, b"3.txt");
    assert_eq!(o.store.collection_properties(team.id).await.unwrap().len(), 1);
    let (changes, rev) = o.store.changes_since(home.id, home_rev, None).await.unwrap();
    assert!(rev > home_rev && changes.iter().any(|c| c.name == "team/" && !c.deleted), "{changes:?}");
    assert!(o.store.trash_of(o.owner).await.unwrap().is_empty());
}

async fn purges_honour_age_and_holds(o: Opened) {
    let work = o.store.collection("calendars/alice/work/").await.unwrap().unwrap();
    let always = WriteCondition::Always;
    for (name, at) in [("old.txt", 100), ("new.txt", 900)] {
        let r = rules(o.owner, &format!("calendars/alice/work/{name}"));
        o.store.put_object(work.id, name, &file(name, name), &always, &r, at - 1).await.unwrap();
        o.store.delete_object(work.id, name, &always, &r, at).await.unwrap();
    }
    // A hold on the user keeps everything.
    let hold = o.store.place_hold(&HoldScope::Principal(o.owner), "case 42", "admin", 1000).await.unwrap();
    assert_eq!(o.store.purge_trash(10_000, None, None).await.unwrap(), 0);
    assert_eq!(o.store.holds().await.unwrap(), vec![hold.clone()]);
    // Deleting a held principal is refused by the database itself.
    assert!(o.store.delete_principal(o.owner).await.is_err(), "a held principal stays");
    assert!(o.store.lift_hold(hold.id).await.unwrap());
    assert!(!o.store.lift_hold(hold.id).await.unwrap());
    // A hold on the collection path keeps what lay in it.
    let path_hold =
        o.store.place_hold(&HoldScope::Path("calendars/alice/work/".into()), "records", "admin", 1000).await.unwrap();
    assert_eq!(o.store.purge_trash(10_000, None, None).await.unwrap(), 0);
    o.store.lift_hold(path_hold.id).await.unwrap();
    // Age: only what was deleted before the limit goes.
    assert_eq!(o.store.purge_trash(500, None, None).await.unwrap(), 1);
    let left = o.store.trash_of(o.owner).await.unwrap();
    assert_eq!(left.iter().map(|e| e.path.as_str()).collect::<Vec<_>>(), ["calendars/alice/work/new.txt"]);
    // One entry by id, whatever its age.
    assert_eq!(o.store.purge_trash(i64::MAX, Some(o.owner), Some(left[0].id)).await.unwrap(), 1);
    assert!(o.store.trash_of(o.owner).await.unwrap().is_empty());
}

async fn every_write_leaves_one_audit_row_in_its_transaction(o: Opened) {
    let work = o.store.collection("calendars/alice/work/").await.unwrap().unwrap();
    let r = rules(o.owner, "calendars/alice/work/a.txt");
    o.store.put_object(work.id, "a.txt", &file("u-a", "1"), &WriteCondition::Always, &r, 10).await.unwrap();
    o.store.put_object(work.id, "a.txt", &file("u-a", "2"), &WriteCondition::Always, &r, 11).await.unwrap();
    // Refused: no row.
    let refused =
        o.store.put_object(work.id, "a.txt", &file("u-a", "3"), &WriteCondition::IfNoneMatchAny, &r, 12).await;
    assert!(refused.is_err());
    o.store.delete_object(work.id, "a.txt", &WriteCondition::Always, &r, 13).await.unwrap();
    // Server writes leave none.
    o.store
        .put_object(work.id, "s.txt", &file("u-s", "s"), &WriteCondition::Always, &WriteRules::NONE, 14)
        .await
        .unwrap();
    let context =
        AuditContext { actor: "cli:root".into(), target: "calendars/alice/work/".into(), ..Default::default() };
    o.store.append_audit(&context, "share", Some("bob: read"), 15).await.unwrap();

    let rows = o.store.audit(&AuditFilter::default()).await.unwrap();
    let seen: Vec<(&str, i64)> = rows.iter().map(|e| (e.action.as_str(), e.at)).collect();
    assert_eq!(seen, [("create", 10), ("change", 11), ("delete", 13), ("share", 15)]);
    assert_eq!(rows[0].owner.as_deref(), Some("alice"));
    assert_eq!(rows[0].context.address.as_deref(), Some("192.0.2.7"));
    assert_eq!(rows[0].context.client.as_deref(), Some("Test/1.0"));
    assert_eq!(rows[3].detail.as_deref(), Some("bob: read"));
    // Filters narrow, and page by id.
    let f = |filter: AuditFilter| {
        let store = o.store.clone();
        async move { store.audit(&filter).await.unwrap().iter().map(|e| e.at).collect::<Vec<_>>() }
    };
    assert_eq!(f(AuditFilter { actor: Some("cli:root".into()), ..Default::default() }).await, [15]);
    assert_eq!(f(AuditFilter { action: Some("delete".into()), ..Default::default() }).await, [13]);
    assert_eq!(f(AuditFilter { since: Some(11), until: Some(15), ..Default::default() }).await, [11, 13]);
    assert_eq!(
        f(AuditFilter { path_prefix: Some("calendars/alice/work/a".into()), ..Default::default() }).await,
        [10, 11, 13]
    );
    assert_eq!(f(AuditFilter { owner: Some("bob".into()), ..Default::default() }).await, Vec::<i64>::new());
    assert_eq!(f(AuditFilter { after: Some(rows[1].id), limit: Some(1), ..Default::default() }).await, [13]);
}

async fn the_audit_log_cannot_be_altered(o: Opened) {
    let context = AuditContext { actor: "alice".into(), target: "calendars/alice/".into(), ..Default::default() };
    o.store.append_audit(&context, "export", None, 1).await.unwrap();
    // Even with a connection of its own to the database, an UPDATE or DELETE fails.
    let refused = match &o.place.url {
        None => {
            let url = format!("sqlite:{}", o.place.dir.path().join("agora.db").display());
            let mut conn = sqlx::SqliteConnection::connect(&url).await.unwrap();
            let update = sqlx::query("UPDATE audit_log SET actor = 'mallory'").execute(&mut conn).await;
            let delete = sqlx::query("DELETE FROM audit_log").execute(&mut conn).await;
            vec![update.map(|_| ()), delete.map(|_| ())]
        }
        Some(url) => {
            let mut conn = sqlx::PgConnection::connect(url).await.unwrap();
            let update = sqlx::query("UPDATE audit_log SET actor = 'mallory'").execute(&mut conn).await;
            let delete = sqlx::query("DELETE FROM audit_log").execute(&mut conn).await;
            let truncate = sqlx::query("TRUNCATE audit_log").execute(&mut conn).await;
            vec![update.map(|_| ()), delete.map(|_| ()), truncate.map(|_| ())]
        }
    };
    for r in refused {
        let e = r.expect_err("the audit log is append-only");
        assert!(e.to_string().contains("append-only"), "{e}");
    }
    let rows = o.store.audit(&AuditFilter::default()).await.unwrap();
    assert_eq!(rows.len(), 1);
    assert_eq!(rows[0].context.actor, "alice");
}
