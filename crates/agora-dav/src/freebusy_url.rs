//! `GET /freebusy/USER[.vfb|.ifb|.ics]?start=…&end=…`: a calendar user's busy
//! time as one VFREEBUSY, for clients that read free/busy from a URL (Outlook's
//! "Internet free/busy" template `…/freebusy/%NAME%@%SERVER%.vfb`). USER is a
//! login name or an e-mail address; start/end are UTC date-times
//! (`20260301T000000Z`) or dates (`2026-03-01`), by default today and six weeks on.
//! Only times are shown, and only to users who hold `CALDAV:read-free-busy` on
//! the user's schedule inbox (every signed-in user, unless the owner narrowed it),
//! as through the outbox.

use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};

use crate::error::HttpError;
use crate::resolve::Dav;

/// The path prefix this module serves.
pub const PREFIX: &str = "/freebusy/";
/// Default span when the query names no end.
const DEFAULT_SPAN: i64 = 42 * 86_400;

/// Serves the VFREEBUSY.
pub async fn get(dav: &Dav<'_>, path: &str, query: &str) -> Result<Response, HttpError> {
    // The core decides who may see whose busy time; refuse before naming anyone.
    dav.res.authorize_directory()?;
    let raw = path.strip_prefix(PREFIX).unwrap_or_default();
    let who = percent_encoding::percent_decode_str(raw).decode_utf8_lossy().into_owned();
    let who = ["ifb", "vfb", "ics"]
        .iter()
        .find_map(|ext| who.strip_suffix(&format!(".{ext}")))
        .unwrap_or(&who)
        .trim_matches('/')
        .to_lowercase();
    let directory = dav.state.core.directory();
    let principal = match directory.get(None, &who).await {
        Ok(p) => p,
        Err(_) => directory.by_address(&format!("mailto:{who}")).await.map_err(|_| HttpError::NotFound)?,
    };
    let (mut start, mut end) = (None, None);
    for pair in query.split('&').filter(|p| !p.is_empty()) {
        let (k, v) = pair.split_once('=').unwrap_or((pair, ""));
        let value = Some(parse_instant(v).ok_or_else(|| HttpError::BadRequest(format!("{k}: {v:?} is not a date")))?);
        match k {
            "start" => start = value,
            "end" => end = value,
            _ => {}
        }
    }
    let now = agora_core::now();
    let start = start.unwrap_or(now - now.rem_euclid(86_400));
    let end = end.unwrap_or(start + DEFAULT_SPAN);
    let body = dav.res.free_busy_of(&principal, start, end).await?;
    Ok((
        StatusCode::OK,
        [(header::CONTENT_TYPE, "text/calendar; charset=utf-8"), (header::CACHE_CONTROL, "private, no-cache")],
        body,
    )
        .into_response())
}

/// `20260301T000000Z`, `20260301` or `2026-03-01` as Unix seconds (UTC).
fn parse_instant(v: &str) -> Option<i64> {
    let digits: String = v.chars().filter(|c| c.is_ascii_digit()).collect();
    let n = |r: std::ops::Range<usize>| digits.get(r).and_then(|s| s.parse::<u32>().ok());
    let date = chrono::NaiveDate::from_ymd_opt(n(0..4)? as i32, n(4..6)?, n(6..8)?)?;
    let time = match digits.len() {
        8 => chrono::NaiveTime::MIN,
        14 => chrono::NaiveTime::from_hms_opt(n(8..10)?, n(10..12)?, n(12..14)?)?,
        _ => return None,
    };
    Some(date.and_time(time).and_utc().timestamp())
}

#[cfg(test)]
mod tests {
    use super::parse_instant;

    #[test]
    fn instants() {
        assert_eq!(parse_instant("20260301T000000Z"), Some(1_772_323_200));
        assert_eq!(parse_instant("2026-03-01"), Some(1_772_323_200));
        assert_eq!(parse_instant("20260301T013000Z"), Some(1_772_323_200 + 5400));
        assert_eq!(parse_instant("2026-13-01"), None);
        assert_eq!(parse_instant("tomorrow"), None);
    }
}
