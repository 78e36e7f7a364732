//! Everything a reader gets of objects, already shaped for them: the one place
//! that applies CLASS (RFC 5545 §3.8.1.3) to readers without write access.
//!
//! Owners and writers get the stored object. Other readers get a CONFIDENTIAL
//! object as a time-only stub (with its own entity tag, its own size, no dead
//! properties) and a PRIVATE one not at all: it is absent from listings, GET,
//! reports and sync, and shows only as busy time in free/busy. Every caller —
//! GET, PROPFIND, each REPORT, sync, COPY, published feeds, exports — reads
//! through these methods, so none decides again; free/busy is computed here and
//! only periods leave.

use agora_ical::freebusy::{self, Period};
use agora_ical::{CalendarObject, TzSpec};
use agora_store::{Change, Collection, CopyShaping, Object, ObjectMeta, ShapedObject, TimeCandidates};

use super::{Access, Resources};
use crate::acl::Privileges;
use crate::error::Result;

/// What a reader gets of a calendar object.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum View {
    /// The stored object.
    Full,
    /// A time-only stub (CLASS:CONFIDENTIAL, for readers without write access).
    TimeOnly,
    /// Nothing but busy time in free/busy (CLASS:PRIVATE or unknown, idem).
    Hidden,
}

/// The view of an object of class `class` for a reader who `writes` or not.
/// A negative class (not yet classified since an upgrade) is treated as PRIVATE
/// until the server has read it: fail closed.
pub(crate) fn view_of(class: i64, writes: bool) -> View {
    match class {
        0 => View::Full,
        _ if writes => View::Full,
        1 => View::TimeOnly,
        _ => View::Hidden,
    }
}

/// The entity tag of a stub: distinct from the stored object's, stable while it is.
fn stub_etag(stored: &str) -> String {
    format!("{stored}-t")
}

/// The time-only stub of stored bytes, `None` if they no longer parse (then
/// nothing is shown rather than something unshaped).
pub(crate) fn stub_bytes(data: &[u8]) -> Option<Vec<u8>> {
    let parsed = CalendarObject::parse(data).ok()?;
    Some(agora_ical::privacy::time_only(&parsed).into_bytes())
}

/// An object as a reader with this view gets it. Metadata-only objects (empty
/// data from an index lookup) keep their empty data.
pub(crate) fn shape(mut object: Object, view: View) -> Option<Object> {
    match view {
        View::Full => Some(object),
        View::Hidden => None,
        View::TimeOnly => {
            object.meta.etag = stub_etag(&object.meta.etag);
            if !object.data.is_empty() {
                object.data = stub_bytes(&object.data)?;
                object.meta.size = object.data.len() as i64;
            }
            Some(object)
        }
    }
}

impl Resources<'_> {
    /// What the user may see of an object: owners and writers everything; other
    /// readers CONFIDENTIAL objects as their times only and PRIVATE ones not at all
    /// (their busy time still shows in free/busy).
    pub async fn view(&self, c: &Collection, object: &ObjectMeta) -> Result<View> {
        if object.class == 0 {
            return Ok(View::Full);
        }
        Ok(view_of(object.class, self.privileges(c).await?.has(Privileges::WRITE)))
    }

    /// Whether the user reads this collection's objects as stored (no shaping).
    async fn reads_all(&self, c: &Collection) -> Result<bool> {
        Ok(self.privileges(c).await?.has(Privileges::WRITE))
    }

    /// Shapes objects read from `c` for the user, dropping what they may not see.
    async fn shape_all(&self, c: &Collection, objects: Vec<Object>) -> Result<Vec<Object>> {
        if objects.iter().all(|o| o.meta.class == 0) || self.reads_all(c).await? {
            return Ok(objects);
        }
        Ok(objects
            .into_iter()
            .filter_map(|o| {
                let view = view_of(o.meta.class, false);
                shape(o, view)
            })
            .collect())
    }

    /// Shapes metadata read from `c`: hidden objects dropped; stubs with their
    /// own entity tag and size (read and built for them, so that a listing's
    /// `getcontentlength` says nothing of the hidden details).
    async fn shape_metas(&self, c: &Collection, metas: Vec<ObjectMeta>) -> Result<Vec<ObjectMeta>> {
        if metas.iter().all(|m| m.class == 0) || self.reads_all(c).await? {
            return Ok(metas);
        }
        let stubs: Vec<String> =
            metas.iter().filter(|m| view_of(m.class, false) == View::TimeOnly).map(|m| m.name.clone()).collect();
        let stubs = if stubs.is_empty() { Vec::new() } else { self.store().objects_named(c.id, &stubs).await? };
        Ok(metas
            .into_iter()
            .filter_map(|m| match view_of(m.class, false) {
                View::Full => Some(m),
                View::Hidden => None,
                View::TimeOnly => {
                    let stored = stubs.iter().find(|o| o.meta.name == m.name)?;
                    shape(Object { meta: m, data: stored.data.clone() }, View::TimeOnly).map(|o| o.meta)
                }
            })
            .collect())
    }

    /// Sub-collections and objects of a collection (for Depth: 1), as the user may see them.
    /// Sub-collections on which the user holds no privilege at all are left out: a
    /// delegate lists the owner's calendar home and sees the calendars, not the
    /// notifications or the scheduling inbox reserved to the owner (RFC 3744 §7.1:
    /// what one may not read is not disclosed).
    pub async fn members(&self, c: &Collection) -> Result<(Vec<Collection>, Vec<ObjectMeta>)> {
        self.authorize(c, Access::Read).await?;
        let all = self.store().subcollections(c.id).await?;
        let held = self.privileges_many(&all.iter().collect::<Vec<_>>(), std::slice::from_ref(c)).await?;
        let mut subs = Vec::new();
        for (sub, privileges) in all.into_iter().zip(held) {
            if privileges.0 != 0 {
                // A home's listing shows the birthdays calendar's current sync token.
                subs.push(self.core.current_birthdays(sub).await?);
            }
        }
        let metas = self.store().object_metas(c.id).await?;
        Ok((subs, self.shape_metas(c, metas).await?))
    }

    /// One object's metadata, as the user may see it (`None` when hidden).
    pub async fn object_meta(&self, c: &Collection, name: &str) -> Result<Option<ObjectMeta>> {
        self.authorize(c, Access::Read).await?;
        let Some(meta) = self.store().object_meta(c.id, name).await? else { return Ok(None) };
        Ok(self.shape_metas(c, vec![meta]).await?.pop())
    }

    /// One object with its bytes, as the user may see them.
    pub async fn object(&self, c: &Collection, name: &str) -> Result<Option<Object>> {
        self.authorize(c, Access::Read).await?;
        let Some(object) = self.store().object(c.id, name).await? else { return Ok(None) };
        Ok(self.shape_all(c, vec![object]).await?.pop())
    }

    /// The named objects that exist and that the user may see (multiget).
    pub async fn objects_named(&self, c: &Collection, names: &[String]) -> Result<Vec<Object>> {
        self.authorize(c, Access::Read).await?;
        let found = self.store().objects_named(c.id, names).await?;
        self.shape_all(c, found).await
    }

    /// Every object of a collection the user may see.
    pub async fn objects(&self, c: &Collection) -> Result<Vec<Object>> {
        self.authorize(c, Access::Read).await?;
        let found = self.store().objects(c.id).await?;
        self.shape_all(c, found).await
    }

    /// Candidates for a time range (a superset; filter with `agora_ical`).
    pub async fn objects_in_range(&self, c: &Collection, start: Option<i64>, end: Option<i64>) -> Result<Vec<Object>> {
        self.authorize(c, Access::Read).await?;
        let found = self.store().objects_in_span(c.id, start, end).await?;
        self.shape_all(c, found).await
    }

    /// A time-range lookup through the instance index: objects it decides have an
    /// instance in `[start, end)` (their bytes only `with_data`), and candidates it
    /// cannot decide (filter those with `agora_ical`). A stub keeps every date of
    /// its object, so the index's decision stands for it.
    pub async fn objects_in_time(
        &self,
        c: &Collection,
        start: Option<i64>,
        end: Option<i64>,
        with_data: bool,
    ) -> Result<TimeCandidates> {
        self.authorize(c, Access::Read).await?;
        let found = self.store().objects_in_time(c.id, start, end, with_data).await?;
        let mut matched = self.shape_all(c, found.matched).await?;
        // Metadata only: a stub's size must still be its own.
        if !with_data && matched.iter().any(|o| o.meta.class != 0) && !self.reads_all(c).await? {
            let metas = self.shape_metas(c, matched.iter().map(|o| o.meta.clone()).collect()).await?;
            matched = metas.into_iter().map(|meta| Object { meta, data: Vec::new() }).collect();
        }
        Ok(TimeCandidates { matched, to_test: self.shape_all(c, found.to_test).await? })
    }

    /// Busy periods of a calendar in `[start, end)` (RFC 4791 §7.10), for whoever
    /// may read free/busy time: only times leave the core, PRIVATE events
    /// included (they are busy time like any other).
    pub async fn busy_periods(&self, c: &Collection, start: i64, end: i64, floating: &TzSpec) -> Result<Vec<Period>> {
        /// Most instances one object may contribute to one answer.
        const MAX_INSTANCES: usize = 10_000;
        self.authorize(c, Access::ReadFreeBusy).await?;
        let mut periods = Vec::new();
        for object in self.store().objects_in_span(c.id, Some(start), Some(end)).await? {
            periods.extend(freebusy::busy_periods(&object.data, start, end, floating, MAX_INSTANCES));
        }
        Ok(freebusy::merge(periods))
    }

    /// Dead properties of an object; none for a stub (they may describe what it hides).
    pub async fn object_properties(&self, c: &Collection, object: &ObjectMeta) -> Result<Vec<(String, String)>> {
        self.authorize(c, Access::Read).await?;
        if self.view(c, object).await? != View::Full {
            return Ok(Vec::new());
        }
        Ok(self.store().object_properties(object.id).await?)
    }

    /// Changes after revision `since` (RFC 6578), at most `limit`, with the current
    /// revision. A revision the collection never reached is an invalid token.
    /// An object the user may not see is reported as gone (it may have been
    /// visible before its class changed); a stub carries its own entity tag.
    pub async fn changes_since(&self, c: &Collection, since: i64, limit: Option<u32>) -> Result<(Vec<Change>, i64)> {
        self.authorize(c, Access::Read).await?;
        if since < 0 || since > c.revision {
            return Err(crate::error::Rule::ValidSyncToken.into());
        }
        let (mut changes, current) = self.store().changes_since(c.id, since, limit).await?;
        if changes.iter().any(|ch| ch.object.as_ref().is_some_and(|m| m.class != 0)) && !self.reads_all(c).await? {
            let metas: Vec<ObjectMeta> = changes.iter().filter_map(|ch| ch.object.clone()).collect();
            let shaped = self.shape_metas(c, metas).await?;
            for change in &mut changes {
                if let Some(meta) = &change.object {
                    change.object = shaped.iter().find(|m| m.id == meta.id).cloned();
                    change.deleted = change.object.is_none();
                }
            }
        }
        Ok((changes, current))
    }

    /// COPY of a collection: what the user may read of it, in one store
    /// transaction. In every collection of the copied tree where the user may not
    /// write, CONFIDENTIAL objects become their stubs and PRIVATE ones are left
    /// out, so a copy never holds more than its copier could read. An object
    /// changed while the copy is prepared makes the store refuse; the copy is
    /// prepared again.
    pub(super) async fn copy_collection(
        &self,
        c: &Collection,
        dst_path: &str,
        parent: &Collection,
        recursive: bool,
        overwrite: bool,
    ) -> Result<bool> {
        let mut attempts = 0;
        let rules = self.write_rules(Self::lock_checks(dst_path, true), Some(parent.owner_id)).await?;
        loop {
            let shaping = self.copy_shaping(c, recursive).await?;
            match self
                .store()
                .copy_collection(c.id, dst_path, parent.id, recursive, overwrite, &shaping, &rules, crate::now())
                .await
            {
                Err(agora_store::StoreError::PreconditionFailed) if !shaping.restricted.is_empty() && attempts < 3 => {
                    attempts += 1;
                }
                other => return Ok(other?),
            }
        }
    }

    /// What replaces the classified objects the user may not read in full, in
    /// `c` and (when `recursive`) every collection below it.
    async fn copy_shaping(&self, c: &Collection, recursive: bool) -> Result<CopyShaping> {
        let mut tree = vec![c.clone()];
        let mut next = 0;
        while recursive && next < tree.len() {
            let subs = self.store().subcollections(tree[next].id).await?;
            tree.extend(subs);
            next += 1;
        }
        let mut shaping = CopyShaping::default();
        for coll in &tree {
            if self.reads_all(coll).await? {
                continue;
            }
            shaping.restricted.push(coll.id);
            let classified: Vec<String> = self
                .store()
                .object_metas(coll.id)
                .await?
                .into_iter()
                .filter(|m| m.class != 0)
                .map(|m| m.name)
                .collect();
            if classified.is_empty() {
                continue;
            }
            // A stub is stored like any object written to a calendar (the copy is
            // one, and no longer filled from a feed).
            let target = Collection { source: None, ..coll.clone() };
            for stored in self.store().objects_named(coll.id, &classified).await? {
                let replacement = match view_of(stored.meta.class, false) {
                    View::TimeOnly => match stub_bytes(&stored.data) {
                        Some(stub) => Some(super::validate::calendar(&target, stub, None)?),
                        None => None,
                    },
                    _ => None,
                };
                shaping.replacements.push(ShapedObject {
                    collection: coll.id,
                    name: stored.meta.name,
                    etag: stored.meta.etag,
                    replacement,
                });
            }
        }
        Ok(shaping)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn views_fail_closed() {
        assert_eq!(view_of(0, false), View::Full);
        assert_eq!(view_of(1, false), View::TimeOnly);
        assert_eq!(view_of(2, false), View::Hidden);
        assert_eq!(view_of(-1, false), View::Hidden, "not yet classified");
        assert_eq!(view_of(7, false), View::Hidden);
        assert_eq!(view_of(2, true), View::Full);
    }
}
