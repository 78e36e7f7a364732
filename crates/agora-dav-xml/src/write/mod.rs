//! Response writing: the streaming [`MultistatusWriter`] (RFC 4918 §13,
//! §14.16) and `<D:error>` bodies ([`error_body`]).

mod precondition;

pub use precondition::{NeedPrivilege, Precondition, error_body, error_body_with};

use std::io::{self, Write};

use crate::escape::{push_attr, push_text};
use crate::name::PropName;
use crate::{NS_APPLE_ICAL, NS_CALDAV, NS_CALENDARSERVER, NS_CARDDAV, NS_DAV};

/// The namespaces declared on `<D:multistatus>`, with their prefixes. Other
/// namespaces are declared on the element that uses them.
pub const DECLARED_NAMESPACES: [(&str, &str); 5] =
    [("D", NS_DAV), ("C", NS_CALDAV), ("CARD", NS_CARDDAV), ("CS", NS_CALENDARSERVER), ("ICAL", NS_APPLE_ICAL)];

/// The prefix used for a namespace that is not pre-declared; it is declared
/// on each element that uses it, so it never clashes.
const LOCAL_PREFIX: &str = "X";

/// The value of one property in a response.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Content {
    /// No value: `<D:getetag/>` (also for names in a 404 propstat and in a
    /// PROPPATCH answer).
    Empty,
    /// Text, escaped on write.
    Text(String),
    /// `<D:href>` children (escaped on write), e.g. current-user-principal.
    Hrefs(Vec<String>),
    /// Already-serialized XML children, written as is, e.g.
    /// `<D:collection/><C:calendar/>`. They may only use the prefixes of
    /// [`DECLARED_NAMESPACES`] or declare their own.
    Raw(String),
    /// Text with a `content-type` attribute on the property element, e.g.
    /// `<C:calendar-data content-type="application/calendar+json">` (RFC 7265
    /// §6, RFC 7095 §6: a report's data names its media type when it is not the default).
    Typed {
        /// The media type, written as the `content-type` attribute.
        content_type: String,
        /// The text, escaped on write.
        text: String,
    },
    /// A whole property element written as is (a [`DeadProperty`]'s `xml`);
    /// the property name is not written again.
    ///
    /// [`DeadProperty`]: crate::DeadProperty
    Verbatim(String),
}

/// One property and its value.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PropValue {
    /// The property.
    pub name: PropName,
    /// Its value.
    pub content: Content,
}

impl PropValue {
    /// A property with a value.
    pub fn new(name: PropName, content: Content) -> Self {
        PropValue { name, content }
    }

    /// A property without value (`Content::Empty`).
    pub fn empty(name: PropName) -> Self {
        PropValue { name, content: Content::Empty }
    }
}

/// A `<D:propstat>`: properties sharing one status.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PropStat {
    /// HTTP status code, e.g. 200 or 404.
    pub status: u16,
    /// The properties.
    pub props: Vec<PropValue>,
}

/// Writes a `207 Multi-Status` body response by response, so that large
/// reports need not be held in memory twice.
///
/// Order: [`begin`](Self::begin), any number of `response*` calls, at most
/// one [`sync_token`](Self::sync_token) (after the responses, RFC 6578
/// §6.4), then [`finish`](Self::finish).
#[derive(Debug)]
pub struct MultistatusWriter<W: Write> {
    out: W,
    buf: String,
}

impl<W: Write> MultistatusWriter<W> {
    /// Writes the XML declaration and the `<D:multistatus>` start tag with
    /// the [`DECLARED_NAMESPACES`].
    pub fn begin(out: W) -> io::Result<Self> {
        let mut buf = String::from("<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<D:multistatus");
        for (prefix, ns) in DECLARED_NAMESPACES {
            buf.push_str(" xmlns:");
            buf.push_str(prefix);
            buf.push_str("=\"");
            push_attr(&mut buf, ns);
            buf.push('"');
        }
        buf.push('>');
        let mut w = MultistatusWriter { out, buf };
        w.flush_buf()?;
        Ok(w)
    }

    /// A `<D:response>` with propstats (see [`push_response`]).
    pub fn response(&mut self, href: &str, propstats: &[PropStat]) -> io::Result<()> {
        push_response(&mut self.buf, href, propstats);
        self.flush_buf()
    }

    /// A `<D:response>` with only a status, e.g. 404 for a member removed
    /// since the sync token (RFC 6578 §3.5.2) or a missing multiget href.
    pub fn response_status(&mut self, href: &str, status: u16) -> io::Result<()> {
        self.buf.push_str("<D:response>");
        push_href(&mut self.buf, href);
        push_status(&mut self.buf, status);
        self.buf.push_str("</D:response>");
        self.flush_buf()
    }

    /// A `<D:response>` with a status and a `<D:error>` (RFC 4918 §14.24).
    pub fn response_error(&mut self, href: &str, status: u16, condition: &Precondition) -> io::Result<()> {
        self.buf.push_str("<D:response>");
        push_href(&mut self.buf, href);
        push_status(&mut self.buf, status);
        self.buf.push_str("<D:error>");
        condition.write(&mut self.buf);
        self.buf.push_str("</D:error></D:response>");
        self.flush_buf()
    }

    /// `<D:sync-token>` after the responses (RFC 6578 §6.4).
    pub fn sync_token(&mut self, token: &str) -> io::Result<()> {
        self.buf.push_str("<D:sync-token>");
        push_text(&mut self.buf, token);
        self.buf.push_str("</D:sync-token>");
        self.flush_buf()
    }

    /// Closes `<D:multistatus>` and returns the output.
    pub fn finish(mut self) -> io::Result<W> {
        self.buf.push_str("</D:multistatus>");
        self.flush_buf()?;
        Ok(self.out)
    }

    fn flush_buf(&mut self) -> io::Result<()> {
        self.out.write_all(self.buf.as_bytes())?;
        self.buf.clear();
        Ok(())
    }
}

/// Appends a `<D:response>` with propstats, using the prefixes of
/// [`DECLARED_NAMESPACES`]: for the writer, and for responses nested in a
/// property value (`DAV:expand-property`, RFC 3253 §3.8). Propstats without
/// properties are left out, unless all are empty (a response needs a propstat).
pub fn push_response(buf: &mut String, href: &str, propstats: &[PropStat]) {
    buf.push_str("<D:response>");
    push_href(buf, href);
    let non_empty: Vec<&PropStat> = propstats.iter().filter(|p| !p.props.is_empty()).collect();
    let fallback = [PropStat { status: 200, props: Vec::new() }];
    let chosen: Vec<&PropStat> = match (non_empty.is_empty(), propstats.first()) {
        (false, _) => non_empty,
        (true, Some(first)) => vec![first],
        (true, None) => fallback.iter().collect(),
    };
    for ps in chosen {
        buf.push_str("<D:propstat><D:prop>");
        for p in &ps.props {
            write_prop(buf, p);
        }
        buf.push_str("</D:prop>");
        push_status(buf, ps.status);
        buf.push_str("</D:propstat>");
    }
    buf.push_str("</D:response>");
}

/// The reason phrase of an HTTP status code (RFC 9110 §15).
pub fn reason_phrase(status: u16) -> &'static str {
    match status {
        200 => "OK",
        201 => "Created",
        204 => "No Content",
        207 => "Multi-Status",
        301 => "Moved Permanently",
        302 => "Found",
        304 => "Not Modified",
        400 => "Bad Request",
        401 => "Unauthorized",
        403 => "Forbidden",
        404 => "Not Found",
        405 => "Method Not Allowed",
        409 => "Conflict",
        412 => "Precondition Failed",
        413 => "Content Too Large",
        415 => "Unsupported Media Type",
        422 => "Unprocessable Content",
        423 => "Locked",
        424 => "Failed Dependency",
        500 => "Internal Server Error",
        501 => "Not Implemented",
        502 => "Bad Gateway",
        503 => "Service Unavailable",
        507 => "Insufficient Storage",
        _ => "Unknown",
    }
}

/// The `<D:status>` text, e.g. `HTTP/1.1 404 Not Found`.
pub fn status_line(status: u16) -> String {
    format!("HTTP/1.1 {status} {}", reason_phrase(status))
}

fn push_status(out: &mut String, status: u16) {
    out.push_str("<D:status>");
    out.push_str(&status_line(status));
    out.push_str("</D:status>");
}

/// Appends `<D:href>escaped</D:href>`.
pub(crate) fn push_href(out: &mut String, href: &str) {
    out.push_str("<D:href>");
    push_text(out, href);
    out.push_str("</D:href>");
}

fn write_prop(out: &mut String, p: &PropValue) {
    match &p.content {
        Content::Verbatim(xml) => out.push_str(xml),
        Content::Empty => open_tag(out, &p.name, true),
        Content::Text(t) if t.is_empty() => open_tag(out, &p.name, true),
        Content::Text(t) => {
            open_tag(out, &p.name, false);
            push_text(out, t);
            close_tag(out, &p.name);
        }
        Content::Typed { content_type, text } => {
            open_tag_attrs(out, &p.name, &[("content-type", content_type)], false);
            push_text(out, text);
            close_tag(out, &p.name);
        }
        Content::Hrefs(hrefs) => {
            open_tag(out, &p.name, hrefs.is_empty());
            if !hrefs.is_empty() {
                hrefs.iter().for_each(|h| push_href(out, h));
                close_tag(out, &p.name);
            }
        }
        Content::Raw(raw) => {
            open_tag(out, &p.name, raw.is_empty());
            if !raw.is_empty() {
                out.push_str(raw);
                close_tag(out, &p.name);
            }
        }
    }
}

/// The prefix for `ns` among [`DECLARED_NAMESPACES`].
fn declared_prefix(ns: &str) -> Option<&'static str> {
    DECLARED_NAMESPACES.iter().find(|(_, n)| *n == ns).map(|(p, _)| *p)
}

/// Appends a start tag (or an empty-element tag), declaring the namespace on
/// the element itself when it is not pre-declared.
pub(crate) fn open_tag(out: &mut String, name: &PropName, empty: bool) {
    open_tag_attrs(out, name, &[], empty);
}

/// [`open_tag`] with attributes (names without a prefix, values escaped).
fn open_tag_attrs(out: &mut String, name: &PropName, attrs: &[(&str, &str)], empty: bool) {
    out.push('<');
    match declared_prefix(&name.ns) {
        Some(prefix) => {
            out.push_str(prefix);
            out.push(':');
            out.push_str(&name.local);
        }
        None if name.ns.is_empty() => out.push_str(&name.local),
        None => {
            out.push_str(LOCAL_PREFIX);
            out.push(':');
            out.push_str(&name.local);
            out.push_str(" xmlns:");
            out.push_str(LOCAL_PREFIX);
            out.push_str("=\"");
            push_attr(out, &name.ns);
            out.push('"');
        }
    }
    for (attr, value) in attrs {
        out.push(' ');
        out.push_str(attr);
        out.push_str("=\"");
        push_attr(out, value);
        out.push('"');
    }
    out.push_str(if empty { "/>" } else { ">" });
}

/// Appends the end tag matching [`open_tag`].
pub(crate) fn close_tag(out: &mut String, name: &PropName) {
    out.push_str("</");
    match declared_prefix(&name.ns) {
        Some(prefix) => {
            out.push_str(prefix);
            out.push(':');
        }
        None if name.ns.is_empty() => {}
        None => {
            out.push_str(LOCAL_PREFIX);
            out.push(':');
        }
    }
    out.push_str(&name.local);
    out.push('>');
}
