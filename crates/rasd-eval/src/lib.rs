//! rasd's relevance evaluation: its analysis against the analyzers users would otherwise
//! pick, on a judged set of queries, with the same schema, index and ranking for all. Holds
//! the judged set (`tests/relevance/`, see its README), the metrics ([`metrics`]), the
//! analyzers rasd is measured against ([`baselines`]), the `relevance` and
//! `analyzer_throughput` examples, and the quality regression test (`tests/relevance.rs`).
//! Also the HTML extraction evaluation ([`extraction`], the `extraction` example and
//! `tests/extraction.rs`).
//!
//! A workspace member that is not published: rasd's users get none of it.
//!
//! Each contender gets its own in-memory index built from the same articles; only the
//! analyzers of the full-text fields differ. rasd's query-time proclitic expansion is part of
//! rasd's analysis design, so only rasd uses it.
//!
//! ```text
//! cargo run --release -p rasd-eval --example relevance   # the tables
//! cargo test -p rasd-eval --test relevance               # the ordering, guarded
//! ```

pub mod baselines;
pub mod extraction;
pub mod metrics;
pub mod names;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use rasd::Error;
use rasd::analysis;
use rasd::article::Article;
use rasd::ingest::{self, DiscoverOptions};
use rasd::schema::IndexSchema;
use rasd::search::{self, QueryOptions, SearchRequest};
use rasd::store::RasdIndex;
use serde::{Deserialize, Serialize};
use tantivy::tokenizer::TextAnalyzer;

use metrics::Judgments;

/// Rank cut-off of every metric.
pub const CUTOFF: usize = 10;

/// The committed judged set, found from this crate's folder whatever the working directory.
pub fn judged_set() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/relevance")
}

/// One judged query.
#[derive(Clone, Debug, Deserialize, Serialize)]
pub struct JudgedQuery {
    /// A short unique name (`clitics-01`).
    pub id: String,
    /// What it tests (`clitics`, `orthography`, `phrases`…).
    pub category: String,
    /// The information need, in a sentence, that the judgments follow.
    pub need: String,
    /// What the user types, in rasd's query syntax.
    pub query: String,
    /// Article id → grade (2 highly relevant, 1 partially); unjudged articles are not relevant.
    pub judgments: Judgments,
}

/// One of rasd's search stages, turned off in an ablation row.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Stage {
    /// Partial matches, and articles with a word only through words of its root, after the
    /// matches (what `--all` turns off).
    PartialMatches,
    /// Articles like the first hit after the matches.
    Related,
    /// Duals, sound plurals and nisba forms.
    Inflection,
    /// The broken-plural table.
    PluralTable,
    /// A verb's persons and tenses, and its verbal noun.
    Verbs,
    /// Words of the same root.
    Root,
    /// Names across scripts by transliteration.
    Transliteration,
    /// Terms translated with the glossary.
    Glossary,
}

impl Stage {
    /// Every stage, in the order of the tables.
    pub const ALL: [Stage; 8] = [
        Stage::PartialMatches,
        Stage::Related,
        Stage::Inflection,
        Stage::PluralTable,
        Stage::Verbs,
        Stage::Root,
        Stage::Transliteration,
        Stage::Glossary,
    ];
}

/// An analyzer (and query pipeline) under evaluation.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Contender {
    /// rasd's analyzers and query expansion.
    Rasd,
    /// rasd with one stage off: what that stage is worth.
    RasdWithout(Stage),
    /// Lucene's (and Elasticsearch's) `ArabicAnalyzer`.
    LuceneArabic,
    /// tantivy's default analyzer with its Snowball Arabic stemmer.
    SnowballArabic,
    /// tantivy's default analyzer.
    TantivyDefault,
}

impl Contender {
    /// rasd and the analyzers users would otherwise pick, rasd first.
    pub const ALL: [Contender; 4] = [
        Contender::Rasd,
        Contender::LuceneArabic,
        Contender::SnowballArabic,
        Contender::TantivyDefault,
    ];

    /// rasd with each stage off in turn.
    pub const ABLATIONS: [Contender; 8] = [
        Contender::RasdWithout(Stage::PartialMatches),
        Contender::RasdWithout(Stage::Related),
        Contender::RasdWithout(Stage::Inflection),
        Contender::RasdWithout(Stage::PluralTable),
        Contender::RasdWithout(Stage::Verbs),
        Contender::RasdWithout(Stage::Root),
        Contender::RasdWithout(Stage::Transliteration),
        Contender::RasdWithout(Stage::Glossary),
    ];

    /// Its name in tables.
    pub fn name(self) -> &'static str {
        match self {
            Contender::Rasd => "rasd",
            Contender::RasdWithout(Stage::PartialMatches) => "− partial matches",
            Contender::RasdWithout(Stage::Related) => "− related articles",
            Contender::RasdWithout(Stage::Inflection) => "− duals, plurals, nisba",
            Contender::RasdWithout(Stage::PluralTable) => "− plural table",
            Contender::RasdWithout(Stage::Verbs) => "− verbs",
            Contender::RasdWithout(Stage::Root) => "− root",
            Contender::RasdWithout(Stage::Transliteration) => "− transliteration",
            Contender::RasdWithout(Stage::Glossary) => "− glossary",
            Contender::LuceneArabic => "Lucene Arabic",
            Contender::SnowballArabic => "tantivy Snowball Arabic",
            Contender::TantivyDefault => "tantivy default",
        }
    }

    /// The analyzer that replaces all of rasd's full-text analyzers, if any.
    fn analyzer(self) -> Option<TextAnalyzer> {
        match self {
            Contender::Rasd | Contender::RasdWithout(_) => None,
            Contender::LuceneArabic => Some(baselines::lucene_arabic()),
            Contender::SnowballArabic => Some(baselines::snowball_arabic()),
            Contender::TantivyDefault => Some(baselines::tantivy_default()),
        }
    }

    /// How the contender's queries run. rasd's query-time stages read rasd's own analyzers,
    /// so the other analyzers run without them; partial matches and articles like the first
    /// hit are query logic, not analysis, and every contender has them.
    fn request(self, query: &str) -> SearchRequest {
        let rasd = matches!(self, Contender::Rasd | Contender::RasdWithout(_));
        let without = |stage| self == Contender::RasdWithout(stage);
        let mut options = QueryOptions {
            exact: false,
            expand_proclitics: rasd,
            // Aliases are query data, not analysis: measured apart from the analyzers.
            expand_aliases: false,
            transliterate: rasd && !without(Stage::Transliteration),
            // The glossary is query data too, but crossing languages is what it measures: on
            // for rasd, with its own ablation row.
            translate: rasd && !without(Stage::Glossary),
            ..QueryOptions::default()
        };
        options.forms.inflection = rasd && !without(Stage::Inflection);
        options.forms.plural_table = rasd && !without(Stage::PluralTable);
        options.forms.verbs = rasd && !without(Stage::Verbs);
        options.forms.root = rasd && !without(Stage::Root);
        SearchRequest {
            query: query.to_string(),
            limit: CUTOFF,
            offset: 0,
            options,
            all_words: without(Stage::PartialMatches),
            related: !without(Stage::Related),
            ..SearchRequest::default()
        }
    }
}

/// Reads judged queries from JSON Lines files.
pub fn read_queries(files: &[PathBuf]) -> Result<Vec<JudgedQuery>, Error> {
    let mut queries = Vec::new();
    for file in files {
        let text = std::fs::read_to_string(file).map_err(|cause| Error::Io {
            context: format!("cannot read {}", file.display()),
            cause,
        })?;
        for (number, line) in text.lines().enumerate() {
            if line.trim().is_empty() {
                continue;
            }
            let query: JudgedQuery = serde_json::from_str(line)
                .map_err(|e| Error::Query(format!("{}:{}: {e}", file.display(), number + 1)))?;
            queries.push(query);
        }
    }
    Ok(queries)
}

/// Reads every article under `root`; any problem is an error (a judged corpus must be clean).
pub fn read_corpus(root: &Path) -> Result<Vec<Article>, Error> {
    let discovery = ingest::discover(&[root.to_path_buf()], &DiscoverOptions::default());
    let mut articles = Vec::new();
    let mut problems = discovery.problems;
    for file in &discovery.files {
        let outcome = file.read(&ingest::ReadOptions::default());
        problems.extend(outcome.problems);
        articles.extend(outcome.articles);
    }
    if let Some(problem) = problems.first() {
        return Err(Error::Query(format!(
            "the evaluation corpus has a problem: {}",
            problem.reason
        )));
    }
    Ok(articles)
}

/// Builds a contender's in-memory index of `articles` with the built-in schema.
pub fn build_index(contender: Contender, articles: &[Article]) -> Result<RasdIndex, Error> {
    let index = RasdIndex::in_memory(IndexSchema::builtin())?;
    // Registered before any article is added: the writer takes the analyzers as they are.
    if let Some(analyzer) = contender.analyzer() {
        for name in [
            analysis::STEMMED,
            analysis::SURFACE,
            analysis::FRENCH,
            analysis::ENGLISH,
        ] {
            index.index.tokenizers().register(name, analyzer.clone());
        }
    }
    index.add_articles(articles)?;
    Ok(index)
}

/// The ids of the first [`CUTOFF`] hits of `query` in a contender's index.
pub fn ranked_ids(
    index: &RasdIndex,
    contender: Contender,
    query: &str,
) -> Result<Vec<String>, Error> {
    let request = contender.request(query);
    Ok(search::search(index, &request)?
        .hits
        .into_iter()
        .map(|hit| hit.id)
        .collect())
}

/// An article some contender ranked in its first [`CUTOFF`] for a query, but nobody judged:
/// what a judge must read to complete the judgments (TREC-style pooling).
#[derive(Clone, Debug, Serialize)]
pub struct Unjudged {
    /// The query's id.
    pub query: String,
    /// The article's id.
    pub article: String,
}

/// The unjudged articles in the pooled first [`CUTOFF`] hits of every contender.
pub fn unjudged_pool(
    articles: &[Article],
    queries: &[JudgedQuery],
    contenders: &[Contender],
) -> Result<Vec<Unjudged>, Error> {
    let mut pool: Vec<Unjudged> = Vec::new();
    for &contender in contenders {
        let index = build_index(contender, articles)?;
        for query in queries {
            for id in ranked_ids(&index, contender, &query.query)? {
                let known = pool.iter().any(|u| u.query == query.id && u.article == id);
                if !known && !query.judgments.contains_key(&id) {
                    pool.push(Unjudged {
                        query: query.id.clone(),
                        article: id,
                    });
                }
            }
        }
    }
    Ok(pool)
}

/// rasd's first [`CUTOFF`] hits of each query with their grades and titles, then the relevant
/// articles it did not rank there: what to read when a query scores low.
pub fn explain(articles: &[Article], queries: &[JudgedQuery]) -> Result<String, Error> {
    let index = build_index(Contender::Rasd, articles)?;
    let title = |id: &str| {
        articles
            .iter()
            .find(|a| a.id == id)
            .map(|a| a.title.chars().take(70).collect::<String>())
            .unwrap_or_default()
    };
    let mut out = String::new();
    for query in queries {
        let ranked = ranked_ids(&index, Contender::Rasd, &query.query)?;
        let ndcg = metrics::ndcg_at(CUTOFF, &ranked, &query.judgments);
        out.push_str(&format!(
            "{} `{}` nDCG@10 {ndcg:.3}\n  need: {}\n",
            query.id, query.query, query.need
        ));
        for (rank, id) in ranked.iter().enumerate() {
            let grade = query
                .judgments
                .get(id)
                .map_or("?".to_string(), |g| g.to_string());
            out.push_str(&format!(
                "  {:>2}. [{grade}] {id} {}\n",
                rank + 1,
                title(id)
            ));
        }
        let mut missed: Vec<(&String, &u8)> = query
            .judgments
            .iter()
            .filter(|(id, grade)| **grade > 0 && !ranked.contains(id))
            .collect();
        missed.sort_by(|a, b| b.1.cmp(a.1).then(a.0.cmp(b.0)));
        for (id, grade) in missed {
            out.push_str(&format!("  missed [{grade}] {id} {}\n", title(id)));
        }
        out.push('\n');
    }
    Ok(out)
}

/// Mean scores over a set of queries.
#[derive(Clone, Copy, Debug, Default, PartialEq, Serialize)]
pub struct Scores {
    pub ndcg: f64,
    pub mrr: f64,
    pub recall: f64,
    /// Number of queries averaged.
    pub queries: usize,
}

impl Scores {
    fn add(&mut self, ranked: &[String], judgments: &Judgments) {
        self.ndcg += metrics::ndcg_at(CUTOFF, ranked, judgments);
        self.mrr += metrics::mrr_at(CUTOFF, ranked, judgments);
        self.recall += metrics::recall_at(CUTOFF, ranked, judgments);
        self.queries += 1;
    }

    fn mean(mut self) -> Self {
        let n = self.queries.max(1) as f64;
        self.ndcg /= n;
        self.mrr /= n;
        self.recall /= n;
        self
    }
}

/// The name of the row that averages every query.
pub const ALL_QUERIES: &str = "all";

/// Scores of every contender, per category and over all queries.
#[derive(Clone, Debug, Serialize)]
pub struct Evaluation {
    /// Contender name → category (and [`ALL_QUERIES`]) → mean scores.
    pub scores: BTreeMap<String, BTreeMap<String, Scores>>,
    /// Categories in the order of first appearance.
    pub categories: Vec<String>,
    /// Contender names in evaluation order.
    pub contenders: Vec<String>,
    /// Contender name → query id → nDCG@10, for looking into single queries.
    pub per_query: BTreeMap<String, BTreeMap<String, f64>>,
}

impl Evaluation {
    /// The mean scores of a contender on a category (or [`ALL_QUERIES`]).
    pub fn get(&self, contender: Contender, category: &str) -> Scores {
        self.scores[contender.name()][category]
    }
}

/// Evaluates contenders on judged queries over `articles`.
pub fn evaluate(
    articles: &[Article],
    queries: &[JudgedQuery],
    contenders: &[Contender],
) -> Result<Evaluation, Error> {
    let mut categories: Vec<String> = Vec::new();
    for query in queries {
        if !categories.contains(&query.category) {
            categories.push(query.category.clone());
        }
    }
    let mut evaluation = Evaluation {
        scores: BTreeMap::new(),
        categories,
        contenders: contenders.iter().map(|c| c.name().to_string()).collect(),
        per_query: BTreeMap::new(),
    };
    for &contender in contenders {
        let index = build_index(contender, articles)?;
        let mut sums: BTreeMap<String, Scores> = BTreeMap::new();
        let mut per_query = BTreeMap::new();
        for query in queries {
            let ranked = ranked_ids(&index, contender, &query.query)
                .map_err(|e| Error::Query(format!("query {}: {e}", query.id)))?;
            sums.entry(query.category.clone())
                .or_default()
                .add(&ranked, &query.judgments);
            sums.entry(ALL_QUERIES.to_string())
                .or_default()
                .add(&ranked, &query.judgments);
            per_query.insert(
                query.id.clone(),
                metrics::ndcg_at(CUTOFF, &ranked, &query.judgments),
            );
        }
        let means = sums.into_iter().map(|(k, s)| (k, s.mean())).collect();
        evaluation
            .scores
            .insert(contender.name().to_string(), means);
        evaluation
            .per_query
            .insert(contender.name().to_string(), per_query);
    }
    Ok(evaluation)
}

/// The evaluation as Markdown tables, one per metric: categories down, contenders across.
pub fn markdown(evaluation: &Evaluation) -> String {
    let mut out = String::new();
    type Metric = (&'static str, fn(&Scores) -> f64);
    let metrics: [Metric; 3] = [
        ("nDCG@10", |s| s.ndcg),
        ("MRR@10", |s| s.mrr),
        ("Recall@10", |s| s.recall),
    ];
    let mut rows = evaluation.categories.clone();
    rows.push(ALL_QUERIES.to_string());
    for (metric, value) in metrics {
        out.push_str(&format!("| {metric} | queries |"));
        for name in &evaluation.contenders {
            out.push_str(&format!(" {name} |"));
        }
        out.push_str("\n| --- | ---: |");
        out.push_str(&" ---: |".repeat(evaluation.contenders.len()));
        out.push('\n');
        for row in &rows {
            let queries = evaluation.scores[&evaluation.contenders[0]][row].queries;
            out.push_str(&format!("| {row} | {queries} |"));
            let best = evaluation
                .contenders
                .iter()
                .map(|c| value(&evaluation.scores[c][row]))
                .fold(f64::MIN, f64::max);
            for name in &evaluation.contenders {
                let v = value(&evaluation.scores[name][row]);
                if (v - best).abs() < 1e-9 {
                    out.push_str(&format!(" **{v:.3}** |"));
                } else {
                    out.push_str(&format!(" {v:.3} |"));
                }
            }
            out.push('\n');
        }
        out.push('\n');
    }
    out
}
