//! `agora hold …`: legal holds, placed and lifted by an operator (the audit log
//! records both, with the reason).

use agora_core::Core;
use agora_core::records::holds::HoldTarget;
use agora_store::HoldScope;

use super::table;
use super::users::format_time as time;
use crate::cli::HoldCommand;
use crate::exit::Failure;

pub async fn run(core: &Core, cmd: &HoldCommand) -> Result<(), Failure> {
    let operator = agora_core::records::origin().operator.unwrap_or_else(|| "cli".into());
    match cmd {
        HoldCommand::Add { user, collection, reason } => {
            let target = match (user, collection) {
                (Some(user), None) => HoldTarget::Principal(user.clone()),
                (None, Some(path)) => HoldTarget::Collection(path.clone()),
                _ => return Err(Failure::usage("name --user or --collection")),
            };
            let hold = core.place_hold(&target, reason, &operator).await?;
            eprintln!("hold {} placed: nothing it covers will be purged until it is lifted", hold.id);
            println!("{}", hold.id);
            Ok(())
        }
        HoldCommand::List => {
            let rows: Vec<Vec<String>> = core
                .holds()
                .await?
                .into_iter()
                .map(|(h, target)| {
                    let kind = match h.scope {
                        HoldScope::Principal(_) => "principal",
                        HoldScope::Path(_) => "collection",
                    };
                    vec![h.id.to_string(), kind.into(), format!("/{target}"), h.reason, h.placed_by, time(h.placed_at)]
                })
                .collect();
            table::print(&["ID", "ON", "WHAT", "REASON", "BY", "SINCE"], &rows);
            Ok(())
        }
        HoldCommand::Lift { id } => {
            core.lift_hold(*id).await?;
            eprintln!("hold {id} lifted");
            Ok(())
        }
    }
}
