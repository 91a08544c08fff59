//! How well story signatures find syndicated copies: pairwise precision and recall over every
//! pair of articles of a corpus written by `gen-corpus --syndicate`, whose `story` key says
//! which articles are copies of one story.
//!
//! ```text
//! cargo run --release --example gen-corpus -- --docs 20000 --syndicate --out /tmp/synd
//! cargo run --release --example collapse-quality -- /tmp/synd
//! ```
//!
//! A pair is *true* when both articles have the same `story`, *found* when their signatures'
//! similarity reaches the threshold (rasd's is `MIN_COPY_SIMILARITY`, what `are_copies`
//! tests) and, as search looks copies up, they have a band in common. Precision: found pairs
//! that are true; recall: true pairs that are found. Every pair is compared (n²/2 comparisons, a few seconds for 20,000 articles),
//! so nothing is missed by sampling; the table shows what other similarity thresholds would
//! give, the line marked `*` is rasd's.
//!
//! `--by-band` compares only the pairs that share a band, each once, found through a table of
//! the articles by band: what search groups, exactly (a pair without a band in common is never
//! found), in time linear in the corpus rather than quadratic, so that 200,000 articles take
//! seconds instead of hours; it reports that line alone, without the other thresholds.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Instant;

use rasd::analysis::signature::{
    HASHES, MIN_COPY_SIMILARITY, Signature, Signer, are_copies, similarity_of,
};
use rasd::schema::IndexSchema;
use rayon::prelude::*;

/// Similarity thresholds to report, beside rasd's.
const THRESHOLDS: &[f32] = &[0.15, 0.2, 0.25, 0.3, 0.35, 0.4, 0.5, 0.6];

struct Article {
    body: String,
    story: String,
}

fn read_corpus(folder: &Path) -> Result<Vec<Article>, String> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(folder)
        .map_err(|e| format!("cannot read {}: {e}", folder.display()))?
        .filter_map(|entry| entry.ok().map(|e| e.path()))
        .filter(|path| path.extension().is_some_and(|e| e == "jsonl"))
        .collect();
    files.sort();
    let mut articles = Vec::new();
    for file in files {
        let text = std::fs::read_to_string(&file).map_err(|e| e.to_string())?;
        for line in text.lines() {
            let value: serde_json::Value = serde_json::from_str(line).map_err(|e| e.to_string())?;
            let field = |name: &str| value[name].as_str().unwrap_or_default().to_string();
            let story = field("story");
            if story.is_empty() {
                return Err(format!(
                    "{}: no `story` key: write the corpus with gen-corpus --syndicate",
                    file.display()
                ));
            }
            articles.push(Article {
                body: field("body"),
                story,
            });
        }
    }
    Ok(articles)
}

/// Pairs by the hashes their signatures agree on: `true_pairs[n]` pairs of copies and
/// `other_pairs[n]` pairs of different stories agree on `n` hashes; and the pairs of each
/// that search takes for copies (`are_copies`, looked up by a band in common).
#[derive(Clone)]
struct Histogram {
    true_pairs: Vec<u64>,
    other_pairs: Vec<u64>,
    found_true: u64,
    found_other: u64,
}

impl Histogram {
    fn new() -> Self {
        Histogram {
            true_pairs: vec![0; HASHES + 1],
            other_pairs: vec![0; HASHES + 1],
            found_true: 0,
            found_other: 0,
        }
    }

    fn add(mut self, other: Histogram) -> Self {
        for (a, b) in self.true_pairs.iter_mut().zip(other.true_pairs) {
            *a += b;
        }
        for (a, b) in self.other_pairs.iter_mut().zip(other.other_pairs) {
            *a += b;
        }
        self.found_true += other.found_true;
        self.found_other += other.found_other;
        self
    }
}

fn compare(signatures: &[Signature], stories: &[u32]) -> Histogram {
    (0..signatures.len())
        .into_par_iter()
        .fold(Histogram::new, |mut histogram, i| {
            for j in i + 1..signatures.len() {
                let (a, b) = (&signatures[i], &signatures[j]);
                let agreeing = a.agreeing(b) as usize;
                let same = stories[i] == stories[j];
                if same {
                    histogram.true_pairs[agreeing] += 1;
                } else {
                    histogram.other_pairs[agreeing] += 1;
                }
                if are_copies(a, b) && a.shares_band(b) {
                    if same {
                        histogram.found_true += 1;
                    } else {
                        histogram.found_other += 1;
                    }
                }
            }
            histogram
        })
        .reduce(Histogram::new, Histogram::add)
}

/// The pairs that search takes for copies, found through their bands: (pairs of copies of
/// one story, pairs of different stories). A pair with several bands in common is counted at
/// the first.
fn compare_by_band(signatures: &[Signature], stories: &[u32]) -> (u64, u64) {
    let mut by_band: HashMap<u32, Vec<u32>> = HashMap::new();
    for (i, signature) in signatures.iter().enumerate() {
        if !signature.is_empty() {
            for band in signature.bands() {
                by_band.entry(band).or_default().push(i as u32);
            }
        }
    }
    let first_band =
        |a: &Signature, b: &Signature| a.bands().zip(b.bands()).position(|(x, y)| x == y);
    by_band
        .par_iter()
        .map(|(&band, articles)| {
            let mut found = (0, 0);
            for (n, &i) in articles.iter().enumerate() {
                for &j in &articles[n + 1..] {
                    let (a, b) = (&signatures[i as usize], &signatures[j as usize]);
                    if first_band(a, b) != Some((band >> 16) as usize) || !are_copies(a, b) {
                        continue;
                    }
                    match stories[i as usize] == stories[j as usize] {
                        true => found.0 += 1,
                        false => found.1 += 1,
                    }
                }
            }
            found
        })
        .reduce(|| (0, 0), |a, b| (a.0 + b.0, a.1 + b.1))
}

fn ratio(a: u64, b: u64) -> f64 {
    if b == 0 { 1.0 } else { a as f64 / b as f64 }
}

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let by_band = args.iter().any(|a| a == "--by-band");
    let Some(folder) = args.iter().find(|a| !a.starts_with("--")) else {
        eprintln!(
            "usage: collapse-quality CORPUS_DIR [--by-band] (written by gen-corpus --syndicate)"
        );
        return ExitCode::from(2);
    };
    let articles = match read_corpus(Path::new(&folder)) {
        Ok(articles) => articles,
        Err(e) => {
            eprintln!("collapse-quality: error: {e}");
            return ExitCode::from(2);
        }
    };
    let lists = IndexSchema::builtin().word_lists;
    let signer = Signer::new(&lists);
    let started = Instant::now();
    let signatures: Vec<Signature> = articles
        .par_iter()
        .map_init(|| signer.clone(), |signer, a| signer.sign(&a.body))
        .collect();
    let signing = started.elapsed().as_secs_f64();
    let mut keys = HashMap::new();
    let stories: Vec<u32> = articles
        .iter()
        .map(|a| {
            let next = keys.len() as u32;
            *keys.entry(a.story.as_str()).or_insert(next)
        })
        .collect();
    if by_band {
        // Pairs of copies: those of each story's articles.
        let mut sizes: HashMap<u32, u64> = HashMap::new();
        for story in &stories {
            *sizes.entry(*story).or_default() += 1;
        }
        let true_total: u64 = sizes.values().map(|n| n * (n - 1) / 2).sum();
        let started = Instant::now();
        let (found_true, found_other) = compare_by_band(&signatures, &stories);
        println!(
            "{} articles, {} stories; {true_total} pairs of copies",
            articles.len(),
            keys.len()
        );
        println!(
            "signing: {:.0} articles/s on {} threads; comparing the pairs with a band in \
             common: {:.1}s",
            articles.len() as f64 / signing,
            rayon::current_num_threads(),
            started.elapsed().as_secs_f64()
        );
        println!(
            "as search groups them (similarity >= {MIN_COPY_SIMILARITY} and a band in common): \
             precision {:.4}, recall {:.4} ({found_true} pairs of copies found, {found_other} \
             other pairs)",
            ratio(found_true, found_true + found_other),
            ratio(found_true, true_total)
        );
        return ExitCode::SUCCESS;
    }
    let started = Instant::now();
    let histogram = compare(&signatures, &stories);
    let comparing = started.elapsed().as_secs_f64();
    let true_total: u64 = histogram.true_pairs.iter().sum();
    let other_total: u64 = histogram.other_pairs.iter().sum();
    println!(
        "{} articles, {} stories; {true_total} pairs of copies, {other_total} other pairs",
        articles.len(),
        keys.len()
    );
    println!(
        "signing: {:.0} articles/s on {} threads; comparing all pairs: {comparing:.1}s",
        articles.len() as f64 / signing,
        rayon::current_num_threads()
    );
    println!("\nthreshold  precision  recall   (pairs found: copies / other)");
    // Pairs with `n` agreeing hashes are found at every threshold up to `similarity_of(n)`.
    let found = |pairs: &[u64], t: f32| -> u64 {
        (0..=HASHES)
            .filter(|n| similarity_of(*n as u32) >= t)
            .map(|n| pairs[n])
            .sum()
    };
    let mut thresholds = THRESHOLDS.to_vec();
    thresholds.push(MIN_COPY_SIMILARITY);
    thresholds.sort_by(f32::total_cmp);
    thresholds.dedup();
    for t in thresholds {
        let found_true = found(&histogram.true_pairs, t);
        let found_other = found(&histogram.other_pairs, t);
        let mark = if t == MIN_COPY_SIMILARITY { "*" } else { " " };
        println!(
            "{mark}{t:>8.2}  {:>9.4}  {:>6.4}   ({found_true} / {found_other})",
            ratio(found_true, found_true + found_other),
            ratio(found_true, true_total)
        );
    }
    println!(
        "\nas search groups them (similarity >= {MIN_COPY_SIMILARITY} and a band in common): \
         precision {:.4}, recall {:.4}",
        ratio(
            histogram.found_true,
            histogram.found_true + histogram.found_other
        ),
        ratio(histogram.found_true, true_total)
    );
    ExitCode::SUCCESS
}
