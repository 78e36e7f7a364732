//! The outgoing mail worker: hands queued iMIP messages (RFC 6047) to the relay.
//!
//! The queue lives in the store, so a restart loses nothing: every few seconds
//! (and at once on start) the worker claims the messages that are due, each with
//! a lease so that another server on the same database does not send it too,
//! submits them one by one and records the outcome. A transient failure (4xx,
//! connection or TLS trouble: RFC 5321 §4.2.1) is retried with exponential
//! back-off; a permanent one (5xx) or the last allowed attempt marks the message
//! failed, which the core shows in the attendee's SCHEDULE-STATUS (RFC 6638
//! §3.2.9).

use std::sync::Arc;
use std::time::{Duration, Instant};

use agora_core::Core;
use agora_imip::smtp::{Relay, SendError};
use agora_store::{MailStatus, QueuedMail};
use tokio::sync::watch;

/// How long a claimed message is reserved for this worker, in seconds.
const LEASE_SECONDS: i64 = 300;
/// Messages claimed at a time.
const BATCH: i64 = 20;
/// Longest wait between two polls of the queue.
const POLL: Duration = Duration::from_secs(5);
/// Longest wait between two attempts at one message.
const MAX_DELAY_SECONDS: u64 = 6 * 3600;

/// When to try again and when to give up.
#[derive(Debug, Clone, Copy)]
pub struct Retry {
    /// Delay after the first failed attempt; doubled after each further one.
    pub base: Duration,
    /// Attempts in all before a message is marked failed.
    pub max_attempts: u32,
}

/// Sends queued mail until `stop` turns true. The message being submitted when
/// it does is finished and recorded; the rest of a claimed batch is handed back
/// to the queue, due at once (for the next start, or another server).
pub async fn run(core: Arc<Core>, relay: Relay, retry: Retry, mut stop: watch::Receiver<bool>) {
    // Short retry delays (tests) need polls at least as frequent.
    let poll = POLL.min(retry.base).max(Duration::from_millis(200));
    loop {
        if *stop.borrow() {
            break;
        }
        let claimed_at = Instant::now();
        let batch = match core.claim_mail(LEASE_SECONDS, BATCH).await {
            Ok(batch) => batch,
            Err(e) => {
                tracing::warn!(error = %e, "cannot read the mail queue");
                Vec::new()
            }
        };
        let full = batch.len() as i64 == BATCH;
        let mut sent = 0;
        for m in &batch {
            if *stop.borrow() {
                break;
            }
            // Past half the lease, another process may soon claim the rest of the
            // batch too: hand it back rather than risk sending twice.
            if claimed_at.elapsed() > Duration::from_secs(LEASE_SECONDS as u64 / 2) {
                tracing::info!("mail batch took long: the rest goes back to the queue");
                break;
            }
            attempt(&core, &relay, retry, m).await;
            sent += 1;
        }
        let unsent: Vec<i64> = batch[sent..].iter().map(|m| m.id).collect();
        if !unsent.is_empty()
            && let Err(e) = core.release_mail(&unsent).await
        {
            tracing::warn!(error = %e, messages = unsent.len(), "claimed mail not handed back: it waits for its lease");
        }
        if full {
            continue;
        }
        tokio::select! {
            () = tokio::time::sleep(poll) => {}
            // A dropped sender means the server is going away too.
            _ = stop.wait_for(|stopped| *stopped) => break,
        }
    }
    tracing::debug!("mail worker stopped");
}

/// Submits one message and records what happened.
async fn attempt(core: &Core, relay: &Relay, retry: Retry, m: &QueuedMail) {
    let result = relay.send(&m.mail.envelope_from, &m.mail.recipient, &m.mail.message).await;
    let now = agora_core::now();
    let (status, next, error) = match &result {
        Ok(()) => (MailStatus::Sent, now, None),
        Err(e) => {
            let (status, next) = after_failure(m.attempts, e, retry, now);
            (status, next, Some(e.message.as_str()))
        }
    };
    let attempts = m.attempts + 1;
    match status {
        MailStatus::Sent => tracing::info!(id = m.id, to = %m.mail.recipient, attempts, "iMIP message sent"),
        MailStatus::Queued => tracing::warn!(
            id = m.id, to = %m.mail.recipient, attempts, retry_in_seconds = next - now, error = error.unwrap_or_default(),
            "iMIP message not sent yet: will retry"
        ),
        MailStatus::Failed => tracing::error!(
            id = m.id, to = %m.mail.recipient, attempts, error = error.unwrap_or_default(),
            "iMIP message failed for good"
        ),
    }
    if let Err(e) = core.mail_outcome(m, status, next, error).await {
        // The lease runs out and the message is tried again: a relay that did
        // accept it will get it twice, which beats losing it.
        tracing::error!(id = m.id, error = %e, "cannot record the outcome of an iMIP message");
    }
}

/// What a failed attempt leads to, after `before` earlier attempts: another try
/// after base × 2ⁿ (capped at six hours), or failure when the error is permanent
/// or the attempts are used up.
fn after_failure(before: i64, error: &SendError, retry: Retry, now: i64) -> (MailStatus, i64) {
    let made = before.max(0).saturating_add(1);
    if error.permanent || made >= i64::from(retry.max_attempts) {
        return (MailStatus::Failed, now);
    }
    let doublings = u32::try_from(made - 1).unwrap_or(u32::MAX).min(32);
    let delay = retry.base.as_secs().max(1).saturating_mul(1u64 << doublings).min(MAX_DELAY_SECONDS);
    (MailStatus::Queued, now.saturating_add(delay as i64))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn error(permanent: bool) -> SendError {
        SendError { permanent, message: "x".into() }
    }

    const RETRY: Retry = Retry { base: Duration::from_secs(60), max_attempts: 10 };

    #[test]
    fn transient_failures_back_off_exponentially_up_to_six_hours() {
        let delays: Vec<i64> =
            (0..9).map(|before| after_failure(before, &error(false), RETRY, 1000).1 - 1000).collect();
        assert_eq!(delays, [60, 120, 240, 480, 960, 1920, 3840, 7680, 15360]);
        let long = Retry { base: Duration::from_secs(60), max_attempts: 100 };
        assert_eq!(after_failure(20, &error(false), long, 0), (MailStatus::Queued, 6 * 3600));
        assert_eq!(after_failure(90, &error(false), long, 0), (MailStatus::Queued, 6 * 3600));
    }

    #[test]
    fn the_last_attempt_and_permanent_errors_fail() {
        assert_eq!(after_failure(8, &error(false), RETRY, 5).0, MailStatus::Queued);
        assert_eq!(after_failure(9, &error(false), RETRY, 5), (MailStatus::Failed, 5));
        assert_eq!(after_failure(0, &error(true), RETRY, 5), (MailStatus::Failed, 5));
        let once = Retry { base: Duration::from_secs(1), max_attempts: 1 };
        assert_eq!(after_failure(0, &error(false), once, 5).0, MailStatus::Failed);
    }
}
