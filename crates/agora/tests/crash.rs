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

agora_testkit::on_both_stores!(sigkill_during_http_puts_keeps_every_acknowledged_object);

fn object(name: &str) -> String {
    format!(
        "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//crash//EN\r\nBEGIN:VEVENT\r\nUID:{name}\r\nDTSTAMP:20260101T000000Z\r\n\
         DTSTART:20261201T100000Z\r\nDTEND:20261201T110000Z\r\nSUMMARY:{name}\r\nDESCRIPTION:{}\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n",
        "x".repeat(2000)
    )
}

/// The server itself writes: clients PUT events as fast as they can; the server is
/// killed with SIGKILL mid-stream. After a restart every PUT that was answered 201
/// is there byte for byte and listed by sync-collection; a PUT without an answer
/// left either the whole object or nothing.
fn sigkill_during_http_puts_keeps_every_acknowledged_object(backend: Backend) {
    let env = StoreEnv::new(backend);
    let mut server = Server::start(&env, &[]);
    let (url, admin) = (server.url("/calendars/admin/calendar/"), server.admin().to_owned());
    let acknowledged = Arc::new(Mutex::new(Vec::new()));
    let attempted = Arc::new(Mutex::new(Vec::new()));
    let stop = Arc::new(AtomicBool::new(false));
    let writers: Vec<_> = (0..4)
        .map(|w| {
            let (url, admin, acknowledged, attempted, stop) =
                (url.clone(), admin.clone(), acknowledged.clone(), attempted.clone(), stop.clone());
            std::thread::spawn(move || {
                let http = client();
                for i in 0.. {
                    if stop.load(Ordering::SeqCst) {
                        return;
                    }
                    let name = format!("w{w}-{i}");
                    attempted.lock().unwrap().push(name.clone());
                    let sent = http
                        .put(format!("{url}{name}.ics"))
                        .basic_auth("admin", Some(&admin))
                        .header("Content-Type", "text/calendar")
                        .body(object(&name))
                        .send();
                    match sent {
                        Ok(r) if r.status().as_u16() == 201 => acknowledged.lock().unwrap().push(name),
                        Ok(r) => panic!("PUT {name}: {}", r.status()),
                        Err(_) => return, // the server died under this request
                    }
                }
            })
        })
        .collect();
    let deadline = Instant::now() + Duration::from_secs(60);
    while acknowledged.lock().unwrap().len() < 40 {
        assert!(Instant::now() < deadline, "writes made no progress");
        std::thread::sleep(Duration::from_millis(10));
    }
    server.child.kill().unwrap();
    assert_eq!(server.child.wait().unwrap().signal(), Some(9));
    stop.store(true, Ordering::SeqCst);
    for w in writers {
        w.join().unwrap();
    }
    drop(server);

    let again = Server::start(&env, &[]);
    let http = client();
    let get = |name: &str| {
        let r = http
            .get(again.url(&format!("/calendars/admin/calendar/{name}.ics")))
            .basic_auth("admin", Some(&admin))
            .send()
            .unwrap();
        (r.status().as_u16(), r.text().unwrap())
    };
    let acknowledged = acknowledged.lock().unwrap().clone();
    for name in &acknowledged {
        assert_eq!(get(name), (200, object(name)), "acknowledged {name} lost or altered");
    }
    let mut complete = 0;
    let unanswered: Vec<String> =
        attempted.lock().unwrap().iter().filter(|n| !acknowledged.contains(n)).cloned().collect();
    for name in &unanswered {
        match get(name) {
            (200, body) => {
                assert_eq!(body, object(name), "{name} half-written");
                complete += 1;
            }
            (404, _) => {}
            other => panic!("{name}: {other:?}"),
        }
    }
    let sync = http
        .request(reqwest::Method::from_bytes(b"REPORT").unwrap(), again.url("/calendars/admin/calendar/"))
        .basic_auth("admin", Some(&admin))
        .header("Content-Type", "application/xml")
        .body(r#"<d:sync-collection xmlns:d="DAV:"><d:sync-token/><d:sync-level>1</d:sync-level><d:prop><d:getetag/></d:prop></d:sync-collection>"#)
        .send()
        .unwrap()
        .text()
        .unwrap();
    assert_eq!(
        sync.matches("<D:getetag>").count(),
        acknowledged.len() + complete,
        "the change log matches the objects"
    );
    eprintln!(
        "{backend:?}: {} acknowledged PUTs kept, {} unanswered ({} complete, {} absent)",
        acknowledged.len(),
        unanswered.len(),
        complete,
        unanswered.len() - complete
    );
}
