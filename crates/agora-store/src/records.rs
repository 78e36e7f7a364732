//! The records a public body keeps (issue 17): the trash, legal holds and the
//! audit log. Plain data; the rules (retention, who may restore) are agora-core's.

use crate::model::PrincipalId;
use crate::resources::{CollectionKind, Components};

/// A deleted object or collection waiting in the trash.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TrashEntry {
    /// Row id (what `agora trash restore` names).
    pub id: i64,
    /// Whose data it is.
    pub owner_id: PrincipalId,
    /// A whole collection (with its tree), or one object.
    pub is_collection: bool,
    /// Where it was: `calendars/alice/work/x.ics` or `calendars/alice/work/`.
    pub path: String,
    /// Bytes of the objects it holds.
    pub size: i64,
    /// When it was deleted, Unix seconds.
    pub deleted_at: i64,
    /// Who deleted it (`None` once that account is gone).
    pub deleted_by: Option<PrincipalId>,
}

/// One collection of a trashed collection entry.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TrashedCollection {
    /// Below the entry's path: `""` for the entry itself, `sub/` for a child.
    pub rel_path: String,
    /// What it was.
    pub kind: CollectionKind,
    /// Its supported components.
    pub components: Components,
    /// What filled it (a subscription's URL).
    pub source: Option<String>,
    /// Its dead properties (Clark name, verbatim XML).
    pub properties: Vec<(String, String)>,
}

/// One object of a trash entry.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TrashedObject {
    /// The collection it was in, below the entry's path (`""`: the entry's own
    /// collection, or for an object entry the collection of its path).
    pub rel_path: String,
    /// Its name in that collection.
    pub name: String,
    /// Its media type.
    pub content_type: String,
    /// Its bytes.
    pub data: Vec<u8>,
    /// Its dead properties.
    pub properties: Vec<(String, String)>,
}

/// A trash entry with what it holds (for a restore or an export).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TrashContent {
    /// The entry.
    pub entry: TrashEntry,
    /// Its collections (collection entries only), parents first.
    pub collections: Vec<TrashedCollection>,
    /// Its objects.
    pub objects: Vec<TrashedObject>,
}

/// What a legal hold covers.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum HoldScope {
    /// Everything a principal owns.
    Principal(PrincipalId),
    /// A collection and everything below it (a path ending with `/`).
    Path(String),
}

/// A legal hold: nothing it covers is purged.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Hold {
    /// Row id.
    pub id: i64,
    /// What it covers.
    pub scope: HoldScope,
    /// Why (a case number, a request).
    pub reason: String,
    /// Who placed it (a name: the log of holds outlives accounts).
    pub placed_by: String,
    /// When, Unix seconds.
    pub placed_at: i64,
}

/// Who acts and from where, for the audit log.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct AuditContext {
    /// The acting principal (`None`: the server or the command line).
    pub actor_id: Option<PrincipalId>,
    /// Its name at the time (`cli:root` for the command line).
    pub actor: String,
    /// What it acts on (a path, a principal's name).
    pub target: String,
    /// The client's address.
    pub address: Option<String>,
    /// The client software (its User-Agent).
    pub client: Option<String>,
}

/// A row of the audit log.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AuditEntry {
    /// Row id: increasing, so `after` pages through the log.
    pub id: i64,
    /// When, Unix seconds.
    pub at: i64,
    /// Who, from where, on what.
    pub context: AuditContext,
    /// What: `create`, `change`, `delete`, `share`, `restore`…
    pub action: String,
    /// Whose data it is (the user name in the target's path).
    pub owner: Option<String>,
    /// More, in words (an access level, a delegate).
    pub detail: Option<String>,
}

/// Which audit rows to read; every field narrows.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct AuditFilter {
    /// From this time on (Unix seconds, inclusive).
    pub since: Option<i64>,
    /// Before this time.
    pub until: Option<i64>,
    /// Done by this principal name.
    pub actor: Option<String>,
    /// Done to this user's data.
    pub owner: Option<String>,
    /// This action.
    pub action: Option<String>,
    /// Targets starting with this path.
    pub path_prefix: Option<String>,
    /// Rows after this id (paging).
    pub after: Option<i64>,
    /// At most this many rows.
    pub limit: Option<i64>,
}

/// The user name a stored path belongs to: its second segment
/// (`calendars/alice/work/x.ics` → `alice`).
pub fn owner_in_path(path: &str) -> Option<&str> {
    let mut parts = path.trim_start_matches('/').split('/');
    let top = parts.next()?;
    matches!(top, "calendars" | "addressbooks" | "principals").then_some(())?;
    parts.next().filter(|s| !s.is_empty())
}

#[cfg(test)]
mod tests {
    #[test]
    fn owners_in_paths() {
        assert_eq!(super::owner_in_path("calendars/alice/work/x.ics"), Some("alice"));
        assert_eq!(super::owner_in_path("/addressbooks/bob/"), Some("bob"));
        assert_eq!(super::owner_in_path("elsewhere/x"), None);
        assert_eq!(super::owner_in_path("calendars/"), None);
    }
}
