//! The audit log, as the domain writes and reads it. Writes of objects and
//! collections carry an [`AuditContext`] into their own transaction (see
//! `Resources::write_rules`); the other actions (shares, delegation, ACLs,
//! publication, restores, purges, holds, exports) append with [`Core::record`].

use agora_store::{AuditContext, AuditEntry, AuditFilter};

use super::origin;
use crate::auth::Identity;
use crate::error::Result;
use crate::{Core, now};

/// Who acts on `target`: the user of `who`, or the operator acting for them.
pub fn context(who: Option<&Identity>, target: &str) -> AuditContext {
    let origin = origin();
    let (actor_id, actor) = match (&origin.operator, who) {
        (Some(operator), _) => (None, operator.clone()),
        (None, Some(who)) if !who.is_anonymous() => (Some(who.principal_id), who.name.clone()),
        (None, _) => (None, "anonymous".to_owned()),
    };
    AuditContext {
        actor_id,
        actor,
        target: target.trim_start_matches('/').to_owned(),
        address: origin.address,
        client: origin.client,
    }
}

impl Core {
    /// Appends one row: `who` did `action` to `target` (a path or a principal's
    /// name), with `detail` in words.
    pub async fn record(&self, who: Option<&Identity>, action: &str, target: &str, detail: Option<&str>) -> Result<()> {
        Ok(self.store.append_audit(&context(who, target), action, detail, now()).await?)
    }

    /// The rows `filter` selects, oldest first (administrators: the CLI and the
    /// administration pages).
    pub async fn audit(&self, filter: &AuditFilter) -> Result<Vec<AuditEntry>> {
        Ok(self.store.audit(filter).await?)
    }
}
