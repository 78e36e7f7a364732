//! Choosing between the stored text and its JSON form (jCal, RFC 7265; jCard,
//! RFC 7095) from an Accept header or a `calendar-data`/`address-data`
//! content-type. Stored bytes are served as they are unless JSON is preferred.

use agora_store::ObjectMeta;

use crate::error::HttpError;

/// A media type without its parameters, lower-cased (`Text/Calendar; charset=x` → `text/calendar`).
pub fn essence(media_type: &str) -> String {
    media_type.split(';').next().unwrap_or_default().trim().to_ascii_lowercase()
}

/// The JSON media type of a stored media type, if there is one.
pub fn json_type(stored: &str) -> Option<&'static str> {
    match essence(stored).as_str() {
        "text/calendar" => Some("application/calendar+json"),
        "text/vcard" => Some("application/vcard+json"),
        _ => None,
    }
}

/// Whether an Accept header prefers `json` over `text` (highest q wins; ties go
/// to the stored text).
pub fn prefers(accept: &str, json: &str, text: &str) -> bool {
    let q_of = |wanted: &str| {
        accept
            .split(',')
            .filter_map(|item| {
                let mut parts = item.split(';');
                let media = parts.next()?.trim().to_ascii_lowercase();
                let q = parts
                    .filter_map(|p| p.trim().strip_prefix("q=").and_then(|v| v.parse::<f32>().ok()))
                    .next()
                    .unwrap_or(1.0);
                (media == wanted).then_some(q)
            })
            .fold(None, |best: Option<f32>, q| Some(best.map_or(q, |b| b.max(q))))
    };
    match (q_of(json), q_of(text)) {
        (Some(j), Some(t)) => j > t,
        (Some(j), None) => j > 0.0,
        _ => false,
    }
}

/// The stored data converted to JSON.
pub fn to_json(meta: &ObjectMeta, data: &[u8]) -> Result<String, HttpError> {
    let text = String::from_utf8_lossy(data);
    let value = match json_type(&meta.content_type) {
        Some("application/calendar+json") => agora_ical::json::icalendar_to_jcal(&text),
        Some(_) => agora_ical::json::vcard_to_jcard(&text),
        None => return Err(HttpError::UnsupportedMediaType("no JSON form for this resource".into())),
    }
    .map_err(|e| HttpError::BadRequest(format!("the stored data cannot be shown as JSON: {e}")))?;
    Ok(value.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accept_preferences() {
        let (j, t) = ("application/calendar+json", "text/calendar");
        assert!(prefers("application/calendar+json", j, t));
        assert!(prefers("text/calendar;q=0.5, application/calendar+json", j, t));
        assert!(!prefers("text/calendar, application/calendar+json", j, t), "a tie keeps the stored text");
        assert!(!prefers("*/*", j, t));
        assert!(!prefers("application/calendar+json;q=0", j, t));
    }
}
