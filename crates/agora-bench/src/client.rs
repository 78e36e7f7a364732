//! The requests a syncing client makes, over plain HTTP(S) with Basic auth.

use std::sync::Arc;
use std::time::Instant;

/// A connection pool to one server as one user.
pub struct Dav {
    http: reqwest::Client,
    base: String,
    user: String,
    password: String,
}

impl Dav {
    /// Prepares a client for `base` (scheme, host, port).
    pub fn new(base: &str, user: &str, password: &str) -> Result<Dav, String> {
        let http = reqwest::Client::builder()
            .pool_max_idle_per_host(64)
            .build()
            .map_err(|e| format!("cannot build the HTTP client: {e}"))?;
        Ok(Dav { http, base: base.trim_end_matches('/').to_owned(), user: user.into(), password: password.into() })
    }

    fn request(&self, method: &str, path: &str) -> reqwest::RequestBuilder {
        let method = reqwest::Method::from_bytes(method.as_bytes()).expect("valid method");
        self.http.request(method, format!("{}{path}", self.base)).basic_auth(&self.user, Some(&self.password))
    }

    async fn report(&self, path: &str, body: String) -> Result<String, String> {
        let r = self
            .request("REPORT", path)
            .header("Depth", "1")
            .header("Content-Type", "application/xml; charset=utf-8")
            .body(body)
            .send()
            .await
            .map_err(|e| format!("REPORT {path}: {e}"))?;
        if r.status().as_u16() != 207 {
            return Err(format!("REPORT {path}: {}", r.status()));
        }
        r.text().await.map_err(|e| format!("REPORT {path}: {e}"))
    }
}

/// Creates `count` objects with `make(i)` in `collection`, `concurrency` at a time.
/// Existing ones (412 on If-None-Match) count as present, so reruns are cheap.
pub async fn populate(
    dav: &Arc<Dav>,
    collection: &str,
    count: usize,
    concurrency: usize,
    make: fn(usize) -> (String, String),
) -> Result<usize, String> {
    let next = Arc::new(std::sync::atomic::AtomicUsize::new(0));
    let mut workers = Vec::new();
    for _ in 0..concurrency.max(1) {
        let (dav, next, collection) = (dav.clone(), next.clone(), collection.to_owned());
        workers.push(tokio::spawn(async move {
            let mut done = 0usize;
            loop {
                let i = next.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                if i >= count {
                    return Ok::<usize, String>(done);
                }
                let (name, body) = make(i);
                let ct =
                    if name.ends_with(".vcf") { "text/vcard; charset=utf-8" } else { "text/calendar; charset=utf-8" };
                let r = dav
                    .request("PUT", &format!("{collection}{name}"))
                    .header("Content-Type", ct)
                    .header("If-None-Match", "*")
                    .body(body)
                    .send()
                    .await
                    .map_err(|e| format!("PUT {name}: {e}"))?;
                match r.status().as_u16() {
                    201 | 204 | 412 => done += 1,
                    other => return Err(format!("PUT {name}: {other} {}", r.text().await.unwrap_or_default())),
                }
            }
        }));
    }
    let mut total = 0;
    for w in workers {
        total += w.await.map_err(|e| e.to_string())??;
    }
    Ok(total)
}

/// One first sync.
pub struct SyncResult {
    /// Objects fetched.
    pub objects: usize,
    /// Bytes of multiget responses.
    pub bytes: usize,
    /// Time of the empty-token sync-collection.
    pub listing_seconds: f64,
    /// Time of all multigets.
    pub multiget_seconds: f64,
}

impl SyncResult {
    /// Listing plus fetching.
    pub fn total_seconds(&self) -> f64 {
        self.listing_seconds + self.multiget_seconds
    }

    /// For the JSON report.
    pub fn to_json(&self) -> serde_json::Value {
        serde_json::json!({ "objects": self.objects, "bytes": self.bytes, "listing_seconds": self.listing_seconds,
                            "multiget_seconds": self.multiget_seconds, "total_seconds": self.total_seconds() })
    }
}

fn hrefs(body: &str) -> Vec<String> {
    // Member hrefs precede a propstat; the collection's own 507 has none.
    body.split("<D:href>")
        .skip(1)
        .filter_map(|s| {
            let end = s.find("</D:href>")?;
            s[end..].starts_with("</D:href><D:propstat>").then(|| s[..end].to_owned())
        })
        .collect()
}

/// sync-collection with an empty token, then multiget in batches of 100.
pub async fn initial_sync(dav: &Dav, collection: &str, multiget: &str, data: &str) -> Result<SyncResult, String> {
    let started = Instant::now();
    let listing = dav
        .report(
            collection,
            r#"<?xml version="1.0" encoding="utf-8"?><D:sync-collection xmlns:D="DAV:"><D:sync-token/><D:sync-level>1</D:sync-level><D:prop><D:getetag/></D:prop></D:sync-collection>"#.into(),
        )
        .await?;
    let listing_seconds = started.elapsed().as_secs_f64();
    let members = hrefs(&listing);
    let started = Instant::now();
    let mut bytes = 0;
    let mut objects = 0;
    let ns = if multiget.starts_with("calendar") {
        "C=\"urn:ietf:params:xml:ns:caldav\""
    } else {
        "CARD=\"urn:ietf:params:xml:ns:carddav\""
    };
    let prefix = if multiget.starts_with("calendar") { "C" } else { "CARD" };
    for batch in members.chunks(100) {
        let body = format!(
            "<?xml version=\"1.0\" encoding=\"utf-8\"?><{prefix}:{multiget} xmlns:D=\"DAV:\" xmlns:{ns}><D:prop><D:getetag/><{data}/></D:prop>{}</{prefix}:{multiget}>",
            batch.iter().map(|h| format!("<D:href>{h}</D:href>")).collect::<String>()
        );
        let answer = dav.report(collection, body).await?;
        objects += answer.matches("<D:getetag>").count();
        bytes += answer.len();
    }
    Ok(SyncResult { objects, bytes, listing_seconds, multiget_seconds: started.elapsed().as_secs_f64() })
}
