//! Fetching subscribed calendar feeds without letting users probe the server's
//! own network (request forgery).
//!
//! # Layout
//! - [`resolver`]: name resolution that drops refused addresses, so the address
//!   checked is the address connected to (no DNS rebinding).
//! - [`redirect`]: the scheme and IP-literal checks of the first URL and of
//!   every redirect, and the redirect limit.
//!
//! Which address is refused is decided once, by
//! [`agora_core::subscriptions::address::refusal`]. Proxies from the environment
//! (`HTTP_PROXY`, …) are not used: a proxy resolves names itself, out of the
//! filter's reach. Errors never carry the URL: feed URLs are secrets, and only
//! [`agora_core::subscriptions::redacted`] forms are logged.

mod redirect;
mod resolver;
#[cfg(test)]
mod tests;

use std::collections::HashMap;
use std::net::IpAddr;
use std::sync::Arc;
use std::time::Duration;

use agora_core::subscriptions::address::SpecialRange;

/// Largest feed fetched.
const MAX_FEED_BYTES: usize = 20 * 1024 * 1024;

/// Why a feed URL was not fetched before any byte was sent.
#[derive(Debug, Clone, thiserror::Error)]
pub enum Refusal {
    #[error("{host} has only refused addresses ({}); see feeds_allow_private", list(.addresses))]
    Resolved { host: String, addresses: Vec<(IpAddr, SpecialRange)> },
    #[error("{ip} is a refused address ({range}); see feeds_allow_private")]
    Literal { ip: IpAddr, range: SpecialRange },
    #[error("{0}: is not an http or https URL")]
    Scheme(String),
    #[error("the URL has no host")]
    NoHost,
    #[error("more than {0} redirects")]
    TooManyRedirects(usize),
    /// Redirect number `hop` (from 1) was refused.
    #[error("redirect {hop}: {refusal}")]
    Redirect { hop: usize, refusal: Box<Refusal> },
}

fn list(addresses: &[(IpAddr, SpecialRange)]) -> String {
    addresses.iter().map(|(ip, range)| format!("{ip}: {range}")).collect::<Vec<_>>().join(", ")
}

/// A feed not fetched. The messages name no URL (at most a host name or
/// address), so that they can be logged.
#[derive(Debug, thiserror::Error)]
pub enum FetchError {
    #[error("refused: {0}")]
    Refused(Refusal),
    #[error("invalid URL: {0}")]
    Url(String),
    #[error("HTTP status {0}")]
    Status(reqwest::StatusCode),
    #[error("larger than {MAX_FEED_BYTES} bytes")]
    TooLarge,
    #[error("not UTF-8")]
    NotUtf8,
    #[error("{0}")]
    Http(String),
}

impl From<reqwest::Error> for FetchError {
    /// A refusal made inside reqwest (by the resolver or the redirect policy) is
    /// reported as such; other errors by their chain of causes, without the URL.
    fn from(e: reqwest::Error) -> Self {
        let e = e.without_url();
        let mut causes = vec![e.to_string()];
        let mut source = std::error::Error::source(&e);
        while let Some(cause) = source {
            if let Some(refused) = cause.downcast_ref::<Refusal>() {
                return FetchError::Refused(refused.clone());
            }
            causes.push(cause.to_string());
            source = cause.source();
        }
        FetchError::Http(causes.join(": "))
    }
}

/// The HTTP client of feed fetches.
pub struct Fetcher {
    http: reqwest::Client,
    allow_private: bool,
}

impl Fetcher {
    /// `allow_private` is `feeds_allow_private`; `pinned` maps host names to the
    /// addresses the administrator chose for them (`feeds_resolve`), used
    /// without lookup or filter.
    pub fn new(allow_private: bool, pinned: HashMap<String, Vec<IpAddr>>) -> Fetcher {
        let resolver = resolver::FilteringResolver { allow_private, pinned };
        let http = reqwest::Client::builder()
            .connect_timeout(Duration::from_secs(10))
            .timeout(Duration::from_secs(30))
            .redirect(redirect::policy(allow_private))
            .dns_resolver(Arc::new(resolver))
            .no_proxy()
            .user_agent(concat!("Agora/", env!("CARGO_PKG_VERSION")))
            .build()
            .expect("an HTTP client");
        Fetcher { http, allow_private }
    }

    /// The feed at `url`, as text.
    pub async fn fetch(&self, url: &str) -> Result<String, FetchError> {
        // The parser's messages never quote the input.
        let parsed = reqwest::Url::parse(url).map_err(|e| FetchError::Url(e.to_string()))?;
        redirect::check_url(&parsed, self.allow_private).map_err(FetchError::Refused)?;
        let mut response = self.http.get(parsed).send().await?;
        if !response.status().is_success() {
            return Err(FetchError::Status(response.status()));
        }
        let mut body = Vec::new();
        while let Some(chunk) = response.chunk().await? {
            body.extend_from_slice(&chunk);
            if body.len() > MAX_FEED_BYTES {
                return Err(FetchError::TooLarge);
            }
        }
        String::from_utf8(body).map_err(|_| FetchError::NotUtf8)
    }
}
