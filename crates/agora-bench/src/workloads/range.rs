//! `range`: a calendar view opening on a week — `calendar-query` with a one-week
//! `time-range` on VEVENT (RFC 4791 §7.8, §9.9) against the big calendar, so
//! recurring events whose later instances fall in the week must match too. The
//! week changes at every request, walking the populated 2026-2027 span; each
//! worker starts elsewhere. ETags only by default, as DAVx5 and iOS ask (they
//! multiget afterwards); `--range-calendar-data` asks for the data too.

use std::sync::Arc;
use std::time::Instant;

use super::multistatus_of;
use crate::data;
use crate::requests;
use crate::runner::{Env, Measured, timed};

/// Runs `--latency-concurrency` clients for `--duration` seconds.
pub async fn run(env: &Arc<Env>) -> Measured {
    let (c, d) = (env.args.latency_concurrency, env.args.duration);
    let with_data = env.args.range_calendar_data;
    let mut measured = timed(env, "range", c, d, |w, gate, mut rec| {
        let env = env.clone();
        async move {
            let big = env.big_user();
            {
                let _slot = env.setup.acquire().await;
                let _ = env.http.propfind(&big.name, &big.calendar, "0", requests::change_markers()).await;
            }
            let deadline = gate.open().await;
            let mut k = w * 13;
            while Instant::now() < deadline {
                let (start, end) = data::week(k);
                k += 1;
                let query =
                    env.http.report(&big.name, &big.calendar, "1", requests::events_between(&start, &end, with_data));
                if let Some(n) =
                    rec.time("range", query, |r| Ok(multistatus_of(r, "calendar-query")?.members.len())).await
                {
                    rec.items("range", n as u64);
                }
            }
            rec
        }
    })
    .await;
    measured.extra = serde_json::json!({ "calendar_data": with_data, "span": "one week, 2026-01-05 to 2027-12-27" });
    measured
}
