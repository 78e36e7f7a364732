//! The server's background refresh: the global address list follows the
//! directory (changes made through the CLI refresh it at once; this catches the
//! rest, such as another server's writes or LDAP), subscribed calendars follow
//! their feeds (a new subscription is fetched at once), and the instance index
//! takes in events stored before it and extends the window of endless ones.

use std::net::IpAddr;
use std::sync::Arc;
use std::time::Duration;

use agora_core::Core;

/// Largest feed fetched.
const MAX_FEED_BYTES: usize = 20 * 1024 * 1024;

/// Refreshes now, then every `period`, until the process ends.
pub async fn run(core: Arc<Core>, period: Duration, allow_private: bool) {
    let mut tick = tokio::time::interval(period);
    tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    let http = reqwest::Client::builder()
        .timeout(Duration::from_secs(30))
        .redirect(reqwest::redirect::Policy::limited(5))
        .user_agent(concat!("Agora/", env!("CARGO_PKG_VERSION")))
        .build()
        .expect("an HTTP client");
    loop {
        tokio::select! {
            _ = tick.tick() => {
                if let Err(e) = core.sync_external().await {
                    tracing::warn!(error = %e, "external directory refresh failed");
                }
                if let Err(e) = core.refresh_gal().await {
                    tracing::warn!(error = %e, "global address list refresh failed");
                }
                match core.index_instances().await {
                    Ok(0) => {}
                    Ok(n) => tracing::info!(events = n, "instance index brought up to date"),
                    Err(e) => tracing::warn!(error = %e, "instance index not brought up to date"),
                }
            }
            _ = core.subscriptions_changed().notified() => {}
        }
        refresh_feeds(&core, &http, allow_private).await;
    }
}

async fn refresh_feeds(core: &Core, http: &reqwest::Client, allow_private: bool) {
    let calendars = match core.subscriptions().await {
        Ok(list) => list,
        Err(e) => return tracing::warn!(error = %e, "cannot list subscriptions"),
    };
    for c in calendars {
        let Some(url) = c.source.clone() else { continue };
        match fetch(http, &url, allow_private).await {
            Ok(feed) => match core.apply_feed(&c, &feed).await {
                Ok(done) if done.written + done.removed > 0 => {
                    tracing::info!(calendar = %c.path, written = done.written, removed = done.removed, "feed refreshed")
                }
                Ok(_) => {}
                Err(e) => tracing::warn!(calendar = %c.path, error = %e, "feed not stored"),
            },
            // The calendar keeps what it had: a feed that is down empties nothing.
            Err(e) => tracing::warn!(calendar = %c.path, url, error = %e, "feed not fetched"),
        }
    }
}

/// Fetches a feed. Unless allowed, hosts that resolve to loopback, private or
/// link-local addresses are refused: a user must not make the server probe its
/// own network (request forgery).
async fn fetch(http: &reqwest::Client, url: &str, allow_private: bool) -> Result<String, String> {
    let parsed = reqwest::Url::parse(url).map_err(|e| e.to_string())?;
    if !allow_private {
        let host = parsed.host_str().ok_or("no host")?;
        let port = parsed.port_or_known_default().unwrap_or(80);
        let addrs = tokio::net::lookup_host((host, port)).await.map_err(|e| format!("{host}: {e}"))?;
        for a in addrs {
            if is_internal(a.ip()) {
                return Err(format!("{host} is an internal address ({}); see feeds_allow_private", a.ip()));
            }
        }
    }
    let mut response = http.get(parsed).send().await.map_err(|e| e.to_string())?;
    if !response.status().is_success() {
        return Err(format!("HTTP {}", response.status()));
    }
    let mut body = Vec::new();
    while let Some(chunk) = response.chunk().await.map_err(|e| e.to_string())? {
        body.extend_from_slice(&chunk);
        if body.len() > MAX_FEED_BYTES {
            return Err(format!("larger than {MAX_FEED_BYTES} bytes"));
        }
    }
    String::from_utf8(body).map_err(|_| "not UTF-8".into())
}

fn is_internal(ip: IpAddr) -> bool {
    match ip {
        IpAddr::V4(v4) => {
            v4.is_loopback() || v4.is_private() || v4.is_link_local() || v4.is_unspecified() || v4.is_broadcast()
        }
        IpAddr::V6(v6) => {
            v6.is_loopback()
                || v6.is_unspecified()
                || (v6.segments()[0] & 0xfe00) == 0xfc00
                || (v6.segments()[0] & 0xffc0) == 0xfe80
                || v6.to_ipv4_mapped().is_some_and(|v4| is_internal(IpAddr::V4(v4)))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::is_internal;

    #[test]
    fn internal_addresses() {
        for ip in
            ["127.0.0.1", "10.1.2.3", "192.168.0.1", "169.254.1.1", "::1", "fd00::1", "fe80::1", "::ffff:10.0.0.1"]
        {
            assert!(is_internal(ip.parse().unwrap()), "{ip}");
        }
        for ip in ["93.184.216.34", "2606:2800:220:1::1"] {
            assert!(!is_internal(ip.parse().unwrap()), "{ip}");
        }
    }
}
