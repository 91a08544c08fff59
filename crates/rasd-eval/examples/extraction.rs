//! Extraction evaluation: word-level precision and recall of the main text, and the share of
//! pages with the right title, date and source, for rasd's rules, `dom_smoothie`,
//! `readability` (text and title only) and the whole-body-text baseline, on the committed test
//! set of saved pages.
//!
//! ```text
//! cargo run --release -p rasd-eval --example extraction              # tests/extraction/pages
//! cargo run --release -p rasd-eval --example extraction -- --pages   # and every page's misses
//! cargo run --release -p rasd-eval --example extraction -- DIR       # another set
//! ```

use std::path::PathBuf;
use std::process::ExitCode;

use rasd_eval::extraction::{self, Extractor};

fn main() -> ExitCode {
    let mut dir = extraction::extraction_set();
    let mut per_page = false;
    for arg in std::env::args().skip(1) {
        match arg.as_str() {
            "--pages" => per_page = true,
            other => dir = PathBuf::from(other),
        }
    }
    let pages = match extraction::read_set(&dir) {
        Ok(pages) => pages,
        Err(e) => {
            eprintln!("error: {e}");
            return ExitCode::FAILURE;
        }
    };
    println!("{} pages ({}).\n", pages.len(), dir.display());
    println!("| extractor | precision | recall | title | date | source |");
    println!("|---|---:|---:|---:|---:|---:|");
    let summaries: Vec<_> = Extractor::ALL
        .iter()
        .map(|&e| extraction::evaluate(e, &pages))
        .collect();
    for s in &summaries {
        println!(
            "| {} | {:.3} | {:.3} | {:.3} | {:.3} | {:.3} |",
            s.extractor.name(),
            s.precision,
            s.recall,
            s.title,
            s.date,
            s.source
        );
    }
    if per_page {
        for s in &summaries {
            println!("\n## {}\n", s.extractor.name());
            for p in &s.pages {
                let wrong: Vec<String> = [
                    (!p.title).then(|| format!("title {:?}", p.extracted.title)),
                    (!p.date).then(|| format!("date {:?}", p.extracted.date)),
                    (!p.source).then(|| format!("source {:?}", p.extracted.source)),
                ]
                .into_iter()
                .flatten()
                .collect();
                if p.precision < 0.95 || p.recall < 0.95 || !wrong.is_empty() {
                    println!(
                        "- {}: precision {:.3}, recall {:.3} {}",
                        p.name,
                        p.precision,
                        p.recall,
                        wrong.join(", ")
                    );
                }
            }
        }
    }
    ExitCode::SUCCESS
}
