//! Facets: how many matching articles there are per source, language, year or tag, counted
//! with tantivy's aggregations over the fields' columns, and how many have no value at all, so
//! that a single-valued facet's counts add up to the matching articles.

use std::collections::BTreeMap;

use serde::Serialize;
use serde_json::{Value, json};
use tantivy::Searcher;
use tantivy::aggregation::AggregationCollector;
use tantivy::aggregation::agg_req::Aggregations;
use tantivy::collector::Count;
use tantivy::query::{BooleanQuery, ExistsQuery, Occur, Query};

use crate::error::{Context, Error};

/// Most values listed per facet.
const MAX_VALUES: u32 = 1000;

/// What articles can be counted by.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Facet {
    Source,
    Lang,
    Year,
    Tags,
}

impl Facet {
    /// Every facet, in the order `rasd stats` shows them.
    pub const ALL: [Facet; 4] = [Facet::Lang, Facet::Source, Facet::Year, Facet::Tags];

    /// The facet's name on the command line and in JSON.
    pub fn name(self) -> &'static str {
        match self {
            Facet::Source => "source",
            Facet::Lang => "lang",
            Facet::Year => "year",
            Facet::Tags => "tags",
        }
    }

    /// The column the facet is counted over.
    fn field(self) -> &'static str {
        match self {
            Facet::Year => "date",
            other => other.name(),
        }
    }

    fn request(self) -> Value {
        match self {
            Facet::Year => json!({ "date_histogram": { "field": "date", "fixed_interval": "1d" } }),
            other => json!({ "terms": { "field": other.name(), "size": MAX_VALUES } }),
        }
    }
}

/// Reads a comma-separated list of facet names (`source,lang,year,tags`).
pub fn parse_facets(list: &str) -> Result<Vec<Facet>, Error> {
    list.split(',')
        .map(str::trim)
        .filter(|name| !name.is_empty())
        .map(|name| {
            Facet::ALL
                .into_iter()
                .find(|f| f.name() == name)
                .ok_or_else(|| {
                    Error::Usage(format!(
                        "unknown facet `{name}` (use source, lang, year or tags)"
                    ))
                })
        })
        .collect()
}

/// The counts of one facet, largest first (equal counts by value).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct FacetCounts {
    /// The facet's name.
    pub facet: &'static str,
    /// Each value and its number of articles.
    pub values: Vec<(String, u64)>,
    /// The articles without any value (no source, no date, no tag…).
    pub missing: u64,
}

fn sorted(counts: impl IntoIterator<Item = (String, u64)>) -> Vec<(String, u64)> {
    let mut values: Vec<(String, u64)> = counts.into_iter().filter(|(_, n)| *n > 0).collect();
    values.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
    values
}

/// Counts the articles matching `query` per value of each facet.
pub fn count(
    searcher: &Searcher,
    query: &dyn Query,
    facets: &[Facet],
) -> Result<Vec<FacetCounts>, Error> {
    if facets.is_empty() {
        return Ok(vec![]);
    }
    let request: Aggregations = serde_json::from_value(Value::Object(
        facets
            .iter()
            .map(|f| (f.name().to_string(), f.request()))
            .collect(),
    ))
    .expect("facet requests are valid");
    let collector = AggregationCollector::from_aggs(request, Default::default());
    let results = searcher
        .search(query, &collector)
        .context(|| "cannot count facets".to_string())?;
    let results = serde_json::to_value(results).expect("aggregation results serialize");
    facets
        .iter()
        .map(|&facet| {
            let buckets = results[facet.name()]["buckets"]
                .as_array()
                .cloned()
                .unwrap_or_default();
            let values = match facet {
                // Days summed into years: tantivy's histograms have fixed, not calendar, intervals.
                Facet::Year => {
                    let mut years: BTreeMap<String, u64> = BTreeMap::new();
                    for b in &buckets {
                        let year = b["key_as_string"].as_str().unwrap_or_default();
                        if let (Some(year), Some(n)) = (year.get(..4), b["doc_count"].as_u64()) {
                            *years.entry(year.to_string()).or_default() += n;
                        }
                    }
                    sorted(years)
                }
                _ => sorted(buckets.iter().filter_map(|b| {
                    Some((b["key"].as_str()?.to_string(), b["doc_count"].as_u64()?))
                })),
            };
            Ok(FacetCounts {
                facet: facet.name(),
                values,
                missing: missing(searcher, query, facet)?,
            })
        })
        .collect()
}

/// How many articles matching `query` have no value for `facet`: the aggregations leave them
/// out, and without them the counts would not add up to the matches.
fn missing(searcher: &Searcher, query: &dyn Query, facet: Facet) -> Result<u64, Error> {
    let without = BooleanQuery::new(vec![
        (Occur::Must, query.box_clone()),
        (
            Occur::MustNot,
            Box::new(ExistsQuery::new(facet.field().to_string(), false)),
        ),
    ]);
    let n = searcher
        .search(&without, &Count)
        .context(|| format!("cannot count articles without a {}", facet.name()))?;
    Ok(n as u64)
}
