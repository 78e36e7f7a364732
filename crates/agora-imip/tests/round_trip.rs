//! Building an iMIP message and reading it back.

use agora_imip::incoming;
use agora_imip::outgoing::{Invitation, build};
use mail_parser::{MessageParser, MimeHeaders};

const REQUEST: &str = "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//Agora//EN\r\nMETHOD:REQUEST\r\n\
BEGIN:VEVENT\r\nUID:team-1@agora.test\r\nDTSTAMP:20260301T090000Z\r\nSEQUENCE:0\r\n\
DTSTART:20260303T100000Z\r\nDTEND:20260303T110000Z\r\nSUMMARY:Team meeting\r\nLOCATION:Room 4\r\n\
ORGANIZER;CN=Alice Martin:mailto:alice@agora.test\r\n\
ATTENDEE;CN=Bob;PARTSTAT=NEEDS-ACTION;RSVP=TRUE:mailto:bob@example.com\r\n\
ATTENDEE;CN=Chloé Dupont;PARTSTAT=ACCEPTED:mailto:chloe@example.org\r\n\
DESCRIPTION:Agenda:\\n1. Budget\\n2. Planning\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n";

fn invitation<'a>(method: &'a str, itip: &'a str) -> Invitation<'a> {
    Invitation {
        from_name: Some("Alice Martin"),
        from_address: "alice@agora.test",
        reply_to: None,
        to: "bob@example.com",
        method,
        itip,
        message_id_domain: "agora.test",
        now: 1_772_528_400, // 2026-03-03T09:00:00Z
        language: agora_imip::Language::En,
    }
}

fn subject_of(message: &[u8]) -> String {
    MessageParser::new().parse(message).unwrap().subject().unwrap().to_string()
}

#[test]
fn round_trip_keeps_the_calendar_byte_for_byte() {
    let bytes = build(&invitation("REQUEST", REQUEST));
    let parsed = incoming::parse(&bytes).unwrap();
    assert_eq!(parsed.from.as_deref(), Some("alice@agora.test"));
    assert_eq!(parsed.sender, None);
    let id = parsed.message_id.expect("a Message-ID");
    assert!(id.ends_with("@agora.test") && id.len() > 20, "{id}");
    // The inline part and the attachment carry the same text: reported once.
    assert_eq!(parsed.calendars, vec![REQUEST.to_string()]);
    assert!(parsed.calendars[0].contains("METHOD:REQUEST\r\n"));
    assert!(!parsed.auth.present);
}

#[test]
fn headers_and_mime_structure() {
    let bytes = build(&Invitation {
        reply_to: Some("alice@agora.test"),
        from_address: "calendar@agora.test",
        ..invitation("REQUEST", REQUEST)
    });
    let text = String::from_utf8(bytes.clone()).unwrap();
    assert!(
        text.contains("Date: Tue, 3 Mar 2026 09:00:00 +0000\r\n")
            || text.contains("Date: Tue, 03 Mar 2026 09:00:00 +0000\r\n"),
        "{text}"
    );
    assert!(text.contains("\r\nMIME-Version: 1.0\r\n"));
    assert!(!text.contains("\n\n"), "only CRLF line ends");

    let message = MessageParser::new().parse(&bytes).unwrap();
    assert_eq!(message.from().unwrap().first().unwrap().name(), Some("Alice Martin"));
    assert_eq!(message.from().unwrap().first().unwrap().address(), Some("calendar@agora.test"));
    assert_eq!(message.reply_to().unwrap().first().unwrap().address(), Some("alice@agora.test"));
    assert_eq!(message.to().unwrap().first().unwrap().address(), Some("bob@example.com"));
    let root = message.root_part().content_type().unwrap();
    assert_eq!((root.ctype(), root.subtype()), ("multipart", Some("mixed")));

    let leaves: Vec<_> = message.parts.iter().filter(|p| !p.is_multipart()).collect();
    assert_eq!(leaves.len(), 3);
    let plain = leaves[0].content_type().unwrap();
    assert_eq!((plain.ctype(), plain.subtype(), plain.attribute("charset")), ("text", Some("plain"), Some("utf-8")));
    let summary = leaves[0].text_contents().unwrap();
    for expected in [
        "Team meeting",
        "Tue 3 Mar 2026 10:00 UTC",
        "Room 4",
        "Alice Martin <alice@agora.test>",
        "Chloé Dupont <chloe@example.org> (accepted)",
        "2. Planning",
    ] {
        assert!(summary.contains(expected), "{expected:?} missing from {summary}");
    }
    let calendar = leaves[1].content_type().unwrap();
    assert_eq!((calendar.ctype(), calendar.subtype()), ("text", Some("calendar")));
    assert_eq!(calendar.attribute("method"), Some("REQUEST"));
    assert_eq!(calendar.attribute("charset"), Some("utf-8"));
    assert_eq!(leaves[1].text_contents(), Some(REQUEST));
    let ics = leaves[2].content_type().unwrap();
    assert_eq!((ics.ctype(), ics.subtype(), ics.attribute("name")), ("application", Some("ics"), Some("invite.ics")));
    assert_eq!(leaves[2].attachment_name(), Some("invite.ics"));
    assert!(leaves[2].content_disposition().unwrap().is_attachment());
    assert_eq!(leaves[2].contents(), REQUEST.as_bytes());
}

fn with(itip: &str, replace: &[(&str, &str)]) -> String {
    replace.iter().fold(itip.to_string(), |acc, (a, b)| acc.replace(a, b))
}

#[test]
fn subject_per_method() {
    let cases: Vec<(&str, String, &str)> = vec![
        ("REQUEST", REQUEST.to_string(), "Invitation: Team meeting (Tue 3 Mar 2026 10:00 UTC)"),
        (
            "REQUEST",
            with(REQUEST, &[("SEQUENCE:0", "SEQUENCE:2")]),
            "Updated invitation: Team meeting (Tue 3 Mar 2026 10:00 UTC)",
        ),
        (
            "CANCEL",
            with(REQUEST, &[("METHOD:REQUEST", "METHOD:CANCEL")]),
            "Cancelled: Team meeting (Tue 3 Mar 2026 10:00 UTC)",
        ),
        (
            "REQUEST",
            with(REQUEST, &[("DTSTART:20260303T100000Z", "DTSTART;TZID=Europe/Paris:20260303T100000")]),
            "Invitation: Team meeting (Tue 3 Mar 2026 10:00 Europe/Paris)",
        ),
    ];
    for (method, itip, expected) in cases {
        assert_eq!(subject_of(&build(&invitation(method, &itip))), expected);
    }
}

#[test]
fn reply_subjects_name_the_attendee_and_the_answer() {
    let reply = |partstat: &str| {
        format!(
            "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nMETHOD:REPLY\r\nBEGIN:VEVENT\r\nUID:team-1@agora.test\r\n\
             DTSTART:20260303T100000Z\r\nSUMMARY:Team meeting\r\nORGANIZER:mailto:alice@agora.test\r\n\
             ATTENDEE;CN=Bob;PARTSTAT={partstat}:mailto:bob@example.com\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n"
        )
    };
    for (partstat, subject, sentence) in [
        ("ACCEPTED", "Accepted: Bob – Team meeting", "Bob has accepted \"Team meeting\"."),
        ("DECLINED", "Declined: Bob – Team meeting", "Bob has declined \"Team meeting\"."),
        ("TENTATIVE", "Tentative: Bob – Team meeting", "Bob has tentatively accepted \"Team meeting\"."),
    ] {
        let itip = reply(partstat);
        let bytes = build(&Invitation {
            from_name: Some("Bob"),
            from_address: "bob@example.com",
            to: "alice@agora.test",
            ..invitation("REPLY", &itip)
        });
        assert_eq!(subject_of(&bytes), subject);
        let message = MessageParser::new().parse(&bytes).unwrap();
        assert!(message.body_text(0).unwrap().starts_with(sentence), "{partstat}");
        let calendar =
            message.parts.iter().find(|p| p.content_type().is_some_and(|c| c.subtype() == Some("calendar"))).unwrap();
        assert_eq!(calendar.content_type().unwrap().attribute("method"), Some("REPLY"));
        assert_eq!(incoming::parse(&bytes).unwrap().calendars, vec![itip]);
    }
}

#[test]
fn a_french_sender_writes_in_french() {
    let bytes = build(&Invitation { language: agora_imip::Language::Fr, ..invitation("REQUEST", REQUEST) });
    let text = String::from_utf8(bytes.clone()).unwrap();
    assert!(text.contains("\r\nContent-Language: fr\r\n"), "{text}");
    let message = MessageParser::new().parse(&bytes).unwrap();
    assert!(
        subject_of(&bytes).starts_with("Invitation\u{a0}: Team meeting (mar. 3 mars 2026"),
        "{}",
        subject_of(&bytes)
    );
    let body = message.body_text(0).unwrap();
    assert!(body.starts_with("Vous êtes invité(e)."), "{body}");
    assert!(body.contains("Organisateur\u{a0}: Alice Martin <alice@agora.test>"), "{body}");
    assert!(body.contains("Chloé Dupont <chloe@example.org> (accepté)"), "{body}");
    // The calendar itself is never translated.
    assert_eq!(incoming::parse(&bytes).unwrap().calendars, vec![REQUEST.to_string()]);
}

#[test]
fn hostile_values_do_not_break_the_headers() {
    let itip = with(REQUEST, &[("SUMMARY:Team meeting", "SUMMARY:Hi\\nBcc: eve@evil.example")]);
    let bytes = build(&Invitation {
        from_name: Some("Mallory\r\nBcc: eve@evil.example"),
        to: "bob@example.com\r\nBcc: eve@evil.example",
        ..invitation("REQUEST", &itip)
    });
    let message = MessageParser::new().parse(&bytes).unwrap();
    assert!(message.bcc().is_none(), "no Bcc header was injected");
    assert!(message.subject().unwrap().starts_with("Invitation: Hi Bcc: eve@evil.example"));
    assert_eq!(incoming::parse(&bytes).unwrap().calendars, vec![itip]);
}

#[test]
fn non_ascii_calendar_text_survives() {
    let itip = with(REQUEST, &[("SUMMARY:Team meeting", "SUMMARY:Réunion d’équipe 🗓")]);
    let bytes = build(&invitation("REQUEST", &itip));
    assert!(bytes.is_ascii(), "the message itself is 7-bit clean");
    assert_eq!(subject_of(&bytes), "Invitation: Réunion d’équipe 🗓 (Tue 3 Mar 2026 10:00 UTC)");
    assert_eq!(incoming::parse(&bytes).unwrap().calendars, vec![itip]);
}
