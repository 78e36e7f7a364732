//! The WebDAV `If` request header (RFC 4918 §10.4).
//!
//! ```text
//! If = ( 1*No-tag-list | 1*Tagged-list )
//! No-tag-list = List
//! Tagged-list = Resource-Tag 1*List
//! List = "(" 1*Condition ")"
//! Condition = ["Not"] (State-token | "[" entity-tag "]")
//! ```
//!
//! The header matches if any list matches (OR); a list matches if all its
//! conditions match (AND) (§10.4.3).

use crate::error::XmlError;

/// A parsed `If` header.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IfHeader {
    /// The lists, any of which may match.
    pub lists: Vec<IfList>,
}

/// One parenthesized list of conditions, all of which must match.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IfList {
    /// The resource tag (`<http://…/x>`) the list applies to; `None` for an
    /// untagged list, which applies to the request URI (§10.4.2).
    pub resource: Option<String>,
    /// The conditions.
    pub conditions: Vec<Condition>,
}

/// One condition of a list.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Condition {
    /// `Not` prefix.
    pub negated: bool,
    /// What is tested.
    pub kind: ConditionKind,
}

/// What a condition tests.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ConditionKind {
    /// A state token (a lock token URI such as `urn:uuid:…`), without the
    /// angle brackets. `DAV:no-lock` is a token that never matches (§10.4.8).
    StateToken(String),
    /// An entity tag as written, quotes and `W/` included: `"abc"`, `W/"abc"`.
    ETag(String),
}

/// Parses the value of an `If` header.
pub fn parse_if_header(value: &str) -> Result<IfHeader, XmlError> {
    let mut c = Cursor { s: value, i: 0 };
    let mut lists = Vec::new();
    let mut tagged: Option<bool> = None;
    loop {
        c.skip_ws();
        match c.peek() {
            None => break,
            Some('<') => {
                if tagged == Some(false) {
                    return Err(bad("tagged and untagged lists mixed"));
                }
                tagged = Some(true);
                let tag = c.angle()?;
                c.skip_ws();
                if c.peek() != Some('(') {
                    return Err(bad("a resource tag must be followed by a list"));
                }
                while c.peek() == Some('(') {
                    lists.push(IfList { resource: Some(tag.clone()), conditions: c.list()? });
                    c.skip_ws();
                }
            }
            Some('(') => {
                if tagged == Some(true) {
                    return Err(bad("tagged and untagged lists mixed"));
                }
                tagged = Some(false);
                lists.push(IfList { resource: None, conditions: c.list()? });
            }
            Some(other) => return Err(bad(&format!("unexpected {other:?}"))),
        }
    }
    if lists.is_empty() {
        return Err(bad("no list"));
    }
    Ok(IfHeader { lists })
}

fn bad(why: &str) -> XmlError {
    XmlError::Invalid(format!("If header: {why}"))
}

struct Cursor<'a> {
    s: &'a str,
    i: usize,
}

impl Cursor<'_> {
    fn rest(&self) -> &str {
        &self.s[self.i..]
    }

    fn peek(&self) -> Option<char> {
        self.rest().chars().next()
    }

    fn skip_ws(&mut self) {
        let rest = self.rest();
        self.i += rest.len() - rest.trim_start_matches([' ', '\t', '\r', '\n']).len();
    }

    fn expect(&mut self, ch: char) -> Result<(), XmlError> {
        if self.peek() != Some(ch) {
            return Err(bad(&format!("expected {ch:?}")));
        }
        self.i += ch.len_utf8();
        Ok(())
    }

    /// `"<" text ">"`, returning the text.
    fn angle(&mut self) -> Result<String, XmlError> {
        self.expect('<')?;
        let end = self.rest().find('>').ok_or_else(|| bad("unterminated <…>"))?;
        let inner = self.rest()[..end].trim();
        if inner.is_empty() || inner.contains(['<', ' ', '\t']) {
            return Err(bad("invalid URI in <…>"));
        }
        let inner = inner.to_owned();
        self.i += end + 1;
        Ok(inner)
    }

    /// `"(" 1*Condition ")"`.
    fn list(&mut self) -> Result<Vec<Condition>, XmlError> {
        self.expect('(')?;
        let mut conditions = Vec::new();
        loop {
            self.skip_ws();
            let negated = self.rest().get(..3).is_some_and(|w| w.eq_ignore_ascii_case("not"));
            if negated {
                self.i += 3;
                self.skip_ws();
            }
            let kind = match self.peek() {
                Some(')') if !negated => break,
                Some('<') => ConditionKind::StateToken(self.angle()?),
                Some('[') => ConditionKind::ETag(self.etag()?),
                _ => return Err(bad("expected a state token or an entity tag")),
            };
            conditions.push(Condition { negated, kind });
        }
        self.i += 1; // ')'
        if conditions.is_empty() {
            return Err(bad("empty list"));
        }
        Ok(conditions)
    }

    /// `"[" entity-tag "]"` with `entity-tag = [ "W/" ] DQUOTE *etagc DQUOTE`.
    fn etag(&mut self) -> Result<String, XmlError> {
        self.expect('[')?;
        self.skip_ws();
        let start = self.i;
        if self.rest().starts_with("W/") {
            self.i += 2;
        }
        self.expect('"')?;
        let close = self.rest().find('"').ok_or_else(|| bad("unterminated entity tag"))?;
        self.i += close + 1;
        let tag = self.s[start..self.i].to_owned();
        self.skip_ws();
        self.expect(']')?;
        Ok(tag)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn token(t: &str, negated: bool) -> Condition {
        Condition { negated, kind: ConditionKind::StateToken(t.into()) }
    }

    #[test]
    fn rfc_4918_examples() {
        // §10.4.6
        let h = parse_if_header(
            r#"(<urn:uuid:181d4fae-7d8c-11d0-a765-00a0c91e6bf2> ["I am an ETag"]) (["I am another ETag"])"#,
        )
        .unwrap();
        assert_eq!(h.lists.len(), 2);
        assert_eq!(h.lists[0].conditions[0], token("urn:uuid:181d4fae-7d8c-11d0-a765-00a0c91e6bf2", false));
        assert_eq!(h.lists[0].conditions[1].kind, ConditionKind::ETag("\"I am an ETag\"".into()));
        assert_eq!(h.lists[1].conditions[0].kind, ConditionKind::ETag("\"I am another ETag\"".into()));
        // §10.4.7
        let h = parse_if_header(
            "(Not <urn:uuid:181d4fae-7d8c-11d0-a765-00a0c91e6bf2>\n <urn:uuid:58f202ac-22cf-11d1-b12d-002035b29092>)",
        )
        .unwrap();
        assert!(h.lists[0].conditions[0].negated);
        assert!(!h.lists[0].conditions[1].negated);
        // §10.4.8
        let h = parse_if_header("(<urn:uuid:a>) (Not <DAV:no-lock>)").unwrap();
        assert_eq!(h.lists[1].conditions[0], token("DAV:no-lock", true));
        // tagged, §10.4.2
        let h = parse_if_header(r#"<http://www.example.com/specs/> (<urn:uuid:a>) (W/"x") "#);
        assert!(h.is_err());
        let h =
            parse_if_header(r#"<http://example.com/a> (<urn:uuid:a>) ([W/"x"]) <http://example.com/b> (Not [W/"y"])"#)
                .unwrap();
        assert_eq!(h.lists.len(), 3);
        assert_eq!(h.lists[1].resource.as_deref(), Some("http://example.com/a"));
        assert_eq!(h.lists[1].conditions[0].kind, ConditionKind::ETag("W/\"x\"".into()));
        assert_eq!(h.lists[2].resource.as_deref(), Some("http://example.com/b"));
    }

    #[test]
    fn refusals() {
        for bad in ["", "   ", "()", "(<a>", "<http://x> ", "(<a>) <http://x> (<b>)", "(Not)", "([\"x)", "x", "(<>)"] {
            assert!(parse_if_header(bad).is_err(), "{bad:?}");
        }
    }
}
