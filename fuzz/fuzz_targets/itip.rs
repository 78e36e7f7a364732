//! Fuzzes iTIP (RFC 5546) message reading and what the server builds from a
//! message or object it was given: a parsed message has a UID and distinct
//! attendees; the attendee's copy of a REQUEST is a readable component tree; an
//! organizer's object (one the server accepted) yields messages that read back as iTIP messages with the
//! object's UID and their own METHOD.
#![no_main]

use agora_ical::itip::{Method, attendee_copy, organizer_messages, parse_message, scheduling};
use agora_ical::{CalendarObject, content};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    let _ = scheduling(text);
    if let Ok(message) = parse_message(text) {
        assert!(!message.uid.is_empty(), "an iTIP message without a UID was accepted");
        let mut addresses: Vec<_> = message.attendees.iter().map(|a| a.address.as_str()).collect();
        addresses.sort_unstable();
        let before = addresses.len();
        addresses.dedup();
        assert_eq!(addresses.len(), before, "attendees are deduplicated by address");
        if message.method == Method::Request
            && let Some(attendee) = message.attendees.first()
            && let Ok(copy) = attendee_copy(text, None, &attendee.address)
        {
            assert!(content::parse(&copy).is_some(), "the attendee's copy must be readable: {copy:?}");
        }
    }
    // The server computes an organizer's messages only for objects it accepted.
    if CalendarObject::parse(data).is_err() {
        return;
    }
    let outcome = organizer_messages(None, Some(text), 0);
    for out in outcome.messages {
        let message = parse_message(&out.text).expect("an outgoing message reads back");
        assert_eq!(message.method, out.method);
    }
    if let Some(stored) = outcome.stored {
        assert!(content::parse(&stored).is_some(), "the stored text must be readable");
    }
});
