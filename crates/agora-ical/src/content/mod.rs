//! The one content-line reader and writer of Agora (RFC 5545 §3.1, RFC 6350 §3.2-3.3,
//! RFC 6868): every module that reads iCalendar or vCard text line by line goes
//! through it, so a rule about the syntax is written once.
//!
//! Layers, each usable on its own:
//! * [`logical_lines`] — unfolding: the logical lines of a text, each with its
//!   physical text (to copy a line as stored) and the line where it starts.
//! * [`parse_line`] — one unfolded line → [`Line`] (group, name, parameters, raw value).
//! * [`parse`] (lenient) / [`parse_all`] (strict) — the [`Node`] tree.
//! * [`serialize`], [`write_node`], [`write_line`], [`line_text`], [`fold_into`] —
//!   back to text, CRLF, folded at 75 octets.
//!
//! # The rules
//! Once for iCalendar (RFC 5545 §3.1) and vCard (RFC 6350 §3.2):
//! * A byte-order mark at the very start is skipped.
//! * Lines end with CRLF or a bare LF (clients send both).
//! * A line starting with a space or a tab continues the previous one; the line
//!   break and that one character are removed. A continuation with nothing
//!   before it starts a line of its own (which then fails to parse).
//! * Empty lines are ignored, even between a line and its continuation.
//! * `[group.]NAME *(;PARAM=value *(,value)) : value`. Names are case-insensitive
//!   and kept upper-cased; a name is letters, digits and `-` (`iana-token` /
//!   `x-name`). The vCard group is kept as written.
//! * A parameter value is a DQUOTE'd string (which may hold `:` `;` `,`) or runs
//!   to the next `,` `;` `:`; several values are separated by `,`. RFC 6868
//!   escapes (`^n` `^'` `^^`) are decoded. A repeated parameter (`TYPE=a;TYPE=b`)
//!   adds its values to the first. A parameter without `=` (vCard 2.1
//!   `TEL;CELL:`) is a TYPE value.
//! * Strict reading ([`parse_all`], [`parse_line_strict`]) also refuses a DQUOTE
//!   inside an unquoted parameter value and control characters other than HTAB.
//! * The value is everything after the `:` that ends the parameters, as written
//!   (TEXT escapes kept; [`unescape`] undoes them).
//!
//! Semantics (value types, recurrence, validation) come from calcard's parsed
//! object ([`crate::CalendarObject`]); this tree is for what must see the text as
//! written: query filters (RFC 4791 §9.7.5 and RFC 6352 §10.5.4 compare values as
//! written, TEXT escapes undone), iTIP messages and the texts iTIP changes,
//! partial retrieval, feeds, jCal/jCard and the iMIP description.

mod lex;
mod tree;
mod write;

pub use lex::{LineError, Logical, LogicalLines, is_name, logical_lines, parse_line, parse_line_strict, unescape};
pub use tree::{ContentError, ContentErrorKind, parse, parse_all};
pub use write::{fold_into, line_text, serialize, write_line, write_node};

/// The byte-order mark (U+FEFF) some clients put first (Windows tools, Outlook
/// exports); readers skip it, `crate::intake` removes it on the way in.
pub const BOM: char = '\u{feff}';

/// One property line.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Line {
    /// vCard group (`item1` in `item1.EMAIL`), as written.
    pub group: Option<String>,
    /// Upper-cased property name.
    pub name: String,
    /// Parameters: upper-cased name and values (unquoted, RFC 6868 decoded).
    pub params: Vec<(String, Vec<String>)>,
    /// The value as written (TEXT escapes kept).
    pub value: String,
}

impl Line {
    /// A line without group.
    pub fn new(name: impl Into<String>, params: Vec<(String, Vec<String>)>, value: impl Into<String>) -> Line {
        Line { group: None, name: name.into(), params, value: value.into() }
    }

    /// The values of parameter `name` (any case), if present.
    pub fn param_values(&self, name: &str) -> Option<&[String]> {
        self.params.iter().find(|(n, _)| n.eq_ignore_ascii_case(name)).map(|(_, v)| v.as_slice())
    }

    /// The first value of parameter `name` (any case).
    pub fn param(&self, name: &str) -> Option<&str> {
        self.param_values(name).and_then(|v| v.first()).map(String::as_str)
    }

    /// The value as TEXT (RFC 5545 §3.3.11), unescaped.
    pub fn text(&self) -> String {
        unescape(&self.value)
    }
}

/// A component (`BEGIN:X` … `END:X`) with its lines and sub-components.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Node {
    /// Upper-cased component name.
    pub name: String,
    /// Its property lines.
    pub lines: Vec<Line>,
    /// Its sub-components.
    pub children: Vec<Node>,
}

impl Node {
    /// The properties called `name`.
    pub fn props<'a>(&'a self, name: &'a str) -> impl Iterator<Item = &'a Line> {
        self.lines.iter().filter(move |l| l.name.eq_ignore_ascii_case(name))
    }

    /// The sub-components called `name`.
    pub fn comps<'a>(&'a self, name: &'a str) -> impl Iterator<Item = &'a Node> {
        self.children.iter().filter(move |c| c.name.eq_ignore_ascii_case(name))
    }
}

#[cfg(test)]
mod tests;
