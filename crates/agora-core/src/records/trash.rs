//! The trash as users see it: what they deleted from their calendars and
//! address books, restorable by them (or an operator acting for them) until it
//! is purged after [`super::RecordsConfig::trash_days`], unless a legal hold
//! keeps it. A restore writes the bytes back through the same validation as a
//! PUT ([`crate::resources::validate::prepare`]) and the store's restore, in one
//! transaction: the sync log records the object as new again (clients holding a
//! token after the deletion fetch it), and its ETag is that of its bytes, as
//! before. Restoring never schedules: the attendees of a meeting deleted and
//! restored are not invited again (they were told of the cancellation).

use agora_store::{Collection, CollectionKind, HoldScope, NewCollection, TrashContent, TrashEntry};

use crate::error::{CoreError, Result};
use crate::resources::{Access, Resources, parent_of, validate};
use crate::{Core, now};

/// Seconds in a day.
const DAY: i64 = 86_400;

/// A trash entry as a person reads it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TrashItem {
    /// The entry (its id is what a restore names).
    pub entry: TrashEntry,
    /// What it was: `VEVENT`, `VTODO`, `VJOURNAL`, `VCARD`, `calendar`,
    /// `addressbook` or `collection`.
    pub what: String,
    /// What a person knows it by: SUMMARY, FN or the display name (else the name).
    pub label: String,
    /// Who deleted it.
    pub deleted_by: Option<String>,
    /// When it will be purged; `None` while a legal hold keeps it.
    pub purge_at: Option<i64>,
}

/// Where a restore put an entry back.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Restored {
    /// The path of the restored object or collection.
    pub path: String,
    /// Objects written back.
    pub objects: usize,
}

impl Resources<'_> {
    /// Whether deleting from `c` keeps what goes in the trash: the data users
    /// write (calendars, address books, plain collections), not what the server
    /// fills (subscriptions' objects, birthdays, the directory) or schedule boxes.
    pub(crate) fn keeps_deleted(&self, c: &Collection) -> bool {
        self.core.config.records.trash_days > 0
            && matches!(c.kind, CollectionKind::Calendar | CollectionKind::Addressbook | CollectionKind::Plain)
            && c.source.is_none()
    }

    /// The user's trash, newest first.
    pub async fn trash(&self) -> Result<Vec<TrashItem>> {
        let entries = self.store().trash_of(self.who.principal_id).await?;
        let holds = self.store().holds().await?;
        let mut out = Vec::with_capacity(entries.len());
        for entry in entries {
            let content = self.store().trash_content(entry.id).await?;
            out.push(self.core.describe(entry, content.as_ref(), &holds).await?);
        }
        Ok(out)
    }

    /// Puts a trash entry of the user's back where it was. Refused (and kept in
    /// the trash) when something has taken its place, when its collection is
    /// gone, or when a UID in it is used by another object meanwhile.
    pub async fn restore(&self, id: i64) -> Result<Restored> {
        let content = self.owned_entry(id).await?;
        let entry = &content.entry;
        let restored = if entry.is_collection {
            self.restore_collection(&content).await?
        } else {
            self.restore_object(&content).await?
        };
        Ok(restored)
    }

    /// Deletes a trash entry of the user's for good, unless a hold keeps it.
    pub async fn purge(&self, id: i64) -> Result<()> {
        let content = self.owned_entry(id).await?;
        if self.store().purge_trash(i64::MAX, Some(self.who.principal_id), Some(id)).await? == 0 {
            return Err(CoreError::Forbidden(format!(
                "/{} is under legal hold: it cannot be deleted for good",
                content.entry.path
            )));
        }
        self.core.record(Some(self.who), "purge", &content.entry.path, None).await
    }

    /// A trashed object's media type and bytes (to look at before restoring).
    pub async fn trashed_object(&self, id: i64) -> Result<(String, Vec<u8>)> {
        let content = self.owned_entry(id).await?;
        match content.objects.into_iter().next() {
            Some(o) if !content.entry.is_collection => Ok((o.content_type, o.data)),
            _ => Err(CoreError::NotFound { what: "trashed object", name: id.to_string() }),
        }
    }

    async fn owned_entry(&self, id: i64) -> Result<TrashContent> {
        match self.store().trash_content(id).await? {
            Some(c) if c.entry.owner_id == self.who.principal_id => Ok(c),
            _ => Err(CoreError::NotFound { what: "trash entry", name: id.to_string() }),
        }
    }

    async fn restore_object(&self, content: &TrashContent) -> Result<Restored> {
        let entry = &content.entry;
        let object = content.objects.first().ok_or_else(|| CoreError::Invalid("an empty trash entry".into()))?;
        let parent = parent_of(&entry.path).unwrap_or_default();
        let c = self.collection(&parent, Access::Write).await?.ok_or_else(|| {
            CoreError::Conflict(format!("/{parent} no longer exists: restore it first, or create it again"))
        })?;
        let prepared =
            validate::prepare(&c, object.data.clone(), Some(&object.content_type), self.core.config.max_resource_size)?;
        let mut rules = self.write_rules(Self::lock_checks(&entry.path, false), Some(c.owner_id)).await?;
        rules.audit = Some(crate::records::audit::context(Some(self.who), &entry.path));
        self.store()
            .restore_object(entry.id, c.id, &object.name, &prepared.object, &object.properties, &rules, now())
            .await
            .map_err(|e| taken(e, &entry.path))?;
        Ok(Restored { path: entry.path.clone(), objects: 1 })
    }

    async fn restore_collection(&self, content: &TrashContent) -> Result<Restored> {
        let entry = &content.entry;
        let parent = parent_of(&entry.path).unwrap_or_default();
        let home = self.collection(&parent, Access::Write).await?.ok_or_else(|| {
            CoreError::Conflict(format!("/{parent} no longer exists: the collection has nowhere to go back to"))
        })?;
        let mut collections = Vec::new();
        let mut objects = Vec::new();
        for t in &content.collections {
            let path = format!("{}{}", entry.path, t.rel_path);
            let shape = Collection {
                id: 0,
                owner_id: home.owner_id,
                path: path.clone(),
                parent_id: None,
                kind: t.kind,
                components: t.components,
                revision: 0,
                created_at: 0,
                modified_at: 0,
                source: None,
                share_id: None,
            };
            // A subscription's objects come back from its feed at the next refresh.
            if t.source.is_none() {
                for o in content.objects.iter().filter(|o| o.rel_path == t.rel_path) {
                    let max = self.core.config.max_resource_size;
                    let prepared = validate::prepare(&shape, o.data.clone(), Some(&o.content_type), max)
                        .map_err(|e| CoreError::Invalid(format!("/{path}{}: {e}", o.name)))?;
                    objects.push((path.clone(), o.name.clone(), prepared.object, o.properties.clone()));
                }
            }
            collections.push(NewCollection {
                owner_id: home.owner_id,
                parent_path: parent_of(&path),
                path,
                kind: t.kind,
                components: t.components,
                properties: t.properties.clone(),
                source: t.source.clone(),
                grants: Vec::new(),
            });
        }
        let mut rules = self.write_rules(Self::lock_checks(&entry.path, true), Some(home.owner_id)).await?;
        rules.audit = Some(crate::records::audit::context(Some(self.who), &entry.path));
        let count = objects.len();
        self.store()
            .restore_collection(entry.id, &collections, &objects, &rules, now())
            .await
            .map_err(|e| taken(e, &entry.path))?;
        if content.collections.iter().any(|c| c.source.is_some()) {
            self.core.subscriptions_changed().notify_one();
        }
        Ok(Restored { path: entry.path.clone(), objects: count })
    }
}

/// A restore refused because something took the entry's place, in words.
fn taken(e: agora_store::StoreError, path: &str) -> CoreError {
    match e {
        agora_store::StoreError::PreconditionFailed => {
            CoreError::Conflict(format!("/{path} exists again (or was restored already): rename or delete it first"))
        }
        agora_store::StoreError::Conflict(agora_store::Conflict::Path(_)) => {
            CoreError::Conflict(format!("/{path} exists again: rename or delete it first"))
        }
        other => other.into(),
    }
}

impl Core {
    /// Purges what has been in the trash longer than the retention time and
    /// no hold keeps. Returns how many entries went.
    pub async fn purge_expired_trash(&self) -> Result<u64> {
        let days = i64::from(self.config.records.trash_days.max(1));
        let purged = self.store.purge_trash(now() - days * DAY, None, None).await?;
        if purged > 0 {
            tracing::info!(purged, "trash purged");
        }
        Ok(purged)
    }

    /// An entry in words (what, its label, who deleted it, when it goes).
    async fn describe(
        &self,
        entry: TrashEntry,
        content: Option<&TrashContent>,
        holds: &[agora_store::Hold],
    ) -> Result<TrashItem> {
        let held = holds.iter().any(|h| match &h.scope {
            HoldScope::Principal(p) => *p == entry.owner_id,
            HoldScope::Path(p) => entry.path.starts_with(p.as_str()) || p.starts_with(entry.path.as_str()),
        });
        let name = entry.path.trim_end_matches('/').rsplit('/').next().unwrap_or_default().to_owned();
        let (what, label) = match content {
            Some(c) if entry.is_collection => {
                let root = c.collections.iter().find(|t| t.rel_path.is_empty());
                let what = match root.map(|t| t.kind) {
                    Some(CollectionKind::Calendar) => "calendar",
                    Some(CollectionKind::Addressbook) => "addressbook",
                    _ => "collection",
                };
                let label = root.and_then(|t| display_name(&t.properties)).unwrap_or(name);
                (what.to_owned(), label)
            }
            Some(c) => match c.objects.first() {
                Some(o) => object_label(&o.data).unwrap_or(("resource".to_owned(), name)),
                None => ("resource".to_owned(), name),
            },
            None => ("resource".to_owned(), name),
        };
        let deleted_by = match entry.deleted_by {
            Some(id) => self.store.principal_by_id(id).await?.map(|p| p.name),
            None => None,
        };
        let days = i64::from(self.config.records.trash_days.max(1));
        let purge_at = (!held).then_some(entry.deleted_at + days * DAY);
        Ok(TrashItem { entry, what, label, deleted_by, purge_at })
    }
}

/// `DAV:displayname` among stored dead properties, as text.
fn display_name(props: &[(String, String)]) -> Option<String> {
    let (_, xml) = props.iter().find(|(n, _)| n == "{DAV:}displayname")?;
    let start = xml.find('>')? + 1;
    let end = xml.rfind("</")?;
    let text = xml.get(start..end)?.trim();
    (!text.is_empty()).then(|| text.replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&"))
}

/// An object's component and SUMMARY (or a card's FN), read from its bytes.
fn object_label(data: &[u8]) -> Option<(String, String)> {
    if let Ok(object) = agora_ical::CalendarObject::parse(data) {
        return Some((object.kind().as_str().to_owned(), object.summary().unwrap_or_default()));
    }
    let card = agora_ical::vcard::parse_vcard(data).ok()?;
    Some(("VCARD".to_owned(), card.full_name.unwrap_or_default()))
}
