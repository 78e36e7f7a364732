//! Domain errors. Each front-end turns them into its own terms (an HTTP status, a
//! CLI exit code) in one place.

use agora_store::{Conflict, PrincipalKind, StoreError};

/// An error of a domain operation.
#[derive(Debug, thiserror::Error)]
pub enum CoreError {
    /// The input breaks a rule; the message says which.
    #[error("{0}")]
    Invalid(String),
    /// The named thing does not exist.
    #[error("{what} {name:?} does not exist")]
    NotFound {
        /// "user", "group", "resource", "principal", "app password".
        what: &'static str,
        /// The name asked for.
        name: String,
    },
    /// The operation collides with existing data.
    #[error("{0}")]
    Conflict(String),
    /// The store failed.
    #[error(transparent)]
    Store(StoreError),
}

/// Result of a domain operation.
pub type Result<T, E = CoreError> = std::result::Result<T, E>;

impl From<StoreError> for CoreError {
    fn from(err: StoreError) -> Self {
        match err {
            StoreError::Conflict(c) => CoreError::Conflict(match c {
                Conflict::Name(n) => format!("the name {n:?} is already taken"),
                Conflict::Email(a) => format!("the address {a:?} already belongs to another principal"),
                Conflict::AppPasswordLabel(l) => format!("an app password labelled {l:?} already exists"),
                Conflict::AlreadyMember => "already a member of that group".to_owned(),
                Conflict::MembershipCycle => {
                    "a group cannot contain itself, directly or through other groups".to_owned()
                }
            }),
            other => CoreError::Store(other),
        }
    }
}

pub(crate) fn kind_word(kind: Option<PrincipalKind>) -> &'static str {
    match kind {
        Some(PrincipalKind::User) => "user",
        Some(PrincipalKind::Group) => "group",
        Some(PrincipalKind::Resource) => "resource",
        None => "principal",
    }
}
