//! The internal document tree every request parser works on.
//!
//! [`parse_document`] reads the whole body with quick-xml's `NsReader`,
//! resolving every element and attribute name to its namespace, and keeps the
//! raw qualified names and namespace declarations so that a subtree can be
//! written back verbatim (see `fragment.rs`). Limits are enforced while
//! reading, before anything large is built.

use quick_xml::NsReader;
use quick_xml::events::{BytesStart, Event};
use quick_xml::name::ResolveResult;

use crate::error::{Limits, XmlError};
use crate::name::PropName;

/// An element with resolved names plus what is needed to re-serialize it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct XElem {
    /// The resolved name.
    pub name: PropName,
    /// The qualified name as written (`D:prop`).
    pub qname: String,
    /// Attributes other than namespace declarations, values unescaped.
    pub attrs: Vec<XAttr>,
    /// Namespace declarations on this element: (prefix, "" for default; URI).
    pub decls: Vec<(String, String)>,
    /// Child nodes in document order; adjacent text is merged.
    pub children: Vec<XNode>,
}

/// An attribute with its resolved and its written name.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct XAttr {
    pub name: PropName,
    pub qname: String,
    pub value: String,
}

/// A child node.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum XNode {
    Elem(XElem),
    Text(String),
}

impl XElem {
    /// Whether this element is `{ns}local`.
    pub fn is(&self, ns: &str, local: &str) -> bool {
        self.name.is(ns, local)
    }

    /// The child elements, skipping text.
    pub fn elements(&self) -> impl Iterator<Item = &XElem> {
        self.children.iter().filter_map(|c| match c {
            XNode::Elem(e) => Some(e),
            XNode::Text(_) => None,
        })
    }

    /// The first child element named `{ns}local`.
    pub fn child(&self, ns: &str, local: &str) -> Option<&XElem> {
        self.elements().find(|e| e.is(ns, local))
    }

    /// All text of this element and its descendants, concatenated.
    pub fn text(&self) -> String {
        let mut out = String::new();
        self.collect_text(&mut out);
        out
    }

    fn collect_text(&self, out: &mut String) {
        for c in &self.children {
            match c {
                XNode::Text(t) => out.push_str(t),
                XNode::Elem(e) => e.collect_text(out),
            }
        }
    }

    /// The value of the attribute `local` in no namespace (the usual case
    /// for CalDAV/CardDAV attributes such as `name` or `start`).
    pub fn attr(&self, local: &str) -> Option<&str> {
        self.attrs.iter().find(|a| a.name.is("", local)).map(|a| a.value.as_str())
    }

    /// The prefix of the written name, "" for none.
    pub fn prefix(&self) -> &str {
        prefix_of(&self.qname)
    }
}

/// The prefix of a qualified name, "" for none.
pub(crate) fn prefix_of(qname: &str) -> &str {
    qname.split_once(':').map_or("", |(p, _)| p)
}

/// Parses a whole document. `Ok(None)` means the body holds no element at
/// all (empty, whitespace, or only an XML declaration and comments).
/// Whether a character may appear in an XML 1.0 document (§2.2 `Char`).
fn is_xml_char(c: char) -> bool {
    matches!(c, '\t' | '\n' | '\r') || (c >= ' ' && c != '\u{FFFE}' && c != '\u{FFFF}')
}

/// Refuses characters XML 1.0 does not allow, literal or as references: a dead
/// property holding one could not be written back as it came.
pub(crate) fn check_chars(s: &str) -> Result<(), XmlError> {
    match s.chars().find(|c| !is_xml_char(*c)) {
        Some(c) => Err(XmlError::Malformed(format!("character U+{:04X} is not allowed in XML", c as u32))),
        None => Ok(()),
    }
}

/// Refuses numeric character references to characters XML 1.0 does not allow
/// (`&#x1;`): a well-formedness constraint (§4.1) that the reader leaves to us.
fn check_char_refs(raw: &str) -> Result<(), XmlError> {
    let mut rest = raw;
    while let Some(i) = rest.find("&#") {
        let after = &rest[i + 2..];
        let end = after.find(';').unwrap_or(after.len());
        let digits = &after[..end];
        let code = match digits.strip_prefix('x').or_else(|| digits.strip_prefix('X')) {
            Some(hex) => u32::from_str_radix(hex, 16).ok(),
            None => digits.parse::<u32>().ok(),
        };
        if !code.and_then(char::from_u32).is_some_and(is_xml_char) {
            return Err(XmlError::Malformed(format!("character reference &#{digits}; is not allowed in XML")));
        }
        rest = &after[end..];
    }
    Ok(())
}

pub(crate) fn parse_document(body: &[u8], limits: &Limits) -> Result<Option<XElem>, XmlError> {
    // On the whole body, even when it is not UTF-8 (bytes that are not UTF-8
    // may sit in a processing instruction the reader skips): a reference the
    // check misses would be kept in a dead property that cannot be read back.
    check_char_refs(&String::from_utf8_lossy(body))?;
    if let Some(i) = body.iter().position(|b| *b < 0x20 && !matches!(b, b'\t' | b'\n' | b'\r')) {
        return Err(XmlError::Malformed(format!(
            "control character 0x{:02X} at byte {i} is not allowed in XML",
            body[i]
        )));
    }
    let mut reader = NsReader::from_reader(body);
    let mut stack: Vec<XElem> = Vec::new();
    let mut root: Option<XElem> = None;
    let mut elements = 0usize;
    loop {
        let event = match reader.read_resolved_event() {
            Ok((_, ev)) => ev,
            Err(e) => return Err(XmlError::Malformed(format!("{e} (at byte {})", reader.error_position()))),
        };
        match event {
            Event::Start(ref start) | Event::Empty(ref start) => {
                if root.is_some() {
                    return Err(XmlError::Malformed("more than one document element".into()));
                }
                if stack.len() >= limits.max_depth {
                    return Err(XmlError::TooDeep);
                }
                elements += 1;
                if elements > limits.max_elements() {
                    return Err(XmlError::TooManyProperties);
                }
                let elem = read_start(&reader, start)?;
                if matches!(event, Event::Start(_)) {
                    stack.push(elem);
                } else {
                    close(&mut stack, &mut root, elem);
                }
            }
            Event::End(_) => {
                // quick-xml checks that end names match their start tags.
                let elem = stack.pop().ok_or_else(|| XmlError::Malformed("unexpected end tag".into()))?;
                close(&mut stack, &mut root, elem);
            }
            Event::Text(t) => {
                let text = t.xml10_content().map_err(|e| malformed(&reader, e))?;
                check_chars(&text)?;
                push_text(&mut stack, &text)?;
            }
            Event::CData(t) => {
                let text = t.xml10_content().map_err(|e| malformed(&reader, e))?;
                push_text(&mut stack, &text)?;
            }
            Event::GeneralRef(r) => {
                let ch = match r.resolve_char_ref().map_err(|e| malformed(&reader, e))? {
                    Some(ch) => ch.to_string(),
                    None => {
                        let name = r.decode().map_err(|e| malformed(&reader, e))?;
                        match quick_xml::escape::resolve_predefined_entity(&name) {
                            Some(s) => s.to_owned(),
                            None => return Err(XmlError::Malformed(format!("undefined entity &{name};"))),
                        }
                    }
                };
                push_text(&mut stack, &ch)?;
            }
            // RFC 4918 §20.6: DTDs enable entity-expansion attacks; refuse them.
            Event::DocType(_) => return Err(XmlError::Malformed("DOCTYPE declarations are not allowed".into())),
            Event::Decl(_) | Event::PI(_) | Event::Comment(_) => {}
            Event::Eof => break,
        }
    }
    if let Some(open) = stack.last() {
        return Err(XmlError::Malformed(format!("unexpected end of document inside <{}>", open.qname)));
    }
    Ok(root)
}

fn close(stack: &mut [XElem], root: &mut Option<XElem>, elem: XElem) {
    match stack.last_mut() {
        Some(parent) => parent.children.push(XNode::Elem(elem)),
        None => *root = Some(elem),
    }
}

fn push_text(stack: &mut [XElem], text: &str) -> Result<(), XmlError> {
    let Some(parent) = stack.last_mut() else {
        if text.chars().all(char::is_whitespace) {
            return Ok(());
        }
        return Err(XmlError::Malformed("text outside the document element".into()));
    };
    if let Some(XNode::Text(prev)) = parent.children.last_mut() {
        prev.push_str(text);
    } else {
        parent.children.push(XNode::Text(text.to_owned()));
    }
    Ok(())
}

fn read_start(reader: &NsReader<&[u8]>, start: &BytesStart<'_>) -> Result<XElem, XmlError> {
    let qname = utf8(start.name().as_ref())?;
    let (res, local) = reader.resolve_element(start.name());
    let name = PropName::new(namespace(res, &qname)?, utf8(local.as_ref())?);
    let mut attrs = Vec::new();
    let mut decls = Vec::new();
    for attr in start.attributes().with_checks(true) {
        let attr = attr.map_err(|e| XmlError::Malformed(format!("{e} in <{qname}>")))?;
        let key = utf8(attr.key.as_ref())?;
        let value = attr.unescape_value().map_err(|e| XmlError::Malformed(format!("{e} in <{qname}>")))?.into_owned();
        check_chars(&value)?;
        if key == "xmlns" {
            decls.push((String::new(), value));
        } else if let Some(prefix) = key.strip_prefix("xmlns:") {
            decls.push((prefix.to_owned(), value));
        } else {
            let (res, local) = reader.resolve_attribute(attr.key);
            let name = PropName::new(namespace(res, &key)?, utf8(local.as_ref())?);
            attrs.push(XAttr { name, qname: key, value });
        }
    }
    Ok(XElem { name, qname, attrs, decls, children: Vec::new() })
}

fn namespace(res: ResolveResult<'_>, qname: &str) -> Result<String, XmlError> {
    match res {
        // quick-xml resolves to the raw attribute value; unescape it.
        ResolveResult::Bound(ns) => {
            let raw = utf8(ns.as_ref())?;
            let ns = quick_xml::escape::unescape(&raw)
                .map(|ns| ns.into_owned())
                .map_err(|e| XmlError::Malformed(format!("{e} in a namespace name")))?;
            check_chars(&ns)?;
            Ok(ns)
        }
        ResolveResult::Unbound => Ok(String::new()),
        ResolveResult::Unknown(_) => Err(XmlError::Malformed(format!("undeclared namespace prefix in {qname}"))),
    }
}

fn utf8(bytes: &[u8]) -> Result<String, XmlError> {
    std::str::from_utf8(bytes).map(str::to_owned).map_err(|_| XmlError::Malformed("invalid UTF-8 in a name".into()))
}

fn malformed(reader: &NsReader<&[u8]>, err: impl std::fmt::Display) -> XmlError {
    XmlError::Malformed(format!("{err} (near byte {})", reader.buffer_position()))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn err(body: &[u8]) -> String {
        match parse_document(body, &Limits::default()) {
            Err(e) => e.to_string(),
            Ok(r) => panic!("accepted: {r:?}"),
        }
    }

    #[test]
    fn malformed_messages_say_why_and_where() {
        let m = err(b"<a xmlns='DAV:'><b></a>");
        assert!(m.starts_with("malformed XML: ") && m.contains("byte"), "{m}");
        assert!(err(b"<a>").contains("inside <a>"));
        assert!(err(b"<x:a/>").contains("undeclared namespace prefix"));
        assert!(err(b"<a>&bogus;</a>").contains("undefined entity &bogus;"));
        assert!(err(b"<!DOCTYPE a><a/>").contains("DOCTYPE"));
        assert!(err(b"<a/><b/>").contains("more than one document element"));
        assert!(err(b"<a/>junk").contains("text outside"));
        assert!(err(b"<a x='1' x='2'/>").contains("<a>"));
        err(b"<a>\xff\xfe</a>");
        err(b"<\xff/>");
    }

    #[test]
    fn accepts_bom_declaration_comments_and_char_refs() {
        let body = "\u{feff}<?xml version=\"1.0\"?><!-- c --><a xmlns=\"DAV:\">x&#65;&#x42;&lt;<![CDATA[&]]></a>";
        let root = parse_document(body.as_bytes(), &Limits::default()).unwrap().unwrap();
        assert_eq!(root.name, PropName::dav("a"));
        assert_eq!(root.children, [XNode::Text("xAB<&".into())]);
        assert_eq!(parse_document(b"\xef\xbb\xbf  <!-- only -->", &Limits::default()).unwrap(), None);
    }

    #[test]
    fn element_budget() {
        let limits = Limits { max_depth: 4, max_properties: 1 };
        let body = format!("<a>{}</a>", "<b/>".repeat(limits.max_elements()));
        assert_eq!(parse_document(body.as_bytes(), &limits), Err(XmlError::TooManyProperties));
    }
}
