//! The benchmark's users and where their collections live, from the patterns on
//! the command line. The benchmark cannot create accounts: CalDAV has no way to,
//! so they must exist on the server under these names with one password.

use crate::cli::Target;

/// One account and its collection paths (absolute, ending with `/`).
#[derive(Clone, Debug)]
pub struct User {
    /// Login name.
    pub name: String,
    /// Calendar user address, without `mailto:`.
    pub email: String,
    /// Events calendar.
    pub calendar: String,
    /// Task list.
    pub tasks: String,
    /// Address book.
    pub addressbook: String,
    /// Scheduling outbox.
    pub outbox: String,
}

/// Every user, in order; index 0 is user 1.
pub fn users(t: &Target) -> Result<Vec<User>, String> {
    if t.users == 0 {
        return Err("--users must be at least 1".into());
    }
    if t.users > 1 && !t.user_pattern.contains("{n}") {
        return Err(format!("--user-pattern '{}' has no {{n}}, so it names one user only", t.user_pattern));
    }
    if t.big_user == 0 || t.big_user > t.users {
        return Err(format!("--big-user {} is not between 1 and --users {}", t.big_user, t.users));
    }
    Ok((1..=t.users)
        .map(|n| {
            let name = t.user_pattern.replace("{n}", &n.to_string());
            let path = |template: &str| template.replace("{user}", &name);
            User {
                email: path(&t.email_pattern),
                calendar: path(&t.calendar),
                tasks: path(&t.tasks),
                addressbook: path(&t.addressbook),
                outbox: path(&t.outbox),
                name: name.clone(),
            }
        })
        .collect())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::cli::{Cli, Command};
    use clap::Parser;

    fn target(extra: &[&str]) -> Target {
        let mut argv = vec!["agora-bench", "populate", "--url", "http://h", "--password", "p"];
        argv.extend_from_slice(extra);
        match Cli::parse_from(argv).command {
            Command::Populate(p) => p.target,
            Command::Run(_) => unreachable!(),
        }
    }

    #[test]
    fn patterns_name_users_and_their_collections() {
        let u = users(&target(&["--users", "3"])).unwrap();
        assert_eq!(u.len(), 3);
        assert_eq!(u[2].name, "bench3");
        assert_eq!(u[2].email, "bench3@example.org");
        assert_eq!(u[0].calendar, "/calendars/bench1/calendar/");
        assert_eq!(u[0].tasks, "/calendars/bench1/tasks/");
        assert_eq!(u[0].addressbook, "/addressbooks/bench1/contacts/");
        assert_eq!(u[0].outbox, "/calendars/bench1/outbox/");
    }

    #[test]
    fn a_fixed_name_serves_one_user_only() {
        assert_eq!(users(&target(&["--user-pattern", "admin"])).unwrap()[0].name, "admin");
        assert!(users(&target(&["--user-pattern", "admin", "--users", "2"])).is_err());
        assert!(users(&target(&["--users", "2", "--big-user", "3"])).is_err());
    }
}
