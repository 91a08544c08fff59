//! Partial matches: when fewer articles than a page have every word of a query, the page goes
//! on with the articles that have most of them, ranked by how many words they have, then as
//! the request asks (relevance or date). What the user made explicit is never loosened:
//! required words (`+w`, `AND`), fields, dates, filters and exclusions hold for every
//! partial match too (see [`Role`]).
//!
//! One query does it: each word scores [`WORD_WEIGHT`] when it matches (plus its relevance,
//! when ranking by relevance), so the number of words an article has is its score divided by
//! [`WORD_WEIGHT`], and articles with more words rank above any with fewer. The articles with
//! every word, already shown, are skipped by their count.

use tantivy::collector::{Collector, SegmentCollector, TopDocs};
use tantivy::query::{BooleanQuery, ConstScoreQuery, EnableScoring, Occur, Query};
use tantivy::{DocAddress, DocId, DocSet, Order, Score, Searcher, SegmentOrdinal};

use super::order;
use super::query::{Part, Role};
use super::statistics::ArticleStatistics;
use super::{SortOrder, TopDocuments};
use crate::error::{Context, Error};

/// What a matching word adds to an article's score: more than any article's relevance to a
/// query (BM25 sums stay in the tens, or hundreds with many fields and variants), so that the
/// number of words decides first; and small enough that scores keep their precision in `f32`
/// (about 0.004 with ten words). Only a query boosting its own words a thousandfold
/// (`word^1000`) could blur the count; the words a hit shows are counted exactly apart.
pub(super) const WORD_WEIGHT: Score = 4096.0;

/// What the partial matches of a query were.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PartialMatches {
    /// The words (and phrases) of the query.
    pub words: usize,
    /// The articles with some of the words, not all.
    pub articles: usize,
    /// The most words a partial match has.
    pub best: usize,
    /// The articles that have that many.
    pub best_articles: usize,
}

/// The query of the partial matches: every constraint and exclusion as written, each word
/// optional and weighing [`WORD_WEIGHT`]; at least one word (the required ones count). `None` when nothing can be
/// loosened: fewer than two words, no unmarked word, or an explicit `OR`.
pub(super) fn loosened_query(
    parts: &[Part],
    with_roots: Option<&dyn Query>,
    filter: Option<&dyn Query>,
    sort: SortOrder,
) -> Option<Box<dyn Query>> {
    let words = parts.iter().filter(|p| p.role.is_word()).count();
    let loosenable = parts.iter().any(|p| p.role == Role::Word);
    let alternatives = parts.iter().any(|p| p.role == Role::Alternative);
    if words < 2 || !loosenable || alternatives {
        return None;
    }
    let mut clauses: Vec<(Occur, Box<dyn Query>)> = Vec::new();
    for part in parts {
        let query = part.query.box_clone();
        match part.role {
            Role::Word => clauses.push((Occur::Should, weighted(part, sort))),
            Role::RequiredWord => clauses.push((Occur::Must, weighted(part, sort))),
            Role::Constraint => clauses.push((Occur::Must, unscored(query))),
            Role::Exclusion => clauses.push((Occur::MustNot, query)),
            Role::Alternative => unreachable!("queries with OR are not loosened"),
        }
    }
    if let Some(filter) = filter {
        clauses.push((Occur::Must, unscored(filter.box_clone())));
    }
    // The articles with every word, some through words of the same root, are listed before
    // (see `PlannedQuery::same_root`): with the matches, they are left out, and the partial
    // matches are those with fewer words.
    if let Some(with_roots) = with_roots {
        clauses.push((Occur::MustNot, with_roots.box_clone()));
    }
    // An article with a required word is a partial match already; otherwise it needs one
    // of the words, or every article of a filter would be one.
    let required = parts.iter().any(|p| p.role == Role::RequiredWord);
    let minimum = usize::from(!required);
    Some(Box::new(BooleanQuery::with_minimum_required_clauses(
        clauses, minimum,
    )))
}

/// A word that adds [`WORD_WEIGHT`] when it matches, plus its relevance when ranking by it.
/// An article that has an unmarked word only through words of the same root matches it but
/// does not have it: it adds no [`WORD_WEIGHT`], and ranks below those with more words. A
/// required word must be had itself.
fn weighted(part: &Part, sort: SortOrder) -> Box<dyn Query> {
    let word = part.query.box_clone();
    let itself = part.itself();
    let counted = Box::new(ConstScoreQuery::new(itself.box_clone(), WORD_WEIGHT));
    let (has_it, word) = match (sort, part.without_roots.is_some()) {
        (SortOrder::Relevance, false) => (Occur::Must, word),
        (SortOrder::Newest | SortOrder::Oldest, false) => return counted,
        (SortOrder::Relevance, true) => (Occur::Should, word),
        (SortOrder::Newest | SortOrder::Oldest, true) => (Occur::Should, unscored(word)),
    };
    let has_it = match part.role {
        Role::RequiredWord => Occur::Must,
        _ => has_it,
    };
    Box::new(BooleanQuery::new(vec![
        (has_it, counted),
        (Occur::Must, word),
    ]))
}

/// A clause that filters without scoring.
pub(super) fn unscored(query: Box<dyn Query>) -> Box<dyn Query> {
    Box::new(ConstScoreQuery::new(query, 0.0))
}

/// The number of words an article's score in the loosened query stands for.
fn words_of(score: Score) -> usize {
    (score / WORD_WEIGHT).floor() as usize
}

/// The relevance part of a score in the loosened query.
fn relevance_of(score: Score) -> Score {
    score - words_of(score) as Score * WORD_WEIGHT
}

/// Collects the partial matches of a page: skips the `strict` articles that have every
/// word (they rank first), then `skip` partial matches, and returns the next `limit`, with
/// what the partial matches were.
pub(super) fn collect(
    statistics: &ArticleStatistics,
    loosened: &dyn Query,
    words: usize,
    strict: usize,
    skip: usize,
    limit: usize,
    sort: SortOrder,
) -> Result<(TopDocuments, PartialMatches), Error> {
    let failed = || "the search for partial matches failed".to_string();
    let histogram = WordsHistogram { words };
    let offset = strict + skip;
    let (top, counts): (TopDocuments, Vec<u64>) = if limit == 0 {
        (
            vec![],
            statistics.search(loosened, &histogram).context(failed)?,
        )
    } else {
        let top_docs = TopDocs::with_limit(limit).and_offset(offset);
        match sort {
            SortOrder::Relevance => {
                let (top, counts) = statistics
                    .search(loosened, &(order::by_score(top_docs), histogram))
                    .context(failed)?;
                let top = top
                    .into_iter()
                    .map(|((score, _), address)| (relevance_of(score), address))
                    .collect();
                (top, counts)
            }
            SortOrder::Newest | SortOrder::Oldest => {
                let direction = if sort == SortOrder::Newest {
                    Order::Desc
                } else {
                    Order::Asc
                };
                // The loosened query's scores count words alone here.
                let by_words_then_date = order::by_score_then_date(top_docs, direction);
                let (top, counts) = statistics
                    .search(loosened, &(by_words_then_date, histogram))
                    .context(failed)?;
                let top = top.into_iter().map(|(_, address)| (0.0, address)).collect();
                (top, counts)
            }
        }
    };
    let articles = counts[..words].iter().sum::<u64>() as usize;
    let best = (1..words).rev().find(|&n| counts[n] > 0).unwrap_or(0);
    Ok((
        top,
        PartialMatches {
            words,
            articles,
            best,
            best_articles: counts[best] as usize,
        },
    ))
}

/// Counts the matching articles by their number of words (index 0 to `words`).
struct WordsHistogram {
    words: usize,
}

struct SegmentWordsHistogram {
    counts: Vec<u64>,
}

impl Collector for WordsHistogram {
    type Fruit = Vec<u64>;
    type Child = SegmentWordsHistogram;

    fn for_segment(
        &self,
        _: SegmentOrdinal,
        _: &tantivy::SegmentReader,
    ) -> tantivy::Result<SegmentWordsHistogram> {
        Ok(SegmentWordsHistogram {
            counts: vec![0; self.words + 1],
        })
    }

    fn requires_scoring(&self) -> bool {
        true
    }

    fn merge_fruits(&self, segments: Vec<Vec<u64>>) -> tantivy::Result<Vec<u64>> {
        let mut total = vec![0; self.words + 1];
        for counts in segments {
            for (sum, n) in total.iter_mut().zip(counts) {
                *sum += n;
            }
        }
        Ok(total)
    }
}

impl SegmentCollector for SegmentWordsHistogram {
    type Fruit = Vec<u64>;

    fn collect(&mut self, _: DocId, score: Score) {
        let words = words_of(score).min(self.counts.len() - 1);
        self.counts[words] += 1;
    }

    fn harvest(self) -> Vec<u64> {
        self.counts
    }
}

/// How many of the query's words each of `documents` has.
pub(super) fn matched_words(
    searcher: &Searcher,
    parts: &[Part],
    documents: &[DocAddress],
) -> Result<Vec<usize>, Error> {
    let mut counts = vec![0; documents.len()];
    for part in parts.iter().filter(|p| p.role.is_word()) {
        let scoring = EnableScoring::disabled_from_searcher(searcher);
        // A word an article has only through words of the same root is not counted.
        visit_matches(searcher, part.itself(), scoring, documents, |i, _| {
            counts[i] += 1
        })?;
    }
    Ok(counts)
}

/// The words each of `documents` has only through words of the same root, as written.
pub(super) fn by_root(
    searcher: &Searcher,
    parts: &[Part],
    documents: &[DocAddress],
) -> Result<Vec<Vec<String>>, Error> {
    let mut words = vec![vec![]; documents.len()];
    // Words bound to a field too (`title:مختطف`): no exclusion has words of the same root.
    for part in parts {
        let Some((word, without_roots)) = &part.without_roots else {
            continue;
        };
        let with_roots = matching(searcher, &*part.query, documents)?;
        let without_roots = matching(searcher, &**without_roots, documents)?;
        for ((words, with), without) in words.iter_mut().zip(with_roots).zip(without_roots) {
            if with && !without {
                words.push(word.clone());
            }
        }
    }
    Ok(words)
}

/// Whether `query` matches each of `documents`.
pub(super) fn matching(
    searcher: &Searcher,
    query: &dyn Query,
    documents: &[DocAddress],
) -> Result<Vec<bool>, Error> {
    let mut matched = vec![false; documents.len()];
    let scoring = EnableScoring::disabled_from_searcher(searcher);
    visit_matches(searcher, query, scoring, documents, |i, _| {
        matched[i] = true
    })?;
    Ok(matched)
}

/// The relevance of each of `documents` to the loosened query ranked by relevance (what a
/// partial hit shows when the page is ordered by date), without its word weights.
pub(super) fn relevance(
    statistics: &ArticleStatistics,
    loosened_by_relevance: &dyn Query,
    documents: &[DocAddress],
) -> Result<Vec<Score>, Error> {
    let mut scores = vec![0.0; documents.len()];
    visit_matches(
        statistics.searcher(),
        loosened_by_relevance,
        statistics.scoring(),
        documents,
        |i, score| scores[i] = relevance_of(score),
    )?;
    Ok(scores)
}

/// Calls `matched(i, score)` for each of `documents` that `query` matches.
fn visit_matches(
    searcher: &Searcher,
    query: &dyn Query,
    scoring: EnableScoring,
    documents: &[DocAddress],
    mut matched: impl FnMut(usize, Score),
) -> Result<(), Error> {
    let failed = || "cannot look into the hits of a search".to_string();
    let weight = query.weight(scoring).context(failed)?;
    // Visit each segment's documents in increasing order, as doc sets are walked.
    let mut order: Vec<usize> = (0..documents.len()).collect();
    order.sort_by_key(|&i| documents[i]);
    let mut current: Option<(SegmentOrdinal, Box<dyn tantivy::query::Scorer>)> = None;
    for i in order {
        let address = documents[i];
        if current
            .as_ref()
            .is_none_or(|(s, _)| *s != address.segment_ord)
        {
            let reader = searcher.segment_reader(address.segment_ord);
            let scorer = weight.scorer(reader, 1.0).context(failed)?;
            current = Some((address.segment_ord, scorer));
        }
        let (_, scorer) = current.as_mut().expect("set above");
        let target = address.doc_id;
        if scorer.doc() < target {
            scorer.seek(target);
        }
        if scorer.doc() == target {
            matched(i, scorer.score());
        }
    }
    Ok(())
}
