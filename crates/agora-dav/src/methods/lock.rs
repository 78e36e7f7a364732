//! LOCK and UNLOCK (RFC 4918 §9.10, §9.11): write locks, exclusive or shared, at
//! depth 0 or infinity, with timeouts; LOCK on an unmapped URL creates an empty
//! resource; LOCK without a body refreshes the lock named in the If header.

use agora_core::Access;
use agora_core::now;
use agora_core::resources::locks::LockRequest;
use agora_dav_xml::{ActiveLock, LockScope, Precondition, lockdiscovery_xml, parse_lock_body};
use agora_store::Lock;
use axum::extract::Request;
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};

use crate::conditions;
use crate::error::HttpError;
use crate::paths;
use crate::request::{self, Depth};
use crate::resolve::{Dav, Resource};

/// The Timeout header (§10.7): the first `Second-N` or `Infinite` given.
fn timeout(headers: &HeaderMap) -> Option<i64> {
    let value = headers.get("timeout")?.to_str().ok()?;
    value.split(',').map(str::trim).find_map(|t| {
        if t.eq_ignore_ascii_case("infinite") {
            Some(i64::MAX)
        } else {
            t.strip_prefix("Second-").or_else(|| t.strip_prefix("second-")).and_then(|n| n.parse().ok())
        }
    })
}

/// The lock as the XML writer describes it.
pub fn active(lock: &Lock, now: i64) -> ActiveLock {
    ActiveLock {
        scope: if lock.exclusive { LockScope::Exclusive } else { LockScope::Shared },
        depth_infinity: lock.depth_infinity,
        owner: lock.owner_xml.clone(),
        timeout_secs: Some((lock.expires_at - now).max(0) as u64),
        token: lock.token.clone(),
        root: paths::href(&lock.path),
    }
}

fn answer(status: StatusCode, lock: &Lock, with_token: bool) -> Response {
    let body = lockdiscovery_xml(&[active(lock, now())]);
    let mut r = (status, [(header::CONTENT_TYPE, "application/xml; charset=utf-8")], body).into_response();
    if with_token && let Ok(v) = format!("<{}>", lock.token).parse() {
        r.headers_mut().insert("lock-token", v);
    }
    r
}

/// Takes or refreshes a lock.
pub async fn lock(dav: &Dav<'_>, req: Request) -> Result<Response, HttpError> {
    let path = req.uri().path().to_owned();
    let (parts, body) = req.into_parts();
    let body = request::body(body, dav.state.limits.max_request_bytes).await?;
    request::require_xml(&parts.headers, &body)?;
    let info = parse_lock_body(&body, &dav.state.limits.xml)?;
    let depth = request::depth(&parts.headers, Depth::Infinity)?;
    if depth == Depth::One {
        return Err(HttpError::BadRequest("LOCK takes Depth 0 or infinity".into()));
    }
    let resource = dav.resolve(&path, Access::Write).await?;
    let Some(info) = info else {
        // Refresh: the token comes in the If header (§9.10.2).
        let lock_path = conditions::lock_path(dav, &resource).await?.ok_or(HttpError::NotFound)?;
        let submitted = conditions::evaluate(dav, &parts.headers, &path, &resource).await?;
        let token =
            submitted.first().ok_or_else(|| HttpError::BadRequest("a lock refresh needs an If header".into()))?;
        let lock = dav.res.refresh_lock(&lock_path, token, timeout(&parts.headers)).await?;
        return Ok(answer(StatusCode::OK, &lock, false));
    };
    conditions::evaluate(dav, &parts.headers, &path, &resource).await?;
    let canonical = conditions::lock_path(dav, &resource).await?;
    let (lock_path, created) = match (&resource, canonical) {
        (Resource::Collection(_) | Resource::Object(..), Some(p)) => (p, false),
        (Resource::Missing { path, parent: Some(c) }, Some(p)) if !path.ends_with('/') => {
            let name = &path[c.path.len()..];
            // The empty resource is written like any PUT: the parent's locks hold.
            conditions::submit(dav, &parts.headers, &path_href(path), &resource).await?;
            dav.res.create_empty(c, name).await?;
            (p, true)
        }
        (Resource::Missing { .. }, _) => {
            return Err(agora_core::CoreError::Conflict("the parent collection does not exist".into()).into());
        }
        _ => return Err(HttpError::MethodNotAllowed(super::ALLOW)),
    };
    let request = LockRequest {
        exclusive: info.scope == LockScope::Exclusive,
        depth_infinity: depth == Depth::Infinity,
        owner_xml: info.owner,
        timeout: timeout(&parts.headers),
    };
    let lock = dav.res.lock(&lock_path, request).await.map_err(|e| match e {
        agora_core::CoreError::Locked(roots) => HttpError::Precondition(
            StatusCode::LOCKED,
            Precondition::NoConflictingLock(roots.iter().map(|p| paths::href(p)).collect()),
        ),
        other => other.into(),
    })?;
    Ok(answer(if created { StatusCode::CREATED } else { StatusCode::OK }, &lock, true))
}

fn path_href(decoded: &str) -> String {
    paths::href(decoded)
}

/// Releases the lock named in the Lock-Token header.
pub async fn unlock(dav: &Dav<'_>, req: Request) -> Result<Response, HttpError> {
    let token = req
        .headers()
        .get("lock-token")
        .and_then(|v| v.to_str().ok())
        .map(|v| v.trim().trim_start_matches('<').trim_end_matches('>').to_owned())
        .filter(|t| !t.is_empty())
        .ok_or_else(|| HttpError::BadRequest("UNLOCK needs a Lock-Token header".into()))?;
    let resource = dav.resolve(req.uri().path(), Access::Write).await?;
    let path = conditions::lock_path(dav, &resource).await?.ok_or(HttpError::NotFound)?;
    if matches!(resource, Resource::Missing { .. }) {
        return Err(HttpError::NotFound);
    }
    if dav.res.unlock(&path, &token).await? {
        Ok(StatusCode::NO_CONTENT.into_response())
    } else {
        Err(HttpError::Precondition(StatusCode::CONFLICT, Precondition::LockTokenMatchesRequestUri))
    }
}
