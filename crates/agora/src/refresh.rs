//! The server's background refresh: the global address list follows the
//! directory (changes made through the CLI refresh it at once; this catches the
//! rest, such as another server's writes or LDAP), subscribed calendars follow
//! their feeds (a new subscription is fetched at once), and the instance index
//! takes in events stored before it and extends the window of endless ones;
//! ended web sessions are removed from the store, and so is what has been in
//! the trash longer than its retention (unless a legal hold keeps it).

use std::sync::Arc;
use std::time::Duration;

use agora_core::Core;
use agora_core::subscriptions::redacted;

use crate::feeds::Fetcher;

/// Refreshes now, then every `period`, until the process ends.
pub async fn run(core: Arc<Core>, period: Duration, feeds: Fetcher) {
    let mut tick = tokio::time::interval(period);
    tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    loop {
        tokio::select! {
            _ = tick.tick() => {
                let mut failed = None;
                if let Err(e) = core.sync_external().await {
                    tracing::warn!(error = %e, "external directory refresh failed");
                    failed = Some(format!("external directory: {e}"));
                }
                if let Err(e) = core.refresh_gal().await {
                    tracing::warn!(error = %e, "global address list refresh failed");
                    failed = Some(format!("global address list: {e}"));
                }
                // Shown on the administrators' health page.
                core.record_refresh(failed);
                match core.purge_sessions().await {
                    Ok(0) => {}
                    Ok(n) => tracing::info!(sessions = n, "ended web sessions removed"),
                    Err(e) => tracing::warn!(error = %e, "ended web sessions not removed"),
                }
                match core.purge_expired_trash().await {
                    Ok(_) => {}
                    Err(e) => tracing::warn!(error = %e, "trash not purged"),
                }
                match core.index_instances().await {
                    Ok(0) => {}
                    Ok(n) => tracing::info!(events = n, "instance index brought up to date"),
                    Err(e) => tracing::warn!(error = %e, "instance index not brought up to date"),
                }
            }
            _ = core.subscriptions_changed().notified() => {}
        }
        refresh_feeds(&core, &feeds).await;
    }
}

/// Fetches every feed; logs name the calendar and only the feed's scheme and
/// host (its path or query may be a secret token).
async fn refresh_feeds(core: &Core, feeds: &Fetcher) {
    let calendars = match core.subscriptions().await {
        Ok(list) => list,
        Err(e) => return tracing::warn!(error = %e, "cannot list subscriptions"),
    };
    for c in calendars {
        let Some(url) = c.source.as_deref() else { continue };
        // What clients see as the calendar's feed status (A:feed-status).
        let error = match feeds.fetch(url).await {
            Ok(feed) => match core.apply_feed(&c, &feed).await {
                Ok(done) => {
                    if done.written + done.removed > 0 {
                        tracing::info!(calendar = %c.path, written = done.written, removed = done.removed, "feed refreshed")
                    }
                    None
                }
                Err(e) => {
                    tracing::warn!(calendar = %c.path, error = %e, "feed not stored");
                    Some("fetched but not stored: the server could not write it".to_owned())
                }
            },
            // The calendar keeps what it had: a feed that is down empties nothing.
            Err(e) => {
                tracing::warn!(calendar = %c.path, feed = redacted(url), error = %e, "feed not fetched");
                Some(format!("{} not fetched: {e}", redacted(url)))
            }
        };
        if let Err(e) = core.record_feed_fetch(&c, error.as_deref()).await {
            tracing::warn!(calendar = %c.path, error = %e, "feed status not recorded");
        }
    }
}
