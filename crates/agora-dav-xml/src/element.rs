//! Dead properties and the small read-only tree callers use to look inside
//! them: [`DeadProperty`], [`Element`], [`Node`].

use crate::error::{Limits, XmlError};
use crate::escape::{push_attr, push_text};
use crate::fragment::fragment;
use crate::name::PropName;
use crate::tree::{XElem, XNode, parse_document};

/// A property as a client sent it in PROPPATCH, MKCOL or MKCALENDAR.
///
/// `xml` is the property element re-serialized verbatim as a self-contained
/// fragment: its prefixes, attributes (e.g. Apple's `symbolic-color`), text
/// and children, with every namespace prefix it uses declared on its root.
/// It can be stored as is and written back inside `<D:prop>` (see
/// [`Content::Verbatim`](crate::Content::Verbatim)).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct DeadProperty {
    /// The property's name.
    pub name: PropName,
    /// The property element as a self-contained XML fragment.
    pub xml: String,
}

/// Limits for re-reading fragments this crate wrote itself.
const FRAGMENT_LIMITS: Limits = Limits { max_depth: 1024, max_properties: 1 << 20 };

impl DeadProperty {
    pub(crate) fn from_elem(elem: &XElem) -> Self {
        DeadProperty { name: elem.name.clone(), xml: fragment(elem) }
    }

    /// A property whose value is plain text, e.g. a server-chosen
    /// `{DAV:}displayname`.
    pub fn with_text(name: PropName, text: &str) -> Self {
        let mut xml = String::new();
        let qname = if name.ns.is_empty() { name.local.clone() } else { format!("X:{}", name.local) };
        xml.push('<');
        xml.push_str(&qname);
        xml.push_str(if name.ns.is_empty() { " xmlns=\"" } else { " xmlns:X=\"" });
        push_attr(&mut xml, &name.ns);
        xml.push('"');
        if text.is_empty() {
            xml.push_str("/>");
        } else {
            xml.push('>');
            push_text(&mut xml, text);
            xml.push_str("</");
            xml.push_str(&qname);
            xml.push('>');
        }
        DeadProperty { name, xml }
    }

    /// The property as a tree. Fails only if `xml` was not written by this
    /// crate and is not a well-formed fragment.
    pub fn element(&self) -> Result<Element, XmlError> {
        match parse_document(self.xml.as_bytes(), &FRAGMENT_LIMITS)? {
            Some(root) => Ok(Element::from_x(&root)),
            None => Err(XmlError::Malformed("empty property fragment".into())),
        }
    }

    /// The concatenated text of the property (all descendants), e.g. the
    /// value of `displayname` or the VTIMEZONE of `calendar-timezone`.
    /// Empty if the fragment cannot be read.
    pub fn text(&self) -> String {
        self.element().map(|e| e.text()).unwrap_or_default()
    }

    /// The names of the property's child elements, e.g. `{DAV:}collection`
    /// and `{urn:ietf:params:xml:ns:caldav}calendar` for a resourcetype.
    pub fn child_names(&self) -> Vec<PropName> {
        self.element().map(|e| e.elements().map(|c| c.name.clone()).collect()).unwrap_or_default()
    }

    /// Whether the property has no value: no child element and no text other
    /// than whitespace (`<x:foo/>`, `<x:foo> </x:foo>`). In PROPPATCH an
    /// empty `set` still sets the property, to an empty value.
    pub fn is_empty(&self) -> bool {
        self.element().map(|e| e.elements().next().is_none() && e.text().trim().is_empty()).unwrap_or(true)
    }
}

/// A read-only element: resolved name, attributes (namespace declarations
/// left out) and children.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Element {
    /// The element's name.
    pub name: PropName,
    /// Attributes in document order; unprefixed attributes have an empty
    /// namespace.
    pub attrs: Vec<(PropName, String)>,
    /// Children in document order.
    pub children: Vec<Node>,
}

/// A child of an [`Element`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Node {
    /// A child element.
    Element(Element),
    /// Character data (entities resolved, CDATA included, adjacent pieces merged).
    Text(String),
}

impl Element {
    pub(crate) fn from_x(x: &XElem) -> Self {
        Element {
            name: x.name.clone(),
            attrs: x.attrs.iter().map(|a| (a.name.clone(), a.value.clone())).collect(),
            children: x
                .children
                .iter()
                .map(|c| match c {
                    XNode::Elem(e) => Node::Element(Element::from_x(e)),
                    XNode::Text(t) => Node::Text(t.clone()),
                })
                .collect(),
        }
    }

    /// The child elements, skipping text.
    pub fn elements(&self) -> impl Iterator<Item = &Element> {
        self.children.iter().filter_map(|c| match c {
            Node::Element(e) => Some(e),
            Node::Text(_) => None,
        })
    }

    /// The first child element with this name.
    pub fn child(&self, name: &PropName) -> Option<&Element> {
        self.elements().find(|e| &e.name == name)
    }

    /// The value of the attribute `local` in no namespace (`name` of
    /// `<C:comp name="VEVENT"/>`).
    pub fn attr(&self, local: &str) -> Option<&str> {
        self.attrs.iter().find(|(n, _)| n.is("", local)).map(|(_, v)| v.as_str())
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
                Node::Text(t) => out.push_str(t),
                Node::Element(e) => e.collect_text(out),
            }
        }
    }
}
