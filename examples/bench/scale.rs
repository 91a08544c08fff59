//! The scale curve (`scripts/bench.sh --only scale`): how indexing, the index, memory and
//! searches grow with the archive.
//!
//! At each of `--scale`'s sizes (200,000, 500,000 and 1,000,000 articles unless given), a
//! corpus of its own from the same generator and seed (JSON Lines, generated once and reused):
//! indexed `--runs` times (wall and CPU time, MB/s of text, index size and segments, peak
//! resident memory from `wait4`, peak anonymous and file-mapped memory sampled from `/proc`,
//! whose samples go to `target/bench/scale-memory-SIZE.csv`), indexed again unchanged `--runs`
//! times (the no-change re-index, on the JSON Lines files), and searched with the benchmark's
//! query set, one new `rasd search` process per query and repetition. The index is deleted
//! before the next size. Prints a table per measure and writes a log-log plot of each against
//! the archive's size to `target/bench/scale.svg`.

use std::io::Write;
use std::path::Path;
use std::process::Command;

use plotters::prelude::*;
use rasd::stats::folder_size;
use rasd::store::RasdIndex;
use serde::Serialize;

use super::{
    Latency, Measured, Options, Results, corpus, measure, median, search_process_variants, step,
    text_bytes,
};

/// The sizes measured when `--scale` is not given.
pub const DEFAULT_SIZES: &[usize] = &[200_000, 500_000, 1_000_000];

/// rasd's default `--memory`, which the runs use: the budget memory is checked against.
const MEMORY_BUDGET_MB: f64 = 256.0;

/// One archive size of the curve.
#[derive(Serialize, Default, Clone)]
pub struct ScalePoint {
    docs: usize,
    text_mb: f64,
    index_seconds: f64,
    index_cpu_seconds: f64,
    text_mb_per_second: f64,
    index_mb: f64,
    segments: usize,
    /// Peak resident set from `wait4`: anonymous and file-mapped together.
    peak_rss_mb: f64,
    peak_anon_mb: f64,
    peak_file_mb: f64,
    /// Seconds into the (median) run when the file-mapped and anonymous peaks came.
    peak_file_at_seconds: f64,
    peak_anon_at_seconds: f64,
    reindex_seconds: f64,
    reindex_cpu_seconds: f64,
    search: Latency,
    search_cpu: Latency,
}

/// Measures every size of `--scale` in turn; writes the plot.
pub fn curve(options: &Options) -> Result<Vec<ScalePoint>, String> {
    std::fs::create_dir_all(&options.work).map_err(|e| e.to_string())?;
    let mut points = Vec::new();
    let partial = options.work.join("scale-partial.json");
    for &docs in &options.scale {
        points.push(point(options, docs)?);
        // The sizes measured so far, should a later (longer) one fail.
        let json = serde_json::to_string_pretty(&points).map_err(|e| e.to_string())?;
        std::fs::write(&partial, json)
            .map_err(|e| format!("cannot write {}: {e}", partial.display()))?;
    }
    let plot = options.work.join("scale.svg");
    match draw(&points, &plot) {
        Ok(()) => step(&format!("plot written to {}", plot.display())),
        Err(e) => step(&format!("no plot: {e}")),
    }
    Ok(points)
}

fn point(options: &Options, docs: usize) -> Result<ScalePoint, String> {
    let jsonl = corpus(options, "jsonl", docs)?;
    let text = text_bytes(&jsonl)?;
    let index = options.work.join(format!("index-scale-{docs}"));
    let index_once = || {
        measure(
            Command::new(&options.rasd)
                .arg("--index")
                .arg(&index)
                .args(["index", "-q"])
                .arg(&jsonl),
        )
        .and_then(|m| {
            m.success
                .then_some(m)
                .ok_or_else(|| format!("indexing {} failed", jsonl.display()))
        })
    };
    let mut builds: Vec<Measured> = Vec::new();
    for run in 1..=options.runs {
        step(&format!(
            "{docs} articles: indexing, run {run}/{}",
            options.runs
        ));
        let _ = std::fs::remove_dir_all(&index);
        builds.push(index_once()?);
    }
    let mut reindexes = Vec::new();
    for run in 1..=options.runs {
        step(&format!(
            "{docs} articles: re-indexing unchanged, run {run}/{}",
            options.runs
        ));
        reindexes.push(index_once()?);
    }
    builds.sort_by_key(|m| m.wall);
    let build = &builds[builds.len() / 2];
    write_timeline(
        build,
        &options.work.join(format!("scale-memory-{docs}.csv")),
    )?;
    let segments = RasdIndex::open(&index)
        .map_err(|e| e.to_string())?
        .index
        .searchable_segment_ids()
        .map_err(|e| e.to_string())?
        .len();
    let index_bytes = folder_size(&index) as f64;

    step(&format!(
        "{docs} articles: searching, one process per query"
    ));
    let rasd = options.rasd.as_path();
    let (search, search_cpu) = search_process_variants(options, &[(rasd, &[], &index)])?
        .pop()
        .ok_or("no search measured")?;
    let _ = std::fs::remove_dir_all(&index);

    let seconds = |m: &[Measured], cpu: bool| {
        let values: Vec<f64> = m
            .iter()
            .map(|m| if cpu { m.cpu } else { m.wall }.as_secs_f64())
            .collect();
        median(&values)
    };
    let peak_at = |pick: fn(&(f64, u64, u64)) -> u64| {
        build
            .memory
            .iter()
            .max_by_key(|s| pick(s))
            .map_or(0.0, |s| s.0)
    };
    let mb = |bytes: u64| bytes as f64 / 1e6;
    let wall = build.wall.as_secs_f64();
    Ok(ScalePoint {
        docs,
        text_mb: text as f64 / 1e6,
        index_seconds: wall,
        index_cpu_seconds: build.cpu.as_secs_f64(),
        text_mb_per_second: text as f64 / 1e6 / wall,
        index_mb: index_bytes / 1e6,
        segments,
        peak_rss_mb: mb(build.peak_rss_bytes),
        peak_anon_mb: mb(build.peak_anon_bytes),
        peak_file_mb: mb(build.peak_file_bytes),
        peak_file_at_seconds: peak_at(|s| s.2),
        peak_anon_at_seconds: peak_at(|s| s.1),
        reindex_seconds: seconds(&reindexes, false),
        reindex_cpu_seconds: seconds(&reindexes, true),
        search,
        search_cpu,
    })
}

/// The memory samples of an indexing run as CSV: seconds, anonymous MB, file-mapped MB.
fn write_timeline(run: &Measured, path: &Path) -> Result<(), String> {
    let mut out = String::from("seconds,anonymous_mb,file_mapped_mb\n");
    for (at, anon, file) in &run.memory {
        out.push_str(&format!(
            "{at:.2},{:.1},{:.1}\n",
            *anon as f64 / 1e6,
            *file as f64 / 1e6
        ));
    }
    std::fs::File::create(path)
        .and_then(|mut f| f.write_all(out.as_bytes()))
        .map_err(|e| format!("cannot write {}: {e}", path.display()))
}

/// The curve as Markdown: one row per size, then searches per query class, then the targets
/// at the largest size.
pub fn report(results: &Results) -> String {
    let points = &results.scale;
    let mut out = format!(
        "Scale: {}; `--memory {MEMORY_BUDGET_MB}` (the default); indexing medians of {} runs, \
         {} repetitions per query.\n\n",
        results.machine, results.runs, results.repeat
    );
    let Some(first) = points.first() else {
        return out;
    };
    out.push_str(
        "| articles | text | indexing wall (CPU) | MB/s (per CPU second) | index | segments | peak RSS | \
         peak anonymous | peak file-mapped | no-change re-index wall (CPU) | search p50 | search p99 | \
         search CPU p50 / p99 |\n",
    );
    out.push_str(
        "| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |\n",
    );
    for p in points {
        out.push_str(&format!(
            "| {} | {:.0} MB | {:.0} s ({:.0} s) | {:.1} ({:.1}) | {:.0} MB ({:.0}%) | {} | {:.0} MB | \
             {:.0} MB | {:.0} MB | {:.2} s ({:.2} s) | {:.1} ms | {:.1} ms | {:.1} / {:.1} ms |\n",
            p.docs,
            p.text_mb,
            p.index_seconds,
            p.index_cpu_seconds,
            p.text_mb_per_second,
            p.text_mb / p.index_cpu_seconds,
            p.index_mb,
            100.0 * p.index_mb / p.text_mb,
            p.segments,
            p.peak_rss_mb,
            p.peak_anon_mb,
            p.peak_file_mb,
            p.reindex_seconds,
            p.reindex_cpu_seconds,
            p.search.p50_ms,
            p.search.p99_ms,
            p.search_cpu.p50_ms,
            p.search_cpu.p99_ms,
        ));
    }
    out.push_str(
        "\nSearch, new process, top 10 with snippets: p50 / p99 per query class (wall).\n\n",
    );
    out.push_str("| query class |");
    for p in points {
        out.push_str(&format!(" {} |", p.docs));
    }
    out.push_str("\n| --- |");
    out.push_str(&" ---: |".repeat(points.len()));
    out.push('\n');
    for kind in first.search.by_kind_ms.keys() {
        out.push_str(&format!("| {kind} |"));
        for p in points {
            let p50 = p.search.by_kind_ms.get(kind).copied().unwrap_or(f64::NAN);
            let p99 = p
                .search
                .p99_by_kind_ms
                .get(kind)
                .copied()
                .unwrap_or(f64::NAN);
            out.push_str(&format!(" {p50:.1} / {p99:.1} ms |"));
        }
        out.push('\n');
    }
    let last = points.last().unwrap_or(first);
    let growth = last.docs as f64 / first.docs as f64;
    out.push_str(&format!(
        "\n{:.1}× the articles: indexing MB/s ×{:.2} (per CPU second ×{:.2}), index ×{:.2}, peak RSS ×{:.2}, \
         no-change re-index ×{:.2}, search p50 ×{:.2}, p99 ×{:.2} (CPU p50 ×{:.2}, p99 ×{:.2}).\n",
        growth,
        last.text_mb_per_second / first.text_mb_per_second,
        (last.text_mb / last.index_cpu_seconds) / (first.text_mb / first.index_cpu_seconds),
        last.index_mb / first.index_mb,
        last.peak_rss_mb / first.peak_rss_mb,
        last.reindex_seconds / first.reindex_seconds,
        last.search.p50_ms / first.search.p50_ms,
        last.search.p99_ms / first.search.p99_ms,
        last.search_cpu.p50_ms / first.search_cpu.p50_ms,
        last.search_cpu.p99_ms / first.search_cpu.p99_ms,
    ));
    let check = |ok: bool| if ok { "✓" } else { "✗" };
    let speed = last.text_mb_per_second / first.text_mb_per_second;
    out.push_str(&format!(
        "\n| target at {} articles | measured | |\n| --- | --- | --- |\n",
        last.docs
    ));
    out.push_str(&format!(
        "| indexing MB/s within 15% of {} articles' | {:.1} vs {:.1} ({:+.0}%) | {} |\n",
        first.docs,
        last.text_mb_per_second,
        first.text_mb_per_second,
        100.0 * (speed - 1.0),
        check(speed >= 0.85)
    ));
    out.push_str(&format!(
        "| memory within `--memory {MEMORY_BUDGET_MB}` (anonymous peak, as the main benchmark counts it; RSS also counts mapped pages of the index's files) | {:.0} MB (RSS {:.0} MB, file-mapped {:.0} MB) | {} |\n",
        last.peak_anon_mb,
        last.peak_rss_mb,
        last.peak_file_mb,
        check(last.peak_anon_mb <= MEMORY_BUDGET_MB)
    ));
    out.push_str(&format!(
        "| search p50 ≤ 8 ms (new process) | {:.1} ms | {} |\n",
        last.search.p50_ms,
        check(last.search.p50_ms <= 8.0)
    ));
    out.push_str(&format!(
        "| search p99 ≤ 40 ms (new process) | {:.1} ms | {} |\n",
        last.search.p99_ms,
        check(last.search.p99_ms <= 40.0)
    ));
    out
}

/// One panel of the plot: a measure's title and its series (a name, a value per size).
type Panel = (&'static str, Vec<(String, Vec<f64>)>);

/// A log-log plot of each measure against the number of articles, one panel per measure.
fn draw(points: &[ScalePoint], path: &Path) -> Result<(), String> {
    let series = |name: &str, f: &dyn Fn(&ScalePoint) -> f64| {
        (name.to_string(), points.iter().map(f).collect::<Vec<f64>>())
    };
    let mut p50_by_kind = Vec::new();
    let mut p99_by_kind = Vec::new();
    if let Some(first) = points.first() {
        for kind in first.search.by_kind_ms.keys() {
            p50_by_kind.push(series(kind, &|p| {
                p.search.by_kind_ms.get(kind).copied().unwrap_or(f64::NAN)
            }));
            p99_by_kind.push(series(kind, &|p| {
                p.search
                    .p99_by_kind_ms
                    .get(kind)
                    .copied()
                    .unwrap_or(f64::NAN)
            }));
        }
    }
    p50_by_kind.push(series("all queries", &|p| p.search.p50_ms));
    p99_by_kind.push(series("all queries", &|p| p.search.p99_ms));
    let panels: Vec<Panel> = vec![
        (
            "indexing, MB/s of text",
            vec![series("MB/s", &|p| p.text_mb_per_second)],
        ),
        (
            "index size and text, MB",
            vec![
                series("index", &|p| p.index_mb),
                series("text", &|p| p.text_mb),
            ],
        ),
        (
            "peak memory while indexing, MB",
            vec![
                series("RSS", &|p| p.peak_rss_mb),
                series("anonymous", &|p| p.peak_anon_mb),
                series("file-mapped", &|p| p.peak_file_mb),
            ],
        ),
        (
            "indexing and no-change re-index, s",
            vec![
                series("indexing", &|p| p.index_seconds),
                series("re-index", &|p| p.reindex_seconds),
            ],
        ),
        ("search p50 per query class, ms", p50_by_kind),
        ("search p99 per query class, ms", p99_by_kind),
    ];
    let docs: Vec<f64> = points.iter().map(|p| p.docs as f64).collect();
    let root = SVGBackend::new(path, (1200, 1300)).into_drawing_area();
    root.fill(&WHITE).map_err(|e| e.to_string())?;
    for (area, (title, lines)) in root.split_evenly((3, 2)).iter().zip(&panels) {
        panel(area, title, &docs, lines).map_err(|e| format!("{title}: {e}"))?;
    }
    root.present()
        .map_err(|e| format!("cannot write {}: {e}", path.display()))
}

fn panel<DB: DrawingBackend>(
    area: &DrawingArea<DB, plotters::coord::Shift>,
    title: &str,
    docs: &[f64],
    lines: &[(String, Vec<f64>)],
) -> Result<(), Box<dyn std::error::Error>>
where
    DB::ErrorType: 'static,
{
    let values = lines
        .iter()
        .flat_map(|(_, v)| v)
        .copied()
        .filter(|v| v.is_finite() && *v > 0.0);
    let (low, high) = values.fold((f64::MAX, f64::MIN), |(l, h), v| (l.min(v), h.max(v)));
    let (low, high) = if low <= high {
        (low / 1.5, high * 1.5)
    } else {
        (0.1, 10.0)
    };
    let x_low = docs.first().copied().unwrap_or(1.0) / 1.2;
    let x_high = docs.last().copied().unwrap_or(10.0) * 1.2;
    let mut chart = ChartBuilder::on(area)
        .caption(title, ("sans-serif", 20))
        .margin(12)
        .x_label_area_size(40)
        .y_label_area_size(60)
        .build_cartesian_2d((x_low..x_high).log_scale(), (low..high).log_scale())?;
    chart
        .configure_mesh()
        .x_desc("articles (log)")
        .y_desc("(log)")
        .x_label_formatter(&|x| format!("{:.0}k", x / 1000.0))
        .y_label_formatter(&|y| match *y {
            y if y >= 10.0 => format!("{y:.0}"),
            y if y >= 1.0 => format!("{y:.1}"),
            y => format!("{y:.2}"),
        })
        .draw()?;
    for (i, (name, values)) in lines.iter().enumerate() {
        let colour = Palette99::pick(i).to_rgba();
        let line: Vec<(f64, f64)> = docs
            .iter()
            .zip(values)
            .filter(|(_, v)| v.is_finite() && **v > 0.0)
            .map(|(&x, &y)| (x, y))
            .collect();
        chart
            .draw_series(LineSeries::new(line.clone(), colour.stroke_width(2)))?
            .label(name.as_str())
            .legend(move |(x, y)| PathElement::new(vec![(x, y), (x + 16, y)], colour));
        chart.draw_series(line.iter().map(|&p| Circle::new(p, 3, colour.filled())))?;
    }
    chart
        .configure_series_labels()
        .background_style(WHITE.mix(0.8))
        .border_style(BLACK)
        .label_font(("sans-serif", 12))
        .position(SeriesLabelPosition::UpperLeft)
        .draw()?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::BTreeMap;

    fn by_kind(pairs: &[(&str, f64)]) -> BTreeMap<String, f64> {
        pairs.iter().map(|&(k, v)| (k.to_string(), v)).collect()
    }

    fn point(docs: usize, p50: f64) -> ScalePoint {
        ScalePoint {
            docs,
            text_mb: docs as f64 / 400.0,
            index_seconds: docs as f64 / 5000.0,
            index_cpu_seconds: docs as f64 / 2500.0,
            text_mb_per_second: 12.5,
            index_mb: docs as f64 / 450.0,
            segments: 1,
            peak_rss_mb: 200.0,
            peak_anon_mb: 150.0,
            peak_file_mb: 40.0,
            reindex_seconds: 0.1,
            search: Latency {
                p50_ms: p50,
                p99_ms: 4.0 * p50,
                by_kind_ms: by_kind(&[("arabic term", p50)]),
                p99_by_kind_ms: by_kind(&[("arabic term", 3.0 * p50)]),
                ..Latency::default()
            },
            ..ScalePoint::default()
        }
    }

    #[test]
    fn the_report_shows_every_size_and_the_growth() {
        let results = Results {
            scale: vec![point(200_000, 5.0), point(1_000_000, 10.0)],
            ..Results::default()
        };
        let text = report(&results);
        assert!(text.contains("| 200000 |"), "{text}");
        assert!(text.contains("| 1000000 |"), "{text}");
        assert!(
            text.contains("| arabic term | 5.0 / 15.0 ms | 10.0 / 30.0 ms |"),
            "{text}"
        );
        assert!(text.contains("search p50 ×2.00"), "{text}");
        assert!(
            text.contains("| search p50 ≤ 8 ms (new process) | 10.0 ms | ✗ |"),
            "{text}"
        );
    }

    #[test]
    fn the_plot_is_an_svg_with_a_panel_per_measure() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("scale.svg");
        draw(&[point(200_000, 5.0), point(500_000, 7.0)], &path).unwrap();
        let svg = std::fs::read_to_string(&path).unwrap();
        assert!(svg.starts_with("<svg"), "{}", &svg[..100]);
        for title in ["indexing, MB/s of text", "search p99 per query class, ms"] {
            assert!(svg.contains(title), "no panel `{title}`");
        }
    }
}
