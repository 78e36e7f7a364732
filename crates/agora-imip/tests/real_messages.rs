//! Parsing messages shaped like those real mail clients send.

use agora_imip::ImipError;
use agora_imip::incoming::{self, MAX_MESSAGE_BYTES};

fn fixture(name: &str) -> Vec<u8> {
    let path = format!("{}/tests/fixtures/{name}", env!("CARGO_MANIFEST_DIR"));
    std::fs::read(&path).unwrap_or_else(|e| panic!("{path}: {e}"))
}

fn fixture_text(name: &str) -> String {
    String::from_utf8(fixture(name)).unwrap()
}

#[test]
fn gmail_inline_part_and_attachment_give_one_calendar() {
    let parsed = incoming::parse(&fixture("gmail.eml")).unwrap();
    assert_eq!(parsed.from.as_deref(), Some("alice.example@gmail.com"), "lower-cased");
    assert_eq!(parsed.sender.as_deref(), Some("calendar-notification@google.com"));
    assert_eq!(parsed.message_id.as_deref(), Some("calendar-8c1f8a9e-3b8e-4e21-9d0b-6f5f2f7e9a10@google.com"));
    assert_eq!(parsed.calendars, vec![fixture_text("gmail.ics")]);
    assert!(parsed.calendars[0].contains("METHOD:REQUEST\r\n"));
    assert!(parsed.auth.present);
    assert_eq!(parsed.auth.dmarc.as_deref(), Some("pass"));
    assert_eq!(parsed.auth.dkim, vec![("pass".to_string(), Some("gmail.com".to_string()))]);
    assert_eq!(parsed.auth.spf, Some(("pass".to_string(), Some("gmail.com".to_string()))));
    assert!(parsed.auth.vouches_for("gmail.com"));
}

#[test]
fn outlook_base64_calendar_is_decoded_exactly() {
    let parsed = incoming::parse(&fixture("outlook.eml")).unwrap();
    assert_eq!(parsed.from.as_deref(), Some("alice@contoso.example"));
    assert_eq!(parsed.sender, None);
    assert_eq!(
        parsed.message_id.as_deref(),
        Some("DB9PR01MB1234A1B2C3D4E5F6A7B8C9D0E1F2A3B4C5D6E@DB9PR01MB1234.eurprd01.prod.outlook.com")
    );
    assert_eq!(parsed.calendars, vec![fixture_text("outlook.ics")]);
    assert!(parsed.calendars[0].contains("LOCATION;LANGUAGE=en-US:Salle Genève\r\n"));
    // SPF passed for a subdomain of the From domain: aligned in relaxed mode.
    assert_eq!(parsed.auth.spf, Some(("pass".to_string(), Some("mail.contoso.example".to_string()))));
    assert!(parsed.auth.vouches_for("contoso.example"));
}

#[test]
fn apple_mail_quoted_printable_attachment() {
    let parsed = incoming::parse(&fixture("apple_mail.eml")).unwrap();
    assert_eq!(parsed.from.as_deref(), Some("chloe@icloud.example"));
    assert_eq!(parsed.message_id.as_deref(), Some("A1B2C3D4-E5F6-4789-9ABC-DEF012345678@icloud.example"));
    assert_eq!(parsed.calendars, vec![fixture_text("apple_mail.ics")]);
    assert!(parsed.calendars[0].contains("PARTSTAT=DECLINED"));
    // dmarc=none and spf=softfail, but DKIM passed for the From domain.
    assert!(parsed.auth.vouches_for("icloud.example"));
    assert!(!parsed.auth.vouches_for("example.com"));
}

#[test]
fn whole_body_calendar_in_latin1() {
    let parsed = incoming::parse(&fixture("whole_body.eml")).unwrap();
    assert_eq!(parsed.from.as_deref(), Some("scheduler@partner.example"));
    assert_eq!(parsed.message_id.as_deref(), Some("cancel-77-3@partner.example"));
    assert_eq!(parsed.calendars, vec![fixture_text("whole_body.ics")]);
    assert!(parsed.calendars[0].contains("SUMMARY:Réunion\r\n"), "ISO-8859-1 decoded to UTF-8");
    assert!(!parsed.auth.present);
    assert!(parsed.auth.vouches_for("partner.example"), "no results: nothing to hold against it");
}

#[test]
fn bare_lf_messages_are_read_too() {
    let lf = fixture_text("gmail.eml").replace("\r\n", "\n");
    let parsed = incoming::parse(lf.as_bytes()).unwrap();
    assert_eq!(parsed.calendars.len(), 2, "7bit part now has LF, the base64 one CRLF: not duplicates");
    assert_eq!(parsed.calendars[0], fixture_text("gmail.ics").replace("\r\n", "\n"));
    assert_eq!(parsed.calendars[1], fixture_text("gmail.ics"));
}

#[test]
fn ics_attachment_by_file_name_and_legacy_charset() {
    // An .ics sent as application/octet-stream, in Windows-1252.
    let mut message = b"From: Old Client <old@legacy.example>\r\nTo: bob@example.com\r\nSubject: meeting\r\n\
MIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary=XX\r\n\r\n--XX\r\nContent-Type: text/plain\r\n\r\nSee attached.\r\n\
--XX\r\nContent-Type: application/octet-stream; name=\"meeting.ICS\"\r\nContent-Transfer-Encoding: 8bit\r\n\r\n"
        .to_vec();
    message.extend_from_slice(b"BEGIN:VCALENDAR\r\nMETHOD:PUBLISH\r\nBEGIN:VEVENT\r\nSUMMARY:Caf\xe9 \x96 noon\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n");
    message.extend_from_slice(b"\r\n--XX--\r\n");
    let parsed = incoming::parse(&message).unwrap();
    assert_eq!(parsed.calendars.len(), 1);
    assert!(parsed.calendars[0].contains("SUMMARY:Café – noon\r\n"), "{:?}", parsed.calendars[0]);
}

#[test]
fn several_distinct_calendars_in_order_and_forwarded_ones_ignored() {
    let cal = |uid: &str| {
        format!("BEGIN:VCALENDAR\r\nMETHOD:REQUEST\r\nBEGIN:VEVENT\r\nUID:{uid}\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n")
    };
    let message = format!(
        "From: a@x.example\r\nTo: b@y.example\r\nSubject: two\r\nMIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary=B\r\n\r\n\
--B\r\nContent-Type: text/calendar; method=REQUEST\r\n\r\n{}\r\n\
--B\r\nContent-Type: message/rfc822\r\n\r\nFrom: c@z.example\r\nSubject: fwd\r\nContent-Type: text/calendar; method=REQUEST\r\n\r\n{}\r\n\
--B\r\nContent-Type: text/calendar; method=REQUEST\r\n\r\n{}\r\n--B--\r\n",
        cal("first"),
        cal("forwarded"),
        cal("second")
    );
    let parsed = incoming::parse(message.as_bytes()).unwrap();
    assert_eq!(parsed.calendars, vec![cal("first"), cal("second")]);
}

#[test]
fn refusals() {
    let no_calendar = b"From: a@x.example\r\nTo: b@y.example\r\nSubject: hello\r\n\r\nJust text.\r\n";
    assert_eq!(incoming::parse(no_calendar), Err(ImipError::NoCalendar));
    assert_eq!(incoming::parse(b""), Err(ImipError::NotAMessage));
    assert_eq!(incoming::parse(b"\r\n\r\nBEGIN:VCALENDAR\r\n"), Err(ImipError::NotAMessage));
    let huge = vec![b'a'; MAX_MESSAGE_BYTES + 1];
    let err = incoming::parse(&huge).unwrap_err();
    assert_eq!(err, ImipError::TooLarge { size: MAX_MESSAGE_BYTES + 1, limit: MAX_MESSAGE_BYTES });
    assert!(err.to_string().contains("too large"));
    assert!(ImipError::NoCalendar.to_string().contains("no calendar part"));
}

#[test]
fn trusted_authserv_ids() {
    let mut forged = b"Authentication-Results: mx.example.com; dkim=fail header.d=gmail.com; dmarc=fail\r\n".to_vec();
    forged.extend_from_slice(&fixture("gmail.eml"));
    let all = incoming::parse(&forged).unwrap();
    assert_eq!(all.auth.dmarc.as_deref(), Some("fail"), "the top-most field comes first");
    assert!(!all.auth.vouches_for("gmail.com"));
    let trusted = incoming::parse_trusting(&fixture("gmail.eml"), &["mx.example.com"]).unwrap();
    assert!(trusted.auth.vouches_for("gmail.com"));
    let untrusted = incoming::parse_trusting(&fixture("gmail.eml"), &["mx.elsewhere.example"]).unwrap();
    assert!(!untrusted.auth.present);
}

#[test]
fn random_bytes_never_panic() {
    const ALPHABET: &[u8] = b"ab:;\r\n =\"<>@.-BEGIN:VCALENDARContent-Type: text/calendar\x80\xff";
    let mut seed = 0x2545_f491_4f6c_dd1du64;
    for len in 0..300 {
        let bytes: Vec<u8> = (0..len * 7)
            .map(|_| {
                seed ^= seed << 13;
                seed ^= seed >> 7;
                seed ^= seed << 17;
                ALPHABET[(seed % ALPHABET.len() as u64) as usize]
            })
            .collect();
        let _ = incoming::parse(&bytes);
    }
    let mut gmail = fixture("gmail.eml");
    for cut in (0..gmail.len()).step_by(97) {
        let _ = incoming::parse(&gmail[..cut]);
    }
    let attachment = gmail.windows(29).position(|w| w == b"Content-Type: application/ics").unwrap();
    gmail.truncate(attachment);
    let parsed = incoming::parse(&gmail).unwrap();
    assert_eq!(parsed.calendars, vec![fixture_text("gmail.ics")], "the inline calendar comes before the cut");
}

/// Found by fuzz/fuzz_targets/imip_message.rs: this nesting of multipart and
/// message/rfc822 parts trips a debug assertion inside mail-parser; the
/// message must be refused, not panic.
#[test]
fn multipart_without_subtype_inside_rfc822_is_refused_not_a_panic() {
    let mail = b"\x01\x00ceived:Versin: 1.0\r\nContent-Type: multipart/; boundary=\"b1\"\r\n\r\n--b1\rtE;CUTY\nContent-Type: message/rfc822\r\n\r\nFVQ\xff\xff\xffpW0FMRU5EQVINCg==--b1\r\nContent-Type: message/rfc822\r\n\r\nFrm xextar\r\n\r\nBEGIN:VCAL:VCALENDAR\r\n--b1--\r\n";
    assert!(incoming::parse(mail).is_err());
}
