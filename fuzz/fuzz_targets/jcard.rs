//! Fuzzes jCard (RFC 7095) in both directions. Text → jCard → text → jCard gives
//! the same jCard; JSON → text → jCard → text gives the same text (the first
//! conversion normalises, the round trip after it changes nothing).
#![no_main]

use agora_ical::json::{jcard_bytes_to_vcard, jcard_to_vcard, vcard_to_jcard};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(text) = std::str::from_utf8(data)
        && let Ok(jcard) = vcard_to_jcard(text)
    {
        let back = jcard_to_vcard(&jcard).expect("jCard we wrote converts back");
        let again = vcard_to_jcard(&back).expect("text we wrote converts to jCard");
        assert_eq!(again, jcard, "text → jCard → text → jCard changed the jCard; text was {back:?}");
    }
    if let Ok(text) = jcard_bytes_to_vcard(data) {
        let jcard = vcard_to_jcard(&text).expect("text we wrote from jCard converts back");
        let back = jcard_to_vcard(&jcard).expect("jCard we wrote converts back");
        assert_eq!(back, text, "jCard → text → jCard → text changed the text");
    }
});
