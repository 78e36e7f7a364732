//! Fuzzes iCalendar object reading (`CalendarObject::parse`, `parse_calendar`):
//! an accepted object has a non-empty UID, its summary is the same by either
//! entry point, and the object written back by calcard (what `privacy::time_only`
//! serves for private events) is accepted again with the same UID and kind. Before
//! `CalendarObject::parse` read the text strictly first, calcard's writer emitted
//! text the reader refused (a line `EXDATE;` it tolerated on input).
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
    let reread = CalendarObject::parse(written.as_bytes())
        .unwrap_or_else(|e| panic!("calcard's writing of an accepted object is refused ({e}): {written:?}"));
    assert_eq!(reread.uid(), object.uid());
    assert_eq!(reread.kind(), object.kind());
});
