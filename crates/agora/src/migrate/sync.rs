//! One collection's members: list them on the other server (PROPFIND Depth 1,
//! `getetag`), compare with the state file, fetch what is new or changed with
//! `calendar-multiget` / `addressbook-multiget` (RFC 4791 §7.9, RFC 6352
//! §8.7) in batches — one GET per member when the server refuses the report —
//! and write each through the core without scheduling, while the next batches
//! are being fetched. Members the source deleted are deleted here only when
//! the local copy is still the one brought.

use std::collections::HashMap;
use std::path::Path;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use agora_core::resources::import::ImportedOne;
use agora_core::{CoreError, Resources};
use agora_dav_xml::{NS_CALDAV, NS_CARDDAV, NS_DAV};
use agora_store::Collection;
use futures_util::{StreamExt, stream};
use reqwest::{StatusCode, Url};

use super::client::{Fetched, Remote, RemoteError, shown};
use super::discovery::{Kind, RemoteCollection};
use super::local::member_name;
use super::report::{CollectionReport, Counts, Problem};
use super::state::{CollectionState, ObjectState, State};
use crate::progress::Progress;

/// Multiget requests in flight at once.
const FETCHERS: usize = 3;
/// GETs in flight at once when the server refuses multiget.
const GETTERS: usize = 8;
/// Objects written at once (one store transaction each).
const WRITERS: usize = 4;
/// Batches fetched ahead of the writer.
const AHEAD: usize = 4;
/// The state file is written at most this often while a collection is brought.
const SAVE_EVERY: Duration = Duration::from_secs(1);

/// What a migration of one user needs.
pub struct Context<'a> {
    /// The core, as the local user.
    pub res: &'a Resources<'a>,
    /// The other server.
    pub remote: &'a Remote,
    /// Only say what would be done.
    pub dry_run: bool,
    /// Members per multiget.
    pub batch: usize,
    /// Where the state goes.
    pub state_path: &'a Path,
}

/// A failure that stops the user's migration.
#[derive(Debug, thiserror::Error)]
pub enum Fatal {
    /// The other server failed as a whole.
    #[error(transparent)]
    Remote(#[from] RemoteError),
    /// The local store failed.
    #[error(transparent)]
    Core(#[from] CoreError),
    /// The state file could not be written.
    #[error("{0}")]
    State(String),
}

/// A member on the other server.
struct Member {
    key: String,
    url: Url,
    etag: Option<String>,
}

/// What a fetch gave for one member.
enum Got {
    Object(Fetched),
    Failed(Url, String),
}

/// Brings the members of `rc` into `local`. Problems with single members go
/// to `problems`; what stops everything is returned as [`Fatal`].
pub async fn collection(
    cx: &Context<'_>,
    rc: &RemoteCollection,
    local: Option<&Collection>,
    state: &mut State,
    progress: &mut Progress,
    problems: &mut Vec<Problem>,
) -> Result<CollectionReport, Fatal> {
    let key = rc.url.to_string();
    let mut report = CollectionReport {
        remote: shown(&rc.url),
        local: local.map(|c| c.path.clone()),
        counts: Counts::default(),
        note: None,
    };
    if let Kind::Subscription(_) = rc.kind {
        report.note = Some("subscription: Agora fetches the feed itself".into());
        if let (Some(c), false) = (local, cx.dry_run) {
            state.collections.insert(key, CollectionState { local: c.path.clone(), ..Default::default() });
            state.save(cx.state_path).map_err(Fatal::State)?;
        }
        return Ok(report);
    }
    let mut cs = state.collections.get(&key).cloned().unwrap_or_default();
    if let Some(c) = local {
        cs.local = c.path.clone();
    }
    let (at, listing) = cx.remote.propfind(&rc.url, "1", "<D:getetag/><D:resourcetype/>").await?;
    let mut members = Vec::new();
    for r in &listing {
        let Ok(url) = at.join(&r.href) else { continue };
        let is_collection = r.child_names(NS_DAV, "resourcetype").iter().any(|t| t.is(NS_DAV, "collection"));
        if is_collection || url.path().trim_end_matches('/') == at.path().trim_end_matches('/') || r.status == Some(404)
        {
            continue;
        }
        members.push(Member { key: url.path().to_owned(), url, etag: r.text(NS_DAV, "getetag") });
    }
    let mut to_fetch = Vec::new();
    for m in &members {
        match (cs.objects.get(&m.key), &m.etag) {
            (Some(known), Some(etag)) if known.remote_etag == *etag => report.counts.unchanged += 1,
            _ => to_fetch.push(m),
        }
    }
    let listed: HashMap<&str, Option<&String>> = members.iter().map(|m| (m.key.as_str(), m.etag.as_ref())).collect();
    let gone: Vec<(String, ObjectState)> = cs
        .objects
        .iter()
        .filter(|(k, _)| !listed.contains_key(k.as_str()))
        .map(|(k, v)| (k.clone(), v.clone()))
        .collect();
    if cx.dry_run {
        for m in &to_fetch {
            if cs.objects.contains_key(&m.key) {
                report.counts.updated += 1;
            } else {
                report.counts.created += 1;
            }
        }
        report.counts.deleted = gone.len();
        report.note = Some("dry run: nothing written".into());
        return Ok(report);
    }
    let Some(local) = local else { return Ok(report) };
    // Deleted at the source: deleted here if nobody changed the copy since.
    for (k, known) in gone {
        match cx.res.unimport(local, &known.local_name, &known.local_etag).await {
            Ok(true) => report.counts.deleted += 1,
            Ok(false) => {}
            Err(CoreError::PreconditionFailed) => {
                report.counts.skipped += 1;
                problems.push(Problem {
                    href: k.clone(),
                    uid: None,
                    reason: format!(
                        "deleted on the other server, but changed on Agora since it was brought: kept as /{}{}",
                        local.path, known.local_name
                    ),
                });
            }
            Err(e @ (CoreError::Store(_) | CoreError::Unavailable(_))) => return Err(e.into()),
            Err(e) => {
                report.counts.skipped += 1;
                problems.push(Problem { href: k.clone(), uid: None, reason: format!("not deleted: {e}") });
                continue;
            }
        }
        cs.objects.remove(&k);
    }
    progress.grow(to_fetch.len() as u64);
    let mut skipped_here = 0;
    let mut last_save = Instant::now();
    let mut fetched = fetch_all(cx.remote.clone(), rc, to_fetch.iter().map(|m| m.url.clone()).collect(), cx.batch);
    while let Some(batch) = fetched.recv().await {
        let got = batch?;
        let n = got.len() as u64;
        let written: Vec<(Got, Result<ImportedOne, CoreError>)> = stream::iter(got)
            .map(|g| async move {
                let result = match &g {
                    Got::Object(f) => {
                        cx.res.import_one(local, member_name(&f.url).as_deref(), f.body.clone().into_bytes()).await
                    }
                    Got::Failed(..) => Ok(ImportedOne::Skipped(CoreError::Invalid(String::new()))),
                };
                (g, result)
            })
            .buffer_unordered(WRITERS)
            .collect()
            .await;
        for (g, result) in written {
            match (g, result?) {
                (Got::Failed(url, reason), _) => {
                    skipped_here += 1;
                    problems.push(Problem { href: url.path().to_owned(), uid: None, reason });
                }
                (Got::Object(f), done @ (ImportedOne::Written(_) | ImportedOne::Unchanged(_))) => {
                    let meta = match done {
                        ImportedOne::Written(outcome) => {
                            if cs.objects.contains_key(f.url.path()) || !outcome.created {
                                report.counts.updated += 1;
                            } else {
                                report.counts.created += 1;
                            }
                            outcome.meta
                        }
                        ImportedOne::Unchanged(meta) => {
                            report.counts.unchanged += 1;
                            meta
                        }
                        ImportedOne::Skipped(_) => unreachable!("matched above"),
                    };
                    let remote_etag = f
                        .etag
                        .clone()
                        .or_else(|| listed.get(f.url.path()).copied().flatten().cloned())
                        .unwrap_or_else(|| agora_core::resources::etag(f.body.as_bytes()));
                    cs.objects.insert(
                        f.url.path().to_owned(),
                        ObjectState { remote_etag, local_name: meta.name, local_etag: meta.etag },
                    );
                }
                (Got::Object(f), ImportedOne::Skipped(e)) => {
                    skipped_here += 1;
                    problems.push(Problem {
                        href: f.url.path().to_owned(),
                        uid: uid_of(&f.body),
                        reason: e.to_string(),
                    });
                }
            }
        }
        progress.advance(n);
        if last_save.elapsed() >= SAVE_EVERY {
            state.collections.insert(key.clone(), cs.clone());
            state.save(cx.state_path).map_err(Fatal::State)?;
            last_save = Instant::now();
        }
    }
    report.counts.skipped += skipped_here;
    // Skipped members are tried again next time: the collection is not done.
    cs.complete_at = if report.counts.skipped == 0 { rc.version() } else { None };
    state.collections.insert(key, cs);
    state.save(cx.state_path).map_err(Fatal::State)?;
    Ok(report)
}

/// Fetches the members in batches, [`FETCHERS`] at a time, in a task of its
/// own so that fetching goes on while the caller writes.
fn fetch_all(
    remote: Remote,
    rc: &RemoteCollection,
    urls: Vec<Url>,
    batch: usize,
) -> tokio::sync::mpsc::Receiver<Result<Vec<Got>, RemoteError>> {
    let (tx, rx) = tokio::sync::mpsc::channel(AHEAD);
    let collection = rc.url.clone();
    let book = rc.kind == Kind::Addressbook;
    let refused = Arc::new(AtomicBool::new(false));
    let batches: Vec<Vec<Url>> = urls.chunks(batch.max(1)).map(<[Url]>::to_vec).collect();
    tokio::spawn(async move {
        let mut results = stream::iter(batches)
            .map(|urls| {
                let (remote, collection, refused) = (remote.clone(), collection.clone(), refused.clone());
                async move { fetch_batch(&remote, &collection, book, urls, &refused).await }
            })
            .buffer_unordered(FETCHERS);
        while let Some(result) = results.next().await {
            let stop = result.is_err();
            if tx.send(result).await.is_err() || stop {
                break;
            }
        }
    });
    rx
}

/// One batch: a multiget, then a GET for each member it did not give; all
/// GETs once the server refused a multiget.
async fn fetch_batch(
    remote: &Remote,
    collection: &Url,
    book: bool,
    urls: Vec<Url>,
    refused: &AtomicBool,
) -> Result<Vec<Got>, RemoteError> {
    let mut out = Vec::with_capacity(urls.len());
    let mut missing = urls.clone();
    if !refused.load(Ordering::Relaxed) {
        match remote.report(collection, &multiget_body(book, &urls)).await {
            Ok(rs) => {
                let (ns, data) = if book { (NS_CARDDAV, "address-data") } else { (NS_CALDAV, "calendar-data") };
                for r in rs {
                    let Ok(url) = collection.join(&r.href) else { continue };
                    let Some(i) = missing.iter().position(|u| u.path() == url.path()) else { continue };
                    match r.prop(ns, data) {
                        Some(body) => {
                            let u = missing.swap_remove(i);
                            out.push(Got::Object(Fetched {
                                url: u,
                                etag: r.text(NS_DAV, "getetag"),
                                body: body.text(),
                            }));
                        }
                        // Deleted in between: the next run deletes it.
                        None if r.status == Some(404) => {
                            missing.swap_remove(i);
                        }
                        None => {}
                    }
                }
            }
            Err(e @ (RemoteError::Unauthorized { .. } | RemoteError::Unreachable { .. })) => return Err(e),
            // Multiget refused (not implemented, forbidden, malformed answer): GET each.
            Err(_) => refused.store(true, Ordering::Relaxed),
        }
    }
    let gets: Vec<Got> = stream::iter(missing)
        .map(|url| async move {
            match remote.get(&url).await {
                Ok(f) => Some(Ok(Got::Object(f))),
                Err(e) if e.status() == Some(StatusCode::NOT_FOUND) => None,
                Err(e @ (RemoteError::Unauthorized { .. } | RemoteError::Unreachable { .. })) => Some(Err(e)),
                Err(e) => Some(Ok(Got::Failed(url, format!("cannot fetch it: {e}")))),
            }
        })
        .buffer_unordered(GETTERS)
        .filter_map(|g| async move { g })
        .collect::<Vec<_>>()
        .await
        .into_iter()
        .collect::<Result<_, _>>()?;
    out.extend(gets);
    Ok(out)
}

fn multiget_body(book: bool, urls: &[Url]) -> String {
    let (root, data) = if book {
        ("CR:addressbook-multiget", "<CR:address-data/>")
    } else {
        ("C:calendar-multiget", "<C:calendar-data/>")
    };
    let mut body = format!(
        "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<{root} xmlns:D=\"DAV:\" \
         xmlns:C=\"urn:ietf:params:xml:ns:caldav\" xmlns:CR=\"urn:ietf:params:xml:ns:carddav\">\
         <D:prop><D:getetag/>{data}</D:prop>"
    );
    for u in urls {
        body.push_str("<D:href>");
        body.push_str(&agora_dav_xml::escape_text(u.path()));
        body.push_str("</D:href>");
    }
    body.push_str(&format!("</{root}>"));
    body
}

/// The UID of an iCalendar or vCard text, for the report (a plain scan: the
/// text may be exactly what could not be parsed).
fn uid_of(text: &str) -> Option<String> {
    text.lines()
        .find_map(|l| l.strip_prefix("UID:").or_else(|| l.strip_prefix("uid:")))
        .map(|u| u.trim().to_owned())
        .filter(|u| !u.is_empty())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn multiget_lists_the_paths() {
        let u = Url::parse("http://h/c/a%20b.ics").unwrap();
        let body = multiget_body(false, &[u]);
        assert!(body.contains("<C:calendar-multiget") && body.contains("<D:href>/c/a%20b.ics</D:href>"), "{body}");
        assert!(multiget_body(true, &[]).contains("<CR:address-data/>"));
    }

    #[test]
    fn uid_for_the_report() {
        assert_eq!(uid_of("BEGIN:VCARD\r\nUID:abc \r\nEND:VCARD").as_deref(), Some("abc"));
        assert_eq!(uid_of("BEGIN:VCARD\r\nEND:VCARD"), None);
    }
}
