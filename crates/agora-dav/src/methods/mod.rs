//! The authenticated resource space, one file per method. WebDAV, CalDAV and
//! CardDAV methods arrive with the CalDAV/CardDAV issue; until then the server
//! answers OPTIONS everywhere and a greeting at `/`.

mod get;
mod options;

use axum::extract::Request;
use axum::http::{Method, StatusCode, header};
use axum::response::{IntoResponse, Response};

/// Methods this build implements, for `Allow`.
pub(crate) const ALLOW: &str = "OPTIONS, GET, HEAD";

/// Routes an authenticated request by method.
pub async fn dispatch(req: Request) -> Response {
    match *req.method() {
        Method::OPTIONS => options::options(req).await,
        Method::GET | Method::HEAD => get::get(req).await,
        _ => (StatusCode::METHOD_NOT_ALLOWED, [(header::ALLOW, ALLOW)], "method not supported here\n").into_response(),
    }
}
