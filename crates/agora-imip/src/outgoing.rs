//! Building an iMIP message (RFC 6047 §2, §3).
//!
//! Layout (what Gmail, Outlook and Apple Mail all understand):
//!
//! ```text
//! multipart/mixed
//! ├── multipart/alternative
//! │   ├── text/plain; charset=utf-8             a readable summary
//! │   └── text/calendar; charset=utf-8; method=REQUEST   the iTIP object
//! └── application/ics; name=invite.ics          the same bytes, as an attachment
//! ```
//!
//! The calendar parts are base64: RFC 5545 §3.1 requires CRLF line ends and
//! base64 carries them through any relay untouched, whereas 7bit or
//! quoted-printable text may have its line ends rewritten (RFC 6047 §2.4 allows
//! any transfer encoding).

use base64::Engine;
use mail_builder::MessageBuilder;
use mail_builder::headers::address::Address;
use mail_builder::headers::content_type::ContentType;
use mail_builder::headers::date::Date;
use mail_builder::headers::raw::Raw;
use mail_builder::mime::MimePart;
use rand::Rng;

use crate::describe;
use crate::ical_text::Calendar;

/// What goes into one iMIP message to one recipient.
#[derive(Debug, Clone)]
pub struct Invitation<'a> {
    /// Display name for the From header.
    pub from_name: Option<&'a str>,
    /// The From address: the organizer's (or replying attendee's) own address, or a
    /// configured server address (then set [`reply_to`](Self::reply_to)).
    pub from_address: &'a str,
    /// Reply-To, for when From is the server's address (RFC 6047 §3 asks that
    /// replies reach the originator).
    pub reply_to: Option<&'a str>,
    /// One recipient address, without `mailto:`.
    pub to: &'a str,
    /// The iTIP method: REQUEST, REPLY, CANCEL, ADD, COUNTER…; it must match the
    /// METHOD property of [`itip`](Self::itip) (RFC 6047 §2.4).
    pub method: &'a str,
    /// The complete iCalendar text, with METHOD, CRLF line ends.
    pub itip: &'a str,
    /// Domain part of the generated Message-ID.
    pub message_id_domain: &'a str,
    /// Unix seconds, for the Date header.
    pub now: i64,
    /// The language of the subject and the text part: the sender's (the user the
    /// message is written on behalf of), stated in Content-Language (RFC 3282).
    pub language: crate::Language,
}

/// Builds the RFC 5322 message: headers Date, Message-ID, From, To, Reply-To,
/// Subject (describing the method and the event), MIME-Version, and the body laid
/// out as in the [module documentation](self). Never fails: unusable characters
/// in addresses and names are dropped rather than allowed to break the headers.
pub fn build(inv: &Invitation) -> Vec<u8> {
    let cal = Calendar::read(inv.itip);
    // The method parameter must match the object's METHOD (RFC 6047 §2.4); the
    // caller's is used, the object's only when the caller gave none.
    let method =
        token(if inv.method.trim().is_empty() { cal.method.as_deref().unwrap_or_default() } else { inv.method });
    let subject = describe::subject(&method, &cal, inv.language);
    let text = describe::body(&method, &cal, inv.language);
    let encoded_calendar = base64_lines(inv.itip.as_bytes());

    let alternative = MimePart::new(
        "multipart/alternative",
        vec![
            MimePart::new(ContentType::new("text/plain").attribute("charset", "utf-8"), text),
            MimePart::new(
                ContentType::new("text/calendar").attribute("charset", "utf-8").attribute("method", method.clone()),
                encoded_calendar.clone(),
            )
            .transfer_encoding("base64"),
        ],
    );
    let attachment =
        MimePart::new(ContentType::new("application/ics").attribute("name", "invite.ics"), encoded_calendar)
            .transfer_encoding("base64")
            .attachment("invite.ics");

    let from_name = inv.from_name.map(describe::one_line).filter(|n| !n.is_empty());
    let mut message = MessageBuilder::new()
        .date(Date::new(inv.now))
        .message_id(message_id(inv.message_id_domain))
        .from(Address::new_address(from_name, address(inv.from_address)))
        .to(Address::new_address(None::<String>, address(inv.to)));
    if let Some(reply_to) = inv.reply_to {
        message = message.reply_to(Address::new_address(None::<String>, address(reply_to)));
    }
    let message = message
        .subject(subject)
        .header("MIME-Version", Raw::new("1.0"))
        .header("Content-Language", Raw::new(inv.language.tag()))
        .body(MimePart::new("multipart/mixed", vec![alternative, attachment]));
    let mut out = Vec::new();
    message.serialize(&mut out);
    out
}

/// A fresh Message-ID (without angle brackets): 128 random bits at `domain`.
fn message_id(domain: &str) -> String {
    let domain: String = domain.chars().filter(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '-')).collect();
    let domain = if domain.is_empty() { "localhost".to_string() } else { domain };
    format!("{:032x}@{domain}", rand::thread_rng().r#gen::<u128>())
}

/// An address fit for a header: no `mailto:`, whitespace, control characters or
/// characters that would end the address early.
fn address(value: &str) -> String {
    crate::ical_text::strip_mailto(value)
        .chars()
        .filter(|c| !c.is_control() && !c.is_whitespace() && !matches!(c, '<' | '>' | ',' | ';' | '"' | '(' | ')'))
        .collect()
}

/// The method as an upper-case RFC 2045 token (for the `method` parameter).
fn token(method: &str) -> String {
    let t: String = method.trim().chars().filter(|c| c.is_ascii_alphanumeric() || *c == '-').collect();
    if t.is_empty() { "REQUEST".to_string() } else { t.to_ascii_uppercase() }
}

/// Base64 in lines of 76 characters separated by CRLF (RFC 2045 §6.8).
fn base64_lines(bytes: &[u8]) -> String {
    let encoded = base64::engine::general_purpose::STANDARD.encode(bytes);
    let mut out = String::with_capacity(encoded.len() + encoded.len() / 38 + 2);
    for (i, chunk) in encoded.as_bytes().chunks(76).enumerate() {
        if i > 0 {
            out.push_str("\r\n");
        }
        // Base64 output is ASCII, so every chunk is valid UTF-8.
        out.push_str(std::str::from_utf8(chunk).unwrap_or_default());
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn addresses_cannot_inject_headers() {
        assert_eq!(address("MAILTO:bob@example.com\r\nBcc: eve@evil.example"), "bob@example.comBcc:eve@evil.example");
        assert_eq!(address(" <alice@example.com> "), "alice@example.com");
    }

    #[test]
    fn method_token_and_message_id_are_clean() {
        assert_eq!(token("reply"), "REPLY");
        assert_eq!(token("REQUEST\r\nX: y"), "REQUESTXY");
        assert_eq!(token(""), "REQUEST");
        let id = message_id("cal.example.com>\r\n");
        assert!(id.ends_with("@cal.example.com"), "{id}");
        assert_ne!(message_id("a"), message_id("a"));
    }
}
