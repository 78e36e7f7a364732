//! iMIP (RFC 6047) end to end, on both stores: invitations to people outside the
//! server leave through the SMTP relay (a local sink here), their answers and
//! outside invitations come back over LMTP (sent with swaks, as a local MTA
//! would) or through `agora deliver`, forgeries are refused, and the outgoing
//! queue survives a restart and reports failures in SCHEDULE-STATUS.

mod common;

use std::process::{Command, Output};
use std::time::{Duration, Instant};

use agora_testkit::smtp_sink::{Captured, SmtpSink};
use common::*;
use mail_parser::{MessageParser, MimeHeaders};

agora_testkit::on_both_stores!(
    invitation_is_mailed_and_answers_arrive_by_lmtp,
    deliver_command_reports_with_exit_codes,
    queue_survives_a_restart_and_reports_failures,
);

const EVENT: &str = "/calendars/alice/calendar/x.ics";

/// An iCalendar object with CRLF line ends from lines joined by `\n`.
fn ics(lines: &str) -> String {
    let mut out: String = lines.trim().lines().map(|l| format!("{}\r\n", l.trim())).collect();
    out.insert_str(0, "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//Agora tests//EN\r\n");
    out.push_str("END:VCALENDAR\r\n");
    out
}

/// Alice's meeting with `attendee`, who is outside the server.
fn invitation(uid: &str, attendee: &str) -> String {
    ics(&format!(
        "BEGIN:VEVENT
         UID:{uid}
         DTSTAMP:20260101T000000Z
         DTSTART:20300105T100000Z
         DTEND:20300105T110000Z
         SUMMARY:Planning
         SEQUENCE:0
         ORGANIZER;CN=Alice:mailto:alice@example.org
         ATTENDEE;CN=Alice;PARTSTAT=ACCEPTED:mailto:alice@example.org
         ATTENDEE;PARTSTAT=NEEDS-ACTION;RSVP=TRUE:mailto:{attendee}
         END:VEVENT"
    ))
}

fn put(server: &Server, path: &str, body: &str) {
    let r = request(server, "alice", "PUT", path, "0", "text/calendar; charset=utf-8", body);
    let status = r.status().as_u16();
    assert!(status == 201 || status == 204, "PUT {path}: {status} {}", r.text().unwrap_or_default());
}

/// The object at `path`, with folded lines joined (RFC 5545 §3.1).
fn get(server: &Server, path: &str) -> String {
    let (status, body) = send(server, "alice", "GET", path, "text/plain", "");
    assert_eq!(status, 200, "GET {path}: {body}");
    body.replace("\r\n ", "").replace("\r\n\t", "")
}

/// The ATTENDEE line of `who` in the object at `path`.
fn attendee_line(server: &Server, path: &str, who: &str) -> String {
    let text = get(server, path);
    text.lines()
        .find(|l| l.starts_with("ATTENDEE") && l.to_ascii_lowercase().ends_with(&format!("mailto:{who}")))
        .unwrap_or_else(|| panic!("no ATTENDEE {who} in {text}"))
        .to_owned()
}

/// Waits until the ATTENDEE line of `who` contains `wanted`.
fn wait_for_attendee(server: &Server, path: &str, who: &str, wanted: &str) -> String {
    let deadline = Instant::now() + Duration::from_secs(10);
    loop {
        let line = attendee_line(server, path, who);
        if line.contains(wanted) {
            return line;
        }
        assert!(Instant::now() < deadline, "{wanted} never appeared in {line}");
        std::thread::sleep(Duration::from_millis(100));
    }
}

/// The hrefs of the members of a collection (PROPFIND Depth 1).
fn members(server: &Server, collection: &str) -> Vec<String> {
    let body = r#"<D:propfind xmlns:D="DAV:"><D:prop><D:getetag/></D:prop></D:propfind>"#;
    let (status, xml) = send(server, "alice", "PROPFIND", collection, "application/xml", body);
    assert_eq!(status, 207, "{xml}");
    xml.split("<D:href>")
        .skip(1)
        .filter_map(|s| s.split_once("</D:href>").map(|(href, _)| href.to_owned()))
        .filter(|href| href != collection)
        .collect()
}

/// The objects of a collection whose text contains `needle`.
fn objects_with(server: &Server, collection: &str, needle: &str) -> Vec<String> {
    members(server, collection).into_iter().map(|href| get(server, &href)).filter(|t| t.contains(needle)).collect()
}

/// An e-mail from `from` to alice carrying `calendar` as text/calendar.
fn email(from: &str, method: &str, calendar: &str, extra_headers: &str) -> String {
    format!(
        "{extra_headers}From: {from}\r\nTo: alice@example.org\r\nSubject: {method}\r\n\
         Date: Thu, 01 Jan 2026 00:00:00 +0000\r\nMessage-ID: <{method}.{}@external.example>\r\n\
         MIME-Version: 1.0\r\nContent-Type: text/calendar; charset=utf-8; method={method}\r\n\r\n{calendar}",
        calendar.len()
    )
}

/// Delivers `message` to alice over LMTP with swaks, as a local MTA would.
fn swaks(env: &StoreEnv, lmtp_port: u16, from: &str, message: &str) -> Output {
    let file = env.dir.path().join(format!("mail-{}.eml", agora_testkit::free_port()));
    std::fs::write(&file, message).unwrap();
    let server = format!("127.0.0.1:{lmtp_port}");
    let data = format!("@{}", file.display());
    Command::new("swaks")
        .args(["--protocol", "LMTP", "--server", &server, "--to", "alice@example.org", "--from", from])
        .args(["--data", &data, "--timeout", "10"])
        .output()
        .unwrap_or_else(|e| {
            panic!(
                "cannot run swaks ({e}): run the suite with ./scripts/test, which installs it (Debian package swaks)"
            )
        })
}

/// The one part of `message` whose content type is `ctype/subtype`.
fn part<'a>(message: &'a mail_parser::Message<'a>, ctype: &str, subtype: &str) -> &'a mail_parser::MessagePart<'a> {
    let found: Vec<_> = message
        .parts
        .iter()
        .filter(|p| p.content_type().is_some_and(|ct| ct.ctype() == ctype && ct.subtype() == Some(subtype)))
        .collect();
    assert_eq!(found.len(), 1, "one {ctype}/{subtype} part expected");
    found[0]
}

fn check_invitation_mail(mail: &Captured) {
    assert_eq!(mail.mail_from, "alice@example.org");
    assert_eq!(mail.rcpt_to, ["carol@external.example"]);
    let message = MessageParser::default().parse(&mail.data).expect("an RFC 5322 message");
    let from = message.from().and_then(|a| a.first()).and_then(|a| a.address()).unwrap_or_default();
    assert_eq!(from, "alice@example.org");
    let to = message.to().and_then(|a| a.first()).and_then(|a| a.address()).unwrap_or_default();
    assert_eq!(to, "carol@external.example");
    assert!(message.date().is_some(), "Date header");
    assert!(message.message_id().is_some_and(|id| id.contains('@')), "Message-ID header");
    let text = part(&message, "text", "plain").text_contents().unwrap_or_default();
    assert!(text.contains("Planning"), "readable summary: {text}");
    let calendar = part(&message, "text", "calendar");
    assert_eq!(calendar.content_type().and_then(|ct| ct.attribute("method")), Some("REQUEST"));
    let itip = String::from_utf8_lossy(calendar.contents()).into_owned();
    assert!(itip.contains("METHOD:REQUEST\r\n") && itip.contains("UID:imip-1@example.org"), "{itip}");
    let attachment = part(&message, "application", "ics");
    assert_eq!(attachment.attachment_name(), Some("invite.ics"));
    // What the attendee's mail client will read, through the same parser Agora uses.
    let incoming = agora_imip::incoming::parse(&mail.data).unwrap();
    assert_eq!(incoming.calendars, [itip]);
}

fn invitation_is_mailed_and_answers_arrive_by_lmtp(backend: Backend) {
    let env = StoreEnv::new(backend);
    let sink = SmtpSink::start();
    let lmtp_port = agora_testkit::free_port();
    let mut args = mail_args(sink.port);
    args.extend(["--lmtp-listen".to_owned(), format!("127.0.0.1:{lmtp_port}")]);
    // Only the local MTA's Authentication-Results count (RFC 8601 §5).
    args.extend(["--imip-trusted-authserv-id".to_owned(), "mx.example.org".to_owned()]);
    let server = start_with_relay(&env, &args);
    add_users(&env, &["alice"]);

    // Outgoing: the invitation goes to carol through the relay.
    put(&server, EVENT, &invitation("imip-1@example.org", "carol@external.example"));
    let mails = sink.wait_for(1, Duration::from_secs(10));
    assert_eq!(mails.len(), 1, "one message to the relay");
    check_invitation_mail(&mails[0]);
    wait_for_attendee(&server, EVENT, "carol@external.example", "SCHEDULE-STATUS=1.1");

    // Carol accepts by e-mail, with a comment (RFC 5546 §3.2.3): it is kept on
    // her ATTENDEE line as X-RESPONSE-COMMENT, not as a COMMENT of the event.
    let reply = ics("METHOD:REPLY
         BEGIN:VEVENT
         UID:imip-1@example.org
         DTSTAMP:20260102T000000Z
         DTSTART:20300105T100000Z
         DTEND:20300105T110000Z
         SEQUENCE:0
         ORGANIZER:mailto:alice@example.org
         COMMENT:Happy to join\\, see you there
         ATTENDEE;PARTSTAT=ACCEPTED:mailto:carol@external.example
         END:VEVENT");
    let out = swaks(&env, lmtp_port, "carol@external.example", &email("carol@external.example", "REPLY", &reply, ""));
    assert!(out.status.success(), "swaks: {}", String::from_utf8_lossy(&out.stdout));
    let carol = attendee_line(&server, EVENT, "carol@external.example");
    assert!(carol.contains("PARTSTAT=ACCEPTED"), "{carol}");
    assert!(carol.contains("X-RESPONSE-COMMENT=\"Happy to join, see you there\""), "{carol}");
    assert!(!get(&server, EVENT).contains("\r\nCOMMENT"), "no COMMENT in alice's event");

    // Dave, outside, invites alice: her calendar and her inbox get it.
    let request = |uid: &str| {
        ics(&format!(
            "METHOD:REQUEST
             BEGIN:VEVENT
             UID:{uid}
             DTSTAMP:20260103T000000Z
             DTSTART:20300106T090000Z
             DTEND:20300106T100000Z
             RRULE:FREQ=WEEKLY;COUNT=4
             SUMMARY:Dave's review
             SEQUENCE:0
             ORGANIZER:mailto:dave@external.example
             ATTENDEE;PARTSTAT=ACCEPTED:mailto:dave@external.example
             ATTENDEE;PARTSTAT=NEEDS-ACTION;RSVP=TRUE:mailto:alice@example.org
             END:VEVENT"
        ))
    };
    let calendar = "/calendars/alice/calendar/";
    let before = members(&server, calendar).len();
    let mail = email("dave@external.example", "REQUEST", &request("dave-1@external.example"), "");
    let out = swaks(&env, lmtp_port, "dave@external.example", &mail);
    assert!(out.status.success(), "swaks: {}", String::from_utf8_lossy(&out.stdout));
    let copies = objects_with(&server, calendar, "UID:dave-1@external.example");
    assert_eq!(copies.len(), 1, "alice's copy of dave's event");
    let alice = copies[0].lines().find(|l| l.starts_with("ATTENDEE") && l.ends_with("mailto:alice@example.org"));
    assert!(alice.is_some_and(|l| l.contains("PARTSTAT=NEEDS-ACTION")), "{}", copies[0]);
    let inbox = objects_with(&server, "/calendars/alice/inbox/", "UID:dave-1@external.example");
    assert_eq!(inbox.len(), 1, "the REQUEST in alice's inbox");
    assert!(inbox[0].contains("METHOD:REQUEST"), "{}", inbox[0]);

    // Dave adds a meeting to his series with an iTIP ADD: alice's copy gains it.
    let add = |uid: &str| {
        ics(&format!(
            "METHOD:ADD
             BEGIN:VEVENT
             UID:{uid}
             DTSTAMP:20260104T000000Z
             DTSTART:20300118T150000Z
             DTEND:20300118T160000Z
             SUMMARY:Dave's review (extra)
             SEQUENCE:1
             ORGANIZER:mailto:dave@external.example
             ATTENDEE;PARTSTAT=ACCEPTED:mailto:dave@external.example
             ATTENDEE;PARTSTAT=NEEDS-ACTION;RSVP=TRUE:mailto:alice@example.org
             END:VEVENT"
        ))
    };
    let mail = email("dave@external.example", "ADD", &add("dave-1@external.example"), "");
    let out = swaks(&env, lmtp_port, "dave@external.example", &mail);
    assert!(out.status.success(), "swaks: {}", String::from_utf8_lossy(&out.stdout));
    let copy = objects_with(&server, calendar, "UID:dave-1@external.example").remove(0);
    assert!(copy.contains("RDATE:20300118T150000Z") && copy.contains("RECURRENCE-ID:20300118T150000Z"), "{copy}");
    assert!(copy.contains("SUMMARY:Dave's review (extra)"), "{copy}");
    // An ADD for a series alice does not have is refused with the reason.
    let mail = email("dave@external.example", "ADD", &add("unknown-series@external.example"), "");
    let out = swaks(&env, lmtp_port, "dave@external.example", &mail);
    let transcript = String::from_utf8_lossy(&out.stdout).into_owned();
    assert!(!out.status.success() && transcript.contains("<** 550"), "{transcript}");
    assert!(transcript.contains("series"), "{transcript}");

    // Mallory sends an invitation in dave's name: refused, nothing changes.
    let forged = email("mallory@evil.example", "REQUEST", &request("forged-1@external.example"), "");
    let out = swaks(&env, lmtp_port, "mallory@evil.example", &forged);
    let transcript = String::from_utf8_lossy(&out.stdout).into_owned();
    assert!(!out.status.success() && transcript.contains("<** 550"), "{transcript}");
    assert!(transcript.contains("not the ORGANIZER"), "{transcript}");
    // The MTA vouches that dave's domain failed DMARC: refused as well.
    let spoofed = email(
        "dave@external.example",
        "REQUEST",
        &request("forged-2@external.example"),
        "Authentication-Results: mx.example.org; dmarc=fail header.from=external.example\r\n",
    );
    let out = swaks(&env, lmtp_port, "dave@external.example", &spoofed);
    let transcript = String::from_utf8_lossy(&out.stdout).into_owned();
    assert!(!out.status.success() && transcript.contains("<** 550"), "{transcript}");
    assert_eq!(members(&server, calendar).len(), before + 1, "only dave's real invitation was added");
    assert!(objects_with(&server, "/calendars/alice/inbox/", "forged-").is_empty());

    // Mail for someone who is not a calendar user is refused at RCPT TO.
    let file = env.dir.path().join("nobody.eml");
    std::fs::write(&file, email("dave@external.example", "REQUEST", &request("n@x"), "")).unwrap();
    let out = Command::new("swaks")
        .args(["--protocol", "LMTP", "--server", &format!("127.0.0.1:{lmtp_port}"), "--to", "nobody@example.org"])
        .args(["--from", "dave@external.example", "--data", &format!("@{}", file.display())])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(24), "no RCPT accepted: {}", String::from_utf8_lossy(&out.stdout));

    // The reply and the incoming invitation sent nothing more.
    assert_eq!(sink.messages().len(), 1);

    // Alice adds a second date: carol's mail client gets the whole event as a
    // REQUEST (mail clients ignore ADD).
    let current = get(&server, EVENT).replace("\r\n ", "");
    put(
        &server,
        EVENT,
        &current.replacen("DTEND:20300105T110000Z\r\n", "DTEND:20300105T110000Z\r\nRDATE:20300112T100000Z\r\n", 1),
    );
    let mails = sink.wait_for(2, Duration::from_secs(10));
    let incoming = agora_imip::incoming::parse(&mails[1].data).unwrap();
    let text = incoming.calendars.concat().replace("\r\n ", "");
    assert!(text.contains("METHOD:REQUEST") && !text.contains("METHOD:ADD"), "{text}");
    assert!(text.contains("RDATE:20300112T100000Z") && text.contains("DTSTART:20300105T100000Z"), "{text}");

    // Alice accepts dave's invitation with a comment: the REPLY mailed to him carries it.
    let href = members(&server, calendar)
        .into_iter()
        .find(|h| get(&server, h).contains("UID:dave-1@external.example"))
        .expect("alice's copy of dave's event");
    let copy = get(&server, &href);
    let answered = copy
        .replace(
            "PARTSTAT=NEEDS-ACTION;RSVP=TRUE:mailto:alice@example.org",
            "PARTSTAT=ACCEPTED:mailto:alice@example.org",
        )
        .replacen("END:VEVENT", "COMMENT:I'll bring the numbers\r\nEND:VEVENT", 1);
    assert_ne!(answered, copy);
    put(&server, &href, &answered);
    let mails = sink.wait_for(3, Duration::from_secs(10));
    assert_eq!(mails[2].rcpt_to, ["dave@external.example"]);
    let incoming = agora_imip::incoming::parse(&mails[2].data).unwrap();
    let text = incoming.calendars.concat().replace("\r\n ", "");
    assert!(text.contains("METHOD:REPLY") && text.contains("PARTSTAT=ACCEPTED"), "{text}");
    assert!(text.contains("\r\nCOMMENT:I'll bring the numbers\r\n"), "{text}");
}

fn deliver_command_reports_with_exit_codes(backend: Backend) {
    let env = StoreEnv::new(backend);
    let server = start_with_relay(&env, &[]);
    add_users(&env, &["alice"]);
    let request = |uid: &str| {
        ics(&format!(
            "METHOD:REQUEST
             BEGIN:VEVENT
             UID:{uid}
             DTSTAMP:20260103T000000Z
             DTSTART:20300107T090000Z
             DTEND:20300107T100000Z
             SUMMARY:Piped
             ORGANIZER:mailto:dave@external.example
             ATTENDEE;PARTSTAT=NEEDS-ACTION;RSVP=TRUE:mailto:alice@example.org
             END:VEVENT"
        ))
    };
    let code = |out: &Output| out.status.code();
    let stderr = |out: &Output| String::from_utf8_lossy(&out.stderr).into_owned();

    let good = email("dave@external.example", "REQUEST", &request("piped-1@external.example"), "");
    let out = deliver(&mut env.command(), "alice@example.org", "dave@external.example", &good);
    assert_eq!(code(&out), Some(0), "{}", stderr(&out));
    assert_eq!(objects_with(&server, "/calendars/alice/calendar/", "UID:piped-1@external.example").len(), 1);

    let out = deliver(&mut env.command(), "nobody@example.org", "dave@external.example", &good);
    assert_eq!(code(&out), Some(67), "EX_NOUSER: {}", stderr(&out));

    let forged = email("mallory@evil.example", "REQUEST", &request("piped-2@external.example"), "");
    let out = deliver(&mut env.command(), "alice@example.org", "mallory@evil.example", &forged);
    assert_eq!(code(&out), Some(65), "EX_DATAERR: {}", stderr(&out));
    assert!(stderr(&out).contains("not the ORGANIZER"), "{}", stderr(&out));
    let out = deliver(&mut env.command(), "alice@example.org", "", "Subject: no calendar\r\n\r\nhello\r\n");
    assert_eq!(code(&out), Some(65), "EX_DATAERR: {}", stderr(&out));
    assert!(objects_with(&server, "/calendars/alice/calendar/", "piped-2").is_empty());

    // A store that cannot be opened: the MTA must try again later.
    let not_a_dir = env.dir.path().join("plain-file");
    std::fs::write(&not_a_dir, "").unwrap();
    let mut broken = Command::new(env!("CARGO_BIN_EXE_agora"));
    broken.env_remove("AGORA_STORE").env_remove("AGORA_CONFIG").arg("--data-dir").arg(&not_a_dir);
    let out = deliver(&mut broken, "alice@example.org", "dave@external.example", &good);
    assert_eq!(code(&out), Some(75), "EX_TEMPFAIL: {}", stderr(&out));

    // A broken configuration: also deferred (EX_CONFIG), never bounced.
    let config = env.dir.path().join("bad.toml");
    std::fs::write(&config, "[smtp]\nhots = \"typo\"\n").unwrap();
    let mut command = env.command();
    command.arg("--config").arg(&config);
    let out = deliver(&mut command, "alice@example.org", "dave@external.example", &good);
    assert_eq!(code(&out), Some(78), "EX_CONFIG: {}", stderr(&out));
}

/// `agora mail queue`'s rows as (status, attempts, recipient).
fn queue(env: &StoreEnv) -> Vec<(String, u32, String)> {
    let out = env.cli_ok(&["mail", "queue"], None);
    out.lines()
        .skip(1)
        .map(|line| {
            let cells: Vec<&str> = line.split_whitespace().collect();
            (cells[1].to_owned(), cells[2].parse().unwrap(), cells[5].to_owned())
        })
        .collect()
}

fn wait_for_queue(env: &StoreEnv, what: &str, done: impl Fn(&[(String, u32, String)]) -> bool) {
    let deadline = Instant::now() + Duration::from_secs(10);
    loop {
        let rows = queue(env);
        if done(&rows) {
            return;
        }
        assert!(Instant::now() < deadline, "{what}: the queue is {rows:?}");
        std::thread::sleep(Duration::from_millis(100));
    }
}

fn queue_survives_a_restart_and_reports_failures(backend: Backend) {
    let env = StoreEnv::new(backend);
    // No relay yet on this port: every attempt fails to connect.
    let smtp_port = agora_testkit::free_port();
    let args = mail_args(smtp_port);
    let server = start_with_relay(&env, &args);
    add_users(&env, &["alice"]);
    put(&server, EVENT, &invitation("imip-1@example.org", "carol@external.example"));
    wait_for_queue(&env, "a failed attempt", |rows| rows.iter().any(|(status, n, _)| status == "queued" && *n >= 1));
    assert!(attendee_line(&server, EVENT, "carol@external.example").contains("SCHEDULE-STATUS=1.0"));
    let status = server.signal_and_wait(nix::sys::signal::Signal::SIGTERM);
    assert!(status.success(), "clean stop: {status}");

    // The relay comes back, then the server: the message goes out, once.
    let sink = SmtpSink::start_on(smtp_port);
    let server = start_with_relay(&env, &args);
    let mails = sink.wait_for(1, Duration::from_secs(10));
    assert_eq!(mails.len(), 1, "the queued message after the restart");
    check_invitation_mail(&mails[0]);
    wait_for_attendee(&server, EVENT, "carol@external.example", "SCHEDULE-STATUS=1.1");
    wait_for_queue(&env, "sent", |rows| rows.len() == 1 && rows[0].0 == "sent");
    std::thread::sleep(Duration::from_millis(1500));
    assert_eq!(sink.messages().len(), 1, "sent exactly once");

    // A transient refusal (451) is retried.
    sink.fail_next(451);
    put(&server, "/calendars/alice/calendar/y.ics", &invitation("imip-2@example.org", "erin@external.example"));
    let mails = sink.wait_for(2, Duration::from_secs(10));
    assert_eq!(mails.len(), 2, "erin's invitation after a retry");
    assert_eq!(mails[1].rcpt_to, ["erin@external.example"]);
    wait_for_queue(&env, "erin's retried message", |rows| {
        rows.iter().any(|(status, n, to)| to == "erin@external.example" && status == "sent" && *n == 2)
    });

    // A permanent refusal (550) fails at once and shows in SCHEDULE-STATUS.
    sink.fail_next(550);
    let path = "/calendars/alice/calendar/z.ics";
    put(&server, path, &invitation("imip-3@example.org", "frank@external.example"));
    wait_for_attendee(&server, path, "frank@external.example", "SCHEDULE-STATUS=5.1");
    wait_for_queue(&env, "frank's failed message", |rows| {
        rows.iter().any(|(status, n, to)| to == "frank@external.example" && status == "failed" && *n == 1)
    });
    assert_eq!(sink.messages().len(), 2, "the refused message is not recorded");
}
