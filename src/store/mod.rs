//! An index on disk: a folder of rasd's own (see [`layout`]) holding a tantivy index plus
//! rasd's metadata, saved in the commit payload.
//!
//! The payload carries the schema (TOML and word lists), the analyzer version, and what the
//! index keeps of its files ([`records::FileNotes`]: those whose last read failed or cut an
//! article). Because it is
//! written in the same atomic commit as the documents, the two always agree, and every command
//! analyzes text exactly as the index was built. tantivy does not persist custom analyzers, so
//! every open goes through here to register them. Searching never writes to the folder
//! ([`read_only`]); indexing holds the folder's lock from start to end, and reads the index's
//! files without keeping them mapped ([`read_through`]), so that a merge's resident memory
//! stays within `--memory`.

mod document;
pub mod layout;
pub mod memory;
mod read_only;
mod read_through;
pub mod records;

pub(crate) use document::DocumentBuilder;

use std::collections::HashSet;
use std::path::{Path, PathBuf};
use std::time::Duration;

use serde::{Deserialize, Serialize};
use tantivy::collector::Count;
use tantivy::directory::Directory;
use tantivy::index::SegmentComponent;
use tantivy::query::AllQuery;
use tantivy::store::{Compressor, ZstdCompressor};
use tantivy::{Index, IndexReader, IndexSettings, IndexWriter, ReloadPolicy, Searcher};

use memory::{MemoryBudget, QueuedDocument, WriteQueue};

/// The index's writer: its documents count in a [`WriteQueue`] until indexed.
pub type Writer = IndexWriter<QueuedDocument>;

use crate::analysis::{self, ANALYZER_VERSION, WordLists};
use crate::article::Article;
use crate::error::{Context, Error, brief};
use crate::schema::{IndexSchema, reserved};
use layout::{FolderState, Layout, Marker, WriterLock};
use read_only::ReadOnlyDirectory;
use read_through::ReadThroughDirectory;
use records::{CutFiles, DamagedFiles, FailedFiles, FileNotes, RecordFields, UnreadablePaths};

/// How stored articles are compressed. zstd (level 3) rather than tantivy's default LZ4:
/// Arabic text is two bytes a letter and LZ4 shrinks it by only a third, while zstd halves it
/// again; decompressing the ten stored articles a search shows still takes microseconds.
const DOCSTORE_COMPRESSION: Compressor = Compressor::Zstd(ZstdCompressor {
    compression_level: Some(3),
});

/// Marks a tantivy commit payload as rasd's.
const FORMAT: &str = "rasd-index/1";

/// How many times a search opens the index before giving up: a rebuild that switches
/// generations, or a commit that collects old segments, can pull files from under an open.
/// The waits between them double from [`FIRST_OPEN_WAIT`]: on a loaded machine the job that
/// pulls them may be slow to finish (150 ms of waiting in all, which a damaged index is
/// reported that much later for).
const OPEN_ATTEMPTS: u32 = 5;

/// The wait after the first failed open.
const FIRST_OPEN_WAIT: Duration = Duration::from_millis(10);

/// rasd's metadata in the commit payload.
#[derive(Serialize, Deserialize)]
struct SavedMeta {
    format: String,
    analyzer_version: u32,
    schema_toml: String,
    word_lists: WordLists,
    /// Absent from the payloads of earlier versions: no failure was kept then.
    #[serde(default)]
    failed: FailedFiles,
    /// Absent from the payloads of earlier versions: no cut was kept then.
    #[serde(default)]
    cut: CutFiles,
    /// Absent from the payloads of earlier versions: no damage was kept then.
    #[serde(default)]
    damaged: DamagedFiles,
    /// Absent from the payloads of earlier versions, and when every path was read.
    #[serde(default, skip_serializing_if = "UnreadablePaths::is_empty")]
    unreadable: UnreadablePaths,
}

/// An open rasd index.
pub struct RasdIndex {
    /// The tantivy index, with rasd's analyzers registered.
    pub index: Index,
    /// The schema it was built with.
    pub schema: IndexSchema,
    /// Its folder, as the user named it.
    pub path: PathBuf,
    /// For an index opened for searching: its segments, opened once.
    reader: Option<IndexReader>,
    /// The generation folder, for an index on disk.
    folder: Option<PathBuf>,
    /// What the index keeps of its files, as of the commit opened.
    notes: FileNotes,
}

fn describe(name: &str, version: u32, analyzer_version: u32) -> String {
    format!("schema {name} v{version}, analyzer v{analyzer_version}")
}

/// An error that says the index at `path` is damaged, for `reason`.
fn damaged(path: &Path, reason: impl std::fmt::Display) -> Error {
    Error::Damaged {
        path: path.to_path_buf(),
        reason: reason.to_string(),
    }
}

/// Runs `open`, a tantivy call that panics on some damaged files rather than failing (a
/// file whose footer gives a length past its end): such a panic is damage to the index.
fn unless_it_panics<T>(path: &Path, open: impl FnOnce() -> Result<T, Error>) -> Result<T, Error> {
    std::panic::catch_unwind(std::panic::AssertUnwindSafe(open))
        .unwrap_or_else(|_| Err(damaged(path, "one of its files cannot be read")))
}

/// [`damaged`] for a tantivy error met while opening the index.
fn damaged_by(path: &Path, error: tantivy::TantivyError) -> Error {
    damaged(path, brief(&error))
}

/// The commit payload of tantivy's `meta.json`, the rest of the file skipped: `Index::open`
/// has just read it whole, and a search's reader reads it whole once more.
#[derive(Deserialize)]
struct CommitPayload {
    payload: Option<String>,
}

fn read_meta(index: &Index, path: &Path) -> Result<SavedMeta, Error> {
    let unreadable =
        |reason: String| damaged(path, format!("its metadata cannot be read: {reason}"));
    let bytes = index
        .directory()
        .atomic_read(Path::new("meta.json"))
        .map_err(|e| unreadable(brief(&e.into())))?;
    let commit: CommitPayload =
        serde_json::from_slice(&bytes).map_err(|e| unreadable(e.to_string()))?;
    commit
        .payload
        .as_deref()
        .and_then(|p| serde_json::from_str::<SavedMeta>(p).ok())
        .filter(|m| m.format == FORMAT)
        .ok_or_else(|| damaged(path, "its last commit carries no rasd metadata"))
}

/// The generation a search or a write opens, from the folder's state.
fn current_generation(layout: &Layout) -> Result<u64, Error> {
    let path = layout.root();
    match layout.inspect()? {
        FolderState::Missing | FolderState::Empty => Err(Error::NoIndex(path.to_path_buf())),
        // A marker that does not fit the generations is damage, as an index run finds it.
        FolderState::Index(marker) => match (layout.disagreement(marker), marker.generation) {
            (Some(reason), _) => Err(damaged(path, reason)),
            (None, None) => Err(Error::IndexNotReady(path.into())),
            (None, Some(n)) => Ok(n),
        },
        FolderState::DamagedMarker(reason) => Err(damaged(
            path,
            format!("its marker cannot be read: {reason}"),
        )),
        FolderState::FirstLayout => Err(first_layout(path)),
        FolderState::MarkerNotAFile => Err(Error::MarkerNotAFile(path.to_path_buf())),
        FolderState::Foreign => Err(Error::NotAnIndex(path.to_path_buf())),
        FolderState::NotAFolder => Err(Error::NotAFolder(path.to_path_buf())),
    }
}

fn first_layout(path: &Path) -> Error {
    Error::NeedsRebuild {
        path: path.to_path_buf(),
        found: "the index layout of rasd 0.1".into(),
        expected: "a folder with generations".into(),
    }
}

impl RasdIndex {
    /// Opens an existing index for searching, without writing anything to its folder.
    pub fn open(path: &Path) -> Result<RasdIndex, Error> {
        let layout = Layout::new(path);
        let mut attempt = 0;
        loop {
            let generation = current_generation(&layout)?;
            attempt += 1;
            match Self::open_generation(&layout, generation) {
                Ok(index) => return Ok(index),
                Err(e @ (Error::NeedsRebuild { .. } | Error::Schema(_))) => return Err(e),
                Err(e) if attempt == OPEN_ATTEMPTS => return Err(e),
                Err(_) => std::thread::sleep(FIRST_OPEN_WAIT * 2u32.pow(attempt - 1)),
            }
        }
    }

    fn open_generation(layout: &Layout, generation: u64) -> Result<RasdIndex, Error> {
        let path = layout.root();
        let folder = layout.generation_dir(generation);
        let directory = ReadOnlyDirectory::open(&folder).map_err(|e| damaged_by(path, e))?;
        let index = Index::open(directory).map_err(|e| damaged_by(path, e))?;
        let mut opened = Self::from_tantivy(index, path, folder)?;
        let reader = unless_it_panics(path, || {
            opened
                .index
                .reader_builder()
                .reload_policy(ReloadPolicy::Manual)
                .try_into()
                .map_err(|e| damaged_by(path, e))
        })?;
        opened.reader = Some(reader);
        Ok(opened)
    }

    /// A tantivy index checked to be rasd's and of this analyzer, with the analyzers registered.
    fn from_tantivy(index: Index, path: &Path, folder: PathBuf) -> Result<RasdIndex, Error> {
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
        // Indexes built before story signatures (schema v4 and earlier) cannot group copies;
        // those that kept a signature in a column per `u64` are read no more.
        let tantivy_schema = index.schema();
        if tantivy_schema.get_field(reserved::SIGNATURE).is_err() {
            let what = match tantivy_schema.get_field(reserved::SIGNATURE_BY_WORD) {
                Ok(_) => "story signatures in a column per word",
                Err(_) => "no story signatures",
            };
            return Err(Error::NeedsRebuild {
                path: path.to_path_buf(),
                found: format!(
                    "{} ({what})",
                    describe(&schema.name, schema.version, meta.analyzer_version)
                ),
                expected: "an index with story signatures in one column".into(),
            });
        }
        analysis::register(index.tokenizers(), &schema.word_lists);
        Ok(RasdIndex {
            index,
            schema,
            path: path.to_path_buf(),
            reader: None,
            folder: Some(folder),
            notes: FileNotes {
                failed: meta.failed,
                cut: meta.cut,
                damaged: meta.damaged,
                unreadable: meta.unreadable,
            },
        })
    }

    /// Opens the index for indexing, creating it when missing, and takes the folder's lock:
    /// the lock that keeps two indexing jobs apart, waited for up to `wait`. With `schema`,
    /// the index must have been built with that schema; without, it keeps its own (or gets
    /// the built-in one). `rebuild` builds a new index beside the current one, which
    /// [`WriteSession::publish`] puts in its place.
    ///
    /// rasd creates an index only in a new or empty folder, or one that is already a rasd
    /// index; it refuses any other folder before writing anything to it.
    pub fn open_for_indexing(
        path: &Path,
        schema: Option<IndexSchema>,
        rebuild: bool,
        memory_mb: usize,
        wait: Duration,
    ) -> Result<(RasdIndex, Writer, WriteSession), Error> {
        let layout = Layout::new(path);
        match layout.inspect()? {
            FolderState::Foreign => return Err(Error::NotAnIndex(path.to_path_buf())),
            FolderState::NotAFolder => return Err(Error::NotAFolder(path.to_path_buf())),
            FolderState::MarkerNotAFile => {
                return Err(Error::MarkerNotAFile(path.to_path_buf()));
            }
            FolderState::FirstLayout if !rebuild => return Err(first_layout(path)),
            FolderState::Missing => std::fs::create_dir_all(path)
                .context(|| format!("cannot create the index folder {}", path.display()))?,
            _ => {}
        }
        let lock = layout.lock(wait)?;
        // Looked at again under the lock: another job may have created the index meanwhile.
        let current = match layout.inspect()? {
            FolderState::Index(marker) => marker.generation,
            FolderState::DamagedMarker(_) if rebuild => None,
            FolderState::Empty | FolderState::FirstLayout => {
                layout.write_marker(Marker { generation: None })?;
                None
            }
            FolderState::DamagedMarker(reason) => {
                return Err(damaged(
                    path,
                    format!("its marker cannot be read: {reason}"),
                ));
            }
            FolderState::MarkerNotAFile => {
                return Err(Error::MarkerNotAFile(path.to_path_buf()));
            }
            FolderState::Missing | FolderState::Foreign | FolderState::NotAFolder => {
                return Err(Error::NotAnIndex(path.to_path_buf()));
            }
        };
        // A run that will write the marker when it completes (a rebuild, a first build) finds
        // what is in the way of its draft before it does the work.
        if rebuild || current.is_none() {
            layout.clear_marker_draft()?;
        }
        // What killed or failed jobs left: a half-built generation, a draft marker; unless
        // the marker does not fit the generations: then nothing is deleted, and only a
        // rebuild, which replaces them all once it completes, goes on.
        let marker = Marker {
            generation: current,
        };
        match layout.disagreement(marker) {
            None => {
                if let Ok(Marker { generation }) = layout.read_marker() {
                    layout.remove_other_generations(generation);
                }
            }
            Some(_) if rebuild => {}
            Some(reason) => return Err(damaged(path, reason)),
        }
        if let (Some(generation), false) = (current, rebuild) {
            let session = WriteSession {
                layout,
                _lock: lock,
                writing: generation,
                publish: false,
                replaces_first_layout: false,
            };
            let (index, writer) = session.open_generation(schema, memory_mb)?;
            return Ok((index, writer, session));
        }
        // Past any file of that name too (a file or link of the user's named generation-N).
        let mut generation = layout.generations().last().copied().unwrap_or(0) + 1;
        while std::fs::symlink_metadata(layout.generation_dir(generation)).is_ok() {
            generation += 1;
        }
        let mut session = WriteSession {
            layout,
            _lock: lock,
            writing: generation,
            publish: false,
            replaces_first_layout: current.is_none(),
        };
        let created = Self::create(
            &session.layout.generation_dir(generation),
            path,
            schema.unwrap_or_else(IndexSchema::builtin),
        )?;
        if current.is_none() && !rebuild {
            // A first build: searchable from its first commit on, so a killed run keeps
            // its progress.
            session
                .layout
                .make_current(generation, session.replaces_first_layout)?;
        } else {
            session.publish = true;
        }
        let writer = created.writer(memory_mb)?;
        Ok((created, writer, session))
    }

    /// Adds, in a segment of its own, the record of one file of `articles` articles: a
    /// document with no text nor signature, for tests of what skips such documents.
    #[cfg(test)]
    pub fn add_file_record(&self, articles: u64) {
        let mut writer = self.index.writer_with_num_threads(1, 15_000_000).unwrap();
        let record = records::FileRecord {
            size: 1,
            modified: 0,
            hash: 1,
            articles,
            shares_ids: false,
        };
        writer
            .add_document(RecordFields::new(self).document("/archive/all.jsonl", &record))
            .unwrap();
        writer.commit().unwrap();
    }

    /// A new, empty index held in memory: for analyzing queries without an index on disk, and
    /// for searching a few articles without a folder (see [`RasdIndex::add_articles`]).
    pub fn in_memory(schema: IndexSchema) -> Result<RasdIndex, Error> {
        let index = Index::create_in_ram(schema.tantivy_schema());
        analysis::register(index.tokenizers(), &schema.word_lists);
        let created = RasdIndex {
            index,
            schema,
            path: PathBuf::from("(memory)"),
            reader: None,
            folder: None,
            notes: FileNotes::default(),
        };
        let mut writer = created.writer(50)?;
        created.commit(&mut writer, &FileNotes::default())?;
        Ok(created)
    }

    /// Adds `articles` to an index made by [`RasdIndex::in_memory`] and commits them. They go
    /// into one segment in the order given, so equal scores rank the same way in every run.
    /// Analyzers registered on [`RasdIndex::index`] before the call are the ones used.
    ///
    /// # Panics
    ///
    /// On an index on disk: those are written by [`crate::indexer`], which also records the
    /// files that the articles come from.
    pub fn add_articles(&self, articles: &[Article]) -> Result<(), Error> {
        let builder = DocumentBuilder::new(self);
        let mut signer = builder.signer();
        let signed = articles.iter().map(|a| (a, signer.sign(&a.body)));
        self.add_signed(&builder, signed)
    }

    /// Adds `articles` as [`RasdIndex::add_articles`] does, each with the story signature
    /// given rather than its body's.
    #[cfg(test)]
    pub fn add_articles_signed(
        &self,
        articles: &[(Article, crate::analysis::signature::Signature)],
    ) -> Result<(), Error> {
        let signed = articles.iter().map(|(a, signature)| (a, *signature));
        self.add_signed(&DocumentBuilder::new(self), signed)
    }

    fn add_signed<'a>(
        &self,
        builder: &DocumentBuilder,
        articles: impl Iterator<Item = (&'a Article, crate::analysis::signature::Signature)>,
    ) -> Result<(), Error> {
        assert!(
            self.folder.is_none(),
            "add_articles is for in-memory indexes"
        );
        // One thread, with more memory than a small batch fills: a single segment.
        let mut writer = self
            .index
            .writer_with_num_threads(1, 100_000_000)
            .context(|| "cannot write to an in-memory index".to_string())?;
        let queue = WriteQueue::new(usize::MAX);
        for (position, (article, signature)) in (0..).zip(articles) {
            writer
                .add_document(queue.admit(builder.build(article, signature, position)))
                .context(|| "cannot add a document".to_string())?;
        }
        self.commit(&mut writer, &FileNotes::default())
    }

    /// A searcher over the last commit.
    pub fn searcher(&self) -> Result<Searcher, Error> {
        if let Some(reader) = &self.reader {
            return Ok(reader.searcher());
        }
        let reader: IndexReader = self
            .index
            .reader_builder()
            .reload_policy(ReloadPolicy::Manual)
            .try_into()
            .context(|| format!("cannot read the index at {}", self.path.display()))?;
        Ok(reader.searcher())
    }

    /// Creates a tantivy index in the new folder `folder` of the index at `path`.
    fn create(folder: &Path, path: &Path, schema: IndexSchema) -> Result<RasdIndex, Error> {
        Layout::create_generation_folder(folder)
            .context(|| format!("cannot create the index folder {}", folder.display()))?;
        let settings = IndexSettings {
            docstore_compression: DOCSTORE_COMPRESSION,
            ..IndexSettings::default()
        };
        let index = ReadThroughDirectory::open(folder)
            .and_then(|directory| Index::create(directory, schema.tantivy_schema(), settings))
            .context(|| format!("cannot create an index in {}", path.display()))?;
        analysis::register(index.tokenizers(), &schema.word_lists);
        let created = RasdIndex {
            index,
            schema,
            path: path.to_path_buf(),
            reader: None,
            folder: Some(folder.to_path_buf()),
            notes: FileNotes::default(),
        };
        // An empty first commit saves the metadata, so the generation is a rasd index.
        let mut writer = created.writer(50)?;
        created.commit(&mut writer, &FileNotes::default())?;
        Ok(created)
    }

    /// A writer with its share of `memory_mb` megabytes of indexing memory
    /// ([`MemoryBudget`]).
    pub fn writer(&self, memory_mb: usize) -> Result<Writer, Error> {
        let budget = MemoryBudget::new(memory_mb);
        self.index
            .writer_with_num_threads(budget.writer_threads, budget.writer_bytes)
            .context(|| format!("cannot write to the index at {}", self.path.display()))
    }

    /// The number of articles (the record documents of files left out).
    pub fn article_count(&self) -> Result<u64, Error> {
        let articles = RecordFields::new(self).articles_only(Box::new(AllQuery));
        let count = self
            .searcher()?
            .search(&articles, &Count)
            .context(|| format!("cannot count the articles of {}", self.path.display()))?;
        Ok(count as u64)
    }

    /// What the index keeps of its files, as of the commit this index was opened at.
    pub fn file_notes(&self) -> &FileNotes {
        &self.notes
    }

    /// The files whose last read failed, as of the commit this index was opened at.
    pub fn failed_files(&self) -> &FailedFiles {
        &self.notes.failed
    }

    /// Commits the writer's pending changes together with rasd's metadata, and `notes`: what
    /// the index keeps of the files of this commit's records.
    pub fn commit(&self, writer: &mut Writer, notes: &FileNotes) -> Result<(), Error> {
        let meta = SavedMeta {
            format: FORMAT.to_string(),
            analyzer_version: ANALYZER_VERSION,
            schema_toml: self.schema.toml.clone(),
            word_lists: self.schema.word_lists.clone(),
            failed: notes.failed.clone(),
            cut: notes.cut.clone(),
            damaged: notes.damaged.clone(),
            unreadable: notes.unreadable.clone(),
        };
        let payload = serde_json::to_string(&meta).expect("metadata serializes");
        let context = || format!("cannot commit to the index at {}", self.path.display());
        let mut prepared = writer.prepare_commit().context(context)?;
        prepared.set_payload(&payload);
        prepared.commit().context(context)?;
        if let Some(folder) = &self.folder {
            layout::share_metadata(folder, &self.path);
        }
        Ok(())
    }

    /// Fails with [`Error::Damaged`] when a file of the last commit does not match its
    /// checksum. Reads the whole index: for a job about to write, since tantivy's threads
    /// abort the process on some damaged files, which no error handling can catch.
    pub fn verify(&self) -> Result<(), Error> {
        let failing = self
            .index
            .validate_checksum()
            .map_err(|e| damaged_by(&self.path, e))?;
        if failing.is_empty() {
            Ok(())
        } else {
            Err(damaged(
                &self.path,
                format!("{} of its files fail their checksum", failing.len()),
            ))
        }
    }

    /// The tantivy field with this name; the schema guarantees the required ones exist.
    pub fn field(&self, name: &str) -> tantivy::schema::Field {
        self.index
            .schema()
            .get_field(name)
            .unwrap_or_else(|_| panic!("schema field `{name}` checked at load"))
    }
}

/// Whether an index whose fields are `existing` can be written as one whose fields are
/// `wanted`: the same fields, or the same but for [`reserved::POSITION`], which indexes built
/// before it lack (their documents are then written without it; fields are numbered alike,
/// that one being the last).
fn same_fields(wanted: &tantivy::schema::Schema, existing: &tantivy::schema::Schema) -> bool {
    let without_position = |schema: &tantivy::schema::Schema| -> Vec<_> {
        schema
            .fields()
            .filter(|(_, entry)| entry.name() != reserved::POSITION)
            .map(|(_, entry)| entry.clone())
            .collect()
    };
    wanted == existing
        || (existing.get_field(reserved::POSITION).is_err()
            && without_position(wanted) == without_position(existing))
}

/// An indexing job's hold on the index folder: its lock, and the new generation a rebuild
/// puts in place when it is complete.
pub struct WriteSession {
    layout: Layout,
    _lock: WriterLock,
    /// The generation the job writes to.
    writing: u64,
    /// Whether it is a rebuild's new generation, to make current when the job is done.
    publish: bool,
    /// Whether the index had no generation when the job began: the new one replaces the
    /// first layout's files, if the folder holds them.
    replaces_first_layout: bool,
}

impl WriteSession {
    /// Opens the current generation for writing, after removing what a failed commit left in
    /// it (a full disk, a killed job).
    fn open_generation(
        &self,
        schema: Option<IndexSchema>,
        memory_mb: usize,
    ) -> Result<(RasdIndex, Writer), Error> {
        let path = self.layout.root();
        let folder = self.layout.generation_dir(self.writing);
        let index = remove_uncommitted_files(&folder).map_err(|e| damaged_by(path, e))?;
        let existing = RasdIndex::from_tantivy(index, path, folder)?;
        let writer = existing.writer(memory_mb)?;
        let Some(wanted) = schema else {
            return Ok((existing, writer));
        };
        let same = wanted.name == existing.schema.name
            && wanted.version == existing.schema.version
            && wanted.word_lists == existing.schema.word_lists
            && same_fields(&wanted.tantivy_schema(), &existing.index.schema());
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

    /// Ends a failed job, once its writer is dropped: a rebuild's new generation is deleted,
    /// and what the writer left in the current one since its last commit.
    pub fn abandon(self) {
        if self.publish {
            self.layout.remove_generation(self.writing);
        } else {
            let _ = remove_uncommitted_files(&self.layout.generation_dir(self.writing));
        }
    }

    /// Ends the job: a rebuilt index replaces the old one, in one rename of the marker, and
    /// the old one is deleted. Call after the writer's last commit and merge.
    pub fn publish(self) -> Result<(), Error> {
        let folder = self.layout.generation_dir(self.writing);
        // What a failed merge may have left.
        let _ = remove_uncommitted_files(&folder);
        // Merges rewrite tantivy's list of files after the last commit.
        layout::share_metadata(&folder, self.layout.root());
        if self.publish {
            self.layout
                .make_current(self.writing, self.replaces_first_layout)?;
        }
        Ok(())
    }
}

/// Opens the tantivy index in `folder` and deletes the segment files its last commit does not
/// use. Only for the holder of the writers' lock, while no writer is open.
fn remove_uncommitted_files(folder: &Path) -> tantivy::Result<Index> {
    let index = Index::open(ReadThroughDirectory::open(folder)?)?;
    let segments = index.searchable_segment_metas()?;
    let live: HashSet<String> = segments.iter().map(|s| s.id().uuid_string()).collect();
    // A commit killed after writing a live segment's new deletions leaves them behind, named
    // after an operation stamp that the next run, doing the same work, reaches again: tantivy
    // would then fail to create that file, at every run.
    let live_deletions: HashSet<String> = (segments.iter())
        .filter(|segment| segment.delete_opstamp().is_some())
        .map(|segment| segment.relative_path(SegmentComponent::Delete))
        .filter_map(|path| path.to_str().map(str::to_string))
        .collect();
    layout::remove_orphan_files(folder, &live, &live_deletions);
    Ok(index)
}

/// Checks the index at `path` for damage: whether it opens, and whether every file of its
/// last commit matches its checksum. Reads the whole index, so only for explaining a failure.
/// Returns what is wrong, or `None` when nothing is.
pub fn diagnose(path: &Path) -> Option<String> {
    match RasdIndex::open(path).and_then(|index| index.verify()) {
        Err(Error::Damaged { reason, .. }) => Some(reason),
        _ => None,
    }
}
