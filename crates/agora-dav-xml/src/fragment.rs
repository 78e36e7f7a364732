//! Verbatim re-serialization of a subtree as a self-contained fragment.
//!
//! The written prefixes, attributes, text and child elements are kept; every
//! namespace binding the subtree uses but inherits from an ancestor (for
//! instance `xmlns:x` on `<D:propertyupdate>`) is declared again on the
//! fragment's root, so the fragment means the same wherever it is pasted.
//! Text is unescaped on reading and escaped again here, so entities and CDATA
//! sections come out as equivalent character data (same infoset).

use std::collections::BTreeMap;

use crate::escape::{push_attr, push_text};
use crate::tree::{XElem, XNode, prefix_of};

/// Serializes `elem` and its subtree as a self-contained fragment.
pub(crate) fn fragment(elem: &XElem) -> String {
    let mut inherited = BTreeMap::new();
    let mut scope = Vec::new();
    collect_inherited(elem, &mut scope, &mut inherited);
    let mut out = String::new();
    write_elem(elem, &inherited, &mut out);
    out
}

/// Serializes the content (children) of `elem`; each child element is a
/// self-contained fragment.
pub(crate) fn content(elem: &XElem) -> String {
    let mut out = String::new();
    for child in &elem.children {
        match child {
            XNode::Text(t) => push_text(&mut out, t),
            XNode::Elem(e) => out.push_str(&fragment(e)),
        }
    }
    out
}

/// Finds the bindings (prefix -> URI, "" for the default namespace) the
/// subtree uses without declaring them itself. `scope` holds the prefixes
/// declared by the fragment's elements on the current path.
fn collect_inherited(elem: &XElem, scope: &mut Vec<String>, inherited: &mut BTreeMap<String, String>) {
    let mark = scope.len();
    scope.extend(elem.decls.iter().map(|(p, _)| p.clone()));
    let mut need = |prefix: &str, ns: &str| {
        if prefix != "xml" && !scope.iter().any(|p| p == prefix) {
            inherited.entry(prefix.to_owned()).or_insert_with(|| ns.to_owned());
        }
    };
    need(elem.prefix(), &elem.name.ns);
    for a in &elem.attrs {
        // Unprefixed attributes are in no namespace (Namespaces in XML §6.2).
        let p = prefix_of(&a.qname);
        if !p.is_empty() {
            need(p, &a.name.ns);
        }
    }
    for child in elem.elements() {
        collect_inherited(child, scope, inherited);
    }
    scope.truncate(mark);
}

fn write_elem(elem: &XElem, extra_decls: &BTreeMap<String, String>, out: &mut String) {
    out.push('<');
    out.push_str(&elem.qname);
    let own = elem.decls.iter().map(|(p, u)| (p.as_str(), u.as_str()));
    for (prefix, uri) in own.chain(extra_decls.iter().map(|(p, u)| (p.as_str(), u.as_str()))) {
        out.push_str(if prefix.is_empty() { " xmlns" } else { " xmlns:" });
        out.push_str(prefix);
        out.push_str("=\"");
        push_attr(out, uri);
        out.push('"');
    }
    for a in &elem.attrs {
        out.push(' ');
        out.push_str(&a.qname);
        out.push_str("=\"");
        push_attr(out, &a.value);
        out.push('"');
    }
    if elem.children.is_empty() {
        out.push_str("/>");
        return;
    }
    out.push('>');
    let none = BTreeMap::new();
    for child in &elem.children {
        match child {
            XNode::Text(t) => push_text(out, t),
            XNode::Elem(e) => write_elem(e, &none, out),
        }
    }
    out.push_str("</");
    out.push_str(&elem.qname);
    out.push('>');
}
