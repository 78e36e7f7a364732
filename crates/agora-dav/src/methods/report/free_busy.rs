//! `C:free-busy-query` (RFC 4791 §7.10): a VFREEBUSY of the calendar's busy time
//! in the range. Transparent and cancelled instances are free; tentative ones are
//! BUSY-TENTATIVE; only times are revealed, never details.

use agora_dav_xml::TimeRange;
use agora_ical::{CalendarObject, ComponentKind, Status, expand, format_utc as stamp};
use agora_store::Collection;
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};

use super::calendar_query::floating_zone;
use crate::error::HttpError;
use crate::resolve::Dav;

/// Most instances one object may contribute to one answer.
const MAX_INSTANCES: usize = 10_000;

/// Merges overlapping periods.
fn merge(mut periods: Vec<(i64, i64)>) -> Vec<(i64, i64)> {
    periods.sort();
    let mut out: Vec<(i64, i64)> = Vec::new();
    for (s, e) in periods {
        match out.last_mut() {
            Some(last) if s <= last.1 => last.1 = last.1.max(e),
            _ => out.push((s, e)),
        }
    }
    out
}

/// Runs the query on a calendar.
pub async fn run(dav: &Dav<'_>, c: &Collection, range: &TimeRange) -> Result<Response, HttpError> {
    let (Some(start), Some(end)) = (range.start, range.end) else {
        return Err(HttpError::BadRequest("free-busy-query needs a start and an end".into()));
    };
    let floating = floating_zone(dav, c, None, None).await?;
    let mut busy = Vec::new();
    let mut tentative = Vec::new();
    for object in dav.res.busy_candidates(c, start, end).await? {
        let Ok(obj) = CalendarObject::parse(&object.data) else { continue };
        if obj.kind() != ComponentKind::Event {
            continue;
        }
        let Ok(instances) = expand(&obj, start, end, &floating, MAX_INSTANCES) else { continue };
        for i in instances {
            if i.transparent || matches!(i.status, Some(Status::Cancelled)) {
                continue;
            }
            let period = (i.start.max(start), i.end.min(end).max(i.start.max(start)));
            if matches!(i.status, Some(Status::Tentative)) { tentative.push(period) } else { busy.push(period) }
        }
    }
    let mut body = format!(
        "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//Agora//Agora {}//EN\r\nBEGIN:VFREEBUSY\r\nDTSTAMP:{}\r\nDTSTART:{}\r\nDTEND:{}\r\n",
        env!("CARGO_PKG_VERSION"),
        stamp(
            std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map(|d| d.as_secs() as i64).unwrap_or(0)
        ),
        stamp(start),
        stamp(end)
    );
    for (kind, periods) in [("BUSY", merge(busy)), ("BUSY-TENTATIVE", merge(tentative))] {
        for (s, e) in periods {
            body.push_str(&format!("FREEBUSY;FBTYPE={kind}:{}/{}\r\n", stamp(s), stamp(e)));
        }
    }
    body.push_str("END:VFREEBUSY\r\nEND:VCALENDAR\r\n");
    Ok((StatusCode::OK, [(header::CONTENT_TYPE, "text/calendar; charset=utf-8")], body).into_response())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn periods_merge() {
        assert_eq!(merge(vec![(5, 7), (1, 3), (2, 4), (7, 9)]), vec![(1, 4), (5, 9)]);
    }
}
