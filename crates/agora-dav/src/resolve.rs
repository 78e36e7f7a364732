//! From a URL to the resource it names, with the access the method needs.

use agora_core::resources::parent_of;
use agora_core::{Access, Identity, Principal, Resources};
use agora_store::{Collection, ObjectMeta};

use crate::AppState;
use crate::error::HttpError;
use crate::paths::{self, Target};

/// What a request is about.
pub struct Dav<'a> {
    /// Shared state.
    pub state: &'a AppState,
    /// The authenticated user.
    pub who: &'a Identity,
    /// Resource operations on the user's behalf.
    pub res: Resources<'a>,
}

/// A resource in the URL space.
#[derive(Debug, Clone)]
pub enum Resource {
    /// `/`
    Root,
    /// `/principals/`
    Principals,
    /// `/principals/NAME/`
    Principal(Principal),
    /// A user's calendar-proxy group: read (false) or write (true).
    Proxy(Principal, bool),
    /// A stored collection.
    Collection(Collection),
    /// A stored object in a collection.
    Object(Collection, ObjectMeta),
    /// Nothing there yet: the decoded path (collection paths end with `/`) and the
    /// parent collection if it exists.
    Missing {
        /// Decoded path, no leading slash.
        path: String,
        /// The enclosing collection.
        parent: Option<Collection>,
    },
}

impl Resource {
    /// The resource's href (percent-encoded).
    pub fn href(&self) -> String {
        match self {
            Resource::Root => "/".into(),
            Resource::Principals => "/principals/".into(),
            Resource::Principal(p) => paths::principal_href(&p.name),
            Resource::Proxy(p, write) => paths::proxy_href(&p.name, *write),
            Resource::Collection(c) => paths::href(&c.path),
            Resource::Object(c, o) => paths::href(&format!("{}{}", c.path, o.name)),
            Resource::Missing { path, .. } => paths::href(path),
        }
    }
}

impl<'a> Dav<'a> {
    /// Builds the context of an authenticated request.
    pub fn new(state: &'a AppState, who: &'a Identity) -> Self {
        Dav { state, who, res: state.core.resources(who) }
    }

    /// Resolves a request path. Collections are found with or without the
    /// trailing slash; `access` is checked on the collection (or the parent).
    pub async fn resolve(&self, raw_path: &str, access: Access) -> Result<Resource, HttpError> {
        let target = paths::parse(raw_path).map_err(|e| HttpError::BadRequest(e.0))?;
        Ok(match target {
            Target::Root => Resource::Root,
            Target::Principals => Resource::Principals,
            Target::Principal(name) => match self.state.core.directory().get(None, &name).await {
                Ok(p) => Resource::Principal(p),
                Err(agora_core::CoreError::NotFound { .. }) => return Err(HttpError::NotFound),
                Err(e) => return Err(e.into()),
            },
            Target::Proxy(name, write) => {
                match self.state.core.directory().get(Some(agora_core::PrincipalKind::User), &name).await {
                    Ok(p) => Resource::Proxy(p, write),
                    Err(agora_core::CoreError::NotFound { .. }) => return Err(HttpError::NotFound),
                    Err(e) => return Err(e.into()),
                }
            }
            Target::WellKnown | Target::Unknown => return Err(HttpError::NotFound),
            Target::Stored { path, slash } => {
                let as_collection = format!("{path}/");
                if let Some(c) = self.res.collection(&as_collection, access).await? {
                    return Ok(Resource::Collection(c));
                }
                let parent_path = parent_of(&as_collection).unwrap_or_default();
                let parent = self.res.collection(&parent_path, access).await?;
                if slash {
                    return Ok(Resource::Missing { path: as_collection, parent });
                }
                let name = as_collection[parent_path.len()..].trim_end_matches('/').to_owned();
                match &parent {
                    Some(c) => match self.res.object_meta(c, &name).await? {
                        Some(meta) => Resource::Object(c.clone(), meta),
                        None => Resource::Missing { path, parent },
                    },
                    None => Resource::Missing { path, parent },
                }
            }
        })
    }
}
