//! `rasd analyze --query`: how a query is searched. The description reports what the rewrite
//! passes did, read from the passes themselves (see [`Expansions`]), so it cannot drift from
//! what `rasd search` runs.

use serde::Serialize;
use tantivy::Searcher;
use tantivy::query::Occur;
use tantivy::query_grammar::{Delimiter, UserInputAst, UserInputLeaf, UserInputLiteral};

use super::rewrite::{self, Context, Expansions, leaf};
use super::{
    EXACT_FIELD, Planner, QueryOptions, Script, SearchedField, Views, Vocabulary, is_exact,
};
use crate::analysis;
use crate::analysis::morphology::{Reason, RelatedForm};
use crate::error::Error;
use crate::search::forms;
use crate::search::glossary::Translation;
use crate::search::names::{self, NameKey};
use crate::search::proclitics::ProcliticForm;
use crate::store::RasdIndex;

/// The terms one field gets from a word or phrase.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct FieldTerms {
    /// The fields (several when they analyze the text alike).
    pub fields: Vec<String>,
    /// Their terms, in order; empty when every word is a stop word there.
    pub terms: Vec<String>,
    /// For a phrase: the terms after which it leaves an empty position (the end of a
    /// sentence or clause, a negation: see `analysis::positions`), where any word of an
    /// article may stand. Left out of JSON when there is none.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub gaps_after: Vec<usize>,
    /// For a phrase in fields without positions: the views whose positions match the phrase
    /// in their stead (these fields must only have each word). Empty otherwise.
    pub phrase_in: Vec<String>,
}

/// How one word or quoted phrase of a query is searched.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct LiteralDescription {
    /// The word or phrase as written (with its `field:` when given).
    pub text: String,
    /// Whether it matches surface forms only.
    pub exact: bool,
    /// Whether the query leaves it out, a plain word that is a stop word of the query (`de`
    /// in a French query, `على` in an Arabic one): its terms are listed, not searched.
    pub left_out: bool,
    /// The terms searched, field by field.
    pub terms: Vec<FieldTerms>,
    /// Proclitic forms found in the index, searched with a lower weight.
    pub variants: Vec<ProcliticForm>,
    /// Other names of the same entity, searched with a lower weight.
    pub aliases: Vec<String>,
    /// The name of their alias group.
    pub alias_group: Option<String>,
    /// Related forms found in the index (duals, plurals, nisba, broken plurals, root), each
    /// with why it was added.
    pub related_forms: Vec<SearchedForm>,
    /// Spellings in the other script looked up by transliteration.
    pub names: Vec<NameCandidates>,
    /// The concept's terms in other languages, from the glossary, searched with a lower
    /// weight; each with its entry.
    pub translations: Vec<Translation>,
}

/// A related form a word is searched with.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct SearchedForm {
    /// The form, normalized.
    pub text: String,
    /// Why it is related.
    pub reason: Reason,
    /// Its weight beside the word's own terms.
    pub weight: f64,
    /// Whether an article that has the word only through this form matches: not through a
    /// word of the same root, which only follows the matches (see
    /// [`super::PlannedQuery::same_root`]).
    pub match_alone: bool,
}

impl From<RelatedForm> for SearchedForm {
    fn from(form: RelatedForm) -> Self {
        SearchedForm {
            weight: forms::boost(form.reason),
            match_alone: form.reason != Reason::Root,
            text: form.text,
            reason: form.reason,
        }
    }
}

/// A name looked up by transliteration, and the spellings the index has for its key.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct NameCandidates {
    /// The name as written, and its key.
    #[serde(flatten)]
    pub key: NameKey,
    /// Words of the index that have that key and vowels and form that agree, found at full
    /// weight (a sample, from the first articles).
    pub candidates: Vec<String>,
    /// Words of the index that have that key but vowels or form that disagree, found at a
    /// fifth of the weight (`DISAGREEING_SPELLING`; the JSON key predates the form).
    pub other_vowels: Vec<String>,
}

/// What `rasd analyze --query` shows: how a query is read and expanded.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct QueryDescription {
    /// The query as written.
    pub query: String,
    /// The query actually run, in tantivy's query syntax.
    pub expanded: String,
    /// Each word or phrase, with its terms and variants.
    pub literals: Vec<LiteralDescription>,
}

/// A word or phrase in query syntax: `field:"a phrase"~1`, `word*`.
fn literal_text(literal: &UserInputLiteral) -> String {
    let field = literal
        .field_name
        .as_ref()
        .map(|f| format!("{f}:"))
        .unwrap_or_default();
    let phrase = match literal.delimiter {
        Delimiter::None => literal.phrase.clone(),
        _ => format!("\"{}\"", literal.phrase),
    };
    let suffix = match (literal.slop, literal.prefix) {
        (0, true) => "*".to_string(),
        (0, false) => String::new(),
        (slop, _) => format!("~{slop}"),
    };
    format!("{field}{phrase}{suffix}")
}

/// Writes a parsed query back for people: `AND` and `OR` spelled out, `-` for exclusion,
/// `^weight` on variants. Only nested groups get parentheses.
fn render(ast: &UserInputAst, top: bool) -> String {
    match ast {
        UserInputAst::Clause(clauses) => {
            let shoulds = clauses
                .iter()
                .filter(|(occur, _)| *occur == Some(Occur::Should))
                .count();
            let (joiner, mark_required) = match shoulds {
                0 => (" AND ", false),
                n if n == clauses.len() => (" OR ", false),
                _ => (" ", true),
            };
            let parts: Vec<String> = clauses
                .iter()
                .map(|(occur, sub)| match occur {
                    Some(Occur::MustNot) => format!("-{}", render(sub, false)),
                    Some(Occur::Must) | None if mark_required => {
                        format!("+{}", render(sub, false))
                    }
                    _ => render(sub, false),
                })
                .collect();
            match parts.as_slice() {
                [one] => one.clone(),
                _ if top => parts.join(joiner),
                _ => format!("({})", parts.join(joiner)),
            }
        }
        UserInputAst::Boost(sub, boost) => format!("{}^{boost}", render(sub, false)),
        UserInputAst::Leaf(leaf) => match leaf.as_ref() {
            UserInputLeaf::Literal(literal) => literal_text(literal),
            other => format!("{other:?}"),
        },
    }
}

/// The literals of a query, in order, each with whether it is excluded.
pub(super) fn literals(
    ast: &UserInputAst,
    excluded: bool,
    out: &mut Vec<(UserInputLiteral, bool)>,
) {
    match ast {
        UserInputAst::Clause(clauses) => clauses.iter().for_each(|(occur, sub)| {
            literals(sub, excluded || *occur == Some(Occur::MustNot), out)
        }),
        UserInputAst::Boost(sub, _) => literals(sub, excluded, out),
        UserInputAst::Leaf(leaf) => {
            if let UserInputLeaf::Literal(literal) = leaf.as_ref() {
                out.push((literal.clone(), excluded));
            }
        }
    }
}

/// Describes how `text` is searched in `index`: the rewritten query and, for each word or
/// phrase, the terms of each field and what the passes add to it.
pub fn describe_query(
    index: &RasdIndex,
    searcher: &Searcher,
    text: &str,
    options: QueryOptions,
    vocabulary: Vocabulary,
) -> Result<QueryDescription, Error> {
    let planner = Planner::new(index)?;
    let context = planner.context(searcher, options, vocabulary, text);
    // The literals as the user meant them: with `--exact`, every one is exact.
    let written = rewrite::restructure(planner.parse(text)?, &context)?;
    let context = context.for_query(&written);
    let written = rewrite::mark_exact(written, &context, &mut Expansions::default())?;
    // As `rasd search` searches it: words no field indexes are left out first, and stop
    // words among alternatives (a query of nothing else finds nothing, which is no error).
    let (searched, mut left_out) = planner.without_unsearchable_words(written.clone(), &context);
    let searches = searched.is_some();
    let shown = searched.unwrap_or_else(|| written.clone());
    let expanded = rewrite::plan(shown.clone(), &context, &mut Expansions::default())?;
    // Refused as `rasd search` refuses it.
    if searches {
        planner.build(expanded.clone())?;
    }
    let parts = super::top_level(shown);
    let stops = super::query_stop_words(&planner, &context, &parts);
    let expanded = super::without_query_stop_words(expanded, &stops);
    left_out.extend(
        stops
            .into_iter()
            .zip(&parts)
            .filter(|(stop, _)| *stop)
            .filter_map(|(_, (_, part))| match part {
                UserInputAst::Leaf(leaf) => match leaf.as_ref() {
                    UserInputLeaf::Literal(literal) => Some(literal.phrase.clone()),
                    _ => None,
                },
                _ => None,
            }),
    );
    let mut found = Vec::new();
    literals(&written, false, &mut found);
    let literals = found
        .into_iter()
        .map(|(literal, excluded)| {
            let left = !excluded
                && literal.delimiter == Delimiter::None
                && left_out.contains(&literal.phrase);
            let mut description = describe_literal(index, literal, excluded, &context)?;
            description.left_out = left;
            Ok(description)
        })
        .collect::<Result<_, Error>>()?;
    Ok(QueryDescription {
        query: text.to_string(),
        expanded: render(&expanded, true),
        literals,
    })
}

/// How one literal is searched: its terms in each field, and what the passes add to it, found
/// by running the expansion passes on the literal alone, excluded when it is.
fn describe_literal(
    index: &RasdIndex,
    literal: UserInputLiteral,
    excluded: bool,
    context: &Context,
) -> Result<LiteralDescription, Error> {
    let mut added = Expansions::default();
    let alone = if excluded {
        UserInputAst::Clause(vec![(Some(Occur::MustNot), leaf(literal.clone()))])
    } else {
        leaf(literal.clone())
    };
    // Expanded, not restructured again: the query's structure made the literal what it is
    // (a hyphenated pair among alternatives stays whole, and alone would be split).
    rewrite::expand(alone, context, &mut added)?;
    let names = if excluded || !context.options.transliterate {
        vec![]
    } else {
        let mut not_names =
            names::NotNames::new(&index.schema.word_lists, context.glossary, context.latin);
        if context.options.expand_aliases {
            not_names = not_names.with_aliases(context.aliases);
        }
        // With the names of a misspelt name's variants, as the search looks them up.
        let mut keys = vec![names::name_keys(&literal, not_names)];
        let literals = [Some(&literal)];
        names::add_spelling_variant_keys(&mut keys, &literals, &added.spelling_variants, not_names);
        keys.into_iter()
            .flatten()
            .map(|key| {
                let found = names::spellings(index, context.searcher, &key)?;
                Ok(NameCandidates {
                    key,
                    candidates: found.agreeing,
                    other_vowels: found.disagreeing,
                })
            })
            .collect::<Result<_, Error>>()?
    };
    Ok(LiteralDescription {
        text: literal_text(&literal),
        exact: is_exact(&literal),
        left_out: false,
        terms: field_terms(context.fields, &literal),
        variants: added.proclitic_forms,
        aliases: added.aliases,
        alias_group: added.alias_group,
        related_forms: added
            .related_forms
            .into_iter()
            .map(SearchedForm::from)
            .collect(),
        names,
        translations: added.translations.into_iter().map(|(_, t)| t).collect(),
    })
}

/// The terms of a literal in each field it is searched in, fields analyzing it alike grouped
/// (a Latin word's surface views, searched only in articles without a French or English view,
/// among them).
fn field_terms(fields: &[SearchedField], literal: &UserInputLiteral) -> Vec<FieldTerms> {
    let views = Views::new(fields);
    let script = Script::of(&literal.phrase);
    let searched = fields
        .iter()
        .filter(|f| match literal.field_name.as_deref() {
            None => {
                f.searches(script)
                    || (script == Script::Latin
                        && views.latin_without_own_view.contains(&f.name.as_str()))
            }
            Some(EXACT_FIELD) => f.surface,
            Some(name) => f.name == name,
        });
    let mut terms: Vec<FieldTerms> = Vec::new();
    for field in searched {
        let positioned = analysis::terms_with_gaps(&mut field.analyzer.clone(), &literal.phrase);
        let gaps_after: Vec<usize> = positioned
            .windows(2)
            .enumerate()
            .filter(|(_, pair)| pair[1].0 > pair[0].0 + 1)
            .map(|(i, _)| i)
            .collect();
        let field_terms: Vec<String> = positioned.into_iter().map(|(_, term)| term).collect();
        let phrase_in: Vec<String> = match &field.phrases_on {
            Some((on, _)) if field_terms.len() > 1 => vec![on.clone()],
            _ => vec![],
        };
        let alike = |t: &&mut FieldTerms| {
            t.terms == field_terms
                && t.gaps_after == gaps_after
                && t.phrase_in.is_empty() == phrase_in.is_empty()
        };
        match terms.iter_mut().find(alike) {
            Some(same) => {
                same.fields.push(field.name.clone());
                same.phrase_in.extend(phrase_in);
            }
            None => terms.push(FieldTerms {
                fields: vec![field.name.clone()],
                terms: field_terms,
                gaps_after,
                phrase_in,
            }),
        }
    }
    terms
}
