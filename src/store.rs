//! An index on disk: a tantivy index plus rasd's metadata, saved in the commit payload.
//!
//! The payload carries the schema (TOML and word lists) and the analyzer version. Because it is
//! written in the same atomic commit as the documents, the two always agree, and every command
//! analyzes text exactly as the index was built. tantivy does not persist custom analyzers, so
//! every open goes through here to register them.

use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};
use tantivy::directory::error::LockError;
use tantivy::{Index, IndexSettings, IndexWriter, ReloadPolicy, Searcher, TantivyError};

use crate::analysis::{self, ANALYZER_VERSION, WordLists};
use crate::error::{Context, Error};
use crate::schema::IndexSchema;

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

    /// Opens the index for indexing, creating it when missing. With `schema`, the index must
    /// have been built with that schema; without, it keeps its own (or gets the built-in one).
    /// `rebuild` deletes an existing index first (only if it is a rasd index).
    pub fn open_for_indexing(
        path: &Path,
        schema: Option<IndexSchema>,
        rebuild: bool,
    ) -> Result<RasdIndex, Error> {
        if rebuild && has_index(path) {
            let index = Index::open_in_dir(path)
                .context(|| format!("cannot open the index at {}", path.display()))?;
            read_meta(&index, path)?;
            drop(index);
            std::fs::remove_dir_all(path)
                .context(|| format!("cannot delete the index at {}", path.display()))?;
        }
        if !has_index(path) {
            return Self::create(path, schema.unwrap_or_else(IndexSchema::builtin));
        }
        let existing = Self::open(path)?;
        let Some(wanted) = schema else {
            return Ok(existing);
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
        Ok(RasdIndex {
            schema: wanted,
            ..existing
        })
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
        let settings = IndexSettings::default();
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
        let threads = std::thread::available_parallelism()
            .map_or(1, usize::from)
            .min(8);
        // tantivy needs at least 15 MB per indexing thread.
        let threads = threads.min((memory_mb / 15).max(1));
        let bytes = (memory_mb.max(15 * threads)) * 1_000_000;
        match self.index.writer_with_num_threads(threads, bytes) {
            Ok(writer) => Ok(writer),
            Err(TantivyError::LockFailure(LockError::LockBusy, _)) => {
                Err(Error::IndexBusy(self.path.clone()))
            }
            Err(e) => Err(Error::Tantivy {
                context: format!("cannot write to the index at {}", self.path.display()),
                source: e,
            }),
        }
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
