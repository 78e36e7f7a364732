//! GET and HEAD.

use agora_core::Identity;
use axum::extract::Request;
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};

/// `/` greets the signed-in user; nothing else exists yet.
pub async fn get(req: Request) -> Response {
    if req.uri().path() != "/" {
        return (StatusCode::NOT_FOUND, "no such resource\n").into_response();
    }
    let who = req.extensions().get::<Identity>().map(|i| i.name.as_str()).unwrap_or("?");
    (
        StatusCode::OK,
        [(header::CONTENT_TYPE, "text/plain; charset=utf-8")],
        format!("Agora {}: signed in as {who}\n", env!("CARGO_PKG_VERSION")),
    )
        .into_response()
}
