//! `agora-bench`: measures a CalDAV/CardDAV server the way real clients load it,
//! through the standard protocol only (PUT, PROPFIND, REPORT, POST to an outbox),
//! so Agora and any other server are measured alike given a base URL, accounts
//! and a password.
//!
//! `populate` fills N users' calendars, task lists and address books (one user
//! gets a big calendar and address book); `run` times the workloads of the
//! benchmark issue — `ctag`, `initial-sync`, `delta-sync`, `range`, `put`,
//! `freebusy`, `mixed` — and prints requests/s and latency percentiles per kind
//! of request, the server's memory when given its pid, and a JSON report.
//!
//! Design: workers are tokio tasks issuing one request at a time on a shared
//! keep-alive pool (the mixed workload's users each keep their own connection).
//! Each worker records into its own [`recorder::Recorder`]; results merge at the
//! end, so the measuring costs no lock. Every latency is kept and sorted once:
//! percentiles are exact. Timings are never asserted, only answers are checked.
//!
//! # Layout
//! - `cli`: the command line; `accounts`: user names and collection paths.
//! - `client`: HTTP requests; `requests`: their XML bodies; `multistatus`:
//!   reading answers.
//! - `data`: realistic events, tasks, contacts and free/busy requests.
//! - `populate`: the `populate` sub-command.
//! - `run`, `runner`, `workloads/*`: the `run` sub-command, the timed loop, one
//!   file per workload.
//! - `recorder`, `stats`, `memory`, `progress`, `report`: measuring and telling.

mod accounts;
mod cli;
mod client;
mod data;
mod memory;
mod multistatus;
mod populate;
mod progress;
mod recorder;
mod report;
mod requests;
mod run;
mod runner;
mod stats;
mod workloads;

use std::process::ExitCode;

use clap::Parser;

use cli::{Cli, Command};

fn main() -> ExitCode {
    let cli = Cli::parse();
    let runtime = match tokio::runtime::Builder::new_multi_thread().enable_all().build() {
        Ok(rt) => rt,
        Err(e) => {
            eprintln!("agora-bench: cannot start the runtime: {e}");
            return ExitCode::FAILURE;
        }
    };
    let outcome = runtime.block_on(async {
        match cli.command {
            Command::Populate(args) => populate::run(args).await.map(|()| true),
            Command::Run(args) => run::run(args).await,
        }
    });
    match outcome {
        Ok(true) => ExitCode::SUCCESS,
        Ok(false) => ExitCode::FAILURE,
        Err(e) => {
            eprintln!("agora-bench: {e}");
            ExitCode::from(2)
        }
    }
}
