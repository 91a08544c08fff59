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

fn ratio(a: u64, b: u64) -> f64 {
    if b == 0 { 1.0 } else { a as f64 / b as f64 }
}

fn main() -> ExitCode {
    let Some(folder) = std::env::args().nth(1) else {
        eprintln!("usage: collapse-quality CORPUS_DIR (written by gen-corpus --syndicate)");
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
    let mut keys = std::collections::HashMap::new();
    let stories: Vec<u32> = articles
        .iter()
        .map(|a| {
            let next = keys.len() as u32;
            *keys.entry(a.story.as_str()).or_insert(next)
        })
        .collect();
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
