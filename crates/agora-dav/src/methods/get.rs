//! GET and HEAD: objects are served as stored, byte for byte, under the
//! headers `security_headers` decides for content from the server's origin.

use axum::extract::Request;
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};

use agora_core::Access;

use crate::error::HttpError;
use crate::negotiate;
use crate::props::http_date;
use crate::request::etag_header;
use crate::resolve::{Dav, Resource};
use crate::security_headers;

/// Serves an object (with ETag and Last-Modified, honouring If-None-Match), a
/// short greeting at `/`, and a plain listing for collections.
pub async fn get(dav: &Dav<'_>, req: Request) -> Result<Response, HttpError> {
    let head = super::is_head(req.method());
    let resource = dav.resolve(req.uri().path(), Access::Read).await?;
    let (status, headers, body): (StatusCode, Vec<(header::HeaderName, String)>, Vec<u8>) = match &resource {
        Resource::Object(c, meta) => {
            let etag = etag_header(&meta.etag);
            let not_modified =
                req.headers().get(header::IF_NONE_MATCH).and_then(|v| v.to_str().ok()).is_some_and(|v| {
                    v.trim() == "*" || v.split(',').any(|t| t.trim().trim_start_matches("W/") == etag)
                });
            let mut headers = vec![(header::ETAG, etag), (header::LAST_MODIFIED, http_date(meta.modified_at))];
            if let Some(tag) = &meta.schedule_tag {
                headers.push((header::HeaderName::from_static("schedule-tag"), etag_header(tag)));
            }
            let accept = req.headers().get(header::ACCEPT).and_then(|v| v.to_str().ok()).unwrap_or_default();
            let json = negotiate::json_type(&meta.content_type).filter(|json| {
                negotiate::prefers(accept, json, meta.content_type.split(';').next().unwrap_or_default())
            });
            // What is served from the server's origin is never run as it: see
            // security_headers (sandboxing CSP, attachment, downgraded types).
            let served = match json {
                Some(json) => format!("{json}; charset=utf-8"),
                None => security_headers::served_type(c.kind, &meta.content_type).to_owned(),
            };
            headers.extend(security_headers::object_headers(&meta.name, &served));
            headers.push((header::VARY, "Accept".into()));
            // Stored objects change under other clients: a cache (a browser's above all,
            // which would otherwise guess a freshness from Last-Modified, RFC 9111 §4.2.2)
            // must ask again each time; it may keep the bytes, never share them.
            headers.push((header::CACHE_CONTROL, "private, no-cache".into()));
            if not_modified {
                return Ok((StatusCode::NOT_MODIFIED, headers_map(headers)).into_response());
            }
            let object = dav.res.object(c, &meta.name).await?.ok_or(HttpError::NotFound)?;
            let body = match json {
                Some(_) => negotiate::to_json(meta, &object.data)?.into_bytes(),
                None => object.data,
            };
            headers.push((header::CONTENT_TYPE, served));
            (StatusCode::OK, headers, body)
        }
        Resource::Missing { .. } => return Err(HttpError::NotFound),
        other => {
            let page = page(dav, other).unwrap_or_default();
            (StatusCode::OK, vec![(header::CONTENT_TYPE, PAGE_TYPE.into())], page.into_bytes())
        }
    };
    let mut headers = headers;
    headers.push((header::CONTENT_LENGTH, body.len().to_string()));
    let body = if head { Vec::new() } else { body };
    Ok((status, headers_map(headers), body).into_response())
}

/// The media type of [`page`].
pub(crate) const PAGE_TYPE: &str = "text/plain; charset=utf-8";

/// What GET answers for a resource that is not an object: one line saying what
/// it is. It depends on the resource alone (never on its members), so that
/// PROPFIND can report its `getcontentlength` (RFC 4918 §15.4) at no cost;
/// members are listed by PROPFIND, not by GET.
pub(crate) fn page(dav: &Dav<'_>, resource: &Resource) -> Option<String> {
    use agora_store::CollectionKind as K;
    Some(match resource {
        Resource::Root => format!("Agora {}: signed in as {}\n", env!("CARGO_PKG_VERSION"), dav.who.name),
        Resource::Collection(c) => {
            let what = match c.kind {
                K::Calendar => "a calendar: open it with a CalDAV client",
                K::Addressbook => "an address book: open it with a CardDAV client",
                K::CalendarHome => "a calendar home",
                K::AddressbookHome => "an address book home",
                K::Inbox => "a scheduling inbox",
                K::Outbox => "a scheduling outbox",
                K::Notifications => "notifications",
                K::Plain => "a collection: list it with PROPFIND",
            };
            format!("{}: {what}\n", resource.href())
        }
        Resource::Principals | Resource::Principal(_) | Resource::Proxy(..) => format!("{}\n", resource.href()),
        Resource::Object(..) | Resource::Missing { .. } => return None,
    })
}

fn headers_map(list: Vec<(header::HeaderName, String)>) -> axum::http::HeaderMap {
    let mut map = axum::http::HeaderMap::new();
    for (k, v) in list {
        if let Ok(v) = v.parse() {
            map.insert(k, v);
        }
    }
    map
}
