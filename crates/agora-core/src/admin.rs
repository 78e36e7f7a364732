//! Administration: who administers the server, and what administrators set on
//! users (disabled, quota) and on rooms and equipment (capacity, whether they
//! answer by themselves, who may book them). The CLI and the web's
//! administration API both call these, so the rules live here once.
//!
//! - A **disabled** user cannot sign in by any means (Basic with the password or
//!   an app password, a web session, OpenID Connect, LDAP): the flag is read by
//!   every credential check ([`crate::Authenticator`]) and by
//!   [`Core::open_session_for`], and setting it moves the credential epoch, so
//!   cached logins and open sessions end at once. Their data stays, and
//!   invitations to them are still delivered.
//! - A user's **quota** overrides the server's (`Some(0)`: unlimited); usage is
//!   what RFC 4331 `quota-used-bytes` reports.
//! - The last enabled administrator cannot be disabled or demoted: someone must
//!   be left to administer (the CLI can always make another one).

use std::collections::HashMap;

use agora_store::{Counts, Principal, PrincipalId, PrincipalKind, Settings};

use crate::error::{CoreError, Result};
use crate::{Core, Directory, Identity};

/// What an administrator changes on a user; `None` leaves a field as it is.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct UserChange {
    /// Disable or enable.
    pub disabled: Option<bool>,
    /// Make or unmake an administrator.
    pub administrator: Option<bool>,
    /// The quota: `Some(None)` follows the server's, `Some(Some(0))` is unlimited.
    pub quota_bytes: Option<Option<u64>>,
}

/// What an administrator changes on a room or piece of equipment.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ResourceChange {
    /// How many people it holds (`Some(None)`: not said).
    pub capacity: Option<Option<u32>>,
    /// Whether it answers invitations by itself.
    pub auto_accept: Option<bool>,
    /// The group whose members may book it (`Some(None)`: anyone).
    pub bookers: Option<Option<String>>,
}

impl Directory<'_> {
    /// Changes a user's administration settings and returns the user as they
    /// now are. Disabling (or enabling) ends their sessions and cached logins.
    pub async fn set_user(&self, name: &str, change: &UserChange) -> Result<Principal> {
        let p = self.get(Some(PrincipalKind::User), name).await?;
        let mut s = p.settings.clone();
        if let Some(d) = change.disabled {
            s.disabled = d;
        }
        if let Some(a) = change.administrator {
            s.administrator = a;
        }
        if let Some(q) = change.quota_bytes {
            s.quota_bytes = q;
        }
        let was_admin = p.settings.administrator && !p.settings.disabled;
        if was_admin && (!s.administrator || s.disabled) && self.enabled_administrators().await? <= 1 {
            return Err(CoreError::Conflict(format!(
                "{} is the last enabled administrator; make another one first",
                p.name
            )));
        }
        let end_sessions = s.disabled != p.settings.disabled;
        self.save_settings(&p, &s, end_sessions).await?;
        if s.disabled && !p.settings.disabled {
            tracing::info!(user = %p.name, "account disabled");
        }
        Ok(Principal { settings: s, ..p })
    }

    /// Changes a room's or piece of equipment's booking settings.
    pub async fn set_resource(&self, name: &str, change: &ResourceChange) -> Result<Principal> {
        let p = self.get(Some(PrincipalKind::Resource), name).await?;
        let mut s = p.settings.clone();
        if let Some(c) = change.capacity {
            s.capacity = c;
        }
        if let Some(a) = change.auto_accept {
            s.auto_accept = a;
        }
        if let Some(b) = &change.bookers {
            s.bookers = match b.as_deref().map(str::trim).filter(|g| !g.is_empty()) {
                Some(group) => Some(self.get(Some(PrincipalKind::Group), group).await?.id),
                None => None,
            };
        }
        self.save_settings(&p, &s, false).await?;
        Ok(Principal { settings: s, ..p })
    }

    async fn save_settings(&self, p: &Principal, s: &Settings, end_sessions: bool) -> Result<()> {
        if !self.store().set_settings(p.id, s, end_sessions).await? {
            return Err(CoreError::NotFound { what: crate::error::kind_word(Some(p.kind)), name: p.name.clone() });
        }
        if end_sessions {
            self.forget(p.id);
        }
        Ok(())
    }

    async fn enabled_administrators(&self) -> Result<usize> {
        let users = self.list(Some(PrincipalKind::User)).await?;
        Ok(users.iter().filter(|u| u.settings.administrator && !u.settings.disabled).count())
    }

    /// Bytes each principal stores (RFC 4331 usage), by id; absent is zero.
    pub async fn usage(&self) -> Result<HashMap<PrincipalId, i64>> {
        Ok(self.store().usage_by_owner().await?.into_iter().collect())
    }

    /// How many principals, collections and objects the store holds.
    pub async fn counts(&self) -> Result<Counts> {
        Ok(self.store().counts().await?)
    }
}

impl Core {
    /// Whether a signed-in user administers the server (an enabled administrator).
    pub async fn is_administrator(&self, who: &Identity) -> Result<bool> {
        if who.is_anonymous() {
            return Ok(false);
        }
        Ok(self
            .store
            .principal_by_id(who.principal_id)
            .await?
            .is_some_and(|p| p.kind == PrincipalKind::User && p.settings.administrator && !p.settings.disabled))
    }

    /// Refuses anyone but an administrator (the web's administration API).
    pub async fn require_administrator(&self, who: &Identity) -> Result<()> {
        if self.is_administrator(who).await? {
            Ok(())
        } else {
            Err(CoreError::Forbidden("only administrators may do this".into()))
        }
    }

    /// The quota of what `owner` stores, in bytes: their own if an administrator
    /// set one (0: unlimited), else the server's; `None` is unlimited.
    pub(crate) async fn quota_limit(&self, owner: PrincipalId) -> Result<Option<u64>> {
        let own = self.store.principal_by_id(owner).await?.and_then(|p| p.settings.quota_bytes);
        Ok(effective_quota(own, self.config.user_quota_bytes))
    }

    /// Bytes a principal stores and what their quota is (`None`: unlimited).
    pub async fn usage_of(&self, p: &Principal) -> Result<(i64, Option<u64>)> {
        let used = self.store.usage(p.id).await?;
        Ok((used, effective_quota(p.settings.quota_bytes, self.config.user_quota_bytes)))
    }
}

impl Core {
    /// When this core started (seconds since the Unix epoch).
    pub fn started_at(&self) -> i64 {
        self.started_at
    }

    /// Records how the background refresh of the directory (the external
    /// directory and the global address list) went.
    pub fn record_refresh(&self, error: Option<String>) {
        *self.last_refresh.lock().unwrap_or_else(|e| e.into_inner()) = Some((crate::now(), error));
    }

    /// The last background refresh of the directory in this process: when, and
    /// its error; `None` before the first (and in the CLI).
    pub fn last_refresh(&self) -> Option<(i64, Option<String>)> {
        self.last_refresh.lock().unwrap_or_else(|e| e.into_inner()).clone()
    }

    /// Subscribed calendars whose last fetch failed: path, when, why.
    pub async fn failing_feeds(&self) -> Result<Vec<(String, i64, String)>> {
        let mut out = Vec::new();
        for c in self.subscriptions().await? {
            if let Some((at, Some(error))) = self.store.feed_status(c.id).await? {
                out.push((c.path.clone(), at, error));
            }
        }
        Ok(out)
    }

    /// Queues a message that failed for good once more, due now.
    pub async fn retry_mail(&self, id: i64) -> Result<()> {
        if !self.store.retry_mail(id, crate::now()).await? {
            return Err(CoreError::NotFound { what: "failed message", name: id.to_string() });
        }
        Ok(())
    }

    /// Removes a failed (or sent) message from the queue.
    pub async fn drop_mail(&self, id: i64) -> Result<()> {
        if !self.store.delete_mail(id).await? {
            return Err(CoreError::NotFound { what: "failed or sent message", name: id.to_string() });
        }
        Ok(())
    }
}

/// A principal's own quota (0: unlimited) over the server's.
pub fn effective_quota(own: Option<u64>, server: Option<u64>) -> Option<u64> {
    match own {
        Some(0) => None,
        Some(q) => Some(q),
        None => server,
    }
}

#[cfg(test)]
mod tests {
    use super::effective_quota;

    #[test]
    fn a_users_quota_overrides_the_servers() {
        assert_eq!(effective_quota(None, Some(100)), Some(100));
        assert_eq!(effective_quota(None, None), None);
        assert_eq!(effective_quota(Some(0), Some(100)), None);
        assert_eq!(effective_quota(Some(50), Some(100)), Some(50));
        assert_eq!(effective_quota(Some(500), None), Some(500));
    }
}
