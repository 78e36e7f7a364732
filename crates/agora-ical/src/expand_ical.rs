//! `CALDAV:expand` output (RFC 4791 §9.6.5): one component per instance in the
//! range, RECURRENCE-ID and DTSTART/DTEND/DUE in UTC, no RRULE/RDATE/EXDATE,
//! no VTIMEZONE. All other properties (X- ones included) and the VALARMs of
//! the component an instance comes from are copied. All-day instances keep
//! VALUE=DATE values (a date has no UTC form); a DURATION is kept as it is
//! and DTEND/DUE is written only when the component had one.

use calcard::common::PartialDateTime;
use calcard::icalendar::{
    ICalendar, ICalendarComponent, ICalendarComponentType, ICalendarEntry, ICalendarParameter, ICalendarParameterName,
    ICalendarParameterValue, ICalendarProperty, ICalendarValue, ICalendarValueType,
};
use chrono::{Datelike, Timelike};

use crate::model::{ComponentKind, IcalError};
use crate::query::expand_occurrences;
use crate::zone::{TzSpec, naive_from_secs};
use crate::{CalendarObject, DEFAULT_MAX_INSTANCES};

fn utc_entry(name: ICalendarProperty, ts: i64) -> ICalendarEntry {
    let t = naive_from_secs(ts);
    let v = PartialDateTime {
        year: Some(t.year() as u16),
        month: Some(t.month() as u8),
        day: Some(t.day() as u8),
        hour: Some(t.hour() as u8),
        minute: Some(t.minute() as u8),
        second: Some(t.second() as u8),
        tz_hour: Some(0),
        tz_minute: Some(0),
        tz_minus: false,
    };
    let mut e = ICalendarEntry::new(name);
    e.values.push(ICalendarValue::PartialDateTime(Box::new(v)));
    e
}

fn date_entry(name: ICalendarProperty, ts: i64, zone: &TzSpec) -> ICalendarEntry {
    let d = zone.to_local(ts).date();
    let v = PartialDateTime {
        year: Some(d.year() as u16),
        month: Some(d.month() as u8),
        day: Some(d.day() as u8),
        ..Default::default()
    };
    let mut e = ICalendarEntry::new(name);
    e.params.push(ICalendarParameter {
        name: ICalendarParameterName::Value,
        value: ICalendarParameterValue::Value(ICalendarValueType::Date),
    });
    e.values.push(ICalendarValue::PartialDateTime(Box::new(v)));
    e
}

/// Copies component `id` and its sub-components into `out`, returning the new index.
fn copy_tree(src: &ICalendar, id: u32, out: &mut ICalendar) -> u32 {
    let c = &src.components[id as usize];
    let new_id = out.components.len() as u32;
    out.components.push(ICalendarComponent {
        component_type: c.component_type.clone(),
        entries: c.entries.clone(),
        component_ids: Vec::new(),
    });
    for &child in &c.component_ids {
        let cid = copy_tree(src, child, out);
        out.components[new_id as usize].component_ids.push(cid);
    }
    new_id
}

/// Instances of `obj` in `[start, end)` as a VCALENDAR text (CRLF, folded), per RFC 4791 §9.6.5.
/// Floating / all-day values and unknown TZIDs are read in `floating`. At most
/// [`DEFAULT_MAX_INSTANCES`] instances (else [`IcalError::TooManyInstances`]).
pub fn expand_to_ical(obj: &CalendarObject, start: i64, end: i64, floating: &TzSpec) -> Result<String, IcalError> {
    let occ = expand_occurrences(obj, start, end, floating, DEFAULT_MAX_INSTANCES)?;
    let src = &obj.ical;
    let mut out = ICalendar { components: Vec::with_capacity(occ.len() * 2 + 1) };
    out.components.push(ICalendarComponent {
        component_type: ICalendarComponentType::VCalendar,
        entries: src.components[0].entries.clone(),
        component_ids: Vec::new(),
    });
    let recurring = obj.master.as_ref().is_some_and(|m| m.is_recurring()) || !obj.overrides.is_empty();
    let res = crate::TzResolver::new(obj, floating);
    for o in &occ {
        let Some(comp) = obj.comps().find(|c| c.id == o.comp) else { continue };
        let all_day = comp.dtstart.as_ref().is_some_and(|d| d.is_date());
        let at = |name: ICalendarProperty, ts: i64| {
            if all_day { date_entry(name, ts, res.floating()) } else { utc_entry(name, ts) }
        };
        let c = &src.components[o.comp as usize];
        let mut entries = Vec::with_capacity(c.entries.len() + 3);
        let mut has_end = false;
        for e in &c.entries {
            match e.name {
                ICalendarProperty::Dtstart
                | ICalendarProperty::RecurrenceId
                | ICalendarProperty::Rrule
                | ICalendarProperty::Rdate
                | ICalendarProperty::Exdate
                | ICalendarProperty::Exrule => {}
                ICalendarProperty::Dtend | ICalendarProperty::Due => has_end = true,
                _ => entries.push(e.clone()),
            }
        }
        let i = o.inst;
        let mut head = Vec::new();
        if recurring {
            head.push(at(ICalendarProperty::RecurrenceId, i.recurrence_id));
        }
        let dated = i.start != i64::MIN && i.end != i64::MAX;
        if comp.dtstart.is_some() && dated {
            head.push(at(ICalendarProperty::Dtstart, i.start));
        }
        if has_end && dated {
            let name = if obj.kind == ComponentKind::Todo { ICalendarProperty::Due } else { ICalendarProperty::Dtend };
            head.push(at(name, i.end));
        }
        head.extend(entries);
        let new_id = out.components.len() as u32;
        out.components.push(ICalendarComponent {
            component_type: c.component_type.clone(),
            entries: head,
            component_ids: Vec::new(),
        });
        out.components[0].component_ids.push(new_id);
        for &child in &c.component_ids {
            let cid = copy_tree(src, child, &mut out);
            out.components[new_id as usize].component_ids.push(cid);
        }
    }
    Ok(out.to_string())
}
