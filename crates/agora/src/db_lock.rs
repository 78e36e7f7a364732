//! The lock file beside a SQLite database (`agora.db.lock`) that tells `agora
//! restore` whether a server uses the database.
//!
//! `agora serve` (and `agora backup`) hold a shared advisory lock (`flock`) on it
//! for as long as they run; `agora restore` takes it exclusively, without
//! waiting, and keeps it until the new file is in place. The kernel drops the
//! lock when the process ends, however it ends (even `kill -9`), so it is never
//! stale. SQLite's own locks cannot tell: in WAL mode an idle server holds no
//! lock, and `BEGIN EXCLUSIVE` does not exclude readers, so a restore would
//! succeed under a running server whose open connections then see the old,
//! unlinked file.

use std::fs::{File, OpenOptions, TryLockError};
use std::path::Path;

use crate::admin::backup_file::beside;
use crate::exit::Failure;

/// A held lock; released when dropped.
pub struct DbLock {
    _file: File,
}

fn open(db: &Path) -> Result<(File, std::path::PathBuf), Failure> {
    let path = beside(db, ".lock");
    if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
        std::fs::create_dir_all(dir).map_err(|e| Failure::io(format!("cannot create {}: {e}", dir.display())))?;
    }
    let file = OpenOptions::new()
        .create(true)
        .truncate(false)
        .write(true)
        .open(&path)
        .map_err(|e| Failure::io(format!("cannot open {}: {e}", path.display())))?;
    Ok((file, path))
}

impl DbLock {
    /// The lock of a process that uses the database (server, backup): several may
    /// hold it; only a restore in progress makes this fail.
    pub fn shared(db: &Path) -> Result<DbLock, Failure> {
        let (file, path) = open(db)?;
        match file.try_lock_shared() {
            Ok(()) => Ok(DbLock { _file: file }),
            Err(TryLockError::WouldBlock) => Err(Failure::io(format!(
                "{} is being restored (agora restore holds {}): try again when it is done",
                db.display(),
                path.display()
            ))),
            Err(TryLockError::Error(e)) => Err(Failure::io(format!("cannot lock {}: {e}", path.display()))),
        }
    }

    /// The lock of a restore: refused while a server (or a backup) uses the database.
    pub fn exclusive(db: &Path) -> Result<DbLock, Failure> {
        let (file, path) = open(db)?;
        match file.try_lock() {
            Ok(()) => Ok(DbLock { _file: file }),
            Err(TryLockError::WouldBlock) => Err(Failure {
                message: format!(
                    "a server (or a backup) is using {}: stop `agora serve` first, then restore (nothing was changed)",
                    db.display()
                ),
                code: 4,
            }),
            Err(TryLockError::Error(e)) => Err(Failure::io(format!("cannot lock {}: {e}", path.display()))),
        }
    }
}
