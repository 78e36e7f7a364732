//! Where `agora export` writes and `agora import` reads: a directory or a zip
//! file (by its `.zip` name), or one plain file. Names inside are relative,
//! `/`-separated; a name that climbs out (`..`, an absolute path) is refused, so
//! a crafted manifest or zip cannot read or write beside the export.

use std::fs::File;
use std::io::{Read, Write};
use std::path::{Component, Path, PathBuf};

use crate::exit::Failure;

/// Largest file read (a year of a busy calendar is a few MB).
pub const MAX_FILE_BYTES: u64 = 512 * 1024 * 1024;

/// Whether `path` names a zip file.
pub fn is_zip(path: &Path) -> bool {
    path.extension().is_some_and(|e| e.eq_ignore_ascii_case("zip"))
}

/// `name` when it stays inside the export (no `..`, no root, no drive).
fn relative(name: &str) -> Result<PathBuf, String> {
    let path = Path::new(name);
    if name.is_empty() || !path.components().all(|c| matches!(c, Component::Normal(_))) {
        return Err(format!("{name:?} is not a relative file name inside the export"));
    }
    Ok(path.to_path_buf())
}

/// Where an export is written, one file after another.
pub enum Sink {
    /// A directory, created if missing (it must be empty otherwise).
    Dir(PathBuf),
    /// A zip file, created (an existing one is replaced).
    Zip(Box<zip::ZipWriter<File>>),
}

impl Sink {
    /// Opens `to`: a zip when its name ends in `.zip`, else a directory.
    pub fn create(to: &Path) -> Result<Sink, Failure> {
        if is_zip(to) {
            let file = File::create(to).map_err(|e| Failure::io(format!("cannot create {}: {e}", to.display())))?;
            return Ok(Sink::Zip(Box::new(zip::ZipWriter::new(file))));
        }
        if to.exists() {
            let mut entries =
                std::fs::read_dir(to).map_err(|e| Failure::usage(format!("cannot use {}: {e}", to.display())))?;
            if entries.next().is_some() {
                return Err(Failure::usage(format!("{} is not empty; export into a new directory", to.display())));
            }
        }
        std::fs::create_dir_all(to).map_err(|e| Failure::io(format!("cannot create {}: {e}", to.display())))?;
        Ok(Sink::Dir(to.to_path_buf()))
    }

    /// Writes one file.
    pub fn write(&mut self, name: &str, bytes: &[u8]) -> Result<(), Failure> {
        let rel = relative(name).map_err(Failure::io)?;
        let failed = |e: &dyn std::fmt::Display| Failure::io(format!("cannot write {name}: {e}"));
        match self {
            Sink::Dir(dir) => {
                let path = dir.join(rel);
                if let Some(parent) = path.parent() {
                    std::fs::create_dir_all(parent).map_err(|e| failed(&e))?;
                }
                std::fs::write(&path, bytes).map_err(|e| failed(&e))
            }
            Sink::Zip(zip) => {
                let options = zip::write::SimpleFileOptions::default()
                    .compression_method(zip::CompressionMethod::Deflated)
                    .large_file(bytes.len() as u64 >= u64::from(u32::MAX));
                zip.start_file(name, options).map_err(|e| failed(&e))?;
                zip.write_all(bytes).map_err(|e| failed(&e))
            }
        }
    }

    /// Ends the export (writes a zip's central directory and syncs it).
    pub fn finish(self) -> Result<(), Failure> {
        match self {
            Sink::Dir(_) => Ok(()),
            Sink::Zip(zip) => {
                let file = zip.finish().map_err(|e| Failure::io(format!("cannot finish the zip file: {e}")))?;
                file.sync_all().map_err(|e| Failure::io(format!("cannot finish the zip file: {e}")))
            }
        }
    }
}

/// What an import reads from.
pub enum Source {
    /// A directory, read recursively.
    Dir(PathBuf),
    /// A zip file.
    Zip(Box<zip::ZipArchive<File>>),
    /// One file (its name is the file's own).
    File(PathBuf),
}

impl Source {
    /// Opens a directory, a `.zip` or another file.
    pub fn open(path: &Path) -> Result<Source, Failure> {
        let meta =
            std::fs::metadata(path).map_err(|e| Failure::usage(format!("cannot read {}: {e}", path.display())))?;
        if meta.is_dir() {
            return Ok(Source::Dir(path.to_path_buf()));
        }
        if is_zip(path) {
            let file = File::open(path).map_err(|e| Failure::io(format!("cannot read {}: {e}", path.display())))?;
            let zip = zip::ZipArchive::new(file)
                .map_err(|e| Failure::usage(format!("{} is not a readable zip file: {e}", path.display())))?;
            return Ok(Source::Zip(Box::new(zip)));
        }
        Ok(Source::File(path.to_path_buf()))
    }

    /// Every file's name, sorted (hidden files and macOS resource forks left out).
    pub fn files(&self) -> Result<Vec<String>, Failure> {
        let mut out = match self {
            Source::File(path) => vec![path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default()],
            Source::Zip(zip) => {
                zip.file_names().filter_map(Result::ok).filter(|n| !n.ends_with('/')).map(|n| n.into_owned()).collect()
            }
            Source::Dir(dir) => {
                let mut out = Vec::new();
                walk(dir, "", &mut out)?;
                out
            }
        };
        out.retain(|n| !n.split('/').any(|part| part.starts_with('.') || part == "__MACOSX"));
        out.sort();
        Ok(out)
    }

    /// Whether the source holds a file of that name.
    pub fn has(&self, name: &str) -> bool {
        match self {
            Source::File(_) => false,
            Source::Zip(zip) => zip.index_for_name(name).is_some(),
            Source::Dir(dir) => relative(name).is_ok_and(|rel| dir.join(rel).is_file()),
        }
    }

    /// The bytes of one file (at most [`MAX_FILE_BYTES`]).
    pub fn read(&mut self, name: &str) -> Result<Vec<u8>, String> {
        let mut bytes = Vec::new();
        let result = match self {
            Source::File(path) => File::open(&*path).and_then(|f| f.take(MAX_FILE_BYTES + 1).read_to_end(&mut bytes)),
            Source::Dir(dir) => {
                let path = dir.join(relative(name)?);
                File::open(path).and_then(|f| f.take(MAX_FILE_BYTES + 1).read_to_end(&mut bytes))
            }
            Source::Zip(zip) => {
                relative(name)?;
                let entry = zip.by_name(name).map_err(|e| format!("cannot read {name} in the zip: {e}"))?;
                entry.take(MAX_FILE_BYTES + 1).read_to_end(&mut bytes)
            }
        };
        result.map_err(|e| format!("cannot read {name}: {e}"))?;
        if bytes.len() as u64 > MAX_FILE_BYTES {
            return Err(format!("{name} is larger than {MAX_FILE_BYTES} bytes"));
        }
        Ok(bytes)
    }
}

/// The files below `dir`, named relative to the walk's top.
fn walk(dir: &Path, prefix: &str, out: &mut Vec<String>) -> Result<(), Failure> {
    let entries = std::fs::read_dir(dir).map_err(|e| Failure::io(format!("cannot read {}: {e}", dir.display())))?;
    for entry in entries {
        let entry = entry.map_err(|e| Failure::io(format!("cannot read {}: {e}", dir.display())))?;
        let name = entry.file_name().to_string_lossy().into_owned();
        let rel = if prefix.is_empty() { name.clone() } else { format!("{prefix}/{name}") };
        let kind = entry.file_type().map_err(|e| Failure::io(format!("cannot read {rel}: {e}")))?;
        if kind.is_dir() {
            walk(&entry.path(), &rel, out)?;
        } else if kind.is_file() {
            out.push(rel);
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_stay_inside() {
        assert!(relative("alice/work.ics").is_ok());
        for bad in ["../etc/passwd", "/etc/passwd", "alice/../../x", ""] {
            assert!(relative(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn a_zip_written_is_read_back() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("x.zip");
        let mut sink = Sink::create(&path).unwrap();
        sink.write("alice/work.ics", b"BEGIN:VCALENDAR\r\nEND:VCALENDAR\r\n").unwrap();
        sink.write("manifest.json", b"{}").unwrap();
        sink.finish().unwrap();
        let mut source = Source::open(&path).unwrap();
        assert_eq!(source.files().unwrap(), ["alice/work.ics", "manifest.json"]);
        assert!(source.has("manifest.json") && !source.has("nope"));
        assert_eq!(source.read("manifest.json").unwrap(), b"{}");
        assert!(source.read("../manifest.json").is_err());
    }
}
