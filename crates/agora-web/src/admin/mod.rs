//! `/api/admin/…`: what the CLI's administration commands do, for the page's
//! Administration section, through the same core calls (`agora_core::admin`,
//! `Directory`). Every request needs the session and its `X-Agora-CSRF`
//! header, like every other endpoint but `/api/session`, and an enabled
//! administrator: anyone else gets 403 with a JSON reason. Bad input is 400,
//! a clash with existing data 409, an unknown name 404, each with the core's
//! message.
//!
//! - `users`: `/api/admin/users[/NAME]`.
//! - `directory`: `/api/admin/groups[/NAME[/members/MEMBER]]` and
//!   `/api/admin/resources[/NAME]`.
//! - here: the guard, the error mapping, `/api/admin/mail[/ID[/retry]]` and
//!   `/api/admin/health`.

mod directory;
mod users;

use agora_core::{CoreError, Identity, now};
use axum::Router;
use axum::extract::{Path, Request, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post, put};
use serde_json::{Map, Value, json};

use crate::api::{Api, body, error, internal, is_json, json_response, logged, not_json, require};

/// Largest request body of these endpoints.
const MAX_BODY: usize = 16 * 1024;

pub(crate) fn routes() -> Router<Api> {
    Router::new()
        .route("/api/admin/users", get(users::list).post(users::create))
        .route("/api/admin/users/{name}", axum::routing::patch(users::change).delete(users::delete))
        .route("/api/admin/groups", get(directory::groups).post(directory::create_group))
        .route("/api/admin/groups/{name}", axum::routing::delete(directory::delete_group))
        .route("/api/admin/groups/{name}/members/{member}", put(directory::add_member).delete(directory::remove_member))
        .route("/api/admin/resources", get(directory::resources).post(directory::create_resource))
        .route(
            "/api/admin/resources/{name}",
            axum::routing::patch(directory::change_resource).delete(directory::delete_resource),
        )
        .route("/api/admin/mail", get(mail))
        .route("/api/admin/mail/{id}", axum::routing::delete(drop_mail))
        .route("/api/admin/mail/{id}/retry", post(retry_mail))
        .route("/api/admin/health", get(health))
}

/// The administrator a request is from, or the answer refusing it.
async fn admin(api: &Api, headers: &HeaderMap) -> Result<Identity, Response> {
    let s = require(api, headers, true).await.map_err(IntoResponse::into_response)?;
    match api.app.core.require_administrator(&s.identity).await {
        Ok(()) => Ok(s.identity),
        Err(CoreError::Forbidden(why)) => Err(logged(error(StatusCode::FORBIDDEN, "forbidden", &why), &s.identity)),
        Err(e) => Err(internal(e)),
    }
}

/// The answer to a core error, in the API's terms.
fn refused(e: CoreError) -> Response {
    let message = e.to_string();
    match e {
        CoreError::Invalid(_) | CoreError::Rule(_) => error(StatusCode::BAD_REQUEST, "bad-request", &message),
        CoreError::NotFound { .. } => error(StatusCode::NOT_FOUND, "not-found", &message),
        CoreError::Conflict(_) | CoreError::Exists(_) => error(StatusCode::CONFLICT, "conflict", &message),
        CoreError::Forbidden(_) => error(StatusCode::FORBIDDEN, "forbidden", &message),
        other => internal(other),
    }
}

/// Bad input, said in the answer's `message` (400).
pub(super) struct Bad(String);

impl IntoResponse for Bad {
    fn into_response(self) -> Response {
        error(StatusCode::BAD_REQUEST, "bad-request", &self.0)
    }
}

fn bad(message: &str) -> Bad {
    Bad(message.to_owned())
}

/// The request's JSON object body, or the answer refusing it.
/// An administrator's request and its JSON object body (the checks every change
/// starts with: session, CSRF, role, then the body).
async fn admin_object(api: &Api, req: Request) -> Result<(Identity, Map<String, Value>), Response> {
    let who = admin(api, req.headers()).await?;
    Ok((who, object(req).await?))
}

async fn object(req: Request) -> Result<Map<String, Value>, Response> {
    if !is_json(req.headers()) {
        return Err(not_json());
    }
    let Some(bytes) = body(req.into_body(), MAX_BODY).await else {
        return Err(error(StatusCode::PAYLOAD_TOO_LARGE, "too-large", "the request body is too large"));
    };
    match serde_json::from_slice::<Value>(&bytes) {
        Ok(Value::Object(map)) => Ok(map),
        _ => Err(bad("send a JSON object").into_response()),
    }
}

/// An optional string field; `Err` when present but not a string.
fn text_field(map: &Map<String, Value>, key: &str) -> Result<Option<String>, Bad> {
    match map.get(key) {
        None | Some(Value::Null) => Ok(None),
        Some(Value::String(s)) => Ok(Some(s.clone())),
        Some(_) => Err(bad(&format!("{key} must be a string"))),
    }
}

/// An optional boolean field.
fn bool_field(map: &Map<String, Value>, key: &str) -> Result<Option<bool>, Bad> {
    match map.get(key) {
        None => Ok(None),
        Some(Value::Bool(b)) => Ok(Some(*b)),
        Some(_) => Err(bad(&format!("{key} must be true or false"))),
    }
}

/// A field that may be absent (no change), `null` (cleared) or a whole number.
fn number_field(map: &Map<String, Value>, key: &str, max: u64) -> Result<Option<Option<u64>>, Bad> {
    match map.get(key) {
        None => Ok(None),
        Some(Value::Null) => Ok(Some(None)),
        Some(v) => match v.as_u64().filter(|n| *n <= max) {
            Some(n) => Ok(Some(Some(n))),
            None => Err(bad(&format!("{key} must be a whole number from 0 to {max}, or null"))),
        },
    }
}

/// The addresses of a create request: `email` (one) or `emails` (a list).
fn emails_field(map: &Map<String, Value>) -> Result<Vec<String>, Bad> {
    let mut out: Vec<String> = text_field(map, "email")?.into_iter().filter(|e| !e.trim().is_empty()).collect();
    if let Some(list) = map.get("emails") {
        let Some(list) = list.as_array() else { return Err(bad("emails must be a list of strings")) };
        for e in list {
            out.push(e.as_str().ok_or_else(|| bad("emails must be a list of strings"))?.to_owned());
        }
    }
    Ok(out)
}

fn ok(who: &Identity, status: StatusCode, body: Value) -> Response {
    logged(json_response(status, body.to_string()), who)
}

fn done(who: &Identity) -> Response {
    logged(StatusCode::NO_CONTENT.into_response(), who)
}

/// A Unix time as RFC 3339 UTC, for JSON.
fn time(unix: i64) -> Value {
    chrono::DateTime::from_timestamp(unix, 0).map_or(Value::Null, |t| json!(t.format("%Y-%m-%dT%H:%M:%SZ").to_string()))
}

/// After a directory change the global address list follows at once, as after
/// the CLI's; a failure is caught up by the background refresh.
/// The answer to a directory change that returns nothing: the address list follows
/// at once, then 204; a refusal in the core's words.
async fn directory_changed(api: &Api, who: &Identity, result: agora_core::Result<()>) -> Response {
    match result {
        Ok(()) => {
            refresh_gal(api).await;
            done(who)
        }
        Err(e) => refused(e),
    }
}

async fn refresh_gal(api: &Api) {
    if let Err(e) = api.app.core.refresh_gal().await {
        tracing::warn!(error = %e, "global address list not refreshed after an administration change");
    }
}

/// Most messages the queue page shows.
const MAIL_LIMIT: i64 = 200;

async fn mail(State(api): State<Api>, headers: HeaderMap) -> Response {
    let who = match admin(&api, &headers).await {
        Ok(who) => who,
        Err(r) => return r,
    };
    let list = match api.app.core.mail_queue(MAIL_LIMIT).await {
        Ok(list) => list,
        Err(e) => return refused(e),
    };
    let messages: Vec<Value> = list
        .into_iter()
        .map(|m| {
            json!({
                "id": m.id,
                "status": m.status.as_str(),
                "attempts": m.attempts,
                "createdAt": time(m.created_at),
                "nextAttemptAt": if m.status == agora_core::scheduling::MailStatus::Queued { time(m.next_attempt_at) } else { Value::Null },
                "recipient": m.mail.recipient,
                "lastError": m.last_error,
            })
        })
        .collect();
    ok(&who, StatusCode::OK, json!({ "messages": messages, "limit": MAIL_LIMIT }))
}

async fn retry_mail(State(api): State<Api>, headers: HeaderMap, Path(id): Path<i64>) -> Response {
    let who = match admin(&api, &headers).await {
        Ok(who) => who,
        Err(r) => return r,
    };
    match api.app.core.retry_mail(id).await {
        Ok(()) => done(&who),
        Err(e) => refused(e),
    }
}

async fn drop_mail(State(api): State<Api>, headers: HeaderMap, Path(id): Path<i64>) -> Response {
    let who = match admin(&api, &headers).await {
        Ok(who) => who,
        Err(r) => return r,
    };
    match api.app.core.drop_mail(id).await {
        Ok(()) => done(&who),
        Err(e) => refused(e),
    }
}

async fn health(State(api): State<Api>, headers: HeaderMap) -> Response {
    let who = match admin(&api, &headers).await {
        Ok(who) => who,
        Err(r) => return r,
    };
    let core = &api.app.core;
    let reachable = core.health().await;
    let counts = core.directory().counts().await;
    let queue = core.mail_queue(MAIL_LIMIT).await;
    let feeds = core.failing_feeds().await;
    let (counts, queue, feeds) = match (counts, queue, feeds) {
        (Ok(c), Ok(q), Ok(f)) => (c, q, f),
        (Err(e), _, _) | (_, Err(e), _) | (_, _, Err(e)) if reachable.is_ok() => return refused(e),
        // The store is down: say so rather than fail.
        _ => (Default::default(), Vec::new(), Vec::new()),
    };
    let status = |s: agora_core::scheduling::MailStatus| queue.iter().filter(|m| m.status == s).count();
    let refresh = core.last_refresh().map(|(at, error)| json!({ "at": time(at), "error": error }));
    let body = json!({
        "version": env!("CARGO_PKG_VERSION"),
        "startedAt": time(core.started_at()),
        "uptimeSeconds": (now() - core.started_at()).max(0),
        "store": { "kind": core.backend(), "reachable": reachable.is_ok() },
        "counts": {
            "users": counts.users,
            "groups": counts.groups,
            "resources": counts.resources,
            "collections": counts.collections,
            "objects": counts.objects,
        },
        "mail": {
            "queued": status(agora_core::scheduling::MailStatus::Queued),
            "failed": status(agora_core::scheduling::MailStatus::Failed),
            "enabled": core.config().imip.enabled,
        },
        "failingFeeds": feeds.iter().map(|(path, at, error)| json!({ "calendar": format!("/{path}"), "at": time(*at), "error": error })).collect::<Vec<_>>(),
        "directoryRefresh": refresh,
    });
    ok(&who, StatusCode::OK, body)
}
