//! The directory and authentication through the core, on SQLite and PostgreSQL.

use std::sync::Arc;
use std::time::Duration;

use agora_core::directory::NewEntry;
use agora_core::{AuthConfig, AuthError, Core, CoreConfig, CoreError, PrincipalKind, ResourceKind, Store};
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
    CoreConfig { auth, ..Default::default() }
}

async fn env(backend: Backend) -> Env {
    let agora_testkit::StorePlace { dir, url } = agora_testkit::store_place(backend).await;
    let store = agora_store::open(url.as_deref(), dir.path(), Synchronous::Normal).await.unwrap();
    Env { core: Core::new(store.clone(), config()), store, _dir: dir }
}

agora_testkit::on_both_stores!(
    async env;
    users_log_in_by_name_or_address,
    bad_input_is_refused_with_reasons,
    initial_admin_is_created_once,
    app_passwords_work_until_revoked,
    a_password_change_in_another_process_ends_cached_logins,
    failures_are_throttled_alike_for_unknown_accounts,
    groups_and_resources,
);

fn entry(name: &str, emails: &[&str]) -> NewEntry {
    NewEntry { name: name.into(), display_name: None, emails: emails.iter().map(|s| s.to_string()).collect() }
}

async fn users_log_in_by_name_or_address(e: Env) {
    let dir = e.core.directory();
    let u = dir.add_user(&entry("Jane.Doe", &["Jane@Example.org"]), "s3cret-pass").await.unwrap();
    assert_eq!((u.name.as_str(), u.display_name.as_str()), ("jane.doe", "jane.doe"));
    assert_eq!(u.emails, ["jane@example.org"]);
    let auth = e.core.auth();
    for login in ["jane.doe", "JANE.DOE", "jane@example.org", "Jane@Example.org"] {
        let id = auth.authenticate(login, "s3cret-pass", None).await.unwrap();
        assert_eq!(id.name, "jane.doe", "login {login}");
    }
    assert!(matches!(auth.authenticate("jane.doe", "wrong", None).await, Err(AuthError::Invalid)));
    assert!(matches!(auth.authenticate("", "s3cret-pass", None).await, Err(AuthError::Invalid)));
}

async fn bad_input_is_refused_with_reasons(e: Env) {
    let dir = e.core.directory();
    let invalid = |r: Result<agora_core::Principal, CoreError>| match r {
        Err(CoreError::Invalid(msg)) => msg,
        other => panic!("expected Invalid, got {other:?}"),
    };
    assert!(invalid(dir.add_user(&entry("bob", &[]), "short").await).contains("at least 8"));
    assert!(invalid(dir.add_user(&entry("bo b", &[]), "long enough").await).contains("may contain"));
    assert!(invalid(dir.add_user(&entry("bob", &["not-an-address"]), "long enough").await).contains("e-mail"));
    dir.add_user(&entry("bob", &["bob@example.org"]), "long enough").await.unwrap();
    assert!(matches!(dir.add_user(&entry("BOB", &[]), "long enough").await, Err(CoreError::Conflict(_))));
    assert!(matches!(dir.add_group(&entry("team", &["bob@example.org"])).await, Err(CoreError::Conflict(_))));
    assert!(matches!(dir.set_password("nobody", "long enough").await, Err(CoreError::NotFound { .. })));
    assert!(matches!(dir.delete(PrincipalKind::Group, "bob").await, Err(CoreError::NotFound { .. })));
    assert_eq!(dir.list(None).await.unwrap().len(), 1, "nothing else was written");
}

async fn initial_admin_is_created_once(e: Env) {
    let dir = e.core.directory();
    let pw = dir.ensure_initial_admin().await.unwrap().expect("created on an empty store");
    assert!(dir.ensure_initial_admin().await.unwrap().is_none());
    e.core.auth().authenticate("admin", &pw, None).await.unwrap();
    assert!(e.store.login("admin").await.unwrap().unwrap().password_hash.unwrap().starts_with("$argon2id$"));
}

async fn app_passwords_work_until_revoked(e: Env) {
    let dir = e.core.directory();
    dir.add_user(&entry("alice", &[]), "account-password").await.unwrap();
    let (app, secret) = dir.add_app_password("alice", "iPhone").await.unwrap();
    assert_eq!(app.label, "iPhone");
    let (_, other) = dir.add_app_password("alice", "laptop").await.unwrap();
    assert!(matches!(dir.add_app_password("alice", "iPhone").await, Err(CoreError::Conflict(_))));
    let auth = e.core.auth();
    auth.authenticate("alice", &secret, None).await.unwrap();
    auth.authenticate("alice", &other, None).await.unwrap();
    auth.authenticate("alice", "account-password", None).await.unwrap();
    dir.revoke_app_password("alice", "iPhone").await.unwrap();
    assert!(matches!(auth.authenticate("alice", &secret, None).await, Err(AuthError::Invalid)));
    auth.authenticate("alice", &other, None).await.unwrap();
    assert!(matches!(dir.revoke_app_password("alice", "iPhone").await, Err(CoreError::NotFound { .. })));
    let labels: Vec<_> = dir.app_passwords("alice").await.unwrap().into_iter().map(|a| a.label).collect();
    assert_eq!(labels, ["laptop"]);
}

async fn a_password_change_in_another_process_ends_cached_logins(e: Env) {
    e.core.directory().add_user(&entry("alice", &[]), "old-password").await.unwrap();
    let (_, app) = e.core.directory().add_app_password("alice", "phone").await.unwrap();
    let auth = e.core.auth();
    auth.authenticate("alice", "old-password", None).await.unwrap();
    auth.authenticate("alice", &app, None).await.unwrap(); // both now cached
    // A second core on the same store stands for the CLI or another front-end.
    let other = Core::new(e.store.clone(), config());
    other.directory().set_password("alice", "new-password").await.unwrap();
    assert!(matches!(auth.authenticate("alice", "old-password", None).await, Err(AuthError::Invalid)));
    auth.authenticate("alice", "new-password", None).await.unwrap();
    other.directory().revoke_app_password("alice", "phone").await.unwrap();
    assert!(matches!(auth.authenticate("alice", &app, None).await, Err(AuthError::Invalid)));
    other.directory().delete(PrincipalKind::User, "alice").await.unwrap();
    assert!(matches!(auth.authenticate("alice", "new-password", None).await, Err(AuthError::Invalid)));
}

async fn failures_are_throttled_alike_for_unknown_accounts(e: Env) {
    e.core.directory().add_user(&entry("alice", &[]), "right-password").await.unwrap();
    let auth = e.core.auth();
    for login in ["alice", "ghost"] {
        for _ in 0..3 {
            assert!(matches!(auth.authenticate(login, "guess", None).await, Err(AuthError::Invalid)));
        }
        match auth.authenticate(login, "right-password", None).await {
            Err(AuthError::Throttled { retry_after }) => assert!(retry_after <= Duration::from_secs(1)),
            other => panic!("{login}: expected throttling, got {other:?}"),
        }
    }
    tokio::time::sleep(Duration::from_millis(1100)).await;
    auth.authenticate("alice", "right-password", None).await.expect("allowed again after the back-off");
}

async fn groups_and_resources(e: Env) {
    let dir = e.core.directory();
    dir.add_user(&entry("alice", &[]), "password-1").await.unwrap();
    dir.add_group(&entry("staff", &["staff@example.org"])).await.unwrap();
    dir.add_group(&entry("everyone", &[])).await.unwrap();
    let room = dir.add_resource(&entry("Room-101", &["room101@example.org"]), ResourceKind::Room).await.unwrap();
    assert_eq!(room.resource_kind, Some(ResourceKind::Room));
    dir.add_member("staff", "alice").await.unwrap();
    dir.add_member("everyone", "staff").await.unwrap();
    assert!(matches!(dir.add_member("staff", "everyone").await, Err(CoreError::Conflict(_))));
    assert!(matches!(dir.add_member("staff", "room-101").await, Err(CoreError::Invalid(_))));
    assert!(matches!(dir.add_member("alice", "staff").await, Err(CoreError::NotFound { .. })));
    assert_eq!(dir.members("everyone").await.unwrap()[0].name, "staff");
    dir.remove_member("staff", "alice").await.unwrap();
    assert!(matches!(dir.remove_member("staff", "alice").await, Err(CoreError::NotFound { .. })));
    dir.delete(PrincipalKind::Resource, "room-101").await.unwrap();
    assert!(dir.list(Some(PrincipalKind::Resource)).await.unwrap().is_empty());
}
