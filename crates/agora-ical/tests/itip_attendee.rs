//! iTIP implicit scheduling (RFC 6638, RFC 5546) on realistic client bodies,
//! the attendee's side: the copy a REQUEST makes or updates, CANCELs applied to
//! it, the REPLY an attendee's change sends, the organizer applying it, and the
//! status setters (rooms answer on their own).

mod itip_common;

use agora_ical::itip::{
    ItipError, Method, apply_cancel, apply_reply, attendee_copy, attendee_reply, organizer_messages, reply_from_copy,
    scheduling, set_partstat, set_schedule_status,
};
use itip_common::*;

// ---- attendee_copy and apply_cancel --------------------------------------------

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

// ---- the attendee's comment on the answer ---------------------------------------

/// Bob's accepted copy with a comment, as Thunderbird writes it: a COMMENT in
/// the VEVENT and X-RESPONSE-COMMENT on his ATTENDEE line.
fn bob_accepts_with(copy: &str, comment: &str) -> String {
    let accepted = set_param_in(&bob_accepts(copy), None, BOB, "X-RESPONSE-COMMENT", comment);
    accepted.replacen("END:VEVENT", &format!("COMMENT:{}\r\nEND:VEVENT", comment.replace(',', "\\,")), 1)
}

#[test]
fn a_reply_carries_the_attendees_comment_to_the_organizers_attendee_line() {
    let stored = apple_v1();
    let copy = bob_copy();
    let accepted = bob_accepts_with(&copy, "Will bring the slides, and coffee");
    let reply = attendee_reply(Some(&copy), Some(&accepted), BOB, NOW).expect("a REPLY");
    assert_well_formed(&reply);
    let c = comp(&reply.text, None);
    let comments: Vec<String> = c.props("COMMENT").map(|l| l.text()).collect();
    assert_eq!(comments, ["Will bring the slides, and coffee"], "{}", reply.text);
    let (text, ps) = apply_reply(&stored, &reply.text).unwrap();
    assert_eq!(ps, "ACCEPTED");
    let master = comp(&text, None);
    assert_eq!(param(att(&master, BOB), "X-RESPONSE-COMMENT").as_deref(), Some("Will bring the slides, and coffee"));
    assert!(
        text.replace("\r\n ", "").contains("X-RESPONSE-COMMENT=\"Will bring the slides, and coffee\""),
        "quoted: {text}"
    );
    assert_eq!(master.props("COMMENT").count(), 0, "never a COMMENT of the organizer's event: {text}");
    assert_eq!(param(att(&master, CAROL), "X-RESPONSE-COMMENT"), None, "only the replier's line");

    // A later answer without a comment removes the old one.
    let tentative = set_partstat(&bob_accepts(&copy), BOB, "TENTATIVE");
    let again = attendee_reply(Some(&accepted), Some(&tentative), BOB, NOW).expect("a REPLY");
    assert_eq!(comp(&again.text, None).props("COMMENT").count(), 0);
    let (text2, ps) = apply_reply(&text, &again.text).unwrap();
    assert_eq!(ps, "TENTATIVE");
    assert_eq!(param(att(&comp(&text2, None), BOB), "X-RESPONSE-COMMENT"), None, "{text2}");
}

#[test]
fn the_comment_comes_from_the_parameter_alone_and_loses_line_breaks() {
    let stored = apple_v1();
    let copy = bob_copy();
    // Only the parameter (no COMMENT), with a line break and a DQUOTE in it.
    let accepted = set_param_in(&bob_accepts(&copy), None, BOB, "X-RESPONSE-COMMENT", "Late by\n10 \"min\"");
    let reply = attendee_reply(Some(&copy), Some(&accepted), BOB, NOW).unwrap();
    let (text, _) = apply_reply(&stored, &reply.text).unwrap();
    let bob = att(&comp(&text, None), BOB).clone();
    assert_eq!(param(&bob, "X-RESPONSE-COMMENT").as_deref(), Some("Late by 10 \"min\""));
    assert!(text.replace("\r\n ", "").contains("X-RESPONSE-COMMENT=Late by 10 ^'min^'"), "RFC 6868: {text}");
    // A COMMENT with an escaped line break wins over the parameter.
    let reply = reply.text.replacen("ATTENDEE", "COMMENT:First line\\nsecond line\r\nATTENDEE", 1);
    let (text, _) = apply_reply(&stored, &reply).unwrap();
    assert_eq!(param(att(&comp(&text, None), BOB), "X-RESPONSE-COMMENT").as_deref(), Some("First line second line"));
}

#[test]
fn the_organizers_own_comment_echoed_back_is_not_the_attendees() {
    let stored = apple_v1().replacen("END:VEVENT", "COMMENT:Agenda attached\r\nEND:VEVENT", 1);
    let copy = attendee_copy(&request_for(None, &stored, BOB), None, BOB).unwrap();
    assert!(copy.contains("COMMENT:Agenda attached"), "the organizer's COMMENT reached bob: {copy}");
    let reply = attendee_reply(Some(&copy), Some(&bob_accepts(&copy)), BOB, NOW).unwrap();
    let (text, _) = apply_reply(&stored, &reply.text).unwrap();
    let master = comp(&text, None);
    assert_eq!(param(att(&master, BOB), "X-RESPONSE-COMMENT"), None, "{text}");
    assert_eq!(master.props("COMMENT").count(), 1, "the organizer's COMMENT stays as it was");
}

#[test]
fn a_comment_on_one_instance_goes_with_that_instance_only() {
    let series = thunderbird_series("", "");
    let copy = attendee_copy(&request_for(None, &series, CAROL), None, CAROL).unwrap();
    let decline = tb_override(
        &TB_CAROL.replace("NEEDS-ACTION", "DECLINED").replace("RSVP=TRUE;", ""),
        "20250317T100000",
        "20250317T110000",
        0,
    )
    .replace("END:VEVENT", "COMMENT:On holiday that week\r\nEND:VEVENT");
    let edited = copy.replace("END:VCALENDAR", &format!("{decline}END:VCALENDAR"));
    let reply = attendee_reply(Some(&copy), Some(&edited), CAROL, NOW).unwrap();
    let c = comp(&reply.text, Some("20250317T100000"));
    assert_eq!(val(&c, "COMMENT").as_deref(), Some("On holiday that week"));
    let (text, _) = apply_reply(&series, &reply.text).unwrap();
    let over = comp(&text, Some("20250317T100000"));
    assert_eq!(param(att(&over, CAROL), "X-RESPONSE-COMMENT").as_deref(), Some("On holiday that week"));
    assert_eq!(param(att(&comp(&text, None), CAROL), "X-RESPONSE-COMMENT"), None, "the series has no comment");
}

#[test]
fn declining_by_deleting_the_copy_leaves_the_old_comment_out() {
    let copy = bob_copy();
    let accepted = bob_accepts_with(&copy, "Will bring the slides");
    let reply = attendee_reply(Some(&accepted), None, BOB, NOW).unwrap();
    let c = comp(&reply.text, None);
    assert_eq!(param(att(&c, BOB), "PARTSTAT").as_deref(), Some("DECLINED"));
    assert_eq!(c.props("COMMENT").count(), 0, "{}", reply.text);
    assert_eq!(param(att(&c, BOB), "X-RESPONSE-COMMENT"), None);
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
