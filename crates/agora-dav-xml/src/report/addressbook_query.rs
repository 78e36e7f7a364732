//! `addressbook-query` (RFC 6352 §8.6, filters §10.5).

use super::calendar_query::{ParamFilter, param_filter};
use super::text_match::TextMatch;
use super::{PropRequest, Report, Test};
use crate::NS_CARDDAV;
use crate::common::{is_card, limit, required_attr};
use crate::error::{Budget, XmlError};
use crate::tree::XElem;

/// `<CARD:filter test="anyof|allof">` (RFC 6352 §10.5).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct CardFilter {
    /// How the prop-filters combine (default anyof).
    pub test: Test,
    /// The `<CARD:prop-filter>` children; none matches every card.
    pub prop_filters: Vec<CardPropFilter>,
}

/// `<CARD:prop-filter name=".." test="anyof|allof">` (RFC 6352 §10.5.1).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct CardPropFilter {
    /// vCard property name, e.g. `EMAIL`, `FN`.
    pub name: String,
    /// How the text-matches and param-filters combine (default anyof).
    pub test: Test,
    /// `<CARD:is-not-defined/>`.
    pub is_not_defined: bool,
    /// `<CARD:text-match>` children.
    pub text_matches: Vec<TextMatch>,
    /// `<CARD:param-filter>` children.
    pub param_filters: Vec<ParamFilter>,
}

/// `<!ELEMENT addressbook-query ((DAV:allprop | DAV:propname | DAV:prop)?,
/// filter, limit?)>`.
pub(super) fn parse(root: &XElem, budget: &mut Budget) -> Result<Report, XmlError> {
    let props = PropRequest::parse(root, budget)?;
    let filter =
        root.child(NS_CARDDAV, "filter").ok_or_else(|| XmlError::invalid("addressbook-query needs <CARD:filter>"))?;
    let mut parsed = CardFilter { test: Test::from_attr(filter, Test::AnyOf)?, prop_filters: Vec::new() };
    for pf in filter.elements().filter(|e| is_card(e, "prop-filter")) {
        parsed.prop_filters.push(prop_filter(pf, budget)?);
    }
    Ok(Report::AddressbookQuery { props, filter: parsed, limit: limit(root, NS_CARDDAV)? })
}

/// `<!ELEMENT prop-filter (is-not-defined | (text-match*, param-filter*))>`
fn prop_filter(e: &XElem, budget: &mut Budget) -> Result<CardPropFilter, XmlError> {
    budget.take()?;
    let mut f = CardPropFilter {
        name: required_attr(e, "name")?,
        test: Test::from_attr(e, Test::AnyOf)?,
        ..Default::default()
    };
    for child in e.elements().filter(|c| c.name.ns == NS_CARDDAV) {
        match child.name.local.as_str() {
            "is-not-defined" => f.is_not_defined = true,
            "text-match" => {
                budget.take()?;
                f.text_matches.push(TextMatch::parse(child)?);
            }
            "param-filter" => f.param_filters.push(param_filter(child, budget, NS_CARDDAV)?),
            _ => {}
        }
    }
    if f.is_not_defined && (!f.text_matches.is_empty() || !f.param_filters.is_empty()) {
        return Err(super::calendar_query::invalid_filter(
            true,
            format!("prop-filter {}: is-not-defined excludes other tests", f.name),
        ));
    }
    Ok(f)
}
