//! The server's background refresh: the global address list follows the
//! directory (changes made through the CLI refresh it at once; this catches the
//! rest, such as another server's writes or LDAP).

use std::sync::Arc;
use std::time::Duration;

use agora_core::Core;

/// Refreshes now, then every `period`, until the process ends.
pub async fn run(core: Arc<Core>, period: Duration) {
    let mut tick = tokio::time::interval(period);
    tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    loop {
        tick.tick().await;
        if let Err(e) = core.sync_external().await {
            tracing::warn!(error = %e, "external directory refresh failed");
        }
        if let Err(e) = core.refresh_gal().await {
            tracing::warn!(error = %e, "global address list refresh failed");
        }
    }
}
