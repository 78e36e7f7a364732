//! POST of a VFREEBUSY REQUEST to a scheduling outbox (RFC 6638 §6.1.4): one
//! `C:response` per attendee in a `C:schedule-response`.

use agora_dav_xml::escape_text;
use agora_store::Collection;
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};

use crate::error::HttpError;
use crate::request;
use crate::resolve::Dav;

/// Answers the free/busy request in `body`.
pub async fn free_busy(
    dav: &Dav<'_>,
    outbox: &Collection,
    headers: &HeaderMap,
    body: &[u8],
) -> Result<Response, HttpError> {
    if let Some(ct) = request::content_type(headers)
        && !ct.to_ascii_lowercase().starts_with("text/calendar")
    {
        return Err(HttpError::UnsupportedMediaType("a scheduling POST carries text/calendar".into()));
    }
    let answers = dav.res.outbox_free_busy(outbox, body).await?;
    let mut xml = String::from(
        "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<C:schedule-response xmlns:D=\"DAV:\" xmlns:C=\"urn:ietf:params:xml:ns:caldav\">",
    );
    for a in answers {
        xml.push_str("<C:response><C:recipient><D:href>");
        xml.push_str(&escape_text(&a.recipient));
        xml.push_str("</D:href></C:recipient><C:request-status>");
        xml.push_str(&escape_text(&a.status));
        xml.push_str("</C:request-status>");
        if let Some(data) = a.calendar_data {
            xml.push_str("<C:calendar-data>");
            xml.push_str(&escape_text(&data));
            xml.push_str("</C:calendar-data>");
        }
        xml.push_str("</C:response>");
    }
    xml.push_str("</C:schedule-response>");
    Ok((StatusCode::OK, [(header::CONTENT_TYPE, "application/xml; charset=utf-8")], xml).into_response())
}
