//! `rasd index`: read the archive, turn articles into tantivy documents, commit.
//!
//! Files are read and parsed in parallel (rayon), in chunks, while tantivy's own threads
//! analyze and index; the order of additions follows the (sorted) walk, so when two articles
//! share an id the later one wins deterministically. An article whose id is already in the
//! index replaces it.

use std::collections::HashMap;
use std::path::PathBuf;
use std::time::Instant;

use rayon::prelude::*;
use serde::Serialize;
use tantivy::schema::Field;
use tantivy::{DateTime, TantivyDocument, Term};

use crate::error::{Context, Error};
use crate::ingest::{self, Article, DiscoverOptions, Problem, Severity};
use crate::schema::{ArticlePart, IndexSchema};
use crate::store::RasdIndex;

/// Files read in parallel before their articles are handed to the writer.
const CHUNK_FILES: usize = 256;

/// What `rasd index` should do.
#[derive(Debug, Clone)]
pub struct IndexOptions {
    /// Files and folders to index.
    pub roots: Vec<PathBuf>,
    /// The index folder.
    pub index_path: PathBuf,
    /// The schema to build with (`None`: the index's own, or the built-in one).
    pub schema: Option<IndexSchema>,
    pub follow_links: bool,
    /// Delete and rebuild the index from scratch.
    pub rebuild: bool,
    /// Indexing memory in megabytes.
    pub memory_mb: usize,
}

/// What a run did.
#[derive(Debug, Default, Clone, Serialize)]
pub struct IndexReport {
    /// Articles new to the index.
    pub added: usize,
    /// Articles that replaced one with the same id.
    pub updated: usize,
    /// Inputs (files, lines, items) that could not be indexed.
    pub failed: usize,
    /// Inputs indexed with a caveat.
    pub warnings: usize,
    /// Files read.
    pub files: usize,
    /// Files skipped for their extension.
    pub skipped: usize,
    /// Articles in the index after the run.
    pub documents: u64,
    pub seconds: f64,
}

/// Turns articles into tantivy documents: the schema's fields resolved to tantivy fields.
pub struct DocumentBuilder {
    /// Each field, the article part that fills it, and the only language it is filled for.
    fields: Vec<(Field, ArticlePart, Option<String>)>,
}

impl DocumentBuilder {
    /// A builder for documents of `index`.
    pub fn new(index: &RasdIndex) -> Self {
        let fields = index
            .schema
            .fields
            .iter()
            .map(|f| (index.field(&f.name), f.from, f.for_lang.clone()))
            .collect();
        DocumentBuilder { fields }
    }

    /// The document of one article: each field filled from its part of the article.
    pub fn build(&self, article: &Article) -> TantivyDocument {
        let mut doc = TantivyDocument::default();
        for (field, part, for_lang) in &self.fields {
            let (field, part) = (*field, *part);
            if for_lang.is_some() && *for_lang != article.lang {
                continue;
            }
            let values: &[String] = match part {
                ArticlePart::Date => {
                    if let Some(date) = article.date {
                        doc.add_date(field, DateTime::from_timestamp_secs(date.unix_timestamp()));
                    }
                    continue;
                }
                ArticlePart::Id => std::slice::from_ref(&article.id),
                ArticlePart::Path => std::slice::from_ref(&article.path),
                ArticlePart::Title => std::slice::from_ref(&article.title),
                ArticlePart::Body => std::slice::from_ref(&article.body),
                ArticlePart::Source => article.source.as_slice(),
                ArticlePart::Lang => article.lang.as_slice(),
                ArticlePart::Url => article.url.as_slice(),
                ArticlePart::Author => article.author.as_slice(),
                ArticlePart::Tags => &article.tags,
            };
            for value in values {
                doc.add_text(field, value);
            }
        }
        doc
    }
}

/// Runs an indexing job. Each problem is passed to `on_problem` as it is found.
pub fn run(
    options: &IndexOptions,
    on_problem: &mut dyn FnMut(&Problem),
) -> Result<IndexReport, Error> {
    let started = Instant::now();
    if let Some(missing) = options.roots.iter().find(|r| !r.exists()) {
        return Err(Error::MissingPath(missing.clone()));
    }
    let discover_options = DiscoverOptions {
        follow_links: options.follow_links,
        exclude: Some(options.index_path.clone()),
    };
    let discovery = ingest::discover(&options.roots, &discover_options);
    let mut report = IndexReport {
        skipped: discovery.skipped,
        files: discovery.files.len(),
        ..IndexReport::default()
    };
    if discovery.files.is_empty() && discovery.problems.is_empty() {
        let roots = options
            .roots
            .iter()
            .map(|r| r.display().to_string())
            .collect::<Vec<_>>()
            .join(", ");
        return Err(Error::NothingToIndex {
            roots,
            skipped: discovery.skipped,
        });
    }

    let index =
        RasdIndex::open_for_indexing(&options.index_path, options.schema.clone(), options.rebuild)?;
    let mut writer = index.writer(options.memory_mb)?;
    let reader = index
        .index
        .reader()
        .context(|| "cannot read the index".to_string())?;
    let before = reader.searcher();
    let id_field = index.field("id");
    let builder = DocumentBuilder::new(&index);

    let mut record = |problem: &Problem, report: &mut IndexReport| {
        match problem.severity {
            Severity::Failed => report.failed += 1,
            Severity::Warning => report.warnings += 1,
        }
        on_problem(problem);
    };
    for problem in &discovery.problems {
        record(problem, &mut report);
    }
    // Where each id of this run was seen, to warn about duplicates.
    let mut seen: HashMap<String, String> = HashMap::new();
    for chunk in discovery.files.chunks(CHUNK_FILES) {
        let outcomes: Vec<_> = chunk.par_iter().map(|file| file.read()).collect();
        for outcome in outcomes {
            for problem in &outcome.problems {
                record(problem, &mut report);
            }
            for article in outcome.articles {
                let id_term = Term::from_field_text(id_field, &article.id);
                let place = article.path.clone();
                if let Some(earlier) = seen.insert(article.id.clone(), place.clone()) {
                    let problem = Problem {
                        path: place,
                        line: None,
                        severity: Severity::Warning,
                        reason: format!(
                            "id `{}` also used in {earlier}; this later article wins",
                            article.id
                        ),
                    };
                    record(&problem, &mut report);
                } else if before.doc_freq(&id_term).unwrap_or(0) > 0 {
                    report.updated += 1;
                } else {
                    report.added += 1;
                }
                writer.delete_term(id_term);
                writer
                    .add_document(builder.build(&article))
                    .context(|| "cannot add a document".to_string())?;
            }
        }
    }
    index.commit(&mut writer)?;
    writer
        .wait_merging_threads()
        .context(|| "cannot finish merging segments".to_string())?;
    reader
        .reload()
        .context(|| "cannot reload the index".to_string())?;
    report.documents = reader.searcher().num_docs();
    report.seconds = started.elapsed().as_secs_f64();
    Ok(report)
}
