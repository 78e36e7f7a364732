//! Legal holds: nothing a hold covers is purged from the trash, and a held
//! principal cannot be deleted (the database refuses it too).

use crate::error::Result;
use crate::records::{Hold, HoldScope};

/// Legal holds.
#[async_trait::async_trait]
pub trait HoldStore: Send + Sync + 'static {
    /// Places a hold. Holds on the same scope may coexist (two cases).
    async fn place_hold(&self, scope: &HoldScope, reason: &str, placed_by: &str, now: i64) -> Result<Hold>;

    /// Every hold, oldest first.
    async fn holds(&self) -> Result<Vec<Hold>>;

    /// Lifts a hold. Returns whether it existed.
    async fn lift_hold(&self, id: i64) -> Result<bool>;
}
