//! Reading what a request says: its body (bounded), Depth, conditional headers,
//! and whether an XML body really is XML.

use agora_store::WriteCondition;
use axum::body::Body;
use axum::http::{HeaderMap, header};

use crate::error::HttpError;

/// The Depth header (RFC 4918 §10.2).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Depth {
    /// `0`
    Zero,
    /// `1`
    One,
    /// `infinity`, or absent where the method's default is infinity.
    Infinity,
}

/// Reads Depth; `default` applies when the header is absent.
pub fn depth(headers: &HeaderMap, default: Depth) -> Result<Depth, HttpError> {
    match headers.get("depth").map(|v| v.to_str().unwrap_or("?").trim().to_ascii_lowercase()) {
        None => Ok(default),
        Some(v) if v == "0" => Ok(Depth::Zero),
        Some(v) if v == "1" => Ok(Depth::One),
        Some(v) if v == "infinity" => Ok(Depth::Infinity),
        Some(v) => Err(HttpError::BadRequest(format!("invalid Depth header {v:?}"))),
    }
}

/// Reads the body, refusing more than `limit` bytes with 413.
pub async fn body(body: Body, limit: usize) -> Result<Vec<u8>, HttpError> {
    match axum::body::to_bytes(body, limit).await {
        Ok(bytes) => Ok(bytes.to_vec()),
        Err(_) => Err(HttpError::TooLarge(limit)),
    }
}

/// Reads and discards what is left of a request body, up to `limit` bytes, so
/// that an early answer (401, 403, 404) keeps the connection usable: a client
/// that sent its body anyway can send its next request, typically the retry with
/// credentials, on the same connection. Returns false when the body was too
/// large to drain (the connection must then close).
pub async fn drain(body: Body, limit: usize) -> bool {
    axum::body::to_bytes(body, limit).await.is_ok()
}

/// An XML request body must be declared as XML (or not declared at all).
pub fn require_xml(headers: &HeaderMap, body: &[u8]) -> Result<(), HttpError> {
    if body.is_empty() {
        return Ok(());
    }
    match headers.get(header::CONTENT_TYPE).and_then(|v| v.to_str().ok()) {
        None => Ok(()),
        Some(ct) => {
            let essence = crate::negotiate::essence(ct);
            if essence == "application/xml" || essence == "text/xml" || essence.ends_with("+xml") {
                Ok(())
            } else {
                Err(HttpError::UnsupportedMediaType(format!("expected an XML body, got {ct}")))
            }
        }
    }
}

/// The media type of the body, if declared.
pub fn content_type(headers: &HeaderMap) -> Option<String> {
    headers.get(header::CONTENT_TYPE).and_then(|v| v.to_str().ok()).map(str::to_owned)
}

/// Entity tags listed in an If-Match / If-None-Match value, without quotes
/// (weak tags never match a strong comparison, RFC 9110 §13.1.1).
fn tags(value: &str) -> Vec<String> {
    value
        .split(',')
        .map(str::trim)
        .filter(|t| !t.is_empty() && !t.starts_with("W/"))
        .map(|t| t.trim_matches('"').to_owned())
        .collect()
}

/// The write condition of If-Match / If-None-Match (RFC 9110 §13.1).
pub fn write_condition(headers: &HeaderMap) -> WriteCondition {
    let get = |h| headers.get(h).and_then(|v: &axum::http::HeaderValue| v.to_str().ok());
    // RFC 6638 §8.3: the client's copy was based on this Schedule-Tag.
    if let Some(v) = get(header::HeaderName::from_static("if-schedule-tag-match"))
        && let Some(tag) = tags(v).into_iter().next()
    {
        return WriteCondition::IfScheduleTagMatch(tag);
    }
    if let Some(v) = get(header::IF_MATCH) {
        let mut t = tags(v);
        if v.trim() == "*" {
            t = vec!["*".into()];
        }
        return WriteCondition::IfMatch(t);
    }
    if let Some(v) = get(header::IF_NONE_MATCH) {
        if v.trim() == "*" {
            return WriteCondition::IfNoneMatchAny;
        }
        return WriteCondition::IfNoneMatch(tags(v));
    }
    WriteCondition::Always
}

/// Whether the client asked for no attendee reply on DELETE (CalendarServer's
/// `Schedule-Reply: F`).
pub fn schedule_reply(headers: &HeaderMap) -> bool {
    !headers.get("schedule-reply").and_then(|v| v.to_str().ok()).is_some_and(|v| v.trim().eq_ignore_ascii_case("F"))
}

/// A quoted strong ETag header value.
pub fn etag_header(etag: &str) -> String {
    format!("\"{etag}\"")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn headers(pairs: &[(&'static str, &'static str)]) -> HeaderMap {
        let mut h = HeaderMap::new();
        for (k, v) in pairs {
            h.insert(*k, v.parse().unwrap());
        }
        h
    }

    #[test]
    fn conditions() {
        assert_eq!(write_condition(&headers(&[])), WriteCondition::Always);
        assert_eq!(write_condition(&headers(&[("if-none-match", "*")])), WriteCondition::IfNoneMatchAny);
        assert_eq!(
            write_condition(&headers(&[("if-match", "\"a\", W/\"b\", \"c\"")])),
            WriteCondition::IfMatch(vec!["a".into(), "c".into()])
        );
        assert_eq!(write_condition(&headers(&[("if-match", "*")])), WriteCondition::IfMatch(vec!["*".into()]));
    }

    #[test]
    fn depths() {
        assert_eq!(depth(&headers(&[]), Depth::Infinity).unwrap(), Depth::Infinity);
        assert_eq!(depth(&headers(&[("depth", "1")]), Depth::Zero).unwrap(), Depth::One);
        assert_eq!(depth(&headers(&[("depth", "Infinity")]), Depth::Zero).unwrap(), Depth::Infinity);
        assert!(depth(&headers(&[("depth", "2")]), Depth::Zero).is_err());
    }

    #[test]
    fn xml_bodies() {
        assert!(require_xml(&headers(&[("content-type", "text/xml; charset=utf-8")]), b"<a/>").is_ok());
        assert!(require_xml(&headers(&[]), b"<a/>").is_ok());
        assert!(require_xml(&headers(&[("content-type", "text/plain")]), b"<a/>").is_err());
        assert!(require_xml(&headers(&[("content-type", "text/plain")]), b"").is_ok());
    }
}
