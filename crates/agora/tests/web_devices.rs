//! The Settings section's endpoints: app passwords made and revoked on the
//! web (a DAV client logs in with one, then is refused), the owner's password
//! change, and the Apple configuration profile with its single-use link — on
//! both stores.

mod common;

use common::web::*;
use common::*;
use quick_xml::events::Event;
use serde_json::{Value, json};

agora_testkit::on_both_stores!(
    app_passwords_are_made_used_and_revoked_on_the_web,
    the_owner_changes_the_password_and_keeps_this_session,
    the_profile_is_a_plist_with_both_accounts_and_no_password,
    the_profile_link_works_once_without_a_session,
);

fn propfind(server: &Server, login: &str, password: &str) -> u16 {
    let r = client()
        .request(reqwest::Method::from_bytes(b"PROPFIND").unwrap(), server.url(&format!("/calendars/{login}/")))
        .basic_auth(login, Some(password))
        .header("Depth", "1")
        .send()
        .unwrap();
    r.status().as_u16()
}

fn post_json(web: &WebSession, server: &Server, path: &str, body: Value) -> reqwest::blocking::Response {
    web.send(server, "POST", path).header("Content-Type", "application/json").body(body.to_string()).send().unwrap()
}

/// The session a renewing answer carries: its cookie and CSRF token.
fn renewed(r: reqwest::blocking::Response) -> WebSession {
    assert_eq!(r.status(), 200);
    let set_cookie = r.headers()["set-cookie"].to_str().unwrap().to_owned();
    let cookie = set_cookie.split(';').next().unwrap().to_owned();
    let body = json(r);
    let csrf = body["session"]["csrf"].as_str().unwrap().to_owned();
    WebSession { cookie, csrf, set_cookie, body }
}

fn app_passwords_are_made_used_and_revoked_on_the_web(backend: Backend) {
    let env = StoreEnv::new(backend);
    let server = Server::start(&env, &[]);
    add_users(&env, &["alice", "bob"]);
    let alice = login(&server, "alice", PASSWORD);
    let bob = login(&server, "bob", PASSWORD);

    // CSRF and JSON, as every write of the API.
    let no_csrf = alice
        .request(&server, "POST", "/api/app-passwords", None)
        .header("Content-Type", "application/json")
        .body(r#"{"label":"phone"}"#)
        .send()
        .unwrap();
    assert_eq!((no_csrf.status().as_u16(), error_code(no_csrf)), (403, "csrf".to_owned()));
    let form = alice.send(&server, "POST", "/api/app-passwords").body("label=phone").send().unwrap();
    assert_eq!(form.status(), 415);
    let anonymous = client().get(server.url("/api/app-passwords")).send().unwrap();
    assert_eq!(anonymous.status(), 401);

    let made = post_json(&alice, &server, "/api/app-passwords", json!({ "label": " Pixel 8 / work " }));
    assert_eq!(made.status(), 201);
    let made = json(made);
    let secret = made["password"].as_str().unwrap().to_owned();
    assert_eq!(made["label"], "Pixel 8 / work");
    assert_eq!(made["login"], "alice");
    assert_eq!(secret.len(), 29, "five groups of five: {secret}");
    assert_eq!(made["davx5"], format!("caldav://alice:{secret}@127.0.0.1:{}/", server.port));
    assert_eq!(made["server"], format!("http://127.0.0.1:{}/", server.port));
    assert!(made["created"].as_str().unwrap().ends_with('Z'));
    let again = post_json(&alice, &server, "/api/app-passwords", json!({ "label": "Pixel 8 / work" }));
    assert_eq!((again.status().as_u16(), error_code(again)), (409, "exists".to_owned()));
    let empty = post_json(&alice, &server, "/api/app-passwords", json!({ "label": "  " }));
    assert_eq!((empty.status().as_u16(), error_code(empty)), (400, "bad-request".to_owned()));

    let list = json(alice.send(&server, "GET", "/api/app-passwords").send().unwrap());
    assert_eq!(list.as_array().unwrap().len(), 1);
    assert_eq!(list[0]["label"], "Pixel 8 / work");
    assert_eq!(json(bob.send(&server, "GET", "/api/app-passwords").send().unwrap()), json!([]), "per user");

    // A DAV client logs in with it; the web sign-in does not take it.
    assert_eq!(propfind(&server, "alice", &secret), 207);
    assert_eq!(post_login(&server, "alice", &secret).status(), 401);

    // Bob cannot revoke Alice's device: his own list has no such label.
    let path = "/api/app-passwords/Pixel%208%20%2F%20work";
    assert_eq!(bob.send(&server, "DELETE", path).send().unwrap().status(), 404);
    assert_eq!(alice.request(&server, "DELETE", path, None).send().unwrap().status(), 403);
    assert_eq!(propfind(&server, "alice", &secret), 207, "refused revocations change nothing");

    let other_browser = login(&server, "alice", PASSWORD);
    let renewed = renewed(alice.send(&server, "DELETE", path).send().unwrap());
    assert_eq!(renewed.body["session"]["login"], "alice");
    assert_eq!(propfind(&server, "alice", &secret), 401, "the device is refused from its next request");
    assert_eq!(propfind(&server, "alice", PASSWORD), 207);
    // The credential epoch moved: sessions end, but the asking browser got a new one.
    assert_eq!(alice.session_status(&server), 401);
    assert_eq!(other_browser.session_status(&server), 401);
    assert_eq!(renewed.session_status(&server), 200);
    assert_eq!(bob.session_status(&server), 200, "other users are untouched");
    assert_eq!(json(renewed.send(&server, "GET", "/api/app-passwords").send().unwrap()), json!([]));
    let gone = renewed.send(&server, "DELETE", path).send().unwrap();
    assert_eq!((gone.status().as_u16(), error_code(gone)), (404, "not-found".to_owned()));
}

fn the_owner_changes_the_password_and_keeps_this_session(backend: Backend) {
    let env = StoreEnv::new(backend);
    let server = Server::start(&env, &[]);
    add_users(&env, &["alice"]);
    let alice = login(&server, "alice", PASSWORD);
    let other_browser = login(&server, "alice", PASSWORD);
    let change = |web: &WebSession, current: &str, new: &str| {
        post_json(web, &server, "/api/password", json!({ "current": current, "new": new }))
    };

    let no_csrf = alice
        .request(&server, "POST", "/api/password", None)
        .header("Content-Type", "application/json")
        .body(json!({ "current": PASSWORD, "new": "second-password" }).to_string())
        .send()
        .unwrap();
    assert_eq!(no_csrf.status(), 403);
    let wrong = change(&alice, "not-my-password", "second-password");
    assert_eq!((wrong.status().as_u16(), error_code(wrong)), (403, "wrong-password".to_owned()));
    let weak = change(&alice, PASSWORD, "short");
    assert_eq!(weak.status(), 400);
    let weak = json(weak);
    assert_eq!(weak["error"], "weak-password");
    assert!(weak["message"].as_str().unwrap().contains("at least 8"), "{weak}");
    let bad = alice.send(&server, "POST", "/api/password").header("Content-Type", "application/json").body("{}");
    assert_eq!(bad.send().unwrap().status(), 400);
    assert_eq!(alice.session_status(&server), 200, "refusals change nothing");
    login(&server, "alice", PASSWORD);

    let renewed = renewed(change(&alice, PASSWORD, "second-password"));
    assert_ne!(renewed.cookie, alice.cookie);
    assert_eq!(renewed.session_status(&server), 200, "this browser stays signed in");
    assert_eq!(alice.session_status(&server), 401, "under a new session");
    assert_eq!(other_browser.session_status(&server), 401, "other browsers are signed out");
    assert_eq!(post_login(&server, "alice", PASSWORD).status(), 401);
    login(&server, "alice", "second-password");
    assert_eq!(propfind(&server, "alice", PASSWORD), 401);
    assert_eq!(propfind(&server, "alice", "second-password"), 207);
}

/// A property list as JSON: dict → object, array → array, string, integer, true/false.
fn plist(xml: &str) -> (String, Value) {
    let mut reader = quick_xml::Reader::from_str(xml);
    let mut doctype = String::new();
    let mut stack: Vec<(Value, Option<String>)> = vec![(json!([]), None)];
    let mut key: Option<String> = None;
    let mut text = String::new();
    loop {
        match reader.read_event().unwrap() {
            Event::DocType(d) => doctype = String::from_utf8(d.to_vec()).unwrap(),
            Event::Start(e) if matches!(e.name().as_ref(), b"dict" | b"array") => {
                let empty = if e.name().as_ref() == b"dict" { json!({}) } else { json!([]) };
                stack.push((empty, key.take()));
            }
            Event::Start(_) => text.clear(),
            Event::Text(t) => text.push_str(&t.decode().unwrap()),
            Event::GeneralRef(r) => {
                let name = String::from_utf8(r.to_vec()).unwrap();
                text.push_str(match name.as_str() {
                    "amp" => "&",
                    "lt" => "<",
                    "gt" => ">",
                    other => panic!("entity {other}"),
                });
            }
            Event::End(e) => {
                let value = match e.name().as_ref() {
                    b"key" => {
                        key = Some(std::mem::take(&mut text));
                        continue;
                    }
                    b"string" => Value::String(std::mem::take(&mut text)),
                    b"integer" => json!(text.trim().parse::<i64>().unwrap()),
                    b"dict" | b"array" => {
                        let (v, k) = stack.pop().unwrap();
                        key = k;
                        v
                    }
                    b"plist" => continue,
                    other => panic!("unexpected element {}", String::from_utf8_lossy(other)),
                };
                put(&mut stack, &mut key, value);
            }
            Event::Empty(e) => {
                let value = match e.name().as_ref() {
                    b"true" => json!(true),
                    b"false" => json!(false),
                    other => panic!("unexpected element {}", String::from_utf8_lossy(other)),
                };
                put(&mut stack, &mut key, value);
            }
            Event::Eof => break,
            _ => {}
        }
    }
    let (root, _) = stack.pop().unwrap();
    (doctype, root[0].clone())
}

fn put(stack: &mut [(Value, Option<String>)], key: &mut Option<String>, value: Value) {
    let (top, _) = stack.last_mut().unwrap();
    match top {
        Value::Object(map) => {
            map.insert(key.take().expect("a value follows its key"), value);
        }
        Value::Array(items) => items.push(value),
        _ => unreachable!(),
    }
}

/// Checks a profile's form for `login` at `https`/`host`/`port`.
fn check_profile(xml: &str, login: &str, https: bool, host: &str, port: u16) {
    let (doctype, p) = plist(xml);
    assert!(doctype.contains("plist PUBLIC \"-//Apple//DTD PLIST 1.0//EN\""), "{doctype}");
    assert_eq!(p["PayloadType"], "Configuration");
    assert_eq!(p["PayloadVersion"], 1);
    for key in ["PayloadIdentifier", "PayloadUUID", "PayloadDisplayName", "PayloadOrganization"] {
        assert!(!p[key].as_str().unwrap().is_empty(), "{key}");
    }
    let content = p["PayloadContent"].as_array().unwrap();
    assert_eq!(content.len(), 2);
    let base = if (https, port) == (true, 443) { format!("https://{host}") } else { format!("http://{host}:{port}") };
    for (payload, prefix) in content.iter().zip(["CalDAV", "CardDAV"]) {
        let kind = prefix.to_lowercase();
        assert_eq!(payload["PayloadType"], format!("com.apple.{kind}.account"));
        assert_eq!(payload[format!("{prefix}HostName")], host);
        assert_eq!(payload[format!("{prefix}Port")], port);
        assert_eq!(payload[format!("{prefix}UseSSL")], https);
        assert_eq!(payload[format!("{prefix}Username")], login);
        assert_eq!(payload[format!("{prefix}PrincipalURL")], format!("{base}/principals/{login}/"));
        assert!(payload.get(format!("{prefix}Password")).is_none(), "no password in a file: {payload}");
        assert_eq!(payload["PayloadVersion"], 1);
        let uuid = payload["PayloadUUID"].as_str().unwrap();
        assert_eq!(uuid.len(), 36);
        assert_ne!(uuid, p["PayloadUUID"].as_str().unwrap());
        assert!(payload["PayloadIdentifier"].as_str().unwrap().starts_with(p["PayloadIdentifier"].as_str().unwrap()));
    }
}

fn the_profile_is_a_plist_with_both_accounts_and_no_password(backend: Backend) {
    let env = StoreEnv::new(backend);
    let server = Server::start(&env, &["--trusted-proxy", "127.0.0.1"]);
    let alice = ["user", "add", "alice", "--display-name", "Alice <& Co>", "--password-stdin"];
    env.cli_ok(&alice, Some(&format!("{PASSWORD}\n")));
    let web = login(&server, "alice", PASSWORD);
    assert_eq!(web.request(&server, "GET", "/api/profile", None).send().unwrap().status(), 403, "CSRF");

    let r = web.send(&server, "GET", "/api/profile").send().unwrap();
    assert_eq!(r.status(), 200);
    let header = |r: &reqwest::blocking::Response, n: &str| r.headers()[n].to_str().unwrap().to_owned();
    assert_eq!(header(&r, "content-type"), "application/x-apple-aspen-config");
    assert_eq!(header(&r, "content-disposition"), "attachment; filename=\"agora-127.0.0.1.mobileconfig\"");
    assert_eq!(header(&r, "cache-control"), "no-store");
    let xml = r.text().unwrap();
    check_profile(&xml, "alice", false, "127.0.0.1", server.port);
    assert!(xml.contains("Alice &lt;&amp; Co&gt;"), "{xml}");

    // Behind a trusted TLS proxy: the name and scheme the client used.
    let proxied = web
        .send(&server, "GET", "/api/profile")
        .header("Host", "cal.example.org")
        .header("X-Forwarded-Proto", "https")
        .send()
        .unwrap();
    check_profile(&proxied.text().unwrap(), "alice", true, "cal.example.org", 443);
    let made = web
        .send(&server, "POST", "/api/app-passwords")
        .header("Host", "cal.example.org:8443")
        .header("X-Forwarded-Proto", "https")
        .header("Content-Type", "application/json")
        .body(r#"{"label":"iPad"}"#)
        .send()
        .unwrap();
    let made = json(made);
    let secret = made["password"].as_str().unwrap();
    assert_eq!(made["davx5"], format!("caldavs://alice:{secret}@cal.example.org:8443/"));
}

fn the_profile_link_works_once_without_a_session(backend: Backend) {
    let env = StoreEnv::new(backend);
    let server = Server::start(&env, &[]);
    add_users(&env, &["alice"]);
    let web = login(&server, "alice", PASSWORD);
    assert_eq!(web.request(&server, "POST", "/api/profile-links", None).send().unwrap().status(), 403, "CSRF");
    assert_eq!(client().post(server.url("/api/profile-links")).send().unwrap().status(), 401);

    let made = web.send(&server, "POST", "/api/profile-links").send().unwrap();
    assert_eq!(made.status(), 201);
    let made = json(made);
    let url = made["url"].as_str().unwrap();
    let prefix = server.url("/api/profile/");
    assert!(url.starts_with(&prefix) && url.len() == prefix.len() + 43, "{url}");
    let expires = chrono::DateTime::parse_from_rfc3339(made["expiresAt"].as_str().unwrap()).unwrap().timestamp();
    let now = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap().as_secs() as i64;
    assert!((595..=605).contains(&(expires - now)), "ten minutes: {made}");

    // A phone's camera: no cookie, no header.
    let first = client().get(url).send().unwrap();
    assert_eq!(first.status(), 200);
    assert_eq!(first.headers()["content-type"], "application/x-apple-aspen-config");
    check_profile(&first.text().unwrap(), "alice", false, "127.0.0.1", server.port);
    let second = client().get(url).send().unwrap();
    assert_eq!(second.status(), 404, "single use");
    assert!(second.text().unwrap().contains("expired"));
    assert_eq!(client().get(server.url("/api/profile/not-a-token")).send().unwrap().status(), 404);
}
