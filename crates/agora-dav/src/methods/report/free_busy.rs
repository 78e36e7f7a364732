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

/// Runs the query on a calendar.
pub async fn run(dav: &Dav<'_>, c: &Collection, range: &TimeRange) -> Result<Response, HttpError> {
    let (Some(start), Some(end)) = (range.start, range.end) else {
        return Err(HttpError::BadRequest("free-busy-query needs a start and an end".into()));
    };
    let floating = floating_zone(dav, c, None, None).await?;
    let periods = dav.res.busy_periods(c, start, end, &floating).await?;
    let now = agora_core::now();
    let body = freebusy::vfreebusy(&FbReply {
        method: None,
        uid: None,
        organizer: None,
        attendee: None,
        start,
        end,
        now,
        periods: &periods,
    });
    Ok((StatusCode::OK, [(header::CONTENT_TYPE, "text/calendar; charset=utf-8")], body).into_response())
}
