//! Fuzzes iCalendar object reading (`CalendarObject::parse`, `parse_calendar`):
//! an accepted object has a non-empty UID, its summary is the same by either
//! entry point, and the object written back by calcard (what `privacy::time_only`
//! serves for private events) is accepted again with the same UID and kind. Before
//! `CalendarObject::parse` read the text strictly first, calcard's writer emitted
//! text the reader refused (a line `EXDATE;` it tolerated on input).
//! Also the way in (`intake::calendar`): what it admits is an object with the
//! same UID, and admitting the stored bytes again repairs nothing (a repair
//! written by the content writer must not need another).
#![no_main]

use agora_ical::{CalendarObject, TzSpec, intake, parse_calendar};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(admitted) = intake::calendar(data.to_vec()) {
        let stored = CalendarObject::parse(&admitted.data).expect("admitted bytes are readable");
        assert_eq!(stored.uid(), admitted.parsed.uid());
        let again = intake::calendar(admitted.data.clone()).expect("admitted bytes are admitted again");
        assert!(again.repairs.is_empty(), "a repaired object needs another repair: {:?}", again.repairs);
        assert_eq!(again.data, admitted.data);
    }
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
