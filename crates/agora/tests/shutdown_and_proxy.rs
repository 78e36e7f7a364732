//! Graceful shutdown with requests in flight, and client addresses behind a
//! trusted reverse proxy.

mod common;

use std::io::{Read, Write};
use std::sync::{Arc, Barrier};
use std::time::Duration;

use common::*;
use nix::sys::signal::Signal;

agora_testkit::on_both_stores!(in_flight_requests_finish_after_sigterm);

fn in_flight_requests_finish_after_sigterm(backend: Backend) {
    let env = StoreEnv::new(backend);
    // Without the cache every request pays a full argon2 verification, so many
    // requests are still being processed when the signal arrives.
    let server = Server::start(&env, &["--auth-cache-seconds", "0"]);
    let (url, password) = (server.url("/"), server.admin().to_owned());
    let log = server.log.clone();

    // One request is certainly in flight at the signal: its headers are in and
    // its body is still coming. A graceful stop must read the rest and answer.
    let mut slow = std::net::TcpStream::connect(("127.0.0.1", server.port)).unwrap();
    let body = "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//t//t//EN\r\nBEGIN:VEVENT\r\nUID:slow\r\n\
                DTSTAMP:20250101T000000Z\r\nDTSTART:20250101T100000Z\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n";
    let auth = base64_basic("admin", &password);
    write!(
        slow,
        "PUT /calendars/admin/calendar/slow.ics HTTP/1.1\r\nHost: x\r\nAuthorization: Basic {auth}\r\n\
         Content-Type: text/calendar\r\nContent-Length: {}\r\n\r\n{}",
        body.len(),
        &body[..10]
    )
    .unwrap();
    slow.flush().unwrap();

    const CLIENTS: usize = 24;
    let barrier = Arc::new(Barrier::new(CLIENTS + 1));
    let threads: Vec<_> = (0..CLIENTS)
        .map(|_| {
            let (url, password, barrier) = (url.clone(), password.clone(), barrier.clone());
            std::thread::spawn(move || {
                let c = client();
                barrier.wait();
                c.request(reqwest::Method::OPTIONS, &url).basic_auth("admin", Some(&password)).send()
            })
        })
        .collect();
    barrier.wait();
    // Time for the server to take the slow request's headers.
    std::thread::sleep(Duration::from_millis(300));
    let pid = nix::unistd::Pid::from_raw(server.child.id() as i32);
    nix::sys::signal::kill(pid, Signal::SIGTERM).unwrap();
    std::thread::sleep(Duration::from_millis(300));
    slow.write_all(&body.as_bytes()[10..]).unwrap();
    let mut answer = String::new();
    slow.read_to_string(&mut answer).unwrap();
    assert!(answer.starts_with("HTTP/1.1 201"), "the in-flight PUT is answered after the signal: {answer}");

    let mut server = server;
    let deadline = std::time::Instant::now() + Duration::from_secs(30);
    let status = loop {
        if let Some(status) = server.child.try_wait().unwrap() {
            break status;
        }
        assert!(std::time::Instant::now() < deadline, "agora serve did not stop");
        std::thread::sleep(Duration::from_millis(20));
    };
    assert!(status.success(), "{status}");
    let log = std::fs::read_to_string(log).unwrap_or_default();
    for t in threads {
        match t.join().unwrap() {
            Ok(r) => {
                assert_eq!(r.status().as_u16(), 200, "an accepted request is answered in full; server log:\n{log}")
            }
            // Still in the kernel's accept queue when the listener closed: refused or
            // reset by the kernel; the server never saw them.
            Err(e) => assert!(e.is_connect() || is_reset(&e), "request cut off mid-flight: {e:?}"),
        }
    }
}

fn base64_basic(login: &str, password: &str) -> String {
    use base64::Engine;
    base64::engine::general_purpose::STANDARD.encode(format!("{login}:{password}"))
}

fn is_reset(e: &reqwest::Error) -> bool {
    let mut source: Option<&dyn std::error::Error> = Some(e);
    while let Some(err) = source {
        if let Some(io) = err.downcast_ref::<std::io::Error>() {
            return io.kind() == std::io::ErrorKind::ConnectionReset;
        }
        source = err.source();
    }
    false
}

#[test]
fn throttling_uses_the_forwarded_address_of_trusted_proxies() {
    let env = StoreEnv::new(Backend::Sqlite);
    // One failure per login, four per address.
    let server = Server::start(&env, &["--trusted-proxy", "127.0.0.1", "--auth-max-failures", "1"]);
    let url = server.url("/");
    let send = |login: &str, password: &str, forwarded: &str| {
        client()
            .request(reqwest::Method::OPTIONS, &url)
            .basic_auth(login, Some(password))
            .header("X-Forwarded-For", forwarded)
            .send()
            .unwrap()
            .status()
            .as_u16()
    };
    for i in 0..4 {
        assert_eq!(send(&format!("guess{i}"), "x", "198.51.100.1"), 401);
    }
    assert_eq!(send("someone-else", "x", "198.51.100.1"), 429, "that address is slowed down");
    assert_eq!(send("admin", server.admin(), "198.51.100.2"), 200, "other clients behind the proxy are not");
    let log = server.log_text();
    assert!(log.contains("client=198.51.100.1"), "the access log names the real client:\n{log}");
}
