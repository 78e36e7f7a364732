//! The directory half of the storage interface. Every method is one transaction.

use crate::error::Result;
use crate::model::*;

/// Principals, addresses, memberships and credentials.
#[async_trait::async_trait]
pub trait DirectoryStore: Send + Sync + 'static {
    /// "sqlite" or "postgres", for logs and `/health`.
    fn backend(&self) -> &'static str;

    /// Checks that the database answers.
    async fn ping(&self) -> Result<()>;

    /// Closes every connection, waiting for running statements to finish.
    async fn close(&self);

    /// Refreshes the query planner's statistics (PostgreSQL `ANALYZE`, SQLite
    /// `PRAGMA optimize`): after a bulk load, stale statistics made PostgreSQL walk
    /// whole tables for a sync (33 ms instead of 1 ms) until autovacuum caught up.
    async fn refresh_statistics(&self) -> Result<()>;

    /// Number of user principals (first-run detection).
    async fn count_users(&self) -> Result<u64>;

    /// Creates a principal and its addresses, or fails with
    /// [`crate::Conflict::Name`] / [`crate::Conflict::Email`].
    async fn insert_principal(&self, new: &NewPrincipal, now: i64) -> Result<Principal>;

    /// Looks a principal up by its (normalised) name.
    async fn principal(&self, name: &str) -> Result<Option<Principal>>;

    /// Looks a principal up by id.
    async fn principal_by_id(&self, id: PrincipalId) -> Result<Option<Principal>>;

    /// Looks a principal up by one of its (lower-case) e-mail addresses.
    async fn principal_by_email(&self, address: &str) -> Result<Option<Principal>>;

    /// The principals any of these (lower-case) e-mail addresses belong to, each
    /// once with all its addresses, ordered by id; unknown addresses find nothing.
    /// One query for the many attendees of a free/busy request.
    async fn principals_by_emails(&self, addresses: &[String]) -> Result<Vec<Principal>>;

    /// Every principal, or those of one kind, ordered by name.
    async fn principals(&self, kind: Option<PrincipalKind>) -> Result<Vec<Principal>>;

    /// Deletes a principal with its addresses, memberships and app passwords.
    /// Returns whether it existed.
    async fn delete_principal(&self, id: PrincipalId) -> Result<bool>;

    /// Replaces the account password hash and bumps the credential epoch.
    /// Returns whether the principal existed.
    async fn set_password(&self, id: PrincipalId, hash: &str) -> Result<bool>;

    /// Finds the user a login names: by user name first, then by e-mail address.
    async fn login(&self, login: &str) -> Result<Option<LoginRecord>>;

    /// The credential epoch of a principal: a number every password change and
    /// app-password revocation increases, so that a cached verification made
    /// before it is recognised as stale by any process.
    async fn auth_epoch(&self, id: PrincipalId) -> Result<Option<i64>>;

    /// Hashes of the user's app passwords whose hint is `hint`.
    async fn app_password_hashes(&self, id: PrincipalId, hint: &str) -> Result<Vec<String>>;

    /// Adds an app password, or fails with [`crate::Conflict::AppPasswordLabel`].
    async fn insert_app_password(
        &self,
        id: PrincipalId,
        label: &str,
        hint: &str,
        hash: &str,
        now: i64,
    ) -> Result<AppPassword>;

    /// The user's app passwords, oldest first.
    async fn app_passwords(&self, id: PrincipalId) -> Result<Vec<AppPassword>>;

    /// Revokes an app password and bumps the credential epoch. Returns whether
    /// it existed.
    async fn delete_app_password(&self, id: PrincipalId, label: &str) -> Result<bool>;

    /// Makes `member` a direct member of `group`, or fails with
    /// [`crate::Conflict::AlreadyMember`] or [`crate::Conflict::MembershipCycle`].
    async fn add_member(&self, group: PrincipalId, member: PrincipalId) -> Result<()>;

    /// Removes a direct membership. Returns whether it existed.
    async fn remove_member(&self, group: PrincipalId, member: PrincipalId) -> Result<bool>;

    /// Direct members of a group, ordered by name.
    async fn members(&self, group: PrincipalId) -> Result<Vec<Principal>>;

    /// Replaces what an administrator set on a principal; with `end_sessions`
    /// its credential epoch moves too, so cached logins and web sessions end.
    /// Returns whether the principal existed.
    async fn set_settings(&self, id: PrincipalId, settings: &Settings, end_sessions: bool) -> Result<bool>;

    /// Bytes stored by every principal that owns any (what
    /// [`crate::CollectionStore::usage`] says of each).
    async fn usage_by_owner(&self) -> Result<Vec<(PrincipalId, i64)>>;

    /// How many principals, collections and objects the store holds.
    async fn counts(&self) -> Result<Counts>;
}
