//! Mail in: the LMTP server (RFC 2033) through which the local MTA hands Agora
//! the e-mail of its calendar users, answered by the core.
//!
//! RCPT TO is accepted for calendar users only, so the MTA bounces mail for
//! anyone else at once; after DATA each recipient gets the core's verdict: 250
//! when the iTIP in it was applied, 550 when it is refused for good (the MTA
//! bounces it with the reason), 451 when the store failed (the MTA retries).

use std::future::Future;
use std::sync::Arc;

use agora_core::Core;
use agora_imip::lmtp::{LmtpConfig, LmtpHandler, Refusal};
use tokio::net::TcpListener;

/// The core as an LMTP handler.
struct CoreHandler {
    core: Arc<Core>,
}

#[async_trait::async_trait]
impl LmtpHandler for CoreHandler {
    async fn accepts(&self, rcpt: &str) -> Result<bool, Refusal> {
        self.core.accepts_mail_for(rcpt).await.map_err(|e| Refusal::transient(format!("cannot look up {rcpt}: {e}")))
    }

    async fn deliver(&self, mail_from: &str, rcpt: &str, message: &[u8]) -> Result<(), Refusal> {
        match self.core.receive_imip(mail_from, rcpt, message).await {
            Ok(_) => Ok(()),
            // RFC 3463 §3.7 5.7.0 "other security status" would fit a forged sender
            // but not a malformed calendar; the generic class code fits both.
            Err(e) if e.permanent => Err(Refusal::permanent(format!("iMIP message refused: {}", e.reason))),
            Err(e) => Err(Refusal::transient(format!("iMIP message not applied, try again later: {}", e.reason))),
        }
    }
}

/// Serves LMTP on `listener` until `shutdown` resolves, then finishes the
/// transactions in progress.
pub async fn serve(
    core: Arc<Core>,
    listener: TcpListener,
    host_name: String,
    shutdown: impl Future<Output = ()> + Send + 'static,
) {
    // The default size limit (10 MiB) is far above any invitation.
    let config = LmtpConfig { hostname: host_name, ..LmtpConfig::default() };
    agora_imip::lmtp::serve(listener, Arc::new(CoreHandler { core }), config, shutdown).await;
}
