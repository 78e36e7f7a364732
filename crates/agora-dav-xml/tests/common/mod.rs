//! Test helpers: fixtures and an independent infoset reader built directly
//! on quick-xml, to check what the crate writes without trusting its parser.

#![allow(dead_code)]

use std::collections::BTreeSet;

use quick_xml::NsReader;
use quick_xml::events::Event;
use quick_xml::name::ResolveResult;

/// The bytes of `tests/fixtures/<name>`.
pub fn fixture(name: &str) -> Vec<u8> {
    let path = format!("{}/tests/fixtures/{name}", env!("CARGO_MANIFEST_DIR"));
    std::fs::read(&path).unwrap_or_else(|e| panic!("{path}: {e}"))
}

/// A node of the XML infoset: resolved names, attributes without namespace
/// declarations, merged text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum INode {
    /// An element.
    Elem { ns: String, local: String, attrs: BTreeSet<(String, String, String)>, children: Vec<INode> },
    /// Character data.
    Text(String),
}

impl INode {
    /// The (ns, local) name of an element.
    pub fn name(&self) -> (&str, &str) {
        match self {
            INode::Elem { ns, local, .. } => (ns, local),
            INode::Text(_) => ("", "#text"),
        }
    }

    /// Child elements.
    pub fn elems(&self) -> Vec<&INode> {
        match self {
            INode::Elem { children, .. } => children.iter().filter(|c| matches!(c, INode::Elem { .. })).collect(),
            INode::Text(_) => vec![],
        }
    }

    /// All descendants (and self) named {ns}local, in document order.
    pub fn find_all(&self, ns: &str, local: &str) -> Vec<&INode> {
        let mut out = Vec::new();
        if self.name() == (ns, local) {
            out.push(self);
        }
        for c in self.elems() {
            out.extend(c.find_all(ns, local));
        }
        out
    }

    /// The first descendant named {ns}local.
    pub fn find(&self, ns: &str, local: &str) -> &INode {
        self.find_all(ns, local).into_iter().next().unwrap_or_else(|| panic!("no {{{ns}}}{local} in {self:?}"))
    }

    /// Concatenated text of the subtree.
    pub fn text(&self) -> String {
        match self {
            INode::Text(t) => t.clone(),
            INode::Elem { children, .. } => children.iter().map(INode::text).collect(),
        }
    }

    /// An attribute in no namespace.
    pub fn attr(&self, name: &str) -> Option<&str> {
        match self {
            INode::Elem { attrs, .. } => {
                attrs.iter().find(|(ns, l, _)| ns.is_empty() && l == name).map(|(_, _, v)| v.as_str())
            }
            INode::Text(_) => None,
        }
    }
}

fn ns_of(r: ResolveResult<'_>) -> String {
    match r {
        ResolveResult::Bound(ns) => String::from_utf8(ns.as_ref().to_vec()).unwrap(),
        ResolveResult::Unbound => String::new(),
        ResolveResult::Unknown(p) => panic!("unknown prefix {}", String::from_utf8_lossy(&p)),
    }
}

/// Parses a whole document into its infoset (panics on malformed XML).
pub fn infoset(xml: &[u8]) -> INode {
    let mut r = NsReader::from_reader(xml);
    let mut stack: Vec<INode> = Vec::new();
    let mut root = None;
    loop {
        let (res, ev) = r.read_resolved_event().unwrap_or_else(|e| panic!("{e}: {}", String::from_utf8_lossy(xml)));
        let ns = ns_of(res);
        match ev {
            Event::Start(ref s) | Event::Empty(ref s) => {
                let local = String::from_utf8(s.local_name().as_ref().to_vec()).unwrap();
                let mut attrs = BTreeSet::new();
                for a in s.attributes() {
                    let a = a.unwrap();
                    if a.key.as_namespace_binding().is_some() {
                        continue;
                    }
                    let (res, l) = r.resolve_attribute(a.key);
                    let l = String::from_utf8(l.as_ref().to_vec()).unwrap();
                    attrs.insert((ns_of(res), l, a.unescape_value().unwrap().into_owned()));
                }
                let node = INode::Elem { ns, local, attrs, children: vec![] };
                if matches!(ev, Event::Start(_)) {
                    stack.push(node);
                } else {
                    push(&mut stack, &mut root, node);
                }
            }
            Event::End(_) => {
                let node = stack.pop().unwrap();
                push(&mut stack, &mut root, node);
            }
            Event::Text(t) => text(&mut stack, &t.xml10_content().unwrap()),
            Event::CData(t) => text(&mut stack, &t.xml10_content().unwrap()),
            Event::GeneralRef(g) => {
                let s = match g.resolve_char_ref().unwrap() {
                    Some(c) => c.to_string(),
                    None => quick_xml::escape::resolve_predefined_entity(&g.decode().unwrap()).unwrap().to_owned(),
                };
                text(&mut stack, &s)
            }
            Event::Eof => break,
            _ => {}
        }
    }
    root.expect("no root element")
}

fn push(stack: &mut [INode], root: &mut Option<INode>, node: INode) {
    match stack.last_mut() {
        Some(INode::Elem { children, .. }) => children.push(node),
        _ => *root = Some(node),
    }
}

fn text(stack: &mut [INode], s: &str) {
    if let Some(INode::Elem { children, .. }) = stack.last_mut() {
        if let Some(INode::Text(prev)) = children.last_mut() {
            prev.push_str(s);
        } else {
            children.push(INode::Text(s.to_owned()));
        }
    }
}
