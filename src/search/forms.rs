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
        let own: Vec<Option<String>> = self
            .fields
            .iter_mut()
            .map(|(_, _, analyzer)| single_term(analyzer, word))
            .collect();
        let mut found: Vec<FoundForm> = Vec::new();
        // Forms meeting in one term are one form: the first reason found stands.
        let mut searched: Vec<(usize, String)> = Vec::new();
        for form in related {
            found.extend(self.found(form.text, form.reason, &own, &mut searched));
        }
        found
    }

    /// A country's nisba adjective (see [`country_adjective`]) when it occurs in the index
    /// and differs from `name`'s own terms.
    pub fn country_adjective(&mut self, name: &str) -> Option<FoundForm> {
        let adjective = country_adjective(name)?;
        let own: Vec<Option<String>> = self
            .fields
            .iter_mut()
            .map(|(_, _, analyzer)| single_term(analyzer, name))
            .collect();
        self.found(adjective, Reason::Adjective, &own, &mut Vec::new())
    }

    /// `text` as a form found in the index, in the fields where it occurs: none where it is
    /// the word's `own` term, or a term already `searched`.
    fn found(
        &mut self,
        text: String,
        reason: Reason,
        own: &[Option<String>],
        searched: &mut Vec<(usize, String)>,
    ) -> Option<FoundForm> {
        let mut fields = Vec::new();
        for (i, (name, field, analyzer)) in self.fields.iter_mut().enumerate() {
            let Some(term) = single_term(analyzer, &text) else {
                continue;
            };
            if own[i].as_deref() == Some(term.as_str())
                || searched.iter().any(|(f, t)| *f == i && *t == term)
            {
                continue;
            }
            searched.push((i, term.clone()));
            let occurs = self
                .searcher
                .doc_freq(&Term::from_field_text(*field, &term))
                .unwrap_or(0)
                > 0;
            if occurs {
                fields.push(name.clone());
            }
        }
        (!fields.is_empty()).then_some(FoundForm {
            text,
            reason,
            fields,
        })
    }
}

/// The nisba adjective of a country's or region's Arabic name as written in the alias table
/// (one word), by which the press names its army, police or borders: `لبنان` → لبناني,
/// `ليبيا` → ليبي (the alif gives way), `فرنسا` → فرنسي, `السعودية` → سعودي, `الإمارات` →
/// إماراتي. Written as the name is, for the analyzer to read as it reads articles: only a
/// plain `ال` is the article, and `ألمانيا` keeps its `أل` (ألماني). Kept to the table's
/// countries: on other words the alif's rule is wrong (العليا would find على).
pub fn country_adjective(name: &str) -> Option<String> {
    if name.contains(char::is_whitespace) || !morphology::is_arabic_word(&normalize_word(name)) {
        return None;
    }
    let bare = name
        .strip_prefix("ال")
        .filter(|rest| rest.chars().count() >= 3)
        .unwrap_or(name);
    let stem = ["ية", "ة", "يا", "ا"]
        .iter()
        .find_map(|ending| bare.strip_suffix(ending))
        .unwrap_or(bare);
    let adjective = format!("{stem}ي");
    let bare_adjective = bare.ends_with(['ي', 'ى']) && stem == bare;
    (!bare_adjective && adjective.chars().count() > 3).then_some(adjective)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_country_name_gives_its_nisba_adjective() {
        for (name, adjective) in [
            ("لبنان", "لبناني"),
            ("ليبيا", "ليبي"),
            ("فرنسا", "فرنسي"),
            ("السعودية", "سعودي"),
            ("سورية", "سوري"),
            ("الإمارات", "إماراتي"),
            ("ألمانيا", "ألماني"),
            ("الجزائر", "جزائري"),
            ("أوروبا", "أوروبي"),
            ("الهند", "هندي"),
        ] {
            assert_eq!(
                country_adjective(name).as_deref(),
                Some(adjective),
                "{name}"
            );
        }
        // No adjective of an adjective, of a phrase, of a Latin name, or too short to stand
        // for one (آسيا would give آسي, "grief").
        for name in ["جيبوتي", "كوريا الجنوبية", "Lebanon", "آسيا"] {
            assert_eq!(country_adjective(name), None, "{name}");
        }
    }
}
