//! WebDAV, CalDAV and CardDAV XML for Agora: parsing of request bodies
//! (PROPFIND, PROPPATCH, MKCOL/MKCALENDAR, REPORT, LOCK), the `If` header,
//! and writing of `207 Multi-Status`, `<D:error>` and lock responses; and
//! reading another server's `207 Multi-Status` (`agora migrate`).
//!
//! # Design
//!
//! Pure functions on bytes: no I/O, no async, no other Agora crate, so that
//! every parser can be property-tested and fuzzed. Each parser reads the whole
//! body into a small internal tree (`tree.rs`, quick-xml's `NsReader`), with
//! names resolved to namespaces — prefixes never matter — and then walks the
//! tree. [`Limits`] (depth, number of properties/elements) are enforced while
//! reading; DOCTYPEs are refused, so entity-expansion bombs cannot happen. The
//! caller bounds the body size. Every failure is an [`XmlError`], which the
//! HTTP layer answers with 400.
//!
//! Unknown elements inside known containers are ignored, as RFC 4918 §17
//! asks; missing mandatory parts are refused with [`XmlError::Invalid`].
//!
//! Dead properties ([`DeadProperty`]) keep the client's XML verbatim as a
//! self-contained fragment (`fragment.rs`), so that they can be stored and
//! written back with the same infoset (RFC 4918 §4.3 asks servers to keep
//! dead property values, including attributes and xml:lang).
//!
//! # Layout
//!
//! - `name.rs` — [`PropName`] (Clark notation).
//! - `error.rs` — [`XmlError`], [`Limits`].
//! - `tree.rs`, `fragment.rs`, `element.rs` — the internal tree, verbatim
//!   fragments, [`DeadProperty`] and the public read-only [`Element`] tree.
//! - `propfind.rs`, `proppatch.rs`, `mkcol.rs`, `lock.rs` — one request kind each.
//! - `report/` — [`parse_report`] and one file per report family.
//! - `if_header.rs` — the `If` header.
//! - `write/` — [`MultistatusWriter`], [`Precondition`], [`error_body`].
//! - `multistatus.rs` — [`parse_multistatus`]: reading another server's 207
//!   (the client side, for `agora migrate`).

mod acl;
mod common;
mod element;
mod error;
mod escape;
mod fragment;
mod href;
mod if_header;
mod lock;
mod mkcol;
mod multistatus;
mod name;
mod propfind;
mod proppatch;
mod report;
mod sharing;
mod tree;
mod write;

pub use acl::{AcePrincipal, AceRequest, parse_acl};
pub use element::{DeadProperty, Element, Node};
pub use error::{Limits, XmlError};
pub use href::href;
pub use if_header::{Condition, ConditionKind, IfHeader, IfList, parse_if_header};
pub use lock::{
    ActiveLock, LockInfo, LockScope, SUPPORTED_LOCK_XML, activelocks_xml, lockdiscovery_xml, parse_lock_body,
};
pub use mkcol::{Mkcol, MkcolKind, parse_mkcol};
pub use multistatus::{MultistatusResponse, parse_multistatus};
pub use name::{ClarkError, PropName};
pub use propfind::{Propfind, parse_propfind};
pub use proppatch::{PropOp, parse_proppatch};
pub use report::{
    AddressDataRequest, CalendarDataRequest, CardFilter, CardPropFilter, Collation, CompFilter, CompSelect, ExpandItem,
    MatchType, ParamFilter, PropFilter, PropRequest, PropSelect, PropSelection, PropertySearch, Report, SyncLevel,
    Test, TextMatch, TimeRange, parse_report, parse_utc_datetime,
};
pub use sharing::{ShareLevel, Sharee, SharingPost, parse_sharing};
pub use write::{
    Content, DECLARED_NAMESPACES, MultistatusWriter, NeedPrivilege, Precondition, PropStat, PropValue, error_body,
    error_body_with, push_response, reason_phrase, status_line,
};

/// The WebDAV namespace (RFC 4918).
pub const NS_DAV: &str = "DAV:";
/// Agora's own namespace (the `reason` of an error body).
pub const NS_AGORA: &str = "urn:x-agora:ns";
/// The CalDAV namespace (RFC 4791).
pub const NS_CALDAV: &str = "urn:ietf:params:xml:ns:caldav";
/// The CardDAV namespace (RFC 6352).
pub const NS_CARDDAV: &str = "urn:ietf:params:xml:ns:carddav";
/// Apple's CalendarServer namespace (getctag, sharing, proxies).
pub const NS_CALENDARSERVER: &str = "http://calendarserver.org/ns/";
/// Apple's iCal namespace (calendar-color, calendar-order).
pub const NS_APPLE_ICAL: &str = "http://apple.com/ns/ical/";

/// Escapes text for XML character data (`&`, `<`, `>`; `\r` as `&#13;`;
/// characters XML cannot carry become U+FFFD), for callers building
/// [`Content::Raw`] values by hand.
pub fn escape_text(s: &str) -> String {
    escape::text(s)
}
