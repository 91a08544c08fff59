//! The command line: one module per command, each with one `run`.

mod analyze;
pub mod args;
pub mod config;
mod index;
mod search;
mod similar;
mod stats;
mod terminal;
mod watch;

use std::io;
use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::{Context, Result};
use clap::CommandFactory;

use args::{Cli, ColorWhen, Command};
use config::ConfigFile;

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

/// Runs the command the arguments name, with the configuration file they were completed
/// from; its exit status.
pub fn run(cli: Cli, config: ConfigFile) -> Result<ExitCode> {
    let mut out = stdout(cli.color);
    // Generated from the same definitions as the parser, so they never drift from it.
    match cli.command {
        Command::Completions(args) => {
            let mut command = Cli::command();
            clap_complete::generate(args.shell, &mut command, "rasd", &mut out);
            return Ok(ExitCode::SUCCESS);
        }
        Command::Man => {
            clap_mangen::Man::new(Cli::command()).render(&mut out)?;
            return Ok(ExitCode::SUCCESS);
        }
        _ => {}
    }
    let index_path = match cli.index {
        Some(path) => path,
        None => default_index()?,
    };
    match cli.command {
        Command::Index(args) => index::run(args, index_path, out),
        Command::Search(args) => search::run(args, index_path, out),
        Command::Analyze(args) => analyze::run(args, index_path, out),
        Command::Stats(args) => stats::run(args, index_path, &config, out),
        Command::Watch(args) => watch::run(args, &index_path, out),
        Command::Similar(args) => similar::run(args, index_path, out),
        Command::Completions(_) | Command::Man => unreachable!("handled above"),
    }
}
