//! LOCK request bodies (RFC 4918 §9.10, §14.11) and the `lockdiscovery`
//! response (§14.16, §14.1).

use crate::common::{document, is_dav};
use crate::error::{Limits, XmlError};
use crate::fragment::content;
use crate::write::push_href;

/// `<D:lockscope>`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LockScope {
    /// `<D:exclusive/>`.
    Exclusive,
    /// `<D:shared/>`.
    Shared,
}

/// A parsed `<D:lockinfo>`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LockInfo {
    /// The requested scope.
    pub scope: LockScope,
    /// The content of `<D:owner>`, verbatim XML (child elements are
    /// self-contained fragments, text is escaped), to be returned unchanged in
    /// lockdiscovery (§14.17).
    pub owner: Option<String>,
}

/// Parses a LOCK body. `Ok(None)` for an empty body, which is a lock refresh
/// (§9.10.2). `<!ELEMENT lockinfo (lockscope, locktype, owner?)>`; the only
/// lock type is `write`.
pub fn parse_lock_body(body: &[u8], limits: &Limits) -> Result<Option<LockInfo>, XmlError> {
    let Some(root) = document(body, limits)? else { return Ok(None) };
    if !is_dav(&root, "lockinfo") {
        return Err(XmlError::UnexpectedRoot { expected: "{DAV:}lockinfo", found: root.name.to_string() });
    }
    let scope_elem =
        root.child("DAV:", "lockscope").ok_or_else(|| XmlError::invalid("lockinfo needs <D:lockscope>"))?;
    let scope = if scope_elem.child("DAV:", "exclusive").is_some() {
        LockScope::Exclusive
    } else if scope_elem.child("DAV:", "shared").is_some() {
        LockScope::Shared
    } else {
        return Err(XmlError::invalid("<D:lockscope> needs <D:exclusive/> or <D:shared/>"));
    };
    let locktype = root.child("DAV:", "locktype").ok_or_else(|| XmlError::invalid("lockinfo needs <D:locktype>"))?;
    if locktype.child("DAV:", "write").is_none() {
        return Err(XmlError::invalid("the only supported lock type is <D:write/>"));
    }
    let owner = root.child("DAV:", "owner").map(content);
    Ok(Some(LockInfo { scope, owner }))
}

/// An active lock, as reported in `<D:lockdiscovery>`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ActiveLock {
    /// Exclusive or shared.
    pub scope: LockScope,
    /// Depth infinity (a collection lock) or depth 0.
    pub depth_infinity: bool,
    /// `<D:owner>` content as [`LockInfo::owner`] gave it (verbatim XML).
    pub owner: Option<String>,
    /// Seconds left, `None` for `Infinite`.
    pub timeout_secs: Option<u64>,
    /// The lock token URI, e.g. `urn:uuid:…`.
    pub token: String,
    /// The lock root URL.
    pub root: String,
}

/// The `<D:activelock>` elements of a `lockdiscovery` property value (the
/// `D` prefix must be bound to `DAV:`), for PROPFIND.
pub fn activelocks_xml(locks: &[ActiveLock]) -> String {
    let mut out = String::new();
    for lock in locks {
        out.push_str("<D:activelock><D:locktype><D:write/></D:locktype><D:lockscope>");
        out.push_str(match lock.scope {
            LockScope::Exclusive => "<D:exclusive/>",
            LockScope::Shared => "<D:shared/>",
        });
        out.push_str("</D:lockscope><D:depth>");
        out.push_str(if lock.depth_infinity { "infinity" } else { "0" });
        out.push_str("</D:depth>");
        if let Some(owner) = &lock.owner {
            out.push_str("<D:owner>");
            out.push_str(owner);
            out.push_str("</D:owner>");
        }
        out.push_str("<D:timeout>");
        match lock.timeout_secs {
            Some(secs) => out.push_str(&format!("Second-{secs}")),
            None => out.push_str("Infinite"),
        }
        out.push_str("</D:timeout><D:locktoken>");
        push_href(&mut out, &lock.token);
        out.push_str("</D:locktoken><D:lockroot>");
        push_href(&mut out, &lock.root);
        out.push_str("</D:lockroot></D:activelock>");
    }
    out
}

/// The body of a successful LOCK response (RFC 4918 §9.10.1):
/// `<D:prop><D:lockdiscovery><D:activelock>…`.
pub fn lockdiscovery_xml(locks: &[ActiveLock]) -> String {
    let mut out =
        String::from("<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<D:prop xmlns:D=\"DAV:\"><D:lockdiscovery>");
    out.push_str(&activelocks_xml(locks));
    out.push_str("</D:lockdiscovery></D:prop>");
    out
}

/// The value of `<D:supportedlock>` for servers offering exclusive and
/// shared write locks (§15.10).
pub const SUPPORTED_LOCK_XML: &str = "<D:lockentry><D:lockscope><D:exclusive/></D:lockscope><D:locktype><D:write/></D:locktype></D:lockentry><D:lockentry><D:lockscope><D:shared/></D:lockscope><D:locktype><D:write/></D:locktype></D:lockentry>";
