//! The audit log: append and read, nothing else — no method changes or removes a
//! row (and the database's triggers refuse it). Writes of objects and collections
//! add their row in their own transaction ([`crate::WriteRules::audit`]); the rest
//! (shares, delegation, exports, restores) append here.

use crate::error::Result;
use crate::records::{AuditContext, AuditEntry, AuditFilter};

/// The audit log.
#[async_trait::async_trait]
pub trait AuditStore: Send + Sync + 'static {
    /// Appends one row.
    async fn append_audit(&self, context: &AuditContext, action: &str, detail: Option<&str>, now: i64) -> Result<()>;

    /// The rows `filter` selects, oldest first.
    async fn audit(&self, filter: &AuditFilter) -> Result<Vec<AuditEntry>>;
}
