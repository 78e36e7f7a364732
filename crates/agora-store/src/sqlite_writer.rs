//! The one SQLite connection this process writes through, owned directly rather
//! than through a one-connection sqlx pool.
//!
//! Every statement on a sqlx SQLite connection is a hop to the connection's own
//! thread and back, and writes are serial: the time a write transaction holds the
//! connection bounds the write rate. A pool adds hops on that path: handing the
//! connection back spawns a task that pings it (a statement on its thread, always,
//! sqlx 0.8 `PoolConnection::drop`) before the next writer may take it. Here the
//! next writer takes it as soon as the previous one is done: a fair (FIFO) mutex,
//! so writers still queue in arrival order.

use std::ops::{Deref, DerefMut};

use sqlx::sqlite::{SqliteConnection, SqliteTransactionManager};
use sqlx::{Connection, TransactionManager};
use tokio::sync::{MappedMutexGuard, Mutex, MutexGuard};

/// The writer connection; `None` once the store is closed.
pub(crate) struct Writer(Mutex<Option<SqliteConnection>>);

impl Writer {
    pub(crate) fn new(conn: SqliteConnection) -> Self {
        Writer(Mutex::new(Some(conn)))
    }

    /// Waits for the connection (writers queue in order).
    pub(crate) async fn lock(&self) -> Result<MappedMutexGuard<'_, SqliteConnection>, sqlx::Error> {
        MutexGuard::try_map(self.0.lock().await, Option::as_mut).map_err(|_| sqlx::Error::PoolClosed)
    }

    /// Begins a write transaction with `statement` (`BEGIN IMMEDIATE`).
    pub(crate) async fn begin(&self, statement: &'static str) -> Result<WriteTx<'_>, sqlx::Error> {
        // Counted open before the BEGIN is sent: if this future is dropped once
        // the BEGIN is on its way (even after sqlx's worker ran and acknowledged
        // it), the drop queues a ROLLBACK behind it. sqlx's own begin, so that its
        // worker counts the transaction: a ROLLBACK with none open (the BEGIN
        // failed, or the worker already undid one nobody waited for) is a no-op.
        let mut tx = WriteTx { conn: self.lock().await?, open: true };
        SqliteTransactionManager::begin(&mut tx.conn, Some(statement.into())).await?;
        Ok(tx)
    }

    /// Closes the connection (the last to close checkpoints the WAL); later
    /// writes fail.
    pub(crate) async fn close(&self) {
        if let Some(conn) = self.0.lock().await.take() {
            let _ = conn.close().await;
        }
    }
}

/// A write transaction on the writer connection, used like sqlx's
/// `Transaction`: statements run on `&mut *tx`, `commit` ends it, and dropping it
/// uncommitted rolls it back before the next writer's first statement (the
/// rollback is queued on the connection's thread, which runs commands in order).
pub(crate) struct WriteTx<'a> {
    conn: MappedMutexGuard<'a, SqliteConnection>,
    open: bool,
}

impl WriteTx<'_> {
    pub(crate) async fn commit(mut self) -> Result<(), sqlx::Error> {
        SqliteTransactionManager::commit(&mut self.conn).await?;
        self.open = false;
        Ok(())
    }
}

impl Deref for WriteTx<'_> {
    type Target = SqliteConnection;

    fn deref(&self) -> &SqliteConnection {
        &self.conn
    }
}

impl DerefMut for WriteTx<'_> {
    fn deref_mut(&mut self) -> &mut SqliteConnection {
        &mut self.conn
    }
}

impl Drop for WriteTx<'_> {
    fn drop(&mut self) {
        if self.open {
            SqliteTransactionManager::start_rollback(&mut self.conn);
        }
    }
}
