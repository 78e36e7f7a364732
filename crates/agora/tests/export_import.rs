//! `agora export` and `agora import` on both stores (issue 17): a server
//! exported to a zip and to a directory and imported into a fresh store answers
//! DAV the same, property by property and object by object (shares, ACL,
//! delegates, subscriptions, publish link, working hours, preferences
//! included); a second import changes nothing; a bad object is reported and
//! the rest imported; Outlook's and Google's files land at the right times.

mod common;

use std::collections::BTreeMap;

use common::web::login;
use common::*;

agora_testkit::on_both_stores!(
    an_exported_server_imports_into_a_fresh_store_the_same,
    a_bad_object_is_reported_and_the_rest_imported,
    outlook_and_google_files_import_at_the_right_times
);

const XML: &str = "application/xml";

fn put(server: &Server, user: &str, path: &str, ct: &str, body: &str) {
    let (status, text) = send(server, user, "PUT", path, ct, body);
    assert_eq!(status, 201, "PUT {path}: {text}");
}

fn ok(server: &Server, user: &str, method: &str, path: &str, body: &str) -> String {
    let (status, text) = send(server, user, method, path, XML, body);
    assert!((200..300).contains(&status), "{method} {path}: {status} {text}");
    text
}

const PARIS: &str = "BEGIN:VTIMEZONE\r\nTZID:Europe/Paris\r\nBEGIN:STANDARD\r\nDTSTART:19701025T030000\r\n\
TZOFFSETFROM:+0200\r\nTZOFFSETTO:+0100\r\nRRULE:FREQ=YEARLY;BYMONTH=10;BYDAY=-1SU\r\nEND:STANDARD\r\n\
BEGIN:DAYLIGHT\r\nDTSTART:19700329T020000\r\nTZOFFSETFROM:+0100\r\nTZOFFSETTO:+0200\r\n\
RRULE:FREQ=YEARLY;BYMONTH=3;BYDAY=-1SU\r\nEND:DAYLIGHT\r\nEND:VTIMEZONE\r\n";

fn ical(body: &str) -> String {
    format!("BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//Test//Populate//EN\r\n{body}END:VCALENDAR\r\n")
}

/// Server A's content: two users, a group, a room, every kind of collection and relation.
fn populate(env: &StoreEnv, server: &Server) -> String {
    add_users(env, &["alice", "bob"]);
    env.cli_ok(&["group", "add", "team", "--display-name", "The team", "--email", "team@example.org"], None);
    env.cli_ok(&["group", "member", "add", "team", "alice"], None);
    env.cli_ok(&["group", "member", "add", "team", "bob"], None);
    env.cli_ok(
        &["resource", "add", "room1", "--kind", "room", "--email", "room1@example.org", "--capacity", "8"],
        None,
    );
    env.cli_ok(&["resource", "set", "room1", "--auto-accept", "off", "--bookers", "team"], None);
    env.cli_ok(&["user", "quota", "bob", "1000000"], None);

    // A calendar with a name, a colour, an order, a description and a time zone.
    let tz = PARIS.replace("\r\n", "&#13;\n");
    let mk = format!(
        r#"<C:mkcalendar xmlns:D="DAV:" xmlns:C="urn:ietf:params:xml:ns:caldav" xmlns:A="http://apple.com/ns/ical/"><D:set><D:prop><D:displayname>Travail &amp; projets</D:displayname><A:calendar-color>#3366FFFF</A:calendar-color><A:calendar-order>2</A:calendar-order><C:calendar-description>Réunions, déplacements</C:calendar-description><C:calendar-timezone>BEGIN:VCALENDAR&#13;
VERSION:2.0&#13;
PRODID:x&#13;
{tz}END:VCALENDAR&#13;
</C:calendar-timezone><C:supported-calendar-component-set><C:comp name="VEVENT"/></C:supported-calendar-component-set></D:prop></D:set></C:mkcalendar>"#
    );
    let (status, text) = send(server, "alice", "MKCALENDAR", "/calendars/alice/work/", XML, &mk);
    assert_eq!(status, 201, "{text}");
    // A recurring event with an override and an exception, in Paris time.
    let series = ical(&format!(
        "{PARIS}BEGIN:VEVENT\r\nUID:weekly@a\r\nDTSTAMP:20260101T000000Z\r\nDTSTART;TZID=Europe/Paris:20261102T090000\r\n\
         DTEND;TZID=Europe/Paris:20261102T100000\r\nRRULE:FREQ=WEEKLY;COUNT=10\r\nEXDATE;TZID=Europe/Paris:20261116T090000\r\n\
         SUMMARY:Point d'équipe\r\nDESCRIPTION:Une description assez longue pour être pliée sur plusieurs lignes par le client\r\n\
         END:VEVENT\r\nBEGIN:VEVENT\r\nUID:weekly@a\r\nDTSTAMP:20260101T000000Z\r\nRECURRENCE-ID;TZID=Europe/Paris:20261109T090000\r\n\
         DTSTART;TZID=Europe/Paris:20261109T140000\r\nDTEND;TZID=Europe/Paris:20261109T150000\r\nSUMMARY:Point (déplacé)\r\nEND:VEVENT\r\n"
    ));
    put(server, "alice", "/calendars/alice/work/weekly.ics", "text/calendar", &series);
    let lunch = ical(
        "BEGIN:VEVENT\r\nUID:lunch@a\r\nDTSTAMP:20260101T000000Z\r\nDTSTART:20261105T120000Z\r\nDTEND:20261105T130000Z\r\n\
         SUMMARY:Déjeuner\r\nCLASS:CONFIDENTIAL\r\nEND:VEVENT\r\n",
    );
    put(server, "alice", "/calendars/alice/work/lunch.ics", "text/calendar", &lunch);
    // Tasks with a subtask, a note.
    let parent = ical(
        "BEGIN:VTODO\r\nUID:move@a\r\nDTSTAMP:20260101T000000Z\r\nSUMMARY:Déménager\r\nDUE;VALUE=DATE:20261201\r\nEND:VTODO\r\n",
    );
    put(server, "alice", "/calendars/alice/tasks/move.ics", "text/calendar", &parent);
    let child = ical(
        "BEGIN:VTODO\r\nUID:boxes@a\r\nDTSTAMP:20260101T000000Z\r\nSUMMARY:Cartons\r\nRELATED-TO;RELTYPE=PARENT:move@a\r\n\
         STATUS:COMPLETED\r\nCOMPLETED:20261020T100000Z\r\nEND:VTODO\r\n",
    );
    put(server, "alice", "/calendars/alice/tasks/boxes.ics", "text/calendar", &child);
    let note = ical(
        "BEGIN:VJOURNAL\r\nUID:note@a\r\nDTSTAMP:20260101T000000Z\r\nDTSTART;VALUE=DATE:20261002\r\nSUMMARY:Idées\r\n\
         DESCRIPTION:Première ligne\\nDeuxième ligne\r\nEND:VJOURNAL\r\n",
    );
    put(server, "alice", "/calendars/alice/notes/note.ics", "text/calendar", &note);
    // vCard 3 and 4, with photos.
    let v3 = "BEGIN:VCARD\r\nVERSION:3.0\r\nUID:ann@a\r\nFN:Ann Lee\r\nN:Lee;Ann;;;\r\nEMAIL;TYPE=INTERNET:ann@example.net\r\n\
              PHOTO;ENCODING=b;TYPE=JPEG:/9j/4AAQSkZJRgABAQEASABIAAD/2wBDAP//////////////////////////////////////////////////////////////////////////////////////wgALCAABAAEBAREA/8QAFBABAAAAAAAAAAAAAAAAAAAAAP/aAAgBAQABPxA=\r\n\
              BDAY:1980-05-14\r\nEND:VCARD\r\n";
    put(server, "alice", "/addressbooks/alice/contacts/ann.vcf", "text/vcard", v3);
    let v4 = "BEGIN:VCARD\r\nVERSION:4.0\r\nUID:urn:uuid:7f0c7d3e-1b9a-4c1e-9a43-5d5c7c2f1a10\r\nFN:Bruno Roy\r\nN:Roy;Bruno;;;\r\n\
              TEL;VALUE=uri;TYPE=cell:tel:+33612345678\r\n\
              PHOTO:data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==\r\n\
              END:VCARD\r\n";
    put(server, "alice", "/addressbooks/alice/contacts/bruno.vcf", "text/vcard", v4);
    let mkab = r#"<D:mkcol xmlns:D="DAV:" xmlns:CR="urn:ietf:params:xml:ns:carddav"><D:set><D:prop><D:resourcetype><D:collection/><CR:addressbook/></D:resourcetype><D:displayname>Fournisseurs</D:displayname><CR:addressbook-description>Qui livre quoi</CR:addressbook-description></D:prop></D:set></D:mkcol>"#;
    let (status, text) = send(server, "alice", "MKCOL", "/addressbooks/alice/suppliers/", XML, mkab);
    assert_eq!(status, 201, "{text}");

    // Shares: one accepted (with bob's own name for it), one pending.
    env.cli_ok(&["share", "add", "calendars/alice/work", "bob", "--access", "read-write"], None);
    env.cli_ok(&["share", "add", "addressbooks/alice/suppliers", "bob", "--pending"], None);
    ok(
        server,
        "bob",
        "PROPPATCH",
        "/calendars/bob/alice-work/",
        r#"<D:propertyupdate xmlns:D="DAV:" xmlns:A="http://apple.com/ns/ical/"><D:set><D:prop><D:displayname>Le travail d'Alice</D:displayname><A:calendar-color>#00AA00FF</A:calendar-color></D:prop></D:set></D:propertyupdate>"#,
    );
    // An ACL grant, a delegate.
    ok(
        server,
        "alice",
        "ACL",
        "/calendars/alice/calendar/",
        r#"<D:acl xmlns:D="DAV:" xmlns:C="urn:ietf:params:xml:ns:caldav"><D:ace><D:principal><D:href>/principals/team/</D:href></D:principal><D:grant><D:privilege><C:read-free-busy/></D:privilege></D:grant></D:ace></D:acl>"#,
    );
    ok(
        server,
        "alice",
        "PROPPATCH",
        "/principals/alice/calendar-proxy-write/",
        r#"<D:propertyupdate xmlns:D="DAV:"><D:set><D:prop><D:group-member-set><D:href>/principals/bob/</D:href></D:group-member-set></D:prop></D:set></D:propertyupdate>"#,
    );
    // A subscription with Apple's refresh rate.
    let sub = r#"<C:mkcalendar xmlns:D="DAV:" xmlns:C="urn:ietf:params:xml:ns:caldav" xmlns:CS="http://calendarserver.org/ns/" xmlns:A="http://apple.com/ns/ical/"><D:set><D:prop><D:displayname>Jours fériés</D:displayname><CS:source><D:href>https://feeds.example.com/holidays.ics</D:href></CS:source><A:refreshrate>P1D</A:refreshrate></D:prop></D:set></C:mkcalendar>"#;
    let (status, text) = send(server, "alice", "MKCALENDAR", "/calendars/alice/holidays/", XML, sub);
    assert_eq!(status, 201, "{text}");
    // Working hours on the inbox.
    let availability = "BEGIN:VCALENDAR&#13;\nVERSION:2.0&#13;\nPRODID:x&#13;\nBEGIN:VAVAILABILITY&#13;\nUID:wh&#13;\nDTSTAMP:20260101T000000Z&#13;\n\
        BEGIN:AVAILABLE&#13;\nUID:wh-1&#13;\nDTSTAMP:20260101T000000Z&#13;\nDTSTART:20260105T080000Z&#13;\nDTEND:20260105T160000Z&#13;\n\
        RRULE:FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR&#13;\nEND:AVAILABLE&#13;\nEND:VAVAILABILITY&#13;\nEND:VCALENDAR&#13;\n";
    ok(
        server,
        "alice",
        "PROPPATCH",
        "/calendars/alice/inbox/",
        &format!(
            r#"<D:propertyupdate xmlns:D="DAV:" xmlns:C="urn:ietf:params:xml:ns:caldav"><D:set><D:prop><C:calendar-availability>{availability}</C:calendar-availability></D:prop></D:set></D:propertyupdate>"#
        ),
    );
    // Web preferences.
    let web = login(server, "alice", PASSWORD);
    let r = web
        .send(server, "PUT", "/api/preferences")
        .header("Content-Type", "application/json")
        .body(r#"{"weekStart":1,"view":"week"}"#)
        .send()
        .unwrap();
    assert_eq!(r.status(), 204);
    // A publish link; its path is what readers hold.
    env.cli_ok(&["publish", "add", "calendars/alice/work"], None).trim().to_owned()
}

/// Removes every `<P:local …>…</P:local>` and `<P:local/>` (any prefix).
fn strip(text: &str, local: &str) -> String {
    let mut out = text.to_owned();
    loop {
        let Some(start) = out.find(&format!(":{local}>")).or_else(|| out.find(&format!(":{local}/>"))) else {
            return out;
        };
        let open = out[..start].rfind('<').unwrap();
        let prefix = &out[open + 1..start];
        let self_closing = out[start..].starts_with(&format!(":{local}/>"));
        let end = if self_closing {
            start + local.len() + 3
        } else {
            let close = format!("</{prefix}:{local}>");
            start + out[start..].find(&close).unwrap() + close.len()
        };
        out.replace_range(open..end, "");
    }
}

/// The responses of a multistatus by href, with what changes between servers
/// (ETags, tokens, dates) taken out.
fn by_href(xml: &str) -> BTreeMap<String, String> {
    let mut cleaned = xml.to_owned();
    for volatile in [
        "getetag",
        "getctag",
        "sync-token",
        "getlastmodified",
        "creationdate",
        "quota-used-bytes",
        "quota-available-bytes",
    ] {
        cleaned = strip(&cleaned, volatile);
    }
    cleaned
        .split("<D:response>")
        .skip(1)
        .map(|r| {
            let href = r[r.find("<D:href>").unwrap() + 8..r.find("</D:href>").unwrap()].to_owned();
            (href, r.to_owned())
        })
        .collect()
}

const NAMED: &str = r#"<D:propfind xmlns:D="DAV:" xmlns:C="urn:ietf:params:xml:ns:caldav" xmlns:CR="urn:ietf:params:xml:ns:carddav" xmlns:CS="http://calendarserver.org/ns/" xmlns:A="http://apple.com/ns/ical/"><D:prop><D:resourcetype/><D:displayname/><A:calendar-color/><A:calendar-order/><C:calendar-description/><CR:addressbook-description/><C:calendar-timezone/><C:supported-calendar-component-set/><CS:source/><A:refreshrate/><CS:invite/><D:acl/><D:owner/><C:calendar-availability/><D:current-user-privilege-set/></D:prop></D:propfind>"#;
const ALLPROP: &str = r#"<D:propfind xmlns:D="DAV:"><D:allprop/></D:propfind>"#;

/// Everything DAV says about a user's homes and their collections, and every
/// object (parsed, by UID).
fn snapshot(server: &Server, user: &str) -> (BTreeMap<String, String>, BTreeMap<String, String>) {
    let mut props = BTreeMap::new();
    let mut objects = BTreeMap::new();
    for home in [format!("/calendars/{user}/"), format!("/addressbooks/{user}/")] {
        for ask in [ALLPROP, NAMED] {
            let xml = ok(server, user, "PROPFIND", &home, ask);
            for (href, r) in by_href(&xml) {
                props.insert(format!("{href} {}", if ask == ALLPROP { "allprop" } else { "named" }), r);
            }
        }
        let listing = ok(
            server,
            user,
            "PROPFIND",
            &home,
            r#"<D:propfind xmlns:D="DAV:"><D:prop><D:resourcetype/></D:prop></D:propfind>"#,
        );
        for (href, r) in by_href(&listing) {
            let report = if r.contains("<C:calendar") {
                r#"<C:calendar-query xmlns:D="DAV:" xmlns:C="urn:ietf:params:xml:ns:caldav"><D:prop><C:calendar-data/></D:prop><C:filter><C:comp-filter name="VCALENDAR"/></C:filter></C:calendar-query>"#
            } else if r.contains("addressbook/>") {
                r#"<CR:addressbook-query xmlns:D="DAV:" xmlns:CR="urn:ietf:params:xml:ns:carddav"><D:prop><CR:address-data/></D:prop><CR:filter/></CR:addressbook-query>"#
            } else {
                continue;
            };
            let (status, xml) = send(server, user, "REPORT", &href, XML, report);
            if status != 207 {
                continue; // a free/busy-only mount, the inbox…
            }
            for data in xml.split("-data>").skip(1).step_by(2) {
                let mut text = unescape(&data[..data.find("</").unwrap()]);
                if href.ends_with("/directory/") {
                    // The directory's cards carry when they were generated.
                    text = text.lines().filter(|l| !l.starts_with("REV:")).map(|l| format!("{l}\n")).collect();
                }
                if href.ends_with("/birthdays/") {
                    // The server derives these UIDs from the card's name here: compare the rest.
                    text = text.lines().filter(|l| !l.starts_with("UID:")).map(|l| format!("{l}\n")).collect();
                    let (_, canonical) = canonical(&text);
                    objects.insert(format!("{href} {canonical}"), canonical);
                    continue;
                }
                let (uid, canonical) = canonical(&text);
                objects.insert(format!("{href} {uid}"), canonical);
            }
        }
    }
    (props, objects)
}

fn unescape(xml: &str) -> String {
    xml.replace("&#13;", "\r").replace("&lt;", "<").replace("&gt;", ">").replace("&quot;", "\"").replace("&amp;", "&")
}

/// An object parsed: its UID and its components (not the VCALENDAR's own
/// PRODID, which an import writes anew), each written back canonically.
fn canonical(text: &str) -> (String, String) {
    let node = agora_ical::content::parse(text).expect("parses");
    let mut parts: Vec<String> = if node.name == "VCARD" {
        vec![agora_ical::content::serialize(&node)]
    } else {
        node.children.iter().map(agora_ical::content::serialize).collect()
    };
    parts.sort();
    let uid = text.lines().find_map(|l| l.strip_prefix("UID:")).unwrap_or("?").trim().to_owned();
    (uid, parts.join(""))
}

fn sync_tokens(server: &Server, user: &str) -> BTreeMap<String, String> {
    let mut out = BTreeMap::new();
    for home in [format!("/calendars/{user}/"), format!("/addressbooks/{user}/")] {
        let xml = ok(
            server,
            user,
            "PROPFIND",
            &home,
            r#"<D:propfind xmlns:D="DAV:"><D:prop><D:sync-token/></D:prop></D:propfind>"#,
        );
        for r in xml.split("<D:response>").skip(1) {
            let href = r[r.find("<D:href>").unwrap() + 8..r.find("</D:href>").unwrap()].to_owned();
            out.insert(href, r.to_owned());
        }
    }
    out
}

fn an_exported_server_imports_into_a_fresh_store_the_same(backend: Backend) {
    let a = StoreEnv::new(backend);
    let server_a = Server::start(&a, &[]);
    let feed = populate(&a, &server_a);
    assert!(feed.starts_with("/publish/"), "{feed}");
    let zip = a.dir.path().join("export.zip");
    let dir = a.dir.path().join("export");
    let out = a.cli(&["export", "--all", "--to", zip.to_str().unwrap()], None);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    a.cli_ok(&["export", "--all", "--to", dir.to_str().unwrap()], None);
    // The directory holds what the zip holds: readable files and the manifest.
    let work = std::fs::read_to_string(dir.join("alice/work.ics")).unwrap();
    assert_eq!(work.matches("BEGIN:VTIMEZONE").count(), 1, "each time zone once: {work}");
    assert!(work.contains("UID:weekly@a") && work.contains("UID:lunch@a"), "{work}");
    let manifest: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(dir.join("manifest.json")).unwrap()).unwrap();
    assert_eq!(manifest["format"], "agora-export");
    assert!(!std::fs::read_to_string(dir.join("manifest.json")).unwrap().contains("argon2"), "no password hash");
    // Exporting into a directory that is not empty is refused.
    assert_eq!(a.cli(&["export", "--all", "--to", dir.to_str().unwrap()], None).status.code(), Some(2));

    for source in [&zip, &dir] {
        let b = StoreEnv::new(backend);
        let out = b.cli(&["import", source.to_str().unwrap()], None);
        let err = String::from_utf8_lossy(&out.stderr).into_owned();
        assert!(out.status.success(), "{err}");
        assert!(err.contains("user alice") && err.contains("group team"), "{err}");
        for user in ["alice", "bob"] {
            b.cli_ok(&["user", "passwd", user, "--password-stdin"], Some(&format!("{PASSWORD}\n")));
        }
        let server_b = Server::start(&b, &[]);
        for user in ["alice", "bob"] {
            let (props_a, objects_a) = snapshot(&server_a, user);
            let (props_b, objects_b) = snapshot(&server_b, user);
            assert_eq!(props_a.keys().collect::<Vec<_>>(), props_b.keys().collect::<Vec<_>>(), "{user}'s collections");
            for (key, value) in &props_a {
                assert_eq!(Some(value), props_b.get(key), "{key}");
            }
            assert_eq!(objects_a.keys().collect::<Vec<_>>(), objects_b.keys().collect::<Vec<_>>());
            for (key, value) in &objects_a {
                assert_eq!(Some(value), objects_b.get(key), "{key}");
            }
            assert!(objects_a.len() >= if user == "alice" { 7 } else { 2 }, "{user}: {:?}", objects_a.keys());
            // The comparison saw what was set up (it cannot pass on empty answers).
            let seen: String = props_a.values().cloned().collect();
            let expected: &[&str] = if user == "alice" {
                &[
                    "Travail &amp; projets",
                    "#3366FFFF",
                    "Réunions, déplacements",
                    "TZID:Europe/Paris",
                    "VAVAILABILITY",
                    "https://feeds.example.com/holidays.ics",
                    "P1D",
                    "/principals/team/",
                    "Qui livre quoi",
                    "invite-accepted",
                    "invite-noresponse",
                ]
            } else {
                &["Le travail d'Alice", "#00AA00FF"]
            };
            for text in expected {
                assert!(seen.contains(text), "{user}: {text} not seen in {seen}");
            }
        }
        // Principals, proxy groups, the room's booking rules and the group.
        for (user, path) in [
            ("alice", "/principals/alice/"),
            ("alice", "/principals/alice/calendar-proxy-write/"),
            ("bob", "/principals/bob/"),
            ("alice", "/principals/room1/"),
            ("alice", "/principals/team/"),
        ] {
            let ask = r#"<D:propfind xmlns:D="DAV:"><D:allprop/></D:propfind>"#;
            assert_eq!(
                by_href(&ok(&server_a, user, "PROPFIND", path, ask)),
                by_href(&ok(&server_b, user, "PROPFIND", path, ask)),
                "{path}"
            );
            let members = r#"<D:propfind xmlns:D="DAV:" xmlns:CS="http://calendarserver.org/ns/"><D:prop><D:group-member-set/><D:group-membership/><CS:calendar-proxy-write-for/><CS:calendar-proxy-read-for/></D:prop></D:propfind>"#;
            assert_eq!(
                by_href(&ok(&server_a, user, "PROPFIND", path, members)),
                by_href(&ok(&server_b, user, "PROPFIND", path, members)),
                "{path}"
            );
        }
        let listing = |env: &StoreEnv, what: &str| env.cli_ok(&[what, "list"], None);
        assert_eq!(listing(&a, "resource"), listing(&b, "resource"));
        assert_eq!(listing(&a, "group"), listing(&b, "group"));
        // The published link answers the same feed.
        let feed_of = |server: &Server| {
            let r = client().get(server.url(&feed)).send().unwrap();
            assert_eq!(r.status(), 200);
            canonical(&r.text().unwrap()).1
        };
        assert_eq!(feed_of(&server_a), feed_of(&server_b));
        // The preferences came along.
        let prefs = login(&server_b, "alice", PASSWORD).send(&server_b, "GET", "/api/preferences").send().unwrap();
        let prefs = common::web::json(prefs);
        assert_eq!(prefs["weekStart"], 1, "{prefs}");

        // Importing again changes nothing: same sync tokens, nothing created.
        let before = (sync_tokens(&server_b, "alice"), sync_tokens(&server_b, "bob"));
        let out = b.cli(&["import", source.to_str().unwrap()], None);
        let err = String::from_utf8_lossy(&out.stderr).into_owned();
        assert!(out.status.success(), "{err}");
        assert!(err.contains(": 0 created, 0 updated, ") && !err.contains("created: "), "{err}");
        assert_eq!(before, (sync_tokens(&server_b, "alice"), sync_tokens(&server_b, "bob")));
    }
}

fn a_bad_object_is_reported_and_the_rest_imported(backend: Backend) {
    let env = StoreEnv::new(backend);
    let server = Server::start(&env, &[]);
    add_users(&env, &["alice"]);
    let dir = env.dir.path().join("files");
    std::fs::create_dir_all(dir.join("sub")).unwrap();
    let good = |uid: &str| {
        format!(
            "BEGIN:VEVENT\r\nUID:{uid}\r\nDTSTAMP:20260101T000000Z\r\nDTSTART:20261105T120000Z\r\nDTEND:20261105T130000Z\r\nSUMMARY:{uid}\r\nEND:VEVENT\r\n"
        )
    };
    let bad = "BEGIN:VEVENT\r\nUID:broken-1\r\nDTSTAMP:20260101T000000Z\r\nDTSTART:2026-13-45\r\nSUMMARY:Bad\r\nEND:VEVENT\r\n";
    std::fs::write(dir.join("sub/Projets 2026.ics"), ical(&format!("{}{bad}{}", good("g1"), good("g2")))).unwrap();
    std::fs::write(dir.join("notes.txt"), "not a calendar").unwrap();
    let out = env.cli(&["import", "--user", "alice", dir.to_str().unwrap()], None);
    let err = String::from_utf8_lossy(&out.stderr).into_owned();
    assert_eq!(out.status.code(), Some(5), "{err}");
    assert!(err.contains("sub/Projets 2026.ics: broken-1: "), "the file, the UID and why: {err}");
    assert!(err.contains("notes.txt: not an .ics"), "{err}");
    assert!(err.contains("2 created, 0 updated, 0 unchanged, 1 skipped"), "{err}");
    let (status, xml) = send(
        &server,
        "alice",
        "PROPFIND",
        "/calendars/alice/projets-2026/",
        XML,
        r#"<D:propfind xmlns:D="DAV:"><D:prop><D:displayname/></D:prop></D:propfind>"#,
    );
    assert_eq!(status, 207, "a calendar named after the file: {xml}");
    assert!(xml.contains(">Projets 2026</D:displayname>"), "{xml}");
    assert_eq!(xml.matches("<D:response>").count(), 3, "the two good events: {xml}");
}

fn outlook_and_google_files_import_at_the_right_times(backend: Backend) {
    let env = StoreEnv::new(backend);
    let server = Server::start(&env, &[]);
    add_users(&env, &["alice", "bob"]);
    let fixtures = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/outlook-google");
    let out = env.cli(&["import", "--user", "alice", fixtures], None);
    let err = String::from_utf8_lossy(&out.stderr).into_owned();
    assert!(out.status.success(), "{err}");
    assert!(err.contains("5 files: 9 created"), "{err}");
    // Instances in UTC: 10:00 Paris summer time (Romance Standard Time) is 08:00Z;
    // 09:00 New York (Eastern Standard Time) on 5 November is 14:00Z (EST);
    // Google's 08:30 Paris in September is 06:30Z, its override at 15:00Z.
    let expanded = |path: &str, start: &str, end: &str| {
        let body = format!(
            r#"<C:calendar-query xmlns:D="DAV:" xmlns:C="urn:ietf:params:xml:ns:caldav"><D:prop><C:calendar-data><C:expand start="{start}" end="{end}"/></C:calendar-data></D:prop><C:filter><C:comp-filter name="VCALENDAR"><C:comp-filter name="VEVENT"><C:time-range start="{start}" end="{end}"/></C:comp-filter></C:comp-filter></C:filter></C:calendar-query>"#
        );
        let (status, xml) = send(&server, "alice", "REPORT", path, XML, &body);
        assert_eq!(status, 207, "{xml}");
        unescape(&xml).replace("\r\n ", "")
    };
    let outlook = expanded("/calendars/alice/outlook-calendar/", "20260601T000000Z", "20261231T000000Z");
    assert!(outlook.contains("DTSTART:20260615T080000Z"), "{outlook}");
    for day in ["20261105T140000Z", "20261112T140000Z", "20261126T140000Z"] {
        assert!(outlook.contains(&format!("DTSTART:{day}")), "{day}: {outlook}");
    }
    assert!(!outlook.contains("20261119T140000Z"), "the exception: {outlook}");
    let google = expanded("/calendars/alice/google-famille/", "20260907T000000Z", "20260911T000000Z");
    assert!(google.contains("DTSTART:20260907T063000Z") && google.contains("DTSTART:20260910T150000Z"), "{google}");
    // The meeting invited nobody: bob's inbox is empty.
    let (_, inbox) = send(
        &server,
        "bob",
        "PROPFIND",
        "/calendars/bob/inbox/",
        XML,
        r#"<D:propfind xmlns:D="DAV:"><D:prop><D:getetag/></D:prop></D:propfind>"#,
    );
    assert_eq!(inbox.matches("<D:href>").count(), 1, "{inbox}");
    // The names: X-WR-CALNAME.
    let (_, names) = send(
        &server,
        "alice",
        "PROPFIND",
        "/calendars/alice/",
        XML,
        r#"<D:propfind xmlns:D="DAV:"><D:prop><D:displayname/></D:prop></D:propfind>"#,
    );
    assert!(names.contains(">Calendrier Outlook<") && names.contains(">Famille<"), "{names}");
    // Contacts: both CSVs into `contacts`, as vCard 4.0; Google's cards in their own book.
    let query = r#"<CR:addressbook-query xmlns:D="DAV:" xmlns:CR="urn:ietf:params:xml:ns:carddav"><D:prop><CR:address-data/></D:prop><CR:filter/></CR:addressbook-query>"#;
    let (_, contacts) = send(&server, "alice", "REPORT", "/addressbooks/alice/contacts/", XML, query);
    let contacts = unescape(&contacts).replace("\r\n ", "");
    for line in [
        "FN:Dana Scully",
        "BDAY:19640223",
        "EMAIL;PREF=1:dana.scully@example.gov",
        "FN:Mr. Walter Skinner",
        "FN:Mme Amélie Lefèvre",
        "ORG:Mairie de Besançon;État civil",
        "BDAY:19780223",
        "NOTE:Préfère être appelée le matin — merci",
    ] {
        assert!(contacts.contains(line), "{line}: {contacts}");
    }
    let (_, google) = send(&server, "alice", "REPORT", "/addressbooks/alice/google-contacts/", XML, query);
    assert!(google.contains("FN:Léa Moreau") && google.contains("X-ABLabel:Atelier"), "{google}");
    // Again: nothing changes.
    let out = env.cli(&["import", "--user", "alice", fixtures], None);
    let err = String::from_utf8_lossy(&out.stderr).into_owned();
    assert!(out.status.success() && err.contains("5 files: 0 created, 0 updated, 9 unchanged, 0 skipped"), "{err}");
}
