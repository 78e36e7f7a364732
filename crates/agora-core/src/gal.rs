//! The global address list: one read-only address book the server fills with a
//! vCard for every user, group (members listed) and resource of the directory,
//! mounted in every user's address-book home as `directory` (draft-daboo-carddav-
//! directory-gateway: CARDDAV:directory-gateway names it). It is stored like any
//! address book, so sync-collection, multiget and addressbook-query work on it as
//! on the user's own, and a change of the directory reaches phones as a sync.
//!
//! It belongs to a system principal (`.directory`: names starting with a dot are
//! refused for users and left out of listings), shared read-only with each user.

use std::collections::HashMap;

use agora_store::{NewCollection, NewObject, NewPrincipal, Principal, PrincipalKind, ResourceKind, WriteCondition};
use sha2::{Digest, Sha256};

use crate::error::Result;
use crate::resources::{etag, homes};
use crate::{Core, now};

/// The system principal that owns the global address list.
pub const OWNER: &str = ".directory";
/// Where the global address list is stored.
pub const PATH: &str = "addressbooks/.directory/gal/";
/// Its name in each user's address-book home.
pub const MOUNT_NAME: &str = "directory";
/// `Collection::source` of the global address list.
pub const SOURCE: &str = "directory";

/// What a refresh changed.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct Refreshed {
    /// Cards added or changed.
    pub written: usize,
    /// Cards removed.
    pub removed: usize,
}

impl Core {
    /// The global address list, created on first use.
    pub async fn gal(&self) -> Result<agora_store::Collection> {
        if let Some(c) = self.store.collection(PATH).await? {
            return Ok(c);
        }
        let owner = match self.store.principal(OWNER).await? {
            Some(p) => p,
            None => {
                let new = NewPrincipal {
                    kind: PrincipalKind::Group,
                    name: OWNER.into(),
                    display_name: "Directory".into(),
                    resource_kind: None,
                    emails: Vec::new(),
                    password_hash: None,
                };
                match self.store.insert_principal(&new, now()).await {
                    Ok(p) => p,
                    // Another process made it first.
                    Err(agora_store::StoreError::Conflict(_)) => {
                        self.store.principal(OWNER).await?.ok_or_else(|| crate::CoreError::Conflict(OWNER.into()))?
                    }
                    Err(e) => return Err(e.into()),
                }
            }
        };
        let home = homes::addressbook_home(OWNER);
        let display = "<D:displayname xmlns:D=\"DAV:\">Directory</D:displayname>".to_owned();
        let collections = [
            NewCollection {
                owner_id: owner.id,
                path: home.clone(),
                parent_path: None,
                kind: agora_store::CollectionKind::AddressbookHome,
                components: agora_store::Components(0),
                properties: Vec::new(),
                source: None,
                grants: Vec::new(),
            },
            NewCollection {
                owner_id: owner.id,
                path: PATH.into(),
                parent_path: Some(home),
                kind: agora_store::CollectionKind::Addressbook,
                components: agora_store::Components(0),
                properties: vec![("{DAV:}displayname".into(), display)],
                source: Some(SOURCE.into()),
                grants: Vec::new(),
            },
        ];
        self.store.provision(&collections, now()).await?;
        self.store.collection(PATH).await?.ok_or_else(|| crate::CoreError::Conflict(PATH.into()))
    }

    /// Brings the global address list in line with the directory: only cards whose
    /// bytes changed are written, so clients sync just the difference.
    pub async fn refresh_gal(&self) -> Result<Refreshed> {
        let gal = self.gal().await?;
        let principals = self.store.principals(None).await?;
        let uids: HashMap<i64, String> = principals.iter().map(|p| (p.id, card_uid(&p.name))).collect();
        let mut wanted = HashMap::new();
        for p in &principals {
            let members = if p.kind == PrincipalKind::Group {
                self.directory().members(&p.name).await?.iter().filter_map(|m| uids.get(&m.id).cloned()).collect()
            } else {
                Vec::new()
            };
            wanted.insert(format!("{}.vcf", p.name), card(p, &members));
        }
        let wanted = wanted
            .into_iter()
            .map(|(name, text)| {
                let object = NewObject {
                    uid: Some(card_uid(name.trim_end_matches(".vcf"))),
                    etag: etag(text.as_bytes()),
                    content_type: "text/vcard; charset=utf-8".into(),
                    data: text.into_bytes(),
                    component: None,
                    span_start: None,
                    span_end: None,
                    class: 0,
                    schedule_tag: None,
                    instances: None,
                };
                (name, object)
            })
            .collect();
        let done = self.replace_contents(gal.id, wanted).await?;
        if done != Refreshed::default() {
            tracing::info!(written = done.written, removed = done.removed, "global address list refreshed");
        }
        Ok(done)
    }
}

impl Core {
    /// Makes a server-filled collection hold exactly `wanted` (name → object):
    /// only objects whose bytes changed are written, the rest removed, so clients
    /// sync just the difference. Shared by the address list and subscribed feeds.
    pub(crate) async fn replace_contents(
        &self,
        collection: agora_store::CollectionId,
        wanted: HashMap<String, NewObject>,
    ) -> Result<Refreshed> {
        let existing: HashMap<String, String> =
            self.store.object_metas(collection).await?.into_iter().map(|m| (m.name, m.etag)).collect();
        let mut done = Refreshed::default();
        for (name, object) in &wanted {
            if existing.get(name) != Some(&object.etag) {
                self.store
                    .put_object(
                        collection,
                        name,
                        object,
                        &WriteCondition::Always,
                        &agora_store::WriteRules::NONE,
                        now(),
                    )
                    .await?;
                done.written += 1;
            }
        }
        for name in existing.keys().filter(|n| !wanted.contains_key(*n)) {
            self.store
                .delete_object(collection, name, &WriteCondition::Always, &agora_store::WriteRules::NONE, now())
                .await?;
            done.removed += 1;
        }
        Ok(done)
    }
}

/// A stable card UID per principal name (`urn:uuid:` form, which Apple's group
/// members reference).
fn card_uid(name: &str) -> String {
    let d = Sha256::digest(format!("agora-directory:{name}").as_bytes());
    let hex: String = d[..16].iter().map(|b| format!("{b:02x}")).collect();
    format!("urn:uuid:{}-{}-{}-{}-{}", &hex[0..8], &hex[8..12], &hex[12..16], &hex[16..20], &hex[20..32])
}

/// vCard text escaping (RFC 6350 §3.4).
fn esc(s: &str) -> String {
    s.replace('\\', "\\\\").replace(',', "\\,").replace(';', "\\;").replace('\n', "\\n")
}

/// The card of a principal, in vCard 3.0 (what Apple Contacts and DAVx5 read
/// natively; 4.0 is served on request by the usual conversion). Groups use Apple's
/// X-ADDRESSBOOKSERVER-KIND/MEMBER, which the conversion maps to KIND/MEMBER.
fn card(p: &Principal, member_uids: &[String]) -> String {
    let mut out = String::from("BEGIN:VCARD\r\nVERSION:3.0\r\nPRODID:-//Agora//Directory//EN\r\n");
    out.push_str(&format!("UID:{}\r\n", card_uid(&p.name)));
    out.push_str(&format!("FN:{}\r\n", esc(&p.display_name)));
    let (given, family) = match p.display_name.trim().rsplit_once(' ') {
        Some((g, f)) if p.kind == PrincipalKind::User => (g.trim(), f.trim()),
        _ => ("", p.display_name.trim()),
    };
    out.push_str(&format!("N:{};{};;;\r\n", esc(family), esc(given)));
    out.push_str(&format!("NICKNAME:{}\r\n", esc(&p.name)));
    for (i, e) in p.emails.iter().enumerate() {
        let pref = if i == 0 { ",PREF" } else { "" };
        out.push_str(&format!("EMAIL;TYPE=INTERNET{pref}:{}\r\n", esc(e)));
    }
    match (p.kind, p.resource_kind) {
        (PrincipalKind::Group, _) => {
            out.push_str("X-ADDRESSBOOKSERVER-KIND:group\r\n");
            for m in member_uids {
                out.push_str(&format!("X-ADDRESSBOOKSERVER-MEMBER:{m}\r\n"));
            }
        }
        (PrincipalKind::Resource, kind) => {
            let what = if kind == Some(ResourceKind::Room) { "Room" } else { "Equipment" };
            out.push_str(&format!("CATEGORIES:{what}\r\nX-AGORA-RESOURCE:{}\r\n", what.to_lowercase()));
            if let Some(capacity) = p.settings.capacity {
                out.push_str(&format!("X-AGORA-CAPACITY:{capacity}\r\n"));
            }
        }
        (PrincipalKind::User, _) => {}
    }
    out.push_str(&format!("REV:{}\r\nEND:VCARD\r\n", agora_ical::format_utc(p.created_at)));
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cards_escape_and_list_members() {
        let p = Principal {
            id: 1,
            kind: PrincipalKind::Group,
            name: "team".into(),
            display_name: "R&D; Lyon, France".into(),
            resource_kind: None,
            emails: vec!["team@example.org".into()],
            created_at: 0,
            settings: Default::default(),
        };
        let text = card(&p, &[card_uid("alice")]);
        assert!(text.contains("FN:R&D\\; Lyon\\, France\r\n"), "{text}");
        assert!(text.contains(&format!("X-ADDRESSBOOKSERVER-MEMBER:{}\r\n", card_uid("alice"))), "{text}");
        assert!(text.contains("EMAIL;TYPE=INTERNET,PREF:team@example.org\r\n"), "{text}");
        assert_ne!(card_uid("alice"), card_uid("bob"));
        assert!(card_uid("alice").starts_with("urn:uuid:") && card_uid("alice").len() == 45);
    }
}
