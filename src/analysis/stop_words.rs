//! Stop words: dropped from every view, as they carry nothing to search by. A stop word that
//! negates (`index-schema/negations.txt`: `غير`, `لا`, `not`, `sans`…) is not indexed either,
//! but keeps its place, which the [`super::positions`] stage (the one that drops stop words)
//! counts as a word's. So `"الهجرة غير الشرعية"` (illegal migration) never finds `الهجرة
//! الشرعية` (legal migration), though any other stop word may stand in a phrase for another,
//! or for none.

use std::sync::{Arc, Mutex, OnceLock, PoisonError};

use super::parse_word_list;
use rustc_hash::{FxHashMap, FxHashSet};

/// The negations, normalized, read once.
fn negations() -> &'static FxHashSet<String> {
    static NEGATIONS: OnceLock<FxHashSet<String>> = OnceLock::new();
    NEGATIONS.get_or_init(|| {
        parse_word_list(include_str!("../../index-schema/negations.txt"))
            .into_iter()
            .collect()
    })
}

/// Whether a normalized word is one of the negations (whether or not a view drops it).
pub fn is_negation(word: &str) -> bool {
    negations().contains(word)
}

/// A view's stop words: see the module's documentation.
#[derive(Clone)]
pub struct StopWords {
    /// Each stop word, and whether it negates: one lookup per word.
    words: Arc<FxHashMap<String, bool>>,
}

/// What a term is to a view's stop words.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    /// A word the view indexes.
    Word,
    /// A stop word: dropped, with its place.
    Dropped,
    /// A negation: dropped, but its place kept.
    Negation,
}

impl StopWords {
    /// The stop words `words` (normalized), negations marked. Each list is built once in a
    /// process and shared: a search builds the same views' analyzers several times (opening
    /// the index, the glossary's keys, the snippets), and each copy of its few hundred words
    /// cost as many allocations (about 0.17 ms of a search with no hits).
    pub fn new<'a>(words: impl IntoIterator<Item = &'a str>) -> StopWords {
        static BUILT: OnceLock<Mutex<FxHashMap<String, StopWords>>> = OnceLock::new();
        // The list as one key: normalized words hold no line break.
        let mut key = String::new();
        for word in words {
            key.push_str(word);
            key.push('\n');
        }
        let mut built =
            (BUILT.get_or_init(Default::default).lock()).unwrap_or_else(PoisonError::into_inner);
        let stop_words = built.entry(key).or_insert_with_key(|key| {
            let negations = negations();
            let words = key
                .lines()
                .map(|word| (word.to_string(), negations.contains(word)))
                .collect();
            StopWords {
                words: Arc::new(words),
            }
        });
        stop_words.clone()
    }

    /// What `term` is to these stop words.
    pub fn kind(&self, term: &str) -> Kind {
        match self.words.get(term) {
            None => Kind::Word,
            Some(false) => Kind::Dropped,
            Some(true) => Kind::Negation,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stop_words_are_dropped_and_negations_marked() {
        let stop_words = StopWords::new(["في", "غير", "the", "not"]);
        assert_eq!(stop_words.kind("في"), Kind::Dropped);
        assert_eq!(stop_words.kind("the"), Kind::Dropped);
        assert_eq!(stop_words.kind("غير"), Kind::Negation);
        assert_eq!(stop_words.kind("not"), Kind::Negation);
        assert_eq!(stop_words.kind("الشرعيه"), Kind::Word);
    }

    #[test]
    fn a_negation_that_is_no_stop_word_is_a_word() {
        let stop_words = StopWords::new([]);
        assert_eq!(stop_words.kind("غير"), Kind::Word);
        assert_eq!(stop_words.kind("not"), Kind::Word);
    }

    #[test]
    fn every_negation_is_normalized() {
        for word in negations() {
            assert_eq!(crate::analysis::normalized_word(word).as_ref(), Some(word));
        }
    }
}
