//! `rasd search`: run a query (`query/`), narrow it (`filters`), count facets (`facets`), and
//! make the hits of a page (`hits`).

pub mod aliases;
pub mod collapse;
pub mod explain;
pub mod facets;
pub mod filters;
pub mod forms;
pub mod fuzzy;
pub mod glossary;
mod hits;
pub mod names;
mod order;
mod partial;
pub mod proclitics;
pub mod query;
mod related;
pub mod similar;
pub mod snippet;
mod statistics;
mod terms;

use std::sync::Arc;

use serde::Serialize;
use tantivy::collector::TopDocs;
use tantivy::query::{BooleanQuery, Occur, Query};
use tantivy::{DocAddress, Score};

use crate::article::Metadata;
use crate::error::{Context, Error};
use crate::store::RasdIndex;
use crate::store::records::RecordFields;
pub use aliases::AliasTable;
pub use collapse::StoryCount;
pub use explain::ScoreExplanation;
pub use facets::{Facet, FacetCounts};
pub use filters::Filters;
pub use glossary::{Glossary, Language};
pub use hits::ArticleCache;
pub use partial::PartialMatches;
pub use query::{QueryDescription, QueryOptions, Vocabulary, describe_query};
pub use snippet::Snippet;
use statistics::ArticleStatistics;

/// The documents of one page, best first, with their scores.
type TopDocuments = Vec<(tantivy::Score, tantivy::DocAddress)>;

/// The most hits one search returns ([`SearchRequest::limit`]): enough to list a large archive
/// in one go (`-n 1000000 '*'`), yet a bound on what a mistyped number asks for.
pub const MAX_LIMIT: usize = 1_000_000;
/// The most hits one search skips ([`SearchRequest::offset`]).
pub const MAX_OFFSET: usize = 1_000_000;

/// A search to run.
#[derive(Debug, Clone, Default)]
pub struct SearchRequest {
    /// The query, in rasd's query syntax.
    pub query: String,
    /// Hits to return, at most [`MAX_LIMIT`].
    pub limit: usize,
    /// Hits to skip (for paging), at most [`MAX_OFFSET`].
    pub offset: usize,
    /// How to read the query.
    pub options: QueryOptions,
    /// What hits must match besides the query.
    pub filters: Filters,
    /// The order of the hits.
    pub sort: SortOrder,
    /// Facets to count over all matching articles.
    pub facets: Vec<Facet>,
    /// Explain each hit's score.
    pub explain: bool,
    /// The alias groups to expand names with; `None`: the built-in ones.
    pub aliases: Option<Arc<AliasTable>>,
    /// The glossary to translate terms with; `None`: the built-in one.
    pub glossary: Option<Arc<Glossary>>,
    /// Only articles with every word: no partial matches after them (`--all`).
    pub all_words: bool,
    /// When the articles with every word and the partial matches are fewer than the page,
    /// go on with the articles most like the first hit (see [`related`]); relevance order
    /// only. Off with `--all`.
    pub related: bool,
    /// Show each story once, its copies named under it, and count the page in stories (see
    /// [`collapse`]); with no page (`limit` 0, a count), count the stories of every match.
    pub collapse: bool,
    /// When collapsing, read the ids of the copies too (JSON lists them; the text line names
    /// outlets and dates): they are only in the document store, which costs a block's
    /// decompression per copy.
    pub copy_ids: bool,
}

/// How a hit was found.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Tier {
    /// With every word of the query.
    #[default]
    EveryWord,
    /// With every word, some only through words of the same root (see
    /// [`query::PlannedQuery::same_root`]).
    SameRoot,
    /// With some of them (see [`partial`]).
    Partial,
    /// Like the first hit (see [`related`]).
    Related,
}

/// The order of the hits.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum SortOrder {
    /// Most relevant first.
    #[default]
    Relevance,
    /// Newest first; equal dates by relevance; undated articles last.
    Newest,
    /// Oldest first; equal dates by relevance; undated articles last.
    Oldest,
}

/// One matching article.
#[derive(Debug, Clone, Serialize)]
pub struct Hit {
    /// 1-based rank across pages.
    pub rank: usize,
    /// BM25 relevance score.
    pub score: f32,
    pub id: String,
    pub path: String,
    pub title: Snippet,
    /// `YYYY-MM-DD`.
    pub date: Option<String>,
    #[serde(flatten)]
    pub meta: Metadata,
    /// The body around its best matches.
    pub snippet: Snippet,
    /// Why it scored as it did, when asked.
    pub explanation: Option<ScoreExplanation>,
    /// How many of the query's words (and phrases) the article has.
    pub matched_words: usize,
    /// How it was found: the matches come first, then the other tiers in their order.
    pub tier: Tier,
    /// When collapsing: the other copies of the article's story, best-ranked first.
    pub copies: Vec<Copy>,
    /// The query's words and expressions the article has only through their translation.
    pub translated: Vec<TranslatedMatch>,
    /// The query's words the article has only through words of the same root, as written.
    pub by_root: Vec<String>,
    /// The spellings in the other script through which alone the article has some of the
    /// query's names, as it writes them (`حكيم` for `Hakim`): those of its title and
    /// snippet, else of its body.
    pub transliterated: Vec<String>,
}

/// A word or expression of the query that a hit matched only in another language, through
/// the glossary.
#[derive(Debug, Clone, Serialize)]
pub struct TranslatedMatch {
    /// The word or expression as written in the query.
    pub term: String,
    /// The language of the glossary terms the article has.
    pub language: Language,
}

/// A copy of a hit's story, as the line under the hit names it.
#[derive(Debug, Clone, Serialize)]
pub struct Copy {
    /// Empty unless asked for ([`SearchRequest::copy_ids`]).
    pub id: String,
    pub source: Option<String>,
    /// `YYYY-MM-DD`.
    pub date: Option<String>,
}

/// The hits of one page, the number of all matching articles, and the facets asked for.
#[derive(Debug, Clone)]
pub struct SearchResults {
    pub hits: Vec<Hit>,
    /// The articles that match the query as written (with every word, none only through
    /// words of the same root).
    pub total: usize,
    /// When collapsing: the stories those articles tell.
    pub stories: Option<StoryCount>,
    /// The query's words and phrases (what `matched_words` counts).
    pub words: usize,
    /// The articles with every word, some only through words of the same root, that the page
    /// went on with, when fewer articles than the page matched.
    pub same_root: usize,
    /// The partial matches the page went on with, when fewer articles than the page had
    /// every word (see [`partial`]).
    pub partial: Option<PartialMatches>,
    /// The articles (or stories) like the first hit, on this page and the next, after the
    /// matches (see [`related`]).
    pub related: usize,
    pub facets: Vec<FacetCounts>,
    /// The query's words that no field indexes: all of them when the query has no other word
    /// (it then searches nothing), else those longer than any indexed word.
    pub stop_words: Vec<String>,
}

/// Orders a story's copies as its page is ordered: by date when the page is (newest or oldest
/// first, undated copies last, equal dates best-ranked first); best-ranked first otherwise,
/// as they were found. The walk finds copies in the page's order, but the pass beyond the
/// walk finds them by relevance.
fn sort_copies(copies: &mut [Copy], sort: SortOrder) {
    match sort {
        SortOrder::Relevance => {}
        // ISO dates sort as text; the sort is stable, so equal dates keep their rank.
        SortOrder::Newest => copies.sort_by(|a, b| match (&a.date, &b.date) {
            (Some(a), Some(b)) => b.cmp(a),
            (a, b) => b.is_some().cmp(&a.is_some()),
        }),
        SortOrder::Oldest => copies.sort_by(|a, b| match (&a.date, &b.date) {
            (Some(a), Some(b)) => a.cmp(b),
            (a, b) => b.is_some().cmp(&a.is_some()),
        }),
    }
}

/// Refuses a page beyond [`MAX_LIMIT`] or [`MAX_OFFSET`].
fn check_page(request: &SearchRequest) -> Result<(), Error> {
    if request.limit > MAX_LIMIT {
        return Err(Error::Query(format!(
            "cannot return more than {MAX_LIMIT} hits at once (asked for {})",
            request.limit
        )));
    }
    if request.offset > MAX_OFFSET {
        return Err(Error::Query(format!(
            "cannot skip more than {MAX_OFFSET} hits (asked for {})",
            request.offset
        )));
    }
    Ok(())
}

/// Runs a search.
pub fn search(index: &RasdIndex, request: &SearchRequest) -> Result<SearchResults, Error> {
    run(index, request, None)
}

/// Runs a search whose hits take their articles' stored fields and analyzed texts from
/// `cache`, shared with other searches of `index` that may show the same articles.
pub fn search_sharing(
    index: &RasdIndex,
    request: &SearchRequest,
    cache: &ArticleCache,
) -> Result<SearchResults, Error> {
    run(index, request, Some(cache))
}

/// The most bytes of a body read for the spellings of a hit found by transliteration whose
/// snippet does not show them: far more than an article.
const TRANSLITERATED_BYTES: usize = 256 * 1024;

/// Runs a search, through `cache` when given.
fn run(
    index: &RasdIndex,
    request: &SearchRequest,
    cache: Option<&ArticleCache>,
) -> Result<SearchResults, Error> {
    check_page(request)?;
    let searcher = index.searcher()?;
    let statistics = ArticleStatistics::new(index, &searcher)?;
    let vocabulary = Vocabulary {
        aliases: request.aliases.as_deref().unwrap_or(AliasTable::builtin()),
        glossary: match (&request.glossary, request.options.translate) {
            (_, false) => Glossary::empty(),
            (Some(glossary), true) => glossary,
            (None, true) => Glossary::builtin(),
        },
    };
    let planned = query::parse_query(
        index,
        &searcher,
        &request.query,
        request.options,
        vocabulary,
    )?;
    let filter = filters::filter_query(index, &searcher, &request.filters)?;
    let strict = match &filter {
        None => planned.strict.box_clone(),
        Some(filter) => Box::new(BooleanQuery::new(vec![
            (Occur::Must, planned.strict.box_clone()),
            (Occur::Must, filter.box_clone()),
        ])),
    };
    let facets = facets::count(&searcher, &*strict, &request.facets)?;
    let words = planned.parts.iter().filter(|p| p.role.is_word()).count();
    let collapse = request.collapse && request.limit > 0;
    // Collapsed, a page counts stories: the walk starts at the top and takes more than a page.
    let needed = request.offset + request.limit;
    let mut walk = SearchRequest {
        offset: 0,
        limit: collapse::window(needed),
        ..request.clone()
    };
    let (mut top, mut total, mut matches);
    let mut stories = collapse::Stories::default();
    let signatures = if collapse {
        Some(collapse::Signatures::new(&searcher)?)
    } else {
        None
    };
    // The copies ranked below the walk are looked for among every match, listed in the pass
    // that ranks them, when there are few enough.
    let list = (collapse && needed <= collapse::NAMED_BEYOND_WALK).then_some(collapse::MatchList {
        limit: collapse::MATCHES_BEYOND_WALK,
    });
    loop {
        let page = if collapse { &walk } else { request };
        hits::Collected {
            top,
            total,
            matches,
        } = hits::collect(index, &statistics, &*strict, page, list)?;
        let Some(signatures) = &signatures else {
            break;
        };
        stories = collapse::Stories::with_capacity(top.len());
        for (score, address) in &top {
            stories.add(*score, *address, signatures.of(*address), Tier::EveryWord);
        }
        if stories.stories.len() >= needed || walk.limit >= total {
            break;
        }
        walk.limit = walk.limit.saturating_mul(4);
    }
    let beyond = total > stories.walked
        && total <= collapse::MATCHES_BEYOND_WALK
        && needed <= collapse::NAMED_BEYOND_WALK;
    if let (Some(signatures), true) = (&signatures, beyond) {
        stories.name_copies_beyond_walk(&searcher, signatures, needed, &top, &matches)?;
    }
    let story_count = match &signatures {
        Some(_) => Some(collapse::StoryCount {
            stories: stories.stories.len(),
            walked: stories.walked,
            exact: stories.walked >= total,
        }),
        // A count alone (no page) counts the stories of every match.
        None if request.collapse => Some(collapse::count_stories(&statistics, &*strict)?),
        None => None,
    };

    let records = RecordFields::new(index);
    let with_filter = |query: &dyn Query| -> Box<dyn Query> {
        let query = match &filter {
            None => query.box_clone(),
            Some(filter) => Box::new(BooleanQuery::new(vec![
                (Occur::Must, query.box_clone()),
                (Occur::Must, filter.box_clone()),
            ])),
        };
        Box::new(records.articles_only(query))
    };
    let shown = |stories: &collapse::Stories<DocAddress>, articles: usize| match collapse {
        true => stories.stories.len(),
        false => articles,
    };
    // Fewer articles (or stories) than the page asks for: go on with those that have some
    // words only through words of the same root.
    let short = needed > shown(&stories, total);
    let same_root = match &planned.same_root {
        Some(query) if short && !request.all_words => Some(with_filter(&**query)),
        _ => None,
    };
    let mut same_root_top = vec![];
    let mut same_root_total = 0;
    if let Some(query) = &same_root {
        let before = shown(&stories, total);
        let page = SearchRequest {
            offset: match collapse {
                true => 0,
                false => request.offset.saturating_sub(total),
            },
            limit: match collapse {
                true => collapse::window(needed - before),
                false => needed - total.max(request.offset),
            },
            ..request.clone()
        };
        let collected = hits::collect(index, &statistics, &**query, &page, None)?;
        same_root_top = collected.top;
        same_root_total = collected.total;
        if let Some(signatures) = &signatures {
            for (score, address) in &same_root_top {
                stories.add(*score, *address, signatures.of(*address), Tier::SameRoot);
            }
        }
    }
    // The articles with every word, through words of the same root or not.
    let every_word = total + same_root_total;

    // Still fewer: go on with partial matches.
    let short = needed > shown(&stories, every_word);
    let with_roots = planned.with_roots.as_deref();
    let loosened = if request.all_words || !short {
        None
    } else {
        partial::loosened_query(&planned.parts, with_roots, filter.as_deref(), request.sort)
    };
    let loosened = loosened.map(|q| records.articles_only(q));
    let mut partial = None;
    let mut partial_top = vec![];
    if let Some(loosened) = &loosened {
        let (skip, limit) = match collapse {
            true => (0, collapse::window(needed - shown(&stories, every_word))),
            false => (
                request.offset.saturating_sub(every_word),
                needed - every_word.max(request.offset),
            ),
        };
        // Their query leaves out every article with every word when some have words only
        // through words of the same root; otherwise it ranks the matches first.
        let ranked_first = if with_roots.is_some() { 0 } else { total };
        let (top, matches) = partial::collect(
            &statistics,
            loosened,
            words,
            ranked_first,
            skip,
            limit,
            request.sort,
        )?;
        partial_top = top;
        if request.sort != SortOrder::Relevance {
            // Ordered by words and date: the scores shown are still their relevance.
            let by_relevance = partial::loosened_query(
                &planned.parts,
                with_roots,
                filter.as_deref(),
                SortOrder::Relevance,
            )
            .map(|q| records.articles_only(q));
            if let Some(by_relevance) = by_relevance {
                let addresses: Vec<DocAddress> = partial_top.iter().map(|(_, a)| *a).collect();
                let scores = partial::relevance(&statistics, &by_relevance, &addresses)?;
                for ((score, _), relevance) in partial_top.iter_mut().zip(scores) {
                    *score = relevance;
                }
            }
        }
        partial = (matches.articles > 0).then_some(matches);
    }

    if let Some(signatures) = &signatures {
        for (score, address) in &partial_top {
            stories.add(*score, *address, signatures.of(*address), Tier::Partial);
        }
    }

    // Still fewer articles (or stories) than the page: go on with the articles like the
    // first hit.
    let found = shown(
        &stories,
        every_word + partial.as_ref().map_or(0, |p| p.articles),
    );
    // Exact mode asks for the forms written and nothing else.
    let wanted = request.related
        && !request.options.exact
        && request.sort == SortOrder::Relevance
        && needed > found;
    let mut related_query = None;
    let loosened_query = loosened.as_ref().map(|q| q as &dyn Query);
    let same_root_query = same_root.as_ref().map(|q| q as &dyn Query);
    // The first hit: of the matches, else of those with words of the same root, else of the
    // partial matches. The first two were collected by score: when from the top (a collapsed
    // page's walk, or a page from the first hit), the first collected is it. The partial
    // matches are ranked by their words first: their best-scored is searched for.
    let from_top = |top: &[(Score, DocAddress)], offset: usize| match collapse || offset == 0 {
        true => top.first().map(|(_, address)| *address),
        false => None,
    };
    let seed = if total > 0 {
        Some((&*strict, from_top(&top, request.offset)))
    } else if let Some(query) = same_root_query.filter(|_| same_root_total > 0) {
        let offset = request.offset.saturating_sub(total);
        Some((query, from_top(&same_root_top, offset)))
    } else {
        loosened_query.map(|query| (query, None))
    };
    if wanted && let Some((seed_query, collected_first)) = seed {
        let mut shown: Vec<&dyn Query> = vec![&*strict];
        shown.extend(same_root_query);
        shown.extend(loosened_query);
        let first = match collected_first {
            Some(first) => Some(first),
            None => related::first(&statistics, seed_query)?,
        };
        if let Some(first) = first {
            related_query = related::related_query(
                index,
                &statistics,
                first,
                &planned.parts,
                filter.as_deref(),
                &shown,
            )?
            .map(|q| records.articles_only(q));
        }
    }
    // All of them are read, at most RELATED_MAX articles (or stories) however large the page
    // (a hint, not a listing), so that the last line counts them all and pages split one list.
    let mut related_top = vec![];
    let mut related_count = 0;
    if let Some(related_query) = &related_query {
        let limit = if collapse {
            collapse::window(related::RELATED_MAX)
        } else {
            related::RELATED_MAX
        };
        related_top = statistics
            .search(related_query, &order::by_score(TopDocs::with_limit(limit)))
            .context(|| "the search for articles like the first hit failed".to_string())?
            .into_iter()
            .map(|((score, _), address)| (score, address))
            .collect();
        match &signatures {
            Some(signatures) => {
                for (score, address) in &related_top {
                    stories.add(*score, *address, signatures.of(*address), Tier::Related);
                }
                // Their copies are counted in stories too.
                stories.stories.truncate(found + related::RELATED_MAX);
                related_count = stories.stories.len() - found;
            }
            None => {
                related_count = related_top.len();
                let skip = request.offset.saturating_sub(found);
                let take = needed - found.max(request.offset);
                related_top = related_top.into_iter().skip(skip).take(take).collect();
            }
        }
    }

    // The page: its stories' best-ranked copies, or its articles, in the order of the tiers.
    let (pages, copies): ([TopDocuments; 4], Vec<Vec<DocAddress>>) = match &signatures {
        Some(_) => {
            let page: Vec<collapse::Story> = stories
                .stories
                .into_iter()
                .skip(request.offset)
                .take(request.limit)
                .collect();
            let heads = |tier: Tier| {
                page.iter()
                    .filter(|s| s.tier == tier)
                    .map(|s| s.head)
                    .collect()
            };
            let pages = [
                heads(Tier::EveryWord),
                heads(Tier::SameRoot),
                heads(Tier::Partial),
                heads(Tier::Related),
            ];
            (pages, page.into_iter().map(|s| s.copies).collect())
        }
        None => ([top, same_root_top, partial_top, related_top], vec![]),
    };
    let [strict_page, same_root_page, partial_page, related_page] = pages;
    let strict_shown = strict_page.len();
    let every_word_shown = strict_shown + same_root_page.len();
    // Where the hits found through words of the same root may be.
    let by_root_shown = strict_shown..every_word_shown + partial_page.len();
    let mut documents: Vec<DocAddress> = strict_page.iter().map(|(_, a)| *a).collect();
    documents.extend(same_root_page.iter().map(|(_, a)| *a));
    documents.extend(partial_page.iter().map(|(_, a)| *a));
    documents.extend(related_page.iter().map(|(_, a)| *a));
    // Each tier's page, found by its own query, ranked on after the tiers before it.
    let tiers: [(Tier, Option<&dyn Query>, TopDocuments); 4] = [
        (Tier::EveryWord, Some(&*strict), strict_page),
        (Tier::SameRoot, same_root.as_deref(), same_root_page),
        (
            Tier::Partial,
            loosened.as_ref().map(|q| q as &dyn Query),
            partial_page,
        ),
        (
            Tier::Related,
            related_query.as_ref().map(|q| q as &dyn Query),
            related_page,
        ),
    ];
    let mut hits = Vec::new();
    for (tier, query, page) in tiers {
        let Some(query) = query else {
            continue;
        };
        let first = request.offset + hits.len();
        hits.extend(hits::hits(
            index,
            &statistics,
            query,
            &planned,
            request,
            first,
            (tier, page),
            cache,
        )?);
    }
    if signatures.is_some() {
        let copy_reader = hits::CopyReader::new(index, &searcher, request.copy_ids)?;
        for (hit, copies) in hits.iter_mut().zip(copies) {
            hit.copies = copies
                .into_iter()
                .map(|address| copy_reader.read(address))
                .collect::<Result<_, _>>()?;
            sort_copies(&mut hit.copies, request.sort);
        }
    }
    // An article with every word has each required one: only the words of an `OR` and the
    // partial matches are looked up (a lookup seeks every posting list of the word's forms).
    let every_word_required = planned
        .parts
        .iter()
        .filter(|p| p.role.is_word())
        .all(|p| p.occur == Occur::Must);
    let looked_up = if every_word_required { strict_shown } else { 0 };
    let matched = partial::matched_words(&searcher, &planned.parts, &documents[looked_up..])?;
    let matched = std::iter::repeat_n(words, looked_up).chain(matched);
    for (hit, matched) in hits.iter_mut().zip(matched) {
        hit.matched_words = matched;
    }
    let by_root = partial::by_root(&searcher, &planned.parts, &documents[by_root_shown.clone()])?;
    for (hit, words) in hits[by_root_shown].iter_mut().zip(by_root) {
        hit.by_root = words;
    }
    // The names an article has only in the other script: the spellings it has of them. Most
    // hits have the part as written; only the others are looked up with its names.
    for part in &planned.parts {
        let Some((keys, as_written)) = &part.names else {
            continue;
        };
        let as_written = partial::matching(&searcher, &**as_written, &documents)?;
        let (others, other_documents): (Vec<usize>, Vec<DocAddress>) = (as_written.iter())
            .zip(&documents)
            .enumerate()
            .filter(|(i, (as_written, _))| !**as_written && hits[*i].tier != Tier::Related)
            .map(|(i, (_, address))| (i, *address))
            .unzip();
        if others.is_empty() {
            continue;
        }
        let with_names = partial::matching(&searcher, &*part.query, &other_documents)?;
        for ((i, address), with_names) in others.into_iter().zip(other_documents).zip(with_names) {
            if !with_names {
                continue;
            }
            let hit = &mut hits[i];
            let texts = [hit.title.text.as_str(), hit.snippet.text.as_str()];
            let mut spellings = names::spellings_in(keys, &texts);
            if spellings.is_empty() {
                // Written only outside the snippet: read where, rather than say nothing (in
                // the body's first part: a book-length page is not analyzed whole for this).
                let stored = hits::fetch(index, &searcher, address)?;
                let mut end = stored.body.len().min(TRANSLITERATED_BYTES);
                while !stored.body.is_char_boundary(end) {
                    end -= 1;
                }
                spellings = names::spellings_in(keys, &[&stored.body[..end]]);
            }
            for spelling in spellings {
                if !hit.transliterated.contains(&spelling) {
                    hit.transliterated.push(spelling);
                }
            }
        }
    }
    let natively = match &planned.untranslated {
        Some(query) => partial::matching(&searcher, &**query, &documents)?,
        None => vec![true; documents.len()],
    };
    // Only an article the words as typed do not match can have been found through a
    // translation.
    let (others, other_documents): (Vec<usize>, Vec<DocAddress>) = documents
        .iter()
        .zip(&natively)
        .enumerate()
        .filter(|(_, (_, natively))| !**natively)
        .map(|(i, (address, _))| (i, *address))
        .unzip();
    let translations = match others.is_empty() {
        true => vec![],
        false => planned.translations.terms(&searcher, vocabulary)?,
    };
    for translation in &translations {
        let through = partial::matching(&searcher, &*translation.translated, &other_documents)?;
        // The term as typed is looked up only in the articles its translation matches, and
        // not at all when it matches none (a query's translations are often a dozen).
        let (found, found_documents): (Vec<usize>, Vec<DocAddress>) = (others.iter())
            .zip(&other_documents)
            .zip(through)
            .filter(|(_, through)| *through)
            .map(|((&i, &address), _)| (i, address))
            .unzip();
        if found.is_empty() {
            continue;
        }
        let natively_term = partial::matching(&searcher, &*translation.native, &found_documents)?;
        for (&i, natively_term) in found.iter().zip(natively_term) {
            if let Some(hit) = hits.get_mut(i)
                && !natively_term
            {
                hit.translated.push(TranslatedMatch {
                    term: translation.written.clone(),
                    language: translation.language,
                });
            }
        }
    }
    Ok(SearchResults {
        hits,
        total,
        stories: story_count,
        words,
        same_root: same_root_total,
        partial,
        related: related_count,
        facets,
        stop_words: if planned.parts.is_empty() {
            planned.stop_words
        } else {
            // Beside other words, a stop word is left out as expected; a word too long to be
            // indexed (a pasted address, a hash) is not, and the user is told.
            planned
                .stop_words
                .into_iter()
                .filter(|w| w.chars().count() > crate::analysis::long_words::MAX_WORD_CHARS)
                .collect()
        },
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn copies_follow_the_date_order_undated_last() {
        let copy = |id: &str, date: Option<&str>| Copy {
            id: id.into(),
            source: None,
            date: date.map(str::to_string),
        };
        let ids = |copies: &[Copy]| copies.iter().map(|c| c.id.clone()).collect::<Vec<_>>();
        let found = vec![
            copy("a", Some("2016-03-12")),
            copy("b", None),
            copy("c", Some("2016-03-14")),
            copy("d", Some("2016-03-12")),
        ];
        let mut copies = found.clone();
        sort_copies(&mut copies, SortOrder::Newest);
        assert_eq!(ids(&copies), ["c", "a", "d", "b"]);
        sort_copies(&mut copies, SortOrder::Oldest);
        assert_eq!(ids(&copies), ["a", "d", "c", "b"]);
        let mut copies = found;
        sort_copies(&mut copies, SortOrder::Relevance);
        assert_eq!(ids(&copies), ["a", "b", "c", "d"]);
    }
}
