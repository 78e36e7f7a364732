//! Authentication-Results header fields (RFC 8601) and whether they vouch for the
//! sender's domain.
//!
//! The receiving MTA records there what it verified (DKIM, SPF, DMARC). Such a
//! field can also be forged by the sender; an MTA is expected to remove fields
//! claiming its own authserv-id (RFC 8601 §5), so consumers should only trust
//! fields whose authserv-id they know: see
//! [`parse_trusting`](crate::incoming::parse_trusting).

/// What the Authentication-Results header fields say.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct AuthResults {
    /// Whether at least one (trusted) Authentication-Results field was found.
    pub present: bool,
    /// The first DMARC result (`pass`, `fail`, `none`…), lower-cased.
    pub dmarc: Option<String>,
    /// Every DKIM result with the signing domain (`header.d`, or the domain of
    /// `header.i`), lower-cased.
    pub dkim: Vec<(String, Option<String>)>,
    /// The first SPF result with the domain of `smtp.mailfrom`, lower-cased.
    pub spf: Option<(String, Option<String>)>,
}

impl AuthResults {
    /// Whether the authentication results vouch for `domain` (the From or
    /// organizer domain):
    /// - no results at all (no field, or only `none`): true, nothing to go by;
    /// - `dmarc=fail`: false;
    /// - `dmarc=pass`, a `dkim=pass` aligned with `domain`, or `spf=pass` with an
    ///   aligned `smtp.mailfrom`: true;
    /// - otherwise false.
    ///
    /// Aligned means the same domain or one a subdomain of the other: DMARC's
    /// relaxed alignment (RFC 7489 §3.1) approximated without the public-suffix
    /// list, and never across a bare top-level domain.
    pub fn vouches_for(&self, domain: &str) -> bool {
        if !self.present || (self.dmarc.is_none() && self.dkim.is_empty() && self.spf.is_none()) {
            return true;
        }
        match self.dmarc.as_deref() {
            Some("fail") => return false,
            Some("pass") => return true,
            _ => {}
        }
        let domain = normalize_domain(domain);
        let dkim =
            self.dkim.iter().any(|(result, d)| result == "pass" && d.as_deref().is_some_and(|d| aligned(d, &domain)));
        let spf = matches!(&self.spf, Some((result, Some(d))) if result == "pass" && aligned(d, &domain));
        dkim || spf
    }
}

/// Whether `a` and `b` are the same domain or one is a subdomain of the other,
/// where the parent has at least two labels.
fn aligned(a: &str, b: &str) -> bool {
    fn under(child: &str, parent: &str) -> bool {
        parent.contains('.') && child.strip_suffix(parent).is_some_and(|head| head.ends_with('.'))
    }
    !a.is_empty() && (a == b || under(a, b) || under(b, a))
}

fn normalize_domain(d: &str) -> String {
    d.trim().trim_matches(['<', '>']).trim_end_matches('.').to_ascii_lowercase()
}

/// The domain of an address (`user@domain`, `@domain`) or a bare domain.
fn domain_of(value: &str) -> Option<String> {
    let d = match value.rsplit_once('@') {
        Some((_, d)) => d,
        None => value,
    };
    let d = normalize_domain(d);
    if d.is_empty() { None } else { Some(d) }
}

/// Reads Authentication-Results field values (top-most first). With `trusted`,
/// only fields whose authserv-id is in the list (case-insensitive) count.
pub(crate) fn from_fields<'a>(values: impl IntoIterator<Item = &'a str>, trusted: Option<&[&str]>) -> AuthResults {
    let mut out = AuthResults::default();
    for value in values {
        let cleaned = strip_comments(value);
        let mut segments = split_semicolons(&cleaned).into_iter();
        // authserv-id [version]  (RFC 8601 §2.2)
        let head = tokens(segments.next().unwrap_or_default());
        let Some(Token::Word(authserv_id)) = head.first() else { continue };
        if let Some(trusted) = trusted
            && !trusted.iter().any(|t| t.eq_ignore_ascii_case(authserv_id))
        {
            tracing::debug!(authserv_id, "ignoring Authentication-Results from an untrusted authserv-id");
            continue;
        }
        out.present = true;
        for segment in segments {
            if let Some(result) = resinfo(segment) {
                record(&mut out, result);
            }
        }
    }
    out
}

struct ResInfo {
    method: String,
    result: String,
    props: Vec<(String, String)>,
}

fn record(out: &mut AuthResults, r: ResInfo) {
    let prop = |name: &str| r.props.iter().find(|(k, _)| k == name).map(|(_, v)| v.as_str());
    match r.method.as_str() {
        "dkim" => {
            let domain = prop("header.d").and_then(domain_of).or_else(|| prop("header.i").and_then(domain_of));
            out.dkim.push((r.result, domain));
        }
        "spf" if out.spf.is_none() => {
            out.spf = Some((r.result, prop("smtp.mailfrom").and_then(domain_of)));
        }
        "dmarc" if out.dmarc.is_none() => out.dmarc = Some(r.result),
        _ => {}
    }
}

#[derive(Debug, PartialEq)]
enum Token {
    Word(String),
    Equals,
}

/// `method[/version] = result [reason = value] *(ptype.property = value)`.
fn resinfo(segment: &str) -> Option<ResInfo> {
    let toks = tokens(segment);
    let mut it = toks.into_iter().peekable();
    let Some(Token::Word(method)) = it.next() else { return None };
    // `none` is the no-result marker (RFC 8601 §2.2).
    if it.next() != Some(Token::Equals) {
        return None;
    }
    let Some(Token::Word(result)) = it.next() else { return None };
    let method = method.split('/').next().unwrap_or_default().to_ascii_lowercase();
    let mut props = Vec::new();
    while let Some(Token::Word(mut key)) = it.next() {
        // Tolerate CFWS around the '.' of ptype.property.
        while let Some(Token::Word(next)) = it.peek() {
            if !(key.ends_with('.') || next.starts_with('.')) {
                break;
            }
            key.push_str(next);
            it.next();
        }
        if it.next() != Some(Token::Equals) {
            break;
        }
        let Some(Token::Word(value)) = it.next() else { break };
        props.push((key.to_ascii_lowercase(), value));
    }
    Some(ResInfo { method, result: result.to_ascii_lowercase(), props })
}

/// Words (atoms or quoted-strings, unquoted) and `=` signs.
fn tokens(s: &str) -> Vec<Token> {
    let mut out = Vec::new();
    let mut chars = s.chars().peekable();
    let mut word = String::new();
    let flush = |word: &mut String, out: &mut Vec<Token>| {
        if !word.is_empty() {
            out.push(Token::Word(std::mem::take(word)));
        }
    };
    while let Some(c) = chars.next() {
        match c {
            '=' => {
                flush(&mut word, &mut out);
                out.push(Token::Equals);
            }
            '"' => {
                flush(&mut word, &mut out);
                let mut quoted = String::new();
                while let Some(q) = chars.next() {
                    match q {
                        '"' => break,
                        '\\' => quoted.extend(chars.next()),
                        _ => quoted.push(q),
                    }
                }
                out.push(Token::Word(quoted));
            }
            c if c.is_whitespace() => flush(&mut word, &mut out),
            c => word.push(c),
        }
    }
    flush(&mut word, &mut out);
    out
}

/// Removes (possibly nested) comments, outside quoted-strings (RFC 5322 §3.2.2).
fn strip_comments(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut depth = 0usize;
    let mut in_quotes = false;
    let mut chars = s.chars();
    while let Some(c) = chars.next() {
        match c {
            '\\' if depth > 0 => {
                chars.next();
            }
            '\\' if in_quotes => {
                out.push(c);
                out.extend(chars.next());
            }
            '"' if depth == 0 => {
                in_quotes = !in_quotes;
                out.push(c);
            }
            '(' if !in_quotes => depth += 1,
            ')' if !in_quotes && depth > 0 => {
                depth -= 1;
                if depth == 0 {
                    out.push(' ');
                }
            }
            _ if depth > 0 => {}
            _ => out.push(c),
        }
    }
    out
}

/// Splits on `;` outside quoted-strings.
fn split_semicolons(s: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let mut in_quotes = false;
    let mut escaped = false;
    let mut start = 0;
    for (i, c) in s.char_indices() {
        match c {
            _ if escaped => escaped = false,
            '\\' if in_quotes => escaped = true,
            '"' => in_quotes = !in_quotes,
            ';' if !in_quotes => {
                out.push(&s[start..i]);
                start = i + 1;
            }
            _ => {}
        }
    }
    out.push(&s[start..]);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read(fields: &[&str]) -> AuthResults {
        from_fields(fields.iter().copied(), None)
    }

    #[test]
    fn gmail_style_field() {
        let r = read(&[
            "mx.google.com;\r\n       dkim=pass header.i=@Example.com header.s=s1 header.b=\"ab;c\";\r\n       \
                        spf=pass (google.com: domain of bob@example.com designates 1.2.3.4 as permitted sender; yes) \
                        smtp.mailfrom=Bob@Bounce.Example.com;\r\n       dmarc=pass (p=NONE sp=NONE dis=NONE) header.from=example.com",
        ]);
        assert!(r.present);
        assert_eq!(r.dkim, vec![("pass".to_string(), Some("example.com".to_string()))]);
        assert_eq!(r.spf, Some(("pass".to_string(), Some("bounce.example.com".to_string()))));
        assert_eq!(r.dmarc.as_deref(), Some("pass"));
    }

    #[test]
    fn versions_spaces_and_none() {
        let r = read(&["mx.example.net 1; none", "mx.example.net; DKIM/1 = FAIL header . d = other.example"]);
        assert!(r.present);
        assert_eq!(r.dkim, vec![("fail".to_string(), Some("other.example".to_string()))]);
        assert!(r.spf.is_none() && r.dmarc.is_none());
    }

    #[test]
    fn trusted_authserv_ids_filter_forged_fields() {
        let fields =
            ["mx.mine.example; spf=fail smtp.mailfrom=a@example.com", "forger; dkim=pass header.d=example.com"];
        let r = from_fields(fields.iter().copied(), Some(&["MX.mine.example"]));
        assert!(r.dkim.is_empty());
        assert_eq!(r.spf, Some(("fail".to_string(), Some("example.com".to_string()))));
        assert!(!r.vouches_for("example.com"));
        let r = from_fields(fields.iter().copied(), Some(&["elsewhere"]));
        assert!(!r.present);
    }

    #[test]
    fn alignment_needs_a_real_parent() {
        assert!(aligned("example.com", "example.com"));
        assert!(aligned("mail.example.com", "example.com"));
        assert!(aligned("example.com", "mail.example.com"));
        assert!(!aligned("com", "example.com"));
        assert!(!aligned("badexample.com", "example.com"));
        assert!(!aligned("", ""));
    }

    #[test]
    fn odd_input_does_not_panic() {
        for s in ["", ";", "(((", "\"", "x; =", "x; dkim=", "x; dkim=pass header.d=", "x; a=b c", "é; ü=ß (\\"] {
            let _ = read(&[s]);
        }
        assert!(!read(&[""]).present);
    }
}
