//! The `agora` binary: `serve` and the administration commands. Wiring only: the
//! rules live in `agora-core`, storage in `agora-store`, HTTP in `agora-dav`.
//!
//! # Layout
//! - `cli`: the command-line grammar (clap).
//! - `settings`: flags > `AGORA_*` variables > configuration file > defaults.
//! - `serve`: starting and stopping the server.
//! - `admin`: user, group and resource commands against the same store, whether
//!   the server runs or not.
//! - `exit`: exit codes.

mod acceptor;
mod admin;
mod cli;
mod exit;
mod ldap;
mod logging;
mod refresh;
mod serve;
mod settings;

use std::process::ExitCode;

use clap::Parser;

use cli::{Cli, Command};
use exit::Failure;
use settings::Settings;

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
    let settings = Settings::load(&cli).map_err(Failure::usage)?;
    match &cli.command {
        Command::Serve(args) => {
            let serve = settings.serve(args).map_err(Failure::usage)?;
            logging::init(settings.log_format, "info");
            serve::run(&settings, serve).await
        }
        command => {
            logging::init(settings.log_format, "warn");
            admin::run(&settings, command).await
        }
    }
}
