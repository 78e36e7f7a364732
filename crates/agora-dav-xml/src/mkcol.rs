//! Extended MKCOL (RFC 5689) and MKCALENDAR (RFC 4791 §5.3.1) bodies.

use crate::common::{document, is_cal, is_dav};
use crate::element::DeadProperty;
use crate::error::{Budget, Limits, XmlError};
use crate::proppatch::props_of;

/// Which request body was sent.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MkcolKind {
    /// `<D:mkcol>` (RFC 5689 §5.1).
    Mkcol,
    /// `<C:mkcalendar>` (RFC 4791 §9.1).
    Mkcalendar,
}

/// A parsed extended MKCOL or MKCALENDAR body.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Mkcol {
    /// The document element that was seen.
    pub kind: MkcolKind,
    /// The properties to set on the new collection, in document order. The
    /// caller reads `resourcetype`, `supported-calendar-component-set` and
    /// the like with [`DeadProperty::child_names`] / [`DeadProperty::element`].
    pub props: Vec<DeadProperty>,
}

/// Parses an extended MKCOL or a MKCALENDAR body. Both requests may also come
/// without a body; the caller handles that case before calling this (an
/// empty body is `Malformed` here).
pub fn parse_mkcol(body: &[u8], limits: &Limits) -> Result<Mkcol, XmlError> {
    let root = document(body, limits)?.ok_or_else(|| XmlError::Malformed("empty request body".into()))?;
    let kind = if is_dav(&root, "mkcol") {
        MkcolKind::Mkcol
    } else if is_cal(&root, "mkcalendar") {
        MkcolKind::Mkcalendar
    } else {
        return Err(XmlError::UnexpectedRoot {
            expected: "{DAV:}mkcol or {urn:ietf:params:xml:ns:caldav}mkcalendar",
            found: root.name.to_string(),
        });
    };
    let mut budget = Budget::new(limits);
    let mut props = Vec::new();
    // RFC 5689 §5.1: <!ELEMENT mkcol (set+)>; RFC 4791 §9.1: (DAV:set). Other
    // children (DAV:remove makes no sense on a new resource) are ignored.
    for set in root.elements().filter(|e| is_dav(e, "set")) {
        for prop in props_of(set)? {
            budget.take()?;
            props.push(DeadProperty::from_elem(prop));
        }
    }
    Ok(Mkcol { kind, props })
}
