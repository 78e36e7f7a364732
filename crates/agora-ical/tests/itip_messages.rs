//! iTIP messages (RFC 5546) end to end: parsing an incoming message, whole
//! invite/accept/reschedule round trips between organizer and attendee, and
//! robustness on arbitrary or broken input.

mod itip_common;

use agora_ical::itip::{
    ItipError, Method, apply_cancel, apply_reply, attendee_copy, attendee_reply, organizer_messages, parse_message,
    reply_from_copy, scheduling, set_partstat, set_schedule_status,
};
use itip_common::*;

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
