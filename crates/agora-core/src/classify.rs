//! Classifies objects stored before CLASS was read from the parsed object
//! (migration 0017 marks them -1, which readers see as PRIVATE until then).
//! `agora serve` calls [`Core::classify_objects`] before it listens, so a
//! reader never waits on it and never sees an object misclassified.

use agora_ical::CalendarObject;

use crate::Core;
use crate::error::Result;

/// Objects read per store call.
const BATCH: i64 = 500;

impl Core {
    /// Classifies every pending object; returns how many were classified.
    pub async fn classify_objects(&self) -> Result<usize> {
        let mut done = 0;
        loop {
            let pending = self.store.objects_to_classify(BATCH).await?;
            for o in &pending {
                // Bytes that no longer parse (stored before validation was this
                // strict) stay hidden from readers without write access.
                let class = match CalendarObject::parse(&o.data) {
                    Ok(parsed) => agora_ical::privacy::restriction(&parsed).code(),
                    Err(_) => agora_ical::privacy::Restriction::Private.code(),
                };
                // False when a write replaced the object meanwhile: it classified itself.
                if self.store.set_class(o.meta.id, &o.meta.etag, class).await? {
                    done += 1;
                }
            }
            if (pending.len() as i64) < BATCH {
                return Ok(done);
            }
            tokio::task::yield_now().await;
        }
    }
}
