//! Golden tests for PROPFIND, PROPPATCH, MKCALENDAR/MKCOL and LOCK bodies as
//! real clients (Apple Calendar, Thunderbird) and the RFC examples send them.

mod common;

use agora_dav_xml::*;
use common::fixture;

fn limits() -> Limits {
    Limits::default()
}

fn names(clark: &[&str]) -> Vec<PropName> {
    clark.iter().map(|c| c.parse().unwrap()).collect()
}

#[test]
fn apple_propfind_on_principal() {
    let Propfind::Prop(props) = parse_propfind(&fixture("apple_propfind_principal.xml"), &limits()).unwrap() else {
        panic!("expected prop")
    };
    assert_eq!(
        props,
        names(&[
            "{urn:ietf:params:xml:ns:caldav}calendar-home-set",
            "{urn:ietf:params:xml:ns:caldav}calendar-user-address-set",
            "{DAV:}current-user-principal",
            "{DAV:}displayname",
            "{http://calendarserver.org/ns/}dropbox-home-URL",
            "{http://calendarserver.org/ns/}email-address-set",
            "{http://calendarserver.org/ns/}notification-URL",
            "{DAV:}principal-collection-set",
            "{DAV:}principal-URL",
            "{DAV:}resource-id",
            "{urn:ietf:params:xml:ns:caldav}schedule-inbox-URL",
            "{urn:ietf:params:xml:ns:caldav}schedule-outbox-URL",
            "{DAV:}supported-report-set",
            "{urn:ietf:params:xml:ns:carddav}addressbook-home-set",
            "{http://calendarserver.org/ns/}me-card",
        ])
    );
}

#[test]
fn thunderbird_propfind_on_calendar() {
    let p = parse_propfind(&fixture("thunderbird_propfind_calendar.xml"), &limits()).unwrap();
    assert_eq!(
        p,
        Propfind::Prop(names(&[
            "{DAV:}resourcetype",
            "{DAV:}owner",
            "{DAV:}current-user-principal",
            "{DAV:}current-user-privilege-set",
            "{DAV:}supported-report-set",
            "{urn:ietf:params:xml:ns:caldav}supported-calendar-component-set",
            "{http://calendarserver.org/ns/}getctag",
        ]))
    );
}

#[test]
fn apple_proppatch_calendar_color_and_order() {
    let ops = parse_proppatch(&fixture("apple_proppatch_color.xml"), &limits()).unwrap();
    assert_eq!(ops.len(), 3);
    let PropOp::Set(color) = &ops[0] else { panic!("{ops:?}") };
    assert_eq!(color.name, PropName::apple_ical("calendar-color"));
    assert_eq!(
        color.xml,
        r##"<D:calendar-color xmlns:D="http://apple.com/ns/ical/" symbolic-color="red">#FF2968FF</D:calendar-color>"##
    );
    assert_eq!(color.text(), "#FF2968FF");
    assert!(!color.is_empty());
    let el = color.element().unwrap();
    assert_eq!(el.attr("symbolic-color"), Some("red"));
    let PropOp::Set(order) = &ops[1] else { panic!("{ops:?}") };
    assert_eq!(order.name, PropName::apple_ical("calendar-order"));
    assert_eq!(order.text(), "3");
    assert_eq!(ops[2], PropOp::Remove(PropName::caldav("calendar-description")));
    assert_eq!(ops[2].name(), &PropName::caldav("calendar-description"));
}

#[test]
fn thunderbird_proppatch_carries_ancestor_prefixes() {
    let ops = parse_proppatch(&fixture("thunderbird_proppatch_color.xml"), &limits()).unwrap();
    let [PropOp::Set(color), PropOp::Set(name)] = ops.as_slice() else { panic!("{ops:?}") };
    // xmlns:A was declared on <D:propertyupdate>; the fragment declares it itself.
    assert_eq!(color.xml, r##"<A:calendar-color xmlns:A="http://apple.com/ns/ical/">#3c99dc</A:calendar-color>"##);
    assert_eq!(name.xml, r#"<D:displayname xmlns:D="DAV:">Home &amp; Family – Küche</D:displayname>"#);
    assert_eq!(name.text(), "Home & Family – Küche");
}

#[test]
fn ios_mkcalendar() {
    let mk = parse_mkcol(&fixture("ios_mkcalendar.xml"), &limits()).unwrap();
    assert_eq!(mk.kind, MkcolKind::Mkcalendar);
    let by_name: Vec<String> = mk.props.iter().map(|p| p.name.to_string()).collect();
    assert_eq!(
        by_name,
        [
            "{urn:ietf:params:xml:ns:caldav}calendar-timezone",
            "{http://apple.com/ns/ical/}calendar-order",
            "{urn:ietf:params:xml:ns:caldav}supported-calendar-component-set",
            "{http://apple.com/ns/ical/}calendar-color",
            "{DAV:}displayname",
            "{urn:ietf:params:xml:ns:caldav}schedule-calendar-transp",
        ]
    );
    let tz = mk.props[0].text();
    assert!(tz.starts_with("BEGIN:VCALENDAR\n"), "{tz:?}");
    assert!(tz.contains("TZID:Europe/Berlin\n"));
    assert!(tz.trim_end().ends_with("END:VCALENDAR"));
    let comps = mk.props[2].element().unwrap();
    let comp_names: Vec<&str> = comps.elements().filter_map(|c| c.attr("name")).collect();
    assert_eq!(comp_names, ["VEVENT"]);
    assert_eq!(mk.props[2].child_names(), [PropName::caldav("comp")]);
    assert_eq!(mk.props[3].element().unwrap().attr("symbolic-color"), Some("blue"));
    assert_eq!(mk.props[4].text(), "Work");
    // The DAV: prefix was declared on <A:set>, the CalDAV one on the root.
    assert!(mk.props[4].xml.contains(r#"xmlns:A="DAV:""#));
    assert!(mk.props[5].xml.starts_with(r#"<B:schedule-calendar-transp xmlns:B="urn:ietf:params:xml:ns:caldav">"#));
    assert_eq!(mk.props[5].child_names(), [PropName::caldav("opaque")]);
}

#[test]
fn rfc5689_extended_mkcol() {
    let mk = parse_mkcol(&fixture("rfc5689_mkcol_addressbook.xml"), &limits()).unwrap();
    assert_eq!(mk.kind, MkcolKind::Mkcol);
    assert_eq!(mk.props[0].child_names(), [PropName::dav("collection"), PropName::carddav("addressbook")]);
    assert_eq!(mk.props[1].text(), "Lisa's Contacts");
    let desc = mk.props[2].element().unwrap();
    assert_eq!(desc.attrs, [(PropName::new("http://www.w3.org/XML/1998/namespace", "lang"), "en".to_owned())]);
    assert!(mk.props[2].xml.contains(r#"xml:lang="en""#));
    assert!(!mk.props[2].xml.contains("xmlns:xml"));
}

#[test]
fn lockinfo() {
    let info = parse_lock_body(&fixture("rfc4918_lockinfo.xml"), &limits()).unwrap().unwrap();
    assert_eq!(info.scope, LockScope::Exclusive);
    let owner = info.owner.unwrap();
    assert_eq!(owner.trim(), r#"<D:href xmlns:D="DAV:">http://example.org/~ejw/contact.html</D:href>"#);
    assert_eq!(parse_lock_body(b"", &limits()).unwrap(), None);
}
