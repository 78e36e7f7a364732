//! Agora's storage layer: the [`Store`] trait and its two implementations on sqlx,
//! [`SqliteStore`] (the embedded default) and [`PgStore`] (for scale-out).
//!
//! # Layout
//! - [`model`]: the records the store reads and writes (no behaviour).
//! - [`error`]: [`StoreError`], which knows nothing of HTTP or the CLI.
//! - `api`, `resource_api`: the narrow traits [`DirectoryStore`] and
//!   [`ResourceStore`] (itself the union of [`CollectionStore`], [`ObjectStore`],
//!   [`TransferStore`], [`LockStore`], [`AccessStore`] and [`SharingStore`]), one
//!   method per transaction; [`Store`] is their union.
//! - [`resources`]: collections, objects, changes.
//! - [`records`], `trash_api`, `hold_api`, `audit_api`: [`RecordStore`], the
//!   trash (filled by deletions in their own transaction), legal holds and the
//!   append-only audit log; their SQL in `sql_trash`, `sql_holds`, `sql_audit`.
//! - `scheduling_api`, `sql_scheduling`: [`SchedulingStore`], UID lookup across a
//!   user's calendars, the outgoing iMIP queue and room bookings (check and write
//!   in one transaction, serialised across processes).
//! - `session_api`, `sql_sessions`: [`SessionStore`], the web interface's
//!   sign-in sessions (only a hash of each token) and per-user preferences.
//! - [`maintenance`]: what backup and restore need below the trait: where the
//!   store lives, its schema version, consistent snapshots and checks of a copy.
//! - `cache`: the credential epochs, collections and collection properties every
//!   request reads, kept in memory and never stale within the process.
//! - `sql`, `sql_resources`: the SQL shared by both backends, instantiated once per
//!   backend by a macro; `sql_resources` calls one macro a concern
//!   (`sql_collections`, `sql_objects`, `sql_transfers`, `sql_locks`, `sql_access`,
//!   `sql_sharing`) and the shared writes of `sql_writes` and `sql_instances`.
//! - `sqlite`, `postgres`: connection set-up, migrations and how a write
//!   transaction begins (`BEGIN IMMEDIATE` on SQLite so writers queue instead of
//!   failing on a lock upgrade).
//!
//! # Design
//! Every trait method is one transaction: a caller never sees half of a write.
//! Both backends run the same SQL text (`$N` placeholders work in SQLite too), so
//! there is one place to read a query; only the DDL differs, kept as versioned
//! migrations per backend in `migrations/{sqlite,postgres}`.

mod api;
mod audit_api;
mod cache;
pub mod error;
mod hold_api;
pub mod maintenance;
pub mod model;
mod postgres;
pub mod records;
mod resource_api;
pub mod resources;
mod scheduling_api;
mod session_api;
mod sql;
mod sql_access;
mod sql_audit;
mod sql_collections;
mod sql_holds;
mod sql_instances;
mod sql_locks;
mod sql_objects;
mod sql_resources;
mod sql_scheduling;
mod sql_sessions;
mod sql_sharing;
mod sql_transfers;
mod sql_trash;
mod sql_writes;
mod sqlite;
mod sqlite_writer;
mod timing;
mod trash_api;

pub use api::DirectoryStore;
pub use audit_api::AuditStore;
pub use hold_api::HoldStore;
pub use records::*;
pub use resource_api::{
    AccessStore, CollectionStore, LockStore, ObjectStore, ResourceStore, SharingStore, TransferStore,
};
pub use resources::*;
pub use scheduling_api::*;
pub use session_api::{SessionLookup, SessionStore, StoredSession};
pub use trash_api::{RestoredObjects, TrashStore};

/// Persistent state of Agora: the union of the narrow store interfaces.
/// Implemented by [`SqliteStore`] and [`PgStore`]; the domain layer holds an
/// `Arc<dyn Store>`.
pub trait Store: DirectoryStore + ResourceStore + SchedulingStore + SessionStore + RecordStore {}
impl<T: DirectoryStore + ResourceStore + SchedulingStore + SessionStore + RecordStore> Store for T {}

/// The records a public body keeps: trash, legal holds, audit log.
pub trait RecordStore: TrashStore + HoldStore + AuditStore {}
impl<T: TrashStore + HoldStore + AuditStore> RecordStore for T {}
pub use error::{Conflict, Result, StoreError};
pub use model::*;
pub use postgres::PgStore;
pub use sqlite::{SqliteStore, Synchronous};

use std::path::Path;
use std::sync::Arc;

/// Opens the store named by `url` (`postgres://…`), or, when `url` is `None`, the
/// embedded SQLite database `agora.db` inside `data_dir`, creating and migrating it.
/// `sync` applies to SQLite only.
pub async fn open(url: Option<&str>, data_dir: &Path, sync: Synchronous) -> Result<Arc<dyn Store>> {
    match maintenance::Location::resolve(url, data_dir)? {
        maintenance::Location::Postgres(url) => Ok(Arc::new(PgStore::connect(&url).await?)),
        maintenance::Location::Sqlite(db) => {
            if url.is_none() {
                std::fs::create_dir_all(data_dir).map_err(|e| {
                    StoreError::Config(format!("cannot create data directory {}: {e}", data_dir.display()))
                })?;
            }
            Ok(Arc::new(SqliteStore::open(&db, sync).await?))
        }
    }
}
