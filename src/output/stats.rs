//! `rasd stats` for a person.

use std::io::{self, Write};

use super::hits::counts_list;
use super::style::{Layout, field, write_paragraph};
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

/// A path or reason as the error lines show it: on one line, unsafe characters escaped.
fn message(text: &str) -> std::borrow::Cow<'_, str> {
    crate::clean::line(text, crate::clean::MESSAGE_CHARS)
}

/// Writes the files whose last read failed: a count, then one line per file with its first
/// failure.
fn write_failures(out: &mut impl Write, stats: &IndexStats, layout: Layout) -> io::Result<()> {
    let write = |out: &mut _, text: &str| write_paragraph(out, text, layout, LABEL);
    if stats.failures.is_empty() {
        return write(out, "failed:     none");
    }
    let inputs: usize = stats.failures.iter().map(|f| f.count).sum();
    let files = match stats.failed_files {
        1 => "1 file".to_string(),
        n => format!("{n} files"),
    };
    let inputs = match inputs {
        1 => "1 input".to_string(),
        n => format!("{n} inputs"),
    };
    write(
        out,
        &format!("failed:     {files}, {inputs} (rasd index reports them until they change)"),
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
        // Escaped as the error lines of `rasd index` show them: a control character in a
        // name is seen, not run, nor dropped with what follows.
        let (path, reason) = (message(&file.path), message(reason));
        let text = format!("{path}{line}: {reason}{more}");
        write(out, &format!("{:LABEL$}{text}", ""))?;
    }
    Ok(())
}

/// Writes what the last run could not read, one line each, when there is any: every run
/// fails until one reads it.
fn write_unreadable(out: &mut impl Write, stats: &IndexStats, layout: Layout) -> io::Result<()> {
    for (i, path) in stats.unreadable.iter().enumerate() {
        let label = if i == 0 { "unreadable:" } else { "" };
        let text = format!(
            "{label:LABEL$}{}: {}",
            message(&path.path),
            message(&path.reason)
        );
        write_paragraph(out, &text, layout, LABEL)?;
    }
    Ok(())
}

/// The width of the labels (`languages:  `): continuation lines are indented by as much.
const LABEL: usize = 12;

/// Writes index statistics for a person, each line laid out by `layout` under its label.
pub fn write_stats_text(
    out: &mut impl Write,
    stats: &IndexStats,
    layout: Layout,
) -> io::Result<()> {
    let layout = layout.for_facts();
    let list = |pairs: &[(String, u64)]| counts_list(pairs, layout);
    let mut line = |label: &str, value: &str| {
        write_paragraph(out, &format!("{label:<LABEL$}{value}"), layout, LABEL)
    };
    line("index:", &field(&stats.index_path))?;
    line("articles:", &stats.documents.to_string())?;
    line("languages:", &list(&stats.languages))?;
    line("sources:", &list(&stats.sources))?;
    line("years:", &list(&stats.years))?;
    line("tags:", &list(&stats.tags))?;
    match (&stats.first_date, &stats.last_date) {
        (Some(first), Some(last)) => line("dates:", &format!("{first} to {last}"))?,
        _ => line("dates:", "none")?,
    }
    line("size:", &size(stats.size_bytes))?;
    write_failures(out, stats, layout)?;
    write_unreadable(out, stats, layout)?;
    let schema = format!("{} v{}", stats.schema, stats.schema_version);
    write_paragraph(
        out,
        &format!("{:<LABEL$}{schema}", "schema:"),
        layout,
        LABEL,
    )
}

/// Writes which configuration file `rasd` read (`read`), or where it looked for one.
pub fn write_config_line(
    out: &mut impl Write,
    path: &str,
    read: bool,
    layout: Layout,
) -> io::Result<()> {
    let path = field(path);
    let value = if read {
        path.into_owned()
    } else {
        format!("none ({path} does not exist)")
    };
    let line = format!("{:<LABEL$}{value}", "config:");
    write_paragraph(out, &line, layout.for_facts(), LABEL)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::output::LineOrder;

    fn stats() -> IndexStats {
        let pairs = |names: &[&str]| -> Vec<(String, u64)> {
            names.iter().map(|n| (n.to_string(), 3)).collect()
        };
        IndexStats {
            documents: 46,
            index_path: "/home/analyst/.local/share/rasd/index".to_string(),
            size_bytes: 267_673,
            languages: pairs(&["ar", "en", "fr"]),
            sources: pairs(&[
                "Le Journal du Détroit",
                "المرصد الأمني",
                "صدى الوطن",
                "Gulf Monitor",
            ]),
            years: pairs(&["2016", "2018"]),
            tags: pairs(&[
                "arrests",
                "border-security",
                "money-laundering",
                "terrorism",
                "drugs",
            ]),
            first_date: Some("2016-03-12".to_string()),
            last_date: Some("2025-06-11".to_string()),
            schema: "rasd-news".to_string(),
            schema_version: 4,
            failed_files: 0,
            failures: vec![],
            unreadable: vec![],
        }
    }

    fn written(layout: Layout) -> String {
        let mut out = Vec::new();
        write_stats_text(&mut out, &stats(), layout).unwrap();
        String::from_utf8(out).unwrap()
    }

    #[test]
    fn lines_wrap_under_their_label_between_items() {
        let layout = Layout {
            width: Some(40),
            ..Layout::default()
        };
        let text = written(layout);
        for line in text.lines() {
            assert!(line.chars().count() <= 40, "{line:?}");
            // A continuation line hangs under the values, and starts with a whole item.
            if line.starts_with(' ') {
                assert!(line.starts_with(&" ".repeat(LABEL)), "{text}");
            }
            assert!(!line.contains('\u{a0}'), "{line:?}");
        }
        let sources: String = text
            .split("sources:")
            .nth(1)
            .unwrap()
            .split("years:")
            .next()
            .unwrap()
            .split_whitespace()
            .collect::<Vec<_>>()
            .join(" ");
        assert_eq!(
            sources,
            "Le Journal du Détroit 3, المرصد الأمني 3, صدى الوطن 3, Gulf Monitor 3"
        );
        // Each item whole on one line.
        for item in [
            "Le Journal du Détroit 3",
            "المرصد الأمني 3",
            "صدى الوطن 3",
            "money-laundering 3",
        ] {
            assert!(text.lines().any(|l| l.contains(item)), "{item}: {text}");
        }
        // Unwrapped, each statistic is one line, as before.
        assert_eq!(written(Layout::default()).lines().count(), 10);
    }

    #[test]
    fn what_the_last_run_could_not_read_is_listed_under_its_label() {
        let mut stats = stats();
        stats.unreadable = ["/srv/archive/fr", "/srv/archive/en"]
            .map(|path| crate::stats::UnreadableStats {
                path: path.to_string(),
                reason: "cannot read: Permission denied (os error 13)".to_string(),
            })
            .to_vec();
        let mut out = Vec::new();
        write_stats_text(&mut out, &stats, Layout::default()).unwrap();
        let text = String::from_utf8(out).unwrap();
        assert!(
            text.contains(
                "unreadable: /srv/archive/fr: cannot read: Permission denied (os error 13)\n            /srv/archive/en: "
            ),
            "{text}"
        );
        // None: no line.
        assert!(!written(Layout::default()).contains("unreadable"));
        // A control character in a name is shown escaped, as on the error lines.
        stats.unreadable[0].path = "/srv/\u{1b}[2Jarchive".into();
        let mut out = Vec::new();
        write_stats_text(&mut out, &stats, Layout::default()).unwrap();
        let text = String::from_utf8(out).unwrap();
        assert!(text.contains("/srv/\\u{1b}[2Jarchive"), "{text}");
        assert!(!text.contains('\u{1b}'), "{text}");
    }

    #[test]
    fn in_visual_order_counts_stay_after_arabic_values() {
        let layout = Layout {
            order: LineOrder::Visual,
            ..Layout::default()
        };
        let text = written(layout);
        let line = text.lines().find(|l| l.starts_with("sources:")).unwrap();
        // Left to right: the value's letters reversed, then its count after it on the left
        // of the next item, as in "3 ينمألا دصرملا", each item in its place in the list.
        let reversed = |s: &str| s.chars().rev().collect::<String>();
        assert_eq!(
            line,
            format!(
                "sources:    Le Journal du Détroit 3, 3 {}, 3 {}, Gulf Monitor 3",
                reversed("المرصد الأمني"),
                reversed("صدى الوطن")
            )
        );
    }
}
