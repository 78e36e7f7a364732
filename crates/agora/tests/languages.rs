//! The language of what the server writes for people, on both stores: iMIP mail in
//! the sender's chosen language (else the server's `language`), refusals and the
//! default collections' names in the request's Accept-Language (else the server's).

mod common;

use std::time::Duration;

use agora_testkit::smtp_sink::SmtpSink;
use common::web::login;
use common::*;
use mail_parser::MessageParser;

agora_testkit::on_both_stores!(server_text_follows_the_users_language);

fn invitation(organizer: &str, attendee: &str) -> String {
    format!(
        "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//Agora tests//EN\r\nBEGIN:VEVENT\r\nUID:lang-{organizer}\r\n\
         DTSTAMP:20260101T000000Z\r\nDTSTART:20300105T100000Z\r\nDTEND:20300105T110000Z\r\nSUMMARY:Planning\r\n\
         ORGANIZER:mailto:{organizer}@example.org\r\n\
         ATTENDEE;PARTSTAT=ACCEPTED:mailto:{organizer}@example.org\r\n\
         ATTENDEE;PARTSTAT=NEEDS-ACTION;RSVP=TRUE:mailto:{attendee}\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n"
    )
}

fn with_language(
    server: &Server,
    user: &str,
    method: &str,
    path: &str,
    lang: Option<&str>,
    body: &str,
) -> (u16, String) {
    let mut r = client()
        .request(reqwest::Method::from_bytes(method.as_bytes()).unwrap(), server.url(path))
        .basic_auth(user, Some(PASSWORD))
        .header("Depth", "0")
        .header("Content-Type", if method == "PUT" { "text/calendar" } else { "application/xml" })
        .body(body.to_owned());
    if let Some(lang) = lang {
        r = r.header("Accept-Language", lang);
    }
    let r = r.send().unwrap();
    (r.status().as_u16(), r.text().unwrap())
}

fn server_text_follows_the_users_language(backend: Backend) {
    let env = StoreEnv::new(backend);
    let sink = SmtpSink::start();
    let args = mail_args(sink.port);
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    // A French organisation: the server's default language is French.
    let server = Server::start_with(&env, &args, |cmd| {
        for var in ["AGORA_SMTP_HOST", "AGORA_SMTP_PORT", "AGORA_SMTP_SECURITY", "AGORA_SMTP_USERNAME"] {
            cmd.env_remove(var);
        }
        cmd.env_remove("AGORA_SMTP_PASSWORD").env_remove("AGORA_IMIP_SENDER").env("AGORA_LANGUAGE", "fr");
    });
    add_users(&env, &["alice", "bob"]);

    // Alice chose English in the web interface; Bob chose nothing.
    let alice = login(&server, "alice", PASSWORD);
    let put = alice
        .send(&server, "PUT", "/api/preferences")
        .header("Content-Type", "application/json")
        .body(r#"{"locale":"en"}"#)
        .send()
        .unwrap();
    assert_eq!(put.status(), 204);

    for (user, attendee) in [("alice", "carol@external.example"), ("bob", "dave@external.example")] {
        let (status, body) = with_language(
            &server,
            user,
            "PUT",
            &format!("/calendars/{user}/calendar/lang.ics"),
            None,
            &invitation(user, attendee),
        );
        assert_eq!(status, 201, "{body}");
    }
    let mails = sink.wait_for(2, Duration::from_secs(10));
    assert_eq!(mails.len(), 2);
    let mail_to = |who: &str| {
        let m = mails.iter().find(|m| m.rcpt_to == [who]).unwrap_or_else(|| panic!("a mail to {who}"));
        String::from_utf8(m.data.clone()).unwrap()
    };
    let english = mail_to("carol@external.example");
    let parsed = MessageParser::default().parse(english.as_bytes()).unwrap();
    assert_eq!(parsed.subject(), Some("Invitation: Planning (Sat 5 Jan 2030 10:00 UTC)"));
    assert!(english.contains("\r\nContent-Language: en\r\n"));
    assert!(parsed.body_text(0).unwrap().starts_with("You are invited."));
    let french = mail_to("dave@external.example");
    let parsed = MessageParser::default().parse(french.as_bytes()).unwrap();
    assert_eq!(parsed.subject(), Some("Invitation\u{a0}: Planning (sam. 5 janv. 2030 10:00 UTC)"));
    assert!(french.contains("\r\nContent-Language: fr\r\n"));
    let text = parsed.body_text(0).unwrap();
    assert!(text.starts_with("Vous êtes invité(e)."), "{text}");
    assert!(text.contains("Participants\u{a0}:"), "{text}");

    // Refusals and default names: the request's language, else the server's.
    let name = |lang| {
        let body = r#"<d:propfind xmlns:d="DAV:"><d:prop><d:displayname/></d:prop></d:propfind>"#;
        let (status, xml) = with_language(&server, "bob", "PROPFIND", "/calendars/bob/calendar/", lang, body);
        assert_eq!(status, 207, "{xml}");
        xml
    };
    assert!(name(None).contains(">Agenda</"), "{}", name(None));
    assert!(name(Some("en-GB,en;q=0.9")).contains(">Calendar</"));
    assert!(name(Some("de-DE, fr;q=0.5")).contains(">Agenda</"));
    let bad = "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nBEGIN:VEVENT\r\nEND:VCALENDAR\r\n";
    let (status, body) = with_language(&server, "bob", "PUT", "/calendars/bob/calendar/bad.ics", Some("fr"), bad);
    assert_eq!(status, 403);
    assert!(body.contains("valid-calendar-data") && body.contains("données invalides"), "{body}");
    let (_, body) = with_language(&server, "bob", "PUT", "/calendars/bob/calendar/bad.ics", Some("en"), bad);
    assert!(body.contains("invalid data"), "{body}");
    let (status, body) = with_language(&server, "bob", "GET", "/calendars/bob/calendar/none.ics", None, "");
    assert_eq!((status, body.trim()), (404, "ressource introuvable"));
    // Nothing was stored by the refused writes.
    let (status, _) = with_language(&server, "bob", "GET", "/calendars/bob/calendar/bad.ics", None, "");
    assert_eq!(status, 404);
}
