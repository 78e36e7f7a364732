//! A small SMTP server for tests: it accepts everything (AUTH PLAIN and LOGIN
//! with any credentials, no TLS) and records each message. It runs on plain
//! threads, so blocking tests can use it without a runtime.
//!
//! ```no_run
//! let sink = agora_testkit::smtp_sink::SmtpSink::start();
//! // … point the code under test at 127.0.0.1:sink.port …
//! let messages = sink.wait_for(1, std::time::Duration::from_secs(5));
//! assert_eq!(messages[0].rcpt_to, ["bob@example.com"]);
//! ```

use std::collections::HashMap;
use std::io::{BufRead, BufReader, Write};
use std::net::{Shutdown, TcpListener, TcpStream};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Condvar, Mutex, MutexGuard};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

use base64::Engine;

/// One message the sink received.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Captured {
    /// The MAIL FROM path, without angle brackets (empty for `<>`).
    pub mail_from: String,
    /// The RCPT TO paths, in order.
    pub rcpt_to: Vec<String>,
    /// The message as sent after DATA, dot-unstuffed, with its CRLF line ends.
    pub data: Vec<u8>,
    /// The user name given with AUTH on that connection, if any.
    pub auth_user: Option<String>,
}

/// The running sink; it stops when dropped.
pub struct SmtpSink {
    /// The loopback port it listens on.
    pub port: u16,
    shared: Arc<Shared>,
    acceptor: Option<JoinHandle<()>>,
}

#[derive(Default)]
struct Shared {
    state: Mutex<State>,
    arrived: Condvar,
    stop: AtomicBool,
}

#[derive(Default)]
struct State {
    messages: Vec<Captured>,
    fail_next: Option<u16>,
    /// Open connections by number, to be cut when the sink is dropped.
    connections: HashMap<u64, TcpStream>,
    next_connection: u64,
}

impl Shared {
    fn state(&self) -> MutexGuard<'_, State> {
        // A panicking connection thread must not make the sink unusable.
        self.state.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
    }
}

impl SmtpSink {
    /// Starts a sink on a free loopback port.
    pub fn start() -> SmtpSink {
        SmtpSink::start_on(0)
    }

    /// Starts a sink on `port` of 127.0.0.1, e.g. to bring a relay back on the
    /// port of an earlier, dropped sink. Retries for a few seconds while the
    /// port is still taken.
    pub fn start_on(port: u16) -> SmtpSink {
        let deadline = Instant::now() + Duration::from_secs(5);
        let listener = loop {
            match TcpListener::bind(("127.0.0.1", port)) {
                Ok(listener) => break listener,
                Err(_) if Instant::now() < deadline => std::thread::sleep(Duration::from_millis(20)),
                Err(e) => panic!("SMTP sink cannot listen on 127.0.0.1:{port}: {e}"),
            }
        };
        let port = listener.local_addr().expect("local address of the SMTP sink").port();
        listener.set_nonblocking(true).expect("non-blocking SMTP sink listener");
        let shared = Arc::new(Shared::default());
        let acceptor = {
            let shared = Arc::clone(&shared);
            std::thread::Builder::new()
                .name(format!("smtp-sink-{port}"))
                .spawn(move || accept_loop(listener, shared))
                .expect("start the SMTP sink thread")
        };
        SmtpSink { port, shared, acceptor: Some(acceptor) }
    }

    /// The messages received so far.
    pub fn messages(&self) -> Vec<Captured> {
        self.shared.state().messages.clone()
    }

    /// Waits until at least `n` messages have arrived or `timeout` has passed, and
    /// returns the messages received by then (fewer than `n` on timeout).
    pub fn wait_for(&self, n: usize, timeout: Duration) -> Vec<Captured> {
        let state = self.shared.state();
        let (state, _) = self
            .shared
            .arrived
            .wait_timeout_while(state, timeout, |s| s.messages.len() < n)
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        state.messages.clone()
    }

    /// Answers the next message's end of DATA with `code` (e.g. 451 or 550)
    /// instead of accepting it; that message is not recorded.
    pub fn fail_next(&self, code: u16) {
        self.shared.state().fail_next = Some(code);
    }
}

impl Drop for SmtpSink {
    fn drop(&mut self) {
        self.shared.stop.store(true, Ordering::SeqCst);
        if let Some(acceptor) = self.acceptor.take() {
            let _ = acceptor.join();
        }
        for (_, connection) in self.shared.state().connections.drain() {
            let _ = connection.shutdown(Shutdown::Both);
        }
    }
}

fn accept_loop(listener: TcpListener, shared: Arc<Shared>) {
    while !shared.stop.load(Ordering::SeqCst) {
        match listener.accept() {
            Ok((stream, _)) => {
                let registered = stream.set_nonblocking(false).and_then(|()| stream.try_clone());
                let Ok(registered) = registered else { continue };
                let id = {
                    let mut state = shared.state();
                    state.next_connection += 1;
                    let id = state.next_connection;
                    state.connections.insert(id, registered);
                    id
                };
                let shared = Arc::clone(&shared);
                let _ = std::thread::Builder::new().name("smtp-sink-conn".into()).spawn(move || {
                    let _ = Connection::new(stream, Arc::clone(&shared)).and_then(|mut c| c.serve());
                    // The registry holds a duplicate of the socket: close it for real.
                    if let Some(connection) = shared.state().connections.remove(&id) {
                        let _ = connection.shutdown(Shutdown::Both);
                    }
                });
            }
            Err(e) if e.kind() == std::io::ErrorKind::WouldBlock => std::thread::sleep(Duration::from_millis(5)),
            Err(_) => std::thread::sleep(Duration::from_millis(20)),
        }
    }
}

struct Connection {
    reader: BufReader<TcpStream>,
    writer: TcpStream,
    shared: Arc<Shared>,
    auth_user: Option<String>,
    mail_from: Option<String>,
    rcpt_to: Vec<String>,
}

impl Connection {
    fn new(stream: TcpStream, shared: Arc<Shared>) -> std::io::Result<Connection> {
        stream.set_read_timeout(Some(Duration::from_secs(60)))?;
        let writer = stream.try_clone()?;
        Ok(Connection {
            reader: BufReader::new(stream),
            writer,
            shared,
            auth_user: None,
            mail_from: None,
            rcpt_to: Vec::new(),
        })
    }

    fn reply(&mut self, text: &str) -> std::io::Result<()> {
        self.writer.write_all(format!("{text}\r\n").as_bytes())
    }

    /// The next line without its line end; `None` at end of stream.
    fn line(&mut self) -> std::io::Result<Option<Vec<u8>>> {
        let mut line = Vec::new();
        if self.reader.read_until(b'\n', &mut line)? == 0 {
            return Ok(None);
        }
        while matches!(line.last(), Some(b'\n' | b'\r')) {
            line.pop();
        }
        Ok(Some(line))
    }

    fn serve(&mut self) -> std::io::Result<()> {
        self.reply("220 sink.test ESMTP test sink")?;
        while let Some(line) = self.line()? {
            let line = String::from_utf8_lossy(&line).into_owned();
            let (verb, args) = line.split_once(' ').unwrap_or((line.as_str(), ""));
            match verb.to_ascii_uppercase().as_str() {
                "EHLO" => self.reply("250-sink.test\r\n250-AUTH PLAIN LOGIN\r\n250-8BITMIME\r\n250 SIZE 52428800")?,
                "HELO" => self.reply("250 sink.test")?,
                "AUTH" => self.auth(args)?,
                "MAIL" => {
                    self.mail_from = Some(path(args));
                    self.rcpt_to.clear();
                    self.reply("250 2.1.0 Ok")?;
                }
                "RCPT" if self.mail_from.is_none() => self.reply("503 5.5.1 MAIL first")?,
                "RCPT" => {
                    self.rcpt_to.push(path(args));
                    self.reply("250 2.1.5 Ok")?;
                }
                "DATA" if self.rcpt_to.is_empty() => self.reply("503 5.5.1 RCPT first")?,
                "DATA" => self.data()?,
                "RSET" => {
                    self.mail_from = None;
                    self.rcpt_to.clear();
                    self.reply("250 2.0.0 Ok")?;
                }
                "NOOP" => self.reply("250 2.0.0 Ok")?,
                "STARTTLS" => self.reply("454 4.7.0 TLS not available")?,
                "QUIT" => return self.reply("221 2.0.0 Bye"),
                _ => self.reply("500 5.5.2 Command not recognized")?,
            }
        }
        Ok(())
    }

    fn auth(&mut self, args: &str) -> std::io::Result<()> {
        let mut words = args.split_whitespace();
        let mechanism = words.next().unwrap_or_default().to_ascii_uppercase();
        let initial = words.next().map(str::to_string);
        let user = match mechanism.as_str() {
            "PLAIN" => {
                let response = match initial {
                    Some(r) => r,
                    None => {
                        self.reply("334 ")?;
                        self.text_line()?
                    }
                };
                // authzid NUL authcid NUL passwd (RFC 4616 §2)
                let decoded = decode(&response);
                decoded.split('\0').nth(1).unwrap_or_default().to_string()
            }
            "LOGIN" => {
                let user = match initial {
                    Some(u) => u,
                    None => {
                        self.reply("334 VXNlcm5hbWU6")?;
                        self.text_line()?
                    }
                };
                self.reply("334 UGFzc3dvcmQ6")?;
                self.text_line()?;
                decode(&user)
            }
            _ => return self.reply("504 5.5.4 Unrecognized authentication type"),
        };
        self.auth_user = Some(user);
        self.reply("235 2.7.0 Authentication successful")
    }

    fn text_line(&mut self) -> std::io::Result<String> {
        let line = self.line()?.ok_or(std::io::ErrorKind::UnexpectedEof)?;
        Ok(String::from_utf8_lossy(&line).into_owned())
    }

    fn data(&mut self) -> std::io::Result<()> {
        self.reply("354 End data with <CR><LF>.<CR><LF>")?;
        let mut data = Vec::new();
        loop {
            let mut line = Vec::new();
            if self.reader.read_until(b'\n', &mut line)? == 0 {
                return Ok(());
            }
            if line == b".\r\n" || line == b".\n" {
                break;
            }
            let content = if line.first() == Some(&b'.') { &line[1..] } else { &line[..] };
            data.extend_from_slice(content);
        }
        let captured = Captured {
            mail_from: self.mail_from.take().unwrap_or_default(),
            rcpt_to: std::mem::take(&mut self.rcpt_to),
            data,
            auth_user: self.auth_user.clone(),
        };
        let failure = self.shared.state().fail_next.take();
        if let Some(code) = failure {
            let class = code / 100;
            return self.reply(&format!("{code} {class}.0.0 Simulated failure"));
        }
        {
            let mut state = self.shared.state();
            state.messages.push(captured);
        }
        self.shared.arrived.notify_all();
        self.reply("250 2.0.0 Ok: queued")
    }
}

/// The path of `FROM:<path> params` / `TO:<path>`.
fn path(args: &str) -> String {
    let after_colon = args.split_once(':').map_or(args, |(_, rest)| rest).trim();
    match after_colon.strip_prefix('<').and_then(|rest| rest.split_once('>')) {
        Some((path, _)) => path.to_string(),
        None => after_colon.split_whitespace().next().unwrap_or_default().to_string(),
    }
}

fn decode(b64: &str) -> String {
    let bytes = base64::engine::general_purpose::STANDARD.decode(b64.trim()).unwrap_or_default();
    String::from_utf8_lossy(&bytes).into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Read;

    fn talk(port: u16, script: &[&str]) -> String {
        let mut stream = TcpStream::connect(("127.0.0.1", port)).unwrap();
        for line in script {
            stream.write_all(line.as_bytes()).unwrap();
        }
        let mut out = String::new();
        stream.read_to_string(&mut out).unwrap();
        out
    }

    #[test]
    fn records_messages_and_simulates_failures() {
        let sink = SmtpSink::start();
        let out = talk(
            sink.port,
            &[
                "EHLO me\r\n",
                "AUTH PLAIN AGFsaWNlAHNlY3JldA==\r\n",
                "MAIL FROM:<a@x.example> SIZE=10\r\n",
                "RCPT TO:<b@y.example>\r\n",
                "DATA\r\n",
                "Subject: hi\r\n\r\n..dot\r\n.\r\n",
                "QUIT\r\n",
            ],
        );
        assert!(out.contains("235 2.7.0"), "{out}");
        let got = sink.wait_for(1, Duration::from_secs(5));
        assert_eq!(got.len(), 1);
        assert_eq!(got[0].mail_from, "a@x.example");
        assert_eq!(got[0].rcpt_to, ["b@y.example"]);
        assert_eq!(got[0].data, b"Subject: hi\r\n\r\n.dot\r\n");
        assert_eq!(got[0].auth_user.as_deref(), Some("alice"));

        sink.fail_next(451);
        let out = talk(
            sink.port,
            &["HELO me\r\n", "MAIL FROM:<>\r\n", "RCPT TO:<c@y.example>\r\n", "DATA\r\n", "x\r\n.\r\n", "QUIT\r\n"],
        );
        assert!(out.contains("451 4.0.0"), "{out}");
        assert_eq!(sink.messages().len(), 1, "a failed message is not recorded");
    }

    #[test]
    fn dropping_frees_the_port() {
        let sink = SmtpSink::start();
        let port = sink.port;
        drop(sink);
        assert!(TcpStream::connect(("127.0.0.1", port)).is_err());
        let again = SmtpSink::start_on(port);
        assert_eq!(again.port, port);
        assert!(talk(port, &["QUIT\r\n"]).starts_with("220 "));
    }
}
