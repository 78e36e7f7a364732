//! `agora import EXPORT`: recreates what an `agora export` holds
//! (docs/export-format.md) on this server, in an order where everything a step
//! names exists: principals (users get no usable password: `agora user passwd`
//! after), their settings and group memberships, then each principal's
//! collections with their properties, objects, ACL grants and publish links,
//! then shares (both sides' homes exist by then), delegates and preferences.
//!
//! Idempotent: a principal is found by name, a collection by path, an object
//! by UID, and nothing already as the manifest says is written again (so the
//! sync tokens of a second run do not move). Collections are never deleted;
//! properties the manifest does not list are removed from the collections it
//! lists, so that each ends as it was exported. Nothing schedules: objects go
//! through [`agora_core::Resources::import`].

use std::collections::{BTreeMap, HashSet};

use agora_core::acl::Privileges;
use agora_core::admin::{ResourceChange, UserChange};
use agora_core::{Access, Core, CoreError, Identity, Principal, PrincipalKind, ResourceKind};
use agora_store::{Collection, CollectionKind, Components, Grantee, PropertyChange, ShareAccess, ShareStatus};

use super::archive::Source;
use super::import::Report;
use super::manifest::{self, CollectionEntry, Manifest, PrincipalEntry, ShareEntry};
use crate::exit::Failure;
use crate::progress::Progress;

pub async fn run(core: &Core, source: &mut Source, only: &[String], report: &mut Report) -> Result<(), Failure> {
    let bytes = source.read(manifest::FILE).map_err(Failure::usage)?;
    let manifest: Manifest = serde_json::from_slice(&bytes)
        .map_err(|e| Failure::usage(format!("{} is not an Agora export manifest: {e}", manifest::FILE)))?;
    if manifest.format != manifest::FORMAT || manifest.version == 0 || manifest.version > manifest::VERSION {
        return Err(Failure::usage(format!(
            "{} is format {:?} version {}; this Agora reads {:?} up to version {}",
            manifest::FILE,
            manifest.format,
            manifest.version,
            manifest::FORMAT,
            manifest::VERSION
        )));
    }
    let only: Vec<String> = only.iter().map(|u| u.trim().to_lowercase()).collect();
    let principals: Vec<&PrincipalEntry> =
        manifest.principals.iter().filter(|p| only.is_empty() || only.contains(&p.name)).collect();
    if principals.is_empty() {
        return Err(Failure::usage("the export holds none of the users named"));
    }
    let collections: usize = principals.iter().map(|p| p.collections.len()).sum();
    let mut progress = Progress::new("collections", collections as u64);
    // 1. Principals, then what names other principals (members, bookers).
    for p in &principals {
        if let Err(e) = ensure_principal(core, p, report).await {
            report.problem(&progress, &p.name, &e.to_string());
        }
    }
    for p in &principals {
        if let Err(e) = principal_relations(core, p).await {
            report.problem(&progress, &p.name, &e.to_string());
        }
    }
    // 2. Collections, with everything that concerns only their owner.
    for p in &principals {
        let Ok(owner) = core.directory().get(None, &p.name).await else { continue };
        let id = Identity { principal_id: owner.id, name: owner.name.clone() };
        let res = core.resources(&id);
        res.ensure_homes().await?;
        for c in &p.collections {
            progress.advance(1);
            if let Err(e) = collection(core, &res, source, c, report, &progress).await {
                report.problem(&progress, &format!("/{}", c.path), &e.to_string());
            }
        }
    }
    // 3. Shares, delegates and preferences: every principal and home exists now.
    for p in &principals {
        let Ok(owner) = core.directory().get(None, &p.name).await else { continue };
        let id = Identity { principal_id: owner.id, name: owner.name.clone() };
        let res = core.resources(&id);
        for c in &p.collections {
            for s in &c.shares {
                if let Err(e) = share(core, &res, c, s).await {
                    report.problem(&progress, &format!("/{} shared with {}", c.path, s.sharee), &e.to_string());
                }
            }
        }
        if owner.kind == PrincipalKind::User
            && let Err(e) = user_extras(core, &res, &owner, p).await
        {
            report.problem(&progress, &p.name, &e.to_string());
        }
    }
    progress.finish();
    Ok(())
}

/// Creates the principal when missing (a user with a random password nobody
/// knows), and applies its administration settings.
async fn ensure_principal(core: &Core, p: &PrincipalEntry, report: &mut Report) -> Result<(), CoreError> {
    let dir = core.directory();
    let entry = agora_core::directory::NewEntry {
        name: p.name.clone(),
        display_name: Some(p.display_name.clone()).filter(|d| !d.is_empty()),
        emails: p.emails.clone(),
    };
    let existing = match dir.get(None, &p.name).await {
        Ok(found) => Some(found),
        Err(CoreError::NotFound { .. }) => None,
        Err(e) => return Err(e),
    };
    let current = match (existing, p.kind.as_str()) {
        (Some(found), _) => found,
        (None, "user") => {
            let created = dir.add_user(&entry, &unusable_password()).await?;
            report.created.push(format!("user {}", created.name));
            created
        }
        (None, "group") => {
            let created = dir.add_group(&entry).await?;
            report.created.push(format!("group {}", created.name));
            created
        }
        (None, "resource") => {
            let kind = match p.resource_kind.as_deref() {
                Some("equipment") => ResourceKind::Equipment,
                _ => ResourceKind::Room,
            };
            let created = dir.add_resource(&entry, kind).await?;
            report.created.push(format!("resource {}", created.name));
            created
        }
        (None, other) => return Err(CoreError::Invalid(format!("unknown principal kind {other:?}"))),
    };
    if current.kind == PrincipalKind::User {
        let s = &current.settings;
        let change = UserChange {
            disabled: (s.disabled != p.disabled).then_some(p.disabled),
            administrator: (s.administrator != p.administrator).then_some(p.administrator),
            quota_bytes: (s.quota_bytes != p.quota_bytes).then_some(p.quota_bytes),
        };
        if change != UserChange::default() {
            dir.set_user(&current.name, &change).await?;
        }
    }
    Ok(())
}

/// A generated password, hashed like any and shown to nobody: the account
/// exists but nobody can sign in until an administrator sets a password.
fn unusable_password() -> String {
    agora_core::password::generate()
}

/// Group members and resource booking rules (they name other principals).
async fn principal_relations(core: &Core, p: &PrincipalEntry) -> Result<(), CoreError> {
    let dir = core.directory();
    let current = dir.get(None, &p.name).await?;
    match current.kind {
        PrincipalKind::Group => {
            let members: HashSet<String> = dir.members(&p.name).await?.into_iter().map(|m| m.name).collect();
            for m in p.members.iter().filter(|m| !members.contains(*m)) {
                dir.add_member(&p.name, m).await?;
            }
        }
        PrincipalKind::Resource => {
            let s = &current.settings;
            let bookers = match s.bookers {
                Some(id) => Some(dir.by_id(id).await?.name),
                None => None,
            };
            let change = ResourceChange {
                capacity: (s.capacity != p.capacity).then_some(p.capacity),
                auto_accept: (s.auto_accept != p.auto_accept).then_some(p.auto_accept),
                bookers: (bookers != p.bookers).then(|| p.bookers.clone()),
            };
            if change != ResourceChange::default() {
                dir.set_resource(&p.name, &change).await?;
            }
        }
        PrincipalKind::User => {}
    }
    Ok(())
}

/// One collection: created or found, properties, objects, ACL, publish link.
async fn collection(
    core: &Core,
    res: &agora_core::Resources<'_>,
    source: &mut Source,
    entry: &CollectionEntry,
    report: &mut Report,
    progress: &Progress,
) -> Result<(), CoreError> {
    let kind = CollectionKind::parse(&entry.kind)
        .ok_or_else(|| CoreError::Invalid(format!("unknown collection kind {:?}", entry.kind)))?;
    let wanted = entry.restored_properties();
    let c = match res.collection(&entry.path, Access::Read).await? {
        Some(c) => {
            if c.kind != kind {
                return Err(CoreError::Conflict(format!("exists here as a {}, not a {}", c.kind.as_str(), entry.kind)));
            }
            c
        }
        None if entry.server_filled => return Ok(()),
        None => {
            let props: Vec<(String, String)> = wanted.clone().into_iter().collect();
            let c = match (&entry.source, kind) {
                (Some(url), CollectionKind::Calendar) => res.subscribe(&entry.path, url, props).await?,
                (_, CollectionKind::Calendar | CollectionKind::Addressbook | CollectionKind::Plain) => {
                    let mut bits = 0;
                    for name in &entry.components {
                        bits |= Components::bit(name)
                            .ok_or_else(|| CoreError::Invalid(format!("unknown component {name:?}")))?;
                    }
                    res.create_collection(&entry.path, kind, Components(bits), props).await?
                }
                _ => return Err(CoreError::Invalid("homes and schedule boxes are made with their principal".into())),
            };
            report.created.push(format!("/{}", entry.path));
            c
        }
    };
    let current: BTreeMap<String, String> = res.collection_properties(&c).await?.into_iter().collect();
    let changes = property_changes(&current, &wanted);
    if !changes.is_empty() {
        res.patch_collection(&c, &changes).await?;
    }
    if let Some(file) = &entry.file {
        match source.read(file) {
            Ok(bytes) => match res.import(&c, &agora_ical::contacts_csv::decode(&bytes)).await {
                Ok(done) => report.add(progress, file, done),
                Err(e @ (CoreError::Invalid(_) | CoreError::Forbidden(_))) => {
                    report.problem(progress, file, &e.to_string());
                }
                Err(e) => return Err(e),
            },
            Err(e) => report.problem(progress, file, &e),
        }
    }
    acl(core, res, &c, entry).await?;
    if let Some(token) = &entry.publish_token {
        res.publish_with_token(&c, token).await?;
    }
    Ok(())
}

/// What makes `current` equal `wanted`: the birthdays calendar's state is the
/// server's and stays out.
fn property_changes(current: &BTreeMap<String, String>, wanted: &BTreeMap<String, String>) -> Vec<PropertyChange> {
    let mut changes: Vec<PropertyChange> = wanted
        .iter()
        .filter(|(name, xml)| current.get(*name) != Some(*xml))
        .map(|(name, xml)| PropertyChange::Set(name.clone(), xml.clone()))
        .collect();
    changes.extend(
        current
            .keys()
            .filter(|name| !wanted.contains_key(*name) && name.as_str() != agora_core::birthdays::STATE)
            .map(|name| PropertyChange::Remove(name.clone())),
    );
    changes
}

/// Replaces the collection's own grants with the manifest's, when they differ.
async fn acl(
    core: &Core,
    res: &agora_core::Resources<'_>,
    c: &Collection,
    entry: &CollectionEntry,
) -> Result<(), CoreError> {
    let mut wanted = Vec::new();
    for g in &entry.acl {
        let grantee = match g.grantee.as_str() {
            "authenticated" => Grantee::Authenticated,
            "unauthenticated" => Grantee::Unauthenticated,
            "all" => Grantee::All,
            other => {
                let name = other
                    .strip_prefix("principal:")
                    .ok_or_else(|| CoreError::Invalid(format!("unknown grantee {other:?}")))?;
                Grantee::Principal(core.directory().get(None, name).await?.id)
            }
        };
        let mut bits = 0;
        for p in &g.privileges {
            let (ns, local) = p.strip_prefix('{').and_then(|s| s.split_once('}')).unwrap_or(("", p));
            bits |=
                Privileges::named(ns, local).ok_or_else(|| CoreError::Invalid(format!("unknown privilege {p:?}")))?;
        }
        wanted.push((grantee, bits));
    }
    let (own, _) = res.acl(c).await?;
    let mut current: Vec<(Grantee, i64)> = own.into_iter().map(|g| (g.grantee, g.privileges)).collect();
    let key = |g: &(Grantee, i64)| format!("{:?}{}", g.0, g.1);
    current.sort_by_key(key);
    wanted.sort_by_key(key);
    if current != wanted {
        res.set_acl(c, wanted.into_iter().map(|(g, b)| (g, Privileges(b))).collect()).await?;
    }
    Ok(())
}

/// One share: offered (unless it is already, with that access), then answered
/// by the sharee as in the export, with the sharee's own names for it.
async fn share(
    core: &Core,
    res: &agora_core::Resources<'_>,
    entry: &CollectionEntry,
    s: &ShareEntry,
) -> Result<(), CoreError> {
    let access =
        ShareAccess::parse(&s.access).ok_or_else(|| CoreError::Invalid(format!("unknown access {:?}", s.access)))?;
    let status =
        ShareStatus::parse(&s.status).ok_or_else(|| CoreError::Invalid(format!("unknown status {:?}", s.status)))?;
    let c = res
        .collection(&entry.path, Access::Read)
        .await?
        .ok_or_else(|| CoreError::NotFound { what: "collection", name: format!("/{}", entry.path) })?;
    let sharee = core.directory().get(Some(PrincipalKind::User), &s.sharee).await?;
    let existing = res.shares(&c).await?.into_iter().find(|x| x.sharee_id == sharee.id);
    let current = match existing {
        Some(x) if x.access == access && x.summary == s.summary => x,
        _ => res
            .share(&c, &sharee.name, access, s.summary.as_deref())
            .await?
            .into_iter()
            .find(|x| x.sharee_id == sharee.id)
            .ok_or_else(|| CoreError::Invalid("the share was not made".into()))?,
    };
    let who = Identity { principal_id: sharee.id, name: sharee.name.clone() };
    let theirs = core.resources(&who);
    match status {
        ShareStatus::Accepted if current.status != ShareStatus::Accepted => {
            theirs.accept_share(current.id).await?;
        }
        ShareStatus::Declined if current.status != ShareStatus::Declined => theirs.decline_share(current.id).await?,
        _ => {}
    }
    if status == ShareStatus::Accepted && !s.properties.is_empty() {
        let mount = theirs.invitations().await?.into_iter().find(|x| x.id == current.id).and_then(|x| x.mount_path);
        if let Some(mount) = mount
            && let Some(m) = theirs.collection(&mount, Access::ReadFreeBusy).await?
        {
            let now: BTreeMap<String, String> = theirs.collection_properties(&m).await?.into_iter().collect();
            let changes: Vec<PropertyChange> = s
                .properties
                .iter()
                .filter(|(n, x)| now.get(*n) != Some(*x))
                .map(|(n, x)| PropertyChange::Set(n.clone(), x.clone()))
                .collect();
            if !changes.is_empty() {
                theirs.patch_collection(&m, &changes).await?;
            }
        }
    }
    Ok(())
}

/// A user's delegates (each level replaced when it differs) and web preferences.
async fn user_extras(
    core: &Core,
    res: &agora_core::Resources<'_>,
    owner: &Principal,
    p: &PrincipalEntry,
) -> Result<(), CoreError> {
    let current = res.delegates_of(owner).await?;
    for write in [false, true] {
        let mut have: Vec<String> = current.iter().filter(|(_, w)| *w == write).map(|(d, _)| d.name.clone()).collect();
        let mut want: Vec<String> = p.delegates.iter().filter(|d| d.write == write).map(|d| d.name.clone()).collect();
        have.sort();
        want.sort();
        if have != want {
            let mut delegates = Vec::new();
            for name in &want {
                delegates.push(core.directory().get(None, name).await?);
            }
            res.set_delegates(owner, write, &delegates).await?;
        }
    }
    if let Some(prefs) = &p.preferences {
        let id = Identity { principal_id: owner.id, name: owner.name.clone() };
        let now: Option<serde_json::Value> = serde_json::from_str(&core.preferences(&id).await?).ok();
        if now.as_ref() != Some(prefs) {
            core.set_preferences(&id, &prefs.to_string()).await?;
        }
    }
    Ok(())
}
