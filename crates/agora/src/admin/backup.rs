//! `agora backup --to FILE`: a consistent snapshot of the store, taken while the
//! server runs (see README "Backup and restore", docs/decisions.md).
//!
//! - SQLite: `VACUUM INTO` a temporary file beside FILE from a read-only
//!   connection. In WAL mode that is one read transaction: writers carry on (the
//!   WAL grows until it ends), and the copy is exactly the database as of its
//!   start. The copy is checked (`integrity_check`, `foreign_key_check`) and
//!   counted before it becomes the backup.
//! - PostgreSQL: `pg_dump --format=custom --snapshot=ID`, where ID is exported by
//!   a `REPEATABLE READ` transaction that also counts what is dumped: the header
//!   describes exactly the archive.
//!
//! Either way FILE appears whole or not at all ([`backup_file::write`]).

use std::path::Path;
use std::time::Instant;

use agora_store::maintenance::{Location, PgSnapshot, sqlite_snapshot, sqlite_verify};

use super::backup_file::{self, Header, TempFile, beside};
use super::pg_tools::{Target, Tool};
use crate::cli::BackupArgs;
use crate::db_lock::DbLock;
use crate::exit::Failure;

pub async fn run(location: &Location, args: &BackupArgs) -> Result<(), Failure> {
    let started = Instant::now();
    let payload = TempFile(beside(&args.to, ".snapshot"));
    // Left by an interrupted run: VACUUM INTO wants a new file.
    let _ = std::fs::remove_file(&payload.0);
    let header = match location {
        Location::Sqlite(db) => sqlite(db, &payload.0).await?,
        Location::Postgres(url) => postgres(url, args.pg_bin.as_deref(), &payload.0).await?,
    };
    eprintln!("snapshot taken in {:.1} s; writing {}", started.elapsed().as_secs_f64(), args.to.display());
    let header = backup_file::write(&args.to, header, &payload.0)?;
    println!(
        "backup of the {} store written to {} in {:.1} s: {} bytes, schema {}, {}",
        header.store,
        args.to.display(),
        started.elapsed().as_secs_f64(),
        header.payload_bytes,
        header.schema_version,
        header.counts
    );
    Ok(())
}

async fn sqlite(db: &Path, payload: &Path) -> Result<Header, Failure> {
    if !db.exists() {
        return Err(Failure::usage(format!("no database at {}: nothing to back up", db.display())));
    }
    // Keeps a restore from replacing the file under the snapshot.
    let _lock = DbLock::shared(db)?;
    eprintln!("copying {} (VACUUM INTO)", db.display());
    sqlite_snapshot(db, payload).await?;
    let contents = sqlite_verify(payload)
        .await
        .map_err(|e| Failure::io(format!("the snapshot of {} failed its check: {e}", db.display())))?;
    Ok(Header::new("sqlite", contents.schema, &contents.counts, None))
}

async fn postgres(url: &str, pg_bin: Option<&Path>, payload: &Path) -> Result<Header, Failure> {
    let pg_dump = Tool::find("pg_dump", pg_bin).await?;
    let target = Target::new(url)?;
    let snapshot = PgSnapshot::begin(url).await?;
    pg_dump.at_least(snapshot.server_major, "the PostgreSQL server")?;
    eprintln!("dumping the PostgreSQL database (pg_dump, snapshot {})", snapshot.id);
    let mut cmd = pg_dump.command(&target);
    cmd.args(["--format=custom", "--no-sync"]).arg(format!("--snapshot={}", snapshot.id)).arg("--file").arg(payload);
    pg_dump.run(&mut cmd).await?;
    let contents = snapshot.contents.clone();
    snapshot.end().await?;
    Ok(Header::new("postgres", contents.schema, &contents.counts, Some(pg_dump.major)))
}
