//! `DAV:principal-match` (RFC 3744 §9.3): the principals that are the current
//! user (`DAV:self`: the user, the groups they belong to, the delegation groups
//! they are in), or the resources below the request URI whose
//! `DAV:principal-property` names one of those, such as the collections whose
//! `DAV:owner` is the user.

use agora_dav_xml::{Content, MultistatusWriter, PropName, Propfind};
use axum::response::Response;

use crate::error::HttpError;
use crate::methods::multistatus;
use crate::props;
use crate::resolve::{Dav, Resource};

/// Most resources one report looks at below the request URI; a home holds a
/// few collections, each walked for its members.
const MAX_VISITED: usize = 100_000;

/// Runs the report on `target` (already authorised for read).
pub async fn run(
    dav: &Dav<'_>,
    target: &Resource,
    principal_property: Option<&PropName>,
    props: &[PropName],
) -> Result<Response, HttpError> {
    let me = dav.state.core.directory().get(None, &dav.who.name).await?;
    let mut mine = vec![Resource::Principal(me.clone())];
    mine.extend(dav.res.groups().await?.into_iter().map(Resource::Principal));
    for (owner, write) in dav.res.delegating_to(&me).await? {
        mine.push(Resource::Proxy(owner.clone(), write));
        // A write delegate may also read (CalendarServer puts them in both).
        if write {
            mine.push(Resource::Proxy(owner, false));
        }
    }
    let my_hrefs: Vec<String> = mine.iter().map(Resource::href).collect();
    let base = target.href();
    let matched: Vec<Resource> = match principal_property {
        None => mine.into_iter().filter(|r| r.href().starts_with(&base)).collect(),
        Some(prop) => {
            let mut found = Vec::new();
            let asked = Propfind::Prop(vec![prop.clone()]);
            for r in below(dav, target).await? {
                let stats = props::propstats(dav, &r, &asked).await?;
                let names_me = stats
                    .iter()
                    .filter(|s| s.status == 200)
                    .flat_map(|s| &s.props)
                    .any(|v| names_one_of(&v.content, &my_hrefs));
                if names_me {
                    found.push(r);
                }
            }
            found
        }
    };
    let wanted = Propfind::Prop(props.to_vec());
    let mut out = MultistatusWriter::begin(Vec::new()).expect("writing to memory");
    for r in &matched {
        let stats = if props.is_empty() { Vec::new() } else { props::propstats(dav, r, &wanted).await? };
        out.response(&r.href(), &stats).expect("writing to memory");
    }
    Ok(multistatus(out.finish().expect("writing to memory")))
}

/// Whether a property value is, or contains, an href to one of `hrefs`, given as
/// a path or as an absolute URL ending in that path.
fn names_one_of(content: &Content, hrefs: &[String]) -> bool {
    match content {
        Content::Hrefs(list) => list.iter().any(|h| hrefs.iter().any(|m| h.ends_with(m.as_str()))),
        Content::Raw(xml) | Content::Verbatim(xml) => hrefs.iter().any(|m| xml.contains(&format!("{m}<"))),
        _ => false,
    }
}

/// The resource and everything below it the user may see, principals included
/// when the target is the principal collection or the root.
async fn below(dav: &Dav<'_>, target: &Resource) -> Result<Vec<Resource>, HttpError> {
    let mut out = Vec::new();
    let mut pending = vec![target.clone()];
    while let Some(r) = pending.pop() {
        if out.len() >= MAX_VISITED {
            break;
        }
        match &r {
            Resource::Root => pending.push(Resource::Principals),
            Resource::Principals => {
                for p in dav.state.core.directory().list(None).await? {
                    pending.push(Resource::Principal(p));
                }
            }
            Resource::Collection(c) => {
                let (subs, objects) = dav.res.members(c).await?;
                pending.extend(subs.into_iter().map(Resource::Collection));
                out.extend(objects.into_iter().map(|o| Resource::Object(c.clone(), o)));
            }
            _ => {}
        }
        out.push(r);
    }
    // Principal hrefs first, then paths: a stable order for clients and tests.
    out.sort_by_key(|r| r.href());
    Ok(out)
}
