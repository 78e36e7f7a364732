//! One log line and the metrics of every request: method, path, status, latency,
//! and the user once authenticated; and the request's origin (address, client)
//! for the audit log.

use std::time::Instant;

use axum::extract::{Request, State};
use axum::middleware::Next;
use axum::response::Response;

use crate::AppState;
use crate::auth::LoggedUser;
use crate::client;

/// Middleware wrapping the whole application.
pub async fn observe(State(state): State<AppState>, mut req: Request, next: Next) -> Response {
    let start = Instant::now();
    let addr = client::resolve(client::peer(&req), req.headers(), &state.trusted_proxies);
    req.extensions_mut().insert(addr);
    let method = req.method().clone();
    let path = req.uri().path().to_owned();
    // Who and from where, for the audit rows the request's writes add.
    let user_agent = req.headers().get(axum::http::header::USER_AGENT).and_then(|v| v.to_str().ok());
    let origin = agora_core::records::Origin::of_request(addr.0.map(|ip| ip.to_string()), user_agent);
    let response = agora_core::records::with_origin(origin, next.run(req)).await;
    let elapsed = start.elapsed();
    let status = response.status().as_u16();
    let user = response.extensions().get::<LoggedUser>().map(|u| u.0.as_str()).unwrap_or("-");
    tracing::info!(
        target: "agora::access",
        method = %method,
        path,
        status,
        latency_ms = (elapsed.as_secs_f64() * 1e6).round() / 1e3,
        user,
        client = %addr.0.map(|ip| ip.to_string()).unwrap_or_else(|| "-".into()),
        "request"
    );
    metrics::counter!("agora_http_requests_total", "method" => method.to_string(), "status" => status.to_string())
        .increment(1);
    metrics::histogram!("agora_http_request_duration_seconds", "method" => method.to_string())
        .record(elapsed.as_secs_f64());
    response
}
