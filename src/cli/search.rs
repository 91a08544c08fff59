//! `rasd search`: a query, its filters and its output format.

use std::io::{IsTerminal, Write};
use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Result;

use rasd::analysis::long_words::MAX_WORD_CHARS;
use rasd::clean;
use rasd::output;
use rasd::search::{self, Filters, QueryOptions, SearchRequest, SortOrder};
use rasd::store::RasdIndex;

use super::args::OutputFormat;
use super::terminal;

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
        no_collapse,
        filters,
        until,
        sort,
        count,
        explain,
        aliases,
        glossary,
        facets,
        format,
        json,
        bidi,
        width,
    } = args;
    let format = if json { OutputFormat::Json } else { format };
    let (aliases, expand_aliases) = aliases.table()?;
    let (translate_phrases, (glossary, translate)) =
        (glossary.translate_phrases(), glossary.glossary()?);
    if format == OutputFormat::Csv && !count && facets.is_some() {
        // A CSV file is rows of hits: the facets' lines would be read as a broken row.
        return Err(rasd::Error::Usage(
            "--facets cannot go with --format csv, whose rows are hits: use --format json \
             (a final facets object), or --count --facets for the counts alone"
                .into(),
        )
        .into());
    }
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
            translate,
            translate_phrases,
            ..QueryOptions::default()
        },
        filters: Filters {
            until,
            ..filters.filters()
        },
        sort: match sort.as_str() {
            "date" => SortOrder::Newest,
            "-date" => SortOrder::Oldest,
            _ => SortOrder::Relevance,
        },
        facets,
        explain,
        aliases,
        glossary,
        all_words: all,
        related: !all,
        collapse: !no_collapse,
        copy_ids: format == OutputFormat::Json,
    };
    let results = search::search(&index, &request)?;
    let layout = terminal::layout(std::io::stdout().is_terminal(), bidi, width);
    // Stories are counted beside articles when copies were collapsed.
    let stories = results
        .stories
        .map(|count| count.stories)
        .filter(|stories| *stories < results.total);
    match (count, format, stories) {
        (true, OutputFormat::Json, None) => {
            output::json_line(&mut out, &serde_json::json!({ "count": results.total }))?
        }
        (true, OutputFormat::Json, Some(stories)) => output::json_line(
            &mut out,
            &serde_json::json!({ "count": results.total, "stories": stories }),
        )?,
        (true, _, None) => writeln!(out, "{}", results.total)?,
        (true, _, Some(1)) => writeln!(out, "{} articles, 1 story", results.total)?,
        (true, _, Some(stories)) => writeln!(out, "{} articles, {stories} stories", results.total)?,
        (false, OutputFormat::Json, _) => output::write_hits_json(&mut out, &results)?,
        (false, OutputFormat::Csv, _) => output::write_hits_csv(&mut out, &results.hits)?,
        (false, OutputFormat::Text, _) => {
            let cwd = std::env::current_dir().ok();
            output::write_hits_text(&mut out, &results, cwd.as_deref(), layout)?;
        }
    }
    if !results.facets.is_empty() {
        match format {
            OutputFormat::Json => output::write_facets_json(&mut out, &results.facets)?,
            _ => output::write_facets_text(&mut out, &results.facets, layout)?,
        }
    }
    out.flush()?;
    // On stderr, so that JSON and CSV output stay as they are.
    // A "word" of no letter or digit (`~`, `ـ`, `""`) is no stop word: nothing to index.
    let (stop_words, no_letters): (Vec<&String>, Vec<&String>) = results
        .stop_words
        .iter()
        .partition(|w| w.chars().any(|c| c.is_alphanumeric() && c != 'ـ'));
    let (too_long, stop_words): (Vec<&String>, Vec<&String>) = stop_words
        .into_iter()
        .partition(|w| w.chars().count() > MAX_WORD_CHARS);
    let quoted = |words: &[&String]| {
        let quoted: Vec<String> = words
            .iter()
            .map(|w| format!("`{}`", clean::line(w, clean::VALUE_CHARS)))
            .collect();
        quoted.join(", ")
    };
    if !stop_words.is_empty() {
        let (is, them) = match stop_words.as_slice() {
            // A quoted phrase of stop words alone (`"في من"`) is one entry.
            [phrase] if phrase.split_whitespace().nth(1).is_some() => {
                ("has only stop words", "them")
            }
            [_] => ("is a stop word", "it"),
            _ => ("are stop words", "them"),
        };
        rasd::note!(
            "rasd: {} {is}: rasd indexes no stop words, not even for exact:, so search the \
             words around {them}",
            quoted(&stop_words)
        );
    }
    let no_letters: Vec<&String> = no_letters.into_iter().filter(|w| !w.is_empty()).collect();
    if !no_letters.is_empty() {
        let has = if no_letters.len() == 1 { "has" } else { "have" };
        rasd::note!(
            "rasd: {} {has} no letter or digit: rasd searches words",
            quoted(&no_letters)
        );
    }
    if !too_long.is_empty() {
        let is = if too_long.len() == 1 { "is" } else { "are" };
        rasd::note!(
            "rasd: {} {is} longer than {MAX_WORD_CHARS} characters: rasd indexes no word so \
             long, so search a part of it",
            quoted(&too_long)
        );
    }
    let found = results.total > 0 || results.same_root > 0 || results.partial.is_some();
    // A page past the last hit is empty however the query did: say why, not only how many.
    if found && !count && limit > 0 && offset > 0 && results.hits.is_empty() {
        rasd::note!("rasd: no hit at --offset {offset}: the hits end before it");
    }
    // The process ends with the search: the index's readers and maps, the query and the hits
    // are left to its exit, which frees them at once, instead of one by one (half a
    // millisecond of a search process, measured).
    std::mem::forget((index, request, results));
    Ok(ExitCode::from(if found { 0 } else { 1 }))
}
