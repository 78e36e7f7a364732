//! The embedded default: one SQLite file in WAL mode.
//!
//! Readers share a pool; writers go through a single connection so that writes from
//! this process queue in order instead of contending for the file lock. Other
//! processes (the CLI while the server runs) wait on `busy_timeout`; write
//! transactions start with `BEGIN IMMEDIATE` so that they take the lock before their
//! first read and can never fail on a read-to-write upgrade.

use std::path::Path;
use std::str::FromStr;
use std::time::Duration;

use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePoolOptions, SqliteSynchronous};
use sqlx::{Sqlite, SqlitePool, Transaction};

use crate::error::{Conflict, Result, StoreError};
use crate::model::*;
use crate::sql::{PRINCIPAL_COLUMNS, sql_store};
use crate::timing::OpTimer;

/// How SQLite makes a commit durable.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Synchronous {
    /// fsync the WAL on every commit: an acknowledged write survives power loss.
    Full,
    /// fsync at checkpoints only: survives a crash of Agora, may lose the last
    /// commits on power loss. Faster on slow disks.
    Normal,
}

/// SQLite implementation of [`crate::Store`].
pub struct SqliteStore {
    pool: SqlitePool,
    writer: SqlitePool,
}

impl SqliteStore {
    const BACKEND: &'static str = "sqlite";

    /// Opens (creating if needed) the database file and applies pending migrations.
    pub async fn open(path: &Path, sync: Synchronous) -> Result<Self> {
        let options = SqliteConnectOptions::from_str("sqlite:")?
            .filename(path)
            .create_if_missing(true)
            .journal_mode(SqliteJournalMode::Wal)
            .synchronous(match sync {
                Synchronous::Full => SqliteSynchronous::Full,
                Synchronous::Normal => SqliteSynchronous::Normal,
            })
            .foreign_keys(true)
            .busy_timeout(Duration::from_secs(10));
        let writer = SqlitePoolOptions::new().max_connections(1).connect_with(options.clone()).await?;
        sqlx::migrate!("./migrations/sqlite").run(&writer).await?;
        let pool = SqlitePoolOptions::new().max_connections(8).connect_with(options.read_only(false)).await?;
        Ok(SqliteStore { pool, writer })
    }

    async fn close_pools(&self) {
        self.pool.close().await;
        // The last connection to close checkpoints the WAL into the main file.
        self.writer.close().await;
    }

    async fn write_tx(&self) -> Result<Transaction<'static, Sqlite>> {
        Ok(self.writer.begin_with("BEGIN IMMEDIATE").await?)
    }
}

sql_store!(SqliteStore, Sqlite);
crate::sql_resources::sql_resource_store!(SqliteStore, Sqlite);
crate::sql_scheduling::sql_scheduling_store!(
    SqliteStore,
    Sqlite,
    // One server process owns a SQLite file; the core's own mutex serialises bookings.
    async fn lock_booking(&self, _key: i64) -> Result<BookingLock> {
        Ok(BookingLock(None))
    }
);
