//! Articles like the first hit: when the articles with every word and the partial matches
//! are fewer than the page, the page goes on with the articles most like the best-ranked
//! one (by its body's most telling terms, as `rasd similar` ranks related coverage). A query
//! that finds only a few articles mostly has more about the same events written in other
//! words: the ambush that the next dispatch calls an attack on a patrol, the spy ring a
//! verdict calls جواسيس.
//!
//! What the user made explicit still holds: fields, dates, filters and exclusions, as for
//! partial matches. A query with a required word (`+w`, `AND`) gets none: every article with
//! that word is a partial match already. Nor does a query of alternatives (`a OR b`) or
//! exact mode (`--exact`). Articles already shown, with every word or some, are
//! not listed again. Relevance order only: a page sorted by date lists what matched. At most
//! [`RELATED_MAX`] in all.

use tantivy::DocAddress;
use tantivy::collector::TopDocs;
use tantivy::query::{BooleanQuery, Occur, Query};

use super::hits;
use super::order;
use super::partial::unscored;
use super::query::{Part, Role};
use super::similar;
use super::statistics::ArticleStatistics;
use crate::error::{Context, Error};
use crate::store::RasdIndex;

/// The most articles like the first hit one search lists, on all its pages: a page of 100
/// (`-n 100`) with three matches is not filled with 97 articles that only resemble one.
pub(super) const RELATED_MAX: usize = 10;

/// The query of the articles like `first`: its like-terms, with every constraint and
/// exclusion of `parts` and the `filter`, and none of the articles the `shown` queries match.
/// `None` when the query has a required word or is a query of alternatives.
pub(super) fn related_query(
    index: &RasdIndex,
    statistics: &ArticleStatistics,
    first: DocAddress,
    parts: &[Part],
    filter: Option<&dyn Query>,
    shown: &[&dyn Query],
) -> Result<Option<Box<dyn Query>>, Error> {
    // An article with a required word is a partial match already, shown or counted: none
    // would be left to add.
    if parts
        .iter()
        .any(|p| matches!(p.role, Role::Alternative | Role::RequiredWord))
    {
        return Ok(None);
    }
    let body = hits::fetch(index, statistics.searcher(), first)?.body;
    // A term in most articles says nothing of likeness (`the`, in a small English archive).
    let max_articles = (statistics.searcher().num_docs() / 2).max(1);
    let like = similar::like(index, statistics.searcher(), body, max_articles)?;
    let mut clauses: Vec<(Occur, Box<dyn Query>)> = vec![(Occur::Must, like)];
    for part in parts {
        match part.role {
            Role::Constraint => clauses.push((Occur::Must, unscored(part.query.box_clone()))),
            Role::Exclusion => clauses.push((Occur::MustNot, part.query.box_clone())),
            Role::Word | Role::RequiredWord | Role::Alternative => {}
        }
    }
    if let Some(filter) = filter {
        clauses.push((Occur::Must, unscored(filter.box_clone())));
    }
    for query in shown {
        clauses.push((Occur::MustNot, query.box_clone()));
    }
    Ok(Some(Box::new(BooleanQuery::new(clauses))))
}

/// The best-ranked article of `query`, if any.
pub(super) fn first(
    statistics: &ArticleStatistics,
    query: &dyn Query,
) -> Result<Option<DocAddress>, Error> {
    let top = statistics
        .search(query, &order::by_score(TopDocs::with_limit(1)))
        .context(|| "the search for the first hit failed".to_string())?;
    Ok(top.first().map(|(_, address)| *address))
}
