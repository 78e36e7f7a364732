//! [`CalendarObject`]: parsing and validating a calendar object resource
//! (RFC 4791 §4.1) and what the server indexes about it.

use std::collections::{HashMap, HashSet};

use calcard::icalendar::{
    ICalendar, ICalendarClassification, ICalendarComponentType, ICalendarProperty, ICalendarValue,
};
use calcard::{Entry, Parser};

use crate::component::Comp;
use crate::model::{CalendarInfo, Class, ComponentKind, IcalError};
use crate::zone::TzSpec;

/// A parsed and validated calendar object resource: one master and/or overrides sharing a UID.
#[derive(Debug, Clone)]
pub struct CalendarObject {
    pub(crate) ical: ICalendar,
    pub(crate) kind: ComponentKind,
    pub(crate) uid: String,
    pub(crate) master: Option<Comp>,
    pub(crate) overrides: Vec<Comp>,
    zones: crate::resolver::ZoneTable,
}

fn kind_of(t: &ICalendarComponentType) -> Option<ComponentKind> {
    Some(match t {
        ICalendarComponentType::VEvent => ComponentKind::Event,
        ICalendarComponentType::VTodo => ComponentKind::Todo,
        ICalendarComponentType::VJournal => ComponentKind::Journal,
        ICalendarComponentType::VFreebusy => ComponentKind::FreeBusy,
        ICalendarComponentType::VAvailability => ComponentKind::Availability,
        _ => return None,
    })
}

impl CalendarObject {
    /// Parses and validates; see [`crate::parse_calendar`] for the rules.
    pub fn parse(bytes: &[u8]) -> Result<CalendarObject, IcalError> {
        let text = std::str::from_utf8(bytes).map_err(|_| IcalError::Invalid("not UTF-8".into()))?;
        // A byte-order mark is not content: objects stored with one (before
        // `crate::intake` removed it on the way in) read the same on every path.
        let text = text.strip_prefix(crate::content::BOM).unwrap_or(text);
        // calcard is lenient where RFC 5545 §3.1 is not: it takes a line without
        // `:` (`EXDATE;`), a name like `UID,` and missing or mismatched END lines,
        // and then writes text no reader accepts. Every other reader of stored
        // objects (query filters, iTIP, partial retrieval, jCal) is `content`, so
        // what it refuses strictly is refused here, with its line number.
        crate::content::parse_all(text).map_err(|e| IcalError::Invalid(e.to_string()))?;
        let mut parser = Parser::new(text);
        let ical = match parser.entry() {
            Entry::ICalendar(ical) => ical,
            other => return Err(IcalError::Invalid(format!("not an iCalendar object: {other:?}"))),
        };
        match parser.entry() {
            Entry::Eof => {}
            Entry::ICalendar(_) => return Err(IcalError::NotAnObjectResource("more than one VCALENDAR".into())),
            other => return Err(IcalError::Invalid(format!("trailing data: {other:?}"))),
        }
        if ical.components.first().map(|c| &c.component_type) != Some(&ICalendarComponentType::VCalendar) {
            return Err(IcalError::Invalid("no VCALENDAR".into()));
        }
        let has_method = ical.components[0].has_property(&ICalendarProperty::Method);
        let mut kind = None;
        let mut ids = Vec::new();
        for &cid in &ical.components[0].component_ids {
            let t = &ical.components[cid as usize].component_type;
            if *t == ICalendarComponentType::VTimezone {
                continue;
            }
            let k = kind_of(t).ok_or_else(|| IcalError::UnsupportedComponent(t.as_str().to_string()))?;
            if kind.is_some_and(|prev| prev != k) {
                return Err(IcalError::NotAnObjectResource("components of different types".into()));
            }
            kind = Some(k);
            ids.push(cid);
        }
        let kind =
            kind.ok_or_else(|| IcalError::UnsupportedComponent("no VEVENT, VTODO, VJOURNAL or VFREEBUSY".into()))?;
        let mut uid: Option<String> = None;
        let (mut master, mut overrides) = (None, Vec::new());
        let mut rids = HashSet::new();
        for cid in ids {
            let c = &ical.components[cid as usize];
            let this_uid = c.uid().ok_or_else(|| IcalError::NotAnObjectResource("component without UID".into()))?;
            match &uid {
                Some(u) if u != this_uid => {
                    return Err(IcalError::NotAnObjectResource("components with different UIDs".into()));
                }
                _ => uid = Some(this_uid.to_string()),
            }
            let comp = Comp::read(&ical, cid).map_err(IcalError::Invalid)?;
            check_component(kind, &comp, has_method)?;
            match &comp.recurrence_id {
                None if master.is_some() => {
                    return Err(IcalError::NotAnObjectResource("more than one component without RECURRENCE-ID".into()));
                }
                None => master = Some(comp),
                Some(rid) => {
                    if !rids.insert(format!("{rid:?}")) {
                        return Err(IcalError::NotAnObjectResource("duplicate RECURRENCE-ID".into()));
                    }
                    overrides.push(comp);
                }
            }
        }
        let zones = crate::resolver::build_zone_table(&ical)?;
        Ok(CalendarObject { ical, kind, uid: uid.unwrap_or_default(), master, overrides, zones })
    }

    /// The component type.
    pub fn kind(&self) -> ComponentKind {
        self.kind
    }

    /// The UID.
    pub fn uid(&self) -> &str {
        &self.uid
    }

    /// The SUMMARY of the master (or first override), what a person knows the
    /// object by (a trash listing, an audit line).
    pub fn summary(&self) -> Option<String> {
        let main = self.master.as_ref().or(self.overrides.first()).map(|c| &self.ical.components[c.id as usize])?;
        main.property(&ICalendarProperty::Summary)
            .and_then(|e| e.values.first())
            .and_then(|v| v.as_text())
            .map(str::to_owned)
    }

    /// The calcard tree (for serialisation or further inspection).
    pub fn ical(&self) -> &ICalendar {
        &self.ical
    }

    pub(crate) fn zones(&self) -> &HashMap<String, TzSpec> {
        &self.zones.zones
    }

    /// TZIDs used by a property that neither a VTIMEZONE of the object nor a
    /// known name defines (read in the default zone; see [`crate::TzResolver`]).
    pub fn unresolved_tzids(&self) -> &[String] {
        &self.zones.unresolved
    }

    /// Master first, then overrides.
    pub(crate) fn comps(&self) -> impl Iterator<Item = &Comp> {
        self.master.iter().chain(self.overrides.iter())
    }

    /// The indexable summary, with spans evaluated in `floating` (see [`crate::TzResolver`]).
    pub fn info(&self, floating: &TzSpec) -> CalendarInfo {
        let main = self.master.as_ref().or(self.overrides.first()).map(|c| &self.ical.components[c.id as usize]);
        let first = |p: &ICalendarProperty| main.and_then(|c| c.property(p)).and_then(|e| e.values.first());
        let class = match first(&ICalendarProperty::Class) {
            Some(ICalendarValue::Classification(ICalendarClassification::Private)) => Class::Private,
            Some(ICalendarValue::Classification(ICalendarClassification::Confidential)) => Class::Confidential,
            Some(ICalendarValue::Text(t)) => Class::Other(t.clone()),
            _ => Class::Public,
        };
        let seq_of = |c: &Comp| {
            self.ical.components[c.id as usize]
                .property(&ICalendarProperty::Sequence)
                .and_then(|e| e.values.first())
                .and_then(|v| v.as_integer())
                .unwrap_or(0)
        };
        let sequence = match &self.master {
            Some(m) => seq_of(m),
            None => self.overrides.iter().map(seq_of).max().unwrap_or(0),
        };
        let mut attendees: Vec<String> = Vec::new();
        let mut organizer = None;
        for c in self.comps() {
            let comp = &self.ical.components[c.id as usize];
            for e in comp.properties(&ICalendarProperty::Attendee) {
                if let Some(a) = e.values.first().and_then(|v| v.as_text())
                    && !attendees.iter().any(|x| x.eq_ignore_ascii_case(a))
                {
                    attendees.push(a.to_string());
                }
            }
            if organizer.is_none() {
                organizer = comp
                    .property(&ICalendarProperty::Organizer)
                    .and_then(|e| e.values.first())
                    .and_then(|v| v.as_text());
            }
        }
        CalendarInfo {
            uid: self.uid.clone(),
            kind: self.kind,
            span: crate::query::object_span(self, floating),
            has_floating: self.comps().any(|c| c.dates().any(|d| d.is_floating())),
            is_recurring: self.master.as_ref().is_some_and(Comp::is_recurring) || !self.overrides.is_empty(),
            class,
            has_alarms: self.comps().any(|c| !c.alarms.is_empty()),
            is_scheduling_object: organizer.is_some(),
            organizer: organizer.map(str::to_string),
            attendees,
            sequence,
            method: first_root_text(&self.ical, &ICalendarProperty::Method),
        }
    }
}

fn first_root_text(ical: &ICalendar, p: &ICalendarProperty) -> Option<String> {
    let v = ical.components[0].property(p)?.values.first()?;
    Some(match v {
        ICalendarValue::Method(m) => calcard::common::IanaString::as_str(m).to_string(),
        other => other.as_text()?.to_string(),
    })
}

/// Per-component rules of RFC 5545 §3.6 that matter for time ranges.
fn check_component(kind: ComponentKind, c: &Comp, has_method: bool) -> Result<(), IcalError> {
    let bad = |m: &str| Err(IcalError::Invalid(m.into()));
    if kind == ComponentKind::Event && c.dtstart.is_none() && !has_method {
        return bad("VEVENT without DTSTART");
    }
    if c.dtend.is_some() && c.duration.is_some() {
        return bad("both DTEND and DURATION");
    }
    if c.due.is_some() && c.duration.is_some() {
        return bad("both DUE and DURATION");
    }
    if kind == ComponentKind::Todo && c.duration.is_some() && c.dtstart.is_none() {
        return bad("VTODO with DURATION but no DTSTART");
    }
    if let (Some(s), Some(e)) = (&c.dtstart, c.dtend.as_ref().or(c.due.as_ref()))
        && s.is_date() != e.is_date()
    {
        return bad("DTSTART and DTEND/DUE of different value types");
    }
    if c.is_recurring() && c.dtstart.is_none() {
        return bad("RRULE or RDATE without DTSTART");
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    const EVENT: &str = "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:x\r\nBEGIN:VEVENT\r\nUID:u1\r\n\
        DTSTAMP:20260101T000000Z\r\nDTSTART:20260101T100000Z\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n";

    fn refusal(text: &str) -> String {
        match CalendarObject::parse(text.as_bytes()) {
            Err(IcalError::Invalid(m)) => m,
            other => panic!("expected Invalid, got {other:?}"),
        }
    }

    /// Found by fuzz/fuzz_targets/ical_object.rs and ical_partial.rs: calcard took
    /// `EXDATE;` (no colon) and then wrote text Agora's reader refuses.
    #[test]
    fn line_without_colon_is_refused() {
        assert!(CalendarObject::parse(EVENT.as_bytes()).is_ok());
        let m = refusal(&EVENT.replace("UID:u1\r\n", "UID:u1\r\nEXDATE;\r\n"));
        assert_eq!(m, "line 6: unterminated parameter");
        let m = refusal(&EVENT.replace("UID:u1\r\n", "UID:u1\r\nEXDATE\r\n"));
        assert_eq!(m, "line 6: content line without ':'");
    }

    /// Found by the same targets: calcard closed components without (or with the
    /// wrong) END line.
    #[test]
    fn missing_or_garbled_end_is_refused() {
        let m = refusal(&EVENT.replace("END:VEVENT\r\n", ""));
        assert!(m.contains("VEVENT is not closed") || m.contains("END:VCALENDAR closes VEVENT"), "{m}");
        let m = refusal(&EVENT.replace("END:VEVENT", "END:VEVNT"));
        assert_eq!(m, "line 8: END:VEVNT closes VEVENT");
        let m = refusal(EVENT.trim_end_matches("END:VCALENDAR\r\n"));
        assert_eq!(m, "VCALENDAR is not closed");
    }

    /// Found by fuzz/fuzz_targets/itip.rs: calcard read `UID,:x` as the UID, the
    /// content reader (which iTIP uses) skipped the line, so the organizer's
    /// messages had no UID. The object is now refused.
    #[test]
    fn uid_line_with_a_bad_name_is_refused() {
        let m = refusal(&EVENT.replace("UID:u1", "UID,:u1"));
        assert_eq!(m, "line 5: bad property name");
    }

    /// Control characters other than HTAB (RFC 5545 §3.1), as the strict reader refuses them.
    #[test]
    fn control_character_in_a_parameter_is_refused() {
        let m = refusal(&EVENT.replace("DTSTART:", "DTSTART;X-P=a\u{3}\0b:"));
        assert_eq!(m, "line 7: control character U+0003 in a content line");
    }
}
