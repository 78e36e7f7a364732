//! The content-line reader: the cases where the old per-module readers disagreed.

use super::*;

#[test]
fn tree_with_folding_groups_and_quoted_params() {
    let text = "BEGIN:VCALENDAR\r\nBEGIN:VEVENT\r\nSUMMARY:Long\r\n  summary\r\n\
                ATTENDEE;CN=\"Dupont, Jean\";ROLE=REQ-PARTICIPANT:mailto:j@x.org\r\n\
                BEGIN:VALARM\r\nACTION:DISPLAY\r\nEND:VALARM\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n";
    let root = parse(text).unwrap();
    let ev = root.comps("VEVENT").next().unwrap();
    assert_eq!(ev.props("summary").next().unwrap().value, "Long summary");
    let att = ev.props("ATTENDEE").next().unwrap();
    assert_eq!(att.params[0], ("CN".to_string(), vec!["Dupont, Jean".to_string()]));
    assert_eq!(att.value, "mailto:j@x.org");
    assert_eq!(ev.comps("VALARM").count(), 1);
    let card = parse("BEGIN:VCARD\nitem1.EMAIL;TYPE=work,pref:a@b.c\nEND:VCARD\n").unwrap();
    let email = card.props("EMAIL").next().unwrap();
    assert_eq!(email.params[0].1, ["work", "pref"]);
    assert_eq!(unescape("a\\, b\\;c\\nd"), "a, b;c\nd");
}

#[test]
fn serialize_quotes_and_folds_at_char_boundaries() {
    let long = "é".repeat(60);
    let text = format!(
        "BEGIN:VCALENDAR\r\nBEGIN:VEVENT\r\nATTENDEE;CN=\"Dupont, Jean\";ROLE=CHAIR:mailto:j@x.org\r\n\
         SUMMARY:{long}\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n"
    );
    let root = parse(&text).unwrap();
    let out = serialize(&root);
    assert!(out.contains("ATTENDEE;CN=\"Dupont, Jean\";ROLE=CHAIR:mailto:j@x.org\r\n"));
    assert!(out.split("\r\n").all(|l| l.len() <= 75), "{out}");
    assert_eq!(parse(&out), Some(root));
}

#[test]
fn bom_bare_lf_tabs_and_empty_lines() {
    let text = "\u{feff}BEGIN:VCALENDAR\nX-A:one\n\ttwo\n\nX-B:b\r\n\r\nEND:VCALENDAR";
    let lines: Vec<Logical> = logical_lines(text).collect();
    assert_eq!(lines.iter().map(|l| l.number).collect::<Vec<_>>(), [1, 2, 5, 7]);
    assert_eq!(lines[1].unfolded(), "X-A:onetwo");
    assert_eq!(lines[1].raw, "X-A:one\n\ttwo\n");
    let mut copy = String::new();
    lines[1].write_crlf(&mut copy);
    assert_eq!(copy, "X-A:one\r\n\ttwo\r\n", "copied as stored, line ends made CRLF");
    let root = parse(text).unwrap();
    assert_eq!(root.name, "VCALENDAR");
    assert_eq!(root.props("X-B").next().unwrap().value, "b");
}

#[test]
fn folded_names_and_parameters() {
    // A fold may fall anywhere, also inside a name or a quoted parameter value.
    let root = parse("BEGIN:VEVENT\r\nSUMM\r\n ARY;LANG\r\n UAGE=fr:Réunion\r\nATTENDEE;CN=\"Du\r\n pont\":mailto:d@x\r\nEND:VEVENT\r\n")
        .unwrap();
    let summary = root.props("SUMMARY").next().unwrap();
    assert_eq!((summary.param("language"), summary.value.as_str()), (Some("fr"), "Réunion"));
    assert_eq!(root.props("ATTENDEE").next().unwrap().param("CN"), Some("Dupont"));
}

#[test]
fn lowercase_names_are_upper_cased() {
    let root = parse("begin:vevent\r\nsummary;x-p=v:Hello\r\nend:vevent\r\n").unwrap();
    assert_eq!(root.name, "VEVENT");
    let line = &root.lines[0];
    assert_eq!((line.name.as_str(), line.params[0].0.as_str(), line.value.as_str()), ("SUMMARY", "X-P", "Hello"));
}

#[test]
fn quoted_parameter_values_hold_colons_semicolons_and_commas() {
    // Readers that cut at the first ':' took `mailto` for the value here.
    let line = parse_line("ATTENDEE;CN=\"Smith: Bob; Jr, III\";DELEGATED-TO=\"mailto:a@x\",\"mailto:b@x\":mailto:s@x")
        .unwrap();
    assert_eq!(line.param("CN"), Some("Smith: Bob; Jr, III"));
    assert_eq!(line.param_values("delegated-to").unwrap(), ["mailto:a@x", "mailto:b@x"]);
    assert_eq!(line.value, "mailto:s@x");
}

#[test]
fn vcard_groups_rfc6868_bare_and_repeated_parameters() {
    let line = parse_line("item1.TEL;TYPE=work;type=voice;CELL:+331").unwrap();
    assert_eq!(line.group.as_deref(), Some("item1"));
    assert_eq!(line.name, "TEL");
    assert_eq!(line.param_values("TYPE").unwrap(), ["work", "voice", "CELL"]);
    let line = parse_line("X-A;X-P=a^'b^'^nc^^d^x:v").unwrap();
    assert_eq!(line.param("X-P"), Some("a\"b\"\nc^d^x"));
    // Written back: caret-encoded, and parsed again to the same line.
    let text = line_text(&line);
    assert_eq!(text, "X-A;X-P=a^'b^'^nc^^d^^x:v");
    assert_eq!(parse_line(&text).unwrap(), line);
    let empty = parse_line("X-E;X-P=:").unwrap();
    assert_eq!((empty.param("X-P"), empty.value.as_str()), (Some(""), ""));
}

#[test]
fn malformed_lines_are_typed_errors() {
    for (line, err) in [
        ("FN A", LineError::NoColon),
        ("X-A;P=1", LineError::NoColon),
        ("X A:1", LineError::BadName),
        (":1", LineError::BadName),
        ("a..b:1", LineError::BadName),
        ("X;P Q=1:1", LineError::BadParamName),
        ("X;P", LineError::UnterminatedParam),
        ("X;P=\"open:1", LineError::UnterminatedQuote),
        ("X;P=\"a\"b:1", LineError::AfterQuote),
    ] {
        assert_eq!(parse_line(line), Err(err), "{line}");
    }
}

/// Found by fuzz/fuzz_targets/vcard.rs: the lenient reader joins a continuation
/// to its line across empty lines, calcard does not; strict reading refuses it.
#[test]
fn empty_line_before_a_continuation_is_refused_strictly() {
    let card = "BEGIN:VCARD\r\nEMAIL:a@x\r\n\r\n\tb\r\nEND:VCARD\r\n";
    assert_eq!(parse(card).unwrap().lines[0].value, "a@xb");
    let err = parse_all(card).unwrap_err();
    assert_eq!((err.line, err.kind), (2, ContentErrorKind::EmptyLineInFold));
    assert!(parse_all("BEGIN:VCARD\r\nEMAIL:a@x\r\n b\r\n\r\nEND:VCARD\r\n").is_ok());
}

/// Found by fuzz/fuzz_targets/vcard.rs (see `parse_line_strict`).
#[test]
fn quote_inside_an_unquoted_parameter_value_is_refused_strictly() {
    let line = "TEL;X-P=PE\"a,b\":tel:1";
    assert_eq!(parse_line(line).unwrap().param_values("X-P").unwrap(), ["PE\"a", "b\""]);
    assert_eq!(parse_line_strict(line), Err(LineError::QuoteInValue));
    assert!(parse_line_strict("TEL;X-P=\"a,b\";Y=c:tel:1").is_ok());
    let card = format!("BEGIN:VCARD\r\n{line}\r\nEND:VCARD\r\n");
    assert_eq!(parse_all(&card).unwrap_err().kind, ContentErrorKind::Line(LineError::QuoteInValue));
}

#[test]
fn lenient_tree_skips_what_strict_refuses() {
    let text = "X-BEFORE:1\r\nBEGIN:VCALENDAR\r\nX BAD:1\r\nBEGIN:VEVENT\r\nUID:u\r\nEND:VTODO\r\nEND:VCALENDAR\r\n";
    let root = parse(text).unwrap();
    assert_eq!((root.name.as_str(), root.lines.len(), root.children[0].lines[0].value.as_str()), ("VCALENDAR", 0, "u"));
    let e = parse_all(text).unwrap_err();
    assert_eq!((e.line, &e.kind), (1, &ContentErrorKind::PropertyOutside));
    let e = parse_all(&text[12..]).unwrap_err();
    assert_eq!(e.to_string(), "line 2: bad property name");
    let e = parse_all("BEGIN:A\r\nEND:B\r\n").unwrap_err();
    assert_eq!(e.to_string(), "line 2: END:B closes A");
    assert_eq!(parse_all("BEGIN:A\r\nBEGIN:B\r\n").unwrap_err().to_string(), "B is not closed");
    assert_eq!(parse_all("").unwrap_err().kind, ContentErrorKind::NoComponent);
    assert_eq!(parse("BEGIN:A\r\n"), None);
    let two = parse_all("BEGIN:VCARD\nFN:a\nEND:VCARD\nBEGIN:VCARD\nFN:b\nEND:VCARD\n").unwrap();
    assert_eq!(two.len(), 2);
    // The lenient reader stops at the first top-level component.
    assert_eq!(parse("BEGIN:VCARD\nFN:a\nEND:VCARD\nBEGIN:VCARD\nFN:b\nEND:VCARD\n").unwrap().lines[0].value, "a");
}

#[test]
fn writer_quotes_groups_and_round_trips() {
    let mut line = Line::new("X-A", vec![("X-P".into(), vec![" lead".into(), "a\"b".into(), "c,d".into()])], "v");
    line.group = Some("g1".into());
    assert_eq!(line_text(&line), "g1.X-A;X-P=\" lead\",a^'b,\"c,d\":v");
    assert_eq!(parse_line(&line_text(&line)).unwrap(), line);
}

/// Parameter values with everything that needs quoting or caret encoding; values
/// without line breaks (TEXT carries them escaped).
const PARAM: &str = r#"[a-zA-Z0-9 ,;:\n"^'.\téü日本😀]{0,40}"#;
const VALUE: &str = r#"[a-zA-Z0-9 ,;:\\"^'.\téü日本😀]{0,160}"#;

proptest::proptest! {
    #[test]
    fn written_lines_read_back_the_same(
        group in proptest::option::of("[a-z0-9-]{1,8}"),
        name in "[A-Z][A-Z0-9-]{0,12}",
        params in proptest::collection::vec(("X-[A-Z]{1,6}", proptest::collection::vec(PARAM, 1..3)), 0..3),
        value in VALUE,
    ) {
        // Parameter names once each (a repeated one is merged on reading).
        let mut params = params;
        params.sort_by(|a, b| a.0.cmp(&b.0));
        params.dedup_by(|a, b| a.0 == b.0);
        let line = Line { group, name, params, value };
        let mut text = String::new();
        write_line(&line, &mut text);
        let logical: Vec<Logical> = logical_lines(&text).collect();
        proptest::prop_assert_eq!(logical.len(), 1);
        proptest::prop_assert!(text.split("\r\n").all(|l| l.len() <= 75), "{:?}", text);
        proptest::prop_assert_eq!(logical[0].parse().unwrap(), line);
    }
}
