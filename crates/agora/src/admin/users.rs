//! `agora user …`

use agora_core::{Core, PrincipalKind};

use super::{secret, table};
use crate::cli::{AppPasswordCommand, UserCommand};
use crate::exit::Failure;

pub async fn run(core: &Core, cmd: &UserCommand) -> Result<(), Failure> {
    let dir = core.directory();
    match cmd {
        UserCommand::Add { entry, password_stdin } => {
            // Check the name and addresses before asking for a password.
            agora_core::names::principal_name(&entry.name)?;
            agora_core::names::emails(&entry.emails)?;
            let secret = secret::obtain(*password_stdin)?;
            let user = dir.add_user(&entry.entry(), &secret.value).await?;
            eprintln!("created user {}", user.name);
            if secret.generated {
                eprintln!("generated password (shown only once):");
                println!("{}", secret.value);
            }
        }
        UserCommand::List => {
            let rows: Vec<Vec<String>> = dir
                .list(Some(PrincipalKind::User))
                .await?
                .into_iter()
                .map(|u| vec![u.name, u.display_name, u.emails.join(", ")])
                .collect();
            table::print(&["NAME", "DISPLAY NAME", "E-MAIL"], &rows);
        }
        UserCommand::Passwd { name, password_stdin } => {
            dir.get(Some(PrincipalKind::User), name).await?;
            let secret = secret::obtain(*password_stdin)?;
            dir.set_password(name, &secret.value).await?;
            eprintln!("password changed; sessions using the old one are refused from now on");
            if secret.generated {
                eprintln!("generated password (shown only once):");
                println!("{}", secret.value);
            }
        }
        UserCommand::Del { name } => {
            dir.delete(PrincipalKind::User, name).await?;
            eprintln!("deleted user {}", name.trim().to_lowercase());
        }
        UserCommand::AppPassword(cmd) => app_password(core, cmd).await?,
    }
    Ok(())
}

async fn app_password(core: &Core, cmd: &AppPasswordCommand) -> Result<(), Failure> {
    let dir = core.directory();
    match cmd {
        AppPasswordCommand::Add { user, label } => {
            let (app, secret) = dir.add_app_password(user, label).await?;
            eprintln!("app password {:?} for {} (shown only once):", app.label, user.trim().to_lowercase());
            println!("{secret}");
        }
        AppPasswordCommand::List { user } => {
            let rows: Vec<Vec<String>> =
                dir.app_passwords(user).await?.into_iter().map(|a| vec![a.label, format_time(a.created_at)]).collect();
            table::print(&["LABEL", "CREATED"], &rows);
        }
        AppPasswordCommand::Revoke { user, label } => {
            dir.revoke_app_password(user, label).await?;
            eprintln!("revoked app password {:?}", label.trim());
        }
    }
    Ok(())
}

/// A Unix time as RFC 3339 (UTC, seconds).
pub(super) fn format_time(unix: i64) -> String {
    let t = std::time::UNIX_EPOCH + std::time::Duration::from_secs(unix.max(0) as u64);
    humantime::format_rfc3339_seconds(t).to_string()
}
