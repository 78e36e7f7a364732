//! vCard ↔ jCard (RFC 7095), reading vCard 3.0 (RFC 2426) and 4.0 (RFC 6350).

use serde_json::{Value, json};

use super::JsonError;
use super::props::{jprop, params_from_json, params_to_json, values_from_json, values_to_json, write};
use crate::content::{self, Line, Node};

/// The default value type of a vCard 4.0 property (RFC 6350 §6, RFC 6474, RFC
/// 6715, RFC 8605), plus the vCard 3.0 text properties; `None` for X- and
/// unregistered properties.
fn default_type(name: &str) -> Option<&'static str> {
    Some(match name {
        "FN" | "KIND" | "XML" | "NICKNAME" | "NOTE" | "PRODID" | "TITLE" | "ROLE" | "EMAIL" | "TEL" | "CATEGORIES"
        | "N" | "ADR" | "ORG" | "GENDER" | "VERSION" | "CLIENTPIDMAP" | "TZ" | "BIRTHPLACE" | "DEATHPLACE"
        | "EXPERTISE" | "HOBBY" | "INTEREST" | "LABEL" | "MAILER" | "SORT-STRING" | "CLASS" | "NAME" | "PROFILE" => {
            "text"
        }
        "SOURCE" | "PHOTO" | "IMPP" | "GEO" | "LOGO" | "MEMBER" | "RELATED" | "SOUND" | "UID" | "URL" | "KEY"
        | "FBURL" | "CALADRURI" | "CALURI" | "ORG-DIRECTORY" | "CONTACT-URI" => "uri",
        "BDAY" | "ANNIVERSARY" | "DEATHDATE" => "date-and-or-time",
        "REV" => "timestamp",
        "LANG" => "language-tag",
        _ => return None,
    })
}

/// Comma-separated lists: one jCard value each.
fn is_multi(name: &str) -> bool {
    matches!(name, "NICKNAME" | "CATEGORIES")
}

/// `;`-structured values: one jCard array.
fn is_structured(name: &str) -> bool {
    matches!(name, "N" | "ADR" | "ORG" | "GENDER" | "CLIENTPIDMAP")
}

/// Structured values whose components are themselves lists (RFC 6350 §6.2.2, §6.3.1).
fn has_lists(name: &str) -> bool {
    matches!(name, "N" | "ADR")
}

/// `±hh`, `±hhmm`, `±hh:mm`.
fn is_offset(s: &str) -> bool {
    let Some(rest) = s.strip_prefix(['+', '-']) else { return false };
    let digits: String = rest.chars().filter(|c| *c != ':').collect();
    (digits.len() == 2 || digits.len() == 4) && digits.bytes().all(|b| b.is_ascii_digit()) && rest.len() <= 5
}

/// `scheme:` at the start (RFC 3986 §3.1).
fn has_scheme(s: &str) -> bool {
    s.split_once(':').is_some_and(|(scheme, _)| {
        scheme.starts_with(|c: char| c.is_ascii_alphabetic())
            && scheme.bytes().all(|b| b.is_ascii_alphanumeric() || b"+-.".contains(&b))
    })
}

/// vCard 3.0 → 4.0 forms: inline binary as a `data:` URI, `GEO:lat;lon` as a
/// `geo:` URI, `TYPE="a,b"` as two TYPE values.
fn upgrade(p: &Line) -> Line {
    let mut p = p.clone();
    for (_, values) in p.params.iter_mut().filter(|(n, _)| n == "TYPE") {
        *values = values.iter().flat_map(|v| v.split(',')).map(str::to_owned).collect();
    }
    let binary = p
        .param_values("ENCODING")
        .is_some_and(|e| e.iter().any(|e| matches!(e.as_str(), "b" | "B" | "BASE64" | "base64")));
    let class = match p.name.as_str() {
        "PHOTO" | "LOGO" => Some("image"),
        "SOUND" => Some("audio"),
        "KEY" => Some("application"),
        _ => None,
    };
    if let (true, Some(class)) = (binary, class) {
        // A TYPE with a line break (RFC 6868 `^n`) cannot go into the URI (the
        // jcard fuzz target found one): such a type is not a media type.
        let media = p.param("TYPE").map(|t| t.to_ascii_lowercase()).filter(|t| !t.contains(char::is_control));
        let mime = match media {
            Some(m) if m.contains('/') => m,
            Some(m) => format!("{class}/{m}"),
            None => "application/octet-stream".to_owned(),
        };
        let data: String = p.value.chars().filter(|c| !c.is_whitespace()).collect();
        p.value = format!("data:{mime};base64,{data}");
        p.params.retain(|(n, _)| n != "ENCODING" && n != "TYPE" && n != "VALUE");
    }
    if p.name == "GEO" && p.param("VALUE").is_none() && p.value.contains(';') && !p.value.contains(':') {
        p.value = format!("geo:{}", p.value.replace(';', ","));
    }
    p
}

/// The jCard type: the VALUE parameter, else the default refined by the value's form.
fn value_type(p: &Line) -> String {
    match p.param("VALUE").map(|v| v.to_ascii_lowercase()) {
        Some(v) => v,
        None if p.name == "TZ" && is_offset(&p.value) => "utc-offset".to_owned(),
        None if p.name == "UID" && !has_scheme(&p.value) => "text".to_owned(),
        None => default_type(&p.name).unwrap_or("unknown").to_owned(),
    }
}

fn prop_to_json(p: &Line) -> Result<Value, JsonError> {
    let p = upgrade(p);
    // jCard carries the group as the `group` parameter (RFC 7095 §3.3.1.2); a vCard
    // parameter of that name could not be told from it (the jcard fuzz target found
    // `TEL;group=uT.ri:…` coming back as the group prefix `uT.ri.`).
    if p.param("GROUP").is_some() {
        return Err(JsonError::value(&p.name, "a GROUP parameter cannot be carried in jCard"));
    }
    let ty = value_type(&p);
    let mut params = params_to_json(&p.params, &["VALUE"]);
    if let Some(g) = &p.group {
        params.insert("group".to_owned(), Value::String(g.clone()));
    }
    let values = values_to_json(&p.name, &ty, &p.value, is_structured(&p.name), has_lists(&p.name), is_multi(&p.name))?;
    let mut arr = vec![Value::String(p.name.to_ascii_lowercase()), Value::Object(params), Value::String(ty)];
    arr.extend(values);
    Ok(Value::Array(arr))
}

fn card_to_json(c: &Node) -> Result<Value, JsonError> {
    if let Some(child) = c.children.first() {
        return Err(JsonError::text(0, format!("nested {} in a vCard", child.name)));
    }
    let mut props = vec![json!(["version", {}, "text", "4.0"])];
    for p in c.lines.iter().filter(|p| p.name != "VERSION") {
        props.push(prop_to_json(p)?);
    }
    Ok(json!(["vcard", props]))
}

/// Converts vCard 3.0 or 4.0 text to jCard (RFC 7095): one `VCARD` gives
/// `["vcard", [props]]`, several give an array of those.
///
/// `version` is always `"4.0"` (jCard is defined on vCard 4.0) and 3.0 forms are
/// upgraded where the mapping is obvious (see the module documentation). Groups
/// (`item1.X-ABLabel`) become the `group` parameter. Fails on malformed content
/// lines, unbalanced `BEGIN`/`END`, a top-level component other than `VCARD`, and
/// values JSON cannot carry (a non-numeric INTEGER or FLOAT, a bad BOOLEAN).
pub fn vcard_to_jcard(text: &str) -> Result<Value, JsonError> {
    let comps = content::parse_all(text)?;
    if let Some(other) = comps.iter().find(|c| c.name != "VCARD") {
        return Err(JsonError::text(0, format!("top-level component {} is not VCARD", other.name)));
    }
    let mut cards = comps.iter().map(card_to_json).collect::<Result<Vec<_>, _>>()?;
    Ok(if cards.len() == 1 { cards.remove(0) } else { Value::Array(cards) })
}

fn write_prop(out: &mut String, v: &Value) -> Result<(), JsonError> {
    let p = jprop(v)?;
    let group = match p.params.get("group") {
        None => None,
        Some(Value::String(g)) => Some(g.as_str()),
        Some(other) => return Err(JsonError::value(&p.name, format!("bad group {other}"))),
    };
    let name = p.name.to_ascii_uppercase();
    let params = params_from_json(&p.name, p.params, &["group", "value"])?;
    let value = values_from_json(&p.name, &p.ty, p.values, is_structured(&name), is_multi(&name))?;
    let mut line = Line { group: group.map(str::to_owned), name, params, value };
    // VALUE is written when the type is not the property's default, and also when
    // reading the line without it would give another type: the reader refines the
    // default by the value's form (the jcard fuzz target found `["uid", {}, "uri",
    // "A"]` written as `UID:A`, read back as text).
    // `unknown` for a property with a known type is kept as VALUE=UNKNOWN, else
    // the line would read back typed (the jcal fuzz target: GEO `"r"`).
    let differs = default_type(&line.name) != Some(p.ty.as_str()) || value_type(&line) != p.ty;
    if differs && (p.ty != "unknown" || default_type(&line.name).is_some()) {
        line.params.insert(0, ("VALUE".to_owned(), vec![p.ty.clone()]));
    }
    write(out, group, &line.name, &line.params, &line.value)
}

fn write_card(out: &mut String, v: &Value) -> Result<(), JsonError> {
    let parts = v.as_array().map(Vec::as_slice).unwrap_or_default();
    let [Value::String(name), Value::Array(props)] = parts else {
        return Err(JsonError::shape(format!("a jCard must be [\"vcard\", [props]], not {v}")));
    };
    if !name.eq_ignore_ascii_case("vcard") {
        return Err(JsonError::shape(format!("{name:?} is not \"vcard\"")));
    }
    content::write_line(&Line::new("BEGIN", Vec::new(), "VCARD"), out);
    content::write_line(&Line::new("VERSION", Vec::new(), "4.0"), out);
    for p in props {
        if jprop(p)?.name != "version" {
            write_prop(out, p)?;
        }
    }
    content::write_line(&Line::new("END", Vec::new(), "VCARD"), out);
    Ok(())
}

/// Converts jCard (RFC 7095) to vCard 4.0 text with CRLF line ends and lines
/// folded at 75 octets. Accepts one `["vcard", [props]]` or an array of them.
///
/// `VERSION:4.0` is written first whatever the jCard's `version` says; the `group`
/// parameter becomes the `group.` prefix; `VALUE` is written when the type is
/// not the property's default; `unknown` values are written as they are.
pub fn jcard_to_vcard(value: &Value) -> Result<String, JsonError> {
    let cards = match value.as_array().and_then(|a| a.first()) {
        Some(Value::String(_)) => std::slice::from_ref(value),
        Some(_) => value.as_array().map(Vec::as_slice).unwrap_or_default(),
        None => return Err(JsonError::shape("expected [\"vcard\", [props]]")),
    };
    let mut out = String::new();
    for c in cards {
        write_card(&mut out, c)?;
    }
    Ok(out)
}
