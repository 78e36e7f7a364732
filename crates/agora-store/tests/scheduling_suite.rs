//! What scheduling keeps in the store, on SQLite and PostgreSQL: Schedule-Tags
//! and the lookup of a UID across calendars, and the outgoing iMIP mail queue.

mod common;

use agora_store::*;
use common::{Opened, event, open, work};

agora_testkit::on_both_stores!(
    async open;
    schedule_tags_and_uid_lookup,
    mail_queue_claims_retries_and_fails,
);

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
