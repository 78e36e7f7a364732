//! PROPPATCH (RFC 4918 §9.2): dead properties are stored verbatim; live ones are
//! protected. The instructions apply all or none: one refusal fails the rest
//! with 424 (Failed Dependency).

use agora_core::Access;
use agora_dav_xml::{MultistatusWriter, PropOp, PropStat, PropValue, parse_proppatch};
use agora_store::PropertyChange;
use axum::extract::Request;
use axum::response::Response;

use super::multistatus;
use crate::conditions;
use crate::error::HttpError;
use crate::props::is_protected;
use crate::request;
use crate::resolve::{Dav, Resource};

/// Applies the instructions, or none of them.
pub async fn proppatch(dav: &Dav<'_>, req: Request) -> Result<Response, HttpError> {
    let path = req.uri().path().to_owned();
    let (parts, body) = req.into_parts();
    let body = request::body(body, dav.state.limits.max_request_bytes).await?;
    request::require_xml(&parts.headers, &body)?;
    let ops = parse_proppatch(&body, &dav.state.limits.xml)?;
    // The core decides what a change needs: write on an own collection, only read
    // on a shared one (a sharee's names and colours are their own).
    let resource = dav.resolve(&path, Access::Read).await?;
    if matches!(resource, Resource::Missing { .. }) {
        return Err(HttpError::NotFound);
    }
    // The core checks the locks inside the write.
    conditions::submit(dav, &parts.headers, &path, &resource).await?;
    if let Resource::Proxy(owner, write) = &resource {
        return set_delegates(dav, owner, *write, &resource.href(), ops).await;
    }
    let names: Vec<_> = ops.iter().map(|op| op.name().clone()).collect();
    let settable = matches!(resource, Resource::Collection(_) | Resource::Object(..));
    let refused: Vec<_> = names.iter().filter(|n| !settable || is_protected(n)).cloned().collect();
    let stats = if !refused.is_empty() {
        let rest: Vec<_> = names.iter().filter(|n| !refused.contains(n)).cloned().collect();
        let mut stats = vec![PropStat { status: 403, props: refused.into_iter().map(PropValue::empty).collect() }];
        if !rest.is_empty() {
            stats.push(PropStat { status: 424, props: rest.into_iter().map(PropValue::empty).collect() });
        }
        stats
    } else {
        let changes: Vec<PropertyChange> = ops
            .into_iter()
            .map(|op| match op {
                PropOp::Set(p) => PropertyChange::Set(p.name.clark(), p.xml),
                PropOp::Remove(n) => PropertyChange::Remove(n.clark()),
            })
            .collect();
        match &resource {
            Resource::Collection(c) => dav.res.patch_collection(c, &changes).await?,
            Resource::Object(c, o) => dav.res.patch_object(c, o, &changes).await?,
            _ => unreachable!("checked settable above"),
        }
        vec![PropStat { status: 200, props: names.into_iter().map(PropValue::empty).collect() }]
    };
    let mut out = MultistatusWriter::begin(Vec::new()).expect("writing to memory");
    out.response(&resource.href(), &stats).expect("writing to memory");
    Ok(multistatus(out.finish().expect("writing to memory")))
}

/// PROPPATCH of `DAV:group-member-set` on a user's calendar-proxy group: the user
/// names their delegates (CalendarServer calendar-proxy). Nothing else is
/// settable there.
async fn set_delegates(
    dav: &Dav<'_>,
    owner: &agora_core::Principal,
    write: bool,
    href: &str,
    ops: Vec<PropOp>,
) -> Result<Response, HttpError> {
    let mut stats = Vec::new();
    let mut delegates = None;
    for op in &ops {
        match op {
            PropOp::Set(p) if p.name.is(agora_dav_xml::NS_DAV, "group-member-set") => {
                let element = p.element()?;
                let mut list = Vec::new();
                for h in element.elements().filter(|e| e.name.is(agora_dav_xml::NS_DAV, "href")) {
                    let principal = dav.state.core.directory().by_address(h.text().trim()).await.map_err(|_| {
                        HttpError::Precondition(
                            axum::http::StatusCode::FORBIDDEN,
                            agora_dav_xml::Precondition::Other(agora_dav_xml::PropName::dav("recognized-principal")),
                        )
                    })?;
                    list.push(principal);
                }
                delegates = Some(list);
            }
            other => stats.push(PropStat { status: 403, props: vec![PropValue::empty(other.name().clone())] }),
        }
    }
    if !stats.is_empty() {
        if delegates.is_some() {
            let name = agora_dav_xml::PropName::dav("group-member-set");
            stats.push(PropStat { status: 424, props: vec![PropValue::empty(name)] });
        }
    } else if let Some(list) = delegates {
        dav.res.set_delegates(owner, write, &list).await?;
        let name = agora_dav_xml::PropName::dav("group-member-set");
        stats.push(PropStat { status: 200, props: vec![PropValue::empty(name)] });
    }
    let mut out = MultistatusWriter::begin(Vec::new()).expect("writing to memory");
    out.response(href, &stats).expect("writing to memory");
    Ok(multistatus(out.finish().expect("writing to memory")))
}
