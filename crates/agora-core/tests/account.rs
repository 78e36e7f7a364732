//! A user's own password change and configuration-profile links through the
//! core, on SQLite and PostgreSQL.

use std::sync::Arc;
use std::time::Duration;

use agora_core::directory::NewEntry;
use agora_core::{AuthConfig, AuthError, Core, CoreConfig, CoreError, Identity, PasswordChangeError, Store};
use agora_store::{NewPrincipal, PrincipalKind, Synchronous};
use agora_testkit::Backend;

struct Env {
    core: Core,
    store: Arc<dyn Store>,
    _dir: tempfile::TempDir,
}

async fn env(backend: Backend) -> Env {
    let agora_testkit::StorePlace { dir, url } = agora_testkit::store_place(backend).await;
    let store = agora_store::open(url.as_deref(), dir.path(), Synchronous::Normal).await.unwrap();
    let auth =
        AuthConfig { cache_ttl: Duration::from_secs(60), max_failures: 3, failure_window: Duration::from_secs(60) };
    Env { core: Core::new(store.clone(), CoreConfig { auth, ..Default::default() }), store, _dir: dir }
}

agora_testkit::on_both_stores!(
    async env;
    the_owner_changes_a_local_password_with_the_current_one,
    accounts_without_a_local_password_are_refused,
    profile_links_open_once_before_they_expire,
);

async fn user(e: &Env, name: &str) -> Identity {
    let entry = NewEntry { name: name.into(), display_name: None, emails: vec![] };
    let p = e.core.directory().add_user(&entry, "first-password").await.unwrap();
    Identity { principal_id: p.id, name: p.name }
}

async fn the_owner_changes_a_local_password_with_the_current_one(e: Env) {
    let alice = user(&e, "alice").await;
    let (_, app) = e.core.directory().add_app_password("alice", "phone").await.unwrap();
    let change = |current: &'static str, new: &'static str| {
        let (core, who) = (&e.core, alice.clone());
        async move { core.change_own_password(&who, current, new, None).await }
    };
    assert!(matches!(change("first-password", "short").await, Err(PasswordChangeError::Core(CoreError::Invalid(_)))));
    assert!(matches!(
        change("wrong-password", "second-password").await,
        Err(PasswordChangeError::Auth(AuthError::Invalid))
    ));
    // An app password does not stand for the account's.
    let by_app = e.core.change_own_password(&alice, &app, "second-password", None).await;
    assert!(matches!(by_app, Err(PasswordChangeError::Auth(AuthError::Invalid))), "{by_app:?}");
    change("first-password", "second-password").await.unwrap();
    let auth = e.core.auth();
    assert!(matches!(auth.authenticate("alice", "first-password", None).await, Err(AuthError::Invalid)));
    assert_eq!(auth.authenticate("alice", "second-password", None).await.unwrap().name, "alice");
    // Failures count in the sign-in's throttle (three allowed here).
    for guess in ["guess-1", "guess-2", "guess-3"] {
        assert!(matches!(change(guess, "third-password").await, Err(PasswordChangeError::Auth(AuthError::Invalid))));
    }
    assert!(matches!(
        change("second-password", "third-password").await,
        Err(PasswordChangeError::Auth(AuthError::Throttled { .. }))
    ));
    assert!(matches!(auth.authenticate("alice", "second-password", None).await, Err(AuthError::Throttled { .. })));
}

async fn accounts_without_a_local_password_are_refused(e: Env) {
    // As LDAP and OpenID Connect users are provisioned: no local password.
    let new = NewPrincipal {
        kind: PrincipalKind::User,
        name: "ldapuser".into(),
        display_name: "LDAP User".into(),
        resource_kind: None,
        emails: vec![],
        password_hash: None,
    };
    let p = e.store.insert_principal(&new, 1).await.unwrap();
    let who = Identity { principal_id: p.id, name: p.name };
    let r = e.core.change_own_password(&who, "anything", "long-enough-password", None).await;
    assert!(matches!(r, Err(PasswordChangeError::NotLocal)), "{r:?}");
    assert!(e.store.login("ldapuser").await.unwrap().unwrap().password_hash.is_none(), "nothing was set");
}

async fn profile_links_open_once_before_they_expire(e: Env) {
    let alice = user(&e, "alice").await;
    let (token, expires_at) = e.core.create_profile_link(&alice, Duration::from_secs(600)).await.unwrap();
    assert_eq!(token.len(), 43);
    assert!((595..=605).contains(&(expires_at - agora_core::now())), "{expires_at}");
    assert_eq!(e.core.redeem_profile_link(&token).await.unwrap().unwrap().name, "alice");
    assert!(e.core.redeem_profile_link(&token).await.unwrap().is_none(), "single use");
    let (expired, _) = e.core.create_profile_link(&alice, Duration::ZERO).await.unwrap();
    assert!(e.core.redeem_profile_link(&expired).await.unwrap().is_none(), "ended");
    assert!(e.core.redeem_profile_link("garbage").await.unwrap().is_none());
    assert!(matches!(
        e.core.create_profile_link(&Identity::anonymous(), Duration::from_secs(60)).await,
        Err(CoreError::Unauthenticated)
    ));
}
