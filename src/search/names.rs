//! Names across scripts without a dictionary: a name-like query word also finds its spelling
//! in the other script, through the transliteration keys the index holds (`title_names`,
//! `body_names`; see [`crate::analysis::names`]). `Lahlou` finds لحلو and `الزفزافي` finds
//! Zefzafi; `"El Khalfi"` finds الخلفي.
//!
//! Precision first: only name-like words are looked up (a Latin word written with a capital
//! and not a stop word; an Arabic word that is no stop word), a key needs three consonant
//! classes, a Latin word looks up keys of Arabic words only and the reverse, and key matches
//! weigh [`NAME_BOOST`], below the word as written.

use tantivy::Term;
use tantivy::query::{BooleanQuery, BoostQuery, Occur, Query, TermQuery};
use tantivy::query_grammar::{Delimiter, UserInputLiteral};
use tantivy::schema::IndexRecordOption;

use crate::analysis::names::{self, ARABIC_MARK, LATIN_MARK};
use crate::analysis::{self, WordLists};
use crate::store::RasdIndex;

/// Weight of a match by transliteration relative to the word as written.
pub const NAME_BOOST: f32 = 0.3;

/// A query word or name matched by transliteration.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub struct NameKey {
    /// The word or name as written.
    pub name: String,
    /// Its key, marked with the script it looks up (`a`: Arabic spellings, `l`: Latin ones).
    pub key: String,
}

/// Whether a word, as typed, can be a name: a Latin word with a capital, or an Arabic word,
/// and no stop word.
fn name_like(word: &str, lists: &WordLists) -> bool {
    let normalized = analysis::normalized_word(word).unwrap_or_default();
    let stop = [
        &lists.stopwords_ar,
        &lists.stopwords_fr,
        &lists.stopwords_en,
    ]
    .iter()
    .any(|list| list.binary_search(&normalized).is_ok());
    let arabic = word.starts_with(|c: char| ('\u{0621}'..='\u{064A}').contains(&c));
    !stop && (arabic || names::is_latin_name_like(word))
}

/// The keys a literal looks up: one per name-like word of a word or quoted name, and the
/// joined keys of particles (`"Ben Slimane"`). Exact, prefix and field-bound literals: none.
pub fn name_keys(literal: &UserInputLiteral, lists: &WordLists) -> Vec<NameKey> {
    let plain = literal.field_name.is_none() && !literal.prefix;
    let one_name =
        literal.delimiter == Delimiter::None || literal.phrase.split_whitespace().count() <= 4;
    if !plain || !one_name {
        return vec![];
    }
    let typed: Vec<&str> = literal.phrase.split_whitespace().collect();
    let normalized: Vec<String> = typed
        .iter()
        .map(|w| analysis::normalized_word(w).unwrap_or_default())
        .collect();
    let words: Vec<&str> = normalized.iter().map(String::as_str).collect();
    let mut keys: Vec<NameKey> = Vec::new();
    for (start, len, key) in names::name_keys(&words) {
        let last = typed[start + len - 1];
        if !name_like(last, lists) {
            continue;
        }
        let arabic = last.starts_with(|c: char| ('\u{0600}'..='\u{06FF}').contains(&c));
        // The other script's spellings.
        let mark = if arabic { LATIN_MARK } else { ARABIC_MARK };
        let key = format!("{mark}{key}");
        if !keys.iter().any(|k| k.key == key) {
            keys.push(NameKey {
                name: typed[start..start + len].join(" "),
                key,
            });
        }
    }
    keys
}

/// The query of a literal's name keys in the index's name-key fields, weighted
/// [`NAME_BOOST`]; `None` without keys or such fields.
pub fn name_query(index: &RasdIndex, keys: &[NameKey]) -> Option<Box<dyn Query>> {
    let fields: Vec<_> = index
        .schema
        .fields
        .iter()
        .filter(|f| f.indexed && f.analyzer.as_deref() == Some(analysis::NAME_KEYS))
        .map(|f| index.field(&f.name))
        .collect();
    let clauses: Vec<(Occur, Box<dyn Query>)> = keys
        .iter()
        .flat_map(|key| {
            fields.iter().map(|&field| {
                let term = Term::from_field_text(field, &key.key);
                let query: Box<dyn Query> =
                    Box::new(TermQuery::new(term, IndexRecordOption::WithFreqs));
                (Occur::Should, query)
            })
        })
        .collect();
    if clauses.is_empty() {
        return None;
    }
    Some(Box::new(BoostQuery::new(
        Box::new(BooleanQuery::new(clauses)),
        NAME_BOOST,
    )))
}
