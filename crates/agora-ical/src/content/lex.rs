//! The lexer: physical lines → logical (unfolded) lines → [`Line`]s.
//!
//! The rules are in the [module documentation](super).

use std::borrow::Cow;

use super::Line;

/// Why one content line cannot be read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LineError {
    /// No `:` after the name and parameters.
    NoColon,
    /// The property name (or its group) is empty or has characters a name cannot have.
    BadName,
    /// A parameter name is empty or has characters a name cannot have.
    BadParamName,
    /// A parameter runs to the end of the line.
    UnterminatedParam,
    /// A quoted parameter value is not closed.
    UnterminatedQuote,
    /// Something other than `,` `;` `:` follows a quoted parameter value.
    AfterQuote,
    /// A DQUOTE inside an unquoted parameter value (RFC 5545 §3.1 and RFC 6350
    /// §3.3 `SAFE-CHAR` excludes it); only [`parse_line_strict`] refuses it.
    QuoteInValue,
}

impl std::fmt::Display for LineError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            LineError::NoColon => "content line without ':'",
            LineError::BadName => "bad property name",
            LineError::BadParamName => "bad parameter name",
            LineError::UnterminatedParam => "unterminated parameter",
            LineError::UnterminatedQuote => "unterminated quote",
            LineError::AfterQuote => "text after a quoted parameter value",
            LineError::QuoteInValue => "'\"' inside an unquoted parameter value",
        })
    }
}

impl std::error::Error for LineError {}

/// One logical line: where it starts and its physical text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Logical<'a> {
    /// 1-based physical line where it starts (for errors).
    pub number: usize,
    /// Its physical lines as stored: continuation lines and line breaks included.
    pub raw: &'a str,
}

impl<'a> Logical<'a> {
    /// The physical lines, without their line breaks, empty ones left out.
    fn physical(&self) -> impl Iterator<Item = &'a str> {
        self.raw.split('\n').map(|l| l.strip_suffix('\r').unwrap_or(l)).filter(|l| !l.is_empty())
    }

    /// The unfolded text, without line break.
    pub fn unfolded(&self) -> Cow<'a, str> {
        let mut parts = self.physical();
        let first = parts.next().unwrap_or_default();
        let Some(second) = parts.next() else { return Cow::Borrowed(first) };
        let mut out = String::with_capacity(self.raw.len());
        out.push_str(first);
        // Continuation lines start with the space or tab the fold added.
        for cont in std::iter::once(second).chain(parts) {
            out.push_str(&cont[1..]);
        }
        Cow::Owned(out)
    }

    /// Parses the unfolded line.
    pub fn parse(&self) -> Result<Line, LineError> {
        parse_line(&self.unfolded())
    }

    /// Parses the unfolded line with [`parse_line_strict`].
    pub fn parse_strict(&self) -> Result<Line, LineError> {
        parse_line_strict(&self.unfolded())
    }

    /// Appends the line as stored (folding kept), each physical line ended by CRLF.
    pub fn write_crlf(&self, out: &mut String) {
        for l in self.physical() {
            out.push_str(l);
            out.push_str("\r\n");
        }
    }
}

/// The logical lines of a text, in order.
pub fn logical_lines(text: &str) -> LogicalLines<'_> {
    LogicalLines { text: text.strip_prefix(super::BOM).unwrap_or(text), pos: 0, number: 0 }
}

/// Iterator of [`logical_lines`].
#[derive(Debug, Clone)]
pub struct LogicalLines<'a> {
    text: &'a str,
    pos: usize,
    /// Physical lines consumed so far.
    number: usize,
}

impl<'a> LogicalLines<'a> {
    /// The physical line at `pos` (with its line break) and its content without it.
    fn peek(&self) -> Option<(&'a str, &'a str)> {
        let rest = self.text.get(self.pos..).filter(|r| !r.is_empty())?;
        let line = rest.find('\n').map_or(rest, |i| &rest[..=i]);
        let content = line.strip_suffix('\n').unwrap_or(line);
        Some((line, content.strip_suffix('\r').unwrap_or(content)))
    }
}

impl<'a> Iterator for LogicalLines<'a> {
    type Item = Logical<'a>;

    fn next(&mut self) -> Option<Logical<'a>> {
        // Skip empty lines, then take the first line and its continuations.
        let (start, number) = loop {
            let (line, content) = self.peek()?;
            let start = self.pos;
            self.pos += line.len();
            self.number += 1;
            if !content.is_empty() {
                break (start, self.number);
            }
        };
        let mut end = self.pos;
        while let Some((line, content)) = self.peek() {
            if content.is_empty() {
                self.pos += line.len();
                self.number += 1;
            } else if content.starts_with([' ', '\t']) {
                self.pos += line.len();
                self.number += 1;
                end = self.pos;
            } else {
                break;
            }
        }
        Some(Logical { number, raw: &self.text[start..end] })
    }
}

/// True for a non-empty name of letters, digits and `-` (RFC 5545 §3.1
/// `iana-token` / `x-name`, RFC 6350 §3.3 `group`).
pub fn is_name(s: &str) -> bool {
    !s.is_empty() && s.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-')
}

/// Parses one unfolded content line.
pub fn parse_line(l: &str) -> Result<Line, LineError> {
    parse_line_mode(l, false)
}

/// [`parse_line`], also refusing a DQUOTE inside an unquoted parameter value
/// (`X-P=a"b`), which the lenient reader keeps: calcard writes such a value back
/// as `"a\"b"`, which no reader accepts (found by the vcard fuzz target).
pub fn parse_line_strict(l: &str) -> Result<Line, LineError> {
    parse_line_mode(l, true)
}

fn parse_line_mode(l: &str, strict: bool) -> Result<Line, LineError> {
    let name_end = l.find([';', ':']).ok_or(LineError::NoColon)?;
    let (group, name) = match l[..name_end].rsplit_once('.') {
        Some((g, name)) => (Some(g), name),
        None => (None, &l[..name_end]),
    };
    if !is_name(name) || group.is_some_and(|g| !is_name(g)) {
        return Err(LineError::BadName);
    }
    let mut params: Vec<(String, Vec<String>)> = Vec::new();
    let bytes = l.as_bytes();
    let mut i = name_end;
    while bytes.get(i) == Some(&b';') {
        let end = l[i + 1..].find(['=', ';', ':']).map(|p| p + i + 1).ok_or(LineError::UnterminatedParam)?;
        let pname = l[i + 1..end].to_ascii_uppercase();
        if !is_name(&pname) {
            return Err(LineError::BadParamName);
        }
        if bytes[end] != b'=' {
            // vCard 2.1 bare parameter (`TEL;CELL:`): a TYPE value (RFC 2426 §4 keeps
            // reading them).
            add_param(&mut params, "TYPE".into(), vec![pname]);
            i = end;
            continue;
        }
        let mut values = Vec::new();
        let mut j = end + 1;
        loop {
            if bytes.get(j) == Some(&b'"') {
                let close = l[j + 1..].find('"').map(|p| p + j + 1).ok_or(LineError::UnterminatedQuote)?;
                values.push(caret_decode(&l[j + 1..close]));
                j = close + 1;
                if !matches!(bytes.get(j), Some(b',' | b';' | b':')) {
                    return Err(if j >= l.len() { LineError::NoColon } else { LineError::AfterQuote });
                }
            } else {
                let end = l[j..].find([',', ';', ':']).map_or(l.len(), |p| p + j);
                if strict && l[j..end].contains('"') {
                    return Err(LineError::QuoteInValue);
                }
                values.push(caret_decode(&l[j..end]));
                j = end;
            }
            if bytes.get(j) != Some(&b',') {
                break;
            }
            j += 1;
        }
        add_param(&mut params, pname, values);
        i = j;
    }
    if bytes.get(i) != Some(&b':') {
        return Err(LineError::NoColon);
    }
    Ok(Line { group: group.map(str::to_owned), name: name.to_ascii_uppercase(), params, value: l[i + 1..].to_owned() })
}

/// A repeated parameter (`TYPE=a;TYPE=b`) adds its values to the first one.
fn add_param(params: &mut Vec<(String, Vec<String>)>, name: String, values: Vec<String>) {
    match params.iter_mut().find(|(n, _)| *n == name) {
        Some((_, old)) => old.extend(values),
        None => params.push((name, values)),
    }
}

/// RFC 6868: `^n` → newline, `^'` → `"`, `^^` → `^`; other `^` stay.
fn caret_decode(s: &str) -> String {
    if !s.contains('^') {
        return s.to_owned();
    }
    let mut out = String::with_capacity(s.len());
    let mut chars = s.chars().peekable();
    while let Some(c) = chars.next() {
        match (c, chars.peek()) {
            ('^', Some('n' | 'N')) => out.push('\n'),
            ('^', Some('\'')) => out.push('"'),
            ('^', Some('^')) => out.push('^'),
            _ => {
                out.push(c);
                continue;
            }
        }
        chars.next();
    }
    out
}

/// Undoes TEXT escapes (RFC 5545 §3.3.11, RFC 6350 §3.4): `\,` `\;` `\n` `\N` `\\`.
pub fn unescape(value: &str) -> String {
    let mut out = String::with_capacity(value.len());
    let mut chars = value.chars();
    while let Some(c) = chars.next() {
        if c == '\\' {
            match chars.next() {
                Some('n' | 'N') => out.push('\n'),
                Some(other) => out.push(other),
                None => out.push('\\'),
            }
        } else {
            out.push(c);
        }
    }
    out
}
