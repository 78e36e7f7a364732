//! The administration CLI: output, errors and exit codes — on both stores.

mod common;

use common::*;

agora_testkit::on_both_stores!(user_lifecycle, groups_nest_without_cycles, resources, app_password_commands);

fn code(out: &std::process::Output) -> i32 {
    out.status.code().expect("exited normally")
}

fn stderr(out: &std::process::Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

fn user_lifecycle(backend: Backend) {
    let env = StoreEnv::new(backend);
    // Without a terminal and without --password-stdin, a password is generated and
    // printed alone on stdout.
    let generated = env.cli_ok(
        &[
            "user",
            "add",
            "Alice",
            "--email",
            "alice@example.org",
            "--email",
            "a@example.org",
            "--display-name",
            "Alice Martin",
        ],
        None,
    );
    let generated = generated.trim();
    assert_eq!(generated.len(), 20, "{generated:?}");

    let dup = env.cli(&["user", "add", "alice", "--password-stdin"], Some("whatever-pw\n"));
    assert_eq!(code(&dup), 4, "duplicate name: {}", stderr(&dup));
    assert!(stderr(&dup).contains("already taken"));
    let dup_mail =
        env.cli(&["user", "add", "bob", "--email", "A@example.org", "--password-stdin"], Some("bob-pw-123\n"));
    assert_eq!(code(&dup_mail), 4);
    assert!(stderr(&dup_mail).contains("a@example.org"));
    let bad = env.cli(&["user", "add", "bo/b", "--password-stdin"], Some("bob-pw-123\n"));
    assert_eq!(code(&bad), 2);
    assert!(stderr(&bad).contains("may contain"), "{}", stderr(&bad));
    let short = env.cli(&["user", "add", "bob", "--password-stdin"], Some("short\n"));
    assert_eq!(code(&short), 2);
    let empty = env.cli(&["user", "add", "bob", "--password-stdin"], Some(""));
    assert_eq!(code(&empty), 2);
    assert_eq!(code(&env.cli(&["user", "add"], None)), 2, "usage error");

    env.cli_ok(&["user", "add", "bob", "--password-stdin"], Some("bob-pw-123\r\n"));
    let list = env.cli_ok(&["user", "list"], None);
    let lines: Vec<&str> = list.lines().collect();
    assert!(lines[0].starts_with("NAME"), "{list}");
    assert!(lines[1].starts_with("alice") && lines[1].contains("Alice Martin"), "{list}");
    assert!(lines[1].contains("alice@example.org, a@example.org"), "{list}");
    assert!(lines[2].starts_with("bob"), "{list}");

    assert_eq!(code(&env.cli(&["user", "passwd", "nobody", "--password-stdin"], Some("new-password\n"))), 3);
    let new_pw = env.cli_ok(&["user", "passwd", "bob"], None);
    assert_eq!(new_pw.trim().len(), 20);
    assert_eq!(code(&env.cli(&["user", "del", "carol"], None)), 3);
    env.cli_ok(&["user", "del", "BOB"], None);
    assert_eq!(code(&env.cli(&["user", "del", "bob"], None)), 3);
    assert!(!env.cli_ok(&["user", "list"], None).contains("bob"));
}

fn groups_nest_without_cycles(backend: Backend) {
    let env = StoreEnv::new(backend);
    env.cli_ok(&["user", "add", "alice", "--password-stdin"], Some("alice-password\n"));
    env.cli_ok(&["group", "add", "staff", "--email", "staff@example.org", "--display-name", "All staff"], None);
    env.cli_ok(&["group", "add", "managers"], None);
    assert_eq!(code(&env.cli(&["group", "add", "alice"], None)), 4, "one name space for all principals");
    env.cli_ok(&["group", "member", "add", "managers", "alice"], None);
    env.cli_ok(&["group", "member", "add", "staff", "managers"], None);
    let cycle = env.cli(&["group", "member", "add", "managers", "staff"], None);
    assert_eq!(code(&cycle), 4);
    assert!(stderr(&cycle).contains("cannot contain itself"), "{}", stderr(&cycle));
    assert_eq!(code(&env.cli(&["group", "member", "add", "managers", "alice"], None)), 4, "already a member");
    assert_eq!(code(&env.cli(&["group", "member", "add", "nogroup", "alice"], None)), 3);
    assert_eq!(code(&env.cli(&["group", "member", "add", "staff", "nobody"], None)), 3);
    let list = env.cli_ok(&["group", "list"], None);
    assert!(list.lines().any(|l| l.starts_with("managers") && l.ends_with("alice")), "{list}");
    assert!(
        list.lines().any(|l| l.starts_with("staff") && l.contains("All staff") && l.ends_with("managers")),
        "{list}"
    );
    env.cli_ok(&["group", "member", "del", "managers", "alice"], None);
    assert_eq!(code(&env.cli(&["group", "member", "del", "managers", "alice"], None)), 3);
    env.cli_ok(&["group", "del", "managers"], None);
    let list = env.cli_ok(&["group", "list"], None);
    assert!(!list.contains("managers"), "{list}");
    assert_eq!(code(&env.cli(&["group", "del", "alice"], None)), 3, "alice is a user, not a group");
}

fn resources(backend: Backend) {
    let env = StoreEnv::new(backend);
    env.cli_ok(
        &[
            "resource",
            "add",
            "room-101",
            "--kind",
            "room",
            "--email",
            "room101@example.org",
            "--display-name",
            "Salle 101",
        ],
        None,
    );
    env.cli_ok(&["resource", "add", "projector", "--kind", "equipment"], None);
    assert_eq!(code(&env.cli(&["resource", "add", "car", "--kind", "vehicle"], None)), 2);
    assert_eq!(code(&env.cli(&["resource", "add", "car"], None)), 2, "--kind is required");
    assert_eq!(code(&env.cli(&["resource", "add", "room-101", "--kind", "room"], None)), 4);
    let list = env.cli_ok(&["resource", "list"], None);
    assert!(list.lines().any(|l| l.starts_with("projector") && l.contains("equipment")), "{list}");
    assert!(list.lines().any(|l| l.starts_with("room-101") && l.contains("Salle 101") && l.contains("room101@")));
    env.cli_ok(&["resource", "del", "projector"], None);
    assert_eq!(code(&env.cli(&["resource", "del", "projector"], None)), 3);
    // Resources cannot log in and are not users.
    assert!(!env.cli_ok(&["user", "list"], None).contains("room-101"));
}

fn app_password_commands(backend: Backend) {
    let env = StoreEnv::new(backend);
    env.cli_ok(&["user", "add", "alice", "--password-stdin"], Some("alice-password\n"));
    let a = env.cli_ok(&["user", "app-password", "add", "alice", "Pixel 8"], None);
    let b = env.cli_ok(&["user", "app-password", "add", "alice", "Thunderbird"], None);
    assert_ne!(a, b);
    assert_eq!(code(&env.cli(&["user", "app-password", "add", "alice", "Pixel 8"], None)), 4);
    assert_eq!(code(&env.cli(&["user", "app-password", "add", "nobody", "x"], None)), 3);
    assert_eq!(code(&env.cli(&["user", "app-password", "add", "alice", " "], None)), 2);
    let list = env.cli_ok(&["user", "app-password", "list", "alice"], None);
    assert!(list.contains("Pixel 8") && list.contains("Thunderbird"), "{list}");
    assert!(!list.contains(a.trim()), "secrets are never listed");
    env.cli_ok(&["user", "app-password", "revoke", "alice", "Pixel 8"], None);
    assert_eq!(code(&env.cli(&["user", "app-password", "revoke", "alice", "Pixel 8"], None)), 3);
}
