//! `<C:text-match>` / `<CARD:text-match>` (RFC 4791 §9.7.5, RFC 6352 §10.5.4).

use crate::common::yes_no;
use crate::error::XmlError;
use crate::tree::XElem;

/// A collation (RFC 4790) named by a text-match.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub enum Collation {
    /// `i;ascii-casemap`, the default (RFC 4791 §7.5.1).
    #[default]
    AsciiCasemap,
    /// `i;octet`.
    Octet,
    /// `i;unicode-casemap` (RFC 5051; RFC 6352 §8.3 requires it).
    UnicodeCasemap,
    /// Any other collation: the caller answers 403 with the
    /// `supported-collation` precondition (RFC 4791 §7.5.1, RFC 6352 §8.3).
    Other(String),
}

impl Collation {
    /// The collation for its registered name.
    pub fn from_name(name: &str) -> Collation {
        match name {
            "i;ascii-casemap" => Collation::AsciiCasemap,
            "i;octet" => Collation::Octet,
            "i;unicode-casemap" => Collation::UnicodeCasemap,
            other => Collation::Other(other.to_owned()),
        }
    }
}

/// How the text is compared (RFC 6352 §10.5.4 `match-type`). CalDAV only
/// knows substring matching, which is the default.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum MatchType {
    /// Substring match (the default).
    #[default]
    Contains,
    /// Whole-value match.
    Equals,
    /// Prefix match.
    StartsWith,
    /// Suffix match.
    EndsWith,
}

impl MatchType {
    /// Parses a `match-type` attribute value.
    pub fn from_name(name: &str) -> Option<MatchType> {
        match name.trim() {
            "contains" => Some(MatchType::Contains),
            "equals" => Some(MatchType::Equals),
            "starts-with" => Some(MatchType::StartsWith),
            "ends-with" => Some(MatchType::EndsWith),
            _ => None,
        }
    }

    /// The `match-type` attribute of `e`, if any.
    pub(crate) fn attr(e: &XElem) -> Result<Option<MatchType>, XmlError> {
        e.attr("match-type")
            .map(|v| MatchType::from_name(v).ok_or_else(|| XmlError::invalid(format!("unknown match-type {v:?}"))))
            .transpose()
    }
}

/// A text comparison.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct TextMatch {
    /// The text to look for, as sent (not trimmed).
    pub text: String,
    /// The `collation` attribute.
    pub collation: Collation,
    /// `negate-condition="yes"`.
    pub negate: bool,
    /// The `match-type` attribute (CardDAV; CalDAV always substring).
    pub match_type: MatchType,
}

impl TextMatch {
    pub(crate) fn parse(e: &XElem) -> Result<TextMatch, XmlError> {
        Ok(TextMatch {
            text: e.text(),
            collation: e.attr("collation").map(|c| Collation::from_name(c.trim())).unwrap_or_default(),
            negate: yes_no(e, "negate-condition", false)?,
            match_type: MatchType::attr(e)?.unwrap_or_default(),
        })
    }
}
