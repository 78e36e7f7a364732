//! The DAV-resource half of the storage interface. Every method is one transaction;
//! a write moves the object, its change row and the collection's revision together.
//!
//! [`ResourceStore`] is the union of narrow traits, one a concern (collections,
//! objects, COPY/MOVE, locks, access, sharing), so that each backend implements
//! each in a file of its own (`sql_collections.rs`, `sql_objects.rs`, …) and a
//! reader finds a method with the others of its kind.

use crate::error::Result;
use crate::model::PrincipalId;
use crate::resources::*;

/// Collections, objects, dead properties and the change log: every narrow
/// resource interface below. Implemented for any type that implements them all.
pub trait ResourceStore:
    CollectionStore + ObjectStore + TransferStore + LockStore + AccessStore + SharingStore
{
}
impl<T: CollectionStore + ObjectStore + TransferStore + LockStore + AccessStore + SharingStore> ResourceStore for T {}

/// Collections: their tree, dead properties and change log, and the bytes their
/// owner stores in them.
#[async_trait::async_trait]
pub trait CollectionStore: Send + Sync + 'static {
    /// Creates the given collections where their paths are free (idempotent, safe
    /// against concurrent first requests). Parents must come before children.
    async fn provision(&self, collections: &[NewCollection], now: i64) -> Result<()>;

    /// Creates one collection, or fails with [`crate::Conflict::Path`]. Records the
    /// new member in its parent's change log.
    async fn create_collection(&self, new: &NewCollection, rules: &crate::WriteRules, now: i64) -> Result<Collection>;

    /// The collection at a decoded path (ending with `/`).
    async fn collection(&self, path: &str) -> Result<Option<Collection>>;

    /// Direct sub-collections, ordered by path.
    async fn subcollections(&self, parent: CollectionId) -> Result<Vec<Collection>>;

    /// Every collection a principal owns, ordered by path.
    async fn collections_of(&self, owner: PrincipalId) -> Result<Vec<Collection>>;

    /// Every collection any of these principals owns, ordered by owner and path
    /// (the free/busy of many attendees in one read).
    async fn collections_of_owners(&self, owners: &[PrincipalId]) -> Result<Vec<Collection>>;

    /// The dead properties called `names` of any of these collections:
    /// (collection, Clark name, verbatim XML), ordered by collection and name.
    async fn collection_properties_named(
        &self,
        collections: &[CollectionId],
        names: &[&str],
    ) -> Result<Vec<(CollectionId, String, String)>>;

    /// Every collection the server fills from a URL (subscribed feeds), by path.
    async fn subscribed_collections(&self) -> Result<Vec<Collection>>;

    /// Records the outcome of a fetch of a subscribed collection's feed at
    /// `at`: `error` is why it failed, `None` when it succeeded.
    async fn set_feed_status(&self, id: CollectionId, at: i64, error: Option<&str>) -> Result<()>;

    /// The outcome of the last fetch of a subscribed collection's feed, `None`
    /// before the first: (when, why it failed).
    async fn feed_status(&self, id: CollectionId) -> Result<Option<(i64, Option<String>)>>;

    /// Deletes a collection with everything below it; records the removal in its
    /// parent's change log. Returns whether it existed.
    async fn delete_collection(&self, id: CollectionId, rules: &crate::WriteRules, now: i64) -> Result<bool>;

    /// Dead properties of a collection (Clark name, verbatim XML), ordered by name.
    async fn collection_properties(&self, id: CollectionId) -> Result<Vec<(String, String)>>;

    /// Applies PROPPATCH operations to a collection, all or nothing.
    async fn patch_collection(
        &self,
        id: CollectionId,
        changes: &[PropertyChange],
        rules: &crate::WriteRules,
        now: i64,
    ) -> Result<()>;

    /// Members changed after revision `since`, oldest first, at most `limit`, and
    /// the collection's current revision.
    async fn changes_since(
        &self,
        collection: CollectionId,
        since: i64,
        limit: Option<u32>,
    ) -> Result<(Vec<Change>, i64)>;

    /// Bytes stored in all collections a principal owns (RFC 4331 quota usage).
    async fn usage(&self, owner: PrincipalId) -> Result<i64>;

    /// Ids of a collection's ancestors, nearest first.
    async fn ancestor_ids(&self, id: CollectionId) -> Result<Vec<CollectionId>>;

    /// A collection by id (the original, never a mount).
    async fn collection_by_id(&self, id: CollectionId) -> Result<Option<Collection>>;
}

/// The objects of collections: reads (by name, by time range), the background
/// indexing and classification passes, writes and dead properties.
#[async_trait::async_trait]
pub trait ObjectStore: Send + Sync + 'static {
    /// Object metadata of a collection's members, ordered by name.
    async fn object_metas(&self, collection: CollectionId) -> Result<Vec<ObjectMeta>>;

    /// One object's metadata, without reading its bytes.
    async fn object_meta(&self, collection: CollectionId, name: &str) -> Result<Option<ObjectMeta>>;

    /// One object with its bytes.
    async fn object(&self, collection: CollectionId, name: &str) -> Result<Option<Object>>;

    /// The named objects that exist, with their bytes (multiget).
    async fn objects_named(&self, collection: CollectionId, names: &[String]) -> Result<Vec<Object>>;

    /// Candidates for a time range: objects whose closed span `[span_start,
    /// span_end]` meets the closed range `[start, end]` (open bounds: `None`), plus
    /// the objects without a span. A superset: callers apply RFC 4791 §9.9 exactly.
    async fn objects_in_span(
        &self,
        collection: CollectionId,
        start: Option<i64>,
        end: Option<i64>,
    ) -> Result<Vec<Object>>;

    /// [`Self::objects_in_span`] over several collections at once, ordered by
    /// collection and name.
    async fn objects_in_span_of(
        &self,
        collections: &[CollectionId],
        start: Option<i64>,
        end: Option<i64>,
    ) -> Result<Vec<Object>>;

    /// A time-range lookup through the instance pieces (see [`crate::InstancePieces`]):
    /// objects with a piece in `[start, end)` (open bounds: `None`) whose pieces decide
    /// that range are `matched` (or `to_test` when inexact); objects not indexed for
    /// that range are `to_test` when their span meets it, as [`Self::objects_in_span`].
    /// `matched` objects carry their bytes only when `with_data` (a view opening asks
    /// for ETags only); `to_test` ones always do.
    async fn objects_in_time(
        &self,
        collection: CollectionId,
        start: Option<i64>,
        end: Option<i64>,
        with_data: bool,
    ) -> Result<crate::TimeCandidates>;

    /// Events whose instance pieces must be (re)computed: never indexed (written
    /// before the index existed) or indexed within a window ending before `before`;
    /// at most `limit`, with their bytes.
    async fn objects_to_index(&self, before: i64, limit: i64) -> Result<Vec<Object>>;

    /// Replaces the pieces of an object if its ETag is still `etag` (a write in
    /// between brought its own). Returns whether they were replaced. Not a change:
    /// no revision moves, since the stored bytes are the same.
    async fn set_instances(&self, object_id: i64, etag: &str, pieces: &crate::InstancePieces) -> Result<bool>;

    /// Objects not yet classified (class < 0, see migration 0017), at most
    /// `limit`, with their bytes.
    async fn objects_to_classify(&self, limit: i64) -> Result<Vec<Object>>;

    /// Sets the class of an object if its ETag is still `etag` (a write in
    /// between classified it itself). Not a change: the bytes are the same.
    async fn set_class(&self, object_id: i64, etag: &str, class: i64) -> Result<bool>;

    /// Every object of a collection with its bytes, ordered by name.
    async fn objects(&self, collection: CollectionId) -> Result<Vec<Object>>;

    /// Creates or replaces an object if `condition` holds for its current ETag,
    /// else fails with [`crate::StoreError::PreconditionFailed`]; fails with
    /// [`crate::Conflict::Uid`] when another member has the same UID.
    async fn put_object(
        &self,
        collection: CollectionId,
        name: &str,
        object: &NewObject,
        condition: &WriteCondition,
        rules: &crate::WriteRules,
        now: i64,
    ) -> Result<PutOutcome>;

    /// A server-filled collection's new content in one transaction (the
    /// birthdays calendar's rebuild): removes `deletes` where they exist, then
    /// writes `puts`, each recorded in the change log like a single write, with
    /// no lock or quota rule. Fails whole, e.g. with [`crate::Conflict::Uid`].
    async fn write_objects(
        &self,
        collection: CollectionId,
        puts: &[(String, NewObject)],
        deletes: &[String],
        now: i64,
    ) -> Result<()>;

    /// Deletes an object if `condition` holds. Returns whether it existed.
    async fn delete_object(
        &self,
        collection: CollectionId,
        name: &str,
        condition: &WriteCondition,
        rules: &crate::WriteRules,
        now: i64,
    ) -> Result<bool>;

    /// Dead properties of an object.
    async fn object_properties(&self, object_id: i64) -> Result<Vec<(String, String)>>;

    /// Applies PROPPATCH operations to an object, all or nothing.
    async fn patch_object(
        &self,
        object_id: i64,
        changes: &[PropertyChange],
        rules: &crate::WriteRules,
        now: i64,
    ) -> Result<()>;
}

/// COPY and MOVE (RFC 4918 §9.8, §9.9) of objects and collections.
#[async_trait::async_trait]
pub trait TransferStore: Send + Sync + 'static {
    /// COPY or MOVE of one object (RFC 4918 §9.8, §9.9) in one transaction: writes
    /// `object` (the source's bytes, re-indexed for the destination) at
    /// `dst`/`dst_name` with the source's dead properties, replacing what is there
    /// only if `overwrite`, and removes the source when `delete_source`. Fails with
    /// [`crate::StoreError::PreconditionFailed`] when the destination exists and
    /// may not be overwritten (or the source vanished), with [`crate::Conflict::Uid`]
    /// on a UID clash in the destination.
    #[allow(clippy::too_many_arguments)]
    async fn transfer_object(
        &self,
        src: CollectionId,
        src_name: &str,
        dst: CollectionId,
        dst_name: &str,
        object: &NewObject,
        delete_source: bool,
        overwrite: bool,
        rules: &crate::WriteRules,
        now: i64,
    ) -> Result<PutOutcome>;

    /// MOVE of a collection with everything below it to `new_path` inside
    /// `new_parent`; what is at the destination (a collection subtree or an object
    /// of the same name) is replaced when `overwrite`. Returns whether something
    /// was replaced.
    async fn move_collection(
        &self,
        id: CollectionId,
        new_path: &str,
        new_parent: CollectionId,
        overwrite: bool,
        rules: &crate::WriteRules,
        now: i64,
    ) -> Result<bool>;

    /// COPY of a collection (with its members and, when `recursive`, its
    /// sub-collections) to `new_path` inside `new_parent`, owned by the new
    /// parent's owner. Classified objects (class ≠ 0) of the `shaping`'s
    /// restricted collections are replaced as it says, in the same transaction;
    /// one it does not cover (changed since the caller read it) fails the copy
    /// with [`crate::StoreError::PreconditionFailed`]. Returns whether something
    /// was replaced at the destination.
    #[allow(clippy::too_many_arguments)]
    async fn copy_collection(
        &self,
        id: CollectionId,
        new_path: &str,
        new_parent: CollectionId,
        recursive: bool,
        overwrite: bool,
        shaping: &CopyShaping,
        rules: &crate::WriteRules,
        now: i64,
    ) -> Result<bool>;
}

/// WebDAV locks (RFC 4918 §6, §7).
#[async_trait::async_trait]
pub trait LockStore: Send + Sync + 'static {
    /// Unexpired locks whose root is `path`, an ancestor of it, or (with
    /// `descendants`) anything below it; callers decide which apply.
    async fn locks_near(&self, path: &str, descendants: bool, now: i64) -> Result<Vec<Lock>>;

    /// Takes a lock unless a conflicting one exists (an exclusive lock, or any
    /// lock when `lock.exclusive`, covering the path or below it with depth
    /// infinity), else fails with [`crate::Conflict::Locked`]. Drops expired locks.
    async fn create_lock(&self, lock: &Lock, now: i64) -> Result<()>;

    /// Extends a lock; returns it, or `None` when the token is unknown or expired.
    async fn refresh_lock(&self, token: &str, timeout_secs: i64, now: i64) -> Result<Option<Lock>>;

    /// Removes a lock. Returns whether it existed.
    async fn delete_lock(&self, token: &str) -> Result<bool>;

    /// Removes every lock rooted at or below `path` (the resource is gone).
    async fn delete_locks_below(&self, path: &str) -> Result<()>;
}

/// Who may do what: ACL grants on collections (RFC 3744), group memberships and
/// calendar delegation (proxies).
#[async_trait::async_trait]
pub trait AccessStore: Send + Sync + 'static {
    /// Grants set on any of the collections, in no particular order.
    async fn grants(&self, collections: &[CollectionId]) -> Result<Vec<Grant>>;

    /// Replaces every grant set on a collection (the ACL method), in one transaction.
    async fn replace_grants(&self, collection: CollectionId, grants: &[(Grantee, i64)]) -> Result<()>;

    /// Every group a principal belongs to, directly or through other groups.
    async fn memberships(&self, principal: PrincipalId) -> Result<Vec<PrincipalId>>;

    /// Groups a principal belongs to directly, ordered by name.
    async fn groups_of(&self, principal: PrincipalId) -> Result<Vec<crate::Principal>>;

    /// Replaces a user's delegates at one level (read or write); a delegate is at
    /// one level only.
    async fn set_proxies(&self, owner: PrincipalId, write: bool, delegates: &[PrincipalId]) -> Result<()>;

    /// A user's delegates and whether each may write.
    async fn proxies_of(&self, owner: PrincipalId) -> Result<Vec<(PrincipalId, bool)>>;

    /// The users who delegated to any of these principals, and whether for writing.
    async fn proxied_by(&self, delegates: &[PrincipalId]) -> Result<Vec<(PrincipalId, bool)>>;
}

/// Collections offered to others: shares to principals and publication under a
/// secret token.
#[async_trait::async_trait]
pub trait SharingStore: Send + Sync + 'static {
    /// Offers a collection to a principal, or changes the access of an existing
    /// share (its status is kept).
    async fn upsert_share(
        &self,
        collection: CollectionId,
        sharee: PrincipalId,
        access: ShareAccess,
        summary: Option<&str>,
        now: i64,
    ) -> Result<Share>;

    /// The shares of a collection.
    async fn shares_of(&self, collection: CollectionId) -> Result<Vec<Share>>;

    /// The shares offered to a principal.
    async fn shares_to(&self, sharee: PrincipalId) -> Result<Vec<Share>>;

    /// Accepts (mounting it at `mount` = (path, parent)) or declines a share, and
    /// records the change in the sharee's home.
    async fn answer_share(
        &self,
        share: i64,
        status: ShareStatus,
        mount: Option<(&str, CollectionId)>,
        now: i64,
    ) -> Result<()>;

    /// Ends a share; its mount disappears from the sharee's home.
    async fn delete_share(&self, share: i64, now: i64) -> Result<bool>;

    /// Accepted shares on any of the collections for any of the principals.
    async fn access_shares(&self, collections: &[CollectionId], principals: &[PrincipalId]) -> Result<Vec<Share>>;

    /// The sharee's own dead properties of a mounted share.
    async fn share_properties(&self, share: i64) -> Result<Vec<(String, String)>>;

    /// Applies PROPPATCH operations to a share's own properties.
    async fn patch_share(
        &self,
        share: i64,
        changes: &[PropertyChange],
        rules: &crate::WriteRules,
        now: i64,
    ) -> Result<()>;

    /// Publishes a collection under a secret token (replacing an older one).
    async fn publish(&self, collection: CollectionId, token: &str, now: i64) -> Result<()>;

    /// The token a collection is published under, if it is.
    async fn publication(&self, collection: CollectionId) -> Result<Option<String>>;

    /// Revokes a publication. Returns whether there was one.
    async fn unpublish(&self, collection: CollectionId) -> Result<bool>;

    /// The collection published under a token.
    async fn published(&self, token: &str) -> Result<Option<Collection>>;
}
