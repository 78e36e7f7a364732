//! Command-line grammar. The server is named only by a base URL, accounts by a
//! pattern and one password, collections by path templates: nothing here is
//! specific to Agora except the defaults, so any CalDAV/CardDAV server can be
//! measured once its accounts exist.

use clap::{Args, Parser, Subcommand};

/// Measure a CalDAV/CardDAV server over the standard protocol.
#[derive(Parser, Debug)]
#[command(name = "agora-bench", version, about)]
pub struct Cli {
    /// What to do
    #[command(subcommand)]
    pub command: Command,
}

/// Sub-commands.
#[derive(Subcommand, Debug)]
pub enum Command {
    /// Fill the users' calendars, task lists and address books (idempotent)
    Populate(PopulateArgs),
    /// Run timed workloads and report throughput, latency and server memory
    Run(RunArgs),
}

/// The server and the accounts, shared by both sub-commands.
#[derive(Args, Debug, Clone)]
pub struct Target {
    /// Base URL, e.g. http://127.0.0.1:8008
    #[arg(long)]
    pub url: String,
    /// Number of users; user n (1..=N) is named by --user-pattern
    #[arg(long, default_value_t = 1)]
    pub users: usize,
    /// Login names: the user's number (1..=N) takes the place of the braced n
    #[arg(long, default_value = "bench{n}")]
    pub user_pattern: String,
    /// Password of every user
    #[arg(long, env = "AGORA_BENCH_PASSWORD", hide_env_values = true)]
    pub password: String,
    /// Calendar address of a user, for free/busy ({user} is the login name)
    #[arg(long, default_value = "{user}@example.org")]
    pub email_pattern: String,
    /// Events calendar of a user
    #[arg(long, default_value = "/calendars/{user}/calendar/")]
    pub calendar: String,
    /// Task list of a user
    #[arg(long, default_value = "/calendars/{user}/tasks/")]
    pub tasks: String,
    /// Address book of a user
    #[arg(long, default_value = "/addressbooks/{user}/contacts/")]
    pub addressbook: String,
    /// Scheduling outbox of a user (RFC 6638)
    #[arg(long, default_value = "/calendars/{user}/outbox/")]
    pub outbox: String,
    /// The user (1..=N) who holds the big calendar and address book
    #[arg(long, default_value_t = 1)]
    pub big_user: usize,
    /// Events in the big user's calendar
    #[arg(long, default_value_t = 20_000)]
    pub big_events: usize,
    /// Contacts in the big user's address book
    #[arg(long, default_value_t = 20_000)]
    pub big_contacts: usize,
    /// Events in every user's calendar
    #[arg(long, default_value_t = 50)]
    pub events_per_user: usize,
    /// Seconds a request may take before it counts as failed
    #[arg(long, default_value_t = 120)]
    pub timeout: u64,
}

/// `agora-bench populate`.
#[derive(Args, Debug)]
pub struct PopulateArgs {
    #[command(flatten)]
    pub target: Target,
    /// Tasks in every user's task list
    #[arg(long, default_value_t = 10)]
    pub tasks_per_user: usize,
    /// Contacts in every user's address book
    #[arg(long, default_value_t = 20)]
    pub contacts_per_user: usize,
    /// Requests in flight at once
    #[arg(long, default_value_t = 16)]
    pub concurrency: usize,
}

/// `agora-bench run`.
#[derive(Args, Debug)]
pub struct RunArgs {
    #[command(flatten)]
    pub target: Target,
    /// Workloads, in order: ctag, initial-sync, delta-sync, range, put, freebusy, mixed
    #[arg(long, value_delimiter = ',', default_value = "ctag,initial-sync,delta-sync,range,put,freebusy,mixed")]
    pub workloads: Vec<String>,
    /// Clients at once in the throughput workloads, ctag and put
    #[arg(long, default_value_t = 32)]
    pub concurrency: usize,
    /// Clients at once in the latency workloads, delta-sync, range and freebusy
    /// (1: the latency of a request on its own, not of a queue)
    #[arg(long, default_value_t = 1)]
    pub latency_concurrency: usize,
    /// Seconds each timed workload runs
    #[arg(long, default_value_t = 10.0)]
    pub duration: f64,
    /// Attendees asked about in each free/busy request (other users, cycling)
    #[arg(long, default_value_t = 20)]
    pub attendees: usize,
    /// Ask for calendar-data too in the range query (clients mostly ask for ETags only)
    #[arg(long)]
    pub range_calendar_data: bool,
    /// Simulated users in the mixed workload [default: all users]
    #[arg(long)]
    pub mixed_users: Option<usize>,
    /// Mean pause between two actions of a mixed-workload user, in milliseconds
    #[arg(long, default_value_t = 3000)]
    pub think_ms: u64,
    /// The server's process id: its memory (VmRSS, VmHWM in /proc/PID/status) is
    /// reported before the workloads and sampled every 100 ms during each
    #[arg(long)]
    pub server_pid: Option<u32>,
    /// Write every figure as JSON to this file
    #[arg(long)]
    pub json: Option<String>,
    /// KEY=VALUE recorded in the JSON as is (store, machine...); repeatable
    #[arg(long = "label", value_name = "KEY=VALUE")]
    pub labels: Vec<String>,
    /// Exit non-zero when any request failed, not only when objects are missing
    #[arg(long)]
    pub strict: bool,
}
