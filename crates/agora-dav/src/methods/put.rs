//! PUT (RFC 4918 §9.7, RFC 4791 §5.3.2, RFC 6352 §6.3.2): the bytes are stored as
//! sent, so the ETag is returned (clients need not re-fetch) — unless the server
//! changed them (`Written::rewritten`, jCal/jCard).

use agora_core::{Access, CoreError};
use axum::extract::Request;
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};

use crate::conditions;
use crate::error::HttpError;
use crate::paths;
use crate::props::http_date;
use crate::request::{self, etag_header};
use crate::resolve::{Dav, Resource};

/// Creates or replaces an object, honouring If-Match / If-None-Match.
pub async fn put(dav: &Dav<'_>, req: Request) -> Result<Response, HttpError> {
    let resource = dav.resolve(req.uri().path(), Access::Write).await?;
    // The core checks locks and quota inside the write.
    conditions::submit(dav, req.headers(), req.uri().path(), &resource).await?;
    let (collection, name) = match resource {
        Resource::Object(c, meta) => (c, meta.name),
        Resource::Missing { parent: Some(c), path } if !path.ends_with('/') => {
            let name = path[c.path.len()..].to_owned();
            (c, name)
        }
        Resource::Missing { parent: None, .. } => {
            return Err(CoreError::Conflict("the parent collection does not exist".into()).into());
        }
        _ => return Err(HttpError::MethodNotAllowed(super::ALLOW)),
    };
    let condition = request::write_condition(req.headers());
    let content_type = request::content_type(req.headers());
    let limit = dav.state.limits.max_request_bytes;
    let body = request::body(req.into_body(), limit).await?;
    let outcome = dav.res.put_object(&collection, &name, body, content_type.as_deref(), &condition).await.map_err(
        |e| match e {
            CoreError::Rule(rule) => {
                // The precondition element is the answer; the reason (with the
                // line or TZID at fault) is for the server's log.
                tracing::info!(path = %format!("{}{name}", collection.path), reason = %rule, "PUT refused");
                HttpError::from_rule(rule, collection.kind, |other| paths::href(&format!("{}{other}", collection.path)))
            }
            other => other.into(),
        },
    )?;
    let status = if outcome.created { StatusCode::CREATED } else { StatusCode::NO_CONTENT };
    let mut response = (status, [(header::LAST_MODIFIED, http_date(outcome.meta.modified_at))]).into_response();
    // An ETag promises the stored bytes are the ones sent; after a jCal/jCard
    // conversion, a repair on the way in (a byte-order mark, METHOD:PUBLISH) or a
    // scheduling change they are not, and the client must fetch them (RFC 4791 §5.3.4).
    if agora_core::resources::stored_verbatim(content_type.as_deref())
        && !outcome.rewritten
        && let Ok(v) = etag_header(&outcome.meta.etag).parse()
    {
        response.headers_mut().insert(header::ETAG, v);
    }
    // RFC 6638 §3.2.10: the tag the client's next If-Schedule-Tag-Match names.
    if let Some(tag) = &outcome.meta.schedule_tag
        && let Ok(v) = etag_header(tag).parse()
    {
        response.headers_mut().insert("schedule-tag", v);
    }
    Ok(response)
}
