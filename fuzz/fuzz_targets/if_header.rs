//! Fuzzes the `If` header parser.
#![no_main]

use agora_dav_xml::parse_if_header;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(s) = std::str::from_utf8(data)
        && let Ok(header) = parse_if_header(s)
    {
        assert!(header.lists.iter().all(|l| !l.conditions.is_empty()));
    }
});
