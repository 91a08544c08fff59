//! `rasd watch`: the new articles of saved searches, as text (a mail's body), JSON Lines or
//! CSV; and saved searches listed or shown.

use std::io::{self, Write};
use std::path::Path;

use serde::Serialize;

use super::hits::{CSV_HEADER, JsonHit, csv_row, json_hit, write_hit_text};
use super::json_line;
use super::style::{Layout, TITLE, field, laid_out};
use crate::search::{Filters, SearchResults};
use crate::watch::{SavedSearch, SearchState};

/// The new articles of one saved search: its name and their hits.
pub type Alerts<'a> = (&'a str, &'a SearchResults);

/// `1 article`, `3 articles`.
fn articles(n: usize) -> String {
    match n {
        1 => "1 article".to_string(),
        n => format!("{n} articles"),
    }
}

/// `NAME: 3 new articles`: the first line of a search's alerts, fit for a mail's subject.
fn alerts_subject(name: &str, results: &SearchResults) -> String {
    match results.hits.len() {
        1 => format!("{name}: 1 new article"),
        n => format!("{name}: {n} new articles"),
    }
}

/// Writes the alerts for a person, search by search: the subject line, then the hits as
/// `rasd search` shows them. Searches without new articles write nothing.
pub fn write_alerts_text(
    out: &mut impl Write,
    alerts: &[Alerts],
    cwd: Option<&Path>,
    layout: Layout,
) -> io::Result<()> {
    for (name, results) in alerts.iter().filter(|(_, r)| !r.hits.is_empty()) {
        let subject = laid_out(&alerts_subject(name, results), layout, 2);
        writeln!(out, "{TITLE}{subject}{TITLE:#}\n")?;
        for hit in &results.hits {
            write_hit_text(out, hit, results, cwd, layout)?;
        }
    }
    Ok(())
}

/// The JSON contract of one alert: the search's name, then the keys of a search hit.
#[derive(Serialize)]
struct JsonAlert<'a> {
    watch: &'a str,
    #[serde(flatten)]
    hit: JsonHit<'a>,
}

/// Writes the alerts as JSON Lines, one object per new article.
pub fn write_alerts_json(out: &mut impl Write, alerts: &[Alerts]) -> io::Result<()> {
    for (name, results) in alerts {
        for hit in &results.hits {
            let hit = json_hit(hit, results.words);
            json_line(out, &JsonAlert { watch: name, hit })?;
        }
    }
    Ok(())
}

/// Writes the alerts as CSV: a header row (the search's name, then the columns of `rasd
/// search`'s CSV), then one row per new article. Nothing at all when there is none.
pub fn write_alerts_csv(out: &mut impl Write, alerts: &[Alerts]) -> io::Result<()> {
    if alerts.iter().all(|(_, r)| r.hits.is_empty()) {
        return Ok(());
    }
    let mut writer = csv::Writer::from_writer(out);
    writer.write_record(std::iter::once("watch").chain(CSV_HEADER))?;
    for (name, results) in alerts {
        for hit in &results.hits {
            let row = csv_row(hit);
            writer.write_record(std::iter::once(name.to_string()).chain(row))?;
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
        let filters = match filters_text(&search.filters).as_str() {
            "none" => String::new(),
            some => format!("  {some}"),
        };
        let alerts = match state.map_or(0, |s| s.alerts) {
            1 => "1 alert".to_string(),
            n => format!("{n} alerts"),
        };
        let line = format!(
            "{}  {}{filters}  (last run {}, {alerts})",
            search.name,
            field(&search.query),
            last_run(*state)
        );
        writeln!(out, "{}", laid_out(&line, layout, 2))?;
    }
    Ok(())
}

/// Writes one saved search for a person: its query, filters, last run, alerts so far and
/// articles seen.
pub fn write_watch(
    out: &mut impl Write,
    search: &SavedSearch,
    state: Option<&SearchState>,
    layout: Layout,
) -> io::Result<()> {
    let seen = state.map_or(0, |s| s.seen.len());
    let rows = [
        ("name", search.name.clone()),
        ("query", field(&search.query).into_owned()),
        ("filters", filters_text(&search.filters)),
        ("last run", last_run(state)),
        ("alerts", state.map_or(0, |s| s.alerts).to_string()),
        ("seen", articles(seen)),
    ];
    for (label, value) in rows {
        let line = format!("{:<10}{value}", format!("{label}:"));
        writeln!(out, "{}", laid_out(&line, layout, 10))?;
    }
    Ok(())
}
