//! PostgreSQL implementation: the same SQL as SQLite on a connection pool. Several
//! `agora serve` processes may share one database.

use std::str::FromStr;
use std::sync::Arc;
use std::time::Duration;

use sqlx::Connection;
use sqlx::postgres::{PgConnectOptions, PgConnection, PgListener, PgPool, PgPoolOptions};
use sqlx::{Postgres, Transaction};

use crate::cache::{HotCache, Scope, WriteGuard};
use crate::error::{Conflict, Result, StoreError};
use crate::model::*;
use crate::sql::{PRINCIPAL_COLUMNS, PRINCIPAL_COLUMNS_P, sql_store};
use crate::timing::OpTimer;

/// The channel on which writes to what the cache holds are announced to the other
/// processes sharing the database (migration 0015; delivered at commit).
const CHANGES_CHANNEL: &str = "agora_changes";

/// A pooled connection idle this long is pinged before use.
const PING_IDLE_AFTER: Duration = Duration::from_secs(10);

/// PostgreSQL implementation of [`crate::Store`].
pub struct PgStore {
    pool: PgPool,
    cache: Arc<HotCache>,
    listener: tokio::task::JoinHandle<()>,
}

impl Drop for PgStore {
    fn drop(&mut self) {
        self.listener.abort();
    }
}

impl PgStore {
    const BACKEND: &'static str = "postgres";
    const REFRESH_STATISTICS: &'static str = "ANALYZE";
    // Taken first in a booking's transaction, released by its commit or rollback
    // (never left behind by a dropped connection, unlike a session lock), keyed
    // by the resource: bookings of other rooms and other writes do not wait.
    // Under READ COMMITTED each later statement sees what the previous holder
    // committed. See docs/decisions.md (SERIALIZABLE was the alternative).
    const BOOKING_LOCK: Option<&'static str> = Some("SELECT pg_advisory_xact_lock($1)");

    /// Connects to `url` and applies pending migrations (sqlx serialises concurrent
    /// migrators with an advisory lock).
    pub async fn connect(url: &str) -> Result<Self> {
        let cache = Arc::new(HotCache::default());
        // Names this store's connections, and so the notifications they cause.
        let instance =
            format!("agora-{}-{:p}-{}", std::process::id(), Arc::as_ptr(&cache), crate::cache::startup_nanos());
        // Custom plans always: a calendar of 20,000 events among thousands of small
        // collections is the skew a generic plan cannot see. After five executions
        // PostgreSQL switched a sync's prepared statement to a generic plan that
        // joined every object of the collection (75 ms instead of 0.2 ms, 0.3 ms of
        // it planning); see BENCHMARKS.md.
        let options = PgConnectOptions::from_str(url)?
            .application_name(&instance)
            .options([("plan_cache_mode", "force_custom_plan")]);
        // One direct connection first: an unreachable server is reported at once
        // instead of after the pool's acquire timeout.
        PgConnection::connect_with(&options).await?.close().await?;
        let pool = PgPoolOptions::new()
            .max_connections(16)
            .acquire_timeout(Duration::from_secs(10))
            // sqlx pings every idle connection before handing it out, a round trip
            // per store operation. A connection in steady use is known to be alive;
            // only one left idle a while (the server restarted, a firewall dropped
            // it) is checked, and a dead one replaced as before.
            .test_before_acquire(false)
            .before_acquire(|conn, meta| {
                Box::pin(async move {
                    if meta.idle_for >= PING_IDLE_AFTER {
                        conn.ping().await?;
                    }
                    Ok(true)
                })
            })
            .connect_with(options)
            .await?;
        sqlx::migrate!("./migrations/postgres").run(&pool).await?;
        let mut listener = PgListener::connect_with(&pool).await?;
        listener.listen(CHANGES_CHANNEL).await?;
        let listener = tokio::spawn(watch_foreign_writes(listener, cache.clone(), instance.clone()));
        Ok(PgStore { pool, cache, listener })
    }

    async fn close_pools(&self) {
        self.listener.abort();
        self.pool.close().await;
    }

    async fn write_tx(&self, scope: Scope<'_>) -> Result<(Transaction<'static, Postgres>, WriteGuard<'_>)> {
        // Other processes hear of it from the triggers of migration 0015.
        Ok((self.pool.begin().await?, self.cache.writing(scope)))
    }
}

/// Clears the cache when another process commits a write. A lost connection may
/// have lost notifications: the cache is cleared then too (the listener
/// reconnects by itself on the next receive).
async fn watch_foreign_writes(mut listener: PgListener, cache: Arc<HotCache>, instance: String) {
    loop {
        match listener.try_recv().await {
            Ok(Some(n)) if n.payload() == instance => {}
            Ok(Some(_)) => cache.clear(),
            Ok(None) => cache.clear(),
            Err(_) => {
                cache.clear();
                tokio::time::sleep(Duration::from_millis(200)).await;
            }
        }
    }
}

/// Serialises, across processes, writes with the LOCKs and quota checks that
/// concern them (transaction advisory locks, released at commit or rollback):
/// writes take their keys shared, so they never wait for one another; a LOCK
/// takes its keys exclusive. See `WriteRules` and `sql_resources::path_keys`.
pub(crate) async fn serialize(
    conn: &mut sqlx::PgConnection,
    keys: &[(i32, i32)],
    exclusive: bool,
) -> Result<(), sqlx::Error> {
    if keys.is_empty() {
        return Ok(());
    }
    let (classes, ids): (Vec<i32>, Vec<i32>) = keys.iter().copied().unzip();
    let sql = if exclusive {
        "SELECT count(pg_advisory_xact_lock(c, k)) FROM unnest($1::int4[], $2::int4[]) AS t(c, k)"
    } else {
        "SELECT count(pg_advisory_xact_lock_shared(c, k)) FROM unnest($1::int4[], $2::int4[]) AS t(c, k)"
    };
    sqlx::query(sql).bind(classes).bind(ids).execute(conn).await?;
    Ok(())
}

sql_store!(PgStore, Postgres);
crate::sql_resources::sql_resource_store!(PgStore, Postgres);
crate::sql_scheduling::sql_scheduling_store!(PgStore, Postgres);
crate::sql_sessions::sql_session_store!(PgStore, Postgres);
