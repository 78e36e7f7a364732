//! What each worker writes down: per kind of request its latencies, errors (with
//! the first few reasons, so a server fault can be reported as it was seen) and
//! items (objects listed or fetched). Each worker owns its recorder — no lock on
//! the hot path — and shares only two counters for the progress line.

use std::collections::BTreeMap;
use std::future::Future;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Instant;

use crate::client::Reply;

/// Reasons kept per kind of request.
const EXAMPLES: usize = 5;

/// Running totals the progress line reads.
#[derive(Default)]
pub struct Counters {
    /// Requests done.
    pub requests: AtomicU64,
    /// Of which failed.
    pub errors: AtomicU64,
}

/// One kind of request (a workload has one or several).
#[derive(Debug, Default)]
pub struct Log {
    /// Its name in the report.
    pub kind: &'static str,
    /// Latencies of the successful requests, microseconds.
    pub micros: Vec<u32>,
    /// Failed requests.
    pub errors: u64,
    /// Objects the successful requests carried.
    pub items: u64,
    /// The first distinct reasons of failure.
    pub examples: Vec<String>,
}

/// A worker's notes.
pub struct Recorder {
    counters: Arc<Counters>,
    logs: Vec<Log>,
    /// Things worth knowing that are not errors ("PUT answered without ETag").
    pub notes: BTreeMap<&'static str, u64>,
}

impl Recorder {
    /// A recorder feeding `counters`.
    pub fn new(counters: Arc<Counters>) -> Recorder {
        Recorder { counters, logs: Vec::new(), notes: BTreeMap::new() }
    }

    fn log(&mut self, kind: &'static str) -> &mut Log {
        match self.logs.iter().position(|l| l.kind == kind) {
            Some(i) => &mut self.logs[i],
            None => {
                self.logs.push(Log { kind, ..Log::default() });
                self.logs.last_mut().expect("just pushed")
            }
        }
    }

    /// A success that took `micros`.
    pub fn ok(&mut self, kind: &'static str, micros: u32) {
        self.counters.requests.fetch_add(1, Ordering::Relaxed);
        self.log(kind).micros.push(micros);
    }

    /// A failure, and why.
    pub fn fail(&mut self, kind: &'static str, why: String) {
        self.counters.requests.fetch_add(1, Ordering::Relaxed);
        self.counters.errors.fetch_add(1, Ordering::Relaxed);
        let log = self.log(kind);
        log.errors += 1;
        if log.examples.len() < EXAMPLES && !log.examples.contains(&why) {
            log.examples.push(why);
        }
    }

    /// Objects carried by a request of this kind.
    pub fn items(&mut self, kind: &'static str, n: u64) {
        self.log(kind).items += n;
    }

    /// Counts a remark.
    pub fn note(&mut self, what: &'static str) {
        *self.notes.entry(what).or_default() += 1;
    }

    /// Times `request` (until its body is read) and judges the reply: a transport
    /// error or a reply `judge` refuses is a failure. Returns what `judge` made
    /// of a good reply.
    pub async fn time<T>(
        &mut self,
        kind: &'static str,
        request: impl Future<Output = Result<Reply, String>>,
        judge: impl FnOnce(&Reply) -> Result<T, String>,
    ) -> Option<T> {
        let started = Instant::now();
        let reply = request.await;
        let micros = u32::try_from(started.elapsed().as_micros()).unwrap_or(u32::MAX);
        match reply.and_then(|r| judge(&r)) {
            Ok(v) => {
                self.ok(kind, micros);
                Some(v)
            }
            Err(why) => {
                self.fail(kind, why);
                None
            }
        }
    }

    /// Takes in another worker's notes.
    pub fn merge(&mut self, other: Recorder) {
        for l in other.logs {
            let mine = self.log(l.kind);
            mine.micros.extend(l.micros);
            mine.errors += l.errors;
            mine.items += l.items;
            for e in l.examples {
                if mine.examples.len() < EXAMPLES && !mine.examples.contains(&e) {
                    mine.examples.push(e);
                }
            }
        }
        for (k, v) in other.notes {
            *self.notes.entry(k).or_default() += v;
        }
    }

    /// The logs, in the order kinds were first seen.
    pub fn into_logs(self) -> (Vec<Log>, BTreeMap<&'static str, u64>) {
        (self.logs, self.notes)
    }
}

/// The usual judgement: this status, else a failure quoting the answer.
pub fn expect_status(reply: &Reply, wanted: &[u16], what: &str) -> Result<(), String> {
    if wanted.contains(&reply.status) { Ok(()) } else { Err(format!("{what}: {}", reply.describe())) }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn merging_keeps_kinds_apart_and_examples_few() {
        let counters = Arc::new(Counters::default());
        let mut a = Recorder::new(counters.clone());
        let mut b = Recorder::new(counters.clone());
        a.ok("poll", 10);
        b.ok("poll", 20);
        b.ok("edit", 30);
        for i in 0..8 {
            b.fail("edit", format!("reason {}", i % 7));
        }
        b.note("n");
        a.merge(b);
        let (logs, notes) = a.into_logs();
        assert_eq!(logs.len(), 2);
        assert_eq!(logs[0].micros, [10, 20]);
        assert_eq!(logs[1].errors, 8);
        assert_eq!(logs[1].examples.len(), EXAMPLES);
        assert_eq!(notes["n"], 1);
        assert_eq!(counters.requests.load(Ordering::Relaxed), 11);
        assert_eq!(counters.errors.load(Ordering::Relaxed), 8);
    }
}
