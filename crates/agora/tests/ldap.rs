//! LDAP as a directory source, against Debian's slapd on loopback (the test
//! command installs it), on both stores: LDAP users log in with their LDAP
//! password (by login or e-mail), appear in the global address list and can be
//! shared with; a user added to LDAP later can log in at once; a wrong or empty
//! password never logs anyone in.

mod common;

use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use common::*;

agora_testkit::on_both_stores!(ldap_users_log_in_and_are_in_the_directory);

const SUFFIX: &str = "dc=example,dc=org";
const ROOT_PW: &str = "slapd-root-secret";

/// A private slapd, stopped on drop.
struct Slapd {
    child: Child,
    port: u16,
}

impl Drop for Slapd {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn person(uid: &str, name: &str, mail: &str, password: &str) -> String {
    let (given, family) = name.split_once(' ').unwrap();
    format!(
        "dn: uid={uid},ou=people,{SUFFIX}\nobjectClass: inetOrgPerson\nuid: {uid}\ncn: {name}\n\
         givenName: {given}\nsn: {family}\nmail: {mail}\nuserPassword: {password}\n\n"
    )
}

fn slapd_binary() -> &'static str {
    for p in ["/usr/sbin/slapd", "/usr/local/sbin/slapd"] {
        if Path::new(p).exists() {
            return p;
        }
    }
    panic!("slapd is not installed: run the suite with ./scripts/test, which installs it (Debian package slapd)");
}

fn start_slapd(dir: &Path) -> Slapd {
    let db = dir.join("ldap-db");
    std::fs::create_dir_all(&db).unwrap();
    let conf = dir.join("slapd.conf");
    std::fs::write(
        &conf,
        format!(
            "include /etc/ldap/schema/core.schema\ninclude /etc/ldap/schema/cosine.schema\n\
             include /etc/ldap/schema/inetorgperson.schema\nmodulepath /usr/lib/ldap\nmoduleload back_mdb\n\
             pidfile {dir}/slapd.pid\ndatabase mdb\nmaxsize 10485760\nsuffix \"{SUFFIX}\"\n\
             rootdn \"cn=admin,{SUFFIX}\"\nrootpw {ROOT_PW}\ndirectory {db}\n\
             access to attrs=userPassword by self write by anonymous auth by * none\n\
             access to * by * read\n",
            dir = dir.display(),
            db = db.display()
        ),
    )
    .unwrap();
    let ldif = format!(
        "dn: {SUFFIX}\nobjectClass: dcObject\nobjectClass: organization\no: Example\ndc: example\n\n\
         dn: ou=people,{SUFFIX}\nobjectClass: organizationalUnit\nou: people\n\n{}{}",
        person("lea", "Léa Petit", "lea@example.org", "lea-password-1"),
        person("marc", "Marc Leroy", "marc@example.org", "marc-password-1"),
    );
    let data = dir.join("data.ldif");
    std::fs::write(&data, ldif).unwrap();
    let slapadd = slapd_binary().replace("slapd", "slapadd");
    let out = Command::new(&slapadd).arg("-f").arg(&conf).arg("-l").arg(&data).output().expect("slapadd");
    assert!(out.status.success(), "slapadd: {}", String::from_utf8_lossy(&out.stderr));
    let port = agora_testkit::free_port();
    let child = Command::new(slapd_binary())
        .arg("-f")
        .arg(&conf)
        .arg("-h")
        .arg(format!("ldap://127.0.0.1:{port}/"))
        .arg("-d")
        .arg("0")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("spawn slapd");
    let deadline = Instant::now() + Duration::from_secs(20);
    while std::net::TcpStream::connect(("127.0.0.1", port)).is_err() {
        assert!(Instant::now() < deadline, "slapd did not start");
        std::thread::sleep(Duration::from_millis(50));
    }
    Slapd { child, port }
}

fn as_user(server: &Server, login: &str, password: &str, method: &str, path: &str, body: &str) -> (u16, String) {
    let r = client()
        .request(reqwest::Method::from_bytes(method.as_bytes()).unwrap(), server.url(path))
        .basic_auth(login, Some(password))
        .header("Depth", "0")
        .header("Content-Type", "application/xml")
        .body(body.to_owned())
        .send()
        .unwrap();
    (r.status().as_u16(), r.text().unwrap())
}

const WHO: &str =
    r#"<D:propfind xmlns:D="DAV:"><D:prop><D:current-user-principal/><D:displayname/></D:prop></D:propfind>"#;

fn ldap_users_log_in_and_are_in_the_directory(backend: Backend) {
    let env = StoreEnv::new(backend);
    let slapd = start_slapd(env.dir.path());
    let config = env.dir.path().join("agora.toml");
    std::fs::write(
        &config,
        format!(
            "[ldap]\nurl = \"ldap://127.0.0.1:{}\"\nbind_dn = \"cn=admin,{SUFFIX}\"\nbind_password = \"{ROOT_PW}\"\n\
             base_dn = \"ou=people,{SUFFIX}\"\n",
            slapd.port
        ),
    )
    .unwrap();
    add_users(&env, &["alice"]);
    let server = Server::start_with(&env, &[], |cmd| {
        cmd.env("AGORA_CONFIG", &config);
    });

    // Login with the LDAP password, by login name or by address.
    let (status, body) = as_user(&server, "lea", "lea-password-1", "PROPFIND", "/principals/lea/", WHO);
    assert_eq!(status, 207, "{body}");
    assert!(body.contains("<D:href>/principals/lea/</D:href>") && body.contains("Léa Petit"), "{body}");
    assert_eq!(as_user(&server, "lea@example.org", "lea-password-1", "PROPFIND", "/principals/lea/", WHO).0, 207);
    assert_eq!(as_user(&server, "lea", "wrong", "PROPFIND", "/principals/lea/", WHO).0, 401);
    assert_eq!(as_user(&server, "lea", "", "PROPFIND", "/principals/lea/", WHO).0, 401);
    assert_eq!(as_user(&server, "nobody", "x", "PROPFIND", "/principals/lea/", WHO).0, 401);
    // The web sign-in takes the LDAP password too (the same check as Basic).
    let web = common::web::post_login(&server, "lea", "lea-password-1");
    assert_eq!(web.status(), 200);
    assert_eq!(common::web::json(web)["login"], "lea");
    assert_eq!(common::web::post_login(&server, "lea", "wrong").status(), 401);
    // A local account is still checked locally.
    assert_eq!(as_user(&server, "alice", PASSWORD, "PROPFIND", "/principals/alice/", WHO).0, 207);

    // marc never logged in: the refresh brought him into the global address list.
    let card = "/addressbooks/alice/directory/marc.vcf";
    let deadline = Instant::now() + Duration::from_secs(20);
    let text = loop {
        let (status, text) = send(&server, "alice", "GET", card, "text/plain", "");
        if status == 200 {
            break text;
        }
        assert!(Instant::now() < deadline, "marc never reached the directory ({status})");
        std::thread::sleep(Duration::from_millis(100));
    };
    assert!(text.contains("FN:Marc Leroy") && text.contains("marc@example.org"), "{text}");

    // LDAP users can be shared with, and use the share.
    let share = r#"<CS:share xmlns:D="DAV:" xmlns:CS="http://calendarserver.org/ns/"><CS:set><D:href>mailto:marc@example.org</D:href><CS:read/></CS:set></CS:share>"#;
    assert_eq!(send(&server, "alice", "POST", "/calendars/alice/calendar/", "application/xml", share).0, 200);
    let reply = r#"<CS:invite-reply xmlns:D="DAV:" xmlns:CS="http://calendarserver.org/ns/"><D:href>mailto:marc@example.org</D:href><CS:invite-accepted/><CS:hosturl><D:href>/calendars/alice/calendar/</D:href></CS:hosturl></CS:invite-reply>"#;
    let (status, body) = as_user(&server, "marc", "marc-password-1", "POST", "/calendars/marc/", reply);
    assert_eq!(status, 200, "{body}");
    assert!(body.contains("/calendars/marc/alice-calendar/"), "{body}");

    // Someone added to LDAP after the start logs in at once.
    let ldif = env.dir.path().join("new.ldif");
    std::fs::write(&ldif, person("nina", "Nina Roux", "nina@example.org", "nina-password-1")).unwrap();
    let out = Command::new("ldapadd")
        .args(["-x", "-H", &format!("ldap://127.0.0.1:{}", slapd.port), "-D", &format!("cn=admin,{SUFFIX}")])
        .args(["-w", ROOT_PW, "-f"])
        .arg(&ldif)
        .output()
        .expect("ldapadd (Debian package ldap-utils)");
    assert!(out.status.success(), "ldapadd: {}", String::from_utf8_lossy(&out.stderr));
    assert_eq!(as_user(&server, "nina", "nina-password-1", "PROPFIND", "/principals/nina/", WHO).0, 207);
    assert_eq!(send(&server, "alice", "GET", "/principals/nina/", "text/plain", "").0 / 100, 2);

    // LDAP down: no login is decided by a failing directory, and nothing breaks.
    drop(slapd);
    assert_eq!(as_user(&server, "marc", "wrong-again", "PROPFIND", "/principals/marc/", WHO).0, 401);
    assert_eq!(as_user(&server, "alice", PASSWORD, "PROPFIND", "/principals/alice/", WHO).0, 207);
}
