//! The performance benchmark: indexing, no-change re-indexing and searching at archive scale,
//! side by side with baselines measured in the same run. Run it with `scripts/bench.sh`.
//!
//! - A deterministic corpus from `gen-corpus` (JSON Lines, `--docs` articles) and a tree of
//!   one `.txt` file per article (`--files` files), both reused when already generated.
//! - Indexing the corpus `--runs` times with rasd and with the same schema and pipeline but
//!   tantivy's default analyzer: wall time, articles/s, MB/s of text, peak RSS, index size.
//! - Indexing the tree, then re-indexing it unchanged `--runs` times.
//! - A fixed query set, `--repeat` times each, one new `rasd search` process per query
//!   (top 10, snippets on), alternating with `--baseline RASD`'s when given, and with the
//!   glossary and with `--no-glossary` in turn; the same in process on a warm index, copies
//!   collapsed and with `--no-collapse`; the index's size before and after those searches.
//! - `rasd watch run` with 50 saved searches (the query set alone, in Arabic only, and since
//!   2020): when nothing is new, what a scheduled `rasd index --watch` adds to each run; and
//!   when every match must be read and hashed (a first run, a run after a merge of the whole
//!   index); and after 1,000 new articles (syndicated: copies of one story are one alert) are
//!   indexed, each repetition another 1,000, side by side with `--baseline RASD` (a rasd built
//!   from another commit) on a copy of the index of its own (its state is its own format),
//!   runs alternating.
//! - ripgrep over the raw files and SQLite FTS5 through the `sqlite3` command, when installed.
//! - Archive input: the same `--warc-docs` articles as JSON Lines and as a crawl's `.warc.gz`
//!   of HTML pages with boilerplate (`gen-corpus --format warc`), each indexed `--runs` times:
//!   input MB/s, articles/s and peak memory side by side. `--only warc` runs this part alone.
//! - `--only search` and `--only watch` run those parts alone, on an index of the corpus built
//!   once and then reused (`target/bench/index-rasd`).
//!
//! - `--only search`: the JSON Lines corpus indexed once, then the searches alone.
//! - `--only scale`: the scale curve, at each of `--scale`'s sizes (see `scale.rs`).
//! - Baselines a user would pick instead (`baselines.rs`): tantivy on one view and Lucene's
//!   language analyzers, indexing the same corpus as rasd in the same run, on the narrow
//!   corpus, the wide one (`gen-corpus --vocabulary wide`) or both (`--vocabulary`, default
//!   both), with `--baseline RASD` in the rotation too, and rasd's index broken down by view
//!   (`sizes.rs`); `--only indexing` runs this part alone.
//!
//! Prints Markdown tables of medians and ratios and writes them as JSON (`--json FILE`).

use std::collections::BTreeMap;
use std::io::{BufRead, BufReader, Write};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use rasd::search::{self, QueryOptions, SearchRequest};
use rasd::stats::folder_size;
use rasd::store::RasdIndex;
use serde::Serialize;

mod baselines;
mod scale;
mod sizes;

/// The fixed query set: (kind, query). Single terms are also run with ripgrep and FTS5.
const QUERIES: &[(&str, &str)] = &[
    ("arabic term", "الإرهاب"),
    ("arabic term", "المخدرات"),
    ("arabic term", "خلية"),
    ("arabic term", "الحدود"),
    ("arabic term", "تهريب"),
    ("arabic term", "القراصنة"),
    ("arabic phrase", "\"مكافحة الإرهاب\""),
    ("arabic phrase", "\"الأمن الوطني\""),
    ("arabic phrase", "\"تهريب المخدرات\""),
    ("boolean", "المخدرات AND المغرب"),
    ("boolean", "(داعش OR القاعدة) AND تونس"),
    ("boolean", "تهريب -السجائر"),
    ("french term", "réseau"),
    ("french term", "démantèlement"),
    ("english term", "smuggling"),
    ("english term", "intelligence"),
    ("date filter", "الإرهاب date:2019"),
    ("date filter", "المخدرات date:[2016-01 TO 2017-06]"),
    ("no hits", "zzzqqqxxx"),
    ("cross-language", "money laundering"),
    ("cross-language", "mandat d'arrêt"),
    ("cross-language", "تبييض الأموال"),
];

/// Searched as new processes and in process beside [`QUERIES`], not saved for `watch run`
/// (whose workload stays as it was): entities with many aliases and phrases, the slowest
/// query classes.
const ALIAS_AND_PHRASE_QUERIES: &[(&str, &str)] = &[
    ("alias", "داعش"),
    ("alias", "داعش AND القاعدة"),
    ("arabic phrase", "\"الأمم المتحدة\""),
    ("latin phrase", "\"money laundering\""),
    ("latin phrase", "\"trafic de drogue\""),
];

/// The queries timed as searches.
fn searched_queries() -> impl Iterator<Item = &'static (&'static str, &'static str)> {
    QUERIES.iter().chain(ALIAS_AND_PHRASE_QUERIES)
}

fn is_single_term(kind: &str) -> bool {
    kind.ends_with("term")
}

/// The parts of the benchmark to run (`--only`).
#[derive(Clone, Copy, PartialEq, Eq)]
enum Only {
    All,
    /// The archive-input comparison.
    Warc,
    /// The searches, on the index of the corpus (built once, then reused).
    Search,
    /// `rasd watch run`, on a copy of the index of the corpus (built once, then reused).
    Watch,
    /// The scale curve: indexing, memory and searches at each of `--scale`'s sizes.
    Scale,
    /// rasd beside the baselines a user would pick instead, on each `--vocabulary`.
    Indexing,
}

struct Options {
    only: Only,
    warc_docs: usize,
    docs: usize,
    files: usize,
    runs: usize,
    repeat: usize,
    work: PathBuf,
    json: PathBuf,
    rasd: PathBuf,
    /// Another rasd whose `watch run` after new articles is timed beside this one's.
    baseline: Option<PathBuf>,
    gen_corpus: PathBuf,
    /// The archive sizes of the scale curve (`--scale`).
    scale: Vec<usize>,
    /// The corpora the baselines are compared on.
    vocabulary: baselines::Vocabularies,
}

fn parse_args() -> Result<Options, String> {
    let mut options = Options {
        only: Only::All,
        warc_docs: 20_000,
        docs: 200_000,
        files: 100_000,
        runs: 3,
        repeat: 5,
        work: PathBuf::from("target/bench"),
        json: PathBuf::new(),
        rasd: PathBuf::from("target/release/rasd"),
        baseline: None,
        gen_corpus: PathBuf::from("target/release/examples/gen-corpus"),
        scale: scale::DEFAULT_SIZES.to_vec(),
        vocabulary: baselines::Vocabularies::Both,
    };
    let mut args = std::env::args().skip(1);
    while let Some(flag) = args.next() {
        let mut value = || args.next().ok_or(format!("{flag} needs a value"));
        let number = |v: String| v.parse::<usize>().map_err(|e| format!("{flag}: {e}"));
        match flag.as_str() {
            "--docs" => options.docs = number(value()?)?,
            "--warc-docs" => options.warc_docs = number(value()?)?,
            "--only" => {
                options.only = match value()?.as_str() {
                    "warc" => Only::Warc,
                    "search" => Only::Search,
                    "watch" => Only::Watch,
                    "scale" => Only::Scale,
                    "indexing" => Only::Indexing,
                    other => {
                        return Err(format!(
                            "--only: `{other}` is not `warc`, `search`, `watch`, `indexing` or `scale`"
                        ));
                    }
                }
            }
            "--files" => options.files = number(value()?)?,
            "--runs" => options.runs = number(value()?)?.max(1),
            "--repeat" => options.repeat = number(value()?)?.max(1),
            "--work" => options.work = PathBuf::from(value()?),
            "--json" => options.json = PathBuf::from(value()?),
            "--rasd" => options.rasd = PathBuf::from(value()?),
            "--baseline" => options.baseline = Some(PathBuf::from(value()?)),
            "--scale" => {
                options.scale = value()?
                    .split(',')
                    .map(|size| number(size.trim().to_string()))
                    .collect::<Result<_, _>>()?;
            }
            "--vocabulary" => options.vocabulary = baselines::Vocabularies::parse(&value()?)?,
            other => return Err(format!("unknown argument `{other}`")),
        }
    }
    if options.json.as_os_str().is_empty() {
        options.json = options.work.join("results.json");
    }
    Ok(options)
}

/// A finished child process: wall time and peak resident memory.
struct Measured {
    wall: Duration,
    /// User and system CPU time (from `wait4`): less disturbed than wall time by other jobs
    /// on a shared machine.
    cpu: Duration,
    /// Peak resident set, mapped index files included (from `wait4`).
    peak_rss_bytes: u64,
    /// Peak anonymous memory (heap, stacks), sampled from `/proc` every 20 ms: what the
    /// process needs beyond the page cache of the files it maps.
    peak_anon_bytes: u64,
    /// Peak file-mapped resident memory (the binary, the index's mapped files), sampled alike.
    peak_file_bytes: u64,
    /// The samples: seconds since the start, anonymous and file-mapped bytes.
    memory: Vec<(f64, u64, u64)>,
    success: bool,
}

/// Samples a process's anonymous and file-mapped resident memory until `stop`: seconds since
/// `started`, bytes of each.
fn sample_memory(
    pid: u32,
    started: Instant,
    stop: std::sync::Arc<std::sync::atomic::AtomicBool>,
) -> Vec<(f64, u64, u64)> {
    let mut samples = Vec::new();
    while !stop.load(std::sync::atomic::Ordering::Relaxed) {
        let Ok(status) = std::fs::read_to_string(format!("/proc/{pid}/status")) else {
            break;
        };
        let kilobytes = |key: &str| {
            status
                .lines()
                .find_map(|l| l.strip_prefix(key))
                .and_then(|v| v.split_whitespace().next()?.parse::<u64>().ok())
                .unwrap_or(0)
        };
        samples.push((
            started.elapsed().as_secs_f64(),
            kilobytes("RssAnon:") * 1024,
            kilobytes("RssFile:") * 1024,
        ));
        std::thread::sleep(Duration::from_millis(20));
    }
    samples
}

/// Runs a command to completion, measuring its wall time and peak RSS (via `wait4`).
fn measure(command: &mut Command) -> Result<Measured, String> {
    let started = Instant::now();
    let child = command
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .map_err(|e| format!("cannot run {command:?}: {e}"))?;
    let stop = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
    let sampler = {
        let (pid, stop) = (child.id(), stop.clone());
        std::thread::spawn(move || sample_memory(pid, started, stop))
    };
    let mut status = 0;
    // SAFETY: an all-zero rusage is a valid value for wait4 to fill in.
    let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
    // SAFETY: the pid is our child's, not yet waited for; the pointers are valid.
    let pid = unsafe { libc::wait4(child.id() as i32, &mut status, 0, &mut usage) };
    let wall = started.elapsed();
    stop.store(true, std::sync::atomic::Ordering::Relaxed);
    let memory = sampler.join().unwrap_or_default();
    if pid < 0 {
        return Err(format!("wait4 failed for {command:?}"));
    }
    let seconds = |t: libc::timeval| Duration::new(t.tv_sec as u64, t.tv_usec as u32 * 1000);
    Ok(Measured {
        wall,
        cpu: seconds(usage.ru_utime) + seconds(usage.ru_stime),
        // ru_maxrss is in kilobytes on Linux.
        peak_rss_bytes: usage.ru_maxrss as u64 * 1024,
        peak_anon_bytes: memory.iter().map(|m| m.1).max().unwrap_or(0),
        peak_file_bytes: memory.iter().map(|m| m.2).max().unwrap_or(0),
        memory,
        success: libc::WIFEXITED(status) && libc::WEXITSTATUS(status) <= 1,
    })
}

fn median(values: &[f64]) -> f64 {
    percentile(values, 0.5)
}

/// The `p` quantile (nearest rank) of `values`.
fn percentile(values: &[f64], p: f64) -> f64 {
    let mut sorted = values.to_vec();
    sorted.sort_by(f64::total_cmp);
    if sorted.is_empty() {
        return f64::NAN;
    }
    let rank = ((p * sorted.len() as f64).ceil() as usize).clamp(1, sorted.len());
    sorted[rank - 1]
}

fn step(message: &str) {
    eprintln!("bench: {message}");
}

/// Generates a corpus with `gen-corpus` unless a complete one is already there.
fn corpus(options: &Options, format: &str, docs: usize) -> Result<PathBuf, String> {
    generated(options, format, docs, 1, false)
}

/// A corpus from `gen-corpus` with this seed (syndicated or not), generated once.
fn generated(
    options: &Options,
    format: &str,
    docs: usize,
    seed: usize,
    syndicate: bool,
) -> Result<PathBuf, String> {
    let name = match (seed, syndicate) {
        (1, false) => format!("corpus-{format}-{docs}"),
        (seed, false) => format!("corpus-{format}-{docs}-seed{seed}"),
        (seed, true) => format!("corpus-{format}-{docs}-seed{seed}-syndicated"),
    };
    let dir = options.work.join(name);
    let done = dir.join(".complete");
    if done.exists() {
        return Ok(dir);
    }
    step(&format!(
        "generating {docs} articles as {format} in {}",
        dir.display()
    ));
    let _ = std::fs::remove_dir_all(&dir);
    let status = Command::new(&options.gen_corpus)
        .args([
            "--docs",
            &docs.to_string(),
            "--seed",
            &seed.to_string(),
            "--format",
            format,
        ])
        .args(syndicate.then_some("--syndicate"))
        .arg("--out")
        .arg(&dir)
        .status()
        .map_err(|e| format!("cannot run {}: {e}", options.gen_corpus.display()))?;
    if !status.success() {
        return Err("gen-corpus failed".into());
    }
    std::fs::write(&done, "").map_err(|e| e.to_string())?;
    Ok(dir)
}

/// Bytes of article text (titles and bodies) in a JSON Lines corpus.
fn text_bytes(corpus: &Path) -> Result<u64, String> {
    let mut total = 0;
    for entry in std::fs::read_dir(corpus).map_err(|e| e.to_string())? {
        let path = entry.map_err(|e| e.to_string())?.path();
        if path.extension().is_none_or(|e| e != "jsonl") {
            continue;
        }
        let file = std::fs::File::open(&path).map_err(|e| e.to_string())?;
        for line in BufReader::new(file).lines() {
            let line = line.map_err(|e| e.to_string())?;
            let value: serde_json::Value =
                serde_json::from_str(&line).map_err(|e| e.to_string())?;
            for key in ["title", "body"] {
                total += value[key].as_str().map_or(0, str::len) as u64;
            }
        }
    }
    Ok(total)
}

/// The built-in schema with tantivy's default analyzer in place of rasd's: same fields,
/// same pipeline, only the analysis differs.
fn default_analyzer_schema(options: &Options) -> Result<PathBuf, String> {
    let dir = options.work.join("schema-tantivy-default");
    std::fs::create_dir_all(&dir).map_err(|e| e.to_string())?;
    for entry in std::fs::read_dir("index-schema").map_err(|e| e.to_string())? {
        let path = entry.map_err(|e| e.to_string())?.path();
        let name = path.file_name().expect("a file");
        let text = std::fs::read_to_string(&path).map_err(|e| e.to_string())?;
        let text = if name == "schema.toml" {
            ["rasd_surface", "rasd_fr", "rasd_en", "rasd"]
                .iter()
                .fold(text, |t, analyzer| {
                    t.replace(
                        &format!("analyzer = \"{analyzer}\""),
                        "analyzer = \"default\"",
                    )
                })
        } else {
            text
        };
        std::fs::write(dir.join(name), text).map_err(|e| e.to_string())?;
    }
    Ok(dir.join("schema.toml"))
}

#[derive(Serialize, Default, Clone)]
struct IndexingResult {
    median_seconds: f64,
    articles_per_second: f64,
    text_mb_per_second: f64,
    peak_rss_mb: f64,
    peak_anon_mb: f64,
    index_mb: f64,
    index_percent_of_text: f64,
}

fn index_runs(
    options: &Options,
    name: &str,
    corpus: &Path,
    schema: Option<&Path>,
    docs: usize,
    text: u64,
) -> Result<(IndexingResult, PathBuf), String> {
    let index = options.work.join(format!("index-{name}"));
    let mut walls = Vec::new();
    let mut peaks = Vec::new();
    let mut anons = Vec::new();
    for run in 1..=options.runs {
        step(&format!("indexing with {name}, run {run}/{}", options.runs));
        let _ = std::fs::remove_dir_all(&index);
        let mut command = Command::new(&options.rasd);
        command.arg("--index").arg(&index).args(["index", "-q"]);
        if let Some(schema) = schema {
            command.arg("--schema").arg(schema);
        }
        let measured = measure(command.arg(corpus))?;
        if !measured.success {
            return Err(format!("indexing with {name} failed"));
        }
        walls.push(measured.wall.as_secs_f64());
        peaks.push(measured.peak_rss_bytes as f64 / 1e6);
        anons.push(measured.peak_anon_bytes as f64 / 1e6);
    }
    let seconds = median(&walls);
    let size = folder_size(&index) as f64;
    Ok((
        IndexingResult {
            median_seconds: seconds,
            articles_per_second: docs as f64 / seconds,
            text_mb_per_second: text as f64 / 1e6 / seconds,
            peak_rss_mb: median(&peaks),
            peak_anon_mb: median(&anons),
            index_mb: size / 1e6,
            index_percent_of_text: 100.0 * size / text as f64,
        },
        index,
    ))
}

/// Indexing the same articles from two kinds of input files.
#[derive(Serialize, Default, Clone)]
struct ArchiveInput {
    docs: usize,
    jsonl: InputResult,
    warc: InputResult,
}

#[derive(Serialize, Default, Clone)]
struct InputResult {
    input_mb: f64,
    /// What the gzip input decompresses to (the HTML pages and WARC headers).
    decompressed_mb: f64,
    median_seconds: f64,
    input_mb_per_second: f64,
    articles_per_second: f64,
    peak_anon_mb: f64,
}

/// Bytes of the files in a folder (not below it), and what they decompress to (`.gz`).
fn input_bytes(dir: &Path) -> Result<(u64, u64), String> {
    let (mut total, mut decompressed) = (0, 0);
    for entry in std::fs::read_dir(dir).map_err(|e| e.to_string())? {
        let entry = entry.map_err(|e| e.to_string())?;
        let name = entry.file_name().to_string_lossy().into_owned();
        if name.starts_with('.') {
            continue;
        }
        let size = entry.metadata().map_err(|e| e.to_string())?.len();
        total += size;
        decompressed += if name.ends_with(".gz") {
            let file = std::fs::File::open(entry.path()).map_err(|e| e.to_string())?;
            let mut decoder = flate2::read::MultiGzDecoder::new(BufReader::new(file));
            std::io::copy(&mut decoder, &mut std::io::sink()).map_err(|e| e.to_string())?
        } else {
            size
        };
    }
    Ok((total, decompressed))
}

/// Indexes `--warc-docs` articles from JSON Lines and from a `.warc.gz` crawl of the same
/// articles, alternating runs so that both see the same machine load.
fn archive_input(options: &Options) -> Result<ArchiveInput, String> {
    let docs = options.warc_docs;
    let corpora = [
        ("jsonl", corpus(options, "jsonl", docs)?),
        ("warc", corpus(options, "warc", docs)?),
    ];
    let mut measured: [Vec<Measured>; 2] = [Vec::new(), Vec::new()];
    for run in 1..=options.runs {
        for (i, (name, dir)) in corpora.iter().enumerate() {
            step(&format!(
                "indexing {docs} articles from {name}, run {run}/{}",
                options.runs
            ));
            let index = options.work.join(format!("index-input-{name}"));
            let _ = std::fs::remove_dir_all(&index);
            let m = measure(
                Command::new(&options.rasd)
                    .arg("--index")
                    .arg(&index)
                    .args(["index", "-q"])
                    .arg(dir),
            )?;
            if !m.success {
                return Err(format!("indexing {name} input failed"));
            }
            measured[i].push(m);
        }
    }
    let result = |i: usize| -> Result<InputResult, String> {
        let (bytes, decompressed) = input_bytes(&corpora[i].1)?;
        let (bytes, decompressed) = (bytes as f64, decompressed as f64);
        let walls: Vec<f64> = measured[i].iter().map(|m| m.wall.as_secs_f64()).collect();
        let anons: Vec<f64> = measured[i]
            .iter()
            .map(|m| m.peak_anon_bytes as f64 / 1e6)
            .collect();
        let seconds = median(&walls);
        Ok(InputResult {
            input_mb: bytes / 1e6,
            decompressed_mb: decompressed / 1e6,
            median_seconds: seconds,
            input_mb_per_second: bytes / 1e6 / seconds,
            articles_per_second: docs as f64 / seconds,
            peak_anon_mb: median(&anons),
        })
    };
    Ok(ArchiveInput {
        docs,
        jsonl: result(0)?,
        warc: result(1)?,
    })
}

/// The archive-input table.
fn archive_report(a: &ArchiveInput, runs: usize) -> String {
    let (j, w) = (&a.jsonl, &a.warc);
    let mut out = format!(
        "Indexing {} articles from two inputs (medians of {runs} runs, alternating):\n\n",
        a.docs
    );
    out.push_str(
        "| input | size (decompressed) | wall time | input MB/s (decompressed) | articles/s | anonymous peak |\n",
    );
    out.push_str("| --- | ---: | ---: | ---: | ---: | ---: |\n");
    for (name, r) in [("JSON Lines", j), ("WARC (.warc.gz, HTML pages)", w)] {
        out.push_str(&format!(
            "| {name} | {:.1} MB ({:.1} MB) | {:.1} s | {:.1} ({:.1}) | {:.0} | {:.0} MB |\n",
            r.input_mb,
            r.decompressed_mb,
            r.median_seconds,
            r.input_mb_per_second,
            r.decompressed_mb / r.median_seconds,
            r.articles_per_second,
            r.peak_anon_mb
        ));
    }
    out.push_str(&format!(
        "\nWARC ÷ JSON Lines: {:.2}× the time for the same articles.\n",
        w.median_seconds / j.median_seconds
    ));
    out
}

#[derive(Serialize, Default, Clone)]
struct Latency {
    p50_ms: f64,
    p99_ms: f64,
    /// Median per query kind.
    by_kind_ms: BTreeMap<String, f64>,
    /// 99th percentile per query kind.
    p99_by_kind_ms: BTreeMap<String, f64>,
    /// Median per query.
    by_query_ms: BTreeMap<String, f64>,
}

fn latency(samples: &[(&str, &str, f64)]) -> Latency {
    let all: Vec<f64> = samples.iter().map(|s| s.2).collect();
    let group = |key: &dyn Fn(&(&str, &str, f64)) -> String, p: f64| {
        let mut groups: BTreeMap<String, Vec<f64>> = BTreeMap::new();
        for s in samples {
            groups.entry(key(s)).or_default().push(s.2);
        }
        groups
            .into_iter()
            .map(|(k, v)| (k, percentile(&v, p)))
            .collect()
    };
    Latency {
        p50_ms: percentile(&all, 0.5),
        p99_ms: percentile(&all, 0.99),
        by_kind_ms: group(&|s| s.0.to_string(), 0.5),
        p99_by_kind_ms: group(&|s| s.0.to_string(), 0.99),
        by_query_ms: group(&|s| s.1.to_string(), 0.5),
    }
}

/// The saved searches of [`watch_runs`].
const SAVED_SEARCHES: usize = 50;

#[derive(Serialize, Default)]
struct WatchResult {
    searches: usize,
    /// The articles they match, all searches together.
    matches: usize,
    /// A `rasd watch run` process when nothing is new (median).
    run_seconds: f64,
    /// A `rasd watch run` process that reads and hashes every match (median): the state
    /// removed, each search starts again.
    full_run_seconds: f64,
    /// A `rasd watch run` process after [`NEW_ARTICLES`] new articles were indexed (median).
    new_articles_seconds: f64,
    /// Its CPU time, user and system (median).
    new_articles_cpu_seconds: f64,
    /// The same with `--baseline`, on the same index and state.
    new_articles_baseline_seconds: Option<f64>,
    new_articles_baseline_cpu_seconds: Option<f64>,
}

/// The articles indexed before each timed run of [`watch_runs`] that has news.
const NEW_ARTICLES: usize = 1_000;

/// Saves [`SAVED_SEARCHES`] searches in a copy of `index` (and, with `--baseline`, in
/// another copy with the baseline), then times `rasd watch run` processes when nothing is new
/// (`add` took what the index holds as seen), when every match is read (without the state, as
/// a first run), and after new articles were indexed, side by side with the baseline on its
/// own copy (each rasd keeps its state in its own format), runs alternating.
fn watch_runs(options: &Options, index: &Path) -> Result<WatchResult, String> {
    let filters: [&[&str]; 3] = [&[], &["--lang", "ar"], &["--since", "2020"]];
    let saved: Vec<(&str, &[&str])> = filters
        .iter()
        .flat_map(|filter| QUERIES.iter().map(move |(_, query)| (*query, *filter)))
        .take(SAVED_SEARCHES)
        .collect();
    let mut result = WatchResult::default();
    {
        let opened = RasdIndex::open(index).map_err(|e| e.to_string())?;
        let mut reading = rasd::watch::Reading::new(&opened).map_err(|e| e.to_string())?;
        for (query, filter) in &saved {
            let mut search = rasd::watch::SavedSearch::new("w", query, Default::default());
            let value = |flag: &str| filter.first().filter(|f| **f == flag).map(|_| filter[1]);
            search
                .filters
                .langs
                .extend(value("--lang").map(String::from));
            search.filters.since = value("--since").map(String::from);
            result.matches += rasd::watch::matches(&mut reading, &search, None)
                .map_err(|e| e.to_string())?
                .articles
                .len();
        }
    }
    let prepare = |rasd: &Path, name: &str| -> Result<PathBuf, String> {
        let copy = copy_index(index, &options.work.join(name))?;
        for (n, (query, filter)) in saved.iter().enumerate() {
            let added = measure(
                Command::new(rasd)
                    .arg("--index")
                    .arg(&copy)
                    .args(["watch", "add", &format!("w{n}")])
                    .args(*filter)
                    .arg("--")
                    .arg(query),
            )?;
            if !added.success {
                return Err(format!("{} watch add `{query}` failed", rasd.display()));
            }
        }
        Ok(copy)
    };
    step(&format!("saving {SAVED_SEARCHES} searches"));
    let ours = prepare(&options.rasd, "index-watch")?;
    result.searches = saved.len();
    let run = |fresh: bool| -> Result<f64, String> {
        let mut walls = Vec::new();
        for _ in 0..options.repeat {
            if fresh {
                std::fs::remove_file(ours.join("watch-state.json")).map_err(|e| e.to_string())?;
            }
            let measured = measure(
                Command::new(&options.rasd)
                    .arg("--index")
                    .arg(&ours)
                    .args(["watch", "run"]),
            )?;
            if !measured.success {
                return Err("watch run failed".into());
            }
            walls.push(measured.wall.as_secs_f64());
        }
        Ok(median(&walls))
    };
    step("rasd watch run when nothing is new");
    result.run_seconds = run(false)?;
    step("rasd watch run reading every match");
    result.full_run_seconds = run(true)?;
    let theirs = match &options.baseline {
        Some(baseline) => {
            step(&format!("saving {SAVED_SEARCHES} searches with --baseline"));
            Some((
                baseline.as_path(),
                prepare(baseline, "index-watch-baseline")?,
            ))
        }
        None => None,
    };
    let index_and_run = |rasd: &Path, index: &Path, batch: &Path| -> Result<Measured, String> {
        let indexed = measure(
            Command::new(rasd)
                .arg("--index")
                .arg(index)
                .args(["index", "-q"])
                .arg(batch),
        )?;
        if !indexed.success {
            return Err(format!(
                "{} failed to index the new articles",
                rasd.display()
            ));
        }
        let measured = measure(
            Command::new(rasd)
                .arg("--index")
                .arg(index)
                .args(["watch", "run"]),
        )?;
        if !measured.success {
            return Err(format!("{} watch run failed", rasd.display()));
        }
        Ok(measured)
    };
    let (mut ours_runs, mut theirs_runs) = (Vec::new(), Vec::new());
    for repetition in 0..options.repeat {
        step(&format!(
            "rasd watch run after {NEW_ARTICLES} new articles, {}/{}",
            repetition + 1,
            options.repeat
        ));
        // Syndicated new articles under a seed of their own: new ids, copies among them.
        let seed = 2 + repetition;
        let batch = generated(options, "jsonl", NEW_ARTICLES, seed, true)?;
        let Some((baseline, their_index)) = &theirs else {
            ours_runs.push(index_and_run(&options.rasd, &ours, &batch)?);
            continue;
        };
        // Which runs first alternates.
        if repetition % 2 == 0 {
            ours_runs.push(index_and_run(&options.rasd, &ours, &batch)?);
            theirs_runs.push(index_and_run(baseline, their_index, &batch)?);
        } else {
            theirs_runs.push(index_and_run(baseline, their_index, &batch)?);
            ours_runs.push(index_and_run(&options.rasd, &ours, &batch)?);
        }
    }
    let medians = |runs: &[Measured]| {
        let walls: Vec<f64> = runs.iter().map(|m| m.wall.as_secs_f64()).collect();
        let cpus: Vec<f64> = runs.iter().map(|m| m.cpu.as_secs_f64()).collect();
        (median(&walls), median(&cpus))
    };
    (result.new_articles_seconds, result.new_articles_cpu_seconds) = medians(&ours_runs);
    if theirs.is_some() {
        let (wall, cpu) = medians(&theirs_runs);
        result.new_articles_baseline_seconds = Some(wall);
        result.new_articles_baseline_cpu_seconds = Some(cpu);
    }
    Ok(result)
}

/// One new `rasd search` process per query and repetition, for each binary: runs alternate
/// between them query by query, so that a change of load weighs on both alike.
fn search_processes(
    options: &Options,
    index: &Path,
    binaries: &[&Path],
) -> Result<Vec<Latency>, String> {
    let variants: Vec<Variant> = binaries
        .iter()
        .map(|&rasd| (rasd, &[][..], index))
        .collect();
    let measured = search_process_variants(options, &variants)?;
    Ok(measured.into_iter().map(|(wall, _)| wall).collect())
}

/// A way to search: a binary, arguments added to `rasd search`, and the index it searches.
type Variant<'a> = (&'a Path, &'a [&'a str], &'a Path);

/// One new `rasd search` process per query, repetition and variant, the variants of a query in
/// turn, which one runs first alternating: the wall time and the CPU time of each variant.
fn search_process_variants(
    options: &Options,
    variants: &[Variant],
) -> Result<Vec<(Latency, Latency)>, String> {
    let n = variants.len();
    let mut walls: Vec<Vec<(&str, &str, f64)>> = vec![Vec::new(); n];
    let mut cpus: Vec<Vec<(&str, &str, f64)>> = vec![Vec::new(); n];
    for repetition in 0..options.repeat {
        for &(kind, query) in searched_queries() {
            for turn in 0..n {
                let variant = (turn + repetition) % n;
                let (rasd, arguments, index) = variants[variant];
                let measured = measure(
                    Command::new(rasd)
                        .arg("--index")
                        .arg(index)
                        .args(["search", "-n", "10"])
                        .args(arguments)
                        .arg(query),
                )?;
                if !measured.success {
                    return Err(format!("search `{query}` failed"));
                }
                walls[variant].push((kind, query, measured.wall.as_secs_f64() * 1e3));
                cpus[variant].push((kind, query, measured.cpu.as_secs_f64() * 1e3));
            }
        }
    }
    Ok(walls
        .iter()
        .zip(&cpus)
        .map(|(wall, cpu)| (latency(wall), latency(cpu)))
        .collect())
}

/// What the glossary costs a search: the same searches with it and with `--no-glossary`, on
/// the same index, whose size the searches leave as it was (translation happens at query time).
#[derive(Serialize, Default)]
struct GlossaryCost {
    with_glossary: Latency,
    no_glossary: Latency,
    with_glossary_cpu: Latency,
    no_glossary_cpu: Latency,
    index_mb_before: f64,
    index_mb_after: f64,
}

fn glossary_cost(options: &Options, index: &Path) -> Result<GlossaryCost, String> {
    let size = || folder_size(index) as f64 / 1e6;
    let index_mb_before = size();
    let rasd = options.rasd.as_path();
    let measured = search_process_variants(
        options,
        &[(rasd, &[], index), (rasd, &["--no-glossary"], index)],
    )?;
    let [
        (with_glossary, with_glossary_cpu),
        (no_glossary, no_glossary_cpu),
    ] = <[(Latency, Latency); 2]>::try_from(measured).map_err(|_| "two variants".to_string())?;
    Ok(GlossaryCost {
        with_glossary,
        no_glossary,
        with_glossary_cpu,
        no_glossary_cpu,
        index_mb_before,
        index_mb_after: size(),
    })
}

/// The same searches in this process, after one warm-up round: copies collapsed (as `rasd
/// search` does by default) and not (`--no-collapse`), alternating query by query.
fn search_in_process(options: &Options, index: &Path) -> Result<(Latency, Latency), String> {
    let index = RasdIndex::open(index).map_err(|e| e.to_string())?;
    let (mut collapsed, mut apart) = (Vec::new(), Vec::new());
    for round in 0..=options.repeat {
        for &(kind, query) in searched_queries() {
            // Each query twice in a row, the kinds alternating which goes first: the second
            // search finds the query's postings and stored articles in the cache, which the
            // first one read.
            let mut kinds = [(true, &mut collapsed), (false, &mut apart)];
            if round % 2 == 1 {
                kinds.reverse();
            }
            for (collapse, samples) in kinds {
                let request = SearchRequest {
                    query: query.to_string(),
                    limit: 10,
                    offset: 0,
                    options: QueryOptions::default(),
                    collapse,
                    ..SearchRequest::default()
                };
                let started = Instant::now();
                search::search(&index, &request).map_err(|e| e.to_string())?;
                if round > 0 {
                    samples.push((kind, query, started.elapsed().as_secs_f64() * 1e3));
                }
            }
        }
    }
    Ok((latency(&collapsed), latency(&apart)))
}

fn installed(program: &str) -> bool {
    Command::new(program)
        .arg("--version")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .is_ok_and(|s| s.success())
}

/// Median time of `rg` counting each single term in the raw corpus.
fn ripgrep(options: &Options, corpus: &Path) -> Result<BTreeMap<String, f64>, String> {
    let mut out = BTreeMap::new();
    for &(kind, query) in QUERIES.iter().filter(|(k, _)| is_single_term(k)) {
        step(&format!("ripgrep {kind} {query}"));
        let mut times = Vec::new();
        for _ in 0..options.repeat.min(3) {
            let measured = measure(
                Command::new("rg")
                    .args(["-c", "-F", "--", query])
                    .arg(corpus),
            )?;
            times.push(measured.wall.as_secs_f64() * 1e3);
        }
        out.insert(query.to_string(), median(&times));
    }
    Ok(out)
}

#[derive(Serialize, Default, Clone)]
struct FtsResult {
    build_seconds: f64,
    size_mb: f64,
    /// Median per single-term query, new `sqlite3` process, top 10 with snippets.
    by_query_ms: BTreeMap<String, f64>,
}

/// SQLite FTS5 through the `sqlite3` command: build, size, single-term searches.
fn sqlite_fts(options: &Options, corpus: &Path) -> Result<FtsResult, String> {
    let csv = options.work.join("fts.csv");
    let db = options.work.join("fts.db");
    step("writing the corpus as CSV for SQLite");
    let mut out = std::io::BufWriter::new(std::fs::File::create(&csv).map_err(|e| e.to_string())?);
    let quote = |s: &str| format!("\"{}\"", s.replace('"', "\"\""));
    let mut files: Vec<PathBuf> = std::fs::read_dir(corpus)
        .map_err(|e| e.to_string())?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|e| e == "jsonl"))
        .collect();
    files.sort();
    for path in files {
        let file = std::fs::File::open(&path).map_err(|e| e.to_string())?;
        for line in BufReader::new(file).lines() {
            let v: serde_json::Value = serde_json::from_str(&line.map_err(|e| e.to_string())?)
                .map_err(|e| e.to_string())?;
            let field = |k: &str| quote(v[k].as_str().unwrap_or_default());
            writeln!(out, "{},{},{}", field("id"), field("title"), field("body"))
                .map_err(|e| e.to_string())?;
        }
    }
    out.flush().map_err(|e| e.to_string())?;
    drop(out);
    let _ = std::fs::remove_file(&db);
    step("building the SQLite FTS5 index");
    let script = format!(
        "CREATE VIRTUAL TABLE docs USING fts5(id UNINDEXED, title, body);\n.mode csv\n.import {} docs\n",
        csv.display()
    );
    let started = Instant::now();
    let mut child = Command::new("sqlite3")
        .arg(&db)
        .stdin(Stdio::piped())
        .stdout(Stdio::null())
        .spawn()
        .map_err(|e| e.to_string())?;
    child
        .stdin
        .take()
        .expect("piped")
        .write_all(script.as_bytes())
        .map_err(|e| e.to_string())?;
    child.wait().map_err(|e| e.to_string())?;
    let build_seconds = started.elapsed().as_secs_f64();
    let _ = std::fs::remove_file(&csv);
    let mut by_query_ms = BTreeMap::new();
    for &(_, query) in QUERIES.iter().filter(|(k, _)| is_single_term(k)) {
        let sql = format!(
            "SELECT id, snippet(docs, 2, '[', ']', '…', 24) FROM docs WHERE docs MATCH '\"{query}\"' ORDER BY rank LIMIT 10;"
        );
        let mut times = Vec::new();
        for _ in 0..options.repeat {
            let measured = measure(Command::new("sqlite3").arg(&db).arg(&sql))?;
            times.push(measured.wall.as_secs_f64() * 1e3);
        }
        by_query_ms.insert(query.to_string(), median(&times));
    }
    Ok(FtsResult {
        build_seconds,
        size_mb: std::fs::metadata(&db).map_or(0.0, |m| m.len() as f64 / 1e6),
        by_query_ms,
    })
}

#[derive(Serialize, Default)]
struct Results {
    machine: String,
    docs: usize,
    text_mb: f64,
    runs: usize,
    repeat: usize,
    indexing_rasd: IndexingResult,
    indexing_tantivy_default: IndexingResult,
    tree_files: usize,
    tree_indexing_seconds: f64,
    no_change_reindex_seconds: f64,
    search_process_rasd: Latency,
    search_process_tantivy_default: Latency,
    /// `--baseline`'s search processes, on rasd's index, alternating with rasd's.
    search_process_baseline: Option<Latency>,
    /// The CPU time (user and system) of rasd's and `--baseline`'s search processes in those
    /// alternating runs: what to compare on a loaded machine.
    search_process_cpu_with_baseline: Option<(Latency, Latency)>,
    /// The size in MB of rasd's index and of `--baseline`'s, searched in those runs (the same
    /// index when the baseline can read rasd's).
    index_mb_with_baseline: Option<(f64, f64)>,
    /// In process, copies collapsed (the default of `rasd search`).
    search_in_process_rasd: Latency,
    glossary: GlossaryCost,
    /// In process, `--no-collapse`.
    search_in_process_no_collapse: Latency,
    watch: WatchResult,
    ripgrep_ms: Option<BTreeMap<String, f64>>,
    sqlite_fts5: Option<FtsResult>,
    archive_input: ArchiveInput,
    /// The scale curve (`--only scale`), one point per size.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    scale: Vec<scale::ScalePoint>,
    /// rasd beside tantivy on one view and Lucene, per corpus.
    engines: Vec<baselines::CorpusComparison>,
}

fn machine() -> String {
    let cpu = std::fs::read_to_string("/proc/cpuinfo")
        .ok()
        .and_then(|t| {
            t.lines()
                .find(|l| l.starts_with("model name"))
                .and_then(|l| l.split(':').nth(1))
                .map(|m| m.trim().to_string())
        })
        .unwrap_or_else(|| "unknown CPU".into());
    let cores = std::thread::available_parallelism().map_or(1, usize::from);
    let memory = std::fs::read_to_string("/proc/meminfo")
        .ok()
        .and_then(|t| {
            t.lines()
                .find(|l| l.starts_with("MemTotal"))
                .and_then(|l| l.split_whitespace().nth(1))
                .and_then(|kb| kb.parse::<f64>().ok())
        })
        .map_or_else(String::new, |kb| {
            format!(", {:.0} GiB", kb / 1024.0 / 1024.0)
        });
    format!("{cores} cores, {cpu}{memory}")
}

/// The index of the corpus that the searches and `watch run` use, built once for `--only
/// search` and `--only watch` (a marker beside it says which corpus it holds, once complete).
fn corpus_index(options: &Options, corpus: &Path) -> Result<PathBuf, String> {
    corpus_index_of(options, &options.rasd, "index-rasd", corpus)
}

/// The index `name` of the corpus built by the binary `rasd`, once: again when that binary
/// cannot search it (built by another analyzer version).
fn corpus_index_of(
    options: &Options,
    rasd: &Path,
    name: &str,
    corpus: &Path,
) -> Result<PathBuf, String> {
    let index = options.work.join(name);
    let marker = options.work.join(format!("{name}.complete"));
    let holds = corpus.display().to_string();
    // An index of another analyzer version asks for a rebuild: rasd then searches nothing.
    let searchable = || {
        Command::new(rasd)
            .arg("--index")
            .arg(&index)
            .args(["search", "--count", "--", "الأمن"])
            .output()
            .is_ok_and(|out| out.status.code() != Some(2))
    };
    if std::fs::read_to_string(&marker).is_ok_and(|m| m == holds) && searchable() {
        return Ok(index);
    }
    let _ = std::fs::remove_file(&marker);
    let _ = std::fs::remove_dir_all(&index);
    step(&format!("indexing {} once", corpus.display()));
    let measured = measure(
        Command::new(rasd)
            .arg("--index")
            .arg(&index)
            .args(["index", "-q"])
            .arg(corpus),
    )?;
    if !measured.success {
        return Err("indexing the corpus failed".into());
    }
    std::fs::write(&marker, holds).map_err(|e| e.to_string())?;
    Ok(index)
}

/// A fresh copy of `index` at `copy`, for `watch_runs`, which adds articles and saved
/// searches to it: the index searched stays as it was built, and every run of the benchmark
/// starts alike.
fn copy_index(index: &Path, copy: &Path) -> Result<PathBuf, String> {
    let _ = std::fs::remove_dir_all(copy);
    let status = Command::new("cp")
        .arg("-r")
        .arg(index)
        .arg(copy)
        .status()
        .map_err(|e| format!("cannot run cp: {e}"))?;
    if !status.success() {
        return Err(format!(
            "cannot copy {} to {}",
            index.display(),
            copy.display()
        ));
    }
    Ok(copy.to_path_buf())
}

fn run(options: &Options) -> Result<Results, String> {
    std::fs::create_dir_all(&options.work).map_err(|e| e.to_string())?;
    let mut results = Results {
        machine: machine(),
        docs: options.docs,
        runs: options.runs,
        repeat: options.repeat,
        tree_files: options.files,
        ..Results::default()
    };
    if options.only == Only::Scale {
        results.scale = scale::curve(options)?;
        return Ok(results);
    }
    let all = options.only == Only::All;
    if all || options.only == Only::Warc {
        results.archive_input = archive_input(options)?;
    }
    if options.only == Only::Warc {
        return Ok(results);
    }
    if all || options.only == Only::Indexing {
        results.engines = baselines::run(options)?;
    }
    if options.only == Only::Indexing {
        return Ok(results);
    }
    let jsonl = corpus(options, "jsonl", options.docs)?;
    let text = text_bytes(&jsonl)?;
    results.text_mb = text as f64 / 1e6;
    let mut default_index = None;
    if all {
        let schema = default_analyzer_schema(options)?;
        let marker = options.work.join("index-rasd.complete");
        let _ = std::fs::remove_file(&marker);
        let (rasd, _) = index_runs(options, "rasd", &jsonl, None, options.docs, text)?;
        std::fs::write(&marker, jsonl.display().to_string()).map_err(|e| e.to_string())?;
        let (default, index) = index_runs(
            options,
            "tantivy-default",
            &jsonl,
            Some(&schema),
            options.docs,
            text,
        )?;
        default_index = Some(index);
        results.indexing_rasd = rasd;
        results.indexing_tantivy_default = default;

        let tree = corpus(options, "txt", options.files)?;
        let tree_index = options.work.join("index-tree");
        let _ = std::fs::remove_dir_all(&tree_index);
        let index_tree = || {
            measure(
                Command::new(&options.rasd)
                    .arg("--index")
                    .arg(&tree_index)
                    .args(["index", "-q"])
                    .arg(&tree),
            )
        };
        step(&format!("indexing the tree of {} files", options.files));
        results.tree_indexing_seconds = index_tree()?.wall.as_secs_f64();
        let mut walls = Vec::new();
        for run in 1..=options.runs {
            step(&format!(
                "re-indexing the unchanged tree, run {run}/{}",
                options.runs
            ));
            walls.push(index_tree()?.wall.as_secs_f64());
        }
        results.no_change_reindex_seconds = median(&walls);
    }
    let rasd_index = corpus_index(options, &jsonl)?;

    if all || options.only == Only::Search {
        step("searching, one process per query, with and without the glossary");
        results.glossary = glossary_cost(options, &rasd_index)?;
        results.search_process_rasd = results.glossary.with_glossary.clone();
        if let Some(baseline) = &options.baseline {
            step("searching, one process per query, beside --baseline");
            // A baseline of another analyzer version cannot read rasd's index: its own then.
            let baseline_index = corpus_index_of(options, baseline, "index-rasd-baseline", &jsonl)?;
            let variants = [
                (options.rasd.as_path(), &[][..], rasd_index.as_path()),
                (baseline.as_path(), &[][..], baseline_index.as_path()),
            ];
            let measured = search_process_variants(options, &variants)?;
            let mb = |index: &Path| folder_size(index) as f64 / 1e6;
            results.index_mb_with_baseline = Some((mb(&rasd_index), mb(&baseline_index)));
            let [(rasd_wall, rasd_cpu), (baseline_wall, baseline_cpu)] =
                <[(Latency, Latency); 2]>::try_from(measured)
                    .map_err(|_| "two variants".to_string())?;
            results.search_process_rasd = rasd_wall;
            results.search_process_baseline = Some(baseline_wall);
            results.search_process_cpu_with_baseline = Some((rasd_cpu, baseline_cpu));
        }
        if let Some(default_index) = &default_index {
            results.search_process_tantivy_default =
                search_processes(options, default_index, &[&options.rasd])?
                    .pop()
                    .unwrap_or_default();
        }
        step("searching in process");
        (
            results.search_in_process_rasd,
            results.search_in_process_no_collapse,
        ) = search_in_process(options, &rasd_index)?;
    }
    if all || options.only == Only::Watch {
        step(&format!("rasd watch run, {SAVED_SEARCHES} saved searches"));
        results.watch = watch_runs(options, &rasd_index)?;
    }
    if all && installed("rg") {
        results.ripgrep_ms = Some(ripgrep(options, &jsonl)?);
    } else if all {
        step("ripgrep (rg) is not installed: skipped");
    }
    if all && installed("sqlite3") {
        results.sqlite_fts5 = Some(sqlite_fts(options, &jsonl)?);
    } else if all {
        step("sqlite3 is not installed: skipped");
    }
    Ok(results)
}

fn check(ok: bool) -> &'static str {
    if ok { "✓" } else { "✗" }
}

/// The glossary's cost: searches with it and with `--no-glossary`, and the index's size.
fn glossary_report(r: &Results) -> String {
    let g = &r.glossary;
    let mut out = String::new();
    let mut line = |s: String| {
        out.push_str(&s);
        out.push('\n');
    };
    line("| search, new process, top 10 with snippets | with the glossary | `--no-glossary` | with ÷ without | CPU with | CPU `--no-glossary` | with ÷ without |".into());
    line("| --- | ---: | ---: | ---: | ---: | ---: | ---: |".into());
    let row = |name: &str, wall: (f64, f64), cpu: (f64, f64)| {
        format!(
            "| {name} | {:.1} ms | {:.1} ms | {:.2}× | {:.1} ms | {:.1} ms | {:.2}× |",
            wall.0,
            wall.1,
            wall.0 / wall.1,
            cpu.0,
            cpu.1,
            cpu.0 / cpu.1
        )
    };
    let (w, n, wc, nc) = (
        &g.with_glossary,
        &g.no_glossary,
        &g.with_glossary_cpu,
        &g.no_glossary_cpu,
    );
    line(row("p50", (w.p50_ms, n.p50_ms), (wc.p50_ms, nc.p50_ms)));
    line(row("p99", (w.p99_ms, n.p99_ms), (wc.p99_ms, nc.p99_ms)));
    for kind in w.by_kind_ms.keys() {
        let median = |l: &Latency| l.by_kind_ms.get(kind).copied().unwrap_or(f64::NAN);
        line(row(
            &format!("{kind} (median)"),
            (median(w), median(n)),
            (median(wc), median(nc)),
        ));
    }
    line(String::new());
    line(format!(
        "Index size: {:.1} MB before these searches, {:.1} MB after (the glossary is applied \
         at query time: the index is the same with or without it).",
        g.index_mb_before, g.index_mb_after
    ));
    out
}

/// The lines of `watch_runs`' results.
fn report_watch(r: &Results, line: &mut impl FnMut(String)) {
    line(format!(
        "`rasd watch run`, {} saved searches matching {} articles in all: {:.2} s when nothing \
         is new, {:.2} s when every match is read and hashed (medians).\n",
        r.watch.searches, r.watch.matches, r.watch.run_seconds, r.watch.full_run_seconds
    ));
    let w = &r.watch;
    let baseline = match (
        w.new_articles_baseline_seconds,
        w.new_articles_baseline_cpu_seconds,
    ) {
        (Some(wall), Some(cpu)) => format!(
            "; `--baseline`: {wall:.3} s, {cpu:.3} s CPU (ratios {:.2}× wall, {:.2}× CPU)",
            w.new_articles_seconds / wall,
            w.new_articles_cpu_seconds / cpu
        ),
        _ => String::new(),
    };
    line(format!(
        "`rasd watch run` after {NEW_ARTICLES} new articles (syndicated) were indexed: {:.3} s, \
         {:.3} s CPU (medians){baseline}.\n",
        w.new_articles_seconds, w.new_articles_cpu_seconds
    ));
}

/// The table of the searches' latencies, and what collapsing copies costs in process.
fn report_search(r: &Results, line: &mut impl FnMut(String)) {
    let (p, w, n) = (
        &r.search_process_rasd,
        &r.search_in_process_rasd,
        &r.search_in_process_no_collapse,
    );
    let baseline = r.search_process_baseline.as_ref();
    // The default analyzer's index is built only by the whole benchmark.
    let default = Some(&r.search_process_tantivy_default).filter(|d| !d.by_kind_ms.is_empty());
    let mut columns: Vec<(&str, &Latency, usize)> = vec![("rasd, new process", p, 1)];
    columns.extend(baseline.map(|b| ("`--baseline`, new process", b, 1)));
    columns.extend(default.map(|d| ("tantivy default analyzer, new process", d, 1)));
    columns.push(("rasd, in process (warm)", w, 2));
    columns.push(("rasd, in process, `--no-collapse`", n, 2));
    let names: Vec<&str> = columns.iter().map(|c| c.0).collect();
    line(format!(
        "| search, top 10 with snippets | {} |",
        names.join(" | ")
    ));
    line(format!("| --- |{}", " ---: |".repeat(columns.len())));
    let row = |label: &str, value: &dyn Fn(&Latency) -> f64| {
        let cells: Vec<String> = columns
            .iter()
            .map(|(_, l, digits)| format!("{:.*} ms", *digits, value(l)))
            .collect();
        format!("| {label} | {} |", cells.join(" | "))
    };
    line(row("p50", &|l| l.p50_ms));
    line(row("p99", &|l| l.p99_ms));
    for kind in p.by_kind_ms.keys() {
        line(row(&format!("{kind} (median)"), &|l| {
            l.by_kind_ms.get(kind).copied().unwrap_or(f64::NAN)
        }));
    }
    line(String::new());
    line(format!(
        "Collapsing copies, in process: p50 {:.2} ms against {:.2} ms with `--no-collapse` \
         ({:+.2} ms).\n",
        w.p50_ms,
        n.p50_ms,
        w.p50_ms - n.p50_ms
    ));
    if let Some(b) = baseline {
        line(format!(
            "New processes: p50 {:.1} ms, `--baseline` {:.1} ms ({:.2}×).\n",
            p.p50_ms,
            b.p50_ms,
            p.p50_ms / b.p50_ms
        ));
    }
    if let Some((ours, theirs)) = r.index_mb_with_baseline {
        line(format!(
            "Index searched: rasd {ours:.1} MB, `--baseline` {theirs:.1} MB ({:.3}×).\n",
            ours / theirs
        ));
    }
    if let Some((ours, theirs)) = &r.search_process_cpu_with_baseline {
        line(
            "| CPU time (user + system), new process | rasd | `--baseline` | rasd ÷ baseline |"
                .into(),
        );
        line("| --- | ---: | ---: | ---: |".into());
        let row = |label: &str, a: f64, b: f64| {
            format!("| {label} | {a:.1} ms | {b:.1} ms | {:.2}× |", a / b)
        };
        line(row("p50", ours.p50_ms, theirs.p50_ms));
        line(row("p99", ours.p99_ms, theirs.p99_ms));
        let median = |l: &Latency, key: &str| l.by_kind_ms.get(key).copied().unwrap_or(f64::NAN);
        for kind in ours.by_kind_ms.keys() {
            line(row(
                &format!("{kind} (median)"),
                median(ours, kind),
                median(theirs, kind),
            ));
        }
        for (query, ms) in &ours.by_query_ms {
            let theirs = theirs.by_query_ms.get(query).copied().unwrap_or(f64::NAN);
            line(row(&format!("`{query}`"), *ms, theirs));
        }
        line(String::new());
    }
    line(glossary_report(r));
}

fn report(r: &Results, only: Only) -> String {
    let mut out = String::new();
    let mut line = |s: String| {
        out.push_str(&s);
        out.push('\n');
    };
    if only != Only::All {
        line(format!(
            "{} articles; {}; {} repetitions.\n",
            r.docs, r.machine, r.repeat
        ));
        if only == Only::Search {
            report_search(r, &mut line);
        } else {
            report_watch(r, &mut line);
        }
        return out;
    }
    let (a, b) = (&r.indexing_rasd, &r.indexing_tantivy_default);
    line(format!(
        "{} articles, {:.0} MB of text; {}; medians of {} runs, {} repetitions per query.\n",
        r.docs, r.text_mb, r.machine, r.runs, r.repeat
    ));
    line(baselines::report(&r.engines));
    line("| indexing, the same pipeline | rasd | rasd's pipeline and views, tantivy's default analyzer | rasd ÷ default |".into());
    line("| --- | ---: | ---: | ---: |".into());
    line(format!(
        "| wall time | {:.1} s | {:.1} s | {:.2}× the time |",
        a.median_seconds,
        b.median_seconds,
        a.median_seconds / b.median_seconds
    ));
    line(format!(
        "| articles/s | {:.0} | {:.0} | {:.2}× |",
        a.articles_per_second,
        b.articles_per_second,
        a.articles_per_second / b.articles_per_second
    ));
    line(format!(
        "| MB/s of text | {:.1} | {:.1} | {:.2}× |",
        a.text_mb_per_second,
        b.text_mb_per_second,
        a.text_mb_per_second / b.text_mb_per_second
    ));
    line(format!(
        "| peak RSS, index files mapped included (`--memory 256`) | {:.0} MB | {:.0} MB | {:.2}× |",
        a.peak_rss_mb,
        b.peak_rss_mb,
        a.peak_rss_mb / b.peak_rss_mb
    ));
    line(format!(
        "| peak anonymous memory (`--memory 256`) | {:.0} MB | {:.0} MB | {:.2}× |",
        a.peak_anon_mb,
        b.peak_anon_mb,
        a.peak_anon_mb / b.peak_anon_mb
    ));
    line(format!(
        "| index size | {:.0} MB ({:.0}% of text) | {:.0} MB ({:.0}% of text) | {:.2}× |",
        a.index_mb,
        a.index_percent_of_text,
        b.index_mb,
        b.index_percent_of_text,
        a.index_mb / b.index_mb
    ));
    line(String::new());
    line(format!(
        "Tree of {} `.txt` files: first indexing {:.1} s; no-change re-index {:.2} s (median).\n",
        r.tree_files, r.tree_indexing_seconds, r.no_change_reindex_seconds
    ));
    report_watch(r, &mut line);
    report_search(r, &mut line);
    let p = &r.search_process_rasd;
    line("| single term | rasd, new process | ripgrep | rasd vs ripgrep | SQLite FTS5, new process |".into());
    line("| --- | ---: | ---: | ---: | ---: |".into());
    let mut speedups = Vec::new();
    for &(_, query) in QUERIES.iter().filter(|(k, _)| is_single_term(k)) {
        let ours = p.by_query_ms[query];
        let rg = r.ripgrep_ms.as_ref().and_then(|m| m.get(query)).copied();
        let fts = r
            .sqlite_fts5
            .as_ref()
            .and_then(|f| f.by_query_ms.get(query))
            .copied();
        if let Some(rg) = rg {
            speedups.push(rg / ours);
        }
        let show = |v: Option<f64>| v.map_or_else(|| "n/a".to_string(), |v| format!("{v:.1} ms"));
        line(format!(
            "| `{query}` | {ours:.1} ms | {} | {} | {} |",
            show(rg),
            rg.map_or_else(
                || "n/a".to_string(),
                |rg| format!("{:.0}× faster", rg / ours)
            ),
            show(fts)
        ));
    }
    if let Some(fts) = &r.sqlite_fts5 {
        line(format!(
            "\nSQLite FTS5: built in {:.1} s, {:.0} MB ({:.0}% of text).",
            fts.build_seconds,
            fts.size_mb,
            100.0 * fts.size_mb / r.text_mb
        ));
    }
    let slowest_speedup = speedups.iter().copied().fold(f64::INFINITY, f64::min);
    line(String::new());
    line("| target | measured | |".into());
    line("| --- | --- | --- |".into());
    let ratio = a.text_mb_per_second / b.text_mb_per_second;
    line(format!(
        "| indexing ≥ 0.75× tantivy default analyzer | {ratio:.2}× | {} |",
        check(ratio >= 0.75)
    ));
    line(format!(
        "| indexing ≥ 10 MB/s | {:.1} MB/s | {} |",
        a.text_mb_per_second,
        check(a.text_mb_per_second >= 10.0)
    ));
    line(format!(
        "| memory bounded by `--memory 256`: anonymous peak ≤ 2 × 256 MB | {:.0} MB | {} |",
        a.peak_anon_mb,
        check(a.peak_anon_mb <= 512.0)
    ));
    line(format!(
        "| index ≤ raw text | {:.0}% | {} |",
        a.index_percent_of_text,
        check(a.index_percent_of_text <= 100.0)
    ));
    line(format!(
        "| search p50 ≤ 5 ms (new process) | {:.1} ms | {} |",
        p.p50_ms,
        check(p.p50_ms <= 5.0)
    ));
    line(format!(
        "| search p99 ≤ 20 ms (new process) | {:.1} ms | {} |",
        p.p99_ms,
        check(p.p99_ms <= 20.0)
    ));
    if let Some((kind, slowest)) = p.by_kind_ms.iter().max_by(|a, b| a.1.total_cmp(b.1)) {
        line(format!(
            "| every query class's median ≤ 10 ms (new process) | {slowest:.1} ms ({kind}, the slowest) | {} |",
            check(*slowest <= 10.0)
        ));
    }
    if !speedups.is_empty() {
        line(format!(
            "| single terms ≥ 20× faster than ripgrep | {slowest_speedup:.0}× (slowest term) | {} |",
            check(slowest_speedup >= 20.0)
        ));
    }
    line(format!(
        "| no-change re-index of {} files ≤ 3 s | {:.2} s | {} |",
        r.tree_files,
        r.no_change_reindex_seconds,
        check(r.no_change_reindex_seconds <= 3.0)
    ));
    out
}

fn main() -> std::process::ExitCode {
    let options = match parse_args() {
        Ok(options) => options,
        Err(e) => {
            eprintln!("bench: error: {e}");
            return std::process::ExitCode::from(2);
        }
    };
    match run(&options) {
        Ok(results) => {
            if options.only == Only::Scale {
                print!("{}", scale::report(&results));
            } else if options.only == Only::Indexing {
                println!("Machine: {}.\n", results.machine);
                print!("{}", baselines::report(&results.engines));
            } else if options.only != Only::Warc {
                print!("{}", report(&results, options.only));
                println!();
            }
            if matches!(options.only, Only::All | Only::Warc) {
                print!("{}", archive_report(&results.archive_input, options.runs));
            }
            let json = serde_json::to_string_pretty(&results).expect("results serialize");
            if let Err(e) = std::fs::write(&options.json, json) {
                eprintln!("bench: error: cannot write {}: {e}", options.json.display());
                return std::process::ExitCode::from(2);
            }
            step(&format!("results written to {}", options.json.display()));
            std::process::ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("bench: error: {e}");
            std::process::ExitCode::from(2)
        }
    }
}
