//! Rendering results for people (terminal text, with optional colors) and for programs (JSON).
//!
//! Text output is written with ANSI styles; the caller's stream decides whether they reach the
//! terminal (see `anstream` in `main.rs`). JSON output never contains styles.
//!
//! Everything from the archive that text, CSV and stderr output show goes through [`clean`]:
//! JSON output alone is exact.

use std::borrow::Cow;
use std::fmt::Display;
use std::io::{self, IsTerminal, Write};
use std::path::Path;

use anstyle::{AnsiColor, Style};
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use serde::Serialize;
use unicode_bidi::ParagraphBidiInfo;

use crate::analysis::AnalyzedWord;
use crate::clean;
use crate::indexer::{IndexReport, Observer, Plan};
use crate::ingest::{Problem, Severity};
use crate::search::aliases::ALIAS_BOOST;
use crate::search::proclitics::VARIANT_BOOST;
use crate::search::{ExplainedQuery, FacetCounts, Hit, ScoreExplanation, SearchResults, Snippet};
use crate::stats::IndexStats;

const MATCH: Style = AnsiColor::Red.on_default().bold();
const TITLE: Style = Style::new().bold();
const META: Style = AnsiColor::BrightBlack.on_default();

/// The JSON contract of one hit: exactly these keys.
#[derive(Serialize)]
struct JsonHit<'a> {
    rank: usize,
    score: f32,
    id: &'a str,
    path: &'a str,
    title: &'a str,
    date: Option<&'a str>,
    source: Option<&'a str>,
    lang: Option<&'a str>,
    url: Option<&'a str>,
    snippet: &'a str,
    highlights: &'a [[usize; 2]],
    /// Only with `--explain`.
    #[serde(skip_serializing_if = "Option::is_none")]
    explanation: Option<&'a ScoreExplanation>,
}

/// Writes facet counts for a person: one line per facet, values largest first.
pub fn write_facets_text(out: &mut impl Write, facets: &[FacetCounts]) -> io::Result<()> {
    writeln!(out)?;
    for facet in facets {
        writeln!(
            out,
            "{TITLE}{}:{TITLE:#} {}",
            facet.facet,
            counts_list(&facet.values)
        )?;
    }
    Ok(())
}

/// Writes facet counts as one JSON object: `{"facets": {"source": [["X", 12], ...], ...}}`.
pub fn write_facets_json(out: &mut impl Write, facets: &[FacetCounts]) -> io::Result<()> {
    let facets: serde_json::Map<String, serde_json::Value> = facets
        .iter()
        .map(|f| (f.facet.to_string(), serde_json::json!(f.values)))
        .collect();
    writeln!(out, "{}", serde_json::json!({ "facets": facets }))
}

/// `value count, value count…`, or `none`, each value cleaned.
fn counts_list(pairs: &[(String, u64)]) -> String {
    if pairs.is_empty() {
        return "none".to_string();
    }
    pairs
        .iter()
        .map(|(k, v)| format!("{} {v}", field(k)))
        .collect::<Vec<_>>()
        .join(", ")
}

/// Writes hits as CSV: a header row, then one row per hit, quoted as RFC 4180 says (commas
/// and quotes in Arabic or Latin text stay inside their cell). CSV is read by people, in
/// spreadsheets and terminals: every text cell is a [`clean::csv_cell`].
pub fn write_hits_csv(out: &mut impl Write, hits: &[Hit]) -> io::Result<()> {
    let mut writer = csv::Writer::from_writer(out);
    writer.write_record([
        "rank", "score", "id", "path", "title", "date", "source", "lang", "url", "snippet",
    ])?;
    for hit in hits {
        let text = |value: Option<&str>| clean::csv_cell(value.unwrap_or_default()).into_owned();
        writer.write_record([
            hit.rank.to_string(),
            format!("{:.4}", hit.score),
            text(Some(&hit.id)),
            text(Some(&hit.path)),
            text(Some(&hit.title.text)),
            text(hit.date.as_deref()),
            text(hit.source.as_deref()),
            text(hit.lang.as_deref()),
            text(hit.url.as_deref()),
            text(Some(&hit.snippet.text)),
        ])?;
    }
    writer.flush()
}

/// Writes hits as JSON Lines, one object per hit.
pub fn write_hits_json(out: &mut impl Write, hits: &[Hit]) -> io::Result<()> {
    for hit in hits {
        let json = JsonHit {
            rank: hit.rank,
            score: hit.score,
            id: &hit.id,
            path: &hit.path,
            title: &hit.title.text,
            date: hit.date.as_deref(),
            source: hit.source.as_deref(),
            lang: hit.lang.as_deref(),
            url: hit.url.as_deref(),
            snippet: &hit.snippet.text,
            highlights: &hit.snippet.highlights,
            explanation: hit.explanation.as_ref(),
        };
        serde_json::to_writer(&mut *out, &json)?;
        writeln!(out)?;
    }
    Ok(())
}

/// A single-line field from the archive as shown to a person: cleaned and bounded.
fn field(text: &str) -> Cow<'_, str> {
    clean::line(text, clean::FIELD_CHARS)
}

/// Writes a snippet's text with its highlights styled, cleaned (see [`clean::shown`]) and cut
/// to `max_chars` characters.
fn write_highlighted(
    out: &mut impl Write,
    snippet: &Snippet,
    base: Style,
    order: LineOrder,
    max_chars: usize,
) -> io::Result<()> {
    let highlighted = |c: usize| {
        snippet
            .highlights
            .iter()
            .any(|[s, e]| (*s..*e).contains(&c))
    };
    // Each shown character keeps the highlight of the character it shows.
    let mut chars: Vec<(char, bool)> = snippet
        .text
        .chars()
        .enumerate()
        .flat_map(|(i, ch)| clean::shown(ch).map(move |c| (c, i)))
        .take(max_chars + 1)
        .map(|(c, i)| (c, highlighted(i)))
        .collect();
    if chars.len() > max_chars {
        chars.truncate(max_chars - 1);
        chars.push(('…', false));
    }
    let chars = match order {
        LineOrder::Logical => chars,
        LineOrder::Visual => {
            let text: String = chars.iter().map(|(c, _)| c).collect();
            visual_order(&text, chars)
        }
    };
    // Runs of equally styled characters.
    let mut run = String::new();
    let mut run_highlighted = false;
    for (ch, is_highlighted) in chars {
        if is_highlighted != run_highlighted && !run.is_empty() {
            let style = if run_highlighted { MATCH } else { base };
            write!(out, "{style}{run}{style:#}")?;
            run.clear();
        }
        run_highlighted = is_highlighted;
        run.push(ch);
    }
    let style = if run_highlighted { MATCH } else { base };
    write!(out, "{style}{run}{style:#}")
}

/// The characters of one line in display order, by the Unicode bidirectional algorithm:
/// right-to-left runs (Arabic) reversed, so that a terminal that writes every line left to
/// right shows them readable. Each character keeps what travels with it (its highlight).
fn visual_order<T: Copy>(text: &str, chars: Vec<(char, T)>) -> Vec<(char, T)> {
    let info = ParagraphBidiInfo::new(text, None);
    let (levels, runs) = info.visual_runs(0..text.len());
    // Byte offset → index of its character.
    let mut index_of = vec![0; text.len() + 1];
    for (i, (byte, _)) in text.char_indices().enumerate() {
        index_of[byte] = i;
    }
    let mut out = Vec::with_capacity(chars.len());
    for run in runs {
        let in_run: Vec<usize> = text[run.clone()]
            .char_indices()
            .map(|(b, _)| index_of[run.start + b])
            .collect();
        if levels[run.start].is_rtl() {
            out.extend(in_run.iter().rev().map(|&i| chars[i]));
        } else {
            out.extend(in_run.iter().map(|&i| chars[i]));
        }
    }
    out
}

/// The order in which the characters of a line are written.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum LineOrder {
    /// As stored (right for terminals that apply the bidirectional algorithm, and for pipes).
    #[default]
    Logical,
    /// Reordered for display, for terminals that write every line left to right.
    Visual,
}

/// A path shown relative to the current folder when it lies below it.
fn shown_path<'a>(path: &'a str, cwd: Option<&Path>) -> &'a str {
    cwd.and_then(|cwd| Path::new(path).strip_prefix(cwd).ok())
        .and_then(|p| p.to_str())
        .unwrap_or(path)
}

/// Writes a score explanation as an indented tree: score, then what it is.
fn write_explanation(
    out: &mut impl Write,
    explanation: &ScoreExplanation,
    depth: usize,
) -> io::Result<()> {
    writeln!(
        out,
        "{}{META}{:>8.3}{META:#}  {}",
        "   ".repeat(depth),
        explanation.score,
        clean::line(&explanation.reason, clean::MESSAGE_CHARS)
    )?;
    for part in &explanation.parts {
        write_explanation(out, part, depth + 1)?;
    }
    Ok(())
}

/// Writes hits for a person: rank and title, a line of facts, the snippet; then the total.
pub fn write_hits_text(
    out: &mut impl Write,
    results: &SearchResults,
    cwd: Option<&Path>,
    order: LineOrder,
) -> io::Result<()> {
    for hit in &results.hits {
        write!(out, "{TITLE}{}.{TITLE:#} ", hit.rank)?;
        if hit.title.text.is_empty() {
            write!(out, "{TITLE}(untitled){TITLE:#}")?;
        } else {
            write_highlighted(out, &hit.title, TITLE, order, clean::FIELD_CHARS)?;
        }
        writeln!(out)?;
        // Each fact bounded on its own, so that a huge source cannot hide the path.
        let mut facts: Vec<Cow<str>> = Vec::new();
        facts.extend(hit.date.as_deref().map(field));
        facts.extend(hit.source.as_deref().map(field));
        facts.extend(hit.lang.as_deref().map(field));
        facts.push(field(shown_path(&hit.path, cwd)));
        facts.push(format!("score {:.2}", hit.score).into());
        let facts = facts.join(" · ");
        let facts = Snippet::whole_plain(&facts);
        write!(out, "   ")?;
        write_highlighted(out, &facts, META, order, clean::MESSAGE_CHARS)?;
        writeln!(out)?;
        if !hit.snippet.text.is_empty() {
            write!(out, "   {}", if hit.snippet.cut_before { "…" } else { "" })?;
            write_highlighted(out, &hit.snippet, Style::new(), order, clean::MESSAGE_CHARS)?;
            writeln!(out, "{}", if hit.snippet.cut_after { "…" } else { "" })?;
        }
        if let Some(explanation) = &hit.explanation {
            write_explanation(out, explanation, 1)?;
        }
        writeln!(out)?;
    }
    let shown = match results.hits.as_slice() {
        [] => String::new(),
        [first, .., last] => format!(" (showing {}–{})", first.rank, last.rank),
        [only] => format!(" (showing {})", only.rank),
    };
    let noun = if results.total == 1 {
        "article"
    } else {
        "articles"
    };
    writeln!(out, "{} {noun} matched{shown}.", results.total)
}

/// Writes the stages of analysis of a text, one word per line.
pub fn write_analysis(out: &mut impl Write, words: &[AnalyzedWord]) -> io::Result<()> {
    writeln!(
        out,
        "{TITLE}{:>4}  {:<9}  {:<20}  {:<20}  stem{TITLE:#}",
        "pos", "chars", "original", "surface"
    )?;
    for w in words {
        let missing = "(stop word)";
        writeln!(
            out,
            "{:>4}  {:<9}  {:<20}  {:<20}  {}",
            w.position,
            format!("{}..{}", w.start, w.end),
            field(&w.original),
            field(w.surface.as_deref().unwrap_or(missing)),
            field(w.stem.as_deref().unwrap_or(missing)),
        )?;
    }
    Ok(())
}

/// Writes how a query is searched: the expanded query, then each word or phrase with the
/// terms of each field and the proclitic forms found in the index.
pub fn write_explained_query(out: &mut impl Write, explained: &ExplainedQuery) -> io::Result<()> {
    let message = |text: &str| clean::line(text, clean::MESSAGE_CHARS).into_owned();
    writeln!(
        out,
        "{TITLE}query{TITLE:#}     {}",
        message(&explained.query)
    )?;
    writeln!(
        out,
        "{TITLE}searched{TITLE:#}  {}",
        message(&explained.expanded)
    )?;
    for literal in &explained.literals {
        let exact = if literal.exact { "  (exact)" } else { "" };
        writeln!(out, "\n{TITLE}{}{TITLE:#}{exact}", field(&literal.text))?;
        for group in &literal.terms {
            let terms = if group.terms.is_empty() {
                "(stop words only)".to_string()
            } else {
                message(&group.terms.join(" "))
            };
            writeln!(out, "  {terms:<24}  {}", group.fields.join(", "))?;
        }
        let group = field(literal.alias_group.as_deref().unwrap_or_default());
        for alias in &literal.aliases {
            let alias = field(alias);
            writeln!(out, "  {alias:<24}  alias, weight {ALIAS_BOOST} ({group})")?;
        }
        for variant in &literal.variants {
            let variant = field(variant);
            writeln!(
                out,
                "  {variant:<24}  proclitic form found in the index, weight {VARIANT_BOOST}"
            )?;
        }
    }
    Ok(())
}

/// Human-readable size.
fn size(bytes: u64) -> String {
    match bytes {
        b if b >= 1 << 30 => format!("{:.1} GiB", b as f64 / (1u64 << 30) as f64),
        b if b >= 1 << 20 => format!("{:.1} MiB", b as f64 / (1u64 << 20) as f64),
        b if b >= 1 << 10 => format!("{:.1} KiB", b as f64 / 1024.0),
        b => format!("{b} B"),
    }
}

/// Writes index statistics for a person.
pub fn write_stats_text(out: &mut impl Write, stats: &IndexStats) -> io::Result<()> {
    let list = counts_list;
    writeln!(out, "index:      {}", field(&stats.index_path))?;
    writeln!(out, "articles:   {}", stats.documents)?;
    writeln!(out, "languages:  {}", list(&stats.languages))?;
    writeln!(out, "sources:    {}", list(&stats.sources))?;
    writeln!(out, "years:      {}", list(&stats.years))?;
    writeln!(out, "tags:       {}", list(&stats.tags))?;
    match (&stats.first_date, &stats.last_date) {
        (Some(first), Some(last)) => writeln!(out, "dates:      {first} to {last}")?,
        _ => writeln!(out, "dates:      none")?,
    }
    writeln!(out, "size:       {}", size(stats.size_bytes))?;
    writeln!(
        out,
        "schema:     {} v{}",
        stats.schema, stats.schema_version
    )
}

/// The one-line summary of an indexing run.
pub fn index_summary(report: &IndexReport) -> String {
    format!(
        "indexed in {:.1}s: {} added, {} updated, {} removed, {} unchanged, {} failed, {} warnings; {} files read, {} other files skipped; {} articles in the index",
        report.seconds,
        report.added,
        report.updated,
        report.removed,
        report.unchanged,
        report.failed,
        report.warnings,
        report.files,
        report.skipped,
        report.documents
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
        writeln!(out, "remove  {} ({articles} articles)", path(removed))?;
    }
    Ok(())
}

/// The one-line summary of a dry run.
pub fn plan_summary(plan: &Plan) -> String {
    let removed: u64 = plan.remove.iter().map(|(_, n)| n).sum();
    format!(
        "dry run, nothing changed: would read {} new and {} changed files, remove {} files ({removed} articles); {} files unchanged",
        plan.add.len(),
        plan.update.len(),
        plan.remove.len(),
        plan.unchanged
    )
}

/// Writes a dry run as JSON Lines: one object per file, then a summary object.
pub fn write_plan_json(out: &mut impl Write, plan: &Plan) -> io::Result<()> {
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
        writeln!(out, "{line}")?;
    }
    let summary = serde_json::json!({
        "dry_run": true,
        "add": plan.add.len(),
        "update": plan.update.len(),
        "remove": plan.remove.len(),
        "removed_articles": plan.remove.iter().map(|(_, n)| n).sum::<u64>(),
        "unchanged": plan.unchanged,
    });
    writeln!(out, "{summary}")
}

/// Reports an indexing run on a terminal: problems as lines on stderr (only failures when
/// quiet), and a progress bar while files are read, when stderr is a terminal.
pub struct TerminalProgress {
    bar: Option<ProgressBar>,
    quiet: bool,
    bytes: u64,
    articles: usize,
}

impl TerminalProgress {
    /// A reporter; the bar shows only on a terminal and when not quiet.
    pub fn new(quiet: bool) -> Self {
        let bar = (!quiet && io::stderr().is_terminal()).then(|| {
            let bar = ProgressBar::hidden();
            bar.set_style(
                ProgressStyle::with_template(
                    "{bar:30} {pos}/{len} files · {msg} · {elapsed_precise} (eta {eta})",
                )
                .expect("the template is valid"),
            );
            bar.set_draw_target(ProgressDrawTarget::stderr());
            bar
        });
        TerminalProgress {
            bar,
            quiet,
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
        let line = problem_line(problem);
        match &self.bar {
            Some(bar) => bar.suspend(|| eprintln!("{line}")),
            None => eprintln!("{line}"),
        }
    }

    fn planned(&mut self, files: usize) {
        if let Some(bar) = &self.bar {
            bar.set_length(files as u64);
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

/// One problem as a line for stderr.
pub fn problem_line(problem: &Problem) -> String {
    let label = match problem.severity {
        crate::ingest::Severity::Warning => "warning",
        crate::ingest::Severity::Failed => "error",
    };
    message_line(label, problem)
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
    fn highlights_are_styled_on_character_offsets() {
        let snippet = Snippet {
            text: "قال إن الْإِرْهَابَ انتهى".to_string(),
            highlights: vec![[7, 19]],
            ..Snippet::default()
        };
        let mut out = Vec::new();
        write_highlighted(&mut out, &snippet, Style::new(), LineOrder::Logical, 300).unwrap();
        let out = String::from_utf8(out).unwrap();
        assert!(out.contains(&format!("{MATCH}الْإِرْهَابَ{MATCH:#}")), "{out}");
    }

    #[test]
    fn visual_order_reverses_arabic_and_keeps_highlights_on_their_words() {
        let snippet = Snippet {
            text: "اعتقال عنصر من داعش في Paris".to_string(),
            highlights: vec![[15, 19]],
            ..Snippet::default()
        };
        let mut out = Vec::new();
        write_highlighted(&mut out, &snippet, Style::new(), LineOrder::Visual, 300).unwrap();
        let out = String::from_utf8(out).unwrap();
        // The highlighted word is داعش written backwards, still whole and still highlighted;
        // the Latin word keeps its order.
        assert!(out.contains(&format!("{MATCH}شعاد{MATCH:#}")), "{out}");
        assert!(out.contains("Paris"), "{out}");
        let plain: String = anstream::adapter::strip_str(&out).to_string();
        let reversed_arabic: String = "اعتقال عنصر من داعش في".chars().rev().collect();
        assert!(plain.contains(&reversed_arabic), "{plain}");
    }
}
