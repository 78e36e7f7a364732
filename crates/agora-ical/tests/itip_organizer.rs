//! iTIP implicit scheduling (RFC 6638, RFC 5546) on realistic client bodies,
//! the organizer's side: what `scheduling` reads, and what the organizer's
//! PUT/DELETE sends and stores, for single events and recurring series
//! (REQUEST, ADD, CANCEL of one instance).

mod itip_common;

use agora_ical::itip::{
    Agent, ItipError, Method, apply_add, attendee_copy, normalise_address, organizer_messages, scheduling,
};
use itip_common::*;

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
