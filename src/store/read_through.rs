//! The directory an indexing job opens its index with: files read with `pread` into memory
//! that is freed after use, instead of mapped whole for as long as a reader is open.
//!
//! A merge opens a reader on every segment it merges and keeps them all to the end. Through
//! tantivy's memory-mapped directory, every page of every input it touched (the postings of
//! every term, each segment's whole document store) stays mapped, and counts in the
//! process's resident memory, until the merge is over: a fresh build of 1,000,000 articles
//! peaked at the size of its index (3.6 GB) during its final merge into one segment, against
//! `--memory 256`. Read here, the pages stay in the kernel's page cache, where they belong,
//! and the process holds only what the merge is working on. Small reads are served from a
//! [`CHUNK`] read ahead, since a merge reads each file's postings in order, term after term (a
//! `pread` per term cost a fifth more CPU time); reads larger than [`LARGE_READ`] (a segment's
//! document store, stacked whole into the merged one) by a mapping that lives only as long as
//! the bytes read: one file at a time, not the whole index. Searches keep the plain
//! memory-mapped directory ([`super::read_only`]).

use std::fs::File;
use std::io;
use std::ops::Range;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

use tantivy::HasLen;
use tantivy::directory::error::{DeleteError, LockError, OpenReadError, OpenWriteError};
use tantivy::directory::{
    Directory, DirectoryLock, FileHandle, Lock, MmapDirectory, OwnedBytes, WatchCallback,
    WatchHandle, WritePtr,
};

/// Reads up to this size are copied into memory; larger ones are mapped for their lifetime.
/// A term's postings and positions, a field's norms and dictionary are below it; a segment's
/// document store usually above.
const LARGE_READ: usize = 4 << 20;

/// What a small read reads ahead, kept for the next reads of the file: small enough that
/// every open file of a merge of a hundred segments holds little.
const CHUNK: usize = 64 << 10;

/// A folder of index files for the indexing job: tantivy's memory-mapped directory, except
/// that reads do not keep files mapped.
#[derive(Debug, Clone)]
pub struct ReadThroughDirectory {
    folder: PathBuf,
    mapped: MmapDirectory,
}

impl ReadThroughDirectory {
    /// Opens the folder `path`, which must exist.
    pub fn open(path: &Path) -> tantivy::Result<ReadThroughDirectory> {
        Ok(ReadThroughDirectory {
            folder: path.to_path_buf(),
            mapped: MmapDirectory::open(path)?,
        })
    }
}

/// One open file: small reads copied with `pread`, large ones through the mapping.
#[derive(Debug)]
struct ReadThroughFile {
    path: PathBuf,
    file: File,
    len: usize,
    mapped: MmapDirectory,
    /// The last chunk read ahead and where it starts in the file.
    ahead: Mutex<Option<(usize, OwnedBytes)>>,
}

impl HasLen for ReadThroughFile {
    fn len(&self) -> usize {
        self.len
    }
}

impl ReadThroughFile {
    fn read_copy(&self, range: Range<usize>) -> io::Result<OwnedBytes> {
        let mut buffer = vec![0; range.len()];
        read_exact_at(&self.file, &mut buffer, range.start as u64)?;
        Ok(OwnedBytes::new(buffer))
    }
}

impl FileHandle for ReadThroughFile {
    fn read_bytes(&self, range: Range<usize>) -> io::Result<OwnedBytes> {
        if range.end > self.len || range.start > range.end {
            return Err(io::Error::new(
                io::ErrorKind::InvalidInput,
                format!(
                    "{}: bytes {range:?} are beyond its {} bytes",
                    self.path.display(),
                    self.len
                ),
            ));
        }
        if range.is_empty() {
            return Ok(OwnedBytes::empty());
        }
        if range.len() > LARGE_READ {
            // The mapping is tantivy's, shared while some bytes of it are alive and unmapped
            // when the last are dropped.
            let whole = self
                .mapped
                .get_file_handle(&self.path)
                .map_err(|e| io::Error::other(e.to_string()))?;
            return whole.read_bytes(range);
        }
        if range.len() >= CHUNK {
            return self.read_copy(range);
        }
        let mut ahead = self.ahead.lock().unwrap_or_else(|e| e.into_inner());
        if let Some((start, chunk)) = &*ahead
            && range.start >= *start
            && range.end <= start + chunk.len()
        {
            return Ok(chunk.slice(range.start - start..range.end - start));
        }
        let chunk = self.read_copy(range.start..(range.start + CHUNK).min(self.len))?;
        let bytes = chunk.slice(0..range.len());
        *ahead = Some((range.start, chunk));
        Ok(bytes)
    }
}

#[cfg(unix)]
fn read_exact_at(file: &File, buffer: &mut [u8], offset: u64) -> io::Result<()> {
    std::os::unix::fs::FileExt::read_exact_at(file, buffer, offset)
}

#[cfg(windows)]
fn read_exact_at(file: &File, mut buffer: &mut [u8], mut offset: u64) -> io::Result<()> {
    while !buffer.is_empty() {
        match std::os::windows::fs::FileExt::seek_read(file, buffer, offset) {
            Ok(0) => return Err(io::ErrorKind::UnexpectedEof.into()),
            Ok(n) => {
                buffer = &mut buffer[n..];
                offset += n as u64;
            }
            Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
            Err(e) => return Err(e),
        }
    }
    Ok(())
}

impl Directory for ReadThroughDirectory {
    fn get_file_handle(&self, path: &Path) -> Result<Arc<dyn FileHandle>, OpenReadError> {
        let full = self.folder.join(path);
        let file = File::open(&full).map_err(|e| match e.kind() {
            io::ErrorKind::NotFound => OpenReadError::FileDoesNotExist(path.to_path_buf()),
            _ => OpenReadError::wrap_io_error(e, path.to_path_buf()),
        })?;
        let len = file
            .metadata()
            .map_err(|e| OpenReadError::wrap_io_error(e, path.to_path_buf()))?
            .len() as usize;
        Ok(Arc::new(ReadThroughFile {
            path: path.to_path_buf(),
            file,
            len,
            mapped: self.mapped.clone(),
            ahead: Mutex::new(None),
        }))
    }

    fn delete(&self, path: &Path) -> Result<(), DeleteError> {
        self.mapped.delete(path)
    }

    fn exists(&self, path: &Path) -> Result<bool, OpenReadError> {
        self.mapped.exists(path)
    }

    fn open_write(&self, path: &Path) -> Result<WritePtr, OpenWriteError> {
        self.mapped.open_write(path)
    }

    fn atomic_read(&self, path: &Path) -> Result<Vec<u8>, OpenReadError> {
        self.mapped.atomic_read(path)
    }

    fn atomic_write(&self, path: &Path, data: &[u8]) -> io::Result<()> {
        self.mapped.atomic_write(path, data)
    }

    fn sync_directory(&self) -> io::Result<()> {
        self.mapped.sync_directory()
    }

    fn acquire_lock(&self, lock: &Lock) -> Result<DirectoryLock, LockError> {
        self.mapped.acquire_lock(lock)
    }

    fn watch(&self, watch_callback: WatchCallback) -> tantivy::Result<WatchHandle> {
        self.mapped.watch(watch_callback)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn folder_with(bytes: &[u8]) -> (tempfile::TempDir, ReadThroughDirectory) {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("data"), bytes).unwrap();
        let directory = ReadThroughDirectory::open(dir.path()).unwrap();
        (dir, directory)
    }

    #[test]
    fn a_missing_file_is_reported_as_missing() {
        let (_dir, directory) = folder_with(b"");
        let error = directory.get_file_handle(Path::new("absent")).unwrap_err();
        assert!(
            matches!(error, OpenReadError::FileDoesNotExist(_)),
            "{error:?}"
        );
    }

    #[test]
    fn an_empty_file_reads_as_empty() {
        let (_dir, directory) = folder_with(b"");
        let file = directory.get_file_handle(Path::new("data")).unwrap();
        assert_eq!(file.len(), 0);
        assert!(file.read_bytes(0..0).unwrap().is_empty());
    }

    #[test]
    fn a_read_beyond_the_end_is_an_error_naming_the_file() {
        let (_dir, directory) = folder_with(b"abc");
        let file = directory.get_file_handle(Path::new("data")).unwrap();
        let error = file.read_bytes(1..4).unwrap_err();
        assert!(error.to_string().contains("data"), "{error}");
    }

    #[test]
    fn a_large_read_returns_the_same_bytes_as_the_mapping() {
        let bytes: Vec<u8> = (0..LARGE_READ + 4096).map(|i| (i % 251) as u8).collect();
        let (_dir, directory) = folder_with(&bytes);
        let file = directory.get_file_handle(Path::new("data")).unwrap();
        let range = 3..bytes.len() - 1;
        assert_eq!(
            file.read_bytes(range.clone()).unwrap().as_slice(),
            &bytes[range]
        );
    }

    #[test]
    fn tantivy_indexes_merges_and_searches_through_it() {
        use tantivy::collector::Count;
        use tantivy::query::TermQuery;
        use tantivy::schema::{IndexRecordOption, STORED, Schema, TEXT};
        use tantivy::{Index, IndexWriter, TantivyDocument, Term, doc};

        let dir = tempfile::tempdir().unwrap();
        let mut builder = Schema::builder();
        let body = builder.add_text_field("body", TEXT | STORED);
        let index = Index::create(
            ReadThroughDirectory::open(dir.path()).unwrap(),
            builder.build(),
            tantivy::IndexSettings::default(),
        )
        .unwrap();
        let mut writer: IndexWriter = index.writer_with_num_threads(1, 15_000_000).unwrap();
        for batch in 0..3 {
            for n in 0..100 {
                writer
                    .add_document(doc!(body => format!("article {batch} {n} تهريب")))
                    .unwrap();
            }
            writer.commit().unwrap();
        }
        let segments = index.searchable_segment_ids().unwrap();
        assert_eq!(segments.len(), 3);
        writer.merge(&segments).wait().unwrap();
        writer.wait_merging_threads().unwrap();
        let searcher = index.reader().unwrap().searcher();
        assert_eq!(searcher.segment_readers().len(), 1);
        let query = TermQuery::new(
            Term::from_field_text(body, "تهريب"),
            IndexRecordOption::Basic,
        );
        assert_eq!(searcher.search(&query, &Count).unwrap(), 300);
        let first: TantivyDocument = searcher.doc(tantivy::DocAddress::new(0, 0)).unwrap();
        assert!(first.get_first(body).is_some());
    }

    proptest! {
        #[test]
        fn any_range_reads_the_bytes_of_the_file(
            bytes in proptest::collection::vec(any::<u8>(), 0..4096),
            a in 0usize..4097,
            b in 0usize..4097,
        ) {
            let (_dir, directory) = folder_with(&bytes);
            let file = directory.get_file_handle(Path::new("data")).unwrap();
            let (start, end) = (a.min(b), a.max(b));
            match file.read_bytes(start..end) {
                Ok(read) => prop_assert_eq!(read.as_slice(), &bytes[start..end]),
                Err(_) => prop_assert!(end > bytes.len()),
            }
        }

        #[test]
        fn reads_in_any_order_through_the_read_ahead_read_the_file(
            len in 0usize..(3 * CHUNK),
            ranges in proptest::collection::vec((0usize..(3 * CHUNK), 0usize..(CHUNK + 10)), 1..40),
        ) {
            let bytes: Vec<u8> = (0..len).map(|i| (i * 7 % 253) as u8).collect();
            let (_dir, directory) = folder_with(&bytes);
            let file = directory.get_file_handle(Path::new("data")).unwrap();
            let mut kept = Vec::new();
            for (start, length) in ranges {
                let (start, end) = (start.min(len), (start + length).min(len));
                let read = file.read_bytes(start..end).unwrap();
                prop_assert_eq!(read.as_slice(), &bytes[start..end]);
                kept.push((start, read));
            }
            // Bytes handed out stay valid after the read-ahead moved on.
            for (start, read) in kept {
                prop_assert_eq!(read.as_slice(), &bytes[start..start + read.len()]);
            }
        }
    }
}
