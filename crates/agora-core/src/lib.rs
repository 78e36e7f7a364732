//! Agora's domain layer. Every write and every authorization goes through here;
//! the HTTP front-end and the CLI are callers of [`Core`].
//!
//! # Layout
//! - [`names`]: what a principal name, e-mail address or display name may be.
//! - [`password`]: argon2id hashing and password generation.
//! - [`directory`]: users, groups (nested) and resources.
//! - [`admin`]: administrators, disabled accounts, per-user quotas and the
//!   booking rules of rooms and equipment.
//! - [`auth`]: checking credentials, with a verified-credential cache and a
//!   throttle for repeated failures.
//! - [`resources`]: homes, collections and objects, validated and authorized.
//! - [`birthdays`]: the read-only calendar of the birthdays and anniversaries
//!   in each user's address books.
//! - [`sessions`]: web sign-in sessions (opened by the same password check as
//!   Basic) and the web interface's per-user preferences.
//! - [`account`]: a user's own password change and configuration-profile links.
//! - [`records`]: the trash, legal holds and the audit log (who did what, from where).
//!
//! # Design
//! The core owns the rules (validation, uniqueness messages, cache invalidation);
//! the store owns transactions. A rule that needs atomicity (no duplicate name, no
//! group cycle) is checked inside the store's transaction and reported here as a
//! typed [`CoreError`].

pub mod account;
pub mod acl;
pub mod admin;
pub mod auth;
pub mod birthdays;
mod classify;
pub mod directory;
mod error;
pub mod external;
pub mod gal;
pub mod instances;
pub mod language;
pub mod names;
pub mod oidc;
pub mod password;
pub mod records;
pub mod resources;
pub mod scheduling;
pub mod search;
pub mod sessions;
pub mod subscriptions;

pub use account::PasswordChangeError;
pub use agora_store::{AppPassword, Principal, PrincipalKind, ResourceKind, Store};
pub use auth::{AuthConfig, AuthError, Authenticator, Identity};
pub use directory::Directory;
pub use error::{CoreError, Filler, Result, Rule};
pub use language::Language;
pub use resources::{Access, Resources, View};
pub use sessions::{Session, SessionConfig};

use std::sync::Arc;

/// Tuning of the domain.
#[derive(Debug, Clone)]
pub struct CoreConfig {
    /// Authentication.
    pub auth: AuthConfig,
    /// Largest object a PUT may store, in bytes (CALDAV/CARDDAV:max-resource-size).
    pub max_resource_size: u64,
    /// Bytes each principal may store (RFC 4331); `None`: unlimited.
    pub user_quota_bytes: Option<u64>,
    /// iTIP by e-mail.
    pub imip: scheduling::ImipConfig,
    /// Web sign-in sessions.
    pub sessions: SessionConfig,
    /// Which addresses subscribed feeds may be fetched from (judged at creation
    /// for what needs no lookup, and again by the binary's fetcher).
    pub feeds: subscriptions::address::FeedPolicy,
    /// The language of server-written text for users who chose none (and for
    /// requests without a user that name no language we write).
    pub default_language: Language,
    /// The trash's retention and what the audit log records.
    pub records: records::RecordsConfig,
}

impl Default for CoreConfig {
    fn default() -> Self {
        CoreConfig {
            auth: AuthConfig::default(),
            max_resource_size: 10 * 1024 * 1024,
            user_quota_bytes: None,
            imip: Default::default(),
            sessions: SessionConfig::default(),
            feeds: Default::default(),
            default_language: Language::En,
            records: Default::default(),
        }
    }
}

/// The domain services, shared by every front-end.
pub struct Core {
    store: Arc<dyn Store>,
    auth: Arc<Authenticator>,
    config: CoreConfig,
    homes: resources::HomeCache,
    subscriptions_changed: tokio::sync::Notify,
    /// One birthdays-calendar rebuild at a time (see [`birthdays`]).
    birthdays_gate: tokio::sync::Mutex<()>,
    /// When this core was built (the process's start, for the health page).
    started_at: i64,
    /// The last background refresh of the directory: when, and its error.
    last_refresh: std::sync::Mutex<Option<(i64, Option<String>)>>,
    /// Reads of others' data recently recorded (see [`records::audit`]).
    reads_seen: records::audit::ReadsSeen,
}

impl Core {
    /// Builds the core on an opened store.
    pub fn new(store: Arc<dyn Store>, config: CoreConfig) -> Self {
        Self::with_external(store, config, None)
    }

    /// Builds the core with an external directory (LDAP) beside the local one.
    pub fn with_external(
        store: Arc<dyn Store>,
        config: CoreConfig,
        external: Option<Arc<dyn external::ExternalDirectory>>,
    ) -> Self {
        let auth = Arc::new(Authenticator::new(store.clone(), config.auth.clone(), external));
        Core {
            store,
            auth,
            config,
            homes: Default::default(),
            subscriptions_changed: Default::default(),
            birthdays_gate: Default::default(),
            started_at: now(),
            last_refresh: Default::default(),
            reads_seen: Default::default(),
        }
    }

    /// Resource operations on behalf of an authenticated user.
    pub fn resources<'a>(&'a self, who: &'a Identity) -> resources::Resources<'a> {
        resources::Resources::new(self, who)
    }

    /// Every collection a principal owns (administration listings).
    pub async fn store_collections_of(&self, owner: agora_store::PrincipalId) -> Result<Vec<agora_store::Collection>> {
        Ok(self.store.collections_of(owner).await?)
    }

    /// The configuration the core runs with.
    pub fn config(&self) -> &CoreConfig {
        &self.config
    }

    /// Directory administration (users, groups, resources, app passwords).
    pub fn directory(&self) -> Directory<'_> {
        Directory::new(&self.store, &self.auth)
    }

    /// Credential checks.
    pub fn auth(&self) -> &Authenticator {
        &self.auth
    }

    /// Checks that the store answers.
    pub async fn health(&self) -> Result<()> {
        Ok(self.store.ping().await?)
    }

    /// "sqlite" or "postgres".
    pub fn backend(&self) -> &'static str {
        self.store.backend()
    }

    /// Closes the store, waiting for running statements.
    pub async fn close(&self) {
        self.store.close().await;
    }
}

/// Seconds since the Unix epoch.
pub fn now() -> i64 {
    std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map(|d| d.as_secs() as i64).unwrap_or(0)
}
