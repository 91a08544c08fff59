//! `rasd stats`: what the index holds.

use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Result;

use rasd::output;
use rasd::store::RasdIndex;

use super::args::StatsArgs;

/// Runs `rasd stats` on the index at `index_path`, writing to `out`.
pub fn run(args: StatsArgs, index_path: PathBuf, mut out: impl Write) -> Result<ExitCode> {
    let StatsArgs { json } = args;
    let index = RasdIndex::open(&index_path)?;
    let stats = rasd::stats::stats(&index)?;
    if json {
        output::json_line(&mut out, &stats)?;
    } else {
        output::write_stats_text(&mut out, &stats)?;
    }
    Ok(ExitCode::SUCCESS)
}
