//! The error every parser returns, and the limits every parser enforces.

/// Why a request body (or `If` header) was refused. Every variant but
/// [`XmlError::InvalidFilter`] maps to `400 Bad Request` in the HTTP layer; `Display` gives a human message.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum XmlError {
    /// The body is not well-formed (namespace-well-formed) XML, or uses a
    /// forbidden construct such as a DOCTYPE. The message says why and, when
    /// known, at which byte offset.
    #[error("malformed XML: {0}")]
    Malformed(String),
    /// Elements are nested deeper than [`Limits::max_depth`].
    #[error("XML nested too deeply")]
    TooDeep,
    /// More properties, hrefs, filters or elements than [`Limits`] allow.
    #[error("too many properties or elements in the request")]
    TooManyProperties,
    /// The document element is not the one this request kind needs.
    #[error("unexpected document element {found}, expected {expected}")]
    UnexpectedRoot {
        /// The expected root, in Clark notation (e.g. `{DAV:}propfind`).
        expected: &'static str,
        /// The root that was found, in Clark notation.
        found: String,
    },
    /// A report's filter that breaks RFC 4791 §9.7 / RFC 6352 §10.5 (nesting,
    /// a time-range where none applies, conflicting tests, non-UTC times): the
    /// HTTP layer answers 403 with `valid-filter` in the CalDAV or CardDAV
    /// namespace instead of 400.
    #[error("invalid filter: {reason}")]
    InvalidFilter {
        /// Whether the filter is CardDAV's.
        card: bool,
        /// What is wrong.
        reason: String,
    },
    /// Well-formed XML that does not follow the grammar of the request.
    #[error("invalid request: {0}")]
    Invalid(String),
}

impl XmlError {
    pub(crate) fn invalid(msg: impl Into<String>) -> Self {
        XmlError::Invalid(msg.into())
    }
}

/// Resource limits applied while parsing. The body size itself is checked by
/// the caller before any parser runs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    /// Maximum element nesting depth (the document element is depth 1). It
    /// also bounds recursion in the parsers, so keep it modest (default 32).
    pub max_depth: usize,
    /// Maximum number of properties (and of other repeated items: hrefs,
    /// filters, PROPPATCH operations) in one request. The total number of
    /// elements in a document is bounded by 64 times this value.
    pub max_properties: usize,
}

impl Default for Limits {
    fn default() -> Self {
        Limits { max_depth: 32, max_properties: 1000 }
    }
}

impl Limits {
    /// The bound on the total number of elements of one document.
    pub(crate) fn max_elements(&self) -> usize {
        self.max_properties.saturating_mul(64).max(1024)
    }
}

/// Counts repeated items against [`Limits::max_properties`].
pub(crate) struct Budget {
    left: usize,
}

impl Budget {
    pub(crate) fn new(limits: &Limits) -> Self {
        Budget { left: limits.max_properties }
    }

    /// Takes one item from the budget.
    pub(crate) fn take(&mut self) -> Result<(), XmlError> {
        self.left = self.left.checked_sub(1).ok_or(XmlError::TooManyProperties)?;
        Ok(())
    }
}
