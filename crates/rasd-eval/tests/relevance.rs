//! Quality regression test: on the committed judged set (`tests/relevance/`), rasd must rank
//! first on every category, beat the best other analyzer by at least 0.05 nDCG@10 over all
//! queries, and none of its search stages (the glossary included) may lower any category by
//! more than 0.02. On the second judged set (`tests/relevance-fresh/`, written without running
//! rasd), rasd must rank first on every category and overall; likewise on the third
//! (`tests/relevance-natural/`, natural-language queries with verbs, also written blind), and
//! on the fourth (`tests/relevance-derived/`, word families, written blind), the fifth
//! (`tests/relevance-blind/`, the held-out set's categories, written blind) and the sixth
//! (`tests/relevance-sixth/`, the same categories, written blind by another author). No timing
//! here: this measures rankings only.

use std::path::{Path, PathBuf};

use rasd_eval::{self as eval, ALL_QUERIES, Contender, Evaluation, JudgedQuery, Stage};

/// The most a stage may lower a category's nDCG@10 (rasd with the stage off scoring more).
const MAX_STAGE_LOSS: f64 = 0.02;
/// Known, open exception (issue 12): the plural table makes `الخلايا النائمة` also find
/// single cells (خلية), lowering overstemming by 0.034 (0.902 against 0.936). (Nisba's, a
/// noun finding its adjective in `القضاء العسكري`, is gone: the cross-language articles
/// added a case before a military investigating judge, `قاضي التحقيق العسكري`, that only the
/// adjective finds. The root view's on the natural-language queries is gone too: words of the
/// same root are for queries of at most four words.)
const KNOWN_LOSSES: &[(&str, &str)] = &[("overstemming", "− plural table")];
/// The cross-language category: the least nDCG@10 rasd keeps there (issue 16's target).
const MIN_CROSSLANG: f64 = 0.70;
/// The smallest lead over the best other analyzer, in nDCG@10 over all queries.
const MIN_LEAD: f64 = 0.05;

/// A judged set's queries and articles, checked: every judged article exists and every query
/// has a highly relevant one.
fn judged(dir: &Path) -> (Vec<JudgedQuery>, Vec<rasd::article::Article>) {
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir)
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
    (queries, articles)
}

/// Asserts that rasd scores above every other analyzer on every category and overall.
fn assert_rasd_first(evaluation: &Evaluation, set: &str) {
    let table = eval::markdown(evaluation);
    let mut rows = evaluation.categories.clone();
    rows.push(ALL_QUERIES.to_string());
    for category in &rows {
        let rasd = evaluation.get(Contender::Rasd, category).ndcg;
        for &other in &Contender::ALL[1..] {
            let theirs = evaluation.get(other, category).ndcg;
            assert!(
                rasd > theirs,
                "{set}, {category}: rasd {rasd:.3} is not above {} {theirs:.3}\n{table}",
                other.name()
            );
        }
    }
}

#[test]
fn rasd_ranks_first_on_every_category_and_overall() {
    let (queries, articles) = judged(&eval::judged_set());
    assert!(queries.len() >= 60, "{} queries", queries.len());
    assert!(articles.len() >= 80, "{} articles", articles.len());

    let contenders: Vec<Contender> = Contender::ALL
        .into_iter()
        .chain(Contender::ABLATIONS)
        .collect();
    let evaluation = eval::evaluate(&articles, &queries, &contenders).unwrap();
    let table = eval::markdown(&evaluation);
    let others = &Contender::ALL[1..];
    assert_rasd_first(&evaluation, "judged set");
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
    // Across languages, rasd keeps its score.
    let crosslang = evaluation.get(Contender::Rasd, "crosslang").ndcg;
    assert!(
        crosslang >= MIN_CROSSLANG,
        "crosslang: rasd {crosslang:.3} below {MIN_CROSSLANG}\n{table}"
    );
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

/// The judged set in the folder `name` beside the first, of at least `least` queries: rasd
/// first on every category and overall.
fn assert_rasd_first_on(name: &str, least: usize) {
    let (queries, articles) = judged(&eval::judged_set().with_file_name(name));
    assert!(queries.len() >= least, "{name}: {} queries", queries.len());
    let evaluation = eval::evaluate(&articles, &queries, &Contender::ALL).unwrap();
    assert_rasd_first(&evaluation, name);
}

#[test]
fn rasd_ranks_first_on_every_category_of_the_second_set() {
    assert_rasd_first_on("relevance-fresh", 40);
}

#[test]
fn rasd_ranks_first_on_the_natural_language_set() {
    assert_rasd_first_on("relevance-natural", 16);
}

/// rasd without its root view.
const WITHOUT_ROOT: Contender = Contender::RasdWithout(Stage::Root);

#[test]
fn rasd_ranks_first_on_the_word_family_set() {
    let dir = eval::judged_set().with_file_name("relevance-derived");
    let (queries, articles) = judged(&dir);
    assert!(queries.len() >= 30, "{} queries", queries.len());
    let contenders: Vec<Contender> = Contender::ALL.into_iter().chain([WITHOUT_ROOT]).collect();
    let evaluation = eval::evaluate(&articles, &queries, &contenders).unwrap();
    assert_rasd_first(&evaluation, "word-family set");
    // The root view, doubled and weak roots included, is what finds the other members of a
    // family.
    let rasd = evaluation.get(Contender::Rasd, "derivation").ndcg;
    let without = evaluation.get(WITHOUT_ROOT, "derivation").ndcg;
    assert!(
        rasd >= without + 0.2,
        "derivation: rasd {rasd:.3}, {} {without:.3}\n{}",
        WITHOUT_ROOT.name(),
        eval::markdown(&evaluation)
    );
}

#[test]
fn rasd_ranks_first_on_every_category_of_the_fifth_set() {
    assert_rasd_first_on("relevance-blind", 40);
}

#[test]
fn rasd_ranks_first_on_every_category_of_the_sixth_set() {
    assert_rasd_first_on("relevance-sixth", 45);
}
