//! Fuzzes the PROPPATCH, MKCOL/MKCALENDAR and LOCK parsers; every dead
//! property they return must be a readable, self-contained fragment.
#![no_main]

use agora_dav_xml::{Limits, PropOp, parse_lock_body, parse_mkcol, parse_proppatch};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let limits = Limits::default();
    if let Ok(ops) = parse_proppatch(data, &limits) {
        for op in ops {
            if let PropOp::Set(prop) = op {
                let element = prop.element().expect("fragment must re-parse");
                assert_eq!(element.name, prop.name);
            }
        }
    }
    if let Ok(mkcol) = parse_mkcol(data, &limits) {
        for prop in mkcol.props {
            prop.element().expect("fragment must re-parse");
        }
    }
    let _ = parse_lock_body(data, &limits);
});
