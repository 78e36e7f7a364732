//! `sync-collection` (RFC 6578 §3.2, §6.1).

use super::Report;
use crate::NS_DAV;
use crate::common::{limit, prop_names};
use crate::error::{Budget, XmlError};
use crate::tree::XElem;

/// `<D:sync-level>` (RFC 6578 §6.3).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum SyncLevel {
    /// `1`: immediate members only.
    #[default]
    One,
    /// `infinite`: all descendants.
    Infinite,
}

/// `<!ELEMENT sync-collection (sync-token, sync-level, limit?, prop)>`.
pub(super) fn parse(root: &XElem, budget: &mut Budget) -> Result<Report, XmlError> {
    // §6.2: an empty sync-token element asks for an initial sync. A missing
    // element is treated the same way (clients written against drafts).
    let sync_token = root.child(NS_DAV, "sync-token").map(|t| t.text().trim().to_owned()).filter(|t| !t.is_empty());
    // §6.3 makes sync-level mandatory, but early clients omitted it; they
    // meant the draft's only behaviour, depth 1.
    let sync_level = match root.child(NS_DAV, "sync-level").map(|l| l.text()) {
        None => SyncLevel::One,
        Some(level) => match level.trim() {
            "1" => SyncLevel::One,
            "infinite" | "infinity" => SyncLevel::Infinite,
            other => return Err(XmlError::invalid(format!("sync-level {other:?} must be 1 or infinite"))),
        },
    };
    let props = match root.child(NS_DAV, "prop") {
        Some(prop) => prop_names(prop, budget)?,
        None => Vec::new(),
    };
    Ok(Report::SyncCollection { sync_token, sync_level, limit: limit(root, NS_DAV)?, props })
}
