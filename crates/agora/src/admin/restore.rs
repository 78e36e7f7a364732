//! `agora restore --from FILE [--force]`: puts a backup back into the configured
//! store. Everything that can refuse is checked before anything changes: the
//! file's header, length and checksum, the store kind, the schema version, and
//! whether the target already holds data (only `--force` replaces it).
//!
//! - SQLite: refused while a server uses the database ([`DbLock`]). The payload
//!   is written and checked beside the live file, the old WAL is folded in and
//!   removed, and the new file renamed over the old one: at every instant the
//!   path holds a whole database.
//! - PostgreSQL: `pg_restore --clean --if-exists --no-owner --single-transaction`
//!   into the store's database, which either happens wholly or not at all. Running
//!   servers are told to drop their caches, but must be restarted (README).
//!
//! Afterwards the store is opened as a server would open it, which applies the
//! migrations a backup from an older Agora lacks.

use std::path::Path;

use agora_store::maintenance::{
    Location, pg_announce_restore, pg_contents_of, sqlite_checkpoint, sqlite_contents_of, sqlite_verify,
};

use super::backup_file::{self, Header, TempFile, beside};
use super::pg_tools::{Target, Tool};
use crate::cli::RestoreArgs;
use crate::db_lock::DbLock;
use crate::exit::Failure;
use crate::secret::Secret;
use crate::settings::Settings;

pub async fn run(settings: &Settings, location: &Location, args: &RestoreArgs) -> Result<(), Failure> {
    let from = &args.from;
    let header = backup_file::read_header(from)?;
    if header.store != location.kind() {
        return Err(Failure::usage(format!(
            "{} is a backup of a {} store and the configured store is {}: a backup restores only into the \
             same kind of store. To move between SQLite and PostgreSQL, use `agora export` and `agora import`",
            from.display(),
            header.store,
            location.kind()
        )));
    }
    let known = location.known_schema();
    if header.schema_version > known {
        return Err(Failure::usage(format!(
            "{} was written by Agora {} with store schema {}, newer than this Agora knows ({known}): \
             restore it with that version or a later one",
            from.display(),
            header.agora_version,
            header.schema_version
        )));
    }
    match location {
        Location::Sqlite(db) => sqlite(db, &header, args).await?,
        Location::Postgres(url) => postgres(url, &header, args).await?,
    }
    // Opened as the server will open it: pending migrations run now.
    let store =
        agora_store::open(settings.store.as_ref().map(Secret::expose), &settings.data_dir, settings.sqlite_sync)
            .await?;
    let counts = store.counts().await;
    store.close().await;
    if let Location::Postgres(url) = location {
        pg_announce_restore(url).await?;
    }
    println!(
        "restored {} (taken {}, schema {}) into the {} store: {}",
        from.display(),
        header.created,
        header.schema_version,
        header.store,
        backup_file::Counts::from(&counts?)
    );
    if let Location::Postgres(_) = location {
        println!("restart every running `agora serve` on this database so that it serves the restored data");
    }
    Ok(())
}

/// Refuses a target that holds data, unless forced.
fn refuse_if_in_use(what: &str, contents: &agora_store::maintenance::Contents, force: bool) -> Result<(), Failure> {
    if contents.holds_data() && !force {
        return Err(Failure {
            message: format!(
                "{what} already holds data ({}): a restore replaces all of it; add --force to do so \
                 (nothing was changed)",
                backup_file::Counts::from(&contents.counts)
            ),
            code: 4,
        });
    }
    Ok(())
}

async fn sqlite(db: &Path, header: &Header, args: &RestoreArgs) -> Result<(), Failure> {
    let _lock = DbLock::exclusive(db)?;
    refuse_if_in_use(&format!("the store {}", db.display()), &sqlite_contents_of(db).await?, args.force)?;
    let fresh = TempFile(beside(db, ".restoring"));
    let _ = std::fs::remove_file(&fresh.0);
    eprintln!("checking {} and copying it beside {}", args.from.display(), db.display());
    backup_file::extract(&args.from, header, &fresh.0)?;
    sqlite_verify(&fresh.0).await.map_err(|e| {
        Failure::usage(format!("{} holds a damaged database ({e}); nothing was changed", args.from.display()))
    })?;
    // Nothing of the old database may stay in a WAL that SQLite would replay
    // into the new file: fold it in, then remove it and the shared-memory index.
    sqlite_checkpoint(db).await?;
    for suffix in ["-wal", "-shm"] {
        match std::fs::remove_file(beside(db, suffix)) {
            Err(e) if e.kind() != std::io::ErrorKind::NotFound => {
                return Err(Failure::io(format!("cannot remove {}{suffix}: {e}", db.display())));
            }
            _ => {}
        }
    }
    std::fs::rename(&fresh.0, db)
        .map_err(|e| Failure::io(format!("cannot move the restored database to {}: {e}", db.display())))?;
    backup_file::sync_dir(db);
    Ok(())
}

async fn postgres(url: &str, header: &Header, args: &RestoreArgs) -> Result<(), Failure> {
    let pg_restore = Tool::find("pg_restore", args.pg_bin.as_deref()).await?;
    let target = Target::new(url)?;
    let (contents, server_major) = pg_contents_of(url).await?;
    pg_restore.at_least(header.pg_dump_major.unwrap_or(0), "the pg_dump that wrote the backup")?;
    refuse_if_in_use("the PostgreSQL database", &contents, args.force)?;
    if contents.schema > header.schema_version {
        // pg_restore --clean drops only what the archive holds: the tables of
        // the newer migrations would stay, and the migrations re-run over them.
        return Err(Failure::usage(format!(
            "the database has store schema {}, newer than the backup's {}: restore into an empty database \
             (createdb, then point the store URL at it) or drop and recreate this one (nothing was changed)",
            contents.schema, header.schema_version
        )));
    }
    let archive = TempFile(std::env::temp_dir().join(format!("agora-restore-{}.dump", std::process::id())));
    eprintln!("checking {}", args.from.display());
    backup_file::extract(&args.from, header, &archive.0)?;
    let mut list = pg_restore.offline();
    // --list reads the whole table of contents: an archive pg_restore cannot
    // read is refused before the database is touched.
    list.arg("--list").arg(&archive.0);
    pg_restore.run(&mut list).await?;
    eprintln!("restoring into the PostgreSQL database (pg_restore, server version {server_major})");
    let mut cmd = pg_restore.command(&target);
    cmd.args(["--clean", "--if-exists", "--no-owner", "--no-acl", "--single-transaction", "--exit-on-error"])
        .arg(&archive.0);
    pg_restore.run(&mut cmd).await
}
