//! Command-line grammar. Every setting that a flag carries can also come from an
//! `AGORA_*` variable (clap reads it) or the configuration file (see `settings`).

use std::net::SocketAddr;
use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};

/// Agora, a standards-based groupware server (CalDAV, CardDAV, WebDAV).
#[derive(Parser, Debug)]
#[command(name = "agora", version, about)]
pub struct Cli {
    /// Configuration file [default: ./agora.toml when it exists]
    #[arg(long, global = true, env = "AGORA_CONFIG", value_name = "FILE")]
    pub config: Option<PathBuf>,
    /// Directory of the embedded database [default: ./agora-data]
    #[arg(long, global = true, env = "AGORA_DATA_DIR", value_name = "DIR")]
    pub data_dir: Option<PathBuf>,
    /// Use another store: postgres://USER:PASSWORD@HOST:PORT/DB
    #[arg(long, global = true, env = "AGORA_STORE", value_name = "URL")]
    pub store: Option<crate::secret::Secret>,
    /// SQLite commit durability: full (survives power loss) or normal [default: full]
    #[arg(long, global = true, env = "AGORA_SQLITE_SYNCHRONOUS", value_enum)]
    pub sqlite_synchronous: Option<SqliteSync>,
    /// Log format [default: text]
    #[arg(long, global = true, env = "AGORA_LOG_FORMAT", value_enum)]
    pub log_format: Option<LogFormat>,
    /// What to do
    #[command(subcommand)]
    pub command: Command,
}

/// Log line format.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum LogFormat {
    /// Human-readable lines.
    Text,
    /// One JSON object per line.
    Json,
}

/// SQLite `synchronous` setting.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum SqliteSync {
    /// fsync every commit.
    Full,
    /// fsync at checkpoints.
    Normal,
}

/// Sub-commands.
#[derive(Subcommand, Debug)]
pub enum Command {
    /// Run the server
    Serve(Box<ServeArgs>),
    /// Manage user accounts
    #[command(subcommand)]
    User(UserCommand),
    /// Manage groups
    #[command(subcommand)]
    Group(GroupCommand),
    /// Manage rooms and equipment
    #[command(subcommand)]
    Resource(ResourceCommand),
    /// Share calendars and address books
    #[command(subcommand)]
    Share(ShareCommand),
    /// Publish calendars as read-only feeds behind secret links
    #[command(subcommand)]
    Publish(PublishCommand),
    /// Import .ics, .vcf and Outlook .csv files (a file, a directory, a zip, or an `agora export`), without sending invitations
    Import(ImportArgs),
    /// The trash: deleted events, contacts, tasks, calendars and address books, restorable for a while
    #[command(subcommand)]
    Trash(TrashCommand),
    /// Legal holds: keep a user's or a collection's data from ever being purged
    #[command(subcommand)]
    Hold(HoldCommand),
    /// Read the audit log: who created, changed, deleted, shared or restored what, when and from where
    Audit(AuditArgs),
    /// Export users (or the whole server) to a directory or a zip: .ics, .vcf and a manifest
    Export(ExportArgs),
    /// Deliver one e-mail from standard input to a calendar user (for an MTA's pipe)
    Deliver(DeliverArgs),
    /// The outgoing e-mail queue (iMIP)
    #[command(subcommand)]
    Mail(MailCommand),
    /// Write a consistent backup of the whole store to a file, while the server runs
    Backup(BackupArgs),
    /// Replace the store's content with a backup (SQLite: the server stopped)
    Restore(RestoreArgs),
    /// Bring a user's calendars, tasks, notes and address books from another CalDAV/CardDAV server
    Migrate(MigrateArgs),
}

/// `agora backup`.
#[derive(Args, Debug)]
pub struct BackupArgs {
    /// The backup file to write (replaced whole, never half-written)
    #[arg(long, value_name = "FILE")]
    pub to: PathBuf,
    /// Directory of PostgreSQL's pg_dump [default: found on PATH]
    #[arg(long, env = "AGORA_PG_BIN", value_name = "DIR")]
    pub pg_bin: Option<PathBuf>,
}

/// `agora restore`.
#[derive(Args, Debug)]
pub struct RestoreArgs {
    /// The backup file (made by `agora backup`)
    #[arg(long, value_name = "FILE")]
    pub from: PathBuf,
    /// Replace a store that already holds data
    #[arg(long)]
    pub force: bool,
    /// Directory of PostgreSQL's pg_restore [default: found on PATH]
    #[arg(long, env = "AGORA_PG_BIN", value_name = "DIR")]
    pub pg_bin: Option<PathBuf>,
}

/// Settings of `agora serve`.
#[derive(Args, Debug)]
pub struct ServeArgs {
    /// Address to listen on [default: 127.0.0.1:8008]
    #[arg(long, env = "AGORA_LISTEN", value_name = "ADDR:PORT")]
    pub listen: Option<SocketAddr>,
    /// PEM certificate chain; with --tls-key, serve HTTPS
    #[arg(long, env = "AGORA_TLS_CERT", value_name = "FILE", requires = "tls_key")]
    pub tls_cert: Option<PathBuf>,
    /// PEM private key for --tls-cert
    #[arg(long, env = "AGORA_TLS_KEY", value_name = "FILE", requires = "tls_cert")]
    pub tls_key: Option<PathBuf>,
    /// Create `admin` with a generated password when the store has no user [default: true]
    #[arg(long, env = "AGORA_INITIAL_ADMIN", value_name = "BOOL")]
    pub initial_admin: Option<bool>,
    /// Seconds a verified password is trusted without re-hashing [default: 300; 0 disables]
    #[arg(long, env = "AGORA_AUTH_CACHE_SECONDS", value_name = "SECONDS")]
    pub auth_cache_seconds: Option<u64>,
    /// Failed logins for one account before it is slowed down [default: 5]
    #[arg(long, env = "AGORA_AUTH_MAX_FAILURES", value_name = "N")]
    pub auth_max_failures: Option<u32>,
    /// Window for counting failed logins, and the longest back-off [default: 300]
    #[arg(long, env = "AGORA_AUTH_FAILURE_WINDOW_SECONDS", value_name = "SECONDS")]
    pub auth_failure_window_seconds: Option<u64>,
    /// Reverse proxy (address or CIDR) whose X-Forwarded-For is believed; repeatable
    #[arg(long = "trusted-proxy", env = "AGORA_TRUSTED_PROXIES", value_delimiter = ',', value_name = "ADDR")]
    pub trusted_proxies: Vec<String>,
    /// Largest request body in bytes; larger ones get 413 [default: 16777216]
    #[arg(long, env = "AGORA_MAX_REQUEST_BYTES", value_name = "BYTES")]
    pub max_request_bytes: Option<usize>,
    /// Largest calendar object or vCard in bytes (max-resource-size) [default: 10485760]
    #[arg(long, env = "AGORA_MAX_RESOURCE_SIZE", value_name = "BYTES")]
    pub max_resource_size: Option<u64>,
    /// Bytes each user may store (RFC 4331 quota); 0 means unlimited [default: 0]
    #[arg(long, env = "AGORA_USER_QUOTA_BYTES", value_name = "BYTES")]
    pub user_quota_bytes: Option<u64>,
    /// Deepest XML nesting accepted in a request body [default: 32]
    #[arg(long, env = "AGORA_MAX_XML_DEPTH", value_name = "N")]
    pub max_xml_depth: Option<usize>,
    /// Most properties or elements of one kind accepted in a request body [default: 1000]
    #[arg(long, env = "AGORA_MAX_XML_PROPERTIES", value_name = "N")]
    pub max_xml_properties: Option<usize>,
    /// Seconds in-flight requests get to finish after SIGINT/SIGTERM [default: 30]
    #[arg(long, env = "AGORA_SHUTDOWN_GRACE_SECONDS", value_name = "SECONDS")]
    pub shutdown_grace_seconds: Option<u64>,
    /// Seconds between refreshes of the global address list (and LDAP) and of
    /// subscribed calendar feeds [default: 300]
    #[arg(long, env = "AGORA_REFRESH_SECONDS", value_name = "SECONDS")]
    pub refresh_seconds: Option<u64>,
    /// Let subscribed calendar feeds be fetched from loopback and private
    /// networks (off: users could make the server probe its own network)
    #[arg(long, env = "AGORA_FEEDS_ALLOW_PRIVATE", value_name = "BOOL")]
    pub feeds_allow_private: Option<bool>,
    /// Fetch feeds on HOST from ADDRESS, unchecked, whatever DNS says: an
    /// intranet feed host without opening every private address; repeatable
    #[arg(long = "feeds-resolve", env = "AGORA_FEEDS_RESOLVE", value_delimiter = ',', value_name = "HOST=ADDRESS")]
    pub feeds_resolve: Vec<String>,
    /// Serve LMTP (RFC 2033) here for the local MTA to deliver iMIP replies and
    /// invitations; loopback or a private network only [default: off]
    #[arg(long, env = "AGORA_LMTP_LISTEN", value_name = "ADDR:PORT")]
    pub lmtp_listen: Option<SocketAddr>,
    /// First retry delay of an outgoing e-mail, doubled at each attempt (tests)
    #[arg(long, env = "AGORA_MAIL_RETRY_BASE_SECONDS", value_name = "SECONDS", hide = true)]
    pub mail_retry_base_seconds: Option<u64>,
    #[command(flatten)]
    pub mail: MailArgs,
}

/// How e-mail goes out (`[smtp]`) and how iMIP uses it (`[imip]`): for `serve`,
/// and for `deliver`, whose changes may queue answers.
#[derive(Args, Debug)]
pub struct MailArgs {
    /// Relay (smarthost) for outgoing iMIP e-mail; without one, nothing is mailed
    #[arg(long, env = "AGORA_SMTP_HOST", value_name = "HOST")]
    pub smtp_host: Option<String>,
    /// Relay port [default: 587, or 465 with --smtp-security tls]
    #[arg(long, env = "AGORA_SMTP_PORT", value_name = "PORT")]
    pub smtp_port: Option<u16>,
    /// Connection protection [default: starttls]
    #[arg(long, env = "AGORA_SMTP_SECURITY", value_enum)]
    pub smtp_security: Option<SmtpSecurity>,
    /// User name for SMTP AUTH; the password comes from AGORA_SMTP_PASSWORD or the file
    #[arg(long, env = "AGORA_SMTP_USERNAME", value_name = "USER")]
    pub smtp_username: Option<String>,
    /// Time limit for connecting and for each reply of the relay [default: 30]
    #[arg(long, env = "AGORA_SMTP_TIMEOUT_SECONDS", value_name = "SECONDS")]
    pub smtp_timeout_seconds: Option<u64>,
    /// Accept any certificate from the relay: for tests only [default: false]
    #[arg(long, env = "AGORA_SMTP_ACCEPT_INVALID_CERTS", value_name = "BOOL")]
    pub smtp_accept_invalid_certs: Option<bool>,
    /// Send iMIP from this address, with the organiser in Reply-To [default: the organiser's own]
    #[arg(long, env = "AGORA_IMIP_SENDER", value_name = "ADDR")]
    pub imip_sender: Option<String>,
    /// Domain of generated Message-IDs [default: the sender's domain, else the host name]
    #[arg(long, env = "AGORA_IMIP_MESSAGE_ID_DOMAIN", value_name = "DOMAIN")]
    pub imip_message_id_domain: Option<String>,
    /// Attempts at sending one e-mail before it is marked failed [default: 10]
    #[arg(long, env = "AGORA_IMIP_MAX_ATTEMPTS", value_name = "N")]
    pub imip_max_attempts: Option<u32>,
    /// Authserv-id of the local MTA's Authentication-Results (repeatable); others are ignored
    #[arg(
        long = "imip-trusted-authserv-id",
        env = "AGORA_IMIP_TRUSTED_AUTHSERV_IDS",
        value_delimiter = ',',
        value_name = "ID"
    )]
    pub imip_trusted_authserv_ids: Vec<String>,
}

impl MailArgs {
    /// The mail settings the environment gives (`AGORA_SMTP_*`, `AGORA_IMIP_*`),
    /// for commands that take no mail options.
    pub fn from_env() -> Result<MailArgs, String> {
        use clap::{Args as _, FromArgMatches as _};
        let command = MailArgs::augment_args(clap::Command::new("agora"));
        let matches = command.try_get_matches_from(["agora"]).map_err(|e| e.to_string())?;
        MailArgs::from_arg_matches(&matches).map_err(|e| e.to_string())
    }
}

/// `--smtp-security`: how the connection to the relay is protected.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum SmtpSecurity {
    /// Plain connection upgraded with STARTTLS, which is required (RFC 3207)
    Starttls,
    /// TLS from the first byte (RFC 8314 implicit TLS, usually port 465)
    Tls,
    /// No encryption: a relay on this host or a trusted network only
    None,
}

/// `agora deliver`: one message on standard input, as an MTA pipes it.
#[derive(Args, Debug)]
pub struct DeliverArgs {
    /// The envelope recipient: a calendar user's e-mail address
    #[arg(long, value_name = "ADDR")]
    pub recipient: String,
    /// The envelope sender (reverse path) [default: empty]
    #[arg(long, value_name = "ADDR", default_value = "")]
    pub sender: String,
    #[command(flatten)]
    pub mail: MailArgs,
}

/// `agora import`.
#[derive(Args, Debug)]
pub struct ImportArgs {
    /// The calendar or address book (e.g. calendars/alice/calendar, addressbooks/alice/contacts);
    /// or, with --user or when it is a directory or a .zip, what to import
    #[arg(value_name = "COLLECTION|PATH")]
    pub collection: String,
    /// The file to read into COLLECTION; `-` for standard input
    #[arg(default_value = "-")]
    pub file: PathBuf,
    /// Whose collections the files go to; with an `agora export`, import only these users (repeatable)
    #[arg(long = "user", value_name = "NAME")]
    pub users: Vec<String>,
}

/// `agora export`.
#[derive(Args, Debug)]
pub struct ExportArgs {
    /// A user to export (repeatable)
    #[arg(long = "user", value_name = "NAME", required_unless_present = "all", conflicts_with = "all")]
    pub users: Vec<String>,
    /// Every user, group and resource
    #[arg(long)]
    pub all: bool,
    /// Where to write: a new or empty directory, or a FILE.zip
    #[arg(long, value_name = "DIR|FILE.zip")]
    pub to: PathBuf,
}

/// `agora migrate`: the remote password comes from --password-file or
/// AGORA_MIGRATE_PASSWORD (for --user), or from the --users file; never from
/// the command line.
#[derive(Args, Debug)]
pub struct MigrateArgs {
    /// Base URL of the other server (its well-known addresses are tried first)
    #[arg(long, value_name = "URL")]
    pub from: String,
    /// The local user to fill (must exist)
    #[arg(long, value_name = "NAME", required_unless_present = "users", conflicts_with = "users")]
    pub user: Option<String>,
    /// Login on the other server [default: --user]
    #[arg(long, value_name = "LOGIN", requires = "user")]
    pub login: Option<String>,
    /// File whose first line is the password on the other server [default: AGORA_MIGRATE_PASSWORD]
    #[arg(long, value_name = "FILE", requires = "user")]
    pub password_file: Option<PathBuf>,
    /// CSV file of users to migrate, one `local,remote_login,password` per line (it holds secrets)
    #[arg(long, value_name = "FILE")]
    pub users: Option<PathBuf>,
    /// State file of the migration [default: DATA_DIR/migrate/USER.json]
    #[arg(long, value_name = "FILE", requires = "user")]
    pub state: Option<PathBuf>,
    /// Say what would be brought, without writing anything
    #[arg(long)]
    pub dry_run: bool,
    /// Objects fetched per multiget request
    #[arg(long, value_name = "N", default_value_t = 100, hide = true)]
    pub batch: usize,
}

/// `agora mail …`
#[derive(Subcommand, Debug)]
pub enum MailCommand {
    /// List the outgoing e-mail queue, newest first
    Queue {
        /// Most messages shown
        #[arg(long, default_value_t = 50)]
        limit: i64,
    },
    /// Queue a message that failed for good once more
    Retry {
        /// Message id (see `agora mail queue`)
        id: i64,
    },
    /// Remove a failed or sent message from the queue
    Drop {
        /// Message id (see `agora mail queue`)
        id: i64,
    },
}

/// Name, addresses and display name of a new principal.
#[derive(Args, Debug)]
pub struct EntryArgs {
    /// Name (letters, digits, . _ - @ +; case-insensitive); a user's login name
    pub name: String,
    /// E-mail address (repeat for several; the first is preferred)
    #[arg(long = "email", value_name = "ADDR")]
    pub emails: Vec<String>,
    /// Name shown to others
    #[arg(long, value_name = "TEXT")]
    pub display_name: Option<String>,
}

/// `agora user …`
#[derive(Subcommand, Debug)]
pub enum UserCommand {
    /// Create a user (password: --password-stdin, else prompted on a terminal, else generated and printed)
    Add {
        #[command(flatten)]
        entry: EntryArgs,
        /// Read the password from the first line of standard input
        #[arg(long)]
        password_stdin: bool,
        /// Make the user an administrator (the web's Administration section)
        #[arg(long)]
        admin: bool,
    },
    /// List users with their storage use and quota
    List,
    /// Make a user an administrator, or not
    Admin {
        /// Login name
        name: String,
        /// on or off
        #[arg(value_enum)]
        state: OnOff,
    },
    /// Disable a user: no sign-in by any means, open sessions end; data and invitations stay
    Disable {
        /// Login name
        name: String,
    },
    /// Enable a disabled user again
    Enable {
        /// Login name
        name: String,
    },
    /// Set a user's storage quota in bytes (0: unlimited; "default": the server's)
    Quota {
        /// Login name
        name: String,
        /// Bytes, 0 or "default"
        bytes: String,
    },
    /// Set a user's password (same input rules as `add`)
    Passwd {
        /// Login name
        name: String,
        /// Read the password from the first line of standard input
        #[arg(long)]
        password_stdin: bool,
    },
    /// Delete a user and everything they own
    Del {
        /// Login name
        name: String,
    },
    /// Per-device passwords
    #[command(subcommand)]
    AppPassword(AppPasswordCommand),
}

/// `agora user app-password …`
#[derive(Subcommand, Debug)]
pub enum AppPasswordCommand {
    /// Generate an app password for a device and print it once
    Add {
        /// Login name
        user: String,
        /// Device label, unique per user ("iPhone", "Thunderbird at home")
        label: String,
    },
    /// List a user's app passwords
    List {
        /// Login name
        user: String,
    },
    /// Revoke an app password; the device is refused from its next request
    Revoke {
        /// Login name
        user: String,
        /// Device label
        label: String,
    },
}

/// `agora group …`
#[derive(Subcommand, Debug)]
pub enum GroupCommand {
    /// Create a group
    Add(EntryArgs),
    /// List groups and their direct members
    List,
    /// Delete a group (its members stay)
    Del {
        /// Group name
        name: String,
    },
    /// Group membership
    #[command(subcommand)]
    Member(MemberCommand),
}

/// `agora group member …`
#[derive(Subcommand, Debug)]
pub enum MemberCommand {
    /// Add a user or a group to a group
    Add {
        /// Group name
        group: String,
        /// User or group name
        member: String,
    },
    /// Remove a direct member
    Del {
        /// Group name
        group: String,
        /// User or group name
        member: String,
    },
}

/// Kind of resource on the command line.
#[derive(Clone, Copy, Debug, ValueEnum)]
pub enum ResourceKindArg {
    /// A meeting room
    Room,
    /// Equipment (projector, car…)
    Equipment,
}

/// `agora resource …`
#[derive(Subcommand, Debug)]
pub enum ResourceCommand {
    /// Create a room or a piece of equipment
    Add {
        #[command(flatten)]
        entry: EntryArgs,
        /// Room or equipment
        #[arg(long, value_enum)]
        kind: ResourceKindArg,
        #[command(flatten)]
        booking: BookingArgs,
    },
    /// List resources with their capacity and booking rules
    List,
    /// Change a resource's capacity and booking rules
    Set {
        /// Resource name
        name: String,
        #[command(flatten)]
        booking: BookingArgs,
    },
    /// Delete a resource
    Del {
        /// Resource name
        name: String,
    },
}

/// How a resource may be booked (`agora resource add|set`).
#[derive(Args, Debug, Default)]
pub struct BookingArgs {
    /// How many people it holds ("none": not said)
    #[arg(long)]
    pub capacity: Option<String>,
    /// Whether it answers invitations by itself (off: a person answers; they wait in NEEDS-ACTION)
    #[arg(long, value_enum)]
    pub auto_accept: Option<OnOff>,
    /// Only members of this group may book it ("anyone": no limit)
    #[arg(long)]
    pub bookers: Option<String>,
}

/// A switch on the command line.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum OnOff {
    /// Turned on
    On,
    /// Turned off
    Off,
}

impl EntryArgs {
    /// The directory entry these arguments describe.
    pub fn entry(&self) -> agora_core::directory::NewEntry {
        agora_core::directory::NewEntry {
            name: self.name.clone(),
            display_name: self.display_name.clone(),
            emails: self.emails.clone(),
        }
    }
}

/// Access level on the command line.
#[derive(Clone, Copy, Debug, ValueEnum)]
pub enum AccessArg {
    /// Read everything but private events
    Read,
    /// Read and write
    ReadWrite,
    /// Free/busy time only
    Freebusy,
}

/// `agora share …`
#[derive(Subcommand, Debug)]
pub enum ShareCommand {
    /// Share a collection (e.g. calendars/alice/calendar) with a user or a group
    Add {
        /// The collection's path
        collection: String,
        /// User or group name
        sharee: String,
        /// What the sharee may do
        #[arg(long, value_enum, default_value = "read")]
        access: AccessArg,
        /// Leave an invitation for the sharee to answer instead of accepting for them
        #[arg(long)]
        pending: bool,
    },
    /// List shares (of one user's collections, or all)
    List {
        /// Only this owner's collections
        #[arg(long)]
        owner: Option<String>,
    },
    /// Stop sharing a collection with a user
    Del {
        /// The collection's path
        collection: String,
        /// User name
        sharee: String,
    },
}

/// `agora publish …`
#[derive(Subcommand, Debug)]
pub enum PublishCommand {
    /// Publish a calendar (e.g. calendars/alice/calendar); prints the feed's path
    Add {
        /// The calendar's path
        collection: String,
    },
    /// Revoke a calendar's link
    Del {
        /// The calendar's path
        collection: String,
    },
}

/// `agora trash …`
#[derive(Subcommand, Debug)]
pub enum TrashCommand {
    /// List a user's trash, newest first
    List {
        /// The user
        user: String,
    },
    /// Put entries back where they were (ids from `agora trash list`)
    Restore {
        /// The user
        user: String,
        /// Entry ids
        #[arg(required = true)]
        ids: Vec<i64>,
    },
    /// Delete entries for good (never what a legal hold covers)
    Purge {
        /// The user (with entry ids)
        #[arg(required_unless_present = "expired")]
        user: Option<String>,
        /// Entry ids
        ids: Vec<i64>,
        /// Purge now what has passed its retention time, for every user
        #[arg(long, conflicts_with_all = ["user", "ids"])]
        expired: bool,
    },
}

/// `agora hold …`
#[derive(Subcommand, Debug)]
pub enum HoldCommand {
    /// Place a hold on a user or a collection
    Add {
        /// A user (or group, or resource) whose data is held
        #[arg(long, conflicts_with = "collection", required_unless_present = "collection")]
        user: Option<String>,
        /// A collection (e.g. calendars/alice/work) held with everything in it
        #[arg(long)]
        collection: Option<String>,
        /// Why: a case number, a records rule
        #[arg(long)]
        reason: String,
    },
    /// List the holds
    List,
    /// Lift a hold (id from `agora hold list`)
    Lift {
        /// Hold id
        id: i64,
    },
}

/// `agora audit`
#[derive(Args, Debug)]
pub struct AuditArgs {
    /// From this time on (2026-12-01 or 2026-12-01T08:00:00Z, UTC)
    #[arg(long, value_name = "TIME")]
    pub since: Option<String>,
    /// Before this time
    #[arg(long, value_name = "TIME")]
    pub until: Option<String>,
    /// Done by this user (or `cli:NAME` for the command line)
    #[arg(long, value_name = "NAME")]
    pub actor: Option<String>,
    /// Done to this user's data
    #[arg(long, value_name = "NAME")]
    pub user: Option<String>,
    /// This action only (create, change, delete, share, restore, read…)
    #[arg(long)]
    pub action: Option<String>,
    /// Targets below this path (e.g. calendars/alice/work/)
    #[arg(long, value_name = "PATH")]
    pub path: Option<String>,
    /// Output format
    #[arg(long, value_enum, default_value_t = AuditFormat::Table)]
    pub format: AuditFormat,
    /// At most this many rows
    #[arg(long)]
    pub limit: Option<i64>,
}

/// How `agora audit` prints.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum AuditFormat {
    /// Aligned columns
    Table,
    /// RFC 4180 CSV with a header
    Csv,
    /// One JSON object per line
    Jsonl,
}
