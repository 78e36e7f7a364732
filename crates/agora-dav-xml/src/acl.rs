//! ACL request bodies (RFC 3744 §8.1): the new access control list of a resource.

use crate::common::{expect_root, is_dav};
use crate::error::{Budget, Limits, XmlError};
use crate::name::PropName;
use crate::tree::XElem;

/// Whom an ACE is about (RFC 3744 §5.5.1).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AcePrincipal {
    /// `<D:href>`: a principal URL, as sent.
    Href(String),
    /// `<D:all/>`
    All,
    /// `<D:authenticated/>`
    Authenticated,
    /// `<D:unauthenticated/>`
    Unauthenticated,
    /// `<D:self/>`
    SelfPrincipal,
    /// `<D:property><D:owner/></D:property>` and the like.
    Property(PropName),
}

/// One `<D:ace>` of an ACL request.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AceRequest {
    /// The principal.
    pub principal: AcePrincipal,
    /// `<D:invert>` around the principal.
    pub invert: bool,
    /// Privileges in `<D:grant>`.
    pub grant: Vec<PropName>,
    /// Privileges in `<D:deny>`.
    pub deny: Vec<PropName>,
    /// `<D:protected/>` (echoed back by clients; the server decides).
    pub protected: bool,
    /// `<D:inherited>` (idem).
    pub inherited: bool,
}

fn privileges(container: &XElem, budget: &mut Budget) -> Result<Vec<PropName>, XmlError> {
    let mut out = Vec::new();
    for p in container.elements().filter(|e| is_dav(e, "privilege")) {
        budget.take()?;
        let inner = p.elements().next().ok_or_else(|| XmlError::invalid("<D:privilege> names no privilege"))?;
        out.push(inner.name.clone());
    }
    Ok(out)
}

fn principal(e: &XElem) -> Result<AcePrincipal, XmlError> {
    let inner = e.elements().next().ok_or_else(|| XmlError::invalid("<D:principal> is empty"))?;
    Ok(if is_dav(inner, "href") {
        AcePrincipal::Href(inner.text().trim().to_owned())
    } else if is_dav(inner, "all") {
        AcePrincipal::All
    } else if is_dav(inner, "authenticated") {
        AcePrincipal::Authenticated
    } else if is_dav(inner, "unauthenticated") {
        AcePrincipal::Unauthenticated
    } else if is_dav(inner, "self") {
        AcePrincipal::SelfPrincipal
    } else if is_dav(inner, "property") {
        let prop = inner.elements().next().ok_or_else(|| XmlError::invalid("<D:property> names no property"))?;
        AcePrincipal::Property(prop.name.clone())
    } else {
        return Err(XmlError::invalid(format!("unknown principal {}", inner.name)));
    })
}

/// Parses `<D:acl>` with its `<D:ace>` children, in order.
pub fn parse_acl(body: &[u8], limits: &Limits) -> Result<Vec<AceRequest>, XmlError> {
    let mut budget = Budget::new(limits);
    let root = expect_root(body, limits, crate::NS_DAV, "acl", "{DAV:}acl")?;
    let mut aces = Vec::new();
    for ace in root.elements().filter(|e| is_dav(e, "ace")) {
        budget.take()?;
        let (principal, invert) = match (ace.child("DAV:", "principal"), ace.child("DAV:", "invert")) {
            (Some(p), None) => (principal(p)?, false),
            (None, Some(inv)) => {
                let p = inv
                    .child("DAV:", "principal")
                    .ok_or_else(|| XmlError::invalid("<D:invert> needs <D:principal>"))?;
                (principal(p)?, true)
            }
            _ => return Err(XmlError::invalid("an <D:ace> needs one <D:principal> or <D:invert>")),
        };
        let grant = match ace.child("DAV:", "grant") {
            Some(g) => privileges(g, &mut budget)?,
            None => Vec::new(),
        };
        let deny = match ace.child("DAV:", "deny") {
            Some(d) => privileges(d, &mut budget)?,
            None => Vec::new(),
        };
        aces.push(AceRequest {
            principal,
            invert,
            grant,
            deny,
            protected: ace.child("DAV:", "protected").is_some(),
            inherited: ace.child("DAV:", "inherited").is_some(),
        });
    }
    Ok(aces)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn aces_in_order() {
        let body = br#"<?xml version="1.0"?><D:acl xmlns:D="DAV:" xmlns:C="urn:ietf:params:xml:ns:caldav">
          <D:ace><D:principal><D:href>/principals/bob/</D:href></D:principal>
            <D:grant><D:privilege><D:read/></D:privilege><D:privilege><D:write/></D:privilege></D:grant></D:ace>
          <D:ace><D:principal><D:authenticated/></D:principal><D:grant><D:privilege><C:read-free-busy/></D:privilege></D:grant></D:ace>
          <D:ace><D:invert><D:principal><D:self/></D:principal></D:invert><D:deny><D:privilege><D:all/></D:privilege></D:deny></D:ace>
        </D:acl>"#;
        let aces = parse_acl(body, &Limits::default()).unwrap();
        assert_eq!(aces.len(), 3);
        assert_eq!(aces[0].principal, AcePrincipal::Href("/principals/bob/".into()));
        assert_eq!(aces[0].grant, [PropName::dav("read"), PropName::dav("write")]);
        assert_eq!(aces[1].grant, [PropName::caldav("read-free-busy")]);
        assert!(aces[2].invert && aces[2].deny == [PropName::dav("all")]);
        assert!(parse_acl(b"<D:acl xmlns:D=\"DAV:\"><D:ace><D:grant/></D:ace></D:acl>", &Limits::default()).is_err());
        assert!(parse_acl(b"<D:propfind xmlns:D=\"DAV:\"/>", &Limits::default()).is_err());
    }
}
