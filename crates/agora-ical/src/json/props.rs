//! Property-level pieces shared by jCal and jCard: the parameter object, the
//! `[name, {params}, type, value...]` shape, and writing a property back.

use serde_json::{Map, Value};

use super::JsonError;
use super::values::{from_json, split_unescaped, to_json};
use crate::content::{self, Line, is_name};

/// The parameters as a jCal/jCard object: lower-case names, one value as a string,
/// several as an array. Parameters named in `skip` (upper-case) are left out.
pub(crate) fn params_to_json(params: &[(String, Vec<String>)], skip: &[&str]) -> Map<String, Value> {
    let mut map = Map::new();
    for (name, values) in params.iter().filter(|(n, _)| !skip.contains(&n.as_str())) {
        let v = match values.as_slice() {
            [one] => Value::String(one.clone()),
            many => Value::Array(many.iter().cloned().map(Value::String).collect()),
        };
        map.insert(name.to_ascii_lowercase(), v);
    }
    map
}

/// One parameter value from JSON (strings, and numbers or booleans as written).
fn param_string(prop: &str, v: &Value) -> Result<String, JsonError> {
    match v {
        Value::String(s) => Ok(s.clone()),
        Value::Number(n) => Ok(n.to_string()),
        Value::Bool(b) => Ok(b.to_string()),
        _ => Err(JsonError::value(prop, format!("bad parameter value {v}"))),
    }
}

/// The inverse of [`params_to_json`]; keys in `skip` (lower-case) are left out.
pub(crate) fn params_from_json(
    prop: &str,
    map: &Map<String, Value>,
    skip: &[&str],
) -> Result<Vec<(String, Vec<String>)>, JsonError> {
    let mut out = Vec::with_capacity(map.len());
    for (name, v) in map.iter().filter(|(n, _)| !skip.contains(&n.as_str())) {
        if !is_name(name) {
            return Err(JsonError::value(prop, format!("bad parameter name {name:?}")));
        }
        let values = match v {
            Value::Array(items) => items.iter().map(|i| param_string(prop, i)).collect::<Result<_, _>>()?,
            other => vec![param_string(prop, other)?],
        };
        out.push((name.to_ascii_uppercase(), values));
    }
    Ok(out)
}

/// The parts of a JSON property.
pub(crate) struct JProp<'a> {
    /// Lower-case name.
    pub name: String,
    /// Parameter object.
    pub params: &'a Map<String, Value>,
    /// Value type.
    pub ty: String,
    /// One or more values.
    pub values: &'a [Value],
}

/// Checks the `[name, {params}, type, value, ...]` shape.
pub(crate) fn jprop(v: &Value) -> Result<JProp<'_>, JsonError> {
    let parts = v.as_array().map(Vec::as_slice).unwrap_or_default();
    match parts {
        [Value::String(name), Value::Object(params), Value::String(ty), values @ ..] if !values.is_empty() => {
            if !is_name(name) {
                return Err(JsonError::shape(format!("bad property name {name:?}")));
            }
            Ok(JProp { name: name.to_ascii_lowercase(), params, ty: ty.to_ascii_lowercase(), values })
        }
        _ => Err(JsonError::shape(format!("a property must be [name, {{params}}, type, value, ...], not {v}"))),
    }
}

/// Raw value(s) → JSON: `structured` splits on `;` (components with a `,` become
/// arrays when `lists`), `multi` splits on `,` into several values.
pub(crate) fn values_to_json(
    prop: &str,
    ty: &str,
    raw: &str,
    structured: bool,
    lists: bool,
    multi: bool,
) -> Result<Vec<Value>, JsonError> {
    if structured && ty != "unknown" {
        let comps = split_unescaped(raw, ';');
        let mut out = Vec::with_capacity(comps.len());
        for c in &comps {
            let items = if lists { split_unescaped(c, ',') } else { vec![*c] };
            out.push(match items.as_slice() {
                [one] => to_json(prop, ty, one)?,
                many => Value::Array(many.iter().map(|i| to_json(prop, ty, i)).collect::<Result<_, _>>()?),
            });
        }
        return Ok(match out.len() {
            1 => out,
            _ => vec![Value::Array(out)],
        });
    }
    if multi && ty != "unknown" {
        return split_unescaped(raw, ',').iter().map(|v| to_json(prop, ty, v)).collect();
    }
    Ok(vec![to_json(prop, ty, raw)?])
}

/// JSON value(s) → raw text: arrays (except a period) are structured values whose
/// components join with `;` and whose nested arrays join with `,`; several values
/// join with `,`. As [`values_to_json`] reads them back: a structured value only
/// where `structured`, several values only where `multi` (the jcal fuzz target
/// found `["dto", {}, "float", [1.5, 2.5]]` written as `1.5;2.5`, which reads back
/// as one float that is not one).
pub(crate) fn values_from_json(
    prop: &str,
    ty: &str,
    values: &[Value],
    structured: bool,
    multi: bool,
) -> Result<String, JsonError> {
    if values.len() > 1 && !(multi && ty != "unknown") {
        return Err(JsonError::value(prop, "several values for a property that takes one"));
    }
    let mut out = Vec::with_capacity(values.len());
    for v in values {
        out.push(match v {
            Value::Array(_) if ty != "period" && !(structured && ty != "unknown") => {
                return Err(JsonError::value(prop, format!("a structured value {v} for a property that has none")));
            }
            Value::Array(comps) if ty != "period" => {
                let mut parts = Vec::with_capacity(comps.len());
                for c in comps {
                    parts.push(match c {
                        Value::Array(items) => {
                            items.iter().map(|i| from_json(prop, ty, i)).collect::<Result<Vec<_>, _>>()?.join(",")
                        }
                        other => from_json(prop, ty, other)?,
                    });
                }
                parts.join(";")
            }
            other => from_json(prop, ty, other)?,
        });
    }
    Ok(out.join(","))
}

/// Writes one property line.
pub(crate) fn write(
    out: &mut String,
    group: Option<&str>,
    name: &str,
    params: &[(String, Vec<String>)],
    value: &str,
) -> Result<(), JsonError> {
    if let Some(g) = group.filter(|g| !is_name(g)) {
        return Err(JsonError::value(name, format!("bad group name {g:?}")));
    }
    let line = Line {
        group: group.map(str::to_owned),
        name: name.to_ascii_uppercase(),
        params: params.to_vec(),
        value: value.to_owned(),
    };
    // What the strict reader refuses (RFC 5545 §3.1, RFC 6350 §3.3) is not
    // written: the jcal and jcard fuzz targets found a DEL in a JSON string
    // written into a line that could not be read back.
    let text = content::line_text(&line);
    if let Some(c) = text.chars().find(|c| c.is_control() && *c != '\t') {
        return Err(JsonError::value(name, format!("control character U+{:04X} in a value or parameter", c as u32)));
    }
    content::fold_into(&text, out);
    Ok(())
}
