//! `rasd index`: a run, a dry run, and how they report.

use std::io::{self, Write};
use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Result;

use rasd::indexer::{self, IndexOptions, OnProblem};
use rasd::ingest::{Problem, ReadOptions, decode};
use rasd::output;
use rasd::schema::IndexSchema;

use super::args::IndexArgs;

/// Runs `rasd index` on the index at `index_path`, writing to `out`.
pub fn run(args: IndexArgs, index_path: PathBuf, mut out: impl Write) -> Result<ExitCode> {
    let IndexArgs {
        paths,
        schema,
        follow_links,
        rebuild,
        dry_run,
        wait,
        commit_every,
        encoding,
        max_file_size,
        max_article_size,
        memory,
        quiet,
        json,
    } = args;
    let schema = schema
        .map(|file| IndexSchema::from_file(&file))
        .transpose()?;
    let encoding = encoding
        .map(|name| decode::encoding_for_label(&name))
        .transpose()?;
    let options = IndexOptions {
        roots: paths,
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
        },
        commit_every,
        wait,
    };
    if dry_run {
        let plan = indexer::plan(&options)?;
        if json {
            output::write_plan_json(&mut out, &plan)?;
        } else {
            for problem in &plan.problems {
                eprintln!("{}", output::problem_line(problem));
            }
            output::write_plan_text(&mut out, &plan)?;
            eprintln!("{}", output::plan_summary(&plan));
        }
        return Ok(ExitCode::SUCCESS);
    }
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
        let mut progress = output::TerminalProgress::new(quiet);
        let report = indexer::run(&options, &mut progress);
        progress.finish();
        let report = report?;
        if !quiet {
            eprintln!("{}", output::index_summary(&report));
        }
        report
    };
    Ok(ExitCode::from(if report.failed > 0 { 1 } else { 0 }))
}
