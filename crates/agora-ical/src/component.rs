//! The time-related content of one VEVENT/VTODO/VJOURNAL/VFREEBUSY, read and
//! checked once at parse time.

use calcard::icalendar::{
    ICalendar, ICalendarComponent, ICalendarParameterName, ICalendarParameterValue, ICalendarProperty,
    ICalendarRecurrenceRule, ICalendarRelated, ICalendarStatus, ICalendarTransparency, ICalendarValue,
};

use crate::model::Status;
use crate::values::{self, DateVal, Dur, PeriodEnd, RValue};

/// When a VALARM fires (RFC 5545 §3.8.6.3).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Trigger {
    /// Relative to the instance's start, exact seconds.
    Start(i64),
    /// Relative to the instance's end (DTEND or DUE), exact seconds.
    End(i64),
    /// An absolute UTC date-time.
    At(DateVal),
}

/// A VALARM: its trigger and REPEAT/DURATION repetitions.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Alarm {
    pub trigger: Trigger,
    pub repeat: i64,
    pub every: i64,
}

/// Times of one component (master or override).
#[derive(Debug, Clone)]
pub(crate) struct Comp {
    /// Index into `ICalendar::components`.
    pub id: u32,
    pub recurrence_id: Option<DateVal>,
    pub this_and_future: bool,
    pub dtstart: Option<DateVal>,
    pub dtend: Option<DateVal>,
    pub due: Option<DateVal>,
    pub duration: Option<Dur>,
    pub completed: Option<DateVal>,
    pub created: Option<DateVal>,
    pub rrules: Vec<ICalendarRecurrenceRule>,
    pub rdates: Vec<RValue>,
    pub exdates: Vec<DateVal>,
    pub freebusy: Vec<(DateVal, PeriodEnd)>,
    pub status: Option<Status>,
    pub transparent: bool,
    pub alarms: Vec<Alarm>,
}

fn status(s: &ICalendarStatus) -> Status {
    match s {
        ICalendarStatus::Tentative => Status::Tentative,
        ICalendarStatus::Confirmed => Status::Confirmed,
        ICalendarStatus::Cancelled => Status::Cancelled,
        ICalendarStatus::NeedsAction => Status::NeedsAction,
        ICalendarStatus::Completed => Status::Completed,
        ICalendarStatus::InProcess => Status::InProcess,
        ICalendarStatus::Draft => Status::Draft,
        ICalendarStatus::Final => Status::Final,
        _ => Status::Other,
    }
}

impl Comp {
    /// Reads component `id`; `Err` describes an unparseable important value.
    pub fn read(ical: &ICalendar, id: u32) -> Result<Comp, String> {
        let c = &ical.components[id as usize];
        let mut rrules = Vec::new();
        for e in c.properties(&ICalendarProperty::Rrule) {
            match e.values.first() {
                Some(ICalendarValue::RecurrenceRule(r)) => rrules.push((**r).clone()),
                _ => return Err("RRULE is not a valid recurrence rule".into()),
            }
        }
        let exdates = values::date_list(c, &ICalendarProperty::Exdate)?
            .into_iter()
            .map(|v| match v {
                RValue::At(d) | RValue::Period(d, _) => d,
            })
            .collect();
        let freebusy = values::date_list(c, &ICalendarProperty::Freebusy)?
            .into_iter()
            .filter_map(|v| match v {
                RValue::Period(s, e) => Some((s, e)),
                RValue::At(_) => None,
            })
            .collect();
        let rid = c.property(&ICalendarProperty::RecurrenceId);
        let this_and_future = rid.is_some_and(|e| {
            e.parameters(&ICalendarParameterName::Range).any(|v| match v {
                ICalendarParameterValue::Text(t) => t.eq_ignore_ascii_case("THISANDFUTURE"),
                _ => matches!(v, ICalendarParameterValue::Bool(true)),
            })
        });
        Ok(Comp {
            id,
            recurrence_id: values::date_prop(c, &ICalendarProperty::RecurrenceId)?,
            this_and_future,
            dtstart: values::date_prop(c, &ICalendarProperty::Dtstart)?,
            dtend: values::date_prop(c, &ICalendarProperty::Dtend)?,
            due: values::date_prop(c, &ICalendarProperty::Due)?,
            duration: values::duration_prop(c, &ICalendarProperty::Duration)?,
            completed: values::date_prop(c, &ICalendarProperty::Completed)?,
            created: values::date_prop(c, &ICalendarProperty::Created)?,
            rrules,
            rdates: values::date_list(c, &ICalendarProperty::Rdate)?,
            exdates,
            freebusy,
            status: c.status().map(status),
            transparent: matches!(c.transparency(), Some(ICalendarTransparency::Transparent)),
            alarms: ical.alarms_for_id(id).map(read_alarm).collect::<Result<_, _>>()?,
        })
    }

    /// True when RRULE or RDATE make this a recurring master.
    pub fn is_recurring(&self) -> bool {
        !self.rrules.is_empty() || !self.rdates.is_empty()
    }

    /// All date values, to tell whether the floating zone matters.
    pub fn dates(&self) -> impl Iterator<Item = &DateVal> {
        let rd = self.rdates.iter().map(|r| match r {
            RValue::At(d) | RValue::Period(d, _) => d,
        });
        [&self.recurrence_id, &self.dtstart, &self.dtend, &self.due, &self.completed, &self.created]
            .into_iter()
            .flatten()
            .chain(rd)
            .chain(self.exdates.iter())
            .chain(self.freebusy.iter().map(|(s, _)| s))
    }
}

fn read_alarm(a: &ICalendarComponent) -> Result<Alarm, String> {
    let e = a.property(&ICalendarProperty::Trigger).ok_or("VALARM without TRIGGER")?;
    let trigger = match e.values.first() {
        Some(ICalendarValue::Duration(d)) => {
            let secs = Dur::from_ical(d).exact();
            let related_end = e
                .parameters(&ICalendarParameterName::Related)
                .any(|v| matches!(v, ICalendarParameterValue::Related(ICalendarRelated::End)));
            if related_end { Trigger::End(secs) } else { Trigger::Start(secs) }
        }
        Some(v) => Trigger::At(
            v.as_partial_date_time()
                .and_then(DateVal::from_partial)
                .ok_or("VALARM TRIGGER is not a duration or date-time")?,
        ),
        None => return Err("VALARM TRIGGER is empty".into()),
    };
    let repeat = a.property(&ICalendarProperty::Repeat).and_then(|e| e.values.first()).and_then(|v| v.as_integer());
    let every = values::duration_prop(a, &ICalendarProperty::Duration)?.map(Dur::exact);
    let (repeat, every) = match (repeat, every) {
        (Some(r), Some(d)) if r > 0 && d > 0 => (r.min(1000), d),
        _ => (0, 0),
    };
    Ok(Alarm { trigger, repeat, every })
}
