//! The property part of REPORT bodies, with the `calendar-data` (RFC 4791
//! §9.6) and `address-data` (RFC 6352 §10.4) retrieval details.

use super::time_range::TimeRange;
use crate::common::{is_cal, is_card, is_dav, required_attr, yes_no};
use crate::error::{Budget, XmlError};
use crate::name::PropName;
use crate::tree::XElem;

/// Which properties a report asks for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PropSelection {
    /// `<D:allprop/>`, also used when the body names no properties.
    AllProp,
    /// `<D:propname/>`.
    PropName,
    /// `<D:prop>`: these properties in request order (calendar-data and
    /// address-data included; their details are in [`PropRequest`]).
    Prop(Vec<PropName>),
}

/// The properties a report asks for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PropRequest {
    /// The requested properties.
    pub props: PropSelection,
    /// Details of a requested `<C:calendar-data>`.
    pub calendar_data: Option<CalendarDataRequest>,
    /// Details of a requested `<CARD:address-data>`.
    pub address_data: Option<AddressDataRequest>,
}

/// `<C:calendar-data>` in a request (RFC 4791 §9.6).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct CalendarDataRequest {
    /// `content-type` attribute (default `text/calendar`).
    pub content_type: Option<String>,
    /// `version` attribute (default `2.0`).
    pub version: Option<String>,
    /// `<C:comp>`: partial retrieval (§9.6.1).
    pub comp: Option<CompSelect>,
    /// `<C:expand>`: expand recurrences in this range (§9.6.5).
    pub expand: Option<TimeRange>,
    /// `<C:limit-recurrence-set>` (§9.6.6).
    pub limit_recurrence_set: Option<TimeRange>,
    /// `<C:limit-freebusy-set>` (§9.6.7).
    pub limit_freebusy_set: Option<TimeRange>,
}

/// `<C:comp name="..">` of partial retrieval (RFC 4791 §9.6.1).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct CompSelect {
    /// Component name, e.g. `VCALENDAR`, `VEVENT`.
    pub name: String,
    /// `<C:allprop/>`: every property of the component.
    pub allprop: bool,
    /// `<C:prop name=".."/>` elements.
    pub props: Vec<PropSelect>,
    /// `<C:allcomp/>`: every sub-component.
    pub allcomp: bool,
    /// Nested `<C:comp>` elements.
    pub comps: Vec<CompSelect>,
}

/// `<C:prop name=".." novalue="yes|no"/>` (RFC 4791 §9.6.4).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PropSelect {
    /// iCalendar property name, e.g. `SUMMARY`.
    pub name: String,
    /// `novalue="yes"`: the property without its value.
    pub novalue: bool,
}

/// `<CARD:address-data>` in a request (RFC 6352 §10.4).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct AddressDataRequest {
    /// `content-type` attribute (default `text/vcard`).
    pub content_type: Option<String>,
    /// `version` attribute (default `3.0`).
    pub version: Option<String>,
    /// `<CARD:prop name="EMAIL"/>` names; `None` when none is given.
    pub props: Option<Vec<String>>,
    /// `<CARD:allprop/>`.
    pub allprop: bool,
}

impl PropRequest {
    /// Reads `(DAV:allprop | DAV:propname | DAV:prop)?` among the children
    /// of `parent`; none of them means allprop.
    pub(crate) fn parse(parent: &XElem, budget: &mut Budget) -> Result<PropRequest, XmlError> {
        let mut req = PropRequest { props: PropSelection::AllProp, calendar_data: None, address_data: None };
        let mut seen = false;
        for child in parent.elements() {
            let props = if is_dav(child, "allprop") {
                PropSelection::AllProp
            } else if is_dav(child, "propname") {
                PropSelection::PropName
            } else if is_dav(child, "prop") {
                PropSelection::Prop(req.read_prop(child, budget)?)
            } else {
                continue;
            };
            if std::mem::replace(&mut seen, true) {
                return Err(XmlError::invalid("more than one of prop, allprop and propname"));
            }
            req.props = props;
        }
        Ok(req)
    }

    fn read_prop(&mut self, prop: &XElem, budget: &mut Budget) -> Result<Vec<PropName>, XmlError> {
        let mut names = Vec::new();
        for e in prop.elements() {
            budget.take()?;
            if is_cal(e, "calendar-data") {
                self.calendar_data = Some(CalendarDataRequest::parse(e, budget)?);
            } else if is_card(e, "address-data") {
                self.address_data = Some(AddressDataRequest::parse(e, budget)?);
            }
            names.push(e.name.clone());
        }
        Ok(names)
    }

    /// The requested property names, empty for allprop and propname.
    pub fn names(&self) -> &[PropName] {
        match &self.props {
            PropSelection::Prop(names) => names,
            _ => &[],
        }
    }
}

impl CalendarDataRequest {
    fn parse(e: &XElem, budget: &mut Budget) -> Result<CalendarDataRequest, XmlError> {
        let mut req = CalendarDataRequest {
            content_type: e.attr("content-type").map(|s| s.trim().to_owned()),
            version: e.attr("version").map(|s| s.trim().to_owned()),
            ..Default::default()
        };
        for child in e.elements().filter(|c| c.name.ns == crate::NS_CALDAV) {
            match child.name.local.as_str() {
                "comp" => req.comp = Some(CompSelect::parse(child, budget)?),
                "expand" => req.expand = Some(TimeRange::parse_bounded(child)?),
                "limit-recurrence-set" => req.limit_recurrence_set = Some(TimeRange::parse_bounded(child)?),
                "limit-freebusy-set" => req.limit_freebusy_set = Some(TimeRange::parse_bounded(child)?),
                _ => {}
            }
        }
        // <!ELEMENT calendar-data (comp?, (expand | limit-recurrence-set)?, limit-freebusy-set?)>
        if req.expand.is_some() && req.limit_recurrence_set.is_some() {
            return Err(XmlError::invalid("calendar-data has both expand and limit-recurrence-set"));
        }
        Ok(req)
    }
}

impl CompSelect {
    fn parse(e: &XElem, budget: &mut Budget) -> Result<CompSelect, XmlError> {
        let mut comp = CompSelect { name: required_attr(e, "name")?, ..Default::default() };
        for child in e.elements().filter(|c| c.name.ns == crate::NS_CALDAV) {
            budget.take()?;
            match child.name.local.as_str() {
                "allprop" => comp.allprop = true,
                "allcomp" => comp.allcomp = true,
                "prop" => comp.props.push(PropSelect {
                    name: required_attr(child, "name")?,
                    novalue: yes_no(child, "novalue", false)?,
                }),
                "comp" => comp.comps.push(CompSelect::parse(child, budget)?),
                _ => {}
            }
        }
        Ok(comp)
    }
}

impl AddressDataRequest {
    fn parse(e: &XElem, budget: &mut Budget) -> Result<AddressDataRequest, XmlError> {
        let mut req = AddressDataRequest {
            content_type: e.attr("content-type").map(|s| s.trim().to_owned()),
            version: e.attr("version").map(|s| s.trim().to_owned()),
            ..Default::default()
        };
        for child in e.elements() {
            if is_card(child, "allprop") {
                req.allprop = true;
            } else if is_card(child, "prop") {
                budget.take()?;
                req.props.get_or_insert_with(Vec::new).push(required_attr(child, "name")?);
            }
        }
        Ok(req)
    }
}
