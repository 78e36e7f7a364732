//! The scheduling half of the storage interface (RFC 6638 / RFC 6047): finding a
//! calendar user's copy of an event by UID, the outgoing iMIP queue, and a lock
//! that serialises bookings of one room across server processes.

use crate::error::Result;
use crate::resources::{CollectionId, Object};

/// An iMIP message to queue.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewMail {
    /// SMTP envelope sender.
    pub envelope_from: String,
    /// One recipient address (no `mailto:`).
    pub recipient: String,
    /// The RFC 5322 message.
    pub message: Vec<u8>,
    /// The organiser's event (`collection path` + object name) whose attendee
    /// status shows the outcome; `None` for replies.
    pub object_path: Option<String>,
    /// The attendee address (`mailto:…`) in that event.
    pub attendee: Option<String>,
}

/// Where a queued message stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MailStatus {
    /// Waiting for (another) attempt.
    Queued,
    /// Accepted by the relay.
    Sent,
    /// Given up on.
    Failed,
}

impl MailStatus {
    /// The stored spelling.
    pub fn as_str(self) -> &'static str {
        match self {
            MailStatus::Queued => "queued",
            MailStatus::Sent => "sent",
            MailStatus::Failed => "failed",
        }
    }

    /// Parses the stored spelling.
    pub fn parse(s: &str) -> Option<MailStatus> {
        match s {
            "queued" => Some(MailStatus::Queued),
            "sent" => Some(MailStatus::Sent),
            "failed" => Some(MailStatus::Failed),
            _ => None,
        }
    }
}

/// A message in the queue.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct QueuedMail {
    /// Row id.
    pub id: i64,
    /// What was queued.
    pub mail: NewMail,
    /// Attempts made so far.
    pub attempts: i64,
    /// Where it stands.
    pub status: MailStatus,
    /// When the next attempt is due (Unix seconds).
    pub next_attempt_at: i64,
    /// The last relay or connection error.
    pub last_error: Option<String>,
    /// When it was queued.
    pub created_at: i64,
}

/// Holds a booking lock until dropped (see [`SchedulingStore::lock_booking`]).
pub struct BookingLock(#[allow(dead_code)] pub(crate) Option<Box<dyn Send + Sync>>);

/// Scheduling state.
#[async_trait::async_trait]
pub trait SchedulingStore: Send + Sync + 'static {
    /// The objects with this UID in any of these collections.
    async fn objects_by_uid(&self, collections: &[CollectionId], uid: &str) -> Result<Vec<Object>>;

    /// Queues a message, due at once. Returns its id.
    async fn enqueue_mail(&self, mail: &NewMail, now: i64) -> Result<i64>;

    /// Claims up to `limit` due messages: each is pushed `lease` seconds into the
    /// future (so another process does not send it too) and returned.
    async fn claim_mail(&self, now: i64, lease: i64, limit: i64) -> Result<Vec<QueuedMail>>;

    /// Records an attempt's outcome: sent, retry at `next` (with the error), or
    /// failed for good (with the error).
    async fn mail_attempted(&self, id: i64, status: MailStatus, next: i64, error: Option<&str>) -> Result<()>;

    /// Hands claimed messages back unsent (the worker is stopping): they are due
    /// again at `now` instead of when their lease ends.
    async fn release_mail(&self, ids: &[i64], now: i64) -> Result<()>;

    /// The queue, newest first (for the CLI and tests).
    async fn mail_queue(&self, limit: i64) -> Result<Vec<QueuedMail>>;

    /// Serialises bookings of one calendar across processes sharing the database
    /// (PostgreSQL session advisory lock); within one process the caller also
    /// holds its own mutex. SQLite has one server process: nothing to do.
    async fn lock_booking(&self, key: i64) -> Result<BookingLock>;
}
