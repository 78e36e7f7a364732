//! `/api/admin/groups` (with their direct members) and `/api/admin/resources`
//! (rooms and equipment with capacity, auto-accept and who may book them).

use agora_core::admin::ResourceChange;
use agora_core::directory::NewEntry;
use agora_core::{Principal, PrincipalKind, ResourceKind};
use axum::extract::{Path, Request, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use serde_json::{Map, Value, json};

use super::{
    admin, admin_object, bad, bool_field, directory_changed, emails_field, number_field, ok, refresh_gal, refused,
    text_field,
};
use crate::api::Api;

fn kind_word(k: PrincipalKind) -> &'static str {
    match k {
        PrincipalKind::User => "user",
        PrincipalKind::Group => "group",
        PrincipalKind::Resource => "resource",
    }
}

/// The entry of a create request (`name`, `displayName`, `email`/`emails`).
fn entry(map: &Map<String, Value>) -> Result<NewEntry, super::Bad> {
    let name = text_field(map, "name")?.ok_or_else(|| bad("name is required"))?;
    Ok(NewEntry { name, display_name: text_field(map, "displayName")?, emails: emails_field(map)? })
}

pub(super) async fn groups(State(api): State<Api>, req: Request) -> Response {
    let who = match admin(&api, req.headers()).await {
        Ok(who) => who,
        Err(r) => return r,
    };
    let dir = api.app.core.directory();
    let list = match dir.list(Some(PrincipalKind::Group)).await {
        Ok(l) => l,
        Err(e) => return refused(e),
    };
    let mut out = Vec::with_capacity(list.len());
    for g in list {
        let members = match dir.members(&g.name).await {
            Ok(m) => m,
            Err(e) => return refused(e),
        };
        let members: Vec<Value> = members
            .iter()
            .map(|m| json!({ "name": m.name, "displayName": m.display_name, "kind": kind_word(m.kind) }))
            .collect();
        out.push(json!({ "name": g.name, "displayName": g.display_name, "emails": g.emails, "members": members }));
    }
    ok(&who, StatusCode::OK, json!({ "groups": out }))
}

pub(super) async fn create_group(State(api): State<Api>, req: Request) -> Response {
    let (who, map) = match admin_object(&api, req).await {
        Ok(both) => both,
        Err(r) => return r,
    };
    let entry = match entry(&map) {
        Ok(e) => e,
        Err(b) => return b.into_response(),
    };
    match api.app.core.directory().add_group(&entry).await {
        Ok(g) => {
            refresh_gal(&api).await;
            let body = json!({ "name": g.name, "displayName": g.display_name, "emails": g.emails, "members": [] });
            ok(&who, StatusCode::CREATED, body)
        }
        Err(e) => refused(e),
    }
}

pub(super) async fn delete_group(State(api): State<Api>, Path(name): Path<String>, req: Request) -> Response {
    let who = match admin(&api, req.headers()).await {
        Ok(who) => who,
        Err(r) => return r,
    };
    directory_changed(&api, &who, api.app.core.directory().delete(PrincipalKind::Group, &name).await).await
}

pub(super) async fn add_member(
    State(api): State<Api>,
    Path((group, member)): Path<(String, String)>,
    req: Request,
) -> Response {
    let who = match admin(&api, req.headers()).await {
        Ok(who) => who,
        Err(r) => return r,
    };
    directory_changed(&api, &who, api.app.core.directory().add_member(&group, &member).await).await
}

pub(super) async fn remove_member(
    State(api): State<Api>,
    Path((group, member)): Path<(String, String)>,
    req: Request,
) -> Response {
    let who = match admin(&api, req.headers()).await {
        Ok(who) => who,
        Err(r) => return r,
    };
    directory_changed(&api, &who, api.app.core.directory().remove_member(&group, &member).await).await
}

/// A resource as the page shows it; `groups` names the bookers group.
fn describe(r: &Principal, groups: &[Principal]) -> Value {
    let s = &r.settings;
    let bookers = s.bookers.and_then(|id| groups.iter().find(|g| g.id == id)).map(|g| g.name.clone());
    json!({
        "name": r.name,
        "displayName": r.display_name,
        "kind": r.resource_kind.map_or("equipment", |k| k.as_str()),
        "emails": r.emails,
        "capacity": s.capacity,
        "autoAccept": s.auto_accept,
        "bookers": bookers,
    })
}

/// The booking settings of a request; `bookers` is a group name, or `null` for anyone.
fn change(map: &Map<String, Value>) -> Result<ResourceChange, super::Bad> {
    let bookers = match map.get("bookers") {
        None => None,
        Some(Value::Null) => Some(None),
        Some(Value::String(g)) if g.trim().is_empty() => Some(None),
        Some(Value::String(g)) => Some(Some(g.clone())),
        Some(_) => return Err(bad("bookers must be a group name or null")),
    };
    Ok(ResourceChange {
        capacity: number_field(map, "capacity", u64::from(u32::MAX))?.map(|c| c.map(|c| c as u32)),
        auto_accept: bool_field(map, "autoAccept")?,
        bookers,
    })
}

pub(super) async fn resources(State(api): State<Api>, req: Request) -> Response {
    let who = match admin(&api, req.headers()).await {
        Ok(who) => who,
        Err(r) => return r,
    };
    let dir = api.app.core.directory();
    let (list, groups) =
        match (dir.list(Some(PrincipalKind::Resource)).await, dir.list(Some(PrincipalKind::Group)).await) {
            (Ok(l), Ok(g)) => (l, g),
            (Err(e), _) | (_, Err(e)) => return refused(e),
        };
    let out: Vec<Value> = list.iter().map(|r| describe(r, &groups)).collect();
    ok(&who, StatusCode::OK, json!({ "resources": out }))
}

pub(super) async fn create_resource(State(api): State<Api>, req: Request) -> Response {
    let (who, map) = match admin_object(&api, req).await {
        Ok(both) => both,
        Err(r) => return r,
    };
    let fields = (|| {
        let kind = match text_field(&map, "kind")?.as_deref() {
            Some("room") | None => ResourceKind::Room,
            Some("equipment") => ResourceKind::Equipment,
            Some(_) => return Err(bad("kind is room or equipment")),
        };
        Ok::<_, super::Bad>((entry(&map)?, kind, change(&map)?))
    })();
    let (entry, kind, change) = match fields {
        Ok(f) => f,
        Err(b) => return b.into_response(),
    };
    let dir = api.app.core.directory();
    // The bookers group is checked before anything is created.
    if let Some(Some(group)) = &change.bookers
        && let Err(e) = dir.get(Some(PrincipalKind::Group), group).await
    {
        return refused(e);
    }
    let mut r = match dir.add_resource(&entry, kind).await {
        Ok(r) => r,
        Err(e) => return refused(e),
    };
    if change != ResourceChange::default() {
        r = match dir.set_resource(&r.name, &change).await {
            Ok(r) => r,
            Err(e) => return refused(e),
        };
    }
    refresh_gal(&api).await;
    tracing::info!(admin = %who.name, resource = %r.name, "resource created");
    let groups = dir.list(Some(PrincipalKind::Group)).await.unwrap_or_default();
    ok(&who, StatusCode::CREATED, describe(&r, &groups))
}

pub(super) async fn change_resource(State(api): State<Api>, Path(name): Path<String>, req: Request) -> Response {
    let (who, map) = match admin_object(&api, req).await {
        Ok(both) => both,
        Err(r) => return r,
    };
    let change = match change(&map) {
        Ok(c) => c,
        Err(b) => return b.into_response(),
    };
    let dir = api.app.core.directory();
    match dir.set_resource(&name, &change).await {
        Ok(r) => {
            refresh_gal(&api).await;
            let groups = dir.list(Some(PrincipalKind::Group)).await.unwrap_or_default();
            ok(&who, StatusCode::OK, describe(&r, &groups))
        }
        Err(e) => refused(e),
    }
}

pub(super) async fn delete_resource(State(api): State<Api>, Path(name): Path<String>, req: Request) -> Response {
    let who = match admin(&api, req.headers()).await {
        Ok(who) => who,
        Err(r) => return r,
    };
    directory_changed(&api, &who, api.app.core.directory().delete(PrincipalKind::Resource, &name).await).await
}
