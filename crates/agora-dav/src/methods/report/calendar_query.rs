//! `C:calendar-query` (RFC 4791 §7.8): a query for events in a time range (what
//! clients send to open a view) is answered by the instance index, parsing only
//! what it cannot decide (floating times); any other filter goes through the span
//! index first (no scan of the collection), then every candidate is tested
//! exactly (§9.9 on every instance, §9.7 for properties). `C:expand` rewrites the
//! returned data into instances (§9.6.5).

use agora_dav_xml::{CompFilter, MultistatusWriter, Precondition, PropRequest};
use agora_ical::{CalendarObject, TzSpec};
use agora_store::Collection;
use axum::http::StatusCode;
use axum::response::Response;

use super::{filters, object_propstats};
use crate::error::HttpError;
use crate::methods::multistatus;
use crate::paths;
use crate::resolve::Dav;

/// The zone for floating times: the request's, else the calendar's, else UTC.
pub async fn floating_zone(
    dav: &Dav<'_>,
    c: &Collection,
    timezone: Option<&str>,
    timezone_id: Option<&str>,
) -> Result<TzSpec, HttpError> {
    let invalid = || HttpError::Precondition(StatusCode::FORBIDDEN, Precondition::ValidTimezone);
    if let Some(id) = timezone_id {
        return TzSpec::named(id).ok_or_else(invalid);
    }
    if let Some(text) = timezone {
        return TzSpec::from_calendar_timezone(text).map_err(|_| invalid());
    }
    // A free/busy-only viewer may not read properties: floating times count as UTC.
    let stored = match dav.res.collection_properties(c).await {
        Ok(props) => props,
        Err(agora_core::CoreError::Forbidden(_)) => Vec::new(),
        Err(e) => return Err(e.into()),
    };
    let clark = agora_dav_xml::PropName::caldav("calendar-timezone").clark();
    if let Some((_, xml)) = stored.iter().find(|(n, _)| *n == clark) {
        let prop = agora_dav_xml::DeadProperty {
            name: agora_dav_xml::PropName::caldav("calendar-timezone"),
            xml: xml.clone(),
        };
        if let Ok(zone) = TzSpec::from_calendar_timezone(&prop.text()) {
            return Ok(zone);
        }
    }
    Ok(TzSpec::utc())
}

/// Runs the query on a calendar collection, or on its member `only`; `zone` is
/// the request's `timezone` and `timezone-id` (RFC 7809).
pub async fn run(
    dav: &Dav<'_>,
    c: &Collection,
    only: Option<&str>,
    wanted: &PropRequest,
    filter: &CompFilter,
    (timezone, timezone_id): (Option<&str>, Option<&str>),
) -> Result<Response, HttpError> {
    let floating = floating_zone(dav, c, timezone, timezone_id).await?;
    let compiled = filters::comp(filter)?;
    // (object, whether the index already decided that it matches)
    let mut candidates: Vec<(agora_store::Object, bool)> = match filters::event_range_only(filter) {
        _ if let Some(name) = only => {
            dav.res.objects_named(c, &[name.to_owned()]).await?.into_iter().map(|o| (o, false)).collect()
        }
        Some((start, end)) => {
            let found = dav.res.objects_in_time(c, start, end, super::wants_data(wanted)).await?;
            found.matched.into_iter().map(|o| (o, true)).chain(found.to_test.into_iter().map(|o| (o, false))).collect()
        }
        None => match filters::index_range(filter) {
            Some((start, end)) => dav.res.objects_in_range(c, start, end).await?,
            None => dav.res.objects(c).await?,
        }
        .into_iter()
        .map(|o| (o, false))
        .collect(),
    };
    candidates.sort_by(|a, b| a.0.meta.name.cmp(&b.0.meta.name));
    let mut out = MultistatusWriter::begin(Vec::new()).expect("writing to memory");
    for (object, decided) in candidates {
        // The core hands over only what the reader may see, so filters cannot
        // probe hidden details.
        if !decided {
            let Ok(parsed) = CalendarObject::parse(&object.data) else { continue };
            let text = String::from_utf8_lossy(&object.data);
            if !agora_ical::filter::calendar_matches(&parsed, &text, &compiled, &floating) {
                continue;
            }
        }
        let href = paths::href(&format!("{}{}", c.path, object.meta.name));
        let stats = object_propstats(dav, c, &object, wanted).await?;
        out.response(&href, &stats).expect("writing to memory");
    }
    Ok(multistatus(out.finish().expect("writing to memory")))
}
