//! iTIP implicit scheduling (RFC 6638, RFC 5546) on realistic client bodies:
//! the organizer's PUT/DELETE, delivery to attendees, replies, cancels.

use agora_ical::content::{Line, Node, parse};
use agora_ical::itip::{
    Agent, ItipError, Method, Outgoing, apply_add, apply_cancel, apply_reply, attendee_copy, attendee_reply,
    normalise_address, organizer_messages, parse_message, reply_from_copy, scheduling, set_partstat,
    set_schedule_status,
};

const NOW: i64 = 1_741_600_000; // 2025-03-10T09:46:40Z
const NOW_TEXT: &str = "20250310T094640Z";
const ALICE: &str = "mailto:alice@example.com";
const BOB: &str = "mailto:bob@example.com";
const CAROL: &str = "mailto:carol@example.org";
const DAVE: &str = "mailto:dave@example.net";

const PARIS: &str = "BEGIN:VTIMEZONE\r\nTZID:Europe/Paris\r\nBEGIN:DAYLIGHT\r\nTZOFFSETFROM:+0100\r\n\
RRULE:FREQ=YEARLY;BYMONTH=3;BYDAY=-1SU\r\nDTSTART:19810329T020000\r\nTZNAME:CEST\r\nTZOFFSETTO:+0200\r\n\
END:DAYLIGHT\r\nBEGIN:STANDARD\r\nTZOFFSETFROM:+0200\r\nRRULE:FREQ=YEARLY;BYMONTH=10;BYDAY=-1SU\r\n\
DTSTART:19961027T030000\r\nTZNAME:CET\r\nTZOFFSETTO:+0100\r\nEND:STANDARD\r\nEND:VTIMEZONE\r\n";

/// An Apple Calendar (macOS) organizer body: Alice invites Bob and Carol.
fn apple(event_lines: &str) -> String {
    format!(
        "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//Apple Inc.//macOS 14.5//EN\r\nCALSCALE:GREGORIAN\r\n{PARIS}\
         BEGIN:VEVENT\r\n{event_lines}END:VEVENT\r\nEND:VCALENDAR\r\n"
    )
}

fn apple_event(start: &str, end: &str, seq: u32, bob_partstat: &str) -> String {
    apple(&format!(
        "ATTENDEE;CN=\"Alice Martin\";CUTYPE=INDIVIDUAL;EMAIL=alice@example.com;PARTSTAT=ACCEPTED;ROLE=CHAIR:\
         mailto:alice@example.com\r\n\
         ATTENDEE;CN=Bob;CUTYPE=INDIVIDUAL;EMAIL=bob@example.com;PARTSTAT={bob_partstat};ROLE=REQ-PARTICIPANT;\
         RSVP=TRUE:mailto:Bob@Example.com\r\n\
         ATTENDEE;CN=Carol;CUTYPE=INDIVIDUAL;PARTSTAT=NEEDS-ACTION;RSVP=TRUE:mailto:carol@example.org\r\n\
         CREATED:20250301T080000Z\r\nDTEND;TZID=Europe/Paris:{end}\r\nDTSTAMP:20250301T080000Z\r\n\
         DTSTART;TZID=Europe/Paris:{start}\r\nLAST-MODIFIED:20250301T080000Z\r\n\
         ORGANIZER;CN=\"Alice Martin\";EMAIL=alice@example.com:mailto:alice@example.com\r\n\
         SEQUENCE:{seq}\r\nSUMMARY:Planning\\, Q2\r\nUID:8A1C6C6E-93B4-4C1A-9C4E-4C2F1E2D0001\r\n\
         X-APPLE-TRAVEL-ADVISORY-BEHAVIOR:AUTOMATIC\r\n\
         BEGIN:VALARM\r\nACTION:DISPLAY\r\nDESCRIPTION:Reminder\r\nTRIGGER:-PT15M\r\n\
         UID:A1\r\nX-WR-ALARMUID:A1\r\nEND:VALARM\r\n"
    ))
}

/// A Thunderbird weekly series with one override (the 17th moved to 14:00).
fn thunderbird_series(master_extra: &str, override_block: &str) -> String {
    format!(
        "BEGIN:VCALENDAR\r\nPRODID:-//Mozilla.org/NONSGML Mozilla Calendar V1.1//EN\r\nVERSION:2.0\r\n{PARIS}\
         BEGIN:VEVENT\r\nCREATED:20250301T080000Z\r\nLAST-MODIFIED:20250301T080000Z\r\nDTSTAMP:20250301T080000Z\r\n\
         UID:tb-weekly-1\r\nSUMMARY:Weekly sync\r\nORGANIZER;CN=Alice:mailto:alice@example.com\r\n\
         ATTENDEE;RSVP=TRUE;PARTSTAT=ACCEPTED;ROLE=REQ-PARTICIPANT:mailto:bob@example.com\r\n\
         ATTENDEE;RSVP=TRUE;PARTSTAT=NEEDS-ACTION;ROLE=REQ-PARTICIPANT:mailto:carol@example.org\r\n\
         RRULE:FREQ=WEEKLY;COUNT=10\r\n{master_extra}\
         DTSTART;TZID=Europe/Paris:20250310T100000\r\nDTEND;TZID=Europe/Paris:20250310T110000\r\n\
         SEQUENCE:0\r\nEND:VEVENT\r\n{override_block}END:VCALENDAR\r\n"
    )
}

fn tb_override(attendees: &str, start: &str, end: &str, seq: u32) -> String {
    format!(
        "BEGIN:VEVENT\r\nCREATED:20250301T080000Z\r\nLAST-MODIFIED:20250301T080000Z\r\nDTSTAMP:20250301T080000Z\r\n\
         UID:tb-weekly-1\r\nSUMMARY:Weekly sync\r\nORGANIZER;CN=Alice:mailto:alice@example.com\r\n{attendees}\
         RECURRENCE-ID;TZID=Europe/Paris:20250317T100000\r\nDTSTART;TZID=Europe/Paris:{start}\r\n\
         DTEND;TZID=Europe/Paris:{end}\r\nSEQUENCE:{seq}\r\nEND:VEVENT\r\n"
    )
}

const TB_BOB: &str = "ATTENDEE;RSVP=TRUE;PARTSTAT=ACCEPTED;ROLE=REQ-PARTICIPANT:mailto:bob@example.com\r\n";
const TB_CAROL: &str = "ATTENDEE;RSVP=TRUE;PARTSTAT=NEEDS-ACTION;ROLE=REQ-PARTICIPANT:mailto:carol@example.org\r\n";

// ---- reading helpers -------------------------------------------------------

fn root(text: &str) -> Node {
    parse(text).unwrap_or_else(|| panic!("does not parse:\n{text}"))
}

/// The VEVENT/VTODO components of a text.
fn comps(text: &str) -> Vec<Node> {
    root(text).children.into_iter().filter(|c| c.name == "VEVENT" || c.name == "VTODO").collect()
}

/// The component with this RECURRENCE-ID value (None: master).
fn comp(text: &str, rid: Option<&str>) -> Node {
    comps(text)
        .into_iter()
        .find(|c| c.props("RECURRENCE-ID").next().map(|l| l.value.as_str()) == rid)
        .unwrap_or_else(|| panic!("no component {rid:?} in\n{text}"))
}

fn val(n: &Node, name: &str) -> Option<String> {
    n.props(name).next().map(|l| l.value.clone())
}

fn att<'a>(n: &'a Node, addr: &str) -> &'a Line {
    n.props("ATTENDEE").find(|l| normalise_address(&l.value) == addr).unwrap_or_else(|| panic!("no {addr}"))
}

fn has_att(n: &Node, addr: &str) -> bool {
    n.props("ATTENDEE").any(|l| normalise_address(&l.value) == addr)
}

fn param(l: &Line, name: &str) -> Option<String> {
    l.params.iter().find(|(n, _)| n == name).map(|(_, v)| v.join(","))
}

fn to<'a>(msgs: &'a [Outgoing], who: &str, method: Method) -> &'a Outgoing {
    msgs.iter().find(|m| m.recipient == who && m.method == method).unwrap_or_else(|| {
        panic!("no {method:?} to {who} in {:?}", msgs.iter().map(|m| (&m.recipient, m.method)).collect::<Vec<_>>())
    })
}

fn recipients(msgs: &[Outgoing], method: Method) -> Vec<String> {
    let mut r: Vec<String> = msgs.iter().filter(|m| m.method == method).map(|m| m.recipient.clone()).collect();
    r.sort();
    r
}

/// Checks the framing every outgoing message must have.
fn assert_well_formed(m: &Outgoing) {
    let r = root(&m.text);
    assert_eq!(val_root(&r, "METHOD").as_deref(), Some(m.method.as_str()));
    assert_eq!(val_root(&r, "VERSION").as_deref(), Some("2.0"));
    assert_eq!(val_root(&r, "PRODID").as_deref(), Some("-//Agora//Agora//EN"));
    assert!(m.text.ends_with("END:VCALENDAR\r\n"));
    assert!(!m.text.replace("\r\n", "").contains('\n'), "bare LF in\n{}", m.text);
    assert!(m.text.split("\r\n").all(|l| l.len() <= 75), "unfolded line in\n{}", m.text);
    for c in comps(&m.text) {
        assert!(c.comps("VALARM").next().is_none(), "VALARM sent");
        assert_eq!(val(&c, "DTSTAMP").as_deref(), Some(NOW_TEXT));
        for l in c.props("ATTENDEE").chain(c.props("ORGANIZER")) {
            assert!(!l.params.iter().any(|(n, _)| n.starts_with("SCHEDULE-")), "SCHEDULE-* param sent: {l:?}");
        }
    }
}

fn val_root(r: &Node, name: &str) -> Option<String> {
    r.props(name).next().map(|l| l.value.clone())
}

/// Sets a parameter on `addr`'s ATTENDEE line in the component with this RECURRENCE-ID.
fn set_param_in(text: &str, rid: Option<&str>, addr: &str, name: &str, value: &str) -> String {
    let mut r = root(text);
    for c in r.children.iter_mut().filter(|c| c.name == "VEVENT" || c.name == "VTODO") {
        if c.props("RECURRENCE-ID").next().map(|l| l.value.as_str()) != rid {
            continue;
        }
        for l in c.lines.iter_mut().filter(|l| l.name == "ATTENDEE" && normalise_address(&l.value) == addr) {
            match l.params.iter_mut().find(|(n, _)| n == name) {
                Some((_, v)) => *v = vec![value.to_owned()],
                None => l.params.push((name.to_owned(), vec![value.to_owned()])),
            }
        }
    }
    agora_ical::content::serialize(&r)
}

// ---- scheduling() and small API ---------------------------------------------

#[test]
fn scheduling_summarises_an_apple_event() {
    let s = scheduling(&apple_event("20250310T100000", "20250310T110000", 3, "NEEDS-ACTION")).unwrap();
    assert_eq!(s.uid, "8A1C6C6E-93B4-4C1A-9C4E-4C2F1E2D0001");
    assert_eq!(s.organizer, ALICE);
    assert_eq!(s.organizer_agent, Agent::Server);
    assert_eq!(s.organizer_cn.as_deref(), Some("Alice Martin"));
    assert_eq!(s.summary.as_deref(), Some("Planning, Q2"));
    assert_eq!(s.sequence, 3);
    let addrs: Vec<&str> = s.attendees.iter().map(|a| a.address.as_str()).collect();
    assert_eq!(addrs, [ALICE, BOB, CAROL]);
    assert_eq!(s.attendees[1].partstat, "NEEDS-ACTION");
    assert_eq!(s.attendees[1].cutype, "INDIVIDUAL");
    assert_eq!(s.attendees[1].cn.as_deref(), Some("Bob"));
}

#[test]
fn scheduling_unions_attendees_over_overrides_and_takes_the_highest_sequence() {
    let dave = "ATTENDEE;PARTSTAT=TENTATIVE;CUTYPE=room;SCHEDULE-AGENT=CLIENT:mailto:dave@example.net\r\n";
    let text =
        thunderbird_series("", &tb_override(&format!("{TB_BOB}{dave}"), "20250317T140000", "20250317T150000", 4));
    let s = scheduling(&text).unwrap();
    let addrs: Vec<&str> = s.attendees.iter().map(|a| a.address.as_str()).collect();
    assert_eq!(addrs, [BOB, CAROL, DAVE]);
    assert_eq!(s.attendees[2].cutype, "ROOM");
    assert_eq!(s.attendees[2].agent, Agent::Client);
    assert_eq!(s.attendees[2].partstat, "TENTATIVE");
    assert_eq!(s.sequence, 4);
}

#[test]
fn scheduling_is_none_without_organizer_or_for_journals() {
    let plain = apple_event("20250310T100000", "20250310T110000", 0, "ACCEPTED")
        .replace("ORGANIZER;CN=\"Alice Martin\";EMAIL=alice@example.com:mailto:alice@example.com\r\n", "");
    assert_eq!(scheduling(&plain), None);
    let journal = "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nBEGIN:VJOURNAL\r\nUID:j\r\n\
                   ORGANIZER:mailto:alice@example.com\r\nEND:VJOURNAL\r\nEND:VCALENDAR\r\n";
    assert_eq!(scheduling(journal), None);
    assert_eq!(scheduling("not ical"), None);
    let todo = "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nBEGIN:VTODO\r\nUID:t\r\n\
                ORGANIZER;SCHEDULE-AGENT=CLIENT:MAILTO:Alice@Example.com\r\nEND:VTODO\r\nEND:VCALENDAR\r\n";
    let s = scheduling(todo).unwrap();
    assert_eq!((s.organizer.as_str(), s.organizer_agent), (ALICE, Agent::Client));
}

#[test]
fn addresses_and_methods() {
    assert_eq!(normalise_address(" MailTo:Bob@Example.COM"), BOB);
    assert_eq!(normalise_address("HTTPS://dav.example/Principals/Bob/"), "https://dav.example/Principals/Bob/");
    assert_eq!(normalise_address("urn:uuid:6F1C-AB"), "urn:uuid:6F1C-AB");
    for m in [
        Method::Request,
        Method::Reply,
        Method::Cancel,
        Method::Add,
        Method::Refresh,
        Method::Counter,
        Method::DeclineCounter,
        Method::Publish,
    ] {
        assert_eq!(Method::parse(m.as_str()), Some(m));
    }
    assert_eq!(Method::parse(" request "), Some(Method::Request));
    assert_eq!(Method::parse("INVITE"), None);
    assert_eq!(Agent::default(), Agent::Server);
    assert!(ItipError::Stale.to_string().contains("older"));
}

// ---- organizer_messages -----------------------------------------------------

fn apple_v1() -> String {
    apple_event("20250310T100000", "20250310T110000", 0, "NEEDS-ACTION")
}

#[test]
fn creation_invites_every_attendee_but_the_organizer() {
    let out = organizer_messages(None, Some(&apple_v1()), NOW);
    assert_eq!(out.stored, None, "nothing to change in a fresh Apple body");
    assert_eq!(recipients(&out.messages, Method::Request), [BOB, CAROL]);
    assert_eq!(out.messages.len(), 2);
    let m = to(&out.messages, BOB, Method::Request);
    assert_well_formed(m);
    let r = root(&m.text);
    assert_eq!(r.comps("VTIMEZONE").count(), 1, "the VTIMEZONE DTSTART refers to travels along");
    let ev = comp(&m.text, None);
    assert_eq!(val(&ev, "SUMMARY").as_deref(), Some("Planning\\, Q2"));
    assert_eq!(val(&ev, "SEQUENCE").as_deref(), Some("0"));
    assert_eq!(ev.props("ATTENDEE").count(), 3, "a REQUEST lists everyone");
    assert_eq!(val(&ev, "X-APPLE-TRAVEL-ADVISORY-BEHAVIOR").as_deref(), Some("AUTOMATIC"));
}

#[test]
fn client_scheduled_attendees_and_organizers_get_nothing() {
    let text = apple_v1().replace("ATTENDEE;CN=Carol;", "ATTENDEE;CN=Carol;SCHEDULE-AGENT=CLIENT;");
    let out = organizer_messages(None, Some(&text), NOW);
    assert_eq!(recipients(&out.messages, Method::Request), [BOB]);

    let none = apple_v1().replace("ORGANIZER;CN=", "ORGANIZER;SCHEDULE-AGENT=NONE;CN=");
    let out = organizer_messages(None, Some(&none), NOW);
    assert!(out.messages.is_empty());
    assert_eq!(out.stored, None);
    let client = apple_v1().replace("ORGANIZER;CN=", "ORGANIZER;SCHEDULE-AGENT=CLIENT;CN=");
    let moved = client.replace("20250310T100000", "20250311T100000");
    let out = organizer_messages(Some(&client), Some(&moved), NOW);
    assert!(out.messages.is_empty() && out.stored.is_none(), "the client schedules: the server stays out");
    assert!(organizer_messages(Some(&client), None, NOW).messages.is_empty());
}

#[test]
fn stale_partstats_from_the_organizers_client_are_kept_from_the_stored_copy() {
    // Stored: Bob accepted via a REPLY the server applied.
    let stored = apple_event("20250310T100000", "20250310T110000", 0, "ACCEPTED;SCHEDULE-STATUS=2.0");
    // The organizer's client edits an alarm from an old copy where Bob had not answered.
    let put = apple_v1().replace("TRIGGER:-PT15M", "TRIGGER:-PT30M");
    let out = organizer_messages(Some(&stored), Some(&put), NOW);
    assert!(out.messages.is_empty(), "an alarm change is nobody's business");
    let kept = out.stored.expect("the server restores Bob's answer");
    let bob = att(&comp(&kept, None), BOB).clone();
    assert_eq!(param(&bob, "PARTSTAT").as_deref(), Some("ACCEPTED"));
    assert_eq!(param(&bob, "SCHEDULE-STATUS").as_deref(), Some("2.0"));
    assert!(kept.contains("TRIGGER:-PT30M"), "the client's own change stays");
}

#[test]
fn nothing_changed_means_nothing_stored_and_nothing_sent() {
    let v1 = apple_v1();
    let touched = v1
        .replace("DTSTAMP:20250301T080000Z", "DTSTAMP:20250305T080000Z")
        .replace("LAST-MODIFIED:20250301T080000Z", "LAST-MODIFIED:20250305T080000Z\r\nX-MOZ-GENERATION:3");
    let out = organizer_messages(Some(&v1), Some(&touched), NOW);
    assert_eq!(out, agora_ical::itip::OrganizerOutcome { stored: None, messages: vec![] });
}

#[test]
fn a_reschedule_raises_sequence_and_resets_answers() {
    let stored = apple_event("20250310T100000", "20250310T110000", 0, "ACCEPTED;SCHEDULE-STATUS=2.0");
    // Thunderbird-style: moves the event, leaves SEQUENCE and PARTSTATs alone.
    let put = apple_event("20250311T140000", "20250311T150000", 0, "ACCEPTED");
    let out = organizer_messages(Some(&stored), Some(&put), NOW);
    let text = out.stored.expect("SEQUENCE and PARTSTATs change");
    let ev = comp(&text, None);
    assert_eq!(val(&ev, "SEQUENCE").as_deref(), Some("1"));
    assert_eq!(param(att(&ev, BOB), "PARTSTAT").as_deref(), Some("NEEDS-ACTION"));
    assert_eq!(param(att(&ev, BOB), "RSVP").as_deref(), Some("TRUE"));
    assert_eq!(param(att(&ev, ALICE), "PARTSTAT").as_deref(), Some("ACCEPTED"), "the organizer keeps hers");
    assert_eq!(recipients(&out.messages, Method::Request), [BOB, CAROL]);
    let sent = comp(&to(&out.messages, BOB, Method::Request).text, None);
    assert_eq!(val(&sent, "SEQUENCE").as_deref(), Some("1"));
    assert_eq!(val(&sent, "DTSTART").as_deref(), Some("20250311T140000"));
    assert_eq!(param(att(&sent, BOB), "PARTSTAT").as_deref(), Some("NEEDS-ACTION"));
}

#[test]
fn a_sequence_the_client_raised_itself_is_left_alone() {
    let stored = apple_v1();
    let put = apple_event("20250311T140000", "20250311T150000", 5, "NEEDS-ACTION");
    let out = organizer_messages(Some(&stored), Some(&put), NOW);
    assert_eq!(out.stored, None, "SEQUENCE raised and answers already reset by the client");
    assert_eq!(out.messages.len(), 2);
    assert_eq!(val(&comp(&to(&out.messages, CAROL, Method::Request).text, None), "SEQUENCE").as_deref(), Some("5"));
}

#[test]
fn a_new_summary_is_sent_without_raising_sequence() {
    let stored = apple_event("20250310T100000", "20250310T110000", 2, "ACCEPTED");
    let put = stored.replace("SUMMARY:Planning\\, Q2", "SUMMARY:Planning\\, Q2 (room 4)");
    let out = organizer_messages(Some(&stored), Some(&put), NOW);
    assert_eq!(out.stored, None);
    assert_eq!(recipients(&out.messages, Method::Request), [BOB, CAROL]);
    let sent = comp(&to(&out.messages, BOB, Method::Request).text, None);
    assert_eq!(val(&sent, "SEQUENCE").as_deref(), Some("2"));
    assert_eq!(param(att(&sent, BOB), "PARTSTAT").as_deref(), Some("ACCEPTED"), "a title change keeps answers");
}

#[test]
fn adding_and_removing_attendees() {
    let stored = apple_v1();
    let dave = "ATTENDEE;CN=Dave;PARTSTAT=NEEDS-ACTION;RSVP=TRUE:mailto:dave@example.net\r\n";
    let put = stored.replace(
        "ATTENDEE;CN=Carol;CUTYPE=INDIVIDUAL;PARTSTAT=NEEDS-ACTION;RSVP=TRUE:mailto:carol@example.org\r\n",
        dave,
    );
    let out = organizer_messages(Some(&stored), Some(&put), NOW);
    assert_eq!(recipients(&out.messages, Method::Request), [BOB, DAVE], "the list of attendees changed for Bob too");
    assert_eq!(recipients(&out.messages, Method::Cancel), [CAROL]);
    let cancel = to(&out.messages, CAROL, Method::Cancel);
    assert_well_formed(cancel);
    let c = comp(&cancel.text, None);
    assert_eq!(val(&c, "STATUS").as_deref(), Some("CANCELLED"));
    assert_eq!(val(&c, "SEQUENCE").as_deref(), Some("1"), "a CANCEL supersedes what Carol has");
    assert_eq!(val(&c, "UID").as_deref(), Some("8A1C6C6E-93B4-4C1A-9C4E-4C2F1E2D0001"));
    assert!(has_att(&c, CAROL) && !has_att(&c, BOB), "a removal CANCEL names the removed attendee");
}

#[test]
fn force_send_requests_to_one_attendee_and_is_not_stored() {
    let stored = apple_v1();
    let put = stored.replace("RSVP=TRUE:mailto:carol@", "RSVP=TRUE;SCHEDULE-FORCE-SEND=REQUEST:mailto:carol@");
    let out = organizer_messages(Some(&stored), Some(&put), NOW);
    assert_eq!(recipients(&out.messages, Method::Request), [CAROL]);
    assert_eq!(out.messages.len(), 1);
    let text = out.stored.expect("SCHEDULE-FORCE-SEND is removed");
    assert!(!text.contains("SCHEDULE-FORCE-SEND"));
    assert_eq!(text, stored.pipe_fold(), "nothing else changed");
}

/// Folding-insensitive comparison helper: both sides re-serialised.
trait PipeFold {
    fn pipe_fold(&self) -> String;
}
impl PipeFold for String {
    fn pipe_fold(&self) -> String {
        agora_ical::content::serialize(&root(self))
    }
}

#[test]
fn deleting_the_event_cancels_it_for_everyone() {
    let stored = apple_v1().replace("ATTENDEE;CN=Carol;", "ATTENDEE;CN=Carol;SCHEDULE-AGENT=CLIENT;");
    let out = organizer_messages(Some(&stored), None, NOW);
    assert_eq!(out.stored, None);
    assert_eq!(recipients(&out.messages, Method::Cancel), [BOB]);
    let m = to(&out.messages, BOB, Method::Cancel);
    assert_well_formed(m);
    let c = comp(&m.text, None);
    assert_eq!(val(&c, "STATUS").as_deref(), Some("CANCELLED"));
    assert_eq!(val(&c, "SEQUENCE").as_deref(), Some("1"));
    assert!(organizer_messages(None, None, NOW).messages.is_empty());
}

#[test]
fn cancelling_the_master_cancels_for_everyone_once() {
    let stored = apple_v1();
    let put = stored.replace("SEQUENCE:0\r\n", "SEQUENCE:0\r\nSTATUS:CANCELLED\r\n");
    let out = organizer_messages(Some(&stored), Some(&put), NOW);
    assert_eq!(recipients(&out.messages, Method::Cancel), [BOB, CAROL]);
    assert!(recipients(&out.messages, Method::Request).is_empty());
    let text = out.stored.expect("SEQUENCE raised for the status change");
    assert_eq!(val(&comp(&text, None), "SEQUENCE").as_deref(), Some("1"));
    let sent = comp(&to(&out.messages, CAROL, Method::Cancel).text, None);
    assert_eq!(val(&sent, "SEQUENCE").as_deref(), Some("1"));
    // Saving the cancelled event again says nothing new.
    let again = organizer_messages(Some(&text), Some(&text.replace("Planning", "Old planning")), NOW);
    assert!(again.messages.is_empty());
}

// ---- recurring series ----------------------------------------------------------

#[test]
fn moving_one_instance_sends_the_override_and_keeps_answers_elsewhere() {
    let stored = thunderbird_series("", "");
    let moved = tb_override(&format!("{TB_BOB}{TB_CAROL}"), "20250317T140000", "20250317T150000", 0);
    let put = thunderbird_series("", &moved);
    let out = organizer_messages(Some(&stored), Some(&put), NOW);
    let text = out.stored.expect("the override's SEQUENCE and answers change");
    let over = comp(&text, Some("20250317T100000"));
    assert_eq!(val(&over, "SEQUENCE").as_deref(), Some("1"));
    assert_eq!(param(att(&over, BOB), "PARTSTAT").as_deref(), Some("NEEDS-ACTION"));
    let master = comp(&text, None);
    assert_eq!(val(&master, "SEQUENCE").as_deref(), Some("0"), "the series itself did not move");
    assert_eq!(param(att(&master, BOB), "PARTSTAT").as_deref(), Some("ACCEPTED"));
    assert_eq!(recipients(&out.messages, Method::Request), [BOB, CAROL]);
    let sent = &to(&out.messages, BOB, Method::Request).text;
    assert_eq!(comps(sent).len(), 2, "master and override");
    assert_eq!(val(&comp(sent, Some("20250317T100000")), "DTSTART").as_deref(), Some("20250317T140000"));
    assert!(recipients(&out.messages, Method::Cancel).is_empty());
}

#[test]
fn adding_an_instance_sends_add_with_only_that_instance() {
    let stored = thunderbird_series("", "");
    let put = thunderbird_series("RDATE;TZID=Europe/Paris:20250321T160000\r\n", "");
    let out = organizer_messages(Some(&stored), Some(&put), NOW);
    assert_eq!(recipients(&out.messages, Method::Add), [BOB, CAROL]);
    assert!(recipients(&out.messages, Method::Request).is_empty(), "{:?}", out.messages);
    let add = to(&out.messages, BOB, Method::Add);
    assert_well_formed(add);
    let sent = comps(&add.text);
    assert_eq!(sent.len(), 1, "only the new instance:\n{}", add.text);
    let inst = &sent[0];
    assert_eq!(val(inst, "DTSTART").as_deref(), Some("20250321T160000"));
    assert_eq!(val(inst, "DTEND").as_deref(), Some("20250321T170000"), "the series' length");
    assert!(val(inst, "RECURRENCE-ID").is_none() && val(inst, "RRULE").is_none() && val(inst, "RDATE").is_none());
    assert_eq!(val(inst, "SEQUENCE").as_deref(), Some("1"), "RDATE raises SEQUENCE");
    assert_eq!(param(att(inst, BOB), "PARTSTAT").as_deref(), Some("NEEDS-ACTION"), "not answered yet");
    assert!(add.text.contains("BEGIN:VTIMEZONE"), "the zone it uses travels with it");
    let fallback = add.fallback.as_deref().expect("a full REQUEST for mail recipients");
    assert!(fallback.contains("METHOD:REQUEST") && fallback.contains("RRULE:FREQ=WEEKLY"));
    assert!(fallback.contains("RDATE;TZID=Europe/Paris:20250321T160000"));
    // The answers to the rest of the series stand.
    let text = out.stored.expect("SEQUENCE raised");
    let master = comp(&text, None);
    assert_eq!(val(&master, "SEQUENCE").as_deref(), Some("1"));
    assert_eq!(param(att(&master, BOB), "PARTSTAT").as_deref(), Some("ACCEPTED"));

    // Bob's copy takes the ADD: an RDATE and the instance as an override.
    let copy = attendee_copy(&request_for(None, &stored, BOB), None, BOB).unwrap();
    let updated = apply_add(&add.text, &copy).unwrap();
    let m = comp(&updated, None);
    assert!(m.props("RDATE").any(|l| l.value == "20250321T160000"), "{updated}");
    assert_eq!(val(&m, "SEQUENCE").as_deref(), Some("1"));
    assert_eq!(param(att(&m, BOB), "PARTSTAT").as_deref(), Some("ACCEPTED"), "the series answer is kept");
    let over = comp(&updated, Some("20250321T160000"));
    assert_eq!(val(&over, "DTSTART").as_deref(), Some("20250321T160000"));
    assert_eq!(param(att(&over, BOB), "PARTSTAT").as_deref(), Some("NEEDS-ACTION"));
    // Applying it twice changes nothing more; an older ADD is stale.
    assert_eq!(apply_add(&add.text, &updated).unwrap(), updated);
    let old_add = add.text.replace("SEQUENCE:1", "SEQUENCE:0");
    let newer = updated.replace("SEQUENCE:1", "SEQUENCE:2");
    assert_eq!(apply_add(&old_add, &newer), Err(ItipError::Stale));
    // Without the series there is nothing to add to.
    let single = apple_event("20250312T100000", "20250312T110000", 0, "ACCEPTED")
        .replace("UID:8A1C6C6E-93B4-4C1A-9C4E-4C2F1E2D0001", "UID:tb-weekly-1");
    assert!(apply_add(&add.text, &single).is_ok(), "a single event with the UID is a master");
    let override_only = tb_override(TB_BOB, "20250317T140000", "20250317T150000", 1);
    let override_only = format!("BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:x\r\n{override_only}END:VCALENDAR\r\n");
    assert!(matches!(apply_add(&add.text, &override_only), Err(ItipError::NoMatch(_))));
}

#[test]
fn adding_an_instance_with_other_changes_is_a_request() {
    let stored = thunderbird_series("", "");
    let put = thunderbird_series("RDATE;TZID=Europe/Paris:20250321T160000\r\nLOCATION:Room 2\r\n", "");
    let out = organizer_messages(Some(&stored), Some(&put), NOW);
    assert!(recipients(&out.messages, Method::Add).is_empty());
    assert_eq!(recipients(&out.messages, Method::Request), [BOB, CAROL]);
    // An instance added and another excluded: a REQUEST too.
    let put = thunderbird_series(
        "RDATE;TZID=Europe/Paris:20250321T160000\r\nEXDATE;TZID=Europe/Paris:20250324T100000\r\n",
        "",
    );
    let out = organizer_messages(Some(&stored), Some(&put), NOW);
    assert!(recipients(&out.messages, Method::Add).is_empty());
    // A new attendee on the series needs all of it.
    let dave = "ATTENDEE;PARTSTAT=NEEDS-ACTION;RSVP=TRUE:mailto:dave@example.net\r\n";
    let put = thunderbird_series(&format!("RDATE;TZID=Europe/Paris:20250321T160000\r\n{dave}"), "");
    let out = organizer_messages(Some(&stored), Some(&put), NOW);
    assert!(recipients(&out.messages, Method::Add).is_empty());
    assert!(recipients(&out.messages, Method::Request).contains(&DAVE.to_owned()));
}

#[test]
fn an_override_created_for_an_alarm_only_is_not_news() {
    let stored = thunderbird_series("", "");
    let same = tb_override(&format!("{TB_BOB}{TB_CAROL}"), "20250317T100000", "20250317T110000", 0)
        .replace("END:VEVENT", "BEGIN:VALARM\r\nACTION:DISPLAY\r\nTRIGGER:-PT5M\r\nEND:VALARM\r\nEND:VEVENT");
    let out = organizer_messages(Some(&stored), Some(&thunderbird_series("", &same)), NOW);
    assert!(out.messages.is_empty(), "{:?}", out.messages);
    assert_eq!(out.stored, None);
}

#[test]
fn cancelling_one_instance_with_an_exdate() {
    let over = tb_override(&format!("{TB_BOB}{TB_CAROL}"), "20250317T140000", "20250317T150000", 1);
    let stored = thunderbird_series("", &over);
    // The organizer deletes the moved instance: the override goes, an EXDATE comes.
    let put = thunderbird_series("EXDATE;TZID=Europe/Paris:20250317T100000\r\n", "");
    let out = organizer_messages(Some(&stored), Some(&put), NOW);
    assert_eq!(recipients(&out.messages, Method::Cancel), [BOB, CAROL]);
    let cancel = to(&out.messages, BOB, Method::Cancel);
    assert_well_formed(cancel);
    let c = comp(&cancel.text, Some("20250317T100000"));
    assert_eq!(val(&c, "STATUS").as_deref(), Some("CANCELLED"));
    assert_eq!(val(&c, "SEQUENCE").as_deref(), Some("2"));
    assert_eq!(comps(&cancel.text).len(), 1, "only that instance");
    let req = &to(&out.messages, BOB, Method::Request).text;
    assert!(comp(req, None).props("EXDATE").any(|l| l.value == "20250317T100000"));
    let text = out.stored.expect("EXDATE raises the master's SEQUENCE");
    let master = comp(&text, None);
    assert_eq!(val(&master, "SEQUENCE").as_deref(), Some("1"));
    assert_eq!(
        param(att(&master, BOB), "PARTSTAT").as_deref(),
        Some("ACCEPTED"),
        "excluding an instance keeps answers"
    );
}

#[test]
fn excluding_an_instance_without_override_updates_the_series() {
    let stored = thunderbird_series("", "");
    let put = thunderbird_series("EXDATE;TZID=Europe/Paris:20250324T100000\r\n", "");
    let out = organizer_messages(Some(&stored), Some(&put), NOW);
    assert_eq!(recipients(&out.messages, Method::Request), [BOB, CAROL]);
    assert!(recipients(&out.messages, Method::Cancel).is_empty());
    let sent = comp(&to(&out.messages, CAROL, Method::Request).text, None);
    assert_eq!(val(&sent, "SEQUENCE").as_deref(), Some("1"));
    assert_eq!(val(&sent, "EXDATE").as_deref(), Some("20250324T100000"));
}

#[test]
fn an_attendee_dropped_from_one_instance_gets_an_exdate_and_a_cancel() {
    let both = tb_override(&format!("{TB_BOB}{TB_CAROL}"), "20250317T140000", "20250317T150000", 1);
    let stored = thunderbird_series("", &both);
    let bob_only = tb_override(TB_BOB, "20250317T140000", "20250317T150000", 1);
    let out = organizer_messages(Some(&stored), Some(&thunderbird_series("", &bob_only)), NOW);
    let cancel = to(&out.messages, CAROL, Method::Cancel);
    let c = comp(&cancel.text, Some("20250317T100000"));
    assert_eq!(val(&c, "STATUS").as_deref(), Some("CANCELLED"));
    assert_eq!(val(&c, "SEQUENCE").as_deref(), Some("2"));
    let req = &to(&out.messages, CAROL, Method::Request).text;
    assert_eq!(comps(req).len(), 1, "Carol gets the series only");
    assert!(comp(req, None).props("EXDATE").any(|l| l.value == "20250317T100000"), "without Bob's instance");
    let bob_req = &to(&out.messages, BOB, Method::Request).text;
    assert_eq!(comps(bob_req).len(), 2, "Bob is told the instance's attendees changed");
    assert!(!out.messages.iter().any(|m| m.recipient == BOB && m.method == Method::Cancel));
}

#[test]
fn an_attendee_invited_to_one_instance_gets_only_that_instance() {
    let stored = thunderbird_series("", "");
    let dave = "ATTENDEE;PARTSTAT=NEEDS-ACTION;RSVP=TRUE:mailto:dave@example.net\r\n";
    let over = tb_override(&format!("{TB_BOB}{TB_CAROL}{dave}"), "20250317T100000", "20250317T110000", 0);
    let out = organizer_messages(Some(&stored), Some(&thunderbird_series("", &over)), NOW);
    let req = &to(&out.messages, DAVE, Method::Request).text;
    let cs = comps(req);
    assert_eq!(cs.len(), 1);
    assert_eq!(val(&cs[0], "RECURRENCE-ID").as_deref(), Some("20250317T100000"));
    assert!(val(&cs[0], "RRULE").is_none());
    assert_eq!(root(req).comps("VTIMEZONE").count(), 1);
}

// ---- parse_message -----------------------------------------------------------

#[test]
fn parse_message_reads_an_outgoing_request() {
    let out = organizer_messages(
        None,
        Some(&thunderbird_series(
            "",
            &tb_override(&format!("{TB_BOB}{TB_CAROL}"), "20250317T140000", "20250317T150000", 2),
        )),
        NOW,
    );
    let m = parse_message(&to(&out.messages, BOB, Method::Request).text).unwrap();
    assert_eq!(m.method, Method::Request);
    assert_eq!(m.uid, "tb-weekly-1");
    assert_eq!(m.organizer.as_deref(), Some(ALICE));
    assert_eq!(m.sequence, 2);
    assert_eq!(m.recurrence_ids, ["20250317T100000"]);
    assert_eq!(m.attendees.iter().map(|a| a.address.as_str()).collect::<Vec<_>>(), [BOB, CAROL]);
}

#[test]
fn parse_message_rejects_what_is_not_itip() {
    let no_method = apple_v1();
    assert!(matches!(parse_message(&no_method), Err(ItipError::Malformed(_))));
    let two_uids = "BEGIN:VCALENDAR\r\nMETHOD:REQUEST\r\nBEGIN:VEVENT\r\nUID:a\r\nEND:VEVENT\r\n\
                    BEGIN:VEVENT\r\nUID:b\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n";
    assert!(matches!(parse_message(two_uids), Err(ItipError::Malformed(_))));
    let empty = "BEGIN:VCALENDAR\r\nMETHOD:PUBLISH\r\nEND:VCALENDAR\r\n";
    assert!(matches!(parse_message(empty), Err(ItipError::Malformed(_))));
    assert!(matches!(parse_message("garbage"), Err(ItipError::Malformed(_))));
    let fb = "BEGIN:VCALENDAR\r\nMETHOD:REQUEST\r\nBEGIN:VFREEBUSY\r\nUID:fb1\r\n\
              ORGANIZER:mailto:alice@example.com\r\nATTENDEE:mailto:bob@example.com\r\nEND:VFREEBUSY\r\nEND:VCALENDAR\r\n";
    let m = parse_message(fb).unwrap();
    assert_eq!((m.uid.as_str(), m.attendees.len()), ("fb1", 1));
}

// ---- attendee_copy and apply_cancel --------------------------------------------

fn request_for(stored: Option<&str>, put: &str, who: &str) -> String {
    let out = organizer_messages(stored, Some(put), NOW);
    to(&out.messages, who, Method::Request).text.clone()
}

/// Bob's copy after his client accepted and added his own alarm and TRANSP.
fn bob_accepts(copy: &str) -> String {
    set_partstat(copy, BOB, "ACCEPTED").replace(
        "END:VEVENT",
        "TRANSP:TRANSPARENT\r\nBEGIN:VALARM\r\nACTION:AUDIO\r\nTRIGGER:-PT1H\r\nEND:VALARM\r\nEND:VEVENT",
    )
}

#[test]
fn a_first_request_becomes_the_attendees_copy() {
    let req = request_for(None, &apple_v1(), BOB);
    let copy = attendee_copy(&req, None, BOB).unwrap();
    assert!(!copy.contains("METHOD:"), "a stored object has no METHOD (RFC 4791 §4.1)");
    assert_eq!(root(&copy).comps("VTIMEZONE").count(), 1);
    assert_eq!(val(&comp(&copy, None), "DTSTART").as_deref(), Some("20250310T100000"));
    assert!(matches!(attendee_copy(&req, None, DAVE), Err(ItipError::NoMatch(_))));
    let cancel = req.replace("METHOD:REQUEST", "METHOD:CANCEL");
    assert!(matches!(attendee_copy(&cancel, None, BOB), Err(ItipError::Malformed(_))));
}

#[test]
fn an_update_keeps_the_attendees_answer_alarms_and_transparency() {
    let v1 = apple_v1();
    let copy = bob_accepts(&attendee_copy(&request_for(None, &v1, BOB), None, BOB).unwrap());
    assert_eq!(param(att(&comp(&copy, None), BOB), "PARTSTAT").as_deref(), Some("ACCEPTED"));
    // The organizer renames the event: Bob's answer, alarm and TRANSP stay.
    let v2 = v1.replace("SUMMARY:Planning\\, Q2", "SUMMARY:Planning Q2");
    let updated = attendee_copy(&request_for(Some(&v1), &v2, BOB), Some(&copy), BOB).unwrap();
    let ev = comp(&updated, None);
    assert_eq!(val(&ev, "SUMMARY").as_deref(), Some("Planning Q2"));
    assert_eq!(param(att(&ev, BOB), "PARTSTAT").as_deref(), Some("ACCEPTED"));
    assert_eq!(val(&ev, "TRANSP").as_deref(), Some("TRANSPARENT"));
    let alarm = ev.comps("VALARM").next().expect("Bob's alarm");
    assert_eq!(val(alarm, "TRIGGER").as_deref(), Some("-PT1H"));
    // The organizer moves it: Bob has to answer again, his alarm stays.
    let v3 = v2.replace("20250310T100000", "20250312T100000").replace("20250310T110000", "20250312T110000");
    let moved = attendee_copy(&request_for(Some(&v2), &v3, BOB), Some(&updated), BOB).unwrap();
    let ev = comp(&moved, None);
    assert_eq!(param(att(&ev, BOB), "PARTSTAT").as_deref(), Some("NEEDS-ACTION"));
    assert_eq!(ev.comps("VALARM").count(), 1);
    assert_eq!(val(&ev, "SEQUENCE").as_deref(), Some("1"));
}

#[test]
fn an_override_only_request_is_merged_into_the_series() {
    let series = thunderbird_series("", "");
    let copy = attendee_copy(&request_for(None, &series, CAROL), None, CAROL).unwrap();
    // Dave is added to one instance only: a request holding just that override, as
    // another organizer server (or e-mail) might send it to Carol.
    let over = tb_override(TB_CAROL, "20250317T160000", "20250317T170000", 1);
    let req = format!("BEGIN:VCALENDAR\r\nVERSION:2.0\r\nMETHOD:REQUEST\r\nPRODID:x\r\n{PARIS}{over}END:VCALENDAR\r\n");
    let merged = attendee_copy(&req, Some(&copy), CAROL).unwrap();
    assert_eq!(comps(&merged).len(), 2);
    assert_eq!(val(&comp(&merged, None), "RRULE").as_deref(), Some("FREQ=WEEKLY;COUNT=10"));
    assert_eq!(val(&comp(&merged, Some("20250317T100000")), "DTSTART").as_deref(), Some("20250317T160000"));
    assert_eq!(root(&merged).comps("VTIMEZONE").count(), 1, "no duplicate VTIMEZONE");
    let other = req.replace("UID:tb-weekly-1", "UID:other");
    assert!(matches!(attendee_copy(&other, Some(&copy), CAROL), Err(ItipError::NoMatch(_))));
}

#[test]
fn cancels_applied_to_the_attendees_copy() {
    let stored =
        thunderbird_series("", &tb_override(&format!("{TB_BOB}{TB_CAROL}"), "20250317T140000", "20250317T150000", 1));
    let copy = attendee_copy(&request_for(None, &stored, BOB), None, BOB).unwrap();
    // Whole event.
    let all = organizer_messages(Some(&stored), None, NOW);
    let cancelled = apply_cancel(&to(&all.messages, BOB, Method::Cancel).text, &copy).unwrap();
    assert!(comps(&cancelled).iter().all(|c| val(c, "STATUS").as_deref() == Some("CANCELLED")));
    assert_eq!(val(&comp(&cancelled, None), "SEQUENCE").as_deref(), Some("1"));
    // One instance with an override: that override is cancelled.
    let put = thunderbird_series("EXDATE;TZID=Europe/Paris:20250317T100000\r\n", "");
    let one = organizer_messages(Some(&stored), Some(&put), NOW);
    let c = apply_cancel(&to(&one.messages, BOB, Method::Cancel).text, &copy).unwrap();
    assert_eq!(val(&comp(&c, Some("20250317T100000")), "STATUS").as_deref(), Some("CANCELLED"));
    assert_eq!(val(&comp(&c, None), "STATUS"), None, "the rest of the series stands");
    // One instance without override: an EXDATE on the master, written in UTC here.
    let bare = "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nMETHOD:CANCEL\r\nBEGIN:VEVENT\r\nUID:tb-weekly-1\r\n\
                DTSTAMP:20250310T000000Z\r\nSEQUENCE:1\r\nRECURRENCE-ID:20250324T090000Z\r\n\
                ORGANIZER:mailto:alice@example.com\r\nATTENDEE:mailto:bob@example.com\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n";
    let c = apply_cancel(bare, &copy).unwrap();
    assert!(comp(&c, None).props("EXDATE").any(|l| l.value == "20250324T090000Z"));
    // Applying it twice adds nothing (09:00Z is 10:00 Paris: already excluded).
    let twice = apply_cancel(bare, &c).unwrap();
    assert_eq!(comp(&twice, None).props("EXDATE").count(), 1);
    // Stale: the copy is newer than the cancel.
    let stale = bare.replace("SEQUENCE:1", "SEQUENCE:0").replace("RECURRENCE-ID:20250324T090000Z\r\n", "");
    let newer = copy.replace("SEQUENCE:0", "SEQUENCE:3");
    assert_eq!(apply_cancel(&stale, &newer), Err(ItipError::Stale));
    assert!(matches!(apply_cancel(&bare.replace("tb-weekly-1", "x"), &copy), Err(ItipError::NoMatch(_))));
}

// ---- attendee_reply -----------------------------------------------------------

fn bob_copy() -> String {
    attendee_copy(&request_for(None, &apple_v1(), BOB), None, BOB).unwrap()
}

#[test]
fn accepting_sends_a_complete_reply_to_the_organizer() {
    let copy = bob_copy();
    let accepted = bob_accepts(&copy);
    let reply = attendee_reply(Some(&copy), Some(&accepted), BOB, NOW).expect("a REPLY");
    assert_eq!((reply.method, reply.recipient.as_str()), (Method::Reply, ALICE));
    assert_well_formed(&reply);
    let c = comp(&reply.text, None);
    for name in ["UID", "DTSTAMP", "SEQUENCE", "DTSTART", "DTEND", "SUMMARY", "ORGANIZER"] {
        assert!(val(&c, name).is_some(), "REPLY lacks {name}:\n{}", reply.text);
    }
    assert_eq!(c.props("ATTENDEE").count(), 1, "exactly the replier");
    let me = att(&c, BOB);
    assert_eq!(param(me, "PARTSTAT").as_deref(), Some("ACCEPTED"));
    assert_eq!(param(me, "CN").as_deref(), Some("Bob"));
    assert_eq!(param(me, "RSVP"), None);
    assert!(c.comps("VALARM").next().is_none() && val(&c, "TRANSP").is_none());
    assert_eq!(root(&reply.text).comps("VTIMEZONE").count(), 1);
    // Saving again without a new answer says nothing.
    assert_eq!(attendee_reply(Some(&accepted), Some(&accepted.replace("-PT1H", "-PT2H")), BOB, NOW), None);
}

#[test]
fn declining_one_occurrence_replies_for_that_instance_only() {
    let series = thunderbird_series("", "");
    let copy = attendee_copy(&request_for(None, &series, CAROL), None, CAROL).unwrap();
    // Carol's client adds an override declining the 17th.
    let decline = tb_override(
        &TB_CAROL.replace("NEEDS-ACTION", "DECLINED").replace("RSVP=TRUE;", ""),
        "20250317T100000",
        "20250317T110000",
        0,
    );
    let edited = copy.replace("END:VCALENDAR", &format!("{decline}END:VCALENDAR"));
    let reply = attendee_reply(Some(&copy), Some(&edited), CAROL, NOW).unwrap();
    let cs = comps(&reply.text);
    assert_eq!(cs.len(), 1);
    assert_eq!(val(&cs[0], "RECURRENCE-ID").as_deref(), Some("20250317T100000"));
    assert_eq!(param(att(&cs[0], CAROL), "PARTSTAT").as_deref(), Some("DECLINED"));
}

#[test]
fn an_exdate_added_by_the_attendee_declines_that_instance() {
    let series = thunderbird_series("", "");
    let copy = attendee_copy(&request_for(None, &series, BOB), None, BOB).unwrap();
    let edited = copy.replace(
        "RRULE:FREQ=WEEKLY;COUNT=10\r\n",
        "RRULE:FREQ=WEEKLY;COUNT=10\r\nEXDATE;TZID=Europe/Paris:20250331T100000\r\n",
    );
    let reply = attendee_reply(Some(&copy), Some(&edited), BOB, NOW).unwrap();
    let c = comp(&reply.text, Some("20250331T100000"));
    assert_eq!(param(att(&c, BOB), "PARTSTAT").as_deref(), Some("DECLINED"));
    assert_eq!(val(&c, "DTSTART").as_deref(), Some("20250331T100000"));
    assert_eq!(val(&c, "DTEND").as_deref(), Some("20250331T110000"));
    assert!(val(&c, "RRULE").is_none() && val(&c, "EXDATE").is_none());
}

#[test]
fn deleting_the_copy_declines() {
    let accepted = bob_accepts(&bob_copy());
    let reply = attendee_reply(Some(&accepted), None, BOB, NOW).unwrap();
    assert_eq!(param(att(&comp(&reply.text, None), BOB), "PARTSTAT").as_deref(), Some("DECLINED"));
    assert_eq!(reply.recipient, ALICE);
    let declined = set_partstat(&accepted, BOB, "DECLINED");
    assert_eq!(attendee_reply(Some(&declined), None, BOB, NOW), None, "already declined");
    let cancelled = accepted.replace("SEQUENCE:0", "SEQUENCE:1\r\nSTATUS:CANCELLED");
    assert_eq!(attendee_reply(Some(&cancelled), None, BOB, NOW), None, "nothing to decline");
}

#[test]
fn no_reply_when_someone_else_schedules() {
    let copy = bob_copy();
    let client = set_param_in(&copy, None, BOB, "SCHEDULE-AGENT", "CLIENT");
    assert_eq!(attendee_reply(Some(&client), Some(&bob_accepts(&client)), BOB, NOW), None);
    let org_client = copy.replace("ORGANIZER;CN=", "ORGANIZER;SCHEDULE-AGENT=CLIENT;CN=");
    assert_eq!(attendee_reply(Some(&org_client), None, BOB, NOW), None);
    assert_eq!(attendee_reply(Some(&copy), Some(&bob_accepts(&copy)), DAVE, NOW), None, "not an attendee");
    let forced = set_param_in(&copy, None, BOB, "SCHEDULE-FORCE-SEND", "REPLY");
    let r = attendee_reply(Some(&copy), Some(&forced), BOB, NOW).expect("forced reply");
    assert_eq!(param(att(&comp(&r.text, None), BOB), "PARTSTAT").as_deref(), Some("NEEDS-ACTION"));
}

// ---- apply_reply ---------------------------------------------------------------

#[test]
fn a_reply_sets_the_partstat_in_the_organizers_copy() {
    let stored = apple_v1();
    let copy = bob_copy();
    let reply = attendee_reply(Some(&copy), Some(&bob_accepts(&copy)), BOB, NOW).unwrap();
    let (text, ps) = apply_reply(&stored, &reply.text).unwrap();
    assert_eq!(ps, "ACCEPTED");
    let bob = att(&comp(&text, None), BOB).clone();
    assert_eq!(param(&bob, "PARTSTAT").as_deref(), Some("ACCEPTED"));
    assert_eq!(param(&bob, "SCHEDULE-STATUS").as_deref(), Some("2.0"));
    assert!(text.contains("BEGIN:VALARM"), "the organizer's alarm stays");
    // Stale: the organizer rescheduled in between.
    let newer = stored.replace("SEQUENCE:0", "SEQUENCE:2");
    assert_eq!(apply_reply(&newer, &reply.text), Err(ItipError::Stale));
    // Not an attendee / another event.
    let dave = reply.text.replace("mailto:Bob@Example.com", "mailto:dave@example.net");
    assert!(matches!(apply_reply(&stored, &dave), Err(ItipError::NoMatch(_))));
    let other = reply.text.replace("UID:8A1C6C6E", "UID:9A1C6C6E");
    assert!(matches!(apply_reply(&stored, &other), Err(ItipError::NoMatch(_))));
    assert!(matches!(apply_reply(&stored, "junk"), Err(ItipError::Malformed(_))));
}

#[test]
fn a_reply_for_an_instance_without_override_creates_it() {
    let stored = thunderbird_series("", "");
    // Google-style reply: the instance in UTC.
    let reply = "BEGIN:VCALENDAR\r\nPRODID:-//Google Inc//Google Calendar 70.9054//EN\r\nVERSION:2.0\r\n\
                 METHOD:REPLY\r\nBEGIN:VEVENT\r\nDTSTART:20250324T090000Z\r\nDTEND:20250324T100000Z\r\n\
                 DTSTAMP:20250310T100000Z\r\nORGANIZER;CN=Alice:mailto:alice@example.com\r\nUID:tb-weekly-1\r\n\
                 ATTENDEE;CUTYPE=INDIVIDUAL;ROLE=REQ-PARTICIPANT;PARTSTAT=TENTATIVE;CN=carol@example.org;\r\n \
                 X-NUM-GUESTS=0:mailto:carol@example.org\r\nRECURRENCE-ID:20250324T090000Z\r\nSEQUENCE:0\r\n\
                 SUMMARY:Weekly sync\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n";
    let (text, ps) = apply_reply(&stored, reply).unwrap();
    assert_eq!(ps, "TENTATIVE");
    let over = comp(&text, Some("20250324T090000Z"));
    assert_eq!(val(&over, "DTSTART").as_deref(), Some("20250324T090000Z"));
    assert_eq!(val(&over, "DURATION").as_deref(), Some("PT1H"));
    assert!(val(&over, "RRULE").is_none());
    assert_eq!(param(att(&over, CAROL), "PARTSTAT").as_deref(), Some("TENTATIVE"));
    assert_eq!(param(att(&over, BOB), "PARTSTAT").as_deref(), Some("ACCEPTED"), "others as in the series");
    assert_eq!(param(att(&comp(&text, None), CAROL), "PARTSTAT").as_deref(), Some("NEEDS-ACTION"));
    agora_ical::CalendarObject::parse(text.as_bytes()).expect("still a valid object");
    // A second reply for the same instance finds the override (UTC and TZID forms match).
    let again = reply.replace("PARTSTAT=TENTATIVE", "PARTSTAT=ACCEPTED");
    let (text2, _) = apply_reply(&text, &again).unwrap();
    assert_eq!(comps(&text2).len(), 2);
}

// ---- status setters, rooms ---------------------------------------------------------

#[test]
fn schedule_status_and_partstat_setters() {
    let text =
        thunderbird_series("", &tb_override(&format!("{TB_BOB}{TB_CAROL}"), "20250317T140000", "20250317T150000", 1));
    let s = set_schedule_status(
        &text,
        &[(BOB.to_owned(), "1.2".to_owned()), ("MAILTO:CAROL@example.org".to_owned(), "3.7".to_owned())],
    );
    for c in comps(&s) {
        assert_eq!(param(att(&c, BOB), "SCHEDULE-STATUS").as_deref(), Some("1.2"));
        assert_eq!(param(att(&c, CAROL), "SCHEDULE-STATUS").as_deref(), Some("3.7"));
    }
    assert_eq!(set_schedule_status(&text, &[(DAVE.to_owned(), "1.2".to_owned())]), text, "unchanged byte for byte");
    let p = set_partstat(&text, CAROL, "accepted");
    assert!(comps(&p).iter().all(|c| param(att(c, CAROL), "PARTSTAT").as_deref() == Some("ACCEPTED")));
    assert_eq!(set_partstat(&text, DAVE, "ACCEPTED"), text);
}

#[test]
fn a_room_answers_automatically() {
    let room = "mailto:room4@example.com";
    let body = apple_v1().replace(
        "SEQUENCE:0",
        "ATTENDEE;CN=Room 4;CUTYPE=ROOM;PARTSTAT=NEEDS-ACTION;RSVP=TRUE:mailto:room4@example.com\r\nSEQUENCE:0",
    );
    let req = request_for(None, &body, room);
    let copy = set_partstat(&attendee_copy(&req, None, room).unwrap(), room, "ACCEPTED");
    let reply = reply_from_copy(&copy, room, NOW).unwrap();
    assert_eq!((reply.method, reply.recipient.as_str()), (Method::Reply, ALICE));
    let c = comp(&reply.text, None);
    assert_eq!(c.props("ATTENDEE").count(), 1);
    assert_eq!(param(att(&c, room), "PARTSTAT").as_deref(), Some("ACCEPTED"));
    assert_eq!(param(att(&c, room), "CUTYPE").as_deref(), Some("ROOM"));
    let (applied, ps) = apply_reply(&body, &reply.text).unwrap();
    assert_eq!(ps, "ACCEPTED");
    assert_eq!(
        scheduling(&applied).unwrap().attendees.iter().find(|a| a.address == room).unwrap().partstat,
        "ACCEPTED"
    );
    assert_eq!(reply_from_copy(&copy, DAVE, NOW), None);
}

// ---- round trips ------------------------------------------------------------------------

#[test]
fn round_trip_invite_accept_move_one_instance_reply() {
    // 1. Alice creates a weekly series; Bob's copy is made from the REQUEST.
    let v1 = thunderbird_series("", "").replace(
        "PARTSTAT=ACCEPTED;ROLE=REQ-PARTICIPANT:mailto:bob",
        "PARTSTAT=NEEDS-ACTION;ROLE=REQ-PARTICIPANT:mailto:bob",
    );
    let created = organizer_messages(None, Some(&v1), NOW);
    let organizer_copy = created.stored.clone().unwrap_or_else(|| v1.clone());
    let bob0 = attendee_copy(&to(&created.messages, BOB, Method::Request).text, None, BOB).unwrap();
    // 2. Bob accepts; the REPLY reaches Alice's copy.
    let bob1 = set_partstat(&bob0, BOB, "ACCEPTED");
    let reply = attendee_reply(Some(&bob0), Some(&bob1), BOB, NOW).unwrap();
    let (organizer_copy, ps) = apply_reply(&organizer_copy, &reply.text).unwrap();
    assert_eq!(ps, "ACCEPTED");
    // 3. Alice's client PUTs a moved instance with Bob's stale NEEDS-ACTION in the master.
    let moved = tb_override(
        &format!("{}{TB_CAROL}", TB_BOB.replace("ACCEPTED", "NEEDS-ACTION")),
        "20250317T150000",
        "20250317T160000",
        0,
    );
    let put = v1.replace("END:VCALENDAR", &format!("{moved}END:VCALENDAR"));
    let out = organizer_messages(Some(&organizer_copy), Some(&put), NOW + 60);
    let stored = out.stored.expect("answers restored, SEQUENCE raised");
    assert_eq!(param(att(&comp(&stored, None), BOB), "PARTSTAT").as_deref(), Some("ACCEPTED"));
    assert_eq!(param(att(&comp(&stored, None), BOB), "SCHEDULE-STATUS").as_deref(), Some("2.0"));
    assert_eq!(val(&comp(&stored, Some("20250317T100000")), "SEQUENCE").as_deref(), Some("1"));
    // 4. Bob's copy keeps ACCEPTED for the series and asks again for the moved instance.
    let req = to(&out.messages, BOB, Method::Request);
    let bob2 = attendee_copy(&req.text, Some(&bob1), BOB).unwrap();
    assert_eq!(param(att(&comp(&bob2, None), BOB), "PARTSTAT").as_deref(), Some("ACCEPTED"));
    assert_eq!(param(att(&comp(&bob2, Some("20250317T100000")), BOB), "PARTSTAT").as_deref(), Some("NEEDS-ACTION"));
    // 5. Bob declines the moved instance; the REPLY lands in Alice's override only.
    let bob3 = set_param_in(&bob2, Some("20250317T100000"), BOB, "PARTSTAT", "DECLINED");
    assert_ne!(bob3, bob2);
    let reply = attendee_reply(Some(&bob2), Some(&bob3), BOB, NOW + 120).unwrap();
    assert_eq!(comps(&reply.text).len(), 1);
    let (final_copy, ps) = apply_reply(&stored, &reply.text).unwrap();
    assert_eq!(ps, "DECLINED");
    assert_eq!(param(att(&comp(&final_copy, Some("20250317T100000")), BOB), "PARTSTAT").as_deref(), Some("DECLINED"));
    assert_eq!(param(att(&comp(&final_copy, None), BOB), "PARTSTAT").as_deref(), Some("ACCEPTED"));
    // 6. The first REPLY, delivered late, is now stale for the rescheduled instance.
    let late = reply.text.replace("SEQUENCE:1", "SEQUENCE:0");
    assert_eq!(apply_reply(&final_copy, &late), Err(ItipError::Stale));
}

#[test]
fn long_non_ascii_text_is_folded_at_character_boundaries() {
    let long = "Réunion trimestrielle – préparer les chiffres, les objectifs et le budget ".repeat(3);
    let body = apple_v1().replace("SEQUENCE:0\r\n", &format!("SEQUENCE:0\r\nDESCRIPTION:{long}\r\n"));
    let out = organizer_messages(None, Some(&body), NOW);
    let m = to(&out.messages, CAROL, Method::Request);
    assert_well_formed(m);
    assert_eq!(val(&comp(&m.text, None), "DESCRIPTION").as_deref(), Some(long.as_str()));
}

#[test]
fn tasks_are_scheduled_too() {
    let todo = |due: &str, seq: u32| {
        format!(
            "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//Example//Tasks//EN\r\nBEGIN:VTODO\r\nUID:task-7\r\n\
             DTSTAMP:20250301T080000Z\r\nSUMMARY:Send the report\r\nDUE:{due}\r\nSEQUENCE:{seq}\r\n\
             ORGANIZER:mailto:alice@example.com\r\nATTENDEE;PARTSTAT=ACCEPTED:mailto:bob@example.com\r\n\
             END:VTODO\r\nEND:VCALENDAR\r\n"
        )
    };
    let out = organizer_messages(Some(&todo("20250320T170000Z", 0)), Some(&todo("20250321T170000Z", 0)), NOW);
    let stored = out.stored.expect("DUE moved");
    assert_eq!(val(&comp(&stored, None), "SEQUENCE").as_deref(), Some("1"));
    assert_eq!(param(att(&comp(&stored, None), BOB), "PARTSTAT").as_deref(), Some("NEEDS-ACTION"));
    let req = to(&out.messages, BOB, Method::Request);
    assert_well_formed(req);
    assert_eq!(root(&req.text).children[0].name, "VTODO");
}

#[test]
fn removing_the_organizer_cancels_for_the_attendees() {
    let stored = apple_v1();
    let plain =
        stored.replace("ORGANIZER;CN=\"Alice Martin\";EMAIL=alice@example.com:mailto:alice@example.com\r\n", "");
    let out = organizer_messages(Some(&stored), Some(&plain), NOW);
    assert_eq!(out.stored, None);
    assert_eq!(recipients(&out.messages, Method::Cancel), [BOB, CAROL]);
    // An object that never had one schedules nothing.
    assert!(organizer_messages(None, Some(&plain), NOW).messages.is_empty());
    assert!(organizer_messages(None, Some("not ical"), NOW).messages.is_empty());
}

#[test]
fn a_broken_attendee_copy_is_replaced() {
    let req = request_for(None, &apple_v1(), BOB);
    let copy = attendee_copy(&req, Some("BEGIN:VCALENDAR\r\nbroken"), BOB).unwrap();
    assert_eq!(val(&comp(&copy, None), "UID").as_deref(), Some("8A1C6C6E-93B4-4C1A-9C4E-4C2F1E2D0001"));
}

mod no_panics {
    use super::*;
    use proptest::prelude::*;

    /// Lines that look like iCalendar, in any order, some broken.
    fn fragment() -> impl Strategy<Value = String> {
        prop::sample::select(vec![
            "BEGIN:VCALENDAR",
            "END:VCALENDAR",
            "BEGIN:VEVENT",
            "END:VEVENT",
            "METHOD:REQUEST",
            "METHOD:REPLY",
            "UID:u",
            "SEQUENCE:x",
            "SEQUENCE:2",
            "ORGANIZER:mailto:alice@example.com",
            "ATTENDEE;PARTSTAT=ACCEPTED:mailto:bob@example.com",
            "ATTENDEE;CN=\"broken:mailto:bob@example.com",
            "RECURRENCE-ID:20250317T100000Z",
            "RECURRENCE-ID;TZID=Nowhere/Land:2025",
            "DTSTART:20250310T100000Z",
            "DTEND;VALUE=DATE:20250311",
            "RRULE:FREQ=DAILY",
            "EXDATE:20250312T100000Z,garbage",
            "STATUS:CANCELLED",
            " folded-é",
            ":",
            "",
        ])
        .prop_map(str::to_owned)
    }

    proptest! {
        #[test]
        fn arbitrary_input_never_panics(a in prop::collection::vec(fragment(), 0..40), b in prop::collection::vec(fragment(), 0..40)) {
            let (a, b) = (a.join("\r\n"), b.join("\r\n"));
            let _ = scheduling(&a);
            let out = organizer_messages(Some(&a), Some(&b), NOW);
            prop_assert!(out.messages.iter().all(|m| m.text.starts_with("BEGIN:VCALENDAR\r\n")));
            let _ = organizer_messages(Some(&a), None, NOW);
            let _ = attendee_reply(Some(&a), Some(&b), BOB, NOW);
            let _ = attendee_reply(Some(&a), None, BOB, NOW);
            let _ = parse_message(&a);
            let _ = attendee_copy(&a, Some(&b), BOB);
            let _ = apply_cancel(&a, &b);
            let _ = apply_reply(&a, &b);
            let _ = reply_from_copy(&a, BOB, NOW);
            prop_assert_eq!(set_partstat(&a, DAVE, "ACCEPTED"), a.clone());
            let _ = set_schedule_status(&a, &[(BOB.to_owned(), "2.0".to_owned())]);
        }
    }
}

/// Found by fuzz/fuzz_targets/itip.rs: `UID:` with an empty value was taken as
/// the message's UID.
#[test]
fn empty_uid_is_no_uid() {
    let text = "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:x\r\nMETHOD:REPLY\r\nBEGIN:VEVENT\r\nUID: \r\n\
        DTSTAMP:20260101T000000Z\r\nATTENDEE;PARTSTAT=ACCEPTED:mailto:b@x.example\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n";
    assert!(parse_message(text).is_err());
}
