//! Calendars subscribed to external iCalendar feeds (webcal): the user creates a
//! calendar naming its source (MKCALENDAR or extended MKCOL with CS:source, or
//! Apple's CS:subscribed resource type); the server fetches the feed on a schedule
//! (the binary's refresh task) and keeps one object per UID, so every client
//! syncs it like any calendar, read-only.
//!
//! Feed URLs are secrets (Google's and Outlook's private addresses carry a token
//! in the path or query): only [`redacted`] forms reach logs and error messages.
//! [`address`] decides which hosts a feed may be fetched from.

pub mod address;

use std::collections::HashMap;

use agora_store::{Collection, CollectionKind, Components, NewObject};

use crate::Core;
use crate::error::{CoreError, Result};
use crate::gal::Refreshed;
use crate::resources::{Resources, etag, validate};

/// A feed URL as stored: `webcal://` and `webcals://` become `http://` and
/// `https://` (the webcal scheme only tells the OS to open a calendar program).
pub fn normalise_source(url: &str) -> Result<String> {
    let url = url.trim();
    let lower = url.to_ascii_lowercase();
    let rest = |n: usize| &url[n..];
    let normal = if lower.starts_with("webcals://") {
        format!("https://{}", rest(10))
    } else if lower.starts_with("webcal://") {
        format!("http://{}", rest(9))
    } else if lower.starts_with("http://") || lower.starts_with("https://") {
        url.to_owned()
    } else {
        return Err(CoreError::Invalid(format!("{url:?} is not an http(s) or webcal URL")));
    };
    let host = normal.split("://").nth(1).and_then(|r| r.split(['/', '?', '#']).next()).unwrap_or_default();
    if host.is_empty() || normal.chars().any(|c| c.is_whitespace() || c.is_control()) {
        return Err(CoreError::Invalid(format!("{url:?} is not a valid URL")));
    }
    Ok(normal)
}

/// What of a feed URL may be shown in logs and error messages: the scheme and
/// the host with its port, `scheme://host:port/`; the user information, path,
/// query and fragment may hold a secret and are dropped.
pub fn redacted(url: &str) -> String {
    let Some((scheme, rest)) = url.trim().split_once("://") else { return "(not a URL)".into() };
    // The authority ends at the first of these (a backslash too: WHATWG URL parsing
    // reads it as a slash in http URLs).
    let authority = rest.split(['/', '?', '#', '\\']).next().unwrap_or_default();
    // User information runs to the last `@` of the authority.
    let host = authority.rsplit_once('@').map_or(authority, |(_, host)| host);
    let scheme = scheme.to_ascii_lowercase();
    if !scheme.bytes().all(|b| b.is_ascii_alphanumeric() || b"+-.".contains(&b)) {
        return "(not a URL)".into();
    }
    format!("{scheme}://{host}/")
}

impl Resources<'_> {
    /// Creates a calendar at `path` filled from the feed at `url`.
    pub async fn subscribe(&self, path: &str, url: &str, properties: Vec<(String, String)>) -> Result<Collection> {
        let source = normalise_source(url)?;
        let all = Components(Components::EVENT | Components::TODO | Components::JOURNAL);
        let c = self.create_collection_from(path, CollectionKind::Calendar, all, properties, Some(source)).await?;
        self.core.subscriptions_changed.notify_one();
        Ok(c)
    }
}

impl Core {
    /// Every subscribed calendar.
    pub async fn subscriptions(&self) -> Result<Vec<Collection>> {
        Ok(self.store.subscribed_collections().await?)
    }

    /// Woken when a subscription is created, so that it is fetched at once.
    pub fn subscriptions_changed(&self) -> &tokio::sync::Notify {
        &self.subscriptions_changed
    }

    /// Makes a subscribed calendar hold exactly the feed's objects: only those
    /// whose bytes changed are written. Objects the calendar would refuse (invalid,
    /// too large) are skipped and counted in the log.
    pub async fn apply_feed(&self, c: &Collection, feed: &str) -> Result<Refreshed> {
        let mut wanted: HashMap<String, NewObject> = HashMap::new();
        let mut skipped = 0;
        for (uid, text) in agora_ical::feed::split(feed) {
            if text.len() as u64 > self.config.max_resource_size {
                skipped += 1;
                continue;
            }
            match validate::calendar(c, text.into_bytes(), None) {
                Ok(object) => {
                    wanted.insert(format!("{}.ics", &etag(uid.as_bytes())[..20]), object);
                }
                Err(_) => skipped += 1,
            }
        }
        if skipped > 0 {
            tracing::warn!(calendar = %c.path, skipped, "feed objects refused");
        }
        self.replace_contents(c.id, wanted).await
    }
}

#[cfg(test)]
mod tests {
    use super::{normalise_source, redacted};

    #[test]
    fn sources() {
        assert_eq!(normalise_source("webcal://x.org/a.ics").unwrap(), "http://x.org/a.ics");
        assert_eq!(normalise_source("WEBCALS://x.org/a.ics").unwrap(), "https://x.org/a.ics");
        assert_eq!(normalise_source(" https://x.org/a.ics ").unwrap(), "https://x.org/a.ics");
        for bad in ["ftp://x.org/a", "file:///etc/passwd", "http:///a", "http://x y.org/", "x.org"] {
            assert!(normalise_source(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn redaction_keeps_only_scheme_and_host() {
        for (url, shown) in [
            (
                "https://calendar.google.com/calendar/ical/x%40gmail.com/private-0123abcd/basic.ics",
                "https://calendar.google.com/",
            ),
            (
                "https://outlook.office365.com/owa/calendar/abc@example.org/S3CR3T/calendar.ics",
                "https://outlook.office365.com/",
            ),
            ("http://feeds.example:8080/cal.ics?token=S3CR3T#x", "http://feeds.example:8080/"),
            ("https://user:pa%40ss@feeds.example/cal.ics", "https://feeds.example/"),
            ("https://a@b@feeds.example?k=S3CR3T", "https://feeds.example/"),
            ("http://[::1]:8000/S3CR3T", "http://[::1]:8000/"),
            ("http://feeds.example\\S3CR3T@evil.example/", "http://feeds.example/"),
            ("HTTP://feeds.example", "http://feeds.example/"),
            ("S3CR3T", "(not a URL)"),
            ("S3CR3T/x://y", "(not a URL)"),
        ] {
            assert_eq!(redacted(url), shown, "{url}");
        }
    }
}
