//! Fuzzes jCal (RFC 7265) in both directions. Text → jCal → text → jCal gives
//! the same jCal; JSON → text → jCal → text gives the same text (the first
//! conversion normalises, the round trip after it changes nothing).
#![no_main]

use agora_ical::json::{icalendar_to_jcal, jcal_bytes_to_icalendar, jcal_to_icalendar};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(text) = std::str::from_utf8(data)
        && let Ok(jcal) = icalendar_to_jcal(text)
    {
        let back = jcal_to_icalendar(&jcal).expect("jCal we wrote converts back");
        let again = icalendar_to_jcal(&back).expect("text we wrote converts to jCal");
        assert_eq!(again, jcal, "text → jCal → text → jCal changed the jCal; text was {back:?}");
    }
    if let Ok(text) = jcal_bytes_to_icalendar(data) {
        let jcal = icalendar_to_jcal(&text).expect("text we wrote from jCal converts back");
        let back = jcal_to_icalendar(&jcal).expect("jCal we wrote converts back");
        assert_eq!(back, text, "jCal → text → jCal → text changed the text");
    }
});
