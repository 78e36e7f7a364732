//! Configuration precedence (flags > AGORA_* > file > defaults), configuration
//! errors, and HTTPS.

mod common;

use common::*;

fn healthy(port: u16) -> bool {
    client().get(format!("http://127.0.0.1:{port}/health")).send().is_ok_and(|r| r.status().is_success())
}

#[test]
fn flags_win_over_environment_which_wins_over_the_file() {
    let env = StoreEnv::new(Backend::Sqlite);
    let (file_port, env_port) = (agora_testkit::free_port(), agora_testkit::free_port());
    let config = env.dir.path().join("agora.toml");
    // The default file name in the working directory is read without --config.
    std::fs::write(&config, format!("listen = \"127.0.0.1:{file_port}\"\ninitial_admin = false\n")).unwrap();

    let mut child = env.command().arg("serve").stdout(std::process::Stdio::null()).spawn().unwrap();
    assert!(wait_until(|| healthy(file_port)), "listening on the file's port");
    child.kill().unwrap();
    child.wait().unwrap();

    let mut child = env
        .command()
        .arg("serve")
        .env("AGORA_LISTEN", format!("127.0.0.1:{env_port}"))
        .stdout(std::process::Stdio::null())
        .spawn()
        .unwrap();
    assert!(wait_until(|| healthy(env_port)), "AGORA_LISTEN wins over the file");
    assert!(!healthy(file_port));
    child.kill().unwrap();
    child.wait().unwrap();

    let flag_port = agora_testkit::free_port();
    let mut child = env
        .command()
        .arg("serve")
        .arg("--listen")
        .arg(format!("127.0.0.1:{flag_port}"))
        .env("AGORA_LISTEN", format!("127.0.0.1:{env_port}"))
        .stdout(std::process::Stdio::null())
        .spawn()
        .unwrap();
    assert!(wait_until(|| healthy(flag_port)), "--listen wins over AGORA_LISTEN");
    assert!(!healthy(env_port));
    child.kill().unwrap();
    child.wait().unwrap();
}

fn wait_until(mut ok: impl FnMut() -> bool) -> bool {
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(20);
    while std::time::Instant::now() < deadline {
        if ok() {
            return true;
        }
        std::thread::sleep(std::time::Duration::from_millis(50));
    }
    false
}

#[test]
fn configuration_errors_are_clear() {
    let env = StoreEnv::new(Backend::Sqlite);
    let bad = env.dir.path().join("bad.toml");
    std::fs::write(&bad, "lisen = \"127.0.0.1:1\"\n").unwrap();
    let out = env.command().args(["--config", bad.to_str().unwrap(), "user", "list"]).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("unknown field `lisen`"));

    let missing = env.command().args(["--config", "/nonexistent/agora.toml", "user", "list"]).output().unwrap();
    assert_eq!(missing.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&missing.stderr).contains("cannot read"));

    let store = env.command().args(["--store", "mysql://x", "user", "list"]).output().unwrap();
    assert_eq!(store.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&store.stderr).contains("unsupported store URL"));

    let unreachable =
        env.command().args(["--store", "postgres://agora@127.0.0.1:1/none", "user", "list"]).output().unwrap();
    assert_eq!(unreachable.status.code(), Some(1));

    // A taken port is a start-up error, not a hang.
    let taken = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = taken.local_addr().unwrap().port();
    let out = env.command().args(["serve", "--listen", &format!("127.0.0.1:{port}")]).output().unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("cannot listen"));
}

#[test]
fn data_dir_from_the_file_and_json_logs() {
    let env = StoreEnv::new(Backend::Sqlite);
    let data = env.dir.path().join("elsewhere");
    let config = env.dir.path().join("custom.toml");
    std::fs::write(&config, format!("data_dir = {:?}\nlog_format = \"json\"\n", data.to_str().unwrap())).unwrap();
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_agora"))
        .current_dir(env.dir.path())
        .env_remove("AGORA_STORE")
        .env_remove("AGORA_DATA_DIR")
        .args(["--config", config.to_str().unwrap(), "group", "add", "team"])
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    assert!(data.join("agora.db").exists(), "the database is created in the configured data_dir");

    let port = agora_testkit::free_port();
    let log = env.dir.path().join("json.log");
    let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_agora"))
        .current_dir(env.dir.path())
        .env_remove("AGORA_STORE")
        .args(["--config", config.to_str().unwrap(), "serve", "--listen", &format!("127.0.0.1:{port}")])
        .stdout(std::process::Stdio::null())
        .stderr(std::fs::File::create(&log).unwrap())
        .spawn()
        .unwrap();
    assert!(wait_until(|| healthy(port)));
    child.kill().unwrap();
    child.wait().unwrap();
    let text = std::fs::read_to_string(&log).unwrap();
    let access = text.lines().find(|l| l.contains("/health")).expect("an access line");
    assert!(
        access.starts_with('{') && access.contains("\"status\":200") && access.contains("\"latency_ms\""),
        "{access}"
    );
}

#[test]
fn https_with_a_certificate_and_key() {
    let env = StoreEnv::new(Backend::Sqlite);
    let cert = rcgen::generate_simple_self_signed(vec!["127.0.0.1".into(), "localhost".into()]).unwrap();
    let cert_path = env.dir.path().join("cert.pem");
    let key_path = env.dir.path().join("key.pem");
    std::fs::write(&cert_path, cert.cert.pem()).unwrap();
    std::fs::write(&key_path, cert.key_pair.serialize_pem()).unwrap();
    let server = Server::start_with(
        &env,
        &["--tls-cert", cert_path.to_str().unwrap(), "--tls-key", key_path.to_str().unwrap()],
        |_| {},
    );
    let tls_client = reqwest::blocking::Client::builder()
        .add_root_certificate(reqwest::Certificate::from_pem(cert.cert.pem().as_bytes()).unwrap())
        .build()
        .unwrap();
    let r = tls_client
        .request(reqwest::Method::OPTIONS, server.url("/"))
        .basic_auth("admin", Some(server.admin()))
        .send()
        .unwrap();
    assert_eq!(r.status(), 200);
    assert!(server.url("/").starts_with("https://"));

    let listen = format!("127.0.0.1:{}", agora_testkit::free_port());
    let args = ["serve", "--tls-cert", "/nonexistent.pem", "--tls-key", "/nonexistent.key", "--listen", &listen];
    let out = env.command().args(args).output().unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("cannot load TLS certificate"));
}

#[test]
fn request_limits_are_configurable() {
    let env = StoreEnv::new(Backend::Sqlite);
    let server = Server::start(
        &env,
        &[
            "--max-request-bytes",
            "2000",
            "--max-resource-size",
            "600",
            "--max-xml-depth",
            "6",
            "--max-xml-properties",
            "3",
        ],
    );
    let send = |method: &str, path: &str, ct: &str, body: String| send_as_admin(&server, method, path, ct, body);
    let event = |filler: usize| {
        format!(
            "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:x\r\nBEGIN:VEVENT\r\nUID:big\r\nDTSTAMP:20260101T000000Z\r\n\
             DTSTART:20260101T000000Z\r\nDESCRIPTION:{}\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n",
            "x".repeat(filler)
        )
    };
    assert_eq!(send("PUT", "/calendars/admin/calendar/ok.ics", "text/calendar", event(10)).0, 201);
    let (status, body) = send("PUT", "/calendars/admin/calendar/big.ics", "text/calendar", event(800));
    assert_eq!(status, 403);
    assert!(body.contains("<C:max-resource-size/>"), "{body}");
    assert_eq!(send("PUT", "/calendars/admin/calendar/huge.ics", "text/calendar", event(3000)).0, 413);
    let deep = format!("<d:propfind xmlns:d=\"DAV:\">{}{}</d:propfind>", "<d:x>".repeat(8), "</d:x>".repeat(8));
    assert_eq!(send("PROPFIND", "/calendars/admin/", "application/xml", deep).0, 400);
    let many = "<d:propfind xmlns:d=\"DAV:\"><d:prop><d:a/><d:b/><d:c/><d:d/><d:e/></d:prop></d:propfind>".to_owned();
    let (status, body) = send("PROPFIND", "/calendars/admin/", "application/xml", many);
    assert_eq!(status, 400, "{body}");
    let props = r#"<?xml version="1.0"?><d:propfind xmlns:d="DAV:" xmlns:c="urn:ietf:params:xml:ns:caldav"><d:prop><c:max-resource-size/></d:prop></d:propfind>"#;
    let (_, body) = send("PROPFIND", "/calendars/admin/calendar/", "application/xml", props.to_owned());
    assert!(body.contains("<C:max-resource-size>600</C:max-resource-size>"), "{body}");
}

#[test]
fn quota_is_reported_and_enforced() {
    let env = StoreEnv::new(Backend::Sqlite);
    let server = Server::start(&env, &["--user-quota-bytes", "1000"]);
    let send = |method: &str, path: &str, ct: &str, body: String| send_as_admin(&server, method, path, ct, body);
    let event = |uid: &str, filler: usize| {
        format!(
            "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:x\r\nBEGIN:VEVENT\r\nUID:{uid}\r\nDTSTAMP:20260101T000000Z\r\n\
             DTSTART:20260101T000000Z\r\nDESCRIPTION:{}\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n",
            "x".repeat(filler)
        )
    };
    let first = event("a", 400);
    assert_eq!(send("PUT", "/calendars/admin/calendar/a.ics", "text/calendar", first.clone()).0, 201);
    let quota = r#"<d:propfind xmlns:d="DAV:"><d:prop><d:quota-used-bytes/><d:quota-available-bytes/><d:principal-URL/></d:prop></d:propfind>"#;
    let (_, body) = send("PROPFIND", "/calendars/admin/", "application/xml", quota.to_owned());
    let used = first.len();
    assert!(body.contains(&format!("<D:quota-used-bytes>{used}</D:quota-used-bytes>")), "{body}");
    assert!(body.contains(&format!("<D:quota-available-bytes>{}</D:quota-available-bytes>", 1000 - used)), "{body}");
    assert!(body.contains("<D:principal-URL><D:href>/principals/admin/</D:href>"), "principal-URL on a home: {body}");
    let (status, body) = send("PUT", "/calendars/admin/calendar/b.ics", "text/calendar", event("b", 600));
    assert_eq!(status, 507);
    assert!(body.contains("quota-not-exceeded"), "{body}");
    // Replacing an object counts only the difference.
    assert_eq!(send("PUT", "/calendars/admin/calendar/a.ics", "text/calendar", event("a", 450)).0, 204);
}

/// One request as `admin` with a body; returns status and body text.
fn send_as_admin(server: &Server, method: &str, path: &str, content_type: &str, body: String) -> (u16, String) {
    let r = client()
        .request(reqwest::Method::from_bytes(method.as_bytes()).unwrap(), server.url(path))
        .basic_auth("admin", Some(server.admin()))
        .header("Content-Type", content_type)
        .header("Depth", "0")
        .body(body)
        .send()
        .unwrap();
    (r.status().as_u16(), r.text().unwrap())
}
