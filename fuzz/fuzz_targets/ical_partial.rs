//! Fuzzes partial retrieval (`agora_ical::partial::select`, RFC 4791 §9.6): the
//! first input byte chooses the selection. Selecting everything gives an object
//! the server accepted back whole (with CRLF line ends, empty lines left out); any selection keeps the order and never invents a line
//! (every kept line is an input line, or one cut by `novalue`).
#![no_main]

use agora_ical::partial::{CompSelect, select};
use libfuzzer_sys::fuzz_target;

fn selection(choice: u8) -> CompSelect {
    let prop = |name: &str, novalue: bool| (name.to_owned(), novalue);
    let event = CompSelect {
        name: "VEVENT".into(),
        allprop: choice & 2 != 0,
        props: vec![prop("SUMMARY", choice & 4 != 0), prop("UID", false), prop("DTSTART", choice & 8 != 0)],
        allcomp: choice & 16 != 0,
        comps: vec![CompSelect { name: "VALARM".into(), allprop: true, ..CompSelect::default() }],
    };
    CompSelect {
        name: "VCALENDAR".into(),
        allprop: choice & 32 != 0,
        props: vec![prop("VERSION", false)],
        allcomp: choice & 64 != 0,
        comps: vec![
            event,
            CompSelect { name: "VTIMEZONE".into(), allprop: true, allcomp: true, ..CompSelect::default() },
        ],
    }
}

/// The text as partial retrieval copies lines: each CRLF-ended (RFC 5545 §3.1;
/// clients also send bare LFs), empty lines left out.
fn as_copied(text: &str) -> String {
    text.split('\n')
        .map(|l| l.strip_suffix('\r').unwrap_or(l))
        .filter(|l| !l.is_empty())
        .map(|l| format!("{l}\r\n"))
        .collect()
}

/// Every line of `picked` is, in order, a line of `text`, or a line of `text`
/// cut after its colon (a `novalue` property). Lines are compared as the content
/// reader copies them: CRLF-ended, empty lines left out (even between a line and
/// its continuation, which the reader joins).
fn assert_from(text: &str, picked: &str) {
    let text = as_copied(text);
    let text = text.as_str();
    let unfolded = agora_fuzz::unfolded(text);
    let mut rest = text;
    // Lines are compared as logical lines: a `novalue` line is written folded
    // at 75 octets, where the input may have been folded elsewhere.
    for logical in agora_ical::content::logical_lines(picked) {
        if let Some(at) = rest.find(logical.raw) {
            rest = &rest[at + logical.raw.len()..];
        } else {
            let head = logical.unfolded();
            assert!(unfolded.contains(head.as_ref()), "line {head:?} is not from the input");
        }
    }
}

fuzz_target!(|data: &[u8]| {
    let Some((&choice, rest)) = data.split_first() else { return };
    let Ok(text) = std::str::from_utf8(rest) else { return };
    let everything = CompSelect { name: "VCALENDAR".into(), allprop: true, allcomp: true, ..CompSelect::default() };
    let whole = select(text, &everything);
    assert_from(text, &whole);
    // Only for text the server stores: an object it accepted (so BEGIN and END pair up).
    if text.starts_with("BEGIN:VCALENDAR\r\n")
        && text.ends_with("END:VCALENDAR\r\n")
        && text.matches("BEGIN:VCALENDAR").count() == 1
        && agora_ical::CalendarObject::parse(rest).is_ok()
    {
        assert_eq!(whole, as_copied(text), "allprop and allcomp must give the text back");
    }
    assert_from(text, &select(text, &selection(choice)));
});
