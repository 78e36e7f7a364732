//! `initial-sync`: a client's first sync of the big calendar and the big address
//! book, done the way DAVx5 and Thunderbird do it — `sync-collection` with an
//! empty token for the list of members and their ETags (RFC 6578 §3.2), then
//! `calendar-multiget` / `addressbook-multiget` in batches of 100 — one request
//! at a time, as one client does. The figure is the total time.
//!
//! It also checks the answer: every member listed must come back with its data,
//! and at least as many members as were populated must be listed. A shortfall
//! fails the run (the smoke test relies on it).

use std::sync::Arc;
use std::time::Instant;

use super::multistatus_of;
use crate::memory::Sampler;
use crate::progress::Progress;
use crate::recorder::{Counters, Recorder};
use crate::requests::{self, Multiget};
use crate::runner::{Env, Measured};

/// Objects per multiget, as the clients named above use.
const BATCH: usize = 100;

/// Syncs the big calendar, then the big address book.
pub async fn run(env: &Arc<Env>) -> Vec<Measured> {
    let big = env.big_user();
    vec![
        one(env, "initial-sync calendar", &big.calendar, Multiget::Calendar, env.big_events()).await,
        one(env, "initial-sync contacts", &big.addressbook, Multiget::Addressbook, env.args.target.big_contacts).await,
    ]
}

async fn one(env: &Arc<Env>, name: &str, collection: &str, kind: Multiget, expected: usize) -> Measured {
    let user = &env.big_user().name;
    let counters = Arc::new(Counters::default());
    let mut rec = Recorder::new(counters.clone());
    // Sign in before the clock starts.
    let _ = env.http.propfind(user, collection, "0", requests::change_markers()).await;
    let progress = Progress::start(name.to_owned(), counters, None, None);
    let sampler = env.args.server_pid.map(Sampler::start);

    let started = Instant::now();
    let mut hrefs = Vec::new();
    let mut token = String::new();
    loop {
        let listing = env.http.report(user, collection, "0", requests::sync_collection(&token));
        let Some(m) = rec.time("listing", listing, |r| multistatus_of(r, "sync-collection")).await else { break };
        // RFC 6578 §3.6: a 507 for the collection itself means "more to come,
        // ask again with the token given".
        let truncated = m.members.iter().any(|x| x.status == Some(507));
        hrefs.extend(m.members.into_iter().filter(|x| x.status.is_none() && !x.href.ends_with('/')).map(|x| x.href));
        token = m.sync_token.unwrap_or_default();
        if !truncated || token.is_empty() {
            break;
        }
    }
    let listing_seconds = started.elapsed().as_secs_f64();
    rec.items("listing", hrefs.len() as u64);

    let started_fetch = Instant::now();
    let (mut fetched, mut bytes) = (0usize, 0usize);
    let data = match kind {
        Multiget::Calendar => "calendar-data",
        Multiget::Addressbook => "address-data",
    };
    for batch in hrefs.chunks(BATCH) {
        let request = env.http.report(user, collection, "1", requests::multiget(kind, batch));
        let answer = rec.time("multiget", request, |r| Ok((multistatus_of(r, "multiget")?, r.body.len()))).await;
        if let Some((m, len)) = answer {
            let with_data = m.members.iter().filter(|x| x.prop(data).is_some_and(|d| !d.trim().is_empty())).count();
            fetched += with_data;
            bytes += len;
            rec.items("multiget", with_data as u64);
        }
    }
    let multiget_seconds = started_fetch.elapsed().as_secs_f64();
    progress.finish().await;
    let rss_peak_kb = match (sampler, env.args.server_pid) {
        (Some(s), Some(pid)) => s.finish(pid).await,
        _ => None,
    };

    let listed = hrefs.len();
    let mut failed_check = None;
    if fetched < listed {
        failed_check = Some(format!("{name}: {} of {listed} members listed came back without data", listed - fetched));
    } else if listed < expected {
        failed_check = Some(format!("{name}: {listed} members listed, at least {expected} were populated"));
    }
    let (logs, notes) = rec.into_logs();
    Measured {
        name: name.to_owned(),
        seconds: listing_seconds + multiget_seconds,
        workers: 1,
        logs,
        notes,
        rss_peak_kb,
        extra: serde_json::json!({
            "collection": collection, "listed": listed, "fetched": fetched, "expected_at_least": expected,
            "bytes": bytes, "listing_seconds": listing_seconds, "multiget_seconds": multiget_seconds,
            "total_seconds": listing_seconds + multiget_seconds,
        }),
        failed_check,
    }
}
