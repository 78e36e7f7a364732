//! Starting the real `agora` binary on a free loopback port, on SQLite or on a
//! fresh PostgreSQL database, and running its CLI against the same store.
#![allow(dead_code)] // each test file uses part of the harness

pub mod web;

use std::io::{BufRead, BufReader, Write};
use std::path::PathBuf;
use std::process::{Child, Command, ExitStatus, Output, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant};

pub use agora_testkit::Backend;

const BIN: &str = env!("CARGO_BIN_EXE_agora");

/// Variables that would leak the developer's own settings into a test.
const INHERITED: &[&str] = &[
    "AGORA_CONFIG",
    "AGORA_DATA_DIR",
    "AGORA_STORE",
    "AGORA_LISTEN",
    "AGORA_TLS_CERT",
    "AGORA_TLS_KEY",
    "AGORA_INITIAL_ADMIN",
    "AGORA_LOG_FORMAT",
    "AGORA_SQLITE_SYNCHRONOUS",
    "AGORA_AUTH_CACHE_SECONDS",
    "AGORA_AUTH_MAX_FAILURES",
    "AGORA_AUTH_FAILURE_WINDOW_SECONDS",
];

/// A store (a data directory, plus a PostgreSQL database for that backend).
pub struct StoreEnv {
    pub backend: Backend,
    pub dir: tempfile::TempDir,
    pub store_url: Option<String>,
}

impl StoreEnv {
    pub fn new(backend: Backend) -> Self {
        let store_url = match backend {
            Backend::Sqlite => None,
            Backend::Postgres => Some(agora_testkit::pg_database_blocking()),
        };
        StoreEnv { backend, dir: tempfile::tempdir().unwrap(), store_url }
    }

    pub fn data_dir(&self) -> PathBuf {
        self.dir.path().join("data")
    }

    /// `agora` with this store selected, run from the temporary directory.
    pub fn command(&self) -> Command {
        let mut cmd = Command::new(BIN);
        for var in INHERITED {
            cmd.env_remove(var);
        }
        cmd.current_dir(self.dir.path()).arg("--data-dir").arg(self.data_dir());
        if let Some(url) = &self.store_url {
            cmd.env("AGORA_STORE", url);
        }
        cmd
    }

    /// Runs a CLI command, feeding `stdin` if given.
    pub fn cli(&self, args: &[&str], stdin: Option<&str>) -> Output {
        let mut child = self
            .command()
            .args(args)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("spawn agora");
        let mut input = child.stdin.take().unwrap();
        if let Some(text) = stdin {
            // A command that refuses its arguments exits before reading stdin.
            match input.write_all(text.as_bytes()) {
                Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => {}
                other => other.unwrap(),
            }
        }
        drop(input);
        child.wait_with_output().unwrap()
    }

    /// Runs a CLI command that must succeed; returns its standard output.
    pub fn cli_ok(&self, args: &[&str], stdin: Option<&str>) -> String {
        let out = self.cli(args, stdin);
        assert!(out.status.success(), "agora {args:?} failed: {}", String::from_utf8_lossy(&out.stderr));
        String::from_utf8(out.stdout).unwrap()
    }
}

/// A running `agora serve`; killed when dropped.
pub struct Server {
    pub child: Child,
    pub port: u16,
    pub scheme: &'static str,
    /// The password printed for `admin` on first start, if this start printed one.
    pub admin_password: Option<String>,
    pub stdout: Vec<String>,
    pub log: PathBuf,
}

impl Server {
    /// Starts `agora serve` on a free port with extra arguments and waits until
    /// `/health` answers.
    pub fn start(env: &StoreEnv, extra: &[&str]) -> Server {
        Self::start_with(env, extra, |_| {})
    }

    /// Like [`Server::start`], letting the caller adjust the command.
    pub fn start_with(env: &StoreEnv, extra: &[&str], adjust: impl FnOnce(&mut Command)) -> Server {
        Self::start_on(env, agora_testkit::free_port(), extra, adjust)
    }

    /// Like [`Server::start_with`] on a port the caller chose (to tell another
    /// service where the server will be before it starts).
    pub fn start_on(env: &StoreEnv, port: u16, extra: &[&str], adjust: impl FnOnce(&mut Command)) -> Server {
        let log = env.dir.path().join(format!("server-{port}.log"));
        let mut cmd = env.command();
        cmd.arg("serve").arg("--listen").arg(format!("127.0.0.1:{port}")).args(extra);
        cmd.stdin(Stdio::null()).stdout(Stdio::piped()).stderr(std::fs::File::create(&log).unwrap());
        adjust(&mut cmd);
        let scheme = if extra.contains(&"--tls-cert") { "https" } else { "http" };
        let mut child = cmd.spawn().expect("spawn agora serve");
        let (tx, rx) = mpsc::channel();
        let out = child.stdout.take().unwrap();
        std::thread::spawn(move || {
            for line in BufReader::new(out).lines().map_while(Result::ok) {
                if tx.send(line).is_err() {
                    break;
                }
            }
        });
        let mut server = Server { child, port, scheme, admin_password: None, stdout: Vec::new(), log };
        server.wait_healthy();
        // The password is printed before the server starts answering, so it is there now.
        while let Ok(line) = rx.recv_timeout(Duration::from_millis(100)) {
            if let Some(pw) = line.trim().strip_prefix("password:") {
                server.admin_password = Some(pw.trim().to_owned());
            }
            server.stdout.push(line);
        }
        server
    }

    fn wait_healthy(&mut self) {
        // Only readiness is checked here; certificate checks are the TLS test's job.
        let client = reqwest::blocking::Client::builder()
            .danger_accept_invalid_certs(true)
            .timeout(Duration::from_secs(5))
            .build()
            .unwrap();
        let deadline = Instant::now() + Duration::from_secs(30);
        loop {
            if let Some(status) = self.child.try_wait().unwrap() {
                panic!("agora serve exited with {status}: {}", std::fs::read_to_string(&self.log).unwrap_or_default());
            }
            if client.get(self.url("/health")).send().is_ok_and(|r| r.status().is_success()) {
                return;
            }
            assert!(Instant::now() < deadline, "agora serve did not become healthy");
            std::thread::sleep(Duration::from_millis(50));
        }
    }

    pub fn url(&self, path: &str) -> String {
        format!("{}://127.0.0.1:{}{}", self.scheme, self.port, path)
    }

    pub fn admin(&self) -> &str {
        self.admin_password.as_deref().expect("this start created admin")
    }

    /// Sends a signal and waits for the process to exit.
    pub fn signal_and_wait(mut self, signal: nix::sys::signal::Signal) -> ExitStatus {
        let pid = nix::unistd::Pid::from_raw(self.child.id() as i32);
        nix::sys::signal::kill(pid, signal).expect("signal the server");
        let deadline = Instant::now() + Duration::from_secs(30);
        loop {
            if let Some(status) = self.child.try_wait().unwrap() {
                return status;
            }
            assert!(Instant::now() < deadline, "agora serve did not stop");
            std::thread::sleep(Duration::from_millis(20));
        }
    }

    pub fn log_text(&self) -> String {
        std::fs::read_to_string(&self.log).unwrap_or_default()
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

pub fn client() -> reqwest::blocking::Client {
    reqwest::blocking::Client::builder().timeout(Duration::from_secs(30)).build().unwrap()
}

/// `OPTIONS url` with the given Basic credentials (sent as given, unencoded).
pub fn options(url: &str, login: &str, password: &str) -> reqwest::blocking::Response {
    client().request(reqwest::Method::OPTIONS, url).basic_auth(login, Some(password)).send().unwrap()
}

pub fn status(url: &str, login: &str, password: &str) -> u16 {
    options(url, login, password).status().as_u16()
}

/// The password the DAV scenario tests give every user they create.
pub const PASSWORD: &str = "long-password";

/// One DAV request as `user` (with [`PASSWORD`]), the Depth header and body given.
pub fn request(
    server: &Server,
    user: &str,
    method: &str,
    path: &str,
    depth: &str,
    content_type: &str,
    body: &str,
) -> reqwest::blocking::Response {
    client()
        .request(reqwest::Method::from_bytes(method.as_bytes()).unwrap(), server.url(path))
        .basic_auth(user, Some(PASSWORD))
        .header("Content-Type", content_type)
        .header("Depth", depth)
        .body(body.to_owned())
        .send()
        .unwrap()
}

/// Adds each user with [`PASSWORD`] and the address NAME@example.org.
pub fn add_users(env: &StoreEnv, names: &[&str]) {
    for user in names {
        let email = format!("{user}@example.org");
        env.cli_ok(&["user", "add", user, "--email", &email, "--password-stdin"], Some(&format!("{PASSWORD}\n")));
    }
}

/// [`request`] at Depth 1, answering the status and body.
pub fn send(server: &Server, user: &str, method: &str, path: &str, content_type: &str, body: &str) -> (u16, String) {
    let r = request(server, user, method, path, "1", content_type, body);
    (r.status().as_u16(), r.text().unwrap())
}

/// `agora serve` (and `agora deliver`) options sending through a plain relay on
/// `smtp_port`, retrying after 1 s, 2 s… so that the tests stay short.
pub fn mail_args(smtp_port: u16) -> Vec<String> {
    ["--smtp-host", "127.0.0.1", "--smtp-port", &smtp_port.to_string(), "--smtp-security", "none"]
        .into_iter()
        .chain(["--smtp-timeout-seconds", "5", "--mail-retry-base-seconds", "1"])
        .map(str::to_owned)
        .collect()
}

/// Starts `agora serve` with `args`, none of the developer's own mail settings.
pub fn start_with_relay(env: &StoreEnv, args: &[String]) -> Server {
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    Server::start_with(env, &args, |cmd| {
        // The developer's own mail settings must not leak into the test.
        for var in ["AGORA_SMTP_HOST", "AGORA_SMTP_PORT", "AGORA_SMTP_SECURITY", "AGORA_SMTP_USERNAME"] {
            cmd.env_remove(var);
        }
        cmd.env_remove("AGORA_SMTP_PASSWORD").env_remove("AGORA_LMTP_LISTEN").env_remove("AGORA_IMIP_SENDER");
    })
}

/// `agora deliver` with `message` on standard input.
pub fn deliver(command: &mut Command, recipient: &str, sender: &str, message: &str) -> Output {
    let mut child = command
        .args(["deliver", "--recipient", recipient, "--sender", sender])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut input = child.stdin.take().unwrap();
    // A command that fails early may not read its input.
    let _ = input.write_all(message.as_bytes());
    drop(input);
    child.wait_with_output().unwrap()
}
