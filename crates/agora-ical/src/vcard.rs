//! vCard for CardDAV: validation of an address object resource (RFC 6352 §5.1)
//! and conversion between vCard 3.0 (RFC 2426) and 4.0 (RFC 6350) when a client
//! asks for a version in `address-data` (RFC 6352 §10.4).
//!
//! Stored bytes are never rewritten; conversion produces a new text on request.
//! calcard converts encodings (VERSION, binary PHOTO as `data:` URI vs `ENCODING=b`,
//! dates); this module adds the semantic mappings clients rely on: Apple's contact
//! groups (`X-ADDRESSBOOKSERVER-KIND/MEMBER` in 3.0 ↔ `KIND/MEMBER` in 4.0) and the
//! media type of an untyped 3.0 `PHOTO;BASE64:` (by the image's signature). Unknown
//! properties and `itemN.` groups (`itemN.X-ABLabel`) survive.

use calcard::vcard::{VCard, VCardEntry, VCardKind, VCardProperty, VCardValue, VCardVersion};
use calcard::{Entry, Parser};

use crate::content;

/// Why a body is not an acceptable address object resource.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum VcardError {
    /// Not vCard data (→ CARDDAV:valid-address-data).
    Invalid(String),
    /// vCard, but not exactly one card with a UID (→ CARDDAV:valid-address-data too;
    /// RFC 6352 has no separate precondition).
    NotAnObjectResource(String),
}

impl std::fmt::Display for VcardError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            VcardError::Invalid(m) | VcardError::NotAnObjectResource(m) => f.write_str(m),
        }
    }
}

impl std::error::Error for VcardError {}

/// The two versions CardDAV clients exchange.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Version {
    /// vCard 3.0 (RFC 2426).
    V3,
    /// vCard 4.0 (RFC 6350).
    V4,
}

impl Version {
    /// Parses an `address-data` `version` attribute ("3.0", "4.0").
    pub fn parse(s: &str) -> Option<Self> {
        match s.trim() {
            "3.0" => Some(Version::V3),
            "4.0" => Some(Version::V4),
            _ => None,
        }
    }
}

/// What the server keeps about a card.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CardInfo {
    /// UID (required, RFC 6352 §5.1).
    pub uid: String,
    /// The card's version.
    pub version: Version,
    /// FN, if present.
    pub full_name: Option<String>,
    /// EMAIL values.
    pub emails: Vec<String>,
}

pub(crate) fn parse_one(bytes: &[u8]) -> Result<(VCard, Version), VcardError> {
    let text = std::str::from_utf8(bytes).map_err(|_| VcardError::Invalid("vCard data must be UTF-8".into()))?;
    // Read as `CalendarObject::parse` reads it: the byte-order mark is not content.
    let text = text.strip_prefix(content::BOM).unwrap_or(text);
    let first = content::logical_lines(text).next().and_then(|l| l.parse().ok());
    if !first.is_some_and(|l| l.name == "BEGIN" && l.value.trim().eq_ignore_ascii_case("VCARD")) {
        return Err(VcardError::Invalid("the data does not start with BEGIN:VCARD".into()));
    }
    // As for iCalendar (`CalendarObject::parse`): calcard accepts lines RFC 6350
    // §3.3 refuses and may then write a card no reader accepts; the strict reader
    // every other module uses decides what is vCard text.
    content::parse_all(text).map_err(|e| VcardError::Invalid(format!("invalid vCard data: {e}")))?;
    let mut parser = Parser::new(text);
    let card = match parser.entry() {
        Entry::VCard(card) => card,
        Entry::Eof => return Err(VcardError::Invalid("empty vCard data".into())),
        other => return Err(VcardError::Invalid(format!("unparsable vCard: {other:?}"))),
    };
    match parser.entry() {
        Entry::Eof => {}
        Entry::VCard(_) => return Err(VcardError::NotAnObjectResource("exactly one vCard per resource".into())),
        other => return Err(VcardError::Invalid(format!("unexpected content after END:VCARD: {other:?}"))),
    }
    let version = match card.version() {
        Some(VCardVersion::V4_0) => Version::V4,
        Some(VCardVersion::V3_0) => Version::V3,
        Some(other) => return Err(VcardError::Invalid(format!("unsupported vCard version {other:?}; use 3.0 or 4.0"))),
        None => return Err(VcardError::Invalid("VERSION is required".into())),
    };
    Ok((card, version))
}

/// Validates one address object resource and extracts what is indexed.
pub fn parse_vcard(bytes: &[u8]) -> Result<CardInfo, VcardError> {
    let (card, version) = parse_one(bytes)?;
    let uid = card
        .uid()
        .map(str::trim)
        .filter(|u| !u.is_empty())
        .ok_or_else(|| VcardError::NotAnObjectResource("a vCard resource needs a UID (RFC 6352 §5.1)".into()))?
        .to_owned();
    let text = |e: &VCardEntry| e.values.first().and_then(|v| v.as_text()).map(str::to_owned);
    Ok(CardInfo {
        uid,
        version,
        full_name: card.property(&VCardProperty::Fn).and_then(text),
        emails: card.properties(&VCardProperty::Email).filter_map(text).collect(),
    })
}

const APPLE_KIND: &str = "X-ADDRESSBOOKSERVER-KIND";
const APPLE_MEMBER: &str = "X-ADDRESSBOOKSERVER-MEMBER";

/// Writes the card in the requested version, or `None` when it already is in that
/// version (serve the stored bytes as they are).
pub fn convert(bytes: &[u8], to: Version) -> Result<Option<String>, VcardError> {
    let (mut card, from) = parse_one(bytes)?;
    if from == to {
        return Ok(None);
    }
    for entry in &mut card.entries {
        match (to, &entry.name) {
            (Version::V4, VCardProperty::Other(name)) if name.eq_ignore_ascii_case(APPLE_KIND) => {
                let is_group =
                    entry.values.first().and_then(|v| v.as_text()).is_some_and(|v| v.eq_ignore_ascii_case("group"));
                if is_group {
                    entry.name = VCardProperty::Kind;
                    entry.values = vec![VCardValue::Kind(VCardKind::Group)];
                }
            }
            (Version::V4, VCardProperty::Other(name)) if name.eq_ignore_ascii_case(APPLE_MEMBER) => {
                entry.name = VCardProperty::Member;
            }
            (Version::V3, VCardProperty::Kind) => {
                if matches!(entry.values.first(), Some(VCardValue::Kind(VCardKind::Group))) {
                    entry.name = VCardProperty::Other(APPLE_KIND.into());
                    entry.values = vec![VCardValue::Text("group".into())];
                }
            }
            (Version::V3, VCardProperty::Member) => entry.name = VCardProperty::Other(APPLE_MEMBER.into()),
            _ => {}
        }
        // A 3.0 `PHOTO;BASE64:` (Apple Contacts) names no media type; as a 4.0
        // `data:;base64,` URI it would mean text/plain (RFC 2397 §2), so clients
        // would show no photo. The image's own signature names it.
        if to == Version::V4 {
            for value in &mut entry.values {
                if let VCardValue::Binary(d) = value
                    && d.content_type.is_none()
                {
                    d.content_type = image_type(&d.data).map(str::to_owned);
                }
            }
        }
    }
    let mut out = String::new();
    let version = match to {
        Version::V3 => VCardVersion::V3_0,
        Version::V4 => VCardVersion::V4_0,
    };
    card.write_to(&mut out, version).map_err(|_| VcardError::Invalid("cannot write the vCard".into()))?;
    // calcard's writer can turn a card it read leniently into text that is not
    // a readable card (the vcard fuzz target found a property name our reader
    // refuses): such a conversion fails, and callers serve the stored card.
    match parse_vcard(out.as_bytes()) {
        Ok(converted) if converted.version == to => Ok(Some(out)),
        _ => {
            let name = match to {
                Version::V3 => "3.0",
                Version::V4 => "4.0",
            };
            Err(VcardError::Invalid(format!("the card cannot be written as vCard {name}")))
        }
    }
}

/// The media type of JPEG, PNG and GIF data, by their signatures.
fn image_type(data: &[u8]) -> Option<&'static str> {
    match data {
        [0xFF, 0xD8, 0xFF, ..] => Some("image/jpeg"),
        [0x89, b'P', b'N', b'G', ..] => Some("image/png"),
        [b'G', b'I', b'F', b'8', ..] => Some("image/gif"),
        _ => None,
    }
}

/// Splits a vCard stream (an export holding many cards) into one text per card,
/// `(uid, text)`, in stream order, each copied line for line (folding kept, CRLF
/// line ends; lines read by [`crate::content`]). A card without a UID gets one
/// derived from its content (so importing the same file again finds it), written
/// after its VERSION line.
pub fn split_cards(text: &str) -> Vec<(String, String)> {
    /// A card being copied: its text, its UID, where a UID line would go.
    struct Card {
        text: String,
        uid: Option<String>,
        after_version: Option<usize>,
    }
    let mut out = Vec::new();
    let mut current: Option<Card> = None;
    for logical in content::logical_lines(text) {
        let line = logical.parse().ok();
        let is = |name: &str, value: &str| {
            line.as_ref().is_some_and(|l| l.name == name && l.value.trim().eq_ignore_ascii_case(value))
        };
        if is("BEGIN", "VCARD") {
            current = Some(Card { text: String::new(), uid: None, after_version: None });
        }
        let Some(card) = current.as_mut() else { continue };
        logical.write_crlf(&mut card.text);
        match line.as_ref().map(|l| (l.name.as_str(), l.value.trim())) {
            Some(("UID", uid)) if card.uid.is_none() && !uid.is_empty() => card.uid = Some(uid.to_owned()),
            Some(("VERSION", _)) if card.after_version.is_none() => card.after_version = Some(card.text.len()),
            _ => {}
        }
        if is("END", "VCARD") {
            let Some(Card { text, uid, after_version }) = current.take() else { continue };
            out.push(match uid {
                Some(uid) => (uid, text),
                None => with_derived_uid(text, after_version),
            });
        }
    }
    out
}

/// Gives a card without UID one derived from its text, inserted at `at` (after
/// VERSION) or else after BEGIN.
fn with_derived_uid(card: String, at: Option<usize>) -> (String, String) {
    // SHA-256 rather than std's hasher, whose output may change between Rust
    // releases: the same card must get the same UID on every import.
    use sha2::Digest;
    let digest = sha2::Sha256::digest(card.as_bytes());
    let uid = format!("agora-import-{}", digest[..8].iter().map(|b| format!("{b:02x}")).collect::<String>());
    let at = at.or_else(|| card.find('\n').map(|i| i + 1)).unwrap_or(card.len());
    let out = format!("{}UID:{uid}\r\n{}", &card[..at], &card[at..]);
    (uid, out)
}

#[cfg(test)]
mod tests {
    use super::*;

    const V3: &str = "BEGIN:VCARD\r\nVERSION:3.0\r\nUID:abc-1\r\nFN:Jean Dupont\r\nN:Dupont;Jean;;;\r\n\
        EMAIL;TYPE=INTERNET,WORK:jean@example.org\r\nitem1.TEL:+33 1 23 45 67 89\r\nitem1.X-ABLabel:Bureau\r\n\
        X-CUSTOM;X-P=1:kept\r\nEND:VCARD\r\n";

    #[test]
    fn a_valid_card() {
        let info = parse_vcard(V3.as_bytes()).unwrap();
        assert_eq!(info.uid, "abc-1");
        assert_eq!(info.version, Version::V3);
        assert_eq!(info.full_name.as_deref(), Some("Jean Dupont"));
        assert_eq!(info.emails, ["jean@example.org"]);
    }

    #[test]
    fn refusals() {
        let no_uid = V3.replace("UID:abc-1\r\n", "");
        assert!(matches!(parse_vcard(no_uid.as_bytes()), Err(VcardError::NotAnObjectResource(_))));
        let two = format!("{V3}{}", V3.replace("abc-1", "abc-2"));
        assert!(matches!(parse_vcard(two.as_bytes()), Err(VcardError::NotAnObjectResource(_))));
        assert!(matches!(parse_vcard(b"BEGIN:VCALENDAR\r\nEND:VCALENDAR\r\n"), Err(VcardError::Invalid(_))));
        assert!(matches!(parse_vcard(b"hello"), Err(VcardError::Invalid(_))));
        assert!(matches!(parse_vcard(b"\xff\xfe"), Err(VcardError::Invalid(_))));
        let no_version = V3.replace("VERSION:3.0\r\n", "");
        assert!(matches!(parse_vcard(no_version.as_bytes()), Err(VcardError::Invalid(_))));
    }

    /// calcard's leniency (the vcard fuzz target: its 3.0 ↔ 4.0 conversion then
    /// wrote cards no reader accepts): what the strict content reader refuses is
    /// refused, with the line.
    #[test]
    fn what_the_strict_reader_refuses_is_refused() {
        let refused = |text: String| match parse_vcard(text.as_bytes()) {
            Err(VcardError::Invalid(m)) => m,
            other => panic!("expected Invalid, got {other:?}"),
        };
        assert_eq!(refused(V3.replace("FN:", "FN;")), "invalid vCard data: line 4: unterminated parameter");
        assert_eq!(refused(V3.replace("END:VCARD\r\n", "")), "invalid vCard data: VCARD is not closed");
        assert_eq!(
            refused(V3.replace("END:VCARD", "END:VCARX")),
            "invalid vCard data: line 10: END:VCARX closes VCARD"
        );
        assert_eq!(
            refused(V3.replace("Bureau", "Bu\u{1}reau")),
            "invalid vCard data: line 8: control character U+0001 in a content line"
        );
        assert!(parse_vcard(V3.replace("Bureau", "Bu\treau").as_bytes()).is_ok());
    }

    /// Found by fuzz/fuzz_targets/vcard.rs: a card read leniently came out of
    /// calcard's 3.0 writer with a property name our reader refuses; such a
    /// conversion now fails (the server serves the stored card instead).
    #[test]
    fn conversion_calcard_writes_unreadably_fails_instead() {
        let input = include_bytes!("../../../fuzz/corpus/vcard/regress-calcard-conversion-bad-name");
        parse_vcard(input).expect("the fuzz input is an accepted card");
        let results = [convert(input, Version::V3), convert(input, Version::V4)];
        assert!(results.iter().any(Result::is_err), "the unreadable conversion is refused: {results:?}");
        for to in [Version::V3, Version::V4] {
            if let Ok(Some(text)) = convert(input, to) {
                assert!(parse_vcard(text.as_bytes()).is_ok(), "a conversion is a readable card: {text}");
            }
        }
    }

    /// Found by fuzz/fuzz_targets/vcard.rs: `TEL;ui=PE="a,b":…` (a DQUOTE in an
    /// unquoted parameter value, RFC 6350 §3.3) was accepted, and calcard's 3.0
    /// conversion wrote it as `ui="PE=\"a,b"`, which no reader accepts.
    #[test]
    fn quote_inside_an_unquoted_parameter_is_refused() {
        let card = V3.replace("X-CUSTOM;X-P=1:kept", "TEL;ui=PE=\"a,b\":tel:+33-1");
        match parse_vcard(card.as_bytes()) {
            Err(VcardError::Invalid(m)) => {
                assert_eq!(m, "invalid vCard data: line 9: '\"' inside an unquoted parameter value")
            }
            other => panic!("expected Invalid, got {other:?}"),
        }
        let quoted = V3.replace("X-CUSTOM;X-P=1:kept", "TEL;X-P=\"a,b\":tel:+33-1");
        assert!(convert(quoted.as_bytes(), Version::V4).unwrap().is_some());
    }

    #[test]
    fn three_to_four_and_back_keeps_labels_and_unknown_properties() {
        let v4 = convert(V3.as_bytes(), Version::V4).unwrap().expect("converted");
        assert!(v4.contains("VERSION:4.0"), "{v4}");
        assert!(v4.contains("item1.X-ABLabel:Bureau") || v4.contains("item1.X-ABLABEL:Bureau"), "{v4}");
        assert!(v4.to_ascii_uppercase().contains("X-CUSTOM;X-P=1:KEPT"), "{v4}");
        assert_eq!(parse_vcard(v4.as_bytes()).unwrap().uid, "abc-1");
        let back = convert(v4.as_bytes(), Version::V3).unwrap().expect("converted");
        assert!(back.contains("VERSION:3.0"));
        assert!(convert(V3.as_bytes(), Version::V3).unwrap().is_none(), "same version: serve stored bytes");
    }

    /// Issue 14: Apple's `PHOTO;BASE64:` has no media type; the 4.0 data URI gets
    /// the one its bytes name (else it would mean text/plain).
    #[test]
    fn base64_photo_without_type_becomes_an_image_data_uri() {
        let jpeg = "/9j/4AAQSkZJRgABAQAAAQABAAD/2wBDAAgGBgcGBQgHBwcJCQgKDBQNDAsLDBkSEw8UHRof";
        let card = V3.replace("X-CUSTOM;X-P=1:kept", &format!("PHOTO;BASE64:\r\n  {jpeg}\r\nTEL;WORK;VOICE:+33 1"));
        let v4 = convert(card.as_bytes(), Version::V4).unwrap().unwrap().replace("\r\n ", "");
        assert!(v4.contains(&format!("PHOTO:data:image/jpeg;base64\\,{jpeg}")), "{v4}");
        assert!(v4.contains("TEL;TYPE=WORK,VOICE:+33 1"), "{v4}");
        let png = V3.replace("X-CUSTOM;X-P=1:kept", "PHOTO;ENCODING=b:iVBORw0KGgo=");
        let v4 = convert(png.as_bytes(), Version::V4).unwrap().unwrap();
        assert!(v4.contains("PHOTO:data:image/png;base64\\,iVBORw0KGgo="), "{v4}");
    }

    #[test]
    fn apple_groups_become_kind_and_member() {
        let group = "BEGIN:VCARD\r\nVERSION:3.0\r\nUID:g1\r\nFN:Team\r\nX-ADDRESSBOOKSERVER-KIND:group\r\n\
            X-ADDRESSBOOKSERVER-MEMBER:urn:uuid:abc-1\r\nEND:VCARD\r\n";
        let v4 = convert(group.as_bytes(), Version::V4).unwrap().unwrap();
        assert!(v4.to_ascii_lowercase().contains("kind:group"), "KIND values are case-insensitive: {v4}");
        assert!(v4.contains("MEMBER:urn:uuid:abc-1"), "{v4}");
        let v3 = convert(v4.as_bytes(), Version::V3).unwrap().unwrap();
        assert!(v3.contains("X-ADDRESSBOOKSERVER-KIND:group"), "{v3}");
        assert!(v3.contains("X-ADDRESSBOOKSERVER-MEMBER:urn:uuid:abc-1"), "{v3}");
    }

    #[test]
    fn exports_split_into_cards() {
        let stream = "BEGIN:VCARD\nVERSION:3.0\nFN:Ann\nUID:a-1\nEND:VCARD\nBEGIN:VCARD\r\nVERSION:3.0\r\nFN:Bob\r\nEND:VCARD\r\n";
        let cards = super::split_cards(stream);
        assert_eq!(cards.len(), 2);
        assert_eq!(
            cards[0],
            ("a-1".to_owned(), "BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Ann\r\nUID:a-1\r\nEND:VCARD\r\n".to_owned())
        );
        let (uid, text) = &cards[1];
        assert!(uid.starts_with("agora-import-"));
        assert_eq!(text, &format!("BEGIN:VCARD\r\nVERSION:3.0\r\nUID:{uid}\r\nFN:Bob\r\nEND:VCARD\r\n"));
        assert_eq!(super::split_cards(stream)[1].0, *uid, "the same card gets the same UID");
        assert!(super::parse_vcard(text.as_bytes()).is_ok());
    }

    #[test]
    fn split_reads_folded_and_parameterised_uids() {
        let stream = "begin:vcard\nVERSION:3.0\nU\n ID;X-P=\"a:b\":folded-1\nFN:Ann\nend:vcard\n";
        let cards = super::split_cards(stream);
        assert_eq!(cards.len(), 1);
        assert_eq!(cards[0].0, "folded-1");
        assert_eq!(
            cards[0].1,
            "begin:vcard\r\nVERSION:3.0\r\nU\r\n ID;X-P=\"a:b\":folded-1\r\nFN:Ann\r\nend:vcard\r\n"
        );
    }
}
