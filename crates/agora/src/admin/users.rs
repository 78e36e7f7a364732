//! `agora user …`

use agora_core::admin::UserChange;
use agora_core::{Core, PrincipalKind};

use super::{secret, table};
use crate::cli::{AppPasswordCommand, OnOff, UserCommand};
use crate::exit::Failure;

pub async fn run(core: &Core, cmd: &UserCommand) -> Result<(), Failure> {
    let dir = core.directory();
    match cmd {
        UserCommand::Add { entry, password_stdin, admin } => {
            // Check the name and addresses before asking for a password.
            agora_core::names::principal_name(&entry.name)?;
            agora_core::names::emails(&entry.emails)?;
            let secret = secret::obtain(*password_stdin)?;
            let user = dir.add_user(&entry.entry(), &secret.value).await?;
            if *admin {
                dir.set_user(&user.name, &UserChange { administrator: Some(true), ..Default::default() }).await?;
            }
            eprintln!("created {} {}", if *admin { "administrator" } else { "user" }, user.name);
            if secret.generated {
                eprintln!("generated password (shown only once):");
                println!("{}", secret.value);
            }
        }
        UserCommand::List => {
            let usage = dir.usage().await?;
            let mut rows = Vec::new();
            for u in dir.list(Some(PrincipalKind::User)).await? {
                let (_, quota) = core.usage_of(&u).await?;
                let mut flags = Vec::new();
                if u.settings.administrator {
                    flags.push("admin");
                }
                if u.settings.disabled {
                    flags.push("disabled");
                }
                rows.push(vec![
                    u.name.clone(),
                    u.display_name.clone(),
                    u.emails.join(", "),
                    if flags.is_empty() { "-".to_owned() } else { flags.join(",") },
                    usage.get(&u.id).copied().unwrap_or(0).to_string(),
                    quota.map_or_else(|| "unlimited".to_owned(), |q| q.to_string()),
                ]);
            }
            table::print(&["NAME", "DISPLAY NAME", "E-MAIL", "FLAGS", "USED BYTES", "QUOTA"], &rows);
        }
        UserCommand::Admin { name, state } => {
            let on = *state == OnOff::On;
            let u = dir.set_user(name, &UserChange { administrator: Some(on), ..Default::default() }).await?;
            eprintln!("{} is {} an administrator", u.name, if on { "now" } else { "no longer" });
        }
        UserCommand::Disable { name } => {
            let u = dir.set_user(name, &UserChange { disabled: Some(true), ..Default::default() }).await?;
            eprintln!("disabled {}; their sessions have ended", u.name);
        }
        UserCommand::Enable { name } => {
            let u = dir.set_user(name, &UserChange { disabled: Some(false), ..Default::default() }).await?;
            eprintln!("enabled {}", u.name);
        }
        UserCommand::Quota { name, bytes } => {
            let quota = match bytes.trim() {
                "default" => None,
                b => Some(b.parse::<u64>().map_err(|_| {
                    Failure::usage(format!("quota {b:?}: expected a number of bytes, 0 or \"default\""))
                })?),
            };
            let u = dir.set_user(name, &UserChange { quota_bytes: Some(quota), ..Default::default() }).await?;
            let said = match quota {
                None => "the server's".to_owned(),
                Some(0) => "unlimited".to_owned(),
                Some(q) => format!("{q} bytes"),
            };
            eprintln!("quota of {}: {said}", u.name);
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
