//! Finding colleagues and reading principals as Apple clients do, on both stores.

mod common;

use common::*;
use reqwest::Method;

agora_testkit::on_both_stores!(colleagues_are_found_by_name_and_address, expand_property_follows_hrefs);

fn setup(backend: Backend) -> (Server, StoreEnv) {
    let env = StoreEnv::new(backend);
    let server = Server::start(&env, &[]);
    let add = |name: &str, display: &str, email: &str| {
        env.cli_ok(
            &["user", "add", name, "--display-name", display, "--email", email, "--password-stdin"],
            Some("long-password\n"),
        );
    };
    add("jdupont", "Jean Dupont", "jean.dupont@example.org");
    add("mcurie", "Marie Curie", "marie.curie@example.org");
    add("pmartin", "Paul Martin", "paul@partner.example");
    env.cli_ok(
        &[
            "resource",
            "add",
            "salle-101",
            "--kind",
            "room",
            "--display-name",
            "Salle 101",
            "--email",
            "salle101@example.org",
        ],
        None,
    );
    (server, env)
}

fn report(server: &Server, path: &str, body: &str) -> (u16, String) {
    let r = client()
        .request(Method::from_bytes(b"REPORT").unwrap(), server.url(path))
        .basic_auth("jdupont", Some("long-password"))
        .header("Depth", "0")
        .header("Content-Type", "application/xml")
        .body(body.to_owned())
        .send()
        .unwrap();
    (r.status().as_u16(), r.text().unwrap())
}

fn search(prop: &str, text: &str, match_type: &str) -> String {
    format!(
        r#"<d:principal-property-search xmlns:d="DAV:" xmlns:c="urn:ietf:params:xml:ns:caldav" xmlns:cs="http://calendarserver.org/ns/" test="anyof"><d:property-search><d:prop>{prop}</d:prop><d:match match-type="{match_type}">{text}</d:match></d:property-search><d:prop><d:displayname/><c:calendar-user-address-set/><c:calendar-user-type/></d:prop></d:principal-property-search>"#
    )
}

fn principals(body: &str) -> Vec<String> {
    let mut out: Vec<String> =
        body.split("<D:response><D:href>/principals/").skip(1).map(|s| s[..s.find('/').unwrap()].to_owned()).collect();
    out.sort();
    out
}

fn colleagues_are_found_by_name_and_address(backend: Backend) {
    let (server, _env) = setup(backend);
    let (status, body) = report(&server, "/principals/", &search("<d:displayname/>", "dupont", "contains"));
    assert_eq!(status, 207);
    assert_eq!(principals(&body), ["jdupont"]);
    assert!(body.contains("<D:href>mailto:jean.dupont@example.org</D:href>"), "{body}");
    let (_, body) = report(&server, "/principals/", &search("<d:displayname/>", "ma", "starts-with"));
    assert_eq!(principals(&body), ["mcurie", "pmartin"], "any word of the name");
    let (_, body) = report(
        &server,
        "/principals/",
        &search("<c:calendar-user-address-set/>", "mailto:paul@partner.example", "equals"),
    );
    assert_eq!(principals(&body), ["pmartin"]);
    let (_, body) = report(&server, "/principals/", &search("<cs:email-address-set/>", "example.org", "contains"));
    assert_eq!(principals(&body), ["jdupont", "mcurie", "salle-101"]);
    let (_, body) = report(&server, "/principals/", &search("<c:calendar-user-type/>", "ROOM", "equals"));
    assert_eq!(principals(&body), ["salle-101"]);
    assert!(body.contains("<C:calendar-user-type>ROOM</C:calendar-user-type>"), "{body}");
    let (_, body) = report(&server, "/principals/", &search("<d:displayname/>", "nobody-like-this", "contains"));
    assert!(principals(&body).is_empty());
    let (status, body) = report(&server, "/principals/", r#"<d:principal-search-property-set xmlns:d="DAV:"/>"#);
    assert_eq!(status, 200);
    assert!(body.contains("<D:displayname/>") && body.contains("calendar-user-address-set"), "{body}");
}

fn expand_property_follows_hrefs(backend: Backend) {
    let (server, _env) = setup(backend);
    let body = r#"<d:expand-property xmlns:d="DAV:"><d:property name="current-user-principal"><d:property name="displayname"/><d:property name="principal-URL"/></d:property><d:property name="owner"/></d:expand-property>"#;
    let (status, text) = report(&server, "/calendars/jdupont/calendar/", body);
    assert_eq!(status, 207);
    assert!(text.contains("<D:current-user-principal><D:response><D:href>/principals/jdupont/</D:href>"), "{text}");
    assert!(text.contains("<D:displayname>Jean Dupont</D:displayname>"), "{text}");
    assert!(
        text.contains("<D:owner><D:href>/principals/jdupont/</D:href></D:owner>"),
        "not expanded without children: {text}"
    );
}
