//! The user's trash for the web page, with the session and CSRF rules of `api`:
//!
//! - `GET /api/trash`: `{retentionDays, items: [{id, what, label, path, size,
//!   deletedAt, deletedBy, purgeAt}]}`, newest first; `purgeAt` is null while a
//!   legal hold keeps the entry.
//! - `POST /api/trash/{id}/restore` → `{path, objects}`; 409 `{error: "taken"}`
//!   with the reason when something took its place or its calendar is gone.
//! - `DELETE /api/trash/{id}`: deleted for good; 403 `{error: "held"}` under a hold.
//!
//! Every decision (whose entry, restore checks, holds) is agora-core's; this
//! only translates. Restores and purges are in the audit log like any write.

use agora_core::CoreError;
use axum::Router;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{delete, get, post};
use serde_json::json;

use crate::api::{Api, error, internal, json_response, logged, require};

pub(crate) fn routes() -> Router<Api> {
    Router::new()
        .route("/api/trash", get(list))
        .route("/api/trash/{id}/restore", post(restore))
        .route("/api/trash/{id}", delete(purge))
}

fn iso(ts: i64) -> String {
    chrono::DateTime::from_timestamp(ts, 0).map(|t| t.format("%Y-%m-%dT%H:%M:%SZ").to_string()).unwrap_or_default()
}

async fn list(State(api): State<Api>, headers: HeaderMap) -> Response {
    let s = match require(&api, &headers, true).await {
        Ok(s) => s,
        Err(refusal) => return refusal.into_response(),
    };
    let items = match api.app.core.resources(&s.identity).trash().await {
        Ok(items) => items,
        Err(e) => return internal(e),
    };
    let items: Vec<_> = items
        .iter()
        .map(|i| {
            json!({
                "id": i.entry.id,
                "what": i.what,
                "label": i.label,
                "path": format!("/{}", i.entry.path),
                "collection": i.entry.is_collection,
                "size": i.entry.size,
                "deletedAt": iso(i.entry.deleted_at),
                "deletedBy": i.deleted_by,
                "purgeAt": i.purge_at.map(iso),
            })
        })
        .collect();
    let days = api.app.core.config().records.trash_days;
    logged(json_response(StatusCode::OK, json!({ "retentionDays": days, "items": items }).to_string()), &s.identity)
}

async fn restore(State(api): State<Api>, Path(id): Path<i64>, headers: HeaderMap) -> Response {
    let s = match require(&api, &headers, true).await {
        Ok(s) => s,
        Err(refusal) => return refusal.into_response(),
    };
    let answer = match api.app.core.resources(&s.identity).restore(id).await {
        Ok(r) => {
            json_response(StatusCode::OK, json!({ "path": format!("/{}", r.path), "objects": r.objects }).to_string())
        }
        Err(e) => refused(e),
    };
    logged(answer, &s.identity)
}

async fn purge(State(api): State<Api>, Path(id): Path<i64>, headers: HeaderMap) -> Response {
    let s = match require(&api, &headers, true).await {
        Ok(s) => s,
        Err(refusal) => return refusal.into_response(),
    };
    let answer = match api.app.core.resources(&s.identity).purge(id).await {
        Ok(()) => StatusCode::NO_CONTENT.into_response(),
        Err(e) => refused(e),
    };
    logged(answer, &s.identity)
}

/// The core's refusal in the page's terms.
fn refused(e: CoreError) -> Response {
    match e {
        CoreError::NotFound { .. } => error(StatusCode::NOT_FOUND, "not-found", "this entry is no longer in the trash"),
        CoreError::Conflict(m) | CoreError::Exists(m) => error(StatusCode::CONFLICT, "taken", &m),
        CoreError::Forbidden(m) => error(StatusCode::FORBIDDEN, "held", &m),
        CoreError::Invalid(m) => error(StatusCode::UNPROCESSABLE_ENTITY, "invalid", &m),
        // A rule of the collection it goes back to (a size limit, a UID used
        // meanwhile): the core's words.
        CoreError::Rule(r) => error(StatusCode::CONFLICT, "taken", &CoreError::Rule(r).to_string()),
        other => internal(other),
    }
}
