//! OPTIONS (RFC 9110 §9.3.7, RFC 4918 §10.1): methods and DAV compliance classes.

use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};

use super::{ALLOW, with_dav_header};

/// Lists the methods and the DAV classes.
pub fn options() -> Response {
    with_dav_header((StatusCode::OK, [(header::ALLOW, ALLOW), (header::CONTENT_LENGTH, "0")]).into_response())
}
