//! Serving classified events to readers without write access (the decision is
//! the core's `Resources::view`): a time-only stub with its own entity tag, or
//! nothing.

use agora_core::View;

/// The entity tag of what a reader with this view is served.
pub fn etag(stored: &str, view: View) -> String {
    match view {
        View::TimeOnly => format!("{stored}-t"),
        _ => stored.to_owned(),
    }
}

/// The data a reader with this view is served.
pub fn data(stored: &[u8], view: View) -> Vec<u8> {
    match view {
        View::TimeOnly => agora_ical::privacy::time_only(&String::from_utf8_lossy(stored)).into_bytes(),
        _ => stored.to_vec(),
    }
}
