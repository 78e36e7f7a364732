//! The URL space and its encoding.
//!
//! ```text
//! /                                   root (current-user-principal lives here)
//! /.well-known/caldav, …/carddav      redirect to / (RFC 6764)
//! /principals/                        principal collection
//! /principals/NAME/                   a user, group or resource
//! /calendars/NAME/…                   calendar home and below   } stored paths,
//! /addressbooks/NAME/…                address-book home and below } see agora_core::resources
//! ```
//!
//! Paths are percent-decoded once, segment by segment (`%40` for `@`, `%20` for a
//! space, never `+`); a segment that decodes to `/`, `.` or `..`, or to invalid
//! UTF-8, is refused. Collection URLs end with `/`, but a request without the slash
//! is served, not redirected (interop note).

use percent_encoding::percent_decode_str;

/// Where a request points.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Target {
    /// `/`
    Root,
    /// `/.well-known/caldav` or `/.well-known/carddav`
    WellKnown,
    /// `/principals/`
    Principals,
    /// `/principals/NAME/`
    Principal(String),
    /// `/principals/NAME/calendar-proxy-read/` (false) or `…-write/` (true).
    Proxy(String, bool),
    /// Below a home: the decoded path without leading slash. `slash` tells whether
    /// the request ended with `/`.
    Stored {
        /// Decoded path, no leading slash, no trailing slash.
        path: String,
        /// The URL ended with a slash.
        slash: bool,
    },
    /// Anything else.
    Unknown,
}

/// A path that cannot be decoded safely.
#[derive(Debug, PartialEq, Eq)]
pub struct BadPath(pub String);

/// Decodes and classifies a request path.
pub fn parse(raw: &str) -> Result<Target, BadPath> {
    let slash = raw.ends_with('/');
    let mut segments = Vec::new();
    for seg in raw.split('/').filter(|s| !s.is_empty()) {
        let decoded =
            percent_decode_str(seg).decode_utf8().map_err(|_| BadPath(format!("{raw:?} is not UTF-8 once decoded")))?;
        if decoded == "." || decoded == ".." || decoded.contains('/') {
            return Err(BadPath(format!("{raw:?} has a forbidden segment")));
        }
        // A name is shown in listings, logs and exported file names, where a
        // newline or escape forges lines; clients choose names freely (RFC 4791
        // §5.3.2), so one that derived a name from a UID holding a newline can
        // pick another. The UID inside the object may hold anything.
        if decoded.chars().any(char::is_control) {
            return Err(BadPath(format!("{raw:?}: a resource name may not contain control characters (%00-%1F, %7F)")));
        }
        segments.push(decoded.into_owned());
    }
    Ok(match segments.first().map(String::as_str) {
        None => Target::Root,
        Some(".well-known") if segments.len() == 2 && matches!(segments[1].as_str(), "caldav" | "carddav") => {
            Target::WellKnown
        }
        Some("principals") if segments.len() == 1 => Target::Principals,
        Some("principals") if segments.len() == 2 => Target::Principal(segments[1].to_lowercase()),
        Some("principals")
            if segments.len() == 3
                && matches!(segments[2].as_str(), "calendar-proxy-read" | "calendar-proxy-write") =>
        {
            Target::Proxy(segments[1].to_lowercase(), segments[2] == "calendar-proxy-write")
        }
        Some("calendars" | "addressbooks") => Target::Stored { path: segments.join("/"), slash },
        _ => Target::Unknown,
    })
}

pub use agora_dav_xml::href;

/// The href of a user's calendar-proxy group.
pub fn proxy_href(name: &str, write: bool) -> String {
    href(&format!("principals/{name}/calendar-proxy-{}/", if write { "write" } else { "read" }))
}

/// The href of a principal.
pub fn principal_href(name: &str) -> String {
    href(&format!("principals/{name}/"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn classification() {
        assert_eq!(parse("/").unwrap(), Target::Root);
        assert_eq!(parse("").unwrap(), Target::Root);
        assert_eq!(parse("/.well-known/caldav").unwrap(), Target::WellKnown);
        assert_eq!(parse("/principals").unwrap(), Target::Principals);
        assert_eq!(parse("/principals/Jane%40Example.org/").unwrap(), Target::Principal("jane@example.org".into()));
        assert_eq!(
            parse("/calendars/alice/work").unwrap(),
            Target::Stored { path: "calendars/alice/work".into(), slash: false }
        );
        assert_eq!(
            parse("/calendars/alice/a%20b+c.ics").unwrap(),
            Target::Stored { path: "calendars/alice/a b+c.ics".into(), slash: false },
            "+ is a plus, never a space"
        );
        assert_eq!(parse("/files/x").unwrap(), Target::Unknown);
    }

    #[test]
    fn dangerous_segments_are_refused() {
        for bad in [
            "/calendars/alice/%2e%2e/bob/",
            "/calendars/a%2Fb/",
            "/calendars/%ff/",
            "/calendars/../x",
            "/calendars/a%0Ab",
        ] {
            assert!(parse(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn hrefs_encode_what_must_be() {
        assert_eq!(href("calendars/jane@example.org/a b/"), "/calendars/jane@example.org/a%20b/");
        assert_eq!(href("calendars/x/100%.ics"), "/calendars/x/100%25.ics");
        assert_eq!(principal_href("alice"), "/principals/alice/");
        let round = parse(&href("calendars/x/é ü?#.ics")).unwrap();
        assert_eq!(round, Target::Stored { path: "calendars/x/é ü?#.ics".into(), slash: false });
    }
}
