//! Fuzzes the PROPFIND parser: any input must give Ok or Err, never a panic.
#![no_main]

use agora_dav_xml::{Limits, parse_propfind};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let _ = parse_propfind(data, &Limits::default());
});
