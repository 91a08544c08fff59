//! Query-time expansion of Arabic words into related forms the light stemmer does not reach
//! (duals, sound plurals, nisba forms, broken plurals, words of the same root; see
//! [`crate::analysis::morphology`]). Each form is searched in the stemmed fields where it
//! occurs and analyzes differently from the word, at a lower weight than the word: root forms
//! lowest, so that a word of the same root never outranks the word itself.

use tantivy::Searcher;
use tantivy::Term;
use tantivy::schema::Field;
use tantivy::tokenizer::TextAnalyzer;

use crate::analysis::single_term;

use crate::analysis::morphology::{self, Morphology, Reason, Stages};
use crate::analysis::normalizer::normalize_word;

/// Weight of an inflected form (dual, plural, nisba, plural table) relative to the word.
pub const FORM_BOOST: f64 = 0.5;
/// Weight of a word of the same root, or of a noun's adjective, relative to the word.
pub const ROOT_BOOST: f64 = 0.15;

/// A related form of a query word found in the index, and the fields to search it in.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FoundForm {
    /// The form, normalized.
    pub text: String,
    /// Why it is related.
    pub reason: Reason,
    /// The stemmed fields where it occurs and differs from the word.
    pub fields: Vec<String>,
}

impl FoundForm {
    /// Its weight relative to the word.
    pub fn boost(&self) -> f64 {
        boost(self.reason)
    }
}

/// The weight of a form related for this reason, relative to the word. A noun and its
/// adjective differ in meaning as much as two words of one root (أمن "security", أمني
/// "security officer"), so they weigh as little.
pub fn boost(reason: Reason) -> f64 {
    match reason {
        // A construct plural's other case is as often a nisba or a name's (فاسو: فاسي).
        Reason::Root | Reason::Adjective | Reason::ConstructCase | Reason::VerbalNoun => ROOT_BOOST,
        Reason::Dual
        | Reason::Plural
        | Reason::ConstructPlural
        | Reason::Nisba
        | Reason::PluralTable
        | Reason::Conjugation => FORM_BOOST,
    }
}

/// Finds the related forms of query words in the stemmed fields of an index.
pub struct FormExpander<'a> {
    searcher: &'a Searcher,
    /// The stemmed text fields searched by default: name, field, analyzer.
    fields: Vec<(String, Field, TextAnalyzer)>,
    stages: Stages,
}

impl<'a> FormExpander<'a> {
    /// An expander over these stemmed fields (name, field, analyzer).
    pub fn new(
        searcher: &'a Searcher,
        fields: Vec<(String, Field, TextAnalyzer)>,
        stages: Stages,
    ) -> Self {
        FormExpander {
            searcher,
            fields,
            stages,
        }
    }

    /// The related forms of one query word that occur in the index.
    pub fn forms(&mut self, word: &str) -> Vec<FoundForm> {
        let normalized = normalize_word(word);
        // Checked before the tables are read: a Latin word has no related forms.
        if !morphology::is_arabic_word(&normalized) {
            return vec![];
        }
        let related = Morphology::builtin().related_forms(&normalized, self.stages);
        if related.is_empty() {
            return vec![];
        }
        let searcher = self.searcher;
        let own: Vec<Option<String>> = self
            .fields
            .iter_mut()
            .map(|(_, _, analyzer)| single_term(analyzer, word))
            .collect();
        let mut found: Vec<FoundForm> = Vec::new();
        // Forms meeting in one term are one form: the first reason found stands.
        let mut searched: Vec<(usize, String)> = Vec::new();
        for form in related {
            let mut fields = Vec::new();
            for (i, (name, field, analyzer)) in self.fields.iter_mut().enumerate() {
                let Some(term) = single_term(analyzer, &form.text) else {
                    continue;
                };
                if own[i].as_deref() == Some(term.as_str())
                    || searched.iter().any(|(f, t)| *f == i && *t == term)
                {
                    continue;
                }
                searched.push((i, term.clone()));
                let occurs = searcher
                    .doc_freq(&Term::from_field_text(*field, &term))
                    .unwrap_or(0)
                    > 0;
                if occurs {
                    fields.push(name.clone());
                }
            }
            if !fields.is_empty() {
                found.push(FoundForm {
                    text: form.text,
                    reason: form.reason,
                    fields,
                });
            }
        }
        found
    }
}
