//! Domain errors. Each front-end turns them into its own terms (an HTTP status and
//! a `DAV:error` body, a CLI exit code) in one place.

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
        /// "user", "group", "resource", "principal", "app password", "resource".
        what: &'static str,
        /// The name asked for.
        name: String,
    },
    /// The operation collides with existing data.
    #[error("{0}")]
    Conflict(String),
    /// Something already exists where it was to be created.
    #[error("{0}")]
    Exists(String),
    /// The caller may not do this.
    #[error("{0}")]
    Forbidden(String),
    /// Only a signed-in user may do this (the directory, free/busy by URL).
    #[error("sign in first")]
    Unauthenticated,
    /// A lock held by someone else (or whose token was not submitted) protects
    /// the resource; the lock roots are given (RFC 4918 §9.10.6, 423 Locked).
    #[error("the resource is locked")]
    Locked(Vec<String>),
    /// A conditional request's condition (If-Match, If-None-Match) does not hold.
    #[error("precondition failed")]
    PreconditionFailed,
    /// A protocol rule (a CalDAV/CardDAV/WebDAV precondition) is not met.
    #[error("{0}")]
    Rule(Rule),
    /// The store failed.
    #[error(transparent)]
    Store(StoreError),
    /// An external service (the LDAP directory) failed.
    #[error("{0}")]
    Unavailable(String),
}

/// The preconditions of RFC 4791 §5.3.2.1 / RFC 6352 §6.3.2.1 and friends, as
/// domain values; the DAV layer writes them as `DAV:error` bodies.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum Rule {
    /// Another member of the collection (named) has the same UID.
    #[error("another object ({name:?}) in this collection has the same UID")]
    UidConflict {
        /// The existing member's name.
        name: String,
    },
    /// The object would replace one (named) with another UID (RFC 4791
    /// §5.3.2.1, RFC 6352 §6.3.2.1: the same `no-uid-conflict` precondition).
    #[error("{name:?} holds an object with another UID; a UID cannot change, create a new resource instead")]
    UidChange {
        /// The replaced member's name.
        name: String,
    },
    /// The calendar user already has a scheduling object with this UID, at
    /// `path` (RFC 6638 §3.2.4.1: one per UID among all their calendars).
    #[error("/{path} is already this meeting in your calendars: change or move that one")]
    UniqueSchedulingObject {
        /// The stored path of the existing scheduling object.
        path: String,
    },
    /// The media type is not one the collection stores.
    #[error("unsupported media type for this collection: {0}")]
    SupportedData(String),
    /// The bytes do not parse as iCalendar / vCard.
    #[error("invalid data: {0}")]
    ValidData(String),
    /// Parses, but breaks the object-resource rules (one UID, one component type…).
    #[error("not a valid object resource: {0}")]
    ObjectResource(String),
    /// The calendar does not accept this component type.
    #[error("this calendar does not accept {0}")]
    SupportedComponent(String),
    /// The object is larger than allowed.
    #[error("the object exceeds the maximum size of {max} bytes")]
    MaxSize {
        /// The limit in bytes.
        max: u64,
    },
    /// A calendar or address book cannot be created here.
    #[error("a collection of this kind cannot be created here")]
    CollectionLocation,
    /// The owner's quota would be exceeded (RFC 4331 §6, 507).
    #[error("the storage quota would be exceeded")]
    QuotaExceeded,
    /// The sync token is not one this collection issued.
    #[error("invalid sync token")]
    ValidSyncToken,
    /// A subscribed calendar's feed URL is one the server will not fetch (a
    /// scheme other than http, https or webcal, or an address inside the
    /// server's network); the reason names at most the scheme and the host,
    /// since feed URLs carry secrets.
    #[error("{0}")]
    FeedSource(String),
    /// The collection at `path` is filled by the server (the directory, a
    /// subscribed feed, the birthdays): nobody holds `privilege` there (RFC
    /// 3744 §7.1.1 `DAV:need-privileges`).
    #[error("{}", match filler {
        Filler::Directory => "the directory is read-only",
        Filler::Birthdays => "the birthdays calendar is read-only: it follows the birthdays and anniversaries of your contacts",
        Filler::Feed => "a subscribed calendar is read-only: it is copied from its feed",
    })]
    ServerFilled {
        /// The collection's stored path.
        path: String,
        /// The DAV privilege the request needs (`write-content`, `bind`, `unbind`).
        privilege: &'static str,
        /// What fills it.
        filler: Filler,
    },
}

/// What fills a collection clients may not write.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Filler {
    /// The global address list.
    Directory,
    /// The birthdays calendar.
    Birthdays,
    /// A subscribed feed.
    Feed,
}

/// Result of a domain operation.
pub type Result<T, E = CoreError> = std::result::Result<T, E>;

impl From<Rule> for CoreError {
    fn from(rule: Rule) -> Self {
        CoreError::Rule(rule)
    }
}

impl From<StoreError> for CoreError {
    fn from(err: StoreError) -> Self {
        let conflict = |msg: String| CoreError::Conflict(msg);
        match err {
            StoreError::Conflict(c) => match c {
                Conflict::Name(n) => conflict(format!("the name {n:?} is already taken")),
                Conflict::Email(a) => conflict(format!("the address {a:?} already belongs to another principal")),
                Conflict::AppPasswordLabel(l) => conflict(format!("an app password labelled {l:?} already exists")),
                Conflict::AlreadyMember => conflict("already a member of that group".to_owned()),
                Conflict::MembershipCycle => {
                    conflict("a group cannot contain itself, directly or through other groups".to_owned())
                }
                Conflict::Path(p) => CoreError::Exists(format!("/{p} already exists")),
                Conflict::NoParent(p) => conflict(format!("the parent collection /{p} does not exist")),
                Conflict::Uid(name) => CoreError::Rule(Rule::UidConflict { name }),
                Conflict::UidChange(name) => CoreError::Rule(Rule::UidChange { name }),
                Conflict::Locked(root) => CoreError::Locked(vec![root]),
            },
            StoreError::PreconditionFailed => CoreError::PreconditionFailed,
            StoreError::Locked(roots) => CoreError::Locked(roots),
            StoreError::QuotaExceeded => CoreError::Rule(Rule::QuotaExceeded),
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
