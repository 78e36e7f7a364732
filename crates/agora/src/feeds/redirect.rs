//! What a feed URL may point at before any connection is made: http or https
//! only, and an IP-literal host only outside the refused ranges (reqwest calls
//! no resolver for literals, so [`super::resolver`] never sees them). Checked
//! for the first URL and, through the redirect policy, for every redirect.

use std::net::IpAddr;

use agora_core::subscriptions::address;
use reqwest::Url;
use reqwest::redirect::Policy;

use super::Refusal;

/// Redirects followed before giving up (a feed moved once or twice is common;
/// a longer chain is a loop or a probe).
pub(super) const MAX_REDIRECTS: usize = 5;

/// Follows at most [`MAX_REDIRECTS`] redirects, each checked by [`check_url`].
pub(super) fn policy(allow_private: bool) -> Policy {
    Policy::custom(move |attempt| {
        if attempt.previous().len() > MAX_REDIRECTS {
            return attempt.error(Refusal::TooManyRedirects(MAX_REDIRECTS));
        }
        match check_url(attempt.url(), allow_private) {
            Ok(()) => attempt.follow(),
            Err(refused) => {
                let hop = attempt.previous().len();
                attempt.error(Refusal::Redirect { hop, refusal: Box::new(refused) })
            }
        }
    })
}

/// Refuses a URL that is not http(s), has no host, or names a refused address
/// as its host.
pub(super) fn check_url(url: &Url, allow_private: bool) -> Result<(), Refusal> {
    if !matches!(url.scheme(), "http" | "https") {
        return Err(Refusal::Scheme(url.scheme().to_owned()));
    }
    let host = url.host_str().ok_or(Refusal::NoHost)?;
    if let Some(ip) = literal(host)
        && let Some(range) = address::refusal(ip, allow_private)
    {
        return Err(Refusal::Literal { ip, range });
    }
    Ok(())
}

/// The address of an IP-literal host as the URL parser normalised it (decimal,
/// octal and hexadecimal IPv4 forms are already dotted quads; IPv6 is bracketed).
fn literal(host: &str) -> Option<IpAddr> {
    host.strip_prefix('[').and_then(|h| h.strip_suffix(']')).unwrap_or(host).parse().ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn urls_are_checked_before_connecting() {
        for (url, allow_private, ok) in [
            ("https://calendar.example/a.ics", false, true),
            ("http://93.184.216.34/a.ics", false, true),
            ("http://127.0.0.1:8000/a.ics", false, false),
            ("http://127.0.0.1:8000/a.ics", true, true),
            // The URL parser turns these into 127.0.0.1 and ::ffff:7f00:1.
            ("http://2130706433/a.ics", false, false),
            ("http://0x7f.1/a.ics", false, false),
            ("http://[::ffff:127.0.0.1]/a.ics", false, false),
            ("http://[::1]/a.ics", false, false),
            ("http://[fd00::1]/a.ics", true, true),
            ("http://169.254.169.254/latest/meta-data/", false, false),
            ("http://169.254.169.254/latest/meta-data/", true, false),
            ("http://0.0.0.0:8008/", true, false),
            ("http://[ff02::1]/", true, false),
            ("ftp://calendar.example/a.ics", true, false),
            ("file:///etc/passwd", true, false),
        ] {
            let parsed = Url::parse(url).unwrap();
            assert_eq!(check_url(&parsed, allow_private).is_ok(), ok, "{url} (allow_private: {allow_private})");
        }
    }
}
