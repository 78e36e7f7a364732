//! WebDAV locking (RFC 4918 §6–7): taking, refreshing and releasing locks, and
//! the rule every write obeys — a resource covered by a lock may only be changed
//! by a request that submits that lock's token.

use agora_store::{Collection, Lock, LockCheck, PrincipalId, QuotaCheck, WriteCondition, WriteRules};
use rand::RngCore;

use super::{Access, Resources};
use crate::error::{CoreError, Result};
use crate::now;

/// Longest lock the server grants, whatever the client asks (a week).
pub const MAX_TIMEOUT: i64 = 7 * 24 * 3600;
/// Timeout when the client asks for none or for "Infinite".
pub const DEFAULT_TIMEOUT: i64 = 3600;

/// A LOCK request.
#[derive(Debug, Clone)]
pub struct LockRequest {
    /// Exclusive or shared (RFC 4918 §6.1).
    pub exclusive: bool,
    /// Depth infinity or 0 (§9.10.3).
    pub depth_infinity: bool,
    /// The client's `<D:owner>` content.
    pub owner_xml: Option<String>,
    /// Requested timeout in seconds, if any.
    pub timeout: Option<i64>,
}

fn new_token() -> String {
    let mut b = [0u8; 16];
    rand::rngs::OsRng.fill_bytes(&mut b);
    b[6] = (b[6] & 0x0f) | 0x40; // UUID version 4
    b[8] = (b[8] & 0x3f) | 0x80; // RFC 4122 variant
    let h: String = b.iter().map(|x| format!("{x:02x}")).collect();
    format!("urn:uuid:{}-{}-{}-{}-{}", &h[..8], &h[8..12], &h[12..16], &h[16..20], &h[20..])
}

fn granted(timeout: Option<i64>) -> i64 {
    timeout.filter(|t| *t > 0).unwrap_or(DEFAULT_TIMEOUT).min(MAX_TIMEOUT)
}

impl Resources<'_> {
    /// Locks `path` (decoded; collections end with `/`). The caller has resolved
    /// the resource and, for an unmapped URL, created the empty resource first.
    pub async fn lock(&self, path: &str, request: LockRequest) -> Result<Lock> {
        self.authorize_path(path, Access::Write).await?;
        let timeout = granted(request.timeout);
        let lock = Lock {
            token: new_token(),
            path: path.to_owned(),
            depth_infinity: request.depth_infinity && path.ends_with('/'),
            exclusive: request.exclusive,
            owner_xml: request.owner_xml,
            principal_id: self.who.principal_id,
            timeout_secs: timeout,
            expires_at: now().saturating_add(timeout),
        };
        self.store().create_lock(&lock, now()).await?;
        Ok(lock)
    }

    /// Extends a lock that covers `path` and belongs to the user.
    pub async fn refresh_lock(&self, path: &str, token: &str, timeout: Option<i64>) -> Result<Lock> {
        let lock = self
            .locks_covering(path)
            .await?
            .into_iter()
            .find(|l| l.token == token)
            .ok_or(CoreError::PreconditionFailed)?;
        if lock.principal_id != self.who.principal_id {
            return Err(CoreError::Forbidden("the lock belongs to someone else".into()));
        }
        self.store().refresh_lock(token, granted(timeout), now()).await?.ok_or(CoreError::PreconditionFailed)
    }

    /// Releases a lock that covers `path`; `Ok(false)` when no such lock applies
    /// to it (RFC 4918 §9.11.1: 409 with lock-token-matches-request-uri).
    pub async fn unlock(&self, path: &str, token: &str) -> Result<bool> {
        let Some(lock) = self.locks_covering(path).await?.into_iter().find(|l| l.token == token) else {
            return Ok(false);
        };
        if lock.principal_id != self.who.principal_id {
            return Err(CoreError::Forbidden("the lock belongs to someone else".into()));
        }
        self.store().delete_lock(token).await?;
        Ok(true)
    }

    /// Unexpired locks that apply to `path` (for lockdiscovery and If headers).
    pub async fn locks_covering(&self, path: &str) -> Result<Vec<Lock>> {
        let mut locks = self.store().locks_near(path, false, now()).await?;
        locks.retain(|l| l.covers(path));
        Ok(locks)
    }

    /// Records the lock tokens the request submitted (its `If` header, RFC 4918
    /// §10.4): every write of this request checks its locks against them.
    pub fn submit_lock_tokens(&self, tokens: Vec<String>) {
        *self.submitted.lock().unwrap_or_else(|e| e.into_inner()) = tokens;
    }

    /// The path locks know a member of `c` by (`member` empty: `c` itself): a
    /// share seen through a sharee's mount is the owner's resource, and its
    /// locks hold whichever URL is written through.
    pub async fn lock_path(&self, c: &Collection, member: &str) -> Result<String> {
        let base = if c.share_id.is_some() { self.original_path(c).await? } else { c.path.clone() };
        Ok(format!("{base}{member}"))
    }

    /// The write rule (RFC 4918 §7), decided here for every write: each lock
    /// covering `path` (and, when `recursive` — DELETE or MOVE of a collection —
    /// each lock below it) must have its token submitted by its own owner; when
    /// the write adds or removes a member, so must a lock on the parent
    /// collection, which protects its membership even at depth 0 (§7.4).
    pub(crate) fn lock_checks(path: &str, recursive: bool) -> Vec<LockCheck> {
        let mut checks = vec![LockCheck { path: path.to_owned(), recursive, membership: false }];
        if let Some(parent) = super::parent_of(path) {
            checks.push(LockCheck { path: parent, recursive: false, membership: true });
        }
        checks
    }

    /// The rules a client's write takes into its transaction: the locks of
    /// `checks` against the submitted tokens, the quota of `quota_owner`, and
    /// the audit row (who, from where, on the first path checked). Deletions
    /// set [`WriteRules::trash`] themselves.
    pub(crate) async fn write_rules(
        &self,
        checks: Vec<LockCheck>,
        quota_owner: Option<PrincipalId>,
    ) -> Result<WriteRules> {
        let quota = match quota_owner {
            Some(owner) => self
                .core
                .quota_limit(owner)
                .await?
                .map(|q| QuotaCheck { owner, limit: i64::try_from(q).unwrap_or(i64::MAX) }),
            None => None,
        };
        // The audit row names the path the write is about: the first it checks.
        let target = checks.first().map(|c| c.path.clone()).unwrap_or_default();
        Ok(WriteRules {
            locks: checks,
            tokens: self.submitted.lock().unwrap_or_else(|e| e.into_inner()).clone(),
            principal: Some(self.who.principal_id),
            quota,
            trash: false,
            audit: Some(crate::records::audit::context(Some(self.who), &target)),
        })
    }

    /// Locks die with their resource.
    pub async fn forget_locks(&self, path: &str) -> Result<()> {
        Ok(self.store().delete_locks_below(path).await?)
    }

    /// Creates the empty resource that LOCK on an unmapped URL leaves behind
    /// (RFC 4918 §7.3); only where an empty body is a valid object.
    pub async fn create_empty(&self, collection: &agora_store::Collection, name: &str) -> Result<()> {
        self.put_object(collection, name, Vec::new(), None, &WriteCondition::IfNoneMatchAny).await?;
        Ok(())
    }

    async fn authorize_path(&self, path: &str, access: Access) -> Result<()> {
        let collection_path =
            if path.ends_with('/') { path.to_owned() } else { super::parent_of(path).unwrap_or_default() };
        match self.store().collection(&collection_path).await? {
            Some(c) => self.authorize(&c, access).await,
            None => Err(CoreError::NotFound { what: "resource", name: format!("/{path}") }),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_are_unique_uuid_urns() {
        let a = new_token();
        assert!(a.starts_with("urn:uuid:") && a.len() == 45, "{a}");
        assert_ne!(a, new_token());
    }

    #[test]
    fn timeouts_are_bounded() {
        assert_eq!(granted(None), DEFAULT_TIMEOUT);
        assert_eq!(granted(Some(10)), 10);
        assert_eq!(granted(Some(i64::MAX)), MAX_TIMEOUT);
    }
}
