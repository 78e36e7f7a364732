//! The one place where errors become HTTP responses: statuses, reasons, and
//! `DAV:error` bodies for the preconditions of RFC 4918, 4791, 6352 and 6578. The
//! reasons are written in the request's language (`language`); free-form messages
//! from the core (`Invalid`, `Forbidden`…) are passed on as the core wrote them.

use std::time::Duration;

use agora_core::{CoreError, Rule};
use agora_dav_xml::{Precondition, XmlError, error_body, error_body_with};
use agora_store::CollectionKind;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};

/// An HTTP-level failure.
#[derive(Debug)]
pub enum HttpError {
    /// No or wrong credentials: 401 with a Basic challenge.
    Unauthenticated,
    /// Too many failures: 429 with Retry-After.
    Throttled(Duration),
    /// A web session cookie that opens no session (ended, or never was): 401
    /// without a Basic challenge, which would make the browser ask for a
    /// password in its own dialog instead of the page's sign-in form.
    SignedOut,
    /// A request authorised by the session cookie without the session's
    /// `X-Agora-CSRF` header: 403, and nothing done.
    Csrf,
    /// A domain error.
    Core(CoreError),
    /// A request the server cannot make sense of: 400 with the reason.
    BadRequest(String),
    /// A malformed or oversized XML body: 400 with the parser's reason.
    Xml(XmlError),
    /// The body exceeds the configured limit: 413.
    TooLarge(usize),
    /// A body in a media type this resource does not take: 415.
    UnsupportedMediaType(String),
    /// A failed DAV precondition with its status.
    Precondition(StatusCode, Precondition),
    /// A failed DAV precondition with its status and the reason, for people.
    Refused(StatusCode, Precondition, String),
    /// Nothing there: 404.
    NotFound,
    /// The method does not apply to this resource: 405 with Allow.
    MethodNotAllowed(&'static str),
}

impl From<CoreError> for HttpError {
    fn from(e: CoreError) -> Self {
        HttpError::Core(e)
    }
}

impl From<XmlError> for HttpError {
    fn from(e: XmlError) -> Self {
        match e {
            // RFC 4791 §7.8 and RFC 6352 §8.6: a broken filter is a precondition.
            XmlError::InvalidFilter { card, reason } => HttpError::Refused(
                StatusCode::FORBIDDEN,
                if card { Precondition::CardValidFilter } else { Precondition::ValidFilter },
                reason,
            ),
            other => HttpError::Xml(other),
        }
    }
}

impl HttpError {
    /// A domain rule broken while writing into a collection of `kind`; `href_of`
    /// turns a member name into its href (for `no-uid-conflict`).
    pub fn from_rule(rule: Rule, kind: CollectionKind, href_of: impl Fn(&str) -> String) -> Self {
        let card = kind == CollectionKind::Addressbook;
        let forbidden = StatusCode::FORBIDDEN;
        let reason = rule.reason(crate::language::current());
        let (status, p) = match rule {
            Rule::UidConflict { name } | Rule::UidChange { name } if card => {
                (StatusCode::CONFLICT, Precondition::CardNoUidConflict(href_of(&name)))
            }
            Rule::UidConflict { name } | Rule::UidChange { name } => {
                (StatusCode::CONFLICT, Precondition::CalNoUidConflict(href_of(&name)))
            }
            Rule::UniqueSchedulingObject { path } => {
                (StatusCode::CONFLICT, Precondition::UniqueSchedulingObject(crate::paths::href(&path)))
            }
            Rule::SupportedData(_) if card => (StatusCode::UNSUPPORTED_MEDIA_TYPE, Precondition::SupportedAddressData),
            Rule::SupportedData(_) => (StatusCode::UNSUPPORTED_MEDIA_TYPE, Precondition::SupportedCalendarData),
            Rule::ValidData(_) | Rule::ObjectResource(_) if card => (forbidden, Precondition::ValidAddressData),
            Rule::ValidData(_) => (forbidden, Precondition::ValidCalendarData),
            Rule::ObjectResource(_) => (forbidden, Precondition::ValidCalendarObjectResource),
            Rule::SupportedComponent(_) => (forbidden, Precondition::SupportedCalendarComponent),
            Rule::MaxSize { .. } if card => (forbidden, Precondition::CardMaxResourceSize),
            Rule::MaxSize { .. } => (forbidden, Precondition::CalMaxResourceSize),
            Rule::CollectionLocation if card => (forbidden, Precondition::AddressbookCollectionLocationOk),
            Rule::CollectionLocation => (forbidden, Precondition::CalendarCollectionLocationOk),
            Rule::ValidSyncToken => (forbidden, Precondition::ValidSyncToken),
            // No standard condition names a refused feed URL (CalendarServer
            // has none either): Agora's own, with the reason beside it.
            Rule::FeedSource(_) => (
                forbidden,
                Precondition::Other(agora_dav_xml::PropName::new(agora_dav_xml::NS_AGORA, "valid-feed-source")),
            ),
            Rule::QuotaExceeded => (
                StatusCode::INSUFFICIENT_STORAGE,
                Precondition::Other(agora_dav_xml::PropName::dav("quota-not-exceeded")),
            ),
        };
        HttpError::Refused(status, p, reason)
    }
}

/// The server's fixed messages, in the request's language.
fn say(en: &str, fr: &str) -> String {
    crate::language::current().pick(en, fr).to_owned()
}

fn text(status: StatusCode, message: impl Into<String>) -> Response {
    let mut m = message.into();
    m.push('\n');
    (status, [(header::CONTENT_TYPE, "text/plain; charset=utf-8")], m).into_response()
}

impl IntoResponse for HttpError {
    fn into_response(self) -> Response {
        match self {
            HttpError::Unauthenticated => {
                let mut r = text(StatusCode::UNAUTHORIZED, say("authentication required", "authentification requise"));
                r.headers_mut().insert(
                    header::WWW_AUTHENTICATE,
                    HeaderValue::from_static("Basic realm=\"Agora\", charset=\"UTF-8\""),
                );
                // Clients probe OPTIONS before logging in; the challenge still tells
                // them this is a CalDAV/CardDAV server.
                r.headers_mut().insert("dav", HeaderValue::from_static(crate::methods::DAV_CLASSES));
                r
            }
            HttpError::SignedOut => {
                let mut r = text(
                    StatusCode::UNAUTHORIZED,
                    say(
                        "the web session has ended; sign in again",
                        "la session web est terminée\u{a0}; reconnectez-vous",
                    ),
                );
                // RFC 9110 §11.6.1: a 401 carries a challenge; this scheme is the
                // page's sign-in, which no browser answers with a dialog.
                r.headers_mut().insert(header::WWW_AUTHENTICATE, HeaderValue::from_static("Session realm=\"Agora\""));
                r
            }
            HttpError::Csrf => text(
                StatusCode::FORBIDDEN,
                say(
                    "a request authorised by the session cookie needs the session's X-Agora-CSRF header",
                    "une requête autorisée par le cookie de session doit porter l’en-tête X-Agora-CSRF de la session",
                ),
            ),
            HttpError::Throttled(wait) => {
                let secs = wait.as_secs().max(1);
                let mut r = text(
                    StatusCode::TOO_MANY_REQUESTS,
                    crate::language::current().pick(
                        format!("too many failed logins; retry in {secs} s"),
                        format!("trop d’échecs de connexion\u{a0}; réessayez dans {secs}\u{a0}s"),
                    ),
                );
                r.headers_mut().insert(header::RETRY_AFTER, HeaderValue::from(secs));
                r
            }
            HttpError::BadRequest(m) => text(StatusCode::BAD_REQUEST, m),
            HttpError::Xml(e) => text(
                StatusCode::BAD_REQUEST,
                format!("{}{e}", say("malformed XML body: ", "corps XML mal formé\u{a0}: ")),
            ),
            HttpError::TooLarge(limit) => text(
                StatusCode::PAYLOAD_TOO_LARGE,
                crate::language::current().pick(
                    format!("the request body exceeds {limit} bytes"),
                    format!("le corps de la requête dépasse {limit}\u{a0}octets"),
                ),
            ),
            HttpError::UnsupportedMediaType(m) => text(StatusCode::UNSUPPORTED_MEDIA_TYPE, m),
            HttpError::Precondition(status, p) => {
                (status, [(header::CONTENT_TYPE, "application/xml; charset=utf-8")], error_body(&p)).into_response()
            }
            HttpError::Refused(status, p, reason) => {
                let body = error_body_with(&p, Some(&reason));
                (status, [(header::CONTENT_TYPE, "application/xml; charset=utf-8")], body).into_response()
            }
            HttpError::NotFound => text(StatusCode::NOT_FOUND, say("no such resource", "ressource introuvable")),
            HttpError::MethodNotAllowed(allow) => {
                let mut r = text(
                    StatusCode::METHOD_NOT_ALLOWED,
                    say("method not allowed on this resource", "méthode non permise sur cette ressource"),
                );
                r.headers_mut().insert(header::ALLOW, HeaderValue::from_static(allow));
                r
            }
            HttpError::Core(e) => match e {
                CoreError::Rule(rule) => {
                    HttpError::from_rule(rule, CollectionKind::Calendar, |n| n.to_owned()).into_response()
                }
                CoreError::Invalid(m) => text(StatusCode::BAD_REQUEST, m),
                CoreError::NotFound { .. } => text(StatusCode::NOT_FOUND, e.to_string()),
                CoreError::Conflict(m) => text(StatusCode::CONFLICT, m),
                CoreError::Exists(m) => text(StatusCode::METHOD_NOT_ALLOWED, m),
                CoreError::Forbidden(m) => text(StatusCode::FORBIDDEN, m),
                CoreError::Unauthenticated => HttpError::Unauthenticated.into_response(),
                CoreError::PreconditionFailed => text(
                    StatusCode::PRECONDITION_FAILED,
                    say("the resource has changed", "la ressource a changé entre-temps"),
                ),
                CoreError::Locked(roots) => HttpError::Precondition(
                    StatusCode::LOCKED,
                    Precondition::LockTokenSubmitted(roots.iter().map(|p| crate::paths::href(p)).collect()),
                )
                .into_response(),
                CoreError::Store(err) => {
                    tracing::error!(error = %err, "request failed");
                    text(
                        StatusCode::SERVICE_UNAVAILABLE,
                        say("the store is unavailable", "le stockage est indisponible"),
                    )
                }
                CoreError::Unavailable(m) => {
                    tracing::error!(error = %m, "request failed");
                    text(
                        StatusCode::SERVICE_UNAVAILABLE,
                        say("the directory is unavailable", "l’annuaire est indisponible"),
                    )
                }
            },
        }
    }
}
