//! `rasd search`: run a query, rank the hits, cut their snippets.

pub mod aliases;
pub mod explain;
pub mod facets;
pub mod filters;
pub mod fuzzy;
pub mod proclitics;
pub mod query;
pub mod snippet;

use std::collections::HashSet;
use std::sync::Arc;

use serde::Serialize;
use tantivy::collector::sort_key::{SortBySimilarityScore, SortByStaticFastValue};
use tantivy::collector::{Count, TopDocs};
use tantivy::query::{BooleanQuery, Occur, Query};
use tantivy::schema::Value;
use tantivy::snippet::SnippetGenerator;
use tantivy::{DateTime, DocAddress, Order, Score, Searcher, TantivyDocument};

use crate::error::{Context, Error};
use crate::schema::{ArticlePart, FieldType};
use crate::store::RasdIndex;
pub use aliases::AliasTable;
pub use explain::ScoreExplanation;
pub use facets::{Facet, FacetCounts};
pub use filters::Filters;
pub use query::{QueryDescription, QueryOptions, describe_query};
pub use snippet::Snippet;

/// Snippet length budget. tantivy counts it in bytes: about 160 Arabic or 320 Latin letters.
const SNIPPET_BYTES: usize = 320;
/// Length of the fallback snippet when the body has no match (title-only hits).
const LEADING_CHARS: usize = 160;

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
    pub source: Option<String>,
    pub lang: Option<String>,
    pub url: Option<String>,
    /// The body around its best matches.
    pub snippet: Snippet,
    /// Why it scored as it did, when asked.
    pub explanation: Option<ScoreExplanation>,
}

/// The hits of one page, the number of all matching articles, and the facets asked for.
#[derive(Debug, Clone)]
pub struct SearchResults {
    pub hits: Vec<Hit>,
    pub total: usize,
    pub facets: Vec<FacetCounts>,
}

fn first_text(doc: &TantivyDocument, field: tantivy::schema::Field) -> Option<String> {
    doc.get_first(field)
        .and_then(|v| v.as_str())
        .map(str::to_string)
}

/// A snippet generator for one view of an article part, and the only language it applies to.
struct View {
    for_lang: Option<String>,
    generator: SnippetGenerator,
}

impl View {
    fn applies_to(&self, lang: Option<&str>) -> bool {
        self.for_lang.is_none() || self.for_lang.as_deref() == lang
    }
}

/// One snippet generator per indexed view of an article part (`body`, `body_surface`,
/// `body_fr`…) that the query searches: each highlights the words its own analyzer matched,
/// so exact, stemmed and French or English matches all show.
fn snippet_views(
    index: &RasdIndex,
    searcher: &Searcher,
    query: &dyn Query,
    part: ArticlePart,
) -> Result<Vec<View>, Error> {
    let failed = || {
        format!(
            "cannot make snippets from the index at {}",
            index.path.display()
        )
    };
    let mut queried = HashSet::new();
    query.query_terms(&mut |term, _| {
        queried.insert(term.field());
    });
    let mut views = Vec::new();
    for spec in &index.schema.fields {
        let field = index.field(&spec.name);
        let is_view = spec.from == part && spec.indexed && spec.field_type == FieldType::Text;
        if !is_view || !queried.contains(&field) {
            continue;
        }
        let mut generator = SnippetGenerator::create(searcher, query, field).context(failed)?;
        generator.set_max_num_chars(match part {
            ArticlePart::Title => usize::MAX,
            _ => SNIPPET_BYTES,
        });
        views.push(View {
            for_lang: spec.for_lang.clone(),
            generator,
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

/// How many hits of the page can exist among `documents`: tantivy's collectors reserve room
/// for `offset + limit` hits per segment, which must not be more than the index holds.
fn page_size(request: &SearchRequest, documents: u64) -> usize {
    let documents = usize::try_from(documents).unwrap_or(usize::MAX);
    request.limit.min(documents.saturating_sub(request.offset))
}

/// Runs a search.
pub fn search(index: &RasdIndex, request: &SearchRequest) -> Result<SearchResults, Error> {
    check_page(request)?;
    let searcher = index.searcher()?;
    let aliases = request.aliases.as_deref().unwrap_or(AliasTable::builtin());
    let mut query = query::parse_query(index, &searcher, &request.query, request.options, aliases)?;
    if let Some(filter) = filters::filter_query(index, &request.filters)? {
        query = Box::new(BooleanQuery::new(vec![
            (Occur::Must, query),
            (Occur::Must, filter),
        ]));
    }
    let failed = || format!("search failed on the index at {}", index.path.display());
    let facets = facets::count(&searcher, &*query, &request.facets)?;
    let limit = page_size(request, searcher.num_docs());
    if limit == 0 {
        let total = searcher.search(&query, &Count).context(failed)?;
        return Ok(SearchResults {
            hits: vec![],
            total,
            facets,
        });
    }
    let top_docs = TopDocs::with_limit(limit).and_offset(request.offset);
    let (top, total): (Vec<(Score, DocAddress)>, usize) = match request.sort {
        SortOrder::Relevance => searcher
            .search(&query, &(top_docs.order_by_score(), Count))
            .context(failed)?,
        SortOrder::Newest | SortOrder::Oldest => {
            let order = if request.sort == SortOrder::Newest {
                Order::Desc
            } else {
                Order::Asc
            };
            let by_date = (
                (SortByStaticFastValue::<DateTime>::for_field("date"), order),
                (SortBySimilarityScore, Order::Desc),
            );
            let (top, total) = searcher
                .search(&query, &(top_docs.order_by(by_date), Count))
                .context(failed)?;
            let top = top
                .into_iter()
                .map(|((_, score), address)| (score, address))
                .collect();
            (top, total)
        }
    };

    let [id, path, title, body, date, source, lang_field, url] = [
        "id", "path", "title", "body", "date", "source", "lang", "url",
    ]
    .map(|name| index.field(name));
    let body_views = snippet_views(index, &searcher, &*query, ArticlePart::Body)?;
    let title_views = snippet_views(index, &searcher, &*query, ArticlePart::Title)?;

    let mut hits = Vec::with_capacity(top.len());
    for (i, (score, address)) in top.into_iter().enumerate() {
        let doc: TantivyDocument = searcher
            .doc(address)
            .context(|| "cannot read a stored article".to_string())?;
        let body_text = first_text(&doc, body).unwrap_or_default();
        let title_text = first_text(&doc, title).unwrap_or_default();
        let lang = first_text(&doc, lang_field);
        let day = doc
            .get_first(date)
            .and_then(|v| v.as_datetime())
            .map(|d| d.into_utc().date().to_string());
        let explanation = if request.explain {
            Some(explain::explain(index, &searcher, &*query, address)?)
        } else {
            None
        };
        hits.push(Hit {
            rank: request.offset + i + 1,
            score,
            explanation,
            id: first_text(&doc, id).unwrap_or_default(),
            path: first_text(&doc, path).unwrap_or_default(),
            title: most_highlighted(
                title_views
                    .iter()
                    .filter(|view| view.applies_to(lang.as_deref()))
                    .map(|view| Snippet::whole(&view.generator, &title_text)),
            )
            .unwrap_or_else(|| Snippet::whole_plain(&title_text)),
            date: day,
            source: first_text(&doc, source),
            lang: lang.clone(),
            url: first_text(&doc, url),
            snippet: most_highlighted(
                body_views
                    .iter()
                    .filter(|view| view.applies_to(lang.as_deref()))
                    .filter_map(|view| Snippet::best(&view.generator, &body_text)),
            )
            .unwrap_or_else(|| Snippet::leading(&body_text, LEADING_CHARS)),
        });
    }
    Ok(SearchResults {
        hits,
        total,
        facets,
    })
}
