//! Relevance evaluation: builds one index per analyzer over the judged corpus and prints
//! nDCG@10, MRR@10 and Recall@10 per query category as Markdown tables: rasd, rasd with
//! each of its search stages off (ablation columns, `− stage`), and the other analyzers.
//!
//! ```text
//! cargo run --release -p rasd-eval --example relevance                  # tests/relevance
//! cargo run --release -p rasd-eval --example relevance -- DIR           # another judged set
//! cargo run --release -p rasd-eval --example relevance -- DIR --queries # and nDCG@10 per query
//! cargo run --release -p rasd-eval --example relevance -- DIR --pool    # unjudged top-10 hits
//! cargo run --release -p rasd-eval --example relevance -- DIR --explain nisba-03
//!     # rasd's first ten for one query (or a category, or `all`), graded, and what it missed
//! cargo run --release -p rasd-eval --example relevance -- DIR --haystack PATH
//!     # with the articles under PATH added, unjudged: many more partial matches to rank
//! ```
//!
//! A judged set is a folder with `corpus/` (articles in any format rasd indexes) and
//! `queries*.jsonl` (see `tests/relevance/README.md`).

use std::path::PathBuf;
use std::process::ExitCode;

use rasd_eval::{self as eval, Contender};

fn run() -> Result<(), rasd::Error> {
    let mut dir = eval::judged_set();
    let (mut per_query, mut pool) = (false, false);
    let mut explain: Option<String> = None;
    let mut haystack: Option<PathBuf> = None;
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "--queries" => per_query = true,
            "--pool" => pool = true,
            "--explain" => explain = args.next(),
            "--haystack" => haystack = args.next().map(PathBuf::from),
            other => dir = PathBuf::from(other),
        }
    }
    let mut query_files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .map_err(|e| rasd::Error::Query(format!("cannot read {}: {e}", dir.display())))?
        .filter_map(Result::ok)
        .map(|entry| entry.path())
        .filter(|path| {
            let name = path
                .file_name()
                .and_then(|n| n.to_str())
                .unwrap_or_default();
            name.starts_with("queries") && name.ends_with(".jsonl")
        })
        .collect();
    query_files.sort();
    let queries = eval::read_queries(&query_files)?;
    let mut articles = eval::read_corpus(&dir.join("corpus"))?;
    // Distractors no query judges: a judged set is small enough that every article with a
    // query word makes the first ten, an archive is not.
    if let Some(haystack) = &haystack {
        articles.extend(eval::read_corpus(haystack)?);
    }
    if pool {
        for unjudged in eval::unjudged_pool(&articles, &queries, &Contender::ALL)? {
            println!("{}", serde_json::to_string(&unjudged).expect("serializes"));
        }
        return Ok(());
    }
    if let Some(which) = explain {
        let chosen: Vec<_> = queries
            .iter()
            .filter(|q| which == "all" || q.id == which || q.category == which)
            .cloned()
            .collect();
        print!("{}", eval::explain(&articles, &chosen)?);
        return Ok(());
    }
    println!(
        "{} judged queries over {} articles ({}).\n",
        queries.len(),
        articles.len(),
        dir.display()
    );
    // rasd, the ablation rows (rasd with one stage off), then the other analyzers.
    let contenders: Vec<Contender> = [Contender::Rasd]
        .into_iter()
        .chain(Contender::ABLATIONS)
        .chain(Contender::ALL[1..].iter().copied())
        .collect();
    let evaluation = eval::evaluate(&articles, &queries, &contenders)?;
    print!("{}", eval::markdown(&evaluation));
    if per_query {
        println!(
            "| query | category | {} |",
            evaluation.contenders.join(" | ")
        );
        println!(
            "| --- | --- |{}",
            " ---: |".repeat(evaluation.contenders.len())
        );
        for query in &queries {
            let scores: Vec<String> = evaluation
                .contenders
                .iter()
                .map(|c| format!("{:.3}", evaluation.per_query[c][&query.id]))
                .collect();
            println!(
                "| {} `{}` | {} | {} |",
                query.id,
                query.query,
                query.category,
                scores.join(" | ")
            );
        }
    }
    Ok(())
}

fn main() -> ExitCode {
    match run() {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("relevance: error: {error}");
            ExitCode::from(2)
        }
    }
}
