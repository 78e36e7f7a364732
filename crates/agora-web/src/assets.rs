//! The embedded page: `index.html` (revalidated on every load) and the files
//! under `assets/` (named by their content hash by the page's build, so cached
//! for a year and never revalidated).

use axum::body::Body;
use axum::extract::Request;
use axum::http::{HeaderValue, Method, StatusCode, header};
use axum::response::{IntoResponse, Response};

/// One embedded file.
pub(crate) struct Asset {
    /// Path under `dist/`, `/`-separated.
    pub path: &'static str,
    /// Media type, from the extension.
    pub content_type: &'static str,
    /// Strong ETag (quoted), from the SHA-256 of the bytes.
    pub etag: &'static str,
    /// The bytes.
    pub body: &'static [u8],
}

include!(concat!(env!("OUT_DIR"), "/dist.rs"));

fn find(path: &str) -> Option<&'static Asset> {
    FILES.iter().find(|a| a.path == path)
}

/// Answers a GET or HEAD of the embedded file `path` (`index.html`, `assets/…`).
pub(crate) fn serve(req: &Request, path: &str) -> Response {
    if req.method() != Method::GET && req.method() != Method::HEAD {
        let mut r = (StatusCode::METHOD_NOT_ALLOWED, "the web interface's files are read with GET\n").into_response();
        r.headers_mut().insert(header::ALLOW, HeaderValue::from_static("GET, HEAD"));
        return r;
    }
    let Some(asset) = find(path) else {
        return (StatusCode::NOT_FOUND, [(header::CONTENT_TYPE, "text/plain; charset=utf-8")], "no such file\n")
            .into_response();
    };
    let cache = if path == "index.html" { "no-cache" } else { "public, max-age=31536000, immutable" };
    let not_modified = req
        .headers()
        .get_all(header::IF_NONE_MATCH)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(','))
        // RFC 9110 §13.1.2: If-None-Match compares weakly.
        .any(|tag| matches!(tag.trim().trim_start_matches("W/"), t if t == asset.etag || t == "*"));
    let (status, body) = if not_modified {
        (StatusCode::NOT_MODIFIED, Body::empty())
    } else if req.method() == Method::HEAD {
        (StatusCode::OK, Body::empty())
    } else {
        (StatusCode::OK, Body::from(asset.body))
    };
    let mut r = Response::builder()
        .status(status)
        .header(header::ETAG, asset.etag)
        .header(header::CACHE_CONTROL, cache)
        .body(body)
        .expect("static headers are valid");
    let headers = r.headers_mut();
    if status == StatusCode::OK {
        headers.insert(header::CONTENT_TYPE, HeaderValue::from_static(asset.content_type));
        headers.insert(header::CONTENT_LENGTH, HeaderValue::from(asset.body.len()));
    }
    // Browsers must not reuse a cached `/` answer (the page) for a DAV request.
    headers.insert(header::VARY, HeaderValue::from_static("Accept"));
    for (name, value) in agora_dav::security_headers::page_headers() {
        headers.insert(name, value);
    }
    r
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_page_is_embedded_with_its_assets() {
        let index = find("index.html").expect("index.html embedded");
        assert!(index.content_type.starts_with("text/html"));
        assert!(index.etag.starts_with('"') && index.etag.ends_with('"') && index.etag.len() == 34);
        assert!(FILES.iter().any(|a| a.path.starts_with("assets/") && a.path.ends_with(".js")));
        let html = std::str::from_utf8(index.body).unwrap();
        let linked =
            FILES.iter().filter(|a| a.path.starts_with("assets/")).any(|a| html.contains(&format!("/{}", a.path)));
        assert!(linked, "index.html loads an embedded asset");
    }
}
