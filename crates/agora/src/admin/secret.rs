//! Where a new password comes from: standard input, a terminal prompt, or the
//! generator (printed once on standard output, alone, so scripts can capture it).

use std::io::{BufRead, IsTerminal};

use agora_core::password;

use crate::exit::Failure;

/// A password to set, and whether it was generated (and must be shown).
pub struct NewSecret {
    pub value: String,
    pub generated: bool,
}

/// Reads or generates a password per the `--password-stdin` rules.
pub fn obtain(from_stdin: bool) -> Result<NewSecret, Failure> {
    if from_stdin {
        let mut line = String::new();
        std::io::stdin()
            .lock()
            .read_line(&mut line)
            .map_err(|e| Failure::io(format!("cannot read the password: {e}")))?;
        let value = line.trim_end_matches(['\n', '\r']).to_owned();
        if value.is_empty() {
            return Err(Failure::usage("no password on standard input"));
        }
        return Ok(NewSecret { value, generated: false });
    }
    if std::io::stdin().is_terminal() {
        let first = rpassword::prompt_password("New password: ").map_err(|e| Failure::io(e.to_string()))?;
        password::check_strength(&first)?;
        let again = rpassword::prompt_password("Repeat it: ").map_err(|e| Failure::io(e.to_string()))?;
        if first != again {
            return Err(Failure::usage("the passwords differ"));
        }
        return Ok(NewSecret { value: first, generated: false });
    }
    Ok(NewSecret { value: password::generate(), generated: true })
}
