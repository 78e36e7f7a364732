//! REPORT request bodies: [`parse_report`] dispatches on the document element.

mod addressbook_query;
mod calendar_query;
mod principal;
mod prop_request;
mod sync;
mod text_match;
mod time_range;

pub use addressbook_query::{CardFilter, CardPropFilter};
pub use calendar_query::{CompFilter, ParamFilter, PropFilter};
pub use principal::{ExpandItem, PropertySearch};
pub use prop_request::{AddressDataRequest, CalendarDataRequest, CompSelect, PropRequest, PropSelect, PropSelection};
pub use sync::SyncLevel;
pub use text_match::{Collation, MatchType, TextMatch};
pub use time_range::{TimeRange, parse_utc_datetime};

use crate::common::document;
use crate::error::{Budget, Limits, XmlError};
use crate::name::PropName;
use crate::tree::XElem;
use crate::{NS_CALDAV, NS_CARDDAV, NS_DAV};

/// `anyof` / `allof` combination of tests (RFC 6352 §10.5, RFC 3744 §9.4).
/// The default (for CardDAV filters) is anyof.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Test {
    /// At least one test must match (the default).
    #[default]
    AnyOf,
    /// All tests must match.
    AllOf,
}

impl Test {
    /// The `test` attribute of `e`, `default` when absent.
    fn from_attr(e: &XElem, default: Test) -> Result<Test, XmlError> {
        match e.attr("test").map(str::trim) {
            None => Ok(default),
            Some("anyof") => Ok(Test::AnyOf),
            Some("allof") => Ok(Test::AllOf),
            Some(other) => Err(XmlError::invalid(format!("test=\"{other}\" must be anyof or allof"))),
        }
    }
}

/// A parsed REPORT body.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Report {
    /// `DAV:sync-collection` (RFC 6578 §3.2, §6.1).
    SyncCollection {
        /// The client's token; `None` for an empty `<D:sync-token/>` (initial sync).
        sync_token: Option<String>,
        /// `<D:sync-level>`.
        sync_level: SyncLevel,
        /// `<D:limit><D:nresults>`.
        limit: Option<u32>,
        /// The properties to return for changed members.
        props: Vec<PropName>,
    },
    /// `C:calendar-multiget` (RFC 4791 §7.9).
    CalendarMultiget {
        /// The requested properties.
        props: PropRequest,
        /// The `<D:href>` values as sent (not decoded).
        hrefs: Vec<String>,
    },
    /// `CARD:addressbook-multiget` (RFC 6352 §8.7).
    AddressbookMultiget {
        /// The requested properties.
        props: PropRequest,
        /// The `<D:href>` values as sent (not decoded).
        hrefs: Vec<String>,
    },
    /// `C:calendar-query` (RFC 4791 §7.8).
    CalendarQuery {
        /// The requested properties.
        props: PropRequest,
        /// The top-level `<C:comp-filter>` of `<C:filter>`. The caller checks
        /// that it names VCALENDAR and answers `CALDAV:valid-filter` otherwise
        /// (RFC 4791 §9.7.1).
        filter: CompFilter,
        /// `<C:timezone>`: a VCALENDAR with one VTIMEZONE, as text (§9.8).
        timezone: Option<String>,
        /// `<C:timezone-id>` (RFC 7809 §5.2).
        timezone_id: Option<String>,
    },
    /// `CARD:addressbook-query` (RFC 6352 §8.6).
    AddressbookQuery {
        /// The requested properties.
        props: PropRequest,
        /// `<CARD:filter>`.
        filter: CardFilter,
        /// `<CARD:limit><CARD:nresults>` (§8.6.1).
        limit: Option<u32>,
    },
    /// `C:free-busy-query` (RFC 4791 §7.10).
    FreeBusyQuery {
        /// The requested range.
        range: TimeRange,
    },
    /// `DAV:expand-property` (RFC 3253 §3.8).
    ExpandProperty {
        /// The properties to expand.
        properties: Vec<ExpandItem>,
    },
    /// `DAV:principal-property-search` (RFC 3744 §9.4).
    PrincipalPropertySearch {
        /// The `<D:property-search>` terms.
        searches: Vec<PropertySearch>,
        /// How the terms combine: the `test` attribute, an extension Apple
        /// clients send; without it allof, as RFC 3744 §9.4 says all terms
        /// must match.
        test: Test,
        /// The properties to return.
        props: Vec<PropName>,
        /// `<D:apply-to-principal-collection-set/>`.
        apply_to_principal_collection_set: bool,
        /// `<D:limit><D:nresults>` (an extension some clients send).
        limit: Option<u32>,
    },
    /// `DAV:principal-search-property-set` (RFC 3744 §9.5).
    PrincipalSearchPropertySet,
    /// `DAV:principal-match` (RFC 3744 §9.3).
    PrincipalMatch {
        /// `<D:self/>`.
        self_: bool,
        /// `<D:principal-property>`: the property whose value must name the principal.
        principal_property: Option<PropName>,
        /// The properties to return.
        props: Vec<PropName>,
    },
    /// `DAV:acl-principal-prop-set` (RFC 3744 §9.2).
    AclPrincipalPropSet {
        /// The properties to return.
        props: Vec<PropName>,
    },
    /// Any other report; the caller answers 403 with `DAV:supported-report`.
    Unknown(PropName),
}

/// Parses a REPORT body.
pub fn parse_report(body: &[u8], limits: &Limits) -> Result<Report, XmlError> {
    let root = document(body, limits)?.ok_or_else(|| XmlError::Malformed("empty REPORT body".into()))?;
    let mut budget = Budget::new(limits);
    let b = &mut budget;
    let (ns, local) = (root.name.ns.as_str(), root.name.local.as_str());
    match (ns, local) {
        (NS_DAV, "sync-collection") => sync::parse(&root, b),
        (NS_CALDAV, "calendar-multiget") => {
            let (props, hrefs) = multiget(&root, b)?;
            Ok(Report::CalendarMultiget { props, hrefs })
        }
        (NS_CARDDAV, "addressbook-multiget") => {
            let (props, hrefs) = multiget(&root, b)?;
            Ok(Report::AddressbookMultiget { props, hrefs })
        }
        (NS_CALDAV, "calendar-query") => calendar_query::parse_query(&root, b),
        (NS_CALDAV, "free-busy-query") => calendar_query::parse_free_busy(&root),
        (NS_CARDDAV, "addressbook-query") => addressbook_query::parse(&root, b),
        (NS_DAV, "expand-property") => principal::parse_expand(&root, b),
        (NS_DAV, "principal-property-search") => principal::parse_search(&root, b),
        (NS_DAV, "principal-search-property-set") => Ok(Report::PrincipalSearchPropertySet),
        (NS_DAV, "principal-match") => principal::parse_match(&root, b),
        (NS_DAV, "acl-principal-prop-set") => principal::parse_acl_prop_set(&root, b),
        _ => Ok(Report::Unknown(root.name.clone())),
    }
}

/// RFC 4791 §9.10 / RFC 6352 §10.7:
/// `((DAV:allprop | DAV:propname | DAV:prop)?, DAV:href+)`.
fn multiget(root: &XElem, budget: &mut Budget) -> Result<(PropRequest, Vec<String>), XmlError> {
    let props = PropRequest::parse(root, budget)?;
    let mut hrefs = Vec::new();
    for href in root.elements().filter(|e| e.is(NS_DAV, "href")) {
        budget.take()?;
        hrefs.push(href.text().trim().to_owned());
    }
    if hrefs.is_empty() {
        return Err(XmlError::invalid("a multiget needs at least one <D:href>"));
    }
    Ok((props, hrefs))
}
