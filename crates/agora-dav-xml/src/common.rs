//! Helpers shared by the request parsers.

use crate::error::{Budget, Limits, XmlError};
use crate::name::PropName;
use crate::tree::{XElem, parse_document};
use crate::{NS_CALDAV, NS_CARDDAV, NS_DAV};

/// Parses `body` and returns its document element; `Ok(None)` for a body
/// without any element.
pub(crate) fn document(body: &[u8], limits: &Limits) -> Result<Option<XElem>, XmlError> {
    parse_document(body, limits)
}

/// Parses `body`, which must have the document element `{ns}local`.
pub(crate) fn expect_root(
    body: &[u8],
    limits: &Limits,
    ns: &str,
    local: &str,
    clark: &'static str,
) -> Result<XElem, XmlError> {
    let root = document(body, limits)?.ok_or_else(|| XmlError::Malformed("empty request body".into()))?;
    if !root.is(ns, local) {
        return Err(XmlError::UnexpectedRoot { expected: clark, found: root.name.to_string() });
    }
    Ok(root)
}

/// The names of the children of a `<D:prop>` element (their content is
/// ignored, RFC 4918 §14.18).
pub(crate) fn prop_names(prop: &XElem, budget: &mut Budget) -> Result<Vec<PropName>, XmlError> {
    prop.elements()
        .map(|e| {
            budget.take()?;
            Ok(e.name.clone())
        })
        .collect()
}

/// Whether `e` is in one of the three DAV namespaces with local name `local`.
pub(crate) fn is_dav(e: &XElem, local: &str) -> bool {
    e.is(NS_DAV, local)
}

/// Whether `e` is `{CalDAV}local`.
pub(crate) fn is_cal(e: &XElem, local: &str) -> bool {
    e.is(NS_CALDAV, local)
}

/// Whether `e` is `{CardDAV}local`.
pub(crate) fn is_card(e: &XElem, local: &str) -> bool {
    e.is(NS_CARDDAV, local)
}

/// A `yes`/`no` attribute (RFC 4791 §9.7.5 `negate-condition`, §9.6.4
/// `novalue`), `default` when absent.
pub(crate) fn yes_no(e: &XElem, attr: &str, default: bool) -> Result<bool, XmlError> {
    match e.attr(attr).map(str::trim) {
        None => Ok(default),
        Some("yes") => Ok(true),
        Some("no") => Ok(false),
        Some(other) => Err(XmlError::invalid(format!("{attr}=\"{other}\" must be \"yes\" or \"no\""))),
    }
}

/// A required, non-empty attribute.
pub(crate) fn required_attr(e: &XElem, attr: &str) -> Result<String, XmlError> {
    match e.attr(attr) {
        Some(v) if !v.trim().is_empty() => Ok(v.trim().to_owned()),
        _ => Err(XmlError::invalid(format!("<{}> needs a {attr} attribute", e.qname))),
    }
}

/// A non-negative integer element such as `<D:nresults>` (RFC 6578 §6.1,
/// RFC 5323 §5.17).
pub(crate) fn number(e: &XElem) -> Result<u32, XmlError> {
    let text = e.text();
    text.trim()
        .parse()
        .map_err(|_| XmlError::invalid(format!("<{}> must hold a number, not {:?}", e.qname, text.trim())))
}

/// `<X:limit><X:nresults>N</X:nresults></X:limit>` in namespace `ns`.
pub(crate) fn limit(parent: &XElem, ns: &str) -> Result<Option<u32>, XmlError> {
    let Some(limit) = parent.child(ns, "limit") else { return Ok(None) };
    match limit.child(ns, "nresults") {
        Some(n) => number(n).map(Some),
        None => Err(XmlError::invalid("<limit> needs <nresults>")),
    }
}
