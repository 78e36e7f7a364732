//! Durability: SIGKILL in the middle of a stream of writes loses no acknowledged
//! write and leaves nothing half-written — on both stores.
//!
//! Writers are `agora user add` processes (each write is a principal, its
//! addresses and its password hash in one transaction), running against the same
//! store as a serving `agora serve` that authenticates the new users as they
//! appear. At a random moment the server and every in-flight writer are killed
//! with SIGKILL. After a restart, every acknowledged user must log in, and every
//! interrupted one must be either complete (row, address, password) or absent.

mod common;

use std::os::unix::process::ExitStatusExt;
use std::process::Stdio;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use common::*;

agora_testkit::on_both_stores!(sigkill_keeps_acknowledged_writes_and_nothing_half_written);

const WRITERS: usize = 3;

struct Outcome {
    acknowledged: Vec<String>,
    interrupted: Vec<String>,
}

fn password_of(name: &str) -> String {
    format!("pw-{name}-secret")
}

fn sigkill_keeps_acknowledged_writes_and_nothing_half_written(backend: Backend) {
    let env = Arc::new(StoreEnv::new(backend));
    let mut server = Server::start(&env, &[]);
    let admin = server.admin().to_owned();
    let stop = Arc::new(AtomicBool::new(false));
    let outcome = Arc::new(Mutex::new(Outcome { acknowledged: vec![], interrupted: vec![] }));

    let writers: Vec<_> = (0..WRITERS)
        .map(|w| {
            let (env, stop, outcome) = (env.clone(), stop.clone(), outcome.clone());
            std::thread::spawn(move || {
                for i in 0.. {
                    let name = format!("w{w}-{i}");
                    let mut child = env
                        .command()
                        .args(["user", "add", &name, "--email", &format!("{name}@example.org"), "--password-stdin"])
                        .stdin(Stdio::piped())
                        .stdout(Stdio::null())
                        .stderr(Stdio::null())
                        .spawn()
                        .unwrap();
                    use std::io::Write;
                    child.stdin.take().unwrap().write_all(format!("{}\n", password_of(&name)).as_bytes()).unwrap();
                    loop {
                        if let Some(status) = child.try_wait().unwrap() {
                            assert!(status.success(), "writer {name} failed: {status}");
                            outcome.lock().unwrap().acknowledged.push(name.clone());
                            break;
                        }
                        if stop.load(Ordering::SeqCst) {
                            child.kill().unwrap(); // SIGKILL, wherever it is
                            let status = child.wait().unwrap();
                            let mut o = outcome.lock().unwrap();
                            if status.signal() == Some(9) {
                                o.interrupted.push(name.clone());
                            } else {
                                o.acknowledged.push(name.clone()); // finished just before the kill
                            }
                            return;
                        }
                        std::thread::sleep(Duration::from_micros(500));
                    }
                }
            })
        })
        .collect();

    // The server serves the new accounts while they are being written.
    let deadline = Instant::now() + Duration::from_secs(60);
    let mut served = 0;
    while outcome.lock().unwrap().acknowledged.len() < 15 {
        assert!(Instant::now() < deadline, "writers made no progress");
        let newest = outcome.lock().unwrap().acknowledged.last().cloned();
        if let Some(name) = newest {
            assert_eq!(status(&server.url("/"), &name, &password_of(&name)), 200);
            served += 1;
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    assert!(served > 0);

    server.child.kill().unwrap();
    let status_killed = server.child.wait().unwrap();
    assert_eq!(status_killed.signal(), Some(9), "the server died by SIGKILL");
    stop.store(true, Ordering::SeqCst);
    for w in writers {
        w.join().unwrap();
    }
    drop(server);

    let outcome = outcome.lock().unwrap();
    let again = Server::start(&env, &[]);
    assert!(again.admin_password.is_none(), "the store was not mistaken for an empty one");
    let url = again.url("/");
    assert_eq!(status(&url, "admin", &admin), 200);
    for name in &outcome.acknowledged {
        assert_eq!(status(&url, name, &password_of(name)), 200, "acknowledged user {name} lost");
        assert_eq!(status(&url, &format!("{name}@example.org"), &password_of(name)), 200, "address of {name} lost");
    }
    let list = env.cli_ok(&["user", "list"], None);
    let mut complete = 0;
    for name in &outcome.interrupted {
        let row = list.lines().find(|l| l.split_whitespace().next() == Some(name.as_str()));
        match row {
            Some(row) => {
                assert!(row.contains(&format!("{name}@example.org")), "{name} without its address: {row}");
                assert_eq!(status(&url, name, &password_of(name)), 200, "{name} without its password");
                complete += 1;
            }
            None => {
                // Absent entirely: the address is free too.
                env.cli_ok(
                    &[
                        "user",
                        "add",
                        &format!("{name}-retry"),
                        "--email",
                        &format!("{name}@example.org"),
                        "--password-stdin",
                    ],
                    Some("retry-password\n"),
                );
            }
        }
    }
    let users = list.lines().count() - 1;
    assert_eq!(users, 1 + outcome.acknowledged.len() + complete, "no stray rows:\n{list}");
    eprintln!(
        "{backend:?}: {} acknowledged writes kept, {} interrupted ({} complete, {} absent)",
        outcome.acknowledged.len(),
        outcome.interrupted.len(),
        complete,
        outcome.interrupted.len() - complete
    );
}
