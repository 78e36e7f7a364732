//! `freebusy`: a scheduling assistant asking when 20 colleagues are busy over a
//! week — a VFREEBUSY REQUEST POSTed to the asker's outbox (RFC 6638 §6.1.4),
//! answered 200 with a `schedule-response` holding one `request-status` per
//! attendee. A right answer has all of them in class 2 (success); any other
//! status counts the request as an error. Attendees are the next users after
//! the asker (cycling), so with fewer users each is asked about once; a single
//! user asks about themselves.

use std::sync::Arc;
use std::time::Instant;

use crate::data;
use crate::multistatus;
use crate::runner::{Env, Measured, timed};

const CALDAV: &str = "urn:ietf:params:xml:ns:caldav";

/// Runs `--latency-concurrency` askers for `--duration` seconds.
pub async fn run(env: &Arc<Env>) -> Measured {
    let (c, d) = (env.args.latency_concurrency, env.args.duration);
    let n = env.users.len();
    let per_request = if n == 1 { 1 } else { env.args.attendees.min(n - 1) };
    let mut measured = timed(env, "freebusy", c, d, |w, gate, mut rec| {
        let env = env.clone();
        async move {
            let me = w % n;
            let user = &env.users[me];
            let attendees: Vec<String> = if n == 1 {
                vec![user.email.clone()]
            } else {
                (1..=per_request).map(|k| env.users[(me + k) % n].email.clone()).collect()
            };
            {
                let _slot = env.setup.acquire().await;
                let _ = env.http.propfind(&user.name, &user.calendar, "0", crate::requests::change_markers()).await;
            }
            let deadline = gate.open().await;
            let mut k = w * 5;
            while Instant::now() < deadline {
                let uid = format!("bench-fb-{}-{w}-{k}", env.run_id);
                let body = data::freebusy_request(&uid, &user.email, &attendees, &data::week(k));
                k += 1;
                let post = env.http.post_calendar(&user.name, &user.outbox, body);
                rec.time("freebusy", post, |r| {
                    if r.status != 200 {
                        return Err(format!("POST outbox: {}", r.describe()));
                    }
                    let statuses = multistatus::texts(&r.body, CALDAV, "request-status")?;
                    let good = statuses.iter().filter(|s| s.starts_with('2')).count();
                    if good != attendees.len() {
                        let bad = statuses.iter().find(|s| !s.starts_with('2')).cloned().unwrap_or_default();
                        return Err(format!(
                            "schedule-response: {good} of {} attendees answered with success (e.g. '{bad}')",
                            attendees.len()
                        ));
                    }
                    Ok(())
                })
                .await;
            }
            rec
        }
    })
    .await;
    measured.extra = serde_json::json!({ "attendees_per_request": per_request, "range": "one week" });
    measured
}
