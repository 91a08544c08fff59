//! A tantivy directory that never writes: searches work on read-only mounts and for users
//! without write permission on a colleague's index.
//!
//! tantivy's reader takes a lock file while it opens segments, so that a writer's garbage
//! collection cannot delete them in between. Creating that file needs write access; here the
//! lock is a no-op, and the rare search that loses that race gets an error it retries
//! ([`super::RasdIndex::open`] opens again from the marker).

use std::io;
use std::path::Path;
use std::sync::Arc;

use tantivy::directory::error::{DeleteError, LockError, OpenReadError, OpenWriteError};
use tantivy::directory::{
    Advice, Directory, DirectoryLock, FileHandle, Lock, MmapDirectory, WatchCallback, WatchHandle,
    WritePtr,
};

/// A memory-mapped directory opened for reading only.
#[derive(Debug, Clone)]
pub struct ReadOnlyDirectory {
    inner: MmapDirectory,
}

impl ReadOnlyDirectory {
    /// Opens the folder `path`, which must exist. Its files are mapped for random reads: a
    /// search touches a few pages of each (a term's entry, a posting block, a stored block),
    /// and the kernel's read-ahead around each page fault read tens of pages it never used
    /// whenever the index was not in the page cache (the first search after a boot, or once
    /// memory was reclaimed): a page of hits 2 to 4 times slower.
    pub fn open(path: &Path) -> tantivy::Result<ReadOnlyDirectory> {
        let inner = MmapDirectory::open_with_madvice(path, Advice::Random)?;
        Ok(ReadOnlyDirectory { inner })
    }
}

fn read_only() -> io::Error {
    io::Error::new(
        io::ErrorKind::PermissionDenied,
        "the index is opened for reading only",
    )
}

impl Directory for ReadOnlyDirectory {
    fn get_file_handle(&self, path: &Path) -> Result<Arc<dyn FileHandle>, OpenReadError> {
        self.inner.get_file_handle(path)
    }

    fn delete(&self, path: &Path) -> Result<(), DeleteError> {
        Err(DeleteError::IoError {
            io_error: Arc::new(read_only()),
            filepath: path.to_path_buf(),
        })
    }

    fn exists(&self, path: &Path) -> Result<bool, OpenReadError> {
        self.inner.exists(path)
    }

    fn open_write(&self, path: &Path) -> Result<WritePtr, OpenWriteError> {
        Err(OpenWriteError::wrap_io_error(
            read_only(),
            path.to_path_buf(),
        ))
    }

    fn atomic_read(&self, path: &Path) -> Result<Vec<u8>, OpenReadError> {
        self.inner.atomic_read(path)
    }

    fn atomic_write(&self, _path: &Path, _data: &[u8]) -> io::Result<()> {
        Err(read_only())
    }

    fn sync_directory(&self) -> io::Result<()> {
        Ok(())
    }

    fn acquire_lock(&self, _lock: &Lock) -> Result<DirectoryLock, LockError> {
        Ok(DirectoryLock::from(Box::new(())))
    }

    fn watch(&self, watch_callback: WatchCallback) -> tantivy::Result<WatchHandle> {
        self.inner.watch(watch_callback)
    }
}
