//! Just enough iCalendar reading (RFC 5545 §3.1) to describe an iTIP message to a
//! person: the METHOD and the properties of its main component. This is not a
//! validator; anything it does not understand is skipped.

/// One content line: `NAME;PARAM=value:VALUE` (RFC 5545 §3.1).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Property {
    /// Upper-cased property name.
    pub name: String,
    /// Parameters with upper-cased names and unquoted values (multiple values
    /// kept comma-separated).
    pub params: Vec<(String, String)>,
    /// The raw value, still escaped.
    pub value: String,
}

impl Property {
    /// The value of parameter `name` (upper-case).
    pub fn param(&self, name: &str) -> Option<&str> {
        self.params.iter().find(|(n, _)| n == name).map(|(_, v)| v.as_str())
    }

    /// The value as TEXT (RFC 5545 §3.3.11), unescaped.
    pub fn text(&self) -> String {
        unescape_text(&self.value)
    }
}

/// What the description needs from an iTIP object.
#[derive(Debug, Default, Clone)]
pub(crate) struct Calendar {
    /// The METHOD property of the VCALENDAR, upper-cased.
    pub method: Option<String>,
    /// The properties of the main component: the first VEVENT/VTODO/VJOURNAL/
    /// VFREEBUSY without RECURRENCE-ID, or else the first one. Properties of nested
    /// components (VALARM) are not included.
    pub props: Vec<Property>,
}

impl Calendar {
    /// Reads `text`; never fails, an unreadable object gives an empty `Calendar`.
    pub fn read(text: &str) -> Calendar {
        let mut method = None;
        // (kind, properties) of every top-level component under VCALENDAR.
        let mut components: Vec<(String, Vec<Property>)> = Vec::new();
        let mut stack: Vec<String> = Vec::new();
        for line in unfold(text) {
            let Some(prop) = parse_line(&line) else { continue };
            match prop.name.as_str() {
                "BEGIN" => {
                    let kind = prop.value.trim().to_ascii_uppercase();
                    if stack.len() == 1 && stack[0] == "VCALENDAR" && is_main_kind(&kind) {
                        components.push((kind.clone(), Vec::new()));
                    }
                    stack.push(kind);
                }
                "END" => {
                    stack.pop();
                }
                _ => match stack.len() {
                    1 if prop.name == "METHOD" => method = Some(prop.value.trim().to_ascii_uppercase()),
                    2 if is_main_kind(&stack[1]) => {
                        if let Some((_, props)) = components.last_mut() {
                            props.push(prop);
                        }
                    }
                    _ => {}
                },
            }
        }
        let main = components
            .iter()
            .position(|(_, props)| !props.iter().any(|p| p.name == "RECURRENCE-ID"))
            .or(if components.is_empty() { None } else { Some(0) });
        match main {
            Some(i) => {
                let (_, props) = components.swap_remove(i);
                Calendar { method, props }
            }
            None => Calendar { method, props: Vec::new() },
        }
    }

    /// The first property called `name`.
    pub fn prop(&self, name: &str) -> Option<&Property> {
        self.props.iter().find(|p| p.name == name)
    }

    /// Every property called `name`.
    pub fn props<'a>(&'a self, name: &'a str) -> impl Iterator<Item = &'a Property> + 'a {
        self.props.iter().filter(move |p| p.name == name)
    }

    /// A TEXT property's unescaped, trimmed value, when not empty.
    pub fn text(&self, name: &str) -> Option<String> {
        self.prop(name).map(Property::text).map(|t| t.trim().to_string()).filter(|t| !t.is_empty())
    }
}

fn is_main_kind(kind: &str) -> bool {
    matches!(kind, "VEVENT" | "VTODO" | "VJOURNAL" | "VFREEBUSY")
}

/// Splits into logical lines, joining folded ones (RFC 5545 §3.1: a CRLF followed by
/// a space or tab is removed). Bare LF line ends are tolerated.
pub(crate) fn unfold(text: &str) -> Vec<String> {
    let mut lines: Vec<String> = Vec::new();
    for raw in text.split('\n') {
        let raw = raw.strip_suffix('\r').unwrap_or(raw);
        if let Some(rest) = raw.strip_prefix([' ', '\t'])
            && let Some(last) = lines.last_mut()
        {
            last.push_str(rest);
            continue;
        }
        if !raw.is_empty() {
            lines.push(raw.to_string());
        }
    }
    lines
}

/// Parses one unfolded content line; `None` when it has no `:`.
pub(crate) fn parse_line(line: &str) -> Option<Property> {
    // The name ends at the first ';' or ':'.
    let name_end = line.find([';', ':'])?;
    let name = line[..name_end].trim().to_ascii_uppercase();
    if name.is_empty() {
        return None;
    }
    let mut params = Vec::new();
    let mut rest = &line[name_end..];
    while let Some(after) = rest.strip_prefix(';') {
        let eq = after.find(['=', ':', ';'])?;
        if after.as_bytes().get(eq) != Some(&b'=') {
            // A parameter without value: skip it.
            rest = &after[eq..];
            continue;
        }
        let pname = after[..eq].trim().to_ascii_uppercase();
        let (value, remaining) = param_values(&after[eq + 1..])?;
        params.push((pname, value));
        rest = remaining;
    }
    let value = rest.strip_prefix(':')?;
    Some(Property { name, params, value: value.to_string() })
}

/// Reads `value *("," value)` where a value may be a DQUOTE'd string (which may
/// contain `;`, `:` and `,`); returns the values joined by `,` and what follows.
fn param_values(s: &str) -> Option<(String, &str)> {
    let mut out = String::new();
    let mut in_quotes = false;
    for (i, c) in s.char_indices() {
        match c {
            '"' => in_quotes = !in_quotes,
            ';' | ':' if !in_quotes => return Some((out, &s[i..])),
            _ => out.push(c),
        }
    }
    None
}

/// Undoes TEXT escaping (RFC 5545 §3.3.11): `\\`, `\;`, `\,`, `\n`, `\N`.
pub(crate) fn unescape_text(value: &str) -> String {
    let mut out = String::with_capacity(value.len());
    let mut chars = value.chars();
    while let Some(c) = chars.next() {
        if c != '\\' {
            out.push(c);
            continue;
        }
        match chars.next() {
            Some('n' | 'N') => out.push('\n'),
            Some(other) => out.push(other),
            None => out.push('\\'),
        }
    }
    out
}

/// A CAL-ADDRESS without its `mailto:` scheme (compared case-insensitively).
pub(crate) fn strip_mailto(value: &str) -> &str {
    let value = value.trim();
    match value.get(..7) {
        Some(scheme) if scheme.eq_ignore_ascii_case("mailto:") => &value[7..],
        _ => value,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const SAMPLE: &str = "BEGIN:VCALENDAR\r\nMETHOD:request\r\nBEGIN:VTIMEZONE\r\nTZID:X\r\nEND:VTIMEZONE\r\n\
BEGIN:VEVENT\r\nUID:1\r\nRECURRENCE-ID:20260310T100000Z\r\nSUMMARY:Moved\r\nEND:VEVENT\r\n\
BEGIN:VEVENT\r\nUID:1\r\nSUMMARY:Team\r\n  meeting\\, weekly\r\n\
ATTENDEE;CN=\"Smith; Bob\";PARTSTAT=ACCEPTED:mailto:bob@example.com\r\n\
BEGIN:VALARM\r\nSUMMARY:alarm\r\nEND:VALARM\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n";

    #[test]
    fn reads_the_master_component_and_unfolds() {
        let cal = Calendar::read(SAMPLE);
        assert_eq!(cal.method.as_deref(), Some("REQUEST"));
        assert_eq!(cal.text("SUMMARY").as_deref(), Some("Team meeting, weekly"));
        let att = cal.prop("ATTENDEE").unwrap();
        assert_eq!(att.param("CN"), Some("Smith; Bob"));
        assert_eq!(att.param("PARTSTAT"), Some("ACCEPTED"));
        assert_eq!(strip_mailto(&att.value), "bob@example.com");
        assert_eq!(cal.props("SUMMARY").count(), 1, "the VALARM's SUMMARY is not the event's");
    }

    #[test]
    fn garbage_gives_an_empty_calendar() {
        let cal = Calendar::read("\u{0};;;:\n:\n\tBEGIN\nEND:VCALENDAR\nBEGIN:;x\n");
        assert!(cal.method.is_none());
        assert!(cal.props.is_empty());
        assert!(parse_line("NAME;P=\"unterminated:value").is_none());
    }
}
