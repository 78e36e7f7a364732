//! `agora import COLLECTION [FILE]`: a migration from another server or an
//! export (Thunderbird, Google, Outlook .ics; any .vcf). The administrator acts
//! as the collection's owner; nothing imported sends an invitation or a reply.

use std::io::Read;

use agora_core::{Access, Core};

use super::shares::{identity, owner_of, store_path};
use crate::cli::ImportArgs;
use crate::exit::Failure;

/// Largest file read (a year of a busy calendar is a few MB).
const MAX_FILE_BYTES: u64 = 512 * 1024 * 1024;

pub async fn run(core: &Core, args: &ImportArgs) -> Result<(), Failure> {
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
    eprintln!("/{path}: {} created, {} updated, {} skipped", done.created, done.updated, done.skipped.len());
    if done.created + done.updated == 0 {
        return Err(Failure::usage("nothing was imported"));
    }
    Ok(())
}

fn read(file: &std::path::Path) -> Result<String, Failure> {
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
