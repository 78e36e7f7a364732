//! Checking credentials.
//!
//! Clients poll every few seconds with HTTP Basic, so verifying argon2 on every
//! request would burn a core per busy user. A successful verification is cached
//! ([`cache`]) under a keyed digest of login and password, together with the
//! user's credential epoch; a cache hit costs one indexed lookup of that epoch,
//! which every password change and app-password revocation increases, so a cached
//! login stops working at once in every process sharing the store.
//!
//! Repeated failures for one login or from one client address are throttled
//! ([`throttle`]) whether or not the account exists, and an unknown login costs the
//! same argon2 verification as a known one so that timing tells nothing either.

mod cache;
mod throttle;

pub use cache::constant_time_eq;

use std::net::IpAddr;
use std::sync::{Arc, OnceLock};
use std::time::Duration;

use agora_store::{PrincipalId, Store, StoreError};

use crate::external::{ExternalDirectory, ExternalUser};
use crate::password;
use cache::CredentialCache;
use throttle::Throttle;

/// Tuning of authentication.
#[derive(Debug, Clone)]
pub struct AuthConfig {
    /// How long a verified credential is trusted without argon2 (epoch still checked).
    pub cache_ttl: Duration,
    /// Failures for one login within `failure_window` before it is slowed down;
    /// a client address gets four times as many.
    pub max_failures: u32,
    /// Window in which failures are counted, and the longest back-off.
    pub failure_window: Duration,
}

impl Default for AuthConfig {
    fn default() -> Self {
        AuthConfig { cache_ttl: Duration::from_secs(300), max_failures: 5, failure_window: Duration::from_secs(300) }
    }
}

/// Who a request is from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Identity {
    /// The user's principal id.
    pub principal_id: PrincipalId,
    /// The user's name (even when they logged in with an e-mail address).
    pub name: String,
}

impl Identity {
    /// A request without credentials, let through only where an ACL grant to
    /// `DAV:unauthenticated` or `DAV:all` allows it (RFC 3744 §5.5.1). Principal
    /// ids start at 1 in both stores, so 0 is nobody.
    pub fn anonymous() -> Identity {
        Identity { principal_id: 0, name: String::new() }
    }

    /// Whether this is [`Identity::anonymous`].
    pub fn is_anonymous(&self) -> bool {
        self.principal_id == 0
    }
}

/// Why credentials were not accepted.
#[derive(Debug, thiserror::Error)]
pub enum AuthError {
    /// Wrong login or password (never says which).
    #[error("invalid credentials")]
    Invalid,
    /// The right password for an account an administrator disabled. Said only
    /// to someone who knew the password: to anyone else it is [`AuthError::Invalid`].
    #[error("this account is disabled; ask an administrator")]
    Disabled,
    /// Too many recent failures for this login or client; try again later.
    #[error("too many failed attempts; retry in {} s", retry_after.as_secs())]
    Throttled {
        /// When the next attempt will be considered.
        retry_after: Duration,
    },
    /// The store failed.
    #[error(transparent)]
    Store(#[from] StoreError),
}

/// Which secrets a check accepts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Secrets {
    /// The account password or an app password (DAV clients).
    AccountOrApp,
    /// The account password only (web sign-in).
    AccountOnly,
}

/// Verifies logins; see the module documentation.
pub struct Authenticator {
    store: Arc<dyn Store>,
    cache: CredentialCache,
    throttle: Throttle,
    external: Option<Arc<dyn ExternalDirectory>>,
}

impl Authenticator {
    pub(crate) fn new(store: Arc<dyn Store>, config: AuthConfig, external: Option<Arc<dyn ExternalDirectory>>) -> Self {
        Authenticator {
            store,
            cache: CredentialCache::new(config.cache_ttl),
            throttle: Throttle::new(config.max_failures, config.failure_window),
            external,
        }
    }

    pub(crate) fn external(&self) -> Option<&Arc<dyn ExternalDirectory>> {
        self.external.as_ref()
    }

    pub(crate) async fn provision_external(
        &self,
        user: &ExternalUser,
    ) -> crate::Result<(agora_store::Principal, bool)> {
        crate::external::provision(self.store.as_ref(), user).await
    }

    /// Checks a login (user name or e-mail address, any case) and password (the
    /// account password or one of the user's app passwords).
    pub async fn authenticate(&self, login: &str, secret: &str, client: Option<IpAddr>) -> Result<Identity, AuthError> {
        self.check(login, secret, client, Secrets::AccountOrApp).await
    }

    /// Checks a login and the account password only (or, for an external user,
    /// the directory's password): app passwords are for devices, and a web
    /// sign-in with one is refused like a wrong password. Failures count in the
    /// same throttle as [`Authenticator::authenticate`]'s.
    pub async fn authenticate_account(
        &self,
        login: &str,
        secret: &str,
        client: Option<IpAddr>,
    ) -> Result<Identity, AuthError> {
        self.check(login, secret, client, Secrets::AccountOnly).await
    }

    async fn check(
        &self,
        login: &str,
        secret: &str,
        client: Option<IpAddr>,
        secrets: Secrets,
    ) -> Result<Identity, AuthError> {
        let login = login.trim().to_lowercase();
        if let Some(retry_after) = self.throttle.blocked(&login, client) {
            tracing::warn!(login, client = ?client, "authentication throttled");
            return Err(AuthError::Throttled { retry_after });
        }
        // The cache does not record which secret matched, so an account-only
        // check always verifies (a sign-in is rare; a device polls).
        if secrets == Secrets::AccountOrApp
            && let Some(hit) = self.cache.get(&login, secret)
        {
            if self.store.auth_epoch(hit.principal_id).await? == Some(hit.epoch) {
                return Ok(Identity { principal_id: hit.principal_id, name: hit.name });
            }
            self.cache.forget(hit.principal_id);
        }
        match self.verify(&login, secret, secrets).await? {
            // Not a failure for the throttle: the password was right. Disabling
            // moved the epoch, so no cached verification of it is left either.
            Some((_, _, true)) => {
                tracing::warn!(login, client = ?client, "sign-in to a disabled account refused");
                Err(AuthError::Disabled)
            }
            Some((identity, epoch, false)) => {
                if secrets == Secrets::AccountOrApp {
                    self.cache.insert(&login, secret, identity.principal_id, &identity.name, epoch);
                }
                self.throttle.succeeded(&login);
                Ok(identity)
            }
            None => {
                self.throttle.failed(&login, client);
                tracing::warn!(login, client = ?client, "authentication failed");
                Err(AuthError::Invalid)
            }
        }
    }

    /// The full check with argon2; `None` when the credentials are wrong, else
    /// who it is, their epoch and whether the account is disabled.
    async fn verify(
        &self,
        login: &str,
        secret: &str,
        secrets: Secrets,
    ) -> Result<Option<(Identity, i64, bool)>, StoreError> {
        let record = if login.is_empty() { None } else { self.store.login(login).await? };
        let app_hint = password::app_hint(secret).filter(|_| secrets == Secrets::AccountOrApp);
        // Users without a local password are the external directory's (and so is
        // a login it knows that is not local yet); their app passwords are local.
        if let Some(external) = &self.external
            && record.as_ref().is_none_or(|r| r.password_hash.is_none())
            && app_hint.is_none()
        {
            return self.verify_external(external.as_ref(), login, secret).await;
        }
        let Some(record) = record else {
            // Spend the same time as for a real account.
            password::verify_async(secret.to_owned(), vec![dummy_hash().to_owned()]).await;
            return Ok(None);
        };
        let mut candidates = Vec::new();
        if let Some(hint) = app_hint {
            candidates = self.store.app_password_hashes(record.id, hint).await?;
        }
        candidates.extend(record.password_hash.clone());
        let ok = password::verify_async(secret.to_owned(), candidates).await;
        Ok(ok.then_some((Identity { principal_id: record.id, name: record.name }, record.auth_epoch, record.disabled)))
    }

    /// The external directory's check; the user becomes local on success.
    async fn verify_external(
        &self,
        external: &dyn ExternalDirectory,
        login: &str,
        secret: &str,
    ) -> Result<Option<(Identity, i64, bool)>, StoreError> {
        // An empty password would be an anonymous bind, which LDAP servers accept.
        if login.is_empty() || secret.is_empty() {
            return Ok(None);
        }
        let user = match external.check_password(login, secret).await {
            Ok(Some(user)) => user,
            Ok(None) => return Ok(None),
            Err(e) => {
                tracing::error!(error = %e, "external directory unavailable");
                return Ok(None);
            }
        };
        let principal = match crate::external::provision(self.store.as_ref(), &user).await {
            Ok((p, _)) => p,
            Err(crate::CoreError::Store(e)) => return Err(e),
            Err(e) => {
                tracing::warn!(login, error = %e, "external user cannot become local");
                return Ok(None);
            }
        };
        // A local account of that name with its own password is not the LDAP user's.
        let Some(record) = self.store.login(&principal.name).await? else { return Ok(None) };
        if record.password_hash.is_some() {
            return Ok(None);
        }
        Ok(Some((Identity { principal_id: record.id, name: record.name }, record.auth_epoch, record.disabled)))
    }

    /// Drops cached verifications of a principal (after a credential change made in
    /// this process; other processes notice through the epoch).
    pub fn forget(&self, id: PrincipalId) {
        self.cache.forget(id);
    }
}

fn dummy_hash() -> &'static str {
    static DUMMY: OnceLock<String> = OnceLock::new();
    DUMMY.get_or_init(|| password::hash(&password::generate()))
}
