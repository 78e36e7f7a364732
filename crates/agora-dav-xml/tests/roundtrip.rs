//! Dead properties survive PROPPATCH → storage → PROPFIND with the same
//! infoset: checked against an independent quick-xml reading of the request.

mod common;

use agora_dav_xml::*;
use common::{INode, infoset};

/// The property elements of every `<D:set><D:prop>` of a request, per the
/// independent reader.
fn original_set_props(body: &str) -> Vec<INode> {
    let doc = infoset(body.as_bytes());
    let mut out = Vec::new();
    for set in doc.elems().into_iter().filter(|e| e.name() == ("DAV:", "set")) {
        for prop in set.elems() {
            out.extend(prop.elems().into_iter().cloned());
        }
    }
    out
}

/// Writes the properties with `Content::Verbatim` into a multistatus and
/// returns the `<D:prop>` children read back.
fn written_back(props: &[DeadProperty]) -> Vec<INode> {
    let mut w = MultistatusWriter::begin(Vec::new()).unwrap();
    let values = props.iter().map(|p| PropValue::new(p.name.clone(), Content::Verbatim(p.xml.clone()))).collect();
    w.response("/cal/", &[PropStat { status: 200, props: values }]).unwrap();
    let body = w.finish().unwrap();
    let doc = infoset(&body);
    doc.find("DAV:", "prop").elems().into_iter().cloned().collect()
}

fn assert_round_trip(body: &str) -> Vec<DeadProperty> {
    let ops = parse_proppatch(body.as_bytes(), &Limits::default()).unwrap();
    let props: Vec<DeadProperty> = ops
        .into_iter()
        .filter_map(|op| match op {
            PropOp::Set(p) => Some(p),
            PropOp::Remove(_) => None,
        })
        .collect();
    let original = original_set_props(body);
    assert_eq!(props.len(), original.len());
    for (p, o) in props.iter().zip(&original) {
        // Each fragment is self-contained (the reader panics on an unbound prefix)
        // and has the infoset of the original element.
        assert_eq!(&infoset(p.xml.as_bytes()), o, "fragment {}", p.xml);
        assert_eq!((p.name.ns.as_str(), p.name.local.as_str()), o.name());
    }
    assert_eq!(written_back(&props), original);
    props
}

#[test]
fn nested_elements_attributes_entities_cdata_non_ascii() {
    let body = r#"<?xml version="1.0" encoding="utf-8"?>
<D:propertyupdate xmlns:D="DAV:" xmlns:x="http://example.com/x" xmlns:y="http://example.com/y">
  <D:set>
    <D:prop>
      <x:nested a="1" y:b="2&amp;3 &quot;q&quot; 'a'"><x:child><y:leaf>text</y:leaf></x:child>tail</x:nested>
      <foo xmlns="http://example.com/default"><bar baz="q">ü &amp; &lt;tag&gt; &#x1F600; 日本</bar></foo>
      <x:cdata><![CDATA[<not> & markup]]> and text</x:cdata>
      <x:empty/>
      <x:ws>  </x:ws>
    </D:prop>
  </D:set>
</D:propertyupdate>"#;
    let props = assert_round_trip(body);
    assert_eq!(props.len(), 5);
    assert_eq!(props[1].name, PropName::new("http://example.com/default", "foo"));
    assert_eq!(props[1].text(), "ü & <tag> 😀 日本");
    assert_eq!(props[2].text(), "<not> & markup and text");
    assert!(props[3].is_empty() && props[4].is_empty());
    assert!(!props[0].is_empty() && !props[1].is_empty());
    assert_eq!(props[0].child_names(), [PropName::new("http://example.com/x", "child")]);
    // Both prefixes come from <D:propertyupdate> and are declared on the fragment root.
    assert!(
        props[0].xml.starts_with(r#"<x:nested xmlns:x="http://example.com/x" xmlns:y="http://example.com/y" a="1""#)
    );
    let el = props[0].element().unwrap();
    assert_eq!(el.attrs[1], (PropName::new("http://example.com/y", "b"), "2&3 \"q\" 'a'".to_owned()));
}

#[test]
fn inherited_default_namespace() {
    // <b/> is in DAV: through the default namespace of the root element.
    let body = r#"<propertyupdate xmlns="DAV:" xmlns:z="urn:z"><set><prop><displayname>n</displayname><z:a><b/><z:c/></z:a></prop></set></propertyupdate>"#;
    let props = assert_round_trip(body);
    assert_eq!(props[0].xml, r#"<displayname xmlns="DAV:">n</displayname>"#);
    assert_eq!(props[1].child_names(), [PropName::dav("b"), PropName::new("urn:z", "c")]);
}

#[test]
fn redeclared_and_undeclared_namespaces() {
    let body = r#"<D:propertyupdate xmlns:D="DAV:" xmlns:x="urn:outer" xmlns="urn:default">
  <D:set><D:prop>
    <x:a><x:b xmlns:x="urn:inner"><x:c/></x:b><x:d/><e xmlns=""><f/></e><g/></x:a>
    <plain xmlns="">v</plain>
  </D:prop></D:set>
</D:propertyupdate>"#;
    let props = assert_round_trip(body);
    let a = props[0].element().unwrap();
    let names: Vec<String> = a.elements().map(|e| e.name.to_string()).collect();
    assert_eq!(names, ["{urn:inner}b", "{urn:outer}d", "e", "{urn:default}g"]);
    assert_eq!(props[1].name, PropName::new("", "plain"));
}

#[test]
fn apple_calendar_color_round_trip() {
    let body = String::from_utf8(common::fixture("apple_proppatch_color.xml")).unwrap();
    let props = assert_round_trip(&body);
    assert_eq!(props[0].element().unwrap().attr("symbolic-color"), Some("red"));
}

#[test]
fn text_property_constructor() {
    let p = DeadProperty::with_text(PropName::dav("displayname"), "a < b & \"c\"");
    assert_eq!(p.xml, r#"<X:displayname xmlns:X="DAV:">a &lt; b &amp; "c"</X:displayname>"#);
    assert_eq!(p.text(), "a < b & \"c\"");
    let e = DeadProperty::with_text(PropName::new("", "x"), "");
    assert!(e.is_empty());
    assert_eq!(e.element().unwrap().name, PropName::new("", "x"));
}
