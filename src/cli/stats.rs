//! `rasd stats`: what the index holds.

use std::io::{self, IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::Result;

use rasd::output;
use rasd::stats::IndexStats;
use rasd::store::RasdIndex;
use serde::Serialize;

use super::args::{BidiWhen, StatsArgs};
use super::config::ConfigFile;
use super::terminal;

/// `rasd stats --json`: the index's statistics and the configuration file read, if any.
#[derive(Serialize)]
struct StatsJson<'a> {
    #[serde(flatten)]
    stats: &'a IndexStats,
    config: Option<&'a Path>,
}

/// Runs `rasd stats` on the index at `index_path`, writing to `out`.
pub fn run(
    args: StatsArgs,
    index_path: PathBuf,
    config: &ConfigFile,
    mut out: impl Write,
) -> Result<ExitCode> {
    let StatsArgs { json } = args;
    let index = RasdIndex::open(&index_path)?;
    let stats = rasd::stats::stats(&index)?;
    if json {
        let config = config.read.then_some(config.path.as_path());
        output::json_line(
            &mut out,
            &StatsJson {
                stats: &stats,
                config,
            },
        )?;
    } else {
        let layout = terminal::layout(io::stdout().is_terminal(), BidiWhen::Auto, None);
        output::write_stats_text(&mut out, &stats, layout)?;
        let path = config.path.display().to_string();
        output::write_config_line(&mut out, &path, config.read, layout)?;
    }
    Ok(ExitCode::SUCCESS)
}
