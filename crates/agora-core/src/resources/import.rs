//! Importing a calendar or address book file (`agora import`): a migration
//! writes what another system already scheduled, so nothing here sends an
//! invitation, a cancellation or a reply — imported data never triggers
//! scheduling. Objects are matched by UID, so importing a file again updates
//! what it imported before instead of duplicating it.

use agora_store::{Collection, CollectionKind, WriteCondition};

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
            let mut object = match validate::prepare(c, body.into_bytes(), None, self.core.config.max_resource_size) {
                Ok(prepared) => prepared.object,
                Err(e) => {
                    done.skipped.push((uid, e.to_string()));
                    continue;
                }
            };
            if agora_ical::itip::scheduling(&String::from_utf8_lossy(&object.data)).is_some() {
                // Clients need a Schedule-Tag to answer with If-Schedule-Tag-Match.
                object.schedule_tag = Some(crate::scheduling::new_schedule_tag());
            }
            let existing = self.store().objects_by_uid(&[c.id], &uid).await?.into_iter().next();
            if existing.as_ref().is_some_and(|o| o.meta.etag == object.etag) {
                done.unchanged += 1;
                continue;
            }
            let name = existing.map_or_else(|| format!("{}.{ext}", &etag(uid.as_bytes())[..20]), |o| o.meta.name);
            // The same locks and quota as a PUT, checked inside the write.
            let rules =
                self.write_rules(Self::lock_checks(&self.lock_path(c, &name).await?, false), Some(c.owner_id)).await?;
            let written = self.store().put_object(c.id, &name, &object, &WriteCondition::Always, &rules, now()).await;
            let outcome = match written {
                Ok(outcome) => outcome,
                Err(e @ (agora_store::StoreError::Locked(_) | agora_store::StoreError::QuotaExceeded)) => {
                    done.skipped.push((uid, crate::CoreError::from(e).to_string()));
                    continue;
                }
                Err(e) => return Err(e.into()),
            };
            if outcome.created {
                done.created += 1;
            } else {
                done.updated += 1;
            }
        }
        Ok(done)
    }
}
