//! `agora mail …`: the outgoing iMIP queue, for seeing what is stuck and why.

use agora_core::Core;

use super::{table, users::format_time};
use crate::cli::MailCommand;
use crate::exit::Failure;

pub async fn run(core: &Core, cmd: &MailCommand) -> Result<(), Failure> {
    match cmd {
        MailCommand::Queue { limit } => {
            if *limit < 1 {
                return Err(Failure::usage("--limit must be at least 1"));
            }
            let rows: Vec<Vec<String>> = core
                .mail_queue(*limit)
                .await?
                .into_iter()
                .map(|m| {
                    vec![
                        m.id.to_string(),
                        m.status.as_str().to_owned(),
                        m.attempts.to_string(),
                        format_time(m.created_at),
                        // The next attempt only means something while queued.
                        if m.status == agora_store::MailStatus::Queued {
                            format_time(m.next_attempt_at)
                        } else {
                            "-".to_owned()
                        },
                        m.mail.recipient,
                        m.last_error.unwrap_or_default().replace(['\r', '\n'], " "),
                    ]
                })
                .collect();
            table::print(&["ID", "STATUS", "ATTEMPTS", "QUEUED", "NEXT ATTEMPT", "TO", "LAST ERROR"], &rows);
        }
        MailCommand::Retry { id } => {
            core.retry_mail(*id).await?;
            eprintln!("message {id} queued again");
        }
        MailCommand::Drop { id } => {
            core.drop_mail(*id).await?;
            eprintln!("message {id} removed from the queue");
        }
    }
    Ok(())
}
