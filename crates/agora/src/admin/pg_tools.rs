//! Running PostgreSQL's own tools (`pg_dump`, `pg_restore`) on the store's
//! database: found on `PATH` or in `--pg-bin` / `AGORA_PG_BIN`, their major
//! version checked against the server's, and the password handed over in the
//! environment (`PGPASSWORD`), never on the command line where `ps` shows it.

use std::path::{Path, PathBuf};
use std::process::Stdio;

use tokio::process::Command;

use crate::exit::Failure;

/// One of PostgreSQL's client programs.
pub struct Tool {
    path: PathBuf,
    /// Its major version (`pg_dump (PostgreSQL) 16.4` → 16).
    pub major: u32,
}

impl Tool {
    /// Finds `name` in `dir` if given, else on `PATH`, and asks its version.
    pub async fn find(name: &str, dir: Option<&Path>) -> Result<Tool, Failure> {
        let path = match dir {
            Some(dir) => Some(dir.join(name)).filter(|p| p.is_file()),
            None => std::env::var_os("PATH")
                .and_then(|paths| std::env::split_paths(&paths).map(|d| d.join(name)).find(|p| p.is_file())),
        };
        let path = path.ok_or_else(|| {
            Failure::usage(format!(
                "{name} not found{}: install PostgreSQL's client programs (Debian: postgresql-client) \
                 or name their directory with --pg-bin DIR or AGORA_PG_BIN",
                dir.map(|d| format!(" in {}", d.display())).unwrap_or_else(|| " on PATH".into())
            ))
        })?;
        let out = Command::new(&path)
            .arg("--version")
            .output()
            .await
            .map_err(|e| Failure::io(format!("cannot run {}: {e}", path.display())))?;
        let text = String::from_utf8_lossy(&out.stdout);
        let major = parse_major(&text)
            .ok_or_else(|| Failure::io(format!("{} --version said {:?}", path.display(), text.trim())))?;
        Ok(Tool { path, major })
    }

    /// Refuses a tool older than the server: `pg_dump` cannot dump a newer
    /// server, and `pg_restore` cannot read an archive of a newer `pg_dump`.
    pub fn at_least(&self, major: u32, of_what: &str) -> Result<(), Failure> {
        if self.major < major {
            return Err(Failure::usage(format!(
                "{} is version {}, older than {of_what} (version {major}): use the client programs of \
                 PostgreSQL {major} or later (--pg-bin DIR)",
                self.path.display(),
                self.major
            )));
        }
        Ok(())
    }

    /// The tool on its own, connected to nothing.
    pub fn offline(&self) -> Command {
        let mut cmd = Command::new(&self.path);
        cmd.stdin(Stdio::null()).kill_on_drop(true);
        cmd
    }

    /// The tool, connected to the database of `target` (its password through the
    /// environment).
    pub fn command(&self, target: &Target) -> Command {
        let mut cmd = self.offline();
        cmd.arg(format!("--dbname={}", target.url));
        match &target.password {
            Some(password) => cmd.env("PGPASSWORD", password),
            None => cmd.env_remove("PGPASSWORD"),
        };
        cmd
    }

    /// Runs `cmd` to its end; a failure carries the tool's own explanation.
    pub async fn run(&self, cmd: &mut Command) -> Result<(), Failure> {
        let out = cmd
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .output()
            .await
            .map_err(|e| Failure::io(format!("cannot run {}: {e}", self.path.display())))?;
        if !out.status.success() {
            let name = self.path.file_name().unwrap_or_default().to_string_lossy();
            return Err(Failure::io(format!(
                "{name} failed ({}): {}",
                out.status,
                String::from_utf8_lossy(&out.stderr).trim()
            )));
        }
        Ok(())
    }
}

/// `pg_dump (PostgreSQL) 16.4 (Debian 16.4-1)` → 16; `9.6.24` → 9.
fn parse_major(version: &str) -> Option<u32> {
    let number = version.split(')').nth(1)?.split_whitespace().next()?;
    number.split('.').next()?.parse().ok()
}

/// The store's database as libpq takes it: the URL without its password, and
/// the password apart.
pub struct Target {
    url: String,
    password: Option<String>,
}

impl Target {
    /// Splits the store URL. Parameters only sqlx knows are left out (libpq
    /// refuses unknown ones).
    pub fn new(url: &str) -> Result<Target, Failure> {
        let mut parsed =
            url::Url::parse(url).map_err(|e| Failure::usage(format!("the store URL cannot be parsed: {e}")))?;
        let decode = |s: &str| percent_encoding::percent_decode_str(s).decode_utf8_lossy().into_owned();
        let mut password = parsed.password().map(decode);
        let mut kept = Vec::new();
        for (key, value) in parsed.query_pairs() {
            match key.as_ref() {
                "password" => password = Some(value.into_owned()),
                "statement-cache-capacity" => {}
                _ => kept.push((key.into_owned(), value.into_owned())),
            }
        }
        let _ = parsed.set_password(None);
        if kept.is_empty() {
            parsed.set_query(None);
        } else {
            parsed.query_pairs_mut().clear().extend_pairs(kept);
        }
        Ok(Target { url: parsed.into(), password })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn versions_are_read_from_the_banner() {
        assert_eq!(parse_major("pg_dump (PostgreSQL) 15.18 (Debian 15.18-0+deb12u1)\n"), Some(15));
        assert_eq!(parse_major("pg_restore (PostgreSQL) 9.6.24"), Some(9));
        assert_eq!(parse_major("nonsense"), None);
    }

    #[test]
    fn the_password_leaves_the_url() {
        let t = Target::new("postgres://agora:s%40cret@db.example:5433/agora?sslmode=require").unwrap();
        assert_eq!(t.url, "postgres://agora@db.example:5433/agora?sslmode=require");
        assert_eq!(t.password.as_deref(), Some("s@cret"));
        let t = Target::new("postgres://agora@db/agora?password=x&statement-cache-capacity=10").unwrap();
        assert_eq!(t.url, "postgres://agora@db/agora");
        assert_eq!(t.password.as_deref(), Some("x"));
    }
}
