//! The records of issue 17 through the real binary, on both stores: what users
//! delete over DAV waits in the trash and comes back whole (same href, bytes
//! and ETag; sync-collection shows it deleted, then new again); a whole
//! calendar comes back with its name and events; a sharee's deletion lands in
//! the owner's trash; legal holds keep entries and accounts; the audit log says
//! who did what from where, and `agora audit` filters and exports it.

mod common;

use common::*;

agora_testkit::on_both_stores!(
    deleted_objects_and_calendars_come_back,
    holds_keep_entries_and_accounts,
    the_audit_log_says_who_did_what_from_where,
    without_a_trash_deletions_are_final,
    reads_of_others_data_are_recorded_when_asked,
    the_trash_is_a_webdav_collection,
);

const UA: &str = "RecordsTest/1.0";

fn event(uid: &str, summary: &str) -> String {
    format!(
        "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//test//EN\r\nBEGIN:VEVENT\r\nUID:{uid}\r\nDTSTAMP:20261201T000000Z\r\n\
         DTSTART:20261210T090000Z\r\nDTEND:20261210T100000Z\r\nSUMMARY:{summary}\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n"
    )
}

/// A DAV request as `user` with our User-Agent: (status, ETag, body).
fn dav(
    server: &Server,
    user: &str,
    method: &str,
    path: &str,
    headers: &[(&str, &str)],
    body: &str,
) -> (u16, Option<String>, String) {
    let mut r = client()
        .request(reqwest::Method::from_bytes(method.as_bytes()).unwrap(), server.url(path))
        .basic_auth(user, Some(PASSWORD))
        .header("User-Agent", UA)
        .body(body.to_owned());
    for (k, v) in headers {
        r = r.header(*k, *v);
    }
    let r = r.send().unwrap();
    let etag = r.headers().get("etag").map(|v| v.to_str().unwrap().to_owned());
    (r.status().as_u16(), etag, r.text().unwrap())
}

fn put(server: &Server, user: &str, path: &str, body: &str) -> String {
    let (status, etag, text) = dav(server, user, "PUT", path, &[("Content-Type", "text/calendar")], body);
    assert!(status == 201 || status == 204, "PUT {path}: {status} {text}");
    etag.expect("an ETag")
}

fn sync(server: &Server, user: &str, path: &str, token: &str) -> String {
    let body = format!(
        r#"<D:sync-collection xmlns:D="DAV:"><D:sync-token>{token}</D:sync-token><D:sync-level>1</D:sync-level><D:prop><D:getetag/></D:prop></D:sync-collection>"#
    );
    let (status, _, xml) = dav(server, user, "REPORT", path, &[("Content-Type", "application/xml")], &body);
    assert_eq!(status, 207, "{xml}");
    xml
}

fn token_of(xml: &str) -> String {
    let start = xml.find("<D:sync-token>").expect("a sync token") + "<D:sync-token>".len();
    xml[start..start + xml[start..].find('<').unwrap()].to_owned()
}

/// `agora trash list USER` rows: (id, what, label, path).
fn trash(env: &StoreEnv, user: &str) -> Vec<(String, String, String, String)> {
    env.cli_ok(&["trash", "list", user], None)
        .lines()
        .skip(1)
        .map(|l| {
            let cells: Vec<&str> = l.split("  ").map(str::trim).filter(|c| !c.is_empty()).collect();
            (cells[0].into(), cells[1].into(), cells[2].into(), cells[3].into())
        })
        .collect()
}

fn deleted_objects_and_calendars_come_back(backend: Backend) {
    let env = StoreEnv::new(backend);
    let server = Server::start(&env, &[]);
    add_users(&env, &["alice", "bob"]);
    let href = "/calendars/alice/calendar/e1.ics";
    let etag = put(&server, "alice", href, &event("e1", "Budget review"));
    let before = sync(&server, "alice", "/calendars/alice/calendar/", "");
    let token = token_of(&before);

    let (status, _, _) = dav(&server, "alice", "DELETE", href, &[], "");
    assert_eq!(status, 204);
    let after_delete = sync(&server, "alice", "/calendars/alice/calendar/", &token);
    assert!(after_delete.contains("e1.ics") && after_delete.contains("404"), "a tombstone: {after_delete}");
    let deleted_token = token_of(&after_delete);
    let listed = trash(&env, "alice");
    assert_eq!(listed.len(), 1, "{listed:?}");
    assert_eq!((listed[0].1.as_str(), listed[0].2.as_str(), listed[0].3.as_str()), ("VEVENT", "Budget review", href));

    env.cli_ok(&["trash", "restore", "alice", &listed[0].0], None);
    let (status, back_etag, body) = dav(&server, "alice", "GET", href, &[], "");
    assert_eq!(status, 200);
    assert_eq!(back_etag.as_deref(), Some(etag.as_str()), "same bytes, same ETag");
    assert!(body.contains("SUMMARY:Budget review"));
    let after_restore = sync(&server, "alice", "/calendars/alice/calendar/", &deleted_token);
    assert!(after_restore.contains("e1.ics") && after_restore.contains(&etag), "new again for sync: {after_restore}");
    assert!(trash(&env, "alice").is_empty());
    let out = env.cli(&["trash", "restore", "alice", &listed[0].0], None);
    assert!(!out.status.success(), "restored once only");

    // Something took its place: refused in words, the entry stays.
    dav(&server, "alice", "DELETE", href, &[], "");
    put(&server, "alice", href, &event("e1-new", "Another"));
    let id = trash(&env, "alice")[0].0.clone();
    let out = env.cli(&["trash", "restore", "alice", &id], None);
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("exists again"), "{out:?}");
    assert_eq!(trash(&env, "alice").len(), 1);

    // A whole calendar, with its name and its events.
    let mk = r#"<C:mkcalendar xmlns:D="DAV:" xmlns:C="urn:ietf:params:xml:ns:caldav"><D:set><D:prop><D:displayname>Project X</D:displayname></D:prop></D:set></C:mkcalendar>"#;
    let (status, _, _) =
        dav(&server, "alice", "MKCALENDAR", "/calendars/alice/project/", &[("Content-Type", "application/xml")], mk);
    assert_eq!(status, 201);
    put(&server, "alice", "/calendars/alice/project/a.ics", &event("pa", "Kick-off"));
    put(&server, "alice", "/calendars/alice/project/b.ics", &event("pb", "Review"));
    let (status, _, _) = dav(&server, "alice", "DELETE", "/calendars/alice/project/", &[], "");
    assert_eq!(status, 204);
    let entry = trash(&env, "alice").into_iter().find(|e| e.1 == "calendar").expect("the calendar in the trash");
    assert_eq!(entry.2, "Project X");
    env.cli_ok(&["trash", "restore", "alice", &entry.0], None);
    let (status, _, xml) = dav(
        &server,
        "alice",
        "PROPFIND",
        "/calendars/alice/project/",
        &[("Depth", "1"), ("Content-Type", "application/xml")],
        r#"<D:propfind xmlns:D="DAV:"><D:prop><D:displayname/><D:getetag/></D:prop></D:propfind>"#,
    );
    assert_eq!(status, 207);
    assert!(xml.contains("Project X") && xml.contains("a.ics") && xml.contains("b.ics"), "{xml}");

    // A sharee's deletion lands in the owner's trash, saying who.
    env.cli_ok(&["share", "add", "calendars/alice/project", "bob", "--access", "read-write"], None);
    let (status, _, _) = dav(&server, "bob", "DELETE", "/calendars/bob/alice-project/a.ics", &[], "");
    assert_eq!(status, 204);
    let out = env.cli_ok(&["trash", "list", "alice"], None);
    let row = out.lines().find(|l| l.contains("/calendars/alice/project/a.ics")).expect("in alice's trash");
    assert!(row.contains("bob"), "deleted by bob: {out}");
    assert!(trash(&env, "bob").is_empty(), "not in bob's");

    // Contacts too.
    let card = "BEGIN:VCARD\r\nVERSION:4.0\r\nUID:c1\r\nFN:Ann Lee\r\nEND:VCARD\r\n";
    let (status, _, _) =
        dav(&server, "alice", "PUT", "/addressbooks/alice/contacts/c1.vcf", &[("Content-Type", "text/vcard")], card);
    assert_eq!(status, 201);
    dav(&server, "alice", "DELETE", "/addressbooks/alice/contacts/c1.vcf", &[], "");
    let entry = trash(&env, "alice").into_iter().find(|e| e.1 == "VCARD").expect("the card");
    assert_eq!(entry.2, "Ann Lee");
    env.cli_ok(&["trash", "restore", "alice", &entry.0], None);
    let (status, _, body) = dav(&server, "alice", "GET", "/addressbooks/alice/contacts/c1.vcf", &[], "");
    assert_eq!(status, 200);
    assert_eq!(body, card);
}

fn holds_keep_entries_and_accounts(backend: Backend) {
    let env = StoreEnv::new(backend);
    let server = Server::start(&env, &[]);
    add_users(&env, &["alice"]);
    put(&server, "alice", "/calendars/alice/calendar/e.ics", &event("e", "Minutes"));
    dav(&server, "alice", "DELETE", "/calendars/alice/calendar/e.ics", &[], "");
    let id = trash(&env, "alice")[0].0.clone();

    let out = env.cli(&["hold", "add", "--user", "alice", "--reason", ""], None);
    assert!(!out.status.success(), "a hold needs a reason");
    let hold = env.cli_ok(&["hold", "add", "--user", "alice", "--reason", "case 2026-117"], None).trim().to_owned();
    let listed = env.cli_ok(&["trash", "list", "alice"], None);
    assert!(listed.contains("held"), "{listed}");
    let out = env.cli(&["trash", "purge", "alice", &id], None);
    assert!(!out.status.success() && String::from_utf8_lossy(&out.stderr).contains("legal hold"), "{out:?}");
    let out = env.cli(&["user", "del", "alice"], None);
    assert!(!out.status.success() && String::from_utf8_lossy(&out.stderr).contains("case 2026-117"), "{out:?}");
    let holds = env.cli_ok(&["hold", "list"], None);
    assert!(holds.contains("/principals/alice/") && holds.contains("case 2026-117"), "{holds}");
    env.cli_ok(&["hold", "lift", &hold], None);

    // A hold on one calendar keeps what was deleted from it.
    let held = env.cli_ok(&["hold", "add", "--collection", "calendars/alice/calendar", "--reason", "records"], None);
    let out = env.cli(&["trash", "purge", "alice", &id], None);
    assert!(!out.status.success(), "{out:?}");
    env.cli_ok(&["hold", "lift", held.trim()], None);
    env.cli_ok(&["trash", "purge", "alice", &id], None);
    assert!(trash(&env, "alice").is_empty());
    // Nothing expired yet: the retention purge keeps today's deletions.
    put(&server, "alice", "/calendars/alice/calendar/f.ics", &event("f", "Fresh"));
    dav(&server, "alice", "DELETE", "/calendars/alice/calendar/f.ics", &[], "");
    let out = env.cli_ok(&["trash", "purge", "--expired"], None);
    assert!(out.is_empty());
    assert_eq!(trash(&env, "alice").len(), 1);
    env.cli_ok(&["user", "del", "alice"], None);
}

fn the_audit_log_says_who_did_what_from_where(backend: Backend) {
    let env = StoreEnv::new(backend);
    let server = Server::start(&env, &[]);
    add_users(&env, &["alice", "bob"]);
    let href = "/calendars/alice/calendar/m.ics";
    put(&server, "alice", href, &event("m", "Meeting"));
    put(&server, "alice", href, &event("m", "Meeting (moved)"));
    // A refused write leaves no row.
    let (status, _, _) = dav(
        &server,
        "alice",
        "PUT",
        href,
        &[("Content-Type", "text/calendar"), ("If-None-Match", "*")],
        &event("m", "x"),
    );
    assert_eq!(status, 412);
    dav(&server, "alice", "DELETE", href, &[], "");
    let id = trash(&env, "alice")[0].0.clone();
    env.cli_ok(&["trash", "restore", "alice", &id], None);
    env.cli_ok(&["share", "add", "calendars/alice/calendar", "bob", "--access", "read"], None);
    let proxy = r#"<D:propertyupdate xmlns:D="DAV:"><D:set><D:prop><D:group-member-set><D:href>/principals/bob/</D:href></D:group-member-set></D:prop></D:set></D:propertyupdate>"#;
    let (status, _, text) = dav(
        &server,
        "alice",
        "PROPPATCH",
        "/principals/alice/calendar-proxy-write/",
        &[("Content-Type", "application/xml")],
        proxy,
    );
    assert_eq!(status, 207, "{text}");
    env.cli_ok(&["publish", "add", "calendars/alice/calendar"], None);
    let export = env.dir.path().join("alice-export");
    env.cli_ok(&["export", "--user", "alice", "--to", export.to_str().unwrap()], None);

    let out = env.cli_ok(&["audit", "--user", "alice", "--format", "jsonl"], None);
    let rows: Vec<serde_json::Value> = out.lines().map(|l| serde_json::from_str(l).unwrap()).collect();
    let actions: Vec<&str> = rows.iter().map(|r| r["action"].as_str().unwrap()).collect();
    for expected in ["create", "change", "delete", "restore", "share", "delegate", "publish", "export"] {
        assert!(actions.contains(&expected), "{expected} in {actions:?}");
    }
    assert_eq!(actions.iter().filter(|a| **a == "change").count(), 1, "the refused PUT left no row: {actions:?}");
    let create = rows.iter().find(|r| r["action"] == "create").unwrap();
    assert_eq!(create["actor"], "alice");
    assert_eq!(create["target"], "/calendars/alice/calendar/m.ics");
    assert_eq!(create["address"], "127.0.0.1");
    assert_eq!(create["client"], UA);
    let share = rows.iter().find(|r| r["action"] == "share").unwrap();
    assert!(share["actor"].as_str().unwrap().starts_with("cli:"), "the operator, not alice: {share}");
    assert_eq!(share["detail"], "bob: read");
    let delegate = rows.iter().find(|r| r["action"] == "delegate").unwrap();
    assert_eq!(delegate["detail"], "write: bob");
    // Filters and CSV.
    let deletes = env.cli_ok(&["audit", "--action", "delete", "--format", "jsonl"], None);
    assert_eq!(deletes.lines().count(), 1, "{deletes}");
    let csv = env.cli_ok(&["audit", "--user", "alice", "--format", "csv"], None);
    assert_eq!(csv.lines().next(), Some("id,time,actor,action,target,owner,detail,address,client"));
    assert_eq!(csv.lines().count(), rows.len() + 1);
    let later = env.cli_ok(&["audit", "--since", "2999-01-01", "--format", "jsonl"], None);
    assert!(later.is_empty(), "{later}");
    let out = env.cli(&["audit", "--since", "soon"], None);
    assert_eq!(out.status.code(), Some(2), "{out:?}");
}

fn without_a_trash_deletions_are_final(backend: Backend) {
    let env = StoreEnv::new(backend);
    let server = Server::start_with(&env, &[], |cmd| {
        cmd.env("AGORA_TRASH_DAYS", "0");
    });
    add_users(&env, &["alice"]);
    put(&server, "alice", "/calendars/alice/calendar/e.ics", &event("e", "Gone"));
    dav(&server, "alice", "DELETE", "/calendars/alice/calendar/e.ics", &[], "");
    assert!(trash(&env, "alice").is_empty());
}

fn reads_of_others_data_are_recorded_when_asked(backend: Backend) {
    let env = StoreEnv::new(backend);
    let server = Server::start_with(&env, &[], |cmd| {
        cmd.env("AGORA_AUDIT_READS", "true");
    });
    add_users(&env, &["alice", "bob"]);
    put(&server, "alice", "/calendars/alice/calendar/r.ics", &event("r", "Salary talk"));
    env.cli_ok(&["share", "add", "calendars/alice/calendar", "bob", "--access", "read"], None);
    // Bob reads twice (a client polling), alice reads her own.
    for _ in 0..2 {
        let (status, _, _) = dav(&server, "bob", "GET", "/calendars/bob/alice-calendar/r.ics", &[], "");
        assert_eq!(status, 200);
    }
    dav(&server, "alice", "GET", "/calendars/alice/calendar/r.ics", &[], "");
    let reads = env.cli_ok(&["audit", "--action", "read", "--format", "jsonl"], None);
    let rows: Vec<serde_json::Value> = reads.lines().map(|l| serde_json::from_str(l).unwrap()).collect();
    assert_eq!(rows.len(), 1, "once per reader and collection: {reads}");
    assert_eq!(rows[0]["actor"], "bob");
    assert_eq!(rows[0]["target"], "/calendars/alice/calendar/");
    assert_eq!(rows[0]["owner"], "alice");
}

fn the_trash_is_a_webdav_collection(backend: Backend) {
    let env = StoreEnv::new(backend);
    let server = Server::start(&env, &[]);
    add_users(&env, &["alice", "bob"]);
    let href = "/calendars/alice/calendar/w.ics";
    let body = event("w", "Workshop");
    let etag = put(&server, "alice", href, &body);
    put(&server, "alice", "/calendars/alice/calendar/x.ics", &event("x", "Extra"));
    dav(&server, "alice", "DELETE", href, &[], "");
    dav(&server, "alice", "DELETE", "/calendars/alice/calendar/x.ics", &[], "");
    let xml_type = ("Content-Type", "application/xml");
    let (status, _, xml) = dav(&server, "alice", "PROPFIND", "/trash/alice/", &[("Depth", "1"), xml_type], "");
    assert_eq!(status, 207, "{xml}");
    assert!(xml.contains("<D:displayname>Workshop</D:displayname>"), "{xml}");
    assert!(xml.contains("original-location") && xml.contains(href), "{xml}");
    let ids = trash(&env, "alice");
    let workshop = ids.iter().find(|e| e.2 == "Workshop").unwrap().0.clone();
    let extra = ids.iter().find(|e| e.2 == "Extra").unwrap().0.clone();
    // Named properties: found ones, and a 404 for the others.
    let named = r#"<D:propfind xmlns:D="DAV:"><D:prop><D:displayname/><D:getetag/></D:prop></D:propfind>"#;
    let (status, _, xml) =
        dav(&server, "alice", "PROPFIND", &format!("/trash/alice/{workshop}"), &[("Depth", "0"), xml_type], named);
    assert_eq!(status, 207);
    assert!(xml.contains("Workshop") && xml.contains("404"), "{xml}");
    let (status, _, got) = dav(&server, "alice", "GET", &format!("/trash/alice/{workshop}"), &[], "");
    assert_eq!((status, got.as_str()), (200, body.as_str()));
    // Nobody else's trash is even named.
    let (status, _, _) = dav(&server, "bob", "PROPFIND", "/trash/alice/", &[("Depth", "1"), xml_type], "");
    assert_eq!(status, 404);
    // MOVE back where it was restores; anywhere else is refused.
    let elsewhere = server.url("/calendars/alice/calendar/other.ics");
    let (status, _, _) =
        dav(&server, "alice", "MOVE", &format!("/trash/alice/{workshop}"), &[("Destination", &elsewhere)], "");
    assert_eq!(status, 403);
    let back = server.url(href);
    let (status, _, text) =
        dav(&server, "alice", "MOVE", &format!("/trash/alice/{workshop}"), &[("Destination", &back)], "");
    assert_eq!(status, 201, "{text}");
    let (status, restored_etag, _) = dav(&server, "alice", "GET", href, &[], "");
    assert_eq!((status, restored_etag.as_deref()), (200, Some(etag.as_str())));
    // DELETE purges.
    let (status, _, _) = dav(&server, "alice", "DELETE", &format!("/trash/alice/{extra}"), &[], "");
    assert_eq!(status, 204);
    assert!(trash(&env, "alice").is_empty());
    let (status, _, _) = dav(&server, "alice", "GET", &format!("/trash/alice/{extra}"), &[], "");
    assert_eq!(status, 404);
}
