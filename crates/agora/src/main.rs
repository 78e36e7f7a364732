//! The `agora` binary: `serve` and the administration commands. Wiring only: the
//! rules live in `agora-core`, storage in `agora-store`, HTTP in `agora-dav`.
//!
//! # Layout
//! - `cli`: the command-line grammar (clap).
//! - `settings`: flags > `AGORA_*` variables > configuration file > defaults.
//! - `serve`: starting and stopping the server.
//! - `mail`: the worker that sends queued iMIP e-mail; `lmtp`: the LMTP server
//!   that takes incoming iMIP e-mail; `deliver`: the same for an MTA's pipe.
//! - `admin`: user, group and resource commands against the same store, whether
//!   the server runs or not.
//! - `db_lock`: the lock file that keeps `agora restore` from replacing a
//!   SQLite database a server uses.
//! - `exit`: exit codes; `secret`: passwords and URLs that never reach a log.
//! - `progress`: the progress bar (or log lines) of long commands.
//! - `migrate`: `agora migrate`, from another CalDAV/CardDAV server.
//! - `refresh`: the background refresh; `feeds`: fetching subscribed feeds
//!   without reaching the server's own network.

mod acceptor;
mod admin;
mod cli;
mod db_lock;
mod deliver;
mod exit;
mod feeds;
mod ldap;
mod lmtp;
mod logging;
mod mail;
mod migrate;
mod progress;
mod refresh;
mod secret;
mod serve;
mod settings;

use std::process::ExitCode;

use clap::Parser;

use cli::{Cli, Command};
use exit::Failure;
use settings::Settings;

/// mimalloc rather than glibc's malloc: glibc keeps freed large blocks (each
/// Argon2 check takes 19 MiB) in per-thread arenas once its mmap threshold has
/// risen; after 150 logins in bursts a server held 196 MB with glibc, 82 MB with
/// mimalloc (BENCHMARKS.md).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> ExitCode {
    let cli = Cli::parse();
    let result = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .map_err(|e| Failure::io(format!("cannot start the runtime: {e}")))
        .and_then(|rt| rt.block_on(run(cli)));
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(failure) => {
            eprintln!("agora: {}", failure.message);
            ExitCode::from(failure.code)
        }
    }
}

async fn run(cli: Cli) -> Result<(), Failure> {
    let settings = Settings::load(&cli).map_err(|e| match cli.command {
        // An MTA defers on EX_CONFIG, where any other code would bounce the mail.
        Command::Deliver(_) => Failure { message: e, code: deliver::EX_CONFIG },
        _ => Failure::usage(e),
    })?;
    match &cli.command {
        Command::Serve(args) => {
            let serve = settings.serve(args).map_err(Failure::usage)?;
            logging::init(settings.log_format, "info");
            serve::run(&settings, serve).await
        }
        Command::Deliver(args) => {
            // Standard error ends up in the bounce the MTA writes: the reason
            // alone, without log lines around it.
            logging::init(settings.log_format, "error");
            deliver::run(&settings, args).await
        }
        command => {
            logging::init(settings.log_format, "warn");
            admin::run(&settings, command).await
        }
    }
}
