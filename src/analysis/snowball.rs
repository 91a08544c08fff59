//! Snowball stemming of Latin-script words, for the French and English views of an article.
//!
//! tantivy's `Stemmer` filter stems every token, so an Arabic word quoted in a French article
//! would go through the French rules. This filter stems only tokens written in ASCII letters
//! and digits (Latin words are ASCII by the time they get here: the chain folds accents
//! first, so that `securite` typed without accents meets `sécurité`), and leaves the rest,
//! Arabic included, as the earlier stages made them.
//!
//! French gets one step before Snowball: a plural `s` is removed first. Snowball French
//! strips the `-er` of a singular noun but not of its plural (`etranger` → `etrang`,
//! `etrangers` → `etranger`), so `policier`/`policiers`, `douanier`/`douaniers` and
//! `etranger`/`etrangers`, frequent in security news, would not meet.

use std::borrow::Cow;

use frostem::{Algorithm, Stemmer};
use tantivy::tokenizer::Token;

use super::filter::TokenMap;

/// The languages rasd stems with Snowball.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum LatinLanguage {
    French,
    English,
}

impl LatinLanguage {
    fn algorithm(self) -> Algorithm {
        match self {
            LatinLanguage::French => Algorithm::French,
            LatinLanguage::English => Algorithm::English,
        }
    }
}

/// Snowball stemming for ASCII tokens only (use it as `MapFilter(LatinStemmer::new(..))`).
#[derive(Clone, Copy)]
pub struct LatinStemmer {
    language: LatinLanguage,
    stemmer: Stemmer,
}

impl LatinStemmer {
    /// A stemmer for `language`.
    pub fn new(language: LatinLanguage) -> Self {
        LatinStemmer {
            language,
            stemmer: Stemmer::new(language.algorithm()),
        }
    }
}

/// Removes a French plural `s` (not `ss`) from a word of more than three letters.
fn strip_plural_s(word: &mut String) {
    if word.len() > 3 && word.ends_with('s') && !word.ends_with("ss") {
        word.pop();
    }
}

impl TokenMap for LatinStemmer {
    fn map(&mut self, _text: &str, token: &mut Token) -> bool {
        if token.text.bytes().all(|b| b.is_ascii_alphanumeric()) {
            if self.language == LatinLanguage::French {
                strip_plural_s(&mut token.text);
            }
            // Borrowed means unchanged.
            if let Cow::Owned(stem) = self.stemmer.stem(&token.text) {
                token.text = stem;
            }
        }
        true
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analysis::filter::mapped;

    fn stems(language: LatinLanguage, text: &str) -> Vec<String> {
        mapped(LatinStemmer::new(language), text)
    }

    #[test]
    fn french_inflections_meet() {
        let s = stems(
            LatinLanguage::French,
            "arrestation arrestations trafiquants trafiquant",
        );
        assert_eq!(s[0], s[1]);
        assert_eq!(s[2], s[3]);
    }

    #[test]
    fn french_nouns_in_er_meet_their_plurals() {
        for pair in [
            "etranger etrangers",
            "policier policiers",
            "douanier douaniers",
        ] {
            let s = stems(LatinLanguage::French, pair);
            assert_eq!(s[0], s[1], "{pair}");
        }
        assert_eq!(stems(LatinLanguage::French, "stress"), vec!["stress"]);
    }

    #[test]
    fn english_inflections_meet() {
        let s = stems(
            LatinLanguage::English,
            "smugglers smuggler attacks attacked",
        );
        assert_eq!(s[0], s[1]);
        assert_eq!(s[2], s[3]);
    }

    #[test]
    fn arabic_and_accented_tokens_are_left_alone() {
        assert_eq!(
            stems(LatinLanguage::French, "الإرهابيين sécurité"),
            vec!["الإرهابيين", "sécurité"]
        );
        assert_eq!(stems(LatinLanguage::English, "داعش"), vec!["داعش"]);
    }
}
