//! The library's error type. Each variant's message is a complete sentence for the user.

use std::path::PathBuf;

use crate::schema::SchemaError;

/// Everything that can stop a rasd command.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error("no index at {}: create one with `rasd index PATH...`", .0.display())]
    NoIndex(PathBuf),
    #[error("{} is not empty and not a rasd index: give --index a new or empty folder", .0.display())]
    NotAnIndex(PathBuf),
    #[error("the index at {} is not ready: its first `rasd index` run has not committed yet (run `rasd index PATH...`)", .0.display())]
    IndexNotReady(PathBuf),
    #[error("{} is not a folder: give --index a new or empty folder", .0.display())]
    NotAFolder(PathBuf),
    #[error("the index at {} cannot be used: {} is a folder, a link or another special file, not rasd's marker file; move it out of the index folder, then run `rasd index --rebuild PATH...`", .0.display(), .0.join("rasd-index.json").display())]
    MarkerNotAFile(PathBuf),
    #[error("the index at {} is damaged ({reason}): rebuild it with `rasd index --rebuild PATH...`", path.display())]
    Damaged { path: PathBuf, reason: String },
    #[error("the index folder {} and the archive {} overlap: keep the index in a folder of its own, outside what is indexed", index.display(), root.display())]
    IndexOverlapsArchive { index: PathBuf, root: PathBuf },
    #[error("the index at {} was built with {found}, but this run uses {expected}: rebuild it with `rasd index --rebuild PATH...`", path.display())]
    NeedsRebuild {
        path: PathBuf,
        found: String,
        expected: String,
    },
    #[error(transparent)]
    Schema(#[from] SchemaError),
    #[error("another `rasd index` is writing to the index at {} (or a `rasd watch` is updating its saved searches)", .0.display())]
    IndexBusy(PathBuf),
    #[error("{}: no such file or folder", .0.display())]
    MissingPath(PathBuf),
    #[error(
        "nothing to index under {roots}: no .txt, .md, .json, .jsonl, .html, feed or .warc files (other files skipped: {skipped})"
    )]
    NothingToIndex { roots: String, skipped: usize },
    /// A root of the run holds nothing to index, though the index holds articles from it.
    #[error(
        "{} holds nothing to index, but the index has {articles} articles from it: nothing was changed (if it is a share or a disk, is it mounted?); to remove them, run again with --allow-empty",
        .root.display()
    )]
    EmptiedRoot { root: PathBuf, articles: u64 },
    #[error("unknown encoding `{0}` (try windows-1256, iso-8859-6, utf-8, utf-16le)")]
    UnknownEncoding(String),
    /// The query's syntax, or its length, depth or page, is wrong.
    #[error("invalid query: {0}")]
    Query(String),
    /// A command-line value is wrong, other than the query (an unknown facet name).
    #[error("{0}")]
    Usage(String),
    /// A saved-searches or watch-state file that cannot be used: where, and why.
    #[error("{}:{line}:{column}: {reason}", path.display())]
    WatchFile {
        path: PathBuf,
        line: usize,
        column: usize,
        reason: String,
    },
    /// A file of the saved searches' state that cannot be used as a whole (it is missing):
    /// why.
    #[error("{}: {reason}", path.display())]
    WatchStateFile { path: PathBuf, reason: String },
    /// A binary file of the saved searches' state that cannot be used: where, and why.
    #[error("{}: byte {offset}: {reason}", path.display())]
    WatchLog {
        path: PathBuf,
        offset: usize,
        reason: String,
    },
    /// A saved search named on the command line that the saved-searches file does not hold.
    #[error("no saved search is named `{0}` (`rasd watch list` shows them)")]
    UnknownWatch(String),
    /// Something only a bug in rasd can cause, such as a field without its registered
    /// tokenizer.
    #[error("internal error, please report it: {0}")]
    Internal(String),
    // The cause is in the message, briefly, and not a `source`: printed as a chain, tantivy's
    // own messages would repeat it at length.
    #[error("{context}: {}", brief(cause))]
    Tantivy {
        context: String,
        cause: tantivy::TantivyError,
    },
    #[error("{context}: {cause}")]
    Io {
        context: String,
        cause: std::io::Error,
    },
}

/// The gist of a tantivy error, in one short line: its messages carry `Debug` dumps of nested
/// errors and advice about tantivy versions that mean nothing to rasd's users.
pub(crate) fn brief(error: &tantivy::TantivyError) -> String {
    use tantivy::TantivyError;
    use tantivy::directory::error::OpenReadError;
    let text = match error {
        TantivyError::OpenReadError(OpenReadError::FileDoesNotExist(file)) => {
            format!("{} is missing", file.display())
        }
        TantivyError::OpenReadError(OpenReadError::IoError { io_error, filepath }) => {
            format!("{} cannot be read: {io_error}", filepath.display())
        }
        TantivyError::IoError(io_error) => io_error.to_string(),
        // Only its `Debug` names the file, quoted twice.
        TantivyError::DataCorruption(corruption) => format!("{corruption:?}")
            .replace("`\"", "")
            .replace("\"`", ""),
        other => other.to_string(),
    };
    first_sentence(&text)
}

/// The text up to its first full stop, on one line, at most 200 characters.
fn first_sentence(text: &str) -> String {
    let end = text.find(". ").unwrap_or(text.len());
    let line: String = text[..end]
        .chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .take(200)
        .collect();
    line.trim_end_matches('.').to_string()
}

/// Adds what was being done to a tantivy or I/O error.
pub(crate) trait Context<T> {
    fn context(self, context: impl FnOnce() -> String) -> Result<T, Error>;
}

impl<T> Context<T> for Result<T, tantivy::TantivyError> {
    fn context(self, context: impl FnOnce() -> String) -> Result<T, Error> {
        self.map_err(|cause| Error::Tantivy {
            context: context(),
            cause,
        })
    }
}

impl<T> Context<T> for Result<T, std::io::Error> {
    fn context(self, context: impl FnOnce() -> String) -> Result<T, Error> {
        self.map_err(|cause| Error::Io {
            context: context(),
            cause,
        })
    }
}
