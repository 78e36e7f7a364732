//! Graceful shutdown with requests in flight, and client addresses behind a
//! trusted reverse proxy.

mod common;

use std::sync::{Arc, Barrier};
use std::time::{Duration, Instant};

use common::*;
use nix::sys::signal::Signal;

agora_testkit::on_both_stores!(in_flight_requests_finish_after_sigterm);

fn in_flight_requests_finish_after_sigterm(backend: Backend) {
    let env = StoreEnv::new(backend);
    // Without the cache every request pays a full argon2 verification, so many
    // requests are still being processed when the signal arrives.
    let server = Server::start(&env, &["--auth-cache-seconds", "0"]);
    let (url, password) = (server.url("/"), server.admin().to_owned());
    const CLIENTS: usize = 24;
    let barrier = Arc::new(Barrier::new(CLIENTS + 1));
    let threads: Vec<_> = (0..CLIENTS)
        .map(|_| {
            let (url, password, barrier) = (url.clone(), password.clone(), barrier.clone());
            std::thread::spawn(move || {
                let c = client();
                barrier.wait();
                let r = c.request(reqwest::Method::OPTIONS, &url).basic_auth("admin", Some(&password)).send();
                (r.map(|r| r.status().as_u16()), Instant::now())
            })
        })
        .collect();
    barrier.wait();
    std::thread::sleep(Duration::from_millis(30));
    let signalled = Instant::now();
    let status = server.signal_and_wait(Signal::SIGTERM);
    assert!(status.success(), "{status}");
    let mut after_signal = 0;
    for t in threads {
        match t.join().unwrap() {
            (Ok(code), done) => {
                assert_eq!(code, 200, "an accepted request is answered in full");
                after_signal += usize::from(done > signalled);
            }
            // Still in the kernel's accept queue when the listener closed: refused or
            // reset by the kernel; the server never saw them.
            (Err(e), _) => assert!(e.is_connect() || is_reset(&e), "request cut off mid-flight: {e:?}"),
        }
    }
    // An abrupt stop answers nothing after the signal; a graceful one drains.
    assert!(after_signal > 0, "some requests were in flight at the signal and still got their answer");
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
