//! `agora publish …`: the administrator acts as the calendar's owner.

use agora_core::{Access, Core};

use super::shares::{identity, owner_of, store_path};
use crate::cli::PublishCommand;
use crate::exit::Failure;

pub async fn run(core: &Core, cmd: &PublishCommand) -> Result<(), Failure> {
    let (PublishCommand::Add { collection } | PublishCommand::Del { collection }) = cmd;
    let path = store_path(collection);
    let owner = identity(core, owner_of(&path)?).await?;
    let res = core.resources(&owner);
    res.ensure_homes().await?;
    let c = res.collection(&path, Access::Read).await?.ok_or_else(|| {
        Failure::from(agora_core::CoreError::NotFound { what: "collection", name: format!("/{path}") })
    })?;
    match cmd {
        PublishCommand::Add { .. } => {
            let token = res.publish(&c).await?;
            eprintln!("published /{path}; anyone with this link can read it (revoke with `agora publish del`):");
            println!("/publish/{token}.ics");
        }
        PublishCommand::Del { .. } => {
            if !res.unpublish(&c).await? {
                return Err(agora_core::CoreError::NotFound { what: "publication", name: format!("/{path}") }.into());
            }
            eprintln!("revoked the link of /{path}");
        }
    }
    Ok(())
}
