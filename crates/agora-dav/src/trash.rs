//! The user's trash as a WebDAV collection, for generic WebDAV clients and
//! scripts (no CalDAV or CardDAV client has a trash of its own): `/trash/USER/`
//! lists what USER deleted, one member per entry, named by its id.
//!
//! - PROPFIND (Depth 0 or 1): `displayname` (SUMMARY, FN or the collection's
//!   name), `getlastmodified` (when it was deleted), `getcontentlength`,
//!   `getcontenttype`, and Agora's `original-location` (where it was, an href),
//!   `trashed-kind`, `deleted-by` and `purge-at` (absent while a legal hold keeps it).
//! - GET of an object entry: its bytes.
//! - MOVE to its original location (the `original-location` href): restores it
//!   (201); anywhere else is refused — an entry goes back where it was.
//! - DELETE: deletes it for good (403 under a legal hold).
//!
//! Every decision is agora-core's (`Resources::trash`, `restore`, `purge`); only
//! the owner sees or touches their trash.

use agora_core::records::trash::TrashItem;
use agora_dav_xml::{
    Content, MultistatusWriter, NS_AGORA, NS_DAV, PropName, PropStat, PropValue, Propfind, parse_propfind,
};
use axum::extract::Request;
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};

use crate::error::HttpError;
use crate::methods::{multistatus, with_dav_header};
use crate::props::http_date;
use crate::request::{self, Depth};
use crate::resolve::Dav;

/// The path prefix this module serves.
pub const PREFIX: &str = "/trash/";

/// What a request names below [`PREFIX`].
enum Target {
    /// `/trash/USER/`
    Home,
    /// `/trash/USER/ID`
    Entry(i64),
}

fn target(dav: &Dav<'_>, path: &str) -> Result<Target, HttpError> {
    let rest = path.strip_prefix(PREFIX).unwrap_or_default();
    let (user, id) = rest.split_once('/').unwrap_or((rest, ""));
    let user = percent_encoding::percent_decode_str(user).decode_utf8_lossy().to_lowercase();
    // Only one's own trash exists for a user: another's is not even named.
    if user != dav.who.name {
        return Err(HttpError::NotFound);
    }
    match id.trim_end_matches('/') {
        "" => Ok(Target::Home),
        id => id.parse().map(Target::Entry).map_err(|_| HttpError::NotFound),
    }
}

/// Serves a request below [`PREFIX`].
pub async fn handle(dav: &Dav<'_>, req: Request) -> Result<Response, HttpError> {
    let path = req.uri().path().to_owned();
    let target = target(dav, &path)?;
    match (req.method().as_str(), target) {
        ("PROPFIND", target) => propfind(dav, req, target).await,
        ("GET" | "HEAD", Target::Entry(id)) => get(dav, id, req.method() == axum::http::Method::HEAD).await,
        ("MOVE", Target::Entry(id)) => {
            let destination = crate::methods::copymove::destination(req.headers())?;
            restore(dav, destination, id).await
        }
        ("DELETE", Target::Entry(id)) => {
            dav.res.purge(id).await?;
            Ok(StatusCode::NO_CONTENT.into_response())
        }
        _ => Err(HttpError::MethodNotAllowed("OPTIONS, PROPFIND, GET, HEAD, MOVE, DELETE")),
    }
}

async fn item(dav: &Dav<'_>, id: i64) -> Result<TrashItem, HttpError> {
    dav.res.trash().await?.into_iter().find(|i| i.entry.id == id).ok_or(HttpError::NotFound)
}

async fn get(dav: &Dav<'_>, id: i64, head: bool) -> Result<Response, HttpError> {
    let item = item(dav, id).await?;
    if item.entry.is_collection {
        return Err(HttpError::MethodNotAllowed("OPTIONS, PROPFIND, MOVE, DELETE"));
    }
    let (content_type, data) = dav.res.trashed_object(id).await?;
    let body = if head { Vec::new() } else { data };
    Ok(([(header::CONTENT_TYPE, content_type)], body).into_response())
}

async fn restore(dav: &Dav<'_>, destination: Option<(String, bool)>, id: i64) -> Result<Response, HttpError> {
    let item = item(dav, id).await?;
    let Some((dst, _)) = destination else {
        return Ok((StatusCode::BAD_GATEWAY, "the destination is on another server\n").into_response());
    };
    if dst.trim_end_matches('/') != item.entry.path.trim_end_matches('/') {
        let reason = format!("a trashed item goes back where it was: /{}", item.entry.path);
        return Err(agora_core::CoreError::Forbidden(reason).into());
    }
    dav.res.restore(id).await?;
    Ok(StatusCode::CREATED.into_response())
}

fn dav_name(local: &str) -> PropName {
    PropName::new(NS_DAV, local)
}

fn agora(local: &str) -> PropName {
    PropName::new(NS_AGORA, local)
}

/// Every property of the trash home or an entry.
fn properties(dav: &Dav<'_>, item: Option<&TrashItem>) -> Vec<PropValue> {
    let Some(item) = item else {
        return vec![
            PropValue::new(dav_name("resourcetype"), Content::Raw("<D:collection/>".into())),
            PropValue::new(dav_name("displayname"), Content::Text(format!("Trash of {}", dav.who.name))),
        ];
    };
    let content_type = match item.what.as_str() {
        "VCARD" => "text/vcard; charset=utf-8",
        "VEVENT" | "VTODO" | "VJOURNAL" => "text/calendar; charset=utf-8",
        _ if item.entry.is_collection => "httpd/unix-directory",
        _ => "application/octet-stream",
    };
    let mut out = vec![
        PropValue::new(dav_name("resourcetype"), Content::Empty),
        PropValue::new(dav_name("displayname"), Content::Text(item.label.clone())),
        PropValue::new(dav_name("getlastmodified"), Content::Text(http_date(item.entry.deleted_at))),
        PropValue::new(dav_name("getcontentlength"), Content::Text(item.entry.size.to_string())),
        PropValue::new(dav_name("getcontenttype"), Content::Text(content_type.into())),
        PropValue::new(agora("original-location"), Content::Hrefs(vec![format!("/{}", item.entry.path)])),
        PropValue::new(agora("trashed-kind"), Content::Text(item.what.clone())),
    ];
    if let Some(by) = &item.deleted_by {
        out.push(PropValue::new(agora("deleted-by"), Content::Text(by.clone())));
    }
    if let Some(at) = item.purge_at {
        out.push(PropValue::new(agora("purge-at"), Content::Text(http_date(at))));
    }
    out
}

/// The propstats of `all` as `wanted` asks (RFC 4918 §9.1): found ones with
/// 200, named but absent ones with 404.
fn select(all: Vec<PropValue>, wanted: &Propfind) -> Vec<PropStat> {
    match wanted {
        Propfind::AllProp { .. } => vec![PropStat { status: 200, props: all }],
        Propfind::PropName => vec![PropStat {
            status: 200,
            props: all.into_iter().map(|p| PropValue::new(p.name, Content::Empty)).collect(),
        }],
        Propfind::Prop(names) => {
            let (mut found, mut missing) = (Vec::new(), Vec::new());
            for name in names {
                match all.iter().find(|p| &p.name == name) {
                    Some(p) => found.push(p.clone()),
                    None => missing.push(PropValue::new(name.clone(), Content::Empty)),
                }
            }
            [(200, found), (404, missing)]
                .into_iter()
                .filter(|(_, props)| !props.is_empty())
                .map(|(status, props)| PropStat { status, props })
                .collect()
        }
    }
}

async fn propfind(dav: &Dav<'_>, req: Request, target: Target) -> Result<Response, HttpError> {
    let depth = request::depth(req.headers(), Depth::Infinity)?;
    if depth == Depth::Infinity {
        return Err(HttpError::Precondition(StatusCode::FORBIDDEN, agora_dav_xml::Precondition::PropfindFiniteDepth));
    }
    let (parts, body) = req.into_parts();
    let body = request::body(body, dav.state.limits.max_request_bytes).await?;
    request::require_xml(&parts.headers, &body)?;
    let wanted = parse_propfind(&body, &dav.state.limits.xml)?;
    let items = dav.res.trash().await?;
    let home = format!("{PREFIX}{}/", dav.who.name);
    let mut out = MultistatusWriter::begin(Vec::new()).expect("writing to memory");
    match target {
        Target::Home => {
            out.response(&home, &select(properties(dav, None), &wanted)).expect("writing to memory");
            if depth == Depth::One {
                for item in &items {
                    let href = format!("{home}{}", item.entry.id);
                    out.response(&href, &select(properties(dav, Some(item)), &wanted)).expect("writing to memory");
                }
            }
        }
        Target::Entry(id) => {
            let item = items.iter().find(|i| i.entry.id == id).ok_or(HttpError::NotFound)?;
            let href = format!("{home}{id}");
            out.response(&href, &select(properties(dav, Some(item)), &wanted)).expect("writing to memory");
        }
    }
    Ok(with_dav_header(multistatus(out.finish().expect("writing to memory"))))
}
