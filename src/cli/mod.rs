//! The command line: one module per command, each with one `run`.

mod analyze;
pub mod args;
mod index;
mod search;
mod stats;

use std::io;
use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::{Context, Result};

use args::{Cli, ColorWhen, Command};

/// The index folder when `--index` and `RASD_INDEX` name none.
pub fn default_index() -> Result<PathBuf> {
    directories::ProjectDirs::from("", "", "rasd")
        .map(|dirs| dirs.data_dir().join("index"))
        .context("no user data folder on this system: pass --index DIR or set RASD_INDEX")
}

/// Standard output, with ANSI styles kept or stripped as `--color` and the environment say.
fn stdout(color: ColorWhen) -> anstream::AutoStream<io::StdoutLock<'static>> {
    let choice = match color {
        ColorWhen::Always => anstream::ColorChoice::Always,
        ColorWhen::Never => anstream::ColorChoice::Never,
        ColorWhen::Auto => anstream::ColorChoice::Auto,
    };
    anstream::AutoStream::new(io::stdout().lock(), choice)
}

/// Runs the command the arguments name; its exit status.
pub fn run(cli: Cli) -> Result<ExitCode> {
    let index_path = match cli.index {
        Some(path) => path,
        None => default_index()?,
    };
    let out = stdout(cli.color);
    match cli.command {
        Command::Index(args) => index::run(args, index_path, out),
        Command::Search(args) => search::run(args, index_path, out),
        Command::Analyze(args) => analyze::run(args, index_path, out),
        Command::Stats(args) => stats::run(args, index_path, out),
    }
}
