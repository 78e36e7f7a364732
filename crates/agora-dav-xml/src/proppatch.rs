//! PROPPATCH request bodies (RFC 4918 §9.2, §14.19).

use crate::common::{expect_root, is_dav};
use crate::element::DeadProperty;
use crate::error::{Budget, Limits, XmlError};
use crate::name::PropName;
use crate::tree::XElem;

/// One instruction of a PROPPATCH, in document order. RFC 4918 §9.2: the
/// instructions are applied in order and atomically (all or none).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PropOp {
    /// `<D:set>`: set the property to this value.
    Set(DeadProperty),
    /// `<D:remove>`: remove the property (the element's content is ignored).
    Remove(PropName),
}

impl PropOp {
    /// The name of the property the instruction is about.
    pub fn name(&self) -> &PropName {
        match self {
            PropOp::Set(p) => &p.name,
            PropOp::Remove(n) => n,
        }
    }
}

/// Parses a PROPPATCH body: `<D:propertyupdate>` with `<D:set>` and
/// `<D:remove>` children, each holding one `<D:prop>`.
pub fn parse_proppatch(body: &[u8], limits: &Limits) -> Result<Vec<PropOp>, XmlError> {
    let root = expect_root(body, limits, "DAV:", "propertyupdate", "{DAV:}propertyupdate")?;
    let mut budget = Budget::new(limits);
    let mut ops = Vec::new();
    for child in root.elements() {
        let set = if is_dav(child, "set") {
            true
        } else if is_dav(child, "remove") {
            false
        } else {
            continue; // §17: unknown elements are ignored
        };
        for prop in props_of(child)? {
            budget.take()?;
            ops.push(if set { PropOp::Set(DeadProperty::from_elem(prop)) } else { PropOp::Remove(prop.name.clone()) });
        }
    }
    // <!ELEMENT propertyupdate (remove | set)+ >
    if ops.is_empty() {
        return Err(XmlError::invalid("propertyupdate holds no property to set or remove"));
    }
    Ok(ops)
}

/// The property elements of the `<D:prop>` children of a `<D:set>` or
/// `<D:remove>` (RFC 4918 §14.26: `<!ELEMENT set (prop) >`).
pub(crate) fn props_of(container: &XElem) -> Result<impl Iterator<Item = &XElem>, XmlError> {
    let mut props = container.elements().filter(|e| is_dav(e, "prop")).peekable();
    if props.peek().is_none() {
        return Err(XmlError::invalid(format!("<{}> needs a <D:prop>", container.qname)));
    }
    Ok(props.flat_map(XElem::elements))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn set_and_remove_in_order() {
        let body = r#"<D:propertyupdate xmlns:D="DAV:" xmlns:Z="http://ns.example.com/standards/z39.50/">
  <D:set><D:prop><Z:Authors><Z:Author>Jim Whitehead</Z:Author><Z:Author>Roy Fielding</Z:Author></Z:Authors></D:prop></D:set>
  <D:remove><D:prop><Z:Copyright-Owner/></D:prop></D:remove>
</D:propertyupdate>"#;
        let ops = parse_proppatch(body.as_bytes(), &Limits::default()).unwrap();
        assert_eq!(ops.len(), 2);
        let PropOp::Set(p) = &ops[0] else { panic!("{ops:?}") };
        assert_eq!(p.name, PropName::new("http://ns.example.com/standards/z39.50/", "Authors"));
        assert_eq!(
            p.xml,
            r#"<Z:Authors xmlns:Z="http://ns.example.com/standards/z39.50/"><Z:Author>Jim Whitehead</Z:Author><Z:Author>Roy Fielding</Z:Author></Z:Authors>"#
        );
        assert_eq!(ops[1], PropOp::Remove(PropName::new("http://ns.example.com/standards/z39.50/", "Copyright-Owner")));
    }

    #[test]
    fn refusals() {
        let l = Limits::default();
        assert!(matches!(parse_proppatch(br#"<propertyupdate xmlns="DAV:"/>"#, &l), Err(XmlError::Invalid(_))));
        assert!(matches!(
            parse_proppatch(br#"<propertyupdate xmlns="DAV:"><set/></propertyupdate>"#, &l),
            Err(XmlError::Invalid(_))
        ));
        assert!(matches!(parse_proppatch(b"", &l), Err(XmlError::Malformed(_))));
        let many =
            format!(r#"<propertyupdate xmlns="DAV:"><set><prop>{}</prop></set></propertyupdate>"#, "<a/>".repeat(3));
        let small = Limits { max_depth: 8, max_properties: 2 };
        assert_eq!(parse_proppatch(many.as_bytes(), &small), Err(XmlError::TooManyProperties));
    }
}
