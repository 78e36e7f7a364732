//! ACL (RFC 3744 §8.1): replaces the grants of a collection. ACLs here are
//! grant-only (§5.6 `DAV:grant-only`, `DAV:no-invert`); the owner's all-privilege
//! ACE is protected and implicit; objects inherit their collection's ACL.

use agora_core::Access;
use agora_core::acl::Privileges;
use agora_dav_xml::{AcePrincipal, NS_DAV, Precondition, PropName, parse_acl};
use agora_store::Grantee;
use axum::extract::Request;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};

use crate::error::HttpError;
use crate::paths::{self, Target};
use crate::request;
use crate::resolve::{Dav, Resource};

fn refuse(local: &str) -> HttpError {
    HttpError::Precondition(StatusCode::FORBIDDEN, Precondition::Other(PropName::dav(local)))
}

/// Replaces a collection's ACL.
pub async fn acl(dav: &Dav<'_>, req: Request) -> Result<Response, HttpError> {
    let path = req.uri().path().to_owned();
    let (parts, body) = req.into_parts();
    let body = request::body(body, dav.state.limits.max_request_bytes).await?;
    request::require_xml(&parts.headers, &body)?;
    let aces = parse_acl(&body, &dav.state.limits.xml)?;
    let collection = match dav.resolve(&path, Access::WriteAcl).await? {
        Resource::Collection(c) => c,
        Resource::Missing { .. } => return Err(HttpError::NotFound),
        // Objects take their collection's ACL (RFC 3744 allows a server to say so).
        _ => return Err(agora_core::CoreError::Forbidden("ACLs are set on collections".into()).into()),
    };
    let mut grants = Vec::new();
    for ace in aces {
        if ace.protected || ace.inherited {
            continue; // the server's own ACEs, echoed back by clients
        }
        if !ace.deny.is_empty() {
            return Err(refuse("grant-only"));
        }
        if ace.invert {
            return Err(refuse("no-invert"));
        }
        let grantee = match &ace.principal {
            AcePrincipal::All => Grantee::All,
            AcePrincipal::Authenticated => Grantee::Authenticated,
            AcePrincipal::Unauthenticated => Grantee::Unauthenticated,
            AcePrincipal::Property(p) if p.is(NS_DAV, "owner") => continue,
            AcePrincipal::Href(href) => {
                let path =
                    href.find("://").and_then(|i| href[i + 3..].find('/').map(|j| &href[i + 3 + j..])).unwrap_or(href);
                match paths::parse(path) {
                    Ok(Target::Principal(name)) => match dav.state.core.directory().get(None, &name).await {
                        Ok(p) => Grantee::Principal(p.id),
                        Err(_) => return Err(refuse("recognized-principal")),
                    },
                    _ => return Err(refuse("recognized-principal")),
                }
            }
            _ => return Err(refuse("allowed-principal")),
        };
        let mut bits = 0;
        for p in &ace.grant {
            bits |= Privileges::named(&p.ns, &p.local).ok_or_else(|| refuse("not-supported-privilege"))?;
        }
        grants.push((grantee, Privileges(bits)));
    }
    dav.res.set_acl(&collection, grants).await?;
    Ok(StatusCode::OK.into_response())
}
