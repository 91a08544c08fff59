//! `rasd index`: bring the index in line with the archive, redoing only what changed.
//!
//! A run walks the roots, compares every file with the record the index keeps of it (see
//! [`crate::store::records`] and [`diff`]), and only reads the files that are new or whose
//! size or modification time changed. A changed file's articles and record are replaced
//! together; files gone from under the roots lose theirs. Files are read and parsed, and
//! their articles' story signatures computed, in parallel (rayon), in chunks, while
//! tantivy's own threads analyze and index. When two files
//! give the same article id, the file whose path sorts last wins, whatever the order of
//! reading (see `Job::claim`). The index is committed every [`IndexOptions::commit_every`]
//! articles, always between two files, so a run killed at any moment leaves the index at a
//! commit where each file is either wholly indexed or not.
//!
//! What failed in a file is kept with the records ([`FileNotes`]) and reported again by
//! every run until the file changes or goes; so is the limit a file's article was cut at, and
//! a run with a larger `--max-article-size` reads the file again. A run asked to stop ([`IndexOptions::stop`])
//! reads no new file, commits what it read, and says so in its report. Articles from standard
//! input (`rasd index -`) belong to no file: each replaces the article with its id, and no
//! later run removes them as a deleted file's.

pub mod diff;

use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use rayon::prelude::*;
use rustc_hash::FxHashMap;
use serde::Serialize;
use tantivy::collector::TopDocs;
use tantivy::index::SegmentId;
use tantivy::indexer::NoMergePolicy;
use tantivy::query::TermQuery;
use tantivy::schema::{Field, IndexRecordOption};
use tantivy::{Searcher, TantivyDocument, Term};
use xxhash_rust::xxh3::xxh3_128;

use crate::analysis::signature::{Signature, Signer};
use crate::article::Article;
use crate::error::{Context, Error};
use crate::ingest::{
    self, DiscoverOptions, Discovery, FileState, ItemOutcome, JsonLinesInput, Problem, ReadOptions,
    Severity,
};
use crate::schema::{IndexSchema, reserved};
use crate::store::DocumentBuilder;
use crate::store::layout::{FolderState, Layout};
use crate::store::memory::{MemoryBudget, WriteQueue};
use crate::store::records::{FailedFile, Failure, FileNotes, FileRecord, Manifest, RecordFields};
use crate::store::{RasdIndex, Writer};
use diff::Work;

/// Most files read in parallel before their articles are handed to the writer.
const CHUNK_FILES: usize = 256;

/// Cuts the files to read into chunks of at most [`CHUNK_FILES`] files and about
/// `max_bytes` bytes (a larger file makes a chunk of its own).
fn chunks<T>(files: &[(ingest::SourceFile, T)], max_bytes: u64) -> Vec<&[(ingest::SourceFile, T)]> {
    let mut chunks = Vec::new();
    let (mut start, mut bytes) = (0, 0);
    for (i, (file, _)) in files.iter().enumerate() {
        // A streamed file is never held whole.
        let size = if file.format.streams() { 0 } else { file.size };
        if i > start && (bytes + size > max_bytes || i - start == CHUNK_FILES) {
            chunks.push(&files[start..i]);
            (start, bytes) = (i, 0);
        }
        bytes += size;
    }
    if start < files.len() {
        chunks.push(&files[start..]);
    }
    chunks
}

/// Default of [`IndexOptions::commit_every`].
pub const DEFAULT_COMMIT_EVERY: usize = 10_000;

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
    /// How files are decoded, and the largest one read.
    pub read: ReadOptions,
    /// Commit after this many articles (between two files), so that progress survives a crash.
    pub commit_every: usize,
    /// How long to wait for another indexing job to finish; zero fails at once.
    pub wait: Duration,
    /// Also read JSON Lines articles from standard input, after the files (`rasd index -`).
    pub stdin: bool,
    /// Let a root that holds nothing to index remove the articles the index has from it
    /// (see [`check_no_root_emptied`]).
    pub allow_empty: bool,
    /// Set (by a signal handler) to stop the run: no new file or line is read, what was read
    /// is committed, and the report says the run was interrupted.
    pub stop: Option<Arc<AtomicBool>>,
}

impl IndexOptions {
    fn stopped(&self) -> bool {
        self.stop
            .as_ref()
            .is_some_and(|s| s.load(Ordering::Relaxed))
    }
}

/// What a run did. Article counts, except `failed`, `warnings`, `files` and `skipped`.
#[derive(Debug, Default, Clone, Serialize)]
pub struct IndexReport {
    /// Articles new to the index.
    pub added: usize,
    /// Articles re-indexed because their file changed.
    pub updated: usize,
    /// Articles removed with their file (deleted, or no longer holding them).
    pub removed: usize,
    /// Articles of files that did not change.
    pub unchanged: usize,
    /// Inputs (files, lines, items) that could not be indexed: in the files read by this run,
    /// and in the files unchanged since a run that could not index them.
    pub failed: usize,
    /// Files in the index whose last read had failures, under any root (as `rasd stats`
    /// counts them).
    pub failed_files: usize,
    /// Inputs indexed or skipped with a caveat.
    pub warnings: usize,
    /// Files read (new or changed).
    pub files: usize,
    /// Files to read: more than `files` only when the run was interrupted.
    pub planned: usize,
    /// Files the run was stopped inside (a web archive read page by page): what was read of
    /// them is committed, but they are not in `files`, and the next run reads them whole.
    pub partly_read: usize,
    /// Whether the run was asked to stop before it read everything; what it read is committed,
    /// except by a rebuild, which is abandoned (the index stays as it was): its report then
    /// counts nothing, but `planned`, `documents` and `failed_files` of the index as it was.
    pub interrupted: bool,
    /// Files skipped for their extension.
    pub skipped: usize,
    /// Articles in the index after the run.
    pub documents: u64,
    pub seconds: f64,
}

/// Follows a run as it goes: for progress bars and problem reports.
pub trait Observer {
    /// A problem with an input, as soon as it is found.
    fn problem(&mut self, problem: &Problem);
    /// The number of files that will be read.
    fn planned(&mut self, _files: usize) {}
    /// One more file read, of this many bytes, giving this many articles.
    fn file_done(&mut self, _bytes: u64, _articles: usize) {}
    /// The run has read everything and entered a phase that can take a while.
    fn phase(&mut self, _phase: Phase) {}
}

/// The long steps at the end of a run, after the last file is read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Phase {
    /// Writing what was read to disk: the final commit.
    Committing,
    /// Merging the segments the run wrote (see `merge_segments`).
    Merging,
}

impl Phase {
    /// How the phase is shown to a person.
    pub fn label(self) -> &'static str {
        match self {
            Phase::Committing => "committing",
            Phase::Merging => "merging segments",
        }
    }
}

/// An [`Observer`] that only reports problems, through a closure.
pub struct OnProblem<F: FnMut(&Problem)>(pub F);

impl<F: FnMut(&Problem)> Observer for OnProblem<F> {
    fn problem(&mut self, problem: &Problem) {
        (self.0)(problem);
    }
}

/// Fails on a root that does not exist, and on an index folder that is inside a root or holds
/// one, before anything is created or read: the index would index itself, and a rebuild
/// would have to tell the archive from the index.
fn check_roots(options: &IndexOptions) -> Result<(), Error> {
    if let Some(missing) = options.roots.iter().find(|r| !r.exists()) {
        return Err(Error::MissingPath(missing.clone()));
    }
    let index = resolved(&options.index_path)?;
    for root in &options.roots {
        let archive = resolved(root)?;
        if index.starts_with(&archive) || archive.starts_with(&index) {
            return Err(Error::IndexOverlapsArchive {
                index: options.index_path.clone(),
                root: root.clone(),
            });
        }
    }
    Ok(())
}

/// `path` made absolute with every link resolved, also when its last components do not
/// exist yet (a new index folder).
fn resolved(path: &Path) -> Result<PathBuf, Error> {
    let absolute =
        std::path::absolute(path).context(|| format!("cannot resolve {}", path.display()))?;
    let mut existing = absolute.as_path();
    let mut missing = Vec::new();
    while !existing.exists() {
        let Some(parent) = existing.parent() else {
            break;
        };
        missing.extend(existing.file_name());
        existing = parent;
    }
    let mut resolved = existing
        .canonicalize()
        .context(|| format!("cannot resolve {}", path.display()))?;
    resolved.extend(missing.iter().rev());
    Ok(resolved)
}

/// Walks the roots, leaving the index folder out.
fn discover(options: &IndexOptions) -> Discovery {
    let discover_options = DiscoverOptions {
        follow_links: options.follow_links,
        exclude: Some(options.index_path.clone()),
    };
    ingest::discover(&options.roots, &discover_options)
}

/// Fails when the roots hold nothing to index and nothing indexed from them (a mistyped path),
/// unless standard input is read too.
fn check_not_empty(
    options: &IndexOptions,
    discovery: &Discovery,
    work: &Work,
) -> Result<(), Error> {
    let nothing = discovery.files.is_empty() && discovery.problems.is_empty();
    if nothing && work.removed.is_empty() && !options.stdin {
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
    Ok(())
}

/// Fails when a root holds no file to index (nor one that could not be read) while the index
/// has articles from it, unless the run allows it: an archive on a share that is not
/// mounted, or a sync folder emptied by a failed sync, looks just like that, and a scheduled
/// run would empty the index of it and exit with success.
fn check_no_root_emptied(
    options: &IndexOptions,
    discovery: &Discovery,
    work: &Work,
) -> Result<(), Error> {
    if options.allow_empty {
        return Ok(());
    }
    let under = diff::is_under;
    for root in &discovery.roots {
        let articles: u64 = (work.removed.iter())
            .filter(|(key, _)| under(key, root))
            .map(|(_, record)| record.articles)
            .sum();
        let found = discovery.files.iter().any(|f| under(&f.key(), root))
            || discovery.problems.iter().any(|p| under(&p.path, root));
        if articles > 0 && !found {
            return Err(Error::EmptiedRoot {
                root: root.clone(),
                articles,
            });
        }
    }
    Ok(())
}

/// The key of the file whose article holds `id` in the committed index, if any.
fn holder(searcher: &Searcher, id: Term) -> Result<Option<String>, Error> {
    if searcher.num_docs() == 0 {
        return Ok(None); // a first build
    }
    let failed = || "cannot search the index".to_string();
    let query = TermQuery::new(id, IndexRecordOption::Basic);
    let top = searcher
        .search(&query, &TopDocs::with_limit(1).order_by_score())
        .context(failed)?;
    let Some((_, address)) = top.first() else {
        return Ok(None);
    };
    let segment = searcher.segment_reader(address.segment_ord);
    let Some(files) = segment.fast_fields().str(reserved::FILE).context(failed)? else {
        return Ok(None);
    };
    let mut key = String::new();
    if let Some(ord) = files.ords().first(address.doc_id) {
        files.ord_to_str(ord, &mut key).context(failed)?;
    }
    Ok(Some(key))
}

/// What happens to an article whose id another file may also use.
enum Claim {
    /// No other article has the id.
    New,
    /// It replaces its own earlier version, from the last run.
    Replaces,
    /// It repeats an id used earlier in its own file, whose article it replaces: a streamed
    /// file's or standard input's (a file read whole keeps only the last of each id, see
    /// `SourceFile::read`).
    Repeats,
    /// It wins over another file's article with the id, which is deleted.
    WinsOver,
    /// It wins over another file's article with the id that this run added, which is deleted:
    /// the same article in the counts, counted when that one was.
    WinsOverThisRun,
    /// Another file's article with the id wins; this one is left out.
    Loses,
}

/// The modification time recorded for a file the next run must read again: a streamed file
/// whose reading was stopped half-way, whose articles that run replaces, or a file outside
/// the run that shares article ids with one it changed. No file has it.
const UNREAD: i64 = i64::MIN;

/// A file whose articles are being replaced (see `Job::replace_article`).
struct Replacement {
    key: Arc<str>,
    /// Its record before this run.
    previous: Option<FileRecord>,
    /// Whether what the index held from it was deleted.
    cleared: bool,
    /// Its articles in the index.
    kept: u64,
    /// Its articles read so far: the place of the next one in the file.
    read: u64,
    /// Its articles that replaced one of its own from the last run.
    updated_here: usize,
    shares_ids: bool,
}

impl Replacement {
    fn new(file: &ingest::SourceFile, previous: Option<FileRecord>) -> Self {
        Replacement {
            key: Arc::from(file.key().as_ref()),
            previous,
            cleared: false,
            kept: 0,
            read: 0,
            updated_here: 0,
            shares_ids: false,
        }
    }
}

/// What reading one file gave, with the story signature of each of its articles.
struct Signed {
    outcome: ingest::FileOutcome,
    /// One per article of `outcome`, in order.
    signatures: Vec<Signature>,
}

/// Signs the articles of a file, in parallel: the files of a chunk are signed as they are
/// read, on rayon's threads, rather than one article at a time on the thread that feeds the
/// writer, which the whole run waited for.
fn signed(outcome: ingest::FileOutcome, signer: &Signer) -> Signed {
    let signatures = outcome
        .articles
        .par_iter()
        .map_init(
            || signer.clone(),
            |signer, article| signer.sign(&article.body),
        )
        .collect();
    Signed {
        outcome,
        signatures,
    }
}

/// A run in progress: the writer, what the index held before, and the counts.
struct Job<'a> {
    index: &'a RasdIndex,
    writer: Writer,
    /// The documents handed to the writer and not yet indexed: adding waits while it is full.
    queue: WriteQueue,
    before: Searcher,
    manifest: &'a Manifest,
    builder: DocumentBuilder,
    /// Signs the articles read one at a time: streamed files and standard input.
    signer: Signer,
    records: RecordFields,
    id_field: Field,
    report: IndexReport,
    /// The files this run reads or removes: what the index held from them goes anyway.
    redone: HashSet<String>,
    /// For each id met in this run, by [`id_key`], the file whose article holds it.
    seen: FxHashMap<u128, Arc<str>>,
    /// The records written in this run, by file key.
    written: HashMap<Arc<str>, FileRecord>,
    /// Documents added since the last commit.
    pending: usize,
    /// Whether anything was written since the run began.
    changed: bool,
    commit_every: usize,
    /// What the index keeps of the files (failures, cut articles), committed with the records.
    notes: FileNotes,
    /// `--max-article-size`, in bytes: the limit a cut is noted with.
    article_limit: u64,
}

impl Job<'_> {
    fn record_problem(&mut self, problem: &Problem, observer: &mut dyn Observer) {
        match problem.severity {
            Severity::Failed => self.report.failed += 1,
            Severity::Warning => self.report.warnings += 1,
        }
        observer.problem(problem);
    }

    fn add(&mut self, doc: TantivyDocument) -> Result<(), Error> {
        self.writer
            .add_document(self.queue.admit(doc))
            .context(|| "cannot add a document".to_string())?;
        self.pending += 1;
        self.changed = true;
        Ok(())
    }

    fn remove_file(&mut self, key: &str, record: &FileRecord) {
        self.writer.delete_term(self.records.file_term(key));
        self.report.removed += record.articles as usize;
        self.changed = true;
    }

    /// Rewrites the record of the file `key`, outside this run's roots, so that the next run
    /// that names it reads it again ([`UNREAD`]): it shares article ids with a file this run
    /// reads again or removes, so its articles may now win, or lose.
    fn read_again_later(&mut self, key: &str, record: &FileRecord) -> Result<(), Error> {
        let record = FileRecord {
            modified: UNREAD,
            ..*record
        };
        self.writer
            .delete_query(self.records.record_query(key))
            .context(|| "cannot update a file record".to_string())?;
        self.add(self.records.document(key, &record))?;
        self.written.insert(Arc::from(key), record);
        Ok(())
    }

    /// Decides between `article` of the file `key` and another file's article with the same
    /// id. The article of the file whose key sorts last wins, whatever the order files are
    /// read in, so a re-run gives what a clean build gives. Both files are marked as sharing
    /// ids, and the other one's record is rewritten to say so.
    fn claim(
        &mut self,
        article: &Article,
        key: &Arc<str>,
        observer: &mut dyn Observer,
    ) -> Result<Claim, Error> {
        let id_key = id_key(&article.id);
        let (other, this_run) = match self.seen.get(&id_key) {
            // The reader reported the repeat, with the places of both articles.
            Some(earlier) if earlier == key => return Ok(Claim::Repeats),
            Some(earlier) => (earlier.clone(), true),
            None => {
                let id = Term::from_field_text(self.id_field, &article.id);
                match holder(&self.before, id)? {
                    None => {
                        self.seen.insert(id_key, key.clone());
                        return Ok(Claim::New);
                    }
                    Some(other) if *other == **key || self.redone.contains(&other) => {
                        self.seen.insert(id_key, key.clone());
                        return Ok(Claim::Replaces);
                    }
                    Some(other) => (Arc::from(other), false),
                }
            }
        };
        // An article found after damaged data may come from inside the damaged record: it
        // never takes an id from another file. Between the others, a file that gave no such
        // articles wins over one that did (as noted by its last read, or this one so far),
        // then the path that sorts last: the same winner run after run.
        let id = named_id(&article.id);
        let damaged = |key: &str| self.notes.damaged.contains(key);
        let (wins, reason) = match (damaged(key), damaged(&other)) {
            _ if article.after_damage => (
                false,
                format!(
                    "id `{id}` also used in {other}; this article, found after damaged data, is left out"
                ),
            ),
            (here, there) if here != there => (
                there,
                format!(
                    "id `{id}` also used in {other}; the article of the file that gave none found after damaged data is kept"
                ),
            ),
            _ => (
                **key > *other,
                format!(
                    "id `{id}` also used in {other}; the article of the file whose path sorts last is kept"
                ),
            ),
        };
        self.warn(article, reason, observer);
        self.mark_sharing(&other, wins)?;
        if wins {
            self.seen.insert(id_key, key.clone());
            Ok(match this_run {
                true => Claim::WinsOverThisRun,
                false => Claim::WinsOver,
            })
        } else {
            Ok(Claim::Loses)
        }
    }

    fn warn(&mut self, article: &Article, reason: String, observer: &mut dyn Observer) {
        let problem = Problem {
            path: article.path.clone(),
            line: None,
            severity: Severity::Warning,
            reason,
        };
        self.record_problem(&problem, observer);
    }

    /// Rewrites the record of the file `key` to say that it shares ids, and that one article
    /// fewer of it is in the index when it just lost one.
    fn mark_sharing(&mut self, key: &Arc<str>, lost_one: bool) -> Result<(), Error> {
        let Some(previous) = self
            .written
            .get(key)
            .or_else(|| self.manifest.records.get(&**key))
            .copied()
        else {
            return Ok(());
        };
        let record = FileRecord {
            shares_ids: true,
            articles: previous.articles.saturating_sub(u64::from(lost_one)),
            ..previous
        };
        self.writer
            .delete_query(self.records.record_query(key))
            .context(|| "cannot update a file record".to_string())?;
        self.add(self.records.document(key, &record))?;
        self.written.insert(key.clone(), record);
        Ok(())
    }

    /// Replaces everything the index holds from a file by its articles and a new record.
    fn replace_file(
        &mut self,
        file: &ingest::SourceFile,
        previous: Option<FileRecord>,
        hash: Option<u64>,
        articles: Vec<Article>,
        signatures: Vec<Signature>,
        observer: &mut dyn Observer,
    ) -> Result<(), Error> {
        let mut replacement = Replacement::new(file, previous);
        self.clear(&mut replacement);
        for (article, signature) in articles.into_iter().zip(signatures) {
            self.replace_article(&mut replacement, article, signature, observer)?;
        }
        self.finish_replacement(replacement, file, hash)
    }

    /// Deletes what the index holds from the file being replaced, once, before its first
    /// new article (tantivy applies a delete to the documents added before it).
    fn clear(&mut self, replacement: &mut Replacement) {
        if !replacement.cleared && replacement.previous.is_some() {
            self.writer
                .delete_term(self.records.file_term(&replacement.key));
        }
        replacement.cleared = true;
    }

    /// Adds one article of the file being replaced.
    fn replace_article(
        &mut self,
        replacement: &mut Replacement,
        article: Article,
        signature: Signature,
        observer: &mut dyn Observer,
    ) -> Result<(), Error> {
        self.clear(replacement);
        let position = replacement.read;
        replacement.read += 1;
        let claim = self.claim(&article, &replacement.key, observer)?;
        replacement.shares_ids |= matches!(
            claim,
            Claim::WinsOver | Claim::WinsOverThisRun | Claim::Loses
        );
        let previous = replacement.previous.is_some();
        match claim {
            Claim::Loses => return Ok(()),
            Claim::New => self.report.added += 1,
            Claim::Repeats | Claim::WinsOverThisRun => {}
            Claim::Replaces if !previous => self.report.added += 1,
            // Another file's article replaced by this one counts as an update too.
            Claim::Replaces | Claim::WinsOver => {
                self.report.updated += 1;
                replacement.updated_here += usize::from(previous);
            }
        }
        if !matches!(claim, Claim::New) {
            let id = Term::from_field_text(self.id_field, &article.id);
            self.writer.delete_term(id);
        }
        self.add(self.builder.build(&article, signature, position))?;
        // A repeated id replaces an article of this same file: its count stays.
        replacement.kept += u64::from(!matches!(claim, Claim::Repeats));
        Ok(())
    }

    /// Writes the record of a replaced file, and counts the articles it no longer holds.
    fn finish_replacement(
        &mut self,
        replacement: Replacement,
        file: &ingest::SourceFile,
        hash: Option<u64>,
    ) -> Result<(), Error> {
        if let Some(previous) = replacement.previous {
            self.report.removed +=
                (previous.articles as usize).saturating_sub(replacement.updated_here);
        }
        let record = FileRecord {
            size: file.size,
            modified: file.modified,
            hash: hash.unwrap_or(crate::store::records::NOT_READ),
            articles: replacement.kept,
            shares_ids: replacement.shares_ids,
        };
        self.written.insert(replacement.key.clone(), record);
        self.add(self.records.document(&replacement.key, &record))
    }

    /// Keeps what failed in a file read, to report it again until the file changes.
    fn keep_failures(&mut self, file: &ingest::SourceFile, failures: Vec<Failure>, vanished: bool) {
        let failed = FailedFile::new(failures);
        if failed.count == 0 || vanished {
            self.notes.failed.remove(file.key().as_ref());
        } else {
            self.notes.failed.insert(file.key().into_owned(), failed);
        }
    }

    /// Notes what the articles the index now holds from a file were: cut, and at which limit
    /// (a run with a larger one reads the file again), and found after damaged data (another
    /// file's article takes their ids, see [`Job::claim`]).
    fn note_read(&mut self, file: &ingest::SourceFile, cut: bool, after_damage: bool) {
        let key = file.key();
        if cut {
            let limit = self.article_limit;
            self.notes.cut.insert(key.clone().into_owned(), limit);
        } else {
            self.notes.cut.remove(key.as_ref());
        }
        if after_damage {
            self.notes.damaged.insert(key.into_owned());
        } else {
            self.notes.damaged.remove(key.as_ref());
        }
    }

    /// Whether the index holds a file's articles cut: read again (a larger limit), the file
    /// is redone whole even if its bytes are the same.
    fn was_cut(&self, key: &str) -> bool {
        self.index.file_notes().cut.contains_key(key)
    }

    /// Reads a file of a streamed format (a web archive) and applies its articles one at a
    /// time, so that a file far larger than memory is indexed within `--memory`. Its hash is
    /// read first, in a pass of its own: a file touched but not changed is not parsed again.
    /// A run asked to stop stops inside the file too: what was read of it is committed under
    /// a record that matches no file, so that the next run reads it again whole.
    fn apply_stream(
        &mut self,
        file: &ingest::SourceFile,
        previous: Option<FileRecord>,
        options: &IndexOptions,
        observer: &mut dyn Observer,
    ) -> Result<(), Error> {
        let hash = match file.content_hash() {
            Ok(hash) => hash,
            Err(outcome) => {
                let read = signed(outcome, &self.signer);
                return self.apply(file, previous, read, observer);
            }
        };
        let key = file.key();
        // Touched but not changed: not parsed again. What failed in it is said again from the
        // index's notes, which keep it for the next run.
        if let Some(previous) = previous.filter(|p| p.hash == hash && !p.shares_ids)
            && !self.was_cut(&key)
        {
            self.report_kept_failures(&key, observer);
            self.report.files += 1;
            observer.file_done(file.size, 0);
            self.renew(file, previous)?;
            return self.commit_if_due();
        }
        let read = ReadOptions {
            batch_bytes: MemoryBudget::new(options.memory_mb).read_bytes,
            ..options.read
        };
        let pages = match file.stream(&read) {
            Ok(pages) => pages,
            Err(outcome) => {
                let read = signed(outcome, &self.signer);
                return self.apply(file, previous, read, observer);
            }
        };
        let mut replacement = Replacement::new(file, previous);
        let (mut failures, mut articles, mut stopped) = (Vec::new(), 0, false);
        let (mut cut, mut after_damage) = (false, false);
        for item in pages {
            for problem in &item.problems {
                self.record_problem(problem, observer);
                if problem.severity == Severity::Failed {
                    failures.push(Failure {
                        line: problem.line,
                        reason: problem.reason.clone(),
                    });
                }
            }
            if let Some(article) = item.article {
                articles += 1;
                cut |= article.cut;
                if article.after_damage && !after_damage {
                    // Noted at once: a run stopped in this file must not forget it.
                    after_damage = true;
                    self.notes.damaged.insert(file.key().into_owned());
                }
                let signature = self.signer.sign(&article.body);
                self.replace_article(&mut replacement, article, signature, observer)?;
            }
            if options.stopped() {
                stopped = true;
                break;
            }
        }
        if let Some(problem) = file.changed_while_read() {
            self.record_problem(&problem, observer);
        }
        match stopped {
            true => self.report.partly_read += 1,
            false => self.report.files += 1,
        }
        observer.file_done(file.size, articles);
        let wholly_failed = articles == 0 && !failures.is_empty();
        self.keep_failures(file, failures, false);
        if stopped {
            self.clear(&mut replacement);
            let unread = ingest::SourceFile {
                modified: UNREAD,
                ..file.clone()
            };
            self.finish_replacement(replacement, &unread, None)?;
        } else if !wholly_failed {
            // Nothing read but failures: what the index holds from the file stays.
            self.clear(&mut replacement);
            self.finish_replacement(replacement, file, Some(hash))?;
            self.note_read(file, cut, after_damage);
        }
        self.commit_if_due()
    }

    /// Applies what reading one file gave.
    fn apply(
        &mut self,
        file: &ingest::SourceFile,
        previous: Option<FileRecord>,
        read: Signed,
        observer: &mut dyn Observer,
    ) -> Result<(), Error> {
        let Signed {
            outcome,
            signatures,
        } = read;
        let has_failure = outcome
            .problems
            .iter()
            .any(|p| p.severity == Severity::Failed);
        // Touched but not changed: the index keeps the articles it holds.
        let touched_only = match (&outcome.state, &previous) {
            (FileState::Read { hash }, Some(previous)) => {
                *hash == previous.hash && !previous.shares_ids && !self.was_cut(&file.key())
            }
            _ => false,
        };
        for problem in &outcome.problems {
            // Held whole from a run at a higher --max-article-size, they are not cut.
            if !(touched_only && ingest::is_cut_warning(problem)) {
                self.record_problem(problem, observer);
            }
        }
        self.report.files += 1;
        observer.file_done(file.size, outcome.articles.len());
        let failures = outcome
            .problems
            .iter()
            .filter(|p| p.severity == Severity::Failed)
            .map(|p| Failure {
                line: p.line,
                reason: p.reason.clone(),
            })
            .collect();
        self.keep_failures(file, failures, outcome.state == FileState::Vanished);
        match outcome.state {
            FileState::Vanished => {
                if let Some(previous) = previous {
                    self.remove_file(&file.key(), &previous);
                }
                self.note_read(file, false, false);
            }
            // Keep what the index holds; the next run tries again.
            FileState::Unreadable => {}
            // Skipped again as it was: nothing to write.
            FileState::Skipped
                if previous.is_some_and(|p| {
                    p.not_read() && p.size == file.size && p.modified == file.modified
                }) => {}
            FileState::Skipped => {
                self.replace_file(file, previous, None, vec![], vec![], observer)?;
                self.note_read(file, false, false);
            }
            FileState::Read { .. } if outcome.articles.is_empty() && has_failure => {}
            FileState::Read { hash } => match previous {
                // Touched but not changed: only the record is renewed. A file sharing ids
                // is read again only to settle which article wins, so it is redone whole.
                Some(previous) if touched_only => self.renew(file, previous)?,
                _ => {
                    let cut = outcome.articles.iter().any(|a| a.cut);
                    let after_damage = outcome.articles.iter().any(|a| a.after_damage);
                    self.replace_file(
                        file,
                        previous,
                        Some(hash),
                        outcome.articles,
                        signatures,
                        observer,
                    )?;
                    self.note_read(file, cut, after_damage);
                }
            },
        }
        self.commit_if_due()
    }

    /// Renews the record of a file touched but not changed: the index keeps its articles.
    fn renew(&mut self, file: &ingest::SourceFile, previous: FileRecord) -> Result<(), Error> {
        let key = file.key();
        self.writer
            .delete_query(self.records.record_query(&key))
            .context(|| "cannot update a file record".to_string())?;
        let record = FileRecord {
            size: file.size,
            modified: file.modified,
            ..previous
        };
        self.add(self.records.document(&key, &record))?;
        self.report.unchanged += previous.articles as usize;
        Ok(())
    }

    fn commit_if_due(&mut self) -> Result<(), Error> {
        if self.pending >= self.commit_every {
            self.index.commit(&mut self.writer, &self.notes)?;
            self.pending = 0;
        }
        Ok(())
    }

    /// Reports again what failed in a file unchanged since the run that could not index it.
    fn report_kept_failures(&mut self, key: &str, observer: &mut dyn Observer) {
        let Some(failed) = self.notes.failed.get(key).cloned() else {
            return;
        };
        for failure in failed.failures {
            let problem = Problem {
                path: key.to_string(),
                line: failure.line,
                severity: Severity::Failed,
                reason: failure.reason,
            };
            self.record_problem(&problem, observer);
        }
        let more = failed.count.saturating_sub(FailedFile::KEPT);
        if more > 0 {
            let problem = Problem {
                path: key.to_string(),
                line: None,
                severity: Severity::Failed,
                reason: format!("{more} more inputs failed, not listed"),
            };
            self.record_problem(&problem, observer);
            self.report.failed += more - 1;
        }
    }

    /// Adds an article from standard input, replacing the article with its id: standard
    /// input is no file, so nothing else of it is replaced, now or by a later run.
    fn upsert(&mut self, line: ItemOutcome, observer: &mut dyn Observer) -> Result<(), Error> {
        for problem in &line.problems {
            self.record_problem(problem, observer);
        }
        let Some(article) = line.article else {
            return Ok(());
        };
        let key: Arc<str> = Arc::from(ingest::STDIN);
        let claim = self.claim(&article, &key, observer)?;
        match claim {
            Claim::Loses => return Ok(()),
            Claim::New => self.report.added += 1,
            // Counted when its first version was added in this run.
            Claim::Repeats | Claim::WinsOverThisRun => {}
            Claim::Replaces | Claim::WinsOver => self.report.updated += 1,
        }
        if !matches!(claim, Claim::New) {
            self.writer
                .delete_term(Term::from_field_text(self.id_field, &article.id));
        }
        let signature = self.signer.sign(&article.body);
        // Standard input is no file: its articles rank alike in the index's order.
        self.add(self.builder.build(&article, signature, 0))?;
        self.commit_if_due()
    }
}

/// What a run knows an article's id by: a 128-bit hash of it. Kept as strings, the ids of a
/// 1,000,000-article build were the peak of its memory, near the end of the writing, while
/// their table doubled its room (272 MB anonymous; 236 MB with hashes, measured with
/// `scripts/bench.sh --only scale`). Two different ids of one archive have the same hash with a
/// probability of about 10⁻²⁷.
fn id_key(id: &str) -> u128 {
    xxh3_128(id.as_bytes())
}

/// An id as a warning names it: its first [`NAMED_ID_CHARS`] characters and `…`, so that an
/// archive's megabyte id still makes a one-line warning.
fn named_id(id: &str) -> String {
    match id.char_indices().nth(NAMED_ID_CHARS) {
        Some((end, _)) => format!("{}…", &id[..end]),
        None => id.to_string(),
    }
}

/// The most characters of an id a warning shows.
const NAMED_ID_CHARS: usize = 80;

/// Most segments an index keeps before a run merges them all into one.
const MAX_SEGMENTS: usize = 6;

/// Most segments merged at once. tantivy's merger keeps, for each segment it reads, its field
/// norms, fast-field columns, term dictionaries and rasd's read-ahead: about 1.3 MB a segment
/// at a million articles, where a build leaves 165 segments (330–370 MB in one merge, over
/// `--memory 256`). 24 bound it to about 31 MB: a million-article build's merges now stay
/// under 200 MB, below what its writing takes.
const MAX_MERGE_WIDTH: usize = 24;

/// Merges the segments a run wrote into one, and the whole index into one when it has more
/// than [`MAX_SEGMENTS`]. A search is a new process that opens every segment and looks each
/// query word up in each: with one segment instead of the five tantivy's own merge policy
/// leaves after 200,000 articles, a search takes a fifth less time. Runs merge nothing as they
/// go (their commits only add segments), so that a small update to a large index rewrites
/// only its own segments, and the whole index only now and then. Many segments are merged in
/// steps (see [`merge_steps`]); each step's result is committed as tantivy ends it, so a run
/// killed between steps leaves a whole index with fewer segments. Once `stopped` says so, no
/// further step starts.
fn merge_segments(
    index: &RasdIndex,
    writer: &mut Writer,
    before: &HashSet<SegmentId>,
    notes: &FileNotes,
    stopped: impl Fn() -> bool,
) -> Result<(), Error> {
    let failed = || "cannot merge the index's segments".to_string();
    let all: Vec<(SegmentId, u32)> = index
        .index
        .searchable_segment_metas()
        .context(failed)?
        .iter()
        .map(|meta| (meta.id(), meta.num_docs()))
        .collect();
    let mut merged: Vec<(SegmentId, u32)> = if all.len() > MAX_SEGMENTS {
        all
    } else {
        all.into_iter()
            .filter(|(id, _)| !before.contains(id))
            .collect()
    };
    if merged.len() < 2 {
        return Ok(());
    }
    while let Some(step) = merge_steps(&merged, MAX_MERGE_WIDTH).filter(|_| !stopped()) {
        let ids: Vec<SegmentId> = step.iter().map(|&i| merged[i].0).collect();
        let result = writer.merge(&ids).wait().context(failed)?;
        merged = merged
            .iter()
            .enumerate()
            .filter(|(i, _)| !step.contains(i))
            .map(|(_, &segment)| segment)
            .chain(result.map(|meta| (meta.id(), meta.num_docs())))
            .collect();
    }
    index.commit(writer, notes)
}

/// The next merge of `segments` (their ids and sizes), as indexes into it: all of them when
/// they are at most `width`; else the smallest, as many as bring the count to `width` (so the
/// large segments are written once more only in the last merge); `None` when one is left.
fn merge_steps<T>(segments: &[(T, u32)], width: usize) -> Option<Vec<usize>> {
    let count = segments.len();
    let width = width.max(2);
    if count < 2 {
        return None;
    }
    if count <= width {
        return Some((0..count).collect());
    }
    let mut by_size: Vec<usize> = (0..count).collect();
    by_size.sort_by_key(|&i| (segments[i].1, i));
    by_size.truncate(width.min(count - width + 1));
    Some(by_size)
}

/// Runs an indexing job, reporting to `observer` as it goes.
pub fn run(options: &IndexOptions, observer: &mut dyn Observer) -> Result<IndexReport, Error> {
    let started = Instant::now();
    check_roots(options)?;
    // A first build that finds nothing to index (a mistyped folder) creates no index: later
    // searches would say that nothing matched, not that there is no index. Its walk is kept.
    let first_build = matches!(
        Layout::new(&options.index_path).inspect()?,
        FolderState::Missing | FolderState::Empty
    );
    let discovery = match first_build {
        true => {
            let discovery = discover(options);
            check_not_empty(options, &discovery, &Work::default())?;
            Some(discovery)
        }
        false => None,
    };
    // The lock first: a second job fails (or waits) before doing any other work.
    let (index, writer, session) = RasdIndex::open_for_indexing(
        &options.index_path,
        options.schema.clone(),
        options.rebuild,
        options.memory_mb,
        options.wait,
    )?;
    match update(options, discovery, &index, writer, observer) {
        // A rebuild stopped half-way would replace a complete index by a partial one:
        // searches keep the old one, and the next rebuild starts again.
        // The report then says what the run kept: nothing, and the index as it was.
        Ok(report) if report.interrupted && options.rebuild => {
            session.abandon();
            let (documents, failed_files) = match RasdIndex::open(&options.index_path) {
                Ok(old) => (old.article_count()?, old.failed_files().len()),
                Err(Error::NoIndex(_) | Error::IndexNotReady(_)) => (0, 0),
                Err(e) => return Err(e),
            };
            Ok(IndexReport {
                planned: report.planned,
                interrupted: true,
                documents,
                failed_files,
                seconds: started.elapsed().as_secs_f64(),
                ..IndexReport::default()
            })
        }
        Ok(mut report) => {
            session.publish()?;
            report.seconds = started.elapsed().as_secs_f64();
            Ok(report)
        }
        Err(e) => {
            // The writer is gone: what it wrote since the last commit can go too, so that a
            // full disk does not stay full.
            session.abandon();
            Err(e)
        }
    }
}

/// Brings the open index in line with the roots, committing as it goes.
fn update(
    options: &IndexOptions,
    discovery: Option<Discovery>,
    index: &RasdIndex,
    writer: Writer,
    observer: &mut dyn Observer,
) -> Result<IndexReport, Error> {
    let discovery = discovery.unwrap_or_else(|| discover(options));
    let before = index.searcher()?;
    let manifest = Manifest::load(&before)?;
    let article_limit = options.read.max_article_size as u64;
    let work = diff::classify(
        &discovery,
        &manifest,
        &index.file_notes().cut,
        article_limit,
    );
    check_not_empty(options, &discovery, &work)?;
    check_no_root_emptied(options, &discovery, &work)?;
    // A run with nothing to change writes nothing, and need not read the whole index.
    if !work.to_read.is_empty() || !work.removed.is_empty() || options.stdin {
        index.verify()?;
    }
    let notes = diff::kept_notes(&discovery, &work, index.file_notes());

    writer.set_merge_policy(Box::new(NoMergePolicy));
    let segments_before: HashSet<SegmentId> = index
        .index
        .searchable_segment_ids()
        .context(|| "cannot read the index's segments".to_string())?
        .into_iter()
        .collect();
    let budget = MemoryBudget::new(options.memory_mb);
    let builder = DocumentBuilder::new(index);
    let mut job = Job {
        index,
        writer,
        queue: WriteQueue::new(budget.queue_bytes),
        signer: builder.signer(),
        builder,
        records: RecordFields::new(index),
        id_field: index.field("id"),
        before,
        report: IndexReport {
            skipped: discovery.skipped,
            planned: work.to_read.len(),
            unchanged: work
                .unchanged
                .iter()
                .map(|(_, r)| r.articles as usize)
                .sum(),
            ..IndexReport::default()
        },
        manifest: &manifest,
        redone: work
            .to_read
            .iter()
            .map(|(file, _)| file.key().into_owned())
            .chain(work.removed.iter().map(|(key, _)| key.clone()))
            .collect(),
        seen: FxHashMap::default(),
        written: HashMap::new(),
        pending: 0,
        changed: false,
        commit_every: options.commit_every.max(1),
        notes,
        article_limit,
    };
    for problem in &discovery.problems {
        job.record_problem(problem, observer);
    }
    for (file, _) in &work.unchanged {
        job.report_kept_failures(&file.key(), observer);
    }
    for (key, record) in &work.removed {
        job.remove_file(key, record);
    }
    for (key, record) in &work.sharing_elsewhere {
        job.read_again_later(key, record)?;
    }
    observer.planned(work.to_read.len());
    for chunk in chunks(&work.to_read, budget.read_bytes as u64) {
        if options.stopped() {
            break;
        }
        // A file whose reading has not begun when the run is stopped is left for the next;
        // a streamed file is read as it is applied, below.
        let signer = &job.signer;
        let outcomes: Vec<_> = chunk
            .par_iter()
            .map(|(file, _)| {
                (!options.stopped() && !file.format.streams())
                    .then(|| signed(file.read(&options.read), signer))
            })
            .collect();
        for ((file, previous), outcome) in chunk.iter().zip(outcomes) {
            match outcome {
                Some(outcome) => job.apply(file, *previous, outcome, observer)?,
                None if file.format.streams() && !options.stopped() => {
                    job.apply_stream(file, *previous, options, observer)?;
                }
                None => {}
            }
        }
    }
    if options.stdin && !options.stopped() {
        for line in JsonLinesInput::new(std::io::stdin().lock(), options.read) {
            job.upsert(line, observer)?;
            if options.stopped() {
                break;
            }
        }
    }
    // Failures dropped with files gone, and nothing else: still a change to commit.
    let notes_changed = job.notes != *index.file_notes();
    let Job {
        mut writer,
        mut report,
        changed,
        notes,
        ..
    } = job;
    report.failed_files = notes.failed.len();
    if changed || notes_changed {
        observer.phase(Phase::Committing);
        index.commit(&mut writer, &notes)?;
    }
    // An interrupted run leaves the merge to the next: it was asked to end soon, also when
    // the signal came once every file was read.
    if changed && !options.stopped() {
        observer.phase(Phase::Merging);
        // The articles are committed: a merge that fails (a full disk: it needs room for a
        // second copy) only leaves searches a little slower, and the next run tries again.
        let stopped = || options.stopped();
        let merged = merge_segments(index, &mut writer, &segments_before, &notes, stopped)
            .and_then(|()| {
                writer
                    .wait_merging_threads()
                    .context(|| "cannot finish merging segments".to_string())
            });
        if let Err(e) = merged {
            let problem = Problem {
                path: index.path.display().to_string(),
                line: None,
                severity: Severity::Warning,
                reason: format!("{e}; the articles are committed, the next run merges again"),
            };
            report.warnings += 1;
            observer.problem(&problem);
        }
    }
    report.interrupted = options.stopped();
    report.documents = index.article_count()?;
    Ok(report)
}

/// What a run would do, file by file, without reading any file or touching the index.
#[derive(Debug, Default, Clone, Serialize)]
pub struct Plan {
    /// Files that would be read for the first time.
    pub add: Vec<String>,
    /// Indexed files whose size or modification time changed, that would be read again.
    pub update: Vec<String>,
    /// Indexed files gone from under the roots, with their article counts.
    pub remove: Vec<(String, u64)>,
    /// Files that would not be read.
    pub unchanged: usize,
    /// Problems met while walking the roots.
    pub problems: Vec<Problem>,
}

impl Plan {
    /// How many of its problems are failures: the run would fail as many times, and exit 1.
    pub fn failed(&self) -> usize {
        (self.problems.iter())
            .filter(|p| p.severity == Severity::Failed)
            .count()
    }
}

/// Plans a run (`rasd index --dry-run`): compares the roots with the index's records.
pub fn plan(options: &IndexOptions) -> Result<Plan, Error> {
    check_roots(options)?;
    let discovery = discover(options);
    let (manifest, cut) = match RasdIndex::open(&options.index_path) {
        _ if options.rebuild => Default::default(),
        Ok(index) => (
            Manifest::load(&index.searcher()?)?,
            index.file_notes().cut.clone(),
        ),
        Err(Error::NoIndex(_) | Error::IndexNotReady(_)) => Default::default(),
        Err(e) => return Err(e),
    };
    let article_limit = options.read.max_article_size as u64;
    let work = diff::classify(&discovery, &manifest, &cut, article_limit);
    check_not_empty(options, &discovery, &work)?;
    check_no_root_emptied(options, &discovery, &work)?;
    let mut plan = Plan {
        unchanged: work.unchanged.len(),
        remove: work
            .removed
            .into_iter()
            .map(|(key, record)| (key, record.articles))
            .collect(),
        problems: discovery.problems,
        ..Plan::default()
    };
    for (file, previous) in work.to_read {
        let list = if previous.is_some() {
            &mut plan.update
        } else {
            &mut plan.add
        };
        list.push(file.key().into_owned());
    }
    Ok(plan)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Plays [`merge_steps`] to the end: the widest merge and how many documents were
    /// written in all (each merge writes its inputs once more).
    fn play_merges(sizes: &[u32], width: usize) -> (usize, u64, usize) {
        let mut segments: Vec<((), u32)> = sizes.iter().map(|&n| ((), n)).collect();
        let (mut widest, mut written, mut merges) = (0, 0u64, 0);
        while let Some(step) = merge_steps(&segments, width) {
            widest = widest.max(step.len());
            merges += 1;
            let merged: u32 = step.iter().map(|&i| segments[i].1).sum();
            written += u64::from(merged);
            segments = segments
                .iter()
                .enumerate()
                .filter(|(i, _)| !step.contains(i))
                .map(|(_, &s)| s)
                .chain([((), merged)])
                .collect();
        }
        assert_eq!(segments.len(), 1.min(sizes.len()));
        (widest, written, merges)
    }

    #[test]
    fn a_long_id_is_named_by_its_first_characters() {
        assert_eq!(named_id("same"), "same");
        let long = "خ".repeat(NAMED_ID_CHARS);
        assert_eq!(named_id(&long), long);
        let named = named_id(&format!("{long}x{}", "y".repeat(1_000_000)));
        assert_eq!(named, format!("{long}…"));
    }

    #[test]
    fn merges_are_at_most_the_width_and_end_in_one_segment() {
        // A million articles: 165 segments of about 6,000.
        let sizes: Vec<u32> = (0..165).map(|i| 5_800 + (i * 37) % 400).collect();
        let total: u64 = sizes.iter().map(|&n| u64::from(n)).sum();
        let (widest, written, _) = play_merges(&sizes, MAX_MERGE_WIDTH);
        assert!(widest <= MAX_MERGE_WIDTH);
        // Stepping writes more than one merge would, but not all of it many times over.
        assert!(
            written > total && written < 4 * total,
            "{written} vs {total}"
        );
        // Few segments: one merge of them all, as before.
        assert_eq!(play_merges(&[10, 20, 30], MAX_MERGE_WIDTH), (3, 60, 1));
        // Just over the width: the four smallest are merged first (27 - 4 + 1 = 24 left), then
        // all.
        let (_, written, merges) = play_merges(
            &[100; 25].iter().copied().chain([1, 1]).collect::<Vec<_>>(),
            24,
        );
        assert_eq!(merges, 2);
        assert_eq!(written, (1 + 1 + 100 + 100) + (2_300 + 202));
        assert_eq!(play_merges(&[7], 24), (0, 0, 0));
        assert_eq!(play_merges(&[], 24), (0, 0, 0));
        // A width below two still makes progress.
        assert_eq!(play_merges(&[1, 1, 1], 1).0, 2);
    }
    use crate::ingest::formats::Format;

    fn file(size: u64) -> (ingest::SourceFile, ()) {
        let file = ingest::SourceFile {
            path: PathBuf::from("/a.txt"),
            relative: "a.txt".into(),
            format: Format::Text,
            gzip: false,
            size,
            modified: 0,
        };
        (file, ())
    }

    #[test]
    fn chunks_are_cut_by_size_and_by_count() {
        let sizes = |files: &[(ingest::SourceFile, ())], max: u64| -> Vec<Vec<u64>> {
            chunks(files, max)
                .iter()
                .map(|c| c.iter().map(|(f, _)| f.size).collect())
                .collect()
        };
        let files: Vec<_> = [40, 40, 30, 100, 10].into_iter().map(file).collect();
        // A file larger than the budget makes a chunk of its own; none is left out.
        assert_eq!(
            sizes(&files, 100),
            vec![vec![40, 40], vec![30], vec![100], vec![10]]
        );
        let many: Vec<_> = (0..CHUNK_FILES + 1).map(|_| file(1)).collect();
        let counts: Vec<usize> = chunks(&many, u64::MAX).iter().map(|c| c.len()).collect();
        assert_eq!(counts, vec![CHUNK_FILES, 1]);
        assert!(chunks::<()>(&[], 100).is_empty());
    }

    /// Stops the run it observes when the run enters `at`, as a signal coming then would.
    struct StopAt {
        at: Phase,
        stop: Arc<AtomicBool>,
    }

    impl Observer for StopAt {
        fn problem(&mut self, _: &Problem) {}
        fn phase(&mut self, phase: Phase) {
            if phase == self.at {
                self.stop.store(true, Ordering::Relaxed);
            }
        }
    }

    /// A stop that comes once every file is read: the run commits what it read, merges
    /// nothing and says it was interrupted (it merged on and said nothing, probe 27).
    #[test]
    fn a_stop_after_the_last_file_skips_the_merge_and_is_reported() {
        let dir = tempfile::tempdir().unwrap();
        let stop = Arc::new(AtomicBool::new(false));
        let options = IndexOptions {
            roots: vec![PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("sample-corpus")],
            index_path: dir.path().join("index"),
            schema: None,
            follow_links: false,
            rebuild: false,
            memory_mb: 64,
            read: ReadOptions::default(),
            commit_every: 10,
            wait: Duration::ZERO,
            stdin: false,
            allow_empty: false,
            stop: Some(stop.clone()),
        };
        let mut observer = StopAt {
            at: Phase::Committing,
            stop,
        };
        let report = run(&options, &mut observer).unwrap();
        assert!(report.interrupted);
        assert_eq!(report.files, report.planned);
        assert_eq!(report.documents, 54);
        let index = RasdIndex::open(&options.index_path).unwrap();
        let segments = index.index.searchable_segment_ids().unwrap().len();
        assert!(segments > 1, "not merged: {segments} segments");
        // Not stopped, a run merges (a rebuild, so that it has work to do).
        let options = IndexOptions {
            stop: None,
            rebuild: true,
            ..options
        };
        let report = run(&options, &mut OnProblem(|_: &Problem| {})).unwrap();
        assert!(!report.interrupted);
        let index = RasdIndex::open(&options.index_path).unwrap();
        assert_eq!(index.index.searchable_segment_ids().unwrap().len(), 1);
    }
}
