//! The birthdays calendar: one read-only calendar in each user's calendar home
//! (`calendars/USER/birthdays/`) holding a yearly all-day event for every
//! birthday and anniversary of the cards in their address books (their own,
//! and those shared with them that they accepted), so that every client sees
//! it — the web page, Thunderbird, DAVx5, Apple — through plain CalDAV.
//!
//! # Design
//! The events are stored like a subscribed feed's: a collection the server
//! fills (`source` = [`SOURCE`], read-only for clients, see
//! [`crate::resources::Resources::current_privileges`]), so GET, multiget,
//! calendar-query through the instance index, expand, sync-collection with real
//! tokens and getctag all work as on any calendar, with no second code path.
//!
//! It is brought up to date lazily, when a request reaches it (the collection
//! itself, or its home's listing): the address books' own sync revisions and
//! the user's language make a small state, kept in a hidden dead property
//! ([`STATE`]); while it matches, the check costs a few indexed lookups and no
//! card is read. When an address book moved, only the cards changed since the
//! recorded revision (its change log, as sync-collection reads it) are parsed;
//! a new or removed address book, or another language, rebuilds the whole.
//! Only events whose bytes change are written, so the calendar's own sync
//! token moves exactly when its content does.
//!
//! Size: at most two events per card (a birthday, an anniversary), about
//! 400 bytes each; 5,000 contacts give at most 10,000 small objects, indexed
//! like any calendar's: a week's query reads the ~1/50 of them the instance
//! index finds (all-day dates are inexact hits, parsed to decide). Measured
//! figures are in docs/decisions.md.

use std::collections::{HashMap, HashSet};

use agora_ical::Language as Lang;
use agora_ical::birthdays::Occasion;
use agora_store::{
    Collection, CollectionId, CollectionKind, NewObject, PrincipalId, PropertyChange, ShareAccess, ShareStatus,
    WriteCondition, WriteRules,
};

use crate::error::Result;
use crate::resources::{etag, validate};
use crate::{Core, now};

/// Its name in the calendar home.
pub const NAME: &str = "birthdays";
/// `Collection::source` of birthdays calendars.
pub const SOURCE: &str = "birthdays";
/// The hidden dead property recording what the content was computed from.
pub const STATE: &str = "{urn:x-agora:ns}birthdays-state";
/// `DAV:displayname`'s Clark name.
const DISPLAYNAME: &str = "{DAV:}displayname";
/// How many cards are read at once during a rebuild (cards may carry photos).
const CARDS_PER_READ: usize = 200;

/// Whether `c` is a birthdays calendar.
pub fn is_birthdays(c: &Collection) -> bool {
    c.source.as_deref() == Some(SOURCE)
}

/// The dead properties a new birthdays calendar starts with: its name in
/// English (the refresh renames it in the user's language) and
/// `schedule-calendar-transp` transparent (RFC 6638 §9.1: never busy time).
pub fn initial_properties() -> Vec<(String, String)> {
    vec![
        (DISPLAYNAME.into(), displayname_xml(Lang::En)),
        (
            "{urn:ietf:params:xml:ns:caldav}schedule-calendar-transp".into(),
            "<C:schedule-calendar-transp xmlns:C=\"urn:ietf:params:xml:ns:caldav\"><C:transparent/></C:schedule-calendar-transp>"
                .into(),
        ),
    ]
}

fn displayname_xml(lang: Lang) -> String {
    format!("<D:displayname xmlns:D=\"DAV:\">{}</D:displayname>", lang.calendar_name())
}

/// What the content was computed from: the language and each source address
/// book's revision, by id.
#[derive(Debug, Clone, PartialEq, Eq)]
struct State {
    lang: Lang,
    books: Vec<(CollectionId, i64)>,
}

impl State {
    fn encode(&self) -> String {
        let books: Vec<String> = self.books.iter().map(|(id, rev)| format!("{id}:{rev}")).collect();
        format!("1;{};{}", self.lang.tag(), books.join(","))
    }

    fn decode(s: &str) -> Option<State> {
        let mut parts = s.trim().splitn(3, ';');
        if parts.next()? != "1" {
            return None;
        }
        let lang = Lang::from_tag(parts.next()?)?;
        let mut books = Vec::new();
        for pair in parts.next()?.split(',').filter(|p| !p.is_empty()) {
            let (id, rev) = pair.split_once(':')?;
            books.push((id.parse().ok()?, rev.parse().ok()?));
        }
        Some(State { lang, books })
    }

    fn xml(&self) -> String {
        format!("<A:birthdays-state xmlns:A=\"urn:x-agora:ns\">{}</A:birthdays-state>", self.encode())
    }

    /// The state in a stored property's XML (the text of its element).
    fn from_xml(xml: &str) -> Option<State> {
        let text = xml.split_once('>')?.1.rsplit_once("</")?.0;
        State::decode(text)
    }
}

/// The member name of an occasion of the card `card` of address book `book`.
fn event_name(book: CollectionId, card: &str, occasion: Occasion) -> String {
    format!("{}-{}.ics", &etag(format!("{book}/{card}").as_bytes())[..20], occasion.word())
}

/// The UID of an occasion of the card with UID `uid` in `book` (the book is
/// part of it: the same card may be in two address books).
fn event_uid(book: CollectionId, uid: &str, occasion: Occasion) -> String {
    format!("{}-{}@birthdays.agora", &etag(format!("{book}/{uid}").as_bytes())[..24], occasion.word())
}

impl Core {
    /// `c` brought up to date when it is a birthdays calendar (see the module
    /// doc), else `c` as it is.
    pub(crate) async fn current_birthdays(&self, c: Collection) -> Result<Collection> {
        if !is_birthdays(&c) {
            return Ok(c);
        }
        let wanted = self.birthdays_state(c.owner_id).await?;
        if self.stored_birthdays_state(&c).await? == Some(wanted.clone()) {
            return Ok(c);
        }
        // One rebuild at a time in this process; another request waiting here
        // finds the work done.
        let _gate = self.birthdays_gate.lock().await;
        let stored = self.stored_birthdays_state(&c).await?;
        if stored.as_ref() == Some(&wanted) {
            return Ok(self.store.collection(&c.path).await?.unwrap_or(c));
        }
        let started = std::time::Instant::now();
        let (written, removed) = self.refresh_birthdays(&c, stored.as_ref(), &wanted).await?;
        let mut changes = vec![PropertyChange::Set(STATE.into(), wanted.xml())];
        // The default name follows the user's language; a name they chose stays.
        let names: Vec<String> = [Lang::En, Lang::Fr].into_iter().map(displayname_xml).collect();
        let current = self.store.collection_properties_named(&[c.id], &[DISPLAYNAME]).await?;
        let default_name = current.first().is_none_or(|(_, _, xml)| names.contains(xml));
        if default_name && current.first().map(|p| &p.2) != Some(&displayname_xml(wanted.lang)) {
            changes.push(PropertyChange::Set(DISPLAYNAME.into(), displayname_xml(wanted.lang)));
        }
        self.store.patch_collection(c.id, &changes, &WriteRules::NONE, now()).await?;
        tracing::debug!(calendar = %c.path, written, removed, ms = started.elapsed().as_millis() as u64, "birthdays refreshed");
        Ok(self.store.collection(&c.path).await?.unwrap_or(c))
    }

    async fn stored_birthdays_state(&self, c: &Collection) -> Result<Option<State>> {
        let props = self.store.collection_properties_named(&[c.id], &[STATE]).await?;
        Ok(props.first().and_then(|(_, _, xml)| State::from_xml(xml)))
    }

    /// The address books whose cards fill `owner`'s birthdays calendar: their
    /// own, and those shared with them (read or read-write) that they accepted;
    /// not the global address list. Ordered by id.
    async fn birthday_sources(&self, owner: PrincipalId) -> Result<Vec<Collection>> {
        let mut books: Vec<Collection> = self
            .store
            .collections_of(owner)
            .await?
            .into_iter()
            .filter(|c| c.kind == CollectionKind::Addressbook && c.source.is_none() && c.share_id.is_none())
            .collect();
        for share in self.store.shares_to(owner).await? {
            if share.status != ShareStatus::Accepted || share.access == ShareAccess::FreeBusy {
                continue;
            }
            if let Some(c) = self.store.collection_by_id(share.collection_id).await?
                && c.kind == CollectionKind::Addressbook
                && c.source.is_none()
            {
                books.push(c);
            }
        }
        books.sort_by_key(|c| c.id);
        books.dedup_by_key(|c| c.id);
        Ok(books)
    }

    async fn birthdays_state(&self, owner: PrincipalId) -> Result<State> {
        let books = self.birthday_sources(owner).await?.iter().map(|c| (c.id, c.revision)).collect();
        Ok(State { lang: self.language_of(owner).await, books })
    }

    /// Writes what changed between `old` and `new`: incrementally from the
    /// address books' change logs when only revisions moved, else everything.
    /// Returns (events written, events removed).
    async fn refresh_birthdays(&self, c: &Collection, old: Option<&State>, new: &State) -> Result<(usize, usize)> {
        let same_books = |o: &State| {
            o.lang == new.lang
                && o.books.len() == new.books.len()
                && o.books.iter().zip(&new.books).all(|(a, b)| a.0 == b.0 && a.1 <= b.1)
        };
        let mut wanted: HashMap<String, NewObject> = HashMap::new();
        let mut considered: HashSet<String> = HashSet::new();
        match old.filter(|o| same_books(o)) {
            Some(old) => {
                for (&(book, from), &(_, to)) in old.books.iter().zip(&new.books) {
                    if from == to {
                        continue;
                    }
                    let (changes, _) = self.store.changes_since(book, from, None).await?;
                    for change in &changes {
                        considered.extend(Occasion::ALL.iter().map(|o| event_name(book, &change.name, *o)));
                    }
                    let alive: Vec<String> = changes.into_iter().filter(|ch| !ch.deleted).map(|ch| ch.name).collect();
                    self.birthday_events(c, book, &alive, new.lang, &mut wanted).await?;
                }
            }
            None => {
                considered.extend(self.store.object_metas(c.id).await?.into_iter().map(|m| m.name));
                for &(book, _) in &new.books {
                    let names: Vec<String> = self.store.object_metas(book).await?.into_iter().map(|m| m.name).collect();
                    self.birthday_events(c, book, &names, new.lang, &mut wanted).await?;
                }
            }
        }
        // The current ETags of the events concerned: one by one for the few
        // cards of an edit, all at once for a rebuild.
        let existing: HashMap<String, String> = if considered.len() <= CARDS_PER_READ {
            let mut found = HashMap::new();
            for name in &considered {
                if let Some(m) = self.store.object_meta(c.id, name).await? {
                    found.insert(m.name, m.etag);
                }
            }
            found
        } else {
            self.store.object_metas(c.id).await?.into_iter().map(|m| (m.name, m.etag)).collect()
        };
        // Removals first (the store applies them first): a card deleted and
        // another with its UID created in the same pass give an event of the
        // same UID under a new name.
        let deletes: Vec<String> =
            considered.into_iter().filter(|n| existing.contains_key(n) && !wanted.contains_key(n)).collect();
        let puts: Vec<(String, NewObject)> =
            wanted.into_iter().filter(|(name, o)| existing.get(name) != Some(&o.etag)).collect();
        let done = (puts.len(), deletes.len());
        if puts.is_empty() && deletes.is_empty() {
            return Ok(done);
        }
        // One transaction: a first build of thousands of events is one commit.
        match self.store.write_objects(c.id, &puts, &deletes, now()).await {
            Ok(()) => Ok(done),
            // One bad event must not stop the calendar from following the
            // others: one write each, the refused ones left out.
            Err(agora_store::StoreError::Conflict(_)) => {
                for name in &deletes {
                    self.store.delete_object(c.id, name, &WriteCondition::Always, &WriteRules::NONE, now()).await?;
                }
                for (name, object) in &puts {
                    let rules = WriteRules::NONE;
                    let written = self.store.put_object(c.id, name, object, &WriteCondition::Always, &rules, now());
                    match written.await {
                        Ok(_) => {}
                        Err(agora_store::StoreError::Conflict(e)) => {
                            tracing::warn!(calendar = %c.path, event = %name, error = ?e, "birthday event not stored")
                        }
                        Err(e) => return Err(e.into()),
                    }
                }
                Ok(done)
            }
            Err(e) => Err(e.into()),
        }
    }

    /// Adds to `out` the events of the cards `names` of `book` (read a few at a time).
    async fn birthday_events(
        &self,
        c: &Collection,
        book: CollectionId,
        names: &[String],
        lang: Lang,
        out: &mut HashMap<String, NewObject>,
    ) -> Result<()> {
        for chunk in names.chunks(CARDS_PER_READ) {
            for card in self.store.objects_named(book, chunk).await? {
                // A card the server accepted always parses; one that no longer
                // does (an older server's rules) simply has no events.
                let Ok(dates) = agora_ical::birthdays::card_dates(&card.data) else { continue };
                for date in &dates.dates {
                    let uid = event_uid(book, &dates.uid, date.occasion);
                    let text = agora_ical::birthdays::event(&dates, date, &uid, lang);
                    match validate::calendar(c, text.into_bytes(), None) {
                        Ok(object) => {
                            out.insert(event_name(book, &card.meta.name, date.occasion), object);
                        }
                        Err(e) => tracing::warn!(card = %card.meta.name, error = %e, "birthday event refused"),
                    }
                }
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn states_round_trip() {
        let s = State { lang: Lang::Fr, books: vec![(3, 17), (9, 0)] };
        assert_eq!(s.encode(), "1;fr;3:17,9:0");
        assert_eq!(State::from_xml(&s.xml()), Some(s));
        let empty = State { lang: Lang::En, books: vec![] };
        assert_eq!(State::from_xml(&empty.xml()), Some(empty));
        assert_eq!(State::decode("2;en;"), None, "another format is no state: a rebuild");
        assert_eq!(State::decode("1;en;3:x"), None);
    }

    #[test]
    fn names_and_uids_are_stable_and_distinct() {
        assert_eq!(event_name(3, "a.vcf", Occasion::Birthday), event_name(3, "a.vcf", Occasion::Birthday));
        assert_ne!(event_name(3, "a.vcf", Occasion::Birthday), event_name(4, "a.vcf", Occasion::Birthday));
        assert!(event_name(3, "a.vcf", Occasion::Anniversary).ends_with("-anniversary.ics"));
        assert_ne!(event_uid(3, "u", Occasion::Birthday), event_uid(3, "u", Occasion::Anniversary));
        assert_ne!(event_uid(3, "u", Occasion::Birthday), event_uid(4, "u", Occasion::Birthday));
    }
}
