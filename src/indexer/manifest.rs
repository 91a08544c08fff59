//! The record of what was indexed: one *record* document per file, in the index itself.
//!
//! A record holds the file's size, modification time, content hash and article count, and is
//! committed in the same tantivy commit as the file's articles, so the record and the articles
//! can never disagree, whenever a run is killed. The next run compares each file on disk with
//! its record: same size and time, the file is not even opened (see [`classify`]).

use std::borrow::Cow;
use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};

use tantivy::query::{BooleanQuery, Occur, Query, TermQuery};
use tantivy::schema::{Field, IndexRecordOption};
use tantivy::{Searcher, TantivyDocument, Term};

use crate::error::{Context, Error};
use crate::ingest::{Discovery, SourceFile};
use crate::schema::reserved;
use crate::store::RasdIndex;

/// What the index knows of one file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FileRecord {
    /// Size in bytes when it was read.
    pub size: u64,
    /// Modification time when it was read, in nanoseconds since the Unix epoch.
    pub modified: i64,
    /// XXH3 hash of its bytes; 0 when it was not read (too large).
    pub hash: u64,
    /// Its articles in the index (those that lost to another file's article with the same id
    /// left out).
    pub articles: u64,
    /// Whether an article id of the file is also used by another file: such files are all
    /// read again when one of them changes, so that the same article wins as in a clean build.
    pub shares_ids: bool,
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

/// What a run must do, file by file.
#[derive(Debug, Default)]
pub struct Work {
    /// Files new to the index, or whose size or time changed, with their old record.
    pub to_read: Vec<(SourceFile, Option<FileRecord>)>,
    /// Files unchanged since they were indexed.
    pub unchanged: Vec<(SourceFile, FileRecord)>,
    /// Indexed files under the roots that are gone.
    pub removed: Vec<(String, FileRecord)>,
}

fn is_under(key: &str, folder: &Path) -> bool {
    Path::new(key).starts_with(folder)
}

/// Compares the files found on disk with the manifest. A file is unchanged when its size and
/// modification time are those recorded; an indexed file is removed when it is under one of
/// this run's roots, was not found, and is not under a folder that could not be read. When a
/// file that shares article ids with others changes or goes, all files sharing ids are read
/// again.
pub fn classify(discovery: &Discovery, manifest: &Manifest) -> Work {
    let mut work = Work::default();
    let mut found: HashSet<Cow<str>> = HashSet::new();
    for file in &discovery.files {
        let key = file.key();
        match manifest.records.get(key.as_ref()) {
            Some(record) if record.size == file.size && record.modified == file.modified => {
                work.unchanged.push((file.clone(), *record));
            }
            record => work.to_read.push((file.clone(), record.copied())),
        }
        found.insert(key);
    }
    let unreadable: &[PathBuf] = &discovery.unreadable;
    let mut removed: Vec<(String, FileRecord)> = manifest
        .records
        .iter()
        .filter(|(key, _)| !found.contains(key.as_str()))
        .filter(|(key, _)| discovery.roots.iter().any(|root| is_under(key, root)))
        .filter(|(key, _)| !unreadable.iter().any(|folder| is_under(key, folder)))
        .map(|(key, record)| (key.clone(), *record))
        .collect();
    removed.sort_by(|a, b| a.0.cmp(&b.0));
    work.removed = removed;
    let sharing_changed = work
        .to_read
        .iter()
        .filter_map(|(_, record)| record.as_ref())
        .chain(work.removed.iter().map(|(_, record)| record))
        .any(|record| record.shares_ids);
    if sharing_changed {
        let (sharing, unchanged) = std::mem::take(&mut work.unchanged)
            .into_iter()
            .partition(|(_, record)| record.shares_ids);
        work.unchanged = unchanged;
        work.to_read.extend(
            sharing
                .into_iter()
                .map(|(file, record): (SourceFile, FileRecord)| (file, Some(record))),
        );
    }
    work
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ingest::formats::Format;

    fn file(path: &str, size: u64, modified: i64) -> SourceFile {
        SourceFile {
            path: PathBuf::from(path),
            relative: path.rsplit('/').next().unwrap().to_string(),
            format: Format::Text,
            size,
            modified,
        }
    }

    fn record(size: u64, modified: i64) -> FileRecord {
        FileRecord {
            size,
            modified,
            hash: 7,
            articles: 2,
            shares_ids: false,
        }
    }

    #[test]
    fn files_are_new_changed_unchanged_or_removed() {
        let discovery = Discovery {
            files: vec![
                file("/a/same.txt", 10, 1),
                file("/a/grown.txt", 11, 1),
                file("/a/touched.txt", 10, 2),
                file("/a/new.txt", 5, 1),
            ],
            roots: vec![PathBuf::from("/a")],
            unreadable: vec![PathBuf::from("/a/locked")],
            ..Discovery::default()
        };
        let manifest = Manifest {
            records: [
                ("/a/same.txt", record(10, 1)),
                ("/a/grown.txt", record(10, 1)),
                ("/a/touched.txt", record(10, 1)),
                ("/a/gone.txt", record(3, 1)),
                ("/a/locked/kept.txt", record(3, 1)),
                ("/b/other-root.txt", record(3, 1)),
                ("/ab/prefix-only.txt", record(3, 1)),
            ]
            .into_iter()
            .map(|(k, r)| (k.to_string(), r))
            .collect(),
        };
        let work = classify(&discovery, &manifest);
        let keys = |files: Vec<&SourceFile>| -> Vec<String> {
            files.iter().map(|f| f.key().to_string()).collect()
        };
        assert_eq!(
            keys(work.unchanged.iter().map(|(f, _)| f).collect()),
            vec!["/a/same.txt"]
        );
        assert_eq!(
            keys(work.to_read.iter().map(|(f, _)| f).collect()),
            vec!["/a/grown.txt", "/a/touched.txt", "/a/new.txt"]
        );
        assert!(work.to_read[2].1.is_none());
        let removed: Vec<&str> = work.removed.iter().map(|(k, _)| k.as_str()).collect();
        assert_eq!(removed, vec!["/a/gone.txt"]);
    }
}
