//! The component tree built from the [logical lines](super::logical_lines): a
//! lenient reader ([`parse`]) for stored objects and messages, and a strict one
//! ([`parse_all`]) that reports the first fault with its line.

use super::{LineError, Node, logical_lines};

/// What is wrong with a text, for [`parse_all`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ContentErrorKind {
    /// A content line cannot be read.
    Line(LineError),
    /// `END` with no component open.
    EndWithoutBegin,
    /// `END:X` closes the open component `Y`.
    EndMismatch {
        /// The name after `END:`.
        end: String,
        /// The open component.
        open: String,
    },
    /// A property before any `BEGIN` (or after the last `END`).
    PropertyOutside,
    /// The text ends inside this component.
    NotClosed(String),
    /// There is no component at all.
    NoComponent,
    /// A control character other than HTAB (a bare CR, a NUL) in a content line
    /// (RFC 5545 §3.1, RFC 6350 §3.3): strict reading refuses it, since what is
    /// read could not be written back as it was (the jcal and jcard fuzz
    /// targets found such round trips changing the value).
    Control(char),
    /// An empty line between a line and its continuation: the lenient reader
    /// joins them, calcard does not (the vcard fuzz target found calcard's
    /// conversion then writing the continuation as a line of its own).
    EmptyLineInFold,
}

/// A fault in iCalendar or vCard text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ContentError {
    /// 1-based physical line where the faulty content line starts; 0 when the
    /// fault is not on one line (an unclosed component, no component).
    pub line: usize,
    /// What is wrong.
    pub kind: ContentErrorKind,
}

impl std::fmt::Display for ContentErrorKind {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            ContentErrorKind::Line(e) => e.fmt(f),
            ContentErrorKind::EndWithoutBegin => f.write_str("END without BEGIN"),
            ContentErrorKind::EndMismatch { end, open } => write!(f, "END:{end} closes {open}"),
            ContentErrorKind::PropertyOutside => f.write_str("property outside a component"),
            ContentErrorKind::NotClosed(name) => write!(f, "{name} is not closed"),
            ContentErrorKind::NoComponent => f.write_str("no component"),
            ContentErrorKind::Control(c) => write!(f, "control character U+{:04X} in a content line", *c as u32),
            ContentErrorKind::EmptyLineInFold => f.write_str("empty line before a continuation line"),
        }
    }
}

impl std::fmt::Display for ContentError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self.line {
            0 => self.kind.fmt(f),
            n => write!(f, "line {n}: {}", self.kind),
        }
    }
}

impl std::error::Error for ContentError {}

/// How [`build`] treats faults.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Mode {
    /// Skip what cannot be read; stop at the end of the first top-level component.
    Lenient,
    /// Refuse at the first fault; read every top-level component.
    Strict,
}

/// The tree of the first top-level component, read leniently: a line that does
/// not parse, a property outside any component and an `END` with nothing open are
/// skipped (calcard, which validated stored objects, is as tolerant); an `END`
/// closes the innermost open component whatever its name. `None` when there is no
/// complete component.
pub fn parse(text: &str) -> Option<Node> {
    build(text, Mode::Lenient).ok()?.into_iter().next()
}

/// Every top-level component of a text, or the first fault: a line that does not
/// parse, `END` without `BEGIN` or closing another component, a property outside
/// a component, a component left open, no component.
pub fn parse_all(text: &str) -> Result<Vec<Node>, ContentError> {
    build(text, Mode::Strict)
}

fn build(text: &str, mode: Mode) -> Result<Vec<Node>, ContentError> {
    let strict = mode == Mode::Strict;
    let mut stack: Vec<Node> = Vec::new();
    let mut top = Vec::new();
    for logical in logical_lines(text) {
        let fault = |kind| ContentError { line: logical.number, kind };
        if strict
            && let Some(c) = logical
                .raw
                .split('\n')
                .map(|l| l.strip_suffix('\r').unwrap_or(l))
                .find_map(|l| l.chars().find(|c| c.is_control() && *c != '\t'))
        {
            return Err(fault(ContentErrorKind::Control(c)));
        }
        // A logical line's text ends with its last continuation, so an empty
        // physical line inside it lies before a continuation.
        if strict && logical.raw.trim_end_matches(['\r', '\n']).split('\n').any(|l| l.is_empty() || l == "\r") {
            return Err(fault(ContentErrorKind::EmptyLineInFold));
        }
        let parsed = if strict { logical.parse_strict() } else { logical.parse() };
        let line = match parsed {
            Ok(line) => line,
            Err(e) if strict => return Err(fault(ContentErrorKind::Line(e))),
            Err(_) => continue,
        };
        match line.name.as_str() {
            "BEGIN" => stack.push(Node { name: line.value.trim().to_ascii_uppercase(), ..Node::default() }),
            "END" => {
                let Some(node) = stack.pop() else {
                    if strict {
                        return Err(fault(ContentErrorKind::EndWithoutBegin));
                    }
                    continue;
                };
                if strict && !node.name.eq_ignore_ascii_case(line.value.trim()) {
                    let end = line.value.trim().to_owned();
                    return Err(fault(ContentErrorKind::EndMismatch { end, open: node.name }));
                }
                match stack.last_mut() {
                    Some(parent) => parent.children.push(node),
                    None if strict => top.push(node),
                    None => return Ok(vec![node]),
                }
            }
            _ => match stack.last_mut() {
                Some(node) => node.lines.push(line),
                None if strict => return Err(fault(ContentErrorKind::PropertyOutside)),
                None => {}
            },
        }
    }
    if let Some(open) = stack.pop() {
        return Err(ContentError { line: 0, kind: ContentErrorKind::NotClosed(open.name) });
    }
    if top.is_empty() {
        return Err(ContentError { line: 0, kind: ContentErrorKind::NoComponent });
    }
    Ok(top)
}
