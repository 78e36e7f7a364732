//! What a client may write: the checks and repairs an iCalendar or vCard body
//! passes on its way into a collection (PUT, import, COPY/MOVE), before it is
//! stored. Objects already stored are read leniently ([`CalendarObject::parse`],
//! [`vcard::parse_vcard`]); what is refused here is what the server could not
//! read the same way on every path, or what RFC 5545 / RFC 4791 forbid.
//!
//! Repairs are made where real clients are known to send the fault, on parsed
//! lines, and the result is written with [`content`]'s writer; an object that
//! was repaired is stored as repaired, so the server must not return an ETag
//! for it (RFC 4791 §5.3.4: the client fetches what was stored).
//!
//! | fault | what happens |
//! |---|---|
//! | a UTF-8 byte-order mark first | removed ([`Repair::ByteOrderMark`]) |
//! | a line folded inside a UTF-8 character | unfolded and folded again ([`Repair::SplitCharacter`]) |
//! | `METHOD:PUBLISH` (a calendar saved as .ics) | removed ([`Repair::Method`]) |
//! | any other `METHOD` (an iTIP message) | refused, RFC 4791 §4.1 |
//! | a TZID no VTIMEZONE defines and no known name resolves | refused |
//! | a TEXT escape other than `\\ \; \, \n \N` | refused, RFC 5545 §3.3.11 |
//! | SEQUENCE, REPEAT, PRIORITY, PERCENT-COMPLETE not an integer (in range) | refused |
//! | control characters, unreadable lines | refused by the strict reader |

use crate::content::{self, BOM, Line};
use crate::vcard::{self, CardInfo, VcardError};
use crate::{CalendarObject, IcalError};

/// A change made to a body on its way in.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Repair {
    /// A leading UTF-8 byte-order mark was removed (it is not content; some
    /// Windows tools and Outlook exports write it).
    ByteOrderMark,
    /// A line was folded inside a multi-octet UTF-8 character, so the body was
    /// not UTF-8 until unfolded; RFC 5545 §3.1 (and RFC 6350 §3.2) tell readers
    /// to unfold octets so as to restore the character. It is written back
    /// folded between characters.
    SplitCharacter,
    /// The VCALENDAR's `METHOD` (this value) was removed: a calendar object
    /// resource must not have one (RFC 4791 §4.1), and calendars saved as .ics
    /// files carry `METHOD:PUBLISH`.
    Method(String),
}

impl std::fmt::Display for Repair {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Repair::ByteOrderMark => f.write_str("byte-order mark removed"),
            Repair::SplitCharacter => f.write_str("a line folded inside a UTF-8 character refolded"),
            Repair::Method(m) => write!(f, "METHOD:{m} removed"),
        }
    }
}

/// A body the server accepts: the bytes to store, what was repaired, what was read.
#[derive(Debug, Clone)]
pub struct Admitted<T> {
    /// The bytes to store (the ones sent when `repairs` is empty).
    pub data: Vec<u8>,
    /// What was changed, in order; empty when the body is stored as sent.
    pub repairs: Vec<Repair>,
    /// The parsed object.
    pub parsed: T,
}

/// Checks (and repairs) a calendar object resource; see the module docs.
pub fn calendar(data: Vec<u8>) -> Result<Admitted<CalendarObject>, IcalError> {
    let (data, mut repairs) = without_bom(data);
    let mut data = rejoined(data, &mut repairs);
    let text = std::str::from_utf8(&data).map_err(|_| IcalError::Invalid("not UTF-8".into()))?;
    let method = check_lines(text)?;
    if let Some(method) = method {
        if !method.eq_ignore_ascii_case("PUBLISH") {
            return Err(IcalError::NotAnObjectResource(format!(
                "METHOD:{method}: an iTIP message is not a calendar object resource (RFC 4791 §4.1)"
            )));
        }
        // Written back from the strict tree; an object that is not one VCALENDAR
        // is left for `CalendarObject::parse` to refuse.
        let mut nodes = content::parse_all(text).map_err(|e| IcalError::Invalid(e.to_string()))?;
        if let [root] = nodes.as_mut_slice() {
            root.lines.retain(|l| l.name != "METHOD");
            data = content::serialize(root).into_bytes();
            repairs.push(Repair::Method(method));
        }
    }
    let parsed = CalendarObject::parse(&data)?;
    if let Some(tzid) = parsed.unresolved_tzids().first() {
        return Err(IcalError::NotAnObjectResource(format!(
            "TZID {tzid}: no VTIMEZONE in the object defines it and it names no known time zone"
        )));
    }
    Ok(Admitted { data, repairs, parsed })
}

/// Checks (and repairs) an address object resource; see the module docs.
pub fn card(data: Vec<u8>) -> Result<Admitted<CardInfo>, VcardError> {
    let (data, mut repairs) = without_bom(data);
    let data = rejoined(data, &mut repairs);
    let parsed = vcard::parse_vcard(&data)?;
    Ok(Admitted { data, repairs, parsed })
}

/// Removes every leading byte-order mark (a file converted twice may have two;
/// removing one would leave the object to be repaired again).
fn without_bom(mut data: Vec<u8>) -> (Vec<u8>, Vec<Repair>) {
    let mut bom = [0u8; 3];
    BOM.encode_utf8(&mut bom);
    let mut n = 0;
    while data[n..].starts_with(&bom) {
        n += bom.len();
    }
    if n == 0 {
        return (data, Vec::new());
    }
    data.drain(..n);
    (data, vec![Repair::ByteOrderMark])
}

/// A body that is UTF-8 only once unfolded octet by octet (a fold — CRLF or LF,
/// then a space or tab — cut a character in two) is unfolded and written back
/// by [`content`]'s writer, which folds between characters. Any other body is
/// returned as it is, and one that stays unreadable is refused by the parser.
fn rejoined(data: Vec<u8>, repairs: &mut Vec<Repair>) -> Vec<u8> {
    if std::str::from_utf8(&data).is_ok() {
        return data;
    }
    let mut out = Vec::with_capacity(data.len());
    let mut i = 0;
    while i < data.len() {
        let fold = match &data[i..] {
            [b'\r', b'\n', b' ' | b'\t', ..] => 3,
            [b'\n', b' ' | b'\t', ..] => 2,
            _ => 0,
        };
        if fold > 0 {
            i += fold;
        } else {
            out.push(data[i]);
            i += 1;
        }
    }
    let Ok(text) = std::str::from_utf8(&out) else { return data };
    let Ok(nodes) = content::parse_all(text) else { return data };
    repairs.push(Repair::SplitCharacter);
    nodes.iter().map(content::serialize).collect::<String>().into_bytes()
}

/// Properties whose value is TEXT (RFC 5545 §3.8) unless a VALUE parameter says otherwise.
const TEXT: &[&str] = &[
    "CATEGORIES",
    "COMMENT",
    "CONTACT",
    "DESCRIPTION",
    "LOCATION",
    "RELATED-TO",
    "RESOURCES",
    "SUMMARY",
    "TZNAME",
    "UID",
];

/// INTEGER properties (RFC 5545 §3.8) and the range their definition gives (none for
/// SEQUENCE and REPEAT: only the value type is checked).
const INTEGER: &[(&str, i64, i64)] = &[
    ("PERCENT-COMPLETE", 0, 100),
    ("PRIORITY", 0, 9),
    ("REPEAT", i64::MIN, i64::MAX),
    ("SEQUENCE", i64::MIN, i64::MAX),
];

/// Checks the values of every readable line and returns the VCALENDAR's METHOD.
/// Lines the strict reader refuses are left to [`CalendarObject::parse`], which
/// reports them with their line.
fn check_lines(text: &str) -> Result<Option<String>, IcalError> {
    let mut depth = 0usize;
    let mut method = None;
    for logical in content::logical_lines(text) {
        let Ok(line) = logical.parse_strict() else { continue };
        let bad = |what: String| IcalError::Invalid(format!("line {}: {}: {what}", logical.number, line.name));
        match line.name.as_str() {
            "BEGIN" => depth += 1,
            "END" => depth = depth.saturating_sub(1),
            "METHOD" if depth == 1 => method = Some(line.value.trim().to_owned()),
            name if TEXT.contains(&name) && is_text(&line) => {
                if let Some(esc) = bad_escape(&line.value) {
                    return Err(bad(format!(
                        "bad escape sequence {esc} (RFC 5545 §3.3.11 allows only \\\\ \\; \\, \\n \\N)"
                    )));
                }
            }
            name => {
                if let Some(&(_, min, max)) = INTEGER.iter().find(|(n, ..)| *n == name) {
                    match line.value.trim().parse::<i64>() {
                        Ok(v) if (min..=max).contains(&v) => {}
                        Ok(v) => return Err(bad(format!("{v} is outside {min}..{max}"))),
                        Err(_) => return Err(bad(format!("{:?} is not an integer", line.value))),
                    }
                }
            }
        }
    }
    Ok(method)
}

fn is_text(line: &Line) -> bool {
    line.param("VALUE").is_none_or(|v| v.eq_ignore_ascii_case("TEXT"))
}

/// The first backslash sequence RFC 5545 §3.3.11 does not define, as written.
fn bad_escape(value: &str) -> Option<String> {
    let mut chars = value.chars();
    while let Some(c) = chars.next() {
        if c == '\\' {
            match chars.next() {
                Some('\\' | ';' | ',' | 'n' | 'N') => {}
                Some(other) => return Some(format!("\\{other}")),
                None => return Some("\\ at the end".into()),
            }
        }
    }
    None
}

#[cfg(test)]
mod tests;
