//! `agora trash …`: an operator lists, restores or purges a user's trash, acting
//! for the user through the same core calls as the web page and DAV (the audit
//! log names the operator).

use agora_core::Core;

use super::shares::identity;
use super::table;
use super::users::format_time as time;
use crate::cli::TrashCommand;
use crate::exit::Failure;

pub async fn run(core: &Core, cmd: &TrashCommand) -> Result<(), Failure> {
    match cmd {
        TrashCommand::List { user } => {
            let who = identity(core, user).await?;
            let items = core.resources(&who).trash().await?;
            let rows: Vec<Vec<String>> = items
                .iter()
                .map(|i| {
                    vec![
                        i.entry.id.to_string(),
                        i.what.clone(),
                        i.label.clone(),
                        format!("/{}", i.entry.path),
                        time(i.entry.deleted_at),
                        i.deleted_by.clone().unwrap_or_else(|| "-".into()),
                        i.purge_at.map_or_else(|| "held".into(), time),
                    ]
                })
                .collect();
            table::print(&["ID", "WHAT", "NAME", "WAS AT", "DELETED", "BY", "PURGED"], &rows);
            Ok(())
        }
        TrashCommand::Restore { user, ids } => {
            let who = identity(core, user).await?;
            let res = core.resources(&who);
            let mut failed = 0;
            for id in ids {
                match res.restore(*id).await {
                    Ok(r) => eprintln!("restored /{} ({} object(s))", r.path, r.objects),
                    Err(e) => {
                        failed += 1;
                        eprintln!("not restored {id}: {e}");
                    }
                }
            }
            if failed > 0 {
                return Err(Failure::usage(format!("{failed} of {} entries not restored", ids.len())));
            }
            Ok(())
        }
        TrashCommand::Purge { expired: true, .. } => {
            let n = core.purge_expired_trash().await?;
            eprintln!("purged {n} entries past their retention time");
            Ok(())
        }
        TrashCommand::Purge { user, ids, .. } => {
            let user = user.as_deref().ok_or_else(|| Failure::usage("name the user and entry ids, or --expired"))?;
            if ids.is_empty() {
                return Err(Failure::usage("name the entry ids to purge (see `agora trash list`)"));
            }
            let who = identity(core, user).await?;
            let res = core.resources(&who);
            for id in ids {
                res.purge(*id).await?;
                eprintln!("purged {id}");
            }
            Ok(())
        }
    }
}
