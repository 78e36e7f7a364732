//! Fuzzes request-target decoding (`agora_dav::paths::parse`): a stored path
//! has no empty, `.` or `..` segment and no control character, and its href
//! decodes back to the same path.
#![no_main]

use agora_fuzz::paths::{Target, parse};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(raw) = std::str::from_utf8(data) else { return };
    let Ok(Target::Stored { path, slash }) = parse(raw) else { return };
    for seg in path.split('/') {
        assert!(!seg.is_empty() && seg != "." && seg != "..", "bad segment in {path:?}");
        assert!(!seg.chars().any(char::is_control));
    }
    let mut href = agora_dav_xml::href(&path);
    if slash {
        href.push('/');
    }
    assert_eq!(parse(&href), Ok(Target::Stored { path, slash }), "href {href:?} does not decode back");
});
