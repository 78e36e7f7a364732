//! Authentication in front of every protected resource: HTTP Basic (RFC 7617)
//! for DAV clients, or the web interface's session cookie.
//!
//! A request with an `Authorization` header is Basic, exactly as before the web
//! interface existed, even if it also carries the cookie. Without one, the
//! `agora_session` cookie is asked of the core, and a request it authorises
//! must repeat the session's CSRF token in `X-Agora-CSRF` ([`CSRF_HEADER`]):
//! a cross-site form or image can make the browser send the cookie (were it not
//! `SameSite=Strict`) but cannot set a header, and a cross-site script that
//! could would need a CORS preflight this server never grants.

use agora_core::{AuthError, Core, CoreError, Identity, Session};
use axum::extract::{Request, State};
use axum::http::header::{AUTHORIZATION, COOKIE};
use axum::http::{HeaderMap, HeaderValue};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use base64::Engine;
use percent_encoding::percent_decode_str;

use crate::AppState;
use crate::client::ClientAddr;
use crate::error::HttpError;

/// Login and password from an `Authorization: Basic` header.
#[derive(Debug, PartialEq, Eq)]
pub struct BasicCredentials {
    /// User name or e-mail address, percent-decoded.
    pub login: String,
    /// Password as sent.
    pub password: String,
}

/// Parses an `Authorization` header value; `None` if it is not usable Basic.
///
/// The login may arrive percent-encoded (iOS 18.4 sends `%40` for `@`); names
/// cannot contain `%`, so decoding is never ambiguous. Bytes that are not UTF-8
/// are read as Latin-1, which older clients use.
pub fn parse_basic(value: &str) -> Option<BasicCredentials> {
    let (scheme, encoded) = value.trim().split_once(' ')?;
    if !scheme.eq_ignore_ascii_case("basic") {
        return None;
    }
    let encoded = encoded.trim();
    let raw = base64::engine::general_purpose::STANDARD
        .decode(encoded)
        .or_else(|_| base64::engine::general_purpose::STANDARD_NO_PAD.decode(encoded.trim_end_matches('=')))
        .ok()?;
    let text = String::from_utf8(raw).unwrap_or_else(|e| e.into_bytes().iter().map(|&b| b as char).collect());
    let (login, password) = text.split_once(':')?;
    let login =
        if login.contains('%') { percent_decode_str(login).decode_utf8().ok()?.into_owned() } else { login.to_owned() };
    Some(BasicCredentials { login, password: password.to_owned() })
}

/// The web session cookie's name.
pub const SESSION_COOKIE: &str = "agora_session";

/// The header that repeats the session's CSRF token.
pub const CSRF_HEADER: &str = "x-agora-csrf";

/// The value of the session cookie, if the request carries one. Several
/// `Cookie` headers (HTTP/2 splits them) are read alike.
pub fn session_cookie(headers: &HeaderMap) -> Option<&str> {
    cookie(headers, SESSION_COOKIE)
}

/// The value of the cookie `wanted`, if the request carries it.
pub fn cookie<'a>(headers: &'a HeaderMap, wanted: &str) -> Option<&'a str> {
    headers
        .get_all(COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(name, _)| *name == wanted)
        .map(|(_, value)| value.trim_matches('"'))
}

/// The live session the request's cookie names, `None` if it names none.
pub async fn cookie_session(core: &Core, headers: &HeaderMap) -> Result<Option<Session>, CoreError> {
    match session_cookie(headers) {
        Some(token) => core.session(token).await,
        None => Ok(None),
    }
}

/// Whether the request repeats the session's CSRF token.
pub fn csrf_ok(headers: &HeaderMap, session: &Session) -> bool {
    headers.get(CSRF_HEADER).and_then(|v| v.to_str().ok()).is_some_and(|given| session.csrf_matches(given))
}

/// The authenticated user's name, put on the response for the access log.
#[derive(Clone, Debug)]
pub struct LoggedUser(pub String);

/// Middleware: authenticates the request or answers 401/429 itself.
pub async fn require(State(state): State<AppState>, req: Request, next: Next) -> Response {
    match check(&state, req, next).await {
        Ok(response) => response,
        Err((error, body)) => {
            // Read what the client sent before refusing it, or tell it the
            // connection closes (see request::drain).
            let drained = crate::request::drain(body, UNAUTHENTICATED_DRAIN).await;
            let mut response = error.into_response();
            if !drained {
                response.headers_mut().insert(axum::http::header::CONNECTION, HeaderValue::from_static("close"));
            }
            response
        }
    }
}

/// Most bytes of an unauthenticated body read before answering 401.
const UNAUTHENTICATED_DRAIN: usize = 1024 * 1024;

async fn check(state: &AppState, req: Request, next: Next) -> Result<Response, (HttpError, axum::body::Body)> {
    let client = req.extensions().get::<ClientAddr>().and_then(|c| c.0);
    let creds = req.headers().get(AUTHORIZATION).and_then(|v| v.to_str().ok()).and_then(parse_basic);
    let refuse = |e: HttpError, req: Request| Err((e, req.into_body()));
    let Some(creds) = creds else {
        // The page's requests all carry the CSRF header: one without the cookie
        // (the browser dropped it) is signed out, not asked for Basic.
        let web = session_cookie(req.headers()).is_some() || req.headers().contains_key(CSRF_HEADER);
        if req.headers().get(AUTHORIZATION).is_none() && web {
            let identity = match cookie_session(&state.core, req.headers()).await {
                Ok(Some(session)) if csrf_ok(req.headers(), &session) => session.identity,
                Ok(Some(_)) => return refuse(HttpError::Csrf, req),
                Ok(None) => return refuse(HttpError::SignedOut, req),
                Err(e) => return refuse(HttpError::from(e), req),
            };
            return Ok(run_as(identity, req, next).await);
        }
        if may_be_anonymous(&req) {
            return Ok(anonymous(req, next).await);
        }
        return refuse(HttpError::Unauthenticated, req);
    };
    let identity: Identity = match state.core.auth().authenticate(&creds.login, &creds.password, client).await {
        Ok(identity) => identity,
        // A disabled account's device is refused like a wrong password.
        Err(AuthError::Invalid | AuthError::Disabled) => return refuse(HttpError::Unauthenticated, req),
        Err(AuthError::Throttled { retry_after }) => return refuse(HttpError::Throttled(retry_after), req),
        Err(AuthError::Store(e)) => return refuse(HttpError::from(agora_core::CoreError::Store(e)), req),
    };
    Ok(run_as(identity, req, next).await)
}

/// Runs the request as `identity`, named in the access log.
async fn run_as(identity: Identity, mut req: Request, next: Next) -> Response {
    let user = LoggedUser(identity.name.clone());
    req.extensions_mut().insert(identity);
    let mut response = next.run(req).await;
    response.extensions_mut().insert(user);
    response
}

/// Reads below the homes may be tried without credentials: a collection can grant
/// read to `DAV:unauthenticated` (a public agenda). Everything else asks for a login.
fn may_be_anonymous(req: &Request) -> bool {
    let path = req.uri().path();
    matches!(req.method().as_str(), "GET" | "HEAD" | "PROPFIND" | "REPORT")
        && (path.starts_with("/calendars/") || path.starts_with("/addressbooks/"))
}

/// Runs a request as nobody. Any refusal (forbidden, not found, …) becomes the
/// usual 401 challenge, so a client still logs in where no public grant applies
/// and nothing tells a stranger what exists.
async fn anonymous(mut req: Request, next: Next) -> Response {
    req.extensions_mut().insert(Identity::anonymous());
    let response = next.run(req).await;
    let mut response =
        if response.status().is_client_error() { HttpError::Unauthenticated.into_response() } else { response };
    response.extensions_mut().insert(LoggedUser("-".into()));
    response
}

#[cfg(test)]
mod tests {
    use super::*;

    fn header(raw: &str) -> String {
        format!("Basic {}", base64::engine::general_purpose::STANDARD.encode(raw))
    }

    #[test]
    fn plain_and_percent_encoded_logins() {
        let c = parse_basic(&header("jane@example.org:pa:ss")).unwrap();
        assert_eq!((c.login.as_str(), c.password.as_str()), ("jane@example.org", "pa:ss"));
        let c = parse_basic(&header("jane%40example.org:secret")).unwrap();
        assert_eq!(c.login, "jane@example.org");
        assert_eq!(parse_basic(&header("bob:100%25")).unwrap().password, "100%25");
    }

    #[test]
    fn scheme_is_case_insensitive_and_padding_optional() {
        let v = header("ab:c");
        assert!(parse_basic(&v.replace("Basic", "basic")).is_some());
        assert!(parse_basic(v.trim_end_matches('=')).is_some());
    }

    #[test]
    fn unusable_headers() {
        assert!(parse_basic("Bearer abc").is_none());
        assert!(parse_basic("Basic !!!").is_none());
        assert!(parse_basic(&header("no-colon")).is_none());
    }

    #[test]
    fn the_session_cookie_is_found_among_others() {
        let mut h = HeaderMap::new();
        assert_eq!(session_cookie(&h), None);
        h.append(COOKIE, HeaderValue::from_static("theme=dark; agora_sessionx=no"));
        assert_eq!(session_cookie(&h), None);
        h.append(COOKIE, HeaderValue::from_static("a=b;agora_session=tok-en_1; c=d"));
        assert_eq!(session_cookie(&h), Some("tok-en_1"));
    }

    #[test]
    fn latin1_is_accepted() {
        let mut raw = b"ren\xe9:pw".to_vec();
        let v = format!("Basic {}", base64::engine::general_purpose::STANDARD.encode(&mut raw));
        assert_eq!(parse_basic(&v).unwrap().login, "rené");
    }

    proptest::proptest! {
        #[test]
        fn any_login_and_password_round_trip(login in "[a-z0-9._@+-]{1,30}", password in "\\PC{0,40}") {
            let c = parse_basic(&header(&format!("{login}:{password}"))).unwrap();
            proptest::prop_assert_eq!(&c.login, &login);
            proptest::prop_assert_eq!(&c.password, &password);
            let encoded = login.replace('@', "%40");
            let c = parse_basic(&header(&format!("{encoded}:{password}"))).unwrap();
            proptest::prop_assert_eq!(c.login, login);
        }

        #[test]
        fn arbitrary_headers_never_panic(raw in "\\PC{0,80}", bytes in proptest::collection::vec(proptest::num::u8::ANY, 0..60)) {
            let _ = parse_basic(&raw);
            let _ = parse_basic(&format!("Basic {raw}"));
            let _ = parse_basic(&format!("Basic {}", base64::engine::general_purpose::STANDARD.encode(&bytes)));
        }
    }
}
