//! `rasd stats`: what an index holds.

use std::path::Path;

use serde::Serialize;
use serde_json::Value;
use tantivy::aggregation::AggregationCollector;
use tantivy::aggregation::agg_req::Aggregations;
use tantivy::query::AllQuery;

use crate::error::{Context, Error};
use crate::search::facets::{self, Facet};
use crate::store::RasdIndex;
use crate::store::records::{Failure, RecordFields};

/// Facts about an index.
#[derive(Debug, Clone, Serialize)]
pub struct IndexStats {
    /// Articles in the index.
    pub documents: u64,
    /// The index folder.
    pub index_path: String,
    /// Size of the index folder on disk.
    pub size_bytes: u64,
    /// Articles per language code, most first (in JSON: `[["ar", 30], ...]`).
    pub languages: Vec<(String, u64)>,
    /// Articles per source, most first.
    pub sources: Vec<(String, u64)>,
    /// Articles per year of publication, most first.
    pub years: Vec<(String, u64)>,
    /// Articles per tag, most first.
    pub tags: Vec<(String, u64)>,
    /// Oldest article date, `YYYY-MM-DD`.
    pub first_date: Option<String>,
    /// Newest article date, `YYYY-MM-DD`.
    pub last_date: Option<String>,
    /// The schema the index was built with.
    pub schema: String,
    pub schema_version: u32,
    /// Files whose last read had failures: reported by every `rasd index` run until they
    /// change or go.
    pub failed_files: usize,
    /// Those files, by path.
    pub failures: Vec<FailedFileStats>,
    /// What the last `rasd index` run could not read (a folder, a file it could not
    /// examine), by path: every run fails until one reads it, and keeps what the index holds
    /// from it.
    pub unreadable: Vec<UnreadableStats>,
}

/// A path the last run could not read.
#[derive(Debug, Clone, Serialize)]
pub struct UnreadableStats {
    pub path: String,
    pub reason: String,
}

/// What failed in one file when it was last read.
#[derive(Debug, Clone, Serialize)]
pub struct FailedFileStats {
    pub path: String,
    /// Inputs (lines, items, the whole file) that could not be indexed.
    pub count: usize,
    /// The first of them (at most a hundred), in file order.
    pub failures: Vec<Failure>,
}

/// Bytes of all files under `path`.
pub fn folder_size(path: &Path) -> u64 {
    walkdir::WalkDir::new(path)
        .into_iter()
        .filter_map(Result::ok)
        .filter_map(|e| e.metadata().ok())
        .filter(|m| m.is_file())
        .map(|m| m.len())
        .sum()
}

fn day(results: &Value, name: &str) -> Option<String> {
    // Metrics over a date column come back as nanoseconds since the epoch.
    let nanos = results[name]["value"].as_f64()?;
    let instant = time::OffsetDateTime::from_unix_timestamp((nanos / 1e9) as i64).ok()?;
    Some(instant.date().to_string())
}

/// Gathers the statistics of an index.
pub fn stats(index: &RasdIndex) -> Result<IndexStats, Error> {
    let searcher = index.searcher()?;
    // The same counts as `rasd search --facets`, over every article.
    let articles = RecordFields::new(index).articles_only(Box::new(AllQuery));
    let mut facets = facets::count(&searcher, &articles, &Facet::ALL)?.into_iter();
    let mut next = || facets.next().map(|f| f.values).unwrap_or_default();
    let (languages, sources, years, tags) = (next(), next(), next(), next());
    let request: Aggregations = serde_json::from_value(serde_json::json!({
        "first": { "min": { "field": "date" } },
        "last": { "max": { "field": "date" } },
    }))
    .expect("the statistics request is valid");
    let collector = AggregationCollector::from_aggs(request, Default::default());
    let results = searcher.search(&AllQuery, &collector).context(|| {
        format!(
            "cannot compute statistics of the index at {}",
            index.path.display()
        )
    })?;
    let results = serde_json::to_value(results).expect("aggregation results serialize");
    Ok(IndexStats {
        documents: index.article_count()?,
        index_path: index.path.display().to_string(),
        size_bytes: folder_size(&index.path),
        languages,
        sources,
        years,
        tags,
        first_date: day(&results, "first"),
        last_date: day(&results, "last"),
        schema: index.schema.name.clone(),
        schema_version: index.schema.version,
        failed_files: index.failed_files().len(),
        failures: index
            .failed_files()
            .iter()
            .map(|(path, failed)| FailedFileStats {
                path: path.clone(),
                count: failed.count,
                failures: failed.failures.clone(),
            })
            .collect(),
        unreadable: (index.file_notes().unreadable.iter())
            .map(|(path, reason)| UnreadableStats {
                path: path.clone(),
                reason: reason.clone(),
            })
            .collect(),
    })
}
