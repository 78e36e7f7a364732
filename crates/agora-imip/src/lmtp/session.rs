//! One LMTP connection: the command loop and the mail transaction.

use std::net::SocketAddr;
use std::sync::Arc;

use tokio::io::{AsyncRead, AsyncWrite, AsyncWriteExt, BufReader, ReadHalf, WriteHalf};
use tokio::sync::watch;

use super::command::{self, Command};
use super::line_reader::{Line, Overflow, read_line};
use super::{LmtpConfig, LmtpHandler, Refusal};

/// Longest command line, CRLF included (RFC 5321 §4.5.3.1.6 allows 1000 for text
/// lines; command lines are shorter still, §4.5.3.1.4).
const MAX_LINE: usize = 1000;
/// Errors tolerated before the session is closed.
const MAX_ERRORS: u32 = 20;
/// Longest reply text taken from a handler's refusal.
const MAX_REPLY_TEXT: usize = 400;

/// The connection, boxed so that a session runs on TCP and on in-memory streams
/// (tests, fuzzing) alike.
type Stream = Box<dyn Connection>;

/// What a session reads from and writes to.
pub(super) trait Connection: AsyncRead + AsyncWrite + Unpin + Send {}
impl<T: AsyncRead + AsyncWrite + Unpin + Send> Connection for T {}

struct Session {
    reader: BufReader<ReadHalf<Stream>>,
    writer: WriteHalf<Stream>,
    peer: SocketAddr,
    handler: Arc<dyn LmtpHandler>,
    config: Arc<LmtpConfig>,
    greeted: bool,
    transaction: Option<Transaction>,
    errors: u32,
}

struct Transaction {
    mail_from: String,
    recipients: Vec<String>,
}

/// Whether the session goes on after a command.
enum Flow {
    Continue,
    Close,
}

/// Runs one session to its end; I/O errors just end it.
pub(super) async fn run(
    stream: Stream,
    peer: SocketAddr,
    handler: Arc<dyn LmtpHandler>,
    config: Arc<LmtpConfig>,
    stopping: watch::Receiver<bool>,
) {
    let (reader, writer) = tokio::io::split(stream);
    let mut session = Session {
        reader: BufReader::new(reader),
        writer,
        peer,
        handler,
        config,
        greeted: false,
        transaction: None,
        errors: 0,
    };
    if let Err(error) = session.serve(stopping).await {
        tracing::debug!(%peer, %error, "LMTP session ended by an I/O error");
    }
}

impl Session {
    async fn serve(&mut self, mut stopping: watch::Receiver<bool>) -> std::io::Result<()> {
        let greeting = format!("220 {} LMTP server ready", self.config.hostname);
        self.reply(&greeting).await?;
        loop {
            if *stopping.borrow() {
                return self.close("421 4.3.2", "Server shutting down").await;
            }
            let line = tokio::select! {
                line = tokio::time::timeout(self.config.idle_timeout, read_line(&mut self.reader, MAX_LINE, Overflow::Stop)) => line,
                changed = stopping.changed() => {
                    // A closed channel means the server is gone: stop as well.
                    if changed.is_err() {
                        return self.close("421 4.3.2", "Server shutting down").await;
                    }
                    continue;
                }
            };
            let line = match line {
                Err(_elapsed) => return self.close("421 4.4.2", "Idle timeout, closing connection").await,
                Ok(line) => line?,
            };
            let line = match line {
                Line::Eof => return Ok(()),
                Line::TooLong => return self.close("421 4.5.2", "Line too long, closing connection").await,
                Line::Complete(line) => line,
            };
            if let Flow::Close = self.command(&line).await? {
                return Ok(());
            }
        }
    }

    async fn command(&mut self, line: &[u8]) -> std::io::Result<Flow> {
        let command = command::parse(line);
        tracing::trace!(peer = %self.peer, ?command, "LMTP command");
        match command {
            Command::Lhlo(_) => {
                // LHLO resets any transaction (RFC 5321 §4.1.4).
                self.transaction = None;
                self.greeted = true;
                let c = &self.config;
                let reply = format!(
                    "250-{}\r\n250-PIPELINING\r\n250-ENHANCEDSTATUSCODES\r\n250-8BITMIME\r\n250 SIZE {}",
                    c.hostname, c.max_message_bytes
                );
                self.reply(&reply).await?;
            }
            Command::HeloOrEhlo => self.error("500 5.5.1 This is LMTP: use LHLO (RFC 2033)").await?,
            Command::Mail { from, params } => {
                if !self.greeted {
                    self.error("503 5.5.1 Send LHLO first").await?;
                } else if self.transaction.is_some() {
                    self.error("503 5.5.1 Nested MAIL command").await?;
                } else if let Some(problem) = self.mail_params(&params) {
                    self.error(problem).await?;
                } else {
                    self.transaction = Some(Transaction { mail_from: from, recipients: Vec::new() });
                    self.reply("250 2.1.0 Sender OK").await?;
                }
            }
            Command::Rcpt { to, params } => self.rcpt(to, &params).await?,
            Command::Data => return self.data().await,
            Command::Rset => {
                self.transaction = None;
                self.reply("250 2.0.0 OK").await?;
            }
            Command::Noop => self.reply("250 2.0.0 OK").await?,
            Command::Vrfy => {
                self.reply("252 2.5.0 Cannot VRFY user, but will accept message and attempt delivery").await?
            }
            Command::Quit => {
                let bye = format!("221 2.0.0 {} closing connection", self.config.hostname);
                self.reply(&bye).await?;
                return Ok(Flow::Close);
            }
            Command::Invalid(reply) => self.error(reply).await?,
            Command::Unknown => self.error("500 5.5.2 Command not recognized").await?,
        }
        if self.errors >= MAX_ERRORS {
            self.close("421 4.7.0", "Too many errors, closing connection").await?;
            return Ok(Flow::Close);
        }
        Ok(Flow::Continue)
    }

    /// The error reply for unacceptable MAIL parameters, if any.
    fn mail_params(&self, params: &[(String, Option<String>)]) -> Option<&'static str> {
        for (key, value) in params {
            match (key.as_str(), value.as_deref()) {
                // RFC 1870 §6: refuse at once a message declared too large.
                ("SIZE", Some(size)) => match size.parse::<u64>() {
                    Ok(size) if size > self.config.max_message_bytes as u64 => {
                        return Some("552 5.3.4 Message size exceeds fixed maximum message size");
                    }
                    Ok(_) => {}
                    Err(_) => return Some("501 5.5.4 Bad SIZE parameter"),
                },
                ("BODY", Some(body)) if body.eq_ignore_ascii_case("7BIT") || body.eq_ignore_ascii_case("8BITMIME") => {}
                ("BODY", _) => return Some("501 5.5.4 Unsupported BODY type"),
                _ => return Some("555 5.5.4 Unsupported MAIL parameter"),
            }
        }
        None
    }

    async fn rcpt(&mut self, to: String, params: &[(String, Option<String>)]) -> std::io::Result<()> {
        let max = self.config.max_recipients;
        let Some(transaction) = &self.transaction else { return self.error("503 5.5.1 Need MAIL command first").await };
        if !params.is_empty() {
            return self.error("555 5.5.4 Unsupported RCPT parameter").await;
        }
        if transaction.recipients.len() >= max {
            return self.reply("452 4.5.3 Too many recipients").await;
        }
        let accepted = match self.handler.accepts(&to).await {
            Ok(accepted) => accepted,
            Err(refusal) => {
                tracing::warn!(peer = %self.peer, rcpt = %to, reason = %refusal.text, "LMTP recipient not checked");
                let reply = format!("451 4.3.0 {}", one_line(&refusal.text, MAX_REPLY_TEXT));
                return self.reply(&reply).await;
            }
        };
        if accepted {
            if let Some(transaction) = &mut self.transaction {
                transaction.recipients.push(to);
            }
            self.reply("250 2.1.5 Recipient OK").await
        } else {
            tracing::debug!(peer = %self.peer, rcpt = %to, "LMTP recipient refused");
            let reply = format!("550 5.1.1 <{}>: no such recipient here", one_line(&to, MAX_REPLY_TEXT));
            self.reply(&reply).await
        }
    }

    /// DATA: reads the message and gives one reply per recipient (RFC 2033 §4.2).
    async fn data(&mut self) -> std::io::Result<Flow> {
        let recipients = match &self.transaction {
            None => {
                self.error("503 5.5.1 Need MAIL command first").await?;
                return Ok(Flow::Continue);
            }
            // RFC 2033 §4.2: DATA without a successful RCPT fails with 503.
            Some(t) if t.recipients.is_empty() => {
                self.error("503 5.5.1 No valid recipients").await?;
                return Ok(Flow::Continue);
            }
            Some(t) => t.recipients.len(),
        };
        self.reply("354 Start mail input; end with <CRLF>.<CRLF>").await?;
        let max = self.config.max_message_bytes;
        let mut message = Vec::new();
        let mut too_large = false;
        loop {
            let line = tokio::time::timeout(
                self.config.idle_timeout,
                read_line(&mut self.reader, max.saturating_add(3), Overflow::Skip),
            )
            .await;
            let line = match line {
                Err(_elapsed) => {
                    self.close("421 4.4.2", "Timeout while reading the message, closing connection").await?;
                    return Ok(Flow::Close);
                }
                Ok(line) => line?,
            };
            let line = match line {
                Line::Eof => return Ok(Flow::Close),
                Line::TooLong => {
                    too_large = true;
                    continue;
                }
                Line::Complete(line) => line,
            };
            if line == b"." {
                break;
            }
            // Transparency (RFC 5321 §4.5.2): a leading dot was doubled by the client.
            let content = line.strip_prefix(b".").unwrap_or(&line);
            if too_large || message.len().saturating_add(content.len() + 2) > max {
                too_large = true;
                message = Vec::new();
                continue;
            }
            message.extend_from_slice(content);
            message.extend_from_slice(b"\r\n");
        }
        let Some(transaction) = self.transaction.take() else { return Ok(Flow::Continue) };
        if too_large {
            tracing::info!(peer = %self.peer, recipients, "LMTP message over the size limit refused");
            for _ in &transaction.recipients {
                self.reply("552 5.3.4 Message too big for system").await?;
            }
            return Ok(Flow::Continue);
        }
        for rcpt in &transaction.recipients {
            let reply = match self.handler.deliver(&transaction.mail_from, rcpt, &message).await {
                Ok(()) => {
                    tracing::info!(peer = %self.peer, rcpt = %rcpt, bytes = message.len(), "LMTP message delivered");
                    "250 2.0.0 Delivered".to_string()
                }
                Err(refusal) => {
                    tracing::info!(peer = %self.peer, rcpt = %rcpt, permanent = refusal.permanent, text = %refusal.text, "LMTP delivery refused");
                    refusal_reply(&refusal)
                }
            };
            self.reply(&reply).await?;
        }
        Ok(Flow::Continue)
    }

    async fn reply(&mut self, text: &str) -> std::io::Result<()> {
        let mut bytes = Vec::with_capacity(text.len() + 2);
        bytes.extend_from_slice(text.as_bytes());
        bytes.extend_from_slice(b"\r\n");
        match tokio::time::timeout(self.config.idle_timeout, self.writer.write_all(&bytes)).await {
            Ok(result) => result,
            Err(_) => Err(std::io::Error::new(std::io::ErrorKind::TimedOut, "client not reading replies")),
        }
    }

    async fn error(&mut self, text: &str) -> std::io::Result<()> {
        self.errors += 1;
        self.reply(text).await
    }

    /// Sends `code hostname text` and closes (RFC 5321 §3.8: 421 before closing).
    async fn close(&mut self, code: &str, text: &str) -> std::io::Result<()> {
        let text = format!("{code} {} {text}", self.config.hostname);
        self.reply(&text).await?;
        self.writer.shutdown().await
    }
}

/// `550 5.x.x text` or `451 4.x.x text` for a refusal.
fn refusal_reply(refusal: &Refusal) -> String {
    let (code, class, fallback) =
        if refusal.permanent { ("550", '5', "Delivery refused") } else { ("451", '4', "Try again later") };
    let text = one_line(&refusal.text, MAX_REPLY_TEXT);
    let text = if text.is_empty() { fallback.to_string() } else { text };
    let has_code = text.split(' ').next().is_some_and(|first| is_enhanced_code(first, class));
    if has_code { format!("{code} {text}") } else { format!("{code} {class}.0.0 {text}") }
}

/// `class.subject.detail` (RFC 3463 §2): 1–3 digits, then 1–3 digits.
fn is_enhanced_code(s: &str, class: char) -> bool {
    let mut parts = s.split('.');
    let digits =
        |p: Option<&str>| p.is_some_and(|p| (1..=3).contains(&p.len()) && p.bytes().all(|b| b.is_ascii_digit()));
    parts.next() == Some(class.encode_utf8(&mut [0; 4]))
        && digits(parts.next())
        && digits(parts.next())
        && parts.next().is_none()
}

/// Text safe for a reply line: control characters become spaces, at most `max`
/// bytes.
fn one_line(s: &str, max: usize) -> String {
    let mut out = String::new();
    for c in s.chars().map(|c| if c.is_control() { ' ' } else { c }) {
        if out.len() + c.len_utf8() > max {
            break;
        }
        out.push(c);
    }
    out.trim().to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn refusal_replies() {
        assert_eq!(refusal_reply(&Refusal::permanent("5.7.1 Not allowed")), "550 5.7.1 Not allowed");
        assert_eq!(refusal_reply(&Refusal::permanent("4.7.1 wrong class")), "550 5.0.0 4.7.1 wrong class");
        assert_eq!(refusal_reply(&Refusal::transient("busy\r\n250 fake")), "451 4.0.0 busy  250 fake");
        assert_eq!(refusal_reply(&Refusal::transient("")), "451 4.0.0 Try again later");
        assert_eq!(refusal_reply(&Refusal::permanent("x".repeat(1000))).len(), "550 5.0.0 ".len() + MAX_REPLY_TEXT);
    }
}
