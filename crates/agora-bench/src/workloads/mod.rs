//! The named workloads of the benchmark, one file each, and the judgements they
//! share. A reply is right only if its status is the one RFCs prescribe and its
//! body says what was asked; anything else is counted as an error, with the
//! server's words kept for the report.

mod ctag;
mod delta_sync;
mod freebusy;
mod initial_sync;
mod mixed;
mod put;
mod range;

use std::sync::Arc;

use crate::client::Reply;
use crate::multistatus::{self, Multistatus};
use crate::runner::{Env, Measured};

/// Every workload, in the default order.
pub const ALL: [&str; 7] = ["ctag", "initial-sync", "delta-sync", "range", "put", "freebusy", "mixed"];

/// Runs the workload `name`; one or more results (initial-sync has two).
pub async fn run(env: &Arc<Env>, name: &str) -> Result<Vec<Measured>, String> {
    Ok(match name {
        "ctag" => vec![ctag::run(env).await],
        "initial-sync" => initial_sync::run(env).await,
        "delta-sync" => vec![delta_sync::run(env).await],
        "range" => vec![range::run(env).await],
        "put" => vec![put::run(env).await],
        "freebusy" => vec![freebusy::run(env).await],
        "mixed" => vec![mixed::run(env).await],
        other => return Err(format!("unknown workload '{other}' (known: {})", ALL.join(", "))),
    })
}

/// A 207 whose body is a multistatus.
fn multistatus_of(reply: &Reply, what: &str) -> Result<Multistatus, String> {
    if reply.status != 207 {
        return Err(format!("{what}: {}", reply.describe()));
    }
    multistatus::parse(&reply.body).map_err(|e| format!("{what}: {e}"))
}

/// The change marker of a Depth 0 PROPFIND for `getctag` and `sync-token`: the
/// ctag if the server has one, else the sync token.
fn change_marker(reply: &Reply) -> Result<String, String> {
    let m = multistatus_of(reply, "PROPFIND getctag")?;
    let [member] = m.members.as_slice() else {
        return Err(format!("PROPFIND Depth 0 answered {} members instead of one", m.members.len()));
    };
    member
        .prop("getctag")
        .or(member.prop("sync-token"))
        .map(str::to_owned)
        .ok_or_else(|| "PROPFIND: neither getctag nor sync-token found".to_owned())
}

/// The sync token of a Depth 0 PROPFIND (RFC 6578 §4).
fn sync_token_prop(reply: &Reply) -> Result<String, String> {
    let m = multistatus_of(reply, "PROPFIND sync-token")?;
    m.members
        .first()
        .and_then(|member| member.prop("sync-token"))
        .map(str::to_owned)
        .ok_or_else(|| "PROPFIND: no DAV:sync-token on the collection".to_owned())
}
