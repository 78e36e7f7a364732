//! Delegation (CalendarServer calendar-proxy): a user names delegates who read
//! (calendar-proxy-read) or manage (calendar-proxy-write) all of their calendars —
//! an assistant keeping a manager's diary. Delegates may be users or groups;
//! address books are not delegated.

use agora_store::{Collection, CollectionKind, Principal, PrincipalId, PrincipalKind};

use super::Resources;
use crate::acl::Privileges;
use crate::error::{CoreError, Result};

/// Whether delegation applies to a kind of collection (calendars and schedule
/// boxes, not address books).
pub(super) fn delegated(kind: CollectionKind) -> bool {
    matches!(
        kind,
        CollectionKind::Calendar | CollectionKind::Inbox | CollectionKind::Outbox | CollectionKind::CalendarHome
    )
}

/// What delegation gives on `c`, given the users who delegated to the user or
/// their groups (`proxied`, as [`agora_store::AccessStore::proxied_by`] lists them).
pub(super) fn proxy_privileges(c: &Collection, proxied: &[(PrincipalId, bool)]) -> i64 {
    if !delegated(c.kind) {
        return 0;
    }
    let mut bits = 0;
    for &(owner, write) in proxied {
        if owner == c.owner_id {
            bits |= Privileges::READ | Privileges::READ_FREE_BUSY | if write { Privileges::WRITE } else { 0 };
        }
    }
    bits
}

impl Resources<'_> {
    /// Sets the user's own delegates at one level (replacing that level's list).
    pub async fn set_delegates(&self, owner: &Principal, write: bool, delegates: &[Principal]) -> Result<()> {
        if owner.id != self.who.principal_id {
            return Err(CoreError::Forbidden("only a user chooses their own delegates".into()));
        }
        if delegates.iter().any(|d| d.kind == PrincipalKind::Resource || d.id == owner.id) {
            return Err(CoreError::Invalid("delegates are other users or groups".into()));
        }
        let ids: Vec<PrincipalId> = delegates.iter().map(|d| d.id).collect();
        self.store().set_proxies(owner.id, write, &ids).await?;
        let names: Vec<&str> = delegates.iter().map(|d| d.name.as_str()).collect();
        let detail = format!("{}: {}", if write { "write" } else { "read" }, names.join(", "));
        self.core.record(Some(self.who), "delegate", &format!("principals/{}/", owner.name), Some(&detail)).await
    }

    /// A user's delegates, each with whether they may write.
    pub async fn delegates_of(&self, owner: &Principal) -> Result<Vec<(Principal, bool)>> {
        let mut out = Vec::new();
        for (id, write) in self.store().proxies_of(owner.id).await? {
            if let Some(p) = self.store().principal_by_id(id).await? {
                out.push((p, write));
            }
        }
        Ok(out)
    }

    /// The users who named `delegate` itself (not one of its groups) as delegate.
    pub async fn delegates_of_direct(&self, delegate: &Principal) -> Result<Vec<(Principal, bool)>> {
        let mut out = Vec::new();
        for (id, write) in self.store().proxied_by(&[delegate.id]).await? {
            if let Some(p) = self.store().principal_by_id(id).await? {
                out.push((p, write));
            }
        }
        Ok(out)
    }

    /// The users who made `delegate` (directly or through a group) their delegate.
    pub async fn delegating_to(&self, delegate: &Principal) -> Result<Vec<(Principal, bool)>> {
        let mut principals = vec![delegate.id];
        principals.extend(self.store().memberships(delegate.id).await?);
        let mut out: Vec<(Principal, bool)> = Vec::new();
        for (id, write) in self.store().proxied_by(&principals).await? {
            if let Some(p) = self.store().principal_by_id(id).await? {
                match out.iter_mut().find(|(o, _)| o.id == p.id) {
                    Some(entry) => entry.1 |= write,
                    None => out.push((p, write)),
                }
            }
        }
        Ok(out)
    }
}
