//! Fuzzes the content-line tree (`agora_ical::content`): parse → serialize →
//! parse gives the same tree (parameter values lose their CRs, which the writer
//! drops; DQUOTEs and line feeds survive as RFC 6868 `^'` and `^n`), and
//! serializing is idempotent.
#![no_main]

use agora_ical::content::{self, Node};
use libfuzzer_sys::fuzz_target;

fn without_crs(node: &Node) -> Node {
    let mut node = node.clone();
    for line in &mut node.lines {
        for (_, values) in &mut line.params {
            for v in values {
                *v = v.replace('\r', "");
            }
        }
    }
    node.children = node.children.iter().map(without_crs).collect();
    node
}

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    let Some(tree) = content::parse(text) else { return };
    let written = content::serialize(&tree);
    let reread = content::parse(&written).expect("serialized tree must parse");
    assert_eq!(reread, without_crs(&tree));
    assert_eq!(content::serialize(&reread), written);
    for line in &tree.lines {
        let _ = content::unescape(&line.value);
    }
});
