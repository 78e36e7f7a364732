//! Exit codes that scripts can rely on, and the one place where errors get them.
//!
//! | code | meaning |
//! |------|---------|
//! | 0 | success |
//! | 1 | the store or the system failed |
//! | 2 | invalid input or usage |
//! | 3 | the named user, group, resource or app password does not exist |
//! | 4 | conflict: already exists, already a member, or a group cycle |
//! | 5 | partly done: `agora import` or `agora migrate` left some objects out (each reported) and brought the rest |
//! | 6 | `agora migrate`: the other server could not be used (unreachable, login refused, not CalDAV/CardDAV) |

use agora_core::CoreError;
use agora_store::StoreError;

/// The exit code of a command that did part of its work (see the table).
pub const PARTIAL: u8 = 5;
/// `agora migrate` could not use the other server.
pub const REMOTE: u8 = 6;

/// A command's failure: its message and exit code.
#[derive(Debug)]
pub struct Failure {
    /// What to print after `agora: `.
    pub message: String,
    /// Process exit code.
    pub code: u8,
}

impl Failure {
    /// A system or store failure (exit 1).
    pub fn io(message: impl Into<String>) -> Self {
        Failure { message: message.into(), code: 1 }
    }

    /// Invalid input (exit 2).
    pub fn usage(message: impl Into<String>) -> Self {
        Failure { message: message.into(), code: 2 }
    }

    /// Partly done: some items were left out, the rest was done (exit 5).
    pub fn partial(message: impl Into<String>) -> Self {
        Failure { message: message.into(), code: PARTIAL }
    }
}

impl From<CoreError> for Failure {
    fn from(e: CoreError) -> Self {
        let code = match &e {
            CoreError::Store(_) | CoreError::Unavailable(_) => 1,
            CoreError::Invalid(_) | CoreError::Forbidden(_) | CoreError::Unauthenticated | CoreError::Rule(_) => 2,
            CoreError::NotFound { .. } => 3,
            CoreError::Conflict(_) | CoreError::Exists(_) | CoreError::PreconditionFailed | CoreError::Locked(_) => 4,
        };
        Failure { message: e.to_string(), code }
    }
}

impl From<StoreError> for Failure {
    fn from(e: StoreError) -> Self {
        Failure::from(CoreError::from(e))
    }
}
