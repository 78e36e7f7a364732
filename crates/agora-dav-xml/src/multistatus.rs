//! Reading a `207 Multi-Status` another server sent (RFC 4918 §13, §14.16): the
//! client side, for `agora migrate`. Each `DAV:response` gives its href and
//! the properties found (status 2xx); properties reported missing or refused
//! are left out, as a client treats them the same as absent.

use crate::element::Element;
use crate::error::{Limits, XmlError};
use crate::name::PropName;
use crate::tree::parse_document;
use crate::{NS_DAV, Node};

/// One `DAV:response` of a multistatus.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MultistatusResponse {
    /// The `DAV:href` as written (percent-encoded, absolute path or URL).
    pub href: String,
    /// The response's own status code (`DAV:status` outside any propstat), for
    /// a member that is missing (404) or refused.
    pub status: Option<u16>,
    /// The properties found, each the property element itself.
    pub props: Vec<Element>,
}

impl MultistatusResponse {
    /// The property `{ns}local`, if found.
    pub fn prop(&self, ns: &str, local: &str) -> Option<&Element> {
        self.props.iter().find(|p| p.name.is(ns, local))
    }

    /// The trimmed text of a property, if found and not empty.
    pub fn text(&self, ns: &str, local: &str) -> Option<String> {
        self.prop(ns, local).map(|p| p.text().trim().to_owned()).filter(|t| !t.is_empty())
    }

    /// The `DAV:href` values inside a property (`current-user-principal`,
    /// `calendar-home-set`…).
    pub fn hrefs(&self, ns: &str, local: &str) -> Vec<String> {
        let mut out = Vec::new();
        if let Some(p) = self.prop(ns, local) {
            collect_hrefs(p, &mut out);
        }
        out
    }

    /// The names of the child elements of a property (a `resourcetype`).
    pub fn child_names(&self, ns: &str, local: &str) -> Vec<PropName> {
        self.prop(ns, local).map(|p| p.elements().map(|e| e.name.clone()).collect()).unwrap_or_default()
    }
}

fn collect_hrefs(e: &Element, out: &mut Vec<String>) {
    for child in e.elements() {
        if child.name.is(NS_DAV, "href") {
            out.push(child.text().trim().to_owned());
        } else {
            collect_hrefs(child, out);
        }
    }
}

/// The status code of a `DAV:status` line (`HTTP/1.1 200 OK`).
fn status_code(e: &Element) -> Option<u16> {
    e.text().split_whitespace().nth(1).and_then(|c| c.parse().ok())
}

/// Parses a multistatus body. `limits` bound its size as for a request
/// (`max_properties` counts responses here: 64 elements each at most).
pub fn parse_multistatus(body: &[u8], limits: &Limits) -> Result<Vec<MultistatusResponse>, XmlError> {
    let root = parse_document(body, limits)?.ok_or_else(|| XmlError::Malformed("empty body".into()))?;
    let root = Element::from_x(&root);
    if !root.name.is(NS_DAV, "multistatus") {
        return Err(XmlError::UnexpectedRoot { expected: "{DAV:}multistatus", found: root.name.clark() });
    }
    let mut out = Vec::new();
    for response in root.elements().filter(|e| e.name.is(NS_DAV, "response")) {
        let mut r = MultistatusResponse { href: String::new(), status: None, props: Vec::new() };
        for part in response.elements() {
            if part.name.is(NS_DAV, "href") && r.href.is_empty() {
                r.href = part.text().trim().to_owned();
            } else if part.name.is(NS_DAV, "status") {
                r.status = status_code(part);
            } else if part.name.is(NS_DAV, "propstat") {
                let ok = part
                    .elements()
                    .find(|e| e.name.is(NS_DAV, "status"))
                    .and_then(status_code)
                    .is_some_and(|c| (200..300).contains(&c));
                if let Some(prop) = part.elements().find(|e| e.name.is(NS_DAV, "prop"))
                    && ok
                {
                    r.props.extend(prop.children.iter().filter_map(|n| match n {
                        Node::Element(e) => Some(e.clone()),
                        Node::Text(_) => None,
                    }));
                }
            }
        }
        if !r.href.is_empty() {
            out.push(r);
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    const LIMITS: Limits = Limits { max_depth: 32, max_properties: 1000 };

    #[test]
    fn reads_found_properties_and_hrefs() {
        let body = br#"<?xml version="1.0"?><d:multistatus xmlns:d="DAV:" xmlns:c="urn:ietf:params:xml:ns:caldav">
<d:response><d:href>/dav/alice/</d:href>
<d:propstat><d:prop><c:calendar-home-set><d:href>/dav/calendars/alice/</d:href></c:calendar-home-set>
<d:displayname>Alice &amp; co</d:displayname></d:prop><d:status>HTTP/1.1 200 OK</d:status></d:propstat>
<d:propstat><d:prop><d:getctag/></d:prop><d:status>HTTP/1.1 404 Not Found</d:status></d:propstat></d:response>
<d:response><d:href>/dav/gone.ics</d:href><d:status>HTTP/1.1 404 Not Found</d:status></d:response>
</d:multistatus>"#;
        let rs = parse_multistatus(body, &LIMITS).unwrap();
        assert_eq!(rs.len(), 2);
        assert_eq!(rs[0].href, "/dav/alice/");
        assert_eq!(rs[0].hrefs(crate::NS_CALDAV, "calendar-home-set"), vec!["/dav/calendars/alice/"]);
        assert_eq!(rs[0].text(NS_DAV, "displayname").as_deref(), Some("Alice & co"));
        assert!(rs[0].prop(NS_DAV, "getctag").is_none(), "a 404 propstat is not a value");
        assert_eq!(rs[1].status, Some(404));
    }

    #[test]
    fn refuses_another_root() {
        let err = parse_multistatus(br#"<d:error xmlns:d="DAV:"/>"#, &LIMITS).unwrap_err();
        assert!(matches!(err, XmlError::UnexpectedRoot { .. }), "{err}");
    }
}
