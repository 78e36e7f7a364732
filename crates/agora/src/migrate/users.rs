//! Who is migrated: one user (`--user`, with `--login` and the password from
//! `--password-file` or `AGORA_MIGRATE_PASSWORD`) or every line of a
//! `--users` file (`local,remote_login,password`). Passwords never come from
//! the command line, where `ps` and shell histories would show them.

use std::path::Path;

use crate::cli::MigrateArgs;
use crate::exit::Failure;
use crate::secret::Secret;

/// The variable that may hold the remote password.
pub const PASSWORD_VAR: &str = "AGORA_MIGRATE_PASSWORD";

/// One user to migrate.
#[derive(Debug, Clone)]
pub struct Account {
    /// The local user name.
    pub local: String,
    /// The login on the other server.
    pub login: String,
    /// The password there.
    pub password: Secret,
}

/// The accounts the arguments name.
pub fn accounts(args: &MigrateArgs) -> Result<Vec<Account>, Failure> {
    if let Some(file) = &args.users {
        let text = std::fs::read_to_string(file)
            .map_err(|e| Failure::usage(format!("cannot read {}: {e}", file.display())))?;
        return parse_users(&text, file);
    }
    let local = args.user.clone().ok_or_else(|| Failure::usage("--user or --users is needed"))?;
    let password = match &args.password_file {
        Some(file) => {
            let text = std::fs::read_to_string(file)
                .map_err(|e| Failure::usage(format!("cannot read {}: {e}", file.display())))?;
            text.lines().next().unwrap_or_default().to_owned()
        }
        None => std::env::var(PASSWORD_VAR).map_err(|_| {
            Failure::usage(format!("the remote password is needed: --password-file FILE or {PASSWORD_VAR}"))
        })?,
    };
    let login = args.login.clone().unwrap_or_else(|| local.clone());
    Ok(vec![Account { local, login, password: Secret::from(password) }])
}

/// `local,remote_login,password` per line; `#` starts a comment line; the
/// password is everything after the second comma (it may hold commas).
fn parse_users(text: &str, file: &Path) -> Result<Vec<Account>, Failure> {
    let mut out = Vec::new();
    for (i, line) in text.lines().enumerate() {
        let line = line.trim_end_matches('\r');
        if line.trim().is_empty() || line.trim_start().starts_with('#') {
            continue;
        }
        let mut parts = line.splitn(3, ',');
        let (Some(local), Some(login), Some(password)) = (parts.next(), parts.next(), parts.next()) else {
            // The line may hold a password: only its number is shown.
            return Err(Failure::usage(format!(
                "{} line {}: expected local,remote_login,password",
                file.display(),
                i + 1
            )));
        };
        let (local, login) = (local.trim(), login.trim());
        if local.is_empty() || login.is_empty() {
            return Err(Failure::usage(format!("{} line {}: empty user name or login", file.display(), i + 1)));
        }
        out.push(Account {
            local: local.to_owned(),
            login: login.to_owned(),
            password: Secret::from(password.to_owned()),
        });
    }
    if out.is_empty() {
        return Err(Failure::usage(format!("{} lists no user", file.display())));
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn users_file() {
        let text = "# local,login,password\nalice, alice@old.example , p,a,ss\r\n\nbob,bob,x\n";
        let users = parse_users(text, Path::new("u.csv")).unwrap();
        assert_eq!(users.len(), 2);
        assert_eq!(users[0].login, "alice@old.example");
        assert_eq!(users[0].password.expose(), " p,a,ss");
        let err = parse_users("alice,secret-only\n", Path::new("u.csv")).unwrap_err();
        assert!(err.message.contains("line 1") && !err.message.contains("secret"), "{}", err.message);
    }
}
