//! Store latency, reported to the `metrics` facade (rendered at `/metrics`).

use std::time::Instant;

/// Records the time from its creation to its drop as
/// `agora_store_operation_seconds{op=…}`.
pub(crate) struct OpTimer {
    op: &'static str,
    start: Instant,
}

impl OpTimer {
    pub(crate) fn start(op: &'static str) -> Self {
        OpTimer { op, start: Instant::now() }
    }
}

impl Drop for OpTimer {
    fn drop(&mut self) {
        metrics::histogram!("agora_store_operation_seconds", "op" => self.op)
            .record(self.start.elapsed().as_secs_f64());
    }
}
