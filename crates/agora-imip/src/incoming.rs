//! Reading an incoming iMIP message (RFC 6047 §2): who sent it, its calendar
//! parts, and what the receiving MTA verified about it.

use mail_parser::{Message, MessageParser, MimeHeaders, PartType};

pub use crate::auth_results::AuthResults;
pub use crate::error::ImipError;

/// Messages larger than this are refused by [`parse`] without being parsed.
pub const MAX_MESSAGE_BYTES: usize = 32 * 1024 * 1024;

/// What iTIP processing needs from an incoming message.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Incoming {
    /// The From header's (first) address, lower-cased.
    pub from: Option<String>,
    /// The Sender header's address, lower-cased.
    pub sender: Option<String>,
    /// The Message-ID, without angle brackets.
    pub message_id: Option<String>,
    /// Every calendar part, decoded to UTF-8 text, in message order: text/calendar,
    /// application/ics, or any part whose file name ends in `.ics`; a message whose
    /// whole body is text/calendar counts. Parts with identical text (Gmail sends
    /// the invitation both inline and as an attachment) appear once. Calendars
    /// inside attached messages (message/rfc822, e.g. a forwarded invitation) are
    /// not included: they are not from this message's sender.
    pub calendars: Vec<String>,
    /// The Authentication-Results header fields (RFC 8601), all of them.
    pub auth: AuthResults,
}

/// Parses `bytes`, trusting every Authentication-Results field. Prefer
/// [`parse_trusting`] when the receiving MTA's authserv-id is known.
pub fn parse(bytes: &[u8]) -> Result<Incoming, ImipError> {
    parse_with(bytes, None)
}

/// [`parse`], counting only the Authentication-Results fields added by the given
/// authserv-ids (the host names the local MTA writes there), since any other may
/// have been written by the sender (RFC 8601 §5, §7.2).
pub fn parse_trusting(bytes: &[u8], authserv_ids: &[&str]) -> Result<Incoming, ImipError> {
    parse_with(bytes, Some(authserv_ids))
}

fn parse_with(bytes: &[u8], trusted: Option<&[&str]>) -> Result<Incoming, ImipError> {
    if bytes.len() > MAX_MESSAGE_BYTES {
        return Err(ImipError::TooLarge { size: bytes.len(), limit: MAX_MESSAGE_BYTES });
    }
    // mail-parser asserts, in builds with debug assertions, on some malformed
    // multipart nesting that it otherwise parses (found by the imip_message
    // fuzz target); hostile mail must be refused, never end the process.
    let parsed = std::panic::catch_unwind(|| MessageParser::new().parse(bytes));
    let message = parsed.ok().flatten().ok_or(ImipError::NotAMessage)?;
    if message.parts.first().is_none_or(|root| root.headers.is_empty()) {
        return Err(ImipError::NotAMessage);
    }
    let calendars = calendar_parts(&message);
    if calendars.is_empty() {
        return Err(ImipError::NoCalendar);
    }
    let address = |a: Option<&mail_parser::Address>| {
        a.and_then(|a| a.first()).and_then(|a| a.address()).map(|a| a.trim().to_lowercase()).filter(|a| !a.is_empty())
    };
    let auth_fields = message
        .headers_raw()
        .filter(|(name, _)| name.eq_ignore_ascii_case("Authentication-Results"))
        .map(|(_, value)| value);
    let auth = crate::auth_results::from_fields(auth_fields, trusted);
    Ok(Incoming {
        from: address(message.from()),
        sender: address(message.sender()),
        message_id: message.message_id().map(str::to_string),
        calendars,
        auth,
    })
}

/// The calendar parts of the message itself, in order, without duplicates.
fn calendar_parts(message: &Message) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    // `parts` lists the message's own MIME parts depth-first; attached messages
    // keep their parts to themselves (PartType::Message).
    for part in &message.parts {
        if !is_calendar(part) {
            continue;
        }
        let text = match &part.body {
            PartType::Text(text) => text.to_string(),
            PartType::Binary(bytes) | PartType::InlineBinary(bytes) => decode(bytes, part.content_type()),
            PartType::Html(_) | PartType::Message(_) | PartType::Multipart(_) => continue,
        };
        let text = text.strip_prefix('\u{feff}').map(str::to_string).unwrap_or(text);
        if text.trim().is_empty() {
            continue;
        }
        if !out.contains(&text) {
            out.push(text);
        }
    }
    out
}

fn is_calendar(part: &mail_parser::MessagePart) -> bool {
    if let Some(ct) = part.content_type() {
        let main = ct.ctype();
        let sub = ct.subtype().unwrap_or_default();
        if main.eq_ignore_ascii_case("multipart") || main.eq_ignore_ascii_case("message") {
            return false;
        }
        if (main.eq_ignore_ascii_case("text") && sub.eq_ignore_ascii_case("calendar"))
            || (main.eq_ignore_ascii_case("application") && sub.eq_ignore_ascii_case("ics"))
        {
            return true;
        }
    }
    let name = part.attachment_name().unwrap_or_default().trim();
    name.len() > 4 && name.get(name.len() - 4..).is_some_and(|ext| ext.eq_ignore_ascii_case(".ics"))
}

/// Bytes of a non-text part (application/ics, application/octet-stream…) to text:
/// UTF-8 when valid, else the declared charset, else Windows-1252.
fn decode(bytes: &[u8], ct: Option<&mail_parser::ContentType>) -> String {
    if let Ok(text) = std::str::from_utf8(bytes) {
        return text.to_string();
    }
    let charset = ct.and_then(|ct| ct.attribute("charset")).unwrap_or("windows-1252");
    let decoder = mail_parser::decoders::charsets::map::charset_decoder(charset.as_bytes())
        .or_else(|| mail_parser::decoders::charsets::map::charset_decoder(b"windows-1252"));
    match decoder {
        Some(decode) => decode(bytes),
        None => String::from_utf8_lossy(bytes).into_owned(),
    }
}
