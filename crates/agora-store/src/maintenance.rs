//! What `agora backup` and `agora restore` ask of the database itself, below the
//! [`crate::Store`] trait: where the store lives, which schema a database has and
//! which this binary knows, a consistent snapshot (SQLite `VACUUM INTO`, a
//! PostgreSQL exported snapshot that `pg_dump --snapshot` shares) and the checks a
//! copy must pass before it replaces anything.
//!
//! None of these open a [`crate::Store`]: a backup must not migrate the live
//! database and a restore must not touch its target before the copy is verified.

use std::path::{Path, PathBuf};
use std::str::FromStr;
use std::time::Duration;

use sqlx::Connection;
use sqlx::postgres::{PgConnectOptions, PgConnection};
use sqlx::sqlite::{SqliteConnectOptions, SqliteConnection};

use crate::error::{Result, StoreError};
use crate::model::Counts;

/// The counts of [`crate::DirectoryStore::counts`], one query on either backend
/// (names starting with `.` are the store's own principals).
pub(crate) const COUNTS_SQL: &str = "SELECT \
     (SELECT COUNT(*) FROM principals WHERE kind = 'user' AND name NOT LIKE '.%') AS users, \
     (SELECT COUNT(*) FROM principals WHERE kind = 'group' AND name NOT LIKE '.%') AS groups_n, \
     (SELECT COUNT(*) FROM principals WHERE kind = 'resource' AND name NOT LIKE '.%') AS resources, \
     (SELECT COUNT(*) FROM collections) AS collections, \
     (SELECT COUNT(*) FROM objects) AS objects";

/// The last migration applied, as sqlx records it inside the database.
const SCHEMA_SQL: &str = "SELECT COALESCE(MAX(version), 0) FROM _sqlx_migrations WHERE success";

/// Which database a store is, resolved from the same settings as [`crate::open`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Location {
    /// The SQLite database file.
    Sqlite(PathBuf),
    /// A PostgreSQL URL (it may carry a password: never print it).
    Postgres(String),
}

impl Location {
    /// Resolves `url` (`postgres://…`, `sqlite:PATH`) or, without one,
    /// `agora.db` inside `data_dir`.
    pub fn resolve(url: Option<&str>, data_dir: &Path) -> Result<Location> {
        match url {
            Some(url) if url.starts_with("postgres://") || url.starts_with("postgresql://") => {
                Ok(Location::Postgres(url.to_owned()))
            }
            Some(url) if url.starts_with("sqlite:") => {
                Ok(Location::Sqlite(url.trim_start_matches("sqlite://").trim_start_matches("sqlite:").into()))
            }
            // Only the scheme is named: the rest of a URL may hold a password.
            Some(other) => Err(StoreError::Config(format!(
                "unsupported store URL (scheme {:?}): expected postgres://… or sqlite:PATH",
                other.split_once(':').map_or("", |(scheme, _)| scheme)
            ))),
            None => Ok(Location::Sqlite(data_dir.join("agora.db"))),
        }
    }

    /// `"sqlite"` or `"postgres"`, as [`crate::Store::backend`] says.
    pub fn kind(&self) -> &'static str {
        match self {
            Location::Sqlite(_) => "sqlite",
            Location::Postgres(_) => "postgres",
        }
    }

    /// The newest migration this binary carries for this backend: a database
    /// whose schema is newer was written by a newer Agora.
    pub fn known_schema(&self) -> i64 {
        let migrator = match self {
            Location::Sqlite(_) => sqlx::migrate!("./migrations/sqlite"),
            Location::Postgres(_) => sqlx::migrate!("./migrations/postgres"),
        };
        migrator.iter().filter(|m| !m.migration_type.is_down_migration()).map(|m| m.version).max().unwrap_or(0)
    }
}

/// What a database (or a copy of one) holds.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Contents {
    /// The last migration applied (0: none, an empty database).
    pub schema: i64,
    /// Principals, collections, objects.
    pub counts: Counts,
}

impl Contents {
    /// Whether anything a person made is there (a migrated but unused store
    /// holds only the store's own principals).
    pub fn holds_data(&self) -> bool {
        let c = &self.counts;
        c.users + c.groups + c.resources + c.objects > 0
    }
}

fn counts_of(row: (i64, i64, i64, i64, i64)) -> Counts {
    let n = |v: i64| v.max(0) as u64;
    Counts { users: n(row.0), groups: n(row.1), resources: n(row.2), collections: n(row.3), objects: n(row.4) }
}

/// A connection for reading a SQLite file without creating or migrating it.
async fn sqlite_reader(path: &Path) -> Result<SqliteConnection> {
    let options =
        SqliteConnectOptions::from_str("sqlite:")?.filename(path).read_only(true).busy_timeout(Duration::from_secs(10));
    Ok(SqliteConnection::connect_with(&options).await?)
}

async fn sqlite_contents(conn: &mut SqliteConnection) -> Result<Contents> {
    let tables: i64 = sqlx::query_scalar(
        "SELECT COUNT(*) FROM sqlite_master WHERE type = 'table' AND name IN ('_sqlx_migrations', 'principals')",
    )
    .fetch_one(&mut *conn)
    .await?;
    if tables < 2 {
        return Ok(Contents { schema: 0, counts: Counts::default() });
    }
    let schema = sqlx::query_scalar(SCHEMA_SQL).fetch_one(&mut *conn).await?;
    let counts = counts_of(sqlx::query_as(COUNTS_SQL).fetch_one(&mut *conn).await?);
    Ok(Contents { schema, counts })
}

/// What the SQLite database at `path` holds; an absent file is an empty store.
pub async fn sqlite_contents_of(path: &Path) -> Result<Contents> {
    if !path.exists() {
        return Ok(Contents { schema: 0, counts: Counts::default() });
    }
    let mut conn = sqlite_reader(path).await?;
    let contents = sqlite_contents(&mut conn).await;
    conn.close().await?;
    contents
}

/// Writes a consistent copy of the live database `db` to `dest` (which must not
/// exist) with `VACUUM INTO`, from a read-only connection: in WAL mode a reader
/// never blocks the server's writers, and the copy is the one snapshot the read
/// transaction sees (<https://sqlite.org/lang_vacuum.html#vacuuminto>).
pub async fn sqlite_snapshot(db: &Path, dest: &Path) -> Result<()> {
    if !db.exists() {
        return Err(StoreError::Config(format!("no database at {}", db.display())));
    }
    let dest = dest.to_str().ok_or_else(|| StoreError::Config(format!("{} is not a UTF-8 path", dest.display())))?;
    let mut conn = sqlite_reader(db).await?;
    sqlx::query("VACUUM INTO $1").bind(dest).execute(&mut conn).await?;
    conn.close().await?;
    Ok(())
}

/// Checks a SQLite copy (`PRAGMA integrity_check`, `PRAGMA foreign_key_check`) and
/// says what it holds. A damaged file is a [`StoreError::Config`] naming the
/// first problems SQLite found.
pub async fn sqlite_verify(path: &Path) -> Result<Contents> {
    let mut conn = sqlite_reader(path).await?;
    let problems: Vec<String> = sqlx::query_scalar("PRAGMA integrity_check").fetch_all(&mut conn).await?;
    if problems.iter().any(|p| p != "ok") {
        let first: Vec<&str> = problems.iter().take(3).map(String::as_str).collect();
        return Err(StoreError::Config(format!("integrity check failed: {}", first.join("; "))));
    }
    let orphans = sqlx::query("PRAGMA foreign_key_check").fetch_all(&mut conn).await?.len();
    if orphans > 0 {
        return Err(StoreError::Config(format!("foreign key check failed: {orphans} rows point nowhere")));
    }
    let contents = sqlite_contents(&mut conn).await?;
    conn.close().await?;
    Ok(contents)
}

/// Folds the write-ahead log of `path` into the file and empties it, so that the
/// `-wal` beside it holds nothing that is not in the file (before the file is
/// replaced). Fails if another connection holds a transaction open.
pub async fn sqlite_checkpoint(path: &Path) -> Result<()> {
    if !path.exists() {
        return Ok(());
    }
    let options = SqliteConnectOptions::from_str("sqlite:")?.filename(path).busy_timeout(Duration::from_secs(2));
    let mut conn = SqliteConnection::connect_with(&options).await?;
    // (busy, log frames, frames checkpointed): busy = 1 when it could not finish.
    let (busy, _, _): (i64, i64, i64) = sqlx::query_as("PRAGMA wal_checkpoint(TRUNCATE)").fetch_one(&mut conn).await?;
    conn.close().await?;
    if busy != 0 {
        return Err(StoreError::Config(format!("{} is in use by another process", path.display())));
    }
    Ok(())
}

/// A PostgreSQL transaction held open at `REPEATABLE READ` whose snapshot is
/// exported: `pg_dump --snapshot=ID` dumps exactly what [`PgSnapshot::contents`]
/// counted (<https://www.postgresql.org/docs/current/functions-admin.html#FUNCTIONS-SNAPSHOT-SYNCHRONIZATION>).
pub struct PgSnapshot {
    conn: PgConnection,
    /// The exported snapshot's id, for `pg_dump --snapshot`.
    pub id: String,
    /// What the snapshot holds.
    pub contents: Contents,
    /// The server's major version (`server_version_num / 10000`).
    pub server_major: u32,
}

impl PgSnapshot {
    /// Opens the transaction and exports its snapshot.
    pub async fn begin(url: &str) -> Result<PgSnapshot> {
        let mut conn = PgConnection::connect_with(&PgConnectOptions::from_str(url)?).await?;
        let server_major = pg_major(&mut conn).await?;
        sqlx::query("BEGIN ISOLATION LEVEL REPEATABLE READ, READ ONLY").execute(&mut conn).await?;
        let id: String = sqlx::query_scalar("SELECT pg_export_snapshot()").fetch_one(&mut conn).await?;
        let contents = pg_contents(&mut conn).await?;
        Ok(PgSnapshot { conn, id, contents, server_major })
    }

    /// Ends the transaction (the snapshot stays valid until then).
    pub async fn end(mut self) -> Result<()> {
        sqlx::query("COMMIT").execute(&mut self.conn).await?;
        self.conn.close().await?;
        Ok(())
    }
}

async fn pg_major(conn: &mut PgConnection) -> Result<u32> {
    let num: String = sqlx::query_scalar("SHOW server_version_num").fetch_one(&mut *conn).await?;
    num.trim()
        .parse::<u32>()
        .map(|n| n / 10000)
        .map_err(|_| StoreError::Config(format!("unexpected server_version_num {num:?}")))
}

async fn pg_contents(conn: &mut PgConnection) -> Result<Contents> {
    let present: bool = sqlx::query_scalar(
        "SELECT to_regclass('_sqlx_migrations') IS NOT NULL AND to_regclass('principals') IS NOT NULL",
    )
    .fetch_one(&mut *conn)
    .await?;
    if !present {
        return Ok(Contents { schema: 0, counts: Counts::default() });
    }
    let schema = sqlx::query_scalar(SCHEMA_SQL).fetch_one(&mut *conn).await?;
    let counts = counts_of(sqlx::query_as(COUNTS_SQL).fetch_one(&mut *conn).await?);
    Ok(Contents { schema, counts })
}

/// What the PostgreSQL database at `url` holds, and the server's major version.
pub async fn pg_contents_of(url: &str) -> Result<(Contents, u32)> {
    let mut conn = PgConnection::connect_with(&PgConnectOptions::from_str(url)?).await?;
    let major = pg_major(&mut conn).await?;
    let contents = pg_contents(&mut conn).await?;
    conn.close().await?;
    Ok((contents, major))
}

/// Tells every server sharing the database that all it caches is stale (the
/// channel of migration 0015; any payload but a server's own clears its cache).
pub async fn pg_announce_restore(url: &str) -> Result<()> {
    let mut conn = PgConnection::connect_with(&PgConnectOptions::from_str(url)?).await?;
    sqlx::query("SELECT pg_notify('agora_changes', 'restore')").execute(&mut conn).await?;
    conn.close().await?;
    Ok(())
}
