//! jCal (RFC 7265) and jCard (RFC 7095): the JSON forms of iCalendar (RFC 5545)
//! and vCard (RFC 6350), converted both ways.
//!
//! * [`icalendar_to_jcal`] / [`jcal_to_icalendar`] — `["vcalendar", [props], [components]]`.
//! * [`vcard_to_jcard`] / [`jcard_to_vcard`] — `["vcard", [props]]`.
//!
//! A property is `[name, {params}, type, value, ...]` with lower-case names and
//! parameter names. The value type comes from the `VALUE` parameter (which is then
//! dropped, RFC 7265 §3.4.1.1 / RFC 7095 §3.3.1.1), else from the property's
//! default (RFC 5545 §3.8, RFC 6350 §6); properties whose default is unknown
//! (X- and unregistered names) get `unknown` and keep their raw text (RFC 7265 §5,
//! RFC 7095 §5). Going back, `VALUE` is written only when the type differs from
//! the default, and `unknown` values are written as they are.
//!
//! # Decisions
//! * A text holding one top-level component gives one jCal/jCard object; several
//!   (a stream) give a JSON array of objects (RFC 7265 §3.2, RFC 7095 §3.2). The
//!   reverse functions accept both shapes.
//! * Some properties' types are refined by the value's form when there is no
//!   `VALUE`: DTSTART/DTEND/DUE/RECURRENCE-ID/EXDATE/RDATE without a time are
//!   `date`, RDATE with `/` is `period`, TRIGGER with an absolute time is
//!   `date-time`, ATTACH with `ENCODING=BASE64` is `binary`; vCard TZ that
//!   looks like `±hh[mm]` is `utc-offset`, a UID without a URI scheme is
//!   `text`. The reverse then writes the needed `VALUE` (and `ENCODING=BASE64`
//!   for `binary`).
//! * Date/time values are converted between the basic (`20261124T100000Z`) and
//!   extended (`2026-11-24T10:00:00Z`) forms. Reduced-accuracy vCard times keep
//!   their accuracy (`T1430` → `T14:30`; RFC 7095 §6 shows `14:30:00` here).
//! * jCard is defined on vCard 4.0, so `version` is always `"4.0"`. vCard 3.0
//!   input is converted where the mapping is obvious: inline binary
//!   (`PHOTO;ENCODING=b;TYPE=JPEG`) becomes a `data:` URI, `GEO:lat;lon` becomes
//!   a `geo:` URI, `TYPE=a,b` (quoted or not, or repeated) becomes one `type`
//!   array. vCard 2.1 bare parameters (`TEL;CELL:`) are read as `TYPE` values;
//!   quoted-printable is not decoded. Everything else (`TYPE=pref`,
//!   `BDAY;VALUE=date`, X- properties) is kept as written.
//! * A vCard group (`item1.EMAIL`) is the `group` parameter, kept as written
//!   (RFC 7095 §3.3.1.2).
//! * Parameter values use RFC 6868 caret encoding in text and plain strings in
//!   JSON; a parameter with several values is a JSON array, otherwise a string.
//! * Output text uses CRLF and folds lines at 75 octets without splitting a
//!   UTF-8 sequence. A carriage return inside a TEXT value is written as `\n`
//!   (and dropped from parameter values); other non-text values with a line
//!   break are refused.
//! * A content line holding a control character other than HTAB (a bare CR, a
//!   NUL) is refused (RFC 5545 §3.1, RFC 6350 §3.3): it could not be written
//!   back unchanged.
//! * iCalendar properties that follow a sub-component in the text are moved
//!   before the sub-components (jCal keeps the two lists apart).

mod jcal;
mod jcard;
mod props;
mod recur;
pub(crate) mod values;

#[cfg(test)]
mod tests_jcal;
#[cfg(test)]
mod tests_jcard;
#[cfg(test)]
mod tests_prop;
#[cfg(test)]
mod tests_roundtrip;

pub use jcal::{icalendar_to_jcal, jcal_to_icalendar};
pub use jcard::{jcard_to_vcard, vcard_to_jcard};

/// Why a conversion between text and jCal/jCard failed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum JsonError {
    /// The iCalendar/vCard text is malformed.
    Text {
        /// 1-based physical line where the faulty content line starts; 0 when
        /// the problem is not on one line (an unclosed component, no component).
        line: usize,
        /// What is wrong.
        message: String,
    },
    /// The JSON does not have the jCal/jCard shape.
    Shape(String),
    /// A property value cannot be represented in the target format.
    Value {
        /// The property (lower-case).
        property: String,
        /// What is wrong.
        message: String,
    },
}

impl JsonError {
    pub(crate) fn text(line: usize, message: impl Into<String>) -> Self {
        JsonError::Text { line, message: message.into() }
    }

    pub(crate) fn shape(message: impl Into<String>) -> Self {
        JsonError::Shape(message.into())
    }

    pub(crate) fn value(property: &str, message: impl Into<String>) -> Self {
        JsonError::Value { property: property.to_ascii_lowercase(), message: message.into() }
    }
}

impl std::fmt::Display for JsonError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            JsonError::Text { line: 0, message } => f.write_str(message),
            JsonError::Text { line, message } => write!(f, "line {line}: {message}"),
            JsonError::Shape(m) => write!(f, "not a jCal/jCard value: {m}"),
            JsonError::Value { property, message } => write!(f, "property {property}: {message}"),
        }
    }
}

impl std::error::Error for JsonError {}

impl From<crate::content::ContentError> for JsonError {
    fn from(e: crate::content::ContentError) -> Self {
        JsonError::text(e.line, e.kind.to_string())
    }
}

/// Parses a jCal body (bytes as received) into iCalendar text.
pub fn jcal_bytes_to_icalendar(body: &[u8]) -> Result<String, JsonError> {
    let value: serde_json::Value =
        serde_json::from_slice(body).map_err(|e| JsonError::shape(format!("not JSON: {e}")))?;
    jcal_to_icalendar(&value)
}

/// Parses a jCard body (bytes as received) into vCard text.
pub fn jcard_bytes_to_vcard(body: &[u8]) -> Result<String, JsonError> {
    let value: serde_json::Value =
        serde_json::from_slice(body).map_err(|e| JsonError::shape(format!("not JSON: {e}")))?;
    jcard_to_vcard(&value)
}
