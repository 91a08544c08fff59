//! `rasd search`: a query, its filters and its output format.

use std::io::{IsTerminal, Write};
use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Result;

use rasd::output::{self, Layout, LineOrder};
use rasd::search::{self, Filters, QueryOptions, SearchRequest, SortOrder};
use rasd::store::RasdIndex;

use super::args::{BidiWhen, OutputFormat};

use super::args::SearchArgs;

/// Runs `rasd search` on the index at `index_path`, writing to `out`.
pub fn run(args: SearchArgs, index_path: PathBuf, mut out: impl Write) -> Result<ExitCode> {
    let SearchArgs {
        query,
        more_query,
        limit,
        offset,
        exact,
        all,
        since,
        until,
        sources,
        langs,
        tags,
        sort,
        count,
        explain,
        aliases,
        facets,
        format,
        json,
        bidi,
        width,
    } = args;
    let format = if json { OutputFormat::Json } else { format };
    let (aliases, expand_aliases) = aliases.table()?;
    let facets = facets
        .as_deref()
        .map(rasd::search::facets::parse_facets)
        .transpose()?
        .unwrap_or_default();
    let index = RasdIndex::open(&index_path)?;
    let request = SearchRequest {
        query: std::iter::once(query)
            .chain(more_query)
            .collect::<Vec<_>>()
            .join(" "),
        limit: if count { 0 } else { limit },
        offset,
        options: QueryOptions {
            exact,
            expand_aliases,
            ..QueryOptions::default()
        },
        filters: Filters {
            since,
            until,
            sources,
            langs,
            tags,
        },
        sort: match sort.as_str() {
            "date" => SortOrder::Newest,
            "-date" => SortOrder::Oldest,
            _ => SortOrder::Relevance,
        },
        facets,
        explain,
        aliases,
        all_words: all,
    };
    let results = search::search(&index, &request)?;
    match (count, format) {
        (true, OutputFormat::Json) => {
            output::json_line(&mut out, &serde_json::json!({ "count": results.total }))?
        }
        (true, _) => writeln!(out, "{}", results.total)?,
        (false, OutputFormat::Json) => output::write_hits_json(&mut out, &results)?,
        (false, OutputFormat::Csv) => output::write_hits_csv(&mut out, &results.hits)?,
        (false, OutputFormat::Text) => {
            let cwd = std::env::current_dir().ok();
            let layout = layout(bidi, width);
            output::write_hits_text(&mut out, &results, cwd.as_deref(), layout)?;
        }
    }
    if !results.facets.is_empty() {
        match format {
            OutputFormat::Json => output::write_facets_json(&mut out, &results.facets)?,
            _ => output::write_facets_text(&mut out, &results.facets)?,
        }
    }
    out.flush()?;
    if !results.stop_words.is_empty() {
        // On stderr, so that JSON and CSV output stay as they are.
        let words: Vec<String> = results
            .stop_words
            .iter()
            .map(|w| format!("`{w}`"))
            .collect();
        let (is, them) = match words.len() {
            1 => ("is a stop word", "it"),
            _ => ("are stop words", "them"),
        };
        eprintln!(
            "rasd: {} {is}: rasd indexes no stop words, not even for exact:, so search the \
             words around {them}",
            words.join(", ")
        );
    }
    let found = results.total > 0 || results.partial.is_some();
    Ok(ExitCode::from(if found { 0 } else { 1 }))
}

/// How text output is laid out: `--bidi` and `--width`, or what the terminal (when stdout is
/// one) and the environment say.
fn layout(bidi: BidiWhen, width: Option<usize>) -> Layout {
    let terminal = std::io::stdout().is_terminal();
    let env = |name: &str| std::env::var(name).ok();
    let order = match bidi {
        BidiWhen::On => LineOrder::Visual,
        BidiWhen::Off => LineOrder::Logical,
        BidiWhen::Auto if terminal && !terminal_does_bidi(env) => LineOrder::Visual,
        BidiWhen::Auto => LineOrder::Logical,
    };
    let width = match width {
        Some(0) => None,
        Some(width) => Some(width),
        // A pipe or a file is read by programs and pagers, which have their own width.
        None if !terminal => None,
        None => env("COLUMNS")
            .and_then(|columns| columns.trim().parse().ok())
            .or_else(|| terminal_size::terminal_size().map(|(w, _)| usize::from(w.0)))
            .map(|width: usize| width.max(output::MIN_WIDTH)),
    };
    Layout { order, width }
}

/// Whether the terminal that `env` describes is known to apply the bidirectional algorithm
/// itself: VTE 0.58 and later (GNOME Terminal, Tilix, Terminator…), Konsole, mlterm and
/// macOS Terminal. Reordering for them would mirror Arabic back.
fn terminal_does_bidi(env: impl Fn(&str) -> Option<String>) -> bool {
    let vte = env("VTE_VERSION").and_then(|v| v.trim().parse::<u32>().ok());
    vte.is_some_and(|v| v >= 5800)
        || env("KONSOLE_VERSION").is_some()
        || env("MLTERM").is_some()
        || env("TERM_PROGRAM").as_deref() == Some("Apple_Terminal")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn does_bidi(vars: &[(&str, &str)]) -> bool {
        terminal_does_bidi(|name| {
            vars.iter()
                .find(|(n, _)| *n == name)
                .map(|(_, v)| v.to_string())
        })
    }

    #[test]
    fn terminals_known_to_do_bidi() {
        assert!(does_bidi(&[("VTE_VERSION", "7600")]));
        assert!(does_bidi(&[("VTE_VERSION", "5800")]));
        assert!(!does_bidi(&[("VTE_VERSION", "5202")]));
        assert!(does_bidi(&[("KONSOLE_VERSION", "230805")]));
        assert!(does_bidi(&[("MLTERM", "3.9.3")]));
        assert!(does_bidi(&[("TERM_PROGRAM", "Apple_Terminal")]));
        assert!(!does_bidi(&[("TERM_PROGRAM", "iTerm.app")]));
        assert!(!does_bidi(&[("TERM", "xterm-256color")]));
        assert!(!does_bidi(&[]));
    }
}
