//! Importing a calendar or address book file (`agora import`): a migration
//! writes what another system already scheduled, so nothing here sends an
//! invitation, a cancellation or a reply — imported data never triggers
//! scheduling. Objects are matched by UID, so importing a file again updates
//! what it imported before instead of duplicating it.
//!
//! [`Resources::import_one`] is the one way an import writes (a file's objects,
//! `agora migrate`'s objects fetched from another server);
//! [`Resources::unimport`] removes what a migration brought, without
//! cancelling anything either.

use agora_store::{Collection, CollectionKind, ObjectMeta, PutOutcome, StoreError, WriteCondition};

use super::{Access, Resources, etag, validate};
use crate::error::{CoreError, Result};
use crate::now;

/// What an import did.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Imported {
    /// Objects created.
    pub created: usize,
    /// Objects replaced (same UID).
    pub updated: usize,
    /// Objects already stored with the same bytes: not written again, so an
    /// import run twice leaves the sync token where it was.
    pub unchanged: usize,
    /// Objects left out, by UID, with the reason.
    pub skipped: Vec<(String, String)>,
}

impl Resources<'_> {
    /// Imports an iCalendar stream into a calendar, or a vCard stream into an
    /// address book, one object per UID, without scheduling.
    pub async fn import(&self, c: &Collection, text: &str) -> Result<Imported> {
        self.authorize(c, Access::Write).await?;
        let (items, ext) = match c.kind {
            CollectionKind::Calendar => (agora_ical::feed::split(text), "ics"),
            CollectionKind::Addressbook => (agora_ical::vcard::split_cards(text), "vcf"),
            _ => return Err(CoreError::Invalid(format!("/{} is not a calendar or an address book", c.path))),
        };
        if items.is_empty() {
            return Err(CoreError::Invalid(format!(
                "the file holds no {} with a UID",
                if ext == "ics" { "event, task or journal entry" } else { "vCard" }
            )));
        }
        let mut done = Imported::default();
        for (uid, body) in items {
            match self.import_one(c, None, body.into_bytes()).await? {
                ImportedOne::Written(outcome) if outcome.created => done.created += 1,
                ImportedOne::Written(_) => done.updated += 1,
                ImportedOne::Unchanged(_) => done.unchanged += 1,
                ImportedOne::Skipped(e) => done.skipped.push((uid, e.to_string())),
            }
        }
        Ok(done)
    }

    /// Writes one object (one UID) into `c` without scheduling. An object of
    /// the same UID already in `c` is replaced under its own name; otherwise the
    /// object is created as `name` when given (a migration keeps the source's
    /// resource names), else under a name made from the UID. What the object
    /// itself breaks (invalid data, too large, a component the calendar does not
    /// take, a lock, the quota, a meeting already in another of the owner's
    /// calendars: RFC 6638 §3.2.4.1) is [`ImportedOne::Skipped`]; only a failure
    /// of the store or of access is an error.
    pub async fn import_one(&self, c: &Collection, name: Option<&str>, data: Vec<u8>) -> Result<ImportedOne> {
        self.authorize(c, Access::Write).await?;
        let ext = if c.kind == CollectionKind::Addressbook { "vcf" } else { "ics" };
        let mut object = match validate::prepare(c, data, None, self.core.config.max_resource_size) {
            Ok(prepared) => prepared.object,
            Err(e) => return Ok(ImportedOne::Skipped(e)),
        };
        let Some(uid) = object.uid.clone() else {
            return Ok(ImportedOne::Skipped(CoreError::Invalid("the object has no UID".into())));
        };
        let existing = self.store().objects_by_uid(&[c.id], &uid).await?.into_iter().next();
        // The same bytes again: nothing to write, and the sync token stays put.
        if let Some(o) = existing.as_ref().filter(|o| o.meta.etag == object.etag) {
            return Ok(ImportedOne::Unchanged(o.meta.clone()));
        }
        let name = match (existing, name) {
            (Some(o), _) => o.meta.name,
            (None, Some(wanted)) => wanted.to_owned(),
            (None, None) => format!("{}.{ext}", &etag(uid.as_bytes())[..20]),
        };
        if let Some(sched) = agora_ical::itip::scheduling(&String::from_utf8_lossy(&object.data)) {
            let owner = self.principal(c.owner_id).await?;
            if let Some((k, other)) = self.core.other_scheduling_object(&owner, &sched.uid, (c, &name), None).await? {
                let path = format!("{}{}", k.path, other.meta.name);
                return Ok(ImportedOne::Skipped(crate::error::Rule::UniqueSchedulingObject { path }.into()));
            }
            // Clients need a Schedule-Tag to answer with If-Schedule-Tag-Match.
            object.schedule_tag = Some(crate::scheduling::new_schedule_tag());
        }
        // The same locks and quota as a PUT, checked inside the write.
        let rules =
            self.write_rules(Self::lock_checks(&self.lock_path(c, &name).await?, false), Some(c.owner_id)).await?;
        match self.store().put_object(c.id, &name, &object, &WriteCondition::Always, &rules, now()).await {
            Ok(outcome) => Ok(ImportedOne::Written(outcome)),
            Err(e @ (StoreError::Locked(_) | StoreError::QuotaExceeded | StoreError::Conflict(_))) => {
                Ok(ImportedOne::Skipped(e.into()))
            }
            Err(e) => Err(e.into()),
        }
    }

    /// Deletes `name` from `c` if it is still the version `etag` (what a
    /// migration wrote), without scheduling: no cancellation, no reply.
    /// Returns false when it is gone already; [`CoreError::PreconditionFailed`]
    /// when it changed since.
    pub async fn unimport(&self, c: &Collection, name: &str, etag: &str) -> Result<bool> {
        self.authorize(c, Access::Write).await?;
        validate::read_only(c, "unbind")?;
        if self.store().object_meta(c.id, name).await?.is_none() {
            return Ok(false);
        }
        let mut rules = self.write_rules(Self::lock_checks(&self.lock_path(c, name).await?, true), None).await?;
        // Mirrored deletions are kept in the trash like any other.
        rules.trash = self.keeps_deleted(c);
        let condition = WriteCondition::IfMatch(vec![etag.to_owned()]);
        Ok(self.store().delete_object(c.id, name, &condition, &rules, now()).await?)
    }
}

/// What [`Resources::import_one`] did with one object.
#[derive(Debug)]
pub enum ImportedOne {
    /// Stored (`created` tells whether it is new).
    Written(PutOutcome),
    /// Already stored with the same bytes: not written again.
    Unchanged(ObjectMeta),
    /// Left out, and why.
    Skipped(CoreError),
}
