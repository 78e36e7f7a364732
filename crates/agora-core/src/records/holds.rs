//! Legal holds: an administrator keeps a user's data, or a collection's, from
//! ever being purged (the trash keeps it past its retention) while a case or a
//! records rule requires it; a held user cannot be deleted.

use agora_store::{Hold, HoldScope, Principal, Store};

use crate::error::{CoreError, Result};
use crate::{Core, now};

/// What an administrator names to hold.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum HoldTarget {
    /// A user (or group, or resource) by name.
    Principal(String),
    /// A collection by path (`calendars/alice/work/`).
    Collection(String),
}

impl Core {
    /// Places a hold; `reason` is required (what case or rule it serves).
    pub async fn place_hold(&self, target: &HoldTarget, reason: &str, placed_by: &str) -> Result<Hold> {
        let reason = reason.trim();
        if reason.is_empty() {
            return Err(CoreError::Invalid("a legal hold needs a reason (a case number, a records rule)".into()));
        }
        let scope = match target {
            HoldTarget::Principal(name) => HoldScope::Principal(self.directory().get(None, name).await?.id),
            HoldTarget::Collection(path) => {
                let path = format!("{}/", path.trim_matches('/'));
                // A hold may name a collection already deleted (it is in the trash)
                // but not a path that never belonged to anyone.
                if agora_store::owner_in_path(&path).is_none() {
                    return Err(CoreError::Invalid(format!(
                        "/{path} is not a user's collection (calendars/USER/…, addressbooks/USER/…)"
                    )));
                }
                HoldScope::Path(path)
            }
        };
        let hold = self.store.place_hold(&scope, reason, placed_by, now()).await?;
        self.record(None, "hold", &self.hold_target(&hold.scope).await, Some(reason)).await?;
        Ok(hold)
    }

    /// Every hold, oldest first, with what it covers in words.
    pub async fn holds(&self) -> Result<Vec<(Hold, String)>> {
        let mut out = Vec::new();
        for hold in self.store.holds().await? {
            let target = self.hold_target(&hold.scope).await;
            out.push((hold, target));
        }
        Ok(out)
    }

    /// Lifts a hold; what it kept is purged at the next pass if its time is up.
    pub async fn lift_hold(&self, id: i64) -> Result<()> {
        let hold = self.store.holds().await?.into_iter().find(|h| h.id == id);
        let Some(hold) = hold else {
            return Err(CoreError::NotFound { what: "legal hold", name: id.to_string() });
        };
        self.store.lift_hold(id).await?;
        self.record(None, "lift-hold", &self.hold_target(&hold.scope).await, Some(&hold.reason)).await
    }

    /// A hold's scope in words: the principal's name, or the path.
    async fn hold_target(&self, scope: &HoldScope) -> String {
        match scope {
            HoldScope::Principal(id) => match self.store.principal_by_id(*id).await {
                Ok(Some(p)) => format!("principals/{}/", p.name),
                _ => format!("principal #{id}"),
            },
            HoldScope::Path(path) => path.clone(),
        }
    }
}

/// Refuses to delete a principal a hold covers (its own, or one on a path in
/// its homes); the database refuses it too, less politely.
pub(crate) async fn refuse_if_held(store: &dyn Store, p: &Principal) -> Result<()> {
    let prefixes = [format!("calendars/{}/", p.name), format!("addressbooks/{}/", p.name)];
    let held = store.holds().await?.into_iter().find(|h| match &h.scope {
        HoldScope::Principal(id) => *id == p.id,
        HoldScope::Path(path) => prefixes.iter().any(|pre| path.starts_with(pre.as_str())),
    });
    match held {
        Some(h) => Err(CoreError::Forbidden(format!(
            "{} {} is under legal hold ({}): lift the hold first (agora hold lift {})",
            crate::error::kind_word(Some(p.kind)),
            p.name,
            h.reason,
            h.id
        ))),
        None => Ok(()),
    }
}
