//! `rasd index`: a run, a dry run, and how they report; with `--watch`, the saved searches
//! after the run.

use std::io::{self, IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use anyhow::{Result, bail};
use signal_hook::consts::{SIGINT, SIGTERM};
use signal_hook::iterator::Signals;

use rasd::indexer::{self, IndexOptions, OnProblem};
use rasd::ingest::{Problem, ReadOptions, decode};
use rasd::output;
use rasd::schema::IndexSchema;

use super::args::{BidiWhen, IndexArgs, OutputFormat};
use super::terminal;

/// A run stopped by a signal exits with 128 plus the signal's number, as a shell reports a
/// process killed by it: 130 for Ctrl-C (SIGINT), 143 for SIGTERM (systemd's stop).
fn interrupted_status(signal: usize) -> ExitCode {
    ExitCode::from(u8::try_from(128 + signal).unwrap_or(u8::MAX))
}

/// How long after a first signal a second one is the same request: `timeout(1)` signals the
/// process and then its process group, two SIGTERMs microseconds apart, which must not end the
/// run at once (probe 13: one `timeout` run in ten lost what it had read since its last commit).
const REPEAT_GRACE: Duration = Duration::from_millis(500);

/// Makes SIGINT and SIGTERM ask the run to stop: the first sets the returned flag (and
/// records which signal it was); another one, [`REPEAT_GRACE`] or more after it, ends the
/// process at once, with the status of [`interrupted_status`]. Nothing is lost then either:
/// tantivy commits are atomic, the next run removes what the writer left since the last
/// commit, and the folder's lock goes with the process. The signals are handled on a thread
/// of their own, where the time between them can be told.
fn stop_on_signals() -> Result<(Arc<AtomicBool>, Arc<AtomicUsize>)> {
    let stop = Arc::new(AtomicBool::new(false));
    let which = Arc::new(AtomicUsize::new(0));
    let mut signals = Signals::new([SIGINT, SIGTERM])?;
    let (flag, first) = (stop.clone(), which.clone());
    std::thread::spawn(move || {
        let mut first_at: Option<Instant> = None;
        for signal in signals.forever() {
            match first_at {
                None => {
                    first.store(signal as usize, Ordering::SeqCst);
                    flag.store(true, Ordering::SeqCst);
                    first_at = Some(Instant::now());
                }
                Some(at) if at.elapsed() >= REPEAT_GRACE => std::process::exit(128 + signal),
                Some(_) => {}
            }
        }
    });
    Ok((stop, which))
}

/// Runs `rasd index` on the index at `index_path`, writing to `out`.
pub fn run(args: IndexArgs, index_path: PathBuf, mut out: impl Write) -> Result<ExitCode> {
    crate::allocator::use_for_indexing();
    let IndexArgs {
        paths,
        schema,
        follow_links,
        rebuild,
        allow_empty,
        dry_run,
        wait,
        commit_every,
        encoding,
        max_file_size,
        max_article_size,
        memory,
        quiet,
        json,
        watch,
        no_collapse,
    } = args;
    let schema = schema
        .map(|file| IndexSchema::from_file(&file))
        .transpose()?;
    let encoding = encoding
        .map(|name| decode::encoding_for_label(&name))
        .transpose()?;
    // `-` is standard input, not a path.
    let stdin = paths.iter().any(|p| p == Path::new("-"));
    let roots: Vec<PathBuf> = paths.into_iter().filter(|p| p != Path::new("-")).collect();
    if stdin && dry_run {
        bail!("--dry-run cannot tell what standard input holds without reading it; leave out `-`");
    }
    let options = IndexOptions {
        roots,
        index_path,
        schema,
        follow_links,
        rebuild,
        memory_mb: memory,
        read: ReadOptions {
            encoding,
            max_file_size: max_file_size.saturating_mul(1_000_000),
            max_article_size: usize::try_from(max_article_size.saturating_mul(1_000_000))
                .unwrap_or(usize::MAX),
            ..ReadOptions::default()
        },
        commit_every,
        wait,
        stdin,
        allow_empty,
        stop: None,
    };
    if dry_run {
        let plan = indexer::plan(&options)?;
        if json {
            output::write_plan_json(&mut out, &plan)?;
        } else {
            let cwd = std::env::current_dir().ok();
            for problem in &plan.problems {
                rasd::note!("{}", output::problem_line(problem, cwd.as_deref()));
            }
            output::write_plan_text(&mut out, &plan)?;
            rasd::note!(
                "{}",
                output::laid_out_list(&output::plan_summary(&plan), stderr_layout(), 2)
            );
        }
        // The status the run would have: 1 when a folder or file cannot be read.
        let status = if plan.failed() > 0 { 1 } else { 0 };
        return Ok(ExitCode::from(status));
    }
    let (stop, signal) = stop_on_signals()?;
    let options = IndexOptions {
        stop: Some(stop),
        ..options
    };
    let report = if json {
        // A closed stdout must not stop indexing: the first write error is kept and
        // reported once the run has committed.
        let mut problem_output: io::Result<()> = Ok(());
        let mut observer = OnProblem(|problem: &Problem| {
            if problem_output.is_ok() {
                problem_output = output::json_line(&mut out, problem);
            }
        });
        let report = indexer::run(&options, &mut observer)?;
        problem_output?;
        output::json_line(&mut out, &report)?;
        report
    } else {
        let mut progress = output::TerminalProgress::new(quiet, std::env::current_dir().ok());
        let report = indexer::run(&options, &mut progress);
        progress.finish();
        let report = report?;
        // An abandoned rebuild kept nothing to sum up: the interruption's line says it all.
        let abandoned = report.interrupted && rebuild;
        if !quiet && !abandoned {
            rasd::note!(
                "{}",
                output::laid_out_list(&output::index_summary(&report), stderr_layout(), 2)
            );
        }
        report
    };
    if report.interrupted {
        // Also when quiet: it is why the status is not 0.
        let line = output::interrupted_line(&report, stdin, rebuild);
        rasd::note!("{}", output::laid_out(&line, stderr_layout(), 2));
        return Ok(interrupted_status(signal.load(Ordering::Relaxed)));
    }
    let status = if report.failed > 0 { 1 } else { 0 };
    if watch {
        // After the last commit, so the saved searches see every article the run indexed.
        // Their own status says only whether something was new: the run's status stays the
        // indexing's, unless a saved search failed.
        let format = if json {
            OutputFormat::Json
        } else {
            OutputFormat::Text
        };
        let index = &options.index_path;
        let collapse = !no_collapse;
        if super::watch::run_saved(index, &[], format, collapse, options.wait, &mut out)? == 2 {
            return Ok(ExitCode::from(2));
        }
    }
    Ok(ExitCode::from(status))
}

/// How the summary lines on standard error are laid out: wrapped to a terminal's width.
/// Problem lines stay one line each, for `grep`.
fn stderr_layout() -> output::Layout {
    terminal::layout(io::stderr().is_terminal(), BidiWhen::Auto, None)
}
