//! [`TzResolver`]: which zone a TZID (or its absence) means inside one object.
//!
//! Resolution order for `TZID=x` (the rule is fixed so that the index and the
//! query path always agree):
//! 1. a VTIMEZONE with TZID `x` in the same object — its IANA equivalent if its
//!    TZID / X-LIC-LOCATION / X-MICROSOFT-CDO-TZID names a known zone, else its
//!    own STANDARD/DAYLIGHT rules (see [`crate::vtimezone`]);
//! 2. `x` as an IANA name;
//! 3. `x` as a vendor id (`/freeassociation.sourceforge.net/Europe/Paris`) or a
//!    Windows / Outlook name: [`TzSpec::named`], the one name table;
//! 4. otherwise the *default zone*: the zone the caller passes as "floating"
//!    (the collection's CALDAV:calendar-timezone, or the request's timezone),
//!    which is UTC when the caller has none.
//!
//! Floating date-times and all-day DATE values are also evaluated in that
//! floating zone, as RFC 4791 §9.9 prescribes for time-range comparisons.

use std::collections::HashMap;

use chrono::NaiveDateTime;

use crate::values::DateVal;
use crate::zone::{TzSpec, naive_secs};

/// Maps TZIDs of one calendar object to zones; see the module docs for the order.
#[derive(Debug, Clone)]
pub struct TzResolver<'a> {
    known: &'a HashMap<String, TzSpec>,
    floating: &'a TzSpec,
}

impl<'a> TzResolver<'a> {
    /// A resolver over the TZIDs precomputed for an object, with `floating` as the floating / default zone.
    pub fn new(object: &'a crate::CalendarObject, floating: &'a TzSpec) -> Self {
        TzResolver { known: object.zones(), floating }
    }

    /// The zone for a TZID parameter (`None`: floating).
    pub fn resolve(&self, tzid: Option<&str>) -> &TzSpec {
        tzid.and_then(|t| self.known.get(t)).unwrap_or(self.floating)
    }

    /// The floating / default zone.
    pub fn floating(&self) -> &TzSpec {
        self.floating
    }

    /// Local wall time and zone of a value (UTC values use UTC).
    pub(crate) fn local(&self, v: &DateVal) -> (NaiveDateTime, TzSpec) {
        match v {
            DateVal::Date(d) => (d.and_hms_opt(0, 0, 0).unwrap_or_default(), self.floating.clone()),
            DateVal::Floating(t) => (*t, self.floating.clone()),
            DateVal::Utc(t) => (*t, TzSpec::utc()),
            DateVal::Zoned(t, z) => (*t, self.resolve(Some(z)).clone()),
        }
    }

    /// The UTC instant of a value.
    pub(crate) fn instant(&self, v: &DateVal) -> i64 {
        match v {
            DateVal::Utc(t) => naive_secs(*t),
            DateVal::Date(d) => self.floating.to_utc(d.and_hms_opt(0, 0, 0).unwrap_or_default()),
            DateVal::Floating(t) => self.floating.to_utc(*t),
            DateVal::Zoned(t, z) => self.resolve(Some(z)).to_utc(*t),
        }
    }

    /// The instant of a value, with floating and DATE values read in `zone` (the master's zone).
    pub(crate) fn instant_in(&self, v: &DateVal, zone: &TzSpec) -> i64 {
        match v {
            DateVal::Date(d) => zone.to_utc(d.and_hms_opt(0, 0, 0).unwrap_or_default()),
            DateVal::Floating(t) => zone.to_utc(*t),
            _ => self.instant(v),
        }
    }
}

/// The TZIDs of one object: the zone of each that resolves, and those that do not.
#[derive(Debug, Clone, Default)]
pub(crate) struct ZoneTable {
    pub(crate) zones: HashMap<String, TzSpec>,
    /// TZIDs named by a property but neither defined by a VTIMEZONE nor a known
    /// name, in order of first use: read in the default zone (rule 4 above) when
    /// stored, refused on the way in (`crate::intake`).
    pub(crate) unresolved: Vec<String>,
}

/// Resolves every TZID used in the object once: VTIMEZONEs first, then names.
pub(crate) fn build_zone_table(ical: &calcard::icalendar::ICalendar) -> Result<ZoneTable, crate::IcalError> {
    use calcard::icalendar::ICalendarComponentType;
    let mut table = ZoneTable::default();
    for (i, c) in ical.components.iter().enumerate() {
        if c.component_type == ICalendarComponentType::VTimezone {
            let (id, zone) = crate::vtimezone::zone_from_vtimezone(ical, i as u32)?;
            table.zones.entry(id).or_insert(zone);
        }
    }
    for c in &ical.components {
        for e in &c.entries {
            let Some(id) = e.tz_id() else { continue };
            if table.zones.contains_key(id) || table.unresolved.iter().any(|u| u == id) {
                continue;
            }
            match TzSpec::named(id) {
                Some(z) => {
                    table.zones.insert(id.to_string(), z);
                }
                None => table.unresolved.push(id.to_string()),
            }
        }
    }
    Ok(table)
}
