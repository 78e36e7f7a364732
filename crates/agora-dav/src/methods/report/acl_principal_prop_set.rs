//! `DAV:acl-principal-prop-set` (RFC 3744 §9.2): the requested properties of
//! every principal named in a resource's ACL, so a client can show who has
//! access by name in one round trip. Needs `DAV:read-acl`, like the `acl`
//! property itself.

use agora_dav_xml::{MultistatusWriter, NeedPrivilege, Precondition, PropName, Propfind};
use agora_store::Grantee;
use axum::http::StatusCode;
use axum::response::Response;

use crate::error::HttpError;
use crate::methods::multistatus;
use crate::props;
use crate::resolve::{Dav, Resource};

/// Runs the report on `target` (already authorised for read).
pub async fn run(dav: &Dav<'_>, target: &Resource, props: &[PropName]) -> Result<Response, HttpError> {
    let c = match target {
        Resource::Collection(c) | Resource::Object(c, _) => c,
        // Principals and the fixed top of the tree carry no ACL of their own.
        _ => return Ok(multistatus(MultistatusWriter::begin(Vec::new()).expect("memory").finish().expect("memory"))),
    };
    // The core refuses without read-acl; RFC 3744 §9.2 names the privilege.
    let (own, inherited) = match dav.res.acl(c).await {
        Ok(acl) => acl,
        Err(agora_core::CoreError::Forbidden(_)) => {
            let need = NeedPrivilege { href: target.href(), privilege: PropName::dav("read-acl") };
            return Err(HttpError::Precondition(StatusCode::FORBIDDEN, Precondition::NeedPrivileges(vec![need])));
        }
        Err(e) => return Err(e.into()),
    };
    // The owner's protected ACE comes first, as in the acl property.
    let mut ids = vec![c.owner_id];
    for g in own.iter().chain(inherited.iter().map(|(_, g)| g)) {
        if let Grantee::Principal(id) = g.grantee
            && !ids.contains(&id)
        {
            ids.push(id);
        }
    }
    let wanted = Propfind::Prop(props.to_vec());
    let mut out = MultistatusWriter::begin(Vec::new()).expect("writing to memory");
    for id in ids {
        // A principal deleted since the grant was made has no resource to describe.
        let Ok(p) = dav.res.principal(id).await else { continue };
        let r = Resource::Principal(p);
        let stats = props::propstats(dav, &r, &wanted).await?;
        out.response(&r.href(), &stats).expect("writing to memory");
    }
    Ok(multistatus(out.finish().expect("writing to memory")))
}
