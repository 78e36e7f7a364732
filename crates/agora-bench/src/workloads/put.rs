//! `put`: many clients writing at once. Each creates a new event (`If-None-Match:
//! *`, a new UID) and then updates it once with `If-Match` and the ETag the
//! creation returned — the two writes every client makes — in its own user's
//! calendar (never the big user's when there are others, so the big calendar
//! keeps its size). Writes per second count both. New events are named after
//! the run, so a rerun never collides; they stay in the store.

use std::sync::Arc;
use std::time::Instant;

use crate::client::Condition;
use crate::data;
use crate::recorder::expect_status;
use crate::runner::{Env, Measured, timed};

/// Runs `--concurrency` writers for `--duration` seconds.
pub async fn run(env: &Arc<Env>) -> Measured {
    let (c, d) = (env.args.concurrency, env.args.duration);
    let writers: Arc<Vec<usize>> =
        Arc::new(if env.users.len() > 1 { (0..env.users.len()).filter(|&u| u != env.big).collect() } else { vec![0] });
    let mut measured = timed(env, "put", c, d, |w, gate, mut rec| {
        let (env, writers) = (env.clone(), writers.clone());
        async move {
            let user = &env.users[writers[w % writers.len()]];
            {
                let _slot = env.setup.acquire().await;
                let _ = env.http.propfind(&user.name, &user.calendar, "0", crate::requests::change_markers()).await;
            }
            let deadline = gate.open().await;
            let mut n = 0usize;
            while Instant::now() < deadline {
                let key = format!("put-{}-{w}-{n}", env.run_id);
                let path = format!("{}{key}.ics", user.calendar);
                let shape = w * 7919 + n;
                n += 1;
                let create = env.http.put(&user.name, &path, data::event_as(&key, shape, 0).body, Condition::Absent);
                let Some(etag) = rec
                    .time("put create", create, |r| {
                        expect_status(r, &[201, 204], "PUT If-None-Match: *")?;
                        Ok(r.etag.clone())
                    })
                    .await
                else {
                    continue;
                };
                let condition = match etag {
                    Some(e) => Condition::Matches(e),
                    None => {
                        rec.note("PUT create answered without an ETag: updated unconditionally");
                        Condition::None
                    }
                };
                let update = env.http.put(&user.name, &path, data::event_as(&key, shape, 1).body, condition);
                rec.time("put update", update, |r| expect_status(r, &[200, 204], "PUT If-Match")).await;
            }
            rec
        }
    })
    .await;
    measured.extra = serde_json::json!({ "users_written": writers.len().min(c) });
    measured
}
