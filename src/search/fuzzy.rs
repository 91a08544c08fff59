//! Spelling variants: `Hezbolah~` (or `~1`, `~2`) also matches the words of the index within
//! that many edits (insert, delete, replace, swap two letters) of the normalized word, so
//! `Mokhtar~` finds `Mukhtar` and `Moukhtar`, and `خليه~1` finds `خلية`. Transliterated
//! Arabic names have many Latin spellings, and Arabic words many misspellings; each found
//! word is an ordinary term, so snippets highlight it.

use std::collections::BTreeMap;

use levenshtein_automata::{DFA, Distance, LevenshteinAutomatonBuilder, SINK_STATE};
use tantivy::Searcher;
use tantivy::schema::Field;
use tantivy_fst::Automaton;

use crate::error::Error;
use crate::search::terms::most_frequent;

/// Edits allowed after a bare `~`.
pub const DEFAULT_EDITS: u8 = 2;
/// Most spelling variants searched for one word: the most frequent ones.
const MAX_VARIANTS: usize = 30;
/// Weight of a variant relative to the word as written.
pub const FUZZY_BOOST: f64 = 0.5;

/// The most edits a fuzzy word may ask for: beyond 2, most short words match each other.
pub const MAX_EDITS: u8 = 2;

/// A word with a fuzzy marker, `word~` or `word~N`, in any script: the word and its edits.
/// `None` when the text is no fuzzy word (`a~b`, `~1`); an error when N is beyond
/// [`MAX_EDITS`].
pub fn parse_fuzzy(text: &str) -> Result<Option<(&str, u8)>, Error> {
    // Left in the word, it would go unsaid into the views that keep signs, and find nothing.
    if let Some(word) = text.strip_prefix('~')
        && word.starts_with(char::is_alphabetic)
    {
        return Err(Error::Query(format!(
            "`{text}`: `~` goes after the word, for its spelling variants (`{word}~`)"
        )));
    }
    // `~2` with no word before it: the words of a phrase apart, or a word's edits, of nothing.
    if let Some(digits) = text.strip_prefix('~')
        && !digits.is_empty()
        && digits.chars().all(|c| c.is_ascii_digit())
    {
        return Err(Error::Query(format!(
            "`{text}` stands alone: it goes right after a quoted phrase (`\"…\"{text}`, its \
             words up to {digits} apart) or a word (`word{text}`, its spelling variants)"
        )));
    }
    let Some((word, edits)) = text.rsplit_once('~') else {
        return Ok(None);
    };
    let is_word = !word.is_empty() && word.chars().all(|c| c.is_alphanumeric() || c == '-');
    if !is_word || !edits.chars().all(|c| c.is_ascii_digit()) {
        return Ok(None);
    }
    let edits = match edits {
        "" => DEFAULT_EDITS,
        digits => match digits.parse::<u8>() {
            Ok(n) if n <= MAX_EDITS => n,
            _ => {
                return Err(Error::Query(format!(
                    "`{text}` asks for {digits} edits; fuzzy search allows 0 to {MAX_EDITS} \
                     (`word~` means {DEFAULT_EDITS})"
                )));
            }
        },
    };
    Ok(Some((word, edits)))
}

/// A Levenshtein automaton, run over a term dictionary.
struct Edits(DFA);

impl Automaton for Edits {
    type State = u32;

    fn start(&self) -> u32 {
        self.0.initial_state()
    }

    fn is_match(&self, state: &u32) -> bool {
        matches!(self.0.distance(*state), Distance::Exact(_))
    }

    fn can_match(&self, state: &u32) -> bool {
        *state != SINK_STATE
    }

    fn accept(&self, state: &u32, byte: u8) -> u32 {
        self.0.transition(*state, byte)
    }
}

/// The terms of `fields` within `edits` edits of `term` (an analyzed, lowercased word),
/// other than `term` itself, most frequent first.
pub fn variants(searcher: &Searcher, fields: &[Field], term: &str, edits: u8) -> Vec<String> {
    if edits == 0 {
        return vec![];
    }
    let automaton = Edits(LevenshteinAutomatonBuilder::new(edits, true).build_dfa(term));
    let mut found: BTreeMap<String, u64> = BTreeMap::new();
    for segment in searcher.segment_readers() {
        for &field in fields {
            let Ok(inverted) = segment.inverted_index(field) else {
                continue;
            };
            let Ok(mut stream) = inverted.terms().search(&automaton).into_stream() else {
                continue;
            };
            while stream.advance() {
                let Ok(key) = std::str::from_utf8(stream.key()) else {
                    continue;
                };
                if key != term {
                    *found.entry(key.to_string()).or_default() +=
                        u64::from(stream.value().doc_freq);
                }
            }
        }
    }
    most_frequent(found, MAX_VARIANTS)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fuzzy_markers() {
        let parse = |text| parse_fuzzy(text).unwrap();
        assert_eq!(parse("Hezbolah~"), Some(("Hezbolah", 2)));
        assert_eq!(parse("Mokhtar~1"), Some(("Mokhtar", 1)));
        assert_eq!(parse("Qaïda~2"), Some(("Qaïda", 2)));
        assert_eq!(parse("خليه~1"), Some(("خليه", 1)));
        assert_eq!(parse("داعش~"), Some(("داعش", 2)));
        assert_eq!(parse("plain"), None);
        assert_eq!(parse("a~b"), None);
        assert_eq!(parse("~"), None);
        assert!(parse_fuzzy("~خلية").is_err());
    }

    #[test]
    fn a_slop_or_edits_with_nothing_before_them_are_refused_with_where_they_go() {
        let Err(Error::Query(message)) = parse_fuzzy("~2") else {
            panic!("a lone ~2 should be refused");
        };
        assert!(message.contains(r#"`"…"~2`"#), "{message}");
        assert!(message.contains("`word~2`"), "{message}");
    }

    #[test]
    fn too_many_edits_are_refused_with_the_allowed_range() {
        for text in ["word~3", "خلية~10", "x~99999999999999999999"] {
            let Err(Error::Query(message)) = parse_fuzzy(text) else {
                panic!("{text} should be refused");
            };
            assert!(message.contains("allows 0 to 2"), "{message}");
            assert!(message.contains(text), "{message}");
        }
    }
}

#[cfg(test)]
mod properties {
    use proptest::prelude::*;

    use super::*;

    proptest! {
        #[test]
        fn fuzzy_markers_never_panic_and_keep_their_word(text in "\\PC{0,20}(~[0-9]{0,4})?") {
            if let Ok(Some((word, edits))) = parse_fuzzy(&text) {
                prop_assert!(text.starts_with(word));
                prop_assert!(edits <= MAX_EDITS);
            }
        }
    }
}
