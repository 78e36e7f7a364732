//! Which language the server's own words are written in, for whom: the user's stored
//! choice (the web preferences' `locale`, set from the page's language switch or
//! settings), else the server's default (`--language`). Requests without a user (a
//! DAV client's error) use the request's Accept-Language first — decided by the DAV
//! layer, which asks [`Rule::reason`] for the words.
//!
//! What follows the language: iMIP e-mails (subject and text part, written in the
//! sender's language: the organiser's for an invitation, the attendee's for an
//! answer), the reasons given with refused requests, the names of the default
//! collections and of the birthdays calendar. The calendar data itself is never
//! translated.

pub use agora_imip::{Language, UnsupportedLanguage};
use agora_store::PrincipalId;

use crate::Core;
use crate::error::Rule;

impl Core {
    /// The language to write in for `principal`: their stored choice, else the
    /// server's default. Never fails: a store error or an unreadable preference
    /// falls back to the default (the words matter less than the message).
    pub async fn language_of(&self, principal: PrincipalId) -> Language {
        let stored = self.store.preferences(principal).await.ok().flatten();
        stored.as_deref().and_then(stored_language).unwrap_or(self.config.default_language)
    }

    /// The server's default language.
    pub fn default_language(&self) -> Language {
        self.config.default_language
    }
}

/// The `locale` of a preferences document, when it names a language we write.
fn stored_language(json: &str) -> Option<Language> {
    let value: serde_json::Value = serde_json::from_str(json).ok()?;
    Language::from_tag(value.get("locale")?.as_str()?)
}

impl Rule {
    /// Why the request was refused, for people, in `lang`. English is the
    /// `Display` text (also used in logs); parser details inside `ValidData` and
    /// `ObjectResource` stay as the parser wrote them.
    pub fn reason(&self, lang: Language) -> String {
        if lang == Language::En {
            return self.to_string();
        }
        match self {
            Rule::UidConflict { name } => format!("un autre objet ({name:?}) de cette collection a le même UID"),
            Rule::UidChange { name } => format!(
                "{name:?} contient un objet d’un autre UID\u{a0}; un UID ne change pas, créez plutôt une nouvelle ressource"
            ),
            Rule::UniqueSchedulingObject { path } => {
                format!("/{path} est déjà cette réunion dans vos agendas\u{a0}: modifiez ou déplacez celle-là")
            }
            Rule::SupportedData(t) => format!("type de média non pris en charge par cette collection\u{a0}: {t}"),
            Rule::ValidData(d) => format!("données invalides\u{a0}: {d}"),
            Rule::ObjectResource(d) => format!("ressource d’objet invalide\u{a0}: {d}"),
            Rule::SupportedComponent(c) => format!("cet agenda n’accepte pas les {c}"),
            Rule::MaxSize { max } => format!("l’objet dépasse la taille maximale de {max} octets"),
            Rule::CollectionLocation => "une collection de ce type ne peut pas être créée ici".to_owned(),
            Rule::QuotaExceeded => "le quota de stockage serait dépassé".to_owned(),
            Rule::ValidSyncToken => "jeton de synchronisation invalide".to_owned(),
            // Built from the fetcher's classification, in English; prefixed so the
            // sentence reads in French.
            Rule::FeedSource(r) => format!("adresse d’abonnement refusée\u{a0}: {r}"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_stored_locale_names_the_language() {
        assert_eq!(stored_language(r#"{"locale":"fr","view":"week"}"#), Some(Language::Fr));
        assert_eq!(stored_language(r#"{"locale":"en-GB"}"#), Some(Language::En));
        assert_eq!(stored_language(r#"{"locale":"de"}"#), None);
        assert_eq!(stored_language(r#"{"view":"week"}"#), None);
        assert_eq!(stored_language("not json"), None);
    }

    #[test]
    fn every_rule_has_its_french_reason() {
        let rules = [
            Rule::UidConflict { name: "a.ics".into() },
            Rule::UidChange { name: "a.ics".into() },
            Rule::UniqueSchedulingObject { path: "calendars/alice/calendar/a.ics".into() },
            Rule::SupportedData("text/plain".into()),
            Rule::ValidData("line 3".into()),
            Rule::ObjectResource("two UIDs".into()),
            Rule::SupportedComponent("VTODO".into()),
            Rule::MaxSize { max: 10 },
            Rule::CollectionLocation,
            Rule::QuotaExceeded,
            Rule::ValidSyncToken,
            Rule::FeedSource("localhost".into()),
        ];
        for rule in rules {
            let fr = rule.reason(Language::Fr);
            assert_ne!(fr, rule.reason(Language::En), "{rule:?}");
            assert!(!fr.is_empty());
        }
        assert_eq!(Rule::QuotaExceeded.reason(Language::En), "the storage quota would be exceeded");
    }
}
