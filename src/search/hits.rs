//! The hits of a page, in separate steps: collect the top documents (by relevance or by
//! date), fetch their stored fields, cut their snippets, and assemble each [`Hit`].

use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};
use std::sync::{Arc, Mutex, PoisonError};

use tantivy::collector::{Collector, Count, TopDocs};
use tantivy::columnar::{Column, StrColumn};
use tantivy::query::Query;
use tantivy::schema::{Field, IndexRecordOption, Value};
use tantivy::tokenizer::TextAnalyzer;
use tantivy::{DateTime, DocAddress, DocSet, Order, Score, Searcher, TantivyDocument, Term};

use super::collapse::MatchList;
use super::order;
use super::query::{Literals, PlannedQuery};
use super::snippet::{self, Analyzed, Phrases, Tokens, Weighing, Weights};
use super::statistics::ArticleStatistics;
use super::{Copy, Hit, SearchRequest, Snippet, SortOrder, Tier, TopDocuments, explain};
use crate::article::Metadata;
use crate::error::{Context, Error};
use crate::schema::{ArticlePart, FieldType};
use crate::store::RasdIndex;

/// Snippet length budget. tantivy counts it in bytes: about 160 Arabic or 320 Latin letters.
const SNIPPET_BYTES: usize = 320;
/// Length of the fallback snippet when the body has no match (title-only hits).
const LEADING_CHARS: usize = 160;
/// The most bytes of a body analyzed at a time for its snippet: far more than an article
/// (a few thousand), so that only a book-length text (a web page of 4 MB, whose snippets
/// took 0.2 s each analyzed whole) is looked at a part at a time.
const SNIPPET_PART_BYTES: usize = 64 * 1024;
/// The bytes a part of a long body shares with the one before: words together (a phrase,
/// a window of [`SNIPPET_BYTES`]) are together in some part.
const SNIPPET_PART_OVERLAP: usize = 4 * SNIPPET_BYTES;

/// How many hits of the page can exist among `documents`: tantivy's collectors reserve room
/// for `offset + limit` hits per segment, which must not be more than the index holds.
fn page_size(request: &SearchRequest, documents: u64) -> usize {
    let documents = usize::try_from(documents).unwrap_or(usize::MAX);
    request.limit.min(documents.saturating_sub(request.offset))
}

/// The documents a search collected: the page's, the number of all matching ones, and, when
/// asked, the list of those ([`MatchList`]).
pub(super) struct Collected {
    pub top: TopDocuments,
    pub total: usize,
    pub matches: Vec<(Score, DocAddress)>,
}

/// Runs `query` once with `top` and a count, and `list` when given.
fn collect_with<C: Collector>(
    statistics: &ArticleStatistics,
    query: &dyn Query,
    top: C,
    list: Option<MatchList>,
) -> tantivy::Result<(C::Fruit, usize, TopDocuments)> {
    match list {
        None => {
            let (top, total) = statistics.search(query, &(top, Count))?;
            Ok((top, total, vec![]))
        }
        Some(list) => statistics.search(query, &(top, Count, list)),
    }
}

/// Collects the page's documents in the request's order, counts all matching ones, and lists
/// them when `list` is given, in the same pass.
pub(super) fn collect(
    index: &RasdIndex,
    statistics: &ArticleStatistics,
    query: &dyn Query,
    request: &SearchRequest,
    list: Option<MatchList>,
) -> Result<Collected, Error> {
    let failed = || format!("search failed on the index at {}", index.path.display());
    let searcher = statistics.searcher();
    let limit = page_size(request, searcher.num_docs());
    if limit == 0 {
        let total = searcher.search(query, &Count).context(failed)?;
        return Ok(Collected {
            top: vec![],
            total,
            matches: vec![],
        });
    }
    let top_docs = TopDocs::with_limit(limit).and_offset(request.offset);
    let (top, total, matches) = match request.sort {
        // Every match ties: the stable keys order the page, in the one pass that counts.
        SortOrder::Relevance if order::scores_alike(query) => {
            let (top, total, matches) =
                collect_with(statistics, query, order::by_score(top_docs), list).context(failed)?;
            let top = top
                .into_iter()
                .map(|((score, _), address)| (score, address));
            (top.collect(), total, matches)
        }
        SortOrder::Relevance => {
            // By score alone, some more than the page, then the page's ties put in order;
            // again with the stable keys when equal scores cross an end of the page past
            // what was collected.
            let page_end = request.offset + limit;
            let room = page_end + 1 + order::TIE_ROOM;
            let documents = usize::try_from(searcher.num_docs()).unwrap_or(usize::MAX);
            let by_score =
                TopDocs::with_limit(room.min(documents).max(page_end + 1)).order_by_score();
            let (top, total, matches) =
                collect_with(statistics, query, by_score, list).context(failed)?;
            let complete = top.len() >= total;
            let page = order::stable_page(searcher, top, request.offset, limit, complete)
                .context(failed)?;
            let top = match page {
                Some(page) => page,
                None => statistics
                    .search(query, &order::by_score(top_docs))
                    .context(failed)?
                    .into_iter()
                    .map(|((score, _), address)| (score, address))
                    .collect(),
            };
            (top, total, matches)
        }
        // Undated articles last.
        SortOrder::Newest | SortOrder::Oldest => {
            let direction = match request.sort {
                SortOrder::Oldest => Order::Asc,
                _ => Order::Desc,
            };
            let (top, total, matches) =
                collect_with(statistics, query, order::by_date(top_docs, direction), list)
                    .context(failed)?;
            let top = top
                .into_iter()
                .map(|((_, (score, _)), address)| (score, address));
            (top.collect(), total, matches)
        }
    };
    Ok(Collected {
        top,
        total,
        matches,
    })
}

/// The stored fields of an article that a hit shows.
pub(super) struct Stored {
    pub id: String,
    pub path: String,
    pub title: String,
    pub body: String,
    /// `YYYY-MM-DD`.
    pub date: Option<String>,
    pub meta: Metadata,
}

/// The first text value of a field in a document.
fn first_text(doc: &TantivyDocument, field: Field) -> Option<String> {
    doc.get_first(field)
        .and_then(|v| v.as_str())
        .map(str::to_string)
}

/// Reads the stored fields of the article at `address`.
pub(super) fn fetch(
    index: &RasdIndex,
    searcher: &Searcher,
    address: DocAddress,
) -> Result<Stored, Error> {
    let doc: TantivyDocument = searcher
        .doc(address)
        .context(|| "cannot read a stored article".to_string())?;
    let text = |name: &str| first_text(&doc, index.field(name));
    Ok(Stored {
        id: text("id").unwrap_or_default(),
        path: text("path").unwrap_or_default(),
        title: text("title").unwrap_or_default(),
        body: text("body").unwrap_or_default(),
        date: doc
            .get_first(index.field("date"))
            .and_then(|v| v.as_datetime())
            .map(|d| d.into_utc().date().to_string()),
        meta: Metadata {
            source: text("source"),
            lang: text("lang"),
            url: text("url"),
            author: text("author"),
            tags: doc
                .get_all(index.field("tags"))
                .filter_map(|v| v.as_str().map(str::to_string))
                .collect(),
        },
    })
}

/// What the searches of one searcher share when they make hits of the same articles (the
/// saved searches of a `watch run`, which often show one new article): each article's stored
/// fields, read once, and its title and body, analyzed once per view. Only for the searches of
/// one opened index: documents are known by their address in its searcher.
#[derive(Default)]
pub struct ArticleCache {
    stored: Mutex<HashMap<DocAddress, Arc<Stored>>>,
    /// By article, view and where the text analyzed starts (a part of a long body).
    analyzed: Mutex<HashMap<(DocAddress, Field, usize), Arc<Analyzed>>>,
}

impl ArticleCache {
    /// The stored fields of the article at `address`, read at the first call. Two searches
    /// asking at once may both read it: the same fields, and no lock held while reading.
    fn stored(
        &self,
        index: &RasdIndex,
        searcher: &Searcher,
        address: DocAddress,
    ) -> Result<Arc<Stored>, Error> {
        let cached = |map: &Mutex<HashMap<DocAddress, Arc<Stored>>>| {
            map.lock()
                .unwrap_or_else(PoisonError::into_inner)
                .get(&address)
                .cloned()
        };
        if let Some(stored) = cached(&self.stored) {
            return Ok(stored);
        }
        let stored = Arc::new(fetch(index, searcher, address)?);
        let mut map = self.stored.lock().unwrap_or_else(PoisonError::into_inner);
        Ok(map.entry(address).or_insert(stored).clone())
    }

    /// The words of `text`, the article at `address`'s in `view`'s field from byte `start`,
    /// analyzed at the first call.
    fn analyzed(
        &self,
        address: DocAddress,
        view: &View,
        text: &str,
        start: usize,
    ) -> Arc<Analyzed> {
        let key = (address, view.field, start);
        let lock = || self.analyzed.lock().unwrap_or_else(PoisonError::into_inner);
        if let Some(analyzed) = lock().get(&key) {
            return analyzed.clone();
        }
        let analyzed = Arc::new(Analyzed::new(&view.analyzer, text));
        lock().entry(key).or_insert(analyzed).clone()
    }
}

/// Where a hit's texts are analyzed: in a search of its own, or through a cache shared with
/// other searches.
#[derive(Clone, Copy)]
struct Analysis<'c> {
    cache: Option<&'c ArticleCache>,
    address: DocAddress,
}

impl Analysis<'_> {
    /// `text` (the article's title or body, or the part of it from byte `start`) as `view`
    /// analyzes it.
    fn of(&self, view: &View, text: &str, start: usize) -> Arc<Analyzed> {
        match self.cache {
            Some(cache) => cache.analyzed(self.address, view, text, start),
            None => Arc::new(Analyzed::new(&view.analyzer, text)),
        }
    }
}

/// What cuts the snippets of one view of an article part: its analyzer, the terms it
/// highlights, and the only language it applies to.
struct View {
    field: Field,
    for_lang: Option<String>,
    analyzer: TextAnalyzer,
    /// The terms of the words as typed (see [`super::query::PlannedQuery::typed_terms`]).
    typed: Weights,
    /// Whether the view keeps words as written (`rasd_surface`): its terms of the words as
    /// typed are those words, not their stems.
    written: bool,
    /// The texts' words weighed by the terms of the words as typed ([`TYPED`]) and by every
    /// term of the query in the view ([`ALL`]), and the query's phrases in the view, whose
    /// words highlight only together.
    weighing: Weighing,
}

/// The sets of terms of [`View::weighing`]: the words as typed, and every term.
const TYPED: usize = 0;
const ALL: usize = 1;

impl View {
    fn applies_to(&self, lang: Option<&str>) -> bool {
        self.for_lang.is_none() || self.for_lang.as_deref() == lang
    }
}

/// The weights of those of `terms` in `field` that the index holds: rarer terms more, as
/// tantivy's `SnippetGenerator` weighs them.
fn weights_of<'t>(
    doc_freqs: &BTreeMap<Term, u64>,
    terms: impl Iterator<Item = &'t Term>,
    field: Field,
) -> Weights {
    let mut weights = BTreeMap::new();
    for term in terms.filter(|t| t.field() == field) {
        let value = term.value();
        let Some(text) = value.as_str() else {
            continue;
        };
        // A lone Latin letter (the `l` of `l'État`, the `d` of `trafic d'êtres`) is in
        // nearly every French text: highlighted, it would light up every elision.
        let mut letters = text.chars();
        if letters.next().is_some_and(|c| c.is_ascii_alphabetic()) && letters.next().is_none() {
            continue;
        }
        let doc_freq = doc_freqs.get(term).copied().unwrap_or(0);
        if doc_freq > 0 {
            // Compared with the words of a text lowercased, as tantivy's snippets compare
            // them: a name key (`lJRC`) too.
            let text = snippet::lower_case(text).into_owned();
            weights.insert(text, 1.0 / (1.0 + doc_freq as Score));
        }
    }
    weights
}

/// The terms of a query that snippets highlight, read from the index once for the title's
/// and the body's views.
struct QueryTerms {
    /// Every term the query searches.
    searched: BTreeSet<Term>,
    /// Those and the terms of the words as typed, with their document frequencies.
    doc_freqs: BTreeMap<Term, u64>,
    /// The terms that highlight (see [`QueryTerms::new`]).
    highlighted: BTreeSet<Term>,
}

impl QueryTerms {
    fn new(
        searcher: &Searcher,
        query: &dyn Query,
        typed: &BTreeSet<Term>,
    ) -> tantivy::Result<Self> {
        let mut terms = BTreeSet::new();
        // The terms searched as a word somewhere in the query, not only inside a phrase.
        let mut words = HashSet::new();
        query.query_terms(&mut |term, in_phrase| {
            terms.insert(term.clone());
            if !in_phrase {
                words.insert(term.clone());
            }
        });
        let mut doc_freqs = BTreeMap::new();
        for term in terms.iter().chain(typed) {
            if !doc_freqs.contains_key(term) {
                doc_freqs.insert(term.clone(), searcher.doc_freq(term)?);
            }
        }
        // A word that most articles have, inside a phrase the query added (`سطو على بنك`, a
        // translation of `bank robbery`), would light up each of its many occurrences
        // (`على`) while saying nothing of the match: it is highlighted only when typed.
        let articles = searcher.num_docs();
        let common = |term: &Term| {
            !words.contains(term) && !typed.contains(term) && doc_freqs[term] > articles / 2
        };
        let highlighted = terms.iter().filter(|t| !common(t)).cloned().collect();
        Ok(QueryTerms {
            searched: terms,
            doc_freqs,
            highlighted,
        })
    }
}

/// One [`View`] per indexed view of an article part (`body`, `body_surface`, `body_fr`…)
/// that the query searches: each highlights the words its own analyzer matched, so exact,
/// stemmed and French or English matches all show.
fn snippet_views(
    index: &RasdIndex,
    searcher: &Searcher,
    terms: &QueryTerms,
    planned: &PlannedQuery,
    part: ArticlePart,
) -> Result<Vec<View>, Error> {
    let typed = &planned.typed_terms;
    let Literals { exact, loose } = &planned.literals;
    let failed = || {
        format!(
            "cannot make snippets from the index at {}",
            index.path.display()
        )
    };
    // Only the views where some term of the query occurs: cutting a snippet analyzes each
    // hit's text again, for nothing in a view that cannot highlight (an Arabic word's
    // Latin name keys, a French view for an Arabic query).
    let queried: HashSet<Field> = (terms.searched.iter())
        .filter(|term| terms.doc_freqs[*term] > 0)
        .map(Term::field)
        .collect();
    let mut views = Vec::new();
    for spec in &index.schema.fields {
        let field = index.field(&spec.name);
        let is_view = spec.from == part && spec.indexed && spec.field_type == FieldType::Text;
        if !is_view || !queried.contains(&field) {
            continue;
        }
        let analyzer = searcher
            .index()
            .tokenizer_for_field(field)
            .context(failed)?;
        let all = weights_of(&terms.doc_freqs, terms.highlighted.iter(), field);
        let typed = weights_of(&terms.doc_freqs, typed.iter(), field);
        let phrases = Phrases::new(&analyzer, exact, loose);
        views.push(View {
            field,
            for_lang: spec.for_lang.clone(),
            analyzer,
            weighing: Weighing::new(&[&typed, &all], phrases),
            typed,
            written: spec.analyzer.as_deref() == Some(crate::analysis::SURFACE),
        });
    }
    Ok(views)
}

/// The snippet with the most highlighted words (the first of equals).
fn most_highlighted(snippets: impl Iterator<Item = Snippet>) -> Option<Snippet> {
    snippets.filter(|s| !s.highlights.is_empty()).fold(
        None,
        |best: Option<Snippet>, s| match best {
            Some(b) if b.highlights.len() >= s.highlights.len() => Some(b),
            _ => Some(s),
        },
    )
}

/// The snippet views of one query, for titles and bodies.
struct Snippets {
    titles: Vec<View>,
    bodies: Vec<View>,
}

impl Snippets {
    fn new(
        index: &RasdIndex,
        searcher: &Searcher,
        query: &dyn Query,
        planned: &PlannedQuery,
    ) -> Result<Self, Error> {
        let terms = QueryTerms::new(searcher, query, &planned.typed_terms).context(|| {
            format!(
                "cannot make snippets from the index at {}",
                index.path.display()
            )
        })?;
        Ok(Snippets {
            titles: snippet_views(index, searcher, &terms, planned, ArticlePart::Title)?,
            bodies: snippet_views(index, searcher, &terms, planned, ArticlePart::Body)?,
        })
    }

    /// The whole title, its matches highlighted by the view that found the most of the words
    /// as typed, then the most matches.
    fn title(&self, article: &Stored, analysis: Analysis) -> Snippet {
        let lang = article.meta.lang.as_deref();
        self.titles
            .iter()
            .filter(|view| view.applies_to(lang))
            .map(|view| {
                let analyzed = analysis.of(view, &article.title, 0);
                let tokens = Tokens::weigh(&analyzed, &view.weighing);
                let typed = Snippet::whole(&tokens, TYPED, &article.title)
                    .highlights
                    .len();
                (typed, Snippet::whole(&tokens, ALL, &article.title))
            })
            .filter(|(_, s)| !s.highlights.is_empty())
            // The first of equals.
            .rev()
            .max_by_key(|(typed, s)| (*typed, s.highlights.len()))
            .map(|(_, s)| s)
            .unwrap_or_else(|| Snippet::whole_plain(&article.title))
    }

    /// The body around its best matches of the words as typed, or of any word of the query
    /// when it has none of those (found through an alias or another form), or its beginning
    /// when it has no match at all. Each view analyzes the body once, a part
    /// ([`SNIPPET_PART_BYTES`]) at a time as far as the first part that has every word as
    /// typed, written as typed; the snippet comes from the part with the most of them (the
    /// first of equals), so that a long body costs its first part when it starts with them.
    fn body(
        &self,
        searcher: &Searcher,
        article: &Stored,
        analysis: Analysis,
    ) -> Result<Snippet, Error> {
        let lang = article.meta.lang.as_deref();
        let body = &article.body;
        let views: Vec<&View> = self.bodies.iter().filter(|v| v.applies_to(lang)).collect();
        // The words as typed that the article has: once a part has them all, no later part
        // has more (a body of one part needs no such count).
        let long = body.len() > SNIPPET_PART_BYTES;
        let mut typed = 0;
        if long {
            for view in views.iter().filter(|v| v.written) {
                typed += typed_in_article(searcher, view, analysis.address)?;
            }
        }
        // The best snippet so far: how many words as typed its part has, the snippet, and
        // whether it ends against its part's end.
        let mut best: Option<(usize, Snippet, bool)> = None;
        for part in snippet::parts(body, SNIPPET_PART_BYTES, SNIPPET_PART_OVERLAP) {
            let text = &body[part.clone()];
            let analyzed: Vec<Arc<Analyzed>> = views
                .iter()
                .map(|view| analysis.of(view, text, part.start))
                .collect();
            let tokens: Vec<Tokens> = views
                .iter()
                .zip(&analyzed)
                .map(|(view, analyzed)| Tokens::weigh(analyzed, &view.weighing))
                .collect();
            let best_in = |set| {
                let best = |tokens: &Tokens| match set {
                    TYPED => Snippet::best_preferring(tokens, TYPED, ALL, text, SNIPPET_BYTES),
                    _ => Snippet::best(tokens, ALL, text, SNIPPET_BYTES),
                };
                most_highlighted(tokens.iter().filter_map(best))
            };
            let mut improved = false;
            if let Some(snippet) = best_in(TYPED).or_else(|| best_in(ALL)) {
                let found: usize = match long {
                    true => views
                        .iter()
                        .zip(&analyzed)
                        .filter(|(view, _)| view.written)
                        .map(|(view, analyzed)| analyzed.has_of(&view.typed))
                        .sum(),
                    false => 0,
                };
                // A window against the part's end has no words after it: the next part,
                // which holds them too, shows them, if it does as well.
                let at_edge = !snippet.cut_after && part.end < body.len();
                improved = best
                    .as_ref()
                    .is_none_or(|(most, _, edge)| found > *most || *edge && found >= *most);
                if improved {
                    best = Some((found, snippet.within(body, &part), at_edge));
                }
            }
            // Every word found: a part that adds none ends the search, with or without a
            // snippet of its own.
            if let Some((most, _, edge)) = &best
                && *most >= typed
                && (!edge || !improved)
            {
                break;
            }
        }
        Ok(best
            .map(|(_, snippet, _)| snippet)
            .unwrap_or_else(|| Snippet::leading(body, LEADING_CHARS)))
    }
}

/// How many of `view`'s terms of the words as typed the article at `address` has, read from
/// the index.
fn typed_in_article(searcher: &Searcher, view: &View, address: DocAddress) -> Result<usize, Error> {
    let failed = || "cannot read the index for a snippet".to_string();
    let reader = searcher.segment_reader(address.segment_ord);
    let index = reader.inverted_index(view.field).context(failed)?;
    let mut has = 0;
    for text in view.typed.keys() {
        let term = Term::from_field_text(view.field, text);
        let postings = index
            .read_postings(&term, IndexRecordOption::Basic)
            .context(failed)?;
        if postings.is_some_and(|mut postings| postings.seek(address.doc_id) == address.doc_id) {
            has += 1;
        }
    }
    Ok(has)
}

/// Turns the page's documents of one tier (`page`) into hits: stored fields, snippets and,
/// when asked, the explanation of each score; the stored fields and analyzed texts through
/// `cache` when given.
#[allow(clippy::too_many_arguments)]
pub(super) fn hits(
    index: &RasdIndex,
    statistics: &ArticleStatistics,
    query: &dyn Query,
    planned: &PlannedQuery,
    request: &SearchRequest,
    first_rank: usize,
    (tier, top): (Tier, TopDocuments),
    cache: Option<&ArticleCache>,
) -> Result<Vec<Hit>, Error> {
    // An empty page (`--count`) needs no snippet generators, which read the index.
    if top.is_empty() {
        return Ok(vec![]);
    }
    let searcher = statistics.searcher();
    let snippets = Snippets::new(index, searcher, query, planned)?;
    let mut hits = Vec::with_capacity(top.len());
    for (i, (score, address)) in top.into_iter().enumerate() {
        let article = match cache {
            Some(cache) => cache.stored(index, searcher, address)?,
            None => Arc::new(fetch(index, searcher, address)?),
        };
        let analysis = Analysis { cache, address };
        let explanation = if request.explain {
            Some(explain::explain(index, statistics, query, address)?)
        } else {
            None
        };
        hits.push(Hit {
            rank: first_rank + i + 1,
            score,
            explanation,
            title: snippets.title(&article, analysis),
            snippet: snippets.body(searcher, &article, analysis)?,
            id: article.id.clone(),
            path: article.path.clone(),
            date: article.date.clone(),
            meta: article.meta.clone(),
            matched_words: 0,
            tier,
            copies: vec![],
            translated: vec![],
            by_root: vec![],
            transliterated: vec![],
        });
    }
    Ok(hits)
}

/// A segment's `source` and `date` columns, if any of its articles has one.
type CopyColumns = (Option<StrColumn>, Option<Column<DateTime>>);

/// Reads the copies of the hits' stories as the line under a hit names them. The outlet and
/// the date come from the `source` and `date` columns when the schema keeps them there (the
/// built-in one does), so that a copy costs no read of the document store: each article read
/// there decompresses a block of it, which was most of what naming a page's copies cost. The
/// id is only in the store, and is read when asked ([`SearchRequest::copy_ids`]).
pub(super) struct CopyReader<'a> {
    index: &'a RasdIndex,
    searcher: &'a Searcher,
    /// Per segment, the `source` and `date` columns; `None` when the copies are read from the
    /// store (their ids are asked for, or the schema keeps no such columns).
    columns: Option<Vec<CopyColumns>>,
}

impl<'a> CopyReader<'a> {
    /// A reader of the copies of `searcher`'s articles, with their ids when `ids`.
    pub fn new(
        index: &'a RasdIndex,
        searcher: &'a Searcher,
        ids: bool,
    ) -> Result<CopyReader<'a>, Error> {
        let fast = |name: &str| index.schema.field(name).is_some_and(|f| f.fast);
        let columns = match !ids && fast("source") && fast("date") {
            true => Some(
                searcher
                    .segment_readers()
                    .iter()
                    .map(|segment| {
                        let columns = segment.fast_fields();
                        // A segment none of whose articles has a source or a date has no
                        // such column.
                        Ok((
                            columns.str("source")?,
                            columns.column_opt::<DateTime>("date")?,
                        ))
                    })
                    .collect::<tantivy::Result<Vec<_>>>()
                    .context(|| "cannot read the copies' sources and dates".to_string())?,
            ),
            false => None,
        };
        Ok(CopyReader {
            index,
            searcher,
            columns,
        })
    }

    /// The article at `address`, as a copy of a hit's story.
    pub fn read(&self, address: DocAddress) -> Result<Copy, Error> {
        let Some(columns) = &self.columns else {
            let article = fetch(self.index, self.searcher, address)?;
            return Ok(Copy {
                id: article.id,
                source: article.meta.source,
                date: article.date,
            });
        };
        let (sources, dates) = &columns[address.segment_ord as usize];
        let mut source = String::new();
        let has_source = match sources {
            Some(sources) => match sources.ords().first(address.doc_id) {
                Some(ord) => sources
                    .ord_to_str(ord, &mut source)
                    .context(|| "cannot read a copy's source".to_string())?,
                None => false,
            },
            None => false,
        };
        Ok(Copy {
            id: String::new(),
            source: has_source.then_some(source),
            date: dates
                .as_ref()
                .and_then(|dates| dates.first(address.doc_id))
                .map(|d| d.into_utc().date().to_string()),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::article::Article;
    use crate::schema::IndexSchema;
    use crate::search::SearchRequest;

    fn article(id: &str, source: Option<&str>, date: Option<&str>) -> Article {
        Article {
            title: format!("title {id}"),
            date: date.map(|d| crate::dates::article_date(d).unwrap()),
            meta: Metadata {
                source: source.map(str::to_string),
                lang: Some("ar".to_string()),
                ..Metadata::default()
            },
            ..Article::for_test(id, "تفكيك خلية إرهابية في مدينة طنجة")
        }
    }

    #[test]
    fn copies_read_from_columns_name_what_the_store_does() {
        let index = RasdIndex::in_memory(IndexSchema::builtin()).unwrap();
        index
            .add_articles(&[
                article("a", Some("Hespress"), Some("2016-03-12")),
                article("b", None, Some("2016-03-14")),
                article("c", Some("Le Desk"), None),
                article("d", None, None),
            ])
            .unwrap();
        // A segment with neither sources nor dates, so without their columns.
        index.add_articles(&[article("e", None, None)]).unwrap();
        let searcher = index.searcher().unwrap();
        let addresses: Vec<DocAddress> = searcher
            .segment_readers()
            .iter()
            .enumerate()
            .flat_map(|(segment, reader)| {
                (0..reader.max_doc()).map(move |doc| DocAddress::new(segment as u32, doc))
            })
            .collect();
        let from_columns = CopyReader::new(&index, &searcher, false).unwrap();
        assert!(from_columns.columns.is_some());
        let from_store = CopyReader::new(&index, &searcher, true).unwrap();
        let mut ids = vec![];
        for address in addresses {
            let (quick, whole) = (
                from_columns.read(address).unwrap(),
                from_store.read(address).unwrap(),
            );
            assert_eq!((&quick.source, &quick.date), (&whole.source, &whole.date));
            assert_eq!(quick.id, "", "ids are read only when asked for");
            ids.push((whole.id, whole.source, whole.date));
        }
        ids.sort();
        let some = |s: &str| Some(s.to_string());
        assert_eq!(
            ids,
            [
                ("a".into(), some("Hespress"), some("2016-03-12")),
                ("b".into(), None, some("2016-03-14")),
                ("c".into(), some("Le Desk"), None),
                ("d".into(), None, None),
                ("e".into(), None, None),
            ]
        );
    }

    /// The snippet of each article's body, searched for `query`.
    fn snippets(index: &RasdIndex, query: &str) -> HashMap<String, Snippet> {
        let request = SearchRequest {
            query: query.to_string(),
            limit: 10,
            all_words: true,
            ..SearchRequest::default()
        };
        let results = crate::search::search(index, &request).unwrap();
        results
            .hits
            .into_iter()
            .map(|hit| (hit.id, hit.snippet))
            .collect()
    }

    /// The words a snippet highlights.
    fn highlighted(snippet: &Snippet) -> Vec<String> {
        let chars: Vec<char> = snippet.text.chars().collect();
        snippet
            .highlights
            .iter()
            .map(|[from, to]| chars[*from..*to].iter().collect())
            .collect()
    }

    #[test]
    fn a_long_body_shows_its_first_match_with_its_cut_marks() {
        let filler = "قال المتحدث إن الاجتماع تناول التعاون بين البلدين. ".repeat(2_000);
        assert!(filler.len() > SNIPPET_PART_BYTES);
        // Words of three bytes with their space: the second part begins with the word
        // searched, and the first part of "end" ends with it.
        let words = |n| "ب ".repeat(n);
        let word = "الكوكايين ";
        assert_eq!((SNIPPET_PART_BYTES - word.len()) % 3, 0);
        let index = RasdIndex::in_memory(IndexSchema::builtin()).unwrap();
        index
            .add_articles(&[
                Article::for_test("late", &format!("{filler}وضبطت الشرطة شحنة من الكوكايين.")),
                Article::for_test(
                    "twice",
                    &format!("ضبط الكوكايين في الميناء. {filler} ضبط الكوكايين مرة أخرى."),
                ),
                Article::for_test(
                    "start",
                    &format!("{}{word}ب", words(SNIPPET_PART_BYTES / 3)),
                ),
                Article::for_test(
                    "end",
                    &format!(
                        "{}{word}{}",
                        words((SNIPPET_PART_BYTES - word.len()) / 3),
                        words(9)
                    ),
                ),
            ])
            .unwrap();
        let snippets = snippets(&index, "الكوكايين");
        let late = &snippets["late"];
        assert_eq!(highlighted(late), ["الكوكايين"]);
        assert!(late.text.ends_with("شحنة من الكوكايين."), "{late:?}");
        assert!(late.cut_before && !late.cut_after);
        let twice = &snippets["twice"];
        assert!(
            twice.text.starts_with("ضبط الكوكايين في الميناء."),
            "{twice:?}"
        );
        assert!(!twice.cut_before && twice.cut_after);
        // A snippet at the edge of its part is still cut where the body goes on.
        let start = &snippets["start"];
        assert!(start.text.starts_with("الكوكايين"), "{start:?}");
        assert!(start.cut_before, "{start:?}");
        let end = &snippets["end"];
        assert!(end.text.ends_with("الكوكايين"), "{end:?}");
        assert!(end.cut_after, "{end:?}");
    }

    #[test]
    fn a_common_word_of_a_phrase_the_query_added_is_not_highlighted() {
        let index = RasdIndex::in_memory(IndexSchema::builtin()).unwrap();
        let mut articles = vec![Article::for_test(
            "robbery",
            "أقدم ثلاثة مسلحين على سطو على بنك في حي المعاريف، وحصلوا على مبالغ مالية.",
        )];
        for n in 0..4 {
            articles.push(Article::for_test(
                &format!("other-{n}"),
                "أكدت السلطات على ضرورة العمل على تعزيز التعاون.",
            ));
        }
        index.add_articles(&articles).unwrap();
        let highlighted = |query: &str| highlights(&index, query).remove("robbery").unwrap();
        // `bank robbery` is translated to the phrase `سطو على بنك`: the phrase is
        // highlighted, not every `على`.
        assert_eq!(highlighted("bank robbery"), ["سطو على بنك"]);
        assert_eq!(highlighted("\"سطو على بنك\""), ["سطو على بنك"]);
        // Typed as a word of its own, `على` is highlighted wherever it stands.
        assert_eq!(
            highlighted("+على \"سطو على بنك\""),
            ["على", "سطو على بنك", "على"]
        );
    }

    /// The highlighted words of each article's snippet for `query`.
    fn highlights(index: &RasdIndex, query: &str) -> HashMap<String, Vec<String>> {
        snippets(index, query)
            .into_iter()
            .map(|(id, snippet)| (id, highlighted(&snippet)))
            .collect()
    }

    #[test]
    fn a_long_body_shows_what_its_whole_would() {
        let filler = "قال المتحدث إن الاجتماع تناول التعاون بين البلدين. ".repeat(2_000);
        let glued = "ضبط،".repeat(20_000);
        let index = RasdIndex::in_memory(IndexSchema::builtin()).unwrap();
        index
            .add_articles(&[
                // The word as typed, far after another form of it.
                Article::for_test(
                    "typed",
                    &format!(
                        "Des arrestations ont eu lieu. {filler} Une arrestation spectaculaire."
                    ),
                ),
                // A word in a run without white space longer than a part.
                Article::for_test("glued", &format!("{glued}الحشيش،{glued}")),
                // Both words together, far after one of them alone.
                Article::for_test(
                    "together",
                    &format!("رصد زورق قبالة الساحل. {filler} ثم ضبط زورق مطاطي محمل بالمهاجرين."),
                ),
            ])
            .unwrap();
        // The first word, before a run without white space longer than many parts.
        let run = format!("خلية {} خلية", "x".repeat(200_000));
        index
            .add_articles(&[Article::for_test("run", &run)])
            .unwrap();
        let first = &snippets(&index, "خلية")["run"];
        assert!(
            first.text.starts_with("خلية") && !first.cut_before,
            "{first:?}"
        );
        assert_eq!(highlights(&index, "arrestation")["typed"], ["arrestation"]);
        assert_eq!(highlights(&index, "الحشيش")["glued"], ["الحشيش"]);
        assert_eq!(
            highlights(&index, "زورق مطاطي")["together"],
            ["زورق", "مطاطي"]
        );
    }
}
