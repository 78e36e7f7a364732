//! Administration commands. They open the same store as the server (which may be
//! running: SQLite in WAL mode and PostgreSQL both allow it) and go through the
//! core like every other caller.

mod archive;
mod audit;
mod backup;
pub(crate) mod backup_file;
mod export;
mod groups;
mod holds;
mod import;
mod import_files;
mod import_manifest;
mod mail;
mod manifest;
mod pg_tools;
mod publish;
mod resources;
mod restore;
mod secret;
mod shares;
mod table;
mod trash;
mod users;

use agora_core::Core;

use crate::cli::Command;
use crate::exit::Failure;
use crate::secret::Secret;
use crate::settings::Settings;

/// Runs one administration command.
pub async fn run(settings: &Settings, command: &Command) -> Result<(), Failure> {
    // Backup and restore work on the database itself: the store is not opened
    // (which would migrate it) until they are done.
    if let Command::Backup(_) | Command::Restore(_) = command {
        let location = agora_store::maintenance::Location::resolve(
            settings.store.as_ref().map(Secret::expose),
            &settings.data_dir,
        )?;
        return match command {
            Command::Backup(args) => backup::run(&location, args).await,
            Command::Restore(args) => restore::run(settings, &location, args).await,
            _ => unreachable!("matched above"),
        };
    }
    let store =
        agora_store::open(settings.store.as_ref().map(Secret::expose), &settings.data_dir, settings.sqlite_sync)
            .await?;
    let core = Core::new(store, settings.core_config());
    // The audit log names the operator, not the user a command acts for.
    let origin = agora_core::records::Origin::command_line();
    let result = agora_core::records::with_origin(origin, dispatch(&core, settings, command)).await;
    // A directory change shows in the global address list at once, server
    // running or not.
    // The command itself succeeded either way: a refresh that loses a race with
    // another process (or the store hiccups) is caught up by the server's own.
    // An import that left some objects out (exit 5) still created its principals.
    if result.as_ref().map_or_else(|f| f.code == crate::exit::PARTIAL, |()| true)
        && matches!(command, Command::User(_) | Command::Group(_) | Command::Resource(_) | Command::Import(_))
        && let Err(e) = core.refresh_gal().await
    {
        eprintln!("warning: the global address list will be updated at the server's next refresh ({e})");
    }
    core.close().await;
    result
}

async fn dispatch(core: &Core, settings: &Settings, command: &Command) -> Result<(), Failure> {
    match command {
        Command::User(cmd) => users::run(core, cmd).await,
        Command::Group(cmd) => groups::run(core, cmd).await,
        Command::Resource(cmd) => resources::run(core, cmd).await,
        Command::Share(cmd) => shares::run(core, cmd).await,
        Command::Publish(cmd) => publish::run(core, cmd).await,
        Command::Mail(cmd) => mail::run(core, cmd).await,
        Command::Import(args) => import::run(core, args).await,
        Command::Export(args) => export::run(core, args).await,
        Command::Migrate(args) => crate::migrate::run(core, settings, args).await,
        Command::Trash(cmd) => trash::run(core, cmd).await,
        Command::Hold(cmd) => holds::run(core, cmd).await,
        Command::Audit(args) => audit::run(core, args).await,
        Command::Serve(_) | Command::Deliver(_) | Command::Backup(_) | Command::Restore(_) => {
            unreachable!("serve and deliver are not administration commands")
        }
    }
}
