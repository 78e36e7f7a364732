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
    conditions::check_write(dav, &parts.headers, &path, &resource, false, false).await?;
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
