//! What describing an iTIP message to a person needs from it: the METHOD and the
//! properties of its main component, read with agora-ical's content-line reader
//! (the one reader of iCalendar text in Agora). This is not a validator; anything
//! it does not understand is skipped.

use agora_ical::content::{self, Line};

/// One property line (RFC 5545 §3.1) as [`agora_ical::content`] reads it.
pub(crate) type Property = Line;

/// What the description needs from an iTIP object.
#[derive(Debug, Default, Clone)]
pub(crate) struct Calendar {
    /// The METHOD property of the VCALENDAR, upper-cased.
    pub method: Option<String>,
    /// The properties of the main component: the first VEVENT/VTODO/VJOURNAL/
    /// VFREEBUSY without RECURRENCE-ID, or else the first one. Properties of nested
    /// components (VALARM) are not included.
    pub props: Vec<Property>,
}

impl Calendar {
    /// Reads `text`; never fails, an unreadable object gives an empty `Calendar`.
    pub fn read(text: &str) -> Calendar {
        let Some(root) = content::parse(text) else { return Calendar::default() };
        let method = root.props("METHOD").next().map(|m| m.value.trim().to_ascii_uppercase());
        if root.name != "VCALENDAR" {
            return Calendar { method, props: Vec::new() };
        }
        let mut components: Vec<_> = root.children.into_iter().filter(|c| is_main_kind(&c.name)).collect();
        let main = components
            .iter()
            .position(|c| c.props("RECURRENCE-ID").next().is_none())
            .or((!components.is_empty()).then_some(0));
        Calendar { method, props: main.map(|i| components.swap_remove(i).lines).unwrap_or_default() }
    }

    /// The first property called `name`.
    pub fn prop(&self, name: &str) -> Option<&Property> {
        self.props.iter().find(|p| p.name == name)
    }

    /// Every property called `name`.
    pub fn props<'a>(&'a self, name: &'a str) -> impl Iterator<Item = &'a Property> + 'a {
        self.props.iter().filter(move |p| p.name == name)
    }

    /// A TEXT property's unescaped, trimmed value, when not empty.
    pub fn text(&self, name: &str) -> Option<String> {
        self.prop(name).map(Property::text).map(|t| t.trim().to_string()).filter(|t| !t.is_empty())
    }
}

fn is_main_kind(kind: &str) -> bool {
    matches!(kind, "VEVENT" | "VTODO" | "VJOURNAL" | "VFREEBUSY")
}

/// A CAL-ADDRESS without its `mailto:` scheme (compared case-insensitively).
pub(crate) fn strip_mailto(value: &str) -> &str {
    let value = value.trim();
    match value.get(..7) {
        Some(scheme) if scheme.eq_ignore_ascii_case("mailto:") => &value[7..],
        _ => value,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const SAMPLE: &str = "BEGIN:VCALENDAR\r\nMETHOD:request\r\nBEGIN:VTIMEZONE\r\nTZID:X\r\nEND:VTIMEZONE\r\n\
BEGIN:VEVENT\r\nUID:1\r\nRECURRENCE-ID:20260310T100000Z\r\nSUMMARY:Moved\r\nEND:VEVENT\r\n\
BEGIN:VEVENT\r\nUID:1\r\nSUMMARY:Team\r\n  meeting\\, weekly\r\n\
ATTENDEE;CN=\"Smith; Bob\";PARTSTAT=ACCEPTED:mailto:bob@example.com\r\n\
BEGIN:VALARM\r\nSUMMARY:alarm\r\nEND:VALARM\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n";

    #[test]
    fn reads_the_master_component_and_unfolds() {
        let cal = Calendar::read(SAMPLE);
        assert_eq!(cal.method.as_deref(), Some("REQUEST"));
        assert_eq!(cal.text("SUMMARY").as_deref(), Some("Team meeting, weekly"));
        let att = cal.prop("ATTENDEE").unwrap();
        assert_eq!(att.param("CN"), Some("Smith; Bob"));
        assert_eq!(att.param("PARTSTAT"), Some("ACCEPTED"));
        assert_eq!(strip_mailto(&att.value), "bob@example.com");
        assert_eq!(cal.props("SUMMARY").count(), 1, "the VALARM's SUMMARY is not the event's");
    }

    #[test]
    fn garbage_gives_an_empty_calendar() {
        let cal = Calendar::read("\u{0};;;:\n:\n\tBEGIN\nEND:VCALENDAR\nBEGIN:;x\n");
        assert!(cal.method.is_none());
        assert!(cal.props.is_empty());
        assert!(content::parse_line("NAME;P=\"unterminated:value").is_err());
    }

    #[test]
    fn reads_what_the_calendar_means_not_how_it_is_spelled() {
        // Lower-case names, a folded name, a quoted parameter holding ':' and RFC 6868
        // escapes: the shared reader sees the same properties as calcard.
        let cal = Calendar::read(
            "\u{feff}begin:vcalendar\nmethod:reply\nbegin:vevent\nsumm\n ary:Hi\n\
             attendee;cn=\"Bob: the ^'boss^'\";partstat=declined:MAILTO:b@x\nend:vevent\nend:vcalendar\n",
        );
        assert_eq!(cal.method.as_deref(), Some("REPLY"));
        assert_eq!(cal.text("SUMMARY").as_deref(), Some("Hi"));
        let att = cal.prop("ATTENDEE").unwrap();
        assert_eq!((att.param("CN"), att.param("PARTSTAT")), (Some("Bob: the \"boss\""), Some("declined")));
        assert_eq!(strip_mailto(&att.value), "b@x");
    }
}
