//! Errors reading an incoming message.

/// Why an incoming message cannot be used for iMIP.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ImipError {
    /// The bytes are not an RFC 5322 message (no header fields).
    #[error("not an e-mail message: no header fields found")]
    NotAMessage,
    /// The message has no text/calendar (or application/ics, or .ics) part.
    #[error("the message has no calendar part (text/calendar, application/ics or a .ics attachment)")]
    NoCalendar,
    /// The message is larger than [`MAX_MESSAGE_BYTES`](crate::incoming::MAX_MESSAGE_BYTES).
    #[error("the message is too large: {size} bytes, at most {limit} are read")]
    TooLarge {
        /// Size of the message in bytes.
        size: usize,
        /// The limit in bytes.
        limit: usize,
    },
}
