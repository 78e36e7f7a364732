//! The store the resource suites open: alice, with her calendar home and her
//! `work` calendar, on either backend; and builders of collections and events.
#![allow(dead_code)] // each suite uses part of it

use std::sync::Arc;

use agora_store::*;
use agora_testkit::Backend;

pub struct Opened {
    pub store: Arc<dyn Store>,
    pub owner: PrincipalId,
    pub _dir: tempfile::TempDir,
}

pub async fn open(backend: Backend) -> Opened {
    let agora_testkit::StorePlace { dir, url } = agora_testkit::store_place(backend).await;
    let store = agora_store::open(url.as_deref(), dir.path(), Synchronous::Normal).await.unwrap();
    let owner = add_user(&store, "alice").await;
    store.provision(&[home(owner), calendar(owner, "work")], 1).await.unwrap();
    Opened { store, owner, _dir: dir }
}

/// A user principal without password or address.
pub async fn add_user(store: &Arc<dyn Store>, name: &str) -> PrincipalId {
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

pub fn home(owner: PrincipalId) -> NewCollection {
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

pub fn calendar(owner: PrincipalId, name: &str) -> NewCollection {
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

pub fn event(uid: &str, body: &str) -> NewObject {
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

pub async fn work(o: &Opened) -> Collection {
    o.store.collection("calendars/alice/work/").await.unwrap().unwrap()
}
