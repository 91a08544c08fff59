//! `rasd watch`: the new articles of saved searches, as text (a mail's body), JSON Lines or
//! CSV; and saved searches listed or shown.

use std::borrow::Cow;
use std::io::{self, Write};
use std::path::Path;

use serde::Serialize;

use super::hits::{CSV_HEADER, JsonHit, csv_row, json_hit, write_hit_text};
use super::json_line;
use super::style::{Layout, TITLE, field, laid_out, shown_path, write_meta_line};
use crate::clean;
use crate::search::{Filters, Hit, SearchResults};
use crate::watch::{CopyOfReported, SavedSearch, SearchState};

/// The new articles of one saved search.
#[derive(Clone, Copy)]
pub struct Alerts<'a> {
    /// The search's name.
    pub name: &'a str,
    /// Its alerts: one hit per new story (per new article when not collapsing).
    pub results: &'a SearchResults,
    /// The new copies of stories it reported before.
    pub copies_of_reported: &'a [CopyOfReported],
}

impl Alerts<'_> {
    /// Whether the search found nothing to print.
    fn is_empty(&self) -> bool {
        self.results.hits.is_empty() && self.copies_of_reported.is_empty()
    }
}

/// `1 article`, `3 articles`.
fn articles(n: usize) -> String {
    match n {
        1 => "1 article".to_string(),
        n => format!("{n} articles"),
    }
}

/// `NAME: 3 new articles`, `NAME: 2 new stories (5 articles), 1 copy of a reported story`: the
/// first line of a search's alerts, fit for a mail's subject.
fn alerts_subject(alerts: &Alerts) -> String {
    let hits = &alerts.results.hits;
    let stories = hits.len();
    let articles_in = stories + hits.iter().map(|h| h.copies.len()).sum::<usize>();
    let mut parts = Vec::new();
    match (stories, articles_in) {
        (0, _) => {}
        (1, 1) => parts.push("1 new article".to_string()),
        (n, m) if n == m => parts.push(format!("{n} new articles")),
        (1, m) => parts.push(format!("1 new story ({})", articles(m))),
        (n, m) => parts.push(format!("{n} new stories ({})", articles(m))),
    }
    match alerts.copies_of_reported.len() {
        0 => {}
        1 => parts.push("1 copy of a reported story".to_string()),
        n => parts.push(format!("{n} copies of reported stories")),
    }
    format!("{}: {}", alerts.name, parts.join(", "))
}

/// The line of a copy of a story reported before: `copy of «TITLE» reported DATE: source ·
/// date · path`.
fn copy_of_reported_line(copy: &CopyOfReported, cwd: Option<&Path>, layout: Layout) -> String {
    let hit = &copy.hit;
    let mut facts: Vec<Cow<str>> = Vec::new();
    facts.extend(hit.meta.source.as_deref().map(field));
    facts.extend(hit.date.as_deref().map(field));
    facts.push(field(shown_path(&hit.path, cwd)));
    format!(
        "copy of «{}» reported {}: {}",
        field(&copy.title),
        field(&copy.reported),
        layout.facts_line(&facts)
    )
}

/// Writes the alerts for a person, search by search: the subject line, then the hits as
/// `rasd search` shows them. Searches without new articles write nothing.
pub fn write_alerts_text(
    out: &mut impl Write,
    alerts: &[Alerts],
    cwd: Option<&Path>,
    layout: Layout,
) -> io::Result<()> {
    for search in alerts.iter().filter(|a| !a.is_empty()) {
        let subject = laid_out(&alerts_subject(search), layout, 2);
        writeln!(out, "{TITLE}{subject}{TITLE:#}\n")?;
        for hit in &search.results.hits {
            write_hit_text(out, hit, search.results, cwd, layout)?;
        }
        for copy in search.copies_of_reported {
            write_meta_line(out, &copy_of_reported_line(copy, cwd, layout), layout)?;
        }
        if !search.copies_of_reported.is_empty() {
            writeln!(out)?;
        }
    }
    Ok(())
}

/// The JSON contract of one alert: the search's name, the keys of a search hit, then, for a
/// copy of a story reported before, that story's id and the day it was reported (`null` for
/// an alert).
#[derive(Serialize)]
struct JsonAlert<'a> {
    watch: &'a str,
    #[serde(flatten)]
    hit: JsonHit<'a>,
    copy_of: Option<&'a str>,
    reported: Option<&'a str>,
}

/// Each line of one search's alerts: its hits, then the copies of stories reported before,
/// each with that story's id and day.
fn alert_lines<'a>(
    alerts: &Alerts<'a>,
) -> impl Iterator<Item = (&'a Hit, Option<&'a CopyOfReported>)> {
    let hits = alerts.results.hits.iter().map(|h| (h, None));
    hits.chain(alerts.copies_of_reported.iter().map(|c| (&c.hit, Some(c))))
}

/// Writes the alerts as JSON Lines, one object per new story (with its copies' ids) and per
/// copy of a story reported before.
pub fn write_alerts_json(out: &mut impl Write, alerts: &[Alerts]) -> io::Result<()> {
    for search in alerts {
        for (hit, copy_of) in alert_lines(search) {
            let alert = JsonAlert {
                watch: search.name,
                hit: json_hit(hit, search.results.words),
                copy_of: copy_of.map(|c| c.story.as_str()),
                reported: copy_of.map(|c| c.reported.as_str()),
            };
            json_line(out, &alert)?;
        }
    }
    Ok(())
}

/// The columns of the CSV of alerts after those of `rasd search`'s: as the JSON keys of the
/// same names (`copy_ids` separated by spaces).
const CSV_STORY_COLUMNS: [&str; 5] = ["story", "copies", "copy_ids", "copy_of", "reported"];

/// Writes the alerts as CSV: a header row (the search's name, the columns of `rasd search`'s
/// CSV, then [`CSV_STORY_COLUMNS`]), then one row per new story and per copy of a story
/// reported before. Nothing at all when there is none.
pub fn write_alerts_csv(out: &mut impl Write, alerts: &[Alerts]) -> io::Result<()> {
    if alerts.iter().all(Alerts::is_empty) {
        return Ok(());
    }
    let mut writer = csv::Writer::from_writer(out);
    let header = std::iter::once("watch").chain(CSV_HEADER);
    writer.write_record(header.chain(CSV_STORY_COLUMNS))?;
    let cell = |text: &str| clean::csv_cell(text).into_owned();
    for search in alerts {
        for (hit, copy_of) in alert_lines(search) {
            let ids: Vec<&str> = hit.copies.iter().map(|c| c.id.as_str()).collect();
            let story = [
                cell(&hit.id),
                hit.copies.len().to_string(),
                cell(&ids.join(" ")),
                copy_of.map_or(String::new(), |c| cell(&c.story)),
                copy_of.map_or(String::new(), |c| cell(&c.reported)),
            ];
            let row = std::iter::once(search.name.to_string()).chain(csv_row(hit));
            writer.write_record(row.chain(story))?;
        }
    }
    writer.flush()
}

/// A saved search's filters as the options of `rasd watch add` that set them; `none`.
fn filters_text(filters: &Filters) -> String {
    let mut options = Vec::new();
    for (option, values) in [
        ("--lang", &filters.langs),
        ("--source", &filters.sources),
        ("--tag", &filters.tags),
    ] {
        options.extend(values.iter().map(|v| format!("{option} {}", field(v))));
    }
    if let Some(since) = &filters.since {
        options.push(format!("--since {}", field(since)));
    }
    if options.is_empty() {
        "none".to_string()
    } else {
        options.join(" ")
    }
}

/// When a search last ran, for a person: `2026-12-04 05:10 UTC`, or `never`.
fn last_run(state: Option<&SearchState>) -> String {
    match state.and_then(|s| s.last_run.as_deref()) {
        // RFC 3339 in UTC: the date, `T`, the time; seconds left out.
        Some(when) if when.len() >= 16 => format!("{} {} UTC", &when[..10], &when[11..16]),
        Some(when) => field(when).into_owned(),
        None => "never".to_string(),
    }
}

/// Writes the saved searches, one line each: name, query, filters, last run, alerts so far.
pub fn write_watch_list(
    out: &mut impl Write,
    searches: &[(&SavedSearch, Option<&SearchState>)],
    layout: Layout,
) -> io::Result<()> {
    for (search, state) in searches {
        // One left-to-right line of facts, whatever script the name starts with, each fact
        // of Latin words glued: reordered as an Arabic paragraph, `--lang ar` showed as
        // `lang ar --`, and `(last run …, 2 alerts)` wrapped and mirrored in two.
        let glued = |text: String| text.replace(' ', "\u{a0}");
        let filters = match filters_text(&search.filters).as_str() {
            "none" => String::new(),
            some => format!("  {}", glued(some.to_string())),
        };
        let alerts = match state.map_or(0, |s| s.alerts) {
            1 => "1 alert".to_string(),
            n => format!("{n} alerts"),
        };
        let line = format!(
            "{}  {}{filters}  {}",
            search.name,
            field(&search.query),
            glued(format!("(last run {}, {alerts})", last_run(*state)))
        );
        writeln!(out, "{}", laid_out(&line, layout.for_facts(), 2))?;
    }
    Ok(())
}

/// Writes one saved search for a person: its query, filters, last run, alerts so far,
/// articles seen and stories reported.
pub fn write_watch(
    out: &mut impl Write,
    search: &SavedSearch,
    state: Option<&SearchState>,
    layout: Layout,
) -> io::Result<()> {
    let seen = state.map_or(0, |s| s.seen.len());
    let reported = state.map_or(0, |s| s.reported.len());
    let rows = [
        ("name", search.name.clone()),
        ("query", field(&search.query).into_owned()),
        ("filters", filters_text(&search.filters)),
        ("last run", last_run(state)),
        ("alerts", state.map_or(0, |s| s.alerts).to_string()),
        ("seen", articles(seen)),
        ("stories", format!("{reported} reported")),
    ];
    for (label, value) in rows {
        let line = format!("{:<10}{value}", format!("{label}:"));
        writeln!(out, "{}", laid_out(&line, layout, 10))?;
    }
    Ok(())
}

/// The JSON contract of a saved search, for `rasd watch list` and `show`.
#[derive(Serialize)]
struct JsonWatch<'a> {
    name: &'a str,
    query: &'a str,
    /// The filters, by the option of `rasd watch add` that sets them.
    lang: &'a [String],
    source: &'a [String],
    tag: &'a [String],
    since: Option<&'a str>,
    /// When it last ran (RFC 3339, UTC), `null` before its first run.
    last_run: Option<&'a str>,
    /// Alerts so far (stories when collapsed), articles seen, stories reported.
    alerts: u64,
    seen: usize,
    reported_stories: usize,
}

/// Writes saved searches as JSON Lines, one object per search.
pub fn write_watches_json(
    out: &mut impl Write,
    searches: &[(&SavedSearch, Option<&SearchState>)],
) -> io::Result<()> {
    for (search, state) in searches {
        let watch = JsonWatch {
            name: &search.name,
            query: &search.query,
            lang: &search.filters.langs,
            source: &search.filters.sources,
            tag: &search.filters.tags,
            since: search.filters.since.as_deref(),
            last_run: state.and_then(|s| s.last_run.as_deref()),
            alerts: state.map_or(0, |s| s.alerts),
            seen: state.map_or(0, |s| s.seen.len()),
            reported_stories: state.map_or(0, |s| s.reported.len()),
        };
        json_line(out, &watch)?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::output::style::LineOrder;
    use crate::search::Filters;

    #[test]
    fn a_saved_search_named_in_arabic_keeps_its_filters_and_last_run_whole() {
        let filters = Filters {
            langs: vec!["ar".into()],
            ..Filters::default()
        };
        let search = SavedSearch::new("تهريب-الأسلحة", "تهريب الأسلحة", filters);
        for width in [Some(60), Some(100), None] {
            let layout = Layout {
                order: LineOrder::Visual,
                width,
                facts: false,
            };
            let mut out = Vec::new();
            write_watch_list(&mut out, &[(&search, None)], layout).unwrap();
            let text = String::from_utf8(out).unwrap();
            assert!(text.contains("--lang ar"), "{text}");
            assert!(text.contains("(last run never, 0 alerts)"), "{text}");
        }
    }
}
