//! WebDAV XML for Agora: parsing of PROPFIND/PROPPATCH/REPORT bodies and writing of
//! multistatus and `DAV:error` responses. Pure functions on bytes, no I/O, so that
//! every parser can be fuzzed.
//!
//! The CalDAV/CardDAV issue fills this crate; for now it holds the namespace
//! constants the rest of the workspace agrees on.

/// The WebDAV namespace (RFC 4918).
pub const NS_DAV: &str = "DAV:";
/// The CalDAV namespace (RFC 4791).
pub const NS_CALDAV: &str = "urn:ietf:params:xml:ns:caldav";
/// The CardDAV namespace (RFC 6352).
pub const NS_CARDDAV: &str = "urn:ietf:params:xml:ns:carddav";
/// Apple's CalendarServer namespace (getctag, sharing, proxies).
pub const NS_CALENDARSERVER: &str = "http://calendarserver.org/ns/";
