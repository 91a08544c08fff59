//! What story signatures cost indexing: `rasd index` timed on a corpus (wall and CPU time),
//! and every body of the corpus signed as the indexer signs it, on one thread (CPU time).
//! The share of the indexing's CPU time that signing takes is what indexing would save
//! without signatures; in wall time it saves less, since the indexer signs in parallel with
//! reading.
//!
//! ```text
//! cargo build --release
//! cargo run --release --example signing-cost -- target/bench/corpus-jsonl-200000 --runs 3
//! ```
//!
//! `--rasd BIN` indexes with another binary; `--work DIR` is where the index is built (and
//! deleted after). Runs alternate indexing and signing, and the medians are reported.

use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode, Stdio};
use std::time::Instant;

use rasd::analysis::signature::Signer;
use rasd::schema::IndexSchema;

struct Options {
    corpus: PathBuf,
    runs: usize,
    rasd: PathBuf,
    work: PathBuf,
}

fn parse_args() -> Result<Options, String> {
    let mut options = Options {
        corpus: PathBuf::new(),
        runs: 3,
        rasd: PathBuf::from("target/release/rasd"),
        work: PathBuf::from("target/signing-cost"),
    };
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        let mut value = || args.next().ok_or(format!("{arg} needs a value"));
        match arg.as_str() {
            "--runs" => {
                options.runs = value()?
                    .parse::<usize>()
                    .map_err(|e| format!("--runs: {e}"))?
                    .max(1)
            }
            "--rasd" => options.rasd = PathBuf::from(value()?),
            "--work" => options.work = PathBuf::from(value()?),
            corpus if !corpus.starts_with("--") => options.corpus = PathBuf::from(corpus),
            other => return Err(format!("unknown argument `{other}`")),
        }
    }
    if options.corpus.as_os_str().is_empty() {
        return Err("usage: signing-cost CORPUS_DIR [--runs N] [--rasd BIN] [--work DIR]".into());
    }
    Ok(options)
}

/// The CPU time (user and system, seconds) of `who` (`RUSAGE_SELF`, `RUSAGE_CHILDREN`,
/// `RUSAGE_THREAD`).
fn cpu_seconds(who: i32) -> f64 {
    // SAFETY: an all-zero rusage is a valid value for getrusage to fill in.
    let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
    // SAFETY: the pointer is valid for the call.
    unsafe { libc::getrusage(who, &mut usage) };
    let seconds = |t: libc::timeval| t.tv_sec as f64 + t.tv_usec as f64 / 1e6;
    seconds(usage.ru_utime) + seconds(usage.ru_stime)
}

/// Indexes the corpus into a new index; its wall and CPU time in seconds.
fn index_once(options: &Options) -> Result<(f64, f64), String> {
    let index = options.work.join("index");
    let _ = std::fs::remove_dir_all(&index);
    let cpu = cpu_seconds(libc::RUSAGE_CHILDREN);
    let started = Instant::now();
    let status = Command::new(&options.rasd)
        .arg("--index")
        .arg(&index)
        .args(["index", "-q"])
        .arg(&options.corpus)
        .stdout(Stdio::null())
        .status()
        .map_err(|e| format!("cannot run {}: {e}", options.rasd.display()))?;
    let wall = started.elapsed().as_secs_f64();
    let _ = std::fs::remove_dir_all(&index);
    if !status.success() {
        return Err(format!("indexing with {} failed", options.rasd.display()));
    }
    Ok((wall, cpu_seconds(libc::RUSAGE_CHILDREN) - cpu))
}

/// The bodies of the corpus's JSON Lines files.
fn bodies(corpus: &Path) -> Result<Vec<String>, String> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(corpus)
        .map_err(|e| format!("{}: {e}", corpus.display()))?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|e| e == "jsonl"))
        .collect();
    files.sort();
    let mut bodies = Vec::new();
    for file in files {
        let reader = BufReader::new(std::fs::File::open(&file).map_err(|e| e.to_string())?);
        for line in reader.lines() {
            let line = line.map_err(|e| format!("{}: {e}", file.display()))?;
            let value: serde_json::Value =
                serde_json::from_str(&line).map_err(|e| format!("{}: {e}", file.display()))?;
            bodies.push(value["body"].as_str().unwrap_or_default().to_string());
        }
    }
    Ok(bodies)
}

/// Signs every body on this thread; the thread's CPU time in seconds.
fn sign_all(bodies: &[String]) -> f64 {
    let mut signer = Signer::new(&IndexSchema::builtin().word_lists);
    let cpu = cpu_seconds(libc::RUSAGE_THREAD);
    let mut signed = 0;
    for body in bodies {
        signed += usize::from(!signer.sign(body).is_empty());
    }
    std::hint::black_box(signed);
    cpu_seconds(libc::RUSAGE_THREAD) - cpu
}

fn median(values: &mut [f64]) -> f64 {
    values.sort_by(f64::total_cmp);
    values[values.len() / 2]
}

fn run(options: &Options) -> Result<(), String> {
    std::fs::create_dir_all(&options.work).map_err(|e| e.to_string())?;
    let bodies = bodies(&options.corpus)?;
    let (mut walls, mut cpus, mut signing) = (vec![], vec![], vec![]);
    for run in 1..=options.runs {
        eprintln!("signing-cost: run {run}/{}", options.runs);
        let (wall, cpu) = index_once(options)?;
        walls.push(wall);
        cpus.push(cpu);
        signing.push(sign_all(&bodies));
    }
    let (wall, cpu, signing) = (median(&mut walls), median(&mut cpus), median(&mut signing));
    println!(
        "{} articles in {}; {} threads; medians of {} runs",
        bodies.len(),
        options.corpus.display(),
        std::thread::available_parallelism().map_or(1, usize::from),
        options.runs
    );
    println!("indexing: {wall:.1} s wall, {cpu:.1} s CPU");
    println!(
        "signing every body, one thread: {signing:.1} s CPU = {:.1}% of the indexing's CPU time \
         ({:.1}% of its wall time, were signing not done in parallel with reading)",
        100.0 * signing / cpu,
        100.0 * signing / wall
    );
    Ok(())
}

fn main() -> ExitCode {
    match parse_args().and_then(|options| run(&options)) {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("signing-cost: {message}");
            ExitCode::from(2)
        }
    }
}
