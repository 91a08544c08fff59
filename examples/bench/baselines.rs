//! Baselines a user would pick instead of rasd, measured in the same run as rasd on the same
//! JSON Lines corpus, for each vocabulary (`--vocabulary narrow|wide|both`):
//!
//! - tantivy on one view: `examples/tantivy-one-view.rs`, a title and a body field, stored,
//!   with positions, tantivy's default tokenizer; its search processes too (top 10, a
//!   snippet each, the total count);
//! - Lucene 8 with its language analyzers (`bench/lucene/LuceneIndex.java`, compiled here
//!   with Debian's `liblucene8-java` jars, which are installed with apt-get when missing and
//!   this runs as root; otherwise skipped with a note).
//!
//! With `--baseline RASD`, that rasd indexes the corpus too, in the same rotation, and its
//! index is broken down by view beside rasd's (`sizes.rs`).
//!
//! Each run indexes with every engine in turn, the order rotating from run to run, so that a
//! change of load on a shared machine weighs on all alike; each is a process of its own, timed
//! as `rasd index` is (wall and CPU time, peak RSS and anonymous memory, index size).

use std::collections::BTreeMap;
use std::path::PathBuf;
use std::process::{Command, Stdio};

use serde::Serialize;

use super::{Latency, Measured, Options, QUERIES, latency, measure, median, step};
use rasd::stats::folder_size;
use rasd::store::memory::MemoryBudget;

/// `rasd index`'s default `--memory`, which every engine is given the equivalent of.
const MEMORY_MB: usize = 256;

/// The corpora the comparison runs on (`--vocabulary`).
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Vocabularies {
    Narrow,
    Wide,
    Both,
}

impl Vocabularies {
    pub fn parse(value: &str) -> Result<Vocabularies, String> {
        match value {
            "narrow" => Ok(Vocabularies::Narrow),
            "wide" => Ok(Vocabularies::Wide),
            "both" => Ok(Vocabularies::Both),
            other => Err(format!(
                "--vocabulary: `{other}` is not narrow, wide or both"
            )),
        }
    }

    fn names(self) -> &'static [&'static str] {
        match self {
            Vocabularies::Narrow => &["narrow"],
            Vocabularies::Wide => &["wide"],
            Vocabularies::Both => &["narrow", "wide"],
        }
    }
}

/// One engine's indexing of a corpus: medians over the runs.
#[derive(Serialize, Default, Clone)]
pub struct EngineIndexing {
    pub engine: String,
    pub wall_seconds: f64,
    /// User and system CPU time.
    pub cpu_seconds: f64,
    pub text_mb_per_second: f64,
    pub peak_rss_mb: f64,
    pub peak_anon_mb: f64,
    pub index_mb: f64,
    pub index_percent_of_text: f64,
}

/// The engines compared on one corpus.
#[derive(Serialize, Default, Clone)]
pub struct CorpusComparison {
    pub vocabulary: String,
    pub docs: usize,
    pub text_mb: f64,
    /// Distinct Arabic surface forms, as `gen-corpus` counted them.
    pub arabic_surface_forms: Option<usize>,
    pub runs: usize,
    pub writer_threads: usize,
    pub rasd: EngineIndexing,
    pub tantivy_one_view: EngineIndexing,
    /// `None` when Lucene could not be installed or compiled (see `lucene_note`).
    pub lucene: Option<EngineIndexing>,
    pub lucene_note: Option<String>,
    /// `--baseline RASD`'s indexing of the same corpus, in the same rotation.
    pub rasd_baseline: Option<EngineIndexing>,
    /// rasd's index by view, and the baseline's.
    pub sizes: super::sizes::IndexBytes,
    pub sizes_baseline: Option<super::sizes::IndexBytes>,
    /// Search processes on the same queries, alternating: rasd's and tantivy one-view's
    /// (wall, CPU).
    pub search_rasd: Latency,
    pub search_rasd_cpu: Latency,
    pub search_tantivy_one_view: Latency,
    pub search_tantivy_one_view_cpu: Latency,
    /// A JVM started and stopped (`java -version`), median: what each Lucene search process
    /// would pay before its search.
    pub jvm_start_ms: Option<f64>,
}

/// The query kinds both engines understand alike (no dates, no glossary).
fn comparable(kind: &str) -> bool {
    !matches!(kind, "date filter" | "cross-language")
}

/// A JSON Lines corpus of `vocabulary`, generated once (the narrow one is the benchmark's
/// usual corpus); with its distinct Arabic surface forms when this run generated it.
fn corpus(options: &Options, vocabulary: &str) -> Result<(PathBuf, Option<usize>), String> {
    let name = match vocabulary {
        "narrow" => format!("corpus-jsonl-{}", options.docs),
        _ => format!("corpus-jsonl-{}-{vocabulary}", options.docs),
    };
    let dir = options.work.join(name);
    let forms_file = dir.join(".arabic-forms");
    let forms = || {
        std::fs::read_to_string(&forms_file)
            .ok()
            .and_then(|t| t.trim().parse().ok())
    };
    if dir.join(".complete").exists() {
        return Ok((dir, forms()));
    }
    step(&format!(
        "generating {} articles ({vocabulary} vocabulary) in {}",
        options.docs,
        dir.display()
    ));
    let _ = std::fs::remove_dir_all(&dir);
    let output = Command::new(&options.gen_corpus)
        .args(["--docs", &options.docs.to_string(), "--seed", "1"])
        .args(["--format", "jsonl", "--vocabulary", vocabulary, "--out"])
        .arg(&dir)
        .stderr(Stdio::piped())
        .output()
        .map_err(|e| format!("cannot run {}: {e}", options.gen_corpus.display()))?;
    let summary = String::from_utf8_lossy(&output.stderr);
    if !output.status.success() {
        return Err(format!("gen-corpus failed: {}", summary.trim()));
    }
    // "…, 277938 distinct Arabic surface forms, …"
    if let Some(n) = summary
        .split(", ")
        .find_map(|part| part.strip_suffix(" distinct Arabic surface forms"))
    {
        std::fs::write(&forms_file, n).map_err(|e| e.to_string())?;
    }
    std::fs::write(dir.join(".complete"), "").map_err(|e| e.to_string())?;
    Ok((dir, forms()))
}

/// The Lucene indexer, compiled: the classpath to run it with, or why it cannot run.
fn lucene(options: &Options) -> Result<String, String> {
    let jar = |prefix: &str| -> Option<PathBuf> {
        let mut found: Vec<PathBuf> = std::fs::read_dir("/usr/share/java")
            .ok()?
            .filter_map(|e| e.ok().map(|e| e.path()))
            .filter(|p| {
                p.file_name()
                    .and_then(|n| n.to_str())
                    .is_some_and(|n| n.starts_with(prefix) && n.ends_with(".jar"))
            })
            .collect();
        found.sort();
        found.pop()
    };
    let jars = || Some((jar("lucene-core-8")?, jar("lucene-analyzers-common-8")?));
    let is_root = Command::new("id")
        .arg("-u")
        .output()
        .is_ok_and(|o| o.stdout.starts_with(b"0\n"));
    if jars().is_none() && is_root {
        step("installing liblucene8-java with apt-get");
        let installed = Command::new("apt-get")
            .args([
                "install",
                "-y",
                "-q",
                "--no-install-recommends",
                "liblucene8-java",
            ])
            .env("DEBIAN_FRONTEND", "noninteractive")
            .stdout(Stdio::null())
            .status()
            .is_ok_and(|s| s.success());
        if !installed {
            return Err("apt-get install liblucene8-java failed".into());
        }
    }
    let Some((core, analyzers)) = jars() else {
        return Err(
            "Lucene 8 jars not in /usr/share/java (apt-get install liblucene8-java, as root)"
                .into(),
        );
    };
    let classes = options.work.join("lucene-classes");
    std::fs::create_dir_all(&classes).map_err(|e| e.to_string())?;
    let classpath = format!("{}:{}", core.display(), analyzers.display());
    let compiled = Command::new("javac")
        .arg("-d")
        .arg(&classes)
        .args(["-cp", &classpath, "bench/lucene/LuceneIndex.java"])
        .status()
        .map_err(|e| format!("no javac (a JDK is needed): {e}"))?;
    if !compiled.success() {
        return Err("javac bench/lucene/LuceneIndex.java failed".into());
    }
    Ok(format!("{classpath}:{}", classes.display()))
}

/// The Java heap Lucene is given: twice `--memory`, room for its indexing buffer.
const JVM_HEAP_MB: usize = 2 * MEMORY_MB;

/// Indexes `corpus` with each engine, `--runs` times in rotating order, then times the
/// search processes of rasd and of tantivy one-view on their indexes.
fn compare(
    options: &Options,
    vocabulary: &str,
    lucene_classpath: &Result<String, String>,
) -> Result<CorpusComparison, String> {
    let (corpus, forms) = corpus(options, vocabulary)?;
    let text = super::text_bytes(&corpus)?;
    let budget = MemoryBudget::new(MEMORY_MB);
    let index = |engine: &str| options.work.join(format!("index-{engine}-{vocabulary}"));
    let one_view = options.gen_corpus.with_file_name("tantivy-one-view");
    let lucene_ram_mb = budget.writer_bytes / 1_000_000;
    let mut engines: Vec<(&str, Command)> = Vec::new();
    let mut rasd = Command::new(&options.rasd);
    rasd.arg("--index")
        .arg(index("rasd"))
        .args(["index", "-q", "--memory", &MEMORY_MB.to_string()])
        .arg(&corpus);
    engines.push(("rasd", rasd));
    if let Some(baseline) = &options.baseline {
        let mut theirs = Command::new(baseline);
        theirs
            .arg("--index")
            .arg(index("rasd-baseline"))
            .args(["index", "-q", "--memory", &MEMORY_MB.to_string()])
            .arg(&corpus);
        engines.push(("rasd-baseline", theirs));
    }
    let mut tantivy = Command::new(&one_view);
    tantivy
        .arg("index")
        .arg(index("tantivy-one-view"))
        .arg(&corpus);
    engines.push(("tantivy-one-view", tantivy));
    if let Ok(classpath) = lucene_classpath {
        let mut java = Command::new("java");
        java.arg(format!("-Xmx{JVM_HEAP_MB}m"))
            .args(["-cp", classpath, "LuceneIndex"])
            .arg(index("lucene"))
            .arg(&corpus)
            .arg(budget.writer_threads.to_string())
            .arg(lucene_ram_mb.to_string());
        engines.push(("lucene", java));
    }
    let mut measured: Vec<Vec<Measured>> = engines.iter().map(|_| Vec::new()).collect();
    for run in 0..options.runs {
        for turn in 0..engines.len() {
            let i = (turn + run) % engines.len();
            let (name, command) = &mut engines[i];
            step(&format!(
                "{vocabulary} corpus: indexing with {name}, run {}/{}",
                run + 1,
                options.runs
            ));
            let _ = std::fs::remove_dir_all(index(name));
            let m = measure(command)?;
            if !m.success {
                return Err(format!(
                    "indexing the {vocabulary} corpus with {name} failed"
                ));
            }
            measured[i].push(m);
        }
    }
    let result = |i: usize| -> EngineIndexing {
        let runs = &measured[i];
        let of = |f: &dyn Fn(&Measured) -> f64| median(&runs.iter().map(f).collect::<Vec<_>>());
        let wall = of(&|m| m.wall.as_secs_f64());
        let size = folder_size(&index(engines[i].0)) as f64;
        EngineIndexing {
            engine: engines[i].0.to_string(),
            wall_seconds: wall,
            cpu_seconds: of(&|m| m.cpu.as_secs_f64()),
            text_mb_per_second: text as f64 / 1e6 / wall,
            peak_rss_mb: of(&|m| m.peak_rss_bytes as f64 / 1e6),
            peak_anon_mb: of(&|m| m.peak_anon_bytes as f64 / 1e6),
            index_mb: size / 1e6,
            index_percent_of_text: 100.0 * size / text as f64,
        }
    };
    let position = |name: &str| engines.iter().position(|(n, _)| *n == name);
    let sizes = |name: &str| super::sizes::measure(&index(name));
    let rasd_baseline = position("rasd-baseline");
    let mut comparison = CorpusComparison {
        sizes: sizes("rasd")?,
        sizes_baseline: rasd_baseline.map(|_| sizes("rasd-baseline")).transpose()?,
        rasd_baseline: rasd_baseline.map(result),
        vocabulary: vocabulary.to_string(),
        docs: options.docs,
        text_mb: text as f64 / 1e6,
        arabic_surface_forms: forms,
        runs: options.runs,
        writer_threads: budget.writer_threads,
        rasd: result(0),
        tantivy_one_view: result(position("tantivy-one-view").expect("always run")),
        lucene: position("lucene").map(result),
        lucene_note: lucene_classpath.as_ref().err().cloned(),
        ..CorpusComparison::default()
    };
    // Lucene's and the baseline's indexes are only measured; the other two are searched.
    let _ = std::fs::remove_dir_all(index("lucene"));
    let _ = std::fs::remove_dir_all(index("rasd-baseline"));
    step(&format!(
        "{vocabulary} corpus: search processes, rasd and tantivy one-view in turn"
    ));
    let mut samples: [Vec<(&str, &str, f64)>; 4] = Default::default();
    for repetition in 0..options.repeat {
        for &(kind, query) in QUERIES.iter().filter(|(kind, _)| comparable(kind)) {
            for turn in 0..2 {
                let engine = (turn + repetition) % 2;
                let mut command = if engine == 0 {
                    let mut c = Command::new(&options.rasd);
                    c.arg("--index")
                        .arg(index("rasd"))
                        .args(["search", "-n", "10", query]);
                    c
                } else {
                    let mut c = Command::new(&one_view);
                    c.arg("search").arg(index("tantivy-one-view")).arg(query);
                    c
                };
                let m = measure(&mut command)?;
                if !m.success {
                    return Err(format!("search `{query}` failed"));
                }
                samples[2 * engine].push((kind, query, m.wall.as_secs_f64() * 1e3));
                samples[2 * engine + 1].push((kind, query, m.cpu.as_secs_f64() * 1e3));
            }
        }
    }
    comparison.search_rasd = latency(&samples[0]);
    comparison.search_rasd_cpu = latency(&samples[1]);
    comparison.search_tantivy_one_view = latency(&samples[2]);
    comparison.search_tantivy_one_view_cpu = latency(&samples[3]);
    // Disk is shared: only rasd's index stays, for a later look (`space_usage`, profiles).
    let _ = std::fs::remove_dir_all(index("tantivy-one-view"));
    if lucene_classpath.is_ok() {
        let starts: Result<Vec<f64>, String> = (0..3)
            .map(|_| {
                measure(Command::new("java").arg("-version")).map(|m| m.wall.as_secs_f64() * 1e3)
            })
            .collect();
        comparison.jvm_start_ms = Some(median(&starts?));
    }
    Ok(comparison)
}

/// The comparison on each corpus `--vocabulary` names.
pub fn run(options: &Options) -> Result<Vec<CorpusComparison>, String> {
    let classpath = lucene(options);
    if let Err(note) = &classpath {
        step(&format!("Lucene skipped: {note}"));
    }
    options
        .vocabulary
        .names()
        .iter()
        .map(|vocabulary| compare(options, vocabulary, &classpath))
        .collect()
}

fn check(ok: bool) -> &'static str {
    if ok { "met" } else { "not met" }
}

/// The tables of one corpus: indexing by engine with ratios to rasd, search processes, and
/// issue 17's indexing targets.
fn report_corpus(c: &CorpusComparison, out: &mut String) {
    let mut line = |s: String| {
        out.push_str(&s);
        out.push('\n');
    };
    let forms = c.arabic_surface_forms.map_or_else(String::new, |n| {
        format!(", {n} distinct Arabic surface forms")
    });
    line(format!(
        "**{} vocabulary**: {} articles, {:.0} MB of text{forms}; medians of {} runs, engines \
         in rotating order; {} writer threads each (rasd `--memory {MEMORY_MB}`; tantivy \
         one-view the same threads and arenas; Lucene as many indexing threads, a RAM buffer \
         of rasd's arenas, `-Xmx{JVM_HEAP_MB}m`).\n",
        c.vocabulary, c.docs, c.text_mb, c.runs, c.writer_threads
    ));
    let mut engines: Vec<(&str, &EngineIndexing)> = vec![
        ("rasd", &c.rasd),
        (
            "tantivy, one view (title + body, default tokenizer)",
            &c.tantivy_one_view,
        ),
    ];
    if let Some(lucene) = &c.lucene {
        engines.push(("Lucene 8.7, Arabic/French/English analyzers", lucene));
    }
    if let Some(baseline) = &c.rasd_baseline {
        engines.push(("rasd `--baseline`", baseline));
    }
    // On a shared machine CPU time is far less disturbed than wall time: both are shown.
    line("| indexing | MB/s of text | wall | CPU (user+sys) | MB per CPU second | peak RSS | peak anonymous | index size | rasd's MB/s ÷ engine's (wall; CPU) | engine's index ÷ rasd's | engine's RSS ÷ rasd's |".into());
    line("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |".into());
    let r = &c.rasd;
    for (name, e) in &engines {
        line(format!(
            "| {name} | {:.1} | {:.1} s | {:.1} s | {:.1} | {:.0} MB | {:.0} MB | {:.0} MB ({:.0}% of text) | {:.2}×; {:.2}× | {:.2}× | {:.2}× |",
            e.text_mb_per_second,
            e.wall_seconds,
            e.cpu_seconds,
            c.text_mb / e.cpu_seconds,
            e.peak_rss_mb,
            e.peak_anon_mb,
            e.index_mb,
            e.index_percent_of_text,
            r.text_mb_per_second / e.text_mb_per_second,
            e.cpu_seconds / r.cpu_seconds,
            e.index_mb / r.index_mb,
            e.peak_rss_mb / r.peak_rss_mb,
        ));
    }
    if let Some(note) = &c.lucene_note {
        line(format!("\nLucene skipped: {note}."));
    }
    line(String::new());
    let text = (c.text_mb * 1e6) as u64;
    line(super::sizes::report(
        &c.sizes,
        c.sizes_baseline.as_ref(),
        text,
    ));
    let (rw, rc, tw, tc) = (
        &c.search_rasd,
        &c.search_rasd_cpu,
        &c.search_tantivy_one_view,
        &c.search_tantivy_one_view_cpu,
    );
    line("| search, new process, top 10 with snippets | rasd | tantivy one-view | rasd ÷ tantivy | rasd CPU | tantivy CPU |".into());
    line("| --- | ---: | ---: | ---: | ---: | ---: |".into());
    let row = |name: &str, f: &dyn Fn(&Latency) -> f64| {
        format!(
            "| {name} | {:.1} ms | {:.1} ms | {:.2}× | {:.1} ms | {:.1} ms |",
            f(rw),
            f(tw),
            f(rw) / f(tw),
            f(rc),
            f(tc)
        )
    };
    line(row("p50", &|l| l.p50_ms));
    line(row("p99", &|l| l.p99_ms));
    let kinds: BTreeMap<&String, ()> = rw.by_kind_ms.keys().map(|k| (k, ())).collect();
    for kind in kinds.keys() {
        line(row(&format!("{kind} (median)"), &|l| {
            l.by_kind_ms.get(*kind).copied().unwrap_or(f64::NAN)
        }));
    }
    if let Some(jvm) = c.jvm_start_ms {
        line(format!(
            "\nLucene's searches are not timed: a new JVM alone (`java -version`) takes {jvm:.0} ms \
             (rasd's whole search process: p50 {:.1} ms), so a search process would time the JVM; \
             Lucene's users keep it running in a server, which rasd is not.",
            rw.p50_ms
        ));
    }
    line(String::new());
    line("| target (issue 17, indexing) | measured | |".into());
    line("| --- | --- | --- |".into());
    if let Some(lucene) = &c.lucene {
        line(format!(
            "| indexing ≥ Lucene's MB/s | {:.1} against {:.1} MB/s ({:.2}×; by CPU time {:.2}×) | {} |",
            r.text_mb_per_second,
            lucene.text_mb_per_second,
            r.text_mb_per_second / lucene.text_mb_per_second,
            lucene.cpu_seconds / r.cpu_seconds,
            check(r.text_mb_per_second >= lucene.text_mb_per_second)
        ));
    }
    let ratio = r.text_mb_per_second / c.tantivy_one_view.text_mb_per_second;
    line(format!(
        "| indexing ≥ 0.75× tantivy one-view | {ratio:.2}× (by CPU time {:.2}×) | {} |",
        c.tantivy_one_view.cpu_seconds / r.cpu_seconds,
        check(ratio >= 0.75)
    ));
    line(format!(
        "| memory within `--memory {MEMORY_MB}` (anonymous peak; RSS also counts mapped index files) | {:.0} MB (RSS {:.0} MB) | {} |",
        r.peak_anon_mb,
        r.peak_rss_mb,
        check(r.peak_anon_mb <= MEMORY_MB as f64)
    ));
    line(format!(
        "| index ≤ 80% of text | {:.0}% | {} |",
        r.index_percent_of_text,
        check(r.index_percent_of_text <= 80.0)
    ));
}

/// The tables of every corpus compared.
pub fn report(comparisons: &[CorpusComparison]) -> String {
    let mut out = String::new();
    for c in comparisons {
        report_corpus(c, &mut out);
        out.push('\n');
    }
    out
}
