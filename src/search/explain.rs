//! Why a hit scored as it did: tantivy's explanation of a score, as a tree whose term and
//! phrase entries name their field and words instead of tantivy's internal field numbers, and
//! count articles: the index also holds one record document per file (see
//! [`crate::store::records`]), which are no articles.

use std::collections::HashMap;

use serde::Serialize;
use serde_json::Value;
use tantivy::collector::Count;
use tantivy::query::{AllQuery, PhraseQuery, Query, TermQuery};
use tantivy::schema::{Field, IndexRecordOption};
use tantivy::{DocAddress, Searcher, Term};

use super::partial::WORD_WEIGHT;
use super::statistics::ArticleStatistics;
use crate::analysis::names;
use crate::error::{Context, Error};
use crate::store::RasdIndex;
use crate::store::records::RecordFields;

/// One part of a score: its value, what it is, and the parts it is computed from.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ScoreExplanation {
    pub score: f32,
    pub reason: String,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub parts: Vec<ScoreExplanation>,
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

/// `Term=Term(field=3, type=Str, "ارهاب")` → field 3 and `ارهاب`.
fn term_of(context: &str) -> Option<(Field, String)> {
    let field = context
        .split("field=")
        .nth(1)?
        .split(|c: char| !c.is_ascii_digit())
        .next()?
        .parse::<u32>()
        .ok()?;
    let (_, rest) = context.split_once('"')?;
    let (text, _) = rest.rsplit_once('"')?;
    Some((Field::from_field_id(field), text.to_string()))
}

/// The consecutive terms that phrase queries visit, grouped into phrases: `query_terms`
/// visits a phrase's terms one after another, each needing positions.
fn phrases_of(query: &dyn Query) -> Vec<Vec<Term>> {
    let mut phrases: Vec<Vec<Term>> = Vec::new();
    let mut open = false;
    query.query_terms(&mut |term, positions| {
        match phrases.last_mut() {
            Some(phrase) if open && positions && phrase[0].field() == term.field() => {
                phrase.push(term.clone());
            }
            _ if positions => phrases.push(vec![term.clone()]),
            _ => {}
        }
        open = positions;
    });
    phrases
}

/// What the explanation of one article's score reads besides tantivy's tree.
struct Explainer<'a> {
    index: &'a RasdIndex,
    searcher: &'a Searcher,
    statistics: &'a ArticleStatistics<'a>,
    address: DocAddress,
    /// The articles in the index.
    articles: u64,
    /// The average length of a field over the articles, by field.
    averages: HashMap<Field, f64>,
    /// The query's phrases, in the order their entries appear, and the next one to match.
    phrases: Vec<Vec<Term>>,
    next_phrase: usize,
}

impl Explainer<'_> {
    fn name(&self, field: Field) -> String {
        self.index.index.schema().get_field_name(field).to_string()
    }

    /// A term as the explanation shows it: a name key as `rasd analyze --query` does, with
    /// the script of the spelling it was made from, without the places of that spelling's
    /// vowels, which only the ranking reads (`aSHL.2` → `name key SHL, spelt in Arabic
    /// letters`).
    fn shown_term(&self, field: Field, text: &str) -> String {
        if !super::names::name_key_fields(self.index).contains(&field) {
            return text.to_string();
        }
        let (key, ..) = names::split_term(text);
        let mut letters = key.chars();
        let script = match letters.next() {
            Some(names::ARABIC_MARK) => "Arabic",
            Some(names::LATIN_MARK) => "Latin",
            _ => return format!("name key {key}"),
        };
        format!("name key {}, spelt in {script} letters", letters.as_str())
    }

    /// How many articles `query` matches.
    fn count(&self, query: &dyn Query) -> Result<usize, Error> {
        self.searcher
            .search(query, &Count)
            .context(|| "cannot explain a score".to_string())
    }

    /// The average length of `field` that BM25 ranked with (see [`ArticleStatistics`]).
    fn average(&mut self, field: Field) -> Result<f64, Error> {
        if let Some(average) = self.averages.get(&field) {
            return Ok(*average);
        }
        let average = self.statistics.average_length(field)?;
        self.averages.insert(field, average);
        Ok(average)
    }

    /// `… time(s) in a field of … words (article average …); in … of … articles`: of all
    /// articles, or in a field of one language of that language's, among which BM25 counts
    /// the term's rarity there (see [`ArticleStatistics`]).
    fn counts(&mut self, value: &Value, field: Field, with: usize) -> Result<String, Error> {
        let number = |name| detail(value, name).unwrap_or_default();
        let among = match self.statistics.language_of(field) {
            Some((lang, articles)) => format!("{articles} articles in {lang}"),
            None => format!("{} articles", self.articles),
        };
        Ok(format!(
            "{} time(s) in a field of {} words (article average {:.1}); in {with} of {among}",
            number("freq,"),
            number("dl,"),
            self.average(field)?,
        ))
    }

    /// The first phrase not yet matched that scores this article as `score`, else any that does.
    fn phrase(&mut self, score: f64) -> Result<Option<Vec<Term>>, Error> {
        let scores = |terms: &Vec<Term>| {
            terms.len() >= 2
                && explain_with(
                    self.statistics,
                    &PhraseQuery::new(terms.clone()),
                    self.address,
                )
                .is_ok_and(|e| (f64::from(e.value()) - score).abs() < 1e-3)
        };
        while self.next_phrase < self.phrases.len() {
            let terms = self.phrases[self.next_phrase].clone();
            self.next_phrase += 1;
            if scores(&terms) {
                return Ok(Some(terms));
            }
        }
        // A phrase the query visits once and scores twice (a phrase of a view without
        // positions is matched on its stemmed view's, which has its own entry): any that fits.
        Ok(self.phrases.iter().find(|terms| scores(terms)).cloned())
    }

    fn convert(&mut self, value: &Value) -> Result<ScoreExplanation, Error> {
        let score = value["value"].as_f64().unwrap_or_default();
        let description = value["description"].as_str().unwrap_or_default();
        let contexts: Vec<&str> = value["context"]
            .as_array()
            .into_iter()
            .flatten()
            .filter_map(|c| c.as_str())
            .collect();
        // A term's BM25 internals, on one line.
        if description.starts_with("TermQuery") {
            let reason = match contexts.iter().find_map(|c| term_of(c)) {
                Some((field, text)) => {
                    let term = Term::from_field_text(field, &text);
                    let with = self.count(&TermQuery::new(term, IndexRecordOption::Basic))?;
                    let counts = self.counts(value, field, with)?;
                    let shown = self.shown_term(field, &text);
                    format!("{}: {shown}: {counts}", self.name(field))
                }
                None => contexts.join("; "),
            };
            return Ok(leaf(score, reason));
        }
        // A phrase's: tantivy names neither its field nor its words.
        if description.starts_with("Phrase") {
            let reason = match self.phrase(score)? {
                Some(terms) => {
                    let field = terms[0].field();
                    let words: Vec<String> = terms
                        .iter()
                        .filter_map(|t| t.value().as_str().map(str::to_string))
                        .collect();
                    let with = self.count(&PhraseQuery::new(terms.clone()))?;
                    let counts = self.counts(value, field, with)?;
                    format!("{}: \"{}\": {counts}", self.name(field), words.join(" "))
                }
                None => "a phrase".to_string(),
            };
            return Ok(leaf(score, reason));
        }
        let mut parts = value["details"]
            .as_array()
            .into_iter()
            .flatten()
            .map(|d| self.convert(d))
            .collect::<Result<Vec<_>, _>>()?;
        // A sum of one part is that part; a boost of one part is that part, weighted.
        if parts.len() == 1 {
            let mut part = parts.remove(0);
            if let Some(weight) = description.strip_prefix("Boost x") {
                let weight = weight.trim_end_matches(" of ...");
                part.reason = weighted(&part.reason, weight);
            }
            part.score = score as f32;
            return Ok(part);
        }
        let mut reason = description
            .trim_start_matches("BooleanClause. ")
            .trim_end_matches(" ...")
            .to_string();
        if !contexts.is_empty() {
            reason = format!("{reason} [{}]", contexts.join("; "));
        }
        Ok(ScoreExplanation {
            score: score as f32,
            reason,
            parts,
        })
    }
}

/// `reason` with `weight` (as tantivy writes it) said once: a weight of a weight is their
/// product (`×2` of an alias's `×0.25` is `×0.5`), not two weights side by side.
fn weighted(reason: &str, weight: &str) -> String {
    let inner = reason
        .strip_suffix(')')
        .and_then(|r| r.rsplit_once(" (weight ×"))
        .and_then(|(rest, inner)| Some((rest, inner.parse::<f32>().ok()?)));
    match (inner, weight.parse::<f32>()) {
        (Some((rest, inner)), Ok(outer)) => format!("{rest} (weight ×{})", inner * outer),
        _ => format!("{reason} (weight ×{weight})"),
    }
}

/// Takes out of `explanation` the constant each matched word adds in a partial match's query
/// (see [`super::partial`]), which ranks partial matches by their number of words and is not
/// part of the score a hit shows: each such row reads as the word it counts, at 0, and the
/// sums above it shrink by as much. Returns what was taken out.
fn without_word_counts(explanation: &mut ScoreExplanation) -> f32 {
    if explanation.parts.is_empty() {
        if explanation.reason.starts_with("Const") && explanation.score == WORD_WEIGHT {
            explanation.score = 0.0;
            explanation.reason =
                "has this word (partial matches rank by words first; not in the score)".to_string();
            return WORD_WEIGHT;
        }
        return 0.0;
    }
    let removed: f32 = explanation.parts.iter_mut().map(without_word_counts).sum();
    explanation.score -= removed;
    removed
}

fn leaf(score: f64, reason: String) -> ScoreExplanation {
    ScoreExplanation {
        score: score as f32,
        reason,
        parts: vec![],
    }
}

/// tantivy's explanation of the score of the document at `address` for `query`, with the
/// statistics the search ranked with.
fn explain_with(
    statistics: &ArticleStatistics,
    query: &dyn Query,
    address: DocAddress,
) -> tantivy::Result<tantivy::query::Explanation> {
    let segment = statistics.searcher().segment_reader(address.segment_ord);
    query
        .weight(statistics.scoring())?
        .explain(segment, address.doc_id)
}

/// Explains the score of the article at `address` for `query`.
pub(super) fn explain(
    index: &RasdIndex,
    statistics: &ArticleStatistics,
    query: &dyn Query,
    address: DocAddress,
) -> Result<ScoreExplanation, Error> {
    let searcher = statistics.searcher();
    let explanation = explain_with(statistics, query, address)
        .context(|| "cannot explain a score".to_string())?;
    let value = serde_json::to_value(&explanation).expect("explanations serialize");
    let all_articles = RecordFields::new(index).articles_only(Box::new(AllQuery));
    let articles = searcher
        .search(&all_articles, &Count)
        .context(|| "cannot explain a score".to_string())?;
    let mut explainer = Explainer {
        index,
        searcher,
        statistics,
        address,
        articles: articles as u64,
        averages: HashMap::new(),
        phrases: phrases_of(query),
        next_phrase: 0,
    };
    let mut explained = explainer.convert(&value)?;
    without_word_counts(&mut explained);
    Ok(explained)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_weight_of_a_weight_is_said_once() {
        assert_eq!(
            weighted("title: isis: …", "2"),
            "title: isis: … (weight ×2)"
        );
        assert_eq!(
            weighted("title: isis: … (weight ×0.25)", "2"),
            "title: isis: … (weight ×0.5)"
        );
        assert_eq!(weighted("a (weight ×x)", "2"), "a (weight ×x) (weight ×2)");
    }
}
