//! An index on disk: a tantivy index plus rasd's metadata, saved in the commit payload.
//!
//! The payload carries the schema (TOML and word lists) and the analyzer version. Because it is
//! written in the same atomic commit as the documents, the two always agree, and every command
//! analyzes text exactly as the index was built. tantivy does not persist custom analyzers, so
//! every open goes through here to register them.

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use serde::{Deserialize, Serialize};
use tantivy::collector::Count;
use tantivy::directory::error::LockError;
use tantivy::store::{Compressor, ZstdCompressor};
use tantivy::{Index, IndexSettings, IndexWriter, ReloadPolicy, Searcher, TantivyError};

use crate::analysis::{self, ANALYZER_VERSION, WordLists};
use crate::error::{Context, Error};
use crate::indexer::manifest::RecordFields;
use crate::schema::IndexSchema;

/// How stored articles are compressed. zstd (level 3) rather than tantivy's default LZ4:
/// Arabic text is two bytes a letter and LZ4 shrinks it by only a third, while zstd halves it
/// again; decompressing the ten stored articles a search shows still takes microseconds.
const DOCSTORE_COMPRESSION: Compressor = Compressor::Zstd(ZstdCompressor {
    compression_level: Some(3),
});

/// Marks a tantivy index as rasd's.
const FORMAT: &str = "rasd-index/1";

/// rasd's metadata in the commit payload.
#[derive(Serialize, Deserialize)]
struct SavedMeta {
    format: String,
    analyzer_version: u32,
    schema_toml: String,
    word_lists: WordLists,
}

/// An open rasd index.
pub struct RasdIndex {
    /// The tantivy index, with rasd's analyzers registered.
    pub index: Index,
    /// The schema it was built with.
    pub schema: IndexSchema,
    /// Its folder.
    pub path: PathBuf,
}

fn describe(name: &str, version: u32, analyzer_version: u32) -> String {
    format!("schema {name} v{version}, analyzer v{analyzer_version}")
}

fn read_meta(index: &Index, path: &Path) -> Result<SavedMeta, Error> {
    let metas = index
        .load_metas()
        .context(|| format!("cannot read the index at {}", path.display()))?;
    metas
        .payload
        .as_deref()
        .and_then(|p| serde_json::from_str::<SavedMeta>(p).ok())
        .filter(|m| m.format == FORMAT)
        .ok_or_else(|| Error::NotAnIndex(path.to_path_buf()))
}

/// Takes an index's writer, retrying every 100 ms for up to `wait` while another process
/// holds it.
fn writer_waiting(
    index: &Index,
    path: &Path,
    memory_mb: usize,
    wait: Duration,
) -> Result<IndexWriter, Error> {
    let threads = std::thread::available_parallelism()
        .map_or(1, usize::from)
        .min(8);
    // tantivy needs at least 15 MB per indexing thread.
    let threads = threads.min((memory_mb / 15).max(1));
    let bytes = (memory_mb.max(15 * threads)) * 1_000_000;
    let deadline = Instant::now() + wait;
    loop {
        match index.writer_with_num_threads(threads, bytes) {
            Ok(writer) => return Ok(writer),
            Err(TantivyError::LockFailure(LockError::LockBusy, _)) if Instant::now() < deadline => {
                std::thread::sleep(Duration::from_millis(100));
            }
            Err(TantivyError::LockFailure(LockError::LockBusy, _)) => {
                return Err(Error::IndexBusy(path.to_path_buf()));
            }
            Err(e) => {
                return Err(Error::Tantivy {
                    context: format!("cannot write to the index at {}", path.display()),
                    source: e,
                });
            }
        }
    }
}

fn has_index(path: &Path) -> bool {
    path.join("meta.json").is_file()
}

impl RasdIndex {
    /// Opens an existing index for searching.
    pub fn open(path: &Path) -> Result<RasdIndex, Error> {
        if !has_index(path) {
            return Err(Error::NoIndex(path.to_path_buf()));
        }
        let index = Index::open_in_dir(path)
            .context(|| format!("cannot open the index at {}", path.display()))?;
        let meta = read_meta(&index, path)?;
        // Checked first: a schema saved by an older analyzer may not parse any more.
        if meta.analyzer_version != ANALYZER_VERSION {
            return Err(Error::NeedsRebuild {
                path: path.to_path_buf(),
                found: format!("analyzer v{}", meta.analyzer_version),
                expected: format!("analyzer v{ANALYZER_VERSION}"),
            });
        }
        let schema = IndexSchema::from_saved(&meta.schema_toml, meta.word_lists)?;
        analysis::register(index.tokenizers(), &schema.word_lists);
        Ok(RasdIndex {
            index,
            schema,
            path: path.to_path_buf(),
        })
    }

    /// Opens the index for indexing, creating it when missing, and takes its writer: the lock
    /// that keeps two indexing jobs apart, waited for up to `wait`. With `schema`, the index
    /// must have been built with that schema; without, it keeps its own (or gets the built-in
    /// one). `rebuild` deletes an existing index first (only a rasd index, and only once its
    /// lock is held).
    pub fn open_for_indexing(
        path: &Path,
        schema: Option<IndexSchema>,
        rebuild: bool,
        memory_mb: usize,
        wait: Duration,
    ) -> Result<(RasdIndex, IndexWriter), Error> {
        if rebuild && has_index(path) {
            let index = Index::open_in_dir(path)
                .context(|| format!("cannot open the index at {}", path.display()))?;
            read_meta(&index, path)?;
            let lock = writer_waiting(&index, path, 15, wait)?;
            std::fs::remove_dir_all(path)
                .context(|| format!("cannot delete the index at {}", path.display()))?;
            drop(lock);
        }
        if !has_index(path) {
            let created = Self::create(path, schema.unwrap_or_else(IndexSchema::builtin))?;
            let writer = created.writer_waiting(memory_mb, wait)?;
            return Ok((created, writer));
        }
        let existing = Self::open(path)?;
        let writer = existing.writer_waiting(memory_mb, wait)?;
        let Some(wanted) = schema else {
            return Ok((existing, writer));
        };
        let same = wanted.name == existing.schema.name
            && wanted.version == existing.schema.version
            && wanted.word_lists == existing.schema.word_lists
            && wanted.tantivy_schema() == existing.index.schema();
        if !same {
            return Err(Error::NeedsRebuild {
                path: path.to_path_buf(),
                found: describe(
                    &existing.schema.name,
                    existing.schema.version,
                    ANALYZER_VERSION,
                ),
                expected: describe(&wanted.name, wanted.version, ANALYZER_VERSION),
            });
        }
        // Same fields and analysis: adopt the file's boosts and comments at the next commit.
        let index = RasdIndex {
            schema: wanted,
            ..existing
        };
        Ok((index, writer))
    }

    /// A new, empty index held in memory: for analyzing queries without an index on disk, and
    /// for evaluations that build throwaway indexes.
    pub fn in_memory(schema: IndexSchema) -> Result<RasdIndex, Error> {
        let index = Index::create_in_ram(schema.tantivy_schema());
        analysis::register(index.tokenizers(), &schema.word_lists);
        let created = RasdIndex {
            index,
            schema,
            path: PathBuf::from("(memory)"),
        };
        let mut writer = created.writer(50)?;
        created.commit(&mut writer)?;
        Ok(created)
    }

    /// A searcher over the last commit.
    pub fn searcher(&self) -> Result<Searcher, Error> {
        let reader = self
            .index
            .reader_builder()
            .reload_policy(ReloadPolicy::Manual)
            .try_into()
            .context(|| format!("cannot read the index at {}", self.path.display()))?;
        Ok(reader.searcher())
    }

    fn create(path: &Path, schema: IndexSchema) -> Result<RasdIndex, Error> {
        std::fs::create_dir_all(path)
            .context(|| format!("cannot create the index folder {}", path.display()))?;
        let settings = IndexSettings {
            docstore_compression: DOCSTORE_COMPRESSION,
            ..IndexSettings::default()
        };
        let index = Index::builder()
            .schema(schema.tantivy_schema())
            .settings(settings)
            .create_in_dir(path)
            .context(|| format!("cannot create an index in {}", path.display()))?;
        analysis::register(index.tokenizers(), &schema.word_lists);
        let created = RasdIndex {
            index,
            schema,
            path: path.to_path_buf(),
        };
        // An empty first commit saves the metadata, so the folder is a rasd index from now on.
        let mut writer = created.writer(50)?;
        created.commit(&mut writer)?;
        Ok(created)
    }

    /// A writer with `memory_mb` megabytes of indexing memory; fails with
    /// [`Error::IndexBusy`] when another process is writing.
    pub fn writer(&self, memory_mb: usize) -> Result<IndexWriter, Error> {
        self.writer_waiting(memory_mb, Duration::ZERO)
    }

    /// Like [`RasdIndex::writer`], but waits up to `wait` for another writer to finish.
    pub fn writer_waiting(&self, memory_mb: usize, wait: Duration) -> Result<IndexWriter, Error> {
        writer_waiting(&self.index, &self.path, memory_mb, wait)
    }

    /// The number of articles (the record documents of files left out).
    pub fn article_count(&self) -> Result<u64, Error> {
        let searcher = self.searcher()?;
        let records = searcher
            .search(&RecordFields::new(self).records_query(), &Count)
            .context(|| format!("cannot count the articles of {}", self.path.display()))?;
        Ok(searcher.num_docs() - records as u64)
    }

    /// Commits the writer's pending changes together with rasd's metadata.
    pub fn commit(&self, writer: &mut IndexWriter) -> Result<(), Error> {
        let meta = SavedMeta {
            format: FORMAT.to_string(),
            analyzer_version: ANALYZER_VERSION,
            schema_toml: self.schema.toml.clone(),
            word_lists: self.schema.word_lists.clone(),
        };
        let payload = serde_json::to_string(&meta).expect("metadata serializes");
        let context = || format!("cannot commit to the index at {}", self.path.display());
        let mut prepared = writer.prepare_commit().context(context)?;
        prepared.set_payload(&payload);
        prepared.commit().context(context)?;
        Ok(())
    }

    /// The tantivy field with this name; the schema guarantees the required ones exist.
    pub fn field(&self, name: &str) -> tantivy::schema::Field {
        self.index
            .schema()
            .get_field(name)
            .unwrap_or_else(|_| panic!("schema field `{name}` checked at load"))
    }
}
