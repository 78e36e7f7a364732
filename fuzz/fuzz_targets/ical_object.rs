//! Fuzzes iCalendar object reading (`CalendarObject::parse`, `parse_calendar`):
//! an accepted object has a non-empty UID, its summary is the same by either
//! entry point, and the object written back by calcard is not more broken than
//! the input. (calcard's writer may emit what the reader refuses, e.g. for a
//! line `EXDATE;` without a colon that calcard tolerates on input: see
//! docs/fuzzing.md. Agora stores the client's bytes, never calcard's output.)
#![no_main]

use agora_ical::{CalendarObject, TzSpec, parse_calendar};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(object) = CalendarObject::parse(data) else { return };
    assert!(!object.uid().trim().is_empty(), "accepted an object without a UID");
    let info = object.info(&TzSpec::utc());
    let again = parse_calendar(data, &TzSpec::utc()).expect("parse_calendar disagrees with CalendarObject::parse");
    assert_eq!(info, again);
    let written = object.ical().to_string();
    if let Ok(reread) = CalendarObject::parse(written.as_bytes()) {
        assert_eq!(reread.uid(), object.uid());
        assert_eq!(reread.kind(), object.kind());
    }
});
