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
        let mut dead = props::dead_properties(dav, r).await?;
        // Computed values (the real DAV:owner, privileges, ACLs) as in PROPFIND.
        let names = items.iter().map(|i| i.name.clone()).collect();
        crate::computed::inject(dav, r, &agora_dav_xml::Propfind::Prop(names), &mut dead).await?;
        let mut found = Vec::new();
        let mut missing = Vec::new();
        for item in items {
            let value = match props::value(dav, r, &dead, &item.name) {
                // Computed hrefs (the real owner) arrive as XML; expand them too.
                Some(Content::Verbatim(xml)) if !item.children.is_empty() && xml.contains("href>") => {
                    Some(Content::Hrefs(hrefs_in(&xml)))
                }
                other => other,
            };
            match value {
                None => missing.push(PropValue::empty(item.name.clone())),
                Some(Content::Hrefs(hrefs)) if !item.children.is_empty() && depth < MAX_DEPTH => {
                    let mut nested = String::new();
                    for href in hrefs {
                        let Ok(target) = dav.resolve(&href, Access::Read).await else { continue };
                        // Principals (addresses, delegates) belong to the directory.
                        let closed =
                            matches!(target, Resource::Principal(_) | Resource::Proxy(..) | Resource::Principals)
                                && dav.res.authorize_directory().is_err();
                        if matches!(target, Resource::Missing { .. }) {
                            continue;
                        }
                        let stats = if closed {
                            let none = item.children.iter().map(|c| PropValue::empty(c.name.clone())).collect();
                            props::propstats_of(Vec::new(), none)
                        } else {
                            propstats(dav, &target, &item.children, depth + 1).await?
                        };
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

/// The texts of the `href` elements in a property's XML, whatever their prefix.
fn hrefs_in(xml: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut rest = xml;
    while let Some(i) = rest.find("href>") {
        let after = &rest[i + 5..];
        let opening = rest[..i].rfind('<').is_some_and(|lt| !rest[lt..i].starts_with("</"));
        match after.find("</") {
            Some(end) if opening => {
                let text = after[..end].trim();
                out.push(quick_xml::escape::unescape(text).map(|t| t.into_owned()).unwrap_or_else(|_| text.to_owned()));
                rest = &after[end..];
            }
            _ => rest = after,
        }
    }
    out
}

/// Runs the report on one resource.
pub async fn run(dav: &Dav<'_>, r: &Resource, items: &[ExpandItem]) -> Result<Response, HttpError> {
    let stats = propstats(dav, r, items, 0).await?;
    let mut out = MultistatusWriter::begin(Vec::new()).expect("writing to memory");
    out.response(&r.href(), &stats).expect("writing to memory");
    Ok(multistatus(out.finish().expect("writing to memory")))
}
