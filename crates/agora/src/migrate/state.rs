//! What a migration has brought so far, kept in a JSON file so that a second
//! run brings only what changed and an interrupted run continues where it
//! stopped. Written atomically (a temporary file renamed over the old one),
//! after each batch of objects and at the end of each collection.
//!
//! Per remote collection: the local collection it goes to, the collection's
//! version (sync token or ctag) when it was last brought completely, and per
//! remote member its ETag there and the name and ETag of the local copy
//! written from it (a local copy whose ETag changed since was edited on
//! Agora: it is not deleted when the source deletes it).

use std::collections::BTreeMap;
use std::io::Write;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

/// Format version written in the file.
const VERSION: u32 = 1;

/// A user's migration state.
#[derive(Debug, Default, Serialize, Deserialize)]
pub struct State {
    /// Format version.
    #[serde(default)]
    pub version: u32,
    /// Per remote collection URL.
    #[serde(default)]
    pub collections: BTreeMap<String, CollectionState>,
}

/// One remote collection's state.
#[derive(Debug, Default, Clone, Serialize, Deserialize)]
pub struct CollectionState {
    /// The local collection's path (`calendars/alice/work/`).
    pub local: String,
    /// The remote version (sync token, else ctag) when every member had been
    /// brought; `None` while a run has not finished the collection.
    #[serde(default)]
    pub complete_at: Option<String>,
    /// Per remote member path.
    #[serde(default)]
    pub objects: BTreeMap<String, ObjectState>,
}

/// One member brought.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ObjectState {
    /// Its ETag on the other server.
    pub remote_etag: String,
    /// The local resource name.
    pub local_name: String,
    /// The local ETag written.
    pub local_etag: String,
}

impl State {
    /// Reads the state file, or an empty state when there is none.
    pub fn load(path: &Path) -> Result<State, String> {
        match std::fs::read(path) {
            Ok(bytes) => {
                let state: State = serde_json::from_slice(&bytes).map_err(|e| {
                    format!("the state file {} is not readable ({e}): move it away to start over", path.display())
                })?;
                if state.version > VERSION {
                    return Err(format!("the state file {} was written by a newer Agora", path.display()));
                }
                Ok(state)
            }
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(State { version: VERSION, ..State::default() }),
            Err(e) => Err(format!("cannot read the state file {}: {e}", path.display())),
        }
    }

    /// Writes the state atomically: a crash leaves the old file or the new one.
    pub fn save(&mut self, path: &Path) -> Result<(), String> {
        self.version = VERSION;
        let fail = |e: std::io::Error| format!("cannot write the state file {}: {e}", path.display());
        if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
            std::fs::create_dir_all(dir).map_err(fail)?;
        }
        let tmp = temporary(path);
        let mut file = std::fs::File::create(&tmp).map_err(fail)?;
        serde_json::to_writer(&mut file, self).map_err(|e| fail(e.into()))?;
        file.flush().map_err(fail)?;
        file.sync_all().map_err(fail)?;
        std::fs::rename(&tmp, path).map_err(fail)
    }
}

fn temporary(path: &Path) -> PathBuf {
    let mut name = path.file_name().map(|n| n.to_os_string()).unwrap_or_default();
    name.push(".tmp");
    path.with_file_name(name)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn saves_and_loads_again() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("sub/alice.json");
        let mut state = State::load(&path).unwrap();
        assert!(state.collections.is_empty());
        let mut c = CollectionState { local: "calendars/alice/work/".into(), ..Default::default() };
        c.objects.insert(
            "/dav/a.ics".into(),
            ObjectState { remote_etag: "\"1\"".into(), local_name: "a.ics".into(), local_etag: "x".into() },
        );
        state.collections.insert("http://h/dav/".into(), c);
        state.save(&path).unwrap();
        let again = State::load(&path).unwrap();
        assert_eq!(again.collections["http://h/dav/"].objects["/dav/a.ics"].local_name, "a.ics");
        assert!(!temporary(&path).exists());
        std::fs::write(&path, "{not json").unwrap();
        assert!(State::load(&path).unwrap_err().contains("move it away"));
    }
}
