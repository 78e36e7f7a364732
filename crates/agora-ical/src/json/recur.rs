//! RECUR values (RFC 5545 §3.3.10) as jCal objects (RFC 7265 §3.6.10): lower-case
//! keys, integers for the numeric parts, a string for one value and an array for
//! several, `until` in the extended date/date-time form.

use serde_json::{Map, Value};

use super::JsonError;
use super::values::{dt_basic, dt_ext};

/// Parts whose values are integers (`bymonth` may carry RFC 7529 `5L`, kept as a string).
const NUMERIC: &[&str] = &[
    "count",
    "interval",
    "bysecond",
    "byminute",
    "byhour",
    "bymonthday",
    "byyearday",
    "byweekno",
    "bymonth",
    "bysetpos",
];

/// Parts that never take a list.
const SINGLE: &[&str] = &["freq", "until", "count", "interval", "wkst"];

/// The order rule parts are written in (FREQ first, RFC 5545 §3.3.10 recommends it).
const ORDER: &[&str] = &[
    "freq",
    "until",
    "count",
    "interval",
    "bysecond",
    "byminute",
    "byhour",
    "byday",
    "bymonthday",
    "byyearday",
    "byweekno",
    "bymonth",
    "bysetpos",
    "wkst",
];

fn part_value(key: &str, v: &str) -> Value {
    if key == "until" {
        return Value::String(dt_ext(v, false));
    }
    // Only the canonical spelling becomes a number (`05`, `+5`, `-0` stay strings),
    // so the text written back from the jCal is the text read.
    match v.parse::<i64>() {
        Ok(n) if NUMERIC.contains(&key) && n.to_string() == v => Value::Number(n.into()),
        _ => Value::String(v.to_owned()),
    }
}

/// `FREQ=WEEKLY;BYDAY=MO,WE` → `{"freq": "WEEKLY", "byday": ["MO", "WE"]}`.
pub(crate) fn to_json(prop: &str, raw: &str) -> Result<Value, JsonError> {
    let mut map = Map::new();
    for part in raw.split(';').filter(|p| !p.is_empty()) {
        let (key, v) =
            part.split_once('=').ok_or_else(|| JsonError::value(prop, format!("rule part {part:?} has no '='")))?;
        let key = key.trim().to_ascii_lowercase();
        // The same rule as `from_json`, so a rule read from text is one jCal can
        // carry back (the jcal fuzz target found `BYMON~TH=10` accepted here and
        // refused there).
        if !crate::content::is_name(&key) {
            return Err(JsonError::value(prop, format!("bad rule part name {key:?}")));
        }
        if map.contains_key(&key) {
            return Err(JsonError::value(prop, format!("repeated rule part {key:?}")));
        }
        if ["count", "interval"].contains(&key.as_str()) && v.parse::<u64>().is_err() {
            return Err(JsonError::value(prop, format!("{key} must be a positive integer, not {v:?}")));
        }
        let values: Vec<&str> = v.split(',').collect();
        // What `from_json` cannot write back (the jcal fuzz target found
        // `FREQ=WEEKLYayOUNT=5`, a lost `;`, carried to jCal and refused there).
        if let Some(bad) = values.iter().find(|v| v.is_empty() || v.contains('=')) {
            return Err(JsonError::value(prop, format!("bad value {bad:?} for rule part {key}")));
        }
        let value = match values.as_slice() {
            [one] => part_value(&key, one),
            _ if SINGLE.contains(&key.as_str()) => {
                return Err(JsonError::value(prop, format!("{key} takes one value")));
            }
            many => Value::Array(many.iter().map(|v| part_value(&key, v)).collect()),
        };
        map.insert(key, value);
    }
    if !map.contains_key("freq") {
        return Err(JsonError::value(prop, "recurrence rule without FREQ"));
    }
    Ok(Value::Object(map))
}

fn scalar(prop: &str, key: &str, v: &Value) -> Result<String, JsonError> {
    match v {
        Value::String(s) if key == "until" => Ok(dt_basic(s, false)),
        Value::String(s) if !s.is_empty() && !s.contains([';', ',', '=', '\r', '\n']) => Ok(s.clone()),
        Value::Number(n) if n.is_i64() || n.is_u64() => Ok(n.to_string()),
        _ => Err(JsonError::value(prop, format!("bad value {v} for rule part {key}"))),
    }
}

/// The inverse of [`to_json`]; FREQ comes first, unknown parts last.
pub(crate) fn from_json(prop: &str, v: &Value) -> Result<String, JsonError> {
    let map = v.as_object().ok_or_else(|| JsonError::value(prop, "a recur value must be a JSON object"))?;
    if !map.contains_key("freq") {
        return Err(JsonError::value(prop, "recurrence rule without freq"));
    }
    let mut keys: Vec<&String> = map.keys().collect();
    keys.sort_by_key(|k| (ORDER.iter().position(|o| o == k).unwrap_or(ORDER.len()), k.as_str()));
    let mut parts = Vec::with_capacity(keys.len());
    for key in keys {
        // RFC 7265 §3.6.10: the keys are the lower-cased rule part names.
        if !crate::content::is_name(key) || key.bytes().any(|b| b.is_ascii_uppercase()) {
            return Err(JsonError::value(prop, format!("bad rule part name {key:?}")));
        }
        // The rules `to_json` reads text by (the jcal fuzz target found
        // `"count": ["TU", "TH"]` written and then refused when read back).
        if SINGLE.contains(&key.as_str()) && map[key].as_array().is_some_and(|a| a.len() > 1) {
            return Err(JsonError::value(prop, format!("{key} takes one value")));
        }
        let value = match &map[key] {
            Value::Array(items) if !items.is_empty() => {
                items.iter().map(|i| scalar(prop, key, i)).collect::<Result<Vec<_>, _>>()?.join(",")
            }
            other => scalar(prop, key, other)?,
        };
        if ["count", "interval"].contains(&key.as_str()) && value.parse::<u64>().is_err() {
            return Err(JsonError::value(prop, format!("{key} must be a positive integer, not {value:?}")));
        }
        parts.push(format!("{}={value}", key.to_ascii_uppercase()));
    }
    Ok(parts.join(";"))
}
