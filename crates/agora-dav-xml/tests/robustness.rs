//! Property tests: no parser panics on any input, limits hold, fragments
//! stay self-contained, and the writer always produces well-formed XML.

mod common;

use agora_dav_xml::*;
use proptest::prelude::*;

const FIXTURES: [&str; 20] = [
    "apple_expand_property.xml",
    "apple_principal_property_search.xml",
    "apple_propfind_principal.xml",
    "apple_proppatch_color.xml",
    "davx5_calendar_multiget.xml",
    "davx5_sync_collection.xml",
    "davx5_sync_collection_initial.xml",
    "evolution_calendar_query_todos.xml",
    "ios_mkcalendar.xml",
    "macos_contacts_addressbook_query.xml",
    "rfc3744_principal_match.xml",
    "rfc4791_free_busy_query.xml",
    "rfc4791_partial_retrieval.xml",
    "rfc4791_partstat_query.xml",
    "rfc4918_lockinfo.xml",
    "rfc5689_mkcol_addressbook.xml",
    "rfc6352_addressbook_multiget.xml",
    "thunderbird_calendar_query_expand.xml",
    "thunderbird_propfind_calendar.xml",
    "thunderbird_proppatch_color.xml",
];

/// Runs every parser; none may panic, and every dead property they return
/// must be a readable self-contained fragment.
fn run_all(body: &[u8], limits: &Limits) {
    let _ = parse_propfind(body, limits);
    if let Ok(ops) = parse_proppatch(body, limits) {
        assert!(ops.len() <= limits.max_properties);
        for op in ops {
            if let PropOp::Set(p) = op {
                let el = p.element().unwrap_or_else(|e| panic!("{e}: {}", p.xml));
                assert_eq!(el.name, p.name);
            }
        }
    }
    if let Ok(mk) = parse_mkcol(body, limits) {
        for p in mk.props {
            assert_eq!(p.element().unwrap().name, p.name);
        }
    }
    let _ = parse_report(body, limits);
    if let Ok(Some(info)) = parse_lock_body(body, limits)
        && let Some(owner) = info.owner
    {
        let wrapped = format!("<o>{owner}</o>");
        common::infoset(wrapped.as_bytes());
    }
    let _ = parse_if_header(&String::from_utf8_lossy(body));
}

fn mutate(mut body: Vec<u8>, ops: &[(u8, usize, usize, u8)]) -> Vec<u8> {
    for &(kind, a, b, byte) in ops {
        if body.is_empty() {
            break;
        }
        let (a, b) = (a % body.len(), b % body.len());
        let (lo, hi) = (a.min(b), a.max(b));
        match kind % 5 {
            0 => {
                body.drain(lo..hi);
            }
            1 => body.insert(a, byte),
            2 => body[a] = byte,
            3 => {
                let piece = body[lo..hi].to_vec();
                body.splice(a..a, piece);
            }
            _ => body.insert(a, b"<>&;/\"'=:x"[usize::from(byte) % 10]),
        }
    }
    body
}

fn nested(depth: usize) -> String {
    format!("{}{}", "<x:a>".repeat(depth), "</x:a>".repeat(depth))
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 512, ..ProptestConfig::default() })]

    #[test]
    fn arbitrary_bytes_never_panic(body in proptest::collection::vec(any::<u8>(), 0..512)) {
        run_all(&body, &Limits::default());
    }

    #[test]
    fn arbitrary_text_never_panics(body in ".{0,300}") {
        run_all(body.as_bytes(), &Limits::default());
    }

    #[test]
    fn mutated_client_bodies_never_panic(
        which in 0..FIXTURES.len(),
        ops in proptest::collection::vec((any::<u8>(), any::<usize>(), any::<usize>(), any::<u8>()), 1..8),
    ) {
        let body = mutate(common::fixture(FIXTURES[which]), &ops);
        run_all(&body, &Limits::default());
        run_all(&body, &Limits { max_depth: 4, max_properties: 3 });
    }

    #[test]
    fn if_header_never_panics(s in r#"[\(\)<>\[\]"NnOoTtW/ a-z:\-]{0,80}"#) {
        if let Ok(h) = parse_if_header(&s) {
            prop_assert!(!h.lists.is_empty());
            prop_assert!(h.lists.iter().all(|l| !l.conditions.is_empty()));
        }
    }

    #[test]
    fn depth_limit_is_enforced(depth in 0usize..80, max_depth in 3usize..40) {
        let limits = Limits { max_depth, ..Limits::default() };
        // Elements above the nested ones: propertyupdate, set, prop (3).
        let body = format!(
            r#"<D:propertyupdate xmlns:D="DAV:" xmlns:x="urn:x"><D:set><D:prop>{}</D:prop></D:set></D:propertyupdate>"#,
            if depth == 0 { "<x:leaf/>".to_owned() } else { nested(depth) }
        );
        let total = 3 + depth.max(1);
        match parse_proppatch(body.as_bytes(), &limits) {
            Err(XmlError::TooDeep) => prop_assert!(total > max_depth),
            Ok(_) => prop_assert!(total <= max_depth),
            Err(e) => prop_assert!(false, "{e}"),
        }
        let body = format!(
            r#"<C:calendar-query xmlns:D="DAV:" xmlns:C="urn:ietf:params:xml:ns:caldav" xmlns:x="urn:x"><C:filter><C:comp-filter name="VCALENDAR">{}</C:comp-filter></C:filter></C:calendar-query>"#,
            nested(depth)
        );
        let r = parse_report(body.as_bytes(), &limits);
        prop_assert_eq!(r.is_err_and(|e| e == XmlError::TooDeep), 3 + depth > max_depth);
    }

    #[test]
    fn property_limit_is_enforced(n in 1usize..60, max in 1usize..40) {
        let limits = Limits { max_properties: max, ..Limits::default() };
        let props = (0..n).map(|i| format!("<x:p{i}/>")).collect::<String>();
        let ok = n <= max;
        let propfind = format!(r#"<D:propfind xmlns:D="DAV:" xmlns:x="urn:x"><D:prop>{props}</D:prop></D:propfind>"#);
        prop_assert_eq!(parse_propfind(propfind.as_bytes(), &limits).is_ok(), ok);
        prop_assert_eq!(parse_propfind(propfind.as_bytes(), &limits).err().is_none_or(|e| e == XmlError::TooManyProperties), true);
        let patch = format!(r#"<D:propertyupdate xmlns:D="DAV:" xmlns:x="urn:x"><D:set><D:prop>{props}</D:prop></D:set></D:propertyupdate>"#);
        prop_assert_eq!(parse_proppatch(patch.as_bytes(), &limits).is_ok(), ok);
        let hrefs = (0..n).map(|i| format!("<D:href>/c/{i}.ics</D:href>")).collect::<String>();
        let multiget = format!(r#"<C:calendar-multiget xmlns:D="DAV:" xmlns:C="urn:ietf:params:xml:ns:caldav"><D:prop><D:getetag/></D:prop>{hrefs}</C:calendar-multiget>"#);
        // One budget item for getetag.
        prop_assert_eq!(parse_report(multiget.as_bytes(), &limits).is_ok(), n < max);
        let sync = format!(r#"<D:sync-collection xmlns:D="DAV:" xmlns:x="urn:x"><D:sync-token/><D:sync-level>1</D:sync-level><D:prop>{props}</D:prop></D:sync-collection>"#);
        prop_assert_eq!(parse_report(sync.as_bytes(), &limits).is_ok(), ok);
    }

    #[test]
    fn written_text_and_hrefs_round_trip(s in "\\PC{0,64}", t in any::<String>()) {
        let mut w = MultistatusWriter::begin(Vec::new()).unwrap();
        w.response(&s, &[PropStat { status: 200, props: vec![PropValue::new(PropName::dav("displayname"), Content::Text(t.clone()))] }]).unwrap();
        let doc = common::infoset(&w.finish().unwrap());
        prop_assert_eq!(doc.find("DAV:", "href").text(), s);
        let expected: String = t.chars().map(|c| match c {
            '\t' | '\n' | '\r' => c,
            '\u{0}'..='\u{1f}' | '\u{fffe}' | '\u{ffff}' => '\u{fffd}',
            c => c,
        }).collect();
        prop_assert_eq!(doc.find("DAV:", "displayname").text(), expected);
    }

    #[test]
    fn generated_dead_properties_round_trip(tree in gen_tree()) {
        let mut xml = String::new();
        write_tree(&tree, &mut xml);
        let body = format!(
            r#"<D:propertyupdate xmlns:D="DAV:" xmlns:p="urn:p" xmlns:q="urn:q" xmlns="urn:default"><D:set><D:prop>{xml}</D:prop></D:set></D:propertyupdate>"#
        );
        let ops = parse_proppatch(body.as_bytes(), &Limits::default()).unwrap();
        let [PropOp::Set(p)] = ops.as_slice() else { panic!("{ops:?}") };
        let original = common::infoset(body.as_bytes());
        let original = original.find("DAV:", "prop").elems()[0].clone();
        prop_assert_eq!(&common::infoset(p.xml.as_bytes()), &original);
        let mut w = MultistatusWriter::begin(Vec::new()).unwrap();
        w.response("/", &[PropStat { status: 200, props: vec![PropValue::new(p.name.clone(), Content::Verbatim(p.xml.clone()))] }]).unwrap();
        let back = common::infoset(&w.finish().unwrap());
        prop_assert_eq!(back.find("DAV:", "prop").elems()[0], &original);
    }
}

/// A generated element: prefix (0 = none, 1 = p, 2 = q), local name, an
/// optional redeclaration of `p`, an optional attribute, children.
#[derive(Debug, Clone)]
enum GenNode {
    Elem { prefix: u8, local: String, redeclare_p: Option<u8>, attr: Option<(u8, String)>, children: Vec<GenNode> },
    Text(String),
}

fn gen_tree() -> impl Strategy<Value = GenNode> {
    let leaf = prop_oneof![
        "[ -~é日\u{1F600}\t\n]{0,12}".prop_map(GenNode::Text),
        ("[a-z]{1,6}", 0u8..3).prop_map(|(local, prefix)| GenNode::Elem {
            prefix,
            local,
            redeclare_p: None,
            attr: None,
            children: vec![]
        }),
    ];
    let elem = leaf.prop_recursive(4, 24, 4, |inner| {
        (
            0u8..3,
            "[a-z]{1,6}",
            proptest::option::of(0u8..3),
            proptest::option::of((0u8..3, "[ -~ü]{0,8}")),
            proptest::collection::vec(inner, 0..4),
        )
            .prop_map(|(prefix, local, redeclare_p, attr, children)| GenNode::Elem {
                prefix,
                local,
                redeclare_p,
                attr,
                children,
            })
    });
    (0u8..3, "[a-z]{1,6}", proptest::collection::vec(elem, 0..4)).prop_map(|(prefix, local, children)| GenNode::Elem {
        prefix,
        local,
        redeclare_p: None,
        attr: None,
        children,
    })
}

fn write_tree(n: &GenNode, out: &mut String) {
    match n {
        GenNode::Text(t) => out.push_str(&escape_text(t)),
        GenNode::Elem { prefix, local, redeclare_p, attr, children } => {
            let qname = match prefix {
                0 => local.clone(),
                1 => format!("p:{local}"),
                _ => format!("q:{local}"),
            };
            out.push('<');
            out.push_str(&qname);
            if let Some(ns) = redeclare_p {
                out.push_str(&format!(r#" xmlns:p="urn:p{ns}""#));
            }
            if let Some((ap, value)) = attr {
                let name = match ap {
                    0 => "a",
                    1 => "p:a",
                    _ => "q:a",
                };
                out.push_str(&format!(r#" {name}="{}""#, escape_text(value).replace('"', "&quot;")));
            }
            out.push('>');
            children.iter().for_each(|c| write_tree(c, out));
            out.push_str("</");
            out.push_str(&qname);
            out.push('>');
        }
    }
}
