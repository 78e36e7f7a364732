//! DELETE (RFC 4918 §9.6): objects (honouring If-Match) and whole collections.

use agora_core::Access;
use axum::extract::Request;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};

use crate::conditions;
use crate::error::HttpError;
use crate::request;
use crate::resolve::{Dav, Resource};

/// Deletes the resource; 204 on success.
pub async fn delete(dav: &Dav<'_>, req: Request) -> Result<Response, HttpError> {
    let condition = request::write_condition(req.headers());
    // The core decides: write for own data; deleting a shared collection from one's
    // home only leaves the share.
    let resource = match dav.resolve(req.uri().path(), Access::Read).await {
        Ok(r) => r,
        // A free/busy-only sharee cannot read the mount in their home, yet may
        // leave the share; nothing else is resolved on read-free-busy alone.
        Err(denied) => match crate::paths::parse(req.uri().path()) {
            Ok(crate::paths::Target::Stored { path, .. }) => match dav.res.mount_to_leave(&path).await {
                Ok(Some(c)) => Resource::Collection(c),
                _ => return Err(denied),
            },
            _ => return Err(denied),
        },
    };
    if !matches!(resource, Resource::Missing { .. }) {
        conditions::submit(dav, req.headers(), req.uri().path(), &resource).await?;
    }
    let lock_path = conditions::lock_path(dav, &resource).await?;
    match resource {
        Resource::Object(c, meta) => {
            dav.res.delete_object(&c, &meta.name, &condition, request::schedule_reply(req.headers())).await?
        }
        Resource::Collection(c) => {
            if condition != agora_store::WriteCondition::Always {
                // Collections have no ETag: any If-Match fails (RFC 9110 §13.1.1).
                if matches!(condition, agora_store::WriteCondition::IfMatch(_)) {
                    return Err(agora_core::CoreError::PreconditionFailed.into());
                }
            }
            dav.res.delete_collection(&c).await?
        }
        Resource::Missing { .. } => return Err(HttpError::NotFound),
        _ => return Err(HttpError::MethodNotAllowed(super::ALLOW)),
    }
    if let Some(path) = lock_path {
        dav.res.forget_locks(&path).await?;
    }
    Ok(StatusCode::NO_CONTENT.into_response())
}
