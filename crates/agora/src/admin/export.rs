//! `agora export --user NAME… | --all --to DIR|FILE.zip`: everything a user (or
//! the whole server) has, in files any other server reads — one `.ics` per
//! calendar, task list or note collection, one `.vcf` per address book — and a
//! `manifest.json` with what those formats cannot carry (docs/export-format.md).
//!
//! The administrator reads as each owner, through the core like every other
//! caller. One collection at a time is held in memory and written out before the
//! next is read, so the export of a whole server needs no more memory than its
//! largest collection. Passwords and app passwords are not exported
//! (docs/decisions.md).

use std::collections::{BTreeMap, HashSet};

use agora_core::acl::Privileges;
use agora_core::{Core, Identity, Principal, PrincipalKind};
use agora_store::{Collection, CollectionKind, Grantee};

use super::archive::Sink;
use super::manifest::{self, AclEntry, CollectionEntry, Delegate, Manifest, PrincipalEntry, ShareEntry};
use crate::cli::ExportArgs;
use crate::exit::Failure;
use crate::progress::Progress;

pub async fn run(core: &Core, args: &ExportArgs) -> Result<(), Failure> {
    let dir = core.directory();
    let principals: Vec<Principal> = if args.all {
        // Users first, then groups and resources: the order they are recreated in.
        let mut all = dir.list(Some(PrincipalKind::User)).await?;
        all.extend(dir.list(Some(PrincipalKind::Group)).await?);
        all.extend(dir.list(Some(PrincipalKind::Resource)).await?);
        all.retain(|p| !p.name.starts_with('.'));
        all
    } else {
        let mut out = Vec::new();
        for name in &args.users {
            out.push(dir.get(Some(PrincipalKind::User), name).await?);
        }
        out
    };
    let mut sink = Sink::create(&args.to)?;
    let mut progress = Progress::new("collections", 0);
    let mut entries = Vec::new();
    let (mut collections, mut objects) = (0usize, 0usize);
    for p in &principals {
        let owned = core.store_collections_of(p.id).await?;
        progress.grow(owned.len() as u64);
        let entry = principal(core, p, owned, &mut sink, &mut progress).await?;
        // Taking someone's data out is recorded like touching it.
        let detail = args.to.display().to_string();
        core.record(None, "export", &format!("principals/{}/", p.name), Some(&detail)).await?;
        collections += entry.collections.len();
        objects += entry.collections.iter().map(|c| c.objects).sum::<usize>();
        entries.push(entry);
    }
    let manifest = Manifest {
        format: manifest::FORMAT.to_owned(),
        version: manifest::VERSION,
        exported_at: super::users::format_time(agora_core::now()),
        agora_version: env!("CARGO_PKG_VERSION").to_owned(),
        principals: entries,
    };
    let json =
        serde_json::to_vec_pretty(&manifest).map_err(|e| Failure::io(format!("cannot write the manifest: {e}")))?;
    sink.write(manifest::FILE, &json)?;
    sink.finish()?;
    progress.finish();
    eprintln!(
        "exported {} principals, {collections} collections, {objects} objects to {}",
        manifest.principals.len(),
        args.to.display()
    );
    Ok(())
}

/// One principal: its settings, relations and every collection it owns (files written).
async fn principal(
    core: &Core,
    p: &Principal,
    owned: Vec<Collection>,
    sink: &mut Sink,
    progress: &mut Progress,
) -> Result<PrincipalEntry, Failure> {
    let dir = core.directory();
    let id = Identity { principal_id: p.id, name: p.name.clone() };
    let res = core.resources(&id);
    res.ensure_homes().await?;
    let s = &p.settings;
    let mut entry = PrincipalEntry {
        name: p.name.clone(),
        kind: p.kind.as_str().to_owned(),
        display_name: p.display_name.clone(),
        emails: p.emails.clone(),
        resource_kind: p.resource_kind.map(|k| k.as_str().to_owned()),
        administrator: s.administrator,
        disabled: s.disabled,
        quota_bytes: s.quota_bytes,
        capacity: s.capacity,
        auto_accept: s.auto_accept,
        ..PrincipalEntry::default()
    };
    if let Some(bookers) = s.bookers {
        entry.bookers = Some(dir.by_id(bookers).await?.name);
    }
    match p.kind {
        PrincipalKind::Group => entry.members = dir.members(&p.name).await?.into_iter().map(|m| m.name).collect(),
        PrincipalKind::User => {
            entry.delegates =
                res.delegates_of(p).await?.into_iter().map(|(d, write)| Delegate { name: d.name, write }).collect();
            let prefs = core.preferences(&id).await?;
            entry.preferences = serde_json::from_str::<serde_json::Value>(&prefs)
                .ok()
                .filter(|v| v.as_object().is_some_and(|o| !o.is_empty()));
        }
        PrincipalKind::Resource => {}
    }
    let mut files = HashSet::new();
    for c in owned {
        progress.advance(1);
        // The global address list is the directory's, filled from it.
        if c.source.as_deref() == Some(agora_core::gal::SOURCE) {
            continue;
        }
        entry.collections.push(collection(core, &res, p, &c, sink, &mut files).await?);
    }
    Ok(entry)
}

/// One collection's entry, its objects written to their file.
async fn collection(
    core: &Core,
    res: &agora_core::Resources<'_>,
    owner: &Principal,
    c: &Collection,
    sink: &mut Sink,
    files: &mut HashSet<String>,
) -> Result<CollectionEntry, Failure> {
    let properties: BTreeMap<String, String> = res.collection_properties(c).await?.into_iter().collect();
    let birthdays = agora_core::birthdays::is_birthdays(c);
    let subscribed = c.source.as_deref().is_some_and(|s| s.starts_with("http"));
    let mut entry = CollectionEntry {
        path: c.path.clone(),
        kind: c.kind.as_str().to_owned(),
        components: if c.kind == CollectionKind::Calendar {
            c.components.names().map(str::to_owned).collect()
        } else {
            Vec::new()
        },
        source: c.source.clone().filter(|_| subscribed),
        server_filled: birthdays,
        properties,
        ..CollectionEntry::default()
    };
    entry.describe();
    // Objects: not those the server fills (a feed, the birthdays).
    if matches!(c.kind, CollectionKind::Calendar | CollectionKind::Addressbook) && !birthdays && !subscribed {
        let objects = res.objects(c).await?;
        if objects.is_empty() {
            return finish(core, res, c, entry, birthdays).await;
        }
        let texts: Vec<String> = objects.iter().map(|o| String::from_utf8_lossy(&o.data).into_owned()).collect();
        let (ext, body) = if c.kind == CollectionKind::Calendar {
            let name = entry.display_name.clone().unwrap_or_else(|| c.name().to_owned());
            ("ics", agora_ical::feed::merge(&name, &texts))
        } else {
            ("vcf", cards(&texts))
        };
        let file = file_name(&owner.name, c.name(), ext, files);
        sink.write(&file, body.as_bytes())?;
        entry.objects = texts.len();
        entry.file = Some(file);
    }
    finish(core, res, c, entry, birthdays).await
}

/// The rest of a collection's entry: ACL, shares, publication.
async fn finish(
    core: &Core,
    res: &agora_core::Resources<'_>,
    c: &Collection,
    mut entry: CollectionEntry,
    birthdays: bool,
) -> Result<CollectionEntry, Failure> {
    let (grants, _inherited) = res.acl(c).await?;
    for g in grants {
        let grantee = match g.grantee {
            Grantee::Principal(id) => format!("principal:{}", core.directory().by_id(id).await?.name),
            Grantee::Authenticated => "authenticated".to_owned(),
            Grantee::Unauthenticated => "unauthenticated".to_owned(),
            Grantee::All => "all".to_owned(),
        };
        let privileges = Privileges(g.privileges).names().into_iter().map(|(ns, l)| format!("{{{ns}}}{l}")).collect();
        entry.acl.push(AclEntry { grantee, privileges });
    }
    if matches!(c.kind, CollectionKind::Calendar | CollectionKind::Addressbook) && !birthdays {
        for share in res.shares(c).await? {
            let sharee = core.directory().by_id(share.sharee_id).await?;
            let mut properties = BTreeMap::new();
            if let Some(mount) = &share.mount_path {
                // The sharee's own values: what their view shows that the owner's does not.
                let who = Identity { principal_id: sharee.id, name: sharee.name.clone() };
                let theirs = core.resources(&who);
                if let Some(m) = theirs.collection(mount, agora_core::Access::ReadFreeBusy).await? {
                    for (name, xml) in theirs.collection_properties(&m).await? {
                        if entry.properties.get(&name) != Some(&xml) {
                            properties.insert(name, xml);
                        }
                    }
                }
            }
            entry.shares.push(ShareEntry {
                sharee: sharee.name,
                access: share.access.as_str().to_owned(),
                status: share.status.as_str().to_owned(),
                summary: share.summary,
                mount_path: share.mount_path,
                properties,
            });
        }
    }
    if c.kind == CollectionKind::Calendar {
        entry.publish_token = res.publication(c).await?;
    }
    Ok(entry)
}

/// An address book's cards, one after the other, each ending with CRLF.
fn cards(texts: &[String]) -> String {
    let mut out = String::new();
    for t in texts {
        out.push_str(t.trim_end_matches(['\r', '\n']));
        out.push_str("\r\n");
    }
    out
}

/// `OWNER/NAME.EXT`, the collection's name kept to characters every file system
/// takes, made unique among the export's files.
fn file_name(owner: &str, collection: &str, ext: &str, taken: &mut HashSet<String>) -> String {
    let safe: String = collection
        .chars()
        .map(|c| if c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.') { c } else { '_' })
        .collect();
    let safe = safe.trim_start_matches('.');
    let safe = if safe.is_empty() { "collection" } else { safe };
    let mut n = 1;
    loop {
        let candidate = if n == 1 { format!("{owner}/{safe}.{ext}") } else { format!("{owner}/{safe}-{n}.{ext}") };
        if taken.insert(candidate.to_lowercase()) {
            return candidate;
        }
        n += 1;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn file_names_are_safe_and_unique() {
        let mut taken = HashSet::new();
        assert_eq!(file_name("alice", "work", "ics", &mut taken), "alice/work.ics");
        assert_eq!(file_name("alice", "Work", "ics", &mut taken), "alice/Work-2.ics");
        assert_eq!(file_name("alice", "../é x", "vcf", &mut taken), "alice/___x.vcf");
        assert_eq!(file_name("alice", "..", "vcf", &mut taken), "alice/collection.vcf");
    }
}
