//! `agora audit`: reads the audit log with filters, as a table, CSV (RFC 4180)
//! or JSON lines, paging through the store so that a year's log streams out in
//! bounded memory. Reading the log is itself not logged (only operators can).

use agora_core::Core;
use agora_store::{AuditEntry, AuditFilter};

use super::table;
use super::users::format_time as time;
use crate::cli::{AuditArgs, AuditFormat};
use crate::exit::Failure;

/// Rows read from the store at a time.
const PAGE: i64 = 1000;

pub async fn run(core: &Core, args: &AuditArgs) -> Result<(), Failure> {
    let mut filter = AuditFilter {
        since: args.since.as_deref().map(parse_time).transpose()?,
        until: args.until.as_deref().map(parse_time).transpose()?,
        actor: args.actor.clone(),
        owner: args.user.clone().map(|u| u.to_lowercase()),
        action: args.action.clone(),
        path_prefix: args.path.as_deref().map(|p| p.trim_start_matches('/').to_owned()),
        after: None,
        limit: None,
    };
    let mut left = args.limit.unwrap_or(i64::MAX);
    let mut rows = Vec::new();
    if args.format == AuditFormat::Csv {
        println!("id,time,actor,action,target,owner,detail,address,client");
    }
    while left > 0 {
        filter.limit = Some(left.min(PAGE));
        let page = core.audit(&filter).await?;
        let Some(last) = page.last() else { break };
        filter.after = Some(last.id);
        left -= page.len() as i64;
        for e in &page {
            match args.format {
                AuditFormat::Table => rows.push(cells(e)),
                AuditFormat::Csv => println!("{}", cells(e).iter().map(|c| csv(c)).collect::<Vec<_>>().join(",")),
                AuditFormat::Jsonl => println!("{}", json(e)),
            }
        }
        if (page.len() as i64) < PAGE {
            break;
        }
    }
    if args.format == AuditFormat::Table {
        table::print(&["ID", "TIME", "ACTOR", "ACTION", "TARGET", "OWNER", "DETAIL", "ADDRESS", "CLIENT"], &rows);
    }
    Ok(())
}

fn cells(e: &AuditEntry) -> Vec<String> {
    let opt = |v: &Option<String>| v.clone().unwrap_or_default();
    vec![
        e.id.to_string(),
        time(e.at),
        e.context.actor.clone(),
        e.action.clone(),
        format!("/{}", e.context.target),
        opt(&e.owner),
        opt(&e.detail),
        opt(&e.context.address),
        opt(&e.context.client),
    ]
}

/// One CSV field (RFC 4180 §2): quoted when it holds a comma, quote or line break.
fn csv(field: &str) -> String {
    if field.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", field.replace('"', "\"\""))
    } else {
        field.to_owned()
    }
}

fn json(e: &AuditEntry) -> String {
    serde_json::json!({
        "id": e.id,
        "time": time(e.at),
        "actor": e.context.actor,
        "actor_id": e.context.actor_id,
        "action": e.action,
        "target": format!("/{}", e.context.target),
        "owner": e.owner,
        "detail": e.detail,
        "address": e.context.address,
        "client": e.context.client,
    })
    .to_string()
}

/// `2026-12-01`, `2026-12-01T08:00:00Z` or `2026-12-01 08:00:00` (UTC) as Unix seconds.
fn parse_time(text: &str) -> Result<i64, Failure> {
    let t = text.trim();
    let full = if t.len() == 10 { format!("{t}T00:00:00Z") } else { t.to_owned() };
    let parsed = humantime::parse_rfc3339_weak(full.trim_end_matches('Z'))
        .map_err(|_| Failure::usage(format!("{text:?} is not a time (use 2026-12-01 or 2026-12-01T08:00:00Z, UTC)")))?;
    Ok(parsed.duration_since(std::time::UNIX_EPOCH).map(|d| d.as_secs() as i64).unwrap_or(0))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn csv_fields_are_quoted_only_when_needed() {
        assert_eq!(csv("plain"), "plain");
        assert_eq!(csv("a,b"), "\"a,b\"");
        assert_eq!(csv("say \"hi\""), "\"say \"\"hi\"\"\"");
    }

    #[test]
    fn times_are_read_in_utc() {
        assert_eq!(parse_time("1970-01-02").unwrap(), 86_400);
        assert_eq!(parse_time("1970-01-01T01:00:00Z").unwrap(), 3600);
        assert!(parse_time("yesterday").is_err());
    }
}
