//! The multistatus, error and lock writers, read back with quick-xml.

mod common;

use agora_dav_xml::*;
use common::infoset;

fn multistatus(f: impl FnOnce(&mut MultistatusWriter<Vec<u8>>)) -> (String, common::INode) {
    let mut w = MultistatusWriter::begin(Vec::new()).unwrap();
    f(&mut w);
    let body = w.finish().unwrap();
    let text = String::from_utf8(body).unwrap();
    let doc = infoset(text.as_bytes());
    (text, doc)
}

#[test]
fn propstat_responses() {
    let (text, doc) = multistatus(|w| {
        w.response(
            "/calendars/jane/work/",
            &[
                PropStat {
                    status: 200,
                    props: vec![
                        PropValue::new(PropName::dav("displayname"), Content::Text("Work".into())),
                        PropValue::new(
                            PropName::dav("resourcetype"),
                            Content::Raw("<D:collection/><C:calendar/>".into()),
                        ),
                        PropValue::new(
                            PropName::dav("current-user-principal"),
                            Content::Hrefs(vec!["/principals/jane/".into()]),
                        ),
                        PropValue::new(PropName::calendarserver("getctag"), Content::Text("\"42\"".into())),
                        PropValue::new(
                            PropName::apple_ical("calendar-color"),
                            Content::Verbatim(
                                r##"<x:calendar-color xmlns:x="http://apple.com/ns/ical/" symbolic-color="red">#FF2968FF</x:calendar-color>"##
                                    .into(),
                            ),
                        ),
                        PropValue::new(PropName::new("urn:example:foreign", "thing"), Content::Text("v".into())),
                        PropValue::empty(PropName::new("", "nons")),
                    ],
                },
                PropStat { status: 404, props: vec![PropValue::empty(PropName::dav("getcontentlanguage"))] },
                PropStat { status: 403, props: vec![] },
            ],
        )
        .unwrap();
    });
    assert!(text.starts_with("<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<D:multistatus xmlns:D=\"DAV:\""));
    assert_eq!(doc.name(), ("DAV:", "multistatus"));
    let responses = doc.find_all("DAV:", "response");
    assert_eq!(responses.len(), 1);
    assert_eq!(responses[0].find("DAV:", "href").text(), "/calendars/jane/work/");
    let propstats = doc.find_all("DAV:", "propstat");
    assert_eq!(propstats.len(), 2, "the empty 403 propstat is left out");
    assert_eq!(propstats[0].find("DAV:", "status").text(), "HTTP/1.1 200 OK");
    assert_eq!(propstats[1].find("DAV:", "status").text(), "HTTP/1.1 404 Not Found");
    let props = propstats[0].find("DAV:", "prop").elems();
    let names: Vec<(&str, &str)> = props.iter().map(|p| p.name()).collect();
    assert_eq!(
        names,
        [
            ("DAV:", "displayname"),
            ("DAV:", "resourcetype"),
            ("DAV:", "current-user-principal"),
            ("http://calendarserver.org/ns/", "getctag"),
            ("http://apple.com/ns/ical/", "calendar-color"),
            ("urn:example:foreign", "thing"),
            ("", "nons"),
        ]
    );
    assert_eq!(props[0].text(), "Work");
    let rt: Vec<(&str, &str)> = props[1].elems().iter().map(|e| e.name()).collect();
    assert_eq!(rt, [("DAV:", "collection"), ("urn:ietf:params:xml:ns:caldav", "calendar")]);
    assert_eq!(props[2].find("DAV:", "href").text(), "/principals/jane/");
    assert_eq!(props[3].text(), "\"42\"");
    assert_eq!(props[4].attr("symbolic-color"), Some("red"));
    assert_eq!(props[4].text(), "#FF2968FF");
    assert_eq!(props[5].text(), "v");
}

#[test]
fn status_error_and_sync_token() {
    let (text, doc) = multistatus(|w| {
        w.response_status("/cal/gone.ics", 404).unwrap();
        w.response_error("/cal/dup.ics", 403, &Precondition::CalNoUidConflict("/cal/other.ics".into())).unwrap();
        w.sync_token("http://example.com/sync/7").unwrap();
    });
    let responses = doc.find_all("DAV:", "response");
    assert_eq!(responses.len(), 2);
    assert_eq!(responses[0].find("DAV:", "status").text(), "HTTP/1.1 404 Not Found");
    let err = responses[1].find("DAV:", "error");
    let conflict = err.find("urn:ietf:params:xml:ns:caldav", "no-uid-conflict");
    assert_eq!(conflict.find("DAV:", "href").text(), "/cal/other.ics");
    assert_eq!(responses[1].find("DAV:", "status").text(), "HTTP/1.1 403 Forbidden");
    // RFC 6578 §6.4: the sync-token follows the responses.
    let last = doc.elems().last().unwrap().name();
    assert_eq!(last, ("DAV:", "sync-token"));
    assert_eq!(doc.find("DAV:", "sync-token").text(), "http://example.com/sync/7");
    assert!(text.ends_with("</D:multistatus>"));
}

#[test]
fn escaping_of_hrefs_and_text() {
    let nasty = "/a b/<&>\"'/ünï©ødé/\u{1F600}\r\n";
    let (text, doc) = multistatus(|w| {
        w.response(
            nasty,
            &[PropStat {
                status: 200,
                props: vec![
                    PropValue::new(PropName::dav("displayname"), Content::Text(nasty.into())),
                    PropValue::new(PropName::dav("owner"), Content::Hrefs(vec![nasty.into()])),
                    PropValue::new(PropName::new("urn:x:ü", "p"), Content::Empty),
                ],
            }],
        )
        .unwrap();
        w.response_status(nasty, 404).unwrap();
        w.sync_token(nasty).unwrap();
    });
    assert!(!text.contains("<&>"));
    for href in doc.find_all("DAV:", "href") {
        assert_eq!(href.text(), nasty);
    }
    assert_eq!(doc.find("DAV:", "displayname").text(), nasty);
    assert_eq!(doc.find("DAV:", "sync-token").text(), nasty);
    assert_eq!(doc.find_all("urn:x:ü", "p").len(), 1);
    // Characters XML cannot carry are replaced rather than producing a broken document.
    let (_, doc) = multistatus(|w| w.response_status("/a\u{1}b", 200).unwrap());
    assert_eq!(doc.find("DAV:", "href").text(), "/a\u{fffd}b");
}

#[test]
fn response_without_any_property_is_still_valid() {
    let (_, doc) = multistatus(|w| w.response("/x", &[]).unwrap());
    assert_eq!(doc.find("DAV:", "status").text(), "HTTP/1.1 200 OK");
    assert_eq!(doc.find_all("DAV:", "propstat").len(), 1);
}

#[test]
fn reason_phrases() {
    for (code, reason) in [
        (200, "OK"),
        (201, "Created"),
        (204, "No Content"),
        (403, "Forbidden"),
        (404, "Not Found"),
        (409, "Conflict"),
        (412, "Precondition Failed"),
        (423, "Locked"),
        (424, "Failed Dependency"),
        (507, "Insufficient Storage"),
    ] {
        assert_eq!(status_line(code), format!("HTTP/1.1 {code} {reason}"));
    }
}

#[test]
fn error_bodies() {
    let cases = [
        (Precondition::PropfindFiniteDepth, "DAV:", "propfind-finite-depth"),
        (Precondition::ValidSyncToken, "DAV:", "valid-sync-token"),
        (Precondition::NumberOfMatchesWithinLimits, "DAV:", "number-of-matches-within-limits"),
        (Precondition::LockTokenMatchesRequestUri, "DAV:", "lock-token-matches-request-uri"),
        (Precondition::CannotModifyProtectedProperty, "DAV:", "cannot-modify-protected-property"),
        (Precondition::ResourceMustBeNull, "DAV:", "resource-must-be-null"),
        (Precondition::SupportedReport, "DAV:", "supported-report"),
        (Precondition::ValidResourcetype, "DAV:", "valid-resourcetype"),
        (Precondition::SupportedCalendarData, "urn:ietf:params:xml:ns:caldav", "supported-calendar-data"),
        (Precondition::ValidCalendarObjectResource, "urn:ietf:params:xml:ns:caldav", "valid-calendar-object-resource"),
        (
            Precondition::CalendarCollectionLocationOk,
            "urn:ietf:params:xml:ns:caldav",
            "calendar-collection-location-ok",
        ),
        (Precondition::CalMaxResourceSize, "urn:ietf:params:xml:ns:caldav", "max-resource-size"),
        (Precondition::MaxAttendeesPerInstance, "urn:ietf:params:xml:ns:caldav", "max-attendees-per-instance"),
        (Precondition::CalSupportedCollation, "urn:ietf:params:xml:ns:caldav", "supported-collation"),
        (Precondition::ValidTimezone, "urn:ietf:params:xml:ns:caldav", "valid-timezone"),
        (Precondition::ValidAddressData, "urn:ietf:params:xml:ns:carddav", "valid-address-data"),
        (Precondition::CardSupportedFilter, "urn:ietf:params:xml:ns:carddav", "supported-filter"),
        (Precondition::Other(PropName::new("urn:x", "custom")), "urn:x", "custom"),
    ];
    for (cond, ns, local) in cases {
        let body = error_body(&cond);
        let doc = infoset(body.as_bytes());
        assert_eq!(doc.name(), ("DAV:", "error"));
        let children = doc.elems();
        assert_eq!(children.len(), 1, "{body}");
        assert_eq!(children[0].name(), (ns, local), "{body}");
        assert!(children[0].elems().is_empty());
        assert_eq!(cond.name(), PropName::new(ns, local));
    }
    let body = error_body(&Precondition::CardNoUidConflict("/ab/x&y.vcf".into()));
    let doc = infoset(body.as_bytes());
    assert_eq!(
        doc.find("urn:ietf:params:xml:ns:carddav", "no-uid-conflict").find("DAV:", "href").text(),
        "/ab/x&y.vcf"
    );
    let body = error_body(&Precondition::LockTokenSubmitted(vec!["/a".into(), "/b".into()]));
    let hrefs: Vec<String> = infoset(body.as_bytes()).find_all("DAV:", "href").iter().map(|h| h.text()).collect();
    assert_eq!(hrefs, ["/a", "/b"]);
    let body = error_body(&Precondition::NeedPrivileges(vec![NeedPrivilege {
        href: "/cal/".into(),
        privilege: PropName::dav("write-content"),
    }]));
    let doc = infoset(body.as_bytes());
    let res = doc.find("DAV:", "need-privileges").find("DAV:", "resource");
    assert_eq!(res.find("DAV:", "href").text(), "/cal/");
    assert_eq!(res.find("DAV:", "privilege").elems()[0].name(), ("DAV:", "write-content"));
}

#[test]
fn lockdiscovery() {
    let owner = parse_lock_body(&common::fixture("rfc4918_lockinfo.xml"), &Limits::default()).unwrap().unwrap().owner;
    let locks = [ActiveLock {
        scope: LockScope::Exclusive,
        depth_infinity: true,
        owner,
        timeout_secs: Some(604_800),
        token: "urn:uuid:e71d4fae-5dec-22d6-fea5-00a0c91e6be4".into(),
        root: "http://example.com/workspace/webdav/proposal.doc".into(),
    }];
    let body = lockdiscovery_xml(&locks);
    let doc = infoset(body.as_bytes());
    assert_eq!(doc.name(), ("DAV:", "prop"));
    let al = doc.find("DAV:", "lockdiscovery").find("DAV:", "activelock");
    assert_eq!(al.find("DAV:", "locktype").elems()[0].name(), ("DAV:", "write"));
    assert_eq!(al.find("DAV:", "lockscope").elems()[0].name(), ("DAV:", "exclusive"));
    assert_eq!(al.find("DAV:", "depth").text(), "infinity");
    assert_eq!(al.find("DAV:", "owner").find("DAV:", "href").text(), "http://example.org/~ejw/contact.html");
    assert_eq!(al.find("DAV:", "timeout").text(), "Second-604800");
    assert_eq!(
        al.find("DAV:", "locktoken").find("DAV:", "href").text(),
        "urn:uuid:e71d4fae-5dec-22d6-fea5-00a0c91e6be4"
    );
    assert_eq!(
        al.find("DAV:", "lockroot").find("DAV:", "href").text(),
        "http://example.com/workspace/webdav/proposal.doc"
    );
    let shared = ActiveLock {
        scope: LockScope::Shared,
        depth_infinity: false,
        owner: None,
        timeout_secs: None,
        ..locks[0].clone()
    };
    let doc = infoset(lockdiscovery_xml(&[shared]).as_bytes());
    assert_eq!(doc.find("DAV:", "depth").text(), "0");
    assert_eq!(doc.find("DAV:", "timeout").text(), "Infinite");
    assert!(doc.find_all("DAV:", "owner").is_empty());
    let wrapped = format!("<D:supportedlock xmlns:D=\"DAV:\">{SUPPORTED_LOCK_XML}</D:supportedlock>");
    assert_eq!(infoset(wrapped.as_bytes()).find_all("DAV:", "lockentry").len(), 2);
}

#[test]
fn writes_into_any_io_write() {
    let mut w = MultistatusWriter::begin(std::io::Cursor::new(Vec::new())).unwrap();
    w.response_status("/", 200).unwrap();
    let out = w.finish().unwrap().into_inner();
    assert_eq!(infoset(&out).find("DAV:", "href").text(), "/");
}
