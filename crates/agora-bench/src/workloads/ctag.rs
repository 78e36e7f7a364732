//! `ctag`: the polling path. Clients ask a calendar for its change marker
//! (CalendarServer `getctag`, RFC 6578 `sync-token`) every few minutes, and
//! nothing more when it did not change: by far the most frequent request a
//! CalDAV server answers. Each client polls its own user's calendar.

use std::sync::Arc;
use std::time::Instant;

use super::change_marker;
use crate::requests;
use crate::runner::{Env, Measured, timed};

/// Runs `--concurrency` pollers for `--duration` seconds.
pub async fn run(env: &Arc<Env>) -> Measured {
    let (c, d) = (env.args.concurrency, env.args.duration);
    timed(env, "ctag", c, d, |w, gate, mut rec| {
        let env = env.clone();
        async move {
            let user = &env.users[w % env.users.len()];
            let ask = || env.http.propfind(&user.name, &user.calendar, "0", requests::change_markers());
            {
                // Sign in before the clock starts.
                let _slot = env.setup.acquire().await;
                let _ = ask().await;
            }
            let deadline = gate.open().await;
            while Instant::now() < deadline {
                rec.time("ctag", ask(), change_marker).await;
            }
            rec
        }
    })
    .await
}
