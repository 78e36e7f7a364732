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
use url::Url;

use self::address::FeedPolicy;
use crate::Core;
use crate::error::{CoreError, Result, Rule};
use crate::gal::Refreshed;
use crate::resources::{Resources, etag, validate};

/// A feed URL as stored: `webcal://` and `webcals://` become `http://` and
/// `https://` (the webcal scheme only tells the OS to open a calendar program).
/// Anything else, or what does not parse as a URL with a host, is refused with
/// [`Rule::FeedSource`] (the reason shows only the redacted URL).
pub fn normalise_source(url: &str) -> Result<String> {
    let url = url.trim();
    let lower = url.to_ascii_lowercase();
    let rest = |n: usize| &url[n..];
    let refused = |why: &str| CoreError::Rule(Rule::FeedSource(format!("feed URL {} {why}: refused", redacted(url))));
    let normal = if lower.starts_with("webcals://") {
        format!("https://{}", rest(10))
    } else if lower.starts_with("webcal://") {
        format!("http://{}", rest(9))
    } else if lower.starts_with("http://") || lower.starts_with("https://") {
        url.to_owned()
    } else {
        return Err(refused("is not http, https or webcal"));
    };
    let host = normal.split("://").nth(1).and_then(|r| r.split(['/', '?', '#']).next()).unwrap_or_default();
    if host.is_empty() || normal.chars().any(|c| c.is_whitespace() || c.is_control()) {
        return Err(refused("is not a valid URL"));
    }
    // The parser's messages never quote the input.
    Url::parse(&normal).map_err(|e| refused(&format!("is not a valid URL ({e})")))?;
    Ok(normal)
}

/// [`normalise_source`], then refuses a host judged inside the server's
/// network without a lookup ([`address::host_refusal`]).
pub fn checked_source(url: &str, policy: &FeedPolicy) -> Result<String> {
    let normal = normalise_source(url)?;
    let parsed = Url::parse(&normal).map_err(|e| CoreError::Invalid(e.to_string()))?;
    match address::host_refusal(&parsed, policy) {
        Some(refused) => Err(Rule::FeedSource(refused.to_string()).into()),
        None => Ok(normal),
    }
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

/// The outcome of the last fetch of a subscribed calendar's feed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FeedStatus {
    /// When it was tried (Unix seconds).
    pub at: i64,
    /// Why it failed (naming at most the feed's host), `None` if it succeeded.
    pub error: Option<String>,
}

impl Resources<'_> {
    /// Creates a calendar at `path` filled from the feed at `url`, unless the
    /// URL is refused ([`checked_source`]).
    pub async fn subscribe(&self, path: &str, url: &str, properties: Vec<(String, String)>) -> Result<Collection> {
        let source = checked_source(url, &self.core.config.feeds)?;
        let all = Components(Components::EVENT | Components::TODO | Components::JOURNAL);
        let c = self.create_collection_from(path, CollectionKind::Calendar, all, properties, Some(source)).await?;
        self.core.subscriptions_changed.notify_one();
        Ok(c)
    }

    /// The outcome of the last fetch of `c`'s feed, for those who may read `c`;
    /// `None` before the first fetch or when `c` is not subscribed.
    pub async fn feed_status(&self, c: &Collection) -> Result<Option<FeedStatus>> {
        if !c.source.as_deref().is_some_and(|s| s.starts_with("http")) {
            return Ok(None);
        }
        self.authorize(c, crate::Access::Read).await?;
        let status = self.store().feed_status(c.id).await?;
        Ok(status.map(|(at, error)| FeedStatus { at, error }))
    }
}

impl Core {
    /// Every subscribed calendar.
    pub async fn subscriptions(&self) -> Result<Vec<Collection>> {
        Ok(self.store.subscribed_collections().await?)
    }

    /// Records the outcome of a fetch of `c`'s feed, now: `error` is why it
    /// failed (it must not hold the URL, which may be secret), `None` if the
    /// feed was fetched and stored.
    pub async fn record_feed_fetch(&self, c: &Collection, error: Option<&str>) -> Result<()> {
        Ok(self.store.set_feed_status(c.id, crate::now(), error).await?)
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
    use super::address::FeedPolicy;
    use super::{checked_source, normalise_source, redacted};
    use crate::{CoreError, Rule};

    #[test]
    fn sources() {
        assert_eq!(normalise_source("webcal://x.org/a.ics").unwrap(), "http://x.org/a.ics");
        assert_eq!(normalise_source("WEBCALS://x.org/a.ics").unwrap(), "https://x.org/a.ics");
        assert_eq!(normalise_source(" https://x.org/a.ics ").unwrap(), "https://x.org/a.ics");
        for (bad, why) in [
            ("ftp://x.org/a", "feed URL ftp://x.org/ is not http, https or webcal: refused"),
            ("file:///etc/passwd", "feed URL file:/// is not http, https or webcal: refused"),
            ("x.org", "feed URL (not a URL) is not http, https or webcal: refused"),
            ("http:///a", "feed URL http:/// is not a valid URL: refused"),
            ("http://x y.org/", "feed URL http://x y.org/ is not a valid URL: refused"),
            (
                "http://x.org:99999/a?k=S3CR3T",
                "feed URL http://x.org:99999/ is not a valid URL (invalid port number): refused",
            ),
        ] {
            match normalise_source(bad) {
                Err(CoreError::Rule(Rule::FeedSource(reason))) => assert_eq!(reason, why, "{bad}"),
                other => panic!("{bad}: {other:?}"),
            }
        }
    }

    #[test]
    fn sources_inside_the_network_are_refused_without_a_lookup() {
        let closed = FeedPolicy::default();
        let reason = |url: &str, policy: &FeedPolicy| match checked_source(url, policy) {
            Err(CoreError::Rule(Rule::FeedSource(reason))) => Some(reason),
            Err(other) => panic!("{url}: {other:?}"),
            Ok(_) => None,
        };
        assert_eq!(
            reason("webcal://169.254.169.254/latest/x.ics", &closed).as_deref(),
            Some("feed address 169.254.169.254 is link-local: refused")
        );
        assert_eq!(
            reason("webcals://0x7f.1/x.ics", &closed).as_deref(),
            Some("feed address 127.0.0.1 is loopback: refused")
        );
        let open = FeedPolicy { allow_private: true, ..Default::default() };
        assert_eq!(checked_source("webcal://127.0.0.1:1/x.ics", &open).unwrap(), "http://127.0.0.1:1/x.ics");
        assert_eq!(checked_source("webcals://feeds.example/x.ics", &closed).unwrap(), "https://feeds.example/x.ics");
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
