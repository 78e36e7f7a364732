//! iMIP (RFC 6047): iTIP by e-mail for calendar users outside this server.
//!
//! Outgoing messages are built here and queued in the store; the server's mail
//! worker hands them to the relay and reports back through
//! [`Core::mail_outcome`], which shows a final failure in the attendee's
//! SCHEDULE-STATUS. Incoming mail ([`Core::receive_imip`], from LMTP or `agora
//! deliver`) is checked — the sender must be the ORGANIZER of a REQUEST/CANCEL or
//! the ATTENDEE of a REPLY, and the MTA's authentication results must vouch for
//! the sender's domain — then delivered like a local message. Nothing refused is
//! half-applied: all checks run before the first write.

use agora_ical::itip::{self, Method, Outgoing};
use agora_store::{MailStatus, NewMail, Principal, QueuedMail};

use super::deliver::status;
use super::{address, now};
use crate::Core;
use crate::error::{CoreError, Result};

/// How iTIP goes out by e-mail.
#[derive(Debug, Clone, Default)]
pub struct ImipConfig {
    /// Whether a relay is configured (without one, external attendees get
    /// SCHEDULE-STATUS 5.3 and nothing is queued).
    pub enabled: bool,
    /// A server address to send from (with the organiser in Reply-To), for
    /// domains whose SPF/DMARC do not allow this server to send as the user.
    pub sender: Option<String>,
    /// Domain of generated Message-IDs.
    pub message_id_domain: String,
    /// Only Authentication-Results fields by these authserv-ids are trusted
    /// (empty: all, for set-ups where the MTA strips foreign ones).
    pub trusted_authserv_ids: Vec<String>,
}

/// Why an incoming message was refused; `permanent` refusals are not retried.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{reason}")]
pub struct IncomingError {
    /// 5xx (true) or 4xx (false).
    pub permanent: bool,
    /// What was wrong, for the log and the MTA's bounce.
    pub reason: String,
}

fn refuse(reason: impl Into<String>) -> IncomingError {
    IncomingError { permanent: true, reason: reason.into() }
}

impl Core {
    /// Queues one message for an external recipient.
    pub(crate) async fn queue_imip(&self, from: &Principal, m: &Outgoing, origin: Option<&str>) -> Result<()> {
        let cfg = &self.config.imip;
        let Some(to) = address::mailbox(&m.recipient) else {
            return Err(CoreError::Invalid(format!("{} is not an e-mail address", m.recipient)));
        };
        if !cfg.enabled {
            tracing::info!(recipient = %to, "no mail relay configured: iTIP message not sent");
            return Ok(());
        }
        let Some(own) = from.emails.first() else {
            return Err(CoreError::Invalid(format!("{} has no e-mail address to send from", from.name)));
        };
        let (from_address, reply_to) = match &cfg.sender {
            Some(sender) => (sender.as_str(), Some(own.as_str())),
            None => (own.as_str(), None),
        };
        let message = agora_imip::outgoing::build(&agora_imip::outgoing::Invitation {
            from_name: Some(&from.display_name),
            from_address,
            reply_to,
            to: &to,
            method: m.method.as_str(),
            itip: &m.text,
            message_id_domain: &cfg.message_id_domain,
            now: now(),
            language: self.language_of(from.id).await,
        });
        let mail = NewMail {
            envelope_from: from_address.to_owned(),
            recipient: to,
            message,
            object_path: origin.filter(|_| m.method == Method::Request).map(str::to_owned),
            attendee: Some(m.recipient.clone()),
        };
        self.store.enqueue_mail(&mail, now()).await?;
        Ok(())
    }

    /// Due messages for the mail worker (each leased for `lease` seconds).
    pub async fn claim_mail(&self, lease: i64, limit: i64) -> Result<Vec<QueuedMail>> {
        Ok(self.store.claim_mail(now(), lease, limit).await?)
    }

    /// Hands claimed messages back unsent (the mail worker is stopping).
    pub async fn release_mail(&self, ids: &[i64]) -> Result<()> {
        Ok(self.store.release_mail(ids, now()).await?)
    }

    /// The queue, newest first.
    pub async fn mail_queue(&self, limit: i64) -> Result<Vec<QueuedMail>> {
        Ok(self.store.mail_queue(limit).await?)
    }

    /// Records an attempt: `Sent`, `Queued` (retry at `next`) or `Failed`. Sent
    /// and failed messages show in the attendee's SCHEDULE-STATUS (1.1 / 5.1).
    pub async fn mail_outcome(
        &self,
        m: &QueuedMail,
        outcome: MailStatus,
        next: i64,
        error: Option<&str>,
    ) -> Result<()> {
        self.store.mail_attempted(m.id, outcome, next, error).await?;
        let code = match outcome {
            MailStatus::Sent => status::SENT,
            MailStatus::Failed => status::UNDELIVERABLE,
            MailStatus::Queued => return Ok(()),
        };
        if let (Some(path), Some(attendee)) = (&m.mail.object_path, &m.mail.attendee) {
            self.set_attendee_status(path, attendee, code).await?;
        }
        Ok(())
    }

    /// Sets one attendee's SCHEDULE-STATUS in an organiser's event (a server-only
    /// change: the Schedule-Tag stays).
    async fn set_attendee_status(&self, path: &str, attendee: &str, code: &str) -> Result<()> {
        let Some(split) = path.rfind('/') else { return Ok(()) };
        let (dir, name) = (&path[..=split], &path[split + 1..]);
        let Some(c) = self.store.collection(dir).await? else { return Ok(()) };
        let Some(o) = self.store.object(c.id, name).await? else { return Ok(()) };
        let text = String::from_utf8_lossy(&o.data).into_owned();
        let updated = itip::set_schedule_status(&text, &[(attendee.to_owned(), code.to_owned())]);
        if updated != text {
            let mut object = crate::resources::validate::calendar(&c, updated.into_bytes(), None)?;
            object.schedule_tag = o.meta.schedule_tag.clone();
            let condition = agora_store::WriteCondition::IfMatch(vec![o.meta.etag.clone()]);
            match self.store.put_object(c.id, name, &object, &condition, &agora_store::WriteRules::NONE, now()).await {
                Ok(_) | Err(agora_store::StoreError::PreconditionFailed) => {}
                Err(e) => return Err(e.into()),
            }
        }
        Ok(())
    }

    /// Whether `rcpt` is a local calendar user (LMTP RCPT TO); an error when the
    /// directory cannot be read (the MTA should retry, not bounce).
    pub async fn accepts_mail_for(&self, rcpt: &str) -> Result<bool> {
        Ok(self.local_principal(&format!("mailto:{rcpt}")).await?.is_some())
    }

    /// Takes one e-mail for a local user: applies every iTIP part in it, or
    /// refuses the whole message (with the reason, which is also logged).
    pub async fn receive_imip(&self, mail_from: &str, rcpt: &str, message: &[u8]) -> Result<usize, IncomingError> {
        let result = self.receive_checked(mail_from, rcpt, message).await;
        match &result {
            Ok(n) => tracing::info!(rcpt, mail_from, parts = n, "iMIP message applied"),
            Err(e) => tracing::warn!(rcpt, mail_from, reason = %e.reason, "iMIP message refused"),
        }
        result
    }

    async fn receive_checked(&self, _mail_from: &str, rcpt: &str, message: &[u8]) -> Result<usize, IncomingError> {
        let trusted: Vec<&str> = self.config.imip.trusted_authserv_ids.iter().map(String::as_str).collect();
        let incoming = if trusted.is_empty() {
            agora_imip::incoming::parse(message)
        } else {
            agora_imip::incoming::parse_trusting(message, &trusted)
        }
        .map_err(|e| refuse(e.to_string()))?;
        let transient = |e: CoreError| IncomingError { permanent: false, reason: e.to_string() };
        let to = self
            .local_principal(&format!("mailto:{rcpt}"))
            .await
            .map_err(transient)?
            .ok_or_else(|| refuse(format!("{rcpt} is not a calendar user here")))?;
        let from = incoming.from.clone().ok_or_else(|| refuse("the message has no From address"))?;
        let domain = from.rsplit('@').next().unwrap_or_default().to_owned();
        if !incoming.auth.vouches_for(&domain) {
            return Err(refuse(format!("the authentication results do not vouch for {domain}")));
        }
        if self.local_principal(&format!("mailto:{from}")).await.map_err(transient)?.is_some() {
            // Local users schedule through CalDAV; mail claiming to be from one is
            // either a loop or a forgery.
            return Err(refuse(format!("{from} is a user of this server: iMIP from them is not accepted")));
        }
        // Check every part before applying any.
        let mut parts = Vec::new();
        for text in &incoming.calendars {
            let msg = itip::parse_message(text).map_err(|e| refuse(format!("invalid iTIP: {e}")))?;
            let claimed = match msg.method {
                Method::Request | Method::Cancel | Method::Add => msg.organizer.clone(),
                Method::Reply => msg.attendees.first().map(|a| a.address.clone()),
                other => return Err(refuse(format!("iTIP {} by e-mail is not supported", other.as_str()))),
            };
            let claimed = claimed.and_then(|a| address::mailbox(&a)).unwrap_or_default();
            if claimed != from {
                return Err(refuse(format!(
                    "the sender {from} is not the {} of this {} ({})",
                    if msg.method == Method::Reply { "ATTENDEE" } else { "ORGANIZER" },
                    msg.method.as_str(),
                    if claimed.is_empty() { "none named" } else { &claimed }
                )));
            }
            let me = match msg.method {
                Method::Reply => {
                    if !msg.organizer.as_deref().is_some_and(|o| address::names(&to, o)) {
                        return Err(refuse(format!("{rcpt} is not the ORGANIZER of the event this REPLY answers")));
                    }
                    address::preferred(&to)
                }
                _ => msg
                    .attendees
                    .iter()
                    .find(|a| address::names(&to, &a.address))
                    .map(|a| a.address.clone())
                    .ok_or_else(|| refuse(format!("{rcpt} is not an ATTENDEE of this invitation")))?,
            };
            parts.push((msg.method, me, text.clone()));
        }
        let n = parts.len();
        for (method, me, text) in parts {
            self.deliver_local(&to, &me, method, &text).await.map_err(|e| match e {
                CoreError::Store(_) | CoreError::Unavailable(_) => transient(e),
                other => refuse(other.to_string()),
            })?;
        }
        Ok(n)
    }
}
