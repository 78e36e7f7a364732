//! The HTTP side of `agora migrate`: WebDAV requests to the other server with
//! the user's login, sent pre-emptively with Basic authentication (every CalDAV
//! server takes it; iCloud with an app-specific password). Redirects are
//! followed here, keeping the method and body (reqwest would turn a PROPFIND
//! into a GET, RFC 6764 §5 asks clients to follow them), and only to the same
//! scheme and host, so that the password never leaves for another server.

use std::time::Duration;

use agora_dav_xml::{Limits, MultistatusResponse, parse_multistatus};
use reqwest::{Method, StatusCode, Url, header};

use crate::secret::Secret;

/// Redirects followed for one request at most.
const MAX_REDIRECTS: usize = 5;
/// Limits for reading another server's answers: large listings are expected
/// (tens of thousands of members), deep nesting is not.
const READ_LIMITS: Limits = Limits { max_depth: 64, max_properties: 1 << 20 };

/// Why a request to the other server failed.
#[derive(Debug, thiserror::Error)]
pub enum RemoteError {
    /// 401: the login or password is wrong (or a second factor is required).
    #[error("the remote server refused the login ({url}: 401 Unauthorized)")]
    Unauthorized {
        /// The URL asked.
        url: String,
    },
    /// Any other unexpected status.
    #[error("{method} {url}: the remote server answered {status}")]
    Status {
        /// The method sent.
        method: Method,
        /// The URL asked.
        url: String,
        /// The status received.
        status: StatusCode,
    },
    /// No answer (DNS, connection, TLS, time-out).
    #[error("cannot reach the remote server at {url}: {reason}")]
    Unreachable {
        /// The URL asked.
        url: String,
        /// What failed.
        reason: String,
    },
    /// An answer that is not what the protocol says.
    #[error("{url}: unreadable answer from the remote server: {reason}")]
    Answer {
        /// The URL asked.
        url: String,
        /// What is wrong with it.
        reason: String,
    },
}

impl RemoteError {
    /// The status the server answered, if it answered.
    pub fn status(&self) -> Option<StatusCode> {
        match self {
            RemoteError::Unauthorized { .. } => Some(StatusCode::UNAUTHORIZED),
            RemoteError::Status { status, .. } => Some(*status),
            _ => None,
        }
    }
}

/// A URL as shown in messages: without user information or query.
pub fn shown(url: &Url) -> String {
    let mut u = url.clone();
    let _ = u.set_username("");
    let _ = u.set_password(None);
    u.set_query(None);
    u.to_string()
}

/// The other server, as one user.
#[derive(Clone)]
pub struct Remote {
    http: reqwest::Client,
    login: String,
    password: Secret,
}

/// One member fetched: its href (as the server wrote it), ETag and body.
#[derive(Debug, Clone)]
pub struct Fetched {
    /// The member's URL.
    pub url: Url,
    /// Its ETag, when the server gave one.
    pub etag: Option<String>,
    /// Its iCalendar or vCard text.
    pub body: String,
}

impl Remote {
    /// A client that signs in as `login`.
    pub fn new(login: &str, password: Secret) -> Result<Remote, String> {
        let http = reqwest::Client::builder()
            .connect_timeout(Duration::from_secs(30))
            .timeout(Duration::from_secs(300))
            .redirect(reqwest::redirect::Policy::none())
            .user_agent(concat!("Agora-migrate/", env!("CARGO_PKG_VERSION")))
            .pool_max_idle_per_host(8)
            .build()
            .map_err(|e| format!("cannot set up the HTTP client: {e}"))?;
        Ok(Remote { http, login: login.to_owned(), password })
    }

    /// Sends a request, following redirects on the same origin. Returns the
    /// final URL and the response (any status but 401 and 3xx).
    async fn send(
        &self,
        method: &Method,
        url: &Url,
        depth: Option<&str>,
        body: Option<&str>,
    ) -> Result<(Url, reqwest::Response), RemoteError> {
        let mut url = url.clone();
        for _ in 0..=MAX_REDIRECTS {
            let mut request = self
                .http
                .request(method.clone(), url.clone())
                .basic_auth(&self.login, Some(self.password.expose()))
                .header(header::ACCEPT_ENCODING, "identity");
            if let Some(depth) = depth {
                request = request.header("Depth", depth);
            }
            if let Some(body) = body {
                request = request.header(header::CONTENT_TYPE, "application/xml; charset=utf-8").body(body.to_owned());
            }
            let response = request
                .send()
                .await
                .map_err(|e| RemoteError::Unreachable { url: shown(&url), reason: error_chain(&e) })?;
            let status = response.status();
            if status == StatusCode::UNAUTHORIZED {
                return Err(RemoteError::Unauthorized { url: shown(&url) });
            }
            if !status.is_redirection() || status == StatusCode::NOT_MODIFIED {
                return Ok((url, response));
            }
            let location = response.headers().get(header::LOCATION).and_then(|l| l.to_str().ok());
            let next = location.and_then(|l| url.join(l).ok()).ok_or_else(|| RemoteError::Answer {
                url: shown(&url),
                reason: format!("{status} without a usable Location"),
            })?;
            if next.origin() != url.origin() {
                return Err(RemoteError::Answer {
                    url: shown(&url),
                    reason: format!(
                        "redirected to another server ({}): run agora migrate --from that address",
                        shown(&next)
                    ),
                });
            }
            url = next;
        }
        Err(RemoteError::Answer { url: shown(&url), reason: "too many redirects".into() })
    }

    /// PROPFIND with the given `<prop>` content; returns the URL that answered
    /// (after redirects) and the responses.
    pub async fn propfind(
        &self,
        url: &Url,
        depth: &str,
        prop: &str,
    ) -> Result<(Url, Vec<MultistatusResponse>), RemoteError> {
        let body = format!(
            "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<D:propfind xmlns:D=\"DAV:\" \
             xmlns:C=\"urn:ietf:params:xml:ns:caldav\" xmlns:CR=\"urn:ietf:params:xml:ns:carddav\" \
             xmlns:CS=\"http://calendarserver.org/ns/\" xmlns:A=\"http://apple.com/ns/ical/\">\
             <D:prop>{prop}</D:prop></D:propfind>"
        );
        let method = Method::from_bytes(b"PROPFIND").expect("a method");
        let (at, response) = self.send(&method, url, Some(depth), Some(&body)).await?;
        Ok((at.clone(), multistatus(&method, &at, response).await?))
    }

    /// REPORT (a multiget) at `url`.
    pub async fn report(&self, url: &Url, body: &str) -> Result<Vec<MultistatusResponse>, RemoteError> {
        let method = Method::from_bytes(b"REPORT").expect("a method");
        let (at, response) = self.send(&method, url, Some("1"), Some(body)).await?;
        multistatus(&method, &at, response).await
    }

    /// GET of one member.
    pub async fn get(&self, url: &Url) -> Result<Fetched, RemoteError> {
        let (at, response) = self.send(&Method::GET, url, None, None).await?;
        let status = response.status();
        if !status.is_success() {
            return Err(RemoteError::Status { method: Method::GET, url: shown(&at), status });
        }
        let etag = response.headers().get(header::ETAG).and_then(|e| e.to_str().ok()).map(str::to_owned);
        let body = text(&at, response).await?;
        Ok(Fetched { url: url.clone(), etag, body })
    }
}

async fn text(at: &Url, response: reqwest::Response) -> Result<String, RemoteError> {
    let bytes =
        response.bytes().await.map_err(|e| RemoteError::Unreachable { url: shown(at), reason: error_chain(&e) })?;
    String::from_utf8(bytes.to_vec())
        .map_err(|_| RemoteError::Answer { url: shown(at), reason: "the body is not UTF-8".into() })
}

async fn multistatus(
    method: &Method,
    at: &Url,
    response: reqwest::Response,
) -> Result<Vec<MultistatusResponse>, RemoteError> {
    let status = response.status();
    if status != StatusCode::MULTI_STATUS {
        return Err(RemoteError::Status { method: method.clone(), url: shown(at), status });
    }
    let bytes =
        response.bytes().await.map_err(|e| RemoteError::Unreachable { url: shown(at), reason: error_chain(&e) })?;
    parse_multistatus(&bytes, &READ_LIMITS).map_err(|e| RemoteError::Answer { url: shown(at), reason: e.to_string() })
}

/// An error with its causes (reqwest's own message is only the outer layer:
/// "error sending request").
fn error_chain(e: &(dyn std::error::Error + 'static)) -> String {
    let mut out = e.to_string();
    let mut source = e.source();
    while let Some(s) = source {
        out.push_str(": ");
        out.push_str(&s.to_string());
        source = s.source();
    }
    out
}
