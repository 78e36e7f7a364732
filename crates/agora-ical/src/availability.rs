//! Calendar availability (RFC 7953): the time a VAVAILABILITY marks unavailable,
//! as set in the `CALDAV:calendar-availability` property (RFC 7953 §7.1).
//!
//! calcard does not expand AVAILABLE components, so each AVAILABLE (with its
//! overrides, grouped by UID) is rewritten as a VEVENT recurrence set in a
//! synthetic VCALENDAR with the same VTIMEZONEs and expanded by [`crate::expand`]:
//! the same wall-time rules, DST handling and RECURRENCE-ID/EXDATE matching as
//! for events. Floating times are read in UTC.
//!
//! Combining components (RFC 7953 §4): components are taken by PRIORITY (1
//! highest … 9 lowest, 0 or absent = lowest). Inside its DTSTART/DTEND bounds a
//! component marks unavailable the time not covered by its AVAILABLE instances,
//! except where a higher-priority component's bounds already decided. Components
//! of equal priority are evaluated together: time available in any of them is
//! available, so working hours may be split over several components.

use crate::content::{self, Line, Node};
use crate::freebusy::{FbType, Period, merge};
use crate::zone::{MAX_TS, MIN_TS, TzSpec};
use crate::{CalendarObject, expand};

/// Most AVAILABLE instances one recurrence set may have in the range; beyond
/// that its VAVAILABILITY is ignored.
const MAX_AVAILABLE: usize = 100_000;

/// Properties of an AVAILABLE that define its recurrence set.
const TIME_PROPS: [&str; 7] = ["DTSTART", "DTEND", "DURATION", "RRULE", "RDATE", "EXDATE", "RECURRENCE-ID"];

/// The periods in `[start, end)` that the availability text marks unavailable, merged.
///
/// For each VAVAILABILITY: its DTSTART/DTEND (or DURATION) bound it, an absent bound is
/// unbounded; BUSYTYPE gives the kind (default BUSY-UNAVAILABLE, RFC 7953 §3.2; unknown
/// values count as BUSY); the time inside the bounds not covered by an instance of its
/// AVAILABLE components (RRULE/RDATE/EXDATE, RECURRENCE-ID overrides, time zones) is
/// unavailable. Several components combine by PRIORITY, see the module docs. Text that
/// is not a VCALENDAR gives nothing; a VAVAILABILITY whose times cannot be evaluated is
/// ignored (no unavailability is invented from data that cannot be read).
pub fn unavailable(text: &str, start: i64, end: i64) -> Vec<Period> {
    if start >= end {
        return Vec::new();
    }
    let Some(root) = content::parse(text).filter(|r| r.name == "VCALENDAR") else {
        return Vec::new();
    };
    let zones = zones_text(&root);
    let mut layers: Vec<Layer> =
        root.comps("VAVAILABILITY").filter_map(|av| Layer::read(av, &zones, start, end)).collect();
    layers.sort_by_key(|l| l.priority);
    let mut decided: Vec<(i64, i64)> = Vec::new();
    let mut out = Vec::new();
    for group in layers.chunk_by(|a, b| a.priority == b.priority) {
        let free = normalize(group.iter().flat_map(|l| l.free.iter().copied()).collect());
        for l in group {
            for (s, e) in minus(&minus(&[l.bounds], &free), &decided) {
                out.push(Period { start: s, end: e, kind: l.kind });
            }
        }
        decided.extend(group.iter().map(|l| l.bounds));
        decided = normalize(decided);
    }
    merge(out)
}

/// One VAVAILABILITY, evaluated inside the query range.
struct Layer {
    /// 1 (highest) … 9, then 10 for 0 / absent / invalid.
    priority: u8,
    /// Its bounds clipped to the range (non-empty).
    bounds: (i64, i64),
    kind: FbType,
    /// Its AVAILABLE instances, clipped to `bounds`, normalised.
    free: Vec<(i64, i64)>,
}

impl Layer {
    fn read(av: &Node, zones: &str, start: i64, end: i64) -> Option<Layer> {
        let (bs, be) = bounds(av, zones)?;
        let bounds = (bs.max(start), be.min(end));
        if bounds.0 >= bounds.1 {
            return None;
        }
        let priority = match av.props("PRIORITY").next().map(|l| l.value.trim().parse::<u8>()) {
            // RFC 5545 §3.8.1.9: 0 is undefined, i.e. the lowest here (RFC 7953 §3.1).
            Some(Ok(p @ 1..=9)) => p,
            _ => 10,
        };
        let kind = match av.props("BUSYTYPE").next().map(|l| l.value.trim().to_ascii_uppercase()) {
            None => FbType::BusyUnavailable,
            Some(v) if v == "BUSY-UNAVAILABLE" => FbType::BusyUnavailable,
            Some(v) if v == "BUSY-TENTATIVE" => FbType::BusyTentative,
            Some(_) => FbType::Busy,
        };
        // Overrides share their master's UID (RFC 7953 §3.1 / RFC 5545 §3.8.4.4).
        let mut sets: Vec<(Option<&str>, Vec<&Node>)> = Vec::new();
        for a in av.comps("AVAILABLE") {
            let uid = a.props("UID").next().map(|l| l.value.trim()).filter(|u| !u.is_empty());
            match sets.iter_mut().find(|(u, _)| uid.is_some() && *u == uid) {
                Some((_, list)) => list.push(a),
                None => sets.push((uid, vec![a])),
            }
        }
        let mut free = Vec::new();
        for (_, comps) in &sets {
            let obj = CalendarObject::parse(synthetic(zones, comps).as_bytes()).ok()?;
            for i in expand(&obj, bounds.0, bounds.1, &TzSpec::utc(), MAX_AVAILABLE).ok()? {
                free.push((i.start.max(bounds.0), i.end.min(bounds.1)));
            }
        }
        Some(Layer { priority, bounds, kind, free: normalize(free) })
    }
}

/// The bounds of a VAVAILABILITY (RFC 7953 §3.1): DTSTART, and DTEND or DTSTART+DURATION;
/// a missing one is unbounded. `None` when a present value does not evaluate.
fn bounds(av: &Node, zones: &str) -> Option<(i64, i64)> {
    let at = |l: &Line| first_instance(zones, &[line_as(l, "DTSTART")]).map(|(s, _)| s);
    let (ds, de, du) = (av.props("DTSTART").next(), av.props("DTEND").next(), av.props("DURATION").next());
    Some(match (ds, de, du) {
        (Some(s), Some(e), _) => (at(s)?, at(e)?),
        (Some(s), None, Some(d)) => first_instance(zones, &[line_as(s, "DTSTART"), line_as(d, "DURATION")])?,
        (Some(s), None, None) => (at(s)?, MAX_TS),
        (None, Some(e), _) => (MIN_TS, at(e)?),
        (None, None, _) => (MIN_TS, MAX_TS),
    })
}

/// A VCALENDAR with `zones` and one VEVENT per AVAILABLE, keeping only the time properties.
fn synthetic(zones: &str, comps: &[&Node]) -> String {
    let mut s = String::from("BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//Agora//availability//EN\r\n");
    s.push_str(zones);
    for c in comps {
        s.push_str("BEGIN:VEVENT\r\nUID:available\r\n");
        for l in c.lines.iter().filter(|l| TIME_PROPS.contains(&l.name.as_str())) {
            s.push_str(&line_as(l, &l.name));
        }
        s.push_str("END:VEVENT\r\n");
    }
    s.push_str("END:VCALENDAR\r\n");
    s
}

/// The VTIMEZONE components of a VCALENDAR tree, as text.
pub(crate) fn zones_text(root: &Node) -> String {
    let mut s = String::new();
    for z in root.comps("VTIMEZONE") {
        content::write_node(z, &mut s);
    }
    s
}

/// A content line (with CRLF) renamed to `name`.
pub(crate) fn line_as(l: &Line, name: &str) -> String {
    let mut s = String::new();
    content::write_line(&Line { name: name.to_owned(), ..l.clone() }, &mut s);
    s
}

/// Start and end (UTC) of the first instance of a one-VEVENT calendar made of `lines`
/// and `zones`, with floating times in UTC; `None` when it does not parse.
pub(crate) fn first_instance(zones: &str, lines: &[String]) -> Option<(i64, i64)> {
    let text = format!(
        "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//Agora//t//EN\r\n{zones}BEGIN:VEVENT\r\nUID:t\r\n{}END:VEVENT\r\nEND:VCALENDAR\r\n",
        lines.concat()
    );
    let obj = CalendarObject::parse(text.as_bytes()).ok()?;
    let first = expand(&obj, MIN_TS, MAX_TS, &TzSpec::utc(), 1).ok()?.into_iter().next()?;
    Some((first.start, first.end))
}

/// Sorted, non-empty, non-overlapping intervals (adjacent ones joined).
fn normalize(mut v: Vec<(i64, i64)>) -> Vec<(i64, i64)> {
    v.retain(|(s, e)| s < e);
    v.sort_unstable();
    let mut out: Vec<(i64, i64)> = Vec::with_capacity(v.len());
    for (s, e) in v {
        match out.last_mut() {
            Some(last) if s <= last.1 => last.1 = last.1.max(e),
            _ => out.push((s, e)),
        }
    }
    out
}

/// `base − cut`, both normalised.
fn minus(base: &[(i64, i64)], cut: &[(i64, i64)]) -> Vec<(i64, i64)> {
    let mut out = Vec::new();
    let mut j = 0;
    for &(mut s, e) in base {
        while j < cut.len() && cut[j].1 <= s {
            j += 1;
        }
        let mut k = j;
        while k < cut.len() && cut[k].0 < e {
            if cut[k].0 > s {
                out.push((s, cut[k].0));
            }
            s = s.max(cut[k].1);
            k += 1;
        }
        if s < e {
            out.push((s, e));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn interval_difference() {
        assert_eq!(normalize(vec![(5, 7), (1, 3), (3, 4), (9, 9)]), vec![(1, 4), (5, 7)]);
        assert_eq!(minus(&[(0, 10), (20, 30)], &[(2, 3), (8, 22), (25, 40)]), vec![(0, 2), (3, 8), (22, 25)]);
        assert_eq!(minus(&[(0, 10)], &[]), vec![(0, 10)]);
        assert_eq!(minus(&[(0, 10)], &[(-5, 15)]), Vec::<(i64, i64)>::new());
    }
}
