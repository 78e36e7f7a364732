//! PROPFIND request bodies (RFC 4918 §9.1, §14.20).

use crate::common::{document, is_dav, prop_names};
use crate::error::{Budget, Limits, XmlError};
use crate::name::PropName;

/// What a PROPFIND asks for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Propfind {
    /// `<D:allprop/>`, optionally with `<D:include>` naming properties that
    /// allprop does not return by default (RFC 4918 §14.8). An empty body
    /// means allprop too (§9.1).
    AllProp {
        /// Properties named in `<D:include>`.
        include: Vec<PropName>,
    },
    /// `<D:propname/>`: names only, no values.
    PropName,
    /// `<D:prop>`: these properties, in request order.
    Prop(Vec<PropName>),
}

/// Parses a PROPFIND body. An empty body (no element at all) is
/// `AllProp { include: [] }` (RFC 4918 §9.1).
pub fn parse_propfind(body: &[u8], limits: &Limits) -> Result<Propfind, XmlError> {
    let Some(root) = document(body, limits)? else {
        return Ok(Propfind::AllProp { include: Vec::new() });
    };
    if !is_dav(&root, "propfind") {
        return Err(XmlError::UnexpectedRoot { expected: "{DAV:}propfind", found: root.name.to_string() });
    }
    let mut budget = Budget::new(limits);
    let mut found: Option<Propfind> = None;
    let mut include = Vec::new();
    // <!ELEMENT propfind ( propname | (allprop, include?) | prop ) >; other
    // elements are ignored (§17 extensibility).
    for child in root.elements() {
        let this = if is_dav(child, "prop") {
            Propfind::Prop(prop_names(child, &mut budget)?)
        } else if is_dav(child, "allprop") {
            Propfind::AllProp { include: Vec::new() }
        } else if is_dav(child, "propname") {
            Propfind::PropName
        } else {
            if is_dav(child, "include") {
                include.extend(prop_names(child, &mut budget)?);
            }
            continue;
        };
        if found.is_some() {
            return Err(XmlError::invalid("propfind holds more than one of prop, allprop and propname"));
        }
        found = Some(this);
    }
    match found {
        Some(Propfind::AllProp { .. }) => Ok(Propfind::AllProp { include }),
        Some(_) if !include.is_empty() => Err(XmlError::invalid("<D:include> is only allowed with <D:allprop>")),
        Some(other) => Ok(other),
        None => Err(XmlError::invalid("propfind needs prop, allprop or propname")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(s: &str) -> Result<Propfind, XmlError> {
        parse_propfind(s.as_bytes(), &Limits::default())
    }

    #[test]
    fn empty_body_is_allprop() {
        assert_eq!(parse("").unwrap(), Propfind::AllProp { include: vec![] });
        assert_eq!(parse("<?xml version=\"1.0\"?>\n  ").unwrap(), Propfind::AllProp { include: vec![] });
    }

    #[test]
    fn variants() {
        assert_eq!(parse(r#"<propfind xmlns="DAV:"><propname/></propfind>"#).unwrap(), Propfind::PropName);
        let p = parse(r#"<D:propfind xmlns:D="DAV:"><D:allprop/><D:include><D:acl/></D:include></D:propfind>"#);
        assert_eq!(p.unwrap(), Propfind::AllProp { include: vec![PropName::dav("acl")] });
        let p = parse(
            r#"<a:propfind xmlns:a="DAV:" xmlns:b="X"><a:prop><b:c>ignored</b:c><a:getetag/></a:prop></a:propfind>"#,
        );
        assert_eq!(p.unwrap(), Propfind::Prop(vec![PropName::new("X", "c"), PropName::dav("getetag")]));
    }

    #[test]
    fn refusals() {
        assert!(matches!(parse(r#"<propfind xmlns="DAV:"/>"#), Err(XmlError::Invalid(_))));
        assert!(matches!(parse(r#"<propfind xmlns="DAV:"><prop/><allprop/></propfind>"#), Err(XmlError::Invalid(_))));
        assert!(matches!(parse(r#"<propfind xmlns="X"><prop/></propfind>"#), Err(XmlError::UnexpectedRoot { .. })));
        assert!(matches!(parse(r#"<propfind xmlns="DAV:"><prop>"#), Err(XmlError::Malformed(_))));
        let bomb = r#"<!DOCTYPE x [<!ENTITY a "aaaa">]><propfind xmlns="DAV:"><prop/></propfind>"#;
        assert!(matches!(parse(bomb), Err(XmlError::Malformed(_))));
    }
}
