//! The one place where errors become HTTP responses.

use std::time::Duration;

use agora_core::CoreError;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};

/// An HTTP-level failure.
#[derive(Debug)]
pub enum HttpError {
    /// No or wrong credentials: 401 with a Basic challenge.
    Unauthenticated,
    /// Too many failures: 429 with Retry-After.
    Throttled(Duration),
    /// A domain error.
    Core(CoreError),
}

impl From<CoreError> for HttpError {
    fn from(e: CoreError) -> Self {
        HttpError::Core(e)
    }
}

impl IntoResponse for HttpError {
    fn into_response(self) -> Response {
        match self {
            HttpError::Unauthenticated => {
                let mut r = (StatusCode::UNAUTHORIZED, "authentication required\n").into_response();
                r.headers_mut().insert(
                    header::WWW_AUTHENTICATE,
                    HeaderValue::from_static("Basic realm=\"Agora\", charset=\"UTF-8\""),
                );
                r
            }
            HttpError::Throttled(wait) => {
                let secs = wait.as_secs().max(1);
                let mut r = (StatusCode::TOO_MANY_REQUESTS, format!("too many failed logins; retry in {secs} s\n"))
                    .into_response();
                r.headers_mut().insert(header::RETRY_AFTER, HeaderValue::from(secs));
                r
            }
            HttpError::Core(e) => {
                let status = match &e {
                    CoreError::Invalid(_) => StatusCode::BAD_REQUEST,
                    CoreError::NotFound { .. } => StatusCode::NOT_FOUND,
                    CoreError::Conflict(_) => StatusCode::CONFLICT,
                    CoreError::Exists(_) => StatusCode::METHOD_NOT_ALLOWED,
                    CoreError::Forbidden(_) | CoreError::Rule(_) => StatusCode::FORBIDDEN,
                    CoreError::PreconditionFailed => StatusCode::PRECONDITION_FAILED,
                    CoreError::Store(_) => StatusCode::SERVICE_UNAVAILABLE,
                };
                if status.is_server_error() {
                    tracing::error!(error = %e, "request failed");
                    (status, "the store is unavailable\n").into_response()
                } else {
                    (status, format!("{e}\n")).into_response()
                }
            }
        }
    }
}
