//! HTTP transport: plain HTTP/1.1 (or HTTPS) with Basic auth, one request at a
//! time per caller. Status codes are not judged here; the workloads decide what
//! a right answer is, so a server's fault is reported, never retried away.

use std::time::Duration;

/// A connection pool to one server; every request names the user it acts as.
#[derive(Clone)]
pub struct Http {
    client: reqwest::Client,
    base: String,
    password: String,
    timeout: Duration,
}

/// What the server answered.
pub struct Reply {
    /// Status code.
    pub status: u16,
    /// The `ETag` header, if any.
    pub etag: Option<String>,
    /// The body, read completely (its time is part of the request's latency).
    pub body: String,
}

impl Reply {
    /// "STATUS first-line-of-body", for error reports.
    pub fn describe(&self) -> String {
        let first = self.body.lines().find(|l| !l.trim().is_empty()).unwrap_or("");
        format!("{} {}", self.status, first.chars().take(160).collect::<String>())
    }
}

/// The precondition of a PUT (RFC 7232).
pub enum Condition {
    /// Overwrite whatever is there.
    None,
    /// Create only: `If-None-Match: *`.
    Absent,
    /// Replace only this version: `If-Match`.
    Matches(String),
}

impl Http {
    /// A client for `base` (scheme, host, port).
    pub fn new(base: &str, password: &str, timeout_seconds: u64) -> Result<Http, String> {
        let timeout = Duration::from_secs(timeout_seconds.max(1));
        Ok(Http {
            client: build(timeout)?,
            base: base.trim_end_matches('/').to_owned(),
            password: password.to_owned(),
            timeout,
        })
    }

    /// The same server with a pool of its own: a device that keeps its own
    /// connection, as each of the mixed workload's users does.
    pub fn own_pool(&self) -> Result<Http, String> {
        Ok(Http { client: build(self.timeout)?, ..self.clone() })
    }

    /// The base URL, for reports.
    pub fn base(&self) -> &str {
        &self.base
    }

    fn request(&self, user: &str, method: &str, path: &str) -> reqwest::RequestBuilder {
        let method = reqwest::Method::from_bytes(method.as_bytes()).expect("a valid method name");
        self.client.request(method, format!("{}{path}", self.base)).basic_auth(user, Some(&self.password))
    }

    async fn finish(what: &str, path: &str, r: reqwest::RequestBuilder) -> Result<Reply, String> {
        let r = r.send().await.map_err(|e| format!("{what} {path}: {}", chain(&e)))?;
        let status = r.status().as_u16();
        let etag = r.headers().get(reqwest::header::ETAG).and_then(|v| v.to_str().ok()).map(str::to_owned);
        let body = r.text().await.map_err(|e| format!("{what} {path}: reading the body: {}", chain(&e)))?;
        Ok(Reply { status, etag, body })
    }

    /// PROPFIND with this depth and body.
    pub async fn propfind(&self, user: &str, path: &str, depth: &str, body: String) -> Result<Reply, String> {
        self.xml_method("PROPFIND", user, path, depth, body).await
    }

    /// REPORT with this depth and body.
    pub async fn report(&self, user: &str, path: &str, depth: &str, body: String) -> Result<Reply, String> {
        self.xml_method("REPORT", user, path, depth, body).await
    }

    /// A WebDAV method with a Depth header and an XML body.
    async fn xml_method(
        &self,
        method: &'static str,
        user: &str,
        path: &str,
        depth: &str,
        body: String,
    ) -> Result<Reply, String> {
        let r = self
            .request(user, method, path)
            .header("Depth", depth)
            .header("Content-Type", "application/xml; charset=utf-8")
            .body(body);
        Self::finish(method, path, r).await
    }

    /// PUT of an iCalendar object or a vCard (by the name's extension).
    pub async fn put(&self, user: &str, path: &str, body: String, condition: Condition) -> Result<Reply, String> {
        let content_type =
            if path.ends_with(".vcf") { "text/vcard; charset=utf-8" } else { "text/calendar; charset=utf-8" };
        let mut r = self.request(user, "PUT", path).header("Content-Type", content_type).body(body);
        r = match condition {
            Condition::None => r,
            Condition::Absent => r.header("If-None-Match", "*"),
            Condition::Matches(etag) => r.header("If-Match", etag),
        };
        Self::finish("PUT", path, r).await
    }

    /// POST of an iCalendar body (a scheduling request to an outbox).
    pub async fn post_calendar(&self, user: &str, path: &str, body: String) -> Result<Reply, String> {
        let r = self.request(user, "POST", path).header("Content-Type", "text/calendar; charset=utf-8").body(body);
        Self::finish("POST", path, r).await
    }
}

fn build(timeout: Duration) -> Result<reqwest::Client, String> {
    reqwest::Client::builder()
        .timeout(timeout)
        .tcp_nodelay(true)
        .build()
        .map_err(|e| format!("cannot build the HTTP client: {e}"))
}

/// reqwest's top-level message ("error sending request") hides the cause.
fn chain(e: &dyn std::error::Error) -> String {
    let mut text = e.to_string();
    let mut source = e.source();
    while let Some(s) = source {
        text.push_str(": ");
        text.push_str(&s.to_string());
        source = s.source();
    }
    text
}
