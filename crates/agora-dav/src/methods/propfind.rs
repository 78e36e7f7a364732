//! PROPFIND (RFC 4918 §9.1) at Depth 0 or 1. Depth infinity is refused with
//! `DAV:propfind-finite-depth` (§9.1, a server MAY): it would list whole homes.

use agora_core::Access;
use agora_dav_xml::{MultistatusWriter, Precondition, parse_propfind};
use axum::extract::Request;
use axum::http::StatusCode;
use axum::response::Response;

use super::{multistatus, with_dav_header};
use crate::error::HttpError;
use crate::props;
use crate::request::{self, Depth};
use crate::resolve::{Dav, Resource};

/// Answers with one `<D:response>` per resource.
pub async fn propfind(dav: &Dav<'_>, req: Request) -> Result<Response, HttpError> {
    let depth = request::depth(req.headers(), Depth::Infinity)?;
    if depth == Depth::Infinity {
        return Err(HttpError::Precondition(StatusCode::FORBIDDEN, Precondition::PropfindFiniteDepth));
    }
    let path = req.uri().path().to_owned();
    let (parts, body) = req.into_parts();
    let body = request::body(body, dav.state.limits.max_request_bytes).await?;
    request::require_xml(&parts.headers, &body)?;
    let wanted = parse_propfind(&body, &dav.state.limits.xml)?;
    let resource = dav.resolve(&path, Access::Read).await?;
    if matches!(resource, Resource::Missing { .. }) {
        return Err(HttpError::NotFound);
    }
    let mut list = vec![resource.clone()];
    if depth == Depth::One {
        list.extend(members(dav, &resource).await?);
    }
    let mut out = MultistatusWriter::begin(Vec::new()).expect("writing to memory");
    for r in &list {
        let stats = props::propstats(dav, r, &wanted).await?;
        out.response(&r.href(), &stats).expect("writing to memory");
    }
    Ok(with_dav_header(multistatus(out.finish().expect("writing to memory"))))
}

/// The members listed at Depth 1.
async fn members(dav: &Dav<'_>, r: &Resource) -> Result<Vec<Resource>, HttpError> {
    Ok(match r {
        Resource::Root => vec![Resource::Principals],
        Resource::Principals => {
            vec![Resource::Principal(dav.state.core.directory().get(None, &dav.who.name).await?)]
        }
        // Apple clients find a user's delegation groups below the principal.
        Resource::Principal(p) if p.kind == agora_core::PrincipalKind::User => {
            vec![Resource::Proxy(p.clone(), false), Resource::Proxy(p.clone(), true)]
        }
        Resource::Collection(c) => {
            let (subs, objects) = dav.res.members(c).await?;
            let mut out: Vec<Resource> = subs.into_iter().map(Resource::Collection).collect();
            out.extend(objects.into_iter().map(|o| Resource::Object(c.clone(), o)));
            out
        }
        _ => Vec::new(),
    })
}
