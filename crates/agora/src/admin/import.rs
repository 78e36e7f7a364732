//! `agora import`: a migration from another server or an export. Three forms:
//!
//! - `agora import COLLECTION [FILE]`: one .ics or .vcf stream into one calendar
//!   or address book (as before).
//! - `agora import --user NAME PATH`: a file (.ics, .vcf, .csv from Outlook), a
//!   directory (recursively) or a .zip; each file goes to a collection of NAME's
//!   named after it, created if missing (see `import_files`).
//! - `agora import [--user NAME…] EXPORT`: a directory or .zip written by
//!   `agora export` (it has a `manifest.json`): principals, collections and
//!   everything the manifest holds are recreated (see `import_manifest`).
//!
//! The administrator acts as each owner; nothing imported sends an invitation,
//! a reply or an iMIP e-mail. Objects are matched by UID and collections by
//! path, and what is already there unchanged is not written again: importing
//! twice changes nothing the second time. A bad object is reported (file, UID,
//! reason) and the rest goes on; the exit code then says some were skipped.

use std::io::Read;
use std::path::Path;

use agora_core::resources::import::Imported;
use agora_core::{Access, Core};

use super::archive::{self, MAX_FILE_BYTES, Source};
use super::shares::{identity, owner_of, store_path};
use crate::cli::ImportArgs;
use crate::exit::Failure;
use crate::progress::Progress;

pub async fn run(core: &Core, args: &ImportArgs) -> Result<(), Failure> {
    let tree = Path::new(&args.collection);
    let is_tree = args.file.as_os_str() == "-"
        && (!args.users.is_empty() || tree.is_dir() || (archive::is_zip(tree) && tree.is_file()));
    if !is_tree {
        if !args.users.is_empty() {
            return Err(Failure::usage("with --user, give one file, directory or .zip to import"));
        }
        return one_collection(core, args).await;
    }
    let mut source = Source::open(tree)?;
    let mut report = Report::default();
    if source.has(super::manifest::FILE) {
        super::import_manifest::run(core, &mut source, &args.users, &mut report).await?;
    } else {
        let [user] = &args.users[..] else {
            return Err(Failure::usage(
                "this is not an `agora export` (no manifest.json): give --user NAME, whose collections the files go to",
            ));
        };
        super::import_files::run(core, &mut source, user, &mut report).await?;
    }
    report.finish()
}

/// What an import did, summed over files, and the problems met on the way.
#[derive(Default)]
pub struct Report {
    pub imported: Imported,
    /// Collections created (or principals, shares… in an export's import).
    pub created: Vec<String>,
    /// Problems that left something out, in words.
    pub problems: usize,
    /// Files read.
    pub files: usize,
}

impl Report {
    /// Adds one collection's import, printing what was skipped.
    pub fn add(&mut self, progress: &Progress, file: &str, done: Imported) {
        self.files += 1;
        for (uid, reason) in &done.skipped {
            progress.say(&format!("{file}: {uid}: {reason}"));
        }
        self.imported.created += done.created;
        self.imported.updated += done.updated;
        self.imported.unchanged += done.unchanged;
        self.imported.skipped.extend(done.skipped);
    }

    /// Records a problem that is not one object's (a whole file, a share).
    pub fn problem(&mut self, progress: &Progress, what: &str, reason: &str) {
        self.problems += 1;
        progress.say(&format!("{what}: {reason}"));
    }

    /// Prints the summary; an error with its own exit code when something was left out.
    fn finish(self) -> Result<(), Failure> {
        let i = &self.imported;
        if !self.created.is_empty() {
            eprintln!("created: {}", self.created.join(", "));
        }
        eprintln!(
            "{} files: {} created, {} updated, {} unchanged, {} skipped{}",
            self.files,
            i.created,
            i.updated,
            i.unchanged,
            i.skipped.len(),
            if self.problems > 0 { format!("; {} other problems", self.problems) } else { String::new() }
        );
        if !i.skipped.is_empty() || self.problems > 0 {
            return Err(Failure::partial(format!(
                "{} objects and {} other items were left out (see above); the rest was imported",
                i.skipped.len(),
                self.problems
            )));
        }
        Ok(())
    }
}

/// `agora import COLLECTION [FILE]`.
async fn one_collection(core: &Core, args: &ImportArgs) -> Result<(), Failure> {
    let path = store_path(&args.collection);
    let owner = identity(core, owner_of(&path)?).await?;
    let res = core.resources(&owner);
    res.ensure_homes().await?;
    let c = res.collection(&path, Access::Write).await?.ok_or_else(|| {
        Failure::from(agora_core::CoreError::NotFound { what: "collection", name: format!("/{path}") })
    })?;
    let text = read(&args.file)?;
    let done = res.import(&c, &text).await?;
    for (uid, reason) in &done.skipped {
        eprintln!("skipped {uid}: {reason}");
    }
    eprintln!(
        "/{path}: {} created, {} updated, {} unchanged, {} skipped",
        done.created,
        done.updated,
        done.unchanged,
        done.skipped.len()
    );
    if done.created + done.updated + done.unchanged == 0 {
        return Err(Failure::usage("nothing was imported"));
    }
    if !done.skipped.is_empty() {
        return Err(Failure::partial(format!("{} objects were left out; the rest was imported", done.skipped.len())));
    }
    Ok(())
}

fn read(file: &Path) -> Result<String, Failure> {
    let mut bytes = Vec::new();
    let result = if file.as_os_str() == "-" {
        std::io::stdin().take(MAX_FILE_BYTES + 1).read_to_end(&mut bytes)
    } else {
        std::fs::File::open(file).and_then(|f| f.take(MAX_FILE_BYTES + 1).read_to_end(&mut bytes))
    };
    result.map_err(|e| Failure::io(format!("cannot read {}: {e}", file.display())))?;
    if bytes.len() as u64 > MAX_FILE_BYTES {
        return Err(Failure::usage(format!("{} is larger than {MAX_FILE_BYTES} bytes", file.display())));
    }
    String::from_utf8(bytes).map_err(|_| Failure::usage(format!("{} is not UTF-8 text", file.display())))
}
