//! From the user's query text to a tantivy query.
//!
//! tantivy's query parser does the heavy lifting (terms, phrases, AND/OR/NOT, +/-, fields,
//! ranges), analyzing each word with the field's own analyzer. rasd adds:
//! - all words are required unless `OR` says otherwise;
//! - dates are written the way people write them (`date:2024`, `date:[2024-01-01 TO
//!   2024-06-30]`, `date:>=2023-05`), each bound covering its whole day, month or year;
//! - Arabic words also match their proclitic forms found in the index (see
//!   [`super::proclitics`]);
//! - exact search: `exact:word`, `exact:"a phrase"` (or [`QueryOptions::exact`] for the whole
//!   query) matches only the normalized surface form, in the surface fields, unexpanded.
//!
//! - `word~N` and `word*` in any script, `lang:` by name, `author:` by one name, `path:` as
//!   the output prints it.
//!
//! The date syntax is in `dates.rs`, the length and depth limits in `limits.rs`, syntax errors
//! in rasd's words in `syntax.rs`, how operators are read (`OR` among other words) in
//! `operators.rs`, the rewrite passes (field values, prefix, fuzzy, exact,
//! aliases, proclitics, forms) in `rewrite.rs`, and `analyze --query`'s description of their
//! work in `describe.rs`.

pub(super) mod dates;
mod describe;
mod limits;
mod operators;
mod rewrite;
mod shared_phrase;
mod syntax;

use std::collections::BTreeSet;
use std::sync::LazyLock;

use tantivy::query::{
    BooleanQuery, BoostQuery, EmptyQuery, Occur, Query, QueryParser, QueryParserError,
};
use tantivy::query_grammar::{Delimiter, UserInputAst, UserInputLeaf, UserInputLiteral};
use tantivy::schema::Field;
use tantivy::tokenizer::TextAnalyzer;
use tantivy::{Score, Searcher, Term};

use super::aliases::AliasTable;
use super::glossary::{Glossary, Language, TRANSLATION_BOOST};
use super::names;
use crate::analysis;
use crate::analysis::morphology::Stages;
use crate::analysis::normalizer::is_deleted;
use crate::analysis::tokenizer::is_arabic_script;
use crate::error::Error;
use crate::store::RasdIndex;
use crate::store::records::RecordFields;
pub use dates::rewrite_dates;
pub use describe::{
    FieldTerms, LiteralDescription, QueryDescription, SearchedForm, describe_query,
};
pub use limits::{MAX_FUZZY_WORDS, MAX_QUERY_CHARS, MAX_QUERY_DEPTH};
use rewrite::{Context, Expansions};
use shared_phrase::SharedPhrase;

/// The pseudo-field of exact search: `exact:word` and `exact:"a phrase"` match only the
/// normalized surface form, in every field analyzed with the surface analyzer.
pub const EXACT_FIELD: &str = "exact";

/// How a query is interpreted.
#[derive(Clone, Copy, Debug)]
pub struct QueryOptions {
    /// Match every word only in its normalized surface form, as if written `exact:word`.
    pub exact: bool,
    /// Let Arabic words also match their proclitic forms found in the index (on by default).
    /// The forms are looked up through the fields' analyzers, so turn it off on an index whose
    /// full-text analyzers were replaced by others than rasd's.
    pub expand_proclitics: bool,
    /// Let names also match their aliases (see [`super::aliases`]); `--no-aliases` turns it off.
    pub expand_aliases: bool,
    /// Which related forms Arabic words also match (see [`super::forms`]).
    pub forms: Stages,
    /// Let names match their spelling in the other script (see [`super::names`]).
    pub transliterate: bool,
    /// Let terms of the glossary also find their translations (see [`super::glossary`]);
    /// `--no-glossary` turns it off.
    pub translate: bool,
    /// Also translate a quoted phrase that is, whole, a term of the glossary
    /// (`--translate-phrases`); off by default: quotes mean these words.
    pub translate_phrases: bool,
}

impl Default for QueryOptions {
    fn default() -> Self {
        QueryOptions {
            exact: false,
            expand_proclitics: true,
            expand_aliases: true,
            forms: Stages::default(),
            transliterate: true,
            translate: true,
            translate_phrases: false,
        }
    }
}

/// A text field searched by default.
struct SearchedField {
    name: String,
    field: Field,
    analyzer: TextAnalyzer,
    /// Analyzed with the surface analyzer: searched by exact and fuzzy search.
    surface: bool,
    /// Analyzed with the stemmed analyzer: searched for related forms.
    stemmed: bool,
    /// The language whose own analysis the field applies (the Arabic stemmed views, the
    /// French and English ones): where translations into that language are searched.
    language: Option<Language>,
    /// For a field without positions: the view of the same text whose positions match its
    /// phrases (see [`Planner::phrase_checked`]), and the weight that makes a phrase there
    /// weigh as this field's boost.
    phrases_on: Option<(String, f64)>,
    /// The language whose articles alone have this view (`for_lang`).
    for_lang: Option<String>,
}

impl SearchedField {
    /// Whether a word without a field, in this script, is searched in this view in every
    /// article. Each view counts once in a match's score, so a word must meet an article in
    /// as many views whatever its script and the article's language: two, its surface and its
    /// stemmed form. A Latin word is one term in the Arabic stemmed view and the surface view
    /// (the stemmer leaves Latin alone), and an Arabic word one term in the surface view and
    /// the French and English views (which leave Arabic alone): searching both would weigh a
    /// French article's `Daech` twice its Arabic article's `داعش` wherever the two meet in one
    /// ranking (aliases, translations, mixed queries). A Latin word's second view in an
    /// article without a French or English view is its surface view (see [`Views`]).
    fn searches(&self, script: Script) -> bool {
        match script {
            Script::Latin => !self.surface,
            Script::Arabic => !matches!(self.language, Some(Language::Fr | Language::En)),
            Script::Other => true,
        }
    }
}

/// The script of a word or phrase as typed, which decides the views it is searched in (see
/// [`SearchedField::searches`]).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Script {
    /// Arabic letters only.
    Arabic,
    /// Latin letters only.
    Latin,
    /// Both, others, or no letter at all (`2019`): every view.
    Other,
}

impl Script {
    fn of(text: &str) -> Script {
        let (mut arabic, mut latin, mut other) = (false, false, false);
        for c in text.chars().filter(|c| c.is_alphabetic()) {
            if analysis::tokenizer::is_arabic_script(c) {
                arabic = true;
            } else if c.is_ascii_alphabetic() || ('\u{00C0}'..='\u{024F}').contains(&c) {
                latin = true;
            } else {
                other = true;
            }
        }
        match (arabic, latin, other) {
            (true, false, false) => Script::Arabic,
            (false, true, false) => Script::Latin,
            _ => Script::Other,
        }
    }
}

/// The field of an article's language, whose values the views of one language name.
const LANG_FIELD: &str = "lang";

/// The default views, by the script of what they search (see [`SearchedField::searches`]).
struct Views<'a> {
    arabic: Vec<&'a str>,
    latin: Vec<&'a str>,
    other: Vec<&'a str>,
    /// For a Latin word: the views searched only in the articles of no language that has
    /// views of its own, where they stand for the French or English view the article lacks
    /// (the surface views: an Arabic article's `FBI` meets it in two views, as an English
    /// article's does).
    latin_without_own_view: Vec<&'a str>,
    /// The languages with views of their own (`for_lang`: `fr`, `en`).
    own_view_languages: Vec<&'a str>,
}

impl<'a> Views<'a> {
    fn new(fields: &'a [SearchedField]) -> Self {
        let names = |script| {
            fields
                .iter()
                .filter(|f| f.searches(script))
                .map(|f| f.name.as_str())
                .collect()
        };
        let mut own_view_languages: Vec<&str> = fields
            .iter()
            .filter_map(|f| f.for_lang.as_deref())
            .collect();
        own_view_languages.sort_unstable();
        own_view_languages.dedup();
        let latin_without_own_view = if own_view_languages.is_empty() {
            vec![]
        } else {
            fields
                .iter()
                .filter(|f| !f.searches(Script::Latin) && f.surface)
                .map(|f| f.name.as_str())
                .collect()
        };
        Views {
            arabic: names(Script::Arabic),
            latin: names(Script::Latin),
            other: names(Script::Other),
            latin_without_own_view,
            own_view_languages,
        }
    }

    /// The same views for every script.
    #[cfg(test)]
    fn same(names: &[&'a str]) -> Self {
        Views {
            arabic: names.to_vec(),
            latin: names.to_vec(),
            other: names.to_vec(),
            latin_without_own_view: vec![],
            own_view_languages: vec![],
        }
    }

    /// A word or phrase without a field as the alternatives that search it: one per view,
    /// and for a Latin one, each surface view limited to the articles without a view of
    /// their own language.
    fn alternatives(&self, literal: &UserInputLiteral) -> Vec<UserInputAst> {
        let in_field = |field: &str| {
            rewrite::leaf(UserInputLiteral {
                field_name: Some(field.to_string()),
                ..literal.clone()
            })
        };
        let mut found: Vec<UserInputAst> = self
            .of(&literal.phrase)
            .iter()
            .map(|f| in_field(f))
            .collect();
        if Script::of(&literal.phrase) == Script::Latin {
            for field in &self.latin_without_own_view {
                let mut clause = vec![(Some(Occur::Must), in_field(field))];
                clause.extend(self.own_view_languages.iter().map(|lang| {
                    let in_lang = UserInputLiteral {
                        field_name: Some(LANG_FIELD.to_string()),
                        phrase: lang.to_string(),
                        delimiter: Delimiter::None,
                        slop: 0,
                        prefix: false,
                    };
                    (Some(Occur::MustNot), rewrite::leaf(in_lang))
                }));
                found.push(UserInputAst::Clause(clause));
            }
        }
        found
    }

    /// The views a word or phrase without a field is searched in.
    fn of(&self, text: &str) -> &[&'a str] {
        match Script::of(text) {
            Script::Arabic => &self.arabic,
            Script::Latin => &self.latin,
            Script::Other => &self.other,
        }
    }
}

/// Whether a literal is an exact one (`exact:word`).
fn is_exact(literal: &UserInputLiteral) -> bool {
    literal.field_name.as_deref() == Some(EXACT_FIELD)
}

/// Turns query text into a tantivy query for one index: parsing, then the passes of
/// [`rewrite`], then building.
struct Planner {
    parser: QueryParser,
    fields: Vec<SearchedField>,
    /// The fields a query may name, for messages: the schema's, without the views (`_`).
    field_names: Vec<String>,
}

impl Planner {
    fn new(index: &RasdIndex) -> Result<Planner, Error> {
        let mut fields = Vec::new();
        let mut boosts = Vec::new();
        for spec in index.schema.fields.iter().filter(|f| f.indexed) {
            let Some(boost) = spec.boost else { continue };
            let field = index.field(&spec.name);
            let analyzer = index
                .index
                .tokenizer_for_field(field)
                .map_err(|e| Error::Internal(e.to_string()))?;
            fields.push(SearchedField {
                name: spec.name.clone(),
                field,
                analyzer,
                surface: spec.analyzer.as_deref() == Some(analysis::SURFACE),
                stemmed: spec.analyzer.as_deref() == Some(analysis::STEMMED),
                language: match spec.analyzer.as_deref() {
                    Some(analysis::STEMMED) => Some(Language::Ar),
                    Some(analysis::FRENCH) => Some(Language::Fr),
                    Some(analysis::ENGLISH) => Some(Language::En),
                    _ => None,
                },
                phrases_on: crate::schema::phrases_on(&index.schema.fields, spec)
                    .map(|f| (f.name.clone(), f64::from(boost / f.boost.unwrap_or(1.0)))),
                for_lang: spec.for_lang.clone(),
            });
            boosts.push((field, boost));
        }
        let mut parser =
            QueryParser::for_index(&index.index, fields.iter().map(|f| f.field).collect());
        parser.set_conjunction_by_default();
        for (field, boost) in boosts {
            parser.set_field_boost(field, boost);
        }
        let field_names = index
            .schema
            .fields
            .iter()
            .filter(|f| f.indexed && !f.name.contains('_'))
            .map(|f| f.name.clone())
            .chain(std::iter::once(EXACT_FIELD.to_string()))
            .collect();
        Ok(Planner {
            parser,
            fields,
            field_names,
        })
    }

    /// Parses the user's text, dates rewritten, into tantivy's syntax tree.
    fn parse(&self, text: &str) -> Result<UserInputAst, Error> {
        limits::check_query_length(text)?;
        let typed = text;
        let text = &plain_spaces(text);
        let text = &operators::plain_operators(text);
        // Counted as the grammar reads it: `（` is a bracket there, but not in a phrase.
        limits::check_query_depth(text)?;
        let text = &escape_elisions(text);
        let text = &attached_tildes(text);
        // An operator with no word on one side, which tantivy places at the end or not at all
        // (and lets pass once `||` or `ＯＲ` was made `OR` in a group), is found here;
        // positions are in the text as typed.
        if let Some((pos, side)) = syntax::dangling_operator(text) {
            let at = syntax::typed_position(text, typed, pos);
            return Err(Error::Query(syntax::lonely_operator(typed, at, side)));
        }
        if let Some((pos, what)) = syntax::bracket_closing_a_group(text) {
            let at = syntax::typed_position(text, typed, pos);
            return Err(Error::Query(syntax::placed(&what, typed, at)));
        }
        let rewritten = rewrite_dates(text, "date")?;
        let grouped = operators::grouped_runs(&rewritten);
        // Grouping keeps readable text readable (a property test says so); should it ever
        // not, the text as the grammar reads it is still searched.
        let parsed = tantivy::query_grammar::parse_query(&grouped)
            .or_else(|_| tantivy::query_grammar::parse_query(&rewritten));
        parsed.map_err(|_| {
            // The lenient parser says where and why, unless only the dates rewritten fail to
            // parse (then without a position).
            let (_, errors) = tantivy::query_grammar::parse_query_lenient(text);
            match errors.first() {
                Some(error) => {
                    let at = syntax::typed_position(text, typed, error.pos);
                    Error::Query(syntax::message(typed, at, &error.message))
                }
                None if rewritten != *text && tantivy::query_grammar::parse_query(text).is_ok() => {
                    Error::Query(format!("cannot read the dates of `{typed}`"))
                }
                // What only the strict parser refuses: an operator or a range's bracket with
                // nothing to act on.
                None => Error::Query(format!(
                    "cannot read `{typed}`: an operator (AND, OR, NOT, +, -) or a bracket of a \
                     range ([ ] {{ }}) has no word to act on; put words in quotes to search \
                     them as written"
                )),
            }
        })
    }

    /// What the rewrite passes read, for one search of `text`.
    fn context<'a>(
        &'a self,
        searcher: &'a Searcher,
        options: QueryOptions,
        vocabulary: Vocabulary<'a>,
        text: &str,
    ) -> Context<'a> {
        Context {
            fields: &self.fields,
            searcher,
            options,
            aliases: vocabulary.aliases,
            glossary: vocabulary.glossary,
            latin: super::glossary::latin_languages(text),
        }
    }

    /// The query of `ast`, its alternatives flattened (see [`flattened`]); as written when the
    /// flattened query cannot be built (a field that refuses a phrase, which the parser skips
    /// among the default fields but not when it is named), so that errors stay the parser's.
    fn build(&self, ast: UserInputAst) -> Result<Box<dyn Query>, Error> {
        let flat = self.without_repeats(flattened(ast.clone(), &Views::new(&self.fields)));
        if let Some(query) = self.build_sharing_phrases(&flat) {
            return Ok(query);
        }
        let flat = self.phrases_checked(flat);
        self.parser
            .build_query_from_user_input_ast(flat)
            .or_else(|_| {
                self.parser
                    .build_query_from_user_input_ast(self.phrases_checked(ast))
            })
            .map_err(|e| Error::Query(self.explain(e)))
    }

    /// The query of a flattened `ast` in which several alternatives check one phrase on the
    /// same view, that phrase built once for all of them ([`SharedPhrase`]): a phrase and its
    /// proclitic forms in the surface views, and the stemmed view's own phrase. `None` when no
    /// phrase is shared, or when the parser refuses part of the query (its own path then says
    /// why), or when every clause excludes (which the parser refuses as a whole).
    fn build_sharing_phrases(&self, ast: &UserInputAst) -> Option<Box<dyn Query>> {
        if !self.checks_phrases(ast) {
            return None;
        }
        if let UserInputAst::Clause(clauses) = ast
            && clauses
                .iter()
                .all(|(occur, _)| *occur == Some(Occur::MustNot))
        {
            return None;
        }
        let mut shared = false;
        let query = self.shared_node(ast.clone(), &mut shared).ok()?;
        if shared { query } else { None }
    }

    /// `ast` without its top-level words that no field indexes (stop words, words of no
    /// letter, words too long: a word alone, `exact:` or in a text field, boosted or not),
    /// and those words as written; `None` when nothing else is left. tantivy's parser refuses
    /// a group whose every part searches nothing (`في من`, `Daech في^2`) as if the query were
    /// only exclusions. In a group of alternatives, such words, and the query's stop words
    /// (`drogue (de OR la)`, see [`is_query_stop_word`]), are left out too: an alternative
    /// that is a stop word would make the group match nearly every article, or none. Other
    /// groups lose them as the query does (`drogue (la frontière)`, `تهريب (في من)`), and
    /// are left out when nothing else is in them.
    fn without_unsearchable_words(
        &self,
        ast: UserInputAst,
        context: &Context,
    ) -> (Option<UserInputAst>, Vec<String>) {
        self.without_unsearchable_words_in(ast, context, None)
    }

    /// [`Self::without_unsearchable_words`] of the query (`group_of` `None`), whose stop words
    /// its later passes leave out, or of one of its groups, which leaves them out here when
    /// the query does (`group_of` says whether it does).
    fn without_unsearchable_words_in(
        &self,
        ast: UserInputAst,
        context: &Context,
        group_of: Option<bool>,
    ) -> (Option<UserInputAst>, Vec<String>) {
        let mut dropped = Vec::new();
        let parts = top_level(ast);
        // The query's stop words are left out of groups only when something else is searched
        // (`(de OR la)` alone searches them, as `la` alone does): a group takes the query's
        // choice (`drogue (les la)` searches `drogue`).
        let mut stops_too = group_of.unwrap_or(true);
        let in_group = group_of.is_some();
        let kept = loop {
            dropped.clear();
            let mut kept: Vec<(Option<Occur>, UserInputAst)> = Vec::with_capacity(parts.len());
            for (occur, part) in parts.iter().cloned() {
                if occur == Some(Occur::MustNot) {
                    // `-(في من)` excludes nothing: left out, as `-في` is by the parser.
                    let UserInputAst::Clause(clauses) = part else {
                        kept.push((occur, part));
                        continue;
                    };
                    let group = self.searched_group(clauses, context, stops_too, &mut dropped);
                    kept.extend(group.map(|group| (occur, group)));
                    continue;
                }
                let stop = self.unsearchable_word(&part).or_else(|| {
                    (in_group && stops_too)
                        .then(|| query_stop_word(self, context, &part))
                        .flatten()
                });
                if let Some(word) = stop {
                    dropped.push(word);
                    continue;
                }
                let (boost, group) = match part {
                    // `(de OR la)^2`: the weight of what is left.
                    UserInputAst::Boost(inner, boost) => (Some(boost.into_inner()), *inner),
                    part => (None, part),
                };
                let UserInputAst::Clause(clauses) = group else {
                    kept.push((occur, boosted_ast(group, boost)));
                    continue;
                };
                if !alternatives_and_exclusions(&clauses) {
                    // A group of words (`(في من)`) leaves out the words no field indexes as
                    // the query does, and is left out with them when nothing else is in it.
                    let group = self.searched_group(clauses, context, stops_too, &mut dropped);
                    kept.extend(group.map(|group| (occur, boosted_ast(group, boost))));
                    continue;
                }
                let (alternatives, exclusions): (Vec<_>, Vec<_>) = clauses
                    .into_iter()
                    .partition(|(o, _)| *o == Some(Occur::Should));
                match self.searched_alternatives(alternatives, context, stops_too, &mut dropped) {
                    // `(في OR -داعش)`: the exclusions are left, which exclude from the query.
                    None => kept.extend(exclusions),
                    Some(searched) if exclusions.is_empty() => {
                        kept.push((occur, boosted_ast(searched, boost)));
                    }
                    Some(searched) => {
                        let mut group = match searched {
                            UserInputAst::Clause(alternatives)
                                if only_alternatives(&alternatives) =>
                            {
                                alternatives
                            }
                            alone => vec![(Some(Occur::Should), alone)],
                        };
                        group.extend(exclusions);
                        kept.push((occur, boosted_ast(UserInputAst::Clause(group), boost)));
                    }
                }
            }
            let searches = kept.iter().any(|(occur, _)| *occur != Some(Occur::MustNot));
            if searches || !stops_too || in_group {
                break kept;
            }
            stops_too = false;
        };
        let ast = match <[_; 1]>::try_from(kept) {
            Ok([(None, part)]) => Some(part),
            Ok([one]) => Some(UserInputAst::Clause(vec![one])),
            Err(kept) => (!kept.is_empty()).then_some(UserInputAst::Clause(kept)),
        };
        (ast, dropped)
    }

    /// A group of the query without the words no field indexes, and with `stops_too` the
    /// query's stop words, which go to `dropped` (see [`Self::without_unsearchable_words`]);
    /// `None` when nothing else is in it. A group with no such word stays as written, scored
    /// the same to the bit.
    fn searched_group(
        &self,
        clauses: Vec<(Option<Occur>, UserInputAst)>,
        context: &Context,
        stops_too: bool,
        dropped: &mut Vec<String>,
    ) -> Option<UserInputAst> {
        let (group, words) = self.without_unsearchable_words_in(
            UserInputAst::Clause(clauses.clone()),
            context,
            Some(stops_too),
        );
        if words.is_empty() {
            return Some(UserInputAst::Clause(clauses));
        }
        dropped.extend(words);
        group
    }

    /// A group of alternatives without those that are unsearchable words (or stop words of
    /// the query, with `stops_too`), which join `dropped`; `None` when none is left.
    fn searched_alternatives(
        &self,
        alternatives: Vec<(Option<Occur>, UserInputAst)>,
        context: &Context,
        stops_too: bool,
        dropped: &mut Vec<String>,
    ) -> Option<UserInputAst> {
        let mut searched = Vec::with_capacity(alternatives.len());
        for (occur, alternative) in alternatives {
            // `((في من) OR داعش)`: a group of words, without those no field indexes.
            let alternative = match alternative {
                UserInputAst::Clause(clauses) => {
                    match self.searched_group(clauses, context, stops_too, dropped) {
                        Some(group) => group,
                        None => continue,
                    }
                }
                alternative => alternative,
            };
            let stop = self.unsearchable_word(&alternative).or_else(|| {
                stops_too
                    .then(|| query_stop_word(self, context, &alternative))
                    .flatten()
            });
            match stop {
                Some(word) => dropped.push(word),
                None => searched.push((occur, alternative)),
            }
        }
        match searched.len() {
            0 => None,
            1 => searched.pop().map(|(_, alone)| alone),
            _ => Some(UserInputAst::Clause(searched)),
        }
    }

    /// The word `part` is, as written, when it is a plain word (or phrase) that no field
    /// indexes: a stop word, a word of no letter, a word too long.
    fn unsearchable_word(&self, part: &UserInputAst) -> Option<String> {
        let (_, inner) = unboosted(part);
        let UserInputAst::Leaf(leaf) = inner else {
            return None;
        };
        let UserInputLeaf::Literal(literal) = leaf.as_ref() else {
            return None;
        };
        // In a field of text (`title:في`) too; not in another field (`source:`, `lang:`).
        let plain = match literal.field_name.as_deref() {
            None | Some(EXACT_FIELD) => true,
            Some(name) => self.fields.iter().any(|f| f.name == name),
        };
        // A prefix (`word*`, also as the parser leaves it in the text) or a word with spelling
        // variants searches other words, and their passes say what is wrong with them.
        if !plain || literal.prefix || literal.phrase.contains(['~', '*']) {
            return None;
        }
        let searches_nothing = self
            .fields
            .iter()
            .all(|f| analysis::terms(&mut f.analyzer.clone(), &literal.phrase).is_empty());
        searches_nothing.then(|| literal.phrase.clone())
    }

    /// A flattened `ast` with each group of alternatives searching a term (or phrase) of a
    /// field once, under the highest weight it had there: alternatives written apart may
    /// analyze alike in a view (the glossary's المهربين and مهرب are one stem in the Arabic
    /// stemmed view), and each would add the same score again, so that a translation found
    /// through three such spellings outranked the query's own words.
    fn without_repeats(&self, ast: UserInputAst) -> UserInputAst {
        match ast {
            UserInputAst::Clause(clauses) if only_alternatives(&clauses) => {
                let mut kept: Vec<(Option<Occur>, UserInputAst)> = Vec::new();
                let mut keys: Vec<Option<(PhraseKey, f64)>> = Vec::new();
                for (occur, sub) in clauses {
                    let sub = self.without_repeats(sub);
                    let key = self.alternative_key(&sub);
                    let same = key.as_ref().and_then(|(key, _)| {
                        keys.iter()
                            .position(|k| k.as_ref().is_some_and(|(other, _)| other == key))
                    });
                    match (same, key) {
                        (Some(at), Some((key, weight))) => {
                            if keys[at].as_ref().is_some_and(|(_, w)| weight > *w) {
                                kept[at] = (occur, sub);
                                keys[at] = Some((key, weight));
                            }
                        }
                        (_, key) => {
                            kept.push((occur, sub));
                            keys.push(key);
                        }
                    }
                }
                UserInputAst::Clause(kept)
            }
            UserInputAst::Clause(clauses) => UserInputAst::Clause(
                clauses
                    .into_iter()
                    .map(|(occur, sub)| (occur, self.without_repeats(sub)))
                    .collect(),
            ),
            UserInputAst::Boost(sub, boost) => {
                UserInputAst::Boost(Box::new(self.without_repeats(*sub)), boost)
            }
            leaf => leaf,
        }
    }

    /// What an alternative searches, when it is a word or phrase of one searched field (its
    /// terms there), and the product of its weights.
    fn alternative_key(&self, ast: &UserInputAst) -> Option<(PhraseKey, f64)> {
        let (weight, inner) = unboosted(ast);
        let UserInputAst::Leaf(leaf) = inner else {
            return None;
        };
        let UserInputLeaf::Literal(literal) = leaf.as_ref() else {
            return None;
        };
        let name = literal.field_name.as_deref()?;
        let field = self.fields.iter().find(|f| f.name == name)?;
        let terms = analysis::terms_with_gaps(&mut field.analyzer.clone(), &literal.phrase);
        if terms.is_empty() {
            return None;
        }
        let key = PhraseKey {
            field: name.to_string(),
            terms,
            slop: literal.slop,
            prefix: literal.prefix,
        };
        Some((key, weight))
    }

    /// Whether `ast` holds a phrase in a view without positions, which a search checks on
    /// another view (the only phrases that can be shared).
    fn checks_phrases(&self, ast: &UserInputAst) -> bool {
        match ast {
            UserInputAst::Clause(clauses) => {
                clauses.iter().any(|(_, sub)| self.checks_phrases(sub))
            }
            UserInputAst::Boost(sub, _) => self.checks_phrases(sub),
            UserInputAst::Leaf(leaf) => match leaf.as_ref() {
                UserInputLeaf::Literal(literal) => {
                    literal.phrase.trim().contains(char::is_whitespace)
                        && literal.field_name.as_deref().is_some_and(|name| {
                            self.fields
                                .iter()
                                .any(|f| f.name == name && f.phrases_on.is_some())
                        })
                }
                _ => false,
            },
        }
    }

    /// The query of one node of the syntax tree as the parser builds it (`None` where the
    /// parser drops the node: a word with no term), with shared phrases among alternatives;
    /// `shared` tells whether any was.
    fn shared_node(
        &self,
        ast: UserInputAst,
        shared: &mut bool,
    ) -> Result<Option<Box<dyn Query>>, QueryParserError> {
        match ast {
            UserInputAst::Clause(clauses) if only_alternatives(&clauses) => {
                self.shared_alternatives(clauses, shared)
            }
            UserInputAst::Clause(clauses) => {
                let mut children = Vec::with_capacity(clauses.len());
                for (occur, sub) in clauses {
                    if let Some(query) = self.shared_node(sub, shared)? {
                        // The parser's default: every word is required.
                        children.push((occur.unwrap_or(Occur::Must), query));
                    }
                }
                Ok(union_or_none(children))
            }
            UserInputAst::Boost(sub, boost) => Ok(self
                .shared_node(*sub, shared)?
                .map(|query| boosted(query, boost.into_inner() as Score))),
            UserInputAst::Leaf(leaf) => {
                let checked = match *leaf {
                    UserInputLeaf::Literal(literal) => self.phrase_checked(literal),
                    other => UserInputAst::Leaf(Box::new(other)),
                };
                match checked {
                    UserInputAst::Leaf(_) => {
                        let query = self.parser.build_query_from_user_input_ast(checked)?;
                        let empty = query.downcast_ref::<EmptyQuery>().is_some();
                        Ok((!empty).then_some(query))
                    }
                    group => self.shared_node(group, shared),
                }
            }
        }
    }

    /// A group of alternatives: those that check the same phrase, two or more, become one
    /// [`SharedPhrase`]; the others are built as the parser builds them.
    fn shared_alternatives(
        &self,
        clauses: Vec<(Option<Occur>, UserInputAst)>,
        shared: &mut bool,
    ) -> Result<Option<Box<dyn Query>>, QueryParserError> {
        let mut phrases: Vec<CheckedPhrase> = vec![];
        let mut alternatives: Vec<(Option<usize>, UserInputAst)> = vec![];
        for (_, sub) in clauses {
            let (boost, inner) = unboosted(&sub);
            let Some(check) = self.phrase_check(inner) else {
                alternatives.push((None, sub));
                continue;
            };
            let weight = (check.weight * boost) as Score;
            let found = phrases.iter().position(|p| p.key == check.key);
            let index = found.unwrap_or_else(|| {
                phrases.push(CheckedPhrase {
                    key: check.key,
                    phrase: check.phrase,
                    forms: vec![],
                });
                phrases.len() - 1
            });
            phrases[index].forms.push((weight, check.words));
            alternatives.push((Some(index), sub));
        }
        let mut children: Vec<(Occur, Box<dyn Query>)> = Vec::new();
        for (phrase, sub) in alternatives {
            // A phrase that one alternative checks stays that alternative.
            if phrase.is_some_and(|i| phrases[i].forms.len() > 1) {
                continue;
            }
            if let Some(query) = self.shared_node(sub, shared)? {
                children.push((Occur::Should, query));
            }
        }
        for checked in phrases.into_iter().filter(|p| p.forms.len() > 1) {
            let phrase = self
                .parser
                .build_query_from_user_input_ast(rewrite::leaf(checked.phrase))?;
            *shared = true;
            let query = SharedPhrase::new(phrase, checked.forms);
            children.push((Occur::Should, Box::new(query)));
        }
        Ok(union_or_none(children))
    }

    /// How an alternative (its boosts peeled off) checks a phrase, if it does: a phrase in a
    /// view without positions ([`Planner::phrase_checked`]), or a phrase of the view that
    /// checks such phrases, as its own form that requires no word.
    fn phrase_check(&self, ast: &UserInputAst) -> Option<PhraseCheck> {
        let UserInputAst::Leaf(leaf) = ast else {
            return None;
        };
        let UserInputLeaf::Literal(literal) = leaf.as_ref() else {
            return None;
        };
        let name = literal.field_name.as_deref()?;
        let field = self.fields.iter().find(|f| f.name == name)?;
        if field.phrases_on.is_none() {
            // The checking view's own phrase, when some view checks its phrases there.
            if !self
                .fields
                .iter()
                .any(|f| f.phrases_on.as_ref().is_some_and(|(on, _)| on == name))
            {
                return None;
            }
            let key = self.phrase_key(literal)?;
            return Some(PhraseCheck {
                key,
                phrase: literal.clone(),
                weight: 1.0,
                words: vec![],
            });
        }
        let UserInputAst::Clause(clauses) = self.phrase_checked(literal.clone()) else {
            return None;
        };
        let mut parts = clauses.into_iter().map(|(_, part)| match part {
            UserInputAst::Boost(inner, boost) => match *inner {
                UserInputAst::Leaf(leaf) => match *leaf {
                    UserInputLeaf::Literal(literal) => Some((literal, boost.into_inner())),
                    _ => None,
                },
                _ => None,
            },
            _ => None,
        });
        let (phrase, weight) = parts.next()??;
        let mut words = Vec::new();
        for part in parts {
            let (word, _) = part?;
            words.push(Term::from_field_text(field.field, &word.phrase));
        }
        Some(PhraseCheck {
            key: self.phrase_key(&phrase)?,
            phrase,
            weight,
            words,
        })
    }

    /// What identifies a phrase: its view, its terms there, its slop and whether its last
    /// word is a prefix. `None` for a literal of fewer than two terms.
    fn phrase_key(&self, literal: &UserInputLiteral) -> Option<PhraseKey> {
        let name = literal.field_name.as_deref()?;
        let field = self.fields.iter().find(|f| f.name == name)?;
        let terms = analysis::terms_with_gaps(&mut field.analyzer.clone(), &literal.phrase);
        (terms.len() > 1).then(|| PhraseKey {
            field: name.to_string(),
            terms,
            slop: literal.slop,
            prefix: literal.prefix,
        })
    }

    /// `ast` with each phrase in a field without positions made searchable by
    /// [`Planner::phrase_checked`]. (A phrase without a field is searched by the parser only
    /// in the default fields that can match it.)
    fn phrases_checked(&self, ast: UserInputAst) -> UserInputAst {
        match ast {
            UserInputAst::Clause(clauses) => UserInputAst::Clause(
                clauses
                    .into_iter()
                    .map(|(occur, sub)| (occur, self.phrases_checked(sub)))
                    .collect(),
            ),
            UserInputAst::Boost(sub, boost) => {
                UserInputAst::Boost(Box::new(self.phrases_checked(*sub)), boost)
            }
            UserInputAst::Leaf(leaf) => match *leaf {
                UserInputLeaf::Literal(literal) => self.phrase_checked(literal),
                other => UserInputAst::Leaf(Box::new(other)),
            },
        }
    }

    /// A literal of several words in a field without positions (the surface views), which
    /// cannot match a phrase itself: the phrase must match on the view whose positions stand
    /// in for the field's ([`SearchedField::phrases_on`]) and score there, as the field's own
    /// phrase would have scored, and the field must have each of its words, at no weight.
    /// So the articles found are the phrase's, and one with the words as written (the phrase
    /// as written, nearly always) still ranks above its other forms by the phrase's score,
    /// however often the words occur elsewhere. Any other literal is left as it is.
    fn phrase_checked(&self, literal: UserInputLiteral) -> UserInputAst {
        let field = literal
            .field_name
            .as_deref()
            .and_then(|name| self.fields.iter().find(|f| f.name == name));
        let Some((field, (checker, weight))) =
            field.and_then(|f| Some((f, f.phrases_on.as_ref()?)))
        else {
            return rewrite::leaf(literal);
        };
        let mut analyzer = field.analyzer.clone();
        let mut words = analysis::terms(&mut analyzer, &literal.phrase);
        if words.len() < 2 {
            return rewrite::leaf(literal);
        }
        if literal.prefix {
            // The last word is a prefix, which the checking view's phrase matches.
            words.pop();
        }
        // A term that its analyzer would not give back as it is (rare) is left to the phrase.
        words.retain(|word| analysis::terms(&mut analyzer, word) == [word.as_str()]);
        let phrase = UserInputLiteral {
            field_name: Some(checker.clone()),
            ..literal.clone()
        };
        let phrase = UserInputAst::Boost(Box::new(rewrite::leaf(phrase)), (*weight).into());
        let mut clauses = vec![(Some(Occur::Must), phrase)];
        clauses.extend(words.into_iter().map(|word| {
            let word = UserInputLiteral {
                field_name: literal.field_name.clone(),
                phrase: word,
                delimiter: Delimiter::DoubleQuotes,
                slop: 0,
                prefix: false,
            };
            let unweighted = UserInputAst::Boost(Box::new(rewrite::leaf(word)), 0.0.into());
            (Some(Occur::Must), unweighted)
        }));
        UserInputAst::Clause(clauses)
    }

    /// A tantivy query-parser error in rasd's words: tantivy's name fields by their schema
    /// names and advise about its own API.
    fn explain(&self, error: QueryParserError) -> String {
        match error {
            QueryParserError::AllButQueryForbidden => "the query has no word to search for \
                (only excluded words, or none that rasd indexes): say what to search for \
                (`* -word` finds every article without the word)"
                .into(),
            QueryParserError::FieldDoesNotExist(field) => format!(
                "unknown field `{field}:`; the fields are {}",
                self.field_names.join(", ")
            ),
            QueryParserError::FieldNotIndexed(field) => {
                format!("the field `{field}:` cannot be searched")
            }
            QueryParserError::FieldDoesNotHavePositionsIndexed(field) => {
                format!("the field `{field}:` holds whole values: search it without a phrase")
            }
            QueryParserError::PhrasePrefixRequiresAtLeastTwoTerms { phrase, .. } => format!(
                "`\"{phrase}\"*`: a phrase prefix needs two words or more (write `word*` \
                 for one)"
            ),
            QueryParserError::RangeMustNotHavePhrase => {
                "the bounds of a range `[a TO b]` must be single words".into()
            }
            QueryParserError::DateFormatError(_) => {
                "a date must be YYYY, YYYY-MM or YYYY-MM-DD".into()
            }
            QueryParserError::ExpectedInt(_)
            | QueryParserError::ExpectedFloat(_)
            | QueryParserError::ExpectedBool(_) => "a value is not of its field's type".into(),
            QueryParserError::UnsupportedQuery(what)
                if what.contains("target a specific field") =>
            {
                "a range (`[a TO b]`) or a comparison (`>`, `>=`, `<`, `<=`) needs a field \
                 (`date:[2020 TO 2021]`, `date:>=2024`); put it in quotes to search it as written"
                    .into()
            }
            QueryParserError::UnsupportedQuery(what) => {
                format!("rasd cannot search this: {}", what.trim_end_matches('.'))
            }
            other => other.to_string(),
        }
    }
}

/// `ast` with its alternatives flattened: a group of alternatives (`a OR (b OR c)^0.5`, what
/// the expansion passes build: a word's proclitic and related forms, aliases, translations,
/// each in its views) becomes one group of every alternative it holds at any depth, each
/// under the boosts that were above it, and each word without a field one alternative per
/// default field (`fields`), as the parser would search it. The scores are the same sums of
/// the same boosted terms; but tantivy evaluates one union of term lists in a single pass
/// over a window of documents (and can skip blocks that cannot reach the top), where nested
/// unions cost a virtual call per document and level: a frequent word's 23 terms took 12 ms
/// nested and 1.5 ms flat, every match counted (200,000 articles). Other groups (required
/// words, exclusions) keep their structure, their parts flattened.
fn flattened(ast: UserInputAst, views: &Views) -> UserInputAst {
    match ast {
        UserInputAst::Clause(clauses) if only_alternatives(&clauses) => {
            let mut flat = Vec::with_capacity(clauses.len());
            for (_, sub) in clauses {
                alternatives(sub, &mut Vec::new(), views, &mut flat);
            }
            UserInputAst::Clause(flat)
        }
        UserInputAst::Clause(clauses) => UserInputAst::Clause(
            clauses
                .into_iter()
                .map(|(occur, sub)| (occur, flattened(sub, views)))
                .collect(),
        ),
        UserInputAst::Boost(sub, boost) => {
            UserInputAst::Boost(Box::new(flattened(*sub, views)), boost)
        }
        UserInputAst::Leaf(leaf) => match *leaf {
            // A lone word is searched in its views as an alternative of each.
            UserInputLeaf::Literal(literal) if literal.field_name.is_none() => {
                let mut flat = Vec::new();
                alternatives(rewrite::leaf(literal), &mut Vec::new(), views, &mut flat);
                UserInputAst::Clause(flat)
            }
            other => UserInputAst::Leaf(Box::new(other)),
        },
    }
}

/// A phrase and how one alternative counts it (see [`Planner::phrase_check`]).
struct PhraseCheck {
    key: PhraseKey,
    /// The literal that builds the phrase, in the view with positions.
    phrase: UserInputLiteral,
    /// The alternative's weight of the phrase's score, its boosts aside.
    weight: f64,
    /// The words the alternative requires as written.
    words: Vec<Term>,
}

/// A phrase that alternatives of a group check, and how each counts it: its weight of the
/// phrase's score and the words it requires as written.
struct CheckedPhrase {
    key: PhraseKey,
    phrase: UserInputLiteral,
    forms: Vec<(Score, Vec<Term>)>,
}

/// What makes two phrases one (see [`Planner::phrase_key`]).
#[derive(PartialEq, Eq)]
struct PhraseKey {
    field: String,
    /// The terms with their positions: the gaps a phrase leaves (a negation's, punctuation
    /// typed inside it: see `analysis::positions`) are part of it.
    terms: Vec<(usize, String)>,
    slop: u32,
    prefix: bool,
}

/// The product of the boosts around `ast`, and what they boost.
fn unboosted(ast: &UserInputAst) -> (f64, &UserInputAst) {
    match ast {
        UserInputAst::Boost(inner, boost) => {
            let (inner_boost, inner) = unboosted(inner);
            (boost.into_inner() * inner_boost, inner)
        }
        other => (1.0, other),
    }
}

/// `query` boosted as the parser boosts it (a boost of 1 is none).
fn boosted(query: Box<dyn Query>, boost: Score) -> Box<dyn Query> {
    if (boost - 1.0).abs() < Score::EPSILON {
        query
    } else {
        Box::new(BoostQuery::new(query, boost))
    }
}

/// The clauses as one query, `None` when there are none (the parser drops such a group).
fn union_or_none(clauses: Vec<(Occur, Box<dyn Query>)>) -> Option<Box<dyn Query>> {
    (!clauses.is_empty()).then(|| Box::new(BooleanQuery::new(clauses)) as Box<dyn Query>)
}

/// `ast` under `boost`, when it had one.
fn boosted_ast(ast: UserInputAst, boost: Option<f64>) -> UserInputAst {
    match boost {
        Some(boost) => UserInputAst::Boost(Box::new(ast), boost.into()),
        None => ast,
    }
}

/// Whether the clauses are alternatives (`OR`), some of them, and exclusions.
fn alternatives_and_exclusions(clauses: &[(Option<Occur>, UserInputAst)]) -> bool {
    clauses
        .iter()
        .any(|(occur, _)| *occur == Some(Occur::Should))
        && clauses
            .iter()
            .all(|(occur, _)| matches!(occur, Some(Occur::Should | Occur::MustNot)))
}

/// Whether every clause is an alternative (`OR`).
fn only_alternatives(clauses: &[(Option<Occur>, UserInputAst)]) -> bool {
    !clauses.is_empty()
        && clauses
            .iter()
            .all(|(occur, _)| *occur == Some(Occur::Should))
}

/// Adds the alternatives `ast` holds to `flat`, each under `boosts` (outermost first), which
/// apply in the same order as nested: tantivy multiplies a term's boost by each from the
/// outside in, so the scores stay the same to the bit.
fn alternatives(
    ast: UserInputAst,
    boosts: &mut Vec<f64>,
    views: &Views,
    flat: &mut Vec<(Option<Occur>, UserInputAst)>,
) {
    let boosted = |ast: UserInputAst, boosts: &[f64]| {
        boosts.iter().rev().fold(ast, |ast, &boost| {
            UserInputAst::Boost(Box::new(ast), boost.into())
        })
    };
    match ast {
        UserInputAst::Clause(clauses) if only_alternatives(&clauses) => {
            for (_, sub) in clauses {
                alternatives(sub, boosts, views, flat);
            }
        }
        UserInputAst::Boost(sub, boost) => {
            boosts.push(boost.into_inner());
            alternatives(*sub, boosts, views, flat);
            boosts.pop();
        }
        UserInputAst::Leaf(leaf) => match *leaf {
            UserInputLeaf::Literal(literal) if literal.field_name.is_none() => {
                for alternative in views.alternatives(&literal) {
                    flat.push((Some(Occur::Should), boosted(alternative, boosts)));
                }
            }
            other => flat.push((
                Some(Occur::Should),
                boosted(UserInputAst::Leaf(Box::new(other)), boosts),
            )),
        },
        group => flat.push((
            Some(Occur::Should),
            boosted(flattened(group, views), boosts),
        )),
    }
}

/// Whether a query may match a file's record document, which holds only reserved fields
/// (`_file`, `_kind`…): when it matches every document (`*`, which `-word` alone also means)
/// or names a reserved field. Any other query needs a term, a date or a value of an
/// article's own fields.
fn may_match_records(ast: &UserInputAst) -> bool {
    let reserved = |field: Option<&str>| field.is_some_and(|f| f.starts_with('_'));
    match ast {
        UserInputAst::Clause(clauses) => {
            clauses.is_empty()
                || clauses
                    .iter()
                    .all(|(occur, _)| *occur == Some(Occur::MustNot))
                || clauses.iter().any(|(_, sub)| may_match_records(sub))
        }
        UserInputAst::Boost(sub, _) => may_match_records(sub),
        UserInputAst::Leaf(leaf) => match leaf.as_ref() {
            UserInputLeaf::All => true,
            UserInputLeaf::Literal(literal) => reserved(literal.field_name.as_deref()),
            UserInputLeaf::Range { field, .. }
            | UserInputLeaf::Set { field, .. }
            | UserInputLeaf::Regex { field, .. } => reserved(field.as_deref()),
            UserInputLeaf::Exists { field } => reserved(Some(field)),
        },
    }
}

/// `text` with every space, other than an ASCII one or a line feed, as an ASCII space, and
/// every line break as a line feed (a paragraph separator as two): tantivy's grammar
/// separates words by ASCII spaces only, and a query pasted from a web page or a document
/// often holds a no-break space (U+00A0), a line separator, NEL, an ideographic or a
/// zero-width space (U+200B, a word break by Unicode's rules). The invisible marks that
/// never split a word (ZWJ, ZWNJ, a byte-order mark: see the tokenizer) stay. A zero-width
/// space right after a sign that starts a word (`-\u{200B}word`) is dropped: what shows is
/// `-word`, whose sign, left alone, acted on nothing.
fn plain_spaces(text: &str) -> std::borrow::Cow<'_, str> {
    let is_space = |c: char| (c.is_whitespace() && c != ' ' && c != '\n') || c == '\u{200B}';
    if !text.contains(is_space) {
        return text.into();
    }
    // A line break stays one, as the analysis reads a blank line as a paragraph's end (see
    // `analysis::positions`): a phrase copied across one finds the article it was copied from.
    let mut plain = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '\u{0B}' | '\u{0C}' | '\u{85}' | '\u{2028}' => plain.push('\n'),
            '\u{2029}' => plain.push_str("\n\n"),
            '\u{200B}' if ends_with_sign(&plain) => {}
            c if is_space(c) => plain.push(' '),
            c => plain.push(c),
        }
    }
    plain.into()
}

/// Whether `text` ends with `-` or `+` at the start of a word: a sign for the word after it.
fn ends_with_sign(text: &str) -> bool {
    let Some(before) = text.strip_suffix(['-', '+']) else {
        return false;
    };
    before
        .chars()
        .next_back()
        .is_none_or(|c| c.is_whitespace() || c == '(')
}

/// `text` with every apostrophe between two letters escaped (`d\'arrêt`): tantivy's grammar
/// reads `'` as the start of a quoted phrase, so French elisions (`mandat d'arrêt`,
/// `l'État`) and names like `O'Brien` would fail to parse. Quotes around a phrase (`'a b'`)
/// follow a space or end before one, and stay quotes.
fn escape_elisions(text: &str) -> std::borrow::Cow<'_, str> {
    let chars: Vec<char> = text.chars().collect();
    let elision = |i: usize| {
        chars[i] == '\''
            && i > 0
            && chars[i - 1].is_alphabetic()
            && chars.get(i + 1).is_some_and(|c| c.is_alphabetic())
    };
    if !(0..chars.len()).any(elision) {
        return text.into();
    }
    let mut out = String::with_capacity(text.len() + 4);
    for (i, c) in chars.iter().enumerate() {
        if elision(i) {
            out.push('\\');
        }
        out.push(*c);
    }
    out.into()
}

/// `text` with each lone `~N` (spaces before it) joined to the quoted phrase or the word
/// before it (`"تهريب المخدرات" ~2` → `"تهريب المخدرات"~2`, `Mokhtar ~1` → `Mokhtar~1`):
/// apart, the grammar reads it as a word of its own, `2`, which every article must then have
/// (0 articles matched). Not inside quotes, nor after an operator (`AND ~2`); a `~N` with
/// nothing before it is refused when its word is read (see [`super::fuzzy::parse_fuzzy`]).
/// Runs after [`escape_elisions`], so that the apostrophe of `d'arrêt` is no quote.
fn attached_tildes(text: &str) -> std::borrow::Cow<'_, str> {
    if !text.contains(" ~") && !text.contains("\n~") {
        return text.into();
    }
    let chars: Vec<(usize, char)> = text.char_indices().collect();
    // The byte ranges of spaces to drop: those before a lone `~N` that follows a phrase or a
    // word outside quotes.
    let mut dropped: Vec<std::ops::Range<usize>> = vec![];
    let mut quote: Option<char> = None;
    let mut i = 0;
    while i < chars.len() {
        let (at, c) = chars[i];
        match (quote, c) {
            (_, '\\') => i += 1,
            (Some(open), c) if c == open => quote = None,
            (None, '"' | '\'') => quote = Some(c),
            (None, c) if c.is_whitespace() => {
                let start = i;
                while i + 1 < chars.len() && chars[i + 1].1.is_whitespace() {
                    i += 1;
                }
                let tilde = i + 1;
                let digits = (tilde + 1..chars.len())
                    .take_while(|&k| chars[k].1.is_ascii_digit())
                    .count();
                let after = tilde + 1 + digits;
                let lone = chars.get(tilde).is_some_and(|&(_, c)| c == '~')
                    && digits > 0
                    && chars
                        .get(after)
                        .is_none_or(|&(_, c)| c.is_whitespace() || c == ')');
                let before = text[..at].trim_end();
                let word_before = before
                    .rsplit(|c: char| c.is_whitespace() || c == '(')
                    .next()
                    .unwrap_or("");
                let joins = before.ends_with(['"', '\''])
                    || before.ends_with(char::is_alphanumeric)
                        && !matches!(word_before, "AND" | "OR" | "NOT");
                if lone && start > 0 && joins {
                    let end = chars[tilde].0;
                    dropped.push(at..end);
                }
            }
            _ => {}
        }
        i += 1;
    }
    if dropped.is_empty() {
        return text.into();
    }
    let mut joined = String::with_capacity(text.len());
    let mut from = 0;
    for range in dropped {
        joined.push_str(&text[from..range.start]);
        from = range.end;
    }
    joined.push_str(&text[from..]);
    joined.into()
}

/// The tables a query's words are looked up in: other names of an entity, and the terms of a
/// concept in other languages.
#[derive(Clone, Copy, Debug)]
pub struct Vocabulary<'a> {
    pub aliases: &'a AliasTable,
    pub glossary: &'a Glossary,
}

impl Vocabulary<'static> {
    /// The tables built into the binary.
    pub fn builtin() -> Vocabulary<'static> {
        Vocabulary {
            aliases: AliasTable::builtin(),
            glossary: Glossary::builtin(),
        }
    }
}

/// What one top-level part of a query is to the partial-match fallback.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Role {
    /// A word or quoted phrase the user did not mark: required, unless no article has them all.
    Word,
    /// A word or phrase marked required (`+word`, `a AND b`): never dropped.
    RequiredWord,
    /// One side of an explicit `OR`: the query is never loosened.
    Alternative,
    /// A field, a date, `*`: never dropped, and not a word.
    Constraint,
    /// `-word`, `NOT word`: always excluded.
    Exclusion,
}

impl Role {
    /// Whether the part is one of the query's words (and counts in "6 of 7 words").
    pub fn is_word(self) -> bool {
        matches!(self, Role::Word | Role::RequiredWord | Role::Alternative)
    }
}

/// A top-level part of a query, built on its own.
pub struct Part {
    /// What it is to the fallback.
    pub role: Role,
    /// How it occurs in the query as written.
    pub occur: Occur,
    /// Its query, expanded like the whole query's.
    pub query: Box<dyn Query>,
    /// When its words found words of the same root: its words as written, and its query
    /// without them (what an article must match to have the part itself).
    pub without_roots: Option<(String, Box<dyn Query>)>,
    /// When it looks up a name's spellings in the other script: the keys, and its query
    /// without them (what an article must match to have the part as written).
    pub names: Option<(Vec<names::NameKey>, Box<dyn Query>)>,
}

impl Part {
    /// What an article must match to have the part itself: its query without words of the
    /// same root.
    pub fn itself(&self) -> &dyn Query {
        self.without_roots
            .as_ref()
            .map_or(&*self.query, |(_, query)| &**query)
    }
}

/// A query ready to run: as written (every word required unless `OR` says otherwise), and
/// its top-level parts, which the partial-match fallback recombines.
pub struct PlannedQuery {
    /// The query as written: the articles that match it. A word of the same root as a word
    /// of the query (فجر "dawn" for المتفجرات "explosives") does not make a match.
    pub strict: Box<dyn Query>,
    /// The articles that match the query only when words of the same root count for its
    /// words, when some were found: listed after the matches, not counted among them.
    pub same_root: Option<Box<dyn Query>>,
    /// The query with words of the same root counting for its words, when some were found:
    /// the matches and the articles of `same_root`, which partial matches leave out.
    pub with_roots: Option<Box<dyn Query>>,
    /// Its top-level parts, in order.
    pub parts: Vec<Part>,
    /// The words of the query that search nothing, being stop words (which no field
    /// indexes), as written.
    pub stop_words: Vec<String>,
    /// The terms of the words as typed, in every field they are searched in: what the passes
    /// added (aliases, proclitic and related forms, spelling variants, names) left out.
    /// Snippets show these first.
    pub typed_terms: BTreeSet<Term>,
    /// Its words and phrases, each as a text, excluded ones aside: what snippets tell a
    /// phrase's words in the phrase from the same words apart by.
    pub literals: Literals,
    /// The words and expressions of the query that were translated, one per target language:
    /// what tells a hit found through translation.
    pub translations: Translations,
    /// The query without any translation, when it has some: a hit it matches is found by the
    /// words as typed, whatever else it has through translations.
    pub untranslated: Option<Box<dyn Query>>,
}

/// The words and phrases a query searches, as texts, from every pass's expansion.
#[derive(Debug, Default)]
pub struct Literals {
    /// Those whose words must stand together, as written: words, and phrases without a slop
    /// or a prefix.
    pub exact: Vec<String>,
    /// Phrases with a slop or a prefix (`"a b"~2`, `"a b"*`), whose words may stand apart.
    pub loose: Vec<String>,
}

impl Literals {
    /// The literals of `ast` that are not excluded.
    fn of(ast: &UserInputAst) -> Literals {
        let mut all = vec![];
        describe::literals(ast, false, &mut all);
        let mut literals = Literals::default();
        for (literal, excluded) in all {
            match (excluded, literal.slop == 0 && !literal.prefix) {
                (true, _) => {}
                (false, true) => literals.exact.push(literal.phrase),
                (false, false) => literals.loose.push(literal.phrase),
            }
        }
        literals
    }
}

/// A word or expression of the query and its glossary terms in one other language.
pub struct TranslatedTerm {
    /// The word or expression as written.
    pub written: String,
    /// The language of the terms.
    pub language: Language,
    /// The word or expression as the user wrote it, expanded by every pass but translation.
    pub native: Box<dyn Query>,
    /// Its terms in `language`.
    pub translated: Box<dyn Query>,
}

/// `ast` without what the expansion passes added, which they always put under a boost below
/// 1 (`(forms)^0.25`), and without exclusions, which no hit contains. A boost below 1 that the
/// user wrote (`word^0.5`) goes too: it reads as an added form, which only matters for which
/// words a snippet shows first.
fn as_typed(ast: UserInputAst) -> Option<UserInputAst> {
    match ast {
        UserInputAst::Boost(_, boost) if boost.into_inner() < 1.0 => None,
        UserInputAst::Boost(sub, boost) => {
            Some(UserInputAst::Boost(Box::new(as_typed(*sub)?), boost))
        }
        UserInputAst::Clause(clauses) => {
            let clauses: Vec<_> = clauses
                .into_iter()
                .filter(|(occur, _)| *occur != Some(Occur::MustNot))
                .filter_map(|(occur, sub)| Some((occur, as_typed(sub)?)))
                .collect();
            (!clauses.is_empty()).then_some(UserInputAst::Clause(clauses))
        }
        leaf => Some(leaf),
    }
}

/// The role of a top-level part, from how the user wrote it (before expansion).
fn role(occur: Option<Occur>, part: &UserInputAst) -> Role {
    match occur {
        Some(Occur::MustNot) => Role::Exclusion,
        _ if !only_plain_literals(part) => Role::Constraint,
        Some(Occur::Should) => Role::Alternative,
        Some(Occur::Must) => Role::RequiredWord,
        None => Role::Word,
    }
}

/// Whether a part holds only words and phrases without a field: `exact:` is none, but how a
/// word is searched, and an exact word is one of the query's words.
fn only_plain_literals(ast: &UserInputAst) -> bool {
    match ast {
        UserInputAst::Clause(clauses) => clauses.iter().all(|(_, sub)| only_plain_literals(sub)),
        UserInputAst::Boost(sub, _) => only_plain_literals(sub),
        UserInputAst::Leaf(leaf) => matches!(
            leaf.as_ref(),
            UserInputLeaf::Literal(l) if l.field_name.as_deref().is_none_or(|f| f == EXACT_FIELD)
        ),
    }
}

/// Whether a query searches any term.
fn has_terms(query: &dyn Query) -> bool {
    let mut any = false;
    query.query_terms(&mut |_, _| any = true);
    any
}

/// A query's top-level parts and how they occur; a query of one part is that part.
fn top_level(ast: UserInputAst) -> Vec<(Option<Occur>, UserInputAst)> {
    match ast {
        UserInputAst::Clause(clauses) => clauses,
        other => vec![(None, other)],
    }
}

/// Parses a user query against the index's default search fields, rewritten by the passes of
/// [`rewrite`] (fuzzy, exact, aliases, proclitic forms found through `searcher`).
pub fn parse_query(
    index: &RasdIndex,
    searcher: &Searcher,
    text: &str,
    options: QueryOptions,
    vocabulary: Vocabulary,
) -> Result<PlannedQuery, Error> {
    let planner = Planner::new(index)?;
    let context = planner.context(searcher, options, vocabulary, text);
    let written = rewrite::restructure(planner.parse(text)?, &context)?;
    // Its length as typed, stop words included, decides which forms its words get.
    let context = context.for_query(&written);
    let (written, mut stop_words) = planner.without_unsearchable_words(written, &context);
    let Some(written) = written else {
        // Only stop words (or words of no letter): nothing to find, and rasd says why.
        return Ok(PlannedQuery {
            strict: Box::new(EmptyQuery),
            same_root: None,
            with_roots: None,
            parts: vec![],
            stop_words,
            typed_terms: BTreeSet::new(),
            literals: Literals::default(),
            translations: Translations::default(),
            untranslated: None,
        });
    };
    let written_parts = top_level(written.clone());
    let roles: Vec<Role> = written_parts.iter().map(|(o, sub)| role(*o, sub)).collect();
    // The names each part looks up in the other script (see [`super::names`]).
    let words: Vec<Option<&UserInputLiteral>> = written_parts
        .iter()
        .zip(&roles)
        .map(|((_, part), role)| match part {
            UserInputAst::Leaf(leaf) if role.is_word() => match leaf.as_ref() {
                UserInputLeaf::Literal(literal) => Some(literal),
                _ => None,
            },
            _ => None,
        })
        .collect();
    let mut not_names =
        names::NotNames::new(&index.schema.word_lists, vocabulary.glossary, context.latin);
    if options.expand_aliases {
        not_names = not_names.with_aliases(vocabulary.aliases);
    }
    // Exact search asks for the words as written: no other script's spellings (`analyze`
    // describes the literal as `exact:`, which looks up none).
    let transliterate = options.transliterate && !options.exact;
    let mut name_keys = if transliterate {
        let alternatives: Vec<bool> = roles.iter().map(|r| *r == Role::Alternative).collect();
        names::part_name_keys(&words, &alternatives, not_names)
    } else {
        vec![vec![]; roles.len()]
    };
    let mut expansions = Expansions::default();
    let written_untranslated = written.clone();
    let (expanded, without_roots) =
        rewrite::expand_roots_apart(written, &context, &mut expansions)?;
    if transliterate {
        names::add_spelling_variant_keys(
            &mut name_keys,
            &words,
            &expansions.spelling_variants,
            not_names,
        );
    }
    let literals = Literals::of(&expanded);
    let records_possible = may_match_records(&expanded);
    let mut typed_terms = BTreeSet::new();
    // Part by part: the parser refuses a group whose every part searches nothing (`في من`,
    // `Daech في^2`), which the parts below leave out as stop words.
    for (_, part) in as_typed(expanded.clone())
        .map(top_level)
        .unwrap_or_default()
    {
        if let Ok(query) = planner.build(part) {
            query.query_terms(&mut |term, _| {
                typed_terms.insert(term.clone());
            });
        }
    }
    // The expansion passes keep the top-level structure, so parts and roles line up; a
    // one-part query may have become a group of its forms.
    let parts_of = |ast: &UserInputAst| {
        if roles.len() == 1 {
            vec![(None, ast.clone())]
        } else {
            top_level(ast.clone())
        }
    };
    let expanded_parts = parts_of(&expanded);
    // Each part without its words of the same root, where it has some.
    let parts_without_roots: Vec<Option<UserInputAst>> = match &without_roots {
        Some(ast) => parts_of(ast)
            .into_iter()
            .zip(&expanded_parts)
            .map(|((_, without), (_, with))| (without != *with).then_some(without))
            .collect(),
        None => vec![None; expanded_parts.len()],
    };
    let mut parts = Vec::with_capacity(roles.len());
    let mut by_name = false;
    let mut split = false;
    let mut query_stop_word = false;
    // Each part's text when it is a word or phrase, and whether it was quoted.
    let written_texts = written_parts.iter().map(|(_, part)| match part {
        UserInputAst::Leaf(leaf) => match leaf.as_ref() {
            UserInputLeaf::Literal(literal) => {
                Some((literal.phrase.clone(), literal.delimiter != Delimiter::None))
            }
            _ => None,
        },
        _ => None,
    });
    let query_stops = query_stop_words(&planner, &context, &written_parts);
    for (
        (((((role, keys), (occur, ast)), ast_without_roots), written), query_stop),
        written_part,
    ) in roles
        .into_iter()
        .zip(name_keys)
        .zip(expanded_parts)
        .zip(parts_without_roots)
        .zip(written_texts)
        .zip(query_stops)
        .zip(written_parts.iter().map(|(_, part)| part))
    {
        let occur = occur.unwrap_or(Occur::Must);
        // A quoted phrase stays one part, translated or not (`--translate-phrases`).
        let (written, quoted) = written.map_or((None, false), |(text, q)| (Some(text), q));
        if let Some(term) = written.as_deref().filter(|_| splits(role) && !quoted)
            && let Some(words) = term_words(&planner, &context, term, &mut expansions)?
        {
            split = true;
            for (word, queries) in words {
                match queries {
                    Some((query, without_roots)) => parts.push(Part {
                        role,
                        occur,
                        query,
                        without_roots: without_roots.map(|q| (word, q)),
                        names: None,
                    }),
                    None => stop_words.push(word),
                }
            }
            continue;
        }
        let mut query = planner.build(ast)?;
        let mut without_roots = match ast_without_roots {
            Some(without) => Some((words_written(written_part), planner.build(without)?)),
            None => None,
        };
        // A stop word alone searches nothing: it is no word of the query.
        if role.is_word() && !has_terms(&*query) {
            stop_words.extend(written);
            continue;
        }
        // Nor is a stop word of the language the query's Latin words are read in (`de`, `à`
        // in `drones chargés de drogue abattus à la frontière`), though the views that keep
        // every word (the Arabic and surface ones) still have it: required, it would hold
        // back every article in another language. Nor an Arabic particle the index keeps
        // for the names it meets (`على`, see [`ARABIC_QUERY_STOP_WORDS`]).
        if query_stop {
            stop_words.extend(written);
            query_stop_word = true;
            continue;
        }
        let mut part_names = None;
        if let Some(names) = names::name_query(index, searcher, &keys) {
            by_name = true;
            part_names = Some((keys, query.box_clone()));
            let or_names = |query| -> Box<dyn Query> {
                Box::new(BooleanQuery::new(vec![
                    (Occur::Should, query),
                    (Occur::Should, names.box_clone()),
                ]))
            };
            without_roots = without_roots.map(|(word, q)| (word, or_names(q)));
            query = or_names(query);
        }
        parts.push(Part {
            role,
            occur,
            query,
            without_roots,
            names: part_names,
        });
    }
    // The query as the parser builds it, unless names were added to its parts, a term of the
    // glossary was split into its words or a stop word left out: then the same
    // conjunction of the parts.
    let as_parts = (by_name || split || query_stop_word) && !parts.is_empty();
    let strict_of = |ast: UserInputAst, without_roots: bool| -> Result<Box<dyn Query>, Error> {
        let strict: Box<dyn Query> = if parts.is_empty() && !stop_words.is_empty() {
            Box::new(EmptyQuery)
        } else if as_parts {
            let part_query = |p: &Part| match without_roots {
                true => p.itself().box_clone(),
                false => p.query.box_clone(),
            };
            Box::new(BooleanQuery::new(
                parts.iter().map(|p| (p.occur, part_query(p))).collect(),
            ))
        } else {
            planner.build(ast)?
        };
        // Files' record documents are not articles: `*` or `-word` alone must not find them.
        // A query that needs a term of an article's fields cannot, and is left as it is:
        // excluding the records checks every match against them (a tenth of a frequent
        // word's search).
        Ok(if records_possible {
            Box::new(RecordFields::new(index).articles_only(strict))
        } else {
            strict
        })
    };
    let (strict, same_root, with_roots) = match without_roots {
        Some(without_roots) if parts.iter().any(|p| p.without_roots.is_some()) => {
            // A match is still ranked with the words of the same root it has: the same
            // scores as the query with them, the articles of the query without them. (Not
            // those of the words of a glossary term split, expanded apart: rare enough.)
            let roots: Vec<_> = rewrite::root_clauses(&expanded, &without_roots)
                .into_iter()
                .map(|clause| (Some(Occur::Should), clause))
                .collect();
            let with_roots = strict_of(expanded, false)?;
            let without_roots = strict_of(without_roots, true)?;
            let strict: Box<dyn Query> = match roots.is_empty() {
                true => without_roots.box_clone(),
                false => Box::new(BooleanQuery::new(vec![
                    (Occur::Must, without_roots.box_clone()),
                    (Occur::Should, planner.build(UserInputAst::Clause(roots))?),
                ])),
            };
            let same_root: Box<dyn Query> = Box::new(BooleanQuery::new(vec![
                (Occur::Must, with_roots.box_clone()),
                (Occur::MustNot, without_roots),
            ]));
            (strict, Some(same_root), Some(with_roots))
        }
        _ => (strict_of(expanded, false)?, None, None),
    };
    let translated = translated_words(&expansions);
    // The whole query without translations: a hit it matches was not found through one.
    let untranslated = if translated.is_empty() {
        None
    } else {
        let context = context.untranslated();
        let ast = rewrite::expand(written_untranslated, &context, &mut Expansions::default())?;
        Some(planner.build(ast)?)
    };
    let (options, latin) = (context.options, context.latin);
    let translations = Translations {
        planned: (!translated.is_empty()).then_some((planner, options, latin)),
        translated,
    };
    Ok(PlannedQuery {
        strict,
        same_root,
        with_roots,
        parts,
        stop_words,
        typed_terms,
        literals,
        translations,
        untranslated,
    })
}

/// What names a part where a hit has it only through words of the same root: its words and
/// phrases as written.
fn words_written(part: &UserInputAst) -> String {
    let mut all = vec![];
    describe::literals(part, false, &mut all);
    let words: Vec<String> = all.into_iter().map(|(literal, _)| literal.phrase).collect();
    words.join(", ")
}

/// Which of a query's top-level parts are left out as stop words: plain unquoted words the
/// user did not mark, each a stop word of the language the query's Latin words are read in
/// or an Arabic query stop word (see [`is_query_stop_word`]). None when nothing else would be
/// searched (`la -foo`, `على -foo`, `في من على`).
fn query_stop_words(
    planner: &Planner,
    context: &Context,
    parts: &[(Option<Occur>, UserInputAst)],
) -> Vec<bool> {
    let stops: Vec<bool> = parts
        .iter()
        .map(|(occur, part)| {
            role(*occur, part) == Role::Word && query_stop_word(planner, context, part).is_some()
        })
        .collect();
    // A word no view indexes (`في`) searches nothing either.
    let searches_terms = |part: &UserInputAst| {
        planner
            .build(part.clone())
            .map_or(true, |query| has_terms(&*query))
    };
    let searched = parts.iter().zip(&stops).any(|((occur, part), &stop)| {
        !stop
            && match role(*occur, part) {
                Role::Exclusion => false,
                Role::Word => searches_terms(part),
                _ => true,
            }
    });
    if !searched {
        return vec![false; stops.len()];
    }
    stops
}

/// The word `part` is when it is a plain unquoted word that is a stop word of the query
/// (see [`is_query_stop_word`]).
fn query_stop_word(planner: &Planner, context: &Context, part: &UserInputAst) -> Option<String> {
    let UserInputAst::Leaf(leaf) = part else {
        return None;
    };
    match leaf.as_ref() {
        UserInputLeaf::Literal(literal)
            if literal.delimiter == Delimiter::None
                && literal.field_name.is_none()
                && is_query_stop_word(planner, context, &literal.phrase) =>
        {
            Some(literal.phrase.clone())
        }
        _ => None,
    }
}

/// The query without its stop words, for showing what is searched: `expanded` the query's
/// parts after the passes, `stops` which of them are stop words (see [`query_stop_words`]).
fn without_query_stop_words(expanded: UserInputAst, stops: &[bool]) -> UserInputAst {
    if !stops.contains(&true) {
        return expanded;
    }
    let kept = top_level(expanded)
        .into_iter()
        .zip(stops)
        .filter(|(_, stop)| !**stop)
        .map(|(part, _)| part)
        .collect();
    UserInputAst::Clause(kept)
}

/// The Arabic particles a query leaves out though the index keeps them (`على`, which is
/// also the name علي once normalized), as typed: see the file's header. Read once.
static ARABIC_QUERY_STOP_WORDS: LazyLock<Vec<&'static str>> = LazyLock::new(|| {
    include_str!("../../../index-schema/query-stopwords-ar.txt")
        .lines()
        .map(|line| line.split('#').next().unwrap_or_default().trim())
        .filter(|word| !word.is_empty())
        .collect()
});

/// Whether `word`, a plain word of the query, searches nothing worth requiring: an Arabic
/// query stop word or a Latin stop word (see [`is_latin_stop_word`]).
fn is_query_stop_word(planner: &Planner, context: &Context, word: &str) -> bool {
    !context.options.exact
        && (is_arabic_query_stop_word(word) || is_latin_stop_word(planner, context, word))
}

/// Whether `word` as typed, the marks the analysis deletes aside (diacritics, tatweel), is
/// one of [`ARABIC_QUERY_STOP_WORDS`].
fn is_arabic_query_stop_word(word: &str) -> bool {
    let bare: String = word.chars().filter(|&c| !is_deleted(c)).collect();
    ARABIC_QUERY_STOP_WORDS.contains(&bare.as_str())
}

/// Whether `word` is one plain Latin-script word that is a stop word in every language the
/// query's Latin words are read in: it searches nothing in the fields of those languages.
fn is_latin_stop_word(planner: &Planner, context: &Context, word: &str) -> bool {
    let plain = !word.contains(char::is_whitespace)
        && word.chars().any(char::is_alphabetic)
        && word
            .chars()
            .all(|c| c.is_alphabetic() && !is_arabic_script(c) || c == '\'');
    if !plain || context.options.exact {
        return false;
    }
    for &language in context.latin {
        if !context.fields.iter().any(|f| f.language == Some(language)) {
            return false;
        }
        // The parser refuses a query of stop words only: that too searches nothing.
        let searches = planner
            .build(context.translated_term(language, word))
            .is_ok_and(|query| has_terms(&*query));
        if searches {
            return false;
        }
    }
    true
}

/// Whether a part of this role that is a multi-word term of the glossary is searched as one
/// part per word: words the user did not join with `OR`.
fn splits(role: Role) -> bool {
    matches!(role, Role::Word | Role::RequiredWord)
}

/// One word of a multi-word glossary term, and its query and its query without words of the
/// same root when it found some (`None`: a stop word).
type TermWord = (String, Option<(Box<dyn Query>, Option<Box<dyn Query>>)>);

/// A multi-word term of the glossary (joined by the passes: unquoted, with spaces) as one
/// query per word, so that partial matches count its words as the user typed them: each word
/// or the term's other terms, those weighing [`TRANSLATION_BOOST`] shared among the words. An
/// article with a translation meets every word, so the conjunction of the words still means
/// "the words, or a translation". Each word is also translated on its own, as a word of the
/// query would be: the glossary's terms for `smuggling tunnel` are two set phrases, and an
/// article says أنفاق لتهريب المخدرات. Those translations join `expansions`. `None` for
/// anything else; a word searching nothing (a stop word) has no query.
fn term_words(
    planner: &Planner,
    context: &Context,
    term: &str,
    expansions: &mut Expansions,
) -> Result<Option<Vec<TermWord>>, Error> {
    let words: Vec<&str> = term.split_whitespace().collect();
    let joined = expansions.translations.iter().any(|(w, _)| w == term);
    if words.len() < 2 || !joined {
        return Ok(None);
    }
    let others: Vec<(Option<Occur>, UserInputAst)> = expansions
        .translations
        .iter()
        .filter(|(w, _)| w == term)
        .flat_map(|(_, t)| t.terms.iter().map(move |other| (t.to, other)))
        .map(|(language, other)| {
            (
                Some(Occur::Should),
                context.translated_term(language, other),
            )
        })
        .collect();
    let boost = TRANSLATION_BOOST / words.len() as f64;
    words
        .into_iter()
        .map(|word| {
            let literal = UserInputLiteral {
                field_name: None,
                phrase: word.to_string(),
                delimiter: Delimiter::None,
                slop: 0,
                prefix: false,
            };
            let alone = planner.build(rewrite::leaf(literal.clone()))?;
            if !has_terms(&*alone) || is_query_stop_word(planner, context, word) {
                return Ok((word.to_string(), None));
            }
            let ast = UserInputAst::Clause(vec![
                (Some(Occur::Should), rewrite::leaf(literal)),
                (
                    Some(Occur::Should),
                    UserInputAst::Boost(
                        Box::new(UserInputAst::Clause(others.clone())),
                        boost.into(),
                    ),
                ),
            ]);
            let mut translated = Expansions::default();
            let (ast, without_roots) = rewrite::expand_roots_apart(ast, context, &mut translated)?;
            expansions.translations.extend(translated.translations);
            let without_roots = without_roots.map(|ast| planner.build(ast)).transpose()?;
            Ok((word.to_string(), Some((planner.build(ast)?, without_roots))))
        })
        .collect::<Result<_, Error>>()
        .map(Some)
}

/// Each translated word or expression of a query, the language of its terms and those terms.
type TranslatedWord = (String, Language, Vec<String>);

/// The translated words and expressions of `expansions`, their terms grouped by language.
fn translated_words(expansions: &Expansions) -> Vec<TranslatedWord> {
    let mut grouped: Vec<TranslatedWord> = Vec::new();
    // Synonyms in the query's own language are no translation: hits they find are not marked.
    for (written, translation) in &expansions.translations {
        if translation.to == translation.from {
            continue;
        }
        let terms = translation.terms.iter().cloned();
        match grouped
            .iter_mut()
            .find(|(w, l, _)| w == written && *l == translation.to)
        {
            Some((_, _, all)) => all.extend(terms),
            None => grouped.push((written.clone(), translation.to, terms.collect())),
        }
    }
    grouped
}

/// The translations of a query, kept to tell which hits were found through one. Their
/// queries are built only when a page has a hit that the words as typed do not match: a
/// query's translations are often a dozen, each two queries to plan, which most pages (their
/// hits all matched by the words as typed) never read.
#[derive(Default)]
pub struct Translations {
    translated: Vec<TranslatedWord>,
    /// What plans their queries, as it planned the query's: the planner, the options and the
    /// languages of the query's Latin words. `None` without translations.
    planned: Option<(Planner, QueryOptions, &'static [Language])>,
}

impl Translations {
    /// The queries that tell, for each translated word or expression and each language, the
    /// articles found through the translation from those found through the words
    /// themselves; `vocabulary` is the query's.
    pub fn terms(
        &self,
        searcher: &Searcher,
        vocabulary: Vocabulary,
    ) -> Result<Vec<TranslatedTerm>, Error> {
        let Some((planner, options, latin)) = &self.planned else {
            return Ok(vec![]);
        };
        let context = Context {
            fields: &planner.fields,
            searcher,
            options: *options,
            aliases: vocabulary.aliases,
            glossary: vocabulary.glossary,
            latin,
        };
        let untranslated = context.untranslated();
        (self.translated.iter())
            .map(|(written, language, terms)| {
                let literal = UserInputLiteral {
                    field_name: None,
                    phrase: written.clone(),
                    delimiter: Delimiter::None,
                    slop: 0,
                    prefix: false,
                };
                let native = rewrite::expand(
                    rewrite::written_words(&literal),
                    &untranslated,
                    &mut Expansions::default(),
                )?;
                let terms = terms
                    .iter()
                    .map(|term| {
                        (
                            Some(Occur::Should),
                            context.translated_term(*language, term),
                        )
                    })
                    .collect();
                Ok(TranslatedTerm {
                    written: written.clone(),
                    language: *language,
                    native: planner.build(native)?,
                    translated: planner.build(UserInputAst::Clause(terms))?,
                })
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::article::{Article, Metadata};
    use crate::schema::IndexSchema;
    use tantivy::collector::TopDocs;

    fn ast(query: &str) -> UserInputAst {
        tantivy::query_grammar::parse_query(query).unwrap()
    }

    /// A query as tantivy shows it, field names unquoted.
    fn shown(ast: &UserInputAst) -> String {
        format!("{ast:?}").replace('"', "")
    }

    #[test]
    fn a_lone_slop_or_edits_joins_the_phrase_or_word_before_it() {
        assert_eq!(
            attached_tildes(r#""تهريب المخدرات" ~2"#),
            r#""تهريب المخدرات"~2"#
        );
        assert_eq!(attached_tildes(r#""a b"   ~10 c"#), r#""a b"~10 c"#);
        assert_eq!(attached_tildes("Mokhtar ~1"), "Mokhtar~1");
        assert_eq!(attached_tildes("(خلية ~1) OR x"), "(خلية~1) OR x");
        assert_eq!(attached_tildes("'a b' ~2"), "'a b'~2");
        // Inside quotes, after an operator, alone, not followed by digits alone: as typed.
        for text in [
            r#""a ~2" b"#,
            "a AND ~2",
            "~2",
            "( ~2)",
            "a ~",
            "a ~2x",
            "a ~-2",
            r"d\'arrêt \~2",
        ] {
            assert_eq!(attached_tildes(text), text);
        }
        // An escaped quote is no phrase's end: the word before the `~` still is one.
        assert_eq!(attached_tildes(r#"a\" ~2"#), r#"a\"~2"#);
    }

    #[test]
    fn a_zero_width_space_parts_words_but_not_a_sign_from_its_word() {
        assert_eq!(plain_spaces("a\u{200B}b\u{00A0}c"), "a b c");
        assert_eq!(plain_spaces("a -\u{200B}b"), "a -b");
        assert_eq!(plain_spaces("+\u{200B}\u{200B}a"), "+a");
        assert_eq!(plain_spaces("(-\u{200B}a)"), "(-a)");
        // Not a sign at a word's start: a hyphen ends a word, and the space stays.
        assert_eq!(plain_spaces("a-\u{200B}b"), "a- b");
        assert_eq!(plain_spaces("a -\u{200B} b"), "a - b");
    }

    #[test]
    fn a_message_points_at_what_was_typed_past_a_dropped_zero_width_space() {
        let index = RasdIndex::in_memory(IndexSchema::builtin()).unwrap();
        let planner = Planner::new(&index).unwrap();
        let Err(Error::Query(message)) = planner.parse("a -\u{200B}b AND") else {
            panic!("a dangling AND must be refused");
        };
        assert!(message.contains("a -\u{200B}b \u{2038}AND"), "{message}");
    }

    #[test]
    fn arabic_query_stop_words_are_compared_as_typed() {
        assert!(is_arabic_query_stop_word("على"));
        assert!(is_arabic_query_stop_word("عَلَى"));
        assert!(is_arabic_query_stop_word("عـلى"));
        assert!(is_arabic_query_stop_word("إثر"));
        // The name Ali, and words that only contain a particle, are words.
        assert!(!is_arabic_query_stop_word("علي"));
        assert!(!is_arabic_query_stop_word("وعلى"));
        assert!(!is_arabic_query_stop_word("اثر"));
    }

    #[test]
    fn a_word_meets_an_article_in_two_views_whatever_its_script() {
        let index = RasdIndex::in_memory(IndexSchema::builtin()).unwrap();
        let planner = Planner::new(&index).unwrap();
        let views = Views::new(&planner.fields);
        // Its surface view and its stemmed one: the Arabic stemmed view leaves a Latin word
        // as the surface view does, the French and English views an Arabic word.
        assert_eq!(
            views.of("Daech"),
            [
                "title", "body", "title_fr", "body_fr", "title_en", "body_en"
            ]
        );
        assert_eq!(
            views.of("État islamique"),
            [
                "title", "body", "title_fr", "body_fr", "title_en", "body_en"
            ]
        );
        assert_eq!(
            views.of("داعش"),
            ["title", "title_surface", "body", "body_surface"]
        );
        // A Latin word's second view in an article without a French or English one (Arabic,
        // or another language): its surface view.
        let daech = UserInputLiteral {
            field_name: None,
            phrase: "Daech".into(),
            delimiter: Delimiter::None,
            slop: 0,
            prefix: false,
        };
        let searched: Vec<String> = views.alternatives(&daech).iter().map(shown).collect();
        assert_eq!(
            searched[6..],
            [
                "(+title_surface:Daech -lang:en -lang:fr)",
                "(+body_surface:Daech -lang:en -lang:fr)"
            ]
        );
        assert_eq!(
            views
                .alternatives(&UserInputLiteral {
                    phrase: "داعش".into(),
                    ..daech
                })
                .len(),
            4
        );
        // Numbers, mixed and other scripts: every view.
        for other in ["2019", "Daech داعش", "Дамаск"] {
            assert_eq!(views.of(other).len(), 8, "{other}");
        }
    }

    #[test]
    fn alternatives_are_flattened_under_their_boosts() {
        let flat = flattened(
            ast("a OR (b OR (c OR d)^0.25)^0.5"),
            &Views::same(&["x", "y"]),
        );
        assert_eq!(
            shown(&flat),
            "(?x:a ?y:a ?(x:b)^0.5 ?(y:b)^0.5 ?((x:c)^0.25)^0.5 ?((y:c)^0.25)^0.5 \
             ?((x:d)^0.25)^0.5 ?((y:d)^0.25)^0.5)"
        );
        // Required words and exclusions keep their structure; their alternatives flatten.
        let flat = flattened(ast("+(a OR (b)^0.5) -c z:w"), &Views::same(&["x"]));
        assert_eq!(shown(&flat), "(+(?x:a ?(x:b)^0.5) -(?x:c) *z:w)");
        // A field named stays that field; other leaves stay as they are.
        let flat = flattened(
            ast("z:a OR date:[2019 TO 2020] OR *"),
            &Views::same(&["x", "y"]),
        );
        assert_eq!(shown(&flat), shown(&ast("z:a OR date:[2019 TO 2020] OR *")));
    }

    #[test]
    fn alternatives_that_analyze_alike_are_searched_once_at_their_highest_weight() {
        let index = RasdIndex::in_memory(IndexSchema::builtin()).unwrap();
        let planner = Planner::new(&index).unwrap();
        // Three spellings of one stem in the stemmed view (the glossary's translations of
        // `smugglers`), not in the surface view; another field is another alternative.
        let once = planner.without_repeats(ast(
            "(title:مهرب)^0.5 OR title:المهربين OR title:المهربون OR body:مهرب \
             OR title_surface:مهرب OR title_surface:المهربين",
        ));
        assert_eq!(
            shown(&once),
            "(?title:المهربين ?body:مهرب ?title_surface:مهرب ?title_surface:المهربين)"
        );
        // Within a required word's alternatives too; the required words themselves stay.
        let once = planner.without_repeats(ast("+(title:مهرب OR title:المهربين) +title:مهرب"));
        assert_eq!(shown(&once), "(+(?title:مهرب) +title:مهرب)");
    }

    #[test]
    fn flattening_changes_no_score() {
        // Every view with positions, as before schema v6: the phrases of views without them
        // are checked in the flattened query only (see the tests of `phrase_checked`).
        let builtin = IndexSchema::builtin();
        let toml = builtin.toml.replace("positions = false\n", "");
        let schema = IndexSchema::from_saved(&toml, builtin.word_lists.clone()).unwrap();
        let index = RasdIndex::in_memory(schema).unwrap();
        let article = |id: &str, lang: &str, title: &str, body: &str| Article {
            title: title.to_string(),
            meta: Metadata {
                lang: Some(lang.to_string()),
                ..Metadata::default()
            },
            ..Article::for_test(id, body)
        };
        index
            .add_articles(&[
                article("1", "ar", "مكافحة الإرهاب", "تنظيم داعش والإرهاب في الساحل"),
                article("2", "ar", "الإرهابيون", "هجوم إرهابي تبناه تنظيم الدولة"),
                article("3", "fr", "terrorisme", "Daech et le terrorisme au Sahel"),
                article("4", "en", "ISIS", "the Islamic State and terrorism"),
                article("5", "ar", "تهريب", "تهريب المخدرات عبر الحدود بالإرهاب"),
            ])
            .unwrap();
        let searcher = index.searcher().unwrap();
        let planner = Planner::new(&index).unwrap();
        let context = planner.context(
            &searcher,
            QueryOptions::default(),
            Vocabulary::builtin(),
            "",
        );
        for query in [
            "الإرهاب",
            "داعش",
            "terrorism",
            "الإرهاب OR تهريب",
            "داعش -هجوم",
        ] {
            let expanded = rewrite::plan(
                planner.parse(query).unwrap(),
                &context,
                &mut Expansions::default(),
            )
            .unwrap();
            let views = Views::new(&planner.fields);
            let nested = planner
                .parser
                .build_query_from_user_input_ast(in_views(expanded.clone(), &views))
                .unwrap();
            let flat = planner.build(expanded).unwrap();
            let top = |query: &dyn Query| {
                searcher
                    .search(query, &TopDocs::with_limit(10).order_by_score())
                    .unwrap()
            };
            let (nested, flat) = (top(&*nested), top(&*flat));
            assert!(!nested.is_empty(), "{query}");
            assert_eq!(nested.len(), flat.len(), "{query}");
            for ((a, x), (b, y)) in nested.iter().zip(&flat) {
                assert_eq!(x, y, "{query}");
                assert!((a - b).abs() <= a.abs() * 1e-6, "{query}: {a} and {b}");
            }
        }
    }

    /// `ast` with each word without a field searched in its views, its structure kept.
    fn in_views(ast: UserInputAst, views: &Views) -> UserInputAst {
        match ast {
            UserInputAst::Clause(clauses) => UserInputAst::Clause(
                clauses
                    .into_iter()
                    .map(|(occur, sub)| (occur, in_views(sub, views)))
                    .collect(),
            ),
            UserInputAst::Boost(sub, boost) => {
                UserInputAst::Boost(Box::new(in_views(*sub, views)), boost)
            }
            UserInputAst::Leaf(leaf) => match *leaf {
                UserInputLeaf::Literal(literal) if literal.field_name.is_none() => {
                    UserInputAst::Clause(
                        views
                            .alternatives(&literal)
                            .into_iter()
                            .map(|alternative| (Some(Occur::Should), alternative))
                            .collect(),
                    )
                }
                other => UserInputAst::Leaf(Box::new(other)),
            },
        }
    }

    /// The ids of the articles `query` finds in `index`, best first.
    #[test]
    fn a_match_ranks_with_its_words_of_the_same_root_which_alone_make_none() {
        let index = RasdIndex::in_memory(IndexSchema::builtin()).unwrap();
        index
            .add_articles(&[
                Article::for_test("both", "حجز المتفجرات بعد تفجير في مخزن"),
                Article::for_test("word", "حجز المتفجرات في مخزن"),
                Article::for_test("blast", "انفجار في مخزن"),
                Article::for_test("dawn", "مداهمة عند الفجر"),
                Article::for_test("other", "حجز أسلحة"),
            ])
            .unwrap();
        let searcher = index.searcher().unwrap();
        let id = |address: tantivy::DocAddress| {
            use tantivy::schema::Value;
            let doc: tantivy::TantivyDocument = searcher.doc(address).unwrap();
            let value = doc.get_first(index.field("id")).unwrap();
            value.as_str().unwrap().to_string()
        };
        let top = |query: &dyn Query| -> Vec<(String, f32)> {
            let top = searcher
                .search(query, &TopDocs::with_limit(10).order_by_score())
                .unwrap();
            top.into_iter().map(|(score, a)| (id(a), score)).collect()
        };
        for (query, matches, by_root) in [
            ("المتفجرات", &["both", "word"][..], &["blast", "dawn"][..]),
            ("المتفجرات مخزن", &["both", "word"], &["blast"]),
        ] {
            let planned = parse_query(
                &index,
                &searcher,
                query,
                QueryOptions::default(),
                Vocabulary::builtin(),
            )
            .unwrap();
            let strict = top(&*planned.strict);
            let mut found: Vec<&str> = strict.iter().map(|(id, _)| id.as_str()).collect();
            found.sort_unstable();
            assert_eq!(found, matches, "{query}");
            let same_root = top(&**planned.same_root.as_ref().unwrap());
            let mut found: Vec<&str> = same_root.iter().map(|(id, _)| id.as_str()).collect();
            found.sort_unstable();
            assert_eq!(found, by_root, "{query}");
            // The same scores as the query that counts words of the same root as its words.
            let planner = Planner::new(&index).unwrap();
            let context = planner.context(
                &searcher,
                QueryOptions::default(),
                Vocabulary::builtin(),
                query,
            );
            let with_roots = planner
                .build(
                    rewrite::plan(
                        planner.parse(query).unwrap(),
                        &context,
                        &mut Expansions::default(),
                    )
                    .unwrap(),
                )
                .unwrap();
            let with_roots = top(&*with_roots);
            for (id, score) in &strict {
                let (_, expected) = with_roots.iter().find(|(other, _)| other == id).unwrap();
                assert!((score - expected).abs() <= expected * 1e-6, "{query}: {id}");
            }
        }
    }

    fn ranked(index: &RasdIndex, query: &str, options: QueryOptions) -> Vec<String> {
        let searcher = index.searcher().unwrap();
        let planner = Planner::new(index).unwrap();
        let context = planner.context(&searcher, options, Vocabulary::builtin(), query);
        let expanded = rewrite::plan(
            planner.parse(query).unwrap(),
            &context,
            &mut Expansions::default(),
        )
        .unwrap();
        let query = planner.build(expanded).unwrap();
        let id = index.field("id");
        searcher
            .search(&*query, &TopDocs::with_limit(10).order_by_score())
            .unwrap()
            .into_iter()
            .map(|(_, address)| {
                use tantivy::schema::Value;
                let doc: tantivy::TantivyDocument = searcher.doc(address).unwrap();
                doc.get_first(id)
                    .and_then(|v| v.as_str())
                    .unwrap()
                    .to_string()
            })
            .collect()
    }

    /// An index of `schema` with articles that hold a phrase as written, inflected, with a
    /// proclitic, and its words apart.
    fn phrase_index(schema: IndexSchema) -> RasdIndex {
        let index = RasdIndex::in_memory(schema).unwrap();
        let article = |id: &str, body: &str| Article {
            title: "خبر".to_string(),
            ..Article::for_test(id, body)
        };
        index
            .add_articles(&[
                article("apart", "مكافحة التهريب أولوية، والإرهاب تهديد آخر."),
                article("inflected", "مؤتمر لمكافحة الإرهابيين في العاصمة."),
                article("written", "مؤتمر حول مكافحة الإرهاب في العاصمة."),
                article("clitic", "مؤتمر حول ومكافحة الإرهاب في العاصمة."),
            ])
            .unwrap();
        index
    }

    #[test]
    fn phrases_in_views_without_positions_find_the_phrase_and_rank_it_as_written_first() {
        let schema = IndexSchema::builtin();
        for name in ["body_surface", "title_surface"] {
            let field = schema.field(name).unwrap();
            assert!(!field.has_positions(), "{name}");
        }
        let index = phrase_index(schema);
        let found = ranked(&index, "\"مكافحة الإرهاب\"", QueryOptions::default());
        assert!(found.contains(&"clitic".to_string()), "{found:?}");
        assert!(!found.contains(&"apart".to_string()), "{found:?}");
        assert_eq!(found[0], "written", "{found:?}");
        // Exact search: the written words, as a phrase of the stemmed view.
        let exact = ranked(&index, "exact:\"مكافحة الإرهاب\"", QueryOptions::default());
        assert_eq!(exact, vec!["written"]);
        // A phrase that only a view with positions can match is unchanged.
        assert_eq!(
            ranked(&index, "\"الإرهاب مكافحة\"", QueryOptions::default()),
            Vec::<String>::new()
        );
    }

    /// [`phrase_index`] with a phrase's forms in a title and twice in one body.
    fn phrase_forms_index() -> RasdIndex {
        let index = phrase_index(IndexSchema::builtin());
        index
            .add_articles(&[
                Article {
                    title: "بمكافحة الإرهاب".to_string(),
                    ..Article::for_test("title", "تقرير عن بمكافحة الإرهاب ومكافحة الإرهاب.")
                },
                Article::for_test("twice", "مكافحة الإرهاب ثم لمكافحة الإرهاب في العاصمة."),
            ])
            .unwrap();
        index
    }

    /// A query built with its shared phrases (`None` when none is shared), and built apart.
    type BothWays = (Option<Box<dyn Query>>, Box<dyn Query>);

    /// The query of `text` built with its shared phrases and built apart, as before them;
    /// `None` when the parser refuses the text.
    fn shared_and_apart(index: &RasdIndex, text: &str) -> Option<BothWays> {
        let searcher = index.searcher().unwrap();
        let planner = Planner::new(index).unwrap();
        let context = planner.context(
            &searcher,
            QueryOptions::default(),
            Vocabulary::builtin(),
            text,
        );
        let ast = rewrite::plan(
            planner.parse(text).ok()?,
            &context,
            &mut Expansions::default(),
        )
        .ok()?;
        let flat = flattened(ast, &Views::new(&planner.fields));
        let shared = planner.build_sharing_phrases(&flat);
        let apart = planner
            .parser
            .build_query_from_user_input_ast(planner.phrases_checked(flat))
            .ok()?;
        Some((shared, apart))
    }

    /// The documents a query ranks, each with its score, and its count.
    fn scored(searcher: &Searcher, query: &dyn Query) -> (Vec<(u32, String)>, usize) {
        let mut found: Vec<(u32, String)> = searcher
            .search(query, &TopDocs::with_limit(20).order_by_score())
            .unwrap()
            .into_iter()
            .map(|(score, address)| (address.doc_id, format!("{score:.4}")))
            .collect();
        found.sort();
        (found, query.count(searcher).unwrap())
    }

    #[test]
    fn a_phrase_takes_proclitics_on_its_first_word_only() {
        let index = RasdIndex::in_memory(IndexSchema::builtin()).unwrap();
        index
            .add_articles(&[
                Article::for_test("written", "حملة على تهريب مخدرات في الميناء."),
                Article::for_test("first", "حملة لتهريب مخدرات في الميناء."),
                Article::for_test("inner", "حملة على تهريب ومخدرات في الميناء."),
            ])
            .unwrap();
        let found = ranked(&index, "\"تهريب مخدرات\"", QueryOptions::default());
        // لتهريب opens the phrase; ومخدرات would join two phrases ("smuggling and drugs").
        assert_eq!(found, vec!["written", "first"]);
    }

    #[test]
    fn a_phrase_checked_in_several_forms_is_read_once_with_the_same_results() {
        let index = phrase_forms_index();
        let searcher = index.searcher().unwrap();
        for text in [
            "\"مكافحة الإرهاب\"",
            "\"مكافحة الإرهاب\" العاصمة",
            "\"مكافحة الإرهاب\"^2 OR تقرير",
            "مؤتمر -\"مكافحة الإرهاب\"",
            "title:\"مكافحة الإرهاب\"",
        ] {
            let (shared, apart) = shared_and_apart(&index, text).unwrap();
            let Some(shared) = shared else {
                // Only a phrase searched in a view without positions, in several forms, is
                // shared: the one in the title alone is not.
                assert!(text.starts_with("title:"), "{text}");
                continue;
            };
            assert_eq!(
                scored(&searcher, &*shared),
                scored(&searcher, &*apart),
                "{text}"
            );
            assert!(scored(&searcher, &*shared).1 > 0, "{text}");
            let mut terms = (BTreeSet::new(), BTreeSet::new());
            shared.query_terms(&mut |t, _| {
                terms.0.insert(t.clone());
            });
            apart.query_terms(&mut |t, _| {
                terms.1.insert(t.clone());
            });
            assert_eq!(terms.0, terms.1, "{text}");
            // Each match explains its score.
            let weight = shared
                .weight(tantivy::query::EnableScoring::enabled_from_searcher(
                    &searcher,
                ))
                .unwrap();
            for (score, address) in searcher
                .search(&*shared, &TopDocs::with_limit(20).order_by_score())
                .unwrap()
            {
                let reader = searcher.segment_reader(address.segment_ord);
                let explained = weight.explain(reader, address.doc_id).unwrap();
                assert!((explained.value() - score).abs() < 1e-4, "{text}");
            }
        }
    }

    #[test]
    fn an_index_whose_surface_views_have_positions_finds_the_same() {
        // Indexes built before `positions = false` (schema v5) keep positions in every view.
        let builtin = IndexSchema::builtin();
        let toml = builtin.toml.replace("positions = false\n", "");
        let old = IndexSchema::from_saved(&toml, builtin.word_lists.clone()).unwrap();
        assert!(old.field("body_surface").unwrap().has_positions());
        let (old, new) = (phrase_index(old), phrase_index(builtin));
        for query in [
            "\"مكافحة الإرهاب\"",
            "exact:\"مكافحة الإرهاب\"",
            "مكافحة الإرهاب",
        ] {
            let (mut before, mut after) = (
                ranked(&old, query, QueryOptions::default()),
                ranked(&new, query, QueryOptions::default()),
            );
            // The same first article; the others' scores may differ a little.
            assert_eq!(before.first(), after.first(), "{query}");
            before.sort();
            after.sort();
            assert_eq!(before, after, "{query}");
        }
    }

    /// The index [`any_query_finds_the_same_with_shared_phrases`] searches, built once.
    static PHRASE_FORMS: LazyLock<RasdIndex> = LazyLock::new(phrase_forms_index);

    /// Words of [`phrase_forms_index`]'s articles, with and without proclitics, and others.
    const QUERY_WORDS: &[&str] = &[
        "مكافحة",
        "الإرهاب",
        "لمكافحة",
        "ومكافحة",
        "بمكافحة",
        "العاصمة",
        "مؤتمر",
        "تقرير",
        "خبر",
        "الإرهابيين",
        "في",
        "smuggling",
    ];

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(128))]
        #[test]
        fn any_query_finds_the_same_with_shared_phrases(
            parts in proptest::collection::vec(
                (
                    proptest::sample::select(&["", "-", "+"][..]),
                    proptest::collection::vec(proptest::sample::select(QUERY_WORDS), 2..4),
                    proptest::bool::weighted(0.7),
                ),
                1..4,
            ),
            joiner in proptest::sample::select(&[" ", " AND ", " OR "][..]),
        ) {
            let text = parts
                .iter()
                .map(|(sign, words, quoted)| match quoted {
                    true => format!("{sign}\"{}\"", words.join(" ")),
                    false => format!("{sign}{}", words.join(" ")),
                })
                .collect::<Vec<_>>()
                .join(joiner);
            let index = &*PHRASE_FORMS;
            let searcher = index.searcher().unwrap();
            if let Some((Some(shared), apart)) = shared_and_apart(index, &text) {
                proptest::prop_assert_eq!(
                    scored(&searcher, &*shared),
                    scored(&searcher, &*apart),
                    "{}", text
                );
            }
        }
    }

    proptest::proptest! {
        #[test]
        fn joining_lone_tildes_only_drops_spaces_before_them(
            text in r#"([a-zخلية"'\\() ~]|~[0-9]{1,3}| AND | OR ){0,24}"#,
        ) {
            let joined = attached_tildes(&text);
            let visible = |t: &str| t.chars().filter(|c| !c.is_whitespace()).collect::<String>();
            proptest::prop_assert_eq!(visible(&joined), visible(&text));
            // Each space dropped stood right before a `~`.
            proptest::prop_assert_eq!(joined.matches('~').count(), text.matches('~').count());
            let spaces_before = |t: &str| t.matches(" ~").count() + t.matches("\n~").count();
            let dropped = text.chars().filter(|c| c.is_whitespace()).count()
                - joined.chars().filter(|c| c.is_whitespace()).count();
            proptest::prop_assert!(dropped == 0 || spaces_before(&joined) < spaces_before(&text));
        }
    }

    proptest::proptest! {
        #[test]
        fn a_phrase_in_a_view_without_positions_is_checked_on_one_with_them(
            words in proptest::collection::vec("[\u{0621}-\u{064A}a-z]{1,8}", 0..6),
            quoted in proptest::bool::ANY,
        ) {
            let index = RasdIndex::in_memory(IndexSchema::builtin()).unwrap();
            let planner = Planner::new(&index).unwrap();
            let phrase = words.join(" ");
            let literal = UserInputLiteral {
                field_name: Some("body_surface".to_string()),
                phrase: phrase.clone(),
                delimiter: if quoted { Delimiter::DoubleQuotes } else { Delimiter::None },
                slop: 0,
                prefix: false,
            };
            let checked = planner.phrase_checked(literal);
            // Whatever the words, the parser accepts it: no phrase is left in the view.
            proptest::prop_assert!(planner.parser.build_query_from_user_input_ast(checked.clone()).is_ok());
            let view = planner.fields.iter().find(|f| f.name == "body_surface").unwrap();
            let terms = analysis::terms(&mut view.analyzer.clone(), &phrase);
            if terms.len() >= 2 {
                let shown = shown(&checked);
                proptest::prop_assert!(shown.starts_with("(+(body:"), "{}", shown);
            }
        }
    }

    #[test]
    fn only_queries_without_a_term_of_an_article_may_match_records() {
        for query in ["*", "* -a", "_kind:record", "a OR _file:x", "-a"] {
            assert!(may_match_records(&ast(query)), "{query}");
        }
        for query in [
            "a",
            "a -b",
            "\"a b\" OR c",
            "date:[2019 TO 2020]",
            "lang:*",
            "a AND (b OR c)^2",
        ] {
            assert!(!may_match_records(&ast(query)), "{query}");
        }
    }

    #[test]
    fn apostrophes_inside_words_are_not_quotes() {
        assert_eq!(escape_elisions("mandat d'arrêt"), "mandat d\\'arrêt");
        assert_eq!(
            escape_elisions("\"l'État islamique\""),
            "\"l\\'État islamique\""
        );
        assert_eq!(
            escape_elisions("'a phrase' O'Brien"),
            "'a phrase' O\\'Brien"
        );
        assert_eq!(escape_elisions("plain words"), "plain words");
        for query in [
            "mandat d'arrêt",
            "l'État",
            "\"d'arrêt\"",
            "aujourd'hui -l'État",
        ] {
            let parsed = tantivy::query_grammar::parse_query(&escape_elisions(query));
            assert!(parsed.is_ok(), "{query}");
        }
    }
}
