//! The language of a request's server-written words (error reasons, default
//! collection names): the request's Accept-Language (RFC 9110 §12.5.4) when it names
//! French or English, else the server's default. The web page sends the language its
//! user chose; DAV clients send their system's. Set once per request by a middleware,
//! read where the words are written (`error`, `props`) without threading it through
//! every handler.

use agora_core::Language;
use axum::extract::{Request, State};
use axum::http::{HeaderMap, header};
use axum::middleware::Next;
use axum::response::Response;

use crate::AppState;

tokio::task_local! {
    static REQUEST_LANGUAGE: Language;
}

/// The language of `headers`' Accept-Language, else `default`.
pub fn of_headers(headers: &HeaderMap, default: Language) -> Language {
    headers
        .get(header::ACCEPT_LANGUAGE)
        .and_then(|v| v.to_str().ok())
        .and_then(Language::from_accept_language)
        .unwrap_or(default)
}

/// The current request's language (English outside a request).
pub(crate) fn current() -> Language {
    REQUEST_LANGUAGE.try_with(|l| *l).unwrap_or_default()
}

/// Middleware: runs the rest of the request with its language set.
pub(crate) async fn scope(State(state): State<AppState>, req: Request, next: Next) -> Response {
    let lang = of_headers(req.headers(), state.core.default_language());
    REQUEST_LANGUAGE.scope(lang, next.run(req)).await
}
