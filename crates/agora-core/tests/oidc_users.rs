//! Which user an OpenID Connect sign-in is (agora_core::oidc), on SQLite and
//! PostgreSQL: links, verified e-mails, account creation, and the refusals that
//! keep one person from reaching another's calendars.

use agora_core::directory::NewEntry;
use agora_core::oidc::OidcIdentity;
use agora_core::{Core, CoreConfig, CoreError, PrincipalKind, ResourceKind};
use agora_store::Synchronous;
use agora_testkit::Backend;

struct Env {
    core: Core,
    _dir: tempfile::TempDir,
}

async fn env(backend: Backend) -> Env {
    let agora_testkit::StorePlace { dir, url } = agora_testkit::store_place(backend).await;
    let store = agora_store::open(url.as_deref(), dir.path(), Synchronous::Normal).await.unwrap();
    let core = Core::new(store, CoreConfig::default());
    let alice = NewEntry { name: "alice".into(), display_name: None, emails: vec!["alice@example.org".into()] };
    core.directory().add_user(&alice, "alice-password").await.unwrap();
    let room = NewEntry { name: "room1".into(), display_name: None, emails: vec!["room1@example.org".into()] };
    core.directory().add_resource(&room, ResourceKind::Room).await.unwrap();
    Env { core, _dir: dir }
}

agora_testkit::on_both_stores!(
    async env;
    a_verified_email_links_and_the_link_is_followed,
    unverified_emails_and_taken_names_are_refused,
    accounts_are_created_only_when_allowed,
);

fn identity(subject: &str, email: Option<&str>, verified: bool, username: Option<&str>) -> OidcIdentity {
    OidcIdentity {
        issuer: "https://id.example.org".into(),
        subject: subject.into(),
        email: email.map(str::to_owned),
        email_verified: verified,
        preferred_username: username.map(str::to_owned),
        name: Some("Someone Test".into()),
    }
}

fn refusal(r: Result<agora_core::Principal, CoreError>) -> String {
    match r {
        Err(CoreError::Forbidden(m)) => m,
        other => panic!("expected a refusal, got {other:?}"),
    }
}

async fn a_verified_email_links_and_the_link_is_followed(e: Env) {
    let id = identity("s-alice", Some("Alice@Example.org"), true, Some("whatever"));
    let p = e.core.oidc_user(&id, false).await.unwrap();
    assert_eq!(p.name, "alice");
    // Later the provider's address changes: the link (issuer, sub) still decides.
    let moved = identity("s-alice", Some("alice@elsewhere.example"), true, None);
    assert_eq!(e.core.oidc_user(&moved, false).await.unwrap().name, "alice");
    // The same subject at another issuer is another person.
    let other = OidcIdentity { issuer: "https://other.example.org".into(), ..moved };
    refusal(e.core.oidc_user(&other, false).await);
    // A verified address of a room is not a person's.
    let m = refusal(e.core.oidc_user(&identity("s-room", Some("room1@example.org"), true, None), true).await);
    assert!(m.contains("not to a person"), "{m}");
}

async fn unverified_emails_and_taken_names_are_refused(e: Env) {
    // An unverified address claiming alice's is not alice, and does not create
    // an account under her name either.
    let fake = identity("s-fake", Some("alice@example.org"), false, Some("alice"));
    let m = refusal(e.core.oidc_user(&fake, true).await);
    assert!(m.contains("exists already"), "{m}");
    // No link was made by the refused attempt.
    let m = refusal(e.core.oidc_user(&identity("s-fake", None, false, None), true).await);
    assert!(m.contains("neither a user name nor a verified e-mail"), "{m}");
    assert_eq!(e.core.directory().get(Some(PrincipalKind::User), "alice").await.unwrap().emails, ["alice@example.org"]);
}

async fn accounts_are_created_only_when_allowed(e: Env) {
    let jane = identity("s-jane", Some("jane@example.org"), true, Some("Jane"));
    let m = refusal(e.core.oidc_user(&jane, false).await);
    assert!(m.contains("ask an administrator"), "{m}");
    let p = e.core.oidc_user(&jane, true).await.unwrap();
    assert_eq!((p.name.as_str(), p.display_name.as_str()), ("jane", "Someone Test"));
    assert_eq!(p.emails, ["jane@example.org"]);
    // Linked: the next sign-in finds her without creating anything.
    assert_eq!(e.core.oidc_user(&jane, false).await.unwrap().id, p.id);
    // An unverified address is not given to a new account.
    let tom = e.core.oidc_user(&identity("s-tom", Some("tom@example.org"), false, Some("tom")), true).await.unwrap();
    assert!(tom.emails.is_empty(), "{:?}", tom.emails);
    // A new account has no password: Basic sign-in with any is refused.
    assert!(e.core.auth().authenticate("jane", "", None).await.is_err());
}
