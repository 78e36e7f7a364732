//! The server's maintenance of stored objects, on SQLite and PostgreSQL: the
//! background re-index of the instance index (`Core::index_instances`) and the
//! classification of objects stored before CLASS was read from the parsed
//! object (`Core::classify_objects`, migration 0017).

use std::sync::Arc;

use agora_core::{Core, CoreConfig, Store};
use agora_store::*;
use agora_testkit::Backend;

struct Env {
    core: Core,
    store: Arc<dyn Store>,
    calendar: Collection,
    _dir: tempfile::TempDir,
}

async fn env(backend: Backend) -> Env {
    let agora_testkit::StorePlace { dir, url } = agora_testkit::store_place(backend).await;
    let store = agora_store::open(url.as_deref(), dir.path(), Synchronous::Normal).await.unwrap();
    let new = NewPrincipal {
        kind: PrincipalKind::User,
        name: "alice".into(),
        display_name: "Alice".into(),
        resource_kind: None,
        emails: vec![],
        password_hash: None,
    };
    let owner = store.insert_principal(&new, 0).await.unwrap().id;
    let collection = |path: &str, parent: Option<&str>, kind| NewCollection {
        owner_id: owner,
        path: path.into(),
        parent_path: parent.map(str::to_owned),
        kind,
        components: Components(Components::EVENT),
        properties: vec![],
        source: None,
        grants: Vec::new(),
    };
    let home = collection("calendars/alice/", None, CollectionKind::CalendarHome);
    let cal = collection("calendars/alice/work/", Some("calendars/alice/"), CollectionKind::Calendar);
    store.provision(&[home, cal], 1).await.unwrap();
    let calendar = store.collection("calendars/alice/work/").await.unwrap().unwrap();
    Env { core: Core::new(store.clone(), CoreConfig::default()), store, calendar, _dir: dir }
}

agora_testkit::on_both_stores!(async env; windows_running_out_are_extended, stored_objects_are_classified_from_their_parsed_form);

const WEEKLY: &str = "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//t//EN\r\nBEGIN:VEVENT\r\nUID:weekly\r\n\
    DTSTAMP:20260101T000000Z\r\nDTSTART:20200106T090000Z\r\nDTEND:20200106T100000Z\r\nRRULE:FREQ=WEEKLY\r\n\
    END:VEVENT\r\nEND:VCALENDAR\r\n";

/// An endless event indexed long ago (its window ends next week) is indexed again
/// around now; a query a year ahead is then decided by its pieces.
async fn windows_running_out_are_extended(e: Env) {
    let now = agora_core::now();
    let week = 7 * 86_400;
    let stale = InstancePieces { pieces: vec![], exact: true, from: now - 1000 * 86_400, to: now + week };
    let object = NewObject {
        uid: Some("weekly".into()),
        etag: "e1".into(),
        content_type: "text/calendar".into(),
        data: WEEKLY.as_bytes().to_vec(),
        component: Some("VEVENT".into()),
        span_start: Some(1_578_301_200),
        span_end: None,
        class: 0,
        schedule_tag: None,
        instances: Some(stale),
    };
    e.store
        .put_object(e.calendar.id, "weekly.ics", &object, &WriteCondition::Always, &agora_store::WriteRules::NONE, now)
        .await
        .unwrap();
    let ahead = agora_core::instances::AHEAD;
    assert_eq!(e.store.objects_to_index(now + ahead, 10).await.unwrap().len(), 1);
    let next_year = (now + 365 * 86_400, now + 365 * 86_400 + week);
    let before = e.store.objects_in_time(e.calendar.id, Some(next_year.0), Some(next_year.1), false).await.unwrap();
    assert!(before.matched.is_empty());
    assert_eq!(before.to_test.len(), 1, "outside its window the span finds it");

    assert_eq!(e.core.index_instances().await.unwrap(), 1);
    assert!(e.store.objects_to_index(now + ahead, 10).await.unwrap().is_empty());
    assert_eq!(e.core.index_instances().await.unwrap(), 0, "nothing left to do");
    let after = e.store.objects_in_time(e.calendar.id, Some(next_year.0), Some(next_year.1), false).await.unwrap();
    assert_eq!(after.matched.len(), 1, "a weekly event has an instance in any week");
    assert!(after.to_test.is_empty());
}

/// Objects the migration marked unclassified (-1) get the class of their parsed
/// form, whatever its spelling; bytes that no longer parse stay hidden.
async fn stored_objects_are_classified_from_their_parsed_form(e: Env) {
    let event = |uid: &str, class: &str| {
        format!(
            "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//t//EN\r\nBEGIN:VEVENT\r\nUID:{uid}\r\n\
             DTSTAMP:20260101T000000Z\r\nDTSTART:20260106T090000Z\r\n{class}SUMMARY:s\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n"
        )
    };
    let cases = [
        ("open", event("open", ""), 0),
        ("mixed-case", event("mixed-case", "Class:PRIVATE\r\n"), 2),
        ("folded", event("folded", "class;X-A=1:CONFI\r\n DENTIAL\r\n"), 1),
        ("unknown", event("unknown", "CLASS:X-SECRET\r\n"), 2),
        ("broken", "BEGIN:VCALENDAR\r\nnot iCalendar".to_owned(), 2),
    ];
    for (name, data, _) in &cases {
        let object = NewObject {
            uid: Some((*name).into()),
            etag: format!("etag-{name}"),
            content_type: "text/calendar".into(),
            data: data.as_bytes().to_vec(),
            component: Some("VEVENT".into()),
            span_start: None,
            span_end: None,
            class: -1,
            schedule_tag: None,
            instances: None,
        };
        let always = WriteCondition::Always;
        e.store.put_object(e.calendar.id, name, &object, &always, &WriteRules::NONE, 1).await.unwrap();
    }
    assert_eq!(e.core.classify_objects().await.unwrap(), cases.len());
    for (name, _, class) in &cases {
        let meta = e.store.object_meta(e.calendar.id, name).await.unwrap().unwrap();
        assert_eq!(meta.class, *class, "{name}");
    }
    assert_eq!(e.core.classify_objects().await.unwrap(), 0, "nothing left to classify");
}
