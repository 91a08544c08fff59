//! `rasd stats` for a person.

use std::io::{self, Write};

use super::hits::counts_list;
use super::style::field;
use crate::clean;
use crate::stats::IndexStats;

/// Human-readable size.
fn size(bytes: u64) -> String {
    match bytes {
        b if b >= 1 << 30 => format!("{:.1} GiB", b as f64 / (1u64 << 30) as f64),
        b if b >= 1 << 20 => format!("{:.1} MiB", b as f64 / (1u64 << 20) as f64),
        b if b >= 1 << 10 => format!("{:.1} KiB", b as f64 / 1024.0),
        b => format!("{b} B"),
    }
}

/// Writes the files whose last read failed: a count, then one line per file with its first
/// failure.
fn write_failures(out: &mut impl Write, stats: &IndexStats) -> io::Result<()> {
    if stats.failures.is_empty() {
        return writeln!(out, "failed:     none");
    }
    let inputs: usize = stats.failures.iter().map(|f| f.count).sum();
    writeln!(
        out,
        "failed:     {} files, {inputs} inputs (rasd index reports them until they change)",
        stats.failed_files
    )?;
    for file in &stats.failures {
        let first = file.failures.first();
        let line = first
            .and_then(|f| f.line)
            .map(|l| format!(":{l}"))
            .unwrap_or_default();
        let reason = first.map_or("", |f| f.reason.as_str());
        let more = match file.count.saturating_sub(1) {
            0 => String::new(),
            n => format!(" (and {n} more)"),
        };
        let text = format!("{}{line}: {reason}{more}", file.path);
        writeln!(
            out,
            "            {}",
            clean::line(&text, clean::MESSAGE_CHARS)
        )?;
    }
    Ok(())
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
    write_failures(out, stats)?;
    writeln!(
        out,
        "schema:     {} v{}",
        stats.schema, stats.schema_version
    )
}
