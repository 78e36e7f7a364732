//! Calendar user addresses (RFC 6638 §2.4.1): a principal is reached by
//! `mailto:` any of its e-mail addresses or by its principal URL.

use agora_ical::itip::normalise_address;
use agora_store::Principal;

use crate::Core;
use crate::directory::CalAddress;
use crate::error::Result;

/// Whether `address` (any spelling) names `p`.
pub(crate) fn names(p: &Principal, address: &str) -> bool {
    match CalAddress::parse(address) {
        CalAddress::Mail(mail) => p.emails.contains(&mail),
        CalAddress::Principal(name) => name == p.name,
        CalAddress::Other => false,
    }
}

/// The address a principal is invited by: `mailto:` its preferred e-mail, else
/// its principal URL path.
pub(crate) fn preferred(p: &Principal) -> String {
    match p.emails.first() {
        Some(e) => format!("mailto:{e}"),
        None => format!("/principals/{}/", p.name),
    }
}

/// The bare e-mail of a `mailto:` address.
pub(crate) fn mailbox(address: &str) -> Option<String> {
    normalise_address(address).strip_prefix("mailto:").map(str::to_owned).filter(|m| m.contains('@'))
}

impl Core {
    /// The local principal an address names, if any.
    pub(crate) async fn local_principal(&self, address: &str) -> Result<Option<Principal>> {
        match self.directory().by_address(address).await {
            Ok(p) => Ok(Some(p)),
            Err(crate::CoreError::NotFound { .. }) => Ok(None),
            Err(e) => Err(e),
        }
    }

    /// [`Self::local_principal`] of many addresses, in their order: every
    /// `mailto:` address is looked up in one query (any spelling: case, blanks),
    /// principal URLs one by one.
    pub(crate) async fn local_principals(&self, addresses: &[String]) -> Result<Vec<Option<Principal>>> {
        let parsed: Vec<CalAddress> = addresses.iter().map(|a| CalAddress::parse(a)).collect();
        let mut mails: Vec<String> = parsed
            .iter()
            .filter_map(|a| match a {
                CalAddress::Mail(m) => Some(m.clone()),
                _ => None,
            })
            .collect();
        mails.sort_unstable();
        mails.dedup();
        let found = if mails.is_empty() { Vec::new() } else { self.store.principals_by_emails(&mails).await? };
        let mut out = Vec::with_capacity(addresses.len());
        for (address, parsed) in addresses.iter().zip(parsed) {
            out.push(match parsed {
                CalAddress::Mail(mail) => found.iter().find(|p| p.emails.contains(&mail)).cloned(),
                CalAddress::Principal(_) => self.local_principal(address).await?,
                CalAddress::Other => None,
            });
        }
        Ok(out)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn alice() -> Principal {
        Principal {
            id: 1,
            kind: agora_store::PrincipalKind::User,
            name: "alice@example.org".into(),
            display_name: "Alice".into(),
            resource_kind: None,
            emails: vec!["alice@example.org".into()],
            created_at: 0,
            settings: Default::default(),
        }
    }

    #[test]
    fn addresses_name_their_principal() {
        let p = alice();
        assert!(names(&p, "mailto:Alice@Example.org"));
        assert!(names(&p, "MAILTO:alice@example.org"));
        assert!(names(&p, "/principals/alice%40example.org/"));
        assert!(names(&p, "https://agora.example/principals/alice@example.org/"));
        assert!(!names(&p, "mailto:bob@example.org"));
        assert!(!names(&p, "/principals/bob/"));
        assert_eq!(preferred(&p), "mailto:alice@example.org");
        assert_eq!(mailbox("mailto:X@Y.org").as_deref(), Some("x@y.org"));
        assert_eq!(mailbox("/principals/x/"), None);
        assert_eq!(CalAddress::parse(" MAILTO:Bob@Example.ORG "), CalAddress::Mail("bob@example.org".into()));
        assert_eq!(CalAddress::parse("/principals/Bob%40x.org/"), CalAddress::Principal("bob@x.org".into()));
        assert_eq!(CalAddress::parse("urn:uuid:0b8c"), CalAddress::Other);
        assert_eq!(CalAddress::parse("/principals/a/b/"), CalAddress::Other);
    }
}
