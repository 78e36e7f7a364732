//! The JSON endpoints: `/api/session`, `/api/login`, `/api/logout` and
//! `/api/preferences` (the account's and devices' are in `devices`, the administration's
//! `/api/admin/…` in `crate::admin`). Requests and answers are `application/json`; errors
//! are `{"error": code, "message": text}`.
//!
//! `POST /api/login` needs no session; `GET /api/session` needs the cookie but
//! not the CSRF header (it is how the page, reloaded, learns the token: only a
//! same-origin script can read the answer). Every other endpoint needs both,
//! checked by `agora_dav::auth` like DAV requests.

use agora_core::{AuthError, CoreError, Identity, Principal, Session, now};
use agora_dav::AppState;
use agora_dav::auth::{LoggedUser, cookie_session, csrf_ok, session_cookie};
use agora_dav::client::{ClientAddr, forwarded_https, peer};
use agora_dav::paths::href;
use axum::Router;
use axum::body::{Body, to_bytes};
use axum::extract::{Request, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use serde::Deserialize;
use serde_json::json;

use crate::cookie;

/// Largest login request body.
const MAX_LOGIN_BYTES: usize = 8 * 1024;

#[derive(Clone)]
pub(crate) struct Api {
    pub(crate) app: AppState,
    pub(crate) tls: bool,
    /// The single sign-on button's text, when a provider is configured.
    oidc_label: Option<String>,
}

impl Api {
    pub(crate) fn secure(&self, req: &Request) -> bool {
        secure(self.tls, &self.app, req)
    }
}

/// Whether cookies are `Secure`: served over TLS, here or at a trusted reverse
/// proxy that says so.
pub(crate) fn secure(tls: bool, app: &AppState, req: &Request) -> bool {
    tls || forwarded_https(peer(req), req.headers(), &app.trusted_proxies)
}

pub(crate) fn router(app: AppState, tls: bool, oidc_label: Option<String>) -> Router {
    Router::new()
        .route("/api/sign-in", get(sign_in_options))
        .route("/api/session", get(session))
        .route("/api/login", post(login))
        .route("/api/logout", post(logout))
        .route("/api/preferences", get(get_preferences).put(put_preferences))
        .merge(crate::devices::routes())
        .merge(crate::trash::routes())
        .merge(crate::admin::routes())
        .method_not_allowed_fallback(|| async { error(StatusCode::METHOD_NOT_ALLOWED, "method", "method not allowed") })
        .fallback(|| async { error(StatusCode::NOT_FOUND, "not-found", "no such endpoint") })
        .with_state(Api { app, tls, oidc_label })
}

/// How one may sign in, for the sign-in page: always with a password, and with
/// the configured identity provider when there is one.
async fn sign_in_options(State(api): State<Api>) -> Response {
    let oidc = api.oidc_label.as_ref().map(|label| json!({ "label": label, "start": "/auth/oidc/start" }));
    json_response(StatusCode::OK, json!({ "password": true, "oidc": oidc }).to_string())
}

/// A JSON error answer.
pub(crate) fn error(status: StatusCode, code: &str, message: &str) -> Response {
    json_response(status, json!({ "error": code, "message": message }).to_string())
}

pub(crate) fn json_response(status: StatusCode, body: String) -> Response {
    (status, [(header::CONTENT_TYPE, "application/json; charset=utf-8"), (header::CACHE_CONTROL, "no-store")], body)
        .into_response()
}

fn signed_out() -> Response {
    error(StatusCode::UNAUTHORIZED, "signed-out", "sign in first")
}

pub(crate) fn internal(e: impl std::fmt::Display) -> Response {
    tracing::error!(error = %e, "web API request failed");
    error(StatusCode::INTERNAL_SERVER_ERROR, "internal", "the server failed; try again")
}

/// Why a request gets no answer of its own.
pub(crate) enum Refusal {
    /// No live session.
    SignedOut,
    /// A live session, without its CSRF header.
    Csrf,
    /// The store failed.
    Core(CoreError),
}

impl IntoResponse for Refusal {
    fn into_response(self) -> Response {
        match self {
            Refusal::SignedOut => signed_out(),
            Refusal::Csrf => {
                error(StatusCode::FORBIDDEN, "csrf", "this request needs the session's X-Agora-CSRF header")
            }
            Refusal::Core(e) => internal(e),
        }
    }
}

/// The request's live session; with `csrf`, only if it carries the CSRF header.
pub(crate) async fn require(api: &Api, headers: &HeaderMap, csrf: bool) -> Result<Session, Refusal> {
    match cookie_session(&api.app.core, headers).await {
        Ok(Some(s)) if !csrf || csrf_ok(headers, &s) => Ok(s),
        Ok(Some(_)) => Err(Refusal::Csrf),
        Ok(None) => Err(Refusal::SignedOut),
        Err(e) => Err(Refusal::Core(e)),
    }
}

/// The session's description, as `GET /api/session` and `POST /api/login` answer it.
pub(crate) fn describe(session: &Session, principal: &Principal) -> serde_json::Value {
    let name = &principal.name;
    let expires = chrono::DateTime::from_timestamp(session.expires_at, 0)
        .map(|t| t.format("%Y-%m-%dT%H:%M:%SZ").to_string())
        .unwrap_or_default();
    json!({
        "login": name,
        "displayName": principal.display_name,
        "email": principal.emails.first(),
        "principal": href(&format!("principals/{name}/")),
        "calendarHome": href(&format!("calendars/{name}/")),
        "addressbookHome": href(&format!("addressbooks/{name}/")),
        "csrf": session.csrf,
        "expiresAt": expires,
        // The page shows its Administration section; the API decides again.
        "administrator": principal.settings.administrator && !principal.settings.disabled,
    })
}

/// Adds the user's name to the response for the access log.
pub(crate) fn logged(mut response: Response, who: &Identity) -> Response {
    response.extensions_mut().insert(LoggedUser(who.name.clone()));
    response
}

async fn session(State(api): State<Api>, headers: HeaderMap) -> Response {
    let s = match require(&api, &headers, false).await {
        Ok(s) => s,
        Err(refusal) => return refusal.into_response(),
    };
    match api.app.core.directory().by_id(s.identity.principal_id).await {
        Ok(p) => logged(json_response(StatusCode::OK, describe(&s, &p).to_string()), &s.identity),
        Err(CoreError::NotFound { .. }) => signed_out(),
        Err(e) => internal(e),
    }
}

#[derive(Deserialize)]
struct Credentials {
    login: String,
    password: String,
}

/// Whether the request says its body is JSON. A cross-site form can only send
/// form and text types; JSON needs a CORS preflight, never granted here.
pub(crate) fn is_json(headers: &HeaderMap) -> bool {
    headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| agora_dav::essence(v) == "application/json")
}

pub(crate) fn not_json() -> Response {
    error(StatusCode::UNSUPPORTED_MEDIA_TYPE, "unsupported-media-type", "send application/json")
}

/// The body, at most `limit` bytes; `None` when longer or unreadable.
pub(crate) async fn body(body: Body, limit: usize) -> Option<axum::body::Bytes> {
    to_bytes(body, limit).await.ok()
}

async fn login(State(api): State<Api>, req: Request) -> Response {
    if !is_json(req.headers()) {
        return not_json();
    }
    let client = req.extensions().get::<ClientAddr>().and_then(|c| c.0);
    let secure = api.secure(&req);
    let previous = session_cookie(req.headers()).map(str::to_owned);
    let bad = || error(StatusCode::BAD_REQUEST, "bad-request", "send {\"login\": …, \"password\": …}");
    let Some(bytes) = body(req.into_body(), MAX_LOGIN_BYTES).await else { return bad() };
    let Ok(creds) = serde_json::from_slice::<Credentials>(&bytes) else { return bad() };
    let core = &api.app.core;
    let (session, principal) = match core.open_session(&creds.login, &creds.password, client).await {
        Ok(opened) => opened,
        Err(AuthError::Invalid) => {
            return error(StatusCode::UNAUTHORIZED, "bad-credentials", "wrong login or password");
        }
        Err(AuthError::Disabled) => {
            return error(StatusCode::FORBIDDEN, "account-disabled", "this account is disabled; ask an administrator");
        }
        Err(AuthError::Throttled { retry_after }) => {
            let secs = retry_after.as_secs().max(1);
            let body = json!({
                "error": "throttled",
                "retryAfter": secs,
                "message": format!("too many failed sign-ins; retry in {secs} s"),
            });
            let mut r = json_response(StatusCode::TOO_MANY_REQUESTS, body.to_string());
            r.headers_mut().insert(header::RETRY_AFTER, HeaderValue::from(secs));
            return r;
        }
        Err(AuthError::Store(e)) => return internal(e),
    };
    // The session this browser had before, if any, ends now.
    if let Some(old) = previous
        && let Err(e) = core.close_session(&old).await
    {
        tracing::warn!(error = %e, "previous web session not closed");
    }
    let mut r = json_response(StatusCode::OK, describe(&session, &principal).to_string());
    let set = cookie::set(&session, &core.config().sessions, secure, now());
    r.headers_mut().insert(header::SET_COOKIE, set);
    logged(r, &session.identity)
}

async fn logout(State(api): State<Api>, req: Request) -> Response {
    let secure = api.secure(&req);
    let s = match require(&api, req.headers(), true).await {
        Ok(s) => s,
        Err(Refusal::SignedOut) => {
            let mut r = signed_out();
            r.headers_mut().insert(header::SET_COOKIE, cookie::clear(secure));
            return r;
        }
        Err(refusal) => return refusal.into_response(),
    };
    if let Err(e) = api.app.core.close_session(&s.token).await {
        return internal(e);
    }
    tracing::info!(user = %s.identity.name, "web session closed");
    let mut r = StatusCode::NO_CONTENT.into_response();
    r.headers_mut().insert(header::SET_COOKIE, cookie::clear(secure));
    r.headers_mut().insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    logged(r, &s.identity)
}

async fn get_preferences(State(api): State<Api>, headers: HeaderMap) -> Response {
    let s = match require(&api, &headers, true).await {
        Ok(s) => s,
        Err(refusal) => return refusal.into_response(),
    };
    match api.app.core.preferences(&s.identity).await {
        Ok(json) => logged(json_response(StatusCode::OK, json), &s.identity),
        Err(e) => internal(e),
    }
}

async fn put_preferences(State(api): State<Api>, req: Request) -> Response {
    let s = match require(&api, req.headers(), true).await {
        Ok(s) => s,
        Err(refusal) => return refusal.into_response(),
    };
    if !is_json(req.headers()) {
        return not_json();
    }
    let max = agora_core::sessions::MAX_PREFERENCES_BYTES;
    let Some(bytes) = body(req.into_body(), max).await else {
        let message = format!("preferences are at most {max} bytes");
        return error(StatusCode::PAYLOAD_TOO_LARGE, "too-large", &message);
    };
    let Ok(text) = std::str::from_utf8(&bytes) else {
        return error(StatusCode::BAD_REQUEST, "bad-request", "preferences are UTF-8 JSON");
    };
    match api.app.core.set_preferences(&s.identity, text).await {
        Ok(()) => logged(StatusCode::NO_CONTENT.into_response(), &s.identity),
        Err(CoreError::Invalid(m)) => error(StatusCode::BAD_REQUEST, "bad-request", &m),
        Err(e) => internal(e),
    }
}
