//! Query-time expansion of Arabic single-letter proclitics.
//!
//! The index keeps و ف ب ك ل attached to their word, because stripping them at index time
//! merges real words (وطنية → طنية, فرنسا → رنسا). Instead, each Arabic query word also
//! matches its proclitic forms *that occur in the index*: `داعش` finds `لداعش` and `بداعش`,
//! and the phrase `"مكافحة الإرهاب"` finds `لمكافحة الإرهاب`. Variants weigh half as much as
//! the word as written, so exact forms rank first. Each variant is an ordinary term, so
//! snippets highlight it.

use tantivy::Searcher;
use tantivy::Term;
use tantivy::query_grammar::UserInputLiteral;
use tantivy::schema::Field;
use tantivy::tokenizer::TextAnalyzer;

use crate::analysis::single_term;

/// Proclitics tried in front of a query word: conjunctions, prepositions, and their pairs.
pub(crate) const PROCLITICS: &[&str] =
    &["و", "ف", "ب", "ل", "ك", "وب", "ول", "وك", "فب", "فل", "فك"];
/// Weight of a proclitic variant relative to the word as written.
pub const VARIANT_BOOST: f64 = 0.5;
/// Shortest word expanded: a proclitic before a two-letter word mostly makes another word
/// (طن "ton" and وطن "homeland").
const MIN_EXPANDED_LETTERS: usize = 3;
/// Most variants of one phrase (the product of its words' variants is capped).
const MAX_PHRASE_VARIANTS: usize = 32;

/// A proclitic form of a query word or phrase, and the fields to search it in.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Variant {
    /// The word or phrase with its proclitics, as the user would have written it.
    pub text: String,
    /// The fields where it occurs and differs from the word as written.
    pub fields: Vec<String>,
}

/// The words of a phrase replaced by a proclitic form: (position, form).
type Changes = Vec<(usize, String)>;

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

    /// The proclitic forms of `word` that occur in the index, each with the fields where it
    /// occurs and analyzes differently from `word` itself (elsewhere it would only find the
    /// word's own matches again: the stemmed view already strips `وال` and `بال`).
    /// `field_name` limits the search to one field.
    pub fn variants(&mut self, word: &str, field_name: Option<&str>) -> Vec<Variant> {
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
        for proclitic in PROCLITICS {
            let text = format!("{proclitic}{word}");
            let found: Vec<String> = fields
                .iter_mut()
                .filter_map(|(name, field, analyzer, own)| {
                    let term = single_term(analyzer, &text)?;
                    let occurs = own.as_deref() != Some(term.as_str())
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
                });
            }
        }
        variants
    }

    /// The variants of a literal (a word or a phrase), without the literal itself. A phrase
    /// variant is searched in the fields where all its changed words were found.
    pub fn literal_variants(&mut self, literal: &UserInputLiteral) -> Vec<Variant> {
        let words: Vec<&str> = literal.phrase.split_whitespace().collect();
        // Each partial phrase as its changed words (position, proclitic form), with the fields
        // they allow (`None`: unchanged). Copying only the changes, not the words so far,
        // keeps long phrases linear.
        let mut phrases: Vec<(Changes, Option<Vec<String>>)> = vec![(vec![], None)];
        for (position, word) in words.iter().enumerate() {
            let variants = self.variants(word, literal.field_name.as_deref());
            if variants.is_empty() {
                continue;
            }
            let options: Vec<Option<Variant>> = std::iter::once(None)
                .chain(variants.into_iter().map(Some))
                .collect();
            phrases = phrases
                .into_iter()
                .flat_map(|(changes, fields)| {
                    options.iter().filter_map(move |option| {
                        let Some(variant) = option else {
                            return Some((changes.clone(), fields.clone()));
                        };
                        let fields = match &fields {
                            None => variant.fields.clone(),
                            Some(allowed) => {
                                let both: Vec<String> = allowed
                                    .iter()
                                    .filter(|f| variant.fields.contains(f))
                                    .cloned()
                                    .collect();
                                if both.is_empty() {
                                    return None;
                                }
                                both
                            }
                        };
                        let mut next = changes.clone();
                        next.push((position, variant.text.clone()));
                        Some((next, Some(fields)))
                    })
                })
                .take(MAX_PHRASE_VARIANTS + 1)
                .collect();
        }
        phrases
            .into_iter()
            .filter_map(|(changes, fields)| {
                let fields = fields?;
                let mut text = words.clone();
                for (position, form) in &changes {
                    text[*position] = form;
                }
                Some(Variant {
                    text: text.join(" "),
                    fields,
                })
            })
            .collect()
    }
}
