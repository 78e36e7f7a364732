//! The account's and devices' endpoints of the Settings section, with the
//! session and CSRF rules of `api` (cookie and `X-Agora-CSRF` on each, except
//! the single-use profile link, which is the credential itself):
//!
//! - `GET /api/app-passwords`: `[{label, created}]` (the store records no last use).
//! - `POST /api/app-passwords` `{label}` → 201 `{label, created, login, password,
//!   davx5}`: the password, shown this once, and the DAVx5 link carrying it.
//! - `DELETE /api/app-passwords/{label}`: the device is refused from its next request.
//! - `POST /api/password` `{current, new}`: local accounts only; the current
//!   password goes through the sign-in's check and throttle.
//! - `GET /api/profile`: the Apple configuration profile (the page's download).
//! - `POST /api/profile-links` → 201 `{url, expiresAt}`: a link to the same
//!   profile, usable once within ten minutes without a session (the QR code).
//! - `GET /api/profile/{token}`: that link.
//!
//! A password change or a revocation moves the user's credential epoch, which
//! ends every session of the user (`agora_core::sessions`). The browser that
//! asked gets a new session at once: the answer is `{"session": …}` as
//! `/api/session` describes it (a new CSRF token) with a new cookie, so only
//! the user's *other* browsers are signed out.

use std::time::Duration;

use agora_core::{AuthError, CoreError, PasswordChangeError, PrincipalKind, Session, now};
use agora_dav::auth::LoggedUser;
use agora_dav::client::ClientAddr;
use axum::Router;
use axum::extract::{Path, Request, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::{delete, get, post};
use serde::Deserialize;
use serde_json::json;

use crate::api::{Api, body, describe, error, internal, is_json, json_response, logged, not_json, require};
use crate::cookie;
use crate::profile::{self, Origin};

/// Largest request body of these endpoints.
const MAX_BODY_BYTES: usize = 8 * 1024;

/// How long a profile link lives: time to pick up the phone and scan.
pub(crate) const PROFILE_LINK_TTL: Duration = Duration::from_secs(10 * 60);

const PROFILE_TYPE: &str = "application/x-apple-aspen-config";

pub(crate) fn routes() -> Router<Api> {
    Router::new()
        .route("/api/app-passwords", get(list).post(create))
        .route("/api/app-passwords/{label}", delete(revoke))
        .route("/api/password", post(change_password))
        .route("/api/profile", get(own_profile))
        .route("/api/profile-links", post(make_link))
        .route("/api/profile/{token}", get(linked_profile))
}

fn iso(ts: i64) -> String {
    chrono::DateTime::from_timestamp(ts, 0).map(|t| t.format("%Y-%m-%dT%H:%M:%SZ").to_string()).unwrap_or_default()
}

fn client(req: &Request) -> Option<std::net::IpAddr> {
    req.extensions().get::<ClientAddr>().and_then(|c| c.0)
}

fn no_host() -> Response {
    error(StatusCode::BAD_REQUEST, "bad-request", "the request names no host")
}

/// A JSON body of at most [`MAX_BODY_BYTES`], or the error to answer.
async fn json_body<T: for<'de> Deserialize<'de>>(req: Request, shape: &str) -> Result<T, Response> {
    if !is_json(req.headers()) {
        return Err(not_json());
    }
    let bad = || error(StatusCode::BAD_REQUEST, "bad-request", &format!("send {shape}"));
    let bytes = body(req.into_body(), MAX_BODY_BYTES).await.ok_or_else(bad)?;
    serde_json::from_slice(&bytes).map_err(|_| bad())
}

/// Ends `old` and answers with a fresh session of the same user (see the module
/// documentation): `{"session": …}` and its cookie.
async fn renewed(api: &Api, old: &Session, client: Option<std::net::IpAddr>, secure: bool) -> Response {
    let core = &api.app.core;
    if let Err(e) = core.close_session(&old.token).await {
        tracing::warn!(error = %e, "replaced web session not closed");
    }
    let (session, principal) = match core.open_session_for(old.identity.principal_id, client).await {
        Ok(opened) => opened,
        Err(e) => return internal(e),
    };
    let mut r = json_response(StatusCode::OK, json!({ "session": describe(&session, &principal) }).to_string());
    let set = cookie::set(&session, &core.config().sessions, secure, now());
    r.headers_mut().insert(header::SET_COOKIE, set);
    logged(r, &session.identity)
}

async fn list(State(api): State<Api>, headers: HeaderMap) -> Response {
    let s = match require(&api, &headers, true).await {
        Ok(s) => s,
        Err(refusal) => return refusal.into_response(),
    };
    match api.app.core.directory().app_passwords(&s.identity.name).await {
        Ok(apps) => {
            let list: Vec<_> = apps.iter().map(|a| json!({ "label": a.label, "created": iso(a.created_at) })).collect();
            logged(json_response(StatusCode::OK, json!(list).to_string()), &s.identity)
        }
        Err(e) => internal(e),
    }
}

#[derive(Deserialize)]
struct NewAppPassword {
    label: String,
}

async fn create(State(api): State<Api>, req: Request) -> Response {
    let s = match require(&api, req.headers(), true).await {
        Ok(s) => s,
        Err(refusal) => return refusal.into_response(),
    };
    let origin = Origin::of(api.tls, &api.app, &req);
    let new: NewAppPassword = match json_body(req, "{\"label\": …}").await {
        Ok(new) => new,
        Err(r) => return r,
    };
    let who = &s.identity;
    let (app, secret) = match api.app.core.directory().add_app_password(&who.name, &new.label).await {
        Ok(created) => created,
        Err(CoreError::Invalid(m)) => return error(StatusCode::BAD_REQUEST, "bad-request", &m),
        Err(CoreError::Conflict(m)) => return error(StatusCode::CONFLICT, "exists", &m),
        Err(e) => return internal(e),
    };
    tracing::info!(user = %who.name, label = %app.label, "app password created on the web");
    let davx5 = origin.as_ref().map(|o| profile::davx5_link(o, &who.name, &secret));
    let answer = json!({
        "label": app.label,
        "created": iso(app.created_at),
        "login": who.name,
        "password": secret,
        "server": origin.as_ref().map(|o| format!("{}/", o.base_url())),
        "davx5": davx5,
    });
    logged(json_response(StatusCode::CREATED, answer.to_string()), who)
}

async fn revoke(State(api): State<Api>, Path(label): Path<String>, req: Request) -> Response {
    let s = match require(&api, req.headers(), true).await {
        Ok(s) => s,
        Err(refusal) => return refusal.into_response(),
    };
    match api.app.core.directory().revoke_app_password(&s.identity.name, &label).await {
        Ok(()) => {}
        Err(CoreError::NotFound { .. }) => {
            return error(StatusCode::NOT_FOUND, "not-found", "no app password has this label");
        }
        Err(e) => return internal(e),
    }
    tracing::info!(user = %s.identity.name, label = %label.trim(), "app password revoked on the web");
    renewed(&api, &s, client(&req), api.secure(&req)).await
}

#[derive(Deserialize)]
struct PasswordChange {
    current: String,
    new: String,
}

async fn change_password(State(api): State<Api>, req: Request) -> Response {
    let s = match require(&api, req.headers(), true).await {
        Ok(s) => s,
        Err(refusal) => return refusal.into_response(),
    };
    let (client, secure) = (client(&req), api.secure(&req));
    let change: PasswordChange = match json_body(req, "{\"current\": …, \"new\": …}").await {
        Ok(change) => change,
        Err(r) => return r,
    };
    let done = api.app.core.change_own_password(&s.identity, &change.current, &change.new, client).await;
    let refused = |status, code, message: &str| logged(error(status, code, message), &s.identity);
    match done {
        Ok(()) => renewed(&api, &s, client, secure).await,
        Err(PasswordChangeError::NotLocal) => refused(
            StatusCode::CONFLICT,
            "not-local",
            "this account signs in through its directory or identity provider; change the password there",
        ),
        // Not 401: the session is fine, only the password typed is not.
        Err(PasswordChangeError::Auth(AuthError::Invalid)) => {
            refused(StatusCode::FORBIDDEN, "wrong-password", "the current password is wrong")
        }
        Err(PasswordChangeError::Auth(AuthError::Throttled { retry_after })) => {
            let secs = retry_after.as_secs().max(1);
            let body = json!({
                "error": "throttled",
                "retryAfter": secs,
                "message": format!("too many failed attempts; retry in {secs} s"),
            });
            let mut r = json_response(StatusCode::TOO_MANY_REQUESTS, body.to_string());
            r.headers_mut().insert(header::RETRY_AFTER, HeaderValue::from(secs));
            logged(r, &s.identity)
        }
        Err(PasswordChangeError::Core(CoreError::Invalid(m))) => refused(StatusCode::BAD_REQUEST, "weak-password", &m),
        // Disabled while signed in: the session ends with it; say so as sign-in does.
        Err(PasswordChangeError::Auth(AuthError::Disabled)) => {
            refused(StatusCode::FORBIDDEN, "account-disabled", "this account is disabled")
        }
        Err(PasswordChangeError::Auth(AuthError::Store(e))) => internal(e),
        Err(PasswordChangeError::Core(e)) => internal(e),
    }
}

/// The profile as a download.
fn profile_response(origin: &Origin, login: &str, display_name: &str) -> Response {
    let disposition = format!("attachment; filename=\"{}\"", profile::file_name(origin));
    let mut r = (StatusCode::OK, profile::mobileconfig(origin, login, display_name)).into_response();
    let h = r.headers_mut();
    h.insert(header::CONTENT_TYPE, HeaderValue::from_static(PROFILE_TYPE));
    h.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    if let Ok(v) = HeaderValue::from_str(&disposition) {
        h.insert(header::CONTENT_DISPOSITION, v);
    }
    r
}

async fn own_profile(State(api): State<Api>, req: Request) -> Response {
    let s = match require(&api, req.headers(), true).await {
        Ok(s) => s,
        Err(refusal) => return refusal.into_response(),
    };
    let Some(origin) = Origin::of(api.tls, &api.app, &req) else { return no_host() };
    match api.app.core.directory().by_id(s.identity.principal_id).await {
        Ok(p) => logged(profile_response(&origin, &p.name, &p.display_name), &s.identity),
        Err(e) => internal(e),
    }
}

async fn make_link(State(api): State<Api>, req: Request) -> Response {
    let s = match require(&api, req.headers(), true).await {
        Ok(s) => s,
        Err(refusal) => return refusal.into_response(),
    };
    let Some(origin) = Origin::of(api.tls, &api.app, &req) else { return no_host() };
    match api.app.core.create_profile_link(&s.identity, PROFILE_LINK_TTL).await {
        Ok((token, expires_at)) => {
            let url = format!("{}/api/profile/{token}", origin.base_url());
            let answer = json!({ "url": url, "expiresAt": iso(expires_at) });
            logged(json_response(StatusCode::CREATED, answer.to_string()), &s.identity)
        }
        Err(e) => internal(e),
    }
}

/// The single-use link: no session (a phone's camera opens it), the token is
/// the credential. Answers in plain text, for a phone's browser.
async fn linked_profile(State(api): State<Api>, Path(token): Path<String>, req: Request) -> Response {
    let gone = || {
        let text = "This link was already used or has expired: show a new QR code in Agora (Settings, Devices).\n\
                    Ce lien a déjà servi ou a expiré : affichez un nouveau code QR dans Agora (Réglages, Appareils).\n";
        (
            StatusCode::NOT_FOUND,
            [(header::CONTENT_TYPE, "text/plain; charset=utf-8"), (header::CACHE_CONTROL, "no-store")],
            text,
        )
            .into_response()
    };
    let Some(origin) = Origin::of(api.tls, &api.app, &req) else { return no_host() };
    match api.app.core.redeem_profile_link(&token).await {
        Ok(Some(p)) if p.kind == PrincipalKind::User => {
            tracing::info!(user = %p.name, "configuration profile fetched by its link");
            let mut r = profile_response(&origin, &p.name, &p.display_name);
            r.extensions_mut().insert(LoggedUser(p.name.clone()));
            r
        }
        Ok(_) => gone(),
        Err(e) => internal(e),
    }
}
