//! Query-time expansion of Arabic single-letter proclitics.
//!
//! The index keeps و ف ب ك ل attached to their word, because stripping them at index time
//! merges real words (وطنية → طنية, فرنسا → رنسا). Instead, each Arabic query word also
//! matches its proclitic forms *that occur in the index*: `داعش` finds `لداعش` and `بداعش`,
//! and the phrase `"مكافحة الإرهاب"` finds `لمكافحة الإرهاب`. Variants weigh half as much as
//! the word as written, so exact forms rank first. Each variant is an ordinary term, so
//! snippets highlight it.

use serde::Serialize;
use tantivy::Searcher;
use tantivy::Term;
use tantivy::query_grammar::UserInputLiteral;
use tantivy::schema::Field;
use tantivy::tokenizer::TextAnalyzer;

use crate::analysis::morphology::Morphology;
use crate::analysis::normalizer::normalize_word;
use crate::analysis::single_term;

/// Proclitics tried in front of a query word: conjunctions, prepositions, and their pairs.
pub(crate) const PROCLITICS: &[&str] =
    &["و", "ف", "ب", "ل", "ك", "وب", "ول", "وك", "فب", "فل", "فك"];
/// The definite article, which a proclitic may replace.
const ARTICLE: &str = "ال";
/// Weight of a proclitic variant relative to the word as written.
pub const VARIANT_BOOST: f64 = 0.5;
/// Weight of a proclitic before the word without its article: two steps from the word as
/// written (a proclitic, and no article), as far as its related forms.
pub const INDEFINITE_VARIANT_BOOST: f64 = 0.25;
/// Shortest word expanded: a proclitic before a two-letter word mostly makes another word
/// (طن "ton" and وطن "homeland").
const MIN_EXPANDED_LETTERS: usize = 3;

/// A proclitic form of a query word or phrase, and the fields to search it in.
#[derive(Clone, Debug, PartialEq)]
pub struct Variant {
    /// The word or phrase with its proclitics, as the user would have written it.
    pub text: String,
    /// The fields where it occurs and differs from the word as written.
    pub fields: Vec<String>,
    /// Its weight relative to the word as written.
    pub weight: f64,
}

/// A proclitic form of a query word found in the index, as `rasd analyze --query` shows it.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct ProcliticForm {
    /// The form as the user would have written it.
    pub text: String,
    /// Its weight relative to the word as written.
    pub weight: f64,
}

/// Expands query words into their proclitic forms found in the index.
pub struct ProcliticExpander<'a> {
    searcher: &'a Searcher,
    /// The text fields searched by default, with their analyzers.
    fields: Vec<(String, Field, TextAnalyzer)>,
}

impl<'a> ProcliticExpander<'a> {
    /// An expander over these fields (name, field, analyzer).
    pub fn new(searcher: &'a Searcher, fields: Vec<(String, Field, TextAnalyzer)>) -> Self {
        ProcliticExpander { searcher, fields }
    }

    /// The proclitic forms of `word` (and of `word` without its article) that occur in the
    /// index, each with the fields where it occurs and analyzes differently from `word` itself (elsewhere it would only find the
    /// word's own matches again: the stemmed view already strips `وال` and `بال`).
    /// `field_name` limits the search to one field. The forms without the article are
    /// looked for only for a word `alone`, not one that opens a phrase (see
    /// [`Self::literal_variants`]).
    fn variants(&mut self, word: &str, field_name: Option<&str>, alone: bool) -> Vec<Variant> {
        let arabic = word.starts_with(|c: char| ('\u{0621}'..='\u{064A}').contains(&c));
        if !arabic || word.chars().count() < MIN_EXPANDED_LETTERS {
            return vec![];
        }
        // The word's own term in each field considered: a variant must differ from it.
        let mut fields: Vec<(&str, Field, &mut TextAnalyzer, Option<String>)> = self
            .fields
            .iter_mut()
            .filter(|(name, _, _)| field_name.is_none_or(|f| f == name))
            .map(|(name, field, analyzer)| {
                let own = single_term(analyzer, word);
                (name.as_str(), *field, analyzer, own)
            })
            .collect();
        let searcher = self.searcher;
        let mut variants = Vec::new();
        // A proclitic also comes before the word without its article (`الإرهاب`: `وإرهاب`,
        // `لإرهاب`), which the stemmed view, stripping `وال` and `بال` but no lone `و`, does
        // not give back: the same noun, indefinite.
        let indefinite = word.strip_prefix(ARTICLE).filter(|rest| {
            alone && rest.chars().filter(|c| c.is_alphabetic()).count() >= MIN_EXPANDED_LETTERS
        });
        let bases = std::iter::once((word, VARIANT_BOOST))
            .chain(indefinite.map(|rest| (rest, INDEFINITE_VARIANT_BOOST)));
        let forms = bases.flat_map(|base| PROCLITICS.iter().map(move |p| (p, base)));
        let morphology = Morphology::builtin();
        for (proclitic, (base, weight)) in forms {
            let text = format!("{proclitic}{base}");
            // A form the plural table knows as a word of its own is that word, not the query
            // word's: `الرقة` (Raqqa) without its article is no `ورقة` ("paper") or `فرقة`
            // ("brigade").
            if morphology.is_listed_word(&normalize_word(&text)) {
                continue;
            }
            let found: Vec<String> = fields
                .iter_mut()
                .filter_map(|(name, field, analyzer, own)| {
                    // A word the field does not index (a stop word, tatweel alone) has no
                    // forms there: `والتي` is no form of a query's `التي`, nor `و` of `ـــ`.
                    let own = own.as_deref()?;
                    let term = single_term(analyzer, &text)?;
                    let occurs = own != term.as_str()
                        && searcher
                            .doc_freq(&Term::from_field_text(*field, &term))
                            .unwrap_or(0)
                            > 0;
                    occurs.then(|| name.to_string())
                })
                .collect();
            if !found.is_empty() {
                variants.push(Variant {
                    text,
                    fields: found,
                    weight,
                });
            }
        }
        variants
    }

    /// The variants of a literal (a word or a phrase), without the literal itself: its first
    /// word's proclitic forms, the rest as written, searched in the fields where the form was
    /// found. A proclitic opens a phrase (`لمكافحة الإرهاب`, `والأمن الوطني`); on a later
    /// word it would join two phrases (`الأمن والوطني`, "security and the national…"), which
    /// the words typed together do not mean, and each is one more phrase to check (a phrase
    /// of two common words had 15 variants with them). A phrase's first word keeps its
    /// article: without it the phrase is another one (`وأمن الوطني` is no Arabic for
    /// `الأمن الوطني`, whose adjective agrees with a definite noun), and its forms were half
    /// the time of `"الأمن الوطني"`.
    pub fn literal_variants(&mut self, literal: &UserInputLiteral) -> Vec<Variant> {
        let mut words = literal.phrase.split_whitespace();
        let Some(first) = words.next() else {
            return vec![];
        };
        let rest: Vec<&str> = words.collect();
        self.variants(first, literal.field_name.as_deref(), rest.is_empty())
            .into_iter()
            .map(|variant| Variant {
                text: std::iter::once(variant.text.as_str())
                    .chain(rest.iter().copied())
                    .collect::<Vec<_>>()
                    .join(" "),
                fields: variant.fields,
                weight: variant.weight,
            })
            .collect()
    }
}
