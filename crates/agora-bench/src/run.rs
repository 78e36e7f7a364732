//! `agora-bench run`: the workloads in order, the server's memory around them,
//! then the table and the JSON report. Timings are measured, never judged; the
//! run fails only when objects are missing (or, with `--strict`, on any error).

use std::sync::Arc;

use crate::accounts;
use crate::cli::RunArgs;
use crate::client::Http;
use crate::memory;
use crate::report;
use crate::runner::{Env, Measured};
use crate::workloads;

/// Runs; `Ok(false)` when a check failed.
pub async fn run(args: RunArgs) -> Result<bool, String> {
    for w in &args.workloads {
        if !workloads::ALL.contains(&w.as_str()) {
            return Err(format!("unknown workload '{w}' (known: {})", workloads::ALL.join(", ")));
        }
    }
    if !args.duration.is_finite() || args.duration <= 0.0 {
        return Err("--duration must be positive".into());
    }
    let labels = args
        .labels
        .iter()
        .map(|l| l.split_once('=').map(|(k, v)| (k.to_owned(), label_value(v))))
        .collect::<Option<serde_json::Map<_, _>>>()
        .ok_or("a --label is KEY=VALUE")?;
    let users = accounts::users(&args.target)?;
    let http = Http::new(&args.target.url, &args.target.password, args.target.timeout)?;
    let env = Arc::new(Env::new(http, users, args));
    let pid = env.args.server_pid;
    let before = pid.and_then(memory::read);
    if let (Some(pid), None) = (pid, before) {
        return Err(format!("cannot read /proc/{pid}/status: is the server's pid right?"));
    }
    let date = chrono::DateTime::<chrono::Utc>::from(std::time::SystemTime::now()).to_rfc3339();

    let mut results: Vec<Measured> = Vec::new();
    for name in &env.args.workloads {
        for m in workloads::run(&env, name).await? {
            report::print_examples(&m.name, &m.logs);
            for (note, n) in &m.notes {
                eprintln!("{}: {n} × {note}", m.name);
            }
            results.push(m);
        }
    }
    let after = pid.and_then(memory::read);

    print!("{}", report::table(&results));
    let mb = |kb: u64| kb as f64 / 1024.0;
    if let (Some(b), Some(a)) = (before, after) {
        println!(
            "server memory: {:.1} MB resident before the workloads, {:.1} MB after, {:.1} MB at most since it started (VmHWM)",
            mb(b.rss_kb),
            mb(a.rss_kb),
            mb(a.hwm_kb)
        );
    }
    let a = &env.args;
    let t = &a.target;
    let report = serde_json::json!({
        "tool": "agora-bench", "version": env!("CARGO_PKG_VERSION"), "date": date, "url": env.http.base(),
        "labels": labels,
        "parameters": {
            "users": t.users, "user_pattern": t.user_pattern, "big_user": t.big_user,
            "big_events": t.big_events, "big_contacts": t.big_contacts, "events_per_user": t.events_per_user,
            "workloads": a.workloads, "concurrency": a.concurrency,
            "latency_concurrency": a.latency_concurrency, "duration_seconds": a.duration,
            "attendees": a.attendees, "range_calendar_data": a.range_calendar_data,
            "mixed_users": a.mixed_users.unwrap_or(t.users).min(t.users), "think_ms": a.think_ms,
            "server_pid": a.server_pid, "sign_ins_at_once": crate::runner::SETUP_AT_ONCE,
        },
        "server_memory": {
            "rss_before_workloads_kb": before.map(|r| r.rss_kb), "rss_after_workloads_kb": after.map(|r| r.rss_kb),
            "hwm_kb": after.map(|r| r.hwm_kb),
        },
        "workloads": results.iter().map(report::workload_json).collect::<Vec<_>>(),
    });
    if let Some(path) = &a.json {
        let text = serde_json::to_string_pretty(&report).map_err(|e| e.to_string())?;
        std::fs::write(path, text + "\n").map_err(|e| format!("cannot write {path}: {e}"))?;
    }

    let mut ok = true;
    for m in &results {
        if let Some(why) = &m.failed_check {
            eprintln!("FAILED: {why}");
            ok = false;
        }
    }
    let errors: u64 = results.iter().map(Measured::errors).sum();
    if a.strict && errors > 0 {
        eprintln!("FAILED: {errors} requests failed (--strict)");
        ok = false;
    }
    Ok(ok)
}

/// A label's value: a number stays a number in the JSON, anything else is text.
fn label_value(v: &str) -> serde_json::Value {
    match serde_json::from_str::<serde_json::Value>(v) {
        Ok(n @ serde_json::Value::Number(_)) => n,
        _ => serde_json::Value::from(v),
    }
}
