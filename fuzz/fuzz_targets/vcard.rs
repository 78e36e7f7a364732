//! Fuzzes vCard reading and 3.0 ↔ 4.0 conversion: an accepted card has a UID,
//! and its conversion to either version either fails or is itself an
//! acceptable card of that version with the same UID.
#![no_main]

use agora_ical::vcard::{Version, convert, parse_vcard, split_cards};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(text) = std::str::from_utf8(data) {
        for (uid, card) in split_cards(text) {
            assert!(agora_fuzz::unfolded(&card).contains(&uid), "split_cards invented UID {uid:?}");
        }
    }
    let Ok(info) = parse_vcard(data) else { return };
    assert!(!info.uid.trim().is_empty());
    for to in [Version::V3, Version::V4] {
        // A conversion calcard cannot write as a readable card fails (the
        // server then serves the stored card); one that succeeds is readable.
        match convert(data, to) {
            Err(_) => {}
            Ok(None) => assert_eq!(info.version, to),
            Ok(Some(text)) => {
                let converted = parse_vcard(text.as_bytes()).expect("a converted card is acceptable");
                assert_eq!(converted.version, to);
                assert_eq!(converted.uid, info.uid);
            }
        }
    }
});
