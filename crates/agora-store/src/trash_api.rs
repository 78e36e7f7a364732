//! The trash half of the records interface: what users delete waits here for its
//! retention time. Deletions fill it inside their own transaction (see
//! [`crate::WriteRules::trash`]); this trait reads, restores and purges it.

use crate::error::Result;
use crate::model::PrincipalId;
use crate::records::{TrashContent, TrashEntry};
use crate::resources::{CollectionId, NewCollection, NewObject, PutOutcome};

/// A restored collection's members: (collection path, name, object, dead properties).
pub type RestoredObjects = [(String, String, NewObject, Vec<(String, String)>)];

/// The trash.
#[async_trait::async_trait]
pub trait TrashStore: Send + Sync + 'static {
    /// A principal's trash entries, newest first.
    async fn trash_of(&self, owner: PrincipalId) -> Result<Vec<TrashEntry>>;

    /// One entry with its collections and objects.
    async fn trash_content(&self, id: i64) -> Result<Option<TrashContent>>;

    /// Puts a trashed object back as `name` in `collection` (only where no member
    /// has that name: else [`crate::StoreError::PreconditionFailed`]; a UID taken
    /// meanwhile fails with [`crate::Conflict::Uid`]) with its dead properties,
    /// and removes the entry: one transaction, recorded like a PUT.
    #[allow(clippy::too_many_arguments)]
    async fn restore_object(
        &self,
        entry: i64,
        collection: CollectionId,
        name: &str,
        object: &NewObject,
        properties: &[(String, String)],
        rules: &crate::WriteRules,
        now: i64,
    ) -> Result<PutOutcome>;

    /// Recreates a trashed collection tree (`collections`, parents first; a path
    /// taken meanwhile fails with [`crate::Conflict::Path`]) with its members,
    /// and removes the entry, in one transaction.
    async fn restore_collection(
        &self,
        entry: i64,
        collections: &[NewCollection],
        objects: &RestoredObjects,
        rules: &crate::WriteRules,
        now: i64,
    ) -> Result<()>;

    /// Deletes for good the entries deleted before `before` (of `owner` only, or
    /// only entry `id`, when given) that no legal hold covers. Returns how many.
    async fn purge_trash(&self, before: i64, owner: Option<PrincipalId>, id: Option<i64>) -> Result<u64>;
}
