//! Security headers: the defaults every response carries, and the stricter
//! policy for stored objects, which are whatever a user uploaded served from the
//! server's own origin.
//!
//! Two parts, so that one decides and the other only applies:
//! - [`defaults`], a response layer around the whole router, adds
//!   `X-Content-Type-Options: nosniff`, `Referrer-Policy: no-referrer`,
//!   `X-Frame-Options: DENY`, `Cross-Origin-Resource-Policy: same-origin` and a
//!   Content-Security-Policy that allows nothing ([`DEFAULT_CSP`]). Each header is
//!   inserted only when the handler did not set it: GET of an object sets its own
//!   sandboxing policy, and the web interface's page sets [`page_headers`].
//! - [`object_headers`], called by GET and HEAD of an object, decides the CSP
//!   ([`OBJECT_CSP`], with `sandbox`), the `Content-Disposition` (an attachment
//!   for anything but calendar and vCard data) and, in plain WebDAV collections,
//!   the served media type: types a browser would run (HTML, SVG and other XML,
//!   JavaScript, CSS…) are served as `application/octet-stream`. See
//!   docs/decisions.md, "Uploaded files on the server's origin".
//!
//! None of these headers changes what a DAV client sees: the status, the body,
//! the ETag and, for calendar and vCard data, the Content-Type stay as they were.

use agora_store::CollectionKind;
use axum::http::{HeaderName, HeaderValue, header};
use axum::response::Response;
use percent_encoding::{AsciiSet, NON_ALPHANUMERIC, utf8_percent_encode};

use crate::negotiate::essence;

/// The policy of every response that sets none: nothing may be loaded, nothing
/// may frame it, and a document it would make (none is meant to be one) could
/// neither set a base URL nor submit a form.
pub const DEFAULT_CSP: &str = "default-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'";

/// The policy of a stored object: [`DEFAULT_CSP`] plus `sandbox` (CSP Level 3,
/// §6.3.2) with no allowance, so that even a browser that renders the object
/// inline gives it an opaque origin and runs no script in it: it can never act
/// as the server's origin, whose cookies and credentials the web interface uses.
pub const OBJECT_CSP: &str = "default-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'; sandbox";

/// The policy of the web interface's page and assets: its own scripts, styles,
/// images, fonts and requests, from this origin only; no inline script or
/// style; never framed; forms post only here.
pub const PAGE_CSP: &str = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; \
                            font-src 'self'; connect-src 'self'; form-action 'self'; frame-ancestors 'none'; \
                            base-uri 'none'";

/// The headers of the web interface's page and assets: [`PAGE_CSP`] and
/// `Cross-Origin-Opener-Policy: same-origin` (no window opened elsewhere keeps
/// a handle on the page); [`defaults`] adds the rest.
pub fn page_headers() -> [(HeaderName, HeaderValue); 2] {
    [
        (header::CONTENT_SECURITY_POLICY, HeaderValue::from_static(PAGE_CSP)),
        (HeaderName::from_static("cross-origin-opener-policy"), HeaderValue::from_static("same-origin")),
    ]
}

/// What every response carries unless its handler set the header itself.
const DEFAULTS: [(HeaderName, &str); 5] = [
    (header::X_CONTENT_TYPE_OPTIONS, "nosniff"),
    (header::REFERRER_POLICY, "no-referrer"),
    (header::X_FRAME_OPTIONS, "DENY"),
    (HeaderName::from_static("cross-origin-resource-policy"), "same-origin"),
    (header::CONTENT_SECURITY_POLICY, DEFAULT_CSP),
];

/// The response layer (`axum::middleware::map_response`): adds each default
/// header the response does not already have.
pub async fn defaults(mut response: Response) -> Response {
    let headers = response.headers_mut();
    for (name, value) in DEFAULTS {
        if !headers.contains_key(&name) {
            headers.insert(name, HeaderValue::from_static(value));
        }
    }
    response
}

/// The media type a stored object is served with (and reported as, in
/// `DAV:getcontenttype`, which RFC 4918 §15.5 defines as GET's Content-Type):
/// the stored one, except that in a plain collection, whose files nobody
/// validated, a type a browser would run becomes `application/octet-stream`.
/// The stored type itself is kept (exports and backups carry it).
pub fn served_type(kind: CollectionKind, stored: &str) -> &str {
    if kind == CollectionKind::Plain && is_active(stored) { "application/octet-stream" } else { stored }
}

/// The headers of a stored object's GET or HEAD (also of its 304, so that a
/// cache refreshing its copy keeps them): the sandboxing CSP, and an attachment
/// disposition named after the object unless it is calendar or vCard data, which
/// clients and browsers may show. `served` is the Content-Type being sent.
pub fn object_headers(name: &str, served: &str) -> Vec<(HeaderName, String)> {
    let mut headers = vec![(header::CONTENT_SECURITY_POLICY, OBJECT_CSP.to_owned())];
    if !is_calendar_or_vcard(served) {
        headers.push((header::CONTENT_DISPOSITION, attachment(name)));
    }
    headers
}

/// `attachment; filename*=UTF-8''NAME` (RFC 6266 §4.3, with RFC 8187 encoding).
/// Only the extended form: every browser in use reads it, and a plain
/// `filename="…"` would have to be an ASCII lookalike of a UTF-8 name.
pub fn attachment(name: &str) -> String {
    format!("attachment; filename*=UTF-8''{}", utf8_percent_encode(name, ATTR_CHAR))
}

/// What RFC 8187 §3.2.1 `value-chars` must percent-encode: everything but
/// `attr-char` (ALPHA, DIGIT and `!#$&+-.^_`|~`).
const ATTR_CHAR: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'!')
    .remove(b'#')
    .remove(b'$')
    .remove(b'&')
    .remove(b'+')
    .remove(b'-')
    .remove(b'.')
    .remove(b'^')
    .remove(b'_')
    .remove(b'`')
    .remove(b'|')
    .remove(b'~');

/// iCalendar (RFC 5545), jCal (RFC 7265), vCard (RFC 6350, and the `text/x-vcard`
/// of vCard 2.1 and 3 clients) and jCard (RFC 7095): data calendar and address
/// book clients read, served inline.
fn is_calendar_or_vcard(media_type: &str) -> bool {
    matches!(
        essence(media_type).as_str(),
        "text/calendar" | "application/calendar+json" | "text/vcard" | "text/x-vcard" | "application/vcard+json"
    )
}

/// Whether a browser could run or render as a scripted document what is served
/// with this type: HTML and XHTML, SVG and any other XML (which can carry XHTML,
/// XSLT or SVG), XSL, JavaScript under all its names, CSS, Flash, and the
/// multipart type old browsers rendered part by part. A type that is not a
/// `type/subtype` at all counts as active, since a browser would sniff it.
fn is_active(media_type: &str) -> bool {
    let essence = essence(media_type);
    let Some((top, sub)) = essence.split_once('/') else { return true };
    if top.is_empty() || sub.is_empty() {
        return true;
    }
    sub.ends_with("+xml")
        || sub.contains("javascript")
        || sub.contains("ecmascript")
        || matches!(
            essence.as_str(),
            "text/html"
                | "text/xml"
                | "application/xml"
                | "text/xsl"
                | "text/css"
                | "text/jscript"
                | "text/livescript"
                | "application/x-shockwave-flash"
                | "multipart/x-mixed-replace"
        )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn active_types_in_plain_collections_are_downgraded() {
        for active in [
            "text/html",
            "TEXT/HTML; charset=utf-8",
            "image/svg+xml",
            "application/xhtml+xml",
            "text/xml",
            "application/xml",
            "application/javascript",
            "text/javascript; charset=utf-8",
            "application/x-javascript",
            "text/ecmascript",
            "text/css",
            "multipart/x-mixed-replace; boundary=x",
            "html",
            "",
        ] {
            assert_eq!(served_type(CollectionKind::Plain, active), "application/octet-stream", "{active}");
        }
        for passive in ["text/plain", "image/png", "application/pdf", "application/octet-stream", "text/calendar"] {
            assert_eq!(served_type(CollectionKind::Plain, passive), passive);
        }
        // Validated collections keep their type (notifications are server-written XML).
        assert_eq!(
            served_type(CollectionKind::Notifications, "application/xml; charset=utf-8"),
            "application/xml; charset=utf-8"
        );
        assert_eq!(
            served_type(CollectionKind::Calendar, "text/calendar; charset=utf-8"),
            "text/calendar; charset=utf-8"
        );
    }

    #[test]
    fn calendar_and_vcard_data_are_inline_everything_else_an_attachment() {
        for inline in [
            "text/calendar; charset=utf-8",
            "application/calendar+json",
            "text/vcard",
            "Text/X-VCard",
            "application/vcard+json; charset=utf-8",
        ] {
            let headers = object_headers("a.ics", inline);
            assert_eq!(headers, vec![(header::CONTENT_SECURITY_POLICY, OBJECT_CSP.to_owned())], "{inline}");
        }
        let headers = object_headers("page.html", "application/octet-stream");
        assert!(headers.contains(&(header::CONTENT_DISPOSITION, "attachment; filename*=UTF-8''page.html".into())));
    }

    #[test]
    fn file_names_are_encoded_as_rfc_8187_values() {
        assert_eq!(attachment("a b;c\"d.txt"), "attachment; filename*=UTF-8''a%20b%3Bc%22d.txt");
        assert_eq!(attachment("été €.pdf"), "attachment; filename*=UTF-8''%C3%A9t%C3%A9%20%E2%82%AC.pdf");
        assert_eq!(attachment("x!#$&+-.^_`|~y"), "attachment; filename*=UTF-8''x!#$&+-.^_`|~y");
        assert_eq!(attachment("a'b%c*\r\n"), "attachment; filename*=UTF-8''a%27b%25c%2A%0D%0A");
    }
}
