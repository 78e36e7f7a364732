//! Web sign-in sessions and the web interface's preferences.
//!
//! A session is opened by the same password check as HTTP Basic
//! ([`crate::Authenticator::authenticate_account`]: LDAP included, same throttle), but
//! app passwords are refused: they are for devices. The browser gets an opaque
//! random token (256 bits, base64url); the store keeps only its SHA-256, so a
//! copy of the database opens nothing. Every request the token authorises must
//! also repeat the session's CSRF token (checked by [`Session::csrf_matches`]).
//!
//! A session ends at logout, after [`SessionConfig::idle`] without use, at
//! [`SessionConfig::max`] after sign-in whatever the use, and as soon as the
//! user's credential epoch moves (a password change, an app-password revocation)
//! or the account is deleted. Each check reads the epoch from the database, so
//! a change made by another process counts at once.
//!
//! Sessions live in the store rather than in signed cookies so that logout and
//! a password change end them everywhere at once (docs/decisions.md).

use std::net::IpAddr;
use std::time::Duration;

use agora_store::{Principal, PrincipalId, PrincipalKind, StoredSession};
use base64::Engine;
use rand::RngCore;
use rand::rngs::OsRng;
use sha2::{Digest, Sha256};

use crate::{AuthError, Core, CoreError, Identity, Result, now};

/// How long sessions last.
#[derive(Debug, Clone)]
pub struct SessionConfig {
    /// A session unused this long ends.
    pub idle: Duration,
    /// A session ends this long after sign-in, however much it is used.
    pub max: Duration,
}

impl Default for SessionConfig {
    fn default() -> Self {
        SessionConfig { idle: Duration::from_secs(12 * 3600), max: Duration::from_secs(7 * 24 * 3600) }
    }
}

/// Largest preferences document, in bytes.
pub const MAX_PREFERENCES_BYTES: usize = 16 * 1024;

/// A live session. Its `Debug` output shows neither token.
#[derive(Clone)]
pub struct Session {
    /// The browser's token (only ever stored hashed).
    pub token: String,
    /// The token every request must repeat in a header.
    pub csrf: String,
    /// Whose session it is.
    pub identity: Identity,
    /// When it opened (seconds since the Unix epoch).
    pub created_at: i64,
    /// When it ends unless used again; never after `created_at + max`.
    pub expires_at: i64,
}

impl std::fmt::Debug for Session {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Session")
            .field("token", &"***")
            .field("csrf", &"***")
            .field("identity", &self.identity)
            .field("created_at", &self.created_at)
            .field("expires_at", &self.expires_at)
            .finish()
    }
}

impl Session {
    /// Whether `given` is this session's CSRF token, compared in constant time.
    pub fn csrf_matches(&self, given: &str) -> bool {
        crate::auth::constant_time_eq(self.csrf.as_bytes(), given.as_bytes())
    }

    /// When the session ends at the latest, whatever its use.
    pub fn hard_end(&self, config: &SessionConfig) -> i64 {
        self.created_at.saturating_add(secs(config.max))
    }
}

impl Core {
    /// Signs a user in with their login and account password (or their LDAP
    /// password); app passwords are refused like a wrong password.
    pub async fn open_session(
        &self,
        login: &str,
        password: &str,
        client: Option<IpAddr>,
    ) -> Result<(Session, Principal), AuthError> {
        let identity = self.auth.authenticate_account(login, password, client).await?;
        match self.open_session_for(identity.principal_id, client).await {
            Ok(opened) => Ok(opened),
            Err(CoreError::Store(e)) => Err(AuthError::Store(e)),
            // Disabled between the password check and the session.
            Err(CoreError::Forbidden(_)) => Err(AuthError::Disabled),
            // The user vanished between the check and the session.
            Err(_) => Err(AuthError::Invalid),
        }
    }

    /// Opens a session for a user someone else authenticated (OpenID Connect).
    pub async fn open_session_for(
        &self,
        principal_id: PrincipalId,
        client: Option<IpAddr>,
    ) -> Result<(Session, Principal)> {
        let principal = self.store.principal_by_id(principal_id).await?.filter(|p| p.kind == PrincipalKind::User);
        let Some(principal) = principal else {
            return Err(CoreError::NotFound { what: "user", name: principal_id.to_string() });
        };
        // OpenID Connect comes here without the password check; a session read
        // later also ends when disabling moved the epoch read below.
        if principal.settings.disabled {
            return Err(CoreError::Forbidden(AuthError::Disabled.to_string()));
        }
        let Some(epoch) = self.store.auth_epoch(principal_id).await? else {
            return Err(CoreError::NotFound { what: "user", name: principal_id.to_string() });
        };
        let config = &self.config.sessions;
        let now = now();
        let token = random_token();
        let stored = StoredSession {
            token_hash: token_hash(&token),
            principal_id,
            csrf: random_token(),
            auth_epoch: epoch,
            created_at: now,
            last_seen: now,
            expires_at: expiry(now, now, config),
        };
        self.store.insert_session(&stored).await?;
        tracing::info!(user = %principal.name, client = ?client, "web session opened");
        let session = Session {
            token,
            csrf: stored.csrf,
            identity: Identity { principal_id, name: principal.name.clone() },
            created_at: now,
            expires_at: stored.expires_at,
        };
        Ok((session, principal))
    }

    /// The live session of a token, its use recorded; `None` when the token is
    /// unknown, the session ended, or the user's credentials changed since.
    pub async fn session(&self, token: &str) -> Result<Option<Session>> {
        if !plausible_token(token) {
            return Ok(None);
        }
        let config = &self.config.sessions;
        let now = now();
        let hash = token_hash(token);
        let Some(found) = self.store.session(&hash, now).await? else { return Ok(None) };
        let s = found.session;
        let idle_end = s.last_seen.saturating_add(secs(config.idle));
        let hard_end = s.created_at.saturating_add(secs(config.max));
        if found.current_epoch != s.auth_epoch || now >= idle_end || now >= hard_end {
            // Also when the configured limits shrank since the session opened.
            self.store.delete_session(&hash).await?;
            return Ok(None);
        }
        let mut expires_at = s.expires_at;
        // One write per minute at most (less with short limits), not one per request.
        if now - s.last_seen >= touch_interval(config) {
            expires_at = expiry(s.created_at, now, config);
            self.store.touch_session(&hash, now, expires_at).await?;
        }
        Ok(Some(Session {
            token: token.to_owned(),
            csrf: s.csrf,
            identity: Identity { principal_id: s.principal_id, name: found.name },
            created_at: s.created_at,
            expires_at,
        }))
    }

    /// Ends a session (logout). Returns whether it existed.
    pub async fn close_session(&self, token: &str) -> Result<bool> {
        if !plausible_token(token) {
            return Ok(false);
        }
        Ok(self.store.delete_session(&token_hash(token)).await?)
    }

    /// Removes ended sessions from the store (the background refresh calls it).
    pub async fn purge_sessions(&self) -> Result<u64> {
        Ok(self.store.purge_sessions(now()).await?)
    }

    /// The user's web preferences: the JSON object they stored, or `{}`.
    pub async fn preferences(&self, who: &Identity) -> Result<String> {
        Ok(self.store.preferences(who.principal_id).await?.unwrap_or_else(|| "{}".to_owned()))
    }

    /// Replaces the user's web preferences: a JSON object of at most
    /// [`MAX_PREFERENCES_BYTES`], stored verbatim.
    pub async fn set_preferences(&self, who: &Identity, json: &str) -> Result<()> {
        if who.is_anonymous() {
            return Err(CoreError::Unauthenticated);
        }
        if json.len() > MAX_PREFERENCES_BYTES {
            return Err(CoreError::Invalid(format!("preferences are at most {MAX_PREFERENCES_BYTES} bytes")));
        }
        match serde_json::from_str::<serde_json::Value>(json) {
            Ok(serde_json::Value::Object(_)) => {}
            _ => return Err(CoreError::Invalid("preferences must be a JSON object".to_owned())),
        }
        Ok(self.store.set_preferences(who.principal_id, json, now()).await?)
    }
}

fn secs(d: Duration) -> i64 {
    i64::try_from(d.as_secs()).unwrap_or(i64::MAX)
}

/// The end of a session opened at `created` and last used at `used`.
fn expiry(created: i64, used: i64, config: &SessionConfig) -> i64 {
    used.saturating_add(secs(config.idle)).min(created.saturating_add(secs(config.max)))
}

/// How stale `last_seen` may get before a use is written: a sixtieth of the
/// idle limit, at most a minute (so the idle limit is kept to within 2 %).
fn touch_interval(config: &SessionConfig) -> i64 {
    (secs(config.idle) / 60).min(60)
}

/// 256 random bits, base64url without padding (43 characters).
pub(crate) fn random_token() -> String {
    let mut bytes = [0u8; 32];
    OsRng.fill_bytes(&mut bytes);
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(bytes)
}

/// What the store keeps of a token: its SHA-256, lower-case hex.
pub(crate) fn token_hash(token: &str) -> String {
    Sha256::digest(token.as_bytes()).iter().map(|b| format!("{b:02x}")).collect()
}

/// Whether a string can be a token at all (skips the store for garbage).
pub(crate) fn plausible_token(token: &str) -> bool {
    token.len() == 43 && token.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_are_random_base64url_and_hashed() {
        let (a, b) = (random_token(), random_token());
        assert_ne!(a, b);
        assert!(plausible_token(&a), "{a}");
        assert!(!plausible_token("short") && !plausible_token(&format!("{}=", &a[..42])));
        assert_eq!(token_hash(&a).len(), 64);
        assert_ne!(token_hash(&a), token_hash(&b));
    }

    #[test]
    fn expiry_is_the_earlier_of_idle_and_max() {
        let config = SessionConfig { idle: Duration::from_secs(10), max: Duration::from_secs(25) };
        assert_eq!(expiry(100, 100, &config), 110);
        assert_eq!(expiry(100, 112, &config), 122);
        assert_eq!(expiry(100, 120, &config), 125);
        assert_eq!(touch_interval(&config), 0);
        assert_eq!(touch_interval(&SessionConfig::default()), 60);
    }

    #[test]
    fn csrf_comparison() {
        let s = Session {
            token: String::new(),
            csrf: "abc".into(),
            identity: Identity::anonymous(),
            created_at: 0,
            expires_at: 0,
        };
        assert!(s.csrf_matches("abc"));
        assert!(!s.csrf_matches("abd") && !s.csrf_matches("ab") && !s.csrf_matches(""));
        assert!(!format!("{s:?}").contains("abc"), "no secret in Debug output");
    }
}
