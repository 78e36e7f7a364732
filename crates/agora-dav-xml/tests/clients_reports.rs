//! Golden tests for REPORT bodies as real clients (Apple Calendar and
//! Contacts, Thunderbird, DAVx5, Evolution) and the RFC examples send them.

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
fn davx5_sync_collection() {
    let r = parse_report(&fixture("davx5_sync_collection.xml"), &limits()).unwrap();
    assert_eq!(
        r,
        Report::SyncCollection {
            sync_token: Some("http://example.com/ns/sync/1234".into()),
            sync_level: SyncLevel::One,
            limit: Some(100),
            props: vec![PropName::dav("getetag")],
        }
    );
    let r = parse_report(&fixture("davx5_sync_collection_initial.xml"), &limits()).unwrap();
    assert_eq!(
        r,
        Report::SyncCollection {
            sync_token: None,
            sync_level: SyncLevel::One,
            limit: None,
            props: vec![PropName::dav("getetag"), PropName::carddav("address-data")],
        }
    );
}

#[test]
fn davx5_calendar_multiget() {
    let Report::CalendarMultiget { props, hrefs } =
        parse_report(&fixture("davx5_calendar_multiget.xml"), &limits()).unwrap()
    else {
        panic!()
    };
    assert_eq!(
        props.names(),
        names(&["{DAV:}getcontenttype", "{DAV:}getetag", "{urn:ietf:params:xml:ns:caldav}calendar-data"])
    );
    assert_eq!(props.calendar_data, Some(CalendarDataRequest::default()));
    assert_eq!(props.address_data, None);
    assert_eq!(
        hrefs,
        [
            "/dav/calendars/jane/work/4f1c%20a.ics",
            "/dav/calendars/jane/work/b&c.ics",
            "/dav/calendars/jane/work/%C3%BCber.ics"
        ]
    );
}

#[test]
fn rfc6352_addressbook_multiget() {
    let Report::AddressbookMultiget { props, hrefs } =
        parse_report(&fixture("rfc6352_addressbook_multiget.xml"), &limits()).unwrap()
    else {
        panic!()
    };
    let ad = props.address_data.unwrap();
    assert_eq!(ad.props.unwrap(), ["VERSION", "UID", "NICKNAME", "EMAIL", "FN"]);
    assert!(!ad.allprop);
    assert_eq!(hrefs, ["/home/bernard/addressbook/vcf102.vcf", "/home/bernard/addressbook/vcf1.vcf"]);
}

#[test]
fn thunderbird_calendar_query_with_expand() {
    let Report::CalendarQuery { props, filter, timezone, timezone_id } =
        parse_report(&fixture("thunderbird_calendar_query_expand.xml"), &limits()).unwrap()
    else {
        panic!()
    };
    let jan3 = parse_utc_datetime("20060103T000000Z").unwrap();
    let jan5 = parse_utc_datetime("20060105T000000Z").unwrap();
    assert_eq!(jan5 - jan3, 2 * 86_400);
    let cd = props.calendar_data.unwrap();
    assert_eq!(cd.expand, Some(TimeRange { start: Some(jan3), end: Some(jan5) }));
    assert_eq!(cd.comp, None);
    assert_eq!(filter.name, "VCALENDAR");
    assert_eq!(filter.comp_filters.len(), 1);
    let ev = &filter.comp_filters[0];
    assert_eq!(ev.name, "VEVENT");
    assert_eq!(ev.time_range, Some(TimeRange { start: Some(jan3), end: Some(jan5) }));
    assert!(!ev.is_not_defined && ev.prop_filters.is_empty());
    assert_eq!((timezone, timezone_id), (None, None));
}

#[test]
fn rfc4791_partial_retrieval() {
    let Report::CalendarQuery { props, filter, .. } =
        parse_report(&fixture("rfc4791_partial_retrieval.xml"), &limits()).unwrap()
    else {
        panic!()
    };
    let comp = props.calendar_data.unwrap().comp.unwrap();
    assert_eq!(comp.name, "VCALENDAR");
    assert_eq!(comp.props, [PropSelect { name: "VERSION".into(), novalue: false }]);
    assert_eq!(comp.comps.len(), 2);
    let ev = &comp.comps[0];
    assert_eq!(ev.name, "VEVENT");
    let ev_props: Vec<&str> = ev.props.iter().map(|p| p.name.as_str()).collect();
    assert_eq!(
        ev_props,
        ["SUMMARY", "UID", "DTSTART", "DTEND", "DURATION", "RRULE", "RDATE", "EXRULE", "EXDATE", "RECURRENCE-ID"]
    );
    assert_eq!(comp.comps[1], CompSelect { name: "VTIMEZONE".into(), ..Default::default() });
    let tr = filter.comp_filters[0].time_range.unwrap();
    assert_eq!(tr.end.unwrap() - tr.start.unwrap(), 86_400);
}

#[test]
fn rfc4791_partstat_query_with_timezone_id() {
    let Report::CalendarQuery { filter, timezone_id, .. } =
        parse_report(&fixture("rfc4791_partstat_query.xml"), &limits()).unwrap()
    else {
        panic!()
    };
    assert_eq!(timezone_id.as_deref(), Some("Europe/Berlin"));
    let pf = &filter.comp_filters[0].prop_filters[0];
    assert_eq!(pf.name, "ATTENDEE");
    let tm = pf.text_match.as_ref().unwrap();
    assert_eq!(tm.text, "mailto:lisa@example.com");
    assert_eq!((tm.collation.clone(), tm.negate, tm.match_type), (Collation::AsciiCasemap, false, MatchType::Contains));
    assert_eq!(pf.param_filters.len(), 1);
    assert_eq!(pf.param_filters[0].name, "PARTSTAT");
    assert_eq!(pf.param_filters[0].text_match.as_ref().unwrap().text, "NEEDS-ACTION");
}

#[test]
fn evolution_todo_query() {
    let Report::CalendarQuery { props, filter, timezone, .. } =
        parse_report(&fixture("evolution_calendar_query_todos.xml"), &limits()).unwrap()
    else {
        panic!()
    };
    assert_eq!(props.names(), names(&["{DAV:}getetag", "{urn:ietf:params:xml:ns:caldav}calendar-data"]));
    let todo = &filter.comp_filters[0];
    assert_eq!(todo.name, "VTODO");
    assert_eq!(
        todo.prop_filters[0],
        PropFilter { name: "COMPLETED".into(), is_not_defined: true, ..Default::default() }
    );
    let status = todo.prop_filters[1].text_match.as_ref().unwrap();
    assert_eq!((status.text.as_str(), status.negate, &status.collation), ("CANCELLED", true, &Collation::Octet));
    assert!(timezone.unwrap().contains("TZID:US-Eastern"));
}

#[test]
fn macos_contacts_addressbook_query() {
    let Report::AddressbookQuery { props, filter, limit } =
        parse_report(&fixture("macos_contacts_addressbook_query.xml"), &limits()).unwrap()
    else {
        panic!()
    };
    assert_eq!(props.address_data, Some(AddressDataRequest::default()));
    assert_eq!(limit, Some(50));
    assert_eq!(filter.test, Test::AnyOf);
    let [fname, email, nick] = filter.prop_filters.as_slice() else { panic!("{filter:?}") };
    assert_eq!(fname.name, "FN");
    assert_eq!(
        fname.text_matches,
        [TextMatch {
            text: "Jö".into(),
            collation: Collation::UnicodeCasemap,
            negate: false,
            match_type: MatchType::StartsWith
        }]
    );
    assert_eq!(email.test, Test::AllOf);
    assert_eq!(email.param_filters[0].name, "TYPE");
    assert_eq!(email.param_filters[0].text_match.as_ref().unwrap().match_type, MatchType::Equals);
    assert!(nick.is_not_defined && nick.text_matches.is_empty());
}

#[test]
fn free_busy_query() {
    let r = parse_report(&fixture("rfc4791_free_busy_query.xml"), &limits()).unwrap();
    let start = parse_utc_datetime("20060104T140000Z").unwrap();
    assert_eq!(r, Report::FreeBusyQuery { range: TimeRange { start: Some(start), end: Some(start + 32 * 3600) } });
}

#[test]
fn apple_principal_property_search() {
    let Report::PrincipalPropertySearch { searches, test, props, apply_to_principal_collection_set, limit } =
        parse_report(&fixture("apple_principal_property_search.xml"), &limits()).unwrap()
    else {
        panic!()
    };
    assert_eq!(test, Test::AnyOf);
    assert_eq!(
        searches,
        [
            PropertySearch {
                props: vec![PropName::dav("displayname")],
                text: "jo".into(),
                match_type: Some(MatchType::StartsWith)
            },
            PropertySearch {
                props: vec![PropName::calendarserver("email-address-set")],
                text: "jo".into(),
                match_type: Some(MatchType::StartsWith)
            },
        ]
    );
    assert_eq!(props.len(), 3);
    assert!(apply_to_principal_collection_set);
    assert_eq!(limit, None);
}

#[test]
fn apple_expand_property() {
    let Report::ExpandProperty { properties } = parse_report(&fixture("apple_expand_property.xml"), &limits()).unwrap()
    else {
        panic!()
    };
    assert_eq!(properties.len(), 2);
    assert_eq!(properties[0].name, PropName::calendarserver("calendar-proxy-write-for"));
    let children: Vec<PropName> = properties[0].children.iter().map(|c| c.name.clone()).collect();
    // `namespace` defaults to DAV: (RFC 3253 §3.8).
    assert_eq!(
        children,
        [PropName::dav("displayname"), PropName::dav("principal-URL"), PropName::caldav("calendar-user-address-set")]
    );
    assert_eq!(properties[1].children, [ExpandItem { name: PropName::dav("displayname"), children: vec![] }]);
}

#[test]
fn principal_match_and_acl_reports() {
    let r = parse_report(&fixture("rfc3744_principal_match.xml"), &limits()).unwrap();
    assert_eq!(
        r,
        Report::PrincipalMatch {
            self_: false,
            principal_property: Some(PropName::dav("owner")),
            props: vec![PropName::dav("displayname")]
        }
    );
    let r = parse_report(br#"<principal-search-property-set xmlns="DAV:"/>"#, &limits()).unwrap();
    assert_eq!(r, Report::PrincipalSearchPropertySet);
    let r = parse_report(
        br#"<D:acl-principal-prop-set xmlns:D="DAV:"><D:prop><D:displayname/></D:prop></D:acl-principal-prop-set>"#,
        &limits(),
    )
    .unwrap();
    assert_eq!(r, Report::AclPrincipalPropSet { props: vec![PropName::dav("displayname")] });
    let r = parse_report(br#"<x:calendarserver-principal-search xmlns:x="http://calendarserver.org/ns/"/>"#, &limits());
    assert_eq!(r.unwrap(), Report::Unknown(PropName::calendarserver("calendarserver-principal-search")));
}
