//! Keeps the instance index (`agora_ical::instance_index`) complete: events
//! stored before it existed, and endless events whose indexed window runs out
//! within [`AHEAD`], are indexed again in the background (`agora serve` calls
//! [`Core::index_instances`] at start and on every refresh). Until then a query
//! finds them through their span and parses them, so answers never depend on it.

use agora_ical::{CalendarObject, InstanceIndex, TzSpec};

use crate::error::Result;
use crate::{Core, resources::validate};

/// A window is extended when less than this remains of it (a year).
pub const AHEAD: i64 = 366 * 86_400;
/// Objects read per store call.
const BATCH: i64 = 200;

impl Core {
    /// Indexes every due event; returns how many were indexed.
    pub async fn index_instances(&self) -> Result<usize> {
        let now = crate::now();
        let mut done = 0;
        loop {
            let due = self.store.objects_to_index(now + AHEAD, BATCH).await?;
            for o in &due {
                // Unparsable bytes (stored before validation was this strict) are
                // marked tried: they stay found by their span.
                let index = match CalendarObject::parse(&o.data) {
                    Ok(obj) => agora_ical::instance_index(&obj, &obj.info(&TzSpec::utc()), now),
                    Err(_) => None,
                };
                let pieces = validate::pieces(index.unwrap_or_else(InstanceIndex::nothing));
                // False when a write replaced the object meanwhile: it indexed itself.
                if self.store.set_instances(o.meta.id, &o.meta.etag, &pieces).await? {
                    done += 1;
                }
            }
            if (due.len() as i64) < BATCH {
                return Ok(done);
            }
            tokio::task::yield_now().await;
        }
    }
}
