//! iMIP (RFC 6047): the e-mail transport of iTIP (RFC 5546) for Agora.
//!
//! This crate moves scheduling messages between Agora and the outside world and
//! knows nothing about how calendars are stored:
//!
//! - [`outgoing`]: builds the e-mail for an iTIP message (a readable summary, the
//!   text/calendar part and an .ics attachment).
//! - [`incoming`]: reads an incoming e-mail: sender, calendar parts, and the
//!   receiving MTA's Authentication-Results (RFC 8601).
//! - [`lmtp`]: an LMTP server (RFC 2033) through which the local MTA delivers
//!   e-mail for Agora's addresses.
//! - [`smtp`]: submission of outgoing messages to a relay.
//! - [`Language`]: the languages Agora writes its own text in (shared by every
//!   crate above this one).
//!
//! The iCalendar text of a message is read with `agora_ical::content`, the one
//! content-line reader of Agora, only to describe it to a person (subject and
//! text part); the calendar part itself is passed on as it is.

mod auth_results;
mod describe;
mod error;
mod ical_text;
pub mod incoming;
mod language;
pub mod lmtp;
pub mod outgoing;
pub mod smtp;
mod when;

pub use error::ImipError;
pub use language::{Language, UnsupportedLanguage};
