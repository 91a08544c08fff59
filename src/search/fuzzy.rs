//! Spelling variants of Latin-script names: `Hezbolah~` (or `~1`, `~2`) also matches the
//! words of the index within that many edits (insert, delete, replace, swap two letters), so
//! `Mokhtar~` finds `Mukhtar` and `Moukhtar`. Transliterated Arabic names have many Latin
//! spellings; each found word is an ordinary term, so snippets highlight it.

use std::collections::BTreeMap;

use levenshtein_automata::{DFA, Distance, LevenshteinAutomatonBuilder, SINK_STATE};
use tantivy::Searcher;
use tantivy::schema::Field;
use tantivy_fst::Automaton;

/// Edits allowed after a bare `~`.
pub const DEFAULT_EDITS: u8 = 2;
/// Most spelling variants searched for one word: the most frequent ones.
const MAX_VARIANTS: usize = 30;
/// Weight of a variant relative to the word as written.
pub const FUZZY_BOOST: f64 = 0.5;

/// A word with a fuzzy marker: `word~` or `word~N` (N from 0 to 2), written in Latin letters.
pub fn parse_fuzzy(text: &str) -> Option<(&str, u8)> {
    let (word, edits) = text.rsplit_once('~')?;
    let edits = match edits {
        "" => DEFAULT_EDITS,
        "0" => 0,
        "1" => 1,
        "2" => 2,
        _ => return None,
    };
    let latin = !word.is_empty()
        && word.chars().all(|c| {
            c.is_alphanumeric() && (c.is_ascii() || ('\u{00C0}'..='\u{024F}').contains(&c))
                || c == '-'
        });
    latin.then_some((word, edits))
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
    let mut found: Vec<(String, u64)> = found.into_iter().collect();
    found.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
    found
        .into_iter()
        .take(MAX_VARIANTS)
        .map(|(t, _)| t)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fuzzy_markers() {
        assert_eq!(parse_fuzzy("Hezbolah~"), Some(("Hezbolah", 2)));
        assert_eq!(parse_fuzzy("Mokhtar~1"), Some(("Mokhtar", 1)));
        assert_eq!(parse_fuzzy("Qaïda~2"), Some(("Qaïda", 2)));
        assert_eq!(parse_fuzzy("word~3"), None);
        assert_eq!(parse_fuzzy("داعش~"), None);
        assert_eq!(parse_fuzzy("plain"), None);
    }
}
