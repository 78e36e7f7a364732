//! LMTP sessions over loopback against a mock handler.

use std::net::SocketAddr;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use agora_imip::lmtp::{LmtpConfig, LmtpHandler, Refusal, serve};
use tokio::io::{AsyncBufReadExt, AsyncReadExt, AsyncWriteExt, BufReader};
use tokio::net::tcp::{OwnedReadHalf, OwnedWriteHalf};
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::oneshot;
use tokio::task::JoinHandle;

/// Accepts `*@agora.test` except nobody@; delivery to full@ fails transiently,
/// to blocked@ permanently.
#[derive(Default)]
struct Mock {
    delivered: Mutex<Vec<(String, String, Vec<u8>)>>,
}

#[async_trait::async_trait]
impl LmtpHandler for Mock {
    async fn accepts(&self, rcpt: &str) -> Result<bool, Refusal> {
        if rcpt.starts_with("down@") {
            return Err(Refusal::transient("the directory is unavailable"));
        }
        Ok(rcpt.ends_with("@agora.test") && !rcpt.starts_with("nobody@"))
    }

    async fn deliver(&self, mail_from: &str, rcpt: &str, message: &[u8]) -> Result<(), Refusal> {
        self.delivered.lock().unwrap().push((mail_from.to_string(), rcpt.to_string(), message.to_vec()));
        match rcpt {
            "full@agora.test" => Err(Refusal::transient("4.2.2 Mailbox full")),
            "blocked@agora.test" => Err(Refusal { permanent: true, text: "5.7.1 Not allowed".into() }),
            "broken@agora.test" => Err(Refusal::permanent("no calendar part\r\n250 forged")),
            _ => Ok(()),
        }
    }
}

struct Server {
    addr: SocketAddr,
    mock: Arc<Mock>,
    stop: Option<oneshot::Sender<()>>,
    task: JoinHandle<()>,
}

fn config() -> LmtpConfig {
    LmtpConfig {
        hostname: "lmtp.agora.test".into(),
        max_message_bytes: 1000,
        max_recipients: 5,
        idle_timeout: Duration::from_secs(10),
    }
}

async fn start(config: LmtpConfig) -> Server {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let mock = Arc::new(Mock::default());
    let (stop, stopped) = oneshot::channel::<()>();
    let task = tokio::spawn(serve(listener, mock.clone(), config, async {
        let _ = stopped.await;
    }));
    Server { addr, mock, stop: Some(stop), task }
}

impl Server {
    fn delivered(&self) -> Vec<(String, String, Vec<u8>)> {
        self.mock.delivered.lock().unwrap().clone()
    }
}

struct Client {
    reader: BufReader<OwnedReadHalf>,
    writer: OwnedWriteHalf,
}

impl Client {
    /// Connects and checks the greeting.
    async fn connect(addr: SocketAddr) -> Client {
        let (r, w) = TcpStream::connect(addr).await.unwrap().into_split();
        let mut client = Client { reader: BufReader::new(r), writer: w };
        let greeting = client.reply().await;
        assert!(greeting.starts_with("220 lmtp.agora.test "), "{greeting}");
        client
    }

    async fn greeted(addr: SocketAddr) -> Client {
        let mut client = Client::connect(addr).await;
        assert!(client.cmd("LHLO client.test").await.ends_with("250 SIZE 1000\r\n"));
        client
    }

    async fn send(&mut self, text: &str) {
        self.writer.write_all(text.as_bytes()).await.unwrap();
    }

    /// One complete reply (all lines of a multi-line one).
    async fn reply(&mut self) -> String {
        let mut out = String::new();
        loop {
            let mut line = String::new();
            let n =
                tokio::time::timeout(Duration::from_secs(10), self.reader.read_line(&mut line)).await.unwrap().unwrap();
            assert!(n > 0, "connection closed; got so far: {out:?}");
            out.push_str(&line);
            if line.as_bytes().get(3) != Some(&b'-') {
                return out;
            }
        }
    }

    async fn cmd(&mut self, line: &str) -> String {
        self.send(&format!("{line}\r\n")).await;
        self.reply().await
    }

    async fn closed(&mut self) -> bool {
        let mut rest = Vec::new();
        let read = tokio::time::timeout(Duration::from_secs(10), self.reader.read_to_end(&mut rest)).await.unwrap();
        read.is_err() || rest.is_empty()
    }
}

#[tokio::test]
async fn lhlo_announces_the_extensions_and_helo_is_refused() {
    let server = start(config()).await;
    let mut c = Client::connect(server.addr).await;
    assert!(c.cmd("EHLO client.test").await.starts_with("500 5.5.1"));
    assert!(c.cmd("HELO client.test").await.starts_with("500 5.5.1"));
    assert!(c.cmd("LHLO").await.starts_with("501 "));
    let lhlo = c.cmd("lhlo client.test").await;
    assert_eq!(
        lhlo,
        "250-lmtp.agora.test\r\n250-PIPELINING\r\n250-ENHANCEDSTATUSCODES\r\n250-8BITMIME\r\n250 SIZE 1000\r\n"
    );
    assert!(c.cmd("NOOP").await.starts_with("250 2.0.0"));
    assert!(c.cmd("VRFY bob@agora.test").await.starts_with("252 "));
    assert!(c.cmd("QUIT").await.starts_with("221 2.0.0"));
    assert!(c.closed().await);
}

#[tokio::test]
async fn one_reply_per_accepted_recipient_after_data() {
    let server = start(config()).await;
    let mut c = Client::greeted(server.addr).await;
    assert!(c.cmd("MAIL FROM:<alice@example.com> BODY=8BITMIME").await.starts_with("250 2.1.0"));
    assert!(c.cmd("RCPT TO:<bob@agora.test>").await.starts_with("250 2.1.5"));
    assert_eq!(c.cmd("RCPT TO:<nobody@agora.test>").await, "550 5.1.1 <nobody@agora.test>: no such recipient here\r\n");
    assert!(c.cmd("RCPT TO:<someone@elsewhere.example>").await.starts_with("550 5.1.1"));
    // A recipient that cannot be checked now is deferred, not bounced.
    let deferred = c.cmd("RCPT TO:<down@agora.test>").await;
    assert!(deferred.starts_with("451 4.3.0 ") && deferred.contains("unavailable"), "{deferred}");
    assert!(c.cmd("RCPT TO:<full@agora.test>").await.starts_with("250 "));
    assert!(c.cmd("RCPT TO:<blocked@agora.test>").await.starts_with("250 "));
    assert!(c.cmd("RCPT TO:<broken@agora.test>").await.starts_with("250 "));
    assert!(c.cmd("DATA").await.starts_with("354 "));
    c.send("Subject: hi\r\n\r\nHello.\r\n.\r\n").await;
    assert!(c.reply().await.starts_with("250 2.0.0"), "bob");
    assert_eq!(c.reply().await, "451 4.2.2 Mailbox full\r\n");
    assert_eq!(c.reply().await, "550 5.7.1 Not allowed\r\n");
    assert_eq!(c.reply().await, "550 5.0.0 no calendar part  250 forged\r\n", "one line, default enhanced code");
    let delivered = server.delivered();
    let rcpts: Vec<&str> = delivered.iter().map(|d| d.1.as_str()).collect();
    assert_eq!(rcpts, ["bob@agora.test", "full@agora.test", "blocked@agora.test", "broken@agora.test"]);
    for (from, _, message) in &delivered {
        assert_eq!(from, "alice@example.com");
        assert_eq!(message, b"Subject: hi\r\n\r\nHello.\r\n");
    }
    // The transaction is over: a new one can start.
    assert!(c.cmd("MAIL FROM:<>").await.starts_with("250 "));
}

#[tokio::test]
async fn dot_stuffing_is_undone_and_line_ends_are_crlf() {
    let server = start(config()).await;
    let mut c = Client::greeted(server.addr).await;
    c.cmd("MAIL FROM:<>").await;
    c.cmd("RCPT TO:<bob@agora.test>").await;
    assert!(c.cmd("DATA").await.starts_with("354 "));
    c.send("Subject: dots\r\n\r\n..leading dot\r\n...\r\n..\r\nbare lf\nend .\r\n.\r\n").await;
    assert!(c.reply().await.starts_with("250 2.0.0"));
    let delivered = server.delivered();
    assert_eq!(delivered.len(), 1);
    assert_eq!(delivered[0].0, "", "null reverse path");
    assert_eq!(delivered[0].2, b"Subject: dots\r\n\r\n.leading dot\r\n..\r\n.\r\nbare lf\r\nend .\r\n");
}

#[tokio::test]
async fn size_limit() {
    let server = start(config()).await;
    let mut c = Client::greeted(server.addr).await;
    assert!(c.cmd("MAIL FROM:<a@example.com> SIZE=1001").await.starts_with("552 5.3.4"));
    assert!(c.cmd("MAIL FROM:<a@example.com> SIZE=lots").await.starts_with("501 "));
    assert!(c.cmd("MAIL FROM:<a@example.com> FOO=1").await.starts_with("555 "));
    assert!(c.cmd("MAIL FROM:<a@example.com> SIZE=900").await.starts_with("250 "));
    c.cmd("RCPT TO:<bob@agora.test>").await;
    c.cmd("RCPT TO:<carol@agora.test>").await;
    assert!(c.cmd("DATA").await.starts_with("354 "));
    let big = format!("Subject: big\r\n\r\n{}.\r\n", "0123456789012345678901234567890123456789\r\n".repeat(30));
    c.send(&big).await;
    assert!(c.reply().await.starts_with("552 5.3.4"));
    assert!(c.reply().await.starts_with("552 5.3.4"), "one reply per recipient");
    // A single line longer than the whole limit is refused the same way.
    c.cmd("MAIL FROM:<a@example.com>").await;
    c.cmd("RCPT TO:<bob@agora.test>").await;
    c.cmd("DATA").await;
    c.send(&format!("{}\r\n.\r\n", "x".repeat(5000))).await;
    assert!(c.reply().await.starts_with("552 5.3.4"));
    assert!(server.delivered().is_empty());
    // The session goes on.
    c.cmd("MAIL FROM:<a@example.com>").await;
    c.cmd("RCPT TO:<bob@agora.test>").await;
    c.cmd("DATA").await;
    c.send("Subject: small\r\n\r\nok\r\n.\r\n").await;
    assert!(c.reply().await.starts_with("250 2.0.0"));
    assert_eq!(server.delivered().len(), 1);
}

#[tokio::test]
async fn rset_and_bad_sequences() {
    let server = start(config()).await;
    let mut c = Client::connect(server.addr).await;
    assert!(c.cmd("MAIL FROM:<a@example.com>").await.starts_with("503 5.5.1"), "LHLO first");
    c.cmd("LHLO client.test").await;
    assert!(c.cmd("RCPT TO:<bob@agora.test>").await.starts_with("503 5.5.1"), "MAIL first");
    assert!(c.cmd("DATA").await.starts_with("503 5.5.1"));
    assert!(c.cmd("MAIL FROM:<a@example.com>").await.starts_with("250 "));
    assert!(c.cmd("MAIL FROM:<a@example.com>").await.starts_with("503 5.5.1"), "nested MAIL");
    assert!(c.cmd("DATA").await.starts_with("503 5.5.1"), "no valid recipients");
    assert!(c.cmd("RCPT TO:<bob@agora.test>").await.starts_with("250 "));
    assert!(c.cmd("RCPT TO:<>").await.starts_with("501 "));
    assert!(c.cmd("RSET").await.starts_with("250 2.0.0"));
    assert!(c.cmd("DATA").await.starts_with("503 5.5.1"), "RSET ended the transaction");
    assert!(c.cmd("STARTTLS").await.starts_with("500 5.5.2"));
    assert!(c.cmd("BOGUS command").await.starts_with("500 5.5.2"));
    assert!(server.delivered().is_empty());
}

#[tokio::test]
async fn too_many_recipients() {
    let server = start(LmtpConfig { max_recipients: 2, ..config() }).await;
    let mut c = Client::greeted(server.addr).await;
    c.cmd("MAIL FROM:<a@example.com>").await;
    assert!(c.cmd("RCPT TO:<one@agora.test>").await.starts_with("250 "));
    assert!(c.cmd("RCPT TO:<two@agora.test>").await.starts_with("250 "));
    assert!(c.cmd("RCPT TO:<three@agora.test>").await.starts_with("452 4.5.3"));
    c.cmd("DATA").await;
    c.send("x\r\n.\r\n").await;
    assert!(c.reply().await.starts_with("250 "));
    assert!(c.reply().await.starts_with("250 "));
    assert_eq!(server.delivered().len(), 2);
}

#[tokio::test]
async fn pipelined_commands() {
    let server = start(config()).await;
    let mut c = Client::connect(server.addr).await;
    c.send("LHLO client.test\r\nMAIL FROM:<alice@example.com>\r\nRCPT TO:<bob@agora.test>\r\nRCPT TO:<nobody@agora.test>\r\nRCPT TO:<carol@agora.test>\r\nDATA\r\n").await;
    assert!(c.reply().await.starts_with("250-lmtp.agora.test"));
    assert!(c.reply().await.starts_with("250 2.1.0"));
    assert!(c.reply().await.starts_with("250 2.1.5"));
    assert!(c.reply().await.starts_with("550 5.1.1"));
    assert!(c.reply().await.starts_with("250 2.1.5"));
    assert!(c.reply().await.starts_with("354 "));
    c.send("Subject: pipelined\r\n\r\nbody\r\n.\r\nNOOP\r\nQUIT\r\n").await;
    assert!(c.reply().await.starts_with("250 2.0.0"), "bob");
    assert!(c.reply().await.starts_with("250 2.0.0"), "carol");
    assert!(c.reply().await.starts_with("250 2.0.0"), "NOOP");
    assert!(c.reply().await.starts_with("221 "));
    assert!(c.closed().await);
    let rcpts: Vec<String> = server.delivered().into_iter().map(|d| d.1).collect();
    assert_eq!(rcpts, ["bob@agora.test", "carol@agora.test"]);
}

#[tokio::test]
async fn long_lines_and_idle_clients_are_shown_the_door() {
    let server = start(LmtpConfig { idle_timeout: Duration::from_millis(300), ..config() }).await;
    let mut c = Client::greeted(server.addr).await;
    c.send(&format!("NOOP {}\r\n", "x".repeat(1000))).await;
    assert!(c.reply().await.starts_with("421 4.5.2 lmtp.agora.test"));
    assert!(c.closed().await);

    let mut idle = Client::greeted(server.addr).await;
    let started = std::time::Instant::now();
    assert!(idle.reply().await.starts_with("421 4.4.2"));
    assert!(started.elapsed() >= Duration::from_millis(250));
    assert!(idle.closed().await);
}

#[tokio::test]
async fn shutdown_closes_idle_sessions_and_stops_listening() {
    let mut server = start(config()).await;
    let mut c = Client::greeted(server.addr).await;
    server.stop.take().unwrap().send(()).unwrap();
    assert!(c.reply().await.starts_with("421 4.3.2"));
    assert!(c.closed().await);
    tokio::time::timeout(Duration::from_secs(5), server.task).await.expect("serve returns").unwrap();
    assert!(TcpStream::connect(server.addr).await.is_err(), "the listener is closed");
}
