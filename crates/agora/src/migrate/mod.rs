//! `agora migrate`: brings a user's calendars, task lists, notes and address
//! books from another CalDAV/CardDAV server (SOGo, Nextcloud, Radicale,
//! iCloud, another Agora…), discovered from its base URL, into the user's
//! homes, without sending any invitation. Resumable and idempotent: a state
//! file records what came, so that a second run brings only what changed.
//!
//! # Layout
//! - `client`: HTTP to the other server (PROPFIND, REPORT, GET; redirects).
//! - `discovery`: well-known URLs, principal, homes, collections.
//! - `local`: the local collection each remote one goes to.
//! - `sync`: one collection's members: list, compare, fetch, write, delete.
//! - `state`: the state file.
//! - `report`: the summary and the objects not brought.
//! - `users`: the `--users` file and reading passwords.

mod client;
mod discovery;
mod local;
mod report;
mod state;
mod sync;
mod users;

use std::path::PathBuf;

use agora_core::{Core, Identity};
use reqwest::Url;

use crate::cli::MigrateArgs;
use crate::exit::{Failure, PARTIAL, REMOTE};
use crate::progress::Progress;
use crate::settings::Settings;
use report::{CollectionReport, Counts, Problem, Report};
use state::State;
use sync::{Context, Fatal};
use users::Account;

/// Runs `agora migrate` for one user or for every user of the list.
pub async fn run(core: &Core, settings: &Settings, args: &MigrateArgs) -> Result<(), Failure> {
    let base = base_url(&args.from)?;
    let accounts = users::accounts(args)?;
    let mut worst: Option<Failure> = None;
    for account in &accounts {
        let state_path = match &args.state {
            Some(p) if accounts.len() == 1 => p.clone(),
            _ => default_state_path(settings, &account.local),
        };
        let outcome = migrate_user(core, &base, account, &state_path, args).await;
        if let Err(failure) = outcome {
            if accounts.len() > 1 {
                eprintln!("agora: {}: {}", account.local, failure.message);
            }
            // A fatal error outranks an incomplete migration.
            if worst.as_ref().is_none_or(|w| w.code == PARTIAL) {
                worst = Some(failure);
            }
        }
    }
    match worst {
        Some(f) if accounts.len() > 1 => {
            Err(Failure { message: "some users were not migrated completely (see above)".into(), code: f.code })
        }
        Some(f) => Err(f),
        None => Ok(()),
    }
}

/// `<data-dir>/migrate/<user>.json`.
fn default_state_path(settings: &Settings, user: &str) -> PathBuf {
    settings.data_dir.join("migrate").join(format!("{user}.json"))
}

fn base_url(raw: &str) -> Result<Url, Failure> {
    let mut url = Url::parse(raw.trim()).map_err(|e| Failure::usage(format!("--from {raw:?} is not a URL: {e}")))?;
    if !matches!(url.scheme(), "http" | "https") || url.host_str().is_none() {
        return Err(Failure::usage(format!("--from {raw:?}: an http:// or https:// address is needed")));
    }
    if !url.username().is_empty() || url.password().is_some() {
        return Err(Failure::usage(
            "--from must not carry a login or password: use --login and --password-file (or AGORA_MIGRATE_PASSWORD)",
        ));
    }
    if !url.path().ends_with('/') {
        let path = format!("{}/", url.path());
        url.set_path(&path);
    }
    Ok(url)
}

async fn migrate_user(
    core: &Core,
    base: &Url,
    account: &Account,
    state_path: &std::path::Path,
    args: &MigrateArgs,
) -> Result<(), Failure> {
    let p = core.directory().get(None, &account.local).await?;
    let who = Identity { principal_id: p.id, name: p.name.clone() };
    let res = core.resources(&who);
    res.ensure_homes().await?;
    let remote = client::Remote::new(&account.login, account.password.clone()).map_err(Failure::io)?;
    let remote_failure = |e: client::RemoteError| Failure { message: e.to_string(), code: REMOTE };
    let found = discovery::discover(&remote, base).await.map_err(remote_failure)?;
    let mut state = State::load(state_path).map_err(Failure::usage)?;
    let cx = Context { res: &res, remote: &remote, dry_run: args.dry_run, batch: args.batch, state_path };
    let mut report = Report::default();
    for n in &found.not_brought {
        report.notes.push(format!("{}: {}", client::shown(&n.url), n.why));
    }
    let mut progress = Progress::new(&format!("{}: objects", account.local), 0);
    for rc in &found.collections {
        let key = rc.url.to_string();
        let recorded = state.collections.get(&key).cloned();
        // Nothing changed at the source since a complete run: not even listed.
        if let Some(cs) = &recorded
            && cs.complete_at.is_some()
            && cs.complete_at == rc.version()
            && res.collection(&cs.local, agora_core::Access::Read).await.ok().flatten().is_some()
        {
            report.collections.push(CollectionReport {
                remote: client::shown(&rc.url),
                local: Some(cs.local.clone()),
                counts: Counts { unchanged: cs.objects.len(), ..Counts::default() },
                note: None,
            });
            continue;
        }
        let local =
            match local::collection_for(&res, &p.name, rc, recorded.as_ref().map(|c| c.local.as_str()), args.dry_run)
                .await?
            {
                Ok(local) => local,
                Err(why) => {
                    report.problems.push(Problem { href: client::shown(&rc.url), uid: None, reason: why });
                    report.collections.push(CollectionReport {
                        remote: client::shown(&rc.url),
                        local: None,
                        counts: Counts::default(),
                        note: Some("not brought".into()),
                    });
                    continue;
                }
            };
        if let Some(c) = &local {
            progress.say(&format!("{} -> /{}", client::shown(&rc.url), c.path));
        }
        match sync::collection(&cx, rc, local.as_ref(), &mut state, &mut progress, &mut report.problems).await {
            Ok(c) => report.collections.push(c),
            Err(Fatal::Remote(e)) if e.status().is_some_and(|s| s != reqwest::StatusCode::UNAUTHORIZED) => {
                // One collection the server will not list: the others may still come.
                report.problems.push(Problem { href: client::shown(&rc.url), uid: None, reason: e.to_string() });
            }
            Err(Fatal::Remote(e)) => {
                progress.finish();
                return Err(remote_failure(e));
            }
            Err(Fatal::Core(e)) => {
                progress.finish();
                return Err(e.into());
            }
            Err(Fatal::State(e)) => {
                progress.finish();
                return Err(Failure::io(e));
            }
        }
    }
    progress.finish();
    print!("{}", report.render(&p.name));
    if report.complete() {
        Ok(())
    } else {
        Err(Failure {
            message: format!(
                "{}: {} objects or collections were not brought (listed above)",
                p.name,
                report.problems.len()
            ),
            code: PARTIAL,
        })
    }
}
