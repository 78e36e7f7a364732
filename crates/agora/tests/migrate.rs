//! `agora migrate` from a second Agora, on both stores: a migration brings
//! calendars and contacts with their names; a state file makes a run resume
//! (only what it does not record is fetched again); a member deleted at the
//! source is deleted here only when nobody changed the local copy; a
//! collection shared with the user is reported, not copied; a refused login
//! is a fatal error (exit 6) that never shows the password; an object that
//! cannot be brought is reported with its UID and the reason (exit 5), and
//! nothing is ever mailed.

mod common;

use std::process::Output;

use common::*;

agora_testkit::on_both_stores!(migrates_resumes_and_deletes_only_unchanged, refusals_are_reported);

const MKCALENDAR: &str = r#"<C:mkcalendar xmlns:D="DAV:" xmlns:C="urn:ietf:params:xml:ns:caldav" xmlns:A="http://apple.com/ns/ical/"><D:set><D:prop><D:displayname>Work things</D:displayname><A:calendar-color>#AA0000FF</A:calendar-color><C:supported-calendar-component-set><C:comp name="VEVENT"/></C:supported-calendar-component-set></D:prop></D:set></C:mkcalendar>"#;

fn event(uid: &str, summary: &str, extra: &str) -> String {
    format!(
        "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//t//t//EN\r\nBEGIN:VEVENT\r\nUID:{uid}\r\nDTSTAMP:20260101T000000Z\r\n\
         DTSTART:20261110T100000Z\r\nDTEND:20261110T110000Z\r\nSUMMARY:{summary}\r\n{extra}END:VEVENT\r\nEND:VCALENDAR\r\n"
    )
}

fn card(uid: &str) -> String {
    format!("BEGIN:VCARD\r\nVERSION:4.0\r\nUID:{uid}\r\nFN:Person {uid}\r\nEND:VCARD\r\n")
}

fn put(server: &Server, user: &str, path: &str, ctype: &str, body: &str) {
    let (status, text) = send(server, user, "PUT", path, ctype, body);
    assert!(status == 201 || status == 204, "PUT {path}: {status} {text}");
}

/// `agora migrate` on `target` from `source` as local `alice`, remote `login`.
fn migrate(target: &StoreEnv, source: &Server, login: &str, password: &str, extra: &[(&str, &str)]) -> Output {
    let file = target.dir.path().join("password");
    std::fs::write(&file, format!("{password}\n")).unwrap();
    let state = target.dir.path().join("state.json");
    let mut cmd = target.command();
    cmd.args(["migrate", "--from", &source.url("/"), "--user", "alice", "--login", login])
        .arg("--password-file")
        .arg(&file)
        .arg("--state")
        .arg(&state);
    for (k, v) in extra {
        cmd.env(k, v);
    }
    let out = cmd.output().unwrap();
    let all = format!("{}{}", String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr));
    assert!(!all.contains(password), "the password was printed: {all}");
    out
}

fn text(out: &Output) -> (String, String) {
    (String::from_utf8_lossy(&out.stdout).into_owned(), String::from_utf8_lossy(&out.stderr).into_owned())
}

fn exists(server: &Server, path: &str) -> bool {
    request(server, "alice", "GET", path, "0", "text/plain", "").status().as_u16() == 200
}

fn queue_is_empty(env: &StoreEnv) {
    let queue = env.cli_ok(&["mail", "queue"], None);
    assert!(queue.lines().filter(|l| !l.trim().is_empty() && !l.starts_with("ID")).count() == 0, "{queue}");
}

fn migrates_resumes_and_deletes_only_unchanged(backend: Backend) {
    let senv = StoreEnv::new(backend);
    let source = Server::start(&senv, &[]);
    add_users(&senv, &["src", "bob"]);
    let (status, xml) = send(&source, "src", "MKCALENDAR", "/calendars/src/work/", "application/xml", MKCALENDAR);
    assert_eq!(status, 201, "{xml}");
    for i in 1..=5 {
        put(
            &source,
            "src",
            &format!("/calendars/src/work/e{i}.ics"),
            "text/calendar",
            &event(&format!("e{i}"), "Plan", ""),
        );
    }
    // A meeting alice organises: bringing it must invite nobody.
    let meeting = "ORGANIZER:mailto:alice@example.org\r\nATTENDEE;PARTSTAT=ACCEPTED:mailto:alice@example.org\r\n\
                   ATTENDEE;RSVP=TRUE:mailto:someone@elsewhere.example\r\n";
    put(&source, "src", "/calendars/src/work/m1.ics", "text/calendar", &event("m1", "Meeting", meeting));
    for i in 1..=3 {
        put(&source, "src", &format!("/addressbooks/src/contacts/c{i}.vcf"), "text/vcard", &card(&format!("c{i}")));
    }
    senv.cli_ok(&["share", "add", "calendars/bob/calendar", "src"], None);

    let tenv = StoreEnv::new(backend);
    let target = Server::start(&tenv, &[]);
    add_users(&tenv, &["alice"]);
    let out = migrate(&tenv, &source, "src", PASSWORD, &[]);
    let (stdout, stderr) = text(&out);
    assert!(out.status.success(), "{stdout}{stderr}");
    assert!(
        stdout.contains("/calendars/alice/work/: 6 created, 0 updated, 0 deleted, 0 unchanged, 0 skipped"),
        "{stdout}"
    );
    assert!(stdout.contains("/addressbooks/alice/contacts/: 3 created"), "{stdout}");
    assert!(
        stdout.contains("shared with this user") && stdout.contains("migrate it from its owner's account"),
        "{stdout}"
    );
    assert!(exists(&target, "/calendars/alice/work/e1.ics") && exists(&target, "/addressbooks/alice/contacts/c3.vcf"));
    let (status, props) = send(
        &target,
        "alice",
        "PROPFIND",
        "/calendars/alice/work/",
        "application/xml",
        r#"<D:propfind xmlns:D="DAV:" xmlns:A="http://apple.com/ns/ical/"><D:prop><D:displayname/><A:calendar-color/></D:prop></D:propfind>"#,
    );
    assert_eq!(status, 207);
    assert!(props.contains("Work things") && props.contains("#AA0000FF"), "{props}");
    queue_is_empty(&tenv);

    // Nothing changed: every collection is skipped by its sync token.
    let out = migrate(&tenv, &source, "src", PASSWORD, &[]);
    let (stdout, _) = text(&out);
    assert!(stdout.contains("total: 0 created, 0 updated, 0 deleted, 9 unchanged, 0 skipped"), "{stdout}");

    // An interrupted run: the state file lacks two members and the collection
    // is not complete. Only those two are fetched again.
    let state_path = tenv.dir.path().join("state.json");
    let mut state: serde_json::Value = serde_json::from_str(&std::fs::read_to_string(&state_path).unwrap()).unwrap();
    let work = state["collections"]
        .as_object_mut()
        .unwrap()
        .iter_mut()
        .find(|(k, _)| k.ends_with("/calendars/src/work/"))
        .map(|(_, v)| v)
        .unwrap();
    work["complete_at"] = serde_json::Value::Null;
    let objects = work["objects"].as_object_mut().unwrap();
    objects.retain(|k, _| !k.ends_with("/e1.ics") && !k.ends_with("/e2.ics"));
    std::fs::write(&state_path, state.to_string()).unwrap();
    let out = migrate(&tenv, &source, "src", PASSWORD, &[]);
    let (stdout, stderr) = text(&out);
    assert!(out.status.success(), "{stdout}{stderr}");
    assert!(
        // The other Agora's birthdays calendar is its own to fill: not copied.
        stdout.contains("/calendars/src/birthdays/: read-only") && !stdout.contains("birthdays-2"),
        "{stdout}"
    );
    assert!(
        // The two fetched again hold the same bytes: nothing is rewritten.
        stdout.contains("/calendars/alice/work/: 0 created, 0 updated, 0 deleted, 6 unchanged, 0 skipped"),
        "{stdout}"
    );

    // Deleted at the source: e3 goes; e4, changed here since, stays and is reported.
    for i in [3, 4] {
        let (status, _) = send(&source, "src", "DELETE", &format!("/calendars/src/work/e{i}.ics"), "text/plain", "");
        assert_eq!(status, 204);
    }
    put(&target, "alice", "/calendars/alice/work/e4.ics", "text/calendar", &event("e4", "Changed by alice", ""));
    let out = migrate(&tenv, &source, "src", PASSWORD, &[]);
    let (stdout, stderr) = text(&out);
    assert_eq!(out.status.code(), Some(5), "{stdout}{stderr}");
    assert!(
        stdout.contains("/calendars/alice/work/: 0 created, 0 updated, 1 deleted, 4 unchanged, 1 skipped"),
        "{stdout}"
    );
    assert!(stdout.contains("e4.ics") && stdout.contains("changed on Agora since it was brought: kept"), "{stdout}");
    assert!(!exists(&target, "/calendars/alice/work/e3.ics"));
    assert!(exists(&target, "/calendars/alice/work/e4.ics"));
    queue_is_empty(&tenv);
}

fn refusals_are_reported(backend: Backend) {
    let senv = StoreEnv::new(backend);
    let source = Server::start(&senv, &[]);
    add_users(&senv, &["src"]);
    let (status, xml) = send(&source, "src", "MKCALENDAR", "/calendars/src/other/", "application/xml", MKCALENDAR);
    assert_eq!(status, 201, "{xml}");
    put(&source, "src", "/calendars/src/other/dup.ics", "text/calendar", &event("dup-1", "Meeting", &meeting()));
    let long = format!("DESCRIPTION:{}\r\n", "x".repeat(2800));
    put(&source, "src", "/calendars/src/calendar/big.ics", "text/calendar", &event("big-1", "Big", &fold(&long)));
    put(&source, "src", "/calendars/src/calendar/ok.ics", "text/calendar", &event("ok-1", "Fine", ""));

    let tenv = StoreEnv::new(backend);
    add_users(&tenv, &["alice"]);
    // The same meeting is already in another of alice's calendars.
    let file = tenv.dir.path().join("dup.ics");
    std::fs::write(&file, event("dup-1", "Meeting", &meeting())).unwrap();
    tenv.cli_ok(&["import", "calendars/alice/calendar", file.to_str().unwrap()], None);

    // A wrong password: fatal, in words, without the password.
    let out = migrate(&tenv, &source, "src", "wrong-password-123", &[]);
    let (_, stderr) = text(&out);
    assert_eq!(out.status.code(), Some(6), "{stderr}");
    assert!(stderr.contains("the remote server refused the login"), "{stderr}");

    // No such local user.
    let out = tenv.cli(&["migrate", "--from", &source.url("/"), "--user", "nobody"], None);
    assert_eq!(out.status.code(), Some(2), "no password given: {}", text(&out).1);
    let mut cmd = tenv.command();
    cmd.args(["migrate", "--from", &source.url("/"), "--user", "nobody"]).env("AGORA_MIGRATE_PASSWORD", PASSWORD);
    let out = cmd.output().unwrap();
    assert_eq!(out.status.code(), Some(3), "{}", text(&out).1);
    assert!(text(&out).1.contains("\"nobody\" does not exist"), "{}", text(&out).1);

    // Objects that cannot come are reported with their UID and the reason.
    let out = migrate(&tenv, &source, "src", PASSWORD, &[("AGORA_MAX_RESOURCE_SIZE", "2000")]);
    let (stdout, stderr) = text(&out);
    assert_eq!(out.status.code(), Some(5), "{stdout}{stderr}");
    assert!(
        stdout.contains("/calendars/alice/calendar/: 1 created, 0 updated, 0 deleted, 0 unchanged, 1 skipped"),
        "{stdout}"
    );
    assert!(
        stdout.contains("/calendars/alice/other/: 0 created, 0 updated, 0 deleted, 0 unchanged, 1 skipped"),
        "{stdout}"
    );
    assert!(stdout.contains("(UID big-1): the object exceeds the maximum size of 2000 bytes"), "{stdout}");
    assert!(
        stdout.contains("(UID dup-1): /calendars/alice/calendar/") && stdout.contains("is already this meeting"),
        "{stdout}"
    );
    queue_is_empty(&tenv);
}

fn meeting() -> String {
    "ORGANIZER:mailto:alice@example.org\r\nATTENDEE;PARTSTAT=ACCEPTED:mailto:alice@example.org\r\n\
     ATTENDEE;RSVP=TRUE:mailto:someone@elsewhere.example\r\n"
        .to_owned()
}

/// Folds a content line at 70 octets (RFC 5545 §3.1).
fn fold(line: &str) -> String {
    let body = line.trim_end_matches("\r\n");
    let mut out = String::new();
    for (i, chunk) in body.as_bytes().chunks(70).enumerate() {
        if i > 0 {
            out.push_str("\r\n ");
        }
        out.push_str(std::str::from_utf8(chunk).unwrap());
    }
    out.push_str("\r\n");
    out
}
