//! Fuzzes feed streams (`agora_ical::feed`): `split` gives each UID once, with
//! a non-empty UID that the object's text names; `merge` of the split objects
//! splits again into the same UIDs, in the same order.
#![no_main]

use agora_ical::feed::{merge, split};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    let objects = split(text);
    let uids: Vec<&str> = objects.iter().map(|(u, _)| u.as_str()).collect();
    for (i, (uid, object)) in objects.iter().enumerate() {
        assert!(!uid.is_empty());
        assert!(agora_fuzz::unfolded(object).contains(uid.as_str()), "UID {uid:?} not in its object");
        assert!(!uids[..i].contains(&uid.as_str()), "UID {uid:?} split twice");
    }
    let texts: Vec<String> = objects.iter().map(|(_, t)| t.clone()).collect();
    let merged = merge("feed; name, with\\specials", &texts);
    let again: Vec<String> = split(&merged).into_iter().map(|(u, _)| u).collect();
    assert_eq!(again, uids, "merge then split changed the objects");
});
