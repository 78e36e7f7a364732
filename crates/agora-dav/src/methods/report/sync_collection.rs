//! `DAV:sync-collection` (RFC 6578): members changed since a token, deleted ones
//! as 404, truncation with a 507 for the request URI and a resumable token.

use agora_dav_xml::{MultistatusWriter, Precondition, PropName, PropRequest, PropSelection};
use agora_store::Collection;
use axum::http::StatusCode;
use axum::response::Response;

use super::object_propstats;
use crate::error::HttpError;
use crate::methods::multistatus;
use crate::paths;
use crate::props;
use crate::resolve::{Dav, Resource};
use crate::sync;

/// Runs the report on a collection.
pub async fn run(
    dav: &Dav<'_>,
    c: &Collection,
    token: Option<&str>,
    limit: Option<u32>,
    props: Vec<PropName>,
) -> Result<Response, HttpError> {
    let since = match token.map(str::trim).filter(|t| !t.is_empty()) {
        None => 0,
        // RFC 6578 §3.2: an unknown token is 403 with DAV:valid-sync-token.
        Some(t) => sync::revision_of(c, t)
            .ok_or(HttpError::Precondition(StatusCode::FORBIDDEN, Precondition::ValidSyncToken))?,
    };
    let (mut changes, current) = dav.res.changes_since(c, since, limit.map(|n| n.saturating_add(1))).await?;
    let truncated = limit.is_some_and(|n| changes.len() > n as usize);
    if let Some(n) = limit {
        changes.truncate(n as usize);
    }
    let wanted = PropRequest { props: PropSelection::Prop(props.clone()), calendar_data: None, address_data: None };
    let needs_data = props.iter().any(|p| p.local == "calendar-data" || p.local == "address-data");
    let mut out = MultistatusWriter::begin(Vec::new()).expect("writing to memory");
    let live_only = agora_dav_xml::Propfind::Prop(props.clone());
    for change in &changes {
        let href = paths::href(&format!("{}{}", c.path, change.name));
        if change.deleted {
            // An initial sync need not mention members that are already gone.
            if since > 0 {
                out.response_status(&href, 404).expect("writing to memory");
            }
            continue;
        }
        if change.name.ends_with('/') {
            let sub = dav.res.collection(&format!("{}{}", c.path, change.name), agora_core::Access::Read).await?;
            match sub {
                Some(sub) => {
                    let stats = props::propstats(dav, &Resource::Collection(sub), &live_only).await?;
                    out.response(&href, &stats).expect("writing to memory");
                }
                None => out.response_status(&href, 404).expect("writing to memory"),
            }
            continue;
        }
        let Some(meta) = &change.object else { continue };
        let stats = if needs_data {
            match dav.res.object(c, &meta.name).await? {
                Some(object) => object_propstats(dav, c, &object, &wanted).await?,
                None => continue,
            }
        } else {
            props::propstats(dav, &Resource::Object(c.clone(), meta.clone()), &live_only).await?
        };
        out.response(&href, &stats).expect("writing to memory");
    }
    let token = if truncated {
        out.response_status(&paths::href(&c.path), 507).expect("writing to memory");
        sync::token_at(c, changes.last().map(|ch| ch.revision).unwrap_or(since))
    } else {
        sync::token_at(c, current)
    };
    out.sync_token(&token).expect("writing to memory");
    Ok(multistatus(out.finish().expect("writing to memory")))
}
