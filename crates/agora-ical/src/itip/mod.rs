//! iTIP (RFC 5546) for CalDAV implicit scheduling (RFC 6638), on iCalendar text.
//!
//! The server stores the client's bytes, so every function here takes and
//! returns text and works on the [`crate::content`] line tree; nothing is
//! re-encoded that the function does not change. Pure functions, no I/O.
//!
//! # Layout
//! * `types` — the public value types ([`Method`], [`Agent`], [`Attendee`], …).
//! * `address` — [`normalise_address`].
//! * `tree` — property/parameter helpers, component keys (RECURRENCE-ID), change detection.
//! * `instance` — making an override for one instance of a series.
//! * `build` — the METHOD-bearing VCALENDARs sent out.
//! * `summary` — [`scheduling`].
//! * `organizer` — [`organizer_messages`]: REQUEST/CANCEL after the organizer's PUT/DELETE.
//! * `reply` — [`attendee_reply`], [`reply_from_copy`]: REPLY after the attendee's PUT/DELETE.
//! * `message` — [`parse_message`].
//! * `inbox` — [`attendee_copy`], [`apply_cancel`]: delivering REQUEST/CANCEL to an attendee.
//! * `add` — ADD: when a change only adds instances, and [`apply_add`] for the attendee.
//! * `comment` — the attendee's comment on an answer: COMMENT in the REPLY, X-RESPONSE-COMMENT in the organizer's copy.
//! * `apply` — [`apply_reply`], [`set_schedule_status`], [`set_partstat`]: updating the organizer's copy.
//!
//! # Choices
//! * Components are matched by RECURRENCE-ID compared as an instant when the
//!   value is UTC or has a TZID known by name, else as written.
//! * An attendee who is in the master but not in some override gets a REQUEST
//!   with the master carrying an EXDATE for that instance (so their client does
//!   not show it at the master's time), plus the overrides they are in.
//! * An override the organizer sets to STATUS:CANCELLED travels in the REQUEST
//!   (clients show the instance as cancelled); a separate CANCEL is sent only
//!   when the instance disappears (override removed with an EXDATE) or when an
//!   attendee is taken off it.
//! * A new override that only repeats its instance (e.g. made for an alarm) is not news.
//! * A change that only adds RDATE instances to a series goes out as ADD with
//!   those instances (and a full REQUEST as the fallback for e-mail, where
//!   Gmail and Outlook ignore ADD); the answers to the series are kept.
//! * EXDATE changes raise SEQUENCE but, when they only add exclusions, do not
//!   reset the other attendees' PARTSTATs: the remaining instances are unchanged.

mod add;
mod address;
mod apply;
mod build;
mod comment;
mod inbox;
mod instance;
mod message;
mod organizer;
mod reply;
mod summary;
mod tree;
mod types;

pub use add::apply_add;
pub use address::normalise_address;
pub use apply::{apply_reply, set_attendee_comment, set_partstat, set_schedule_status};
pub use inbox::{apply_cancel, attendee_copy};
pub use message::parse_message;
pub use organizer::organizer_messages;
pub use reply::{attendee_reply, reply_from_copy};
pub use summary::scheduling;
pub use types::{Agent, Attendee, ItipError, Message, Method, OrganizerOutcome, Outgoing, Scheduling};
