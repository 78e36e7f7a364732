//! `delta-sync`: what a client does every time the ctag moved — `sync-collection`
//! from the token it kept (RFC 6578 §3.2) — on the big calendar after 10 changes.
//!
//! Once, untimed: read the calendar's token (the `DAV:sync-token` property, RFC
//! 6578 §4), then change 10 events (PUT). Then every worker repeats the sync
//! from that same token for the whole duration: each request is the sync a
//! client makes after 10 changes, and the rate is not diluted by the PUTs. Each
//! answer must list the 10 changed events, else it counts as an error.

use std::sync::Arc;
use std::time::Instant;

use super::{multistatus_of, sync_token_prop};
use crate::client::Condition;
use crate::data;
use crate::recorder::{Counters, Recorder, expect_status};
use crate::requests;
use crate::runner::{Env, Measured, timed};

/// Changes made before the syncs.
const CHANGES: usize = 10;

/// Prepares the token and the changes, then times the syncs.
pub async fn run(env: &Arc<Env>) -> Measured {
    let big = env.big_user().clone();
    let mut setup = Recorder::new(Arc::new(Counters::default()));
    let token = setup
        .time("setup", env.http.propfind(&big.name, &big.calendar, "0", requests::change_markers()), sync_token_prop)
        .await;
    // Ten events spread over the calendar; the revision differs from run to run
    // so that every run really changes them.
    let events = env.big_events();
    let changed: Vec<usize> =
        (0..CHANGES.min(events)).map(|k| (k * events / CHANGES + env.run_id as usize) % events).collect();
    let revision = (env.run_id % 1_000_000) as u32 + 1;
    for &i in &changed {
        let item = data::event_as(&format!("event-{i}"), i, revision);
        let path = format!("{}{}", big.calendar, item.name);
        let put = env.http.put(&big.name, &path, item.body, Condition::None);
        setup.time("setup", put, |r| expect_status(r, &[200, 201, 204], "PUT of a change")).await;
    }
    let names: Arc<Vec<String>> = Arc::new(changed.iter().map(|i| format!("/event-{i}.ics")).collect());

    let (c, d) = (env.args.latency_concurrency, env.args.duration);
    let mut measured = timed(env, "delta-sync", c, d, |_, gate, mut rec| {
        let (env, big, token, names) = (env.clone(), big.clone(), token.clone(), names.clone());
        async move {
            let deadline = gate.open().await;
            let Some(token) = token else {
                rec.fail("delta-sync", "no sync token to start from".into());
                return rec;
            };
            while Instant::now() < deadline {
                let sync = env.http.report(&big.name, &big.calendar, "0", requests::sync_collection(&token));
                let judged = rec
                    .time("delta-sync", sync, |r| {
                        let m = multistatus_of(r, "sync-collection")?;
                        let missing: Vec<&String> =
                            names.iter().filter(|n| !m.members.iter().any(|x| x.href.ends_with(n.as_str()))).collect();
                        if !missing.is_empty() {
                            return Err(format!(
                                "the delta lists {} members but misses {} changed events, e.g. {}",
                                m.members.len(),
                                missing.len(),
                                missing[0]
                            ));
                        }
                        Ok(m.members.len())
                    })
                    .await;
                if let Some(n) = judged {
                    rec.items("delta-sync", n as u64);
                }
            }
            rec
        }
    })
    .await;
    let (setup_logs, _) = setup.into_logs();
    let setup_errors: Vec<String> = setup_logs.iter().flat_map(|l| l.examples.clone()).collect();
    if let Some(l) = setup_logs.into_iter().find(|l| l.errors > 0) {
        measured.logs.push(l);
    }
    measured.extra = serde_json::json!({ "changes": changed.len(), "setup_errors": setup_errors,
        "method": "one token taken before the changes, every request syncs from it" });
    measured
}
