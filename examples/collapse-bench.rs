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
//! per run; `--baseline BIN` also times another rasd (e.g. one built without story
//! signatures, or the main branch's), runs alternating with this one's. Searching runs in
//! this process on a warm index, the bench's query set, top 10: wall and CPU time (the CPU
//! time of the searching thread varies less on a shared machine); `--search-only` times only
//! the searches, on the index of an earlier run. `--only collapsed` or `--only no-collapse`
//! runs one kind of search alone, e.g. to count its instructions under a profiler and take the
//! difference. Collapsed searches name their copies as the text output does (outlets and
//! dates); `--copy-ids` reads their ids too, as `--format json` does. `--query Q` (repeated)
//! times these queries instead of the built-in set; `--index DIR` has `--search-only` search
//! another index (e.g. the benchmark's, `target/bench/index-rasd`).

use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode};
use std::time::Instant;

use rasd::search::{self, SearchRequest};
use rasd::store::RasdIndex;

/// Queries of several kinds and selectivities (a subset of `examples/bench/main.rs`'s).
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
    /// Only the searches, on the index of an earlier run (in `work`).
    search_only: bool,
    /// The kinds of search timed: collapsed, with `--no-collapse`, or both.
    kinds: Kinds,
    /// Collapsed searches read their copies' ids, as `--format json` does.
    copy_ids: bool,
    /// The queries timed: [`QUERIES`] unless `--query` was given.
    queries: Vec<String>,
    /// With `--search-only`, the index searched instead of the one in `work`.
    index: Option<PathBuf>,
}

/// The kinds of search [`report_search`] times.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Kinds {
    Both,
    Collapsed,
    NoCollapse,
}

fn parse_args() -> Result<Options, String> {
    let mut options = Options {
        corpus: PathBuf::new(),
        runs: 3,
        repeat: 10,
        rasd: PathBuf::from("target/release/rasd"),
        baseline: None,
        work: PathBuf::from("target/collapse-bench"),
        search_only: false,
        kinds: Kinds::Both,
        copy_ids: false,
        queries: vec![],
        index: None,
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
            "--search-only" => options.search_only = true,
            "--copy-ids" => options.copy_ids = true,
            "--query" => options.queries.push(value()?),
            "--index" => options.index = Some(PathBuf::from(value()?)),
            "--only" => {
                options.kinds = match value()?.as_str() {
                    "collapsed" => Kinds::Collapsed,
                    "no-collapse" => Kinds::NoCollapse,
                    other => {
                        return Err(format!(
                            "--only takes `collapsed` or `no-collapse`, not `{other}`"
                        ));
                    }
                }
            }
            corpus if !corpus.starts_with("--") => options.corpus = PathBuf::from(corpus),
            other => return Err(format!("unknown argument `{other}`")),
        }
    }
    if options.corpus.as_os_str().is_empty() {
        return Err(
            "usage: collapse-bench CORPUS_DIR [--runs N] [--repeat N] [--rasd BIN] \
                    [--search-only [--index DIR]] [--only collapsed|no-collapse] [--copy-ids] \
                    [--query Q]..."
                .into(),
        );
    }
    if options.queries.is_empty() {
        options.queries = QUERIES.iter().map(|q| q.to_string()).collect();
    }
    Ok(options)
}

fn median(values: &mut [f64]) -> f64 {
    values.sort_by(f64::total_cmp);
    values[values.len() / 2]
}

/// The CPU time (user and system, in seconds) of this process's finished children, from
/// `/proc/self/stat` (Linux; `None` elsewhere): on a machine shared with other jobs it varies
/// less than the wall time.
fn children_cpu() -> Option<f64> {
    let stat = std::fs::read_to_string("/proc/self/stat").ok()?;
    // The fields after the command name, which is in parentheses: cutime and cstime are the
    // 14th and 15th of them, in clock ticks (100 a second on Linux).
    let fields: Vec<&str> = stat.rsplit_once(')')?.1.split_whitespace().collect();
    let ticks: u64 = fields.get(13)?.parse::<u64>().ok()? + fields.get(14)?.parse::<u64>().ok()?;
    Some(ticks as f64 / 100.0)
}

/// Indexes the corpus with `rasd` into `index`; the wall time and the CPU time in seconds.
fn index_once(rasd: &Path, corpus: &Path, index: &Path) -> Result<(f64, Option<f64>), String> {
    let _ = std::fs::remove_dir_all(index);
    let cpu = children_cpu();
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
    let wall = started.elapsed().as_secs_f64();
    Ok((
        wall,
        children_cpu()
            .zip(cpu)
            .map(|(after, before)| after - before),
    ))
}

/// Median wall and CPU times of runs.
#[derive(Default)]
struct Runs {
    walls: Vec<f64>,
    cpus: Vec<f64>,
}

impl Runs {
    fn push(&mut self, (wall, cpu): (f64, Option<f64>)) {
        self.walls.push(wall);
        self.cpus.extend(cpu);
    }

    /// The median wall time, and the median CPU time when it was measured.
    fn medians(mut self) -> (f64, Option<f64>) {
        let cpu = (!self.cpus.is_empty()).then(|| median(&mut self.cpus));
        (median(&mut self.walls), cpu)
    }
}

/// Indexes the corpus `runs` times, alternating with the baseline if any; the median wall
/// and CPU times in seconds (this rasd's, the baseline's), and this rasd's index.
#[allow(clippy::type_complexity)]
fn index(
    options: &Options,
) -> Result<((f64, Option<f64>), Option<(f64, Option<f64>)>, PathBuf), String> {
    let index = options.work.join("index");
    let baseline_index = options.work.join("index-baseline");
    let (mut runs, mut baseline_runs) = (Runs::default(), Runs::default());
    for run in 1..=options.runs {
        eprintln!("collapse-bench: indexing, run {run}/{}", options.runs);
        if let Some(baseline) = &options.baseline {
            baseline_runs.push(index_once(baseline, &options.corpus, &baseline_index)?);
        }
        runs.push(index_once(&options.rasd, &options.corpus, &index)?);
    }
    let _ = std::fs::remove_dir_all(&baseline_index);
    let baseline = options.baseline.as_ref().map(|_| baseline_runs.medians());
    Ok((runs.medians(), baseline, index))
}

/// The size of the corpus's files in megabytes (10⁶ bytes).
fn corpus_megabytes(corpus: &Path) -> f64 {
    let bytes: u64 = std::fs::read_dir(corpus)
        .into_iter()
        .flatten()
        .filter_map(|entry| entry.ok()?.metadata().ok())
        .filter(|meta| meta.is_file())
        .map(|meta| meta.len())
        .sum();
    bytes as f64 / 1e6
}

/// `12.3 s CPU`, or nothing when the CPU time was not measured.
fn cpu_text(cpu: Option<f64>) -> String {
    cpu.map(|cpu| format!(", {cpu:.1} s CPU"))
        .unwrap_or_default()
}

/// The CPU time this thread has used, in milliseconds: on a machine shared with other jobs
/// it varies far less than the wall time.
fn thread_cpu_ms() -> f64 {
    // SAFETY: an all-zero timespec is a valid value for clock_gettime to fill in.
    let mut time: libc::timespec = unsafe { std::mem::zeroed() };
    // SAFETY: the pointer is valid for the call.
    unsafe { libc::clock_gettime(libc::CLOCK_THREAD_CPUTIME_ID, &mut time) };
    time.tv_sec as f64 * 1e3 + time.tv_nsec as f64 / 1e6
}

/// Median latency and median CPU time in milliseconds of the query set, collapsed or not,
/// after a warm-up round.
fn search_latency(
    index: &RasdIndex,
    collapse: bool,
    options: &Options,
) -> Result<(f64, f64), String> {
    let (mut samples, mut cpu) = (Vec::new(), Vec::new());
    for round in 0..=options.repeat {
        for query in &options.queries {
            let request = SearchRequest {
                query: query.clone(),
                limit: 10,
                collapse,
                copy_ids: options.copy_ids,
                ..SearchRequest::default()
            };
            let (started, cpu_before) = (Instant::now(), thread_cpu_ms());
            search::search(index, &request).map_err(|e| e.to_string())?;
            if round > 0 {
                samples.push(started.elapsed().as_secs_f64() * 1e3);
                cpu.push(thread_cpu_ms() - cpu_before);
            }
        }
    }
    Ok((median(&mut samples), median(&mut cpu)))
}

fn run(options: &Options) -> Result<(), String> {
    std::fs::create_dir_all(&options.work).map_err(|e| e.to_string())?;
    if options.search_only {
        let path = options.index.clone().unwrap_or(options.work.join("index"));
        let index = RasdIndex::open(&path).map_err(|e| e.to_string())?;
        return report_search(&index, options);
    }
    let ((seconds, cpu), baseline, index_path) = index(options)?;
    let megabytes = corpus_megabytes(&options.corpus);
    let index = RasdIndex::open(&index_path).map_err(|e| e.to_string())?;
    let articles = index.article_count().map_err(|e| e.to_string())?;
    println!(
        "{articles} articles in {}; {} threads",
        Path::new(&options.corpus).display(),
        std::thread::available_parallelism().map_or(1, usize::from)
    );
    println!(
        "indexing: {seconds:.1}s median of {} runs, {:.0} articles/s, {:.1} MB/s{}",
        options.runs,
        articles as f64 / seconds,
        megabytes / seconds,
        cpu_text(cpu)
    );
    if let Some((baseline, baseline_cpu)) = baseline {
        println!(
            "baseline indexing: {baseline:.1}s, {:.0} articles/s, {:.1} MB/s{}; this rasd takes \
             {:+.0}% wall time{}",
            articles as f64 / baseline,
            megabytes / baseline,
            cpu_text(baseline_cpu),
            100.0 * (seconds / baseline - 1.0),
            cpu.zip(baseline_cpu)
                .map(|(cpu, base)| format!(", {:+.0}% CPU time", 100.0 * (cpu / base - 1.0)))
                .unwrap_or_default()
        );
    }
    report_search(&index, options)
}

/// Times the searches collapsed and with `--no-collapse`, alternating, and prints the medians.
fn report_search(index: &RasdIndex, options: &Options) -> Result<(), String> {
    let (mut collapsed, mut collapsed_cpu, mut every, mut every_cpu) =
        (vec![], vec![], vec![], vec![]);
    for _ in 0..3 {
        if options.kinds != Kinds::NoCollapse {
            let (wall, cpu) = search_latency(index, true, options)?;
            collapsed.push(wall);
            collapsed_cpu.push(cpu);
        }
        if options.kinds != Kinds::Collapsed {
            let (wall, cpu) = search_latency(index, false, options)?;
            every.push(wall);
            every_cpu.push(cpu);
        }
    }
    let queries = options.queries.len();
    if options.kinds != Kinds::Both {
        let (name, mut walls, mut cpus) = match options.kinds {
            Kinds::Collapsed => ("collapsed", collapsed, collapsed_cpu),
            _ => ("--no-collapse", every, every_cpu),
        };
        println!(
            "search p50 (top 10, in process, {queries} queries x {} rounds x 3): {name} {:.2} ms; \
             CPU time {:.2} ms",
            options.repeat,
            median(&mut walls),
            median(&mut cpus)
        );
        return Ok(());
    }
    let (collapsed, every) = (median(&mut collapsed), median(&mut every));
    let (collapsed_cpu, every_cpu) = (median(&mut collapsed_cpu), median(&mut every_cpu));
    println!(
        "search p50 (top 10, in process, {queries} queries x {} rounds x 3): collapsed \
         {collapsed:.2} ms, --no-collapse {every:.2} ms ({:+.2} ms); CPU time {collapsed_cpu:.2} \
         ms and {every_cpu:.2} ms ({:+.2} ms)",
        options.repeat,
        collapsed - every,
        collapsed_cpu - every_cpu
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
