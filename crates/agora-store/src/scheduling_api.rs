//! The scheduling half of the storage interface (RFC 6638 / RFC 6047): finding a
//! calendar user's copy of an event by UID, the outgoing iMIP queue, and the
//! booking of a room, whose "is it free, then book it" is one transaction across
//! every process sharing the database.

use std::ops::Range;

use crate::error::Result;
use crate::resources::{CollectionId, NewObject, Object, PutOutcome};

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

/// A room's (or a piece of equipment's) answer to a booking, decided by the
/// caller from the other bookings it holds at the time.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BookingDecision {
    /// Free: the resource keeps the accepted copy.
    Accept,
    /// Taken: the resource holds no copy of this event.
    Decline,
}

/// A booking for [`SchedulingStore::book`] to decide and record.
#[derive(Debug, Clone)]
pub struct Booking<'a> {
    /// Names the resource for the lock that serialises its bookings across
    /// processes (its principal id).
    pub key: i64,
    /// The resource's calendars: read for other bookings and searched for its
    /// copy of this event.
    pub calendars: &'a [CollectionId],
    /// The UID of the event booked; the resource's copy of it is not among the
    /// other bookings.
    pub uid: &'a str,
    /// The times the event takes: objects whose indexed span meets them are
    /// handed to the decision. An empty range reads none.
    pub span: Range<i64>,
    /// The resource's copy, kept if accepted.
    pub accepted: &'a NewObject,
    /// Where the copy goes when the resource holds none yet: calendar and name.
    pub new_at: (CollectionId, &'a str),
}

/// What [`SchedulingStore::book`] did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Booked {
    /// The copy was written (over the resource's earlier copy, if any).
    Accepted(Box<PutOutcome>),
    /// Nothing was written; `released` tells whether the resource's earlier copy
    /// (the meeting moved onto another booking) was deleted.
    Declined {
        /// An earlier copy was deleted.
        released: bool,
    },
}

/// Decides a booking from the resource's other bookings in its span. Runs inside
/// the store's transaction: it must be quick and must not touch the store.
pub type BookingRule<'a> = &'a (dyn Fn(&[Object]) -> BookingDecision + Send + Sync);

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

    /// Queues a failed message again, due at `now` with its attempts counted
    /// afresh. Returns whether a failed message of that id existed.
    async fn retry_mail(&self, id: i64, now: i64) -> Result<bool>;

    /// Removes a message that is not waiting to be sent (failed or sent).
    /// Returns whether one was removed.
    async fn delete_mail(&self, id: i64) -> Result<bool>;

    /// Books a resource in one transaction: takes the resource's booking lock,
    /// reads its other bookings in `booking.span` and its current copy of the
    /// event, asks `decide`, then writes the accepted copy (as `put_object` does:
    /// index rows, change row, revision) or deletes the earlier copy when
    /// declined. A concurrent booking of the same resource, by this process or
    /// another on the same database, waits for the commit and then sees this one.
    ///
    /// The lock: SQLite's write lock, taken by `BEGIN IMMEDIATE` before the first
    /// read (another process waits on `busy_timeout`); on PostgreSQL a
    /// transaction-scoped advisory lock on `booking.key`, taken first.
    async fn book(&self, booking: &Booking<'_>, decide: BookingRule<'_>, now: i64) -> Result<Booked>;
}
