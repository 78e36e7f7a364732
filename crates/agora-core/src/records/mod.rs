//! The records a public body keeps (issue 17): the trash ([`trash`]), legal holds
//! ([`holds`]) and the audit log ([`audit`]). What a request's writes carry for
//! them — who acts and from where — is set once per request by the front-end
//! ([`with_origin`]) and read here, so no handler threads it through.

pub mod audit;
pub mod holds;
pub mod trash;

use std::future::Future;

/// How long deleted data stays restorable, and what the audit log records.
#[derive(Debug, Clone)]
pub struct RecordsConfig {
    /// Days a deleted object or collection stays in the trash before it is
    /// purged (unless held); 0 turns the trash off (deletions are final).
    pub trash_days: u32,
    /// Also record reads of other people's data (by delegates and sharees).
    pub audit_reads: bool,
}

impl Default for RecordsConfig {
    fn default() -> Self {
        RecordsConfig { trash_days: 30, audit_reads: false }
    }
}

/// Where a request comes from, for the audit log.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Origin {
    /// The client's address (after trusted proxies).
    pub address: Option<String>,
    /// Its software (User-Agent), cut to a sane length.
    pub client: Option<String>,
    /// Set when an operator acts for a user (the command line: `cli:root`):
    /// the log names the operator, not the user.
    pub operator: Option<String>,
}

tokio::task_local! {
    static ORIGIN: Origin;
}

/// Runs `work` with its origin set (a request, a CLI command).
pub async fn with_origin<F: Future>(origin: Origin, work: F) -> F::Output {
    ORIGIN.scope(origin, work).await
}

/// The current origin (empty outside [`with_origin`]: the server's own work).
pub fn origin() -> Origin {
    ORIGIN.try_with(Origin::clone).unwrap_or_default()
}

/// The longest User-Agent kept.
const MAX_CLIENT: usize = 200;

impl Origin {
    /// An origin from a request's address and User-Agent.
    pub fn of_request(address: Option<String>, user_agent: Option<&str>) -> Origin {
        let client = user_agent.map(|ua| ua.chars().filter(|c| !c.is_control()).take(MAX_CLIENT).collect());
        Origin { address, client, operator: None }
    }

    /// The command line, run by this operating-system user.
    pub fn command_line() -> Origin {
        let user = std::env::var("SUDO_USER").or_else(|_| std::env::var("USER")).unwrap_or_else(|_| "unknown".into());
        Origin { address: None, client: Some("agora command line".into()), operator: Some(format!("cli:{user}")) }
    }
}
