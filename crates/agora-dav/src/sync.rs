//! Sync tokens (RFC 6578) and getctag: one token format, naming the collection and
//! its revision, so a token from another collection is recognised as invalid.

use agora_store::Collection;

const PREFIX: &str = "https://agora.invalid/sync/";

/// The current token of a collection (also its CS:getctag).
pub fn token(c: &Collection) -> String {
    token_at(c, c.revision)
}

/// The token for a given revision of a collection.
pub fn token_at(c: &Collection, revision: i64) -> String {
    format!("{PREFIX}{}/{revision}", c.id)
}

/// The revision a client's token stands for, if it is one of this collection's.
pub fn revision_of(c: &Collection, token: &str) -> Option<i64> {
    let (id, rev) = token.trim().strip_prefix(PREFIX)?.split_once('/')?;
    (id.parse::<i64>().ok()? == c.id).then_some(())?;
    rev.parse().ok()
}
