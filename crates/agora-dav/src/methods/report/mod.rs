//! REPORT (RFC 3253 §3.6): each report in its own file.

mod acl_principal_prop_set;
mod addressbook_query;
mod calendar_query;
mod expand_property;
mod filters;
mod free_busy;
mod multiget;
mod principal_match;
mod principal_search;
mod sync_collection;

use agora_core::Access;
use agora_dav_xml::{
    Content, NS_CALDAV, NS_CARDDAV, Precondition, PropName, PropRequest, PropSelection, PropStat, PropValue, Propfind,
    Report, parse_report,
};
use agora_store::{Collection, CollectionKind, Object};
use axum::extract::Request;
use axum::http::StatusCode;
use axum::response::Response;

use crate::error::HttpError;
use crate::negotiate::essence;
use crate::props;
use crate::request::{self, Depth};
use crate::resolve::{Dav, Resource};

/// Parses the report and runs it against the request URI.
pub async fn report(dav: &Dav<'_>, req: Request) -> Result<Response, HttpError> {
    let path = req.uri().path().to_owned();
    let (parts, body) = req.into_parts();
    let body = request::body(body, dav.state.limits.max_request_bytes).await?;
    request::require_xml(&parts.headers, &body)?;
    let report = parse_report(&body, &dav.state.limits.xml)?;
    if let Report::CalendarQuery { props, .. }
    | Report::CalendarMultiget { props, .. }
    | Report::AddressbookQuery { props, .. }
    | Report::AddressbookMultiget { props, .. } = &report
    {
        check_data_formats(props)?;
    }
    // RFC 3744 §9.2 and §9.3 define these two for Depth 0 only (the default).
    if matches!(report, Report::PrincipalMatch { .. } | Report::AclPrincipalPropSet { .. })
        && request::depth(&parts.headers, Depth::Zero)? != Depth::Zero
    {
        return Err(HttpError::BadRequest("this report is only defined for Depth: 0 (RFC 3744 §9)".into()));
    }
    // free-busy-query needs only read-free-busy (RFC 4791 §7.10); the rest read.
    let access = if matches!(report, Report::FreeBusyQuery { .. }) { Access::ReadFreeBusy } else { Access::Read };
    let resource = dav.resolve(&path, access).await?;
    let unsupported = || HttpError::Precondition(StatusCode::FORBIDDEN, Precondition::SupportedReport);
    if matches!(resource, Resource::Missing { .. }) {
        return Err(HttpError::NotFound);
    }
    // Reports about principals and properties apply to any resource.
    let report = match report {
        Report::PrincipalPropertySearch { searches, test, props, limit, .. } => {
            dav.res.authorize_directory()?;
            return principal_search::search(dav, &searches, &test, &props, limit).await;
        }
        Report::PrincipalSearchPropertySet => return Ok(principal_search::search_property_set()),
        Report::ExpandProperty { properties } => return expand_property::run(dav, &resource, &properties).await,
        Report::PrincipalMatch { principal_property, props, .. } => {
            return principal_match::run(dav, &resource, principal_property.as_ref(), &props).await;
        }
        Report::AclPrincipalPropSet { props } => return acl_principal_prop_set::run(dav, &resource, &props).await,
        other => other,
    };
    // RFC 4791 §7.8 and RFC 6352 §8.6: a query may name one object (Depth 0),
    // and then answers for that object alone; multigets resolve their hrefs
    // in the object's collection.
    let (collection, only) = match resource {
        Resource::Collection(c) => (c, None),
        Resource::Object(c, meta)
            if matches!(
                report,
                Report::CalendarQuery { .. }
                    | Report::AddressbookQuery { .. }
                    | Report::CalendarMultiget { .. }
                    | Report::AddressbookMultiget { .. }
            ) =>
        {
            (c, Some(meta.name))
        }
        _ => return Err(unsupported()),
    };
    let only = only.as_deref();
    match report {
        Report::SyncCollection { sync_token, limit, props, .. } => {
            sync_collection::run(dav, &collection, sync_token.as_deref(), limit, props).await
        }
        Report::CalendarMultiget { props, hrefs } if collection.kind == CollectionKind::Calendar => {
            multiget::run(dav, &collection, &props, &hrefs).await
        }
        Report::AddressbookMultiget { props, hrefs } if collection.kind == CollectionKind::Addressbook => {
            multiget::run(dav, &collection, &props, &hrefs).await
        }
        Report::CalendarQuery { props, filter, timezone, timezone_id }
            if collection.kind == CollectionKind::Calendar =>
        {
            let zone = (timezone.as_deref(), timezone_id.as_deref());
            calendar_query::run(dav, &collection, only, &props, &filter, zone).await
        }
        Report::AddressbookQuery { props, filter, limit } if collection.kind == CollectionKind::Addressbook => {
            addressbook_query::run(dav, &collection, only, &props, &filter, limit).await
        }
        Report::FreeBusyQuery { range } if collection.kind == CollectionKind::Calendar => {
            free_busy::run(dav, &collection, &range).await
        }
        _ => Err(unsupported()),
    }
}

/// Refuses a `calendar-data` or `address-data` request for a media type or
/// version the server cannot produce (RFC 4791 §9.6 with the
/// `supported-calendar-data` precondition, RFC 6352 §10.4 with
/// `supported-address-data`), before any object is read.
fn check_data_formats(wanted: &PropRequest) -> Result<(), HttpError> {
    let refuse = |p: Precondition, what: String| Err(HttpError::Refused(StatusCode::FORBIDDEN, p, what));
    if let Some(cd) = &wanted.calendar_data {
        let media = cd.content_type.as_deref().map(essence);
        if !matches!(media.as_deref(), None | Some("text/calendar" | "application/calendar+json")) {
            let what = format!("calendar data is served as text/calendar or application/calendar+json, not {media:?}");
            return refuse(Precondition::SupportedCalendarData, what);
        }
        // The version is iCalendar's; jCal carries its own inside the data.
        if media.as_deref().is_none_or(|m| m == "text/calendar")
            && cd.version.as_deref().is_some_and(|v| v.trim() != "2.0")
        {
            return refuse(Precondition::SupportedCalendarData, "iCalendar version 2.0 only".into());
        }
    }
    if let Some(ad) = &wanted.address_data {
        let media = ad.content_type.as_deref().map(essence);
        if !matches!(media.as_deref(), None | Some("text/vcard" | "application/vcard+json")) {
            let what = format!("address data is served as text/vcard or application/vcard+json, not {media:?}");
            return refuse(Precondition::SupportedAddressData, what);
        }
        if let Some(v) = ad.version.as_deref()
            && agora_ical::vcard::Version::parse(v).is_none()
        {
            return refuse(Precondition::SupportedAddressData, format!("vCard 3.0 or 4.0, not {v:?}"));
        }
    }
    Ok(())
}

fn is_data(name: &PropName) -> bool {
    name.is(NS_CALDAV, "calendar-data") || name.is(NS_CARDDAV, "address-data")
}

/// Whether [`object_propstats`] will read the objects' bytes for this request.
pub(crate) fn wants_data(wanted: &PropRequest) -> bool {
    wanted.calendar_data.is_some()
        || wanted.address_data.is_some()
        || matches!(&wanted.props, PropSelection::Prop(names) if names.iter().any(is_data))
}

/// The propstats of one object for a report: its properties plus, when asked,
/// its calendar or address data (served as stored, or converted on request);
pub(crate) async fn object_propstats(
    dav: &Dav<'_>,
    c: &Collection,
    object: &Object,
    wanted: &PropRequest,
) -> Result<Vec<PropStat>, HttpError> {
    let (propfind, data_names) = match &wanted.props {
        PropSelection::AllProp => (Propfind::AllProp { include: vec![] }, vec![]),
        PropSelection::PropName => (Propfind::PropName, vec![]),
        PropSelection::Prop(names) => (
            Propfind::Prop(names.iter().filter(|n| !is_data(n)).cloned().collect()),
            names.iter().filter(|n| is_data(n)).cloned().collect::<Vec<_>>(),
        ),
    };
    let resource = Resource::Object(c.clone(), object.meta.clone());
    let mut stats = props::propstats(dav, &resource, &propfind).await?;
    let mut data = data_names;
    if wanted.calendar_data.is_some() && !data.iter().any(|n| n.is(NS_CALDAV, "calendar-data")) {
        data.push(PropName::caldav("calendar-data"));
    }
    if wanted.address_data.is_some() && !data.iter().any(|n| n.is(NS_CARDDAV, "address-data")) {
        data.push(PropName::carddav("address-data"));
    }
    for name in data {
        let (text, media) = if name.is(NS_CARDDAV, "address-data") {
            let json = wanted.address_data.as_ref().and_then(|a| a.content_type.as_deref()).is_some_and(is_json);
            (address_data(object, wanted)?, json.then_some("application/vcard+json"))
        } else {
            let json = wanted.calendar_data.as_ref().and_then(|cd| cd.content_type.as_deref()).is_some_and(is_json);
            (calendar_data(dav, c, object, wanted).await?, json.then_some("application/calendar+json"))
        };
        // JSON data names its media type (RFC 7265 §6, RFC 7095 §6).
        let content = match media {
            Some(media) => Content::Typed { content_type: media.to_owned(), text },
            None => Content::Text(text),
        };
        let value = PropValue::new(name, content);
        match stats.iter_mut().find(|s| s.status == 200) {
            Some(ok) => ok.props.push(value),
            None => stats.insert(0, PropStat { status: 200, props: vec![value] }),
        }
    }
    Ok(stats)
}

/// Calendar data as stored, or expanded into instances when asked (§9.6.5), as
/// jCal when the client asks for `application/calendar+json`.
async fn calendar_data(
    dav: &Dav<'_>,
    c: &Collection,
    object: &Object,
    wanted: &PropRequest,
) -> Result<String, HttpError> {
    let mut text = calendar_text(dav, c, object, wanted).await?;
    if let Some(select) = wanted.calendar_data.as_ref().and_then(|cd| cd.comp.as_ref()) {
        text = agora_ical::partial::select(&text, &filters::comp_select(select));
    }
    if wanted.calendar_data.as_ref().and_then(|cd| cd.content_type.as_deref()).is_some_and(is_json) {
        return agora_ical::json::icalendar_to_jcal(&text)
            .map(|v| v.to_string())
            .map_err(|e| HttpError::BadRequest(format!("the stored data cannot be shown as jCal: {e}")));
    }
    Ok(text)
}

fn is_json(content_type: &str) -> bool {
    let essence = essence(content_type);
    essence == "application/calendar+json" || essence == "application/vcard+json"
}

async fn calendar_text(
    dav: &Dav<'_>,
    c: &Collection,
    object: &Object,
    wanted: &PropRequest,
) -> Result<String, HttpError> {
    if let Some(range) = wanted.calendar_data.as_ref().and_then(|cd| cd.expand.as_ref())
        && let (Some(start), Some(end)) = (range.start, range.end)
        && let Ok(parsed) = agora_ical::CalendarObject::parse(&object.data)
    {
        let floating = calendar_query::floating_zone(dav, c, None, None).await?;
        if let Ok(expanded) = agora_ical::expand_to_ical(&parsed, start, end, &floating) {
            return Ok(expanded);
        }
    }
    Ok(String::from_utf8_lossy(&object.data).into_owned())
}

/// A card in the version the client asked for (RFC 6352 §10.4), as jCard when
/// it asks for `application/vcard+json`.
/// Only the properties it names when it names some (§10.4.2: a list of 200 cards
/// without their photos).
fn address_data(object: &Object, wanted: &PropRequest) -> Result<String, HttpError> {
    let request = wanted.address_data.as_ref();
    let json = request.and_then(|a| a.content_type.as_deref()).is_some_and(is_json);
    let mut text =
        if json { String::from_utf8_lossy(&object.data).into_owned() } else { address_text(object, wanted)? };
    if let Some(names) = request.filter(|a| !a.allprop).and_then(|a| a.props.as_deref()) {
        text = agora_ical::partial::select_card(&text, names);
    }
    if json {
        return agora_ical::json::vcard_to_jcard(&text)
            .map(|v| v.to_string())
            .map_err(|e| HttpError::BadRequest(format!("the stored card cannot be shown as jCard: {e}")));
    }
    Ok(text)
}

fn address_text(object: &Object, wanted: &PropRequest) -> Result<String, HttpError> {
    let version = wanted.address_data.as_ref().and_then(|a| a.version.as_deref());
    if let Some(v) = version {
        let target = agora_ical::vcard::Version::parse(v)
            .ok_or(HttpError::Precondition(StatusCode::FORBIDDEN, Precondition::SupportedAddressData))?;
        if let Ok(Some(converted)) = agora_ical::vcard::convert(&object.data, target) {
            return Ok(converted);
        }
    }
    Ok(String::from_utf8_lossy(&object.data).into_owned())
}
