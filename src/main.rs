//! The `rasd` binary: parses the arguments, runs the command (see [`cli`]), and reports its
//! outcome as an exit status and, on failure, one clean line on stderr.

mod allocator;
mod cli;

use std::io::{self, Write};
use std::process::ExitCode;

use clap::FromArgMatches;

use rasd::output;

/// True when the error is a closed pipe (`rasd search … | head`): not worth a message.
fn is_broken_pipe(error: &anyhow::Error) -> bool {
    error.chain().any(|cause| {
        cause
            .downcast_ref::<io::Error>()
            .is_some_and(io_broken_pipe)
            || cause
                .downcast_ref::<csv::Error>()
                .is_some_and(csv_broken_pipe)
            || cause
                .downcast_ref::<serde_json::Error>()
                .and_then(|e| e.io_error_kind())
                == Some(io::ErrorKind::BrokenPipe)
    })
}

/// A closed pipe as an I/O error, also when it wraps the CSV writer's error: `?` turns a
/// `csv::Error` into an `io::Error` of another kind that holds it.
fn io_broken_pipe(error: &io::Error) -> bool {
    error.kind() == io::ErrorKind::BrokenPipe
        || error
            .get_ref()
            .and_then(|inner| inner.downcast_ref::<csv::Error>())
            .is_some_and(csv_broken_pipe)
}

/// A closed pipe as the CSV writer reports it.
fn csv_broken_pipe(error: &csv::Error) -> bool {
    matches!(error.kind(), csv::ErrorKind::Io(e) if e.kind() == io::ErrorKind::BrokenPipe)
}

/// The message of the last panic, kept by the hook that [`main`] installs instead of printing.
static PANIC: std::sync::Mutex<Option<String>> = std::sync::Mutex::new(None);

/// What is wrong with the index, as an error, when it is damaged.
fn damage(index_path: Option<&std::path::Path>) -> Option<anyhow::Error> {
    let path = index_path?;
    let reason = rasd::store::diagnose(path)?;
    Some(anyhow::Error::new(rasd::Error::Damaged {
        path: path.to_path_buf(),
        reason,
    }))
}

/// An error for a run that panicked: a damaged index (what tantivy panics on), said as such,
/// or else a bug in rasd.
fn panic_error(index_path: Option<&std::path::Path>) -> anyhow::Error {
    // Diagnosing opens the index again, which may panic in turn.
    let damage = std::panic::catch_unwind(|| damage(index_path)).unwrap_or(None);
    damage.unwrap_or_else(|| {
        let message = PANIC
            .lock()
            .ok()
            .and_then(|m| m.clone())
            .unwrap_or_default();
        anyhow::Error::new(rasd::Error::Internal(message))
    })
}

/// A tantivy failure explained as damage when the index is damaged; any other error as it is.
fn damage_or(error: anyhow::Error, index_path: Option<&std::path::Path>) -> anyhow::Error {
    match error.downcast_ref() {
        Some(rasd::Error::Tantivy { .. }) => damage(index_path).unwrap_or(error),
        _ => error,
    }
}

/// The final error as one clean line: its chain quotes paths and values from the archive.
fn error_line(error: &anyhow::Error) -> String {
    let line = output::message_line("error", format_args!("{error:#}"));
    // Wrapped between words on a terminal (it broke inside them at its edge); one line for
    // a pipe or a file.
    output::laid_out(&line, cli::terminal::stderr_layout(), 2)
}

/// A command-line error from clap as one clean line, with its exit status: clap's own
/// rendering spans several lines and quotes the value as typed, escape sequences included.
/// Help and version requests are printed by clap as they are.
fn usage_error(error: clap::Error, args: &[std::ffi::OsString]) -> ExitCode {
    use clap::error::{ContextKind, ContextValue, ErrorKind};
    // clap reads `-المخدرات` after the query's first word as short options (`-ا`…); no
    // option starts with a letter outside ASCII, so the word it refused is an exclusion left
    // unquoted.
    let refused = match error.get(ContextKind::InvalidArg) {
        Some(ContextValue::String(refused)) => Some(refused.as_str()),
        _ => None,
    };
    let exclusion = refused
        .filter(|refused| {
            let mut chars = refused.chars();
            chars.next() == Some('-') && chars.next().is_some_and(|c| !c.is_ascii())
        })
        .and_then(|refused| {
            let options = args.iter().take_while(|arg| *arg != "--");
            options
                .filter_map(|arg| arg.to_str())
                .find(|arg| arg.starts_with(refused))
        });
    if let Some(word) = exclusion {
        let message = format!(
            "`{word}` is read as an option: quote the whole query (`rasd search '… {word}'`), \
             or put `--` before the query's words"
        );
        let _ = writeln!(io::stderr(), "{}", output::message_line("error", message));
        return ExitCode::from(2);
    }
    if matches!(
        error.kind(),
        ErrorKind::DisplayHelp
            | ErrorKind::DisplayVersion
            | ErrorKind::DisplayHelpOnMissingArgumentOrSubcommand
    ) {
        error.exit();
    }
    let mut rendered = error.render().to_string();
    // clap names the option whose value it refused even when the value came from the
    // option's environment variable: name the variable, which is what to fix.
    if let (ErrorKind::InvalidValue, Some(ContextValue::String(option))) =
        (error.kind(), error.get(ContextKind::InvalidArg))
        && let Some(variable) = variable_of(option, args)
    {
        rendered = rendered.replace(&format!("'{option}'"), &variable);
    }
    let mut message = String::new();
    let parts = (rendered.lines().map(str::trim))
        .filter(|line| !line.is_empty() && !line.starts_with("For more information"));
    for part in parts {
        if !message.is_empty() {
            message += if message.ends_with(':') { " " } else { "; " };
        }
        message += part;
    }
    let message = message.strip_prefix("error: ").unwrap_or(&message);
    let _ = writeln!(io::stderr(), "{}", output::message_line("error", message));
    ExitCode::from(2)
}

/// The environment variable `option` (`--bidi <WHEN>`, as clap names it) was read from: the
/// variable it has, when the command line does not give the option.
fn variable_of(option: &str, args: &[std::ffi::OsString]) -> Option<String> {
    let long = option.strip_prefix("--")?.split([' ', '=']).next()?;
    let given = |arg: &str| {
        arg.strip_prefix("--")
            .is_some_and(|arg| arg == long || arg.starts_with(&format!("{long}=")))
    };
    let options = args.iter().take_while(|arg| *arg != "--");
    if options.filter_map(|arg| arg.to_str()).any(given) {
        return None;
    }
    fn find(command: &clap::Command, long: &str) -> Option<String> {
        let here = command
            .get_arguments()
            .find(|arg| arg.get_long() == Some(long))
            .and_then(|arg| arg.get_env())
            .map(|variable| variable.to_string_lossy().into_owned());
        here.or_else(|| command.get_subcommands().find_map(|sub| find(sub, long)))
    }
    find(&cli::args::command(), long)
}

fn main() -> ExitCode {
    let args = cli::args::normalized(std::env::args_os());
    let matches = match cli::args::command().try_get_matches_from(&args) {
        Ok(matches) => matches,
        Err(error) => return usage_error(error, &args),
    };
    let mut cli = match cli::args::Cli::from_arg_matches(&matches) {
        Ok(cli) => cli,
        Err(error) => return usage_error(error, &args),
    };
    if let Some(error) = cli::args::misread_option(&cli, &args) {
        return usage_error(error, &args);
    }
    let config = match cli::config::apply(&mut cli, &matches) {
        Ok(config) => config,
        Err(error) => {
            let _ = writeln!(io::stderr(), "{}", error_line(&error));
            return ExitCode::from(2);
        }
    };
    std::panic::set_hook(Box::new(|info| {
        let location = info
            .location()
            .map(|l| format!(" at {l}"))
            .unwrap_or_default();
        let message = info
            .payload()
            .downcast_ref::<&str>()
            .map(|s| s.to_string())
            .or_else(|| info.payload().downcast_ref::<String>().cloned())
            .unwrap_or_default();
        if let Ok(mut last) = PANIC.lock() {
            *last = Some(format!("{message}{location}"));
        }
    }));
    let index_path = cli.index.clone().or_else(|| cli::default_index().ok());
    let result = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| cli::run(cli, config)))
        .unwrap_or_else(|_| Err(panic_error(index_path.as_deref())))
        .map_err(|error| damage_or(error, index_path.as_deref()));
    match result {
        Ok(code) => code,
        Err(error) if is_broken_pipe(&error) => ExitCode::SUCCESS,
        Err(error) if matches!(error.downcast_ref(), Some(rasd::Error::IndexBusy(_))) => {
            let _ = writeln!(io::stderr(), "{}", error_line(&error));
            ExitCode::from(3)
        }
        Err(error) => {
            let _ = writeln!(io::stderr(), "{}", error_line(&error));
            ExitCode::from(2)
        }
    }
}

/// The system allocator for short commands, mimalloc for indexing (see [`allocator`]).
#[global_allocator]
static GLOBAL: allocator::Switching = allocator::Switching;
