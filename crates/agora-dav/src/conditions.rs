//! The `If` header (RFC 4918 §10.4) and the lock check every write makes.
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

/// The decoded store path of a resource, as locks name it (collections end with `/`).
pub async fn lock_path(dav: &Dav<'_>, r: &Resource) -> Result<Option<String>, HttpError> {
    // Locks belong to the owner's URL: a share seen through a sharee's mount is
    // the same resource, and its locks must hold there too.
    async fn canonical(dav: &Dav<'_>, c: &agora_store::Collection) -> Result<String, HttpError> {
        Ok(if c.share_id.is_some() { dav.res.original_path(c).await? } else { c.path.clone() })
    }
    Ok(match r {
        Resource::Collection(c) => Some(canonical(dav, c).await?),
        Resource::Object(c, o) => Some(format!("{}{}", canonical(dav, c).await?, o.name)),
        Resource::Missing { path, parent: Some(c) } if path.starts_with(&c.path) => {
            Some(format!("{}{}", canonical(dav, c).await?, &path[c.path.len()..]))
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

/// The guard of every write (RFC 4918 §7): the If header holds; every lock
/// covering the resource has its token submitted; when the request adds or
/// removes a member (`membership`), so has a lock on the parent collection, which
/// protects its membership even at depth 0 (§7.4); and for `recursive`
/// operations (DELETE or MOVE of a collection), so has every lock below.
pub async fn check_write(
    dav: &Dav<'_>,
    headers: &HeaderMap,
    request_path: &str,
    r: &Resource,
    recursive: bool,
    membership: bool,
) -> Result<Vec<String>, HttpError> {
    let submitted = evaluate(dav, headers, request_path, r).await?;
    if let Some(path) = lock_path(dav, r).await? {
        guard_path(dav, &path, &submitted, recursive, membership).await?;
    }
    Ok(submitted)
}

/// The lock part of [`check_write`] for a decoded path (also used for the
/// destination of COPY and MOVE).
pub async fn guard_path(
    dav: &Dav<'_>,
    path: &str,
    submitted: &[String],
    recursive: bool,
    membership: bool,
) -> Result<(), HttpError> {
    dav.res.check_locks(path, submitted, recursive).await?;
    if membership && let Some(parent) = agora_core::resources::parent_of(path) {
        dav.res.check_locks(&parent, submitted, false).await?;
    }
    Ok(())
}
