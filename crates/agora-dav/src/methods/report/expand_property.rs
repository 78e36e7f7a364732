//! `DAV:expand-property` (RFC 3253 §3.8): a property's hrefs replaced by the
//! responses of the resources they name, with the requested sub-properties —
//! how Apple clients read a principal and what it points to in one request.

use agora_core::Access;
use agora_dav_xml::{Content, ExpandItem, MultistatusWriter, PropStat, PropValue, push_response};
use axum::response::Response;

use crate::error::HttpError;
use crate::methods::multistatus;
use crate::props;
use crate::resolve::{Dav, Resource};

/// Nesting beyond this is answered without expansion.
const MAX_DEPTH: usize = 3;

fn propstats<'a>(
    dav: &'a Dav<'a>,
    r: &'a Resource,
    items: &'a [ExpandItem],
    depth: usize,
) -> std::pin::Pin<Box<dyn std::future::Future<Output = Result<Vec<PropStat>, HttpError>> + Send + 'a>> {
    Box::pin(async move {
        let dead = props::dead_properties(dav, r).await?;
        let mut found = Vec::new();
        let mut missing = Vec::new();
        for item in items {
            match props::value(dav, r, &dead, &item.name) {
                None => missing.push(PropValue::empty(item.name.clone())),
                Some(Content::Hrefs(hrefs)) if !item.children.is_empty() && depth < MAX_DEPTH => {
                    let mut nested = String::new();
                    for href in hrefs {
                        let Ok(target) = dav.resolve(&href, Access::Read).await else { continue };
                        if matches!(target, Resource::Missing { .. }) {
                            continue;
                        }
                        let stats = propstats(dav, &target, &item.children, depth + 1).await?;
                        push_response(&mut nested, &href, &stats);
                    }
                    found.push(PropValue::new(item.name.clone(), Content::Raw(nested)));
                }
                Some(content) => found.push(PropValue::new(item.name.clone(), content)),
            }
        }
        Ok(props::propstats_of(found, missing))
    })
}

/// Runs the report on one resource.
pub async fn run(dav: &Dav<'_>, r: &Resource, items: &[ExpandItem]) -> Result<Response, HttpError> {
    let stats = propstats(dav, r, items, 0).await?;
    let mut out = MultistatusWriter::begin(Vec::new()).expect("writing to memory");
    out.response(&r.href(), &stats).expect("writing to memory");
    Ok(multistatus(out.finish().expect("writing to memory")))
}
