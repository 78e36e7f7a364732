//! `agora-bench populate`: fills every user's calendar, task list and address
//! book through PUT, and the big user's calendar and address book up to their
//! big sizes. Creation is conditional (`If-None-Match: *`): an object already
//! there answers 412 and counts as present, so a rerun only fills what is
//! missing and costs one cheap request per object.

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Instant;

use crate::accounts::{self, User};
use crate::cli::PopulateArgs;
use crate::client::{Condition, Http};
use crate::data::{self, Item};
use crate::progress::Progress;
use crate::recorder::{Counters, Recorder};
use crate::report;

/// One collection to fill: whose, where, with what, how many.
struct Fill {
    user: usize,
    collection: fn(&User) -> &str,
    make: fn(usize) -> Item,
    count: usize,
}

/// Populates; fails when any object could not be written.
pub async fn run(args: PopulateArgs) -> Result<(), String> {
    let t = &args.target;
    let users = Arc::new(accounts::users(t)?);
    let http = Http::new(&t.url, &t.password, t.timeout)?;
    let big = t.big_user - 1;
    let mut plan = Vec::new();
    for u in 0..users.len() {
        let (events, contacts) = if u == big {
            (t.big_events.max(t.events_per_user), t.big_contacts.max(args.contacts_per_user))
        } else {
            (t.events_per_user, args.contacts_per_user)
        };
        plan.push(Fill { user: u, collection: |u| u.calendar.as_str(), make: data::event, count: events });
        plan.push(Fill { user: u, collection: |u| u.tasks.as_str(), make: data::task, count: args.tasks_per_user });
        plan.push(Fill { user: u, collection: |u| u.addressbook.as_str(), make: data::contact, count: contacts });
    }
    let total: usize = plan.iter().map(|f| f.count).sum();
    eprintln!(
        "populating {} users ({} events, {} tasks, {} contacts each; user {} holds {} events and {} contacts): {total} objects",
        users.len(),
        t.events_per_user,
        args.tasks_per_user,
        args.contacts_per_user,
        users[big].name,
        t.big_events.max(t.events_per_user),
        t.big_contacts.max(args.contacts_per_user),
    );
    let plan = Arc::new(plan);
    let next = Arc::new(AtomicUsize::new(0));
    let counters = Arc::new(Counters::default());
    let progress = Progress::start("populate".into(), counters.clone(), Some(total as u64), None);
    let started = Instant::now();
    let workers: Vec<_> = (0..args.concurrency.max(1))
        .map(|_| {
            let (plan, next, users, http) = (plan.clone(), next.clone(), users.clone(), http.clone());
            let mut rec = Recorder::new(counters.clone());
            tokio::spawn(async move {
                while let Some((fill, i)) = nth(&plan, next.fetch_add(1, Ordering::Relaxed)) {
                    let user = &users[fill.user];
                    let item = (fill.make)(i);
                    let path = format!("{}{}", (fill.collection)(user), item.name);
                    let put = http.put(&user.name, &path, item.body, Condition::Absent);
                    let outcome = rec
                        .time("populate", put, |r| match r.status {
                            201 | 204 => Ok(true),
                            412 => Ok(false),
                            _ => Err(format!("PUT {path}: {}", r.describe())),
                        })
                        .await;
                    match outcome {
                        Some(true) => rec.items("created", 1),
                        Some(false) => rec.items("already present", 1),
                        None => {}
                    }
                }
                rec
            })
        })
        .collect();
    let mut all = Recorder::new(Arc::new(Counters::default()));
    for w in workers {
        all.merge(w.await.map_err(|e| format!("a populating worker stopped: {e}"))?);
    }
    progress.finish().await;
    let seconds = started.elapsed().as_secs_f64();
    let (logs, _) = all.into_logs();
    let count = |kind: &str| logs.iter().find(|l| l.kind == kind).map_or(0, |l| l.items);
    let (created, present) = (count("created"), count("already present"));
    let errors: u64 = logs.iter().map(|l| l.errors).sum();
    let put = logs.iter().find(|l| l.kind == "populate");
    let summary = crate::stats::summarize(put.map(|l| l.micros.clone()).unwrap_or_default(), errors, seconds);
    println!(
        "populated in {seconds:.1} s: {created} created, {present} already present, {errors} failed; \
         {:.0} PUT/s, p50 {:.2} ms, p99 {:.2} ms",
        summary.per_second, summary.p50_ms, summary.p99_ms
    );
    if errors > 0 {
        report::print_examples("populate", &logs);
        return Err(format!("{errors} objects could not be written"));
    }
    Ok(())
}

/// The `n`-th object of the plan: its collection and index.
fn nth(plan: &[Fill], mut n: usize) -> Option<(&Fill, usize)> {
    for f in plan {
        if n < f.count {
            return Some((f, n));
        }
        n -= f.count;
    }
    None
}
