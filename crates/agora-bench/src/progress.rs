//! The progress line on stderr: redrawn four times a second on a terminal, one
//! line every five seconds otherwise (a CI log must not fill with redraws).

use std::io::{IsTerminal, Write};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use crate::recorder::Counters;

/// A running progress display.
pub struct Progress {
    stop: Arc<AtomicBool>,
    task: tokio::task::JoinHandle<()>,
}

impl Progress {
    /// Shows `label` with the counters; `total` is the number of requests
    /// expected when known (population), `seconds` the planned duration.
    pub fn start(label: String, counters: Arc<Counters>, total: Option<u64>, seconds: Option<f64>) -> Progress {
        let stop = Arc::new(AtomicBool::new(false));
        let s = stop.clone();
        let task = tokio::spawn(async move {
            let tty = std::io::stderr().is_terminal();
            let every = if tty { Duration::from_millis(250) } else { Duration::from_secs(5) };
            let started = Instant::now();
            let mut last = Instant::now();
            loop {
                let done = s.load(Ordering::Relaxed);
                // In a log, a line just before the last one says nothing new.
                let ending = !tty && seconds.is_some_and(|s| started.elapsed().as_secs_f64() > s - 1.0);
                if done || (last.elapsed() >= every && !ending) {
                    last = Instant::now();
                    let line = render(&label, &counters, total, seconds, started.elapsed().as_secs_f64());
                    let mut err = std::io::stderr().lock();
                    let _ = if tty {
                        write!(err, "\r\x1b[K{line}{}", if done { "\n" } else { "" })
                    } else {
                        writeln!(err, "{line}")
                    };
                    let _ = err.flush();
                }
                if done {
                    return;
                }
                tokio::time::sleep(Duration::from_millis(50)).await;
            }
        });
        Progress { stop, task }
    }

    /// Draws the last state and stops.
    pub async fn finish(self) {
        self.stop.store(true, Ordering::Relaxed);
        let _ = self.task.await;
    }
}

fn render(label: &str, c: &Counters, total: Option<u64>, seconds: Option<f64>, elapsed: f64) -> String {
    let requests = c.requests.load(Ordering::Relaxed);
    let errors = c.errors.load(Ordering::Relaxed);
    let of = total.map(|t| format!("/{t}")).unwrap_or_default();
    let planned = seconds.map(|s| format!("/{s:.0}")).unwrap_or_default();
    format!(
        "{label}: {elapsed:.0}{planned} s, {requests}{of} requests, {errors} errors, {:.0}/s",
        requests as f64 / elapsed.max(1e-3)
    )
}
