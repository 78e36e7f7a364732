//! The embedded default: one SQLite file in WAL mode.
//!
//! Readers share a pool; writers go through a single connection so that writes from
//! this process queue in order instead of contending for the file lock. Other
//! processes (the CLI while the server runs) wait on `busy_timeout`; write
//! transactions start with `BEGIN IMMEDIATE` so that they take the lock before their
//! first read and can never fail on a read-to-write upgrade.

use std::path::Path;
use std::str::FromStr;
use std::sync::Arc;
use std::time::Duration;

use sqlx::sqlite::{SqliteConnectOptions, SqliteConnection, SqliteJournalMode, SqlitePoolOptions, SqliteSynchronous};
use sqlx::{Connection, Sqlite, SqlitePool};

use crate::cache::{HotCache, Scope, WriteGuard};
use crate::error::{Conflict, Result, StoreError};
use crate::model::*;
use crate::sql::{PRINCIPAL_COLUMNS, PRINCIPAL_COLUMNS_P, sql_store};
use crate::sqlite_writer::{WriteTx, Writer};
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

/// How often the writer connection is asked whether another process wrote.
const FOREIGN_WRITE_POLL: Duration = Duration::from_millis(100);

/// SQLite implementation of [`crate::Store`].
pub struct SqliteStore {
    pool: SqlitePool,
    writer: Arc<Writer>,
    cache: Arc<HotCache>,
    watcher: tokio::task::JoinHandle<()>,
}

impl Drop for SqliteStore {
    fn drop(&mut self) {
        self.watcher.abort();
    }
}

impl SqliteStore {
    const BACKEND: &'static str = "sqlite";
    // <https://sqlite.org/pragma.html#pragma_optimize>: analyzes only what needs it.
    const REFRESH_STATISTICS: &'static str = "PRAGMA optimize";
    // A booking's `BEGIN IMMEDIATE` takes the database's one write lock before its
    // first read: every other booking, in this process (the writer connection's
    // FIFO mutex) or another (`busy_timeout`), waits for its commit.
    const BOOKING_LOCK: Option<&'static str> = None;

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
        let mut conn = SqliteConnection::connect_with(&options).await?;
        sqlx::migrate!("./migrations/sqlite").run(&mut conn).await?;
        // Taken before this store's first read: writes by others from now on count.
        let version = data_version(&mut conn).await?;
        let writer = Arc::new(Writer::new(conn));
        // No ping before each acquire (sqlx's default): a connection to a local
        // file cannot have been hung up on, and the ping is a round trip to the
        // connection's thread on every store operation.
        let pool = SqlitePoolOptions::new().max_connections(8).test_before_acquire(false).connect_with(options).await?;
        let cache = Arc::new(HotCache::default());
        let watcher = tokio::spawn(watch_foreign_writes(writer.clone(), cache.clone(), version));
        Ok(SqliteStore { pool, writer, cache, watcher })
    }

    async fn close_pools(&self) {
        self.pool.close().await;
        // The last connection to close checkpoints the WAL into the main file.
        self.writer.close().await;
    }

    async fn write_tx(&self, scope: Scope<'_>) -> Result<(WriteTx<'_>, WriteGuard<'_>)> {
        let tx = self.writer.begin("BEGIN IMMEDIATE").await?;
        Ok((tx, self.cache.writing(scope)))
    }
}

/// Clears the cache when another process (the CLI) commits. Every write of this
/// process goes through the one writer connection, and SQLite changes a
/// connection's `data_version` only for commits made by other connections
/// (<https://sqlite.org/pragma.html#pragma_data_version>).
async fn watch_foreign_writes(writer: Arc<Writer>, cache: Arc<HotCache>, mut seen: Option<i64>) {
    loop {
        tokio::time::sleep(FOREIGN_WRITE_POLL).await;
        let version = match writer.lock().await {
            Ok(mut conn) => data_version(&mut conn).await,
            // Closed: the store is going away.
            Err(_) => return,
        };
        match version {
            Ok(v) => {
                if v != seen {
                    cache.clear();
                }
                seen = v;
            }
            // Cannot tell: assume the worst.
            Err(_) => cache.clear(),
        }
    }
}

async fn data_version(writer: &mut SqliteConnection) -> Result<Option<i64>> {
    // fetch_all steps the statement to its end: no read transaction is left open
    // on the connection (it would freeze the connection's view).
    Ok(sqlx::query_scalar::<_, i64>("PRAGMA data_version").fetch_all(writer).await?.first().copied())
}

/// Nothing to do: every write transaction starts with `BEGIN IMMEDIATE`, which
/// takes the database's write lock, so writes and LOCKs of every process are
/// already serialised (the PostgreSQL backend needs advisory locks for this).
pub(crate) async fn serialize(
    _conn: &mut sqlx::SqliteConnection,
    _keys: &[(i32, i32)],
    _exclusive: bool,
) -> Result<(), sqlx::Error> {
    Ok(())
}

sql_store!(SqliteStore, Sqlite);
crate::sql_resources::sql_resource_store!(SqliteStore, Sqlite);
crate::sql_scheduling::sql_scheduling_store!(SqliteStore, Sqlite);
crate::sql_sessions::sql_session_store!(SqliteStore, Sqlite);
