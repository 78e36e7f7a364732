//! What a reader without write access sees of classified events: `CLASS:PRIVATE`
//! objects only as busy time (free/busy), `CLASS:CONFIDENTIAL` ones as their times
//! without details (a stub). The owner and writers see everything.
//!
//! Both the classification and the stub work on the parsed object (calcard's
//! tree), never on the text: property names are case-insensitive, may carry
//! parameters and may be folded (RFC 5545 §3.1), and a scan of lines for
//! `CLASS:` misses all three.

use calcard::icalendar::{
    ICalendar, ICalendarClassification, ICalendarComponentType, ICalendarProperty, ICalendarValue,
};

use crate::object::CalendarObject;

/// How restricted an object is; ordered from open to closed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Restriction {
    /// PUBLIC or absent.
    Public,
    /// CONFIDENTIAL: times only.
    Confidential,
    /// PRIVATE, or a value this server does not know: busy time only.
    Private,
}

impl Restriction {
    /// The store's code for it (the `class` column).
    pub fn code(self) -> i64 {
        match self {
            Restriction::Public => 0,
            Restriction::Confidential => 1,
            Restriction::Private => 2,
        }
    }
}

/// The restriction of an object: the most restrictive CLASS of any of its
/// components (an override may be PRIVATE in a PUBLIC series). RFC 5545
/// §3.8.1.3: "Applications MUST treat x-name and iana-token values they don't
/// recognize the same way as they would the PRIVATE value."
pub fn restriction(object: &CalendarObject) -> Restriction {
    object
        .comps()
        .map(|c| &object.ical.components[c.id as usize])
        .flat_map(|comp| comp.properties(&ICalendarProperty::Class))
        .map(|entry| match entry.values.first() {
            Some(ICalendarValue::Classification(ICalendarClassification::Public)) | None => Restriction::Public,
            Some(ICalendarValue::Classification(ICalendarClassification::Confidential)) => Restriction::Confidential,
            Some(ICalendarValue::Classification(ICalendarClassification::Private)) => Restriction::Private,
            Some(ICalendarValue::Text(t)) => match t.trim().to_ascii_uppercase().as_str() {
                "PUBLIC" | "" => Restriction::Public,
                "CONFIDENTIAL" => Restriction::Confidential,
                _ => Restriction::Private,
            },
            Some(_) => Restriction::Private,
        })
        .max()
        .unwrap_or(Restriction::Public)
}

/// Properties a time-only stub keeps of an event, task or journal: what
/// free/busy and a calendar grid need.
fn kept(p: &ICalendarProperty) -> bool {
    use ICalendarProperty as P;
    matches!(
        p,
        P::Uid
            | P::Dtstamp
            | P::Dtstart
            | P::Dtend
            | P::Duration
            | P::Due
            | P::Rrule
            | P::Rdate
            | P::Exdate
            | P::RecurrenceId
            | P::Sequence
            | P::Status
            | P::Transp
            | P::Class
            | P::Created
    )
}

/// Properties the stub keeps of the VCALENDAR itself (not its name, description
/// or any x-property, which may say whose calendar this is).
fn kept_on_calendar(p: &ICalendarProperty) -> bool {
    matches!(p, ICalendarProperty::Version | ICalendarProperty::Prodid | ICalendarProperty::Calscale)
}

/// The stub of a calendar object: time zones whole, and of each event, task or
/// journal only its time properties, with SUMMARY "Busy"; alarms and every
/// other component dropped.
pub fn time_only(object: &CalendarObject) -> String {
    let mut ical: ICalendar = object.ical.clone();
    let busy = calcard::icalendar::ICalendarEntry {
        name: ICalendarProperty::Summary,
        params: Vec::new(),
        values: vec![ICalendarValue::Text("Busy".into())],
    };
    let root_children = ical.components[0].component_ids.clone();
    let mut children = Vec::with_capacity(root_children.len());
    for id in root_children {
        let comp = &mut ical.components[id as usize];
        match comp.component_type {
            // Zones are kept whole: the times they define are what the stub shows.
            ICalendarComponentType::VTimezone => children.push(id),
            ICalendarComponentType::VEvent | ICalendarComponentType::VTodo | ICalendarComponentType::VJournal => {
                comp.entries.retain(|e| kept(&e.name));
                comp.entries.push(busy.clone());
                comp.component_ids.clear();
                children.push(id);
            }
            _ => {}
        }
    }
    let root = &mut ical.components[0];
    root.entries.retain(|e| kept_on_calendar(&e.name));
    root.component_ids = children;
    ical.to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    const EVENT: &str = "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:x\r\nX-WR-CALNAME:Alice privé\r\nBEGIN:VTIMEZONE\r\nTZID:Europe/Paris\r\n\
        BEGIN:STANDARD\r\nDTSTART:19701025T030000\r\nTZOFFSETFROM:+0200\r\nTZOFFSETTO:+0100\r\nEND:STANDARD\r\nEND:VTIMEZONE\r\n\
        BEGIN:VEVENT\r\nUID:p\r\nDTSTAMP:20260101T000000Z\r\nDTSTART;TZID=Europe/Paris:20261201T100000\r\nDURATION:PT1H\r\n\
        CLASS:CONFIDENTIAL\r\nSUMMARY:Rendez-vous médical\r\nDESCRIPTION:Dr\\, details\r\nLOCATION:Clinique\r\n\
        ATTENDEE:mailto:x@y.org\r\nX-SECRET:code\r\nBEGIN:VALARM\r\nACTION:DISPLAY\r\nDESCRIPTION:Rappel\r\nTRIGGER:-PT15M\r\nEND:VALARM\r\n\
        END:VEVENT\r\nEND:VCALENDAR\r\n";

    fn parse(text: &str) -> CalendarObject {
        CalendarObject::parse(text.as_bytes()).expect("a valid object")
    }

    fn class_of(text: &str) -> Restriction {
        restriction(&parse(text))
    }

    #[test]
    fn classes_are_read_from_the_parsed_object() {
        assert_eq!(class_of(EVENT), Restriction::Confidential);
        assert_eq!(class_of(&EVENT.replace("CONFIDENTIAL", "PRIVATE")), Restriction::Private);
        assert_eq!(class_of(&EVENT.replace("CLASS:CONFIDENTIAL\r\n", "")), Restriction::Public);
        assert_eq!(class_of(&EVENT.replace("CLASS:CONFIDENTIAL", "CLASS:PUBLIC")), Restriction::Public);
    }

    /// RFC 5545 §3.1: names are case-insensitive, parameters and folding allowed.
    #[test]
    fn every_spelling_of_class_counts() {
        for spelling in [
            "Class:PRIVATE",
            "class:private",
            "CLASS;X-FOO=bar:PRIVATE",
            "CLASS;X-FOO=\"a:b\":Private",
            "CL\r\n ASS:PRIVATE",
            "CLASS:PRI\r\n VATE",
            "CLASS:\r\n\tPRIVATE",
        ] {
            let text = EVENT.replace("CLASS:CONFIDENTIAL", spelling);
            assert_eq!(class_of(&text), Restriction::Private, "{spelling:?}");
        }
        assert_eq!(class_of(&EVENT.replace("CLASS:CONFIDENTIAL", "Class:Confidential")), Restriction::Confidential);
    }

    /// RFC 5545 §3.8.1.3: unknown values are treated as PRIVATE.
    #[test]
    fn unknown_classes_are_private() {
        assert_eq!(class_of(&EVENT.replace("CLASS:CONFIDENTIAL", "CLASS:X-SECRET")), Restriction::Private);
        assert_eq!(class_of(&EVENT.replace("CLASS:CONFIDENTIAL", "CLASS:RESTRICTED")), Restriction::Private);
    }

    #[test]
    fn the_most_restrictive_component_wins() {
        let series = "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:x\r\nBEGIN:VEVENT\r\nUID:s\r\nDTSTAMP:20260101T000000Z\r\n\
            DTSTART:20261201T100000Z\r\nRRULE:FREQ=DAILY;COUNT=3\r\nSUMMARY:Stand-up\r\nEND:VEVENT\r\n\
            BEGIN:VEVENT\r\nUID:s\r\nDTSTAMP:20260101T000000Z\r\nRECURRENCE-ID:20261202T100000Z\r\n\
            DTSTART:20261202T110000Z\r\nclass:private\r\nSUMMARY:Moved\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n";
        assert_eq!(class_of(series), Restriction::Private);
    }

    #[test]
    fn stubs_keep_times_and_zones_only() {
        let stub = time_only(&parse(EVENT));
        for kept in
            ["TZOFFSETTO:+0100", "DTSTART;TZID=Europe/Paris:20261201T100000", "DURATION:PT1H", "UID:p", "SUMMARY:Busy"]
        {
            assert!(stub.contains(kept), "{kept} missing: {stub}");
        }
        for gone in ["médical", "Clinique", "details", "ATTENDEE", "VALARM", "Rappel", "X-SECRET", "Alice"] {
            assert!(!stub.contains(gone), "{gone} leaked: {stub}");
        }
        let parsed = crate::parse_calendar(stub.as_bytes(), &crate::TzSpec::utc()).expect("the stub is a valid object");
        assert_eq!(parsed.uid, "p");
    }

    #[test]
    fn stubs_drop_folded_and_oddly_spelled_details() {
        let text = EVENT.replace("LOCATION:Clinique", "location;ALTREP=\"cid:x\":Clin\r\n ique");
        let stub = time_only(&parse(&text));
        assert!(!stub.to_ascii_lowercase().contains("clin"), "{stub}");
    }
}
