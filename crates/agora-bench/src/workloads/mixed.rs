//! `mixed`: a day in the life of many users, compressed. Each simulated user is
//! a device with its own connection and its own account: it signs in and syncs
//! its calendar once (untimed), then, after a random pause of `--think-ms` on
//! average (half to one and a half times it), does one of
//! - 85 %: poll the calendar's ctag, and sync-collection from its token when the
//!   ctag moved (its own edits move it);
//! - 5 %: a sync-collection anyway (the periodic sync of DAVx5, Evolution);
//! - 7 %: edit one of its events (PUT with If-Match, the ETag it knows);
//! - 3 %: a calendar-query for a week (someone opens the calendar view).
//!
//! With 1,000 users and 3 s of thinking that is about 350 requests/s: a few
//! hundred, as the benchmark issue asks. Latencies are reported per kind, and
//! the server's peak memory over the whole workload.

use std::collections::HashMap;
use std::sync::Arc;
use std::time::{Duration, Instant};

use rand::{Rng, SeedableRng};

use super::{change_marker, multistatus_of};
use crate::client::{Condition, Http};
use crate::data;
use crate::recorder::{Recorder, expect_status};
use crate::requests;
use crate::runner::{Env, Measured, timed};

/// Cumulative shares of the actions, in percent: poll, forced sync, edit, query.
const POLL: u32 = 85;
const SYNC: u32 = POLL + 5;
const EDIT: u32 = SYNC + 7;

/// What a device remembers between two actions.
struct Device {
    http: Http,
    user: usize,
    ctag: Option<String>,
    token: String,
    etags: HashMap<String, String>,
    revision: u32,
}

/// Runs the simulated users for `--duration` seconds.
pub async fn run(env: &Arc<Env>) -> Measured {
    let wanted = env.args.mixed_users.unwrap_or(env.users.len());
    let users = wanted.min(env.users.len()).max(1);
    if wanted > users {
        eprintln!("mixed: {wanted} users asked, {users} exist: simulating {users}");
    }
    let mut measured = timed(env, "mixed", users, env.args.duration, |w, gate, mut rec| {
        let env = env.clone();
        async move {
            let mut rng = rand::rngs::StdRng::seed_from_u64(env.run_id ^ (w as u64).wrapping_mul(0x9E37_79B9));
            let device = {
                let _slot = env.setup.acquire().await;
                prepare(&env, w).await
            };
            let deadline = gate.open().await;
            let mut device = match device {
                Ok(d) => d,
                Err(e) => {
                    rec.fail("setup", e);
                    return rec;
                }
            };
            let mean = env.args.think_ms.max(1);
            // The first pause spreads the users' starts over one mean pause.
            let mut pause = rng.gen_range(0..mean);
            loop {
                let wake = Instant::now() + Duration::from_millis(pause);
                if wake >= deadline {
                    break;
                }
                tokio::time::sleep_until(wake.into()).await;
                let roll = rng.gen_range(0..100);
                if roll < POLL {
                    poll(&env, &mut device, &mut rec).await;
                } else if roll < SYNC {
                    sync(&env, &mut device, &mut rec).await;
                } else if roll < EDIT {
                    let i = rng.gen_range(0..env.args.target.events_per_user.max(1));
                    edit(&env, &mut device, &mut rec, i).await;
                } else {
                    let week = rng.gen_range(0..data::WEEKS);
                    query(&env, &device, &mut rec, week).await;
                }
                pause = rng.gen_range(mean / 2..=mean + mean / 2);
            }
            rec
        }
    })
    .await;
    measured.extra = serde_json::json!({
        "users": users, "think_ms": env.args.think_ms,
        "mix_percent": { "poll (+ sync when the ctag moved)": POLL, "sync": SYNC - POLL, "edit": EDIT - SYNC, "query": 100 - EDIT },
    });
    measured
}

/// Signs in and syncs once, as a device does when it is set up.
async fn prepare(env: &Env, w: usize) -> Result<Device, String> {
    let user = &env.users[w];
    let http = env.http.own_pool()?;
    let ctag = change_marker(&http.propfind(&user.name, &user.calendar, "0", requests::change_markers()).await?)?;
    let reply = http.report(&user.name, &user.calendar, "0", requests::sync_collection("")).await?;
    let m = multistatus_of(&reply, "sync-collection")?;
    let etags = m
        .members
        .iter()
        .filter_map(|x| Some((last_segment(&x.href).to_owned(), x.prop("getetag")?.to_owned())))
        .collect();
    Ok(Device {
        http,
        user: w,
        ctag: Some(ctag),
        token: m.sync_token.unwrap_or_default(),
        etags,
        revision: (env.run_id % 1_000_000) as u32 + 1,
    })
}

fn last_segment(href: &str) -> &str {
    href.rsplit('/').next().unwrap_or(href)
}

async fn poll(env: &Env, d: &mut Device, rec: &mut Recorder) {
    let user = &env.users[d.user];
    let asked = d.http.propfind(&user.name, &user.calendar, "0", requests::change_markers());
    if let Some(ctag) = rec.time("mixed poll", asked, change_marker).await
        && d.ctag.as_ref() != Some(&ctag)
    {
        d.ctag = Some(ctag);
        sync(env, d, rec).await;
    }
}

async fn sync(env: &Env, d: &mut Device, rec: &mut Recorder) {
    let user = &env.users[d.user];
    let asked = d.http.report(&user.name, &user.calendar, "0", requests::sync_collection(&d.token));
    if let Some(m) = rec.time("mixed sync", asked, |r| multistatus_of(r, "sync-collection")).await {
        rec.items("mixed sync", m.members.len() as u64);
        for x in &m.members {
            let name = last_segment(&x.href).to_owned();
            match x.prop("getetag") {
                Some(etag) => d.etags.insert(name, etag.to_owned()),
                None => d.etags.remove(&name),
            };
        }
        if let Some(t) = m.sync_token {
            d.token = t;
        }
    }
}

async fn edit(env: &Env, d: &mut Device, rec: &mut Recorder, i: usize) {
    let user = &env.users[d.user];
    d.revision += 1;
    let item = data::event_as(&format!("event-{i}"), i, d.revision);
    let condition = match d.etags.get(&item.name) {
        Some(etag) => Condition::Matches(etag.clone()),
        None => {
            rec.note("mixed edit of an event whose ETag is unknown: unconditional");
            Condition::None
        }
    };
    let path = format!("{}{}", user.calendar, item.name);
    let put = d.http.put(&user.name, &path, item.body, condition);
    if let Some(etag) = rec
        .time("mixed edit", put, |r| {
            expect_status(r, &[200, 201, 204], "PUT If-Match")?;
            Ok(r.etag.clone())
        })
        .await
    {
        match etag {
            Some(e) => d.etags.insert(item.name, e),
            None => d.etags.remove(&item.name),
        };
    }
}

async fn query(env: &Env, d: &Device, rec: &mut Recorder, week: usize) {
    let user = &env.users[d.user];
    let (start, end) = data::week(week);
    let asked = d.http.report(&user.name, &user.calendar, "1", requests::events_between(&start, &end, false));
    if let Some(n) = rec.time("mixed query", asked, |r| Ok(multistatus_of(r, "calendar-query")?.members.len())).await {
        rec.items("mixed query", n as u64);
    }
}
