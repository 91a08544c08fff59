//! `rasd watch`: saved searches added, listed, shown, removed and run; the run is also what
//! `rasd index --watch` does after indexing.

use std::io::{IsTerminal, Write};
use std::path::Path;
use std::process::ExitCode;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

use anyhow::{Context, Result, bail};
use time::OffsetDateTime;
use time::format_description::well_known::Rfc3339;

use rasd::output;
use rasd::store::RasdIndex;
use rasd::store::layout::{Layout, WATCHES};
use rasd::watch::{self, SavedSearch, WatchState, Watches};

use super::args::{BidiWhen, OutputFormat, TextOrJsonFormat, WatchArgs, WatchCommand};
use super::signals::{interrupted_status, stop_on_signals};
use super::terminal;

/// Runs `rasd watch` on the index at `index_path`, writing to `out`.
/// The note of `watch list` and `watch run` when the index has no saved search.
const NO_SAVED_SEARCH: &str = "rasd: no saved search: save one with `rasd watch add NAME QUERY...`";

pub fn run(args: WatchArgs, index_path: &Path, mut out: impl Write) -> Result<ExitCode> {
    let layout = Layout::new(index_path);
    let text_layout = terminal::layout(std::io::stdout().is_terminal(), BidiWhen::Auto, None);
    match args.action {
        WatchCommand::Add(add) => {
            let search = SavedSearch::new(
                &add.name,
                &std::iter::once(add.query)
                    .chain(add.more_query)
                    .collect::<Vec<_>>()
                    .join(" "),
                add.filters.filters(),
            );
            // Opened first for its errors; again under the lock, so that what the archive
            // holds now is what the last commit holds.
            RasdIndex::open(index_path)?;
            let _lock = layout.lock(add.wait)?;
            let index = RasdIndex::open(index_path)?;
            let matching = watch::add(&index, &layout, &search, add.backfill)?;
            let what = if add.backfill {
                "reported by its next run"
            } else {
                "taken as seen: only what comes later is reported"
            };
            let articles = if matching == 1 { "article" } else { "articles" };
            rasd::note!(
                "{}",
                output::laid_out(
                    &format!(
                        "rasd: saved `{}`: it matches {matching} {articles} now, {what}",
                        search.name
                    ),
                    terminal::stderr_layout(),
                    2
                )
            );
            Ok(ExitCode::SUCCESS)
        }
        WatchCommand::List(list) => {
            // For its errors: no saved search of an index that is not there.
            RasdIndex::open(index_path)?;
            let watches = Watches::load(&layout.file(WATCHES))?;
            let state = WatchState::load(&layout)?;
            let searches: Vec<_> = watches
                .searches
                .iter()
                .map(|s| (s, state.searches.get(&s.name)))
                .collect();
            if list.json || list.format == TextOrJsonFormat::Json {
                output::write_watches_json(&mut out, &searches)?;
            } else {
                output::write_watch_list(&mut out, &searches, text_layout)?;
            }
            out.flush()?;
            if searches.is_empty() {
                rasd::note!("{NO_SAVED_SEARCH}");
                return Ok(ExitCode::from(1));
            }
            Ok(ExitCode::SUCCESS)
        }
        WatchCommand::Show(show) => {
            let watches = Watches::load(&layout.file(WATCHES))?;
            let search = watches.get(&show.name)?;
            let state = WatchState::load(&layout)?;
            let search_state = state.searches.get(&show.name);
            if show.json || show.format == TextOrJsonFormat::Json {
                output::write_watches_json(&mut out, &[(search, search_state)])?;
            } else {
                output::write_watch(&mut out, search, search_state, text_layout)?;
            }
            out.flush()?;
            Ok(ExitCode::SUCCESS)
        }
        WatchCommand::Remove(remove) => {
            // Checked first, for its error: the lock file must not be created in a folder
            // that is no index.
            RasdIndex::open(index_path)?;
            let _lock = layout.lock(remove.wait)?;
            watch::remove(&layout, &remove.name)?;
            Ok(ExitCode::SUCCESS)
        }
        WatchCommand::Run(run) => {
            let format = if run.json {
                OutputFormat::Json
            } else {
                run.format
            };
            let collapse = !run.no_collapse;
            let (stop, signal) = stop_on_signals()?;
            let searched = run_saved(
                index_path, &run.names, format, collapse, run.wait, &stop, out,
            );
            let Some(status) = searched? else {
                let line = "rasd: interrupted: the saved searches were stopped before they \
                            printed anything; the next run reports what they found";
                rasd::note!("{}", output::laid_out(line, terminal::stderr_layout(), 2));
                return Ok(interrupted_status(signal.load(Ordering::Relaxed)));
            };
            // Said here, not by `rasd index --watch`, which runs whatever searches there are.
            if run.names.is_empty() && Watches::load(&layout.file(WATCHES))?.searches.is_empty() {
                rasd::note!("{NO_SAVED_SEARCH}");
            }
            Ok(ExitCode::from(status))
        }
    }
}

/// Runs the saved searches `names` (all when empty) of the index at `index_path`, under the
/// index's lock: prints their new articles to `out` in `format` (copies of one story as one
/// alert when `collapse`), flushes, then records them. Returns the exit status: 0 when a new
/// story was found, 1 when nothing was (copies of stories reported before are no news), 2
/// when a search failed (the others still ran and are recorded); `None` when `stop` was set
/// by the time the searches were done, before anything was printed: nothing is printed or
/// recorded then.
pub fn run_saved(
    index_path: &Path,
    names: &[String],
    format: OutputFormat,
    collapse: bool,
    wait: Duration,
    stop: &AtomicBool,
    mut out: impl Write,
) -> Result<Option<u8>> {
    let layout = Layout::new(index_path);
    // Opened first for its errors (no index, not ready); again under the lock, so that the
    // run sees the last commit of a job it waited for.
    RasdIndex::open(index_path)?;
    let _lock = layout.lock(wait)?;
    let index = RasdIndex::open(index_path)?;
    let watches = Watches::load(&layout.file(WATCHES))?;
    let selected: Vec<&SavedSearch> = if names.is_empty() {
        watches.searches.iter().collect()
    } else {
        names
            .iter()
            .map(|name| watches.get(name))
            .collect::<Result<_, _>>()?
    };
    if selected.is_empty() {
        return Ok(Some(1));
    }
    let mut state = WatchState::load(&layout)?;
    for (old, new) in state.follow_renames(&watches.searches) {
        let line = format!("rasd: saved search `{new}` carries on from `{old}`, its old name");
        rasd::note!("{}", output::laid_out(&line, terminal::stderr_layout(), 2));
    }
    let mut found = Vec::new();
    let mut failed = false;
    let mut reading = watch::Reading::new(&index)?;
    let runs: Vec<_> = selected
        .iter()
        .map(|search| (*search, state.searches.get(&search.name)))
        .collect();
    let outcomes = watch::check_all(&mut reading, &runs, collapse);
    if stop.load(Ordering::Relaxed) {
        return Ok(None);
    }
    for (search, outcome) in selected.into_iter().zip(outcomes) {
        match outcome {
            Ok(result) => found.push((search, result)),
            Err(error) => {
                failed = true;
                let (line, column) = search.query_at;
                let message = format!(
                    "{}:{line}:{column}: saved search `{}`: {error}",
                    watches.path.display(),
                    search.name
                );
                rasd::note!("{}", output::message_line("error", message));
            }
        }
    }
    let alerts: Vec<output::Alerts> = found
        .iter()
        .map(|(search, result)| output::Alerts {
            name: &search.name,
            results: &result.results,
            copies_of_reported: &result.copies_of_reported,
        })
        .collect();
    let mut print = || -> Result<()> {
        match format {
            OutputFormat::Json => output::write_alerts_json(&mut out, &alerts)?,
            OutputFormat::Csv => output::write_alerts_csv(&mut out, &alerts)?,
            OutputFormat::Text => {
                let cwd = std::env::current_dir().ok();
                let layout =
                    terminal::layout(std::io::stdout().is_terminal(), BidiWhen::Auto, None);
                output::write_alerts_text(&mut out, &alerts, cwd.as_deref(), layout)?;
            }
        }
        // Remembered only once printed: a run killed before this line reports them again.
        Ok(out.flush()?)
    };
    // A closed output is no success here, as it is for a search piped into `head`: the news
    // was not delivered (a mail that failed to send), and it is reported again.
    if let Err(error) = print() {
        if crate::is_broken_pipe(&error) {
            bail!(
                "the output was closed before the new articles were all printed: none is \
                 remembered, and the next run reports them again"
            );
        }
        return Err(error);
    }
    let any_new = alerts.iter().any(|a| !a.results.hits.is_empty());
    let now = OffsetDateTime::now_utc()
        .replace_nanosecond(0)
        .unwrap_or_else(|_| OffsetDateTime::now_utc())
        .format(&Rfc3339)
        .context("cannot format the time")?;
    for (search, result) in found {
        if let Some(matching) = result.started {
            let line = format!(
                "rasd: saved search `{}` starts: the {matching} articles it matches now are \
                 taken as seen",
                search.name
            );
            rasd::note!("{}", output::laid_out(&line, terminal::stderr_layout(), 2));
        }
        state.remember(search, result, &now);
    }
    state.save(&layout)?;
    Ok(Some(match (failed, any_new) {
        (true, _) => 2,
        (false, true) => 0,
        (false, false) => 1,
    }))
}

#[cfg(test)]
mod tests {
    use std::path::PathBuf;

    use rasd::indexer::{IndexOptions, OnProblem};
    use rasd::search::Filters;

    use super::*;

    /// Standard output once its reader has gone (`rasd watch run | true`).
    struct ClosedPipe;

    impl Write for ClosedPipe {
        fn write(&mut self, _: &[u8]) -> std::io::Result<usize> {
            Err(std::io::ErrorKind::BrokenPipe.into())
        }

        fn flush(&mut self) -> std::io::Result<()> {
            Err(std::io::ErrorKind::BrokenPipe.into())
        }
    }

    /// A run asked to stop by the time its searches are done prints nothing and records
    /// nothing: the next run reports the same news, and remembers it once printed.
    #[test]
    fn a_run_stopped_before_printing_prints_and_records_nothing() {
        let dir = tempfile::tempdir().unwrap();
        let index_path = dir.path().join("index");
        let options = IndexOptions {
            roots: vec![PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("sample-corpus")],
            index_path: index_path.clone(),
            schema: None,
            follow_links: false,
            rebuild: false,
            memory_mb: 64,
            read: Default::default(),
            commit_every: 10_000,
            wait: Duration::ZERO,
            stdin: false,
            allow_empty: false,
            stop: None,
        };
        rasd::indexer::run(&options, &mut OnProblem(|_: &_| {})).unwrap();
        let index = RasdIndex::open(&index_path).unwrap();
        let search = SavedSearch::new("smuggling", "تهريب", Filters::default());
        watch::add(&index, &Layout::new(&index_path), &search, true).unwrap();
        let run = |stop: bool| {
            let mut out = Vec::new();
            let (format, stop) = (OutputFormat::Json, AtomicBool::new(stop));
            let status = run_saved(
                &index_path,
                &[],
                format,
                true,
                Duration::ZERO,
                &stop,
                &mut out,
            );
            (status.unwrap(), out)
        };
        assert_eq!(run(true), (None, vec![]));
        // Printed into a closed pipe: an error of its own (not the silent success of a closed
        // pipe), and nothing remembered.
        let stop = AtomicBool::new(false);
        let closed = run_saved(
            &index_path,
            &[],
            OutputFormat::Json,
            true,
            Duration::ZERO,
            &stop,
            ClosedPipe,
        )
        .unwrap_err();
        assert!(!crate::is_broken_pipe(&closed), "{closed:#}");
        assert!(
            closed.to_string().contains("none is remembered"),
            "{closed}"
        );
        let (status, out) = run(false);
        assert_eq!(status, Some(0));
        assert!(
            String::from_utf8(out)
                .unwrap()
                .contains("\"watch\":\"smuggling\"")
        );
        assert_eq!(run(false), (Some(1), vec![]), "remembered once printed");
    }
}
