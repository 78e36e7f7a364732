//! Builds the page (`npm ci` and `npm run build` in `web/`, each only when its
//! inputs changed) and embeds every file of `web/dist/` into the crate: the
//! generated `dist.rs` in OUT_DIR lists each file with its media type, a strong
//! ETag and its bytes (`include_bytes!`). With `AGORA_WEB_DIST` set, that
//! directory is embedded as it is and npm is not run.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::SystemTime;
use std::{env, fs};

use sha2::{Digest, Sha256};

fn main() {
    println!("cargo:rerun-if-env-changed=AGORA_WEB_DIST");
    let dist = match env::var_os("AGORA_WEB_DIST") {
        Some(dir) => {
            let dir = PathBuf::from(dir);
            println!("cargo:rerun-if-changed={}", dir.display());
            dir
        }
        None => {
            let web = Path::new(&env::var("CARGO_MANIFEST_DIR").unwrap()).join("../../web");
            let web = web.canonicalize().unwrap_or_else(|_| fail(&format!("no web/ folder at {}", web.display())));
            build_page(&web);
            // Also when the built page changes or goes (the embedded files are its).
            println!("cargo:rerun-if-changed={}", web.join("dist").display());
            web.join("dist")
        }
    };
    let out = Path::new(&env::var("OUT_DIR").unwrap()).join("dist.rs");
    let code = embed(&dist);
    // Unchanged, the file keeps its time and the crate is not compiled again.
    if fs::read_to_string(&out).ok().as_deref() != Some(code.as_str()) {
        fs::write(&out, code).unwrap_or_else(|e| fail(&format!("cannot write {}: {e}", out.display())));
    }
}

/// Stops the build with a message that says what is wrong.
fn fail(message: &str) -> ! {
    eprintln!("error: agora-web: {message}");
    std::process::exit(1)
}

/// The page's inputs: `src/`, `index.html` and every file at the top of `web/`
/// (`package.json`, `package-lock.json`, the build script and its configuration);
/// not `node_modules/`, `dist/` or other folders (test output).
fn inputs(web: &Path) -> Vec<PathBuf> {
    let mut inputs = vec![web.join("src")];
    let top = fs::read_dir(web).unwrap_or_else(|e| fail(&format!("cannot read {}: {e}", web.display())));
    for entry in top.flatten() {
        if entry.file_type().is_ok_and(|t| t.is_file()) {
            inputs.push(entry.path());
        }
    }
    inputs.sort();
    inputs
}

fn build_page(web: &Path) {
    let inputs = inputs(web);
    for input in &inputs {
        println!("cargo:rerun-if-changed={}", input.display());
    }
    let lock = web.join("package-lock.json");
    if !lock.exists() {
        fail(&format!("{} is missing (it is committed with package.json)", lock.display()));
    }
    // npm writes node_modules/.package-lock.json at every install.
    let installed = mtime(&web.join("node_modules/.package-lock.json"));
    let mut ran_ci = false;
    if installed.is_none_or(|t| Some(t) < mtime(&lock)) {
        npm(web, &["ci", "--no-audit", "--no-fund"]);
        ran_ci = true;
    }
    let built = mtime(&web.join("dist/index.html"));
    let newest = inputs.iter().filter_map(|p| newest_under(p)).max();
    if ran_ci || built.is_none() || newest > built {
        npm(web, &["run", "build"]);
    }
}

fn npm(web: &Path, args: &[&str]) {
    let shown = format!("npm {}", args.join(" "));
    let output = Command::new("npm").args(args).current_dir(web).output().unwrap_or_else(|e| {
        fail(&format!(
            "cannot run `{shown}` in {} ({e}): Node.js and npm are needed to build the web interface",
            web.display()
        ))
    });
    if !output.status.success() {
        fail(&format!(
            "`{shown}` in {} failed ({}):\n{}\n{}",
            web.display(),
            output.status,
            String::from_utf8_lossy(&output.stdout),
            String::from_utf8_lossy(&output.stderr)
        ));
    }
}

fn mtime(path: &Path) -> Option<SystemTime> {
    fs::metadata(path).and_then(|m| m.modified()).ok()
}

/// The newest modification time of a file, or of anything under a folder.
fn newest_under(path: &Path) -> Option<SystemTime> {
    let meta = fs::metadata(path).ok()?;
    let own = meta.modified().ok();
    if !meta.is_dir() {
        return own;
    }
    let children = fs::read_dir(path).ok()?.flatten().filter_map(|e| newest_under(&e.path()));
    children.chain(own).max()
}

/// Every file under `dir`, as (path relative to `dir` with `/`, full path), sorted.
fn files(dir: &Path, prefix: &str, out: &mut Vec<(String, PathBuf)>) {
    let entries = fs::read_dir(dir).unwrap_or_else(|e| fail(&format!("cannot read {}: {e}", dir.display())));
    for entry in entries.flatten() {
        let name = entry.file_name().to_string_lossy().into_owned();
        let path = entry.path();
        if path.is_dir() {
            files(&path, &format!("{prefix}{name}/"), out);
        } else {
            out.push((format!("{prefix}{name}"), path));
        }
    }
}

fn embed(dist: &Path) -> String {
    let mut list = Vec::new();
    files(dist, "", &mut list);
    list.sort();
    if !list.iter().any(|(name, _)| name == "index.html") {
        fail(&format!("{} has no index.html: the page's build did not produce it", dist.display()));
    }
    let mut code = String::from("/// Every file of the built page.\npub static FILES: &[Asset] = &[\n");
    for (name, path) in list {
        let bytes = fs::read(&path).unwrap_or_else(|e| fail(&format!("cannot read {}: {e}", path.display())));
        let digest = Sha256::digest(&bytes);
        let etag: String = digest[..16].iter().map(|b| format!("{b:02x}")).collect();
        let full = path.canonicalize().unwrap_or(path);
        let _ = writeln!(
            code,
            "    Asset {{ path: {name:?}, content_type: {:?}, etag: \"\\\"{etag}\\\"\", body: include_bytes!({:?}) }},",
            content_type(&name),
            full.display().to_string()
        );
    }
    code.push_str("];\n");
    code
}

/// The media type of a built file, by its extension.
fn content_type(name: &str) -> &'static str {
    let extension = name.rsplit_once('.').map(|(_, e)| e.to_ascii_lowercase()).unwrap_or_default();
    match extension.as_str() {
        "html" => "text/html; charset=utf-8",
        "js" | "mjs" => "text/javascript; charset=utf-8",
        "css" => "text/css; charset=utf-8",
        "json" | "map" => "application/json; charset=utf-8",
        "webmanifest" => "application/manifest+json; charset=utf-8",
        "svg" => "image/svg+xml",
        "png" => "image/png",
        "jpg" | "jpeg" => "image/jpeg",
        "webp" => "image/webp",
        "ico" => "image/x-icon",
        "woff2" => "font/woff2",
        "woff" => "font/woff",
        "ttf" => "font/ttf",
        "txt" => "text/plain; charset=utf-8",
        _ => "application/octet-stream",
    }
}
