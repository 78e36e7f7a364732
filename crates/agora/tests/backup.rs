//! `agora backup` under continuous writes, then `agora restore` into a fresh store,
//! on both stores (issue 17).
//!
//! A server is filled with a few thousand events and contacts; several writers
//! then create, change and delete objects over HTTP, each remembering when every
//! answer arrived. `agora backup` (the real CLI) runs in the middle. The backup is
//! restored into a new store and served; every write acknowledged before the
//! backup started must be there with its ETag (a deleted object absent), the
//! change log must agree with the collection's members, every object must be
//! whole, and the restored store must take new writes and syncs.

mod common;

use std::collections::{BTreeMap, HashMap};
use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use common::*;

agora_testkit::on_both_stores!(
    backup_under_writes_restores_every_acknowledged_write,
    restore_refuses_a_store_with_data_and_a_damaged_backup
);

const CALENDAR: &str = "/calendars/admin/calendar/";
const CONTACTS: &str = "/addressbooks/admin/contacts/";
/// Objects present before the writers start.
const EVENTS: usize = 2000;
const CARDS: usize = 1000;
const WRITERS: usize = 4;

/// The directory of PostgreSQL's client programs, when they are not on PATH.
fn pg_bin() -> Option<PathBuf> {
    if let Some(dir) = std::env::var_os("AGORA_PG_BIN") {
        return Some(dir.into());
    }
    let mut dirs: Vec<PathBuf> = std::fs::read_dir("/usr/lib/postgresql")
        .ok()?
        .filter_map(|e| e.ok().map(|e| e.path().join("bin")))
        .filter(|d| d.join("pg_dump").is_file())
        .collect();
    dirs.sort_by_key(|d| d.parent().and_then(|v| v.file_name()?.to_str()?.parse::<u32>().ok()));
    dirs.pop()
}

/// `agora ARGS` against `env`'s store, with PostgreSQL's tools found.
fn agora(env: &StoreEnv, args: &[&str]) -> std::process::Output {
    let mut cmd = env.command();
    if let Some(dir) = pg_bin() {
        cmd.env("AGORA_PG_BIN", dir);
    }
    cmd.args(args).output().expect("run agora")
}

fn event(name: &str, version: u32) -> String {
    format!(
        "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//backup test//EN\r\nBEGIN:VEVENT\r\nUID:{name}\r\n\
         DTSTAMP:20260101T000000Z\r\nDTSTART:20261201T100000Z\r\nDTEND:20261201T110000Z\r\n\
         SUMMARY:{name} v{version}\r\nDESCRIPTION:{}\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n",
        "x".repeat(500)
    )
}

fn card(name: &str, version: u32) -> String {
    format!(
        "BEGIN:VCARD\r\nVERSION:4.0\r\nUID:{name}\r\nFN:{name} v{version}\r\nNOTE:{}\r\nEND:VCARD\r\n",
        "y".repeat(300)
    )
}

/// One object's path and body at a version.
fn path_and_body(calendar: bool, name: &str, version: u32) -> (String, String) {
    if calendar {
        (format!("{CALENDAR}{name}.ics"), event(name, version))
    } else {
        (format!("{CONTACTS}{name}.vcf"), card(name, version))
    }
}

/// An acknowledged write: when its answer arrived, and what the object then is
/// (its ETag and version, or `None`: deleted).
#[derive(Clone, Debug)]
struct Ack {
    at: Instant,
    state: Option<(String, u32)>,
}

fn put(http: &reqwest::blocking::Client, server: &Server, pw: &str, path: &str, body: &str, ctype: &str) -> String {
    let r = http
        .put(server.url(path))
        .basic_auth("admin", Some(pw))
        .header("Content-Type", ctype)
        .body(body.to_owned())
        .send()
        .unwrap();
    assert!(r.status().is_success(), "PUT {path}: {}", r.status());
    r.headers().get("ETag").expect("an ETag").to_str().unwrap().to_owned()
}

fn ctype(path: &str) -> &'static str {
    if path.ends_with(".ics") { "text/calendar" } else { "text/vcard" }
}

/// `(href, ETag)` of every `<D:response>` carrying a getetag.
fn etags(multistatus: &str) -> BTreeMap<String, String> {
    let mut out = BTreeMap::new();
    for response in multistatus.split("<D:response>").skip(1) {
        let between = |open: &str, close: &str| {
            let start = response.find(open)? + open.len();
            Some(response[start..start + response[start..].find(close)?].to_owned())
        };
        if let (Some(href), Some(etag)) = (between("<D:href>", "</D:href>"), between("<D:getetag>", "</D:getetag>")) {
            out.insert(href, etag.replace("&quot;", "\""));
        }
    }
    out
}

fn dav(server: &Server, pw: &str, method: &str, path: &str, depth: &str, body: &str) -> (u16, String) {
    let r = client()
        .request(reqwest::Method::from_bytes(method.as_bytes()).unwrap(), server.url(path))
        .basic_auth("admin", Some(pw))
        .header("Content-Type", "application/xml")
        .header("Depth", depth)
        .body(body.to_owned())
        .send()
        .unwrap();
    (r.status().as_u16(), r.text().unwrap())
}

fn members(server: &Server, pw: &str, collection: &str) -> BTreeMap<String, String> {
    let (status, body) = dav(
        server,
        pw,
        "PROPFIND",
        collection,
        "1",
        r#"<d:propfind xmlns:d="DAV:"><d:prop><d:getetag/></d:prop></d:propfind>"#,
    );
    assert_eq!(status, 207, "{body}");
    etags(&body)
}

/// sync-collection from `token` (empty: the initial sync): the listed members and the new token.
fn sync(server: &Server, pw: &str, collection: &str, token: &str) -> (BTreeMap<String, String>, String) {
    let token =
        if token.is_empty() { "<d:sync-token/>".to_owned() } else { format!("<d:sync-token>{token}</d:sync-token>") };
    let (status, body) = dav(
        server,
        pw,
        "REPORT",
        collection,
        "0",
        &format!(
            r#"<d:sync-collection xmlns:d="DAV:">{token}<d:sync-level>1</d:sync-level><d:prop><d:getetag/></d:prop></d:sync-collection>"#
        ),
    );
    assert_eq!(status, 207, "{body}");
    let start = body.rfind("<D:sync-token>").expect("a sync token") + "<D:sync-token>".len();
    let new_token = body[start..start + body[start..].find('<').unwrap()].to_owned();
    (etags(&body), new_token)
}

/// Fills the calendar and the address book over HTTP; answers each path's first state.
fn populate(server: &Server, pw: &str) -> HashMap<String, Ack> {
    let jobs: Vec<(bool, String)> =
        (0..EVENTS).map(|i| (true, format!("e{i}"))).chain((0..CARDS).map(|i| (false, format!("c{i}")))).collect();
    let jobs = Arc::new(Mutex::new(jobs));
    let threads: Vec<_> = (0..WRITERS)
        .map(|_| {
            let jobs = jobs.clone();
            let (port, pw) = (server.port, pw.to_owned());
            std::thread::spawn(move || {
                let server = ServerRef(port);
                let http = client();
                let mut done = HashMap::new();
                while let Some((calendar, name)) = jobs.lock().unwrap().pop() {
                    let (path, body) = path_and_body(calendar, &name, 0);
                    let etag = server.put(&http, &pw, &path, &body);
                    done.insert(path, Ack { at: Instant::now(), state: Some((etag, 0)) });
                }
                done
            })
        })
        .collect();
    threads.into_iter().flat_map(|t| t.join().unwrap()).collect()
}

/// A server by port, for threads (the `Server` owns the process).
#[derive(Clone, Copy)]
struct ServerRef(u16);

impl ServerRef {
    fn put(self, http: &reqwest::blocking::Client, pw: &str, path: &str, body: &str) -> String {
        let r = http
            .put(format!("http://127.0.0.1:{}{path}", self.0))
            .basic_auth("admin", Some(pw))
            .header("Content-Type", ctype(path))
            .body(body.to_owned())
            .send()
            .unwrap();
        assert!(r.status().is_success(), "PUT {path}: {}", r.status());
        r.headers().get("ETag").expect("an ETag").to_str().unwrap().to_owned()
    }

    fn delete(self, http: &reqwest::blocking::Client, pw: &str, path: &str) {
        let r = http.delete(format!("http://127.0.0.1:{}{path}", self.0)).basic_auth("admin", Some(pw)).send().unwrap();
        assert_eq!(r.status().as_u16(), 204, "DELETE {path}");
    }
}

/// When the backup command started, and ended once it has.
type Window = (Instant, Option<Instant>);

/// What the writers did: per path, every acknowledged write in order; and the
/// longest wait for an answer while the backup ran.
struct Writes {
    log: HashMap<String, Vec<Ack>>,
    slowest_during_backup: Duration,
    during_backup: usize,
}

fn backup_under_writes_restores_every_acknowledged_write(backend: Backend) {
    let env = StoreEnv::new(backend);
    let server = Server::start(&env, &[]);
    let pw = server.admin().to_owned();
    let first = populate(&server, &pw);
    let mut log: HashMap<String, Vec<Ack>> = first.into_iter().map(|(p, a)| (p, vec![a])).collect();

    // Writers: each owns the populated objects whose number is its index modulo
    // WRITERS, plus the new ones it names, so the order of a path's writes is the
    // order of its answers.
    let stop = Arc::new(AtomicBool::new(false));
    let backup_window: Arc<Mutex<Option<Window>>> = Arc::default();
    let writers: Vec<_> = (0..WRITERS)
        .map(|w| {
            let (stop, window, pw, server) = (stop.clone(), backup_window.clone(), pw.clone(), ServerRef(server.port));
            std::thread::spawn(move || {
                let http = client();
                let mut log: HashMap<String, Vec<Ack>> = HashMap::new();
                let mut slowest = Duration::ZERO;
                let mut during = 0;
                let mut round = 0usize;
                while !stop.load(Ordering::SeqCst) {
                    round += 1;
                    let calendar = !round.is_multiple_of(3);
                    let (owned, new) = if calendar { (EVENTS, "ne") } else { (CARDS, "nc") };
                    let k = (round * 7919 + w) % owned / WRITERS * WRITERS + w;
                    let existing = format!("{}{k}", if calendar { "e" } else { "c" });
                    let sent = Instant::now();
                    let (path, state) = match round % 5 {
                        // Change an object (again, if it was deleted: re-created).
                        0 | 1 => {
                            let version = round as u32;
                            let (path, body) = path_and_body(calendar, &existing, version);
                            (path.clone(), Some((server.put(&http, &pw, &path, &body), version)))
                        }
                        2 if log
                            .get(&path_and_body(calendar, &existing, 0).0)
                            .is_none_or(|l| l.last().is_some_and(|a| a.state.is_some())) =>
                        {
                            let path = path_and_body(calendar, &existing, 0).0;
                            server.delete(&http, &pw, &path);
                            (path, None)
                        }
                        _ => {
                            let name = format!("{new}{w}-{round}");
                            let (path, body) = path_and_body(calendar, &name, 1);
                            (path.clone(), Some((server.put(&http, &pw, &path, &body), 1)))
                        }
                    };
                    let at = Instant::now();
                    if let Some((start, end)) = *window.lock().unwrap()
                        && sent >= start
                        && end.is_none_or(|end| at <= end)
                    {
                        slowest = slowest.max(at - sent);
                        during += 1;
                    }
                    log.entry(path).or_default().push(Ack { at, state });
                }
                (log, slowest, during)
            })
        })
        .collect();

    std::thread::sleep(Duration::from_millis(1500));
    let file = env.dir.path().join("store.agora-backup");
    let file_s = file.to_str().unwrap();
    let began = Instant::now();
    *backup_window.lock().unwrap() = Some((began, None));
    let out = agora(&env, &["backup", "--to", file_s]);
    let ended = Instant::now();
    backup_window.lock().unwrap().as_mut().unwrap().1 = Some(ended);
    assert!(out.status.success(), "backup failed: {}", String::from_utf8_lossy(&out.stderr));
    std::thread::sleep(Duration::from_millis(500));
    stop.store(true, Ordering::SeqCst);
    let mut writes = Writes { log: HashMap::new(), slowest_during_backup: Duration::ZERO, during_backup: 0 };
    for w in writers {
        let (l, slowest, during) = w.join().unwrap();
        writes.log.extend(l);
        writes.slowest_during_backup = writes.slowest_during_backup.max(slowest);
        writes.during_backup += during;
    }
    // Populated paths the writers touched: their first write comes first.
    for (path, acks) in writes.log.drain() {
        log.entry(path).or_default().extend(acks);
    }
    let before = log.values().flatten().filter(|a| a.at < began).count();
    let after = log.values().flatten().filter(|a| a.at >= began).count();
    assert!(after > 0 && writes.during_backup > 0, "the writers wrote while the backup ran");
    drop(server);

    // Restore into a new store and serve it.
    let fresh = StoreEnv::new(backend);
    let out = agora(&fresh, &["restore", "--from", file_s]);
    assert!(out.status.success(), "restore failed: {}", String::from_utf8_lossy(&out.stderr));
    let restored = Server::start(&fresh, &[]);
    let calendar = members(&restored, &pw, CALENDAR);
    let contacts = members(&restored, &pw, CONTACTS);

    // (a) Every write acknowledged before the backup began is there, unless a
    // later one (answered after it began: the snapshot may or may not hold it)
    // replaced it.
    let mut exact = 0;
    for (path, acks) in &log {
        let listed = if path.starts_with(CALENDAR) { &calendar } else { &contacts };
        let got = listed.get(path).cloned();
        let settled = acks.iter().rev().find(|a| a.at < began);
        let allowed: Vec<Option<String>> = settled
            .into_iter()
            .chain(acks.iter().filter(|a| a.at >= began))
            .map(|a| a.state.as_ref().map(|(etag, _)| etag.clone()))
            .collect();
        if settled.is_none() {
            // Created after the backup began: present (one of its states) or absent.
            assert!(got.is_none() || allowed.contains(&got), "{path}: {got:?} is none of {allowed:?}");
            continue;
        }
        assert!(allowed.contains(&got), "{path}: restored {got:?}, acknowledged before the backup: {allowed:?}");
        if allowed.len() == 1 {
            exact += 1;
        }
    }
    assert!(exact > EVENTS, "most objects were settled before the backup ({exact})");

    // (c) Nothing half-written: every member is byte for byte one of the
    // versions written to it.
    let http = client();
    for (href, etag) in calendar.iter().chain(&contacts) {
        if href.ends_with('/') {
            continue;
        }
        let r = http.get(restored.url(href)).basic_auth("admin", Some(&pw)).send().unwrap();
        assert_eq!(r.status().as_u16(), 200, "{href}");
        assert_eq!(r.headers().get("ETag").unwrap().to_str().unwrap(), etag, "{href}");
        let body = r.text().unwrap();
        let name = href.rsplit('/').next().unwrap().split('.').next().unwrap();
        let version = log[href]
            .iter()
            .rev()
            .find_map(|a| a.state.as_ref().filter(|(e, _)| e == etag).map(|(_, v)| *v))
            .unwrap_or_else(|| panic!("{href}: ETag {etag} was never acknowledged"));
        assert_eq!(body, path_and_body(href.starts_with(CALENDAR), name, version).1, "{href} altered");
    }

    // (b) The change log agrees with the members, its tokens work, and the
    // store takes new writes.
    for (collection, listed) in [(CALENDAR, &calendar), (CONTACTS, &contacts)] {
        let objects: BTreeMap<_, _> =
            listed.iter().filter(|(h, _)| !h.ends_with('/')).map(|(h, e)| (h.clone(), e.clone())).collect();
        let (synced, token) = sync(&restored, &pw, collection, "");
        assert_eq!(synced, objects, "{collection}: sync-collection lists exactly the members");
        let (nothing, same) = sync(&restored, &pw, collection, &token);
        assert!(nothing.is_empty() && same == token, "{collection}: no change since the token");
        let (path, body) = path_and_body(collection == CALENDAR, "after-restore", 1);
        let etag = put(&http, &restored, &pw, &path, &body, ctype(&path));
        let (changed, newer) = sync(&restored, &pw, collection, &token);
        assert_eq!(changed, BTreeMap::from([(path, etag)]), "{collection}: the new write is the one change");
        assert_ne!(newer, token);
    }
    if backend == Backend::Sqlite {
        drop(restored);
        let db = fresh.data_dir().join("agora.db");
        let rt = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
        let contents = rt.block_on(agora_store::maintenance::sqlite_verify(&db)).expect("integrity and foreign keys");
        // Every member listed over DAV, and the two written after the restore, are
        // rows of the file (`exact` would not do: it counts settled deletions too).
        let members = calendar.iter().chain(&contacts).filter(|(h, _)| !h.ends_with('/')).count();
        assert!(contents.counts.objects as usize >= members + 2, "{} rows, {members} members", contents.counts.objects);
    }
    eprintln!(
        "{backend:?}: {before} writes acknowledged before the backup, {after} after it began ({} during it, \
         slowest answer {:?}; the backup took {:?}); {exact} objects settled before it checked exactly",
        writes.during_backup,
        writes.slowest_during_backup,
        ended - began
    );
}

/// A restore changes nothing when the target holds data (without --force), or
/// when the backup file is truncated or damaged.
fn restore_refuses_a_store_with_data_and_a_damaged_backup(backend: Backend) {
    let env = StoreEnv::new(backend);
    add_users(&env, &["alice"]);
    let file = env.dir.path().join("b.agora-backup");
    let file_s = file.to_str().unwrap();
    let out = agora(&env, &["backup", "--to", file_s]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));

    let out = agora(&env, &["restore", "--from", file_s]);
    assert_eq!(out.status.code(), Some(4));
    assert!(String::from_utf8_lossy(&out.stderr).contains("--force"), "{}", String::from_utf8_lossy(&out.stderr));

    // A store with other data, restored with --force, holds the backup's.
    let target = StoreEnv::new(backend);
    add_users(&target, &["bob"]);
    let out = agora(&target, &["restore", "--from", file_s]);
    assert_eq!(out.status.code(), Some(4), "refused without --force");
    let bytes = std::fs::read(&file).unwrap();
    for (what, damaged) in [
        ("truncated", bytes[..bytes.len() - 100].to_vec()),
        ("checksum", {
            let mut b = bytes.clone();
            let i = b.len() - 200;
            b[i] ^= 0xff;
            b
        }),
        ("not an Agora backup", b"garbage".to_vec()),
    ] {
        let bad = env.dir.path().join("bad.agora-backup");
        std::fs::write(&bad, damaged).unwrap();
        let out = agora(&target, &["restore", "--force", "--from", bad.to_str().unwrap()]);
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{what}: {stderr}");
        assert!(stderr.contains(what), "{what}: {stderr}");
        assert!(target.cli_ok(&["user", "list"], None).contains("bob"), "{what}: the store is unchanged");
    }
    let out = agora(&target, &["restore", "--force", "--from", file_s]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let users = target.cli_ok(&["user", "list"], None);
    assert!(users.contains("alice") && !users.contains("bob"), "{users}");
    if backend == Backend::Sqlite {
        assert!(!target.data_dir().join("agora.db.restoring").exists(), "no temporary file left");
    }
}

/// SQLite: a restore is refused while a server uses the database, which keeps
/// serving; once it is stopped the restore goes through.
#[test]
fn sqlite_restore_waits_for_the_server_to_stop() {
    let env = StoreEnv::new(Backend::Sqlite);
    let server = Server::start(&env, &[]);
    let pw = server.admin().to_owned();
    let file = env.dir.path().join("b.agora-backup");
    let file_s = file.to_str().unwrap();
    assert!(agora(&env, &["backup", "--to", file_s]).status.success());
    let out = agora(&env, &["restore", "--force", "--from", file_s]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(4), "{stderr}");
    assert!(stderr.contains("stop `agora serve`"), "{stderr}");
    assert_eq!(status(&server.url("/calendars/admin/"), "admin", &pw), 200, "still serving");
    drop(server);
    let out = agora(&env, &["restore", "--force", "--from", file_s]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let again = Server::start(&env, &[]);
    assert_eq!(status(&again.url("/calendars/admin/"), "admin", &pw), 200, "the restored store serves");
}
