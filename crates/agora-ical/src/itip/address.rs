//! Calendar user addresses (RFC 5545 §3.3.3), compared after normalisation.

/// Normalises a calendar user address for comparison: trimmed; the scheme is
/// lower-cased; for `mailto:` the whole address is lower-cased too (mailbox
/// local parts are case-sensitive in theory, never in practice, and clients
/// change the case freely). Other URIs (principal URLs, `urn:uuid:`) keep their case.
pub fn normalise_address(s: &str) -> String {
    let s = s.trim();
    let Some(colon) = s.find(':') else { return s.to_owned() };
    let (scheme, rest) = (&s[..colon], &s[colon + 1..]);
    let is_scheme = scheme.chars().next().is_some_and(|c| c.is_ascii_alphabetic())
        && scheme.chars().all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.'));
    if !is_scheme {
        return s.to_owned();
    }
    let scheme = scheme.to_ascii_lowercase();
    if scheme == "mailto" { format!("mailto:{}", rest.trim().to_lowercase()) } else { format!("{scheme}:{rest}") }
}

#[cfg(test)]
mod tests {
    use super::normalise_address;

    #[test]
    fn mailto_is_case_folded_other_uris_only_in_the_scheme() {
        assert_eq!(normalise_address("  MAILTO:Jane.Doe@Example.COM "), "mailto:jane.doe@example.com");
        assert_eq!(normalise_address("HTTPS://Dav.example/Principals/Jane/"), "https://Dav.example/Principals/Jane/");
        assert_eq!(normalise_address("urn:uuid:ABC"), "urn:uuid:ABC");
        assert_eq!(normalise_address("jane"), "jane");
    }
}
