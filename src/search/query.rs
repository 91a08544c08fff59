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

use serde::Serialize;
use tantivy::Searcher;
use tantivy::query::{Occur, Query, QueryParser};
use tantivy::query_grammar::{Delimiter, UserInputAst, UserInputLeaf, UserInputLiteral};
use tantivy::schema::Field;
use tantivy::tokenizer::TextAnalyzer;
use time::OffsetDateTime;
use time::format_description::well_known::Rfc3339;

use super::aliases::{ALIAS_BOOST, AliasTable};
use super::fuzzy;
use super::proclitics::ProcliticExpander;
use crate::analysis;
use crate::dates::{self as date, DateError, Period, period};
use crate::error::Error;
use crate::store::RasdIndex;
use crate::store::records::RecordFields;

/// An instant in tantivy's query syntax.
fn rfc3339(instant: OffsetDateTime) -> Result<String, Error> {
    instant
        .format(&Rfc3339)
        .map_err(|_| Error::Query(format!("cannot write the date {instant} in a query")))
}

/// What is wrong with the date `text`, written in a query or after `flag` (`--since`…).
pub(crate) fn date_error(flag: Option<&str>, text: &str, error: DateError) -> Error {
    Error::Query(match (error, flag) {
        (DateError::Invalid, None) => {
            format!("`{text}` is not a date (use YYYY, YYYY-MM, YYYY-MM-DD or RFC 3339)")
        }
        (DateError::Invalid, Some(flag)) => {
            format!("{flag} `{text}` is not a date (use YYYY, YYYY-MM, YYYY-MM-DD or RFC 3339)")
        }
        (DateError::OutOfRange, flag) => format!(
            "{} `{text}` is outside the range rasd can search ({})",
            flag.unwrap_or("the date"),
            date::SUPPORTED_TEXT
        ),
    })
}

/// One bound of a range, rewritten; `*` stays open.
fn bound(text: &str, pick: impl Fn(Period) -> OffsetDateTime) -> Result<String, Error> {
    if text == "*" {
        return Ok("*".into());
    }
    let period = period(text).map_err(|e| date_error(None, text, e))?;
    rfc3339(pick(period))
}

/// Rewrites one date expression (what follows `field:`) into tantivy's syntax. Returns the
/// rewritten text and how many bytes of `rest` it consumed.
fn rewrite_date_expression(rest: &str) -> Result<(String, usize), Error> {
    let value_end = |s: &str| {
        s.find(|c: char| c.is_whitespace() || c == ')')
            .unwrap_or(s.len())
    };
    if let Some(open) = rest.chars().next().filter(|c| *c == '[' || *c == '{') {
        let close = rest
            .find([']', '}'])
            .ok_or_else(|| Error::Query("date range is missing its closing `]` or `}`".into()))?;
        let inside = &rest[1..close];
        let (low, high) = inside.split_once(" TO ").ok_or_else(|| {
            Error::Query(format!(
                "date range `{}` needs the form [FROM TO UNTIL]",
                &rest[..=close]
            ))
        })?;
        let (low, high) = (low.trim(), high.trim());
        let inclusive_high = rest[close..].starts_with(']');
        let low = if open == '[' {
            bound(low, |p| p.start)?
        } else {
            bound(low, |p| p.end)?
        };
        let high = if inclusive_high {
            bound(high, |p| p.end)?
        } else {
            bound(high, |p| p.start)?
        };
        return Ok((format!("[{low} TO {high}}}"), close + 1));
    }
    for (operator, rewritten, pick_end) in [
        (">=", ">=", false),
        ("<=", "<", true),
        (">", ">=", true),
        ("<", "<", false),
    ] {
        if let Some(value) = rest.strip_prefix(operator) {
            let end = value_end(value);
            let date = bound(&value[..end], |p| if pick_end { p.end } else { p.start })?;
            return Ok((format!("{rewritten}{date}"), operator.len() + end));
        }
    }
    let end = value_end(rest);
    let low = bound(&rest[..end], |p| p.start)?;
    let high = bound(&rest[..end], |p| p.end)?;
    Ok((format!("[{low} TO {high}}}"), end))
}

/// Rewrites every `field:DATE` expression of a query (outside quotes).
pub fn rewrite_dates(query: &str, field: &str) -> Result<String, Error> {
    let prefix = format!("{field}:");
    let mut out = String::with_capacity(query.len() + 32);
    let mut in_quotes = false;
    let mut i = 0;
    while i < query.len() {
        let rest = &query[i..];
        let at_word_start =
            i == 0 || query[..i].ends_with(|c: char| c.is_whitespace() || "(+-".contains(c));
        if !in_quotes && at_word_start && rest.starts_with(&prefix) {
            let (rewritten, used) = rewrite_date_expression(rest[prefix.len()..].trim_start())?;
            let skipped_spaces =
                rest[prefix.len()..].len() - rest[prefix.len()..].trim_start().len();
            out.push_str(&prefix);
            out.push_str(&rewritten);
            i += prefix.len() + skipped_spaces + used;
            continue;
        }
        let c = rest.chars().next().expect("in bounds");
        in_quotes ^= c == '"';
        out.push(c);
        i += c.len_utf8();
    }
    Ok(out)
}

/// The longest query rasd accepts, in characters: ten times the longest real query seen, a
/// pasted paragraph included, and short enough that the slowest query of that length still
/// runs in a fraction of a second.
pub const MAX_QUERY_CHARS: usize = 10_000;

/// How deep a query may nest groups `(…)` and NOTs. tantivy's query parser recurses once per
/// level and overflows the stack (aborting rasd) in the low thousands.
pub const MAX_QUERY_DEPTH: usize = 100;

/// Refuses a query too long or too deeply nested, before tantivy's parser sees it.
fn check_query_bounds(text: &str) -> Result<(), Error> {
    let chars = text.chars().count();
    if chars > MAX_QUERY_CHARS {
        return Err(Error::Query(format!(
            "the query is {chars} characters long; rasd accepts at most {MAX_QUERY_CHARS}"
        )));
    }
    if nesting_depth(text) > MAX_QUERY_DEPTH {
        return Err(Error::Query(format!(
            "the query nests groups `(…)` and NOTs more than {MAX_QUERY_DEPTH} deep"
        )));
    }
    Ok(())
}

/// An upper bound of the levels tantivy's parser recurses through on `text`: one per `(` and
/// one per `NOT`, a `)` going back to the level of its `(`. It errs on the high side where
/// telling would take a parser of its own: the NOTs of a group add up, and once a quote or a
/// backslash appears, `)` closes nothing any more, since it may be inside a phrase.
fn nesting_depth(text: &str) -> usize {
    let (mut depth, mut deepest) = (0, 0);
    let mut outer = Vec::new();
    let mut may_be_quoted = false;
    for (i, c) in text.char_indices() {
        match c {
            '"' | '\'' | '\\' => may_be_quoted = true,
            '(' => {
                outer.push(depth);
                depth += 1;
            }
            ')' if !may_be_quoted => depth = outer.pop().unwrap_or(depth),
            'N' if is_not_keyword(&text[i..]) => depth += 1,
            _ => {}
        }
        deepest = deepest.max(depth);
    }
    deepest
}

/// Whether `rest` starts with the keyword `NOT` (followed by a space, as both of tantivy's
/// parsers require).
fn is_not_keyword(rest: &str) -> bool {
    rest.strip_prefix("NOT")
        .and_then(|after| after.chars().next())
        .is_some_and(char::is_whitespace)
}

/// The pseudo-field of exact search: `exact:word` and `exact:"a phrase"` match only the
/// normalized surface form, in every field analyzed with the surface analyzer.
pub const EXACT_FIELD: &str = "exact";

/// How a query is interpreted.
#[derive(Clone, Copy, Debug)]
pub struct QueryOptions {
    /// Match every word only in its normalized surface form, as if written `exact:word`.
    pub exact: bool,
    /// Let Arabic words also match their proclitic forms found in the index. Always on for
    /// users; turned off only to measure analyzers alone (see [`crate::eval`]).
    pub expand_proclitics: bool,
    /// Let names also match their aliases (see [`super::aliases`]); `--no-aliases` turns it off.
    pub expand_aliases: bool,
}

impl Default for QueryOptions {
    fn default() -> Self {
        QueryOptions {
            exact: false,
            expand_proclitics: true,
            expand_aliases: true,
        }
    }
}

/// A text field searched by default.
struct SearchedField {
    name: String,
    field: Field,
    analyzer: TextAnalyzer,
    surface: bool,
}

/// Turns query text into a tantivy query for one index: parsing, rewriting, building.
struct Planner {
    parser: QueryParser,
    fields: Vec<SearchedField>,
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
                .map_err(|e| Error::Query(e.to_string()))?;
            fields.push(SearchedField {
                name: spec.name.clone(),
                field,
                analyzer,
                surface: spec.analyzer.as_deref() == Some(analysis::SURFACE),
            });
            boosts.push((field, boost));
        }
        let mut parser =
            QueryParser::for_index(&index.index, fields.iter().map(|f| f.field).collect());
        parser.set_conjunction_by_default();
        for (field, boost) in boosts {
            parser.set_field_boost(field, boost);
        }
        Ok(Planner { parser, fields })
    }

    fn parse(&self, text: &str) -> Result<UserInputAst, Error> {
        check_query_bounds(text)?;
        let text = rewrite_dates(text, "date")?;
        tantivy::query_grammar::parse_query(&text).map_err(|_| {
            // The lenient parser explains syntax errors precisely ("missing delimiter \"").
            let (_, lenient) = self.parser.parse_query_lenient(&text);
            let message = lenient
                .first()
                .map_or_else(|| format!("cannot parse `{text}`"), ToString::to_string);
            Error::Query(message)
        })
    }

    fn expander<'a>(&self, searcher: &'a Searcher) -> ProcliticExpander<'a> {
        ProcliticExpander::new(
            searcher,
            self.fields
                .iter()
                .map(|f| (f.name.clone(), f.field, f.analyzer.clone()))
                .collect(),
        )
    }

    /// Applies the options: exact marking, aliases, proclitic expansion, exact fields.
    fn rewrite(
        &self,
        ast: UserInputAst,
        searcher: &Searcher,
        options: QueryOptions,
        aliases: &AliasTable,
    ) -> Result<UserInputAst, Error> {
        let ast = self.expand_fuzzy(ast, searcher);
        let ast = if options.exact { mark_exact(ast) } else { ast };
        let ast = if options.expand_aliases {
            expand_aliases(ast, aliases)
        } else {
            ast
        };
        // Exact literals name no real field, so the expander leaves them alone.
        let ast = if options.expand_proclitics {
            self.expander(searcher).expand(ast)
        } else {
            ast
        };
        let surface: Vec<&str> = self
            .fields
            .iter()
            .filter(|f| f.surface)
            .map(|f| f.name.as_str())
            .collect();
        resolve_exact(ast, &surface)
    }

    /// Replaces each `word~N` by the word and its spelling variants found in the surface
    /// fields (see [`super::fuzzy`]).
    fn expand_fuzzy(&self, ast: UserInputAst, searcher: &Searcher) -> UserInputAst {
        let surface: Vec<&SearchedField> = self.fields.iter().filter(|f| f.surface).collect();
        let fields: Vec<Field> = surface.iter().map(|f| f.field).collect();
        let mut analyzer = surface.first().map(|f| f.analyzer.clone());
        map_literals(ast, &mut |literal| {
            let leaf = |literal: UserInputLiteral| {
                UserInputAst::Leaf(Box::new(UserInputLeaf::Literal(literal)))
            };
            let Some((word, edits)) = fuzzy::parse_fuzzy(&literal.phrase) else {
                return leaf(literal);
            };
            let term = analyzer
                .as_mut()
                .and_then(|a| a.token_stream(word).next().map(|t| t.text.clone()));
            let found =
                term.map_or_else(Vec::new, |t| fuzzy::variants(searcher, &fields, &t, edits));
            let written = UserInputLiteral {
                phrase: word.to_string(),
                ..literal.clone()
            };
            if found.is_empty() {
                return leaf(written);
            }
            let variants = found
                .into_iter()
                .map(|phrase| {
                    let variant = UserInputLiteral {
                        phrase,
                        ..written.clone()
                    };
                    (Some(Occur::Should), leaf(variant))
                })
                .collect();
            UserInputAst::Clause(vec![
                (Some(Occur::Should), leaf(written)),
                (
                    Some(Occur::Should),
                    UserInputAst::Boost(
                        Box::new(UserInputAst::Clause(variants)),
                        fuzzy::FUZZY_BOOST.into(),
                    ),
                ),
            ])
        })
    }

    fn build(&self, ast: UserInputAst) -> Result<Box<dyn Query>, Error> {
        self.parser
            .build_query_from_user_input_ast(ast)
            .map_err(|e| Error::Query(e.to_string()))
    }
}

/// Adds to each name of the alias table the other members of its group, at a lower weight;
/// multi-word members are searched as phrases. Exact and prefix literals are left alone.
fn expand_aliases(ast: UserInputAst, aliases: &AliasTable) -> UserInputAst {
    map_literals(ast, &mut |literal| {
        let leaf = |literal: UserInputLiteral| {
            UserInputAst::Leaf(Box::new(UserInputLeaf::Literal(literal)))
        };
        let found = if literal.prefix || literal.field_name.as_deref() == Some(EXACT_FIELD) {
            vec![]
        } else {
            aliases.aliases_of(&literal.phrase)
        };
        if found.is_empty() {
            return leaf(literal);
        }
        let members = found
            .into_iter()
            .map(|member| {
                let delimiter = if member.contains(char::is_whitespace) {
                    Delimiter::DoubleQuotes
                } else {
                    literal.delimiter
                };
                let alias = UserInputLiteral {
                    phrase: member,
                    delimiter,
                    slop: 0,
                    ..literal.clone()
                };
                (Some(Occur::Should), leaf(alias))
            })
            .collect();
        UserInputAst::Clause(vec![
            (Some(Occur::Should), leaf(literal)),
            (
                Some(Occur::Should),
                UserInputAst::Boost(Box::new(UserInputAst::Clause(members)), ALIAS_BOOST.into()),
            ),
        ])
    })
}

/// Makes every literal without a field an exact one.
fn mark_exact(ast: UserInputAst) -> UserInputAst {
    map_literals(ast, &mut |mut literal| {
        if literal.field_name.is_none() {
            literal.field_name = Some(EXACT_FIELD.to_string());
        }
        UserInputAst::Leaf(Box::new(UserInputLeaf::Literal(literal)))
    })
}

/// Replaces each exact literal by the same literal in every surface field.
fn resolve_exact(ast: UserInputAst, surface: &[&str]) -> Result<UserInputAst, Error> {
    let mut missing = false;
    let ast = map_literals(ast, &mut |literal| {
        if literal.field_name.as_deref() != Some(EXACT_FIELD) {
            return UserInputAst::Leaf(Box::new(UserInputLeaf::Literal(literal)));
        }
        missing |= surface.is_empty();
        let in_field = |name: &&str| {
            let literal = UserInputLiteral {
                field_name: Some(name.to_string()),
                ..literal.clone()
            };
            (
                Some(Occur::Should),
                UserInputAst::Leaf(Box::new(UserInputLeaf::Literal(literal))),
            )
        };
        UserInputAst::Clause(surface.iter().map(in_field).collect())
    });
    if missing {
        return Err(Error::Query(format!(
            "exact search needs a field analyzed with `{}`, and this index's schema has none",
            analysis::SURFACE
        )));
    }
    Ok(ast)
}

/// Rebuilds a query, passing each literal through `f`.
fn map_literals(
    ast: UserInputAst,
    f: &mut dyn FnMut(UserInputLiteral) -> UserInputAst,
) -> UserInputAst {
    match ast {
        UserInputAst::Clause(clauses) => UserInputAst::Clause(
            clauses
                .into_iter()
                .map(|(occur, sub)| (occur, map_literals(sub, f)))
                .collect(),
        ),
        UserInputAst::Boost(sub, boost) => {
            UserInputAst::Boost(Box::new(map_literals(*sub, f)), boost)
        }
        UserInputAst::Leaf(leaf) => match *leaf {
            UserInputLeaf::Literal(literal) => f(literal),
            other => UserInputAst::Leaf(Box::new(other)),
        },
    }
}

/// Parses a user query against the index's default search fields, with Arabic words
/// expanded to their proclitic forms found through `searcher`.
pub fn parse_query(
    index: &RasdIndex,
    searcher: &Searcher,
    text: &str,
    options: QueryOptions,
    aliases: &AliasTable,
) -> Result<Box<dyn Query>, Error> {
    let planner = Planner::new(index)?;
    let ast = planner.rewrite(planner.parse(text)?, searcher, options, aliases)?;
    let query = planner.build(ast)?;
    // Files' record documents are not articles: `*` or `-word` alone must not find them.
    Ok(Box::new(RecordFields::new(index).articles_only(query)))
}

/// The terms one field gets from a word or phrase.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct FieldTerms {
    /// The fields (several when they analyze the text alike).
    pub fields: Vec<String>,
    /// Their terms, in order; empty when every word is a stop word there.
    pub terms: Vec<String>,
}

/// How one word or quoted phrase of a query is searched.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct LiteralDescription {
    /// The word or phrase as written (with its `field:` when given).
    pub text: String,
    /// Whether it matches surface forms only.
    pub exact: bool,
    /// The terms searched, field by field.
    pub terms: Vec<FieldTerms>,
    /// Proclitic forms found in the index, searched with a lower weight.
    pub variants: Vec<String>,
    /// Other names of the same entity, searched with a lower weight.
    pub aliases: Vec<String>,
    /// The name of their alias group.
    pub alias_group: Option<String>,
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

fn literals(ast: &UserInputAst, out: &mut Vec<UserInputLiteral>) {
    match ast {
        UserInputAst::Clause(clauses) => clauses.iter().for_each(|(_, sub)| literals(sub, out)),
        UserInputAst::Boost(sub, _) => literals(sub, out),
        UserInputAst::Leaf(leaf) => {
            if let UserInputLeaf::Literal(literal) = leaf.as_ref() {
                out.push(literal.clone());
            }
        }
    }
}

/// Describes how `text` is searched in `index`: the rewritten query and, for each word or
/// phrase, the terms of each field and the proclitic forms found in the index.
pub fn describe_query(
    index: &RasdIndex,
    searcher: &Searcher,
    text: &str,
    options: QueryOptions,
    aliases: &AliasTable,
) -> Result<QueryDescription, Error> {
    let mut planner = Planner::new(index)?;
    let ast = planner.parse(text)?;
    let ast = if options.exact { mark_exact(ast) } else { ast };
    let mut found = Vec::new();
    literals(&ast, &mut found);
    let expanded = planner.rewrite(ast, searcher, options, aliases)?;
    planner.build(expanded.clone())?;
    let mut described = Vec::with_capacity(found.len());
    for literal in found {
        let exact = literal.field_name.as_deref() == Some(EXACT_FIELD);
        let variants = if options.expand_proclitics && !exact {
            planner
                .expander(searcher)
                .literal_variants(&literal)
                .into_iter()
                .map(|v| v.text)
                .collect()
        } else {
            vec![]
        };
        let mut terms: Vec<FieldTerms> = Vec::new();
        for field in planner
            .fields
            .iter_mut()
            .filter(|f| match literal.field_name.as_deref() {
                None => true,
                Some(EXACT_FIELD) => f.surface,
                Some(name) => f.name == name,
            })
        {
            let field_terms = analysis::terms(&mut field.analyzer, &literal.phrase);
            match terms.iter_mut().find(|t| t.terms == field_terms) {
                Some(same) => same.fields.push(field.name.clone()),
                None => terms.push(FieldTerms {
                    fields: vec![field.name.clone()],
                    terms: field_terms,
                }),
            }
        }
        let expands = options.expand_aliases && !exact && !literal.prefix;
        let alias_group = aliases
            .group_of(&literal.phrase)
            .filter(|_| expands)
            .map(String::from);
        described.push(LiteralDescription {
            text: literal_text(&literal),
            exact,
            terms,
            variants,
            aliases: if expands {
                aliases.aliases_of(&literal.phrase)
            } else {
                vec![]
            },
            alias_group,
        });
    }
    Ok(QueryDescription {
        query: text.to_string(),
        expanded: render(&expanded, true),
        literals: described,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rewrite(q: &str) -> String {
        rewrite_dates(q, "date").unwrap()
    }

    #[test]
    fn inclusive_day_range_covers_the_last_day() {
        assert_eq!(
            rewrite("date:[2024-01-01 TO 2024-12-31]"),
            "date:[2024-01-01T00:00:00Z TO 2025-01-01T00:00:00Z}"
        );
        assert_eq!(
            rewrite("date:{2024-01-01 TO 2024-12-31}"),
            "date:[2024-01-02T00:00:00Z TO 2024-12-31T00:00:00Z}"
        );
    }

    #[test]
    fn years_months_and_open_bounds() {
        assert_eq!(
            rewrite("date:2023"),
            "date:[2023-01-01T00:00:00Z TO 2024-01-01T00:00:00Z}"
        );
        assert_eq!(
            rewrite("date:2023-12"),
            "date:[2023-12-01T00:00:00Z TO 2024-01-01T00:00:00Z}"
        );
        assert_eq!(
            rewrite("date:[2020 TO *]"),
            "date:[2020-01-01T00:00:00Z TO *}"
        );
        assert_eq!(rewrite("date:>=2023-05"), "date:>=2023-05-01T00:00:00Z");
        assert_eq!(rewrite("date:>2023-05"), "date:>=2023-06-01T00:00:00Z");
        assert_eq!(rewrite("date:<=2023-05-31"), "date:<2023-06-01T00:00:00Z");
        assert_eq!(rewrite("date:<2023"), "date:<2023-01-01T00:00:00Z");
    }

    #[test]
    fn other_text_is_untouched() {
        assert_eq!(
            rewrite("إرهاب AND (date:٢٠٢٤) \"date:x\""),
            "إرهاب AND (date:[2024-01-01T00:00:00Z TO 2025-01-01T00:00:00Z}) \"date:x\""
        );
        assert_eq!(rewrite("update:2024 mandate:x"), "update:2024 mandate:x");
    }

    #[test]
    fn bad_dates_are_errors() {
        for q in [
            "date:yesterday",
            "date:[2024 TO]",
            "date:[2024-01-01 TO 2024-13-01]",
            "date:[2024",
        ] {
            assert!(
                matches!(rewrite_dates(q, "date"), Err(Error::Query(_))),
                "{q}"
            );
        }
    }

    #[test]
    fn dates_outside_the_searchable_range_are_errors_or_cut_to_it() {
        for q in [
            "date:9999-12-31",
            "date:0000-01-01T00:00:00+01:00",
            "date:[1500 TO 1600]",
            "date:>=9999-12-31T23:00:00-02:00",
        ] {
            let Err(Error::Query(message)) = rewrite_dates(q, "date") else {
                panic!("{q} should be an error");
            };
            assert!(
                message
                    .ends_with("is outside the range rasd can search (1677-09-21 to 2262-04-11)"),
                "{message}"
            );
        }
        assert!(rewrite_dates("date:>=1500", "date").is_err());
        assert_eq!(rewrite("date:>=1677"), "date:>=1677-09-21T00:12:44Z");
        assert_eq!(
            rewrite("date:[2020 TO 2262]"),
            "date:[2020-01-01T00:00:00Z TO 2262-04-11T23:47:16Z}"
        );
    }

    #[test]
    fn nesting_counts_groups_and_nots_and_errs_high_after_a_quote() {
        assert_eq!(nesting_depth("a (b OR c) AND (d OR e)"), 1);
        assert_eq!(nesting_depth("((a)) b"), 2);
        assert_eq!(nesting_depth("NOT NOT a"), 2);
        assert_eq!(nesting_depth("NOTE that NOT(a)"), 1);
        // After a quote, `)` may be inside a phrase: it closes nothing.
        assert_eq!(nesting_depth("\"x\" (a) (b)"), 2);
        assert_eq!(nesting_depth(&"(\")\" ".repeat(150)), 150);
    }

    #[test]
    fn queries_too_long_or_too_deep_are_refused_with_one_line() {
        let deep = format!("{}a{}", "(".repeat(101), ")".repeat(101));
        let long = "word ".repeat(2_001);
        for (query, expected) in [
            (
                deep.as_str(),
                "nests groups `(…)` and NOTs more than 100 deep",
            ),
            (&"(".repeat(3_000), "more than 100 deep"),
            (&"NOT ".repeat(101), "more than 100 deep"),
            (
                long.as_str(),
                "the query is 10005 characters long; rasd accepts at most 10000",
            ),
        ] {
            let Err(Error::Query(message)) = check_query_bounds(query) else {
                panic!("{query:.20} should be refused");
            };
            assert!(message.contains(expected), "{message}");
            assert!(!message.contains('\n'));
        }
        let deepest = format!("{}a{}", "(".repeat(100), ")".repeat(100));
        assert!(check_query_bounds(&deepest).is_ok());
        assert!(check_query_bounds(&"word ".repeat(2_000)).is_ok());
    }
}

#[cfg(test)]
mod properties {
    use proptest::prelude::*;

    use super::*;

    /// Dates as people write them, and as they should not: far years, bad months, offsets.
    fn date_text() -> impl Strategy<Value = String> {
        prop_oneof![
            "[0-9]{4}",
            "[0-9]{4}-[0-9]{1,2}",
            "[0-9]{4}-[0-9]{2}-[0-9]{2}",
            "[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}(Z|[+-][0-9]{2}:[0-9]{2})",
            "[٠-٩]{4}(-[٠-٩]{2}){0,2}",
            Just("*".to_string()),
            "\\PC{0,12}",
        ]
    }

    /// A date expression: a bare date, a comparison or a range.
    fn date_expression() -> impl Strategy<Value = String> {
        (date_text(), date_text(), 0..7usize).prop_map(|(a, b, shape)| match shape {
            0 => format!("date:{a}"),
            1 => format!("date:>={a}"),
            2 => format!("date:<{a}"),
            3 => format!("date:[{a} TO {b}]"),
            4 => format!("date:{{{a} TO {b}}}"),
            5 => format!("date:[{a} TO {b}"),
            _ => format!("date: {a} OR date:<={b}"),
        })
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(512))]

        #[test]
        fn date_rewriting_never_panics(query in date_expression()) {
            let _ = rewrite_dates(&query, "date");
        }

        #[test]
        fn periods_in_range_are_well_formed(text in date_text()) {
            if let Ok(p) = period(&text) {
                prop_assert!(p.start < p.end);
                prop_assert!(date::SUPPORTED.start <= p.start && p.end <= date::SUPPORTED.end);
            }
        }

        #[test]
        fn query_bounds_never_panic(text in "\\PC{0,300}|[()\"' NOT\\\\a]{0,300}") {
            let _ = check_query_bounds(&text);
        }
    }
}
