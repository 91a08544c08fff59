//! `rasd stats`: what an index holds.

use std::path::Path;

use serde::Serialize;
use serde_json::Value;
use tantivy::aggregation::AggregationCollector;
use tantivy::aggregation::agg_req::Aggregations;
use tantivy::query::AllQuery;

use crate::error::{Context, Error};
use crate::store::RasdIndex;

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
    /// Oldest article date, `YYYY-MM-DD`.
    pub first_date: Option<String>,
    /// Newest article date, `YYYY-MM-DD`.
    pub last_date: Option<String>,
    /// The schema the index was built with.
    pub schema: String,
    pub schema_version: u32,
}

fn folder_size(path: &Path) -> u64 {
    walkdir::WalkDir::new(path)
        .into_iter()
        .filter_map(Result::ok)
        .filter_map(|e| e.metadata().ok())
        .filter(|m| m.is_file())
        .map(|m| m.len())
        .sum()
}

fn buckets(results: &Value, name: &str) -> Vec<(String, u64)> {
    let mut out: Vec<(String, u64)> = results[name]["buckets"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|b| Some((b["key"].as_str()?.to_string(), b["doc_count"].as_u64()?)))
        .collect();
    out.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
    out
}

fn day(results: &Value, name: &str) -> Option<String> {
    // Metrics over a date column come back as nanoseconds since the epoch.
    let nanos = results[name]["value"].as_f64()?;
    let instant = time::OffsetDateTime::from_unix_timestamp((nanos / 1e9) as i64).ok()?;
    Some(instant.date().to_string())
}

/// Gathers the statistics of an index.
pub fn stats(index: &RasdIndex) -> Result<IndexStats, Error> {
    let reader = index
        .index
        .reader()
        .context(|| format!("cannot read the index at {}", index.path.display()))?;
    let searcher = reader.searcher();
    let request: Aggregations = serde_json::from_value(serde_json::json!({
        "languages": { "terms": { "field": "lang", "size": 1000 } },
        "sources": { "terms": { "field": "source", "size": 1000 } },
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
        languages: buckets(&results, "languages"),
        sources: buckets(&results, "sources"),
        first_date: day(&results, "first"),
        last_date: day(&results, "last"),
        schema: index.schema.name.clone(),
        schema_version: index.schema.version,
    })
}
