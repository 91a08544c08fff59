//! How files are recorded in the index: one *record* document per file, beside its articles.
//!
//! A record holds the file's size, modification time, content hash and article count, and is
//! committed in the same tantivy commit as the file's articles, so the record and the articles
//! can never disagree, whenever a run is killed. Every document, article or record, carries
//! its file's key, so one delete removes a file's articles and record together. Records are
//! not articles: every search and count goes through [`RecordFields::articles_only`].
//!
//! What failed in a file ([`FailedFiles`]) is kept beside the records, in the commit's
//! metadata (see [`crate::store`]): committed in the same atomic commit as the records, and
//! readable by an index of any earlier version without a rebuild, which a new field in every
//! record document would have needed.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use serde::{Deserialize, Serialize};

use tantivy::query::{BooleanQuery, Occur, Query, TermQuery};
use tantivy::schema::{Field, IndexRecordOption};
use tantivy::{Searcher, TantivyDocument, Term};

use crate::error::{Context, Error};
use crate::schema::reserved;
use crate::store::RasdIndex;

/// The hash of a file that was not read, being larger than `--max-file-size`.
pub const NOT_READ: u64 = 0;

/// What the index knows of one file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FileRecord {
    /// Size in bytes when it was read.
    pub size: u64,
    /// Modification time when it was read, in nanoseconds since the Unix epoch.
    pub modified: i64,
    /// XXH3 hash of its bytes; [`NOT_READ`] when it was not read (too large).
    pub hash: u64,
    /// Its articles in the index (those that lost to another file's article with the same id
    /// left out).
    pub articles: u64,
    /// Whether an article id of the file is also used by another file: such files are all
    /// read again when one of them changes, so that the same article wins as in a clean build.
    pub shares_ids: bool,
}

impl FileRecord {
    /// Whether the file was skipped unread (too large): it is looked at again at each run,
    /// so that a larger `--max-file-size` brings its articles in.
    pub fn not_read(&self) -> bool {
        self.hash == NOT_READ
    }
}

/// One input of a file that could not be indexed: a line, an item, or the whole file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Failure {
    /// 1-based line, when known.
    pub line: Option<usize>,
    /// What is wrong, as it was reported.
    pub reason: String,
}

/// What failed when a file was last read, kept until the file changes or goes, so that every
/// run reports it again: a scheduled job must not see a failure once and never again.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FailedFile {
    /// How many inputs failed.
    pub count: usize,
    /// The first [`FailedFile::KEPT`] of them: a file with a million bad lines must not make
    /// every commit write a million reasons.
    pub failures: Vec<Failure>,
}

impl FailedFile {
    /// Most failures kept per file; the others are only counted.
    pub const KEPT: usize = 100;

    /// The failures of a file read, in the order they were reported.
    pub fn new(failures: impl IntoIterator<Item = Failure>) -> Self {
        let mut count = 0;
        let mut kept = Vec::new();
        for failure in failures {
            count += 1;
            if kept.len() < Self::KEPT {
                kept.push(failure);
            }
        }
        FailedFile {
            count,
            failures: kept,
        }
    }
}

/// The files whose last read had failures, by file key.
pub type FailedFiles = BTreeMap<String, FailedFile>;

/// The files whose last read cut an article to `--max-article-size`, by file key: the limit it
/// was cut at, in bytes. Such a file is read again by a run with a larger limit, so that
/// raising the limit, as the warning advises, brings the whole article in.
pub type CutFiles = BTreeMap<String, u64>;

/// The files whose last read gave articles found after damaged data (web archives read past
/// a damaged gzip member or record), by file key. Such an article may come from inside the
/// damaged record (a crawled `.warc.gz` kept verbatim), so when another file gives the same
/// id, that file's article is kept.
pub type DamagedFiles = BTreeSet<String>;

/// The folders (and files) the last run's walk could not read or examine, by path: why.
/// What the index holds from under them is kept; each run notes its own walk's, so a note
/// goes with the first run that reads the path again.
pub type UnreadablePaths = BTreeMap<String, String>;

/// What the index keeps of its files beside their records, in the commit's metadata.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct FileNotes {
    /// The files whose last read had failures.
    pub failed: FailedFiles,
    /// The files whose last read cut an article.
    pub cut: CutFiles,
    /// The files whose last read gave articles after damaged data.
    pub damaged: DamagedFiles,
    /// What the last run could not read.
    pub unreadable: UnreadablePaths,
}

/// The reserved fields, resolved.
#[derive(Clone, Copy)]
pub struct RecordFields {
    pub file: Field,
    kind: Field,
    size: Field,
    modified: Field,
    hash: Field,
    articles: Field,
    shares_ids: Field,
}

impl RecordFields {
    /// The reserved fields of `index`.
    pub fn new(index: &RasdIndex) -> Self {
        RecordFields {
            file: index.field(reserved::FILE),
            kind: index.field(reserved::KIND),
            size: index.field(reserved::SIZE),
            modified: index.field(reserved::MODIFIED),
            hash: index.field(reserved::HASH),
            articles: index.field(reserved::ARTICLES),
            shares_ids: index.field(reserved::SHARES_IDS),
        }
    }

    /// The term that selects everything from one file: its articles and its record.
    pub fn file_term(&self, key: &str) -> Term {
        Term::from_field_text(self.file, key)
    }

    /// `query` restricted to articles: the record documents left out.
    pub fn articles_only(&self, query: Box<dyn Query>) -> BooleanQuery {
        BooleanQuery::new(vec![
            (Occur::Must, query),
            (Occur::MustNot, Box::new(self.records_query())),
        ])
    }

    /// A query matching every record document.
    pub fn records_query(&self) -> TermQuery {
        TermQuery::new(
            Term::from_field_text(self.kind, reserved::RECORD),
            IndexRecordOption::Basic,
        )
    }

    /// A query matching the record of one file (not its articles).
    pub fn record_query(&self, key: &str) -> Box<dyn Query> {
        let term = |t| -> Box<dyn Query> { Box::new(TermQuery::new(t, IndexRecordOption::Basic)) };
        Box::new(BooleanQuery::new(vec![
            (Occur::Must, term(self.file_term(key))),
            (
                Occur::Must,
                term(Term::from_field_text(self.kind, reserved::RECORD)),
            ),
        ]))
    }

    /// The record document of a file.
    pub fn document(&self, key: &str, record: &FileRecord) -> TantivyDocument {
        let mut doc = TantivyDocument::default();
        doc.add_text(self.file, key);
        doc.add_text(self.kind, reserved::RECORD);
        doc.add_u64(self.size, record.size);
        doc.add_i64(self.modified, record.modified);
        doc.add_u64(self.hash, record.hash);
        doc.add_u64(self.articles, record.articles);
        doc.add_u64(self.shares_ids, u64::from(record.shares_ids));
        doc
    }
}

/// Every file record of a committed index, by file key.
#[derive(Debug, Default)]
pub struct Manifest {
    pub records: HashMap<String, FileRecord>,
}

impl Manifest {
    /// Reads the records from the column store: no document is loaded, no file is opened.
    pub fn load(searcher: &Searcher) -> Result<Manifest, Error> {
        let failed = || "cannot read the record of indexed files".to_string();
        let mut records = HashMap::new();
        for segment in searcher.segment_readers() {
            let fast = segment.fast_fields();
            let Some(files) = fast.str(reserved::FILE).context(failed)? else {
                continue;
            };
            let size = fast.u64(reserved::SIZE).context(failed)?;
            let modified = fast.i64(reserved::MODIFIED).context(failed)?;
            let hash = fast.u64(reserved::HASH).context(failed)?;
            let articles = fast.u64(reserved::ARTICLES).context(failed)?;
            let shares_ids = fast.u64(reserved::SHARES_IDS).context(failed)?;
            // The file keys in ordinal order, read in one pass: looking each one up
            // separately decompresses a dictionary block per document.
            let mut keys = Vec::new();
            let mut stream = files.dictionary().stream().context(failed)?;
            while stream.advance() {
                keys.push(String::from_utf8_lossy(stream.key()).into_owned());
            }
            let alive = segment.alive_bitset();
            for doc in 0..segment.max_doc() {
                if alive.is_some_and(|a| !a.is_alive(doc)) {
                    continue;
                }
                // Only records have a size.
                let Some(size) = size.first(doc) else {
                    continue;
                };
                let Some(key) = files
                    .ords()
                    .first(doc)
                    .and_then(|ord| keys.get(ord as usize))
                else {
                    continue;
                };
                records.insert(
                    key.clone(),
                    FileRecord {
                        size,
                        modified: modified.first(doc).unwrap_or_default(),
                        hash: hash.first(doc).unwrap_or_default(),
                        articles: articles.first(doc).unwrap_or_default(),
                        shares_ids: shares_ids.first(doc).is_some_and(|v| v == 1),
                    },
                );
            }
        }
        Ok(Manifest { records })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_failed_file_keeps_the_first_failures_and_counts_them_all() {
        let failure = |line| Failure {
            line: Some(line),
            reason: "invalid JSON".into(),
        };
        let many = FailedFile::new((1..=FailedFile::KEPT + 5).map(failure));
        assert_eq!(many.count, FailedFile::KEPT + 5);
        assert_eq!(many.failures.len(), FailedFile::KEPT);
        assert_eq!(many.failures[0], failure(1));
        assert_eq!(FailedFile::new([]).count, 0);
    }
}
