//! The results: a table on stdout, the same figures and more in JSON, and the
//! server's words for every kind of failure on stderr.

use crate::recorder::Log;
use crate::runner::Measured;
use crate::stats::{Summary, summarize};

/// One line of the table.
struct Row {
    label: String,
    requests: u64,
    summary: Summary,
    total_seconds: Option<f64>,
    rss_mb: Option<f64>,
}

fn rows(m: &Measured) -> Vec<Row> {
    let rss_mb = m.rss_peak_kb.map(|kb| kb as f64 / 1024.0);
    // A one-off sync is one figure, its total time; its requests are pooled.
    if let Some(total) = m.extra.get("total_seconds").and_then(|v| v.as_f64()) {
        let micros = m.logs.iter().flat_map(|l| l.micros.iter().copied()).collect();
        let summary = summarize(micros, m.errors(), m.seconds);
        let requests = summary.ok + summary.errors;
        return vec![Row { label: m.name.clone(), requests, summary, total_seconds: Some(total), rss_mb }];
    }
    m.logs
        .iter()
        .enumerate()
        .map(|(i, l)| {
            let summary = summarize(l.micros.clone(), l.errors, m.seconds);
            let label = if m.logs.len() == 1 && l.kind == m.name { m.name.clone() } else { l.kind.to_owned() };
            Row {
                label,
                requests: summary.ok + summary.errors,
                summary,
                total_seconds: None,
                rss_mb: if i == 0 { rss_mb } else { None },
            }
        })
        .collect()
}

/// The table, header included.
pub fn table(measured: &[Measured]) -> String {
    let mut out = format!(
        "{:<24} {:>9} {:>9} {:>8} {:>8} {:>8} {:>7} {:>8} {:>9}\n",
        "workload", "requests", "req/s", "p50 ms", "p95 ms", "p99 ms", "errors", "total s", "peak MB"
    );
    for m in measured {
        for r in rows(m) {
            let opt = |v: Option<f64>, prec: usize| v.map_or_else(|| "-".to_owned(), |v| format!("{v:.prec$}"));
            let rate = if r.total_seconds.is_some() { "-".to_owned() } else { format!("{:.0}", r.summary.per_second) };
            out.push_str(&format!(
                "{:<24} {:>9} {:>9} {:>8.2} {:>8.2} {:>8.2} {:>7} {:>8} {:>9}\n",
                r.label,
                r.requests,
                rate,
                r.summary.p50_ms,
                r.summary.p95_ms,
                r.summary.p99_ms,
                r.summary.errors,
                opt(r.total_seconds, 2),
                opt(r.rss_mb, 1),
            ));
        }
    }
    out
}

fn kind_json(l: &Log, seconds: f64) -> serde_json::Value {
    let s = summarize(l.micros.clone(), l.errors, seconds);
    serde_json::json!({
        "kind": l.kind, "requests": s.ok + s.errors, "ok": s.ok, "errors": s.errors,
        "requests_per_second": s.per_second, "p50_ms": s.p50_ms, "p95_ms": s.p95_ms, "p99_ms": s.p99_ms,
        "max_ms": s.max_ms, "mean_ms": s.mean_ms, "items": l.items,
        "items_per_request": if s.ok > 0 { l.items as f64 / s.ok as f64 } else { 0.0 },
        "error_examples": l.examples,
    })
}

/// One workload in the JSON report.
pub fn workload_json(m: &Measured) -> serde_json::Value {
    serde_json::json!({
        "name": m.name, "clients": m.workers, "seconds": m.seconds, "errors": m.errors(),
        "server_rss_peak_kb": m.rss_peak_kb,
        "kinds": m.logs.iter().map(|l| kind_json(l, m.seconds)).collect::<Vec<_>>(),
        "notes": m.notes, "details": m.extra, "failed_check": m.failed_check,
    })
}

/// Prints the reasons of failures, one kind at a time, on stderr.
pub fn print_examples(name: &str, logs: &[Log]) {
    for l in logs.iter().filter(|l| l.errors > 0) {
        eprintln!("{name}: {} failed {} requests, e.g.:", l.kind, l.errors);
        for e in &l.examples {
            eprintln!("    {e}");
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn measured(name: &str, kinds: &[(&'static str, Vec<u32>, u64)], extra: serde_json::Value) -> Measured {
        Measured {
            name: name.into(),
            seconds: 2.0,
            workers: 1,
            logs: kinds
                .iter()
                .map(|(k, m, e)| Log { kind: k, micros: m.clone(), errors: *e, ..Log::default() })
                .collect(),
            notes: Default::default(),
            rss_peak_kb: Some(2048),
            extra,
            failed_check: None,
        }
    }

    #[test]
    fn one_row_per_kind_and_one_per_sync() {
        let ctag = measured("ctag", &[("ctag", vec![1000, 2000], 1)], serde_json::Value::Null);
        let mixed =
            measured("mixed", &[("mixed poll", vec![1000], 0), ("mixed edit", vec![3000], 2)], serde_json::Value::Null);
        let sync = measured(
            "initial-sync calendar",
            &[("listing", vec![5000], 0), ("multiget", vec![1000, 1000], 0)],
            serde_json::json!({ "total_seconds": 0.25 }),
        );
        let t = table(&[ctag, mixed, sync]);
        let lines: Vec<&str> = t.lines().collect();
        assert_eq!(lines.len(), 5, "{t}");
        assert!(lines[1].starts_with("ctag ") && lines[1].contains("       3 "), "{t}");
        assert!(lines[1].trim_end().ends_with("2.0"), "peak RSS on the workload's first row: {t}");
        assert!(lines[3].starts_with("mixed edit") && lines[3].trim_end().ends_with('-'), "{t}");
        assert!(lines[4].starts_with("initial-sync calendar") && lines[4].contains("0.25"), "{t}");
    }
}
