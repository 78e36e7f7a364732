//! PostgreSQL implementation: the same SQL as SQLite on a connection pool. Several
//! `agora serve` processes may share one database.

use std::str::FromStr;
use std::time::Duration;

use sqlx::Connection;
use sqlx::postgres::{PgConnectOptions, PgConnection, PgPool, PgPoolOptions};
use sqlx::{Postgres, Transaction};

use crate::error::{Conflict, Result, StoreError};
use crate::model::*;
use crate::sql::{PRINCIPAL_COLUMNS, sql_store};
use crate::timing::OpTimer;

/// PostgreSQL implementation of [`crate::Store`].
pub struct PgStore {
    pool: PgPool,
}

impl PgStore {
    const BACKEND: &'static str = "postgres";

    /// Connects to `url` and applies pending migrations (sqlx serialises concurrent
    /// migrators with an advisory lock).
    pub async fn connect(url: &str) -> Result<Self> {
        let options = PgConnectOptions::from_str(url)?;
        // One direct connection first: an unreachable server is reported at once
        // instead of after the pool's acquire timeout.
        PgConnection::connect_with(&options).await?.close().await?;
        let pool = PgPoolOptions::new()
            .max_connections(16)
            .acquire_timeout(Duration::from_secs(10))
            .connect_with(options)
            .await?;
        sqlx::migrate!("./migrations/postgres").run(&pool).await?;
        Ok(PgStore { pool })
    }

    async fn close_pools(&self) {
        self.pool.close().await;
    }

    async fn write_tx(&self) -> Result<Transaction<'static, Postgres>> {
        Ok(self.pool.begin().await?)
    }
}

sql_store!(PgStore, Postgres);
crate::sql_resources::sql_resource_store!(PgStore, Postgres);
crate::sql_scheduling::sql_scheduling_store!(
    PgStore,
    Postgres,
    async fn lock_booking(&self, key: i64) -> Result<BookingLock> {
        let mut conn = self.pool.acquire().await?;
        sqlx::query("SELECT pg_advisory_lock($1)").bind(key).execute(&mut *conn).await?;
        Ok(BookingLock(Some(Box::new(crate::postgres::SessionLock(Some(conn))))))
    }
);

/// A connection holding a session advisory lock. It is never returned to the
/// pool: closing it ends the session, which releases the lock.
pub(crate) struct SessionLock(pub(crate) Option<sqlx::pool::PoolConnection<Postgres>>);

impl Drop for SessionLock {
    fn drop(&mut self) {
        if let Some(conn) = self.0.take() {
            drop(conn.detach());
        }
    }
}
