//! Qualified XML names: [`PropName`].

use std::fmt;
use std::str::FromStr;

use crate::{NS_APPLE_ICAL, NS_CALDAV, NS_CALENDARSERVER, NS_CARDDAV, NS_DAV};

/// A namespace-qualified XML name: a WebDAV property name, an element name or
/// an attribute name. Prefixes never matter, only the namespace URI does.
///
/// Ordered by namespace then local name; displayed in Clark notation
/// (`{DAV:}displayname`, or just `local` when the namespace is empty).
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct PropName {
    /// The namespace URI; empty for a name in no namespace.
    pub ns: String,
    /// The local name.
    pub local: String,
}

impl PropName {
    /// A name in namespace `ns`.
    pub fn new(ns: impl Into<String>, local: impl Into<String>) -> Self {
        PropName { ns: ns.into(), local: local.into() }
    }

    /// A name in the `DAV:` namespace.
    pub fn dav(local: impl Into<String>) -> Self {
        Self::new(NS_DAV, local)
    }

    /// A name in the CalDAV namespace.
    pub fn caldav(local: impl Into<String>) -> Self {
        Self::new(NS_CALDAV, local)
    }

    /// A name in the CardDAV namespace.
    pub fn carddav(local: impl Into<String>) -> Self {
        Self::new(NS_CARDDAV, local)
    }

    /// A name in Apple's CalendarServer namespace.
    pub fn calendarserver(local: impl Into<String>) -> Self {
        Self::new(NS_CALENDARSERVER, local)
    }

    /// A name in Apple's iCal namespace (calendar-color, calendar-order).
    pub fn apple_ical(local: impl Into<String>) -> Self {
        Self::new(NS_APPLE_ICAL, local)
    }

    /// Whether this is `{ns}local`.
    pub fn is(&self, ns: &str, local: &str) -> bool {
        self.ns == ns && self.local == local
    }

    /// The name in Clark notation, as [`Display`](fmt::Display) writes it.
    pub fn clark(&self) -> String {
        self.to_string()
    }

    /// Parses Clark notation: `{ns}local`, `{}local` or `local`. The local
    /// name must be a plausible XML NCName (no whitespace, markup characters
    /// or colon), so that a parsed name can always be written back as XML.
    pub fn parse_clark(s: &str) -> Option<Self> {
        let (ns, local) = match s.strip_prefix('{') {
            Some(rest) => rest.split_once('}')?,
            None => ("", s),
        };
        if !is_ncname(local) || ns.contains(['{', '}']) {
            return None;
        }
        Some(PropName::new(ns, local))
    }
}

impl fmt::Display for PropName {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.ns.is_empty() { f.write_str(&self.local) } else { write!(f, "{{{}}}{}", self.ns, self.local) }
    }
}

/// The error of [`PropName::from_str`].
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("not a name in Clark notation: {0:?}")]
pub struct ClarkError(pub String);

impl FromStr for PropName {
    type Err = ClarkError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        PropName::parse_clark(s).ok_or_else(|| ClarkError(s.to_owned()))
    }
}

/// A conservative NCName check: non-empty, does not start with a digit, `-`
/// or `.`, and holds no whitespace, colon or markup character.
pub(crate) fn is_ncname(s: &str) -> bool {
    let Some(first) = s.chars().next() else { return false };
    if first.is_ascii_digit() || first == '-' || first == '.' {
        return false;
    }
    s.chars().all(|c| {
        !c.is_whitespace()
            && !c.is_control()
            && !matches!(c, ':' | '<' | '>' | '&' | '"' | '\'' | '/' | '=' | '{' | '}' | '!' | '?')
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn clark_round_trip() {
        let n = PropName::dav("displayname");
        assert_eq!(n.to_string(), "{DAV:}displayname");
        assert_eq!("{DAV:}displayname".parse::<PropName>().unwrap(), n);
        assert_eq!(PropName::parse_clark("x").unwrap(), PropName::new("", "x"));
        assert_eq!(PropName::parse_clark("{}x").unwrap(), PropName::new("", "x"));
        assert_eq!(PropName::new("", "x").to_string(), "x");
        for bad in ["", "{DAV:", "{DAV:}", "{DAV:}a b", "{DAV:}<x", "{a}b}c", "{DAV:}1x", "a:b"] {
            assert!(PropName::parse_clark(bad).is_none(), "{bad}");
        }
    }

    #[test]
    fn ordering_is_by_namespace_then_local() {
        let mut v = vec![PropName::caldav("a"), PropName::dav("b"), PropName::dav("a")];
        v.sort();
        assert_eq!(v, vec![PropName::dav("a"), PropName::dav("b"), PropName::caldav("a")]);
    }
}
