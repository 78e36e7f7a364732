//! COPY and MOVE (RFC 4918 §9.8, §9.9) of objects and whole collections, with
//! Destination, Overwrite and Depth. Dead properties travel with the resource;
//! objects are validated again for their destination collection.

use agora_core::{Access, CoreError};
use axum::extract::Request;
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};

use crate::conditions;
use crate::error::HttpError;
use crate::paths::{self, Target};
use crate::request::{self, Depth};
use crate::resolve::{Dav, Resource};

/// Where the Destination header points, decoded; `None` when it names another server.
pub(crate) fn destination(headers: &HeaderMap) -> Result<Option<(String, bool)>, HttpError> {
    let raw = headers
        .get("destination")
        .and_then(|v| v.to_str().ok())
        .ok_or_else(|| HttpError::BadRequest("a Destination header is required".into()))?;
    let path = match raw.find("://") {
        Some(i) => {
            let rest = &raw[i + 3..];
            let (authority, path) = rest.split_at(rest.find('/').unwrap_or(rest.len()));
            let host = headers.get(header::HOST).and_then(|v| v.to_str().ok()).unwrap_or_default();
            if !authority.eq_ignore_ascii_case(host) {
                return Ok(None);
            }
            if path.is_empty() { "/" } else { path }
        }
        None => raw,
    };
    match paths::parse(path).map_err(|e| HttpError::BadRequest(e.0))? {
        Target::Stored { path, slash } => Ok(Some((path, slash))),
        _ => Err(CoreError::Forbidden("the destination is not a place for resources".into()).into()),
    }
}

/// Copies or moves the resource; 201 when the destination was new, 204 when replaced.
pub async fn copy_or_move(dav: &Dav<'_>, req: Request) -> Result<Response, HttpError> {
    let is_move = req.method().as_str() == "MOVE";
    let headers = req.headers();
    let Some((dst, _)) = destination(headers)? else {
        return Ok((StatusCode::BAD_GATEWAY, "the destination is on another server\n").into_response());
    };
    let overwrite = match headers.get("overwrite").and_then(|v| v.to_str().ok()).map(str::trim) {
        None | Some("T") | Some("t") => true,
        Some("F") | Some("f") => false,
        Some(other) => return Err(HttpError::BadRequest(format!("invalid Overwrite header {other:?}"))),
    };
    let depth = request::depth(headers, Depth::Infinity)?;
    let source = dav.resolve(req.uri().path(), if is_move { Access::Write } else { Access::Read }).await?;
    if matches!(source, Resource::Missing { .. }) {
        return Err(HttpError::NotFound);
    }
    // The core checks the locks of the destination (and, for MOVE, of the
    // source) inside the write.
    conditions::submit(dav, headers, req.uri().path(), &source).await?;
    let source_lock_path = conditions::lock_path(dav, &source).await?;
    let is_collection = matches!(source, Resource::Collection(_));
    let replaced = match source {
        Resource::Object(c, meta) => {
            let src_path = format!("{}{}", c.path, meta.name);
            if dst == src_path {
                return Err(CoreError::Forbidden("source and destination are the same".into()).into());
            }
            // Replacing a collection by an object: the collection goes first.
            let mut replaced = false;
            if let Some(existing) = dav.res.collection(&format!("{dst}/"), Access::Write).await? {
                if !overwrite {
                    return Err(CoreError::PreconditionFailed.into());
                }
                dav.res.delete_collection(&existing).await?;
                replaced = true;
            }
            let parent_path = agora_core::resources::parent_of(&dst).unwrap_or_default();
            let parent = dav
                .res
                .collection(&parent_path, Access::Write)
                .await?
                .ok_or_else(|| CoreError::Conflict("the destination's parent collection does not exist".into()))?;
            let name = &dst[parent_path.len()..];
            let outcome =
                dav.res.transfer_object(&c, &meta, &parent, name, is_move, overwrite).await.map_err(|e| match e {
                    CoreError::Rule(rule) => {
                        HttpError::from_rule(rule, parent.kind, |n| paths::href(&format!("{}{n}", parent.path)))
                    }
                    other => other.into(),
                })?;
            replaced || !outcome.created
        }
        Resource::Collection(c) => {
            if is_move && depth != Depth::Infinity {
                return Err(HttpError::BadRequest("MOVE of a collection needs Depth: infinity".into()));
            }
            if depth == Depth::One {
                return Err(HttpError::BadRequest("COPY takes Depth 0 or infinity".into()));
            }
            let dst_path = format!("{dst}/");
            if dst_path == c.path {
                return Err(CoreError::Forbidden("source and destination are the same".into()).into());
            }
            dav.res.transfer_collection(&c, &dst_path, is_move, depth == Depth::Infinity, overwrite).await?
        }
        Resource::Missing { .. } => return Err(HttpError::NotFound),
        _ => return Err(HttpError::MethodNotAllowed(super::ALLOW)),
    };
    // Locks stay with their URL, not with the resource (RFC 4918 §9.9.4).
    if is_move && let Some(path) = source_lock_path {
        dav.res.forget_locks(&path).await?;
    }
    if replaced {
        return Ok(StatusCode::NO_CONTENT.into_response());
    }
    // RFC 9110 §15.3.2: a 201 names what it created.
    let created = paths::href(&if is_collection { format!("{dst}/") } else { dst });
    Ok((StatusCode::CREATED, [(header::LOCATION, created)]).into_response())
}
