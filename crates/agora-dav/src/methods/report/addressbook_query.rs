//! `CARD:addressbook-query` (RFC 6352 §8.6): prop-filters with text-match,
//! any-of or all-of, and a result limit (truncation is a 507 for the request URI).

use agora_dav_xml::{CardFilter, MultistatusWriter, PropRequest};
use agora_store::Collection;
use axum::response::Response;

use super::{filters, object_propstats};
use crate::error::HttpError;
use crate::methods::multistatus;
use crate::paths;
use crate::resolve::Dav;

/// Runs the query on an address book, or on its member `only`.
pub async fn run(
    dav: &Dav<'_>,
    c: &Collection,
    only: Option<&str>,
    wanted: &PropRequest,
    filter: &CardFilter,
    limit: Option<u32>,
) -> Result<Response, HttpError> {
    let (props, all) = filters::card(filter)?;
    let mut out = MultistatusWriter::begin(Vec::new()).expect("writing to memory");
    let mut count = 0usize;
    let mut truncated = false;
    let objects = match only {
        Some(name) => dav.res.objects_named(c, &[name.to_owned()]).await?,
        None => dav.res.objects(c).await?,
    };
    for object in objects {
        let text = String::from_utf8_lossy(&object.data);
        if !agora_ical::filter::card_matches(&text, &props, all) {
            continue;
        }
        if limit.is_some_and(|n| count >= n as usize) {
            truncated = true;
            break;
        }
        count += 1;
        let href = paths::href(&format!("{}{}", c.path, object.meta.name));
        let stats = object_propstats(dav, c, &object, wanted).await?;
        out.response(&href, &stats).expect("writing to memory");
    }
    if truncated {
        out.response_status(&paths::href(&c.path), 507).expect("writing to memory");
    }
    Ok(multistatus(out.finish().expect("writing to memory")))
}
