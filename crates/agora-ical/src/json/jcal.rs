//! iCalendar ↔ jCal (RFC 7265).

use serde_json::{Value, json};

use super::JsonError;
use super::props::{jprop, params_from_json, params_to_json, values_from_json, values_to_json, write};
use super::values::is_duration;
use crate::content::{self, Line, Node, is_name};

/// The default value type of an iCalendar property (RFC 5545 §3.7–3.8, RFC 7986
/// §5); `None` for X- and unregistered properties.
fn default_type(name: &str) -> Option<&'static str> {
    Some(match name {
        "CALSCALE" | "METHOD" | "PRODID" | "VERSION" | "CATEGORIES" | "CLASS" | "COMMENT" | "DESCRIPTION"
        | "LOCATION" | "RESOURCES" | "STATUS" | "SUMMARY" | "TRANSP" | "TZID" | "TZNAME" | "CONTACT" | "RELATED-TO"
        | "UID" | "ACTION" | "REQUEST-STATUS" | "NAME" | "COLOR" => "text",
        "COMPLETED" | "DTEND" | "DUE" | "DTSTART" | "RECURRENCE-ID" | "EXDATE" | "RDATE" | "CREATED" | "DTSTAMP"
        | "LAST-MODIFIED" | "ACKNOWLEDGED" => "date-time",
        "DURATION" | "TRIGGER" | "REFRESH-INTERVAL" => "duration",
        "PERCENT-COMPLETE" | "PRIORITY" | "REPEAT" | "SEQUENCE" => "integer",
        "GEO" => "float",
        "ATTENDEE" | "ORGANIZER" => "cal-address",
        "ATTACH" | "TZURL" | "URL" | "IMAGE" | "CONFERENCE" | "SOURCE" => "uri",
        "TZOFFSETFROM" | "TZOFFSETTO" => "utc-offset",
        "RRULE" | "EXRULE" => "recur",
        "FREEBUSY" => "period",
        _ => return None,
    })
}

/// Properties whose value is a comma-separated list (one jCal value each).
fn is_multi(name: &str) -> bool {
    matches!(name, "CATEGORIES" | "RESOURCES" | "EXDATE" | "RDATE" | "FREEBUSY")
}

/// Properties whose value is `;`-structured (one jCal array).
fn is_structured(name: &str) -> bool {
    matches!(name, "GEO" | "REQUEST-STATUS")
}

/// The jCal type: the VALUE parameter, else the default refined by the value's form.
fn value_type(p: &Line) -> String {
    if let Some(v) = p.param("VALUE") {
        return v.to_ascii_lowercase();
    }
    let first = p.value.split(',').next().unwrap_or_default();
    match p.name.as_str() {
        "DTSTART" | "DTEND" | "DUE" | "RECURRENCE-ID" | "EXDATE" | "RDATE" => {
            if p.name == "RDATE" && first.contains('/') {
                "period"
            } else if first.contains('T') || first.is_empty() {
                "date-time"
            } else {
                "date"
            }
        }
        "TRIGGER" if !first.is_empty() && !is_duration(first) => "date-time",
        "ATTACH" if p.param_values("ENCODING").is_some_and(|e| e.iter().any(|e| e.eq_ignore_ascii_case("BASE64"))) => {
            "binary"
        }
        name => default_type(name).unwrap_or("unknown"),
    }
    .to_owned()
}

fn prop_to_json(p: &Line) -> Result<Value, JsonError> {
    let ty = value_type(p);
    let values = values_to_json(&p.name, &ty, &p.value, is_structured(&p.name), false, is_multi(&p.name))?;
    let mut params = params_to_json(&p.params, &["VALUE"]);
    // A binary value is always written back with ENCODING=BASE64 (RFC 5545
    // §3.3.1 requires it); saying so here too keeps a round trip stable when
    // the text had `VALUE=BINARY` alone.
    if ty == "binary" && !params.contains_key("encoding") {
        params.insert("encoding".to_owned(), Value::String("BASE64".to_owned()));
    }
    let mut arr = vec![Value::String(p.name.to_ascii_lowercase()), Value::Object(params), Value::String(ty)];
    arr.extend(values);
    Ok(Value::Array(arr))
}

fn comp_to_json(c: &Node) -> Result<Value, JsonError> {
    let props = c.lines.iter().map(prop_to_json).collect::<Result<Vec<_>, _>>()?;
    let comps = c.children.iter().map(comp_to_json).collect::<Result<Vec<_>, _>>()?;
    Ok(json!([c.name.to_ascii_lowercase(), props, comps]))
}

/// Converts iCalendar text (RFC 5545) to jCal (RFC 7265): one `VCALENDAR` gives
/// `["vcalendar", [props], [components]]`, several give an array of those.
///
/// Fails on malformed content lines, unbalanced `BEGIN`/`END`, a top-level
/// component other than `VCALENDAR`, and values JSON cannot carry (a non-numeric
/// INTEGER or FLOAT, a BOOLEAN other than TRUE/FALSE, a RECUR without FREQ).
pub fn icalendar_to_jcal(text: &str) -> Result<Value, JsonError> {
    let comps = content::parse_all(text)?;
    if let Some(other) = comps.iter().find(|c| c.name != "VCALENDAR") {
        return Err(JsonError::text(0, format!("top-level component {} is not VCALENDAR", other.name)));
    }
    let mut objects = comps.iter().map(comp_to_json).collect::<Result<Vec<_>, _>>()?;
    Ok(if objects.len() == 1 { objects.remove(0) } else { Value::Array(objects) })
}

fn write_prop(out: &mut String, v: &Value) -> Result<(), JsonError> {
    let p = jprop(v)?;
    let name = p.name.to_ascii_uppercase();
    let mut params = params_from_json(&p.name, p.params, &["value"])?;
    if p.ty == "binary" && !params.iter().any(|(n, _)| n == "ENCODING") {
        params.push(("ENCODING".to_owned(), vec!["BASE64".to_owned()]));
    }
    let value = values_from_json(&p.name, &p.ty, p.values, is_structured(&name), is_multi(&name))?;
    let mut line = Line { group: None, name, params, value };
    // VALUE is written when the type is not the default, and also when reading
    // the line without it would infer another type from the value's form (the
    // jcal fuzz target found a duration `5PT15M` in TRIGGER read back as a
    // date-time, since it does not start with `P`).
    // `unknown` for a property with a known type is kept as VALUE=UNKNOWN, else
    // the line would read back typed (the jcal fuzz target: GEO `"r"`).
    let differs = default_type(&line.name) != Some(p.ty.as_str()) || value_type(&line) != p.ty;
    if differs && (p.ty != "unknown" || default_type(&line.name).is_some()) {
        line.params.insert(0, ("VALUE".to_owned(), vec![p.ty.to_ascii_uppercase()]));
    }
    write(out, None, &line.name, &line.params, &line.value)
}

fn write_comp(out: &mut String, v: &Value) -> Result<(), JsonError> {
    let parts = v.as_array().map(Vec::as_slice).unwrap_or_default();
    let [Value::String(name), Value::Array(props), Value::Array(comps)] = parts else {
        return Err(JsonError::shape(format!("a component must be [name, [props], [components]], not {v}")));
    };
    if !is_name(name) {
        return Err(JsonError::shape(format!("bad component name {name:?}")));
    }
    let name = name.to_ascii_uppercase();
    content::write_line(&Line::new("BEGIN", Vec::new(), name.as_str()), out);
    for p in props {
        write_prop(out, p)?;
    }
    for c in comps {
        write_comp(out, c)?;
    }
    content::write_line(&Line::new("END", Vec::new(), name), out);
    Ok(())
}

/// Converts jCal (RFC 7265) to iCalendar text with CRLF line ends and lines
/// folded at 75 octets. Accepts one `["vcalendar", …]` object or an array of them.
///
/// `VALUE` is written when the jCal type is not the property's default (so
/// `DTSTART;VALUE=DATE`, `RDATE;VALUE=PERIOD`, `X-FOO;VALUE=TEXT`); `unknown`
/// values are written as they are.
pub fn jcal_to_icalendar(value: &Value) -> Result<String, JsonError> {
    let objects = match value.as_array().and_then(|a| a.first()) {
        Some(Value::String(_)) => std::slice::from_ref(value),
        Some(_) => value.as_array().map(Vec::as_slice).unwrap_or_default(),
        None => return Err(JsonError::shape("expected [\"vcalendar\", [props], [components]]")),
    };
    let mut out = String::new();
    for o in objects {
        if o.get(0).and_then(Value::as_str).is_none_or(|n| !n.eq_ignore_ascii_case("vcalendar")) {
            return Err(JsonError::shape("the top-level component must be vcalendar"));
        }
        write_comp(&mut out, o)?;
    }
    Ok(out)
}
