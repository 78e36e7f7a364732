//! Fuzzes incoming iMIP mail (MIME parsing, calendar parts, sender and
//! Authentication-Results): an accepted message has at least one calendar
//! part, no part twice, lower-cased addresses, and when no authserv-id is
//! trusted no Authentication-Results field counts.
#![no_main]

use agora_imip::incoming::{AuthResults, parse, parse_trusting};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(message) = parse(data) else { return };
    assert!(!message.calendars.is_empty());
    for (i, c) in message.calendars.iter().enumerate() {
        assert!(!message.calendars[..i].contains(c), "calendar part listed twice");
    }
    for address in [&message.from, &message.sender].into_iter().flatten() {
        assert_eq!(*address, address.to_lowercase());
        assert!(!address.is_empty());
    }
    let untrusted = parse_trusting(data, &[]).expect("same message");
    assert_eq!(untrusted.calendars, message.calendars);
    assert_eq!(untrusted.auth, AuthResults::default(), "no authserv-id is trusted, yet a field counted");
});
