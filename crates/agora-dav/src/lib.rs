//! Agora's HTTP front-end. Later issues add WebDAV, CalDAV and CardDAV here; this
//! crate turns HTTP into calls on [`agora_core::Core`] and the answers back into
//! HTTP, and holds no business rule of its own.
//!
//! # Layout
//! - [`auth`]: HTTP Basic, decoded here, checked by the core.
//! - [`client`]: the client address, through trusted reverse proxies.
//! - `observe`: one log line and the metrics of every request.
//! - `health`: `GET /health` and `GET /metrics` (no authentication).
//! - `methods`: the protected resource space, one file per method.
//! - `error`: how domain errors become HTTP statuses, in one place.

pub mod auth;
pub mod client;
mod error;
mod health;
mod methods;
mod observe;

use std::sync::Arc;

use agora_core::Core;
use axum::Router;
use axum::middleware::from_fn_with_state;
use axum::routing::get;
use ipnet::IpNet;
use metrics_exporter_prometheus::PrometheusHandle;

pub use error::HttpError;

/// What every handler can reach.
#[derive(Clone)]
pub struct AppState {
    /// The domain.
    pub core: Arc<Core>,
    /// Renders `/metrics`; `None` when no recorder is installed (tests).
    pub metrics: Option<PrometheusHandle>,
    /// Reverse proxies whose `X-Forwarded-For` is believed.
    pub trusted_proxies: Arc<Vec<IpNet>>,
}

/// The whole HTTP application.
pub fn router(state: AppState) -> Router {
    let protected = Router::new().fallback(methods::dispatch).layer(from_fn_with_state(state.clone(), auth::require));
    Router::new()
        .route("/health", get(health::health))
        .route("/metrics", get(health::metrics))
        .merge(protected)
        .layer(from_fn_with_state(state.clone(), observe::observe))
        .with_state(state)
}

/// Describes the metrics this crate records, and the buckets of its histograms, for
/// the binary that installs the Prometheus recorder.
pub fn metric_buckets() -> &'static [f64] {
    &[0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0]
}
