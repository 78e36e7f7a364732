//! What most requests read, kept in memory: the collection a path names (or that
//! none does), a collection's dead properties, WebDAV locks and a principal's
//! credential epoch. A poll of a calendar's ctag needs these, and every query is
//! a thread hop (SQLite) or a network round trip (PostgreSQL) that costs more than
//! the rest of the request. A password changed or an app password revoked in this
//! process fails on the next request; in another process (the CLI, another
//! server), within the poll interval or the notification's delivery below.
//!
//! # Never stale in this process, briefly elsewhere
//! Entries carry the generation counters they were read under. A write bumps the
//! counters of what it may change when it begins *and* when it ends (the guard's
//! drop, after the commit or rollback), and a read only stores what it read when
//! no counter it depends on moved during the query; so a value read before a
//! commit can never be served after it. Object writes bump only their
//! collections' counters (a stripe per id), every other write bumps them all.
//!
//! Other processes (the CLI beside a SQLite server, other `agora serve` sharing a
//! PostgreSQL database) are noticed by the backend, which calls [`HotCache::clear`]:
//! SQLite polls `PRAGMA data_version` of the writer connection, which changes only
//! when another connection commits; PostgreSQL sends a NOTIFY in every write
//! transaction, delivered to the other processes at commit. Entries also expire
//! after [`TTL`], a bound on the damage of a missed notification.

use std::collections::HashMap;
use std::sync::Mutex;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

use crate::resources::{Collection, CollectionId, Lock};

/// How long an entry is served without being read again.
pub(crate) const TTL: Duration = Duration::from_secs(30);
/// Entries per map; past it the map is emptied (a flood of distinct paths cannot
/// grow memory without bound).
const MAX_ENTRIES: usize = 20_000;
/// Object-write counters, one per stripe of collection ids.
const STRIPES: usize = 1024;

/// Counts a read answered from memory (`agora_store_cache_hits_total`), beside
/// the store operations that reached the database.
pub(crate) fn hit(what: &'static str) {
    metrics::counter!("agora_store_cache_hits_total", "what" => what).increment(1);
}

/// What a write transaction may change.
#[derive(Debug, Clone, Copy)]
pub(crate) enum Scope<'a> {
    /// Objects of these collections (and so their revisions, sync tokens, ctags).
    Objects(&'a [CollectionId]),
    /// Anything (collections, properties, shares, grants, principals, locks).
    All,
    /// Nothing this cache holds (the mail queue, objects' dead properties).
    Nothing,
}

/// The counters a read saw before its query.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Stamp {
    all: u64,
    objects: u64,
}

struct Entry<T> {
    value: T,
    all: u64,
    /// The collection's stripe counter, for values that include its revision.
    stripe: Option<(usize, u64)>,
    at: Instant,
}

#[derive(Default)]
struct Maps {
    collections: HashMap<String, Entry<Option<Collection>>>,
    properties: HashMap<CollectionId, Entry<Vec<(String, String)>>>,
    /// Unexpired locks at a path and above it (and below it when asked), as
    /// read; expiry is applied again when served.
    locks: HashMap<(String, bool), Entry<Vec<Lock>>>,
    /// Credential epochs by principal (`None`: no such principal).
    epochs: HashMap<i64, Entry<Option<i64>>>,
}

/// The cache of one store instance.
pub(crate) struct HotCache {
    all: AtomicU64,
    objects: AtomicU64,
    stripes: Box<[AtomicU64]>,
    maps: Mutex<Maps>,
}

impl Default for HotCache {
    fn default() -> Self {
        HotCache {
            all: AtomicU64::new(0),
            objects: AtomicU64::new(0),
            stripes: (0..STRIPES).map(|_| AtomicU64::new(0)).collect(),
            maps: Mutex::new(Maps::default()),
        }
    }
}

/// Nanoseconds since the epoch at the first call, to tell processes apart.
pub(crate) fn startup_nanos() -> u128 {
    static AT: std::sync::OnceLock<u128> = std::sync::OnceLock::new();
    *AT.get_or_init(|| {
        std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map(|d| d.as_nanos()).unwrap_or(0)
    })
}

fn stripe_of(id: CollectionId) -> usize {
    id.rem_euclid(STRIPES as i64) as usize
}

fn insert<K: std::hash::Hash + Eq, T>(map: &mut HashMap<K, Entry<T>>, key: K, entry: Entry<T>) {
    if map.len() >= MAX_ENTRIES {
        map.clear();
    }
    map.insert(key, entry);
}

impl HotCache {
    fn maps(&self) -> std::sync::MutexGuard<'_, Maps> {
        self.maps.lock().unwrap_or_else(|e| e.into_inner())
    }

    fn fresh<T>(&self, e: &Entry<T>) -> bool {
        e.all == self.all.load(Ordering::Acquire)
            && e.at.elapsed() < TTL
            && e.stripe.is_none_or(|(s, n)| self.stripes[s].load(Ordering::Acquire) == n)
    }

    /// Taken before a query whose result may be stored.
    pub(crate) fn stamp(&self) -> Stamp {
        Stamp { all: self.all.load(Ordering::Acquire), objects: self.objects.load(Ordering::Acquire) }
    }

    /// Whether no write began or ended since `stamp` (what was read is current).
    fn unchanged(&self, stamp: Stamp, objects_too: bool) -> bool {
        stamp.all == self.all.load(Ordering::Acquire)
            && (!objects_too || stamp.objects == self.objects.load(Ordering::Acquire))
    }

    /// Forgets everything (a write by another process, or one of [`Scope::All`]).
    pub(crate) fn clear(&self) {
        self.all.fetch_add(1, Ordering::AcqRel);
        let mut maps = self.maps();
        maps.collections.clear();
        maps.properties.clear();
        maps.locks.clear();
        maps.epochs.clear();
    }

    fn bump(&self, scope: Scope<'_>) {
        match scope {
            Scope::Nothing => {}
            Scope::All => self.clear(),
            Scope::Objects(ids) => {
                // The stripe first: a reader that saw the old `objects` counter
                // must also find its entry's stripe moved.
                for id in ids {
                    self.stripes[stripe_of(*id)].fetch_add(1, Ordering::AcqRel);
                }
                self.objects.fetch_add(1, Ordering::AcqRel);
            }
        }
    }

    /// Marks the start of a write; the guard marks its end when dropped.
    pub(crate) fn writing<'a>(&'a self, scope: Scope<'_>) -> WriteGuard<'a> {
        self.bump(scope);
        let held = match scope {
            Scope::Objects(ids) => Held::Objects(ids.to_vec()),
            Scope::All => Held::All,
            Scope::Nothing => Held::Nothing,
        };
        WriteGuard { cache: self, held }
    }

    pub(crate) fn collection(&self, path: &str) -> Option<Option<Collection>> {
        let maps = self.maps();
        maps.collections.get(path).filter(|e| self.fresh(e)).map(|e| e.value.clone())
    }

    pub(crate) fn put_collection(&self, path: &str, value: Option<Collection>, stamp: Stamp) {
        let mut maps = self.maps();
        // A collection's row holds its revision: it depends on object writes too;
        // that no collection is there does not.
        if self.unchanged(stamp, value.is_some()) {
            let stripe = value.as_ref().map(|c| {
                let s = stripe_of(c.id);
                (s, self.stripes[s].load(Ordering::Acquire))
            });
            insert(&mut maps.collections, path.to_owned(), Entry { value, all: stamp.all, stripe, at: Instant::now() });
        }
    }

    pub(crate) fn properties(&self, id: CollectionId) -> Option<Vec<(String, String)>> {
        let maps = self.maps();
        maps.properties.get(&id).filter(|e| self.fresh(e)).map(|e| e.value.clone())
    }

    pub(crate) fn put_properties(&self, id: CollectionId, value: Vec<(String, String)>, stamp: Stamp) {
        let mut maps = self.maps();
        if self.unchanged(stamp, false) {
            insert(&mut maps.properties, id, Entry { value, all: stamp.all, stripe: None, at: Instant::now() });
        }
    }
}

impl HotCache {
    pub(crate) fn epoch(&self, principal: i64) -> Option<Option<i64>> {
        let maps = self.maps();
        maps.epochs.get(&principal).filter(|e| self.fresh(e)).map(|e| e.value)
    }

    pub(crate) fn put_epoch(&self, principal: i64, value: Option<i64>, stamp: Stamp) {
        let mut maps = self.maps();
        if self.unchanged(stamp, false) {
            insert(&mut maps.epochs, principal, Entry { value, all: stamp.all, stripe: None, at: Instant::now() });
        }
    }

    pub(crate) fn locks(&self, path: &str, descendants: bool, now: i64) -> Option<Vec<Lock>> {
        let maps = self.maps();
        let e = maps.locks.get(&(path.to_owned(), descendants)).filter(|e| self.fresh(e))?;
        Some(e.value.iter().filter(|l| l.expires_at > now).cloned().collect())
    }

    pub(crate) fn put_locks(&self, path: &str, descendants: bool, value: Vec<Lock>, stamp: Stamp) {
        let mut maps = self.maps();
        if self.unchanged(stamp, false) {
            let entry = Entry { value, all: stamp.all, stripe: None, at: Instant::now() };
            insert(&mut maps.locks, (path.to_owned(), descendants), entry);
        }
    }
}

/// Held for the length of a write transaction (see the module doc).
pub(crate) struct WriteGuard<'a> {
    cache: &'a HotCache,
    held: Held,
}

/// A [`Scope`] that outlives the write method's borrow.
enum Held {
    Objects(Vec<CollectionId>),
    All,
    Nothing,
}

impl Drop for WriteGuard<'_> {
    fn drop(&mut self) {
        let scope = match &self.held {
            Held::Objects(ids) => Scope::Objects(ids),
            Held::All => Scope::All,
            Held::Nothing => Scope::Nothing,
        };
        self.cache.bump(scope);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::resources::{CollectionKind, Components};

    fn coll(id: CollectionId) -> Collection {
        Collection {
            id,
            owner_id: 1,
            path: format!("c{id}/"),
            parent_id: None,
            kind: CollectionKind::Calendar,
            components: Components(0),
            revision: 1,
            created_at: 0,
            modified_at: 0,
            source: None,
            share_id: None,
        }
    }

    #[test]
    fn a_value_read_during_a_write_is_not_kept() {
        let c = HotCache::default();
        let stamp = c.stamp();
        let w = c.writing(Scope::Objects(&[7]));
        c.put_collection("c7/", Some(coll(7)), stamp);
        assert!(c.collection("c7/").is_none(), "read before the write began");
        let stamp = c.stamp();
        c.put_collection("c7/", Some(coll(7)), stamp);
        assert!(c.collection("c7/").is_some(), "read inside the write, before its commit");
        drop(w);
        assert!(c.collection("c7/").is_none(), "the commit ends what was read before it");
    }

    #[test]
    fn object_writes_end_only_their_collections() {
        let c = HotCache::default();
        let stamp = c.stamp();
        c.put_collection("c7/", Some(coll(7)), stamp);
        c.put_collection("c8/", Some(coll(8)), stamp);
        c.put_collection("c7/x.ics/", None, stamp);
        c.put_properties(7, vec![("p".into(), "v".into())], stamp);
        drop(c.writing(Scope::Objects(&[7])));
        assert!(c.collection("c7/").is_none());
        assert_eq!(c.collection("c8/").map(|o| o.map(|c| c.id)), Some(Some(8)));
        assert_eq!(c.collection("c7/x.ics/"), Some(None), "no collection there still");
        assert_eq!(c.properties(7).map(|p| p.len()), Some(1));
        drop(c.writing(Scope::Nothing));
        assert_eq!(c.properties(7).map(|p| p.len()), Some(1));
        drop(c.writing(Scope::All));
        assert!(c.collection("c8/").is_none() && c.properties(7).is_none());
    }

    #[test]
    fn credential_epochs_end_with_any_write_but_objects() {
        let c = HotCache::default();
        c.put_epoch(7, Some(3), c.stamp());
        assert_eq!(c.epoch(7), Some(Some(3)));
        drop(c.writing(Scope::Objects(&[1])));
        assert_eq!(c.epoch(7), Some(Some(3)), "an event written does not touch passwords");
        let stamp = c.stamp();
        let guard = c.writing(Scope::All);
        assert_eq!(c.epoch(7), None, "a password change ends it when it begins");
        c.put_epoch(7, Some(3), stamp);
        drop(guard);
        assert_eq!(c.epoch(7), None, "and what was read meanwhile is not kept");
        c.put_epoch(7, None, c.stamp());
        assert_eq!(c.epoch(7), Some(None), "an unknown principal is remembered too");
        c.clear();
        assert_eq!(c.epoch(7), None);
    }

    #[test]
    fn clear_stands_for_another_process() {
        let c = HotCache::default();
        let stamp = c.stamp();
        c.put_properties(1, Vec::new(), stamp);
        c.clear();
        assert!(c.properties(1).is_none());
        c.put_properties(1, Vec::new(), stamp);
        assert!(c.properties(1).is_none(), "a value read before the clear is not kept");
    }

    #[test]
    fn cached_locks_expire_and_end_with_any_lock_write() {
        let c = HotCache::default();
        let lock = Lock {
            token: "t".into(),
            path: "c7/".into(),
            depth_infinity: false,
            exclusive: true,
            owner_xml: None,
            principal_id: 1,
            timeout_secs: 100,
            expires_at: 200,
        };
        c.put_locks("c7/x.ics", false, vec![lock], c.stamp());
        assert_eq!(c.locks("c7/x.ics", false, 150).map(|l| l.len()), Some(1));
        assert_eq!(c.locks("c7/x.ics", false, 250).map(|l| l.len()), Some(0), "expired when served");
        assert!(c.locks("c7/x.ics", true, 150).is_none(), "with descendants is another question");
        drop(c.writing(Scope::All));
        assert!(c.locks("c7/x.ics", false, 150).is_none());
    }
}
