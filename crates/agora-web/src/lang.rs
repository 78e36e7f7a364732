//! The language of the few pages the server writes itself (the OpenID Connect landing
//! and refusal pages; the web interface translates everything else in the browser):
//! French or English, from the browser's Accept-Language (RFC 9110 §12.5.4), the
//! highest-weighted of the two winning, English by default.

use axum::http::{HeaderMap, header};

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Lang {
    En,
    Fr,
}

impl Lang {
    pub(crate) fn of(headers: &HeaderMap) -> Lang {
        let accept = headers.get(header::ACCEPT_LANGUAGE).and_then(|v| v.to_str().ok()).unwrap_or("");
        let mut best = (Lang::En, 0.0_f32);
        for item in accept.split(',') {
            let mut parts = item.split(';');
            let tag = parts.next().unwrap_or("").trim().to_ascii_lowercase();
            let q = parts
                .filter_map(|p| p.trim().strip_prefix("q="))
                .find_map(|q| q.trim().parse::<f32>().ok())
                .unwrap_or(1.0);
            let lang = match tag.split('-').next() {
                Some("fr") => Lang::Fr,
                Some("en") => Lang::En,
                _ => continue,
            };
            if q > best.1 {
                best = (lang, q);
            }
        }
        best.0
    }

    /// The BCP 47 tag for `<html lang>`.
    pub(crate) fn tag(self) -> &'static str {
        match self {
            Lang::En => "en",
            Lang::Fr => "fr",
        }
    }

    /// The text in this language, given in both.
    pub(crate) fn pick(self, en: &'static str, fr: &'static str) -> &'static str {
        match self {
            Lang::En => en,
            Lang::Fr => fr,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lang(accept: &str) -> Lang {
        let mut h = HeaderMap::new();
        h.insert(header::ACCEPT_LANGUAGE, accept.parse().unwrap());
        Lang::of(&h)
    }

    #[test]
    fn the_highest_weighted_of_french_and_english_wins() {
        assert_eq!(lang("fr-FR,fr;q=0.9,en-US;q=0.8,en;q=0.7"), Lang::Fr);
        assert_eq!(lang("en-GB,fr;q=0.5"), Lang::En);
        assert_eq!(lang("de-DE,fr;q=0.8,en;q=0.5"), Lang::Fr);
        assert_eq!(lang("de-DE"), Lang::En);
        assert_eq!(lang("fr;q=0.2, EN;q=0.3"), Lang::En);
        assert_eq!(Lang::of(&HeaderMap::new()), Lang::En);
    }
}
