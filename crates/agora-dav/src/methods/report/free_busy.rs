//! `C:free-busy-query` (RFC 4791 §7.10): a VFREEBUSY of the calendar's busy time
//! in the range. The busy-time rules (transparent and cancelled instances free,
//! tentative ones BUSY-TENTATIVE, only times revealed) are `agora_ical::freebusy`'s,
//! shared with scheduling's outbox free/busy.

use agora_dav_xml::TimeRange;
use agora_ical::freebusy::{self, FbReply};
use agora_store::Collection;
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};

use super::calendar_query::floating_zone;
use crate::error::HttpError;
use crate::resolve::Dav;

/// Most instances one object may contribute to one answer.
const MAX_INSTANCES: usize = 10_000;

/// Runs the query on a calendar.
pub async fn run(dav: &Dav<'_>, c: &Collection, range: &TimeRange) -> Result<Response, HttpError> {
    let (Some(start), Some(end)) = (range.start, range.end) else {
        return Err(HttpError::BadRequest("free-busy-query needs a start and an end".into()));
    };
    let floating = floating_zone(dav, c, None, None).await?;
    let mut periods = Vec::new();
    for object in dav.res.busy_candidates(c, start, end).await? {
        periods.extend(freebusy::busy_periods(&object.data, start, end, &floating, MAX_INSTANCES));
    }
    let now = agora_core::now();
    let body = freebusy::vfreebusy(&FbReply {
        method: None,
        uid: None,
        organizer: None,
        attendee: None,
        start,
        end,
        now,
        periods: &freebusy::merge(periods),
    });
    Ok((StatusCode::OK, [(header::CONTENT_TYPE, "text/calendar; charset=utf-8")], body).into_response())
}
