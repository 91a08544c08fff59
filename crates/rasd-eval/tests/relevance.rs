//! Quality regression test: on the committed judged set (`tests/relevance/`), rasd's
//! analysis must rank first on every Arabic category and beat the best other analyzer by
//! at least 0.05 nDCG@10 over all queries. No timing here: this measures rankings only.

use std::path::PathBuf;

use rasd_eval::{self as eval, ALL_QUERIES, Contender};

/// The categories whose queries are in Arabic.
const ARABIC_CATEGORIES: &[&str] = &[
    "clitics",
    "orthography",
    "overstemming",
    "phrases",
    "boolean",
];
/// The smallest lead over the best other analyzer, in nDCG@10 over all queries.
const MIN_LEAD: f64 = 0.05;

#[test]
fn rasd_ranks_first_on_every_arabic_category_and_overall() {
    let dir = eval::judged_set();
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| {
            let name = p.file_name().unwrap().to_str().unwrap();
            name.starts_with("queries") && name.ends_with(".jsonl")
        })
        .collect();
    files.sort();
    let queries = eval::read_queries(&files).unwrap();
    let articles = eval::read_corpus(&dir.join("corpus")).unwrap();
    assert!(queries.len() >= 60, "{} queries", queries.len());
    assert!(articles.len() >= 80, "{} articles", articles.len());
    for query in &queries {
        for id in query.judgments.keys() {
            assert!(
                articles.iter().any(|a| &a.id == id),
                "query {} judges unknown article {id}",
                query.id
            );
        }
        assert!(
            query.judgments.values().any(|&g| g == 2),
            "query {} has no highly relevant article",
            query.id
        );
    }

    let evaluation = eval::evaluate(&articles, &queries, &Contender::ALL).unwrap();
    let table = eval::markdown(&evaluation);
    let others = &Contender::ALL[1..];
    for category in ARABIC_CATEGORIES {
        let rasd = evaluation.get(Contender::Rasd, category).ndcg;
        for &other in others {
            let theirs = evaluation.get(other, category).ndcg;
            assert!(
                rasd > theirs,
                "{category}: rasd {rasd:.3} is not above {} {theirs:.3}\n{table}",
                other.name()
            );
        }
    }
    let rasd = evaluation.get(Contender::Rasd, ALL_QUERIES).ndcg;
    let best_other = others
        .iter()
        .map(|&c| evaluation.get(c, ALL_QUERIES).ndcg)
        .fold(f64::MIN, f64::max);
    assert!(
        rasd >= best_other + MIN_LEAD,
        "overall: rasd {rasd:.3} leads the best other ({best_other:.3}) by less than {MIN_LEAD}\n{table}"
    );
}
