//! Resolving settings: a flag wins over its `AGORA_*` variable (clap applies both),
//! which wins over the configuration file, which wins over the default. The file's
//! keys are the flag names with `_` for `-` (`data_dir`, `tls_cert`, …).

use std::collections::HashMap;
use std::net::{IpAddr, SocketAddr};
use std::path::{Path, PathBuf};
use std::time::Duration;

use agora_core::AuthConfig;
use agora_store::Synchronous;
use ipnet::IpNet;
use serde::Deserialize;

use crate::cli::{Cli, LogFormat, MailArgs, ServeArgs, SmtpSecurity, SqliteSync};
use crate::secret::Secret;

const DEFAULT_CONFIG: &str = "agora.toml";
const DEFAULT_LISTEN: &str = "127.0.0.1:8008";
const DEFAULT_DATA_DIR: &str = "./agora-data";

/// The configuration file; every key optional, unknown keys refused.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct FileConfig {
    listen: Option<SocketAddr>,
    data_dir: Option<PathBuf>,
    store: Option<Secret>,
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
    feeds_resolve: Option<Vec<String>>,
    smtp: Option<SmtpFile>,
    imip: Option<ImipFile>,
    lmtp_listen: Option<SocketAddr>,
    mail_retry_base_seconds: Option<u64>,
    web: Option<WebFile>,
    oidc: Option<OidcFile>,
    language: Option<String>,
    trash_days: Option<u32>,
    audit_reads: Option<bool>,
}

/// The `[oidc]` table: single sign-on with an OpenID Connect provider.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct OidcFile {
    /// The provider's issuer URL.
    issuer: String,
    /// Agora's client id there.
    client_id: String,
    /// Agora's client secret there (or the environment's [`OIDC_SECRET_VAR`]).
    client_secret: Option<Secret>,
    /// This server's `https://…/auth/oidc/callback`, as registered at the provider.
    redirect_url: String,
    /// The sign-in button's text.
    label: Option<String>,
    /// Whether people the directory does not know get an account (default true).
    create_accounts: Option<bool>,
}

/// The OpenID Connect client secret's variable (a secret is not a flag).
const OIDC_SECRET_VAR: &str = "AGORA_OIDC_CLIENT_SECRET";

/// The `[web]` table: the web interface's sign-in sessions.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct WebFile {
    /// A session unused this long ends (`"12h"`).
    session_idle: Option<String>,
    /// A session ends this long after sign-in (`"7d"`).
    session_max: Option<String>,
}

/// The `[smtp]` table: the relay outgoing iMIP e-mail is submitted to.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct SmtpFile {
    host: Option<String>,
    port: Option<u16>,
    security: Option<SmtpSecurity>,
    username: Option<String>,
    password: Option<Secret>,
    timeout_seconds: Option<u64>,
    accept_invalid_certs: Option<bool>,
}

/// The `[imip]` table: how scheduling uses e-mail (RFC 6047).
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct ImipFile {
    sender: Option<String>,
    message_id_domain: Option<String>,
    max_attempts: Option<u32>,
    trusted_authserv_ids: Option<Vec<String>>,
}

/// Default SMTP submission port (RFC 6409); implicit TLS has its own (RFC 8314).
const SUBMISSION_PORT: u16 = 587;
const SUBMISSIONS_PORT: u16 = 465;
/// Attempts at sending one message before it is given up.
const DEFAULT_MAX_ATTEMPTS: u32 = 10;
/// First retry delay; doubled at each further attempt.
const DEFAULT_RETRY_BASE_SECONDS: u64 = 60;
/// Relay connection and reply time limit.
const DEFAULT_SMTP_TIMEOUT_SECONDS: u64 = 30;
/// The SMTP password's variable, read directly: a password must not be a flag
/// (any local user can read another process's arguments).
const SMTP_PASSWORD_VAR: &str = "AGORA_SMTP_PASSWORD";

/// Settings every command needs.
#[derive(Debug)]
pub struct Settings {
    /// Where the embedded database lives.
    pub data_dir: PathBuf,
    /// External store URL, if any (it may carry a password).
    pub store: Option<Secret>,
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
    /// Feed hosts pinned by the administrator to addresses used unchecked.
    pub feeds_resolve: HashMap<String, Vec<IpAddr>>,
    /// Outgoing e-mail and iMIP.
    pub mail: MailSettings,
    /// Where to serve LMTP, if anywhere.
    pub lmtp_listen: Option<SocketAddr>,
    /// First retry delay of an outgoing e-mail.
    pub mail_retry_base: Duration,
    /// Web sign-in sessions.
    pub sessions: agora_core::SessionConfig,
    /// Single sign-on, when `[oidc]` is configured.
    pub oidc: Option<agora_web::OidcConfig>,
    /// Language of server-written text for users who chose none.
    pub language: agora_core::Language,
    /// The trash's retention and the audit of reads.
    pub records: agora_core::records::RecordsConfig,
}

/// Outgoing e-mail (`[smtp]`) and its use for scheduling (`[imip]`).
#[derive(Debug, Clone)]
pub struct MailSettings {
    /// The relay; `None` when no SMTP host is configured (iMIP is then off).
    pub relay: Option<agora_imip::smtp::RelayConfig>,
    /// What the core needs (`enabled` when a relay is configured).
    pub imip: agora_core::scheduling::ImipConfig,
    /// Attempts at sending one message before it is marked failed.
    pub max_attempts: u32,
    /// This host's name, for greetings and as the last-resort Message-ID domain.
    pub host_name: String,
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
            feeds_resolve: parse_pins(if args.feeds_resolve.is_empty() {
                f.feeds_resolve.as_deref().unwrap_or_default()
            } else {
                &args.feeds_resolve
            })?,
            mail: self.mail(&args.mail)?,
            language: self.language()?,
            records: self.records()?,
            lmtp_listen: args.lmtp_listen.or(f.lmtp_listen),
            mail_retry_base: Duration::from_secs(
                args.mail_retry_base_seconds.or(f.mail_retry_base_seconds).unwrap_or(DEFAULT_RETRY_BASE_SECONDS).max(1),
            ),
            sessions: self.sessions()?,
            oidc: self.oidc()?,
        })
    }

    /// Resolves `[oidc]`.
    fn oidc(&self) -> Result<Option<agora_web::OidcConfig>, String> {
        let Some(o) = &self.file.oidc else { return Ok(None) };
        let url = |key: &str, v: &str| {
            let v = v.trim();
            if v.starts_with("https://") || v.starts_with("http://") {
                Ok(v.to_owned())
            } else {
                Err(format!("oidc.{key} {v:?} is not an http(s) URL"))
            }
        };
        let client_secret = std::env::var(OIDC_SECRET_VAR)
            .ok()
            .or(o.client_secret.as_ref().map(|s| s.expose().to_owned()))
            .filter(|s| !s.is_empty())
            .ok_or_else(|| format!("[oidc] needs a client secret (oidc.client_secret or {OIDC_SECRET_VAR})"))?;
        if o.client_id.trim().is_empty() {
            return Err("oidc.client_id is empty".into());
        }
        Ok(Some(agora_web::OidcConfig {
            issuer: url("issuer", &o.issuer)?,
            client_id: o.client_id.trim().to_owned(),
            client_secret,
            redirect_url: url("redirect_url", &o.redirect_url)?,
            label: o.label.clone().unwrap_or_else(|| "Sign in with single sign-on".into()),
            create_accounts: o.create_accounts.unwrap_or(true),
        }))
    }

    /// Resolves `[web]`: how long sign-in sessions last.
    fn sessions(&self) -> Result<agora_core::SessionConfig, String> {
        let defaults = agora_core::SessionConfig::default();
        let web = self.file.web.as_ref();
        let duration = |key: &str, value: Option<&String>, default: Duration| match value {
            None => Ok(default),
            Some(text) => match humantime::parse_duration(text.trim()) {
                Ok(d) if d.as_secs() >= 1 => Ok(d),
                _ => Err(format!("web.{key} {text:?} is not a duration of at least 1 s (\"12h\", \"30min\", \"7d\")")),
            },
        };
        let idle = duration("session_idle", web.and_then(|w| w.session_idle.as_ref()), defaults.idle)?;
        let max = duration("session_max", web.and_then(|w| w.session_max.as_ref()), defaults.max)?;
        if idle > max {
            return Err("web.session_idle cannot be longer than web.session_max".into());
        }
        Ok(agora_core::SessionConfig { idle, max })
    }

    /// What the core needs outside `serve` (administration commands, `deliver`):
    /// the same object size and quota limits and iMIP settings as the server,
    /// from the configuration file and the environment. A mail set-up that does
    /// not resolve leaves iMIP off here (the server reports it at start-up).
    pub fn core_config(&self) -> agora_core::CoreConfig {
        let env = |name: &str| std::env::var(name).ok().and_then(|v| v.trim().parse::<u64>().ok());
        let defaults = agora_core::CoreConfig::default();
        let imip = MailArgs::from_env().and_then(|args| self.mail(&args)).map(|m| m.imip).unwrap_or_else(|e| {
            tracing::warn!(error = %e, "mail settings ignored");
            defaults.imip.clone()
        });
        agora_core::CoreConfig {
            max_resource_size: env("AGORA_MAX_RESOURCE_SIZE")
                .or(self.file.max_resource_size)
                .unwrap_or(defaults.max_resource_size),
            user_quota_bytes: env("AGORA_USER_QUOTA_BYTES").or(self.file.user_quota_bytes).filter(|q| *q > 0),
            imip,
            default_language: self.language().unwrap_or_else(|e| {
                tracing::warn!(error = %e, "language setting ignored");
                defaults.default_language
            }),
            records: self.records().unwrap_or_else(|e| {
                tracing::warn!(error = %e, "trash and audit settings ignored");
                defaults.records.clone()
            }),
            ..defaults
        }
    }

    /// The trash's retention (AGORA_TRASH_DAYS, else `trash_days`, else 30; 0:
    /// no trash) and the audit of reads (AGORA_AUDIT_READS, else `audit_reads`).
    pub fn records(&self) -> Result<agora_core::records::RecordsConfig, String> {
        let defaults = agora_core::records::RecordsConfig::default();
        let var = |name: &str| std::env::var(name).ok().filter(|v| !v.trim().is_empty());
        let trash_days = match var("AGORA_TRASH_DAYS") {
            Some(v) => v.trim().parse().map_err(|_| format!("AGORA_TRASH_DAYS: {v:?} is not a number of days"))?,
            None => self.file.trash_days.unwrap_or(defaults.trash_days),
        };
        let audit_reads = match var("AGORA_AUDIT_READS") {
            Some(v) => match v.trim() {
                "1" | "true" | "yes" | "on" => true,
                "0" | "false" | "no" | "off" => false,
                other => return Err(format!("AGORA_AUDIT_READS: {other:?} is not true or false")),
            },
            None => self.file.audit_reads.unwrap_or(defaults.audit_reads),
        };
        Ok(agora_core::records::RecordsConfig { trash_days, audit_reads })
    }

    /// The default language of server-written text: AGORA_LANGUAGE, else
    /// `language` in the file, else English.
    pub fn language(&self) -> Result<agora_core::Language, String> {
        match std::env::var("AGORA_LANGUAGE").ok().filter(|v| !v.trim().is_empty()).or(self.file.language.clone()) {
            Some(tag) => tag.parse().map_err(|e: agora_core::language::UnsupportedLanguage| format!("language: {e}")),
            None => Ok(agora_core::Language::En),
        }
    }

    /// Resolves `[smtp]` and `[imip]` (for `serve` and `deliver`).
    pub fn mail(&self, args: &MailArgs) -> Result<MailSettings, String> {
        let none = SmtpFile::default();
        let smtp = self.file.smtp.as_ref().unwrap_or(&none);
        let none = ImipFile::default();
        let imip = self.file.imip.as_ref().unwrap_or(&none);
        let password = std::env::var(SMTP_PASSWORD_VAR)
            .ok()
            .or(smtp.password.as_ref().map(|p| p.expose().to_owned()))
            .filter(|p| !p.is_empty());
        let host = args.smtp_host.clone().or(smtp.host.clone()).map(|h| h.trim().to_owned()).filter(|h| !h.is_empty());
        let username = args.smtp_username.clone().or(smtp.username.clone()).filter(|u| !u.is_empty());
        let security = args.smtp_security.or(smtp.security).unwrap_or(SmtpSecurity::Starttls);
        let port = args.smtp_port.or(smtp.port);
        let timeout = args.smtp_timeout_seconds.or(smtp.timeout_seconds);
        let relay = match host {
            Some(host) => {
                if username.is_some() != password.is_some() {
                    return Err(format!(
                        "SMTP authentication needs both a user name (smtp.username, --smtp-username) and a \
                         password (smtp.password or {SMTP_PASSWORD_VAR})"
                    ));
                }
                Some(agora_imip::smtp::RelayConfig {
                    host,
                    port: port.unwrap_or(match security {
                        SmtpSecurity::Tls => SUBMISSIONS_PORT,
                        SmtpSecurity::Starttls | SmtpSecurity::None => SUBMISSION_PORT,
                    }),
                    security: match security {
                        SmtpSecurity::Starttls => agora_imip::smtp::Security::StartTls,
                        SmtpSecurity::Tls => agora_imip::smtp::Security::Tls,
                        SmtpSecurity::None => agora_imip::smtp::Security::None,
                    },
                    username,
                    password,
                    timeout: Duration::from_secs(timeout.unwrap_or(DEFAULT_SMTP_TIMEOUT_SECONDS).max(1)),
                    accept_invalid_certs: args.smtp_accept_invalid_certs.or(smtp.accept_invalid_certs).unwrap_or(false),
                })
            }
            // Settings for a relay that is not named are a mistake, not a wish
            // to send nothing: say so rather than silently never mailing.
            None if port.is_some() || username.is_some() || timeout.is_some() || self.file.smtp.is_some() => {
                return Err("SMTP settings are given but no host (smtp.host, --smtp-host or AGORA_SMTP_HOST)".into());
            }
            None => None,
        };
        let sender =
            args.imip_sender.clone().or(imip.sender.clone()).map(|s| s.trim().to_owned()).filter(|s| !s.is_empty());
        if let Some(sender) = &sender
            && !is_address(sender)
        {
            return Err(format!("the iMIP sender {sender:?} is not an e-mail address (user@domain)"));
        }
        let host_name = host_name();
        let message_id_domain = args
            .imip_message_id_domain
            .clone()
            .or(imip.message_id_domain.clone())
            .map(|d| d.trim().to_owned())
            .filter(|d| !d.is_empty())
            .or_else(|| sender.as_deref().and_then(|s| s.rsplit_once('@')).map(|(_, d)| d.to_owned()))
            .unwrap_or_else(|| host_name.clone());
        let max_attempts = args.imip_max_attempts.or(imip.max_attempts).unwrap_or(DEFAULT_MAX_ATTEMPTS);
        if max_attempts == 0 {
            return Err("imip.max_attempts must be at least 1".into());
        }
        let trusted_authserv_ids = if args.imip_trusted_authserv_ids.is_empty() {
            imip.trusted_authserv_ids.clone().unwrap_or_default()
        } else {
            args.imip_trusted_authserv_ids.clone()
        };
        Ok(MailSettings {
            imip: agora_core::scheduling::ImipConfig {
                enabled: relay.is_some(),
                sender,
                message_id_domain,
                trusted_authserv_ids: trusted_authserv_ids
                    .iter()
                    .map(|id| id.trim().to_owned())
                    .filter(|id| !id.is_empty())
                    .collect(),
            },
            relay,
            max_attempts,
            host_name,
        })
    }
}

/// `local@domain`: both parts present, no spaces, angle brackets or commas (a
/// display name or a list has no place in an envelope address).
fn is_address(s: &str) -> bool {
    s.rsplit_once('@').is_some_and(|(local, domain)| !local.is_empty() && !domain.is_empty())
        && !s.contains(|c: char| c.is_whitespace() || matches!(c, '<' | '>' | ','))
}

/// This machine's name (Linux), or `localhost`.
fn host_name() -> String {
    ["/proc/sys/kernel/hostname", "/etc/hostname"]
        .iter()
        .filter_map(|path| std::fs::read_to_string(path).ok())
        .map(|name| name.trim().to_owned())
        .find(|name| !name.is_empty())
        .unwrap_or_else(|| "localhost".to_owned())
}

/// An address (`192.0.2.1`) or a network (`10.0.0.0/8`).
fn parse_net(s: &str) -> Result<IpNet, String> {
    let s = s.trim();
    s.parse::<IpNet>()
        .or_else(|_| s.parse::<std::net::IpAddr>().map(IpNet::from))
        .map_err(|_| format!("trusted proxy {s:?} is neither an address nor a network"))
}

/// `HOST=ADDRESS` pairs; a host given twice gets both addresses.
fn parse_pins(pins: &[String]) -> Result<HashMap<String, Vec<IpAddr>>, String> {
    let mut out: HashMap<String, Vec<IpAddr>> = HashMap::new();
    for pin in pins {
        let invalid = || format!("feeds_resolve {pin:?} is not HOST=ADDRESS");
        let (host, address) = pin.split_once('=').ok_or_else(invalid)?;
        let host = host.trim().trim_end_matches('.').to_ascii_lowercase();
        let address = address.trim();
        let address = address.strip_prefix('[').and_then(|a| a.strip_suffix(']')).unwrap_or(address);
        let ip: IpAddr = address.parse().map_err(|_| invalid())?;
        if host.is_empty() || host.contains(['/', ':', '@', ' ']) {
            return Err(invalid());
        }
        out.entry(host).or_default().push(ip);
    }
    Ok(out)
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
    fn feed_pins_parse() {
        let pins = ["Cal.Intranet.=10.1.2.3", "cal.intranet=[fd00::5]", "other=192.0.2.1"].map(String::from);
        let parsed = parse_pins(&pins).unwrap();
        assert_eq!(parsed["cal.intranet"], ["10.1.2.3".parse::<IpAddr>().unwrap(), "fd00::5".parse().unwrap()]);
        assert_eq!(parsed.len(), 2);
        for bad in ["cal.intranet", "cal.intranet=host", "=10.0.0.1", "a/b=10.0.0.1", "cal.intranet=10.0.0.1:80"] {
            assert!(parse_pins(&[bad.to_owned()]).is_err(), "{bad}");
        }
        let f: FileConfig = toml::from_str("feeds_resolve = [\"cal.intranet=10.1.2.3\"]").unwrap();
        assert_eq!(f.feeds_resolve.unwrap().len(), 1);
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

    fn mail_settings(file: &str, args: &[&str]) -> Result<MailSettings, String> {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("a.toml");
        std::fs::write(&path, file).unwrap();
        let argv = [&["agora", "--config", path.to_str().unwrap(), "serve"], args].concat();
        let cli = Cli::try_parse_from(argv).unwrap();
        let crate::cli::Command::Serve(serve) = &cli.command else { panic!("serve expected") };
        Settings::load(&cli).unwrap().mail(&serve.mail)
    }

    #[test]
    fn mail_is_off_without_a_relay_and_defaults_follow_the_security() {
        let off = mail_settings("", &[]).unwrap();
        assert!(off.relay.is_none() && !off.imip.enabled);
        assert_eq!(off.max_attempts, 10);
        assert_eq!(off.imip.message_id_domain, off.host_name);

        let on = mail_settings("[smtp]\nhost = \"mail.example.org\"\n", &[]).unwrap();
        let relay = on.relay.unwrap();
        assert!(on.imip.enabled);
        assert_eq!((relay.port, relay.security), (587, agora_imip::smtp::Security::StartTls));
        assert!(!relay.accept_invalid_certs);
        assert_eq!(relay.timeout, Duration::from_secs(30));

        let tls = mail_settings("", &["--smtp-host", "mail.example.org", "--smtp-security", "tls"]).unwrap();
        assert_eq!(tls.relay.unwrap().port, 465);
    }

    #[test]
    fn mail_file_keys_and_flags() {
        let file = "[smtp]\nhost = \"a.example\"\nport = 2525\nsecurity = \"none\"\ntimeout_seconds = 5\n\
                    accept_invalid_certs = true\n\
                    [imip]\nsender = \"calendar@agora.example\"\nmax_attempts = 3\ntrusted_authserv_ids = [\"mx.example\"]\n";
        let m = mail_settings(file, &["--smtp-port", "2526"]).unwrap();
        let relay = m.relay.unwrap();
        assert_eq!((relay.host.as_str(), relay.port), ("a.example", 2526));
        assert_eq!(relay.security, agora_imip::smtp::Security::None);
        assert_eq!(relay.timeout, Duration::from_secs(5));
        assert!(relay.accept_invalid_certs);
        assert_eq!(m.imip.sender.as_deref(), Some("calendar@agora.example"));
        assert_eq!(m.imip.message_id_domain, "agora.example");
        assert_eq!(m.imip.trusted_authserv_ids, ["mx.example"]);
        assert_eq!(m.max_attempts, 3);

        let m = mail_settings(file, &["--imip-trusted-authserv-id", "a,b", "--imip-message-id-domain", "ids.example"])
            .unwrap();
        assert_eq!(m.imip.trusted_authserv_ids, ["a", "b"]);
        assert_eq!(m.imip.message_id_domain, "ids.example");
    }

    #[test]
    fn debug_output_shows_no_secret() {
        let file = "store = \"postgres://agora:db-secret-1@db.example/agora\"\n\
                    [ldap]\nurl = \"ldap://ldap.example\"\nbase_dn = \"dc=example\"\n\
                    bind_dn = \"cn=agora\"\nbind_password = \"ldap-secret-2\"\n\
                    [smtp]\nhost = \"mail.example\"\nusername = \"agora\"\npassword = \"smtp-secret-3\"\n";
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("a.toml");
        std::fs::write(&path, file).unwrap();
        let cli = Cli::try_parse_from(["agora", "--config", path.to_str().unwrap(), "serve"]).unwrap();
        let settings = Settings::load(&cli).unwrap();
        let crate::cli::Command::Serve(args) = &cli.command else { panic!("serve expected") };
        let serve = settings.serve(args).unwrap();
        // The values are there, for the code that uses them…
        assert_eq!(serve.ldap.as_ref().unwrap().bind_password.as_ref().unwrap().expose(), "ldap-secret-2");
        assert!(settings.store.as_ref().unwrap().expose().contains("db-secret-1"));
        // …and in no Debug output, of the settings or of the command line.
        let cli_with_store =
            Cli::try_parse_from(["agora", "--store", "postgres://agora:db-secret-1@db.example/agora", "serve"])
                .unwrap();
        for text in [format!("{settings:?}"), format!("{serve:?}"), format!("{cli_with_store:?}")] {
            for secret in ["db-secret-1", "ldap-secret-2", "smtp-secret-3"] {
                assert!(!text.contains(secret), "{secret} in {text}");
            }
            assert!(text.contains("***"), "{text}");
        }
    }

    fn serve_settings(file: &str) -> Result<ServeSettings, String> {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("a.toml");
        std::fs::write(&path, file).unwrap();
        let cli = Cli::try_parse_from(["agora", "--config", path.to_str().unwrap(), "serve"]).unwrap();
        let crate::cli::Command::Serve(args) = &cli.command else { panic!("serve expected") };
        Settings::load(&cli).unwrap().serve(args)
    }

    #[test]
    fn oidc_settings() {
        assert!(serve_settings("").unwrap().oidc.is_none());
        let base = "[oidc]\nissuer = \"https://id.example.org\"\nclient_id = \"agora\"\n\
                    redirect_url = \"https://agora.example.org/auth/oidc/callback\"\n";
        // The environment may give the secret instead; this test sets none.
        if std::env::var_os(OIDC_SECRET_VAR).is_none() {
            assert!(serve_settings(base).unwrap_err().contains("client secret"));
        }
        let o = serve_settings(&format!("{base}client_secret = \"s3cret\"\n")).unwrap().oidc.unwrap();
        assert_eq!(
            (o.client_id.as_str(), o.label.as_str(), o.create_accounts),
            ("agora", "Sign in with single sign-on", true)
        );
        assert!(!format!("{o:?}").contains("s3cret"), "the secret never reaches a log");
        let bad = base.replace("https://id.example.org", "id.example.org");
        assert!(serve_settings(&format!("{bad}client_secret = \"x\"\n")).unwrap_err().contains("oidc.issuer"));
        assert!(toml::from_str::<FileConfig>("[oidc]\nissuer = \"x\"\nclient_idd = \"a\"\n").is_err());
    }

    #[test]
    fn web_session_durations() {
        let s = serve_settings("").unwrap().sessions;
        assert_eq!((s.idle, s.max), (Duration::from_secs(12 * 3600), Duration::from_secs(7 * 86400)));
        let s = serve_settings("[web]\nsession_idle = \"30min\"\nsession_max = \"1day\"\n").unwrap().sessions;
        assert_eq!((s.idle, s.max), (Duration::from_secs(1800), Duration::from_secs(86400)));
        assert!(serve_settings("[web]\nsession_idle = \"soon\"\n").unwrap_err().contains("session_idle"));
        assert!(serve_settings("[web]\nsession_idle = \"8d\"\n").unwrap_err().contains("longer"));
        assert!(toml::from_str::<FileConfig>("[web]\nsession_idel = \"1h\"\n").is_err());
    }

    #[test]
    fn mail_mistakes_are_refused() {
        assert!(mail_settings("[smtp]\nport = 25\n", &[]).unwrap_err().contains("no host"));
        assert!(mail_settings("", &["--smtp-port", "25"]).unwrap_err().contains("no host"));
        assert!(toml::from_str::<FileConfig>("[smtp]\nhots = \"a\"\n").is_err());
        assert!(toml::from_str::<FileConfig>("[imip]\nsendr = \"a\"\n").is_err());
        assert!(mail_settings("[smtp]\nhost = \"a\"\n[imip]\nsender = \"Agora <a@b>\"\n", &[]).is_err());
        assert!(mail_settings("[smtp]\nhost = \"a\"\n[imip]\nmax_attempts = 0\n", &[]).is_err());
        if std::env::var_os(SMTP_PASSWORD_VAR).is_none() {
            assert!(mail_settings("[smtp]\nhost = \"a\"\nusername = \"u\"\n", &[]).unwrap_err().contains("password"));
        }
    }
}
