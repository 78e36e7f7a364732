//! Latency statistics. Every latency is kept (microseconds, 4 bytes each: a
//! million requests cost 4 MB), sorted once at the end, and percentiles are
//! read by nearest rank — exact, no histogram buckets to explain.

/// The figures of one kind of request.
#[derive(Clone, Debug, PartialEq)]
pub struct Summary {
    /// Requests answered as expected.
    pub ok: u64,
    /// Failed requests: unexpected status, wrong answer or transport error.
    pub errors: u64,
    /// Successful requests per second of wall time.
    pub per_second: f64,
    /// Latency percentiles and extremes of the successful requests, milliseconds.
    pub p50_ms: f64,
    /// 95th percentile.
    pub p95_ms: f64,
    /// 99th percentile.
    pub p99_ms: f64,
    /// Slowest.
    pub max_ms: f64,
    /// Arithmetic mean.
    pub mean_ms: f64,
}

/// The value at percentile `p` (0-100] of ascending `sorted`: the smallest value
/// with at least p% of the values at or below it. 0 for no value.
pub fn percentile(sorted: &[u32], p: f64) -> u32 {
    if sorted.is_empty() {
        return 0;
    }
    let rank = ((p / 100.0) * sorted.len() as f64).ceil() as usize;
    sorted[rank.clamp(1, sorted.len()) - 1]
}

/// Summarises latencies (microseconds, any order) over `seconds` of wall time.
pub fn summarize(mut micros: Vec<u32>, errors: u64, seconds: f64) -> Summary {
    micros.sort_unstable();
    let ms = |us: u32| f64::from(us) / 1000.0;
    let ok = micros.len() as u64;
    let mean = if micros.is_empty() {
        0.0
    } else {
        micros.iter().map(|&u| f64::from(u)).sum::<f64>() / micros.len() as f64 / 1000.0
    };
    Summary {
        ok,
        errors,
        per_second: if seconds > 0.0 { ok as f64 / seconds } else { 0.0 },
        p50_ms: ms(percentile(&micros, 50.0)),
        p95_ms: ms(percentile(&micros, 95.0)),
        p99_ms: ms(percentile(&micros, 99.0)),
        max_ms: ms(micros.last().copied().unwrap_or(0)),
        mean_ms: mean,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nearest_rank_on_one_to_a_hundred() {
        let v: Vec<u32> = (1..=100).collect();
        assert_eq!(percentile(&v, 50.0), 50);
        assert_eq!(percentile(&v, 95.0), 95);
        assert_eq!(percentile(&v, 99.0), 99);
        assert_eq!(percentile(&v, 100.0), 100);
        assert_eq!(percentile(&v, 0.1), 1);
    }

    #[test]
    fn small_and_empty_samples() {
        assert_eq!(percentile(&[], 50.0), 0);
        assert_eq!(percentile(&[7], 99.0), 7);
        // Of two values the median is the lower one, p95 the upper.
        assert_eq!(percentile(&[3, 9], 50.0), 3);
        assert_eq!(percentile(&[3, 9], 95.0), 9);
    }

    #[test]
    fn p99_needs_two_slow_requests_in_a_hundred() {
        let mut v = vec![1_000u32; 99];
        v.push(250_000);
        let s = summarize(v, 0, 1.0);
        assert_eq!(s.p95_ms, 1.0);
        assert_eq!(s.p99_ms, 1.0);
        assert_eq!(s.max_ms, 250.0);
        let mut v = vec![1_000u32; 98];
        v.extend([250_000, 260_000]);
        assert_eq!(summarize(v, 0, 1.0).p99_ms, 250.0);
    }

    #[test]
    fn summary_orders_its_input_and_rates_successes_only() {
        let s = summarize(vec![4_000, 1_000, 3_000, 2_000], 6, 2.0);
        assert_eq!(s.ok, 4);
        assert_eq!(s.errors, 6);
        assert_eq!(s.per_second, 2.0);
        assert_eq!(s.p50_ms, 2.0);
        assert_eq!(s.max_ms, 4.0);
        assert_eq!(s.mean_ms, 2.5);
        assert_eq!(summarize(Vec::new(), 1, 0.0).per_second, 0.0);
    }
}
