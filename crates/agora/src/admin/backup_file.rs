//! The backup file: a 4096-byte header, then the database's own backup as its
//! tools write it (a SQLite database file made by `VACUUM INTO`, or a
//! `pg_dump --format=custom` archive).
//!
//! The header is the line `AGORA-BACKUP`, one line of JSON ([`Header`]), padded
//! with spaces to 4096 bytes: `head -c 4096 FILE` shows it, and
//! `tail -c +4097 FILE > agora.db` (or `| pg_restore …`) gives the database's own
//! file back without Agora. It carries the payload's length and SHA-256, so that a
//! truncated or damaged file is refused before anything is replaced.
//!
//! One file rather than a side-car: one thing to copy, written to a temporary name
//! beside the target and renamed, so a reader never sees half a backup.

use std::fs::File;
use std::io::{Read, Seek, SeekFrom, Write};
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use crate::exit::Failure;
use crate::progress::Progress;

/// Size of the header block.
const HEADER_BYTES: usize = 4096;
/// The header's first line.
const MAGIC: &[u8] = b"AGORA-BACKUP\n";
/// The version of this layout.
const FORMAT: u32 = 1;
/// Copy buffer, and the unit progress is counted in.
const CHUNK: usize = 1 << 20;

/// What a backup holds, and how to check it.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Header {
    /// The layout version ([`FORMAT`]).
    pub format: u32,
    /// `sqlite` or `postgres`.
    pub store: String,
    /// The Agora that wrote it.
    pub agora_version: String,
    /// The last store migration applied in the copy.
    pub schema_version: i64,
    /// When the snapshot was taken (RFC 3339, UTC).
    pub created: String,
    /// What the snapshot holds.
    pub counts: Counts,
    /// The major version of the `pg_dump` that wrote a PostgreSQL payload.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pg_dump_major: Option<u32>,
    /// Length of the payload in bytes.
    #[serde(default)]
    pub payload_bytes: u64,
    /// SHA-256 of the payload, hex.
    #[serde(default)]
    pub payload_sha256: String,
}

/// [`agora_store::Counts`] as written in the header.
#[derive(Debug, Clone, Copy, Serialize, Deserialize, PartialEq, Eq)]
pub struct Counts {
    /// Users.
    pub users: u64,
    /// Groups.
    pub groups: u64,
    /// Rooms and equipment.
    pub resources: u64,
    /// Collections.
    pub collections: u64,
    /// Calendar objects and vCards.
    pub objects: u64,
}

impl From<&agora_store::Counts> for Counts {
    fn from(c: &agora_store::Counts) -> Self {
        Counts {
            users: c.users,
            groups: c.groups,
            resources: c.resources,
            collections: c.collections,
            objects: c.objects,
        }
    }
}

impl std::fmt::Display for Counts {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "{} users, {} groups, {} resources, {} collections, {} objects",
            self.users, self.groups, self.resources, self.collections, self.objects
        )
    }
}

impl Header {
    /// A header for a payload still to be written (length and hash come later).
    pub fn new(store: &str, schema_version: i64, counts: &agora_store::Counts, pg_dump_major: Option<u32>) -> Self {
        Header {
            format: FORMAT,
            store: store.to_owned(),
            agora_version: env!("CARGO_PKG_VERSION").to_owned(),
            schema_version,
            created: humantime::format_rfc3339_seconds(std::time::SystemTime::now()).to_string(),
            counts: counts.into(),
            pg_dump_major,
            payload_bytes: 0,
            payload_sha256: String::new(),
        }
    }

    fn encode(&self) -> Result<Vec<u8>, Failure> {
        let json = serde_json::to_vec(self).map_err(|e| Failure::io(format!("cannot encode the header: {e}")))?;
        let mut block = Vec::with_capacity(HEADER_BYTES);
        block.extend_from_slice(MAGIC);
        block.extend_from_slice(&json);
        if block.len() + 1 > HEADER_BYTES {
            return Err(Failure::io("the backup header does not fit in its block"));
        }
        block.resize(HEADER_BYTES - 1, b' ');
        block.push(b'\n');
        Ok(block)
    }
}

/// `path` with `suffix` appended to its file name (a temporary file beside it).
pub fn beside(path: &Path, suffix: &str) -> PathBuf {
    let mut name = path.file_name().map(|n| n.to_os_string()).unwrap_or_default();
    name.push(suffix);
    path.with_file_name(name)
}

/// Removes a temporary file when dropped (a failed or interrupted command
/// leaves nothing behind).
pub struct TempFile(pub PathBuf);

impl Drop for TempFile {
    fn drop(&mut self) {
        let _ = std::fs::remove_file(&self.0);
    }
}

fn io(what: &str, path: &Path, e: std::io::Error) -> Failure {
    Failure::io(format!("cannot {what} {}: {e}", path.display()))
}

/// Writes `header` and the file `payload` to `dest`: first under a temporary
/// name beside it, synced, then renamed, so that `dest` is either the old file
/// or the whole new one. Returns the header as written.
pub fn write(dest: &Path, mut header: Header, payload: &Path) -> Result<Header, Failure> {
    let partial = TempFile(beside(dest, ".partial"));
    let mut input = File::open(payload).map_err(|e| io("read", payload, e))?;
    let total = input.metadata().map_err(|e| io("read", payload, e))?.len();
    let mut out = File::create(&partial.0).map_err(|e| io("create", &partial.0, e))?;
    out.write_all(&[b' '; HEADER_BYTES]).map_err(|e| io("write", &partial.0, e))?;
    let (bytes, sha) = copy_hashing(&mut input, &mut out, total, &partial.0)?;
    header.payload_bytes = bytes;
    header.payload_sha256 = sha;
    out.seek(SeekFrom::Start(0)).map_err(|e| io("write", &partial.0, e))?;
    out.write_all(&header.encode()?).map_err(|e| io("write", &partial.0, e))?;
    out.sync_all().map_err(|e| io("sync", &partial.0, e))?;
    drop(out);
    std::fs::rename(&partial.0, dest).map_err(|e| io("rename the backup to", dest, e))?;
    sync_dir(dest);
    Ok(header)
}

/// Reads and checks the header of `path`, and that the file has the length it
/// announces (a truncated copy is refused here, before anything changes).
pub fn read_header(path: &Path) -> Result<Header, Failure> {
    let mut file = File::open(path).map_err(|e| io("read", path, e))?;
    let len = file.metadata().map_err(|e| io("read", path, e))?.len();
    let not_backup = || Failure::usage(format!("{} is not an Agora backup (made by `agora backup`)", path.display()));
    let mut block = vec![0; HEADER_BYTES];
    if len < HEADER_BYTES as u64 {
        return Err(not_backup());
    }
    file.read_exact(&mut block).map_err(|e| io("read", path, e))?;
    let json = block.strip_prefix(MAGIC).ok_or_else(not_backup)?;
    let header: Header = serde_json::from_slice(json.trim_ascii_end())
        .map_err(|e| Failure::usage(format!("{}: the backup header is damaged ({e})", path.display())))?;
    if header.format != FORMAT {
        return Err(Failure::usage(format!(
            "{}: backup format {} is not known to this Agora (format {FORMAT})",
            path.display(),
            header.format
        )));
    }
    let expected = HEADER_BYTES as u64 + header.payload_bytes;
    if len != expected {
        return Err(Failure::usage(format!(
            "{} is damaged: {len} bytes where the backup had {expected} (truncated or appended to); nothing was changed",
            path.display()
        )));
    }
    Ok(header)
}

/// Copies the payload of `path` to `dest` (created), checking its SHA-256 against
/// the header; on a mismatch `dest` is removed and nothing else was touched.
pub fn extract(path: &Path, header: &Header, dest: &Path) -> Result<(), Failure> {
    let mut file = File::open(path).map_err(|e| io("read", path, e))?;
    file.seek(SeekFrom::Start(HEADER_BYTES as u64)).map_err(|e| io("read", path, e))?;
    let out_file = TempFile(dest.to_owned());
    let mut out = File::create(dest).map_err(|e| io("create", dest, e))?;
    let (_, sha) = copy_hashing(&mut file, &mut out, header.payload_bytes, dest)?;
    if sha != header.payload_sha256 {
        return Err(Failure::usage(format!(
            "{} is damaged: its content does not match the checksum in its header; nothing was changed",
            path.display()
        )));
    }
    out.sync_all().map_err(|e| io("sync", dest, e))?;
    // Verified: keep it.
    std::mem::forget(out_file);
    Ok(())
}

/// Copies everything from `input` to `out`, counting MiB, and returns the length
/// and the SHA-256 (hex) of what was copied.
fn copy_hashing(input: &mut File, out: &mut File, total: u64, out_path: &Path) -> Result<(u64, String), Failure> {
    let mut progress = Progress::new("MiB", total.div_ceil(CHUNK as u64));
    let mut hasher = Sha256::new();
    let mut buf = vec![0; CHUNK];
    let mut bytes = 0u64;
    loop {
        let n = read_full(input, &mut buf).map_err(|e| Failure::io(format!("cannot read the backup: {e}")))?;
        if n == 0 {
            break;
        }
        hasher.update(&buf[..n]);
        out.write_all(&buf[..n]).map_err(|e| io("write", out_path, e))?;
        bytes += n as u64;
        progress.advance(1);
    }
    progress.finish();
    let sha = hasher.finalize().iter().map(|b| format!("{b:02x}")).collect();
    Ok((bytes, sha))
}

/// Fills `buf` unless the input ends first.
fn read_full(input: &mut File, buf: &mut [u8]) -> std::io::Result<usize> {
    let mut filled = 0;
    while filled < buf.len() {
        match input.read(&mut buf[filled..]) {
            Ok(0) => break,
            Ok(n) => filled += n,
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
            Err(e) => return Err(e),
        }
    }
    Ok(filled)
}

/// Makes a rename in the directory of `path` durable (best effort: some file
/// systems cannot sync a directory).
pub fn sync_dir(path: &Path) {
    if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty())
        && let Ok(d) = File::open(dir)
    {
        let _ = d.sync_all();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sample(dir: &Path) -> (PathBuf, Header) {
        let payload = dir.join("payload");
        std::fs::write(&payload, vec![7u8; 3 * CHUNK + 5]).unwrap();
        let header = Header::new("sqlite", 23, &agora_store::Counts { objects: 4, ..Default::default() }, None);
        let dest = dir.join("backup.agora");
        let written = write(&dest, header, &payload).unwrap();
        (dest, written)
    }

    #[test]
    fn round_trip_gives_the_payload_back() {
        let dir = tempfile::tempdir().unwrap();
        let (dest, written) = sample(dir.path());
        assert_eq!(std::fs::metadata(&dest).unwrap().len(), 4096 + 3 * CHUNK as u64 + 5);
        let header = read_header(&dest).unwrap();
        assert_eq!(header.payload_sha256, written.payload_sha256);
        assert_eq!(header.counts.objects, 4);
        let out = dir.path().join("out");
        extract(&dest, &header, &out).unwrap();
        assert_eq!(std::fs::read(&out).unwrap(), std::fs::read(dir.path().join("payload")).unwrap());
        assert!(!beside(&dest, ".partial").exists());
    }

    #[test]
    fn truncated_and_damaged_files_are_refused() {
        let dir = tempfile::tempdir().unwrap();
        let (dest, _) = sample(dir.path());
        let bytes = std::fs::read(&dest).unwrap();
        std::fs::write(&dest, &bytes[..bytes.len() - 1]).unwrap();
        assert!(read_header(&dest).unwrap_err().message.contains("truncated"));

        let mut flipped = bytes.clone();
        *flipped.last_mut().unwrap() ^= 1;
        std::fs::write(&dest, &flipped).unwrap();
        let header = read_header(&dest).unwrap();
        let out = dir.path().join("out");
        assert!(extract(&dest, &header, &out).unwrap_err().message.contains("checksum"));
        assert!(!out.exists(), "a damaged payload leaves no file behind");

        std::fs::write(&dest, b"SQLite format 3\0").unwrap();
        assert!(read_header(&dest).unwrap_err().message.contains("not an Agora backup"));
    }
}
