//! Verified credentials, kept for a short time.
//!
//! Passwords are never kept: an entry holds SHA-256 over a random per-process key,
//! the login and the password, compared in constant time.

use std::collections::HashMap;
use std::sync::Mutex;
use std::time::{Duration, Instant};

use agora_store::PrincipalId;
use rand::RngCore;
use sha2::{Digest, Sha256};

/// Bound on entries; past it, expired entries are dropped, then everything.
const MAX_ENTRIES: usize = 100_000;

pub(super) struct Hit {
    pub principal_id: PrincipalId,
    pub name: String,
    pub epoch: i64,
}

struct Entry {
    digest: [u8; 32],
    principal_id: PrincipalId,
    name: String,
    epoch: i64,
    expires: Instant,
}

pub(super) struct CredentialCache {
    key: [u8; 32],
    ttl: Duration,
    entries: Mutex<HashMap<String, Entry>>,
}

impl CredentialCache {
    pub(super) fn new(ttl: Duration) -> Self {
        let mut key = [0u8; 32];
        rand::rngs::OsRng.fill_bytes(&mut key);
        CredentialCache { key, ttl, entries: Mutex::new(HashMap::new()) }
    }

    fn digest(&self, login: &str, secret: &str) -> [u8; 32] {
        let mut h = Sha256::new();
        h.update(self.key);
        h.update((login.len() as u64).to_le_bytes());
        h.update(login.as_bytes());
        h.update(secret.as_bytes());
        h.finalize().into()
    }

    pub(super) fn get(&self, login: &str, secret: &str) -> Option<Hit> {
        if self.ttl.is_zero() {
            return None;
        }
        let digest = self.digest(login, secret);
        let entries = self.entries.lock().unwrap_or_else(|e| e.into_inner());
        let e = entries.get(login)?;
        (e.expires > Instant::now() && constant_time_eq(&e.digest, &digest)).then(|| Hit {
            principal_id: e.principal_id,
            name: e.name.clone(),
            epoch: e.epoch,
        })
    }

    pub(super) fn insert(&self, login: &str, secret: &str, principal_id: PrincipalId, name: &str, epoch: i64) {
        if self.ttl.is_zero() {
            return;
        }
        let entry = Entry {
            digest: self.digest(login, secret),
            principal_id,
            name: name.to_owned(),
            epoch,
            expires: Instant::now() + self.ttl,
        };
        let mut entries = self.entries.lock().unwrap_or_else(|e| e.into_inner());
        if entries.len() >= MAX_ENTRIES {
            let now = Instant::now();
            entries.retain(|_, e| e.expires > now);
            if entries.len() >= MAX_ENTRIES {
                entries.clear();
            }
        }
        entries.insert(login.to_owned(), entry);
    }

    pub(super) fn forget(&self, principal_id: PrincipalId) {
        let mut entries = self.entries.lock().unwrap_or_else(|e| e.into_inner());
        entries.retain(|_, e| e.principal_id != principal_id);
    }
}

/// Whether two secrets are equal, in time that does not depend on where they
/// differ (only on their lengths): for tokens and hashes an attacker may probe.
pub fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hit_only_for_the_same_secret_until_forgotten() {
        let c = CredentialCache::new(Duration::from_secs(60));
        c.insert("alice", "pw1", 7, "alice", 3);
        let hit = c.get("alice", "pw1").expect("cached");
        assert_eq!((hit.principal_id, hit.epoch), (7, 3));
        assert!(c.get("alice", "pw2").is_none());
        assert!(c.get("bob", "pw1").is_none());
        c.forget(7);
        assert!(c.get("alice", "pw1").is_none());
    }

    #[test]
    fn entries_expire() {
        let c = CredentialCache::new(Duration::from_millis(20));
        c.insert("alice", "pw", 1, "alice", 0);
        assert!(c.get("alice", "pw").is_some());
        std::thread::sleep(Duration::from_millis(30));
        assert!(c.get("alice", "pw").is_none());
    }

    #[test]
    fn zero_ttl_disables_the_cache() {
        let c = CredentialCache::new(Duration::ZERO);
        c.insert("alice", "pw", 1, "alice", 0);
        assert!(c.get("alice", "pw").is_none());
    }
}
