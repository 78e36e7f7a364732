//! The writer: a [`Node`] or a [`Line`] back to text, CRLF line ends, folded at
//! 75 octets (RFC 5545 §3.1, RFC 6350 §3.2) without splitting a UTF-8 character,
//! parameter values RFC 6868-encoded and quoted where needed.

use super::{Line, Node};

/// Writes a tree back as text.
pub fn serialize(node: &Node) -> String {
    let mut out = String::new();
    write_node(node, &mut out);
    out
}

/// Appends a tree as text.
pub fn write_node(node: &Node, out: &mut String) {
    fold_into(&format!("BEGIN:{}", node.name), out);
    for line in &node.lines {
        write_line(line, out);
    }
    for child in &node.children {
        write_node(child, out);
    }
    fold_into(&format!("END:{}", node.name), out);
}

/// Appends one content line, folded, with CRLF. `line.value` must not contain
/// line breaks (TEXT values carry them escaped as `\n`).
pub fn write_line(line: &Line, out: &mut String) {
    fold_into(&line_text(line), out);
}

/// One unfolded content line: `[group.]NAME;PARAM=v1,v2:value`.
pub fn line_text(line: &Line) -> String {
    let mut s = String::with_capacity(line.name.len() + line.value.len() + 16);
    if let Some(g) = &line.group {
        s.push_str(g);
        s.push('.');
    }
    s.push_str(&line.name);
    for (name, values) in &line.params {
        s.push(';');
        s.push_str(name);
        s.push('=');
        for (i, v) in values.iter().enumerate() {
            if i > 0 {
                s.push(',');
            }
            param_value(&mut s, v);
        }
    }
    s.push(':');
    s.push_str(&line.value);
    s
}

/// A parameter value: RFC 6868 caret encoding (DQUOTE and line breaks cannot be
/// written otherwise, RFC 5545 §3.1), quoted when it holds `:` `;` `,` (not
/// `paramtext`) or starts with a space or tab (some readers would trim it).
fn param_value(out: &mut String, v: &str) {
    let mut enc = String::with_capacity(v.len());
    for c in v.chars() {
        match c {
            '^' => enc.push_str("^^"),
            '\n' => enc.push_str("^n"),
            '"' => enc.push_str("^'"),
            '\r' => {}
            c => enc.push(c),
        }
    }
    if enc.contains([':', ';', ',']) || enc.starts_with([' ', '\t']) {
        out.push('"');
        out.push_str(&enc);
        out.push('"');
    } else {
        out.push_str(&enc);
    }
}

/// Appends one content line folded at 75 octets without splitting a UTF-8
/// character, with CRLF.
pub fn fold_into(line: &str, out: &mut String) {
    // 75 octets on the first line, 74 after the leading space of continuations.
    let mut limit = 75;
    let mut used = 0;
    for c in line.chars() {
        let n = c.len_utf8();
        if used + n > limit {
            out.push_str("\r\n ");
            used = 0;
            limit = 74;
        }
        out.push(c);
        used += n;
    }
    out.push_str("\r\n");
}
