//! The administration API (`/api/admin/…`) on both stores: only an
//! administrator's session with its CSRF header gets in; users, groups, rooms,
//! the mail queue and health do what the CLI does, with JSON reasons for bad
//! input; a room made here is a room for clients at once.

mod common;

use common::web::*;
use common::*;
use serde_json::json;

agora_testkit::on_both_stores!(only_administrators_get_in, users_groups_and_rooms_through_the_api);

fn call(
    web: &WebSession,
    server: &Server,
    method: &str,
    path: &str,
    body: Option<serde_json::Value>,
) -> reqwest::blocking::Response {
    let mut r = web.send(server, method, path);
    if let Some(b) = body {
        r = r.header("Content-Type", "application/json").body(b.to_string());
    }
    r.send().unwrap()
}

fn only_administrators_get_in(backend: Backend) {
    let env = StoreEnv::new(backend);
    let server = Server::start(&env, &[]);
    add_users(&env, &["alice"]);
    let admin = login(&server, "admin", server.admin());
    assert_eq!(admin.body["administrator"], true, "the initial admin administers");
    let alice = login(&server, "alice", PASSWORD);
    assert_eq!(alice.body["administrator"], false);
    for path in
        ["/api/admin/users", "/api/admin/groups", "/api/admin/resources", "/api/admin/mail", "/api/admin/health"]
    {
        let r = call(&alice, &server, "GET", path, None);
        assert_eq!(r.status(), 403, "{path}");
        assert_eq!(error_code(r), "forbidden");
        // The CSRF header is required even of an administrator.
        let r = admin.request(&server, "GET", path, None).send().unwrap();
        assert_eq!(r.status(), 403, "{path} without CSRF");
        assert_eq!(error_code(r), "csrf");
        let r = client().get(server.url(path)).send().unwrap();
        assert_eq!(r.status(), 401, "{path} signed out");
        assert_eq!(call(&admin, &server, "GET", path, None).status(), 200, "{path}");
    }
    let r = call(&alice, &server, "POST", "/api/admin/users", Some(json!({ "login": "mallory" })));
    assert_eq!(r.status(), 403);
    // Made an administrator, alice gets in at her next request (same session).
    env.cli_ok(&["user", "admin", "alice", "on"], None);
    assert_eq!(call(&alice, &server, "GET", "/api/admin/users", None).status(), 200);
    // An administrator cannot disable or delete their own account here.
    let r = call(&alice, &server, "PATCH", "/api/admin/users/alice", Some(json!({ "disabled": true })));
    assert_eq!(r.status(), 409);
    assert_eq!(call(&alice, &server, "DELETE", "/api/admin/users/alice", None).status(), 409);
    let health = json(call(&admin, &server, "GET", "/api/admin/health", None));
    assert_eq!(health["store"]["reachable"], true, "{health}");
    assert_eq!(health["store"]["kind"], if backend == Backend::Sqlite { "sqlite" } else { "postgres" });
    assert_eq!(health["counts"]["users"], 2, "{health}");
    assert!(health["version"].as_str().is_some_and(|v| !v.is_empty()), "{health}");
    assert_eq!(health["mail"]["failed"], 0);
}

fn users_groups_and_rooms_through_the_api(backend: Backend) {
    let env = StoreEnv::new(backend);
    let server = Server::start(&env, &["--user-quota-bytes", "5000"]);
    add_users(&env, &["alice"]);
    let admin = login(&server, "admin", server.admin());
    let post = |path: &str, body: serde_json::Value| call(&admin, &server, "POST", path, Some(body));
    let patch = |path: &str, body: serde_json::Value| call(&admin, &server, "PATCH", path, Some(body));

    // Users: created with a generated password shown once, which signs in.
    let r = post("/api/admin/users", json!({ "login": "Bob", "displayName": "Bob Stone", "email": "bob@example.org" }));
    assert_eq!(r.status(), 201);
    let made = json(r);
    let password = made["password"].as_str().unwrap().to_owned();
    assert_eq!(made["user"]["login"], "bob");
    assert_eq!(made["user"]["effectiveQuotaBytes"], 5000);
    assert_eq!(login(&server, "bob", &password).body["login"], "bob");
    let r = post("/api/admin/users", json!({ "login": "bob", "password": "another-long-one" }));
    assert_eq!(r.status(), 409);
    let r = post("/api/admin/users", json!({ "login": "carol", "password": "short" }));
    assert_eq!(r.status(), 400);
    assert!(json(r)["message"].as_str().unwrap().contains("password"));
    assert_eq!(post("/api/admin/users", json!({ "login": 7 })).status(), 400);
    assert_eq!(call(&admin, &server, "POST", "/api/admin/users", None).status(), 415);

    // Quota, usage, password reset, disable.
    let r = patch("/api/admin/users/bob", json!({ "quotaBytes": 0 }));
    assert_eq!(r.status(), 200);
    let changed = json(r);
    assert_eq!(changed["user"]["quotaBytes"], 0);
    assert_eq!(changed["user"]["effectiveQuotaBytes"], serde_json::Value::Null, "0 is unlimited");
    assert_eq!(patch("/api/admin/users/bob", json!({ "quotaBytes": -1 })).status(), 400);
    let reset = json(patch("/api/admin/users/bob", json!({ "resetPassword": true })));
    let new_password = reset["password"].as_str().unwrap().to_owned();
    assert_eq!(post_login(&server, "bob", &password).status(), 401);
    let bob = login(&server, "bob", &new_password);
    assert_eq!(status(&server.url("/calendars/bob/"), "bob", &new_password), 200);
    let r = patch("/api/admin/users/bob", json!({ "disabled": true }));
    assert_eq!(json(r)["user"]["disabled"], true);
    assert_eq!(bob.session_status(&server), 401, "disabling ends the session at once");
    // Disabled in this process: the verification cached a moment ago is refused at once.
    assert_eq!(status(&server.url("/calendars/bob/"), "bob", &new_password), 401);
    let r = post_login(&server, "bob", &new_password);
    assert_eq!(r.status(), 403);
    assert_eq!(error_code(r), "account-disabled");
    let ics = "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:x\r\nBEGIN:VEVENT\r\nUID:u\r\nDTSTAMP:20260101T000000Z\r\nDTSTART:20260101T000000Z\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n";
    assert_eq!(
        request(&server, "alice", "PUT", "/calendars/alice/calendar/u.ics", "0", "text/calendar", ics).status(),
        201
    );
    let users = json(call(&admin, &server, "GET", "/api/admin/users", None));
    let find = |login: &str| users["users"].as_array().unwrap().iter().find(|u| u["login"] == login).unwrap().clone();
    assert_eq!(find("alice")["usedBytes"], ics.len());
    assert_eq!(find("bob")["disabled"], true);
    assert_eq!(find("admin")["administrator"], true);
    assert_eq!(users["serverQuotaBytes"], 5000);

    // Groups and members.
    assert_eq!(post("/api/admin/groups", json!({ "name": "board", "displayName": "Board" })).status(), 201);
    assert_eq!(call(&admin, &server, "PUT", "/api/admin/groups/board/members/alice", None).status(), 204);
    assert_eq!(call(&admin, &server, "PUT", "/api/admin/groups/board/members/alice", None).status(), 409);
    assert_eq!(call(&admin, &server, "PUT", "/api/admin/groups/board/members/nobody", None).status(), 404);
    let groups = json(call(&admin, &server, "GET", "/api/admin/groups", None));
    assert_eq!(groups["groups"][0]["members"][0]["name"], "alice", "{groups}");

    // Rooms: capacity, bookers, auto-accept; visible to clients at once.
    let room = json!({ "name": "atrium", "displayName": "Atrium", "email": "atrium@example.org", "kind": "room", "capacity": 8, "bookers": "board" });
    let r = post("/api/admin/resources", room);
    assert_eq!(r.status(), 201);
    let made = json(r);
    assert_eq!(
        (made["capacity"].clone(), made["bookers"].clone(), made["autoAccept"].clone()),
        (json!(8), json!("board"), json!(true))
    );
    let r = post("/api/admin/resources", json!({ "name": "x", "kind": "room", "bookers": "nobody" }));
    assert_eq!(r.status(), 404);
    let r = post("/api/admin/resources", json!({ "name": "y", "kind": "boat" }));
    assert_eq!(r.status(), 400);
    let prop = r#"<d:propfind xmlns:d="DAV:" xmlns:a="urn:x-agora:ns" xmlns:c="urn:ietf:params:xml:ns:caldav"><d:prop><a:capacity/><c:calendar-user-type/></d:prop></d:propfind>"#;
    let (_, body) = send(&server, "alice", "PROPFIND", "/principals/atrium/", "application/xml", prop);
    assert!(body.contains("xmlns:X=\"urn:x-agora:ns\">8</X:capacity>") && body.contains("ROOM"), "{body}");
    let r = patch("/api/admin/resources/atrium", json!({ "capacity": null, "autoAccept": false, "bookers": null }));
    let changed = json(r);
    assert_eq!(changed["capacity"], serde_json::Value::Null);
    assert_eq!(changed["autoAccept"], false);
    assert_eq!(changed["bookers"], serde_json::Value::Null);
    let list = env.cli_ok(&["resource", "list"], None);
    assert!(list.lines().any(|l| l.starts_with("atrium ") && l.contains("off") && l.contains("anyone")), "{list}");
    assert_eq!(call(&admin, &server, "DELETE", "/api/admin/resources/atrium", None).status(), 204);
    assert_eq!(call(&admin, &server, "DELETE", "/api/admin/resources/atrium", None).status(), 404);

    // The mail queue (empty here) and its actions on unknown ids.
    let mail = json(call(&admin, &server, "GET", "/api/admin/mail", None));
    assert_eq!(mail["messages"], json!([]));
    assert_eq!(call(&admin, &server, "POST", "/api/admin/mail/42/retry", None).status(), 404);
    assert_eq!(call(&admin, &server, "DELETE", "/api/admin/mail/42", None).status(), 404);

    // Deleting a user.
    assert_eq!(call(&admin, &server, "DELETE", "/api/admin/users/bob", None).status(), 204);
    assert!(!env.cli_ok(&["user", "list"], None).contains("bob"));
}
