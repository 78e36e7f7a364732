//! Web sign-in: the JSON API, the session cookie, its expiry and its end, and
//! the CSRF header every request it authorises must carry — on both stores.

mod common;

use std::time::Duration;

use common::web::*;
use common::*;

agora_testkit::on_both_stores!(
    sign_in_with_the_account_password_only,
    the_cookie_is_http_only_strict_and_not_secure_over_plain_http,
    the_cookie_is_secure_under_tls,
    the_cookie_is_secure_behind_a_trusted_https_proxy,
    failed_sign_ins_are_throttled_with_basic_auth,
    logout_ends_the_session_in_the_store,
    sessions_end_when_idle_and_at_their_maximum,
    password_change_and_account_deletion_end_sessions,
    preferences_round_trip_within_their_limit,
);

fn header(r: &reqwest::blocking::Response, name: &str) -> String {
    r.headers().get(name).map(|v| v.to_str().unwrap().to_owned()).unwrap_or_default()
}

fn sign_in_with_the_account_password_only(backend: Backend) {
    let env = StoreEnv::new(backend);
    let server = Server::start(&env, &[]);
    let alice = ["user", "add", "alice", "--email", "alice@example.org", "--display-name", "Alice Martin"];
    env.cli_ok(&[&alice[..], &["--password-stdin"]].concat(), Some(&format!("{PASSWORD}\n")));

    let web = login(&server, "alice", PASSWORD);
    let b = &web.body;
    assert_eq!(b["login"], "alice");
    assert_eq!(b["displayName"], "Alice Martin");
    assert_eq!(b["email"], "alice@example.org");
    assert_eq!(b["principal"], "/principals/alice/");
    assert_eq!(b["calendarHome"], "/calendars/alice/");
    assert_eq!(b["addressbookHome"], "/addressbooks/alice/");
    let expires = b["expiresAt"].as_str().unwrap();
    assert!(expires.len() == 20 && expires.ends_with('Z'), "{expires}");
    assert_eq!(web.csrf.len(), 43);

    let session = web.request(&server, "GET", "/api/session", None).send().unwrap();
    assert_eq!(session.status(), 200);
    assert_eq!(header(&session, "cache-control"), "no-store");
    assert_eq!(json(session), web.body);
    // By e-mail address and in another case, as with Basic.
    assert_eq!(login(&server, "Alice@Example.org", PASSWORD).body["login"], "alice");

    let no_cookie = client().get(server.url("/api/session")).send().unwrap();
    assert_eq!(no_cookie.status(), 401);
    assert_eq!(error_code(no_cookie), "signed-out");
    let forged = client().get(server.url("/api/session")).header("Cookie", "agora_session=AAAA").send().unwrap();
    assert_eq!(forged.status(), 401);

    let wrong = post_login(&server, "alice", "wrong-password");
    assert_eq!(wrong.status(), 401);
    assert!(wrong.headers().get("set-cookie").is_none());
    assert_eq!(error_code(wrong), "bad-credentials");
    assert_eq!(error_code(post_login(&server, "nobody", PASSWORD)), "bad-credentials");

    // App passwords are for devices: Basic takes them, the sign-in does not.
    let app = env.cli_ok(&["user", "app-password", "add", "alice", "phone"], None).trim().to_owned();
    assert_eq!(status(&server.url("/"), "alice", &app), 200);
    let refused = post_login(&server, "alice", &app);
    assert_eq!(refused.status(), 401);
    assert_eq!(error_code(refused), "bad-credentials");

    // Only JSON: a cross-site form cannot send it without a preflight.
    let form = client()
        .post(server.url("/api/login"))
        .header("Content-Type", "application/x-www-form-urlencoded")
        .body(format!("login=alice&password={PASSWORD}"))
        .send()
        .unwrap();
    assert_eq!(form.status(), 415);
    assert_eq!(error_code(form), "unsupported-media-type");
    for bad in ["{", "[]", "{\"login\":\"alice\"}"] {
        let r = client().post(server.url("/api/login")).header("Content-Type", "application/json").body(bad).send();
        let r = r.unwrap();
        assert_eq!(r.status(), 400, "{bad}");
        assert_eq!(error_code(r), "bad-request");
    }
    assert_eq!(client().get(server.url("/api/login")).send().unwrap().status(), 405);
    assert_eq!(client().get(server.url("/api/nothing")).send().unwrap().status(), 404);
}

fn the_cookie_is_http_only_strict_and_not_secure_over_plain_http(backend: Backend) {
    let env = StoreEnv::new(backend);
    let server = Server::start(&env, &[]);
    let web = login(&server, "admin", server.admin());
    let attributes: Vec<&str> = web.set_cookie.split(';').map(str::trim).collect();
    assert_eq!(attributes[0].len(), "agora_session=".len() + 43, "{}", web.set_cookie);
    for flag in ["HttpOnly", "SameSite=Strict", "Path=/"] {
        assert!(attributes.contains(&flag), "{flag} in {}", web.set_cookie);
    }
    assert!(!attributes.contains(&"Secure"), "{}", web.set_cookie);
    let max_age: u64 = attributes.iter().find_map(|a| a.strip_prefix("Max-Age=")).unwrap().parse().unwrap();
    assert!((7 * 86400 - 60..=7 * 86400).contains(&max_age), "at most the session's maximum: {max_age}");
}

fn the_cookie_is_secure_under_tls(backend: Backend) {
    let env = StoreEnv::new(backend);
    let cert = rcgen::generate_simple_self_signed(vec!["127.0.0.1".into()]).unwrap();
    let (cert_path, key_path) = (env.dir.path().join("cert.pem"), env.dir.path().join("key.pem"));
    std::fs::write(&cert_path, cert.cert.pem()).unwrap();
    std::fs::write(&key_path, cert.key_pair.serialize_pem()).unwrap();
    let server =
        Server::start(&env, &["--tls-cert", cert_path.to_str().unwrap(), "--tls-key", key_path.to_str().unwrap()]);
    let tls = reqwest::blocking::Client::builder()
        .add_root_certificate(reqwest::Certificate::from_pem(cert.cert.pem().as_bytes()).unwrap())
        .build()
        .unwrap();
    let body = serde_json::json!({ "login": "admin", "password": server.admin() }).to_string();
    let r = tls.post(server.url("/api/login")).header("Content-Type", "application/json").body(body).send().unwrap();
    assert_eq!(r.status(), 200);
    let set_cookie = header(&r, "set-cookie");
    for flag in ["HttpOnly", "SameSite=Strict", "Secure"] {
        assert!(set_cookie.split(';').any(|a| a.trim() == flag), "{flag} in {set_cookie}");
    }
    let csrf = json(r)["csrf"].as_str().unwrap().to_owned();
    let cookie = set_cookie.split(';').next().unwrap().to_owned();
    let logout = tls.post(server.url("/api/logout")).header("Cookie", cookie).header("X-Agora-CSRF", csrf).send();
    let logout = logout.unwrap();
    assert_eq!(logout.status(), 204);
    assert!(header(&logout, "set-cookie").contains("Secure"), "the clearing cookie is Secure too");
}

/// The `Set-Cookie` of a sign-in as admin sent with `X-Forwarded-Proto: https`.
fn set_cookie_via_https_proxy(server: &Server, password: &str) -> String {
    let body = serde_json::json!({ "login": "admin", "password": password }).to_string();
    let r = client()
        .post(server.url("/api/login"))
        .header("Content-Type", "application/json")
        .header("X-Forwarded-Proto", "https")
        .body(body)
        .send()
        .unwrap();
    assert_eq!(r.status(), 200);
    header(&r, "set-cookie")
}

fn the_cookie_is_secure_behind_a_trusted_https_proxy(backend: Backend) {
    let env = StoreEnv::new(backend);
    let server = Server::start(&env, &["--trusted-proxy", "127.0.0.1"]);
    let admin = server.admin().to_owned();
    let set_cookie = set_cookie_via_https_proxy(&server, &admin);
    assert!(set_cookie.ends_with("; Secure"), "{set_cookie}");
    let plain = login(&server, "admin", &admin);
    assert!(!plain.set_cookie.contains("Secure"), "{}", plain.set_cookie);
    drop(server);
    // From a client that is not a trusted proxy, the header means nothing.
    let server = Server::start(&env, &[]);
    let set_cookie = set_cookie_via_https_proxy(&server, &admin);
    assert!(!set_cookie.contains("Secure"), "{set_cookie}");
}

fn failed_sign_ins_are_throttled_with_basic_auth(backend: Backend) {
    let env = StoreEnv::new(backend);
    let server = Server::start(&env, &["--auth-max-failures", "3", "--auth-failure-window-seconds", "60"]);
    add_users(&env, &["alice", "bob"]);
    for _ in 0..3 {
        assert_eq!(post_login(&server, "alice", "guess").status(), 401);
    }
    // Even the right password is refused while throttled, on the web and by Basic.
    let throttled = post_login(&server, "alice", PASSWORD);
    assert_eq!(throttled.status(), 429);
    let retry: u64 = header(&throttled, "retry-after").parse().unwrap();
    let body = json(throttled);
    assert_eq!(body["error"], "throttled");
    assert_eq!(body["retryAfter"], retry);
    assert!((1..=60).contains(&retry));
    assert_eq!(status(&server.url("/"), "alice", PASSWORD), 429);
    // And failures by Basic count for the web sign-in.
    for _ in 0..3 {
        assert_eq!(status(&server.url("/"), "bob", "guess"), 401);
    }
    assert_eq!(post_login(&server, "bob", PASSWORD).status(), 429);
    std::thread::sleep(Duration::from_millis(1100));
    login(&server, "alice", PASSWORD);
}

/// Rows in the store's session table, counted by purging them all (the end of a test).
fn purge_all_sessions(env: &StoreEnv) -> u64 {
    let runtime = tokio::runtime::Runtime::new().unwrap();
    runtime.block_on(async {
        let store =
            agora_store::open(env.store_url.as_deref(), &env.data_dir(), agora_store::Synchronous::Full).await.unwrap();
        let n = store.purge_sessions(i64::MAX).await.unwrap();
        store.close().await;
        n
    })
}

fn logout_ends_the_session_in_the_store(backend: Backend) {
    let env = StoreEnv::new(backend);
    let server = Server::start(&env, &[]);
    add_users(&env, &["alice"]);
    let first = login(&server, "alice", PASSWORD);
    let second = login(&server, "alice", PASSWORD);
    assert_ne!(first.cookie, second.cookie);

    let no_csrf = first.request(&server, "POST", "/api/logout", None).send().unwrap();
    assert_eq!(no_csrf.status(), 403);
    assert_eq!(error_code(no_csrf), "csrf");
    let wrong = first.request(&server, "POST", "/api/logout", Some(&second.csrf)).send().unwrap();
    assert_eq!(wrong.status(), 403, "another session's token is not this one's");
    assert_eq!(first.session_status(&server), 200, "a refused logout does nothing");

    let out = first.send(&server, "POST", "/api/logout").send().unwrap();
    assert_eq!(out.status(), 204);
    let cleared = header(&out, "set-cookie");
    assert!(cleared.starts_with("agora_session=;") && cleared.contains("Max-Age=0"), "{cleared}");
    assert_eq!(first.session_status(&server), 401);
    // DAV refuses the cookie too, without a Basic challenge (no browser dialog).
    let dav = first.send(&server, "PROPFIND", "/calendars/alice/").header("Depth", "0").send().unwrap();
    assert_eq!(dav.status(), 401);
    assert!(!header(&dav, "www-authenticate").starts_with("Basic"), "{}", header(&dav, "www-authenticate"));
    assert_eq!(second.session_status(&server), 200, "other sessions go on");
    drop(server);
    assert_eq!(purge_all_sessions(&env), 1, "only the session still open is stored");
}

fn sessions_end_when_idle_and_at_their_maximum(backend: Backend) {
    let env = StoreEnv::new(backend);
    std::fs::write(env.dir.path().join("agora.toml"), "[web]\nsession_idle = \"3s\"\nsession_max = \"6s\"\n").unwrap();
    let server = Server::start(&env, &[]);
    add_users(&env, &["alice"]);
    let idle = login(&server, "alice", PASSWORD);
    let busy = login(&server, "alice", PASSWORD);
    let max_age: u64 = busy.set_cookie.split("Max-Age=").nth(1).unwrap().split(';').next().unwrap().parse().unwrap();
    assert!(max_age <= 6, "the cookie lives no longer than the session: {max_age}");
    // Used every 1.5 s, the busy session outlives the idle limit…
    for _ in 0..3 {
        std::thread::sleep(Duration::from_millis(1500));
        assert_eq!(busy.session_status(&server), 200);
    }
    // …while the unused one ended after 3 s.
    assert_eq!(idle.session_status(&server), 401);
    // At 6 s after sign-in the busy one ends too, however used.
    std::thread::sleep(Duration::from_millis(1800));
    assert_eq!(busy.session_status(&server), 401);
}

fn password_change_and_account_deletion_end_sessions(backend: Backend) {
    let env = StoreEnv::new(backend);
    let server = Server::start(&env, &[]);
    add_users(&env, &["alice", "bob", "carol"]);
    let alice = login(&server, "alice", PASSWORD);
    let bob = login(&server, "bob", PASSWORD);
    let carol = login(&server, "carol", PASSWORD);
    // Changed by the CLI, another process: the server sees it at the next request.
    env.cli_ok(&["user", "passwd", "alice", "--password-stdin"], Some("second-password\n"));
    assert_eq!(alice.session_status(&server), 401);
    let dav = alice.send(&server, "PROPFIND", "/calendars/alice/").header("Depth", "0").send().unwrap();
    assert_eq!(dav.status(), 401);
    login(&server, "alice", "second-password");
    env.cli_ok(&["user", "del", "bob"], None);
    assert_eq!(bob.session_status(&server), 401);
    assert_eq!(error_code(post_login(&server, "bob", PASSWORD)), "bad-credentials");
    assert_eq!(carol.session_status(&server), 200, "other users' sessions go on");
}

fn preferences_round_trip_within_their_limit(backend: Backend) {
    let env = StoreEnv::new(backend);
    let server = Server::start(&env, &[]);
    add_users(&env, &["alice", "bob"]);
    let alice = login(&server, "alice", PASSWORD);
    let bob = login(&server, "bob", PASSWORD);
    let get = |who: &WebSession| who.send(&server, "GET", "/api/preferences").send().unwrap();
    let put = |who: &WebSession, body: String| {
        who.send(&server, "PUT", "/api/preferences")
            .header("Content-Type", "application/json")
            .body(body)
            .send()
            .unwrap()
    };
    let first = get(&alice);
    assert_eq!(first.status(), 200);
    assert_eq!(header(&first, "content-type"), "application/json; charset=utf-8");
    assert_eq!(first.text().unwrap(), "{}");

    let prefs = r##"{"locale":"fr","timeZone":"Europe/Paris","firstDay":1,"hour12":false,"view":"week","calendarColors":{"/calendars/alice/calendar/":"#3366cc"},"hiddenCalendars":[]}"##;
    assert_eq!(put(&alice, prefs.to_owned()).status(), 204);
    assert_eq!(get(&alice).text().unwrap(), prefs, "stored verbatim");
    assert_eq!(get(&bob).text().unwrap(), "{}", "per user");

    // 16 KB at most; a larger document leaves the stored one as it was.
    let fits = format!("{{\"pad\":\"{}\"}}", "x".repeat(16 * 1024 - 10));
    assert_eq!(fits.len(), 16 * 1024);
    assert_eq!(put(&bob, fits.clone()).status(), 204);
    let too_large = put(&alice, format!("{{\"pad\":\"{}\"}}", "x".repeat(16 * 1024)));
    assert_eq!(too_large.status(), 413);
    assert_eq!(error_code(too_large), "too-large");
    for bad in ["[1]", "\"text\"", "{"] {
        let r = put(&alice, bad.to_owned());
        assert_eq!(r.status(), 400, "{bad}");
        assert_eq!(error_code(r), "bad-request");
    }
    let text = alice.send(&server, "PUT", "/api/preferences").header("Content-Type", "text/plain").body("{}").send();
    assert_eq!(text.unwrap().status(), 415);
    assert_eq!(get(&alice).text().unwrap(), prefs);

    // Without the CSRF header: refused, and nothing stored.
    let r = alice.request(&server, "GET", "/api/preferences", None).send().unwrap();
    assert_eq!((r.status().as_u16(), error_code(r)), (403, "csrf".to_owned()));
    let r = alice
        .request(&server, "PUT", "/api/preferences", Some("wrong"))
        .header("Content-Type", "application/json")
        .body("{}")
        .send()
        .unwrap();
    assert_eq!((r.status().as_u16(), error_code(r)), (403, "csrf".to_owned()));
    assert_eq!(get(&alice).text().unwrap(), prefs);
    let anonymous = client().get(server.url("/api/preferences")).send().unwrap();
    assert_eq!((anonymous.status().as_u16(), error_code(anonymous)), (401, "signed-out".to_owned()));
}
