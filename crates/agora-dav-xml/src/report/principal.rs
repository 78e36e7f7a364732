//! The RFC 3744 ACL reports (§9.2–§9.5) and RFC 3253 `expand-property` (§3.8).

use super::text_match::MatchType;
use super::{Report, Test};
use crate::NS_DAV;
use crate::common::{is_dav, limit, prop_names};
use crate::error::{Budget, XmlError};
use crate::name::PropName;
use crate::tree::XElem;

/// One `<D:property>` of an expand-property report.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExpandItem {
    /// The property (`name` attribute, `namespace` defaulting to `DAV:`).
    pub name: PropName,
    /// Properties to report for each resource the property's hrefs name.
    pub children: Vec<ExpandItem>,
}

/// One `<D:property-search>` of a principal-property-search.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PropertySearch {
    /// The properties to search (`<D:prop>` children).
    pub props: Vec<PropName>,
    /// The `<D:match>` text.
    pub text: String,
    /// Apple's `match-type` attribute on `<D:match>` (`starts-with`,
    /// `contains`, `equals`); `None` means RFC 3744's substring match.
    pub match_type: Option<MatchType>,
}

/// `<!ELEMENT expand-property (property*)>`, `<!ELEMENT property (property*)>`.
pub(super) fn parse_expand(root: &XElem, budget: &mut Budget) -> Result<Report, XmlError> {
    Ok(Report::ExpandProperty { properties: expand_items(root, budget)? })
}

fn expand_items(parent: &XElem, budget: &mut Budget) -> Result<Vec<ExpandItem>, XmlError> {
    let mut items = Vec::new();
    for p in parent.elements().filter(|e| is_dav(e, "property")) {
        budget.take()?;
        let local = p.attr("name").map(str::trim).filter(|n| !n.is_empty());
        let local = local.ok_or_else(|| XmlError::invalid("<D:property> needs a name attribute"))?;
        // RFC 3253 §3.8: <!ATTLIST property namespace CDATA "DAV:">
        let ns = p.attr("namespace").map(str::trim).unwrap_or(NS_DAV);
        items.push(ExpandItem { name: PropName::new(ns, local), children: expand_items(p, budget)? });
    }
    Ok(items)
}

/// `<!ELEMENT principal-property-search ((property-search+), prop?,
/// apply-to-principal-collection-set?)>` (RFC 3744 §9.4), read leniently in two
/// ways real clients need: no `<D:property-search>` at all means "every
/// principal" (caldav-server-tester lists principals so), and property names
/// placed directly under the root instead of inside `<D:prop>` are the requested
/// properties (python caldav 3.6 writes them so).
pub(super) fn parse_search(root: &XElem, budget: &mut Budget) -> Result<Report, XmlError> {
    let mut searches = Vec::new();
    for ps in root.elements().filter(|e| is_dav(e, "property-search")) {
        budget.take()?;
        let props = match ps.child(NS_DAV, "prop") {
            Some(p) => prop_names(p, budget)?,
            None => return Err(XmlError::invalid("<D:property-search> needs <D:prop>")),
        };
        let m = ps.child(NS_DAV, "match").ok_or_else(|| XmlError::invalid("<D:property-search> needs <D:match>"))?;
        searches.push(PropertySearch { props, text: m.text(), match_type: MatchType::attr(m)? });
    }
    let mut props = props_child(root, budget)?;
    if props.is_empty() {
        let structural = ["property-search", "prop", "apply-to-principal-collection-set", "limit"];
        for e in root.elements().filter(|e| !structural.iter().any(|l| is_dav(e, l))) {
            budget.take()?;
            props.push(e.name.clone());
        }
    }
    Ok(Report::PrincipalPropertySearch {
        searches,
        test: Test::from_attr(root, Test::AllOf)?,
        props,
        apply_to_principal_collection_set: root.child(NS_DAV, "apply-to-principal-collection-set").is_some(),
        limit: limit(root, NS_DAV)?,
    })
}

/// `<!ELEMENT principal-match ((principal-property | self), prop?)>` (§9.3).
pub(super) fn parse_match(root: &XElem, budget: &mut Budget) -> Result<Report, XmlError> {
    let self_ = root.child(NS_DAV, "self").is_some();
    let principal_property = match root.child(NS_DAV, "principal-property") {
        None => None,
        Some(pp) => Some(
            pp.elements()
                .next()
                .map(|e| e.name.clone())
                .ok_or_else(|| XmlError::invalid("<D:principal-property> names no property"))?,
        ),
    };
    if self_ == principal_property.is_some() {
        return Err(XmlError::invalid("principal-match needs exactly one of self and principal-property"));
    }
    Ok(Report::PrincipalMatch { self_, principal_property, props: props_child(root, budget)? })
}

/// `<!ELEMENT acl-principal-prop-set ANY>` with a `<D:prop>` (§9.2).
pub(super) fn parse_acl_prop_set(root: &XElem, budget: &mut Budget) -> Result<Report, XmlError> {
    Ok(Report::AclPrincipalPropSet { props: props_child(root, budget)? })
}

fn props_child(root: &XElem, budget: &mut Budget) -> Result<Vec<PropName>, XmlError> {
    match root.child(NS_DAV, "prop") {
        Some(p) => prop_names(p, budget),
        None => Ok(Vec::new()),
    }
}
