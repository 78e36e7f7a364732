//! Value conversions shared by jCal and jCard: TEXT escapes, list splitting,
//! basic ↔ extended date/time forms, and one value of a given type to JSON and
//! back (RFC 7265 §3.6, RFC 7095 §3.5).

use serde_json::{Number, Value};

use super::JsonError;
use super::recur;

/// Undoes TEXT escapes (`\\` `\;` `\,` `\n`/`\N`; any other escaped character is kept).
pub(crate) fn unescape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut chars = s.chars();
    while let Some(c) = chars.next() {
        match (c, c == '\\') {
            (_, true) => match chars.next() {
                Some('n' | 'N') => out.push('\n'),
                Some(o) => out.push(o),
                None => out.push('\\'),
            },
            (c, false) => out.push(c),
        }
    }
    out
}

/// Escapes a TEXT value (`\` `;` `,` and line breaks; CRLF and CR become `\n`).
pub(crate) fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 8);
    let mut chars = s.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\\' => out.push_str("\\\\"),
            ';' => out.push_str("\\;"),
            ',' => out.push_str("\\,"),
            '\n' => out.push_str("\\n"),
            '\r' => {
                chars.next_if_eq(&'\n');
                out.push_str("\\n");
            }
            c => out.push(c),
        }
    }
    out
}

/// Splits on `sep` where it is not escaped by a backslash.
pub(crate) fn split_unescaped(s: &str, sep: char) -> Vec<&str> {
    let mut parts = Vec::new();
    let (mut start, mut escaped) = (0, false);
    for (i, c) in s.char_indices() {
        if escaped {
            escaped = false;
        } else if c == '\\' {
            escaped = true;
        } else if c == sep {
            parts.push(&s[start..i]);
            start = i + 1;
        }
    }
    parts.push(&s[start..]);
    parts
}

fn all_digits(s: &str) -> bool {
    s.bytes().all(|b| b.is_ascii_digit())
}

/// `hhmmss` → `hh:mm:ss` (any even run of digits); other text is kept.
fn colonize(s: &str) -> String {
    if s.is_empty() || s.len() % 2 == 1 || !all_digits(s) {
        return s.to_owned();
    }
    s.as_bytes().chunks(2).map(|c| std::str::from_utf8(c).expect("ascii")).collect::<Vec<_>>().join(":")
}

fn date_ext(d: &str) -> String {
    match d.strip_prefix("--") {
        _ if d.len() == 8 && all_digits(d) => format!("{}-{}-{}", &d[..4], &d[4..6], &d[6..]),
        Some(md) if md.len() == 4 && all_digits(md) => format!("--{}-{}", &md[..2], &md[2..]),
        _ => d.to_owned(),
    }
}

fn time_ext(t: &str) -> String {
    let lead = t.len() - t.trim_start_matches('-').len();
    let rest = &t[lead..];
    let (main, zone) = match rest.find(['Z', 'z', '+', '-']) {
        Some(p) => rest.split_at(p),
        None => (rest, ""),
    };
    format!("{}{}{}", &t[..lead], colonize(main), offset_ext_raw(zone))
}

/// `+0100` → `+01:00`, `-053015` → `-05:30:15`; `Z` and other text are kept, as
/// is text [`offset_basic`] would not give back (see [`dt_ext`]).
fn offset_ext(z: &str) -> String {
    let ext = offset_ext_raw(z);
    if ext.replace(':', "") == z { ext } else { z.to_owned() }
}

/// `+01:00` → `+0100`; text [`offset_ext`] would not give back is kept (the jcard
/// fuzz target found `-0500:` written back as `-0500`, then read as `-05:00`).
fn offset_basic(z: &str) -> String {
    let basic = z.replace(':', "");
    if offset_ext_raw(&basic) == z { basic } else { z.to_owned() }
}

fn offset_ext_raw(z: &str) -> String {
    match z.strip_prefix(['+', '-']) {
        Some(digits) => format!("{}{}", &z[..1], colonize(digits)),
        None => z.to_owned(),
    }
}

/// Basic → extended form of a date, time, date-time or date-and-or-time; text
/// that [`dt_basic`] would not give back as it was is kept as it is.
///
/// Both directions keep a value they cannot convert exactly, so each is the
/// other's inverse on what it changes and every round trip is stable: the jcard
/// fuzz target found `BDAY:-EMBER:urn:uHOTO;X:group` kept on the way to jCard
/// and losing its last `:` (read as a time) on the way back.
pub(crate) fn dt_ext(s: &str, time_only: bool) -> String {
    let ext = ext_raw(s, time_only);
    if basic_raw(&ext, time_only) == s { ext } else { s.to_owned() }
}

/// Extended → basic form (the inverse of [`dt_ext`]); text that [`dt_ext`]
/// would not give back as it was is kept as it is.
pub(crate) fn dt_basic(s: &str, time_only: bool) -> String {
    let basic = basic_raw(s, time_only);
    if ext_raw(&basic, time_only) == s { basic } else { s.to_owned() }
}

fn ext_raw(s: &str, time_only: bool) -> String {
    if time_only {
        return time_ext(s);
    }
    match s.split_once('T') {
        Some((d, t)) => format!("{}T{}", date_ext(d), time_ext(t)),
        None => date_ext(s),
    }
}

fn basic_raw(s: &str, time_only: bool) -> String {
    let date_basic = |d: &str| {
        let b = d.as_bytes();
        if d.len() == 10 && b[4] == b'-' && b[7] == b'-' || d.len() == 7 && d.starts_with("--") && b[4] == b'-' {
            format!("{}{}", if d.starts_with("--") { "--" } else { "" }, d.trim_start_matches('-').replace('-', ""))
        } else {
            d.to_owned()
        }
    };
    match s.split_once('T') {
        Some((d, t)) if !time_only => format!("{}T{}", date_basic(d), t.replace(':', "")),
        _ if time_only => s.replace(':', ""),
        _ => date_basic(s),
    }
}

/// True for a duration (`P…`, `+P…`, `-P…`).
pub(crate) fn is_duration(s: &str) -> bool {
    s.trim_start_matches(['+', '-']).starts_with('P')
}

/// One raw (escaped) value of type `ty` → JSON. `prop` names errors.
pub(crate) fn to_json(prop: &str, ty: &str, raw: &str) -> Result<Value, JsonError> {
    let bad = |what: &str| JsonError::value(prop, format!("{raw:?} is not a valid {what}"));
    Ok(match ty {
        "text" => Value::String(unescape(raw)),
        "date" | "date-time" | "date-and-or-time" | "timestamp" => Value::String(dt_ext(raw, false)),
        "time" => Value::String(dt_ext(raw, true)),
        "utc-offset" => Value::String(offset_ext(raw)),
        "integer" => Value::Number(raw.trim().parse::<i64>().map_err(|_| bad("integer"))?.into()),
        "float" => {
            let f = raw.trim().parse::<f64>().ok().filter(|f| f.is_finite()).ok_or_else(|| bad("float"))?;
            Value::Number(Number::from_f64(f).ok_or_else(|| bad("float"))?)
        }
        "boolean" => match raw.trim().to_ascii_uppercase().as_str() {
            "TRUE" => Value::Bool(true),
            "FALSE" => Value::Bool(false),
            _ => return Err(bad("boolean")),
        },
        "period" => {
            let (start, end) = raw.split_once('/').ok_or_else(|| bad("period"))?;
            let end = if is_duration(end) { end.to_owned() } else { dt_ext(end, false) };
            Value::Array(vec![Value::String(dt_ext(start, false)), Value::String(end)])
        }
        "recur" => recur::to_json(prop, raw)?,
        _ => Value::String(raw.to_owned()),
    })
}

/// One JSON value of type `ty` → raw text (escaped if TEXT).
pub(crate) fn from_json(prop: &str, ty: &str, v: &Value) -> Result<String, JsonError> {
    let bad = || JsonError::value(prop, format!("{v} is not a valid {ty} value"));
    let s = match (ty, v) {
        ("recur", _) => return recur::from_json(prop, v),
        ("period", Value::Array(p)) => match p.as_slice() {
            [Value::String(a), Value::String(b)] => {
                let end = if is_duration(b) { b.clone() } else { dt_basic(b, false) };
                format!("{}/{end}", dt_basic(a, false))
            }
            _ => return Err(bad()),
        },
        ("text", Value::String(s)) => return Ok(escape(s)),
        ("date" | "date-time" | "date-and-or-time" | "timestamp", Value::String(s)) => dt_basic(s, false),
        ("time", Value::String(s)) => dt_basic(s, true),
        ("utc-offset", Value::String(s)) => offset_basic(s),
        ("integer", Value::Number(n)) => match n.is_i64() || n.is_u64() {
            true => n.to_string(),
            false => return Err(bad()),
        },
        ("float", Value::Number(n)) => n.as_f64().ok_or_else(bad)?.to_string(),
        ("boolean", Value::Bool(b)) => if *b { "TRUE" } else { "FALSE" }.to_owned(),
        // A string for a numeric or boolean type would be written as it is and
        // refused when read back (the jcal fuzz target: `"r"` as a GEO float).
        ("integer" | "float" | "boolean", _) => return Err(bad()),
        (_, Value::String(s)) => s.clone(),
        (_, Value::Number(n)) => n.to_string(),
        (_, Value::Bool(b)) => if *b { "TRUE" } else { "FALSE" }.to_owned(),
        _ => return Err(bad()),
    };
    if s.contains(['\r', '\n']) {
        return Err(JsonError::value(prop, "line break in a non-text value"));
    }
    Ok(s)
}
