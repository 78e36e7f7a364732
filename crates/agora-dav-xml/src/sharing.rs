//! POST bodies of the two sharing protocols clients use: CalendarServer sharing
//! (`CS:share`, `CS:invite-reply`) and draft-pot-webdav-resource-sharing
//! (`D:share-resource`, `D:invite-reply`).

use crate::common::{document, is_dav};
use crate::error::{Limits, XmlError};
use crate::tree::XElem;
use crate::{NS_AGORA, NS_CALENDARSERVER, NS_DAV};

/// The access a sharing request asks for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ShareLevel {
    /// Read only.
    Read,
    /// Read and write.
    ReadWrite,
    /// Free/busy time only: Agora's `<A:read-free-busy/>` (urn:x-agora:ns), since
    /// neither sharing protocol has this level (CalDAV's own privilege of that
    /// name, RFC 4791 §6.1.1, is what the sharee then holds).
    FreeBusy,
    /// Remove the sharee (`D:no-access`).
    NoAccess,
}

/// One sharee of a sharing request.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Sharee {
    /// `mailto:` address or principal URL, as sent.
    pub href: String,
    /// What to give (or `NoAccess` to remove).
    pub level: ShareLevel,
    /// `CS:summary` / `D:comment`, if any.
    pub summary: Option<String>,
}

/// A sharing POST body.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SharingPost {
    /// Set or remove sharees of the request URI (either protocol).
    Share(Vec<Sharee>),
    /// CalendarServer `CS:publish-calendar` (true) or `CS:unpublish-calendar` (false).
    Publish(bool),
    /// A sharee answers an invitation to the collection at `href`.
    Reply {
        /// The shared collection's URL (`CS:hosturl` / `D:href`).
        href: String,
        /// Accepted or declined.
        accept: bool,
    },
}

fn is_cs(e: &XElem, local: &str) -> bool {
    e.is(NS_CALENDARSERVER, local)
}

fn href_of(e: &XElem) -> Result<String, XmlError> {
    e.child(NS_DAV, "href")
        .map(|h| h.text().trim().to_owned())
        .filter(|h| !h.is_empty())
        .ok_or_else(|| XmlError::invalid(format!("<{}> needs a <D:href>", e.name)))
}

fn summary(e: &XElem) -> Option<String> {
    e.child(NS_CALENDARSERVER, "summary").or_else(|| e.child(NS_DAV, "comment")).map(|s| s.text().trim().to_owned())
}

/// Parses a POST body of one of the sharing protocols; `None` when the body is
/// something else (the caller answers as for an unsupported POST).
pub fn parse_sharing(body: &[u8], limits: &Limits) -> Result<Option<SharingPost>, XmlError> {
    let Some(root) = document(body, limits)? else { return Ok(None) };
    if is_cs(&root, "publish-calendar") || is_cs(&root, "unpublish-calendar") {
        return Ok(Some(SharingPost::Publish(is_cs(&root, "publish-calendar"))));
    }
    if is_cs(&root, "share") {
        let mut out = Vec::new();
        for e in root.elements() {
            if is_cs(e, "set") {
                let level = if e.child(NS_CALENDARSERVER, "read-write").is_some() {
                    ShareLevel::ReadWrite
                } else if e.child(NS_AGORA, "read-free-busy").is_some() {
                    ShareLevel::FreeBusy
                } else {
                    ShareLevel::Read
                };
                out.push(Sharee { href: href_of(e)?, level, summary: summary(e) });
            } else if is_cs(e, "remove") {
                out.push(Sharee { href: href_of(e)?, level: ShareLevel::NoAccess, summary: None });
            }
        }
        return Ok(Some(SharingPost::Share(out)));
    }
    if is_dav(&root, "share-resource") {
        let mut out = Vec::new();
        for e in root.elements().filter(|e| is_dav(e, "sharee")) {
            let access = e.child(NS_DAV, "share-access").and_then(|a| a.elements().next());
            let level = match access.map(|a| (a.name.ns.as_str(), a.name.local.as_str())) {
                Some((NS_DAV, "read-write")) => ShareLevel::ReadWrite,
                Some((NS_DAV, "no-access")) => ShareLevel::NoAccess,
                Some((NS_DAV, "read")) | None => ShareLevel::Read,
                Some((NS_AGORA, "read-free-busy")) => ShareLevel::FreeBusy,
                Some((_, other)) => return Err(XmlError::invalid(format!("unknown share-access {other}"))),
            };
            out.push(Sharee { href: href_of(e)?, level, summary: summary(e) });
        }
        return Ok(Some(SharingPost::Share(out)));
    }
    if is_cs(&root, "invite-reply") {
        let host = root
            .child(NS_CALENDARSERVER, "hosturl")
            .ok_or_else(|| XmlError::invalid("<CS:invite-reply> needs <CS:hosturl>"))?;
        let accept = root.child(NS_CALENDARSERVER, "invite-accepted").is_some();
        if !accept && root.child(NS_CALENDARSERVER, "invite-declined").is_none() {
            return Err(XmlError::invalid("<CS:invite-reply> needs invite-accepted or invite-declined"));
        }
        return Ok(Some(SharingPost::Reply { href: href_of(host)?, accept }));
    }
    if is_dav(&root, "invite-reply") {
        let accept = root.child(NS_DAV, "invite-accepted").is_some();
        if !accept && root.child(NS_DAV, "invite-declined").is_none() {
            return Err(XmlError::invalid("<D:invite-reply> needs invite-accepted or invite-declined"));
        }
        return Ok(Some(SharingPost::Reply { href: href_of(&root)?, accept }));
    }
    Ok(None)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(body: &str) -> SharingPost {
        parse_sharing(body.as_bytes(), &Limits::default()).unwrap().unwrap()
    }

    #[test]
    fn calendarserver_share_and_reply() {
        let share = parse(
            r#"<CS:share xmlns:D="DAV:" xmlns:CS="http://calendarserver.org/ns/"><CS:set><D:href>mailto:bob@example.org</D:href><CS:summary>Projet</CS:summary><CS:read-write/></CS:set><CS:remove><D:href>/principals/carol/</D:href></CS:remove></CS:share>"#,
        );
        assert_eq!(
            share,
            SharingPost::Share(vec![
                Sharee {
                    href: "mailto:bob@example.org".into(),
                    level: ShareLevel::ReadWrite,
                    summary: Some("Projet".into())
                },
                Sharee { href: "/principals/carol/".into(), level: ShareLevel::NoAccess, summary: None },
            ])
        );
        let reply = parse(
            r#"<CS:invite-reply xmlns:D="DAV:" xmlns:CS="http://calendarserver.org/ns/"><D:href>mailto:bob@example.org</D:href><CS:invite-accepted/><CS:hosturl><D:href>/calendars/alice/calendar/</D:href></CS:hosturl><CS:in-reply-to>x</CS:in-reply-to></CS:invite-reply>"#,
        );
        assert_eq!(reply, SharingPost::Reply { href: "/calendars/alice/calendar/".into(), accept: true });
    }

    #[test]
    fn resource_sharing_draft() {
        let share = parse(
            r#"<D:share-resource xmlns:D="DAV:"><D:sharee><D:href>mailto:bob@example.org</D:href><D:share-access><D:read/></D:share-access></D:sharee><D:sharee><D:href>mailto:carol@example.org</D:href><D:share-access><D:no-access/></D:share-access></D:sharee></D:share-resource>"#,
        );
        let SharingPost::Share(list) = share else { panic!() };
        assert_eq!((list[0].level, list[1].level), (ShareLevel::Read, ShareLevel::NoAccess));
        assert!(parse_sharing(b"<D:propfind xmlns:D=\"DAV:\"/>", &Limits::default()).unwrap().is_none());
    }
}
