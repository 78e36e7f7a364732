//! Helpers for Agora's tests.
//!
//! Every store test runs on SQLite and on PostgreSQL. The README's test command
//! starts a throw-away PostgreSQL server and exports its URL as `AGORA_TEST_PG`;
//! [`pg_database`] creates a fresh database in it for each test, so tests run in
//! parallel without seeing each other. Without `AGORA_TEST_PG` the PostgreSQL half
//! fails loudly instead of being skipped: a skipped suite must never count as passed.

pub mod smtp_sink;

use std::net::TcpListener;
use std::sync::atomic::{AtomicU32, Ordering};

use sqlx::Connection;

/// The two store backends.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    /// Embedded SQLite in a temporary directory.
    Sqlite,
    /// A fresh database on the test PostgreSQL server.
    Postgres,
}

/// URL of the test PostgreSQL server's maintenance database.
pub fn pg_admin_url() -> String {
    std::env::var("AGORA_TEST_PG").unwrap_or_else(|_| {
        panic!(
            "AGORA_TEST_PG is not set: run the test suite with ./scripts/test, which starts a \
             private PostgreSQL server (or export AGORA_TEST_PG=postgres://USER@127.0.0.1:PORT/postgres)"
        )
    })
}

/// Creates an empty database on the test server and returns its URL.
pub async fn pg_database() -> String {
    static COUNTER: AtomicU32 = AtomicU32::new(0);
    let admin = pg_admin_url();
    let name = format!(
        "agora_t_{}_{}_{}",
        std::process::id(),
        COUNTER.fetch_add(1, Ordering::Relaxed),
        std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap().subsec_nanos()
    );
    let mut conn = sqlx::PgConnection::connect(&admin).await.expect("connect to the test PostgreSQL server");
    sqlx::query(&format!("CREATE DATABASE {name}")).execute(&mut conn).await.expect("create test database");
    conn.close().await.ok();
    let (base, _) = admin.rsplit_once('/').expect("AGORA_TEST_PG ends with /DATABASE");
    format!("{base}/{name}")
}

/// Where a test's store lives: a temporary data directory (SQLite's database,
/// and whatever else the store keeps on disk) and, on PostgreSQL, a fresh
/// database. The directory is removed when this is dropped, so keep it as long
/// as the store.
///
/// Tests open the store themselves (`agora_store::open(url.as_deref(),
/// dir.path(), …)`): if this crate depended on agora-store, agora-store's own
/// tests would link a second copy of it whose types do not match theirs.
pub struct StorePlace {
    /// The data directory.
    pub dir: tempfile::TempDir,
    /// `None` on SQLite; on PostgreSQL, a database from [`pg_database`].
    pub url: Option<String>,
}

/// A fresh, empty [`StorePlace`] on `backend`.
pub async fn store_place(backend: Backend) -> StorePlace {
    let dir = tempfile::tempdir().expect("a temporary directory");
    let url = match backend {
        Backend::Sqlite => None,
        Backend::Postgres => Some(pg_database().await),
    };
    StorePlace { dir, url }
}

/// [`pg_database`] for synchronous tests.
pub fn pg_database_blocking() -> String {
    tokio::runtime::Builder::new_current_thread().enable_all().build().expect("runtime").block_on(pg_database())
}

/// A loopback port that was free a moment ago.
pub fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0").expect("bind an ephemeral port").local_addr().unwrap().port()
}

/// Declares, for each test function `name`, a module `name` with a `sqlite` and a
/// `postgres` test, so one body runs on both stores.
///
/// - `on_both_stores!(async setup; a, b)`: `async fn a(x: T)` receives
///   `setup(Backend).await` (a `setup` function in the calling module).
/// - `on_both_stores!(a, b)`: `fn a(backend: Backend)` for synchronous tests.
#[macro_export]
macro_rules! on_both_stores {
    (async $setup:ident; $($name:ident),* $(,)?) => {$(
        mod $name {
            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn sqlite() { super::$name(super::$setup($crate::Backend::Sqlite).await).await }
            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn postgres() { super::$name(super::$setup($crate::Backend::Postgres).await).await }
        }
    )*};
    ($($name:ident),* $(,)?) => {$(
        mod $name {
            #[test]
            fn sqlite() { super::$name($crate::Backend::Sqlite) }
            #[test]
            fn postgres() { super::$name($crate::Backend::Postgres) }
        }
    )*};
}
