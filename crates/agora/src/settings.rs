//! Resolving settings: a flag wins over its `AGORA_*` variable (clap applies both),
//! which wins over the configuration file, which wins over the default. The file's
//! keys are the flag names with `_` for `-` (`data_dir`, `tls_cert`, …).

use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::time::Duration;

use agora_core::AuthConfig;
use agora_store::Synchronous;
use ipnet::IpNet;
use serde::Deserialize;

use crate::cli::{Cli, LogFormat, ServeArgs, SqliteSync};

const DEFAULT_CONFIG: &str = "agora.toml";
const DEFAULT_LISTEN: &str = "127.0.0.1:8008";
const DEFAULT_DATA_DIR: &str = "./agora-data";

/// The configuration file; every key optional, unknown keys refused.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct FileConfig {
    listen: Option<SocketAddr>,
    data_dir: Option<PathBuf>,
    store: Option<String>,
    sqlite_synchronous: Option<SqliteSync>,
    log_format: Option<LogFormat>,
    tls_cert: Option<PathBuf>,
    tls_key: Option<PathBuf>,
    initial_admin: Option<bool>,
    auth_cache_seconds: Option<u64>,
    auth_max_failures: Option<u32>,
    auth_failure_window_seconds: Option<u64>,
    shutdown_grace_seconds: Option<u64>,
    trusted_proxies: Option<Vec<String>>,
    max_request_bytes: Option<usize>,
    max_resource_size: Option<u64>,
    max_xml_depth: Option<usize>,
    max_xml_properties: Option<usize>,
    user_quota_bytes: Option<u64>,
    refresh_seconds: Option<u64>,
    ldap: Option<crate::ldap::LdapConfig>,
    feeds_allow_private: Option<bool>,
}

/// Settings every command needs.
#[derive(Debug)]
pub struct Settings {
    /// Where the embedded database lives.
    pub data_dir: PathBuf,
    /// External store URL, if any.
    pub store: Option<String>,
    /// SQLite durability.
    pub sqlite_sync: Synchronous,
    /// Log format.
    pub log_format: LogFormat,
    file: FileConfig,
}

/// Settings of `serve` only.
#[derive(Debug)]
pub struct ServeSettings {
    /// Listening address.
    pub listen: SocketAddr,
    /// Certificate and key for HTTPS.
    pub tls: Option<(PathBuf, PathBuf)>,
    /// Whether to create `admin` on an empty store.
    pub initial_admin: bool,
    /// Authentication tuning.
    pub auth: AuthConfig,
    /// Time in-flight requests get at shutdown.
    pub shutdown_grace: Duration,
    /// Reverse proxies whose X-Forwarded-For is believed.
    pub trusted_proxies: Vec<IpNet>,
    /// Request bounds.
    pub limits: agora_dav::Limits,
    /// Largest stored object.
    pub max_resource_size: u64,
    /// Per-user storage quota, `None` for unlimited.
    pub user_quota_bytes: Option<u64>,
    /// Period of the background refresh (global address list, LDAP, feeds).
    pub refresh: Duration,
    /// The LDAP directory beside the local one, if configured.
    pub ldap: Option<crate::ldap::LdapConfig>,
    /// Whether subscribed feeds may be on loopback or private networks.
    pub feeds_allow_private: bool,
}

impl Settings {
    /// Reads the configuration file (the one named, or `./agora.toml` if present)
    /// and merges it under the command line and environment.
    pub fn load(cli: &Cli) -> Result<Self, String> {
        let file = match &cli.config {
            Some(path) => read_file(path)?,
            None if Path::new(DEFAULT_CONFIG).exists() => read_file(Path::new(DEFAULT_CONFIG))?,
            None => FileConfig::default(),
        };
        let sync = cli.sqlite_synchronous.or(file.sqlite_synchronous).unwrap_or(SqliteSync::Full);
        Ok(Settings {
            data_dir: cli.data_dir.clone().or(file.data_dir.clone()).unwrap_or_else(|| DEFAULT_DATA_DIR.into()),
            store: cli.store.clone().or(file.store.clone()).filter(|s| !s.is_empty()),
            sqlite_sync: match sync {
                SqliteSync::Full => Synchronous::Full,
                SqliteSync::Normal => Synchronous::Normal,
            },
            log_format: cli.log_format.or(file.log_format).unwrap_or(LogFormat::Text),
            file,
        })
    }

    /// Resolves the settings of `serve`.
    pub fn serve(&self, args: &ServeArgs) -> Result<ServeSettings, String> {
        let f = &self.file;
        let listen = args.listen.or(f.listen).unwrap_or_else(|| DEFAULT_LISTEN.parse().expect("valid default"));
        let tls = match (args.tls_cert.clone().or(f.tls_cert.clone()), args.tls_key.clone().or(f.tls_key.clone())) {
            (Some(cert), Some(key)) => Some((cert, key)),
            (None, None) => None,
            _ => return Err("tls_cert and tls_key must be given together".into()),
        };
        let defaults = AuthConfig::default();
        let window = args.auth_failure_window_seconds.or(f.auth_failure_window_seconds);
        let max_failures = args.auth_max_failures.or(f.auth_max_failures).unwrap_or(defaults.max_failures);
        if max_failures == 0 {
            return Err("auth_max_failures must be at least 1".into());
        }
        let proxies = if args.trusted_proxies.is_empty() {
            f.trusted_proxies.clone().unwrap_or_default()
        } else {
            args.trusted_proxies.clone()
        };
        let trusted_proxies = proxies.iter().map(|p| parse_net(p)).collect::<Result<Vec<_>, _>>()?;
        let dav_defaults = agora_dav::Limits::default();
        let limits = agora_dav::Limits {
            max_request_bytes: args.max_request_bytes.or(f.max_request_bytes).unwrap_or(dav_defaults.max_request_bytes),
            xml: agora_dav::XmlLimits {
                max_depth: args.max_xml_depth.or(f.max_xml_depth).unwrap_or(dav_defaults.xml.max_depth),
                max_properties: args
                    .max_xml_properties
                    .or(f.max_xml_properties)
                    .unwrap_or(dav_defaults.xml.max_properties),
            },
        };
        if limits.max_request_bytes == 0 || limits.xml.max_depth < 4 || limits.xml.max_properties == 0 {
            return Err("max_request_bytes and max_xml_properties must be positive, max_xml_depth at least 4".into());
        }
        let max_resource_size = args
            .max_resource_size
            .or(f.max_resource_size)
            .unwrap_or(agora_core::CoreConfig::default().max_resource_size);
        Ok(ServeSettings {
            listen,
            trusted_proxies,
            limits,
            max_resource_size,
            user_quota_bytes: args.user_quota_bytes.or(f.user_quota_bytes).filter(|q| *q > 0),
            tls,
            initial_admin: args.initial_admin.or(f.initial_admin).unwrap_or(true),
            auth: AuthConfig {
                cache_ttl: args
                    .auth_cache_seconds
                    .or(f.auth_cache_seconds)
                    .map(Duration::from_secs)
                    .unwrap_or(defaults.cache_ttl),
                max_failures,
                failure_window: window.map(Duration::from_secs).unwrap_or(defaults.failure_window),
            },
            shutdown_grace: Duration::from_secs(args.shutdown_grace_seconds.or(f.shutdown_grace_seconds).unwrap_or(30)),
            refresh: Duration::from_secs(args.refresh_seconds.or(f.refresh_seconds).unwrap_or(300).max(1)),
            ldap: f.ldap.clone(),
            feeds_allow_private: args.feeds_allow_private.or(f.feeds_allow_private).unwrap_or(false),
        })
    }
}

/// An address (`192.0.2.1`) or a network (`10.0.0.0/8`).
fn parse_net(s: &str) -> Result<IpNet, String> {
    let s = s.trim();
    s.parse::<IpNet>()
        .or_else(|_| s.parse::<std::net::IpAddr>().map(IpNet::from))
        .map_err(|_| format!("trusted proxy {s:?} is neither an address nor a network"))
}

fn read_file(path: &Path) -> Result<FileConfig, String> {
    let text = std::fs::read_to_string(path).map_err(|e| format!("cannot read {}: {e}", path.display()))?;
    toml::from_str(&text).map_err(|e| format!("{}: {e}", path.display()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::Parser;

    #[test]
    fn file_keys_parse_and_unknown_keys_are_refused() {
        let f: FileConfig = toml::from_str("listen = \"0.0.0.0:9000\"\nsqlite_synchronous = \"normal\"").unwrap();
        assert_eq!(f.listen.unwrap().port(), 9000);
        assert_eq!(f.sqlite_synchronous, Some(SqliteSync::Normal));
        assert!(toml::from_str::<FileConfig>("lisen = \"x\"").is_err());
        assert_eq!(parse_net("10.0.0.0/8").unwrap().prefix_len(), 8);
        assert_eq!(parse_net(" 192.0.2.1 ").unwrap().prefix_len(), 32);
        assert!(parse_net("proxy.local").is_err());
    }

    #[test]
    fn flags_win_over_the_file() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("a.toml");
        std::fs::write(&path, "listen = \"127.0.0.1:9001\"\ndata_dir = \"/from/file\"\n").unwrap();
        let cli =
            Cli::try_parse_from(["agora", "--config", path.to_str().unwrap(), "serve", "--listen", "127.0.0.1:9002"])
                .unwrap();
        let s = Settings::load(&cli).unwrap();
        assert_eq!(s.data_dir, PathBuf::from("/from/file"));
        let crate::cli::Command::Serve(args) = &cli.command else { panic!("serve expected") };
        assert_eq!(s.serve(args).unwrap().listen.port(), 9002);
    }
}
