//! `AuthResults::vouches_for` on Authentication-Results fields (RFC 8601).

use agora_imip::incoming::{self, AuthResults};

/// Parses a minimal message carrying `fields` as Authentication-Results.
fn auth(fields: &[&str]) -> AuthResults {
    let mut message = String::new();
    for field in fields {
        message.push_str(&format!("Authentication-Results: {field}\r\n"));
    }
    message.push_str("From: organizer@example.com\r\nContent-Type: text/calendar; method=REQUEST\r\n\r\nBEGIN:VCALENDAR\r\nEND:VCALENDAR\r\n");
    incoming::parse(message.as_bytes()).unwrap().auth
}

#[test]
fn no_results_vouch() {
    assert!(AuthResults::default().vouches_for("example.com"));
    assert!(auth(&[]).vouches_for("example.com"));
    let none = auth(&["mx.local; none"]);
    assert!(none.present);
    assert!(none.vouches_for("example.com"), "the MTA checked nothing");
}

#[test]
fn dmarc_decides_when_present() {
    assert!(auth(&["mx.local; dmarc=pass header.from=example.com"]).vouches_for("example.com"));
    // dmarc=fail wins even over a passing DKIM signature.
    assert!(
        !auth(&["mx.local; dkim=pass header.d=example.com; dmarc=fail header.from=example.com"])
            .vouches_for("example.com")
    );
    assert!(!auth(&["mx.local; dmarc=FAIL (p=reject)"]).vouches_for("example.com"), "results are case-insensitive");
}

#[test]
fn dkim_must_pass_for_an_aligned_domain() {
    assert!(auth(&["mx.local; dkim=pass header.d=example.com"]).vouches_for("example.com"));
    assert!(auth(&["mx.local; dkim=pass header.d=mail.example.com"]).vouches_for("Example.COM."));
    assert!(auth(&["mx.local; dkim=pass header.i=@example.com"]).vouches_for("lists.example.com"));
    assert!(auth(&["mx.local; dkim=pass header.i=alice@sub.example.com"]).vouches_for("sub.example.com"));
    assert!(!auth(&["mx.local; dkim=pass header.d=attacker.example"]).vouches_for("example.com"));
    assert!(!auth(&["mx.local; dkim=pass header.d=notexample.com"]).vouches_for("example.com"));
    assert!(!auth(&["mx.local; dkim=pass header.d=com"]).vouches_for("example.com"), "no alignment on a TLD");
    assert!(!auth(&["mx.local; dkim=fail header.d=example.com"]).vouches_for("example.com"));
    assert!(!auth(&["mx.local; dkim=pass"]).vouches_for("example.com"), "a signature of unknown domain");
    // One good signature among several is enough.
    let several = auth(&["mx.local; dkim=pass header.d=esp.example; dkim=pass header.d=example.com; dkim=neutral"]);
    assert_eq!(several.dkim.len(), 3);
    assert!(several.vouches_for("example.com"));
}

#[test]
fn spf_must_pass_with_an_aligned_mail_from() {
    assert!(auth(&["mx.local; spf=pass smtp.mailfrom=bounce@example.com"]).vouches_for("example.com"));
    assert!(auth(&["mx.local; spf=pass smtp.mailfrom=example.com"]).vouches_for("example.com"));
    assert!(!auth(&["mx.local; spf=pass smtp.mailfrom=bounce@esp.example"]).vouches_for("example.com"));
    assert!(!auth(&["mx.local; spf=softfail smtp.mailfrom=example.com"]).vouches_for("example.com"));
    assert!(!auth(&["mx.local; spf=pass smtp.helo=example.com"]).vouches_for("example.com"));
}

#[test]
fn failures_everywhere_do_not_vouch() {
    let r = auth(&["mx.local; dkim=none; spf=fail smtp.mailfrom=example.com; dmarc=none"]);
    assert_eq!(r.dmarc.as_deref(), Some("none"));
    assert_eq!(r.spf, Some(("fail".to_string(), Some("example.com".to_string()))));
    assert!(!r.vouches_for("example.com"));
}

#[test]
fn fields_from_several_hops_are_combined() {
    let r = auth(&["mx.local; spf=fail smtp.mailfrom=example.com", "relay.example; dkim=pass header.d=example.com"]);
    assert_eq!(r.spf.as_ref().map(|s| s.0.as_str()), Some("fail"));
    assert_eq!(r.dkim, vec![("pass".to_string(), Some("example.com".to_string()))]);
    assert!(r.vouches_for("example.com"));
}
