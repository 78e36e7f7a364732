//! The audit log, as the domain writes and reads it. Writes of objects and
//! collections carry an [`AuditContext`] into their own transaction (see
//! `Resources::write_rules`); the other actions (shares, delegation, ACLs,
//! publication, restores, purges, holds, exports) append with [`Core::record`].

use std::collections::HashMap;
use std::sync::Mutex;
use std::time::{Duration, Instant};

use agora_store::{AuditContext, AuditEntry, AuditFilter, Collection, CollectionId, PrincipalId};

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

/// A read of someone else's collection is recorded at most once per reader and
/// collection in this time: a phone polling every minute would otherwise fill
/// the log with the same line.
const READ_QUIET: Duration = Duration::from_secs(300);

/// When each reader last had a read of each collection recorded.
#[derive(Default)]
pub(crate) struct ReadsSeen(Mutex<HashMap<(PrincipalId, CollectionId), Instant>>);

impl Core {
    /// With `audit_reads` on, records that `who` read `c`, someone else's (a
    /// delegate, a sharee, a grant): at most once per [`READ_QUIET`].
    pub(crate) async fn audit_read(&self, who: &Identity, c: &Collection) -> Result<()> {
        if !self.config.records.audit_reads || who.is_anonymous() || c.owner_id == who.principal_id {
            return Ok(());
        }
        {
            let mut seen = self.reads_seen.0.lock().unwrap_or_else(|e| e.into_inner());
            let key = (who.principal_id, c.id);
            if seen.get(&key).is_some_and(|t| t.elapsed() < READ_QUIET) {
                return Ok(());
            }
            seen.retain(|_, t| t.elapsed() < READ_QUIET);
            seen.insert(key, Instant::now());
        }
        let target = match c.share_id {
            Some(_) => self.store.collection_by_id(c.id).await?.map_or_else(|| c.path.clone(), |o| o.path),
            None => c.path.clone(),
        };
        self.record(Some(who), "read", &target, None).await
    }
}
