//! The running server: authentication, health, metrics, shutdown — on both stores.

mod common;

use base64::Engine as _;
use common::*;
use nix::sys::signal::Signal;

agora_testkit::on_both_stores!(
    options_needs_valid_credentials,
    logins_with_at_raw_or_percent_encoded,
    app_password_revocation_and_password_change_apply_within_a_second,
    failures_are_throttled_without_revealing_accounts,
    health_and_metrics,
    sigterm_stops_cleanly_and_data_remains,
    initial_admin_can_be_disabled,
    a_taken_port_creates_no_account,
);

fn basic(raw: &str) -> String {
    format!("Basic {}", base64::engine::general_purpose::STANDARD.encode(raw))
}

fn options_with_header(url: &str, authorization: &str) -> u16 {
    client()
        .request(reqwest::Method::OPTIONS, url)
        .header("Authorization", authorization)
        .send()
        .unwrap()
        .status()
        .as_u16()
}

fn options_needs_valid_credentials(backend: Backend) {
    let env = StoreEnv::new(backend);
    let server = Server::start(&env, &[]);
    let url = server.url("/");
    assert!(server.stdout.iter().any(|l| l.contains("shown only once")), "{:?}", server.stdout);

    let ok = options(&url, "admin", server.admin());
    assert_eq!(ok.status(), 200);
    assert!(ok.headers()["allow"].to_str().unwrap().contains("OPTIONS"));

    let anonymous = client().request(reqwest::Method::OPTIONS, &url).send().unwrap();
    assert_eq!(anonymous.status(), 401);
    let challenge = anonymous.headers()["www-authenticate"].to_str().unwrap();
    assert!(challenge.starts_with("Basic realm=\"Agora\""), "{challenge}");

    assert_eq!(status(&url, "admin", "wrong-password"), 401);
    assert_eq!(status(&url, "nobody", server.admin()), 401);
    assert_eq!(options_with_header(&url, "Bearer abc"), 401);
    assert_eq!(options_with_header(&url, "Basic %%%"), 401);
    // Any path is protected, not just the root.
    assert_eq!(client().get(server.url("/principals/admin/")).send().unwrap().status(), 401);
}

fn logins_with_at_raw_or_percent_encoded(backend: Backend) {
    let env = StoreEnv::new(backend);
    let server = Server::start(&env, &[]);
    env.cli_ok(&["user", "add", "jane@example.org", "--password-stdin"], Some("jane-password\n"));
    env.cli_ok(
        &["user", "add", "marc", "--email", "Marc.Dupont@Example.fr", "--password-stdin"],
        Some("marc-pw-123\n"),
    );
    let url = server.url("/");
    assert_eq!(options_with_header(&url, &basic("jane@example.org:jane-password")), 200);
    assert_eq!(options_with_header(&url, &basic("jane%40example.org:jane-password")), 200);
    assert_eq!(options_with_header(&url, &basic("JANE%40EXAMPLE.ORG:jane-password")), 200);
    // A login by e-mail address works too, in any case, encoded or not.
    assert_eq!(options_with_header(&url, &basic("marc.dupont@example.fr:marc-pw-123")), 200);
    assert_eq!(options_with_header(&url, &basic("Marc.Dupont%40Example.fr:marc-pw-123")), 200);
    assert_eq!(options_with_header(&url, &basic("jane%40example.org:marc-pw-123")), 401);
    let body = client().get(&url).header("Authorization", basic("marc.dupont@example.fr:marc-pw-123")).send();
    assert!(body.unwrap().text().unwrap().contains("signed in as marc"));
}

fn app_password_revocation_and_password_change_apply_within_a_second(backend: Backend) {
    let env = StoreEnv::new(backend);
    let server = Server::start(&env, &[]);
    let url = server.url("/");
    env.cli_ok(&["user", "add", "alice", "--password-stdin"], Some("first-password\n"));
    let app = env.cli_ok(&["user", "app-password", "add", "alice", "iPhone"], None).trim().to_owned();
    assert_eq!(app.len(), 29, "the app password alone on stdout: {app:?}");
    for _ in 0..3 {
        // The second and third use the verified-credential cache.
        assert_eq!(status(&url, "alice", &app), 200);
        assert_eq!(status(&url, "alice", "first-password"), 200);
    }
    let listed = env.cli_ok(&["user", "app-password", "list", "alice"], None);
    assert!(listed.contains("iPhone"), "{listed}");

    // The CLI is another process: the server hears of its writes within its poll
    // (SQLite, 100 ms) or a NOTIFY (PostgreSQL); see docs/decisions.md.
    env.cli_ok(&["user", "app-password", "revoke", "alice", "iPhone"], None);
    refused_soon(&url, "alice", &app);
    assert_eq!(status(&url, "alice", "first-password"), 200);

    env.cli_ok(&["user", "passwd", "alice", "--password-stdin"], Some("second-password\n"));
    refused_soon(&url, "alice", "first-password");
    assert_eq!(status(&url, "alice", "second-password"), 200);

    env.cli_ok(&["user", "del", "alice"], None);
    refused_soon(&url, "alice", "second-password");
}

/// Credentials another process revoked stop working within a second.
fn refused_soon(url: &str, login: &str, password: &str) {
    let started = std::time::Instant::now();
    while status(url, login, password) != 401 {
        assert!(started.elapsed() < std::time::Duration::from_secs(1), "{login} still signs in after a revocation");
        std::thread::sleep(std::time::Duration::from_millis(10));
    }
}

fn failures_are_throttled_without_revealing_accounts(backend: Backend) {
    let env = StoreEnv::new(backend);
    let server = Server::start(&env, &["--auth-max-failures", "3", "--auth-failure-window-seconds", "60"]);
    let url = server.url("/");
    let mut answers = Vec::new();
    for login in ["admin", "ghost"] {
        let statuses: Vec<u16> = (0..3).map(|_| status(&url, login, "guess")).collect();
        assert_eq!(statuses, [401, 401, 401]);
        // Even the right password is refused while throttled.
        let refused = options(&url, login, server.admin());
        assert_eq!(refused.status(), 429);
        let retry: u64 = refused.headers()["retry-after"].to_str().unwrap().parse().unwrap();
        assert!((1..=60).contains(&retry));
        answers.push((refused.status(), refused.text().unwrap()));
    }
    assert_eq!(answers[0], answers[1], "an unknown account is answered exactly like a real one");
    let log = server.log_text();
    assert!(log.contains("authentication failed") && log.contains("ghost"), "failures are logged");
    assert!(log.contains("authentication throttled"));
    std::thread::sleep(std::time::Duration::from_millis(1100));
    assert_eq!(status(&url, "admin", server.admin()), 200, "allowed again after the back-off");
}

fn health_and_metrics(backend: Backend) {
    let env = StoreEnv::new(backend);
    let server = Server::start(&env, &[]);
    let health = client().get(server.url("/health")).send().unwrap();
    assert_eq!(health.status(), 200);
    let expected = match backend {
        Backend::Sqlite => "\"store\":\"sqlite\"",
        Backend::Postgres => "\"store\":\"postgres\"",
    };
    assert!(health.text().unwrap().contains(expected));
    assert_eq!(status(&server.url("/"), "admin", server.admin()), 200);
    assert_eq!(status(&server.url("/"), "admin", "bad"), 401);
    let metrics = client().get(server.url("/metrics")).send().unwrap().text().unwrap();
    for needle in [
        "agora_http_requests_total{method=\"OPTIONS\",status=\"200\"} 1",
        "agora_http_requests_total{method=\"OPTIONS\",status=\"401\"} 1",
        "agora_http_request_duration_seconds_bucket{method=\"OPTIONS\",le=\"0.005\"}",
        "agora_store_operation_seconds_bucket{op=\"login\"",
    ] {
        assert!(metrics.contains(needle), "{needle} missing from:\n{metrics}");
    }
    let log = server.log_text();
    assert!(
        log.lines().any(|l| l.contains("request") && l.contains("OPTIONS") && l.contains("status=200")),
        "one access line per request:\n{log}"
    );
}

fn sigterm_stops_cleanly_and_data_remains(backend: Backend) {
    let env = StoreEnv::new(backend);
    let server = Server::start(&env, &[]);
    let password = server.admin().to_owned();
    env.cli_ok(&["user", "add", "bob", "--password-stdin"], Some("bob-password\n"));
    let log = server.log.clone();
    let status = server.signal_and_wait(Signal::SIGTERM);
    assert!(status.success(), "exit status {status}");
    let text = std::fs::read_to_string(log).unwrap();
    assert!(text.contains("SIGTERM") && text.contains("stopped"), "{text}");

    let again = Server::start(&env, &[]);
    assert!(again.admin_password.is_none(), "admin is created on the first start only");
    assert_eq!(status_of(&again, "admin", &password), 200);
    assert_eq!(status_of(&again, "bob", "bob-password"), 200);
    assert!(again.signal_and_wait(Signal::SIGINT).success());
}

fn status_of(server: &Server, login: &str, password: &str) -> u16 {
    status(&server.url("/"), login, password)
}

fn initial_admin_can_be_disabled(backend: Backend) {
    let env = StoreEnv::new(backend);
    let server = Server::start(&env, &["--initial-admin", "false"]);
    assert!(server.admin_password.is_none());
    assert!(!env.cli_ok(&["user", "list"], None).contains("admin"));
}

/// Regression: `serve` created `admin` and printed its password before binding,
/// so a taken port left an account whose password had scrolled by.
fn a_taken_port_creates_no_account(backend: Backend) {
    let env = StoreEnv::new(backend);
    let taken = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = taken.local_addr().unwrap().port();
    let out = env.command().args(["serve", "--listen", &format!("127.0.0.1:{port}")]).output().unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    assert!(stderr.contains(&format!("cannot listen on 127.0.0.1:{port}")), "{stderr}");
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(!stdout.contains("password"), "no password printed: {stdout}");
    assert!(!env.cli_ok(&["user", "list"], None).contains("admin"), "no account created");
    drop(taken);

    let server = Server::start(&env, &[]);
    assert!(server.admin_password.is_some(), "the next start creates admin: {:?}", server.stdout);
    assert_eq!(status_of(&server, "admin", server.admin()), 200);
}

/// Regression: a 401 answered before the client's body arrived closed the
/// connection, so the client's retry with credentials on it failed (python caldav,
/// found by the conformance harness).
#[test]
fn the_retry_after_a_401_works_on_the_same_connection() {
    use std::io::{Read, Write};
    let env = StoreEnv::new(Backend::Sqlite);
    let server = Server::start(&env, &[]);
    let mut s = std::net::TcpStream::connect(("127.0.0.1", server.port)).unwrap();
    s.set_read_timeout(Some(std::time::Duration::from_secs(10))).unwrap();
    let body = b"<propfind xmlns=\"DAV:\"><prop><current-user-principal/></prop></propfind>";
    write!(s, "PROPFIND / HTTP/1.1\r\nHost: x\r\nDepth: 0\r\nContent-Length: {}\r\n\r\n", body.len()).unwrap();
    std::thread::sleep(std::time::Duration::from_millis(50));
    s.write_all(body).unwrap();
    let first = read_response(&mut s);
    assert!(first.starts_with("HTTP/1.1 401"), "{first}");
    assert!(first.to_ascii_lowercase().contains("\r\ndav: 1, 2, 3"), "the challenge names the DAV classes: {first}");
    let auth = base64::engine::general_purpose::STANDARD.encode(format!("admin:{}", server.admin()));
    write!(s, "PROPFIND / HTTP/1.1\r\nHost: x\r\nDepth: 0\r\nAuthorization: Basic {auth}\r\nContent-Length: 0\r\n\r\n")
        .unwrap();
    let second = read_response(&mut s);
    assert!(second.starts_with("HTTP/1.1 207"), "{second}");

    fn read_response(s: &mut std::net::TcpStream) -> String {
        let mut buf = Vec::new();
        let mut chunk = [0u8; 4096];
        loop {
            let n = s.read(&mut chunk).unwrap();
            assert!(n > 0, "connection closed: {}", String::from_utf8_lossy(&buf));
            buf.extend_from_slice(&chunk[..n]);
            let text = String::from_utf8_lossy(&buf).into_owned();
            if let Some(head_end) = text.find("\r\n\r\n") {
                let length = text[..head_end]
                    .lines()
                    .find_map(|l| {
                        l.to_ascii_lowercase()
                            .strip_prefix("content-length:")
                            .map(|v| v.trim().parse::<usize>().unwrap())
                    })
                    .unwrap_or(0);
                if buf.len() >= head_end + 4 + length {
                    return text;
                }
            }
        }
    }
}
