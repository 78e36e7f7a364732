//! Sharing calendars and address books: an owner offers a collection to a user or
//! a group (each member is invited) with read, read-write or free/busy access; an
//! accepted share appears inside the sharee's own home (Apple clients are confused
//! by several homes) at a name of its own, with the sharee's own display
//! properties. Access from shares adds to the grants of the ACL.

use agora_store::{Collection, CollectionKind, PrincipalKind, Share, ShareAccess, ShareStatus};

use super::{Access, Resources};
use crate::acl::Privileges;
use crate::error::{CoreError, Result};
use crate::now;

/// The privileges a share's access level gives.
pub fn privileges_of(access: ShareAccess) -> i64 {
    match access {
        ShareAccess::Read => Privileges::READ | Privileges::READ_FREE_BUSY,
        ShareAccess::ReadWrite => Privileges::READ | Privileges::READ_FREE_BUSY | Privileges::WRITE,
        ShareAccess::FreeBusy => Privileges::READ_FREE_BUSY,
    }
}

impl Resources<'_> {
    /// Offers a collection to a user, or to every member of a group (each gets an
    /// invitation). Only who may change the ACL may share. Returns the shares.
    pub async fn share(
        &self,
        c: &Collection,
        sharee: &str,
        access: ShareAccess,
        summary: Option<&str>,
    ) -> Result<Vec<Share>> {
        self.authorize(c, Access::WriteAcl).await?;
        if c.share_id.is_some() || !matches!(c.kind, CollectionKind::Calendar | CollectionKind::Addressbook) {
            return Err(CoreError::Forbidden("only one's own calendars and address books can be shared".into()));
        }
        let principal = self.core.directory().get(None, sharee).await?;
        let users = match principal.kind {
            PrincipalKind::User => vec![principal],
            PrincipalKind::Group => self.group_users(&principal.name).await?,
            PrincipalKind::Resource => {
                return Err(CoreError::Invalid("rooms and equipment cannot be sharees".into()));
            }
        };
        let mut out = Vec::new();
        for user in users.into_iter().filter(|u| u.id != c.owner_id) {
            let share = self.store().upsert_share(c.id, user.id, access, summary, now()).await?;
            if share.status == ShareStatus::Pending {
                self.notify_invite(c, &share).await?;
            }
            out.push(share);
        }
        let detail = format!("{}: {}", sharee.trim().to_lowercase(), access.as_str());
        self.core.record(Some(self.who), "share", &c.path, Some(&detail)).await?;
        Ok(out)
    }

    async fn group_users(&self, group: &str) -> Result<Vec<agora_store::Principal>> {
        let mut users = Vec::new();
        let mut pending = vec![group.to_owned()];
        let mut seen = std::collections::HashSet::new();
        while let Some(g) = pending.pop() {
            if !seen.insert(g.clone()) {
                continue;
            }
            for m in self.core.directory().members(&g).await? {
                match m.kind {
                    PrincipalKind::Group => pending.push(m.name),
                    _ if !users.iter().any(|u: &agora_store::Principal| u.id == m.id) => users.push(m),
                    _ => {}
                }
            }
        }
        Ok(users)
    }

    /// Ends a collection's share with a user (the owner's side).
    pub async fn unshare(&self, c: &Collection, sharee: &str) -> Result<()> {
        self.authorize(c, Access::WriteAcl).await?;
        let principal = self.core.directory().get(None, sharee).await?;
        let share = self.store().shares_of(c.id).await?.into_iter().find(|s| s.sharee_id == principal.id);
        match share {
            Some(s) => {
                self.store().delete_share(s.id, now()).await?;
                self.core.record(Some(self.who), "unshare", &c.path, Some(&principal.name)).await?;
                self.withdraw_invite(&s).await
            }
            None => Err(CoreError::NotFound { what: "share", name: format!("/{} with {sharee}", c.path) }),
        }
    }

    /// The shares of a collection (the owner's side).
    pub async fn shares(&self, c: &Collection) -> Result<Vec<Share>> {
        self.authorize(c, Access::ReadAcl).await?;
        Ok(self.store().shares_of(c.id).await?)
    }

    /// The shares offered to the user, answered or not.
    pub async fn invitations(&self) -> Result<Vec<Share>> {
        Ok(self.store().shares_to(self.who.principal_id).await?)
    }

    /// Accepts a share: it appears in the user's home of the right kind at a free
    /// name (`OWNER-NAME`, then `OWNER-NAME-2` …). Returns the mount path.
    pub async fn accept_share(&self, share_id: i64) -> Result<String> {
        let share = self.own_invitation(share_id).await?;
        if let Some(path) = &share.mount_path
            && share.status == ShareStatus::Accepted
        {
            return Ok(path.clone());
        }
        let shared = self
            .store()
            .collection_by_id(share.collection_id)
            .await?
            .ok_or_else(|| CoreError::NotFound { what: "collection", name: share.collection_id.to_string() })?;
        let owner = self.store().principal_by_id(shared.owner_id).await?.map(|p| p.name).unwrap_or_default();
        let (kind, name, owner_name) = (shared.kind, shared.name().to_owned(), owner);
        let me = self.core.directory().get(None, &self.who.name).await?;
        let home_path = if kind == CollectionKind::Addressbook {
            super::homes::addressbook_home(&me.name)
        } else {
            super::homes::calendar_home(&me.name)
        };
        self.ensure_homes().await?;
        let home = self
            .store()
            .collection(&home_path)
            .await?
            .ok_or_else(|| CoreError::Conflict("the user has no home for this share".into()))?;
        let mount = self.mount(share.id, &home, &format!("{owner_name}-{name}")).await?;
        self.notify_answer(&shared, &share, true).await?;
        self.core.record(Some(self.who), "accept-share", &shared.path, Some(&mount)).await?;
        Ok(mount)
    }

    /// Mounts an accepted share in a home at a free name (`BASE`, then `BASE-2` …).
    async fn mount(&self, share_id: i64, home: &Collection, base: &str) -> Result<String> {
        let home_path = &home.path;
        for n in 1..100 {
            let candidate = if n == 1 { format!("{home_path}{base}/") } else { format!("{home_path}{base}-{n}/") };
            if self.store().collection(&candidate).await?.is_some() {
                continue;
            }
            match self.store().answer_share(share_id, ShareStatus::Accepted, Some((&candidate, home.id)), now()).await {
                Ok(()) => return Ok(candidate),
                Err(agora_store::StoreError::Conflict(_)) => continue,
                Err(e) => return Err(e.into()),
            }
        }
        Err(CoreError::Conflict("no free name for the shared collection".into()))
    }

    /// Mounts the global address list in a user's address-book home, once: a user
    /// who deleted it (declined the share) keeps it away.
    pub(super) async fn ensure_gal_mount(&self, user: &agora_store::Principal) -> Result<()> {
        let gal = self.core.gal().await?;
        if self.store().shares_to(user.id).await?.iter().any(|s| s.collection_id == gal.id) {
            return Ok(());
        }
        let Some(home) = self.store().collection(&super::homes::addressbook_home(&user.name)).await? else {
            return Ok(());
        };
        let share = self.store().upsert_share(gal.id, user.id, ShareAccess::Read, None, now()).await?;
        self.mount(share.id, &home, crate::gal::MOUNT_NAME).await?;
        Ok(())
    }

    /// Declines a share (or leaves an accepted one): it disappears from the home.
    pub async fn decline_share(&self, share_id: i64) -> Result<()> {
        let share = self.own_invitation(share_id).await?;
        self.store().answer_share(share.id, ShareStatus::Declined, None, now()).await?;
        if let Some(shared) = self.store().collection_by_id(share.collection_id).await? {
            self.core.record(Some(self.who), "decline-share", &shared.path, None).await?;
            self.notify_answer(&shared, &share, false).await?;
        }
        Ok(())
    }

    pub(super) async fn leave_share(&self, share_id: i64) -> Result<()> {
        self.decline_share(share_id).await
    }

    /// Answers the invitation to the collection at `path` (the owner's URL, as the
    /// sharing protocols name it); returns where it appears when accepted.
    pub async fn reply_to_invitation(&self, path: &str, accept: bool) -> Result<Option<String>> {
        let shared = self
            .store()
            .collection(path)
            .await?
            .filter(|c| c.share_id.is_none())
            .ok_or_else(|| CoreError::NotFound { what: "shared collection", name: format!("/{path}") })?;
        let share = self
            .invitations()
            .await?
            .into_iter()
            .find(|s| s.collection_id == shared.id)
            .ok_or_else(|| CoreError::NotFound { what: "invitation", name: format!("/{path}") })?;
        if accept {
            Ok(Some(self.accept_share(share.id).await?))
        } else {
            self.decline_share(share.id).await?;
            Ok(None)
        }
    }

    /// The user's share behind a mount, if `c` is one.
    pub async fn share_of_mount(&self, c: &Collection) -> Result<Option<Share>> {
        let Some(id) = c.share_id else { return Ok(None) };
        Ok(self.invitations().await?.into_iter().find(|s| s.id == id))
    }

    /// The owner's URL path of a mounted collection.
    pub async fn original_path(&self, c: &Collection) -> Result<String> {
        Ok(self.store().collection_by_id(c.id).await?.map(|o| o.path).unwrap_or_else(|| c.path.clone()))
    }

    async fn own_invitation(&self, share_id: i64) -> Result<Share> {
        self.store()
            .shares_to(self.who.principal_id)
            .await?
            .into_iter()
            .find(|s| s.id == share_id)
            .ok_or_else(|| CoreError::NotFound { what: "invitation", name: share_id.to_string() })
    }
}
