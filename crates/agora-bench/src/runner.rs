//! Running a timed workload: C workers prepare untimed (sign in, fetch a token),
//! meet at a barrier, then loop until the deadline while the progress line and
//! the server's memory sampler run. Only what happens between the barrier and
//! the deadline is measured.

use std::future::Future;
use std::sync::Arc;
use std::time::{Duration, Instant};

use tokio::sync::{Barrier, Semaphore};

use crate::accounts::User;
use crate::cli::RunArgs;
use crate::client::Http;
use crate::memory::Sampler;
use crate::progress::Progress;
use crate::recorder::{Counters, Log, Recorder};

/// Untimed preparation requests in flight at once. The first request of a user
/// costs the server a deliberately slow password hash (Agora: Argon2, 19 MiB
/// each); a thousand at once would measure a login storm, not the workload.
pub const SETUP_AT_ONCE: usize = 8;

/// What every workload reads.
pub struct Env {
    /// The server.
    pub http: Http,
    /// The accounts (index 0 is user 1).
    pub users: Vec<User>,
    /// Index of the user holding the big calendar and address book.
    pub big: usize,
    /// The command line.
    pub args: RunArgs,
    /// Bounds the untimed preparation, see [`SETUP_AT_ONCE`].
    pub setup: Semaphore,
    /// Distinguishes this run's new objects from earlier runs' (seconds since 1970).
    pub run_id: u64,
}

impl Env {
    /// Shared state for a run.
    pub fn new(http: Http, users: Vec<User>, args: RunArgs) -> Env {
        let run_id = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map_or(0, |d| d.as_secs());
        Env { http, big: args.target.big_user - 1, users, args, setup: Semaphore::new(SETUP_AT_ONCE), run_id }
    }

    /// The big user.
    pub fn big_user(&self) -> &User {
        &self.users[self.big]
    }

    /// Events the big calendar holds at least after population.
    pub fn big_events(&self) -> usize {
        self.args.target.big_events.max(self.args.target.events_per_user)
    }
}

/// The barrier between preparation and measurement.
#[derive(Clone)]
pub struct Gate {
    barrier: Arc<Barrier>,
    duration: Duration,
}

impl Gate {
    /// Waits for every worker to be ready; returns the deadline. Every worker
    /// must call it once, also when its preparation failed.
    pub async fn open(&self) -> Instant {
        self.barrier.wait().await;
        Instant::now() + self.duration
    }
}

/// One workload's outcome.
pub struct Measured {
    /// Name in the report.
    pub name: String,
    /// Seconds measured (from the barrier until the last worker stopped).
    pub seconds: f64,
    /// Workers (or simulated users).
    pub workers: usize,
    /// Per kind of request.
    pub logs: Vec<Log>,
    /// Remarks counted by the workers.
    pub notes: std::collections::BTreeMap<&'static str, u64>,
    /// Largest server `VmRSS` sampled while it ran, KiB.
    pub rss_peak_kb: Option<u64>,
    /// Workload-specific figures for the JSON report (initial-sync totals...).
    pub extra: serde_json::Value,
    /// A check the results failed (objects missing): the run exits non-zero.
    pub failed_check: Option<String>,
}

impl Measured {
    /// Errors of every kind.
    pub fn errors(&self) -> u64 {
        self.logs.iter().map(|l| l.errors).sum()
    }
}

/// Runs `workers` copies of `worker` for `seconds`, measuring between the gate
/// and the deadline.
pub async fn timed<F, Fut>(env: &Arc<Env>, name: &str, workers: usize, seconds: f64, worker: F) -> Measured
where
    F: Fn(usize, Gate, Recorder) -> Fut,
    Fut: Future<Output = Recorder> + Send + 'static,
{
    let workers = workers.max(1);
    let counters = Arc::new(Counters::default());
    let gate = Gate { barrier: Arc::new(Barrier::new(workers + 1)), duration: Duration::from_secs_f64(seconds) };
    let handles: Vec<_> =
        (0..workers).map(|w| tokio::spawn(worker(w, gate.clone(), Recorder::new(counters.clone())))).collect();
    gate.barrier.wait().await;
    let started = Instant::now();
    let sampler = env.args.server_pid.map(Sampler::start);
    let progress = Progress::start(name.to_owned(), counters.clone(), None, Some(seconds));
    let mut all = Recorder::new(Arc::new(Counters::default()));
    for h in handles {
        match h.await {
            Ok(r) => all.merge(r),
            Err(e) => all.fail("worker", format!("a worker stopped: {e}")),
        }
    }
    let elapsed = started.elapsed().as_secs_f64();
    progress.finish().await;
    let rss_peak_kb = match (sampler, env.args.server_pid) {
        (Some(s), Some(pid)) => s.finish(pid).await,
        _ => None,
    };
    let (logs, notes) = all.into_logs();
    Measured {
        name: name.to_owned(),
        seconds: elapsed,
        workers,
        logs,
        notes,
        rss_peak_kb,
        extra: serde_json::Value::Null,
        failed_check: None,
    }
}
