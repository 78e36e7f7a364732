//! The languages Agora writes its own text in (mail summaries, error reasons, the
//! names of default collections, the few server-written pages): French and English.
//!
//! One type for every crate that writes words for people: it lives here, the lowest
//! crate that needs it (the iMIP summary), and `agora-core` re-exports it. Which
//! language applies is decided by the caller: the stored choice of the user the text
//! is written for or on behalf of, else the request's Accept-Language, else the
//! server's default.

use std::fmt;
use std::str::FromStr;

/// A language of Agora's own text.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub enum Language {
    /// English (the default).
    #[default]
    En,
    /// French.
    Fr,
}

impl Language {
    /// Every supported language.
    pub const ALL: [Language; 2] = [Language::En, Language::Fr];

    /// The BCP 47 tag: `en`, `fr`.
    pub fn tag(self) -> &'static str {
        match self {
            Language::En => "en",
            Language::Fr => "fr",
        }
    }

    /// The language of a BCP 47 tag (`fr`, `fr-CA`, `EN-gb`), if supported.
    pub fn from_tag(tag: &str) -> Option<Language> {
        let primary = tag.trim().split(['-', '_']).next().unwrap_or("");
        if primary.eq_ignore_ascii_case("fr") {
            Some(Language::Fr)
        } else if primary.eq_ignore_ascii_case("en") {
            Some(Language::En)
        } else {
            None
        }
    }

    /// The highest-weighted supported language of an Accept-Language value
    /// (RFC 9110 §12.5.4); `None` when it names none of them (the caller's
    /// default applies). `q=0` means "not acceptable".
    pub fn from_accept_language(value: &str) -> Option<Language> {
        let mut best: Option<(Language, f32)> = None;
        for item in value.split(',') {
            let mut parts = item.split(';');
            let Some(lang) = Language::from_tag(parts.next().unwrap_or("")) else { continue };
            let q = parts
                .filter_map(|p| p.trim().strip_prefix("q="))
                .find_map(|q| q.trim().parse::<f32>().ok())
                .unwrap_or(1.0);
            if q > 0.0 && best.is_none_or(|(_, b)| q > b) {
                best = Some((lang, q));
            }
        }
        best.map(|(lang, _)| lang)
    }

    /// The text in this language, given in both.
    pub fn pick<T>(self, en: T, fr: T) -> T {
        match self {
            Language::En => en,
            Language::Fr => fr,
        }
    }
}

impl fmt::Display for Language {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.tag())
    }
}

/// A language name the server does not write in.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unsupported language {0:?}: use en or fr")]
pub struct UnsupportedLanguage(pub String);

impl FromStr for Language {
    type Err = UnsupportedLanguage;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Language::from_tag(s).ok_or_else(|| UnsupportedLanguage(s.to_owned()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_highest_weighted_of_french_and_english_wins() {
        let lang = Language::from_accept_language;
        assert_eq!(lang("fr-FR,fr;q=0.9,en-US;q=0.8,en;q=0.7"), Some(Language::Fr));
        assert_eq!(lang("en-GB,fr;q=0.5"), Some(Language::En));
        assert_eq!(lang("de-DE,fr;q=0.8,en;q=0.5"), Some(Language::Fr));
        assert_eq!(lang("de-DE"), None);
        assert_eq!(lang("fr;q=0.2, EN;q=0.3"), Some(Language::En));
        assert_eq!(lang("fr;q=0, en;q=0.1"), Some(Language::En));
        assert_eq!(lang(""), None);
    }

    #[test]
    fn tags_parse_and_print() {
        assert_eq!("fr-CA".parse::<Language>(), Ok(Language::Fr));
        assert_eq!("EN".parse::<Language>(), Ok(Language::En));
        assert!("de".parse::<Language>().is_err());
        assert_eq!(Language::Fr.to_string(), "fr");
    }
}
