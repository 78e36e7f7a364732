//! Unauthenticated operational endpoints.

use axum::extract::State;
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};

use crate::AppState;

/// `GET /health`: 200 when the store answers, 503 otherwise.
pub async fn health(State(state): State<AppState>) -> Response {
    let backend = state.core.backend();
    match state.core.health().await {
        Ok(()) => (
            StatusCode::OK,
            [(header::CONTENT_TYPE, "application/json")],
            format!("{{\"status\":\"ok\",\"store\":\"{backend}\"}}\n"),
        )
            .into_response(),
        Err(e) => {
            tracing::error!(error = %e, "health check: store unavailable");
            (
                StatusCode::SERVICE_UNAVAILABLE,
                [(header::CONTENT_TYPE, "application/json")],
                format!("{{\"status\":\"unavailable\",\"store\":\"{backend}\"}}\n"),
            )
                .into_response()
        }
    }
}

/// `GET /metrics`: Prometheus text exposition.
pub async fn metrics(State(state): State<AppState>) -> Response {
    match &state.metrics {
        Some(handle) => {
            (StatusCode::OK, [(header::CONTENT_TYPE, "text/plain; version=0.0.4")], handle.render()).into_response()
        }
        None => (StatusCode::NOT_FOUND, "metrics are disabled\n").into_response(),
    }
}
