//! `rasd index`: a run, a dry run, and how they report; with `--watch`, the saved searches
//! after the run.

use std::io::{self, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::atomic::Ordering;

use anyhow::{Result, bail};

use rasd::indexer::{self, IndexOptions, OnProblem};
use rasd::ingest::{Problem, ReadOptions, decode};
use rasd::output;
use rasd::schema::IndexSchema;

use super::args::{IndexArgs, OutputFormat};
use super::signals::{interrupted_status, stop_on_signals};
use super::terminal;

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
                output::laid_out_list(&output::plan_summary(&plan), terminal::stderr_layout(), 2)
            );
        }
        // The status the run would have: 1 when a folder or file cannot be read.
        let status = if plan.failed() > 0 { 1 } else { 0 };
        return Ok(ExitCode::from(status));
    }
    let (stop, signal) = stop_on_signals()?;
    let options = IndexOptions {
        stop: Some(stop.clone()),
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
                output::laid_out_list(
                    &output::index_summary(&report),
                    terminal::stderr_layout(),
                    2
                )
            );
        }
        report
    };
    if report.interrupted {
        // Also when quiet: it is why the status is not 0.
        let line = output::interrupted_line(&report, stdin, rebuild);
        rasd::note!("{}", output::laid_out(&line, terminal::stderr_layout(), 2));
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
        let wait = options.wait;
        match super::watch::run_saved(index, &[], format, collapse, wait, &stop, &mut out)? {
            None => {
                let line = "rasd: interrupted: the articles are indexed and committed; the saved \
                            searches were stopped before they printed anything, and the next run \
                            reports what they found";
                rasd::note!("{}", output::laid_out(line, terminal::stderr_layout(), 2));
                return Ok(interrupted_status(signal.load(Ordering::Relaxed)));
            }
            Some(2) => return Ok(ExitCode::from(2)),
            Some(_) => {}
        }
    }
    Ok(ExitCode::from(status))
}
