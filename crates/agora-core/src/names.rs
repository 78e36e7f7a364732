//! Normalisation and validation of names and addresses.
//!
//! Principal names become URL path segments (`/principals/NAME/`) and login names,
//! so they are case-insensitive (stored lower-case) and limited to characters that
//! need no quoting in either place, plus `@` so that `jane@example.org` can be a login.

use crate::error::{CoreError, Result};

const MAX_NAME: usize = 64;
const MAX_DISPLAY: usize = 200;
const MAX_EMAIL: usize = 254;

/// Lower-cases and checks a principal name.
pub fn principal_name(raw: &str) -> Result<String> {
    let name = raw.trim().to_lowercase();
    if name.is_empty() {
        return Err(CoreError::Invalid("a name must not be empty".into()));
    }
    if name.chars().count() > MAX_NAME {
        return Err(CoreError::Invalid(format!("a name is at most {MAX_NAME} characters")));
    }
    if let Some(bad) = name.chars().find(|c| !(c.is_alphanumeric() || matches!(c, '.' | '_' | '-' | '@' | '+'))) {
        return Err(CoreError::Invalid(format!(
            "{raw:?}: a name may contain letters, digits and . _ - @ + only, not {bad:?}"
        )));
    }
    if name.starts_with('.') {
        return Err(CoreError::Invalid(format!("{raw:?}: a name must not start with a dot")));
    }
    Ok(name)
}

/// Checks an e-mail address and lower-cases it (addresses are compared without
/// regard to case, as every mail system in practice does).
pub fn email(raw: &str) -> Result<String> {
    let addr = raw.trim().trim_start_matches("mailto:").to_lowercase();
    let bad = || CoreError::Invalid(format!("{raw:?} is not an e-mail address"));
    let (local, domain) = addr.rsplit_once('@').ok_or_else(bad)?;
    if local.is_empty()
        || domain.is_empty()
        || addr.len() > MAX_EMAIL
        || !domain.contains('.') && domain != "localhost"
        || domain.starts_with('.')
        || domain.ends_with('.')
        || addr.chars().any(|c| c.is_whitespace() || c.is_control() || matches!(c, '<' | '>' | ',' | ';' | '"'))
    {
        return Err(bad());
    }
    Ok(addr)
}

/// Normalises a list of addresses, refusing duplicates within it.
pub fn emails(raw: &[String]) -> Result<Vec<String>> {
    let mut out: Vec<String> = Vec::with_capacity(raw.len());
    for r in raw {
        let a = email(r)?;
        if out.contains(&a) {
            return Err(CoreError::Invalid(format!("the address {a:?} is given twice")));
        }
        out.push(a);
    }
    Ok(out)
}

/// Trims a display name, defaulting to the principal name.
pub fn display_name(raw: Option<&str>, name: &str) -> Result<String> {
    let shown = raw.map(str::trim).filter(|s| !s.is_empty()).unwrap_or(name);
    if shown.chars().count() > MAX_DISPLAY {
        return Err(CoreError::Invalid(format!("a display name is at most {MAX_DISPLAY} characters")));
    }
    if shown.chars().any(char::is_control) {
        return Err(CoreError::Invalid("a display name must not contain control characters".into()));
    }
    Ok(shown.to_owned())
}

/// Trims and checks an app-password label.
pub fn label(raw: &str) -> Result<String> {
    let l = raw.trim();
    if l.is_empty() || l.chars().count() > 100 || l.chars().any(char::is_control) {
        return Err(CoreError::Invalid("a label is 1 to 100 printable characters".into()));
    }
    Ok(l.to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_lowercased_and_checked() {
        assert_eq!(principal_name(" Jean.Dupont ").unwrap(), "jean.dupont");
        assert_eq!(principal_name("jane@example.org").unwrap(), "jane@example.org");
        assert_eq!(principal_name("Élodie").unwrap(), "élodie");
        for bad in ["", "a/b", "a b", "a%40b", ".hidden", "x:y", &"a".repeat(65)] {
            assert!(principal_name(bad).is_err(), "{bad:?} accepted");
        }
    }

    #[test]
    fn emails_are_checked() {
        assert_eq!(email("Jane@Example.ORG").unwrap(), "jane@example.org");
        assert_eq!(email("mailto:x@y.fr").unwrap(), "x@y.fr");
        for bad in ["", "jane", "@x.org", "jane@", "jane@org", "a b@x.org", "a@x.org>"] {
            assert!(email(bad).is_err(), "{bad:?} accepted");
        }
        assert!(emails(&["a@x.org".into(), "A@x.org".into()]).is_err());
    }

    #[test]
    fn display_names_default_to_the_name() {
        assert_eq!(display_name(None, "bob").unwrap(), "bob");
        assert_eq!(display_name(Some("  "), "bob").unwrap(), "bob");
        assert_eq!(display_name(Some(" Bob B. "), "bob").unwrap(), "Bob B.");
        assert!(display_name(Some("a\nb"), "bob").is_err());
    }
}
