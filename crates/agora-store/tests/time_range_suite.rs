//! Time-range reads, on SQLite and PostgreSQL: the span lookup, the
//! instance-piece index (lookup and re-indexing) and the batched reads free/busy
//! makes for many attendees.

mod common;

use agora_store::*;
use common::{Opened, add_user, calendar, event, home, open, work};

agora_testkit::on_both_stores!(
    async open;
    span_lookup,
    instance_lookup,
    instance_reindexing,
    batched_reads_for_free_busy,
);

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
