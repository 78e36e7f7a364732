//! Content lines (RFC 5545 §3.1, RFC 6350 §3.3) for the JSON conversions: a
//! parser that keeps vCard groups and decodes RFC 6868 parameter values, and a
//! writer that quotes, caret-encodes and folds at 75 octets.

use super::JsonError;

/// One property line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Prop {
    /// 1-based physical line where it starts (for errors).
    pub line: usize,
    /// vCard group (`item1` in `item1.EMAIL`), as written.
    pub group: Option<String>,
    /// Upper-cased name.
    pub name: String,
    /// Upper-cased parameter names with their values (unquoted, RFC 6868 decoded).
    pub params: Vec<(String, Vec<String>)>,
    /// The raw value (escapes kept).
    pub value: String,
}

impl Prop {
    /// The values of parameter `name` (upper-case), if present.
    pub fn param(&self, name: &str) -> Option<&[String]> {
        self.params.iter().find(|(n, _)| n == name).map(|(_, v)| v.as_slice())
    }
}

/// A component with its properties and sub-components.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub(crate) struct Comp {
    /// Upper-cased name.
    pub name: String,
    /// Its properties, in order.
    pub props: Vec<Prop>,
    /// Its sub-components, in order.
    pub comps: Vec<Comp>,
}

/// Unfolds `text` and returns its top-level components.
pub(crate) fn parse(text: &str) -> Result<Vec<Comp>, JsonError> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let mut unfolded: Vec<(usize, String)> = Vec::new();
    for (n, raw) in text.split('\n').enumerate() {
        let raw = raw.strip_suffix('\r').unwrap_or(raw);
        // Control characters other than HTAB are not allowed in a content line
        // (RFC 5545 §3.1, RFC 6350 §3.3). A bare CR or a NUL read into JSON
        // could not be written back as it was (the fuzz targets jcal and
        // jcard found such round trips changing the value).
        if let Some(c) = raw.chars().find(|c| c.is_control() && *c != '\t') {
            return Err(JsonError::text(n + 1, format!("control character U+{:04X} in a content line", c as u32)));
        }
        match (raw.strip_prefix([' ', '\t']), unfolded.last_mut()) {
            (Some(rest), Some((_, last))) => last.push_str(rest),
            _ if raw.trim().is_empty() => {}
            _ => unfolded.push((n + 1, raw.to_owned())),
        }
    }
    let mut stack: Vec<Comp> = Vec::new();
    let mut top = Vec::new();
    for (n, l) in unfolded {
        let prop = parse_line(n, &l)?;
        match prop.name.as_str() {
            "BEGIN" => stack.push(Comp { name: prop.value.trim().to_ascii_uppercase(), ..Comp::default() }),
            "END" => {
                let comp = stack.pop().ok_or_else(|| JsonError::text(n, "END without BEGIN"))?;
                if !comp.name.eq_ignore_ascii_case(prop.value.trim()) {
                    return Err(JsonError::text(n, format!("END:{} closes {}", prop.value.trim(), comp.name)));
                }
                match stack.last_mut() {
                    Some(parent) => parent.comps.push(comp),
                    None => top.push(comp),
                }
            }
            _ => stack.last_mut().ok_or_else(|| JsonError::text(n, "property outside a component"))?.props.push(prop),
        }
    }
    if let Some(open) = stack.last() {
        return Err(JsonError::text(0, format!("{} is not closed", open.name)));
    }
    if top.is_empty() {
        return Err(JsonError::text(0, "no component"));
    }
    Ok(top)
}

fn parse_line(n: usize, l: &str) -> Result<Prop, JsonError> {
    let bad = |m: &str| JsonError::text(n, m.to_owned());
    let name_end = l.find([';', ':']).ok_or_else(|| bad("content line without ':'"))?;
    let (group, name) = match l[..name_end].rsplit_once('.') {
        Some((g, name)) => (Some(g.to_owned()), name),
        None => (None, &l[..name_end]),
    };
    if !is_name(name) || group.as_deref().is_some_and(|g| !is_name(g)) {
        return Err(bad("bad property name"));
    }
    let mut params: Vec<(String, Vec<String>)> = Vec::new();
    let bytes = l.as_bytes();
    let mut i = name_end;
    while bytes.get(i) == Some(&b';') {
        let end = l[i + 1..].find(['=', ';', ':']).map(|p| p + i + 1).ok_or_else(|| bad("unterminated parameter"))?;
        let pname = l[i + 1..end].to_ascii_uppercase();
        if !is_name(&pname) {
            return Err(bad("bad parameter name"));
        }
        if bytes[end] != b'=' {
            // vCard 2.1 bare parameter (`TEL;CELL:`): a TYPE value.
            add_param(&mut params, "TYPE".into(), vec![pname]);
            i = end;
            continue;
        }
        let mut values = Vec::new();
        let mut j = end + 1;
        loop {
            if bytes.get(j) == Some(&b'"') {
                let close = l[j + 1..].find('"').map(|p| p + j + 1).ok_or_else(|| bad("unterminated quote"))?;
                values.push(caret_decode(&l[j + 1..close]));
                j = close + 1;
            } else {
                let end = l[j..].find([',', ';', ':']).map_or(l.len(), |p| p + j);
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
        return Err(bad("content line without ':'"));
    }
    Ok(Prop { line: n, group, name: name.to_ascii_uppercase(), params, value: l[i + 1..].to_owned() })
}

/// A repeated parameter (`TYPE=a;TYPE=b`) adds its values to the first one.
fn add_param(params: &mut Vec<(String, Vec<String>)>, name: String, values: Vec<String>) {
    match params.iter_mut().find(|(n, _)| *n == name) {
        Some((_, old)) => old.extend(values),
        None => params.push((name, values)),
    }
}

/// True for a non-empty name of letters, digits and `-` (RFC 5545 §3.1).
pub(crate) fn is_name(s: &str) -> bool {
    !s.is_empty() && s.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-')
}

/// RFC 6868: `^n` → newline, `^'` → `"`, `^^` → `^`; other `^` stay.
fn caret_decode(s: &str) -> String {
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
    if enc.contains([',', ';', ':']) {
        out.push('"');
        out.push_str(&enc);
        out.push('"');
    } else {
        out.push_str(&enc);
    }
}

/// Appends `[group.]NAME;PARAM=v,…:value` folded, with CRLF. Names must already
/// be checked with [`is_name`]; `value` must not contain line breaks.
pub(crate) fn write_line(
    out: &mut String,
    group: Option<&str>,
    name: &str,
    params: &[(String, Vec<String>)],
    value: &str,
) {
    let mut line = String::new();
    if let Some(g) = group {
        line.push_str(g);
        line.push('.');
    }
    line.push_str(name);
    for (pname, values) in params {
        line.push(';');
        line.push_str(pname);
        line.push('=');
        for (k, v) in values.iter().enumerate() {
            if k > 0 {
                line.push(',');
            }
            param_value(&mut line, v);
        }
    }
    line.push(':');
    line.push_str(value);
    crate::content::fold_into(&line, out);
}
