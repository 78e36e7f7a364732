//! The server's memory, read from `/proc/PID/status` (Linux): `VmRSS` is the
//! resident set now, `VmHWM` its high-water mark since the process started.
//! Sampling every 100 ms catches the peaks of a workload that `VmHWM` alone
//! would blur with earlier ones (population, logins).

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::time::Duration;

/// Resident and peak resident memory of a process, in KiB.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Reading {
    /// `VmRSS`.
    pub rss_kb: u64,
    /// `VmHWM`.
    pub hwm_kb: u64,
}

/// Reads `pid`'s memory; `None` when the process is gone or not on Linux.
pub fn read(pid: u32) -> Option<Reading> {
    parse(&std::fs::read_to_string(format!("/proc/{pid}/status")).ok()?)
}

fn parse(status: &str) -> Option<Reading> {
    let field = |name: &str| {
        status.lines().find_map(|l| l.strip_prefix(name)?.trim().strip_suffix("kB")?.trim().parse::<u64>().ok())
    };
    Some(Reading { rss_kb: field("VmRSS:")?, hwm_kb: field("VmHWM:")? })
}

/// Samples `VmRSS` every 100 ms until stopped, keeping the largest.
pub struct Sampler {
    stop: Arc<AtomicBool>,
    peak: Arc<AtomicU64>,
    task: tokio::task::JoinHandle<()>,
}

impl Sampler {
    /// Starts sampling `pid`.
    pub fn start(pid: u32) -> Sampler {
        let (stop, peak) = (Arc::new(AtomicBool::new(false)), Arc::new(AtomicU64::new(0)));
        let (s, p) = (stop.clone(), peak.clone());
        let task = tokio::spawn(async move {
            while !s.load(Ordering::Relaxed) {
                if let Some(r) = read(pid) {
                    p.fetch_max(r.rss_kb, Ordering::Relaxed);
                }
                tokio::time::sleep(Duration::from_millis(100)).await;
            }
        });
        Sampler { stop, peak, task }
    }

    /// Stops and returns the largest `VmRSS` seen (KiB), with one last sample.
    pub async fn finish(self, pid: u32) -> Option<u64> {
        self.stop.store(true, Ordering::Relaxed);
        let _ = self.task.await;
        if let Some(r) = read(pid) {
            self.peak.fetch_max(r.rss_kb, Ordering::Relaxed);
        }
        Some(self.peak.load(Ordering::Relaxed)).filter(|&kb| kb > 0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_the_two_fields() {
        let status = "Name:\tagora\nVmPeak:\t  900 kB\nVmHWM:\t   51234 kB\nVmRSS:\t   40960 kB\nThreads:\t5\n";
        assert_eq!(parse(status), Some(Reading { rss_kb: 40960, hwm_kb: 51234 }));
        assert_eq!(parse("Name:\tkthread\n"), None);
    }

    #[test]
    fn this_process_has_memory() {
        if cfg!(target_os = "linux") {
            let r = read(std::process::id()).expect("our own status");
            assert!(r.rss_kb > 0 && r.hwm_kb >= r.rss_kb);
        }
    }
}
