//! What collapsing syndicated copies costs: indexing a syndicated corpus (every article's
//! story signature is computed then), and searching it with copies collapsed and with
//! `--no-collapse`, medians of several runs.
//!
//! ```text
//! cargo build --release
//! cargo run --release --example gen-corpus -- --docs 20000 --syndicate --out /tmp/synd
//! cargo run --release --example collapse-bench -- /tmp/synd --runs 3 --repeat 10
//! ```
//!
//! Indexing runs `target/release/rasd index` (`--rasd` for another binary) in a new process
//! per run; `--baseline BIN` also times a rasd built without story signatures (e.g. the
//! commit before them), runs alternating with this one's. Searching runs in this process on
//! a warm index, the bench's query set, top 10.

use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode};
use std::time::Instant;

use rasd::search::{self, SearchRequest};
use rasd::store::RasdIndex;

/// Queries of several kinds and selectivities (a subset of `examples/bench.rs`'s).
const QUERIES: &[&str] = &[
    "الإرهاب",
    "المخدرات",
    "خلية",
    "الحدود",
    "تهريب",
    "\"مكافحة الإرهاب\"",
    "\"تهريب المخدرات\"",
    "المخدرات AND المغرب",
    "تهريب -السجائر",
    "réseau",
    "smuggling",
    "الإرهاب date:2019",
];

struct Options {
    corpus: PathBuf,
    runs: usize,
    repeat: usize,
    rasd: PathBuf,
    baseline: Option<PathBuf>,
    work: PathBuf,
}

fn parse_args() -> Result<Options, String> {
    let mut options = Options {
        corpus: PathBuf::new(),
        runs: 3,
        repeat: 10,
        rasd: PathBuf::from("target/release/rasd"),
        baseline: None,
        work: PathBuf::from("target/collapse-bench"),
    };
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        let mut value = || args.next().ok_or(format!("{arg} needs a value"));
        let number = |v: String| v.parse::<usize>().map_err(|e| format!("{arg}: {e}"));
        match arg.as_str() {
            "--runs" => options.runs = number(value()?)?.max(1),
            "--repeat" => options.repeat = number(value()?)?.max(1),
            "--rasd" => options.rasd = PathBuf::from(value()?),
            "--baseline" => options.baseline = Some(PathBuf::from(value()?)),
            "--work" => options.work = PathBuf::from(value()?),
            corpus if !corpus.starts_with("--") => options.corpus = PathBuf::from(corpus),
            other => return Err(format!("unknown argument `{other}`")),
        }
    }
    if options.corpus.as_os_str().is_empty() {
        return Err("usage: collapse-bench CORPUS_DIR [--runs N] [--repeat N] [--rasd BIN]".into());
    }
    Ok(options)
}

fn median(values: &mut [f64]) -> f64 {
    values.sort_by(f64::total_cmp);
    values[values.len() / 2]
}

/// Indexes the corpus with `rasd` into `index`; the wall time in seconds.
fn index_once(rasd: &Path, corpus: &Path, index: &Path) -> Result<f64, String> {
    let _ = std::fs::remove_dir_all(index);
    let started = Instant::now();
    let status = Command::new(rasd)
        .arg("--index")
        .arg(index)
        .args(["index", "-q"])
        .arg(corpus)
        .status()
        .map_err(|e| format!("cannot run {}: {e}", rasd.display()))?;
    if !status.success() {
        return Err(format!("indexing with {} failed", rasd.display()));
    }
    Ok(started.elapsed().as_secs_f64())
}

/// Indexes the corpus `runs` times, alternating with the baseline if any; the median wall
/// times in seconds (this rasd's, the baseline's), and this rasd's index.
fn index(options: &Options) -> Result<(f64, Option<f64>, PathBuf), String> {
    let index = options.work.join("index");
    let baseline_index = options.work.join("index-baseline");
    let (mut walls, mut baseline_walls) = (Vec::new(), Vec::new());
    for run in 1..=options.runs {
        eprintln!("collapse-bench: indexing, run {run}/{}", options.runs);
        if let Some(baseline) = &options.baseline {
            baseline_walls.push(index_once(baseline, &options.corpus, &baseline_index)?);
        }
        walls.push(index_once(&options.rasd, &options.corpus, &index)?);
    }
    let _ = std::fs::remove_dir_all(&baseline_index);
    let baseline = (!baseline_walls.is_empty()).then(|| median(&mut baseline_walls));
    Ok((median(&mut walls), baseline, index))
}

/// Median latency in milliseconds of the query set, collapsed or not, after a warm-up round.
fn search_latency(index: &RasdIndex, collapse: bool, repeat: usize) -> Result<f64, String> {
    let mut samples = Vec::new();
    for round in 0..=repeat {
        for query in QUERIES {
            let request = SearchRequest {
                query: query.to_string(),
                limit: 10,
                collapse,
                ..SearchRequest::default()
            };
            let started = Instant::now();
            search::search(index, &request).map_err(|e| e.to_string())?;
            if round > 0 {
                samples.push(started.elapsed().as_secs_f64() * 1e3);
            }
        }
    }
    Ok(median(&mut samples))
}

fn run(options: &Options) -> Result<(), String> {
    std::fs::create_dir_all(&options.work).map_err(|e| e.to_string())?;
    let (seconds, baseline, index_path) = index(options)?;
    let index = RasdIndex::open(&index_path).map_err(|e| e.to_string())?;
    let articles = index.article_count().map_err(|e| e.to_string())?;
    // Alternated, so that neither mode gets a warmer cache.
    let mut collapsed = Vec::new();
    let mut every = Vec::new();
    for _ in 0..3 {
        collapsed.push(search_latency(&index, true, options.repeat)?);
        every.push(search_latency(&index, false, options.repeat)?);
    }
    let (collapsed, every) = (median(&mut collapsed), median(&mut every));
    println!(
        "{articles} articles in {}; {} threads",
        Path::new(&options.corpus).display(),
        std::thread::available_parallelism().map_or(1, usize::from)
    );
    println!(
        "indexing: {seconds:.1}s median of {} runs, {:.0} articles/s",
        options.runs,
        articles as f64 / seconds
    );
    if let Some(baseline) = baseline {
        println!(
            "baseline indexing: {baseline:.1}s, {:.0} articles/s; signatures cost {:+.0}%",
            articles as f64 / baseline,
            100.0 * (seconds / baseline - 1.0)
        );
    }
    println!(
        "search p50 (top 10, in process, {} queries x {} rounds x 3): collapsed {collapsed:.2} ms, \
         --no-collapse {every:.2} ms",
        QUERIES.len(),
        options.repeat
    );
    Ok(())
}

fn main() -> ExitCode {
    match parse_args().and_then(|options| run(&options)) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("collapse-bench: error: {e}");
            ExitCode::from(2)
        }
    }
}
