//! Facets: how many matching articles there are per source, language, year or tag, counted
//! with tantivy's aggregations over the fields' columns, and how many have no value at all, so
//! that a single-valued facet's counts add up to the matching articles.

use std::collections::BTreeMap;

use serde::Serialize;
use serde_json::{Value, json};
use tantivy::Searcher;
use tantivy::aggregation::AggregationCollector;
use tantivy::aggregation::agg_req::Aggregations;
use tantivy::collector::{Collector, Count, SegmentCollector};
use tantivy::columnar::Column;
use tantivy::query::{BooleanQuery, ExistsQuery, Occur, Query};
use tantivy::{DocId, Score, SegmentOrdinal, SegmentReader};

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

    /// The aggregation that counts the facet; none for the years, which [`YearCounts`] counts.
    fn request(self) -> Option<Value> {
        match self {
            Facet::Year => None,
            other => Some(json!({ "terms": { "field": other.name(), "size": MAX_VALUES } })),
        }
    }
}

/// Counts matching articles per calendar year of their date. tantivy's date histograms have
/// fixed intervals, not calendar years, and a daily one stops at 65,000 buckets: an archive
/// holding one article of 1800 beside today's could not be counted at all.
struct YearCounts;

/// The year counts of one segment.
struct SegmentYearCounts {
    dates: Option<Column<tantivy::DateTime>>,
    counts: BTreeMap<i32, u64>,
}

impl Collector for YearCounts {
    type Fruit = BTreeMap<i32, u64>;
    type Child = SegmentYearCounts;

    fn for_segment(
        &self,
        _segment: SegmentOrdinal,
        reader: &SegmentReader,
    ) -> tantivy::Result<SegmentYearCounts> {
        Ok(SegmentYearCounts {
            dates: reader.fast_fields().column_opt(Facet::Year.field())?,
            counts: BTreeMap::new(),
        })
    }

    fn requires_scoring(&self) -> bool {
        false
    }

    fn merge_fruits(&self, fruits: Vec<BTreeMap<i32, u64>>) -> tantivy::Result<Self::Fruit> {
        let mut all = BTreeMap::new();
        for (year, n) in fruits.into_iter().flatten() {
            *all.entry(year).or_default() += n;
        }
        Ok(all)
    }
}

impl SegmentCollector for SegmentYearCounts {
    type Fruit = BTreeMap<i32, u64>;

    fn collect(&mut self, doc: DocId, _score: Score) {
        if let Some(date) = self.dates.as_ref().and_then(|dates| dates.first(doc)) {
            *self.counts.entry(date.into_utc().year()).or_default() += 1;
        }
    }

    fn harvest(self) -> Self::Fruit {
        self.counts
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
            .filter_map(|f| Some((f.name().to_string(), f.request()?)))
            .collect(),
    ))
    .expect("facet requests are valid");
    let collector = AggregationCollector::from_aggs(request, Default::default());
    let years = facets.contains(&Facet::Year).then_some(YearCounts);
    let (results, years) = searcher
        .search(query, &(collector, years))
        .context(|| "cannot count facets".to_string())?;
    let results = serde_json::to_value(results).expect("aggregation results serialize");
    facets
        .iter()
        .map(|&facet| {
            let values = match facet {
                Facet::Year => {
                    sorted((years.iter().flatten()).map(|(year, n)| (format!("{year:04}"), *n)))
                }
                _ => {
                    let buckets = results[facet.name()]["buckets"].as_array();
                    sorted(buckets.into_iter().flatten().filter_map(|b| {
                        Some((b["key"].as_str()?.to_string(), b["doc_count"].as_u64()?))
                    }))
                }
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
