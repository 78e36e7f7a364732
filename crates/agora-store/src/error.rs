//! Errors of the storage layer. They name what went wrong in storage terms; the
//! domain layer decides what each means to a user.

/// What a write collided with.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Conflict {
    /// A principal with this name exists.
    Name(String),
    /// This e-mail address belongs to another principal.
    Email(String),
    /// The user has an app password with this label.
    AppPasswordLabel(String),
    /// The principal is already a member of the group.
    AlreadyMember,
    /// Adding the member would make a group contain itself.
    MembershipCycle,
    /// A collection exists at this path.
    Path(String),
    /// Another member of the collection (named here) has the same UID.
    Uid(String),
    /// The object named here has another UID than the one replacing it.
    UidChange(String),
    /// The parent collection does not exist.
    NoParent(String),
    /// A conflicting lock holds the resource (its root path).
    Locked(String),
}

/// An error from the store.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// The write would break a uniqueness or structural rule.
    #[error("conflict: {0:?}")]
    Conflict(Conflict),
    /// A conditional write's condition (If-Match / If-None-Match) does not hold.
    #[error("precondition failed")]
    PreconditionFailed,
    /// Locks whose tokens the write did not submit protect what it changes
    /// (their roots); see [`crate::WriteRules`].
    #[error("locked")]
    Locked(Vec<String>),
    /// The write would take its owner past the quota ([`crate::WriteRules`]).
    #[error("quota exceeded")]
    QuotaExceeded,
    /// The store URL or data directory is unusable.
    #[error("{0}")]
    Config(String),
    /// Applying the schema migrations failed.
    #[error("migrating the database failed: {0}")]
    Migrate(#[from] sqlx::migrate::MigrateError),
    /// The database reported an error.
    #[error("database error: {0}")]
    Database(#[from] sqlx::Error),
}

/// Result of a store operation.
pub type Result<T, E = StoreError> = std::result::Result<T, E>;

impl StoreError {
    /// A unique-constraint violation that a pre-check inside the transaction did not
    /// catch can only come from a concurrent writer on another connection; report it
    /// as the conflict the caller would have seen a moment later.
    pub(crate) fn from_unique(err: sqlx::Error, conflict: Conflict) -> Self {
        match &err {
            sqlx::Error::Database(db) if db.is_unique_violation() => StoreError::Conflict(conflict),
            _ => StoreError::Database(err),
        }
    }
}
