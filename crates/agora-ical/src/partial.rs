//! Partial retrieval of calendar data (RFC 4791 §9.6.1): only the components and
//! properties a `calendar-data` request names, copied from the stored text line
//! by line (folding and parameters as stored), with `novalue` properties emptied.

use crate::content;

/// A `<C:comp>` selection.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct CompSelect {
    /// Component name (VCALENDAR at the top).
    pub name: String,
    /// `<C:allprop/>`: every property.
    pub allprop: bool,
    /// `<C:prop name=… novalue=…/>`: the properties to keep, and whether their value is dropped.
    pub props: Vec<(String, bool)>,
    /// `<C:allcomp/>`: every sub-component, whole.
    pub allcomp: bool,
    /// `<C:comp>` selections of sub-components.
    pub comps: Vec<CompSelect>,
}

enum Scope<'a> {
    /// Keep as the selection says.
    Select(&'a CompSelect),
    /// Keep everything (inside an allcomp).
    All,
    /// Drop everything.
    Drop,
}

/// Applies a selection to stored iCalendar text. Lines are read by
/// [`crate::content`] (so a folded or lower-case name, or a quoted parameter
/// holding `:`, is seen as the calendar says) and copied as stored, folding
/// kept, with CRLF line ends. A line that cannot be read is kept only where
/// everything is (`allprop`, inside `allcomp`).
pub fn select(text: &str, top: &CompSelect) -> String {
    let mut out = String::with_capacity(text.len());
    let mut stack: Vec<Scope> = Vec::new();
    for logical in content::logical_lines(text) {
        let line = logical.parse().ok();
        let name = line.as_ref().map_or("", |l| l.name.as_str());
        if name == "BEGIN" {
            let comp = line.as_ref().map_or("", |l| l.value.trim());
            let scope = match stack.last() {
                None if comp.eq_ignore_ascii_case(&top.name) => Scope::Select(top),
                None => Scope::Drop,
                Some(Scope::Drop) => Scope::Drop,
                Some(Scope::All) => Scope::All,
                Some(Scope::Select(sel)) if sel.allcomp => Scope::All,
                Some(Scope::Select(sel)) => match sel.comps.iter().find(|c| c.name.eq_ignore_ascii_case(comp)) {
                    Some(child) => Scope::Select(child),
                    None => Scope::Drop,
                },
            };
            if !matches!(scope, Scope::Drop) {
                logical.write_crlf(&mut out);
            }
            stack.push(scope);
            continue;
        }
        if name == "END" {
            if let Some(scope) = stack.pop()
                && !matches!(scope, Scope::Drop)
            {
                logical.write_crlf(&mut out);
            }
            continue;
        }
        match stack.last() {
            Some(Scope::All) => logical.write_crlf(&mut out),
            Some(Scope::Select(sel)) if sel.allprop => logical.write_crlf(&mut out),
            Some(Scope::Select(sel)) => {
                let novalue = sel.props.iter().find(|(p, _)| p.eq_ignore_ascii_case(name)).map(|(_, n)| *n);
                match (novalue, &line) {
                    // Keep name and parameters, drop the value (§9.6.4).
                    // The line as stored, cut after the `:` that starts the value (the
                    // value is a suffix of the unfolded line): re-serialising it would
                    // rewrite parameters (the ical_partial fuzz target found a bare
                    // `;SETFROM` written back as `;TYPE=SETFROM`).
                    (Some(true), Some(l)) => {
                        let unfolded = logical.unfolded();
                        content::fold_into(&unfolded[..unfolded.len() - l.value.len()], &mut out);
                    }
                    (Some(false), _) => logical.write_crlf(&mut out),
                    _ => {}
                }
            }
            _ => {}
        }
    }
    out
}

/// The properties of a card an `address-data` request names (RFC 6352 §10.4.2),
/// copied as stored like [`select`] does for calendars. VERSION and UID are always
/// kept: without VERSION the result is not a vCard a client can read, and UID is
/// how it knows the card again. Item groups (`item1.EMAIL`) match by name.
pub fn select_card(text: &str, names: &[String]) -> String {
    let mut props: Vec<(String, bool)> = vec![("VERSION".into(), false), ("UID".into(), false)];
    props.extend(names.iter().map(|n| (n.clone(), false)));
    select(text, &CompSelect { name: "VCARD".into(), props, ..CompSelect::default() })
}

#[cfg(test)]
mod tests {
    use super::*;

    const TEXT: &str = "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:x\r\nBEGIN:VTIMEZONE\r\nTZID:Europe/Paris\r\nEND:VTIMEZONE\r\n\
        BEGIN:VEVENT\r\nUID:u\r\nSUMMARY:Long\r\n  folded\r\nDESCRIPTION:secret\r\nX-A;X-P=1:kept\r\n\
        BEGIN:VALARM\r\nACTION:DISPLAY\r\nEND:VALARM\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n";

    fn comp(name: &str) -> CompSelect {
        CompSelect { name: name.into(), ..CompSelect::default() }
    }

    #[test]
    fn rfc4791_example_shape() {
        // §7.8.1-like: VCALENDAR with VERSION; VEVENT with UID, SUMMARY (folded) and
        // DESCRIPTION without value; no VTIMEZONE, no VALARM.
        let sel = CompSelect {
            props: vec![("VERSION".into(), false)],
            comps: vec![CompSelect {
                props: vec![("UID".into(), false), ("SUMMARY".into(), false), ("DESCRIPTION".into(), true)],
                ..comp("VEVENT")
            }],
            ..comp("VCALENDAR")
        };
        assert_eq!(
            select(TEXT, &sel),
            "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nBEGIN:VEVENT\r\nUID:u\r\nSUMMARY:Long\r\n  folded\r\nDESCRIPTION:\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n"
        );
    }

    #[test]
    fn allprop_and_allcomp_keep_everything_below() {
        let sel = CompSelect { allprop: true, allcomp: true, ..comp("VCALENDAR") };
        assert_eq!(select(TEXT, &sel), TEXT);
        let events_only = CompSelect {
            allprop: true,
            comps: vec![CompSelect { allprop: true, allcomp: true, ..comp("VEVENT") }],
            ..comp("VCALENDAR")
        };
        let out = select(TEXT, &events_only);
        assert!(!out.contains("VTIMEZONE") && out.contains("BEGIN:VALARM") && out.contains("X-A;X-P=1:kept"), "{out}");
    }

    /// Found by fuzz/fuzz_targets/ical_partial.rs: a `novalue` property was
    /// re-serialised, so a bare parameter (`;SETFROM`) came back as `;TYPE=SETFROM`,
    /// a line the object does not have. It is now the stored line cut after its `:`.
    #[test]
    fn novalue_keeps_the_line_as_stored() {
        let text = "BEGIN:VCALENDAR\r\nBEGIN:VEVENT\r\nUID:u\r\nDTSTART;TZID=Z;SETFROM;X-Q=\"a:b\":20260101T100000\r\n\
                    END:VEVENT\r\nEND:VCALENDAR\r\n";
        let sel = CompSelect {
            comps: vec![CompSelect { props: vec![("DTSTART".into(), true)], ..comp("VEVENT") }],
            ..comp("VCALENDAR")
        };
        assert_eq!(
            select(text, &sel),
            "BEGIN:VCALENDAR\r\nBEGIN:VEVENT\r\nDTSTART;TZID=Z;SETFROM;X-Q=\"a:b\":\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n"
        );
    }

    #[test]
    fn names_and_values_as_the_calendar_means_them() {
        // A folded or lower-case name is still the property; a quoted parameter
        // holding ':' does not end the parameters (the old scanner cut there).
        let text = "\u{feff}BEGIN:VCALENDAR\nBEGIN:VEVENT\nSUMM\n ARY:Folded\nattendee;CN=\"Smith: Bob\":mailto:b@x\n\
                    uid:u\nEND:VEVENT\nEND:VCALENDAR\n";
        let sel = CompSelect {
            comps: vec![CompSelect {
                props: vec![("SUMMARY".into(), false), ("UID".into(), false), ("ATTENDEE".into(), true)],
                ..comp("VEVENT")
            }],
            ..comp("VCALENDAR")
        };
        assert_eq!(
            select(text, &sel),
            "BEGIN:VCALENDAR\r\nBEGIN:VEVENT\r\nSUMM\r\n ARY:Folded\r\nattendee;CN=\"Smith: Bob\":\r\nuid:u\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n"
        );
    }

    #[test]
    fn a_card_keeps_only_what_is_asked_with_its_version_and_uid() {
        let card = "BEGIN:VCARD\r\nVERSION:4.0\r\nUID:u1\r\nFN:Ana\r\nPHOTO:data:image/jpeg;base64,AAAA\r\n\
            item1.EMAIL;TYPE=work:a@x.org\r\nitem1.X-ABLABEL:Pro\r\nTEL:+331\r\nEND:VCARD\r\n";
        let got = select_card(card, &["FN".into(), "EMAIL".into()]);
        assert_eq!(
            got,
            "BEGIN:VCARD\r\nVERSION:4.0\r\nUID:u1\r\nFN:Ana\r\nitem1.EMAIL;TYPE=work:a@x.org\r\nEND:VCARD\r\n"
        );
    }
}
