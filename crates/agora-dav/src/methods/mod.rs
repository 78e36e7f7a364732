//! The authenticated resource space, one file per method.

mod acl;
pub(crate) mod copymove;
mod delete;
pub(crate) mod get;
mod lock;

pub(crate) use lock::active as active_lock;
mod mkcol;
mod options;
mod outbox;
mod post;
mod propfind;
mod proppatch;
mod put;
mod report;

use agora_core::Identity;
use axum::extract::{Request, State};
use axum::http::{HeaderValue, Method, header};
use axum::response::{IntoResponse, Response};

use crate::AppState;
use crate::error::HttpError;
use crate::resolve::Dav;

/// Methods this build implements, for `Allow`.
pub(crate) const ALLOW: &str = "OPTIONS, GET, HEAD, PUT, DELETE, PROPFIND, PROPPATCH, MKCOL, MKCALENDAR, REPORT, COPY, MOVE, LOCK, UNLOCK, ACL, POST";

/// The DAV compliance classes really implemented (interop note: Thunderbird
/// decides from this header what it must do itself).
pub(crate) const DAV_CLASSES: &str = "1, 2, 3, access-control, calendar-access, calendar-auto-schedule, calendar-availability, calendar-proxy, calendarserver-sharing, addressbook, extended-mkcol";

/// Adds the `DAV` header (sent on OPTIONS and PROPFIND responses).
pub(crate) fn with_dav_header(mut r: Response) -> Response {
    r.headers_mut().insert("dav", HeaderValue::from_static(DAV_CLASSES));
    r
}

/// Routes an authenticated request by method.
pub async fn dispatch(State(state): State<AppState>, req: Request) -> Response {
    let Some(who) = req.extensions().get::<Identity>().cloned() else {
        return HttpError::Unauthenticated.into_response();
    };
    // Read the whole body first: every answer, early errors included, then leaves
    // the connection ready for the client's next request.
    let (parts, body) = req.into_parts();
    let body = match axum::body::to_bytes(body, state.limits.max_request_bytes).await {
        Ok(bytes) => bytes,
        Err(_) => {
            let mut r = HttpError::TooLarge(state.limits.max_request_bytes).into_response();
            r.headers_mut().insert(header::CONNECTION, HeaderValue::from_static("close"));
            return r;
        }
    };
    let req = Request::from_parts(parts, axum::body::Body::from(body));
    let dav = Dav::new(&state, &who);
    if !who.is_anonymous()
        && let Err(e) = dav.res.ensure_homes().await
    {
        return HttpError::from(e).into_response();
    }
    let result = match req.method().as_str() {
        "OPTIONS" => Ok(options::options()),
        _ if req.uri().path().starts_with(crate::trash::PREFIX) => crate::trash::handle(&dav, req).await,
        "GET" | "HEAD" if req.uri().path().starts_with(crate::freebusy_url::PREFIX) => {
            let (path, query) = (req.uri().path().to_owned(), req.uri().query().unwrap_or_default().to_owned());
            crate::freebusy_url::get(&dav, &path, &query).await
        }
        "GET" | "HEAD" => get::get(&dav, req).await,
        "PUT" => put::put(&dav, req).await,
        "DELETE" => delete::delete(&dav, req).await,
        "PROPFIND" => propfind::propfind(&dav, req).await,
        "PROPPATCH" => proppatch::proppatch(&dav, req).await,
        "MKCOL" | "MKCALENDAR" => mkcol::mkcol(&dav, req).await,
        "REPORT" => report::report(&dav, req).await,
        "COPY" | "MOVE" => copymove::copy_or_move(&dav, req).await,
        "LOCK" => lock::lock(&dav, req).await,
        "UNLOCK" => lock::unlock(&dav, req).await,
        "ACL" => acl::acl(&dav, req).await,
        "POST" => post::post(&dav, req).await,
        _ => Err(HttpError::MethodNotAllowed(ALLOW)),
    };
    result.unwrap_or_else(IntoResponse::into_response)
}

/// A 207 Multi-Status response with an XML body.
pub(crate) fn multistatus(body: Vec<u8>) -> Response {
    (axum::http::StatusCode::MULTI_STATUS, [(header::CONTENT_TYPE, "application/xml; charset=utf-8")], body)
        .into_response()
}

/// The method of a request, for handlers that serve two.
pub(crate) fn is_head(method: &Method) -> bool {
    method == Method::HEAD
}
