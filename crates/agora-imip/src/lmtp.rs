//! An LMTP server (RFC 2033) through which the local MTA delivers mail for Agora's
//! addresses.
//!
//! LMTP is SMTP without queueing: after DATA the server answers once per accepted
//! recipient (RFC 2033 §4.2), so the MTA knows for each one whether Agora took the
//! message, must retry (4xx) or bounce it (5xx). Extensions offered: PIPELINING
//! (RFC 2920), ENHANCEDSTATUSCODES (RFC 2034), 8BITMIME (RFC 6152) and SIZE
//! (RFC 1870). There is no TLS and no authentication: listen on loopback or a
//! private network only.

mod command;
mod line_reader;
mod session;

use std::future::Future;
use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

use tokio::io::{AsyncRead, AsyncWrite};
use tokio::net::TcpListener;
use tokio::sync::watch;
use tokio::task::JoinSet;

/// What the server asks of the application.
#[async_trait::async_trait]
pub trait LmtpHandler: Send + Sync + 'static {
    /// RCPT TO: whether the address is a local recipient (else 550 5.1.1);
    /// `Err` when that cannot be known now (the reply is 451, the MTA retries).
    async fn accepts(&self, rcpt: &str) -> Result<bool, Refusal>;
    /// After DATA, once per accepted recipient: Ok → 250 2.0.0, Err(Refusal{permanent, text}) → 550 5.x.x / 451 4.x.x with the text.
    ///
    /// `mail_from` is the reverse path, empty for bounces (`MAIL FROM:<>`);
    /// `message` has CRLF line ends and no dot-stuffing.
    async fn deliver(&self, mail_from: &str, rcpt: &str, message: &[u8]) -> Result<(), Refusal>;
}

/// Why a message was not delivered to a recipient.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Refusal {
    /// Permanent (550, the MTA bounces) or transient (451, the MTA retries later).
    pub permanent: bool,
    /// The reply text. It may start with an enhanced status code of the right class
    /// ("5.7.1 …", RFC 3463); otherwise 5.0.0 or 4.0.0 is put in front.
    pub text: String,
}

impl Refusal {
    /// A permanent refusal.
    pub fn permanent(text: impl Into<String>) -> Refusal {
        Refusal { permanent: true, text: text.into() }
    }

    /// A transient refusal: try again later.
    pub fn transient(text: impl Into<String>) -> Refusal {
        Refusal { permanent: false, text: text.into() }
    }
}

/// Server settings.
#[derive(Debug, Clone)]
pub struct LmtpConfig {
    /// Name in the greeting and the LHLO reply.
    pub hostname: String,
    /// Largest message accepted (announced with SIZE); larger ones get 552.
    pub max_message_bytes: usize,
    /// Most recipients per transaction; more get 452 (RFC 5321 §4.5.3.1.10).
    pub max_recipients: usize,
    /// How long to wait for each line from the client before closing with 421.
    pub idle_timeout: Duration,
}

impl Default for LmtpConfig {
    fn default() -> Self {
        LmtpConfig {
            hostname: "localhost".to_string(),
            max_message_bytes: 10 * 1024 * 1024,
            max_recipients: 100,
            idle_timeout: Duration::from_secs(300),
        }
    }
}

/// Serves LMTP on `listener` until `shutdown` resolves, each connection in its
/// own task.
///
/// Commands: LHLO (answered with PIPELINING, ENHANCEDSTATUSCODES, 8BITMIME and
/// SIZE), `MAIL FROM:<addr>` (a SIZE= over the limit gets 552 at once, RFC 1870
/// §6), `RCPT TO:<addr>` (asks [`LmtpHandler::accepts`]), DATA (dot-unstuffed,
/// RFC 5321 §4.5.2; 552 per recipient when over the size), RSET, NOOP, QUIT,
/// VRFY (252). HELO and EHLO get 500 since LMTP needs LHLO (RFC 2033 §4.1); a
/// command out of sequence gets 503, an unknown one 500. After the data, one
/// reply per accepted recipient, in RCPT order (RFC 2033 §4.2).
///
/// A command line longer than 1000 octets (CRLF included) or no line within
/// `idle_timeout` ends the session with a 421 reply; a longer line inside DATA
/// only makes the message too large. On shutdown the listener is closed, idle
/// sessions are told 421 and closed, a transaction in progress is finished
/// first; `serve` returns once every session has ended.
pub async fn serve(
    listener: TcpListener,
    handler: Arc<dyn LmtpHandler>,
    config: LmtpConfig,
    shutdown: impl Future<Output = ()> + Send + 'static,
) {
    let config = Arc::new(config);
    let (stop, stopping) = watch::channel(false);
    let mut sessions = JoinSet::new();
    tokio::pin!(shutdown);
    loop {
        tokio::select! {
            () = &mut shutdown => break,
            accepted = listener.accept() => match accepted {
                Ok((stream, peer)) => {
                    tracing::debug!(%peer, "LMTP connection");
                    sessions.spawn(session::run(Box::new(stream), peer, Arc::clone(&handler), Arc::clone(&config), stopping.clone()));
                }
                Err(error) => {
                    // E.g. out of file descriptors: wait a little rather than spin.
                    tracing::warn!(%error, "LMTP accept failed");
                    tokio::time::sleep(Duration::from_millis(100)).await;
                }
            },
            Some(done) = sessions.join_next(), if !sessions.is_empty() => log_end(done),
        }
    }
    drop(listener);
    let _ = stop.send(true);
    while let Some(done) = sessions.join_next().await {
        log_end(done);
    }
    tracing::debug!("LMTP server stopped");
}

/// Runs one LMTP session on an already accepted connection (any byte stream:
/// a socket the caller accepted, or an in-memory stream in tests and fuzzing),
/// until the client quits or the stream ends. `peer` is only logged.
pub async fn serve_connection(
    stream: impl AsyncRead + AsyncWrite + Unpin + Send + 'static,
    peer: SocketAddr,
    handler: Arc<dyn LmtpHandler>,
    config: LmtpConfig,
) {
    // Never stopped from outside: the sender lives until the session ends.
    let (_stop, stopping) = watch::channel(false);
    session::run(Box::new(stream), peer, handler, Arc::new(config), stopping).await;
}

fn log_end(done: Result<(), tokio::task::JoinError>) {
    if let Err(error) = done {
        tracing::error!(%error, "LMTP session task failed");
    }
}
