//! Submitting outgoing messages to a relay (RFC 5321, RFC 6409) with lettre.
//!
//! Each [`Relay::send`] opens a connection, sends one message to one recipient
//! and closes it: iMIP traffic is light, and a fresh connection means a relay
//! that restarted is simply reached again on the next attempt.

use std::fmt;
use std::time::Duration;

use lettre::address::Envelope;
use lettre::transport::smtp::authentication::Credentials;
use lettre::transport::smtp::client::{Tls, TlsParameters};
use lettre::{AsyncSmtpTransport, AsyncTransport, Tokio1Executor};

/// How the connection to the relay is protected.
#[derive(Debug, Clone, PartialEq, Eq, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Security {
    /// Plain text (a relay on the same host or a trusted network).
    None,
    /// Plain connection upgraded with STARTTLS (RFC 3207), which is required.
    StartTls,
    /// TLS from the first byte (RFC 8314 "implicit TLS", port 465).
    Tls,
}

/// Where and how to submit messages.
#[derive(Clone)]
pub struct RelayConfig {
    /// Relay host name (also the name its certificate must carry).
    pub host: String,
    /// Relay port (25, 587, 465…).
    pub port: u16,
    /// Connection protection.
    pub security: Security,
    /// AUTH user name (PLAIN or LOGIN); requires `password`.
    pub username: Option<String>,
    /// AUTH password.
    pub password: Option<String>,
    /// Timeout for connecting and for each reply.
    pub timeout: Duration,
    /// Accept any certificate and host name: for tests only.
    pub accept_invalid_certs: bool,
}

impl fmt::Debug for RelayConfig {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("RelayConfig")
            .field("host", &self.host)
            .field("port", &self.port)
            .field("security", &self.security)
            .field("username", &self.username)
            .field("password", &self.password.as_ref().map(|_| "<redacted>"))
            .field("timeout", &self.timeout)
            .field("accept_invalid_certs", &self.accept_invalid_certs)
            .finish()
    }
}

/// A configured relay.
#[derive(Clone)]
pub struct Relay {
    transport: AsyncSmtpTransport<Tokio1Executor>,
    host: String,
    port: u16,
}

impl fmt::Debug for Relay {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Relay").field("host", &self.host).field("port", &self.port).finish_non_exhaustive()
    }
}

/// Why a message was not sent.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SendError {
    /// True when retrying cannot help: a 5xx reply (RFC 5321 §4.2.1) or an
    /// address that cannot be used. False for 4xx replies, connection, timeout
    /// and TLS errors.
    pub permanent: bool,
    /// What went wrong, for logs and for the user.
    pub message: String,
}

impl fmt::Display for SendError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let kind = if self.permanent { "permanent" } else { "transient" };
        write!(f, "{kind} failure: {}", self.message)
    }
}

impl std::error::Error for SendError {}

impl Relay {
    /// Prepares the transport; nothing is connected yet. Fails on an empty host,
    /// a user name without password (or the reverse) or TLS set-up errors.
    pub fn new(config: &RelayConfig) -> Result<Relay, String> {
        let host = config.host.trim();
        if host.is_empty() {
            return Err("the relay host is empty".to_string());
        }
        let tls_parameters = || {
            TlsParameters::builder(host.to_string())
                .dangerous_accept_invalid_certs(config.accept_invalid_certs)
                .dangerous_accept_invalid_hostnames(config.accept_invalid_certs)
                .build_rustls()
                .map_err(|e| format!("TLS set-up for {host}: {e}"))
        };
        let tls = match config.security {
            Security::None => Tls::None,
            Security::StartTls => Tls::Required(tls_parameters()?),
            Security::Tls => Tls::Wrapper(tls_parameters()?),
        };
        let mut builder = AsyncSmtpTransport::<Tokio1Executor>::builder_dangerous(host)
            .port(config.port)
            .tls(tls)
            .timeout(Some(config.timeout));
        match (&config.username, &config.password) {
            (Some(user), Some(password)) => {
                builder = builder.credentials(Credentials::new(user.clone(), password.clone()));
            }
            (None, None) => {}
            _ => return Err("the relay user name and password go together".to_string()),
        }
        Ok(Relay { transport: builder.build(), host: host.to_string(), port: config.port })
    }

    /// Sends `message` (complete RFC 5322 bytes) to `to`, with `envelope_from` as
    /// the reverse path (empty for `MAIL FROM:<>`).
    pub async fn send(&self, envelope_from: &str, to: &str, message: &[u8]) -> Result<(), SendError> {
        let bad_address = |what: &str, address: &str, e: lettre::address::AddressError| SendError {
            permanent: true,
            message: format!("invalid {what} address {address:?}: {e}"),
        };
        let from = match envelope_from.trim() {
            "" => None,
            address => Some(address.parse().map_err(|e| bad_address("sender", address, e))?),
        };
        let rcpt = to.trim().parse().map_err(|e| bad_address("recipient", to, e))?;
        let envelope = Envelope::new(from, vec![rcpt])
            .map_err(|e| SendError { permanent: true, message: format!("invalid envelope: {e}") })?;
        // lettre ends the data with CRLF "." CRLF itself, the first CRLF always
        // added; a message that already ends its last line would get an empty
        // line more (RFC 5321 §4.1.1.4: that CRLF belongs to the last line).
        let data = message.strip_suffix(b"\r\n").unwrap_or(message);
        match self.transport.send_raw(&envelope, data).await {
            Ok(response) => {
                tracing::info!(relay = %self.host, port = self.port, to, code = %response.code(), "message submitted");
                Ok(())
            }
            Err(e) => {
                let error = SendError { permanent: e.is_permanent(), message: e.to_string() };
                tracing::warn!(relay = %self.host, port = self.port, to, permanent = error.permanent, error = %error.message, "submission failed");
                Err(error)
            }
        }
    }
}
