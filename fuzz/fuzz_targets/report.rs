//! Fuzzes the REPORT parser with default and with tight limits.
#![no_main]

use agora_dav_xml::{Limits, parse_report};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let _ = parse_report(data, &Limits::default());
    let _ = parse_report(data, &Limits { max_depth: 6, max_properties: 8 });
});
