//! `agora group …`

use agora_core::{Core, PrincipalKind};

use super::table;
use crate::cli::{GroupCommand, MemberCommand};
use crate::exit::Failure;

pub async fn run(core: &Core, cmd: &GroupCommand) -> Result<(), Failure> {
    let dir = core.directory();
    match cmd {
        GroupCommand::Add(entry) => {
            let group = dir.add_group(&entry.entry()).await?;
            eprintln!("created group {}", group.name);
        }
        GroupCommand::List => {
            let mut rows = Vec::new();
            for g in dir.list(Some(PrincipalKind::Group)).await? {
                let members: Vec<String> = dir.members(&g.name).await?.into_iter().map(|m| m.name).collect();
                rows.push(vec![g.name, g.display_name, g.emails.join(", "), members.join(", ")]);
            }
            table::print(&["NAME", "DISPLAY NAME", "E-MAIL", "MEMBERS"], &rows);
        }
        GroupCommand::Del { name } => {
            dir.delete(PrincipalKind::Group, name).await?;
            eprintln!("deleted group {}", name.trim().to_lowercase());
        }
        GroupCommand::Member(MemberCommand::Add { group, member }) => {
            dir.add_member(group, member).await?;
            eprintln!("added {} to {}", member.trim().to_lowercase(), group.trim().to_lowercase());
        }
        GroupCommand::Member(MemberCommand::Del { group, member }) => {
            dir.remove_member(group, member).await?;
            eprintln!("removed {} from {}", member.trim().to_lowercase(), group.trim().to_lowercase());
        }
    }
    Ok(())
}
