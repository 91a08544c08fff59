//! Why a hit scored as it did: tantivy's explanation of a score, as a tree whose term
//! entries name their field and term instead of tantivy's internal field numbers.

use serde::Serialize;
use serde_json::Value;
use tantivy::query::Query;
use tantivy::{DocAddress, Searcher};

use crate::error::{Context, Error};
use crate::store::RasdIndex;

/// One part of a score: its value, what it is, and the parts it is computed from.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ScoreExplanation {
    pub score: f32,
    pub reason: String,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub parts: Vec<ScoreExplanation>,
}

/// `Term(field=3, type=Str, "ارهاب")` → `body: ارهاب`.
fn readable_term(index: &RasdIndex, context: &str) -> String {
    let field = context
        .split("field=")
        .nth(1)
        .and_then(|rest| rest.split(|c: char| !c.is_ascii_digit()).next())
        .and_then(|n| n.parse::<u32>().ok())
        .map(|n| {
            index
                .index
                .schema()
                .get_field_name(tantivy::schema::Field::from_field_id(n))
                .to_string()
        });
    let text = context
        .split_once('"')
        .and_then(|(_, rest)| rest.rsplit_once('"'))
        .map(|(text, _)| text.to_string());
    match (field, text) {
        (Some(field), Some(text)) => format!("{field}: {text}"),
        _ => context.to_string(),
    }
}

/// The value of the first detail, at any depth, whose description starts with `name`.
fn detail(value: &Value, name: &str) -> Option<f64> {
    value["details"].as_array()?.iter().find_map(|d| {
        if d["description"].as_str()?.starts_with(name) {
            d["value"].as_f64()
        } else {
            detail(d, name)
        }
    })
}

fn convert(index: &RasdIndex, value: &Value) -> ScoreExplanation {
    let score = value["value"].as_f64().unwrap_or_default() as f32;
    let description = value["description"].as_str().unwrap_or_default();
    let contexts: Vec<String> = value["context"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|c| c.as_str())
        .map(|c| readable_term(index, c))
        .collect();
    let mut parts: Vec<ScoreExplanation> = value["details"]
        .as_array()
        .into_iter()
        .flatten()
        .map(|d| convert(index, d))
        .collect();
    // A term's BM25 internals, on one line.
    if description.starts_with("TermQuery") {
        let number = |name| detail(value, name).unwrap_or_default();
        return ScoreExplanation {
            score,
            reason: format!(
                "{}: {} time(s) in a field of {} words (average {:.1}); in {} of {} documents",
                contexts.join("; "),
                number("freq,"),
                number("dl,"),
                number("avgdl,"),
                number("n,"),
                number("N,")
            ),
            parts: vec![],
        };
    }
    // A sum of one part is that part; a boost of one part is that part, weighted.
    if parts.len() == 1 {
        let mut part = parts.remove(0);
        if let Some(weight) = description.strip_prefix("Boost x") {
            let weight = weight.trim_end_matches(" of ...");
            part.reason = format!("{} (weight ×{weight})", part.reason);
        }
        part.score = score;
        return part;
    }
    let mut reason = description
        .trim_start_matches("BooleanClause. ")
        .trim_end_matches(" ...")
        .to_string();
    if !contexts.is_empty() {
        reason = format!("{reason} [{}]", contexts.join("; "));
    }
    ScoreExplanation {
        score,
        reason,
        parts,
    }
}

/// Explains the score of the article at `address` for `query`.
pub fn explain(
    index: &RasdIndex,
    searcher: &Searcher,
    query: &dyn Query,
    address: DocAddress,
) -> Result<ScoreExplanation, Error> {
    let explanation = query
        .explain(searcher, address)
        .context(|| "cannot explain a score".to_string())?;
    let value = serde_json::to_value(&explanation).expect("explanations serialize");
    Ok(convert(index, &value))
}
