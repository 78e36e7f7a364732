//! `/api/admin/users`: list (with usage, quota, flags), create, change
//! (disable, administrator, quota, password reset) and delete users.
//!
//! A reset without a given password generates one and answers it, once, as
//! `agora user passwd` prints it; the store keeps only its hash.

use std::collections::HashMap;

use agora_core::admin::UserChange;
use agora_core::directory::NewEntry;
use agora_core::{Core, Principal, PrincipalKind};
use axum::extract::{Path, Request, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use serde_json::{Value, json};

use super::{
    admin, admin_object, bad, bool_field, done, emails_field, number_field, ok, refresh_gal, refused, text_field, time,
};
use crate::api::{Api, internal};

/// A user as the page shows them.
async fn describe(core: &Core, u: &Principal, usage: &HashMap<i64, i64>) -> Value {
    let quota = agora_core::admin::effective_quota(u.settings.quota_bytes, core.config().user_quota_bytes);
    json!({
        "login": u.name,
        "displayName": u.display_name,
        "emails": u.emails,
        "administrator": u.settings.administrator,
        "disabled": u.settings.disabled,
        "usedBytes": usage.get(&u.id).copied().unwrap_or(0),
        // The user's own quota: null follows the server's, 0 is unlimited.
        "quotaBytes": u.settings.quota_bytes,
        // What applies: null is unlimited.
        "effectiveQuotaBytes": quota,
        "createdAt": time(u.created_at),
    })
}

pub(super) async fn list(State(api): State<Api>, req: Request) -> Response {
    let who = match admin(&api, req.headers()).await {
        Ok(who) => who,
        Err(r) => return r,
    };
    let dir = api.app.core.directory();
    let (users, usage) = match (dir.list(Some(PrincipalKind::User)).await, dir.usage().await) {
        (Ok(u), Ok(s)) => (u, s),
        (Err(e), _) | (_, Err(e)) => return refused(e),
    };
    let mut out = Vec::with_capacity(users.len());
    for u in &users {
        out.push(describe(&api.app.core, u, &usage).await);
    }
    let server = api.app.core.config().user_quota_bytes;
    ok(&who, StatusCode::OK, json!({ "users": out, "serverQuotaBytes": server }))
}

pub(super) async fn create(State(api): State<Api>, req: Request) -> Response {
    let (who, map) = match admin_object(&api, req).await {
        Ok(both) => both,
        Err(r) => return r,
    };
    let fields = (|| {
        let login = text_field(&map, "login")?.ok_or_else(|| bad("login is required"))?;
        let entry =
            NewEntry { name: login, display_name: text_field(&map, "displayName")?, emails: emails_field(&map)? };
        let password = text_field(&map, "password")?.filter(|p| !p.is_empty());
        let change = UserChange {
            administrator: bool_field(&map, "administrator")?,
            quota_bytes: number_field(&map, "quotaBytes", i64::MAX as u64)?,
            disabled: None,
        };
        Ok::<_, super::Bad>((entry, password, change))
    })();
    let (entry, password, change) = match fields {
        Ok(f) => f,
        Err(b) => return b.into_response(),
    };
    let generated = password.is_none();
    let secret = password.unwrap_or_else(agora_core::password::generate);
    let dir = api.app.core.directory();
    let user = match dir.add_user(&entry, &secret).await {
        Ok(u) => u,
        Err(e) => return refused(e),
    };
    let user = if change != UserChange::default() {
        match dir.set_user(&user.name, &change).await {
            Ok(u) => u,
            Err(e) => return refused(e),
        }
    } else {
        user
    };
    refresh_gal(&api).await;
    tracing::info!(admin = %who.name, user = %user.name, "user created");
    let mut body = json!({ "user": describe(&api.app.core, &user, &HashMap::new()).await });
    if generated {
        body["password"] = json!(secret);
    }
    ok(&who, StatusCode::CREATED, body)
}

pub(super) async fn change(State(api): State<Api>, Path(name): Path<String>, req: Request) -> Response {
    let (who, map) = match admin_object(&api, req).await {
        Ok(both) => both,
        Err(r) => return r,
    };
    let fields = (|| {
        let change = UserChange {
            disabled: bool_field(&map, "disabled")?,
            administrator: bool_field(&map, "administrator")?,
            quota_bytes: number_field(&map, "quotaBytes", i64::MAX as u64)?,
        };
        let password = text_field(&map, "password")?.filter(|p| !p.is_empty());
        let reset = bool_field(&map, "resetPassword")?.unwrap_or(false);
        Ok::<_, super::Bad>((change, password, reset))
    })();
    let (change, password, reset) = match fields {
        Ok(f) => f,
        Err(b) => return b.into_response(),
    };
    let dir = api.app.core.directory();
    let mut user = match dir.get(Some(PrincipalKind::User), &name).await {
        Ok(u) => u,
        Err(e) => return refused(e),
    };
    if user.id == who.principal_id && change.disabled == Some(true) {
        return refused(agora_core::CoreError::Conflict("you cannot disable your own account".into()));
    }
    if change != UserChange::default() {
        user = match dir.set_user(&user.name, &change).await {
            Ok(u) => u,
            Err(e) => return refused(e),
        };
    }
    let mut body = json!({});
    if reset || password.is_some() {
        let generated = password.is_none();
        let secret = password.unwrap_or_else(agora_core::password::generate);
        if let Err(e) = dir.set_password(&user.name, &secret).await {
            return refused(e);
        }
        tracing::info!(admin = %who.name, user = %user.name, "password reset");
        if generated {
            body["password"] = json!(secret);
        }
    }
    let usage = match dir.usage().await {
        Ok(u) => u,
        Err(e) => return internal(e),
    };
    body["user"] = describe(&api.app.core, &user, &usage).await;
    ok(&who, StatusCode::OK, body)
}

pub(super) async fn delete(State(api): State<Api>, Path(name): Path<String>, req: Request) -> Response {
    let who = match admin(&api, req.headers()).await {
        Ok(who) => who,
        Err(r) => return r,
    };
    let dir = api.app.core.directory();
    match dir.get(Some(PrincipalKind::User), &name).await {
        Ok(u) if u.id == who.principal_id => {
            return refused(agora_core::CoreError::Conflict("you cannot delete your own account".into()));
        }
        Ok(_) => {}
        Err(e) => return refused(e),
    }
    match dir.delete(PrincipalKind::User, &name).await {
        Ok(()) => {
            refresh_gal(&api).await;
            tracing::info!(admin = %who.name, user = %name, "user deleted");
            done(&who)
        }
        Err(e) => refused(e),
    }
}
