//! A minimal content-line tree (RFC 5545 §3.1, RFC 6350 §3.3) of the stored text,
//! used to test properties and parameters in query filters. Values are compared
//! as written (TEXT escapes undone), which is what RFC 4791 §9.7.5 and RFC 6352
//! §10.5.4 text-match compare. [`serialize`] writes a tree back (iTIP builds
//! its messages and the texts it changes that way).

/// One property line: name (without vCard group), parameters, raw value.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Line {
    /// Upper-cased property name.
    pub name: String,
    /// Parameters: upper-cased name and values (quotes removed).
    pub params: Vec<(String, Vec<String>)>,
    /// The value as written.
    pub value: String,
}

/// A component (`BEGIN:X` … `END:X`) with its lines and sub-components.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Node {
    /// Upper-cased component name.
    pub name: String,
    /// Its property lines.
    pub lines: Vec<Line>,
    /// Its sub-components.
    pub children: Vec<Node>,
}

impl Node {
    /// The properties called `name`.
    pub fn props<'a>(&'a self, name: &'a str) -> impl Iterator<Item = &'a Line> {
        self.lines.iter().filter(move |l| l.name.eq_ignore_ascii_case(name))
    }

    /// The sub-components called `name`.
    pub fn comps<'a>(&'a self, name: &'a str) -> impl Iterator<Item = &'a Node> {
        self.children.iter().filter(move |c| c.name.eq_ignore_ascii_case(name))
    }
}

/// Unfolds the text and builds the tree of its first top-level component.
pub fn parse(text: &str) -> Option<Node> {
    let mut stack: Vec<Node> = Vec::new();
    let mut unfolded: Vec<String> = Vec::new();
    for raw in text.split('\n') {
        let raw = raw.strip_suffix('\r').unwrap_or(raw);
        if (raw.starts_with(' ') || raw.starts_with('\t')) && !unfolded.is_empty() {
            unfolded.last_mut().expect("checked").push_str(&raw[1..]);
        } else if !raw.is_empty() {
            unfolded.push(raw.to_owned());
        }
    }
    for l in unfolded {
        let line = parse_line(&l)?;
        match line.name.as_str() {
            "BEGIN" => stack.push(Node { name: line.value.trim().to_ascii_uppercase(), ..Node::default() }),
            "END" => {
                let node = stack.pop()?;
                match stack.last_mut() {
                    Some(parent) => parent.children.push(node),
                    None => return Some(node),
                }
            }
            _ => stack.last_mut()?.lines.push(line),
        }
    }
    None
}

fn parse_line(l: &str) -> Option<Line> {
    // The name ends at the first ';' or ':'; parameter values may be quoted.
    let name_end = l.find([';', ':'])?;
    let full_name = &l[..name_end];
    let name = full_name.rsplit('.').next().unwrap_or(full_name).to_ascii_uppercase();
    let mut params = Vec::new();
    let bytes = l.as_bytes();
    let mut i = name_end;
    while i < l.len() && bytes[i] == b';' {
        let eq = l[i + 1..].find('=').map(|p| p + i + 1)?;
        let pname = l[i + 1..eq].to_ascii_uppercase();
        let mut values = Vec::new();
        let mut j = eq + 1;
        loop {
            if j < l.len() && bytes[j] == b'"' {
                let close = l[j + 1..].find('"').map(|p| p + j + 1)?;
                values.push(l[j + 1..close].to_owned());
                j = close + 1;
            } else {
                let end = l[j..].find([',', ';', ':']).map(|p| p + j).unwrap_or(l.len());
                values.push(l[j..end].to_owned());
                j = end;
            }
            if j < l.len() && bytes[j] == b',' {
                j += 1;
                continue;
            }
            break;
        }
        params.push((pname, values));
        i = j;
    }
    if i >= l.len() || bytes[i] != b':' {
        return None;
    }
    Some(Line { name, params, value: l[i + 1..].to_owned() })
}

/// Undoes TEXT escapes (`\,` `\;` `\n` `\\`).
pub fn unescape(value: &str) -> String {
    let mut out = String::with_capacity(value.len());
    let mut chars = value.chars();
    while let Some(c) = chars.next() {
        if c == '\\' {
            match chars.next() {
                Some('n') | Some('N') => out.push('\n'),
                Some(other) => out.push(other),
                None => out.push('\\'),
            }
        } else {
            out.push(c);
        }
    }
    out
}

/// Writes a tree back as text: CRLF line endings, lines folded at 75 octets
/// (RFC 5545 §3.1) without splitting a UTF-8 character.
pub fn serialize(node: &Node) -> String {
    let mut out = String::new();
    write_node(node, &mut out);
    out
}

fn write_node(node: &Node, out: &mut String) {
    fold_into(&format!("BEGIN:{}", node.name), out);
    for line in &node.lines {
        fold_into(&line_text(line), out);
    }
    for child in &node.children {
        write_node(child, out);
    }
    fold_into(&format!("END:{}", node.name), out);
}

/// One unfolded content line: `NAME;PARAM=v1,v2:value`.
pub fn line_text(line: &Line) -> String {
    let mut s = line.name.clone();
    for (name, values) in &line.params {
        s.push(';');
        s.push_str(name);
        s.push('=');
        for (i, v) in values.iter().enumerate() {
            if i > 0 {
                s.push(',');
            }
            // DQUOTE cannot appear in a parameter value at all (RFC 5545 §3.1).
            let v = v.replace('"', "");
            if needs_quotes(&v) {
                s.push('"');
                s.push_str(&v);
                s.push('"');
            } else {
                s.push_str(&v);
            }
        }
    }
    s.push(':');
    s.push_str(&line.value);
    s
}

/// `paramtext` is `*SAFE-CHAR`: no `:` `;` `,` and no controls; a value that
/// starts with a space would also be read back trimmed by some parsers.
fn needs_quotes(v: &str) -> bool {
    v.contains([':', ';', ',']) || v.starts_with([' ', '\t'])
}

/// Appends one content line folded at 75 octets (RFC 5545 §3.1, RFC 6350 §3.2)
/// without splitting a UTF-8 character, with CRLF.
pub(crate) fn fold_into(line: &str, out: &mut String) {
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tree_with_folding_groups_and_quoted_params() {
        let text = "BEGIN:VCALENDAR\r\nBEGIN:VEVENT\r\nSUMMARY:Long\r\n  summary\r\n\
                    ATTENDEE;CN=\"Dupont, Jean\";ROLE=REQ-PARTICIPANT:mailto:j@x.org\r\n\
                    BEGIN:VALARM\r\nACTION:DISPLAY\r\nEND:VALARM\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n";
        let root = parse(text).unwrap();
        let ev = root.comps("VEVENT").next().unwrap();
        assert_eq!(ev.props("summary").next().unwrap().value, "Long summary");
        let att = ev.props("ATTENDEE").next().unwrap();
        assert_eq!(att.params[0], ("CN".to_string(), vec!["Dupont, Jean".to_string()]));
        assert_eq!(att.value, "mailto:j@x.org");
        assert_eq!(ev.comps("VALARM").count(), 1);
        let card = parse("BEGIN:VCARD\nitem1.EMAIL;TYPE=work,pref:a@b.c\nEND:VCARD\n").unwrap();
        let email = card.props("EMAIL").next().unwrap();
        assert_eq!(email.params[0].1, ["work", "pref"]);
        assert_eq!(unescape("a\\, b\\;c\\nd"), "a, b;c\nd");
    }

    #[test]
    fn serialize_quotes_and_folds_at_char_boundaries() {
        let long = "é".repeat(60);
        let text = format!(
            "BEGIN:VCALENDAR\r\nBEGIN:VEVENT\r\nATTENDEE;CN=\"Dupont, Jean\";ROLE=CHAIR:mailto:j@x.org\r\n\
             SUMMARY:{long}\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n"
        );
        let root = parse(&text).unwrap();
        let out = serialize(&root);
        assert!(out.contains("ATTENDEE;CN=\"Dupont, Jean\";ROLE=CHAIR:mailto:j@x.org\r\n"));
        assert!(out.split("\r\n").all(|l| l.len() <= 75), "{out}");
        assert_eq!(parse(&out), Some(root));
    }
}
