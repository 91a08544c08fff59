//! `rasd similar`: the articles most like one article. Its syndicated copies come first (their
//! story signatures say so, see [`crate::analysis::signature`]), most alike first; then
//! related coverage, ranked by the body's most telling terms (see [`like`]).

use std::collections::BTreeMap;
use std::sync::LazyLock;

use serde::Serialize;
use tantivy::collector::TopDocs;
use tantivy::query::{BooleanQuery, BoostQuery, Occur, Query, TermQuery};
use tantivy::schema::IndexRecordOption;
use tantivy::{DocAddress, Searcher, Term};

use super::collapse::Signatures;
use super::hits;
use super::order;
use super::statistics::ArticleStatistics;
use crate::analysis;
use crate::analysis::signature::are_copies;
use crate::article::Metadata;
use crate::error::{Context, Error};
use crate::store::RasdIndex;
use crate::store::records::RecordFields;

/// The most terms of the article's body the related-coverage query uses: its most
/// characteristic ones (tf-idf), as many as a long query has.
const QUERY_TERMS: usize = 25;

/// An article like the one asked about.
#[derive(Debug, Clone, Serialize)]
pub struct SimilarArticle {
    /// 1-based: copies first, then related coverage.
    pub rank: usize,
    pub id: String,
    pub path: String,
    pub title: String,
    /// `YYYY-MM-DD`.
    pub date: Option<String>,
    #[serde(flatten)]
    pub meta: Metadata,
    /// Whether it is a copy of the article's story.
    pub copy: bool,
    /// The estimated share of 3-word shingles the two bodies have in common, 0 to 1.
    pub similarity: f32,
    /// Related coverage: its relevance to the article's terms; `None` for a copy.
    pub score: Option<f32>,
}

/// The French and English words that never make two articles alike, though the index keeps
/// them (`where`, `said`, `selon`): see the file's header. Read once.
static RELATED_STOP_WORDS: LazyLock<Vec<String>> = LazyLock::new(|| {
    analysis::parse_word_list(include_str!("../../index-schema/related-stopwords.txt"))
});

/// The most characters of a body read for its telling terms: a long report's first pages say
/// what it is about, and a megabyte body would cost a search its analysis.
const LIKE_CHARS: usize = 20_000;

/// The articles that share the most telling terms (tf-idf) of an article's `body` (its first
/// [`LIKE_CHARS`]), best first; the article itself among them. Terms in more than
/// `max_articles` articles are left out. tantivy's `MoreLikeThisQuery` does the same, but
/// chooses among terms of equal weight in a hash map's order, so that one search listed other
/// articles at each run: here ties go by the terms' order.
pub(super) fn like(
    index: &RasdIndex,
    searcher: &Searcher,
    mut body: String,
    max_articles: u64,
) -> Result<Box<dyn Query>, Error> {
    if let Some((cut, _)) = body.char_indices().nth(LIKE_CHARS) {
        body.truncate(cut);
    }
    let field = index.field("body");
    let failed = || "cannot read the terms of an article's body".to_string();
    let mut analyzer = index.index.tokenizer_for_field(field).context(failed)?;
    let mut frequencies: BTreeMap<String, u32> = BTreeMap::new();
    analyzer.token_stream(&body).process(&mut |token| {
        *frequencies.entry(token.text.clone()).or_default() += 1;
    });
    // The body view keeps French and English stop words (its own are Arabic): `de`, `the`
    // are in most articles of their language, and would pick them as like this one; so are
    // the function words the index keeps (`where`, `selon`).
    let tokenizers = index.index.tokenizers();
    let mut latin: Vec<_> = [analysis::FRENCH, analysis::ENGLISH]
        .into_iter()
        .filter_map(|name| tokenizers.get(name))
        .collect();
    frequencies.retain(|text, _| {
        let arabic = text.chars().any(|c| ('\u{0600}'..='\u{06FF}').contains(&c));
        arabic
            || (RELATED_STOP_WORDS.binary_search(text).is_err()
                && latin
                    .iter_mut()
                    .all(|a| analysis::single_term(a, text).is_some()))
    });
    let articles = searcher.num_docs();
    let mut weighted: Vec<(f32, Term)> = Vec::new();
    for (text, frequency) in frequencies {
        let term = Term::from_field_text(field, &text);
        let found_in = searcher.doc_freq(&term).context(failed)?;
        if found_in == 0 || found_in > max_articles {
            continue;
        }
        // BM25's idf, as tantivy weighs a term.
        let rarity = ((articles.saturating_sub(found_in)) as f32 + 0.5) / (found_in as f32 + 0.5);
        weighted.push((frequency as f32 * rarity.ln_1p(), term));
    }
    weighted.sort_by(|a, b| b.0.total_cmp(&a.0).then_with(|| a.1.cmp(&b.1)));
    weighted.truncate(QUERY_TERMS);
    let best = weighted.first().map_or(1.0, |(weight, _)| *weight);
    let clauses: Vec<(Occur, Box<dyn Query>)> = weighted
        .into_iter()
        .map(|(weight, term)| {
            let query = Box::new(TermQuery::new(term, IndexRecordOption::Basic));
            let query: Box<dyn Query> = Box::new(BoostQuery::new(query, weight / best));
            (Occur::Should, query)
        })
        .collect();
    Ok(Box::new(BooleanQuery::new(clauses)))
}

/// The articles whose `field` holds `value`, at most `limit`.
fn articles_with(
    index: &RasdIndex,
    searcher: &Searcher,
    field: &str,
    value: &str,
    limit: usize,
) -> Result<Vec<DocAddress>, Error> {
    let failed = || format!("search failed on the index at {}", index.path.display());
    let query = RecordFields::new(index).articles_only(Box::new(TermQuery::new(
        Term::from_field_text(index.field(field), value),
        IndexRecordOption::Basic,
    )));
    let found = searcher
        .search(&query, &TopDocs::with_limit(limit).order_by_score())
        .context(failed)?;
    Ok(found.into_iter().map(|(_, address)| address).collect())
}

/// The article `id` names: by its id, or else by its file's path, as `rasd search` prints it
/// (relative to the current folder, or absolute), when that file holds one article.
fn article_of(index: &RasdIndex, searcher: &Searcher, id: &str) -> Result<DocAddress, Error> {
    if let Some(article) = articles_with(index, searcher, "id", id, 1)?.first() {
        return Ok(*article);
    }
    let path = std::path::Path::new(id);
    let paths = [std::path::absolute(path).ok(), path.canonicalize().ok()];
    for key in paths.iter().flatten().filter_map(|p| p.to_str()) {
        match articles_with(index, searcher, "path", key, 2)?.as_slice() {
            [] => continue,
            [article] => return Ok(*article),
            _ => {
                return Err(Error::Usage(format!(
                    "{} holds several articles: name one by its id (`rasd search --json` \
                     prints the ids)",
                    crate::clean::line(id, crate::clean::VALUE_CHARS)
                )));
            }
        }
    }
    Err(Error::Usage(format!(
        "no article has the id or path `{}` (`rasd search --json` prints the ids)",
        crate::clean::line(id, crate::clean::VALUE_CHARS)
    )))
}

/// Up to `limit` articles most like the article with id `id`: copies first.
pub fn similar(index: &RasdIndex, id: &str, limit: usize) -> Result<Vec<SimilarArticle>, Error> {
    let searcher = index.searcher()?;
    let failed = || format!("search failed on the index at {}", index.path.display());
    let article = article_of(index, &searcher, id)?;
    let signatures = Signatures::new(&searcher)?;
    let signature = signatures.of(article);

    // Copies: every article whose signature is near, a scan of the signature columns.
    let mut copies: Vec<(f32, DocAddress)> = Vec::new();
    for (ord, segment) in searcher.segment_readers().iter().enumerate() {
        let alive = segment.alive_bitset();
        for doc in 0..segment.max_doc() {
            let address = DocAddress::new(ord as u32, doc);
            if address == article || alive.is_some_and(|a| !a.is_alive(doc)) {
                continue;
            }
            let other = signatures.of(address);
            if are_copies(&signature, &other) {
                copies.push((signature.similarity(&other), address));
            }
        }
    }
    order::sort_by_score(&searcher, &mut copies, |&(similarity, address)| {
        (similarity, address)
    })
    .context(failed)?;
    copies.truncate(limit);

    // Related coverage: the articles that share the body's most telling terms.
    let mut related: Vec<(f32, DocAddress)> = Vec::new();
    let wanted = limit - copies.len();
    if wanted > 0 {
        let body = hits::fetch(index, &searcher, article)?.body;
        let like = RecordFields::new(index).articles_only(like(index, &searcher, body, u64::MAX)?);
        // The article itself and its copies match best: asked for beside the rest. Ranked
        // with the articles' statistics, as searches are.
        let top = ArticleStatistics::new(index, &searcher)?
            .search(
                &like,
                &order::by_score(TopDocs::with_limit(wanted + copies.len() + 1)),
            )
            .context(failed)?;
        related = top
            .into_iter()
            .map(|((score, _), address)| (score, address))
            .filter(|(_, a)| *a != article && !copies.iter().any(|(_, c)| c == a))
            .take(wanted)
            .collect();
    }

    let listed = copies
        .into_iter()
        .map(|(_, a)| (a, None))
        .chain(related.into_iter().map(|(score, a)| (a, Some(score))));
    listed
        .enumerate()
        .map(|(i, (address, score))| {
            let stored = hits::fetch(index, &searcher, address)?;
            Ok(SimilarArticle {
                rank: i + 1,
                id: stored.id,
                path: stored.path,
                title: stored.title,
                date: stored.date,
                meta: stored.meta,
                copy: score.is_none(),
                similarity: signature.similarity(&signatures.of(address)),
                score,
            })
        })
        .collect()
}
