//! `agora resource …`

use agora_core::{Core, PrincipalKind, ResourceKind};

use super::table;
use crate::cli::{ResourceCommand, ResourceKindArg};
use crate::exit::Failure;

pub async fn run(core: &Core, cmd: &ResourceCommand) -> Result<(), Failure> {
    let dir = core.directory();
    match cmd {
        ResourceCommand::Add { entry, kind } => {
            let kind = match kind {
                ResourceKindArg::Room => ResourceKind::Room,
                ResourceKindArg::Equipment => ResourceKind::Equipment,
            };
            let r = dir.add_resource(&entry.entry(), kind).await?;
            eprintln!("created {} {}", kind.as_str(), r.name);
        }
        ResourceCommand::List => {
            let rows: Vec<Vec<String>> = dir
                .list(Some(PrincipalKind::Resource))
                .await?
                .into_iter()
                .map(|r| {
                    let kind = r.resource_kind.map(|k| k.as_str()).unwrap_or("-").to_owned();
                    vec![r.name, kind, r.display_name, r.emails.join(", ")]
                })
                .collect();
            table::print(&["NAME", "KIND", "DISPLAY NAME", "E-MAIL"], &rows);
        }
        ResourceCommand::Del { name } => {
            dir.delete(PrincipalKind::Resource, name).await?;
            eprintln!("deleted resource {}", name.trim().to_lowercase());
        }
    }
    Ok(())
}
