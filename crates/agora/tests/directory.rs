//! The global address list, on both stores: every user finds a read-only
//! `directory` address book in their address-book home, with a card for every
//! user, group (with members) and resource; it is searched by addressbook-query
//! (Thunderbird, Apple Contacts) and principal-property-search (Apple Calendar's
//! attendee completion), and follows directory changes as an ordinary sync.

mod common;

use common::*;

agora_testkit::on_both_stores!(the_directory_is_in_every_address_book_home);

const CARD_NS: &str = "urn:ietf:params:xml:ns:carddav";
const GAL: &str = "/addressbooks/alice/directory/";

fn sync(server: &Server, token: &str) -> String {
    let body = format!(
        r#"<D:sync-collection xmlns:D="DAV:"><D:sync-token>{token}</D:sync-token><D:sync-level>1</D:sync-level><D:prop><D:getetag/></D:prop></D:sync-collection>"#
    );
    let (status, text) = send(server, "alice", "REPORT", GAL, "application/xml", &body);
    assert_eq!(status, 207, "{text}");
    text
}

fn token(body: &str) -> String {
    let start = body.find("<D:sync-token>").unwrap() + "<D:sync-token>".len();
    body[start..start + body[start..].find('<').unwrap()].to_owned()
}

fn query(server: &Server, prop: &str, match_type: &str, text: &str) -> String {
    let body = format!(
        r#"<C:addressbook-query xmlns:D="DAV:" xmlns:C="{CARD_NS}"><D:prop><D:getetag/><C:address-data/></D:prop><C:filter><C:prop-filter name="{prop}"><C:text-match collation="i;unicode-casemap" match-type="{match_type}">{text}</C:text-match></C:prop-filter></C:filter></C:addressbook-query>"#
    );
    let (status, text) = send(server, "alice", "REPORT", GAL, "application/xml", &body);
    assert_eq!(status, 207, "{text}");
    text
}

fn the_directory_is_in_every_address_book_home(backend: Backend) {
    let env = StoreEnv::new(backend);
    let server = Server::start(&env, &[]);
    for (name, display) in [("alice", "Alice Martin"), ("bob", "Bob Dupont")] {
        let email = format!("{name}@example.org");
        env.cli_ok(
            &["user", "add", name, "--email", &email, "--display-name", display, "--password-stdin"],
            Some(&format!("{PASSWORD}\n")),
        );
    }
    env.cli_ok(&["group", "add", "team", "--display-name", "Équipe projet"], None);
    env.cli_ok(&["group", "member", "add", "team", "alice"], None);
    env.cli_ok(&["group", "member", "add", "team", "bob"], None);
    env.cli_ok(&["resource", "add", "salle-a", "--kind", "room", "--display-name", "Salle A"], None);

    // Discovery: the principal names the gateway, the home lists it as a directory.
    let (_, principal) = send(
        &server,
        "alice",
        "PROPFIND",
        "/principals/alice/",
        "application/xml",
        &format!(
            r#"<D:propfind xmlns:D="DAV:" xmlns:C="{CARD_NS}"><D:prop><C:directory-gateway/></D:prop></D:propfind>"#
        ),
    );
    assert!(principal.contains(&format!("<CARD:directory-gateway><D:href>{GAL}</D:href>")), "{principal}");
    let (_, home) = send(
        &server,
        "alice",
        "PROPFIND",
        "/addressbooks/alice/",
        "application/xml",
        r#"<D:propfind xmlns:D="DAV:"><D:prop><D:resourcetype/><D:displayname/><D:current-user-privilege-set/></D:prop></D:propfind>"#,
    );
    let entry = home.split("<D:response>").find(|r| r.contains(&format!("<D:href>{GAL}</D:href>"))).expect(&home);
    assert!(entry.contains("<CARD:addressbook/><CARD:directory/>"), "{entry}");
    assert!(entry.contains(">Directory</D:displayname>"), "{entry}");
    assert!(entry.contains("<D:read/>") && !entry.contains("<D:write-content/>"), "{entry}");

    // Every principal has a card; the group lists its members.
    let first = sync(&server, "");
    for name in ["alice", "bob", "team", "salle-a"] {
        assert!(first.contains(&format!("<D:href>{GAL}{name}.vcf</D:href>")), "{name} in {first}");
    }
    assert!(!first.contains(".directory"), "{first}");
    let (status, team) = send(&server, "alice", "GET", &format!("{GAL}team.vcf"), "text/plain", "");
    assert_eq!(status, 200);
    assert!(team.contains("FN:Équipe projet") && team.contains("X-ADDRESSBOOKSERVER-KIND:group"), "{team}");
    assert_eq!(team.matches("X-ADDRESSBOOKSERVER-MEMBER:urn:uuid:").count(), 2, "{team}");
    let (_, room) = send(&server, "alice", "GET", &format!("{GAL}salle-a.vcf"), "text/plain", "");
    assert!(room.contains("FN:Salle A") && room.contains("CATEGORIES:Room"), "{room}");

    // Search by name and by e-mail, as contact pickers do.
    let by_name = query(&server, "FN", "contains", "dupont");
    assert!(by_name.contains("bob.vcf") && !by_name.contains("alice.vcf"), "{by_name}");
    assert!(by_name.contains("EMAIL;TYPE=INTERNET,PREF:bob@example.org"), "{by_name}");
    let by_mail = query(&server, "EMAIL", "equals", "alice@example.org");
    assert!(by_mail.contains("alice.vcf") && !by_mail.contains("bob.vcf"), "{by_mail}");
    let search = r#"<D:principal-property-search xmlns:D="DAV:" test="anyof"><D:property-search><D:prop><D:displayname/></D:prop><D:match>martin</D:match></D:property-search><D:prop><D:displayname/></D:prop></D:principal-property-search>"#;
    let (_, found) = send(&server, "bob", "REPORT", "/principals/", "application/xml", search);
    assert!(found.contains("<D:href>/principals/alice/</D:href>") && !found.contains("/principals/bob/"), "{found}");

    // Read-only for everyone.
    let card = "BEGIN:VCARD\r\nVERSION:3.0\r\nUID:x\r\nFN:X\r\nEND:VCARD\r\n";
    assert_eq!(send(&server, "alice", "PUT", &format!("{GAL}x.vcf"), "text/vcard", card).0, 403);
    assert_eq!(send(&server, "alice", "PUT", &format!("{GAL}bob.vcf"), "text/vcard", card).0, 403);
    assert_eq!(send(&server, "alice", "DELETE", &format!("{GAL}bob.vcf"), "text/plain", "").0, 403);
    assert_eq!(send(&server, "alice", "GET", "/addressbooks/.directory/gal/bob.vcf", "text/plain", "").0, 200);
    assert_eq!(send(&server, "alice", "DELETE", "/addressbooks/.directory/gal/bob.vcf", "text/plain", "").0, 403);
    assert_eq!(send(&server, "alice", "GET", "/principals/.directory/", "text/plain", "").0 / 100, 4);

    // A directory change reaches the client as a sync delta.
    let before = token(&first);
    add_users(&env, &["carol"]);
    env.cli_ok(&["group", "member", "add", "team", "carol"], None);
    env.cli_ok(&["resource", "del", "salle-a"], None);
    let delta = sync(&server, &before);
    assert!(delta.contains(&format!("{GAL}carol.vcf")) && delta.contains(&format!("{GAL}team.vcf")), "{delta}");
    assert!(delta.contains(&format!("{GAL}salle-a.vcf</D:href><D:status>HTTP/1.1 404")), "{delta}");
    assert!(!delta.contains("bob.vcf"), "unchanged cards are not resent: {delta}");

    // The new user has it too; a user who removes it keeps it removed.
    let (_, carols) = send(&server, "carol", "PROPFIND", "/addressbooks/carol/", "application/xml", LIST_NAMES);
    assert!(carols.contains("/addressbooks/carol/directory/"), "{carols}");
    assert_eq!(send(&server, "carol", "DELETE", "/addressbooks/carol/directory/", "text/plain", "").0, 204);
    let (_, carols) = send(&server, "carol", "PROPFIND", "/addressbooks/carol/", "application/xml", LIST_NAMES);
    assert!(!carols.contains("/addressbooks/carol/directory/"), "{carols}");
    assert_eq!(send(&server, "alice", "GET", &format!("{GAL}carol.vcf"), "text/plain", "").0, 200);
}

const LIST_NAMES: &str = r#"<D:propfind xmlns:D="DAV:"><D:prop><D:resourcetype/></D:prop></D:propfind>"#;
