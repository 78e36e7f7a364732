//! `agora resource …`

use agora_core::admin::ResourceChange;
use agora_core::{Core, PrincipalKind, ResourceKind};

use super::table;
use crate::cli::{BookingArgs, OnOff, ResourceCommand, ResourceKindArg};
use crate::exit::Failure;

pub async fn run(core: &Core, cmd: &ResourceCommand) -> Result<(), Failure> {
    let dir = core.directory();
    match cmd {
        ResourceCommand::Add { entry, kind, booking } => {
            let kind = match kind {
                ResourceKindArg::Room => ResourceKind::Room,
                ResourceKindArg::Equipment => ResourceKind::Equipment,
            };
            // Checked before anything is created.
            let change = change(booking)?;
            let r = dir.add_resource(&entry.entry(), kind).await?;
            if change != ResourceChange::default() {
                dir.set_resource(&r.name, &change).await?;
            }
            eprintln!("created {} {}", kind.as_str(), r.name);
        }
        ResourceCommand::List => {
            let groups = dir.list(Some(PrincipalKind::Group)).await?;
            let rows: Vec<Vec<String>> = dir
                .list(Some(PrincipalKind::Resource))
                .await?
                .into_iter()
                .map(|r| {
                    let kind = r.resource_kind.map(|k| k.as_str()).unwrap_or("-").to_owned();
                    let s = &r.settings;
                    let bookers = s
                        .bookers
                        .and_then(|id| groups.iter().find(|g| g.id == id))
                        .map_or_else(|| "anyone".to_owned(), |g| g.name.clone());
                    vec![
                        r.name.clone(),
                        kind,
                        r.display_name.clone(),
                        r.emails.join(", "),
                        s.capacity.map_or_else(|| "-".to_owned(), |c| c.to_string()),
                        if s.auto_accept { "on" } else { "off" }.to_owned(),
                        bookers,
                    ]
                })
                .collect();
            table::print(&["NAME", "KIND", "DISPLAY NAME", "E-MAIL", "CAPACITY", "AUTO-ACCEPT", "BOOKERS"], &rows);
        }
        ResourceCommand::Set { name, booking } => {
            let change = change(booking)?;
            if change == ResourceChange::default() {
                return Err(Failure::usage("nothing to change: give --capacity, --auto-accept or --bookers"));
            }
            let r = dir.set_resource(name, &change).await?;
            eprintln!("updated {}", r.name);
        }
        ResourceCommand::Del { name } => {
            dir.delete(PrincipalKind::Resource, name).await?;
            eprintln!("deleted resource {}", name.trim().to_lowercase());
        }
    }
    Ok(())
}

/// The change the booking options ask for.
fn change(args: &BookingArgs) -> Result<ResourceChange, Failure> {
    let capacity = match args.capacity.as_deref().map(str::trim) {
        None => None,
        Some("none") => Some(None),
        Some(c) => Some(Some(
            c.parse::<u32>()
                .map_err(|_| Failure::usage(format!("capacity {c:?}: expected a number of people or \"none\"")))?,
        )),
    };
    let bookers = match args.bookers.as_deref().map(str::trim) {
        None => None,
        Some("anyone") => Some(None),
        Some(g) => Some(Some(g.to_owned())),
    };
    Ok(ResourceChange { capacity, auto_accept: args.auto_accept.map(|a| a == OnOff::On), bookers })
}
