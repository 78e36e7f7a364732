//! Submission with `Relay` to the test SMTP sink.

use std::time::Duration;

use agora_imip::outgoing::{Invitation, build};
use agora_imip::smtp::{Relay, RelayConfig, Security, SendError};
use agora_testkit::smtp_sink::SmtpSink;

fn relay_config(port: u16) -> RelayConfig {
    RelayConfig {
        host: "127.0.0.1".into(),
        port,
        security: Security::None,
        username: None,
        password: None,
        timeout: Duration::from_secs(5),
        accept_invalid_certs: false,
    }
}

fn message() -> Vec<u8> {
    let itip = "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nMETHOD:REQUEST\r\nBEGIN:VEVENT\r\nUID:1@agora.test\r\n\
                DTSTART:20260303T100000Z\r\nSUMMARY:Team meeting\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n";
    build(&Invitation {
        from_name: Some("Alice"),
        from_address: "alice@agora.test",
        reply_to: None,
        to: "bob@example.com",
        method: "REQUEST",
        itip,
        message_id_domain: "agora.test",
        now: 1_772_528_400,
        language: agora_imip::Language::En,
    })
}

#[tokio::test]
async fn sends_without_auth() {
    let sink = SmtpSink::start();
    let relay = Relay::new(&relay_config(sink.port)).unwrap();
    let message = message();
    relay.send("alice@agora.test", "bob@example.com", &message).await.unwrap();
    let got = sink.messages();
    assert_eq!(got.len(), 1);
    assert_eq!(got[0].mail_from, "alice@agora.test");
    assert_eq!(got[0].rcpt_to, ["bob@example.com"]);
    assert_eq!(got[0].data, message, "delivered byte for byte");
    assert_eq!(got[0].auth_user, None);
    let parsed = agora_imip::incoming::parse(&got[0].data).unwrap();
    assert!(parsed.calendars[0].contains("SUMMARY:Team meeting\r\n"));
}

#[tokio::test]
async fn sends_with_auth_and_a_null_reverse_path() {
    let sink = SmtpSink::start();
    let config =
        RelayConfig { username: Some("agora".into()), password: Some("s3cret".into()), ..relay_config(sink.port) };
    assert!(!format!("{config:?}").contains("s3cret"), "Debug hides the password");
    let relay = Relay::new(&config).unwrap();
    relay.send("", "bob@example.com", b"Subject: x\r\n\r\n.dot first\r\n").await.unwrap();
    let got = sink.wait_for(1, Duration::from_secs(5));
    assert_eq!(got[0].auth_user.as_deref(), Some("agora"));
    assert_eq!(got[0].mail_from, "");
    assert_eq!(got[0].data, b"Subject: x\r\n\r\n.dot first\r\n", "dot-stuffed by the client, unstuffed by the sink");
}

#[tokio::test]
async fn a_5xx_reply_is_permanent() {
    let sink = SmtpSink::start();
    sink.fail_next(550);
    let relay = Relay::new(&relay_config(sink.port)).unwrap();
    let err = relay.send("alice@agora.test", "bob@example.com", &message()).await.unwrap_err();
    assert!(err.permanent, "{err}");
    assert!(err.message.contains("Simulated failure"), "{err}");
    assert!(sink.messages().is_empty());
}

#[tokio::test]
async fn a_4xx_reply_is_transient_and_a_retry_succeeds() {
    let sink = SmtpSink::start();
    sink.fail_next(451);
    let relay = Relay::new(&relay_config(sink.port)).unwrap();
    let err = relay.send("alice@agora.test", "bob@example.com", &message()).await.unwrap_err();
    assert!(!err.permanent, "{err}");
    assert!(err.to_string().starts_with("transient failure: "));
    relay.send("alice@agora.test", "bob@example.com", &message()).await.unwrap();
    assert_eq!(sink.messages().len(), 1);
}

#[tokio::test]
async fn connection_refused_is_transient_until_the_relay_is_back() {
    let sink = SmtpSink::start();
    let port = sink.port;
    drop(sink);
    let relay = Relay::new(&relay_config(port)).unwrap();
    let SendError { permanent, message: why } =
        relay.send("alice@agora.test", "bob@example.com", &message()).await.unwrap_err();
    assert!(!permanent, "{why}");
    let sink = SmtpSink::start_on(port);
    relay.send("alice@agora.test", "bob@example.com", &message()).await.unwrap();
    assert_eq!(sink.wait_for(1, Duration::from_secs(5)).len(), 1);
}

#[tokio::test]
async fn tls_failures_are_transient() {
    let sink = SmtpSink::start();
    // The sink answers STARTTLS with 454 and speaks no TLS at all.
    for security in [Security::StartTls, Security::Tls] {
        let relay = Relay::new(&RelayConfig { security: security.clone(), ..relay_config(sink.port) }).unwrap();
        let err = relay.send("alice@agora.test", "bob@example.com", &message()).await.unwrap_err();
        assert!(!err.permanent, "{security:?}: {err}");
    }
    assert!(sink.messages().is_empty(), "nothing sent in clear when TLS was required");
}

#[tokio::test]
async fn unusable_addresses_are_permanent() {
    let sink = SmtpSink::start();
    let relay = Relay::new(&relay_config(sink.port)).unwrap();
    let err = relay.send("alice@agora.test", "not an address", &message()).await.unwrap_err();
    assert!(err.permanent);
    let err = relay.send("alice@@agora.test", "bob@example.com", &message()).await.unwrap_err();
    assert!(err.permanent);
    assert!(sink.messages().is_empty());
}

#[test]
fn configuration() {
    assert!(Relay::new(&RelayConfig { host: " ".into(), ..relay_config(25) }).is_err());
    assert!(Relay::new(&RelayConfig { username: Some("u".into()), ..relay_config(25) }).is_err());
    assert!(
        Relay::new(&RelayConfig { security: Security::Tls, accept_invalid_certs: true, ..relay_config(465) }).is_ok()
    );
    let parsed: Vec<Security> = serde_json::from_str(r#"["none", "starttls", "tls"]"#).unwrap();
    assert_eq!(parsed, [Security::None, Security::StartTls, Security::Tls]);
    assert!(serde_json::from_str::<Security>(r#""StartTLS""#).is_err());
}
