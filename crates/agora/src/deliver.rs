//! `agora deliver`: one e-mail on standard input for one calendar user, for MTAs
//! that deliver through a command (Postfix `mailbox_command` or a pipe(8)
//! transport, Exim's pipe transport) rather than LMTP.
//!
//! The exit status follows `sysexits.h`, which those MTAs read:
//!
//! | code | meaning | the MTA… |
//! |------|---------|----------|
//! | 0 | the iTIP in the message was applied | delivers |
//! | 65 (EX_DATAERR) | the message is refused (reason on standard error) | bounces |
//! | 67 (EX_NOUSER) | the recipient is not a calendar user here | bounces |
//! | 75 (EX_TEMPFAIL) | the store failed or is unreachable | retries later |
//! | 78 (EX_CONFIG) | the configuration is wrong | retries later |

use agora_core::{Core, CoreConfig};
use tokio::io::AsyncReadExt;

use crate::cli::DeliverArgs;
use crate::exit::Failure;
use crate::secret::Secret;
use crate::settings::Settings;

/// Refused for good: the MTA bounces the message.
pub const EX_DATAERR: u8 = 65;
/// No such recipient.
pub const EX_NOUSER: u8 = 67;
/// Try again later.
pub const EX_TEMPFAIL: u8 = 75;
/// Configuration error (the MTA defers: the administrator can fix it).
pub const EX_CONFIG: u8 = 78;

fn fail(code: u8, message: impl Into<String>) -> Failure {
    Failure { message: message.into(), code }
}

/// Reads the message, hands it to the core, and maps the verdict to an exit code.
pub async fn run(settings: &Settings, args: &DeliverArgs) -> Result<(), Failure> {
    let mail = settings.mail(&args.mail).map_err(|e| fail(EX_CONFIG, e))?;
    let recipient = args.recipient.trim().trim_start_matches('<').trim_end_matches('>');
    let limit = agora_imip::incoming::MAX_MESSAGE_BYTES;
    let mut message = Vec::new();
    tokio::io::stdin()
        .take(limit as u64 + 1)
        .read_to_end(&mut message)
        .await
        .map_err(|e| fail(EX_TEMPFAIL, format!("cannot read the message from standard input: {e}")))?;
    if message.len() > limit {
        return Err(fail(EX_DATAERR, format!("the message is larger than {limit} bytes")));
    }
    let store =
        agora_store::open(settings.store.as_ref().map(Secret::expose), &settings.data_dir, settings.sqlite_sync)
            .await
            .map_err(|e| fail(EX_TEMPFAIL, format!("cannot open the store: {e}")))?;
    let core = Core::new(store, CoreConfig { imip: mail.imip, ..settings.core_config() });
    let result = match core.receive_imip(&args.sender, recipient, &message).await {
        Ok(_) => Ok(()),
        Err(e) if !e.permanent => Err(fail(EX_TEMPFAIL, e.reason)),
        // The core checks the message before the recipient; tell the MTA which
        // one was wrong, since an unknown user is reported differently.
        Err(e) => match core.accepts_mail_for(recipient).await {
            Ok(false) => Err(fail(EX_NOUSER, format!("{recipient} is not a calendar user here"))),
            Ok(true) => Err(fail(EX_DATAERR, e.reason)),
            Err(lookup) => Err(fail(EX_TEMPFAIL, format!("cannot look up {recipient}: {lookup}"))),
        },
    };
    core.close().await;
    result
}
