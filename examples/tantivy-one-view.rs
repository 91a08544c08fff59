//! The benchmark's "tantivy on one view" baseline: what a user who picks tantivy instead of
//! rasd would build. One title and one body field, stored, indexed with positions by tantivy's
//! default tokenizer (`TEXT | STORED`); no other views, no rasd analysis; tantivy's default
//! merge policy and doc store. `examples/bench/baselines.rs` runs it as a process of its own,
//! timed as `rasd index` and `rasd search` are.
//!
//! ```text
//! tantivy-one-view index INDEX CORPUS   # the JSON Lines files of CORPUS (title, body, id)
//! tantivy-one-view search INDEX QUERY   # top 10 with a snippet each, and the total count
//! ```
//!
//! Indexing uses as many writer threads, with the same arenas, as `rasd index` at its default
//! `--memory 256` (`rasd::store::memory::MemoryBudget`), so that the two compare on equal
//! terms; one thread reads and parses the files, as a simple program would.

use std::io::{BufRead, BufReader, Write};
use std::path::Path;
use std::process::ExitCode;

use rasd::store::memory::MemoryBudget;
use serde::Deserialize;
use tantivy::collector::{Count, TopDocs};
use tantivy::query::QueryParser;
use tantivy::schema::{STORED, STRING, Schema, TEXT, Value};
use tantivy::snippet::SnippetGenerator;
use tantivy::{Index, TantivyDocument, doc};

/// `rasd index`'s default `--memory`, in megabytes.
const RASD_DEFAULT_MEMORY_MB: usize = 256;

#[derive(Deserialize)]
struct Line {
    #[serde(default)]
    id: String,
    #[serde(default)]
    title: String,
    #[serde(default)]
    body: String,
}

fn index(index_dir: &Path, corpus: &Path) -> Result<u64, String> {
    let mut builder = Schema::builder();
    let id = builder.add_text_field("id", STRING | STORED);
    let title = builder.add_text_field("title", TEXT | STORED);
    let body = builder.add_text_field("body", TEXT | STORED);
    std::fs::create_dir_all(index_dir).map_err(|e| e.to_string())?;
    let index = Index::create_in_dir(index_dir, builder.build()).map_err(|e| e.to_string())?;
    let budget = MemoryBudget::new(RASD_DEFAULT_MEMORY_MB);
    let mut writer = index
        .writer_with_num_threads::<TantivyDocument>(budget.writer_threads, budget.writer_bytes)
        .map_err(|e| e.to_string())?;
    let mut files: Vec<_> = std::fs::read_dir(corpus)
        .map_err(|e| format!("{}: {e}", corpus.display()))?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|e| e == "jsonl"))
        .collect();
    files.sort();
    let mut added = 0;
    for path in files {
        let file = std::fs::File::open(&path).map_err(|e| format!("{}: {e}", path.display()))?;
        for (n, line) in BufReader::new(file).lines().enumerate() {
            let line = line.map_err(|e| format!("{}: {e}", path.display()))?;
            let line: Line = serde_json::from_str(&line)
                .map_err(|e| format!("{}:{}: {e}", path.display(), n + 1))?;
            writer
                .add_document(doc!(id => line.id, title => line.title, body => line.body))
                .map_err(|e| e.to_string())?;
            added += 1;
        }
    }
    writer.commit().map_err(|e| e.to_string())?;
    writer.wait_merging_threads().map_err(|e| e.to_string())?;
    Ok(added)
}

fn search(index_dir: &Path, query: &str) -> Result<(), String> {
    let index = Index::open_in_dir(index_dir).map_err(|e| e.to_string())?;
    let schema = index.schema();
    let field = |name| schema.get_field(name).map_err(|e| e.to_string());
    let (title, body) = (field("title")?, field("body")?);
    let searcher = index.reader().map_err(|e| e.to_string())?.searcher();
    let (query, _errors) =
        QueryParser::for_index(&index, vec![title, body]).parse_query_lenient(query);
    let (count, top) = searcher
        .search(&query, &(Count, TopDocs::with_limit(10).order_by_score()))
        .map_err(|e| e.to_string())?;
    let snippets = SnippetGenerator::create(&searcher, &query, body).map_err(|e| e.to_string())?;
    let mut out = std::io::stdout().lock();
    let _ = writeln!(out, "{count} articles");
    for (_, address) in top {
        let doc: TantivyDocument = searcher.doc(address).map_err(|e| e.to_string())?;
        let text = |f| {
            doc.get_first(f)
                .and_then(|v| v.as_str())
                .unwrap_or_default()
                .to_string()
        };
        let snippet = snippets.snippet(&text(body));
        let _ = writeln!(out, "{}\n  {}", text(title), snippet.to_html());
    }
    Ok(())
}

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let outcome = match args
        .iter()
        .map(String::as_str)
        .collect::<Vec<_>>()
        .as_slice()
    {
        ["index", index_dir, corpus] => index(Path::new(index_dir), Path::new(corpus)).map(|n| {
            eprintln!("tantivy-one-view: {n} articles indexed");
        }),
        ["search", index_dir, query] => search(Path::new(index_dir), query),
        _ => Err("usage: tantivy-one-view index INDEX CORPUS | search INDEX QUERY".into()),
    };
    match outcome {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("tantivy-one-view: error: {e}");
            ExitCode::from(2)
        }
    }
}
