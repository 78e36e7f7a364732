//! Reading the answers: a namespace-aware pass over a `DAV:multistatus` (RFC 4918
//! §13) keeping what the workloads check — each member's href, status and the
//! properties found (200), and the RFC 6578 sync token. Prefixes are whatever
//! the server chose, so any server's answer reads the same.

use quick_xml::NsReader;
use quick_xml::events::Event;
use quick_xml::name::ResolveResult;

const DAV: &[u8] = b"DAV:";

/// One `DAV:response`.
#[derive(Debug, Default)]
pub struct Member {
    /// Its href, as the server wrote it (unescaped XML, still percent-encoded).
    pub href: String,
    /// The response-level status (deleted members, a truncation's 507).
    pub status: Option<u16>,
    /// Properties in a 2xx propstat, by local name, with their text.
    pub found: Vec<(String, String)>,
}

impl Member {
    /// The text of a property found, by local name.
    pub fn prop(&self, local: &str) -> Option<&str> {
        self.found.iter().find(|(n, _)| n == local).map(|(_, v)| v.as_str())
    }
}

/// A parsed multistatus.
#[derive(Debug, Default)]
pub struct Multistatus {
    /// The members, in order.
    pub members: Vec<Member>,
    /// The top-level `DAV:sync-token` of a `sync-collection` answer.
    pub sync_token: Option<String>,
}

/// An element on the path from the root: DAV namespace or not, local name.
struct Open {
    dav: bool,
    local: String,
}

/// Parses `body`, which must be a `DAV:multistatus`.
pub fn parse(body: &str) -> Result<Multistatus, String> {
    let mut out = Multistatus::default();
    let mut path: Vec<Open> = Vec::new();
    let mut text = String::new();
    let mut member = Member::default();
    let mut propstat: Vec<(String, String)> = Vec::new();
    let mut propstat_status = None;
    read(body, |event| match event {
        Step::Start(dav, local) => {
            if path.is_empty() && !(dav && local == "multistatus") {
                return Err(format!("the answer is a <{local}>, not a DAV:multistatus"));
            }
            text.clear();
            path.push(Open { dav, local });
            Ok(())
        }
        Step::Text(t) => {
            text.push_str(t);
            Ok(())
        }
        Step::End => {
            let Some(open) = path.pop() else { return Ok(()) };
            let parent = path.last().map(|p| (p.dav, p.local.as_str()));
            let under_prop = path.len() >= 2 && parent == Some((true, "prop"));
            match (open.dav, open.local.as_str(), parent) {
                (true, "href", Some((true, "response"))) => member.href = text.trim().to_owned(),
                (true, "status", Some((true, "response"))) => member.status = status_code(&text),
                (true, "status", Some((true, "propstat"))) => propstat_status = status_code(&text),
                (true, "propstat", _) => {
                    if propstat_status.is_some_and(|s| (200..300).contains(&s)) {
                        member.found.append(&mut propstat);
                    }
                    propstat.clear();
                    propstat_status = None;
                }
                (true, "response", _) => out.members.push(std::mem::take(&mut member)),
                (true, "sync-token", Some((true, "multistatus"))) => out.sync_token = Some(text.trim().to_owned()),
                (_, local, _) if under_prop => propstat.push((local.to_owned(), std::mem::take(&mut text))),
                _ => {}
            }
            text.clear();
            Ok(())
        }
    })?;
    if let Some(open) = path.last() {
        return Err(format!("the answer ends inside <{}>", open.local));
    }
    Ok(out)
}

/// The texts of every element with this namespace and local name, anywhere.
pub fn texts(body: &str, ns: &str, local: &str) -> Result<Vec<String>, String> {
    let mut out = Vec::new();
    let mut depth_of_match: Option<usize> = None;
    let mut depth = 0usize;
    let mut text = String::new();
    read_ns(body, ns, |event| {
        match event {
            Step::Start(in_ns, name) => {
                depth += 1;
                if depth_of_match.is_none() && in_ns && name == local {
                    depth_of_match = Some(depth);
                    text.clear();
                }
            }
            Step::Text(t) => {
                if depth_of_match.is_some() {
                    text.push_str(t);
                }
            }
            Step::End => {
                if depth_of_match == Some(depth) {
                    out.push(text.trim().to_owned());
                    depth_of_match = None;
                }
                depth = depth.saturating_sub(1);
            }
        }
        Ok(())
    })?;
    Ok(out)
}

/// "HTTP/1.1 200 OK" → 200.
fn status_code(line: &str) -> Option<u16> {
    line.split_whitespace().nth(1)?.parse().ok()
}

/// A reading step: an element opens (in the namespace looked for or not, local
/// name), text (entities resolved), an element closes.
enum Step<'a> {
    Start(bool, String),
    Text(&'a str),
    End,
}

fn read(body: &str, on: impl FnMut(Step<'_>) -> Result<(), String>) -> Result<(), String> {
    read_ns(body, "DAV:", on)
}

fn read_ns(body: &str, ns: &str, mut on: impl FnMut(Step<'_>) -> Result<(), String>) -> Result<(), String> {
    let ns = if ns == "DAV:" { DAV } else { ns.as_bytes() };
    let mut reader = NsReader::from_str(body);
    let bad = |e: &dyn std::fmt::Display| format!("malformed XML in the answer: {e}");
    loop {
        let (resolved, event) = reader.read_resolved_event().map_err(|e| bad(&e))?;
        let in_ns = matches!(resolved, ResolveResult::Bound(n) if n.as_ref() == ns);
        match event {
            Event::Start(e) => on(Step::Start(in_ns, String::from_utf8_lossy(e.local_name().as_ref()).into_owned()))?,
            Event::Empty(e) => {
                on(Step::Start(in_ns, String::from_utf8_lossy(e.local_name().as_ref()).into_owned()))?;
                on(Step::End)?;
            }
            Event::End(_) => on(Step::End)?,
            Event::Text(t) => on(Step::Text(&t.xml10_content().map_err(|e| bad(&e))?))?,
            Event::CData(t) => on(Step::Text(&t.xml10_content().map_err(|e| bad(&e))?))?,
            Event::GeneralRef(r) => {
                let ch = match r.resolve_char_ref().map_err(|e| bad(&e))? {
                    Some(ch) => ch.to_string(),
                    None => {
                        let name = r.decode().map_err(|e| bad(&e))?;
                        quick_xml::escape::resolve_predefined_entity(&name)
                            .ok_or_else(|| format!("undefined entity &{name}; in the answer"))?
                            .to_owned()
                    }
                };
                on(Step::Text(&ch))?;
            }
            Event::Eof => return Ok(()),
            _ => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const SYNC: &str = r#"<?xml version="1.0"?>
<d:multistatus xmlns:d="DAV:" xmlns:cs="http://calendarserver.org/ns/">
 <d:response><d:href>/c/a%40b.ics</d:href>
  <d:propstat><d:prop><d:getetag>"e&amp;1"</d:getetag></d:prop><d:status>HTTP/1.1 200 OK</d:status></d:propstat>
  <d:propstat><d:prop><cs:getctag/></d:prop><d:status>HTTP/1.1 404 Not Found</d:status></d:propstat>
 </d:response>
 <d:response><d:href>/c/gone.ics</d:href><d:status>HTTP/1.1 404 Not Found</d:status></d:response>
 <d:sync-token>http://x/sync/7</d:sync-token>
</d:multistatus>"#;

    #[test]
    fn members_props_and_token_are_read_whatever_the_prefix() {
        let m = parse(SYNC).unwrap();
        assert_eq!(m.members.len(), 2);
        assert_eq!(m.members[0].href, "/c/a%40b.ics");
        assert_eq!(m.members[0].prop("getetag"), Some("\"e&1\""));
        assert_eq!(m.members[0].prop("getctag"), None, "a 404 propstat is not found");
        assert_eq!(m.members[1].status, Some(404));
        assert_eq!(m.sync_token.as_deref(), Some("http://x/sync/7"));
    }

    #[test]
    fn calendar_data_keeps_its_text() {
        let body = "<multistatus xmlns=\"DAV:\" xmlns:C=\"urn:ietf:params:xml:ns:caldav\"><response><href>/x.ics</href>\
            <propstat><prop><C:calendar-data><![CDATA[BEGIN:VCALENDAR]]>&#13;\nEND:VCALENDAR</C:calendar-data></prop>\
            <status>HTTP/1.1 200 OK</status></propstat></response></multistatus>";
        let m = parse(body).unwrap();
        assert_eq!(m.members[0].prop("calendar-data"), Some("BEGIN:VCALENDAR\r\nEND:VCALENDAR"));
    }

    #[test]
    fn other_documents_are_refused() {
        assert!(parse("<D:error xmlns:D=\"DAV:\"><D:valid-sync-token/></D:error>").is_err());
        assert!(parse("<D:multistatus xmlns:D=\"DAV:\"><D:response>").is_err());
    }

    #[test]
    fn texts_finds_elements_by_namespace() {
        let body = "<C:schedule-response xmlns:D=\"DAV:\" xmlns:C=\"urn:ietf:params:xml:ns:caldav\">\
            <C:response><C:recipient><D:href>mailto:a@x</D:href></C:recipient>\
            <C:request-status>2.0;Success</C:request-status></C:response>\
            <C:response><C:request-status>3.7;Invalid calendar user</C:request-status></C:response>\
            </C:schedule-response>";
        let found = texts(body, "urn:ietf:params:xml:ns:caldav", "request-status").unwrap();
        assert_eq!(found, ["2.0;Success", "3.7;Invalid calendar user"]);
        assert_eq!(texts(body, "DAV:", "href").unwrap(), ["mailto:a@x"]);
    }
}
