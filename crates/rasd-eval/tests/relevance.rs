//! Quality regression test: on the committed judged set (`tests/relevance/`), rasd's
//! analysis must rank first on every Arabic category it leads today and across languages, beat
//! the best other analyzer by at least 0.05 nDCG@10 over all queries, and none of its search
//! stages (the glossary included) may lower any category by more than 0.02. No timing here:
//! this measures rankings only.

use std::path::PathBuf;

use rasd_eval::{self as eval, ALL_QUERIES, Contender};

/// The categories whose queries are in Arabic.
/// The Arabic categories rasd must lead. `nisba` and `natural` are Arabic too, and not led
/// yet (see the README's Measured quality).
const ARABIC_CATEGORIES: &[&str] = &[
    "clitics",
    "orthography",
    "overstemming",
    "phrases",
    "boolean",
    "broken-plurals",
    "duals-plurals",
    "derivation",
    "names-scripts",
];
/// The most a stage may lower a category's nDCG@10 (rasd with the stage off scoring more).
const MAX_STAGE_LOSS: f64 = 0.02;
/// Known, open exception (issue 12): the plural table makes `الخلايا النائمة` also find
/// single cells (خلية), lowering overstemming by 0.022. (Nisba's, a noun finding its adjective
/// in `القضاء العسكري`, is gone: the cross-language articles added a case before a military
/// investigating judge, `قاضي التحقيق العسكري`, that only the adjective finds. The root view's
/// on the natural-language queries is gone too: words of the same root are for queries of at
/// most four words.)
const KNOWN_LOSSES: &[(&str, &str)] = &[("overstemming", "− plural table")];
/// The cross-language category: the least nDCG@10 rasd keeps there (issue 16's target).
const MIN_CROSSLANG: f64 = 0.70;
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

    let contenders: Vec<Contender> = Contender::ALL
        .into_iter()
        .chain(Contender::ABLATIONS)
        .collect();
    let evaluation = eval::evaluate(&articles, &queries, &contenders).unwrap();
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
    let mut rows = evaluation.categories.clone();
    rows.push(ALL_QUERIES.to_string());
    for category in &rows {
        let rasd = evaluation.get(Contender::Rasd, category).ndcg;
        for ablation in Contender::ABLATIONS {
            let without = evaluation.get(ablation, category).ndcg;
            if KNOWN_LOSSES.contains(&(category.as_str(), ablation.name())) {
                continue;
            }
            assert!(
                without <= rasd + MAX_STAGE_LOSS,
                "{category}: rasd {rasd:.3}, {} {without:.3}\n{table}",
                ablation.name()
            );
        }
    }
    // Across languages, rasd leads every other analyzer and keeps its score.
    let crosslang = evaluation.get(Contender::Rasd, "crosslang").ndcg;
    assert!(
        crosslang >= MIN_CROSSLANG,
        "crosslang: rasd {crosslang:.3} below {MIN_CROSSLANG}\n{table}"
    );
    for &other in others {
        let theirs = evaluation.get(other, "crosslang").ndcg;
        assert!(
            crosslang > theirs,
            "crosslang: rasd {crosslang:.3}, {} {theirs:.3}",
            other.name()
        );
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
