//! POST (RFC 5995 style actions on collections): the sharing protocols —
//! CalendarServer `share` / `invite-reply` and draft-pot-webdav-resource-sharing
//! `share-resource` / `invite-reply` — and the scheduling outbox POST of a
//! VFREEBUSY request (RFC 6638 §6.1.4), see `outbox.rs`.

use agora_core::{Access, CoreError};
use agora_dav_xml::{Precondition, PropName, ShareLevel, SharingPost, escape_text, parse_sharing};
use agora_store::ShareAccess;
use axum::extract::Request;
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};

use crate::error::HttpError;
use crate::paths::{self, Target};
use crate::request;
use crate::resolve::{Dav, Resource};

/// Runs a sharing action.
pub async fn post(dav: &Dav<'_>, req: Request) -> Result<Response, HttpError> {
    let path = req.uri().path().to_owned();
    let (parts, body) = req.into_parts();
    let body = request::body(body, dav.state.limits.max_request_bytes).await?;
    match dav.resolve(&path, Access::ReadFreeBusy).await {
        Ok(Resource::Collection(c)) if c.kind == agora_store::CollectionKind::Outbox => {
            return super::outbox::free_busy(dav, &c, &parts.headers, &body).await;
        }
        // Someone else's outbox: refused as such, not as a malformed sharing POST.
        Err(e) if path.trim_end_matches('/').ends_with("/outbox") => return Err(e),
        _ => {}
    }
    request::require_xml(&parts.headers, &body)?;
    let Some(action) = parse_sharing(&body, &dav.state.limits.xml)? else {
        return Err(HttpError::MethodNotAllowed(super::ALLOW));
    };
    match action {
        SharingPost::Share(sharees) => {
            let Resource::Collection(c) = dav.resolve(&path, Access::Read).await? else {
                return Err(HttpError::NotFound);
            };
            // Resolve every sharee first: nothing changes when one is unknown.
            let mut targets = Vec::new();
            for s in sharees {
                let principal = dav.state.core.directory().by_address(&s.href).await.map_err(|_| {
                    HttpError::Precondition(
                        StatusCode::FORBIDDEN,
                        Precondition::Other(PropName::dav("recognized-principal")),
                    )
                })?;
                targets.push((principal.name, s.level, s.summary));
            }
            for (name, level, summary) in targets {
                let access = match level {
                    ShareLevel::Read => ShareAccess::Read,
                    ShareLevel::ReadWrite => ShareAccess::ReadWrite,
                    ShareLevel::FreeBusy => ShareAccess::FreeBusy,
                    ShareLevel::NoAccess => {
                        match dav.res.unshare(&c, &name).await {
                            Ok(()) | Err(CoreError::NotFound { .. }) => {}
                            Err(e) => return Err(e.into()),
                        }
                        continue;
                    }
                };
                dav.res.share(&c, &name, access, summary.as_deref()).await?;
            }
            Ok(StatusCode::OK.into_response())
        }
        SharingPost::Publish(publish) => {
            let Resource::Collection(c) = dav.resolve(&path, Access::Read).await? else {
                return Err(HttpError::NotFound);
            };
            if publish {
                dav.res.publish(&c).await?;
            } else {
                dav.res.unpublish(&c).await?;
            }
            Ok(StatusCode::OK.into_response())
        }
        SharingPost::Reply { href, accept } => {
            let target =
                href.find("://").and_then(|i| href[i + 3..].find('/').map(|j| &href[i + 3 + j..])).unwrap_or(&href);
            let Ok(Target::Stored { path: original, .. }) = paths::parse(target) else {
                return Err(HttpError::BadRequest(format!("{href:?} is not a shared collection")));
            };
            let mount = dav.res.reply_to_invitation(&format!("{original}/"), accept).await?;
            let body = match mount {
                Some(mount) => format!(
                    "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<CS:shared-as xmlns:D=\"DAV:\" xmlns:CS=\"http://calendarserver.org/ns/\"><D:href>{}</D:href></CS:shared-as>",
                    escape_text(&paths::href(&mount))
                ),
                None => String::new(),
            };
            Ok((StatusCode::OK, [(header::CONTENT_TYPE, "application/xml; charset=utf-8")], body).into_response())
        }
    }
}
