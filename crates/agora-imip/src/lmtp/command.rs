//! Parsing LMTP commands (RFC 2033 §4, RFC 5321 §4.1).

/// ESMTP parameters: upper-cased keyword and value, if any.
pub(super) type Params = Vec<(String, Option<String>)>;

/// A parsed command line.
#[derive(Debug, PartialEq, Eq)]
pub(super) enum Command {
    /// LHLO with the client's name.
    Lhlo(String),
    /// HELO or EHLO, which an LMTP server must refuse (RFC 2033 §4.1).
    HeloOrEhlo,
    /// MAIL FROM:<path> with parameters (upper-cased keyword, value).
    Mail { from: String, params: Params },
    /// RCPT TO:<path> with parameters.
    Rcpt { to: String, params: Params },
    /// DATA.
    Data,
    /// RSET.
    Rset,
    /// NOOP.
    Noop,
    /// QUIT.
    Quit,
    /// VRFY (answered 252 without verifying).
    Vrfy,
    /// A known command with bad arguments: the reply to give.
    Invalid(&'static str),
    /// Anything else.
    Unknown,
}

/// Parses one command line (without CRLF).
pub(super) fn parse(line: &[u8]) -> Command {
    let Ok(line) = std::str::from_utf8(line) else {
        return Command::Invalid("500 5.5.2 Syntax error: non-ASCII command");
    };
    let line = line.trim_end();
    let (verb, args) = match line.split_once(' ') {
        Some((verb, args)) => (verb, args.trim()),
        None => (line, ""),
    };
    match verb.to_ascii_uppercase().as_str() {
        "LHLO" if args.is_empty() => Command::Invalid("501 5.5.4 Syntax: LHLO hostname"),
        "LHLO" => Command::Lhlo(args.to_string()),
        "HELO" | "EHLO" => Command::HeloOrEhlo,
        "MAIL" => match path_and_params(args, "FROM:") {
            Some((from, params)) => Command::Mail { from, params },
            None => Command::Invalid("501 5.5.4 Syntax: MAIL FROM:<address>"),
        },
        "RCPT" => match path_and_params(args, "TO:") {
            Some((to, _)) if to.is_empty() => Command::Invalid("501 5.1.3 Bad recipient address syntax"),
            Some((to, params)) => Command::Rcpt { to, params },
            None => Command::Invalid("501 5.5.4 Syntax: RCPT TO:<address>"),
        },
        "DATA" if !args.is_empty() => Command::Invalid("501 5.5.4 Syntax: DATA takes no arguments"),
        "DATA" => Command::Data,
        "RSET" => Command::Rset,
        "NOOP" => Command::Noop,
        "QUIT" => Command::Quit,
        "VRFY" => Command::Vrfy,
        _ => Command::Unknown,
    }
}

/// `FROM:<path> [SP param *(SP param)]` (RFC 5321 §4.1.2); a space after the
/// colon is tolerated, source routes (`@a,@b:user@c`) are dropped.
fn path_and_params(args: &str, keyword: &str) -> Option<(String, Params)> {
    let head = args.get(..keyword.len())?;
    if !head.eq_ignore_ascii_case(keyword) {
        return None;
    }
    let rest = args[keyword.len()..].trim_start();
    let rest = rest.strip_prefix('<')?;
    let end = closing_bracket(rest)?;
    let path = &rest[..end];
    let params = &rest[end + 1..];
    if !params.is_empty() && !params.starts_with(' ') {
        return None;
    }
    let path = match path.strip_prefix('@') {
        Some(route) => route.split_once(':')?.1,
        None => path,
    };
    if path.chars().any(|c| c.is_control() || c == ' ') && !path.starts_with('"') {
        return None;
    }
    let params = params
        .split_whitespace()
        .map(|p| match p.split_once('=') {
            Some((k, v)) => (k.to_ascii_uppercase(), Some(v.to_string())),
            None => (p.to_ascii_uppercase(), None),
        })
        .collect();
    Some((path.to_string(), params))
}

/// Index of the `>` closing a path, skipping quoted local parts.
fn closing_bracket(s: &str) -> Option<usize> {
    let mut in_quotes = false;
    let mut escaped = false;
    for (i, c) in s.char_indices() {
        match c {
            _ if escaped => escaped = false,
            '\\' if in_quotes => escaped = true,
            '"' => in_quotes = !in_quotes,
            '>' if !in_quotes => return Some(i),
            _ => {}
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn mail_and_rcpt() {
        assert_eq!(
            parse(b"mail from:<a@b.example> SIZE=100 body=8BITMIME"),
            Command::Mail {
                from: "a@b.example".into(),
                params: vec![("SIZE".into(), Some("100".into())), ("BODY".into(), Some("8BITMIME".into()))]
            }
        );
        assert_eq!(parse(b"MAIL FROM:<>"), Command::Mail { from: String::new(), params: vec![] });
        assert_eq!(
            parse(b"RCPT TO: <@relay.example:bob@x.example>"),
            Command::Rcpt { to: "bob@x.example".into(), params: vec![] }
        );
        assert_eq!(
            parse(b"RCPT TO:<\"odd>name\"@x.example>"),
            Command::Rcpt { to: "\"odd>name\"@x.example".into(), params: vec![] }
        );
        assert!(matches!(parse(b"RCPT TO:<>"), Command::Invalid(r) if r.starts_with("501 5.1.3")));
        assert!(matches!(parse(b"MAIL FROM:a@b"), Command::Invalid(_)));
        assert!(matches!(parse(b"MAIL FROM:<a@b"), Command::Invalid(_)));
        assert!(matches!(parse(b"MAIL FROM:<a@b>X"), Command::Invalid(_)));
        assert!(matches!(parse(b"MAIL"), Command::Invalid(_)));
    }

    #[test]
    fn other_verbs() {
        assert_eq!(parse(b"lhlo client.example"), Command::Lhlo("client.example".into()));
        assert!(matches!(parse(b"LHLO"), Command::Invalid(_)));
        assert_eq!(parse(b"EHLO x"), Command::HeloOrEhlo);
        assert_eq!(parse(b"DATA"), Command::Data);
        assert!(matches!(parse(b"DATA now"), Command::Invalid(_)));
        assert_eq!(parse(b"VRFY bob"), Command::Vrfy);
        assert_eq!(parse(b"STARTTLS"), Command::Unknown);
        assert_eq!(parse(b""), Command::Unknown);
        assert!(matches!(parse(b"\xff\xfe"), Command::Invalid(_)));
    }
}
