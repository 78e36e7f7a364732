//! OPTIONS (RFC 9110 §9.3.7).

use axum::extract::Request;
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};

use super::ALLOW;

/// Lists the methods allowed. The `DAV` compliance header is sent only once DAV
/// classes are really implemented: Thunderbird decides from it what to do itself.
pub async fn options(_req: Request) -> Response {
    (StatusCode::OK, [(header::ALLOW, ALLOW), (header::CONTENT_LENGTH, "0")]).into_response()
}
