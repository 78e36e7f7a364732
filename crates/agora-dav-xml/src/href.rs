//! Hrefs of stored paths (RFC 4918 §8.3: hrefs are URI references).

use percent_encoding::{AsciiSet, CONTROLS, utf8_percent_encode};

/// Characters escaped in hrefs: everything but unreserved characters, `@`, and the
/// sub-delimiters that are safe in a path segment.
const SEGMENT: &AsciiSet = &CONTROLS
    .add(b' ')
    .add(b'"')
    .add(b'#')
    .add(b'%')
    .add(b'/')
    .add(b'<')
    .add(b'>')
    .add(b'?')
    .add(b'[')
    .add(b'\\')
    .add(b']')
    .add(b'^')
    .add(b'`')
    .add(b'{')
    .add(b'|')
    .add(b'}');

/// The href of a decoded stored path (`calendars/a b/` → `/calendars/a%20b/`).
pub fn href(path: &str) -> String {
    let mut out = String::with_capacity(path.len() + 1);
    for seg in path.split('/') {
        out.push('/');
        out.extend(utf8_percent_encode(seg, SEGMENT));
    }
    if path.is_empty() {
        return "/".into();
    }
    out
}
