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
use tantivy::query::Occur;
use tantivy::query_grammar::{UserInputAst, UserInputLeaf, UserInputLiteral};
use tantivy::schema::Field;
use tantivy::tokenizer::TextAnalyzer;

/// Proclitics tried in front of a query word: conjunctions, prepositions, and their pairs.
const PROCLITICS: &[&str] = &["و", "ف", "ب", "ل", "ك", "وب", "ول", "وك", "فب", "فل", "فك"];
/// Weight of a proclitic variant relative to the word as written.
pub const VARIANT_BOOST: f64 = 0.5;
/// Shortest word expanded: a proclitic before a two-letter word mostly makes another word
/// (طن "ton" and وطن "homeland").
const MIN_EXPANDED_LETTERS: usize = 3;
/// Most variants of one phrase (the product of its words' variants is capped).
const MAX_PHRASE_VARIANTS: usize = 32;

/// Expands query words into their proclitic forms found in the index.
pub struct ProcliticExpander<'a> {
    searcher: &'a Searcher,
    /// The text fields searched by default, with their analyzers.
    fields: Vec<(String, Field, TextAnalyzer)>,
}

fn single_term(analyzer: &mut TextAnalyzer, word: &str) -> Option<String> {
    let mut stream = analyzer.token_stream(word);
    let first = stream.next()?.text.clone();
    stream.next().is_none().then_some(first)
}

impl<'a> ProcliticExpander<'a> {
    /// An expander over these fields (name, field, analyzer).
    pub fn new(searcher: &'a Searcher, fields: Vec<(String, Field, TextAnalyzer)>) -> Self {
        ProcliticExpander { searcher, fields }
    }

    /// The proclitic forms of `word` that occur in the index, in the given field or in any
    /// default field, and that analyze differently from `word` itself.
    pub fn variants(&mut self, word: &str, field_name: Option<&str>) -> Vec<String> {
        let arabic = word.starts_with(|c: char| ('\u{0621}'..='\u{064A}').contains(&c));
        if !arabic || word.chars().count() < MIN_EXPANDED_LETTERS {
            return vec![];
        }
        // The word's own term in each field considered: a variant must differ from it.
        let mut fields: Vec<(Field, &mut TextAnalyzer, Option<String>)> = self
            .fields
            .iter_mut()
            .filter(|(name, _, _)| field_name.is_none_or(|f| f == name))
            .map(|(_, field, analyzer)| {
                let own = single_term(analyzer, word);
                (*field, analyzer, own)
            })
            .collect();
        let searcher = self.searcher;
        PROCLITICS
            .iter()
            .map(|proclitic| format!("{proclitic}{word}"))
            .filter(|candidate| {
                fields.iter_mut().any(|(field, analyzer, own)| {
                    single_term(analyzer, candidate).is_some_and(|term| {
                        own.as_deref() != Some(term.as_str())
                            && searcher
                                .doc_freq(&Term::from_field_text(*field, &term))
                                .unwrap_or(0)
                                > 0
                    })
                })
            })
            .collect()
    }

    /// The variants of a literal (a word or a phrase), without the literal itself.
    pub fn literal_variants(&mut self, literal: &UserInputLiteral) -> Vec<String> {
        let words: Vec<&str> = literal.phrase.split_whitespace().collect();
        let mut phrases: Vec<Vec<String>> = vec![vec![]];
        for word in &words {
            let mut options = vec![word.to_string()];
            options.extend(self.variants(word, literal.field_name.as_deref()));
            phrases = phrases
                .into_iter()
                .flat_map(|prefix| {
                    options.iter().map(move |option| {
                        let mut next = prefix.clone();
                        next.push(option.clone());
                        next
                    })
                })
                .take(MAX_PHRASE_VARIANTS + 1)
                .collect();
        }
        phrases
            .into_iter()
            .map(|words| words.join(" "))
            .filter(|p| *p != literal.phrase)
            .collect()
    }

    /// Rewrites a parsed query: every literal with variants becomes "literal OR variants".
    pub fn expand(&mut self, ast: UserInputAst) -> UserInputAst {
        match ast {
            UserInputAst::Clause(clauses) => UserInputAst::Clause(
                clauses
                    .into_iter()
                    .map(|(occur, sub)| (occur, self.expand(sub)))
                    .collect(),
            ),
            UserInputAst::Boost(sub, boost) => {
                UserInputAst::Boost(Box::new(self.expand(*sub)), boost)
            }
            UserInputAst::Leaf(leaf) => match *leaf {
                UserInputLeaf::Literal(literal) if !literal.prefix => {
                    let variants = self.literal_variants(&literal);
                    if variants.is_empty() {
                        return UserInputAst::Leaf(Box::new(UserInputLeaf::Literal(literal)));
                    }
                    let mut clauses = Vec::with_capacity(variants.len() + 1);
                    for phrase in variants {
                        let variant = UserInputLiteral {
                            phrase,
                            ..literal.clone()
                        };
                        let leaf = UserInputAst::Leaf(Box::new(UserInputLeaf::Literal(variant)));
                        clauses.push((
                            Some(Occur::Should),
                            UserInputAst::Boost(Box::new(leaf), VARIANT_BOOST.into()),
                        ));
                    }
                    clauses.insert(
                        0,
                        (
                            Some(Occur::Should),
                            UserInputAst::Leaf(Box::new(UserInputLeaf::Literal(literal))),
                        ),
                    );
                    UserInputAst::Clause(clauses)
                }
                other => UserInputAst::Leaf(Box::new(other)),
            },
        }
    }
}
