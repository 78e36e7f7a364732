//! `agora share …`: the administrator acts as the collection's owner (and, unless
//! `--pending`, accepts on the sharee's behalf), through the same core operations
//! as the sharing protocols.

use agora_core::{Access, Core, Identity, PrincipalKind};
use agora_store::ShareAccess;

use super::table;
use crate::cli::{AccessArg, ShareCommand};
use crate::exit::Failure;

pub(super) fn store_path(raw: &str) -> String {
    format!("{}/", raw.trim().trim_matches('/'))
}

pub(super) async fn identity(core: &Core, name: &str) -> Result<Identity, Failure> {
    let p = core.directory().get(None, name).await?;
    Ok(Identity { principal_id: p.id, name: p.name })
}

pub(super) fn owner_of(path: &str) -> Result<&str, Failure> {
    path.split('/')
        .nth(1)
        .filter(|s| !s.is_empty())
        .ok_or_else(|| Failure::usage(format!("{path:?} is not a collection path")))
}

pub async fn run(core: &Core, cmd: &ShareCommand) -> Result<(), Failure> {
    match cmd {
        ShareCommand::Add { collection, sharee, access, pending } => {
            let path = store_path(collection);
            let owner = identity(core, owner_of(&path)?).await?;
            let res = core.resources(&owner);
            res.ensure_homes().await?;
            let c = res.collection(&path, Access::Read).await?.ok_or_else(|| {
                Failure::from(agora_core::CoreError::NotFound { what: "collection", name: format!("/{path}") })
            })?;
            let access = match access {
                AccessArg::Read => ShareAccess::Read,
                AccessArg::ReadWrite => ShareAccess::ReadWrite,
                AccessArg::Freebusy => ShareAccess::FreeBusy,
            };
            let shares = res.share(&c, sharee, access, None).await?;
            for share in shares {
                let who = core
                    .directory()
                    .list(Some(PrincipalKind::User))
                    .await?
                    .into_iter()
                    .find(|u| u.id == share.sharee_id);
                let Some(who) = who else { continue };
                if *pending {
                    eprintln!("invited {} to /{path}", who.name);
                } else {
                    let id = Identity { principal_id: who.id, name: who.name.clone() };
                    let mount = core.resources(&id).accept_share(share.id).await?;
                    eprintln!("shared /{path} with {} at /{mount}", who.name);
                }
            }
        }
        ShareCommand::List { owner } => {
            let users = core.directory().list(Some(PrincipalKind::User)).await?;
            let mut rows = Vec::new();
            for u in users.iter().filter(|u| owner.as_ref().is_none_or(|o| o.trim().eq_ignore_ascii_case(&u.name))) {
                let id = Identity { principal_id: u.id, name: u.name.clone() };
                let res = core.resources(&id);
                for c in core.store_collections_of(u.id).await? {
                    for s in res.shares(&c).await? {
                        let sharee =
                            users.iter().find(|x| x.id == s.sharee_id).map(|x| x.name.clone()).unwrap_or_default();
                        rows.push(vec![
                            format!("/{}", c.path),
                            sharee,
                            s.access.as_str().to_owned(),
                            s.status.as_str().to_owned(),
                            s.mount_path.map(|m| format!("/{m}")).unwrap_or_else(|| "-".into()),
                        ]);
                    }
                }
            }
            table::print(&["COLLECTION", "SHAREE", "ACCESS", "STATUS", "IN SHAREE'S HOME"], &rows);
        }
        ShareCommand::Del { collection, sharee } => {
            let path = store_path(collection);
            let owner = identity(core, owner_of(&path)?).await?;
            let res = core.resources(&owner);
            let c = res.collection(&path, Access::Read).await?.ok_or_else(|| {
                Failure::from(agora_core::CoreError::NotFound { what: "collection", name: format!("/{path}") })
            })?;
            res.unshare(&c, sharee).await?;
            eprintln!("stopped sharing /{path} with {}", sharee.trim().to_lowercase());
        }
    }
    Ok(())
}
