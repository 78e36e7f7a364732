//! Administration commands. They open the same store as the server (which may be
//! running: SQLite in WAL mode and PostgreSQL both allow it) and go through the
//! core like every other caller.

mod groups;
mod import;
mod mail;
mod publish;
mod resources;
mod secret;
mod shares;
mod table;
mod users;

use agora_core::Core;

use crate::cli::Command;
use crate::exit::Failure;
use crate::secret::Secret;
use crate::settings::Settings;

/// Runs one administration command.
pub async fn run(settings: &Settings, command: &Command) -> Result<(), Failure> {
    let store =
        agora_store::open(settings.store.as_ref().map(Secret::expose), &settings.data_dir, settings.sqlite_sync)
            .await?;
    let core = Core::new(store, settings.core_config());
    let result = match command {
        Command::User(cmd) => users::run(&core, cmd).await,
        Command::Group(cmd) => groups::run(&core, cmd).await,
        Command::Resource(cmd) => resources::run(&core, cmd).await,
        Command::Share(cmd) => shares::run(&core, cmd).await,
        Command::Publish(cmd) => publish::run(&core, cmd).await,
        Command::Mail(cmd) => mail::run(&core, cmd).await,
        Command::Import(args) => import::run(&core, args).await,
        Command::Migrate(args) => crate::migrate::run(&core, settings, args).await,
        Command::Serve(_) | Command::Deliver(_) => unreachable!("serve and deliver are not administration commands"),
    };
    // A directory change shows in the global address list at once, server
    // running or not.
    // The command itself succeeded either way: a refresh that loses a race with
    // another process (or the store hiccups) is caught up by the server's own.
    if result.is_ok()
        && matches!(command, Command::User(_) | Command::Group(_) | Command::Resource(_))
        && let Err(e) = core.refresh_gal().await
    {
        eprintln!("warning: the global address list will be updated at the server's next refresh ({e})");
    }
    core.close().await;
    result
}
