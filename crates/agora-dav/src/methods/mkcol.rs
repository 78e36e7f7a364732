//! MKCOL (RFC 4918 §9.3), extended MKCOL (RFC 5689) and MKCALENDAR (RFC 4791
//! §5.3.1): the resource type and initial properties come from the body.

use agora_core::{Access, CoreError};
use agora_dav_xml::{MkcolKind, NS_CALDAV, NS_CALENDARSERVER, NS_CARDDAV, NS_DAV, Precondition, PropName, parse_mkcol};
use agora_store::{CollectionKind, Components};
use axum::extract::Request;
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};

use crate::conditions;
use crate::error::HttpError;
use crate::props::is_protected;
use crate::request;
use crate::resolve::{Dav, Resource};

/// Creates a collection; 201 on success, 405 if something exists there, 409
/// without a parent.
pub async fn mkcol(dav: &Dav<'_>, req: Request) -> Result<Response, HttpError> {
    let is_mkcalendar = req.method().as_str() == "MKCALENDAR";
    let resource = dav.resolve(req.uri().path(), Access::Write).await?;
    if matches!(resource, Resource::Missing { parent: Some(_), .. }) {
        // The core checks the parent's locks inside the write.
        conditions::submit(dav, req.headers(), req.uri().path(), &resource).await?;
    }
    let path = match resource {
        Resource::Missing { path, parent: Some(_) } => {
            if path.ends_with('/') {
                path
            } else {
                format!("{path}/")
            }
        }
        Resource::Missing { parent: None, .. } => {
            return Err(CoreError::Conflict("the parent collection does not exist".into()).into());
        }
        _ => return Err(HttpError::MethodNotAllowed(super::ALLOW)),
    };
    let (parts, body) = req.into_parts();
    let body = request::body(body, dav.state.limits.max_request_bytes).await?;
    let (mut kind, mut components, mut props) = if is_mkcalendar {
        (CollectionKind::Calendar, Components(0), Vec::new())
    } else {
        (CollectionKind::Plain, Components(0), Vec::new())
    };
    // A subscription: the feed URL (CalendarServer's CS:source, kept as a dead
    // property too so that clients read it back).
    let mut source = None;
    let mut subscribed = false;
    if !body.is_empty() {
        request::require_xml(&parts.headers, &body)?;
        let parsed = parse_mkcol(&body, &dav.state.limits.xml)?;
        if is_mkcalendar != (parsed.kind == MkcolKind::Mkcalendar) {
            return Err(HttpError::BadRequest("the body's root element does not match the method".into()));
        }
        for prop in parsed.props {
            if prop.name.is(NS_DAV, "resourcetype") {
                let types = prop.child_names();
                let has = |ns: &str, l: &str| types.iter().any(|t| t.is(ns, l));
                if !has(NS_DAV, "collection") || types.len() > 2 {
                    return Err(HttpError::Precondition(StatusCode::FORBIDDEN, Precondition::ValidResourcetype));
                }
                subscribed = has(NS_CALENDARSERVER, "subscribed");
                kind = if has(NS_CALDAV, "calendar") || subscribed {
                    CollectionKind::Calendar
                } else if has(NS_CARDDAV, "addressbook") {
                    CollectionKind::Addressbook
                } else if types.len() == 1 {
                    CollectionKind::Plain
                } else {
                    return Err(HttpError::Precondition(StatusCode::FORBIDDEN, Precondition::ValidResourcetype));
                };
            } else if prop.name.is(NS_CALDAV, "supported-calendar-component-set") {
                let element = prop.element()?;
                for comp in element.elements().filter(|e| e.name == PropName::caldav("comp")) {
                    let name = comp.attr("name").unwrap_or_default();
                    let bit = Components::bit(name).ok_or_else(|| {
                        HttpError::Precondition(StatusCode::FORBIDDEN, Precondition::SupportedCalendarComponent)
                    })?;
                    components.0 |= bit;
                }
            } else if prop.name.is(NS_CALENDARSERVER, "source") {
                let element = prop.element()?;
                let href = element.child(&PropName::dav("href")).map(|h| h.text()).unwrap_or_default();
                source = Some(href.trim().to_owned());
                props.push((prop.name.clark(), prop.xml));
            } else if is_protected(&prop.name) {
                return Err(HttpError::Precondition(
                    StatusCode::FORBIDDEN,
                    Precondition::CannotModifyProtectedProperty,
                ));
            } else {
                props.push((prop.name.clark(), prop.xml));
            }
        }
    }
    if subscribed && source.is_none() {
        return Err(HttpError::BadRequest("a subscribed calendar needs its feed URL in CS:source".into()));
    }
    let created = match source {
        Some(url) if kind == CollectionKind::Calendar => dav.res.subscribe(&path, &url, props).await,
        Some(_) => Err(CoreError::Invalid("only calendars can be subscribed to a feed".into())),
        None => dav.res.create_collection(&path, kind, components, props).await,
    };
    let created = created.map_err(|e| match e {
        CoreError::Rule(rule) => HttpError::from_rule(rule, kind, |n| n.to_owned()),
        other => other.into(),
    })?;
    Ok((StatusCode::CREATED, [(header::LOCATION, crate::paths::href(&created.path))]).into_response())
}
