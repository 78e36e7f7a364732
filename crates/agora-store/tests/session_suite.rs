//! Web sessions and preferences, on SQLite and PostgreSQL alike.

mod common;

use agora_store::*;
use common::{Opened, add_user, open};

agora_testkit::on_both_stores!(
    async open;
    sessions_round_trip_and_expire,
    touching_moves_the_expiry,
    sessions_die_with_their_principal,
    preferences_round_trip,
    oidc_links_follow_issuer_and_subject,
    profile_links_are_single_use_and_expire,
);

fn session(hash: &str, principal_id: PrincipalId, expires_at: i64) -> StoredSession {
    StoredSession {
        token_hash: hash.into(),
        principal_id,
        csrf: format!("csrf-{hash}"),
        auth_epoch: 3,
        created_at: 100,
        last_seen: 100,
        expires_at,
    }
}

async fn sessions_round_trip_and_expire(o: Opened) {
    let s = &o.store;
    let a = session("aa", o.owner, 200);
    s.insert_session(&a).await.unwrap();
    s.insert_session(&session("bb", o.owner, 150)).await.unwrap();
    let got = s.session("aa", 120).await.unwrap().unwrap();
    assert_eq!(got.session, a);
    assert_eq!((got.name.as_str(), got.current_epoch), ("alice", 0));
    assert_eq!(s.session("zz", 120).await.unwrap(), None);
    // Expired sessions are not returned, even before the purge removes them.
    assert_eq!(s.session("aa", 200).await.unwrap(), None);
    assert_eq!(s.purge_sessions(150).await.unwrap(), 1);
    assert_eq!(s.session("bb", 120).await.unwrap(), None, "purged");
    assert_eq!(s.session("aa", 120).await.unwrap().map(|l| l.session), Some(a));
    assert!(s.delete_session("aa").await.unwrap());
    assert!(!s.delete_session("aa").await.unwrap());
    assert_eq!(s.session("aa", 120).await.unwrap(), None);
    // A duplicate hash is refused, never merged.
    s.insert_session(&session("cc", o.owner, 300)).await.unwrap();
    assert!(s.insert_session(&session("cc", o.owner, 300)).await.is_err());
}

async fn touching_moves_the_expiry(o: Opened) {
    let s = &o.store;
    s.insert_session(&session("aa", o.owner, 200)).await.unwrap();
    assert!(s.touch_session("aa", 190, 400).await.unwrap());
    let got = s.session("aa", 300).await.unwrap().unwrap().session;
    assert_eq!((got.last_seen, got.expires_at, got.created_at), (190, 400, 100));
    assert!(!s.touch_session("missing", 190, 400).await.unwrap());
}

async fn sessions_die_with_their_principal(o: Opened) {
    let s = &o.store;
    let bob = add_user(s, "bob").await;
    s.insert_session(&session("a1", o.owner, 500)).await.unwrap();
    s.insert_session(&session("a2", o.owner, 500)).await.unwrap();
    s.insert_session(&session("b1", bob, 500)).await.unwrap();
    assert_eq!(s.delete_sessions_of(o.owner).await.unwrap(), 2);
    // The lookup reads the credential epoch of now, not a cached one.
    s.set_password(bob, "new-hash").await.unwrap();
    assert_eq!(s.session("b1", 1).await.unwrap().unwrap().current_epoch, 1);
    assert_eq!(s.session("a1", 1).await.unwrap(), None);
    assert!(s.session("b1", 1).await.unwrap().is_some());
    s.set_preferences(bob, "{}", 1).await.unwrap();
    assert!(s.delete_principal(bob).await.unwrap());
    assert_eq!(s.session("b1", 1).await.unwrap(), None, "cascaded with the principal");
    assert_eq!(s.preferences(bob).await.unwrap(), None);
}

async fn preferences_round_trip(o: Opened) {
    let s = &o.store;
    assert_eq!(s.preferences(o.owner).await.unwrap(), None);
    let json = r#"{"locale":"fr","hiddenCalendars":["/calendars/alice/work/"],"note":"été ✓"}"#;
    s.set_preferences(o.owner, json, 10).await.unwrap();
    assert_eq!(s.preferences(o.owner).await.unwrap().as_deref(), Some(json));
    s.set_preferences(o.owner, "{}", 11).await.unwrap();
    assert_eq!(s.preferences(o.owner).await.unwrap().as_deref(), Some("{}"));
}

async fn oidc_links_follow_issuer_and_subject(o: Opened) {
    let s = &o.store;
    let bob = add_user(s, "bob").await;
    let issuer = "https://id.example.org";
    assert_eq!(s.oidc_link(issuer, "sub-1").await.unwrap(), None);
    s.set_oidc_link(issuer, "sub-1", o.owner, 10).await.unwrap();
    s.set_oidc_link("https://other.example.org", "sub-1", bob, 10).await.unwrap();
    assert_eq!(s.oidc_link(issuer, "sub-1").await.unwrap(), Some(o.owner));
    assert_eq!(s.oidc_link("https://other.example.org", "sub-1").await.unwrap(), Some(bob), "per issuer");
    assert_eq!(s.oidc_link(issuer, "SUB-1").await.unwrap(), None, "subjects are exact");
    s.set_oidc_link(issuer, "sub-1", bob, 11).await.unwrap();
    assert_eq!(s.oidc_link(issuer, "sub-1").await.unwrap(), Some(bob), "relinked");
    assert!(s.delete_principal(bob).await.unwrap());
    assert_eq!(s.oidc_link(issuer, "sub-1").await.unwrap(), None, "cascaded with the principal");
}

async fn profile_links_are_single_use_and_expire(o: Opened) {
    let s = &o.store;
    let bob = add_user(s, "bob").await;
    s.insert_profile_link("l1", o.owner, 200, 100).await.unwrap();
    s.insert_profile_link("l2", bob, 150, 100).await.unwrap();
    assert!(s.insert_profile_link("l1", bob, 300, 100).await.is_err(), "a duplicate hash is refused");
    assert_eq!(s.take_profile_link("l1", 120).await.unwrap(), Some(o.owner));
    assert_eq!(s.take_profile_link("l1", 120).await.unwrap(), None, "used once");
    assert_eq!(s.take_profile_link("nope", 120).await.unwrap(), None);
    assert_eq!(s.take_profile_link("l2", 150).await.unwrap(), None, "ended at its expiry");
    // Making a link removes the ended ones.
    s.insert_profile_link("l3", o.owner, 400, 100).await.unwrap();
    s.insert_profile_link("l4", bob, 1000, 100).await.unwrap();
    s.insert_profile_link("l5", o.owner, 900, 500).await.unwrap();
    assert_eq!(s.take_profile_link("l3", 100).await.unwrap(), None, "purged when l5 was made");
    assert!(s.delete_principal(bob).await.unwrap());
    assert_eq!(s.take_profile_link("l4", 100).await.unwrap(), None, "cascaded with the principal");
    assert_eq!(s.take_profile_link("l5", 600).await.unwrap(), Some(o.owner));
}
