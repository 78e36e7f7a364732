//! Agora's HTTP front-end: WebDAV, CalDAV and CardDAV. It turns HTTP into calls
//! on [`agora_core::Core`] and the answers back into HTTP, and holds no business
//! rule of its own: the core validates and authorizes, `agora-dav-xml` parses and
//! writes XML.
//!
//! # Layout
//! - [`auth`]: HTTP Basic, decoded here, checked by the core; or the web
//!   session cookie with its CSRF header, checked by the core too.
//! - [`client`]: the client address, through trusted reverse proxies.
//! - `observe`: one log line and the metrics of every request.
//! - `health`: `GET /health` and `GET /metrics` (no authentication).
//! - `paths`: the URL space and its percent-encoding.
//! - `resolve`: from a URL to a resource; `props`: live and dead properties;
//!   `sync`: sync tokens and getctag; `request`: headers and bodies.
//! - `methods`: one file per method, `methods/report/` one per report.
//! - [`trash`]: `/trash/USER/`, the user's trash as a WebDAV collection (MOVE back
//!   to restore, DELETE to purge).
//! - `error`: how errors become HTTP statuses and `DAV:error` bodies, in one place;
//!   [`language`]: the language their reasons are written in.
//! - [`security_headers`]: the headers every response carries (nosniff, a CSP
//!   that allows nothing, no framing, no referrer) and the sandboxing, attachment
//!   and media-type policy of stored objects.
//! - [`target_guard`]: refuses fragments in HTTP/1 request targets (the URI
//!   parser would drop them silently).

pub mod auth;
pub mod client;
mod computed;
mod conditions;
mod error;
mod freebusy_url;
mod health;
pub mod language;
mod methods;
mod negotiate;
mod observe;
pub mod paths;
mod props;
mod published;
mod request;
mod resolve;
pub mod security_headers;
mod sync;
pub mod target_guard;
pub mod trash;

use std::sync::Arc;

use agora_core::Core;
use axum::Router;
use axum::http::{StatusCode, header};
use axum::middleware::{from_fn_with_state, map_response};
use axum::response::IntoResponse;
use axum::routing::{any, get};
use ipnet::IpNet;
use metrics_exporter_prometheus::PrometheusHandle;

pub use agora_dav_xml::Limits as XmlLimits;
pub use error::HttpError;
/// A media type without its parameters, lower-cased (the web layer shares it).
pub use negotiate::essence;

/// Bounds on what one request may make the server read.
#[derive(Debug, Clone)]
pub struct Limits {
    /// Largest request body in bytes (413 beyond).
    pub max_request_bytes: usize,
    /// XML nesting depth and number of properties per request.
    pub xml: agora_dav_xml::Limits,
}

impl Default for Limits {
    fn default() -> Self {
        Limits { max_request_bytes: 16 * 1024 * 1024, xml: agora_dav_xml::Limits::default() }
    }
}

/// What every handler can reach.
#[derive(Clone)]
pub struct AppState {
    /// The domain.
    pub core: Arc<Core>,
    /// Renders `/metrics`; `None` when no recorder is installed (tests).
    pub metrics: Option<PrometheusHandle>,
    /// Reverse proxies whose `X-Forwarded-For` is believed.
    pub trusted_proxies: Arc<Vec<IpNet>>,
    /// Request bounds.
    pub limits: Arc<Limits>,
}

/// The whole HTTP application (DAV only).
pub fn router(state: AppState) -> Router {
    router_with(state, |dav| dav)
}

/// The HTTP application with `front` wrapped around the DAV routes, inside the
/// access log and the security headers: the web interface answers its own
/// requests there and hands every other one to DAV unchanged.
pub fn router_with(state: AppState, front: impl FnOnce(Router<AppState>) -> Router<AppState>) -> Router {
    let protected = Router::new().fallback(methods::dispatch).layer(from_fn_with_state(state.clone(), auth::require));
    let dav = Router::new()
        .route("/health", get(health::health))
        .route("/metrics", get(health::metrics))
        .route("/.well-known/caldav", any(well_known))
        .route("/.well-known/carddav", any(well_known))
        .route("/publish/{token}", get(published::feed))
        .merge(protected);
    front(dav)
        .layer(from_fn_with_state(state.clone(), language::scope))
        .layer(from_fn_with_state(state.clone(), observe::observe))
        // Outermost, so that every answer gets them: 401s, 404s, errors.
        .layer(map_response(security_headers::defaults))
        .with_state(state)
}

/// RFC 6764 §5: the well-known URIs redirect to the context path, for GET and
/// PROPFIND alike (Apple clients use them even when given a full URL).
async fn well_known() -> impl IntoResponse {
    (StatusCode::MOVED_PERMANENTLY, [(header::LOCATION, "/")])
}

/// Describes the buckets of the histograms this crate records, for the binary
/// that installs the Prometheus recorder.
pub fn metric_buckets() -> &'static [f64] {
    &[0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0]
}
