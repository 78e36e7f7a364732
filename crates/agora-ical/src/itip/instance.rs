//! One instance of a series as its own override component (RFC 5545 §3.8.4.4),
//! for replies about an instance the organizer never overrode.

use chrono::{Duration, NaiveDate, NaiveDateTime};

use super::tree::{parse_local, prop, remove, set_line};
use crate::content::{Line, Node};
use crate::zone::TzSpec;

/// How a DATE / DATE-TIME value is written.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Form {
    Date,
    Utc,
    Floating,
    Zoned(String),
}

fn read(line: &Line) -> Option<(NaiveDateTime, Form)> {
    let v = line.value.trim().to_ascii_uppercase();
    if v.len() == 8 {
        let d = NaiveDate::parse_from_str(&v, "%Y%m%d").ok()?;
        return Some((d.and_hms_opt(0, 0, 0)?, Form::Date));
    }
    if let Some(local) = v.strip_suffix('Z') {
        return Some((parse_local(local)?, Form::Utc));
    }
    let t = parse_local(&v)?;
    Some(match line.param("TZID") {
        Some(z) => (t, Form::Zoned(z.to_owned())),
        None => (t, Form::Floating),
    })
}

/// Seconds since the epoch, reading zoned times in their named zone when known
/// (unknown zones and floating times are read as UTC: only differences matter here).
fn instant((t, form): &(NaiveDateTime, Form)) -> i64 {
    match form {
        Form::Zoned(z) => TzSpec::named(z).unwrap_or_else(TzSpec::utc).to_utc(*t),
        _ => TzSpec::utc().to_utc(*t),
    }
}

fn write(t: NaiveDateTime, form: &Form) -> String {
    match form {
        Form::Date => t.format("%Y%m%d").to_string(),
        Form::Utc => t.format("%Y%m%dT%H%M%SZ").to_string(),
        _ => t.format("%Y%m%dT%H%M%S").to_string(),
    }
}

/// An RFC 5545 §3.3.6 duration for a number of seconds.
fn duration_text(secs: i64) -> String {
    let sign = if secs < 0 { "-" } else { "" };
    let s = secs.unsigned_abs();
    let (d, rest) = (s / 86_400, s % 86_400);
    let mut out = format!("{sign}P");
    if d > 0 || rest == 0 {
        out.push_str(&format!("{d}D"));
    }
    if rest > 0 {
        out.push('T');
        let (h, m, sec) = (rest / 3600, rest % 3600 / 60, rest % 60);
        if h > 0 {
            out.push_str(&format!("{h}H"));
        }
        if m > 0 {
            out.push_str(&format!("{m}M"));
        }
        if sec > 0 {
            out.push_str(&format!("{sec}S"));
        }
    }
    out
}

/// The parameters that describe a date value (TZID, VALUE), from `line`.
pub(crate) fn date_params(line: &Line) -> Vec<(String, Vec<String>)> {
    line.params.iter().filter(|(n, _)| n == "TZID" || n == "VALUE").cloned().collect()
}

/// The override for the instance `rid` (a RECURRENCE-ID or EXDATE line, single
/// value) of `master`: the master's properties without RRULE/RDATE/EXDATE/EXRULE,
/// DTSTART at the instance, the same length, and RECURRENCE-ID.
pub(crate) fn derive_override(master: &Node, rid: &Line) -> Node {
    let mut node = master.clone();
    for name in ["RRULE", "RDATE", "EXDATE", "EXRULE", "RECURRENCE-ID"] {
        remove(&mut node, name);
    }
    let value = rid.value.split(',').next().unwrap_or_default().trim().to_owned();
    let params = date_params(rid);
    let start_line = Line::new("DTSTART", params.clone(), value.clone());
    let new_start = read(&start_line);
    let old_start = prop(master, "DTSTART").and_then(read);
    for end_name in ["DTEND", "DUE"] {
        let Some(end_line) = prop(master, end_name).cloned() else { continue };
        let (Some(os), Some(ns), Some(oe)) = (&old_start, &new_start, read(&end_line)) else { continue };
        // Same form as the start: keep the wall-clock length (a 1 h meeting stays
        // 1 h across DST). Otherwise keep the exact length as a DURATION.
        if os.1 == oe.1 && ns.1 == oe.1 {
            let end = ns.0 + (oe.0 - os.0);
            set_line(&mut node, Line::new(end_name, end_line.params.clone(), write(end, &ns.1)));
        } else if end_name == "DTEND" {
            remove(&mut node, "DTEND");
            let secs = instant(&oe) - instant(os);
            set_line(&mut node, Line::new("DURATION", Vec::new(), duration_text(secs)));
        } else {
            let end = ns.0 + Duration::seconds(instant(&oe) - instant(os));
            set_line(&mut node, Line::new(end_name, params.clone(), write(end, &ns.1)));
        }
    }
    set_line(&mut node, start_line);
    let at = node.lines.iter().position(|l| l.name == "DTSTART").map_or(node.lines.len(), |i| i + 1);
    node.lines.insert(at, Line::new("RECURRENCE-ID", params, value));
    node
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::content::parse;

    fn master(lines: &str) -> Node {
        let text =
            format!("BEGIN:VEVENT\r\nUID:u\r\n{lines}RRULE:FREQ=DAILY\r\nEXDATE:20250103T090000Z\r\nEND:VEVENT\r\n");
        parse(&text).unwrap()
    }

    #[test]
    fn instance_keeps_the_length_in_the_masters_form() {
        let m = master("DTSTART;TZID=Europe/Paris:20250101T090000\r\nDTEND;TZID=Europe/Paris:20250101T103000\r\n");
        let rid = Line::new("RECURRENCE-ID", vec![("TZID".into(), vec!["Europe/Paris".into()])], "20250105T090000");
        let o = derive_override(&m, &rid);
        assert_eq!(prop(&o, "DTSTART").unwrap().value, "20250105T090000");
        assert_eq!(prop(&o, "DTEND").unwrap().value, "20250105T103000");
        assert_eq!(prop(&o, "RECURRENCE-ID").unwrap().value, "20250105T090000");
        assert!(prop(&o, "RRULE").is_none() && prop(&o, "EXDATE").is_none());
    }

    #[test]
    fn a_utc_instance_of_a_zoned_series_gets_a_duration() {
        let m = master("DTSTART;TZID=Europe/Paris:20250101T090000\r\nDTEND;TZID=Europe/Paris:20250101T100000\r\n");
        let rid = Line::new("RECURRENCE-ID", vec![], "20250105T080000Z");
        let o = derive_override(&m, &rid);
        assert_eq!(prop(&o, "DTSTART").unwrap().value, "20250105T080000Z");
        assert!(prop(&o, "DTEND").is_none());
        assert_eq!(prop(&o, "DURATION").unwrap().value, "PT1H");
        assert_eq!(duration_text(86_400 + 90), "P1DT1M30S");
        assert_eq!(duration_text(0), "P0D");
    }
}
