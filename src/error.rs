//! The library's error type. Each variant's message is a complete sentence for the user.

use std::path::PathBuf;

use crate::schema::SchemaError;

/// Everything that can stop a rasd command.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error("no index at {}: create one with `rasd index PATH...`", .0.display())]
    NoIndex(PathBuf),
    #[error("{} is not a rasd index (no rasd metadata in it); refusing to use it", .0.display())]
    NotAnIndex(PathBuf),
    #[error("the index at {} was built with {found}, but this run uses {expected}: rebuild it with `rasd index --rebuild PATH...`", path.display())]
    NeedsRebuild {
        path: PathBuf,
        found: String,
        expected: String,
    },
    #[error(transparent)]
    Schema(#[from] SchemaError),
    #[error("another `rasd index` is writing to the index at {}", .0.display())]
    IndexBusy(PathBuf),
    #[error("{}: no such file or folder", .0.display())]
    MissingPath(PathBuf),
    #[error(
        "nothing to index under {roots}: no .txt, .md, .json or .jsonl files ({skipped} other files skipped)"
    )]
    NothingToIndex { roots: String, skipped: usize },
    #[error("invalid query: {0}")]
    Query(String),
    #[error("{context}: {source}")]
    Tantivy {
        context: String,
        source: tantivy::TantivyError,
    },
    #[error("{context}: {source}")]
    Io {
        context: String,
        source: std::io::Error,
    },
}

/// Adds what was being done to a tantivy or I/O error.
pub(crate) trait Context<T> {
    fn context(self, context: impl FnOnce() -> String) -> Result<T, Error>;
}

impl<T> Context<T> for Result<T, tantivy::TantivyError> {
    fn context(self, context: impl FnOnce() -> String) -> Result<T, Error> {
        self.map_err(|source| Error::Tantivy {
            context: context(),
            source,
        })
    }
}

impl<T> Context<T> for Result<T, std::io::Error> {
    fn context(self, context: impl FnOnce() -> String) -> Result<T, Error> {
        self.map_err(|source| Error::Io {
            context: context(),
            source,
        })
    }
}
