//! Web sign-in sessions and preferences through the core, on SQLite and
//! PostgreSQL: what the cookie opens, when it stops, and what is stored.

use std::sync::Arc;
use std::time::Duration;

use agora_core::directory::NewEntry;
use agora_core::{AuthConfig, AuthError, Core, CoreConfig, CoreError, SessionConfig, Store};
use agora_store::Synchronous;
use agora_testkit::Backend;

struct Env {
    core: Core,
    store: Arc<dyn Store>,
    _dir: tempfile::TempDir,
}

fn config() -> CoreConfig {
    let auth =
        AuthConfig { cache_ttl: Duration::from_secs(60), max_failures: 3, failure_window: Duration::from_secs(60) };
    let sessions = SessionConfig { idle: Duration::from_secs(600), max: Duration::from_secs(3600) };
    CoreConfig { auth, sessions, ..Default::default() }
}

async fn env(backend: Backend) -> Env {
    let agora_testkit::StorePlace { dir, url } = agora_testkit::store_place(backend).await;
    let store = agora_store::open(url.as_deref(), dir.path(), Synchronous::Normal).await.unwrap();
    let core = Core::new(store.clone(), config());
    let alice = NewEntry { name: "alice".into(), display_name: None, emails: vec!["alice@example.org".into()] };
    core.directory().add_user(&alice, "alice-password").await.unwrap();
    Env { core, store, _dir: dir }
}

agora_testkit::on_both_stores!(
    async env;
    a_session_opens_with_the_account_password_only,
    sessions_are_in_the_store_not_the_process,
    closing_and_credential_changes_end_sessions,
    sign_in_failures_share_the_basic_throttle,
    preferences_are_a_bounded_json_object,
    a_disabled_account_opens_nothing,
);

async fn a_session_opens_with_the_account_password_only(e: Env) {
    let (session, principal) = e.core.open_session("Alice@Example.org", "alice-password", None).await.unwrap();
    assert_eq!((principal.name.as_str(), session.identity.name.as_str()), ("alice", "alice"));
    assert_eq!((session.token.len(), session.csrf.len()), (43, 43));
    assert_ne!(session.token, session.csrf);
    assert_eq!(session.expires_at, session.created_at + 600, "the idle limit comes first");
    let (_, app) = e.core.directory().add_app_password("alice", "phone").await.unwrap();
    assert!(e.core.auth().authenticate("alice", &app, None).await.is_ok(), "Basic takes it");
    assert!(matches!(e.core.open_session("alice", &app, None).await, Err(AuthError::Invalid)));
    assert!(matches!(e.core.open_session("alice", "wrong", None).await, Err(AuthError::Invalid)));
    // For OpenID Connect: a session for a user someone else authenticated.
    let (other, _) = e.core.open_session_for(principal.id, None).await.unwrap();
    assert_ne!(other.token, session.token);
    assert!(matches!(e.core.open_session_for(9999, None).await, Err(CoreError::NotFound { .. })));
}

async fn sessions_are_in_the_store_not_the_process(e: Env) {
    let (session, _) = e.core.open_session("alice", "alice-password", None).await.unwrap();
    // Another process on the same store (its own caches) sees the session…
    let other = Core::new(e.store.clone(), config());
    let seen = other.session(&session.token).await.unwrap().expect("live in the other process");
    assert_eq!((seen.identity.name.as_str(), seen.csrf.as_str()), ("alice", session.csrf.as_str()));
    assert!(seen.csrf_matches(&session.csrf) && !seen.csrf_matches("x"));
    // …and its end.
    assert!(other.close_session(&session.token).await.unwrap());
    assert!(e.core.session(&session.token).await.unwrap().is_none());
    assert!(!e.core.close_session(&session.token).await.unwrap());
    for garbage in ["", "short", &"x".repeat(43), &format!("{}!", &session.token[..42])] {
        assert!(e.core.session(garbage).await.unwrap().is_none(), "{garbage}");
    }
}

async fn closing_and_credential_changes_end_sessions(e: Env) {
    let (a, _) = e.core.open_session("alice", "alice-password", None).await.unwrap();
    let (b, _) = e.core.open_session("alice", "alice-password", None).await.unwrap();
    assert!(e.core.close_session(&a.token).await.unwrap());
    assert!(e.core.session(&b.token).await.unwrap().is_some(), "only the closed one ends");
    // A password change, even through another process, ends every session.
    let other = Core::new(e.store.clone(), config());
    other.directory().set_password("alice", "new-password-1").await.unwrap();
    assert!(e.core.session(&b.token).await.unwrap().is_none());
    // And the ended sessions are gone from the store: nothing left to purge.
    assert_eq!(e.store.purge_sessions(i64::MAX).await.unwrap(), 0);
    let (c, _) = e.core.open_session("alice", "new-password-1", None).await.unwrap();
    e.core.directory().delete(agora_core::PrincipalKind::User, "alice").await.unwrap();
    assert!(e.core.session(&c.token).await.unwrap().is_none(), "a deleted account has no session");
}

async fn sign_in_failures_share_the_basic_throttle(e: Env) {
    for _ in 0..3 {
        assert!(e.core.auth().authenticate("alice", "guess", None).await.is_err());
    }
    let r = e.core.open_session("alice", "alice-password", None).await;
    assert!(matches!(r, Err(AuthError::Throttled { .. })), "{r:?}");
}

async fn preferences_are_a_bounded_json_object(e: Env) {
    let (s, _) = e.core.open_session("alice", "alice-password", None).await.unwrap();
    let me = &s.identity;
    assert_eq!(e.core.preferences(me).await.unwrap(), "{}");
    e.core.set_preferences(me, r#"{"locale":"en"}"#).await.unwrap();
    assert_eq!(e.core.preferences(me).await.unwrap(), r#"{"locale":"en"}"#);
    for bad in ["[]", "1", "{", "null"] {
        assert!(matches!(e.core.set_preferences(me, bad).await, Err(CoreError::Invalid(_))), "{bad}");
    }
    let big = format!("{{\"a\":\"{}\"}}", "x".repeat(agora_core::sessions::MAX_PREFERENCES_BYTES));
    assert!(matches!(e.core.set_preferences(me, &big).await, Err(CoreError::Invalid(_))));
    assert_eq!(e.core.preferences(me).await.unwrap(), r#"{"locale":"en"}"#);
}

/// Disabled: no session by password or for OpenID Connect, an open one ends, a
/// cached Basic login is refused; enabled again, all works.
async fn a_disabled_account_opens_nothing(e: Env) {
    use agora_core::admin::UserChange;
    let (session, principal) = e.core.open_session("alice", "alice-password", None).await.unwrap();
    assert!(e.core.auth().authenticate("alice", "alice-password", None).await.is_ok());
    let off = UserChange { disabled: Some(true), ..Default::default() };
    e.core.directory().set_user("alice", &off).await.unwrap();
    assert!(e.core.session(&session.token).await.unwrap().is_none(), "the open session ended");
    assert!(matches!(e.core.auth().authenticate("alice", "alice-password", None).await, Err(AuthError::Disabled)));
    assert!(matches!(e.core.open_session("alice", "alice-password", None).await, Err(AuthError::Disabled)));
    assert!(matches!(e.core.open_session_for(principal.id, None).await, Err(CoreError::Forbidden(_))));
    // A wrong password says nothing about the account.
    assert!(matches!(e.core.open_session("alice", "wrong", None).await, Err(AuthError::Invalid)));
    let on = UserChange { disabled: Some(false), ..Default::default() };
    e.core.directory().set_user("alice", &on).await.unwrap();
    assert!(e.core.open_session("alice", "alice-password", None).await.is_ok());
}
