//! The web interface's half of the storage interface: sign-in sessions and the
//! per-user preferences of the page. The store keeps what it is given; the
//! core decides expiry, sizes and who may do what.

use crate::error::Result;
use crate::model::PrincipalId;

/// A stored sign-in session. The token itself is never stored, only its hash.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredSession {
    /// SHA-256 of the cookie's token, lower-case hex.
    pub token_hash: String,
    /// Whose session it is.
    pub principal_id: PrincipalId,
    /// The token every request authorised by this session must repeat in a header.
    pub csrf: String,
    /// The user's credential epoch when the session opened.
    pub auth_epoch: i64,
    /// When it opened (seconds since the Unix epoch).
    pub created_at: i64,
    /// When it was last used (updated sparingly, see the core).
    pub last_seen: i64,
    /// When it ends unless used again.
    pub expires_at: i64,
}

/// A session as read, with what the core checks it against: the user's name
/// now and credential epoch now (read in the same statement, never cached).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SessionLookup {
    /// The stored session.
    pub session: StoredSession,
    /// The user's name.
    pub name: String,
    /// The user's credential epoch now.
    pub current_epoch: i64,
}

/// Sessions and preferences; every method is one transaction.
#[async_trait::async_trait]
pub trait SessionStore: Send + Sync + 'static {
    /// Stores a new session.
    async fn insert_session(&self, session: &StoredSession) -> Result<()>;

    /// The session with this token hash, if it exists and `expires_at > now`.
    async fn session(&self, token_hash: &str, now: i64) -> Result<Option<SessionLookup>>;

    /// Records a use: sets `last_seen` and `expires_at`. Returns whether the
    /// session still existed.
    async fn touch_session(&self, token_hash: &str, last_seen: i64, expires_at: i64) -> Result<bool>;

    /// Deletes a session. Returns whether it existed.
    async fn delete_session(&self, token_hash: &str) -> Result<bool>;

    /// Deletes every session of a principal; returns how many there were.
    async fn delete_sessions_of(&self, principal_id: PrincipalId) -> Result<u64>;

    /// Deletes the sessions that ended at or before `now`; returns how many.
    async fn purge_sessions(&self, now: i64) -> Result<u64>;

    /// The principal's web preferences (a JSON text), if any were stored.
    async fn preferences(&self, principal_id: PrincipalId) -> Result<Option<String>>;

    /// Replaces the principal's web preferences.
    async fn set_preferences(&self, principal_id: PrincipalId, json: &str, now: i64) -> Result<()>;

    /// The user an OpenID Connect identity (issuer, subject) is linked to.
    async fn oidc_link(&self, issuer: &str, subject: &str) -> Result<Option<PrincipalId>>;

    /// Links an OpenID Connect identity to a user, replacing its earlier link.
    async fn set_oidc_link(&self, issuer: &str, subject: &str, principal_id: PrincipalId, now: i64) -> Result<()>;

    /// Stores a single-use link to a user's configuration profile (by the hash
    /// of its token), and deletes the links that ended at or before `now`.
    async fn insert_profile_link(
        &self,
        token_hash: &str,
        principal_id: PrincipalId,
        expires_at: i64,
        now: i64,
    ) -> Result<()>;

    /// Deletes the link with this token hash and returns its user when it had
    /// not ended at `now`: whoever calls first gets it, nobody after.
    async fn take_profile_link(&self, token_hash: &str, now: i64) -> Result<Option<PrincipalId>>;
}
