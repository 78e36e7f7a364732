//! Fuzzes the Authentication-Results reader (RFC 8601): the input is the
//! field's value in a minimal iMIP message. Results that exist and are not a
//! DMARC pass vouch only for a domain the field names; `dmarc=fail` vouches for
//! nothing; trusting no authserv-id counts no field, trusting the field's own
//! authserv-id counts it.
#![no_main]

use agora_imip::incoming::{AuthResults, parse, parse_trusting};
use libfuzzer_sys::fuzz_target;

const BODY: &[u8] = b"From: a@example.org\r\nContent-Type: text/calendar; method=REQUEST\r\n\r\nBEGIN:VCALENDAR\r\nMETHOD:REQUEST\r\nEND:VCALENDAR\r\n";

fuzz_target!(|data: &[u8]| {
    if data.contains(&b'\n') {
        return;
    }
    let mut mail = b"Authentication-Results: ".to_vec();
    mail.extend_from_slice(data);
    mail.extend_from_slice(b"\r\n");
    mail.extend_from_slice(BODY);
    let Ok(message) = parse(&mail) else { return };
    let field = String::from_utf8_lossy(data).to_lowercase();
    let auth = &message.auth;
    let has_results = auth.present && (auth.dmarc.is_some() || !auth.dkim.is_empty() || auth.spf.is_some());
    if auth.dmarc.as_deref() == Some("fail") {
        assert!(!auth.vouches_for("example.org"));
    }
    if has_results && auth.dmarc.as_deref() != Some("pass") && auth.vouches_for("example.org") {
        assert!(field.contains("example.org"), "example.org vouched for but not named");
    }
    let untrusted = parse_trusting(&mail, &[]).expect("same message");
    assert_eq!(untrusted.auth, AuthResults::default());
    if let Some((id, _)) = field.split_once(';') {
        let id = id.trim();
        if id.is_empty() || !id.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'.' || b == b'-') {
            return;
        }
        let trusted = parse_trusting(&mail, &[id]).expect("same message");
        assert_eq!(trusted.auth.vouches_for("example.org"), message.auth.vouches_for("example.org"));
    }
});
