//! DAV resources as the domain sees them: homes, collections, objects, their
//! properties and change log, with every write validated and every access decided
//! here (`authorize`), whatever the front-end.

pub mod delegation;
pub mod homes;
pub mod import;
pub mod locks;
pub mod notifications;
pub mod publishing;
mod reading;
pub mod sharing;
pub(crate) mod validate;

use std::collections::HashMap;
use std::sync::Mutex;
use std::time::{Duration, Instant};

use agora_store::{
    Collection, CollectionKind, Components, Grant, Grantee, NewCollection, ObjectMeta, PrincipalId, PropertyChange,
    PutOutcome, Store, WriteCondition,
};

use crate::acl::{Privileges, Subject};
use crate::auth::Identity;
use crate::error::{CoreError, Result, Rule};
use crate::{Core, now};

pub use reading::View;
pub use validate::{Prepared, etag, stored_verbatim};

/// What a request wants to do to a collection or its members.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Access {
    /// Read content and properties (`DAV:read`).
    Read,
    /// Change content or properties, add or remove members (`DAV:write`).
    Write,
    /// See busy time only (`CALDAV:read-free-busy`, RFC 4791 §6.1.1).
    ReadFreeBusy,
    /// Read the access control list (`DAV:read-acl`).
    ReadAcl,
    /// Change the access control list (`DAV:write-acl`).
    WriteAcl,
}

impl Access {
    fn required(self) -> i64 {
        match self {
            Access::Read => Privileges::READ,
            Access::Write => Privileges::WRITE,
            Access::ReadFreeBusy => Privileges::READ_FREE_BUSY,
            Access::ReadAcl => Privileges::READ_ACL,
            Access::WriteAcl => Privileges::WRITE_ACL,
        }
    }
}

/// How long a principal's homes are known to exist before being checked again.
const HOMES_TTL: Duration = Duration::from_secs(60);

/// Principals whose homes were recently provisioned by this process, and the
/// gate that lets one request at a time provision (a phone and a desktop often
/// make a new user's first requests together).
#[derive(Default)]
pub(crate) struct HomeCache(Mutex<HashMap<PrincipalId, Instant>>, tokio::sync::Mutex<()>);

impl HomeCache {
    pub(crate) fn fresh(&self, id: PrincipalId) -> bool {
        let cache = self.0.lock().unwrap_or_else(|e| e.into_inner());
        cache.get(&id).is_some_and(|t| t.elapsed() < HOMES_TTL)
    }
}

/// What a client's PUT stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Written {
    /// True when the object did not exist before.
    pub created: bool,
    /// The stored object.
    pub meta: ObjectMeta,
    /// The server changed the bytes (a repair on the way in: a byte-order mark,
    /// `METHOD:PUBLISH`, see `agora_ical::intake`; scheduling: SCHEDULE-STATUS,
    /// SEQUENCE…): no ETag may be returned, the client fetches the object (RFC 6638 §3.2.?,
    /// RFC 4791 §5.3.4).
    pub rewritten: bool,
}

/// Resource operations on behalf of one authenticated user (one request).
pub struct Resources<'a> {
    pub(crate) core: &'a Core,
    pub(crate) who: &'a Identity,
    /// Privileges already worked out during this request, by collection id.
    seen: Mutex<HashMap<i64, Privileges>>,
    /// Principals already read during this request, by id: a listing names the
    /// same owner on every member.
    principals: Mutex<HashMap<PrincipalId, agora_store::Principal>>,
    /// The lock tokens the request submitted (see [`Self::submit_lock_tokens`]).
    submitted: Mutex<Vec<String>>,
}

impl<'a> Resources<'a> {
    pub(crate) fn new(core: &'a Core, who: &'a Identity) -> Self {
        Resources {
            core,
            who,
            seen: Mutex::new(HashMap::new()),
            principals: Mutex::new(HashMap::new()),
            submitted: Mutex::new(Vec::new()),
        }
    }

    pub(crate) fn store(&self) -> &dyn Store {
        self.core.store.as_ref()
    }

    /// What the user may do with a collection and its members: everything when they
    /// own it, otherwise what the grants on it and its ancestors give them, their
    /// groups and everyone (see [`crate::acl`]).
    pub async fn privileges(&self, collection: &Collection) -> Result<Privileges> {
        Ok(self.privileges_many(&[collection], &[]).await?[0])
    }

    /// [`Self::privileges`] of several collections at once, with one read of the
    /// grants, the user's groups, shares and delegations for all of them (the
    /// outbox free/busy of many attendees). `known` are collections already read
    /// in this request: ancestors found there need no query.
    pub(crate) async fn privileges_many(
        &self,
        collections: &[&Collection],
        known: &[Collection],
    ) -> Result<Vec<Privileges>> {
        let mut out = Vec::with_capacity(collections.len());
        let mut todo = Vec::new();
        {
            let seen = self.seen.lock().unwrap_or_else(|e| e.into_inner());
            for (i, c) in collections.iter().enumerate() {
                if c.owner_id == self.who.principal_id {
                    out.push(Privileges(Privileges::ALL));
                } else if let Some(held) = seen.get(&c.id) {
                    out.push(*held);
                } else {
                    out.push(Privileges(0));
                    todo.push(i);
                }
            }
        }
        if todo.is_empty() {
            return Ok(out);
        }
        // The real ancestors, by id: a mount's path is the sharee's, not the owner's.
        let mut chains = Vec::with_capacity(todo.len());
        for &i in &todo {
            let c = collections[i];
            let mut chain = vec![c.id];
            match known_ancestors(c, known) {
                Some(ancestors) => chain.extend(ancestors),
                None => chain.extend(self.store().ancestor_ids(c.id).await?),
            }
            chains.push(chain);
        }
        let mut ids: Vec<i64> = chains.concat();
        ids.sort_unstable();
        ids.dedup();
        let grants = self.store().grants(&ids).await?;
        // Nobody: only grants to unauthenticated or all apply; no shares, no delegation.
        let (subject, shares, proxied) = if self.who.is_anonymous() {
            (Subject { principal: None, groups: Vec::new() }, Vec::new(), Vec::new())
        } else {
            let mut principals = vec![self.who.principal_id];
            principals.extend(self.store().memberships(self.who.principal_id).await?);
            let shares = self.store().access_shares(&ids, &principals).await?;
            let proxied = if todo.iter().any(|&i| delegation::delegated(collections[i].kind)) {
                self.store().proxied_by(&principals).await?
            } else {
                Vec::new()
            };
            (Subject { principal: Some(self.who.principal_id), groups: principals[1..].to_vec() }, shares, proxied)
        };
        let mut seen = self.seen.lock().unwrap_or_else(|e| e.into_inner());
        for (&i, chain) in todo.iter().zip(&chains) {
            let c = collections[i];
            let applying: Vec<Grant> = grants.iter().filter(|g| chain.contains(&g.collection_id)).cloned().collect();
            let mut held = crate::acl::granted(&applying, &subject);
            for share in shares.iter().filter(|s| chain.contains(&s.collection_id)) {
                held.0 |= sharing::privileges_of(share.access);
            }
            if subject.principal.is_some() {
                held.0 |= delegation::proxy_privileges(c, &proxied);
            }
            if held.has(Privileges::READ) {
                held.0 |= Privileges::READ_CUPS;
            }
            seen.insert(c.id, held);
            out[i] = held;
        }
        Ok(out)
    }

    /// A principal by id, read once per request.
    pub async fn principal(&self, id: PrincipalId) -> Result<agora_store::Principal> {
        if let Some(known) = self.principals.lock().unwrap_or_else(|e| e.into_inner()).get(&id) {
            return Ok(known.clone());
        }
        let p = self.core.directory().by_id(id).await?;
        self.principals.lock().unwrap_or_else(|e| e.into_inner()).insert(id, p.clone());
        Ok(p)
    }

    /// The groups the user belongs to, directly or through nested groups.
    pub async fn groups(&self) -> Result<Vec<agora_store::Principal>> {
        let mut out = Vec::new();
        for id in self.store().memberships(self.who.principal_id).await? {
            if let Some(p) = self.store().principal_by_id(id).await? {
                out.push(p);
            }
        }
        Ok(out)
    }

    /// The access control list of a collection (RFC 3744 §5.5): its own grants,
    /// and those it inherits with the path of the collection they are set on.
    pub async fn acl(&self, c: &Collection) -> Result<(Vec<Grant>, Vec<(String, Grant)>)> {
        self.authorize(c, Access::ReadAcl).await?;
        let own = self.store().grants(&[c.id]).await?;
        let mut inherited = Vec::new();
        let mut path = c.path.clone();
        while let Some(parent) = parent_of(&path) {
            if let Some(p) = self.store().collection(&parent).await? {
                inherited.extend(self.store().grants(&[p.id]).await?.into_iter().map(|g| (p.path.clone(), g)));
            }
            path = parent;
        }
        Ok((own, inherited))
    }

    /// Replaces the grants of a collection (the ACL method). Granting to the owner
    /// adds nothing and is dropped.
    pub async fn set_acl(&self, c: &Collection, grants: Vec<(Grantee, Privileges)>) -> Result<()> {
        self.authorize(c, Access::WriteAcl).await?;
        let grants: Vec<(Grantee, i64)> = grants
            .into_iter()
            .filter(|(g, p)| *g != Grantee::Principal(c.owner_id) && p.0 != 0)
            .map(|(g, p)| (g, p.0))
            .collect();
        self.store().replace_grants(c.id, &grants).await?;
        let detail = format!("{} grant(s)", grants.len());
        self.core.record(Some(self.who), "acl", &c.path, Some(&detail)).await
    }

    /// The privileges the user holds on a collection as they may exercise them
    /// (`DAV:current-user-privilege-set`, RFC 3744 §5.4): nobody adds, changes
    /// or removes members of a collection the server fills (a subscription,
    /// the directory), whatever the grants say.
    pub async fn current_privileges(&self, c: &Collection) -> Result<Privileges> {
        let mut held = self.privileges(c).await?;
        if c.source.is_some() {
            held.0 &= !(Privileges::WRITE_CONTENT | Privileges::BIND | Privileges::UNBIND);
        }
        Ok(held)
    }

    /// The directory (principals, their properties, principal searches) is for
    /// signed-in users: a published calendar does not open it.
    pub fn authorize_directory(&self) -> Result<()> {
        if self.who.is_anonymous() { Err(CoreError::Unauthenticated) } else { Ok(()) }
    }

    /// The share mounted at `path` in the user's home, if they may leave it: a
    /// free/busy-only sharee cannot read the mount, yet may remove it (which
    /// leaves the share; the owner's collection stays).
    pub async fn mount_to_leave(&self, path: &str) -> Result<Option<Collection>> {
        let path = if path.ends_with('/') { path.to_owned() } else { format!("{path}/") };
        match self.collection(&path, Access::ReadFreeBusy).await? {
            Some(c) if c.share_id.is_some() => Ok(Some(c)),
            _ => Ok(None),
        }
    }

    /// The one place that decides access to a collection (and its members).
    pub async fn authorize(&self, collection: &Collection, access: Access) -> Result<()> {
        if self.privileges(collection).await?.has(access.required()) {
            Ok(())
        } else {
            Err(CoreError::Forbidden(format!("no access to /{}", collection.path)))
        }
    }

    /// Creates the user's homes and default collections on first access.
    pub async fn ensure_homes(&self) -> Result<()> {
        let id = self.who.principal_id;
        if self.core.homes.fresh(id) {
            return Ok(());
        }
        let _gate = self.core.homes.1.lock().await;
        if self.core.homes.fresh(id) {
            return Ok(());
        }
        // Another process (the CLI, a second server on the same database) may be
        // provisioning the same homes: its insert wins, ours then finds them.
        match self.provision_homes().await {
            Err(CoreError::Exists(_)) => self.provision_homes().await?,
            other => other?,
        }
        self.core.homes.0.lock().unwrap_or_else(|e| e.into_inner()).insert(id, Instant::now());
        Ok(())
    }

    async fn provision_homes(&self) -> Result<()> {
        let principal = self.core.directory().get(None, &self.who.name).await?;
        self.core.provision_homes_of(&principal).await?;
        if principal.kind == agora_store::PrincipalKind::User {
            self.ensure_gal_mount(&principal).await?;
        }
        Ok(())
    }

    /// The collection at a decoded path, if the user may access it as asked.
    pub async fn collection(&self, path: &str, access: Access) -> Result<Option<Collection>> {
        match self.store().collection(path).await? {
            Some(c) => {
                self.authorize(&c, access).await?;
                if access == Access::Read {
                    self.core.audit_read(self.who, &c).await?;
                }
                // The birthdays calendar follows the address books when looked at.
                Ok(Some(self.core.current_birthdays(c).await?))
            }
            None => Ok(None),
        }
    }

    /// Dead properties of a collection (Clark name, verbatim XML). A sharee sees
    /// their own values (name, colour) over the owner's.
    pub async fn collection_properties(&self, c: &Collection) -> Result<Vec<(String, String)>> {
        // A free/busy-only sharee still lists their own home, mount included: they
        // see their own names for it, never the owner's.
        let mine = c.share_id.is_some() && self.privileges(c).await?.has(Privileges::READ_FREE_BUSY);
        if !mine {
            self.authorize(c, Access::Read).await?;
        }
        let mut props = if self.privileges(c).await?.has(Privileges::READ) {
            self.store().collection_properties(c.id).await?
        } else {
            Vec::new()
        };
        if let Some(share) = c.share_id {
            for (name, xml) in self.store().share_properties(share).await? {
                props.retain(|(n, _)| *n != name);
                props.push((name, xml));
            }
        }
        // What the birthdays calendar was computed from is the server's, not a property.
        props.retain(|(n, _)| n != crate::birthdays::STATE);
        Ok(props)
    }

    /// Applies a PROPPATCH to a collection, all or nothing. On a mount, the
    /// sharee changes only their own view (RFC: each sharee's display name, colour
    /// and alarms are their own).
    pub async fn patch_collection(&self, c: &Collection, changes: &[PropertyChange]) -> Result<()> {
        let name = |ch: &PropertyChange| match ch {
            PropertyChange::Set(n, _) | PropertyChange::Remove(n) => n.clone(),
        };
        if changes.iter().any(|ch| name(ch) == crate::birthdays::STATE) {
            return Err(CoreError::Forbidden(format!("{} is kept by the server", crate::birthdays::STATE)));
        }
        // On a mount too: the owner's locks still hold over the sharee's names.
        let rules = self.write_rules(Self::lock_checks(&self.lock_path(c, "").await?, false), None).await?;
        if let Some(share) = c.share_id {
            self.authorize(c, Access::ReadFreeBusy).await?;
            return Ok(self.store().patch_share(share, changes, &rules, now()).await?);
        }
        self.authorize(c, Access::Write).await?;
        Ok(self.store().patch_collection(c.id, changes, &rules, now()).await?)
    }

    /// Creates a collection (MKCOL, MKCALENDAR, extended MKCOL) below `parent_path`.
    /// Calendars and address books go directly in the matching home (RFC 4791
    /// §5.3.1: not inside another calendar); plain collections go in homes or in
    /// plain collections.
    pub async fn create_collection(
        &self,
        path: &str,
        kind: CollectionKind,
        components: Components,
        properties: Vec<(String, String)>,
    ) -> Result<Collection> {
        self.create_collection_from(path, kind, components, properties, None).await
    }

    /// [`Self::create_collection`] for a collection the server fills (`source`).
    pub(crate) async fn create_collection_from(
        &self,
        path: &str,
        kind: CollectionKind,
        components: Components,
        properties: Vec<(String, String)>,
        source: Option<String>,
    ) -> Result<Collection> {
        let parent_path =
            parent_of(path).ok_or_else(|| CoreError::Forbidden("cannot create a top-level collection".into()))?;
        let parent = self
            .store()
            .collection(&parent_path)
            .await?
            .ok_or_else(|| CoreError::Conflict(format!("the parent collection /{parent_path} does not exist")))?;
        self.authorize(&parent, Access::Write).await?;
        validate::read_only(&parent, "bind")?;
        check_location(kind, parent.kind)?;
        // A collection may not take the name of an object (neon's MKCOL adds the slash).
        let name = path.trim_end_matches('/').rsplit('/').next().unwrap_or_default();
        if self.store().object_meta(parent.id, name).await?.is_some() {
            return Err(CoreError::Exists(format!("/{parent_path}{name} exists")));
        }
        let components = match kind {
            // RFC 4791 §5.2.3: without the property, any component type is accepted.
            CollectionKind::Calendar if components.0 == 0 => {
                Components(Components::EVENT | Components::TODO | Components::JOURNAL)
            }
            _ => components,
        };
        let new = NewCollection {
            owner_id: parent.owner_id,
            path: path.to_owned(),
            parent_path: Some(parent_path),
            kind,
            components,
            properties,
            source,
            grants: Vec::new(),
        };
        // A server-filled collection (a subscription) is made for the user like theirs.
        let rules = self.write_rules(Self::lock_checks(path, false), None).await?;
        Ok(self.store().create_collection(&new, &rules, now()).await?)
    }

    /// Deletes a collection with its contents. Homes and schedule boxes stay.
    pub async fn delete_collection(&self, c: &Collection) -> Result<()> {
        // Deleting a shared collection from one's home leaves the share; the
        // owner's collection stays.
        if let Some(share) = c.share_id {
            return self.leave_share(share).await;
        }
        self.authorize(c, Access::Write).await?;
        if is_fixed(c) {
            return Err(CoreError::Forbidden(format!("/{} cannot be deleted", c.path)));
        }
        self.authorize_unbind(c).await?;
        let mut rules = self.write_rules(Self::lock_checks(&c.path, true), None).await?;
        rules.trash = self.keeps_deleted(c);
        self.store().delete_collection(c.id, &rules, now()).await?;
        Ok(())
    }

    /// Removing a collection from its parent needs write (DAV:unbind) on the
    /// parent (RFC 3744 §3.10): a sharee with write on a calendar may change what
    /// is in it, not remove it from its owner's home.
    async fn authorize_unbind(&self, c: &Collection) -> Result<()> {
        if let Some(parent_path) = parent_of(&c.path)
            && let Some(parent) = self.store().collection(&parent_path).await?
        {
            self.authorize(&parent, Access::Write).await?;
        }
        Ok(())
    }

    /// Validates and stores an object; the condition is checked inside the write.
    pub async fn put_object(
        &self,
        c: &Collection,
        name: &str,
        data: Vec<u8>,
        content_type: Option<&str>,
        condition: &WriteCondition,
    ) -> Result<Written> {
        self.authorize(c, Access::Write).await?;
        let prepared = validate::prepare(c, data, content_type, self.core.config.max_resource_size)?;
        let object = prepared.object;
        // Locks and quota are checked inside the write's transaction.
        let rules =
            self.write_rules(Self::lock_checks(&self.lock_path(c, name).await?, false), Some(c.owner_id)).await?;
        let (outcome, rewritten) = if c.kind == CollectionKind::Calendar {
            self.put_scheduled(c, name, object, condition, &rules).await?
        } else {
            (self.store().put_object(c.id, name, &object, condition, &rules, now()).await?, false)
        };
        Ok(Written { created: outcome.created, meta: outcome.meta, rewritten: rewritten || prepared.repaired })
    }

    /// Deletes an object if the condition holds. Deleting a scheduling object
    /// cancels the meeting (organiser) or declines it (attendee, when `reply`).
    pub async fn delete_object(
        &self,
        c: &Collection,
        name: &str,
        condition: &WriteCondition,
        reply: bool,
    ) -> Result<()> {
        self.authorize(c, Access::Write).await?;
        validate::read_only(c, "unbind")?;
        let old = match c.kind {
            CollectionKind::Calendar => self.store().object(c.id, name).await?.map(|o| o.data),
            _ => None,
        };
        let mut rules = self.write_rules(Self::lock_checks(&self.lock_path(c, name).await?, true), None).await?;
        rules.trash = self.keeps_deleted(c);
        if !self.store().delete_object(c.id, name, condition, &rules, now()).await? {
            return Err(CoreError::NotFound { what: "resource", name: format!("/{}{name}", c.path) });
        }
        if let Some(old) = old {
            self.deleted_scheduled(c, &old, reply).await?;
        }
        Ok(())
    }

    /// COPY (`delete_source` false) or MOVE of an object. The bytes are validated
    /// again for the destination (a calendar accepts only what a calendar may hold).
    pub async fn transfer_object(
        &self,
        src: &Collection,
        object: &ObjectMeta,
        dst: &Collection,
        dst_name: &str,
        delete_source: bool,
        overwrite: bool,
    ) -> Result<PutOutcome> {
        self.authorize(src, if delete_source { Access::Write } else { Access::Read }).await?;
        self.authorize(dst, Access::Write).await?;
        if delete_source {
            validate::read_only(src, "unbind")?;
        }
        // What the user may read of the source is what they copy: a stub of a
        // CONFIDENTIAL object, nothing of a PRIVATE one.
        let current = self
            .object(src, &object.name)
            .await?
            .ok_or_else(|| CoreError::NotFound { what: "resource", name: format!("/{}{}", src.path, object.name) })?;
        let mut prepared =
            validate::prepare(dst, current.data, Some(&current.meta.content_type), self.core.config.max_resource_size)?
                .object;
        prepared.schedule_tag =
            self.transferred_scheduling((src, object), (dst, dst_name), &prepared, delete_source).await?;
        let mut checks = Self::lock_checks(&self.lock_path(dst, dst_name).await?, true);
        if delete_source {
            checks.extend(Self::lock_checks(&self.lock_path(src, &object.name).await?, true));
        }
        let mut rules = self.write_rules(checks, Some(dst.owner_id)).await?;
        if let Some(audit) = &mut rules.audit {
            audit.target = self.lock_path(src, &object.name).await?;
        }
        Ok(self
            .store()
            .transfer_object(src.id, &object.name, dst.id, dst_name, &prepared, delete_source, overwrite, &rules, now())
            .await?)
    }

    /// COPY or MOVE of a collection to `dst_path` (ending with `/`). The same
    /// location rules as for creating apply at the destination; homes and
    /// schedule boxes stay where they are. Returns whether something was replaced.
    pub async fn transfer_collection(
        &self,
        c: &Collection,
        dst_path: &str,
        delete_source: bool,
        recursive: bool,
        overwrite: bool,
    ) -> Result<bool> {
        self.authorize(c, if delete_source { Access::Write } else { Access::Read }).await?;
        if is_fixed(c) || c.share_id.is_some() {
            return Err(CoreError::Forbidden(format!("/{} cannot be copied or moved", c.path)));
        }
        if dst_path.starts_with(&c.path) {
            return Err(CoreError::Forbidden("a collection cannot be copied or moved into itself".into()));
        }
        if delete_source {
            self.authorize_unbind(c).await?;
        }
        let parent_path = parent_of(dst_path).ok_or_else(|| CoreError::Forbidden("not a valid destination".into()))?;
        let parent = self
            .store()
            .collection(&parent_path)
            .await?
            .ok_or_else(|| CoreError::Conflict(format!("the parent collection /{parent_path} does not exist")))?;
        self.authorize(&parent, Access::Write).await?;
        check_location(c.kind, parent.kind)?;
        // A moved collection keeps its owner, so it may only move among its owner's
        // collections (a copy belongs to the destination's owner).
        if delete_source && parent.owner_id != c.owner_id {
            return Err(CoreError::Forbidden("a collection can only be moved within its owner's homes".into()));
        }
        Ok(if delete_source {
            let mut checks = Self::lock_checks(&c.path, true);
            checks.extend(Self::lock_checks(dst_path, true));
            let rules = self.write_rules(checks, None).await?;
            self.store().move_collection(c.id, dst_path, parent.id, overwrite, &rules, now()).await?
        } else {
            self.copy_collection(c, dst_path, &parent, recursive, overwrite).await?
        })
    }

    /// Bytes the owner of `c` stores, and what is left of the quota if there is one.
    pub async fn quota(&self, c: &Collection) -> Result<(i64, Option<i64>)> {
        self.authorize(c, Access::Read).await?;
        let used = self.store().usage(c.owner_id).await?;
        let limit = self.core.quota_limit(c.owner_id).await?;
        let available = limit.map(|q| (i64::try_from(q).unwrap_or(i64::MAX) - used).max(0));
        Ok((used, available))
    }

    /// Applies a PROPPATCH to an object.
    pub async fn patch_object(&self, c: &Collection, object: &ObjectMeta, changes: &[PropertyChange]) -> Result<()> {
        self.authorize(c, Access::Write).await?;
        // The server writes the members of the collections it fills, and rewrites them.
        validate::read_only(c, "write-properties")?;
        let rules = self.write_rules(Self::lock_checks(&self.lock_path(c, &object.name).await?, false), None).await?;
        Ok(self.store().patch_object(object.id, changes, &rules, now()).await?)
    }
}

/// The ancestors of `c` (nearest first, as [`agora_store::CollectionStore::ancestor_ids`]
/// gives them) when every one of them is among `known`; `None` otherwise, and
/// for mounts (their `parent_id` is the sharee's home, not the real parent).
fn known_ancestors(c: &Collection, known: &[Collection]) -> Option<Vec<i64>> {
    if c.share_id.is_some() {
        return None;
    }
    let mut out = Vec::new();
    let mut next = c.parent_id;
    while let Some(id) = next {
        let parent = known.iter().find(|k| k.id == id && k.share_id.is_none())?;
        out.push(id);
        // A chain longer than any real tree is not trusted.
        if out.len() > 32 {
            return None;
        }
        next = parent.parent_id;
    }
    Some(out)
}

/// Homes, schedule boxes and the birthdays calendar are part of a principal:
/// never deleted, copied or moved.
fn is_fixed(c: &Collection) -> bool {
    crate::birthdays::is_birthdays(c)
        || matches!(
            c.kind,
            CollectionKind::CalendarHome
                | CollectionKind::AddressbookHome
                | CollectionKind::Inbox
                | CollectionKind::Outbox
                | CollectionKind::Notifications
        )
}

/// Where each kind of collection may live: calendars and address books directly in
/// the matching home (RFC 4791 §5.3.1, RFC 6352 §5.2: not inside another calendar
/// or address book), plain collections in homes or in plain collections.
fn check_location(kind: CollectionKind, parent: CollectionKind) -> Result<()> {
    let allowed = match kind {
        CollectionKind::Calendar => parent == CollectionKind::CalendarHome,
        CollectionKind::Addressbook => parent == CollectionKind::AddressbookHome,
        CollectionKind::Plain => {
            matches!(parent, CollectionKind::CalendarHome | CollectionKind::AddressbookHome | CollectionKind::Plain)
        }
        _ => false,
    };
    if allowed { Ok(()) } else { Err(Rule::CollectionLocation.into()) }
}

/// `a/b/c/` → `a/b/`; `a/b/c.ics` → `a/b/`; `a/` → `None`.
pub fn parent_of(path: &str) -> Option<String> {
    let trimmed = path.trim_end_matches('/');
    let cut = trimmed.rfind('/')?;
    Some(trimmed[..=cut].to_owned())
}

#[cfg(test)]
mod tests {
    use super::parent_of;

    #[test]
    fn parents() {
        assert_eq!(parent_of("calendars/alice/work/").as_deref(), Some("calendars/alice/"));
        assert_eq!(parent_of("calendars/alice/work/e.ics").as_deref(), Some("calendars/alice/work/"));
        assert_eq!(parent_of("calendars/"), None);
    }
}
