//! `GET /publish/TOKEN.ics`: a published calendar as one iCalendar feed, without
//! login (the secret token is the credential; revoking it ends the link).

use axum::extract::{Path, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};

use crate::AppState;
use crate::error::HttpError;

/// Serves the feed, or 404 for an unknown or revoked token.
pub async fn feed(State(state): State<AppState>, Path(token): Path<String>) -> Response {
    let token = token.trim_end_matches(".ics");
    if token.is_empty() || !token.bytes().all(|b| b.is_ascii_hexdigit()) {
        return HttpError::NotFound.into_response();
    }
    match state.core.published(token).await {
        Ok(Some(p)) => {
            let displayname = agora_dav_xml::PropName::dav("displayname");
            let name = p
                .properties
                .iter()
                .find(|(n, _)| *n == displayname.clark())
                .map(|(_, xml)| agora_dav_xml::DeadProperty { name: displayname.clone(), xml: xml.clone() }.text())
                .unwrap_or_else(|| p.collection.name().to_owned());
            let body = agora_ical::feed::merge(&name, &p.objects);
            (
                StatusCode::OK,
                [
                    (header::CONTENT_TYPE, "text/calendar; charset=utf-8"),
                    (header::CACHE_CONTROL, "private, max-age=300"),
                ],
                body,
            )
                .into_response()
        }
        Ok(None) => HttpError::NotFound.into_response(),
        Err(e) => HttpError::from(e).into_response(),
    }
}
