//! Filters that narrow a search without changing its ranking: a date span, sources,
//! languages, tags, article ids. Each is a query that every hit must match.

use std::collections::BTreeSet;
use std::ops::Bound;

use tantivy::query::{
    BooleanQuery, ExistsQuery, Occur, Query, RangeQuery, TermQuery, TermSetQuery,
};
use tantivy::schema::IndexRecordOption;
use tantivy::{DateTime, Searcher, Term};

use super::query::dates::date_error;
use super::terms;
use crate::analysis::normalizer::is_invisible_mark;
use crate::dates::{Side, bound};
use crate::error::Error;
use crate::lang::{LANGS, normalize_lang};
use crate::store::RasdIndex;

/// What hits must match besides the query.
#[derive(Debug, Clone, Default)]
pub struct Filters {
    /// Published on or after this date (`YYYY`, `YYYY-MM` or `YYYY-MM-DD`: from its first day).
    pub since: Option<String>,
    /// Published on or before this date (`YYYY`, `YYYY-MM` or `YYYY-MM-DD`: to its last day).
    pub until: Option<String>,
    /// From one of these sources (any case).
    pub sources: Vec<String>,
    /// In one of these languages.
    pub langs: Vec<String>,
    /// With one of these tags.
    pub tags: Vec<String>,
    /// With one of these ids, exactly as stored (`rasd watch` shows only the articles a saved
    /// search has not reported yet). Empty: any id.
    pub ids: Vec<String>,
}

impl Filters {
    /// Whether no filter is set.
    pub fn is_empty(&self) -> bool {
        self.since.is_none()
            && self.until.is_none()
            && self.sources.is_empty()
            && self.langs.is_empty()
            && self.tags.is_empty()
            && self.ids.is_empty()
    }
}

fn date_bound(
    index: &RasdIndex,
    flag: &str,
    text: Option<&str>,
    pick_end: bool,
) -> Result<Bound<Term>, Error> {
    let Some(text) = text else {
        return Ok(Bound::Unbounded);
    };
    // Spaces around a date pasted into a flag (`--since ' 2024 '`) are no part of it.
    let text = text.trim();
    let side = if pick_end { Side::Until } else { Side::From };
    let Some(period) = bound(text, side).map_err(|e| date_error(Some(flag), text, e))? else {
        return Ok(Bound::Unbounded);
    };
    let instant = if pick_end { period.end } else { period.start };
    let term = Term::from_field_date(index.field("date"), DateTime::from_utc(instant));
    // The end of a period is the first instant after it.
    Ok(if pick_end {
        Bound::Excluded(term)
    } else {
        Bound::Included(term)
    })
}

/// A query matching any of `values` in a keyword field, analyzed as the field is.
fn any_of(index: &RasdIndex, field_name: &str, values: &[String]) -> Result<Box<dyn Query>, Error> {
    let field = index.field(field_name);
    let mut analyzer = index
        .index
        .tokenizer_for_field(field)
        .map_err(|e| Error::Internal(e.to_string()))?;
    let clauses = values
        .iter()
        .filter_map(|value| {
            let mut stream = analyzer.token_stream(value.trim());
            let term = stream.next()?.text.clone();
            let query: Box<dyn Query> = Box::new(TermQuery::new(
                Term::from_field_text(field, &term),
                IndexRecordOption::Basic,
            ));
            Some((Occur::Should, query))
        })
        .collect();
    Ok(Box::new(BooleanQuery::new(clauses)))
}

/// The languages a `--lang` or `lang:` value may name: rasd's own, and any other code the
/// index holds (an article's metadata may say `es`).
pub(crate) struct KnownLangs {
    in_index: BTreeSet<String>,
}

impl KnownLangs {
    /// The languages of the articles of the index `searcher` reads.
    pub(crate) fn of(searcher: &Searcher) -> KnownLangs {
        let in_index = match searcher.schema().get_field("lang") {
            Ok(field) => terms::matching(searcher, field, |_| true)
                .into_iter()
                .collect(),
            Err(_) => BTreeSet::new(),
        };
        KnownLangs { in_index }
    }

    /// The code of a language written as the metadata may write it (`ar`, `Arabic`,
    /// `français`, `fr-FR`), or why it names none known.
    pub(crate) fn resolve(&self, value: &str) -> Result<String, String> {
        let code = normalize_lang(value).ok_or_else(|| "no language given".to_string())?;
        if LANGS.contains(&code.as_str()) || self.in_index.contains(&code) {
            return Ok(code);
        }
        let others: Vec<&str> = self
            .in_index
            .iter()
            .map(String::as_str)
            .filter(|c| !LANGS.contains(c))
            .collect();
        let others = if others.is_empty() {
            String::new()
        } else {
            format!("; this index also has {}", others.join(", "))
        };
        Err(format!(
            "unknown language `{value}`: use ar, fr or en (or a name: arabic, العربية, \
             français, french, english…){others}"
        ))
    }
}

/// The query every hit must match, or `None` without filters.
pub fn filter_query(
    index: &RasdIndex,
    searcher: &Searcher,
    filters: &Filters,
) -> Result<Option<Box<dyn Query>>, Error> {
    if filters.is_empty() {
        return Ok(None);
    }
    // The index's languages are read only when a language is asked for.
    let langs = if filters.langs.is_empty() {
        vec![]
    } else {
        let known = KnownLangs::of(searcher);
        filters
            .langs
            .iter()
            .map(|value| {
                known
                    .resolve(value)
                    .map_err(|why| Error::Usage(format!("--lang: {why}")))
            })
            .collect::<Result<Vec<_>, _>>()?
    };
    let mut musts: Vec<(Occur, Box<dyn Query>)> = Vec::new();
    if filters.since.is_some() || filters.until.is_some() {
        let low = date_bound(index, "--since", filters.since.as_deref(), false)?;
        let high = date_bound(index, "--until", filters.until.as_deref(), true)?;
        if let (Bound::Included(from), Bound::Excluded(until)) = (&low, &high)
            && from.value().as_date() >= until.value().as_date()
        {
            // About the flags, not the query: a usage error, quoting their dates as typed.
            let typed = |value: Option<&str>| {
                value
                    .unwrap_or_default()
                    .trim_matches(|c: char| c.is_whitespace() || is_invisible_mark(c))
                    .to_string()
            };
            return Err(Error::Usage(format!(
                "--since `{}` is after --until `{}`: no date is in between",
                typed(filters.since.as_deref()),
                typed(filters.until.as_deref())
            )));
        }
        let dated: Box<dyn Query> = match (low, high) {
            // Open at both ends (`--since 1600`): every article with a date.
            (Bound::Unbounded, Bound::Unbounded) => {
                Box::new(ExistsQuery::new("date".to_string(), false))
            }
            (low, high) => Box::new(RangeQuery::new(low, high)),
        };
        musts.push((Occur::Must, dated));
    }
    for (field, values) in [
        ("source", &filters.sources),
        ("lang", &langs),
        ("tags", &filters.tags),
    ] {
        if !values.is_empty() {
            musts.push((Occur::Must, any_of(index, field, values)?));
        }
    }
    if !filters.ids.is_empty() {
        // Ids are indexed whole, as the indexer deletes and replaces them.
        let field = index.field("id");
        let ids = filters
            .ids
            .iter()
            .map(|id| Term::from_field_text(field, id));
        musts.push((Occur::Must, Box::new(TermSetQuery::new(ids))));
    }
    Ok(Some(Box::new(BooleanQuery::new(musts))))
}
