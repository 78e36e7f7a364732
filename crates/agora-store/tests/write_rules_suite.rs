//! `WriteRules`: locks (RFC 4918 §7) and quota (RFC 4331) checked inside the
//! write's own transaction, on SQLite and PostgreSQL, also when two stores (two
//! processes) write at once.

use std::sync::Arc;

use agora_store::*;
use agora_testkit::Backend;

struct Opened {
    store: Arc<dyn Store>,
    /// A second store on the same database: another process.
    other: Arc<dyn Store>,
    owner: PrincipalId,
    _dir: tempfile::TempDir,
}

async fn open(backend: Backend) -> Opened {
    let agora_testkit::StorePlace { dir, url } = agora_testkit::store_place(backend).await;
    let store = agora_store::open(url.as_deref(), dir.path(), Synchronous::Normal).await.unwrap();
    let other = agora_store::open(url.as_deref(), dir.path(), Synchronous::Normal).await.unwrap();
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
                coll("files/alice/", None, CollectionKind::CalendarHome),
                coll("files/alice/docs/", Some("files/alice/"), CollectionKind::Plain),
            ],
            1,
        )
        .await
        .unwrap();
    Opened { store, other, owner, _dir: dir }
}

agora_testkit::on_both_stores!(
    async open;
    locks_are_checked_inside_the_write,
    quota_is_checked_inside_the_write,
    concurrent_writers_never_pass_the_quota,
);

fn file(body: &str) -> NewObject {
    NewObject {
        uid: None,
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

fn lock(token: &str, path: &str, depth_infinity: bool, principal: PrincipalId) -> Lock {
    Lock {
        token: token.into(),
        path: path.into(),
        depth_infinity,
        exclusive: true,
        owner_xml: None,
        principal_id: principal,
        timeout_secs: 600,
        expires_at: 10_000,
    }
}

/// A PUT's rules as the domain builds them: the object, and its parent for membership.
fn put_rules(owner: PrincipalId, name: &str, tokens: &[&str]) -> WriteRules {
    WriteRules {
        locks: vec![
            LockCheck { path: format!("files/alice/docs/{name}"), recursive: false, membership: false },
            LockCheck { path: "files/alice/docs/".into(), recursive: false, membership: true },
        ],
        tokens: tokens.iter().map(|t| t.to_string()).collect(),
        principal: Some(owner),
        quota: None,
        trash: false,
        audit: None,
    }
}

async fn locks_are_checked_inside_the_write(o: Opened) {
    let docs = o.store.collection("files/alice/docs/").await.unwrap().unwrap();
    let always = WriteCondition::Always;
    o.store.put_object(docs.id, "a.txt", &file("a"), &always, &put_rules(o.owner, "a.txt", &[]), 2).await.unwrap();
    // A depth-0 lock on the collection, taken by the other process: it protects
    // membership, not the content of existing members (RFC 4918 §7.4).
    o.other.create_lock(&lock("urn:uuid:coll", "files/alice/docs/", false, o.owner), 3).await.unwrap();
    let refused = o.store.put_object(docs.id, "b.txt", &file("b"), &always, &put_rules(o.owner, "b.txt", &[]), 4).await;
    assert!(matches!(&refused, Err(StoreError::Locked(roots)) if roots == &["files/alice/docs/"]), "{refused:?}");
    assert!(o.store.object_meta(docs.id, "b.txt").await.unwrap().is_none(), "a refused write leaves nothing");
    o.store.put_object(docs.id, "a.txt", &file("a2"), &always, &put_rules(o.owner, "a.txt", &[]), 5).await.unwrap();
    // The token passes, but only its owner's.
    let with_token = put_rules(o.owner, "b.txt", &["urn:uuid:coll"]);
    o.store.put_object(docs.id, "b.txt", &file("b"), &always, &with_token, 6).await.unwrap();
    let stranger = WriteRules { principal: Some(o.owner + 1000), ..put_rules(o.owner, "c.txt", &["urn:uuid:coll"]) };
    assert!(matches!(
        o.store.put_object(docs.id, "c.txt", &file("c"), &always, &stranger, 7).await,
        Err(StoreError::Locked(_))
    ));
    // Deleting a member changes membership; a depth-infinity lock covers members.
    let delete = WriteRules {
        locks: vec![
            LockCheck { path: "files/alice/docs/a.txt".into(), recursive: true, membership: false },
            LockCheck { path: "files/alice/docs/".into(), recursive: false, membership: true },
        ],
        ..put_rules(o.owner, "a.txt", &[])
    };
    assert!(matches!(o.store.delete_object(docs.id, "a.txt", &always, &delete, 8).await, Err(StoreError::Locked(_))));
    assert!(o.store.object_meta(docs.id, "a.txt").await.unwrap().is_some());
    assert!(o.store.delete_lock("urn:uuid:coll").await.unwrap());
    o.other.create_lock(&lock("urn:uuid:deep", "files/alice/", true, o.owner), 9).await.unwrap();
    let refused =
        o.store.put_object(docs.id, "a.txt", &file("a3"), &always, &put_rules(o.owner, "a.txt", &[]), 10).await;
    assert!(matches!(&refused, Err(StoreError::Locked(roots)) if roots == &["files/alice/"]), "{refused:?}");
    // Recursive: a lock below the collection blocks deleting the collection.
    assert!(o.store.delete_lock("urn:uuid:deep").await.unwrap());
    o.other.create_lock(&lock("urn:uuid:below", "files/alice/docs/b.txt", false, o.owner), 11).await.unwrap();
    let tree = WriteRules {
        locks: vec![LockCheck { path: "files/alice/docs/".into(), recursive: true, membership: false }],
        ..put_rules(o.owner, "x", &[])
    };
    assert!(matches!(o.store.delete_collection(docs.id, &tree, 12).await, Err(StoreError::Locked(_))));
    assert!(o.store.collection("files/alice/docs/").await.unwrap().is_some());
    // Server writes carry no rules.
    o.store.delete_object(docs.id, "b.txt", &always, &WriteRules::NONE, 13).await.unwrap();
}

fn quota_rules(owner: PrincipalId, limit: i64) -> WriteRules {
    WriteRules { quota: Some(QuotaCheck { owner, limit }), ..WriteRules::NONE }
}

async fn quota_is_checked_inside_the_write(o: Opened) {
    let docs = o.store.collection("files/alice/docs/").await.unwrap().unwrap();
    let always = WriteCondition::Always;
    let rules = quota_rules(o.owner, 10);
    o.store.put_object(docs.id, "a.txt", &file("123456"), &always, &rules, 2).await.unwrap();
    let refused = o.store.put_object(docs.id, "b.txt", &file("12345"), &always, &rules, 3).await;
    assert!(matches!(refused, Err(StoreError::QuotaExceeded)), "{refused:?}");
    assert!(o.store.object_meta(docs.id, "b.txt").await.unwrap().is_none(), "nothing of it stored");
    assert_eq!(o.store.usage(o.owner).await.unwrap(), 6);
    // Replacing counts only the growth; shrinking is always allowed, even over quota.
    o.store.put_object(docs.id, "a.txt", &file("1234567890"), &always, &rules, 4).await.unwrap();
    let tight = quota_rules(o.owner, 5);
    o.store.put_object(docs.id, "a.txt", &file("12345678"), &always, &tight, 5).await.unwrap();
    assert!(matches!(
        o.store.put_object(docs.id, "a.txt", &file("123456789"), &always, &tight, 6).await,
        Err(StoreError::QuotaExceeded)
    ));
}

/// Two processes writing at once cannot both pass a quota that has room for one:
/// the usage is read and checked inside each write, one after the other.
async fn concurrent_writers_never_pass_the_quota(o: Opened) {
    let docs = o.store.collection("files/alice/docs/").await.unwrap().unwrap();
    let rules = quota_rules(o.owner, 100);
    let mut writers = Vec::new();
    for i in 0..10 {
        let store = if i % 2 == 0 { o.store.clone() } else { o.other.clone() };
        let rules = rules.clone();
        let id = docs.id;
        writers.push(tokio::spawn(async move {
            let body = format!("{i:0>30}");
            store.put_object(id, &format!("f{i}.txt"), &file(&body), &WriteCondition::Always, &rules, 2).await
        }));
    }
    let mut stored = 0;
    for w in writers {
        match w.await.unwrap() {
            Ok(_) => stored += 1,
            Err(StoreError::QuotaExceeded) => {}
            Err(e) => panic!("{e}"),
        }
    }
    assert_eq!(stored, 3, "room for three 30-byte files in 100 bytes");
    assert_eq!(o.store.usage(o.owner).await.unwrap(), 90);
}
