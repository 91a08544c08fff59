//! `rasd index` for a person: the problem lines, the progress bar, the summary, the dry run.

use std::fmt::Display;
use std::io::{self, IsTerminal, Write};
use std::path::{Path, PathBuf};

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

use super::json_line;
use super::style::shown_path;
use crate::clean;
use crate::indexer::{IndexReport, Observer, Phase, Plan};
use crate::ingest::{Problem, Severity};

/// `n` and the noun that counts it: `1 file`, `2 files`.
fn counted(n: u64, one: &str, more: &str) -> String {
    let noun = if n == 1 { one } else { more };
    format!("{n} {noun}")
}

/// The one-line summary of an indexing run.
pub fn index_summary(report: &IndexReport) -> String {
    format!(
        "indexed in {:.1}s: {} added, {} updated, {} removed, {} unchanged, {} failed, {}; {} read, {} skipped; {} in the index",
        report.seconds,
        report.added,
        report.updated,
        report.removed,
        report.unchanged,
        report.failed,
        counted(report.warnings as u64, "warning", "warnings"),
        counted(report.files as u64, "file", "files"),
        counted(report.skipped as u64, "other file", "other files"),
        counted(report.documents, "article", "articles"),
    )
}

/// The line that ends an interrupted run: how much of it was kept.
pub fn interrupted_line(report: &IndexReport, stdin: bool, rebuild: bool) -> String {
    if rebuild {
        return message_line(
            "interrupted",
            "the rebuild was abandoned; the index is as it was; run it again to rebuild",
        );
    }
    let stdin = if stdin {
        " (and the articles read from standard input)"
    } else {
        ""
    };
    let part = match report.partly_read {
        0 => String::new(),
        n => format!(
            ", and what was read of {} stopped inside (read again whole by the next run)",
            counted(n as u64, "web archive", "web archives")
        ),
    };
    message_line(
        "interrupted",
        format_args!(
            "{} of {} files{stdin} indexed and committed{part}; run again to finish",
            report.files, report.planned
        ),
    )
}

/// Writes what `rasd index --dry-run` would do: one line per file (`add`, `update`, `remove`).
pub fn write_plan_text(out: &mut impl Write, plan: &Plan) -> io::Result<()> {
    let path = |path: &str| clean::line(path, clean::MESSAGE_CHARS).into_owned();
    for added in &plan.add {
        writeln!(out, "add     {}", path(added))?;
    }
    for updated in &plan.update {
        writeln!(out, "update  {}", path(updated))?;
    }
    for (removed, articles) in &plan.remove {
        let articles = match articles {
            1 => "1 article".to_string(),
            n => format!("{n} articles"),
        };
        writeln!(out, "remove  {} ({articles})", path(removed))?;
    }
    Ok(())
}

/// The one-line summary of a dry run.
pub fn plan_summary(plan: &Plan) -> String {
    let removed: u64 = plan.remove.iter().map(|(_, n)| n).sum();
    let changed = plan.update.len() as u64;
    let failed = match plan.failed() {
        0 => String::new(),
        n => format!("; {n} failed"),
    };
    format!(
        "dry run, nothing changed: would read {} new and {}, remove {} ({}); {} unchanged{failed}",
        plan.add.len(),
        counted(changed, "changed file", "changed files"),
        counted(plan.remove.len() as u64, "file", "files"),
        counted(removed, "article", "articles"),
        counted(plan.unchanged as u64, "file", "files"),
    )
}

/// Writes a dry run as JSON Lines: one object per file, then a summary object.
pub fn write_plan_json(out: &mut impl Write, plan: &Plan) -> io::Result<()> {
    // The walk's problems first, as a run writes them.
    for problem in &plan.problems {
        json_line(out, problem)?;
    }
    let actions = plan
        .add
        .iter()
        .map(|p| ("add", p, None))
        .chain(plan.update.iter().map(|p| ("update", p, None)))
        .chain(plan.remove.iter().map(|(p, n)| ("remove", p, Some(*n))));
    for (action, path, articles) in actions {
        let mut line = serde_json::json!({ "action": action, "path": path });
        if let Some(articles) = articles {
            line["articles"] = articles.into();
        }
        json_line(out, &line)?;
    }
    let summary = serde_json::json!({
        "dry_run": true,
        "add": plan.add.len(),
        "update": plan.update.len(),
        "remove": plan.remove.len(),
        "removed_articles": plan.remove.iter().map(|(_, n)| n).sum::<u64>(),
        "unchanged": plan.unchanged,
        "failed": plan.failed(),
    });
    json_line(out, &summary)
}

/// Reports an indexing run on a terminal: problems as lines on stderr (only failures when
/// quiet), and a progress bar while files are read, when stderr is a terminal.
pub struct TerminalProgress {
    bar: Option<ProgressBar>,
    quiet: bool,
    /// The folder paths are shown relative to, when they are under it.
    cwd: Option<PathBuf>,
    bytes: u64,
    articles: usize,
}

impl TerminalProgress {
    /// A reporter; the bar shows only on a terminal and when not quiet. Paths under `cwd`
    /// are shown relative to it.
    pub fn new(quiet: bool, cwd: Option<PathBuf>) -> Self {
        let bar = (!quiet && io::stderr().is_terminal()).then(|| {
            let bar = ProgressBar::hidden();
            bar.set_style(
                ProgressStyle::with_template(
                    // The bar takes what the text leaves of the terminal's width: at 60 columns
                    // the line still fits on one row.
                    "{wide_bar} {pos}/{len} files · {msg} · eta {eta}",
                )
                .expect("the template is valid"),
            );
            bar.set_draw_target(ProgressDrawTarget::stderr());
            bar
        });
        TerminalProgress {
            bar,
            quiet,
            cwd,
            bytes: 0,
            articles: 0,
        }
    }

    /// Removes the bar before the summary is printed.
    pub fn finish(&self) {
        if let Some(bar) = &self.bar {
            bar.finish_and_clear();
        }
    }
}

impl Observer for TerminalProgress {
    fn problem(&mut self, problem: &Problem) {
        if self.quiet && problem.severity != Severity::Failed {
            return;
        }
        let line = problem_line(problem, self.cwd.as_deref());
        match &self.bar {
            Some(bar) => bar.suspend(|| crate::note!("{line}")),
            None => crate::note!("{line}"),
        }
    }

    fn planned(&mut self, files: usize) {
        if let Some(bar) = &self.bar {
            bar.set_length(files as u64);
        }
    }

    fn phase(&mut self, phase: Phase) {
        if let Some(bar) = &self.bar {
            bar.set_message(format!("{} articles · {}…", self.articles, phase.label()));
            // Redrawn as time passes, so that a long merge does not look like a hang.
            bar.enable_steady_tick(std::time::Duration::from_millis(250));
        }
    }

    fn file_done(&mut self, bytes: u64, articles: usize) {
        self.bytes += bytes;
        self.articles += articles;
        if let Some(bar) = &self.bar {
            bar.inc(1);
            let seconds = bar.elapsed().as_secs_f64().max(1e-3);
            bar.set_message(format!(
                "{} articles · {:.1} MB/s",
                self.articles,
                self.bytes as f64 / 1e6 / seconds
            ));
        }
    }
}

/// The most characters of a path a problem's line shows: kept from its start and its end.
const PATH_CHARS: usize = 400;

/// One problem as a line for stderr, its path relative to `cwd` when under it (as a search
/// shows paths): a path too long to show whole (a file 4,000 bytes deep) is cut in its
/// middle, so that the reason still shows.
pub fn problem_line(problem: &Problem, cwd: Option<&Path>) -> String {
    let label = match problem.severity {
        crate::ingest::Severity::Warning => "warning",
        crate::ingest::Severity::Failed => "error",
    };
    let path = shown_path(&problem.path, cwd);
    let chars = path.chars().count();
    let path = if chars <= PATH_CHARS {
        path.to_string()
    } else {
        let head: String = path.chars().take(PATH_CHARS / 2).collect();
        let tail: String = path.chars().skip(chars - PATH_CHARS / 2).collect();
        format!("{head}…{tail}")
    };
    let shown = Problem {
        path,
        ..problem.clone()
    };
    message_line(label, shown)
}

/// `rasd: LABEL: MESSAGE` for stderr, the message cleaned and bounded: one message is one
/// line, whatever file names and values it quotes.
pub fn message_line(label: &str, message: impl Display) -> String {
    let message = message.to_string();
    format!(
        "rasd: {label}: {}",
        clean::line(&message, clean::MESSAGE_CHARS)
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_path_under_the_current_folder_is_shown_from_it() {
        let problem = Problem {
            path: "/home/analyst/archive/feeds/wire.jsonl".into(),
            line: Some(12),
            severity: crate::ingest::Severity::Failed,
            reason: "invalid JSON".into(),
        };
        let home = Path::new("/home/analyst");
        assert_eq!(
            problem_line(&problem, Some(home)),
            "rasd: error: archive/feeds/wire.jsonl:12: invalid JSON"
        );
        // Elsewhere, as it is.
        let line = problem_line(&problem, Some(Path::new("/srv")));
        assert!(
            line.starts_with("rasd: error: /home/analyst/archive/"),
            "{line}"
        );
    }

    #[test]
    fn a_path_too_long_is_cut_in_its_middle_and_the_reason_kept() {
        let problem = Problem {
            path: format!("/archive/{}/x.txt", "ب".repeat(5_000)),
            line: Some(3),
            severity: crate::ingest::Severity::Failed,
            reason: "cannot read: File name too long (os error 36)".into(),
        };
        let line = problem_line(&problem, None);
        assert!(line.starts_with("rasd: error: /archive/ببب"), "{line}");
        assert!(
            line.ends_with("ب/x.txt:3: cannot read: File name too long (os error 36)"),
            "{line}"
        );
        assert!(line.chars().count() < 500, "{line}");
    }

    #[test]
    fn an_interrupted_run_says_how_much_it_kept() {
        let report = IndexReport {
            files: 1200,
            planned: 3000,
            interrupted: true,
            ..IndexReport::default()
        };
        assert_eq!(
            interrupted_line(&report, false, false),
            "rasd: interrupted: 1200 of 3000 files indexed and committed; run again to finish"
        );
        assert!(
            interrupted_line(&report, true, false)
                .contains("files (and the articles read from standard input) indexed")
        );
        assert!(interrupted_line(&report, false, true).contains("rebuild was abandoned"));
        // Stopped inside a web archive: not counted as indexed, and said apart.
        let report = IndexReport {
            files: 0,
            planned: 1,
            partly_read: 1,
            interrupted: true,
            ..IndexReport::default()
        };
        assert_eq!(
            interrupted_line(&report, false, false),
            "rasd: interrupted: 0 of 1 files indexed and committed, and what was read of 1 web \
             archive stopped inside (read again whole by the next run); run again to finish"
        );
    }
}
