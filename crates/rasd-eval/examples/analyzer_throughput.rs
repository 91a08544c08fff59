//! Analyzer throughput: MB of article text per second through rasd's analyzers and through
//! tantivy's default analyzer, measured in the same run, medians of several runs.
//!
//! ```text
//! cargo run --release -p rasd-eval --example analyzer_throughput          # sample, judged sets
//! cargo run --release -p rasd-eval --example analyzer_throughput -- DIR...  # other archives
//! ```
//!
//! Each run streams every token of every article's title and body through the analyzer.
//! "rasd, all views" is what analysing one article costs when it is indexed: the stemmed,
//! surface and name-key views, plus the French or English view for articles in those languages.

use std::path::{Path, PathBuf};
use std::time::Instant;

use rasd::analysis::snowball::LatinLanguage;
use rasd::analysis::{latin_analyzer, name_key_analyzer, stemmed_analyzer, surface_analyzer};
use rasd::schema::IndexSchema;
use rasd_eval::{baselines, judged_set, read_corpus};
use tantivy::tokenizer::TextAnalyzer;

/// Runs per analyzer; the median is reported.
const RUNS: usize = 7;
/// Each run analyzes the texts this many times, so that a run lasts long enough to time.
const MIN_BYTES_PER_RUN: usize = 20_000_000;

/// Consumes every token of `text`; returns the token count so the work is not optimized away.
fn drain(analyzer: &mut TextAnalyzer, text: &str) -> usize {
    let mut stream = analyzer.token_stream(text);
    let mut tokens = 0;
    while stream.advance() {
        tokens += 1;
    }
    tokens
}

fn median(mut values: Vec<f64>) -> f64 {
    values.sort_by(f64::total_cmp);
    values[values.len() / 2]
}

fn main() {
    let mut roots: Vec<PathBuf> = std::env::args().skip(1).map(PathBuf::from).collect();
    if roots.is_empty() {
        let workspace = Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
        roots = vec![workspace.join("sample-corpus"), judged_set().join("corpus")];
    }
    let mut texts: Vec<(String, Option<String>)> = Vec::new();
    for root in &roots {
        let articles = read_corpus(root).unwrap_or_else(|e| {
            eprintln!("analyzer_throughput: error: {e}");
            std::process::exit(2);
        });
        texts.extend(
            articles
                .into_iter()
                .map(|a| (format!("{}\n{}", a.title, a.body), a.meta.lang)),
        );
    }
    let bytes: usize = texts.iter().map(|(t, _)| t.len()).sum();
    let repeats = MIN_BYTES_PER_RUN.div_ceil(bytes.max(1));
    let lists = IndexSchema::builtin().word_lists;

    let mut rasd_stemmed = stemmed_analyzer(&lists);
    let mut rasd_surface = surface_analyzer(&lists);
    let mut french = latin_analyzer(&lists, LatinLanguage::French);
    let mut english = latin_analyzer(&lists, LatinLanguage::English);
    let mut name_keys = name_key_analyzer();
    let mut tantivy_default = baselines::tantivy_default();

    let time = |name: &str, analyze: &mut dyn FnMut(&str, Option<&str>) -> usize| {
        let mut speeds = Vec::with_capacity(RUNS);
        for _ in 0..RUNS {
            let started = Instant::now();
            let mut tokens = 0;
            for _ in 0..repeats {
                for (text, lang) in &texts {
                    tokens += analyze(text, lang.as_deref());
                }
            }
            std::hint::black_box(tokens);
            let seconds = started.elapsed().as_secs_f64();
            speeds.push((bytes * repeats) as f64 / 1e6 / seconds);
        }
        (name.to_string(), median(speeds))
    };
    let results = vec![
        time("tantivy default", &mut |t, _| {
            drain(&mut tantivy_default, t)
        }),
        time("rasd surface view", &mut |t, _| drain(&mut rasd_surface, t)),
        time("rasd stemmed view", &mut |t, _| drain(&mut rasd_stemmed, t)),
        time("rasd name-key view", &mut |t, _| drain(&mut name_keys, t)),
        time("rasd, all views of an article", &mut |t, lang| {
            drain(&mut rasd_stemmed, t)
                + drain(&mut rasd_surface, t)
                + drain(&mut name_keys, t)
                + match lang {
                    Some("fr") => drain(&mut french, t),
                    Some("en") => drain(&mut english, t),
                    _ => 0,
                }
        }),
    ];

    println!(
        "{} articles, {:.1} MB of text, analyzed {repeats}× per run, median of {RUNS} runs.\n",
        texts.len(),
        bytes as f64 / 1e6
    );
    println!("| analyzer | MB/s | vs tantivy default |");
    println!("| --- | ---: | ---: |");
    let baseline = results[0].1;
    for (name, speed) in &results {
        println!("| {name} | {speed:.1} | {:.2}× |", speed / baseline);
    }
}
