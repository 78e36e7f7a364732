//! Escaping for text and attribute values written by this crate.

/// Appends `s` escaped for XML character data. `\r` becomes `&#13;` so that
/// CRLF line ends of iCalendar/vCard data survive XML end-of-line
/// normalization (XML 1.0 §2.11); characters XML cannot carry (most C0
/// controls, U+FFFE, U+FFFF) become U+FFFD.
pub(crate) fn push_text(out: &mut String, s: &str) {
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '\r' => out.push_str("&#13;"),
            c => out.push(xml_char(c)),
        }
    }
}

/// Appends `s` escaped for a double-quoted attribute value; whitespace other
/// than the space is written as a character reference so that attribute-value
/// normalization (XML 1.0 §3.3.3) does not change it.
pub(crate) fn push_attr(out: &mut String, s: &str) {
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\r' => out.push_str("&#13;"),
            '\n' => out.push_str("&#10;"),
            '\t' => out.push_str("&#9;"),
            c => out.push(xml_char(c)),
        }
    }
}

/// `s` escaped for character data, as a new string.
pub(crate) fn text(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    push_text(&mut out, s);
    out
}

fn xml_char(c: char) -> char {
    match c {
        '\t' | '\n' | '\r' => c,
        '\u{0}'..='\u{1f}' | '\u{fffe}' | '\u{ffff}' => '\u{fffd}',
        c => c,
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn escapes() {
        assert_eq!(super::text("a<b>&c\"'\r\n\u{1}é"), "a&lt;b&gt;&amp;c\"'&#13;\n\u{fffd}é");
        let mut s = String::new();
        super::push_attr(&mut s, "\"x\"\t<&>");
        assert_eq!(s, "&quot;x&quot;&#9;&lt;&amp;&gt;");
    }
}
