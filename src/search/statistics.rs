//! The collection statistics BM25 ranks with, taken over the articles a field describes.
//!
//! tantivy's own statistics count every document of the index, and divide each field's
//! tokens by that count to get the field's average length. Two kinds of documents would
//! skew them: the record documents (one per file, with no text: see
//! [`crate::store::records`]), which in an archive of one article per file double the count
//! and so halve every average length; and the articles of other languages in a field
//! filled only for one language (`for_lang`), which leave the French views of an Arabic
//! archive almost empty on average, so that each French article looks many times longer
//! than the average and its matches score far below an Arabic article's; the same fields'
//! document frequencies are scaled alike, or their terms would look rarer than they are.

use std::collections::HashMap;

use tantivy::collector::Collector;
use tantivy::query::{Bm25StatisticsProvider, EnableScoring, Query};
use tantivy::schema::Field;
use tantivy::{Searcher, Term};

use crate::error::{Context, Error};
use crate::schema::reserved;
use crate::store::RasdIndex;

/// BM25 statistics over articles: [`Self::search`] and [`Self::scoring`] rank with them.
pub(super) struct ArticleStatistics<'a> {
    searcher: &'a Searcher,
    /// Documents that are articles, deleted ones included as in tantivy's counts (never 0).
    articles: u64,
    /// For each field filled for one language only: how many times more articles there are
    /// than articles of its language.
    language_share: HashMap<Field, f64>,
    /// For each field filled for one language only: the language, and how many articles are
    /// in it (at least 1).
    languages: HashMap<Field, (String, u64)>,
}

impl<'a> ArticleStatistics<'a> {
    /// The statistics of the articles `searcher` sees in `index`.
    pub fn new(index: &RasdIndex, searcher: &'a Searcher) -> Result<ArticleStatistics<'a>, Error> {
        let schema = index.index.schema();
        let failed = || "cannot read the index's statistics".to_string();
        let doc_freq = |field: &str, value: &str| -> Result<u64, Error> {
            match schema.get_field(field) {
                Ok(field) => searcher
                    .doc_freq(&Term::from_field_text(field, value))
                    .context(failed),
                Err(_) => Ok(0),
            }
        };
        // Like tantivy's own statistics, counts include deleted documents until their segment
        // is merged, as document frequencies do: a frequency never exceeds the count.
        let documents: u64 = searcher
            .segment_readers()
            .iter()
            .map(|segment| u64::from(segment.max_doc()))
            .sum();
        let records = doc_freq(reserved::KIND, reserved::RECORD)?;
        let articles = documents.saturating_sub(records).max(1);
        let mut language_share = HashMap::new();
        let mut languages = HashMap::new();
        for spec in &index.schema.fields {
            let Some(lang) = &spec.for_lang else { continue };
            let in_language = doc_freq("lang", lang)?.clamp(1, articles);
            let field = index.field(&spec.name);
            language_share.insert(field, articles as f64 / in_language as f64);
            languages.insert(field, (lang.clone(), in_language));
        }
        Ok(ArticleStatistics {
            searcher,
            articles,
            language_share,
            languages,
        })
    }

    /// For a field filled for one language only: that language and how many articles it has,
    /// the articles a term's rarity there is counted among.
    pub fn language_of(&self, field: Field) -> Option<(&str, u64)> {
        let (lang, articles) = self.languages.get(&field)?;
        Some((lang, *articles))
    }

    /// The searcher the statistics were taken from.
    pub fn searcher(&self) -> &'a Searcher {
        self.searcher
    }

    /// Scoring with these statistics, for a query's weight.
    pub fn scoring(&self) -> EnableScoring<'_> {
        EnableScoring::enabled_from_statistics_provider(self, self.searcher)
    }

    /// The average length of `field` that BM25 ranks with.
    pub fn average_length(&self, field: Field) -> Result<f64, Error> {
        let tokens = self
            .total_num_tokens(field)
            .context(|| "cannot read the index's statistics".to_string())?;
        Ok(tokens as f64 / self.articles as f64)
    }

    /// Runs `collector` over `query`, scored with these statistics.
    pub fn search<C: Collector>(
        &self,
        query: &dyn Query,
        collector: &C,
    ) -> tantivy::Result<C::Fruit> {
        self.searcher
            .search_with_statistics_provider(query, collector, self)
    }
}

impl Bm25StatisticsProvider for ArticleStatistics<'_> {
    /// BM25 divides this by the number of articles for a field's average length: a field of
    /// one language gets its tokens scaled up so that the average is over that language's
    /// articles.
    fn total_num_tokens(&self, field: Field) -> tantivy::Result<u64> {
        let tokens = self.searcher.total_num_tokens(field)?;
        Ok(match self.language_share.get(&field) {
            Some(share) => (tokens as f64 * share).round() as u64,
            None => tokens,
        })
    }

    fn total_num_docs(&self) -> tantivy::Result<u64> {
        Ok(self.articles)
    }

    /// A term of the records (a file's key) is in no article: capped, it stays a frequency.
    /// In a field of one language, the frequency is scaled as the field's tokens are: BM25
    /// divides it by the number of all articles, and a term in 5 of 10 English articles is as
    /// common as a term in half of all articles, not in 5 of them. Unscaled, every match in a
    /// French or English view looked rarer than the same word's in the Arabic views, and an
    /// English `Interpol` outranked an Arabic article's tenfold.
    fn doc_freq(&self, term: &Term) -> tantivy::Result<u64> {
        let found_in = self.searcher.doc_freq(term)?;
        let scaled = match self.language_share.get(&term.field()) {
            Some(share) => (found_in as f64 * share).round() as u64,
            None => found_in,
        };
        Ok(scaled.min(self.articles))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::article::{Article, Metadata};
    use crate::schema::IndexSchema;

    fn article(id: &str, lang: &str, body: &str) -> Article {
        Article {
            meta: Metadata {
                lang: Some(lang.to_string()),
                ..Metadata::default()
            },
            ..Article::for_test(id, body)
        }
    }

    #[test]
    fn averages_are_over_articles_and_over_a_fields_language() {
        let index = RasdIndex::in_memory(IndexSchema::builtin()).unwrap();
        index
            .add_articles(&[
                article("fr", "fr", "le trafic de cocaïne au port"),
                article("ar1", "ar", "تهريب المخدرات عبر الميناء"),
                article("ar2", "ar", "تفكيك شبكة"),
                article("ar3", "ar", "هجوم"),
            ])
            .unwrap();
        // A file's record: a document without text.
        index.add_file_record(4);
        let searcher = index.searcher().unwrap();
        assert_eq!(searcher.num_docs(), 5);

        let statistics = ArticleStatistics::new(&index, &searcher).unwrap();
        assert_eq!(statistics.total_num_docs().unwrap(), 4);
        let body = index.field("body");
        assert_eq!(
            statistics.total_num_tokens(body).unwrap(),
            searcher.total_num_tokens(body).unwrap()
        );
        // The French view: its tokens over the one French article, not over all four.
        let body_fr = index.field("body_fr");
        let french_tokens = searcher.total_num_tokens(body_fr).unwrap();
        assert!(french_tokens > 0);
        let average = statistics.total_num_tokens(body_fr).unwrap() as f64
            / statistics.total_num_docs().unwrap() as f64;
        assert_eq!(average, french_tokens as f64);
    }

    #[test]
    fn a_words_rarity_in_a_fields_language_is_that_among_its_articles() {
        let index = RasdIndex::in_memory(IndexSchema::builtin()).unwrap();
        let mut articles: Vec<Article> = (0..5)
            .map(|i| article(&format!("ar{i}"), "ar", "تعاون مع Interpol في التحقيق"))
            .collect();
        articles.extend((0..5).map(|i| {
            article(
                &format!("en{i}"),
                "en",
                "cooperation with Interpol on the case",
            )
        }));
        index.add_articles(&articles).unwrap();
        let searcher = index.searcher().unwrap();
        let statistics = ArticleStatistics::new(&index, &searcher).unwrap();
        // In all ten articles: as common in the English view, where all five English articles
        // have it, as in the stemmed view, where all ten do.
        let in_body = Term::from_field_text(index.field("body"), "interpol");
        let in_english = Term::from_field_text(index.field("body_en"), "interpol");
        assert_eq!(searcher.doc_freq(&in_english).unwrap(), 5);
        assert_eq!(statistics.doc_freq(&in_body).unwrap(), 10);
        assert_eq!(statistics.doc_freq(&in_english).unwrap(), 10);
    }
}
