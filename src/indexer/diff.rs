//! What a run must do: the files on disk compared with the records the index keeps of them
//! (see [`crate::store::records`]). Same size and time, a file is not even opened.

use std::borrow::Cow;
use std::collections::HashSet;
use std::path::Path;

use crate::ingest::{Discovery, SourceFile, path_text};
use crate::store::records::{CutFiles, FileNotes, FileRecord, Manifest};

/// What a run must do, file by file.
#[derive(Debug, Default)]
pub struct Work {
    /// Files new to the index, or whose size or time changed, with their old record.
    pub to_read: Vec<(SourceFile, Option<FileRecord>)>,
    /// Files unchanged since they were indexed.
    pub unchanged: Vec<(SourceFile, FileRecord)>,
    /// Indexed files under the roots that are gone.
    pub removed: Vec<(String, FileRecord)>,
    /// Indexed files outside the roots that share article ids with a file read again or gone:
    /// which article wins may change, and only a run that names them can read them.
    pub sharing_elsewhere: Vec<(String, FileRecord)>,
}

/// Whether the file of `key` lies under `folder`. Keys write a name that is not UTF-8 with
/// `\xNN` escapes ([`path_text`]): the folder is compared written so.
pub(super) fn is_under(key: &str, folder: &Path) -> bool {
    Path::new(key).starts_with(path_text(folder).as_ref())
}

/// Whether an indexed file that was not found is gone: it is under one of this run's roots
/// (or where one of them that is a link leads), and not under a folder that could not be read.
fn is_gone(key: &str, discovery: &Discovery) -> bool {
    (discovery.roots.iter().chain(&discovery.link_targets)).any(|root| is_under(key, root))
        && !discovery
            .unreadable
            .iter()
            .any(|folder| is_under(key, folder))
}

/// The notes kept from earlier runs (failures, cut articles) that still hold after this run's
/// walk: all but those of files gone from under the roots. A file unchanged keeps them (its
/// failures are reported again), and so does a file to read until it is read, which gives it
/// notes afresh: a run stopped before it, or killed after a commit, must not forget that the
/// index holds its articles cut, or that it failed.
///
/// What this walk could not read (a folder, or a file it could not examine) is noted with
/// the reason, so that `rasd stats` names what makes every run fail; the notes are this
/// walk's alone, so a run that reads the path again has none for it.
pub fn kept_notes(discovery: &Discovery, work: &Work, notes: &FileNotes) -> FileNotes {
    let found: HashSet<Cow<str>> = (work.to_read.iter().map(|(file, _)| file.key()))
        .chain(work.unchanged.iter().map(|(file, _)| file.key()))
        .collect();
    let kept = |key: &String| found.contains(key.as_str()) || !is_gone(key, discovery);
    let unreadable = discovery
        .unreadable
        .iter()
        .filter_map(|path| {
            let key = path_text(path);
            let problem = discovery.problems.iter().find(|p| p.path == key)?;
            Some((key.into_owned(), problem.reason.clone()))
        })
        .collect();
    FileNotes {
        failed: notes
            .failed
            .iter()
            .filter(|(key, _)| kept(key))
            .map(|(key, file)| (key.clone(), file.clone()))
            .collect(),
        cut: notes
            .cut
            .iter()
            .filter(|(key, _)| kept(key))
            .map(|(key, limit)| (key.clone(), *limit))
            .collect(),
        damaged: notes
            .damaged
            .iter()
            .filter(|key| kept(key))
            .cloned()
            .collect(),
        unreadable,
    }
}

/// Compares the files found on disk with the manifest. A file is unchanged when its size and
/// modification time are those recorded (and its contents, for a key of
/// [`Discovery::check_contents`]: it is read, and unchanged when its hash is), it was read (not skipped as too large), and no
/// article of it was cut at a limit smaller than this run's `article_limit` (its entry in
/// `cut`); an indexed file is removed when it is under one of this run's roots, was not
/// found, and is not under a folder that could not be read. When a file that shares article
/// ids with others changes or goes, all files sharing ids are read again; those outside the
/// roots are listed, to be read by the next run that names them.
pub fn classify(
    discovery: &Discovery,
    manifest: &Manifest,
    cut: &CutFiles,
    article_limit: u64,
) -> Work {
    let mut work = Work::default();
    let mut found: HashSet<Cow<str>> = HashSet::new();
    for file in &discovery.files {
        let key = file.key();
        match manifest.records.get(key.as_ref()) {
            Some(record)
                if record.size == file.size
                    && record.modified == file.modified
                    && !discovery.check_contents.contains(key.as_ref())
                    && !record.not_read()
                    && cut.get(key.as_ref()).is_none_or(|&at| at >= article_limit) =>
            {
                work.unchanged.push((file.clone(), *record));
            }
            record => work.to_read.push((file.clone(), record.copied())),
        }
        found.insert(key);
    }
    let mut removed: Vec<(String, FileRecord)> = manifest
        .records
        .iter()
        .filter(|(key, _)| !found.contains(key.as_str()) && is_gone(key, discovery))
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
        work.sharing_elsewhere = (manifest.records.iter())
            .filter(|(key, record)| {
                record.shares_ids && !found.contains(key.as_str()) && !is_gone(key, discovery)
            })
            .map(|(key, record)| (key.clone(), *record))
            .collect();
        work.sharing_elsewhere.sort_by(|a, b| a.0.cmp(&b.0));
    }
    work
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ingest::formats::Format;
    use crate::store::records::{FailedFile, Failure};
    use std::path::PathBuf;

    fn file(path: &str, size: u64, modified: i64) -> SourceFile {
        SourceFile {
            path: PathBuf::from(path),
            relative: path.rsplit('/').next().unwrap().to_string(),
            format: Format::Text,
            gzip: false,
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
        let work = classify(&discovery, &manifest, &CutFiles::new(), 1_000);
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

        // Failures stay with files unchanged, to read (until read: a stopped run keeps them) or
        // not looked at, and go with files gone.
        let failure = FailedFile::new([Failure {
            line: Some(2),
            reason: "invalid JSON".into(),
        }]);
        let noted = [
            "/a/same.txt",
            "/a/grown.txt",
            "/a/gone.txt",
            "/a/locked/kept.txt",
            "/b/other-root.txt",
        ];
        let notes = FileNotes {
            failed: noted
                .iter()
                .map(|k| (k.to_string(), failure.clone()))
                .collect(),
            cut: noted.iter().map(|k| (k.to_string(), 1_000)).collect(),
            damaged: noted.iter().map(|k| k.to_string()).collect(),
            unreadable: Default::default(),
        };
        let kept = kept_notes(&discovery, &work, &notes);
        let expected = [
            "/a/grown.txt",
            "/a/locked/kept.txt",
            "/a/same.txt",
            "/b/other-root.txt",
        ];
        assert_eq!(kept.failed.into_keys().collect::<Vec<_>>(), expected);
        // So do cut articles, and articles found after damaged data.
        assert_eq!(kept.cut.into_keys().collect::<Vec<_>>(), expected);
        assert_eq!(kept.damaged.into_iter().collect::<Vec<_>>(), expected);
    }

    #[test]
    fn what_a_walk_cannot_read_is_noted_until_a_run_reads_it() {
        let locked = Discovery {
            files: vec![file("/a/same.txt", 10, 1)],
            roots: vec![PathBuf::from("/a")],
            unreadable: vec![PathBuf::from("/a/locked")],
            problems: vec![crate::ingest::Problem {
                path: "/a/locked".into(),
                line: None,
                severity: crate::ingest::Severity::Failed,
                reason: "Permission denied (os error 13)".into(),
            }],
            ..Discovery::default()
        };
        let manifest = Manifest {
            records: [
                ("/a/same.txt", record(10, 1)),
                ("/a/locked/kept.txt", record(3, 1)),
            ]
            .into_iter()
            .map(|(k, r)| (k.to_string(), r))
            .collect(),
        };
        let work = classify(&locked, &manifest, &CutFiles::new(), 1_000);
        assert!(work.removed.is_empty(), "{:?}", work.removed);
        let notes = kept_notes(&locked, &work, &FileNotes::default());
        assert_eq!(
            notes.unreadable["/a/locked"],
            "Permission denied (os error 13)"
        );
        // No file failed: the folder is no file, and its files were not read.
        assert!(notes.failed.is_empty());
        // Still locked at the next run: noted once.
        let again = kept_notes(&locked, &work, &notes);
        assert_eq!(again.unreadable.len(), 1);
        // Read at last (or found gone): the note goes, whatever the notes before said, and
        // the folder's files are files again.
        let read = Discovery {
            files: vec![file("/a/same.txt", 10, 1), file("/a/locked/kept.txt", 3, 1)],
            roots: vec![PathBuf::from("/a")],
            ..Discovery::default()
        };
        let work = classify(&read, &manifest, &CutFiles::new(), 1_000);
        assert_eq!(kept_notes(&read, &work, &notes), FileNotes::default());
    }

    #[test]
    fn a_name_that_is_not_utf8_is_compared_as_its_key_writes_it() {
        use std::os::unix::ffi::OsStrExt;
        let folder = PathBuf::from(std::ffi::OsStr::from_bytes(b"/a/bad\xff"));
        let key = format!("{}/kept.txt", path_text(&folder));
        assert_eq!(key, "/a/bad\\xff/kept.txt");
        assert!(is_under(&key, &folder));
        // So what the index holds from an unreadable folder of such a name is kept.
        let locked = Discovery {
            roots: vec![PathBuf::from("/a")],
            unreadable: vec![folder],
            ..Discovery::default()
        };
        let manifest = Manifest {
            records: [(key, record(3, 1))].into_iter().collect(),
        };
        assert!(
            classify(&locked, &manifest, &CutFiles::new(), 1_000)
                .removed
                .is_empty()
        );
    }

    #[test]
    fn a_file_cut_at_a_smaller_limit_is_read_again() {
        let discovery = Discovery {
            files: vec![file("/a/long.txt", 10, 1), file("/a/short.txt", 10, 1)],
            roots: vec![PathBuf::from("/a")],
            ..Discovery::default()
        };
        let manifest = Manifest {
            records: [
                ("/a/long.txt", record(10, 1)),
                ("/a/short.txt", record(10, 1)),
            ]
            .into_iter()
            .map(|(k, r)| (k.to_string(), r))
            .collect(),
        };
        let cut: CutFiles = [("/a/long.txt".to_string(), 1_000)].into_iter().collect();
        let read = |limit| -> Vec<String> {
            classify(&discovery, &manifest, &cut, limit)
                .to_read
                .iter()
                .map(|(f, _)| f.key().to_string())
                .collect()
        };
        // The same limit, or a smaller one: the file stays as indexed.
        assert!(read(1_000).is_empty());
        assert!(read(500).is_empty());
        assert_eq!(read(2_000), ["/a/long.txt"]);
    }
}
