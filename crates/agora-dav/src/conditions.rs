//! The `If` header (RFC 4918 §10.4). The lock rule every write obeys is the
//! core's: the tokens submitted here are handed to it, and each write checks
//! the locks it touches inside its own transaction.
//!
//! The header is a disjunction of lists, each a conjunction of conditions on a
//! resource (the request URI, or the one its tag names): a state token is true
//! when it is the token of a lock covering that resource, an entity tag when it
//! is the resource's current strong ETag. A header that evaluates false fails the
//! request with 412. Every state token in the header counts as submitted.

use agora_core::Access;
use agora_dav_xml::{ConditionKind, IfHeader, parse_if_header};
use axum::http::HeaderMap;

use crate::error::HttpError;
use crate::paths::{self, Target};
use crate::resolve::{Dav, Resource};

/// The decoded store path of a resource, as locks name it (collections end with
/// `/`); the core maps a sharee's mount to the owner's path.
pub async fn lock_path(dav: &Dav<'_>, r: &Resource) -> Result<Option<String>, HttpError> {
    Ok(match r {
        Resource::Collection(c) => Some(dav.res.lock_path(c, "").await?),
        Resource::Object(c, o) => Some(dav.res.lock_path(c, &o.name).await?),
        Resource::Missing { path, parent: Some(c) } if path.starts_with(&c.path) => {
            Some(dav.res.lock_path(c, &path[c.path.len()..]).await?)
        }
        Resource::Missing { path, .. } => Some(path.clone()),
        _ => None,
    })
}

fn tag_path(tag: &str) -> Option<String> {
    let path = match tag.find("://") {
        Some(i) => &tag[i + 3 + tag[i + 3..].find('/')?..],
        None => tag,
    };
    Some(path.to_owned())
}

/// Evaluates the If header against the request's resource and returns the
/// submitted lock tokens. Without an If header: no tokens, no condition.
pub async fn evaluate(
    dav: &Dav<'_>,
    headers: &HeaderMap,
    request_path: &str,
    r: &Resource,
) -> Result<Vec<String>, HttpError> {
    let Some(raw) = headers.get("if").and_then(|v| v.to_str().ok()) else { return Ok(Vec::new()) };
    let header: IfHeader =
        parse_if_header(raw).map_err(|e| HttpError::BadRequest(format!("invalid If header: {e}")))?;
    let mut submitted = Vec::new();
    let mut any_true = false;
    for list in &header.lists {
        let (etag, tokens) = match &list.resource {
            None => state_of(dav, r).await?,
            Some(tag) => {
                let path =
                    tag_path(tag).ok_or_else(|| HttpError::BadRequest(format!("invalid resource tag {tag:?}")))?;
                if path == request_path {
                    state_of(dav, r).await?
                } else {
                    match paths::parse(&path) {
                        Ok(Target::Stored { .. }) => state_of(dav, &dav.resolve(&path, Access::Read).await?).await?,
                        _ => (None, Vec::new()),
                    }
                }
            }
        };
        let mut all = true;
        for c in &list.conditions {
            let holds = match &c.kind {
                ConditionKind::StateToken(t) => {
                    submitted.push(t.clone());
                    tokens.contains(t)
                }
                ConditionKind::ETag(e) => {
                    etag.as_deref().is_some_and(|cur| !e.starts_with("W/") && e.trim_matches('"') == cur)
                }
            };
            all &= holds != c.negated;
        }
        any_true |= all;
    }
    if any_true { Ok(submitted) } else { Err(agora_core::CoreError::PreconditionFailed.into()) }
}

/// A resource's ETag and the tokens of the locks covering it.
async fn state_of(dav: &Dav<'_>, r: &Resource) -> Result<(Option<String>, Vec<String>), HttpError> {
    let etag = match r {
        Resource::Object(_, o) => Some(o.etag.clone()),
        _ => None,
    };
    let tokens = match lock_path(dav, r).await? {
        Some(path) => dav.res.locks_covering(&path).await?.into_iter().map(|l| l.token).collect(),
        None => Vec::new(),
    };
    Ok((etag, tokens))
}

/// Evaluates the If header (412 when it is false) and hands its lock tokens to
/// the core, whose writes check every lock they touch inside their transaction
/// (PUT, DELETE, COPY, MOVE).
pub async fn submit(dav: &Dav<'_>, headers: &HeaderMap, request_path: &str, r: &Resource) -> Result<(), HttpError> {
    let submitted = evaluate(dav, headers, request_path, r).await?;
    dav.res.submit_lock_tokens(submitted);
    Ok(())
}
