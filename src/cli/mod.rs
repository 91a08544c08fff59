//! The command line: one module per command, each with one `run`.

mod analyze;
pub mod args;
pub mod config;
mod index;
mod search;
mod signals;
mod similar;
mod stats;
pub(crate) mod terminal;
mod watch;

use std::io::{self, IsTerminal, Write};
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

/// Whether styles are kept, as `--color` and the environment say; `auto` asks the terminal
/// itself, so that a buffer in between does not hide it. `NO_COLOR` on a terminal keeps the
/// styles' emphasis, without their colours (the second value): it asks for no colour, and a
/// match in a snippet would otherwise not be marked at all.
fn color_choice(color: ColorWhen) -> (anstream::ColorChoice, bool) {
    match color {
        ColorWhen::Always => (anstream::ColorChoice::Always, false),
        ColorWhen::Never => (anstream::ColorChoice::Never, false),
        ColorWhen::Auto => {
            let env = |name: &str| std::env::var_os(name).filter(|v| !v.is_empty());
            let no_color_terminal = env("NO_COLOR").is_some()
                && io::stdout().is_terminal()
                && env("TERM").is_none_or(|term| term != "dumb");
            auto_choice(
                anstream::AutoStream::choice(&io::stdout()),
                no_color_terminal,
            )
        }
    }
}

/// What `auto` keeps: what anstream chose, unless it left styles out only for `NO_COLOR` on a
/// terminal, which then keeps their emphasis.
fn auto_choice(
    chosen: anstream::ColorChoice,
    no_color_terminal: bool,
) -> (anstream::ColorChoice, bool) {
    match (chosen, no_color_terminal) {
        (anstream::ColorChoice::Never, true) => (anstream::ColorChoice::Always, true),
        (chosen, _) => (chosen, false),
    }
}

/// `out`, with ANSI styles kept, stripped or left without colours as `--color` and the
/// environment say.
fn styled(out: impl Write + 'static, color: ColorWhen) -> anstream::AutoStream<Box<dyn Write>> {
    let (choice, colorless) = color_choice(color);
    let out: Box<dyn Write> = match colorless {
        true => Box::new(terminal::Colorless::new(out)),
        false => Box::new(out),
    };
    anstream::AutoStream::new(out, choice)
}

/// Standard output, with ANSI styles as `--color` and the environment say.
fn stdout(color: ColorWhen) -> anstream::AutoStream<Box<dyn Write>> {
    styled(io::stdout().lock(), color)
}

/// Standard output for a command that prints its result at once, buffered under the styles:
/// stripping them cuts the text at each one, and standard output, line-buffered, would write
/// each piece with a system call of its own (60 for a page of hits).
fn buffered_stdout(color: ColorWhen) -> anstream::AutoStream<Box<dyn Write>> {
    styled(io::BufWriter::new(io::stdout().lock()), color)
}

/// Runs the command the arguments name, with the configuration file they were completed
/// from; its exit status.
pub fn run(cli: Cli, config: ConfigFile) -> Result<ExitCode> {
    // Generated from the same definitions as the parser, so they never drift from it.
    match cli.command {
        Command::Completions(args) => {
            // Rendered whole first: clap_complete panics when it cannot write (a closed pipe).
            let mut script = Vec::new();
            clap_complete::generate(args.shell, &mut Cli::command(), "rasd", &mut script);
            let mut out = stdout(cli.color);
            out.write_all(&script)?;
            out.flush()?;
            return Ok(ExitCode::SUCCESS);
        }
        Command::Man(args) => {
            let mut command = Cli::command();
            // Built, each command's page is named as the main page names it: rasd-search.
            command.build();
            let mut page = command;
            for name in &args.command {
                let Some(sub) = page.find_subcommand(name).cloned() else {
                    let names: Vec<&str> = page.get_subcommands().map(|c| c.get_name()).collect();
                    anyhow::bail!(
                        "`{}` has no command `{}`; its commands are {}",
                        page.get_display_name().unwrap_or("rasd"),
                        rasd::clean::line(name, rasd::clean::VALUE_CHARS),
                        names.join(", ")
                    );
                };
                page = sub;
            }
            let mut roff = Vec::new();
            // A command's page names rasd and its version in the footer, as the main
            // page does (clap_mangen puts there the command's own name and version).
            clap_mangen::Man::new(page)
                .source(format!("rasd {}", env!("CARGO_PKG_VERSION")))
                .render(&mut roff)?;
            let mut out = stdout(cli.color);
            out.write_all(&roff)?;
            out.flush()?;
            return Ok(ExitCode::SUCCESS);
        }
        _ => {}
    }
    let index_path = match cli.index {
        Some(path) => path,
        None => default_index()?,
    };
    match cli.command {
        Command::Index(args) => index::run(args, index_path, stdout(cli.color)),
        Command::Search(args) => search::run(args, index_path, buffered_stdout(cli.color)),
        Command::Analyze(args) => analyze::run(args, index_path, stdout(cli.color)),
        Command::Stats(args) => stats::run(args, index_path, &config, stdout(cli.color)),
        Command::Watch(args) => watch::run(args, &index_path, stdout(cli.color)),
        Command::Similar(args) => similar::run(args, index_path, stdout(cli.color)),
        Command::Completions(_) | Command::Man(_) => unreachable!("handled above"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use anstream::ColorChoice;

    #[test]
    fn no_color_on_a_terminal_keeps_emphasis_only() {
        assert_eq!(
            auto_choice(ColorChoice::Never, true),
            (ColorChoice::Always, true)
        );
        // A pipe, or no NO_COLOR: as anstream chose.
        assert_eq!(
            auto_choice(ColorChoice::Never, false),
            (ColorChoice::Never, false)
        );
        assert_eq!(
            auto_choice(ColorChoice::Always, false),
            (ColorChoice::Always, false)
        );
        // When anstream keeps colours for another reason (CLICOLOR_FORCE), so does rasd.
        assert_eq!(
            auto_choice(ColorChoice::Always, true),
            (ColorChoice::Always, false)
        );
    }
}
