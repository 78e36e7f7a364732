//! A string that must not reach a log, a panic message or an error: a password
//! or a URL that may carry one. Its `Debug` prints `"***"` and it has no
//! `Display`, so that `{:?}` of the settings that hold it stays safe to print;
//! the value is read only where it is used, through [`Secret::expose`].

use std::fmt;

use serde::Deserialize;

/// A secret string (the LDAP bind password, the SMTP password, the store URL).
#[derive(Clone, PartialEq, Eq, Deserialize)]
#[serde(transparent)]
pub struct Secret(String);

impl Secret {
    /// The value, for the one place that needs it.
    pub fn expose(&self) -> &str {
        &self.0
    }

    /// Whether the value is empty (an empty setting means "not set").
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

impl From<String> for Secret {
    fn from(value: String) -> Self {
        Secret(value)
    }
}

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("\"***\"")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn debug_hides_the_value() {
        let secret = Secret::from("hunter2-password".to_owned());
        assert_eq!(format!("{secret:?}"), "\"***\"");
        assert_eq!(format!("{:?}", Some(&secret)), "Some(\"***\")");
        assert_eq!(secret.expose(), "hunter2-password");
    }
}
