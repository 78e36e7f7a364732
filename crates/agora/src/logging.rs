//! Log output: readable lines by default, JSON with `--log-format json`. The level
//! comes from `AGORA_LOG` (an `EnvFilter` directive such as `info,sqlx=warn`).

use tracing_subscriber::EnvFilter;

use crate::cli::LogFormat;

/// Installs the global subscriber, writing to standard error.
pub fn init(format: LogFormat, default_level: &str) {
    let filter =
        EnvFilter::try_from_env("AGORA_LOG").unwrap_or_else(|_| EnvFilter::new(format!("{default_level},sqlx=warn")));
    use std::io::IsTerminal;
    let builder = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_ansi(std::io::stderr().is_terminal())
        .with_writer(std::io::stderr);
    match format {
        LogFormat::Text => builder.init(),
        LogFormat::Json => builder.json().flatten_event(true).init(),
    }
}
