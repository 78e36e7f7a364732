//! Finding colleagues: principal search by name, e-mail address or kind, for
//! `DAV:principal-property-search` (RFC 3744 §9.4) and any later directory UI.
//! Matching ignores case, as people type names and addresses.

use agora_store::{Principal, PrincipalKind, ResourceKind};

/// What a search term looks at.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Field {
    /// Display name or principal name.
    Name,
    /// Any e-mail address (`mailto:` is ignored).
    Email,
    /// INDIVIDUAL, GROUP, ROOM or RESOURCE (RFC 5545 CUTYPE).
    CalendarUserType,
}

/// How the text must occur.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Match {
    /// Anywhere (RFC 3744's default).
    Contains,
    /// At the start (Apple's `match-type="starts-with"`).
    StartsWith,
    /// The whole value.
    Equals,
}

/// One condition.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Term {
    /// Where to look.
    pub field: Field,
    /// What to look for.
    pub text: String,
    /// How.
    pub how: Match,
}

fn cutype(p: &Principal) -> &'static str {
    match (p.kind, p.resource_kind) {
        (PrincipalKind::User, _) => "INDIVIDUAL",
        (PrincipalKind::Group, _) => "GROUP",
        (PrincipalKind::Resource, Some(ResourceKind::Room)) => "ROOM",
        (PrincipalKind::Resource, _) => "RESOURCE",
    }
}

impl Term {
    /// Whether the principal satisfies the term.
    pub fn matches(&self, p: &Principal) -> bool {
        let needle = self.text.trim().to_lowercase();
        let needle = needle.strip_prefix("mailto:").unwrap_or(&needle);
        let test = |value: &str| {
            let v = value.to_lowercase();
            match self.how {
                Match::Contains => v.contains(needle),
                Match::StartsWith => v.starts_with(needle) || v.split_whitespace().any(|w| w.starts_with(needle)),
                Match::Equals => v == needle,
            }
        };
        match self.field {
            Field::Name => test(&p.display_name) || test(&p.name),
            Field::Email => p.emails.iter().any(|e| test(e)),
            Field::CalendarUserType => cutype(p).eq_ignore_ascii_case(needle),
        }
    }
}

/// The principals matching all (`all`) or any of the terms, at most `limit`.
pub fn filter(principals: Vec<Principal>, terms: &[Term], all: bool, limit: usize) -> Vec<Principal> {
    principals
        .into_iter()
        .filter(|p| if all { terms.iter().all(|t| t.matches(p)) } else { terms.iter().any(|t| t.matches(p)) })
        .take(limit)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn person(name: &str, display: &str, email: &str) -> Principal {
        Principal {
            id: 1,
            kind: PrincipalKind::User,
            name: name.into(),
            display_name: display.into(),
            resource_kind: None,
            emails: vec![email.into()],
            created_at: 0,
            settings: Default::default(),
        }
    }

    #[test]
    fn names_addresses_and_kinds() {
        let jean = person("jdupont", "Jean Dupont", "jean.dupont@example.org");
        let t = |field, text: &str, how| Term { field, text: text.into(), how };
        assert!(t(Field::Name, "DUPONT", Match::Contains).matches(&jean));
        assert!(t(Field::Name, "dup", Match::StartsWith).matches(&jean), "any word may start with it");
        assert!(!t(Field::Name, "pont", Match::StartsWith).matches(&jean));
        assert!(t(Field::Email, "mailto:Jean.Dupont@example.org", Match::Equals).matches(&jean));
        assert!(t(Field::CalendarUserType, "individual", Match::Equals).matches(&jean));
        let marie = person("marie", "Marie Curie", "marie@example.fr");
        let found = filter(vec![jean.clone(), marie], &[t(Field::Email, "example.org", Match::Contains)], false, 10);
        assert_eq!(found, [jean]);
    }
}
