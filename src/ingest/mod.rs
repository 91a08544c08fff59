//! From files to articles: discover the files under the roots, decode them, parse them.
//!
//! Nothing here touches the index. Every problem becomes a [`Problem`] naming the file and line;
//! one bad file or line never stops the others. Most files are read whole
//! ([`SourceFile::read`]); a web archive is read as a stream of articles
//! ([`SourceFile::stream`]), and gzip is decompressed on the fly (`gzip.rs`).

pub mod decode;
pub mod feed;
pub mod formats;
pub mod gzip;
pub mod html;
pub mod warc;

use std::borrow::Cow;
use std::collections::HashSet;
use std::fmt;
use std::fs::Metadata;
use std::path::{Path, PathBuf};
use std::time::UNIX_EPOCH;

use encoding_rs::Encoding;

use walkdir::WalkDir;

use crate::article::{self, Article};
use crate::{dates, lang};
use formats::{Format, Record};

/// How bad a problem is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    /// The input was used, with a caveat (e.g. an invalid date was left out).
    Warning,
    /// The input (a file, a line, an item) was not indexed.
    Failed,
}

/// A problem with one input, for a one-line report.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Problem {
    pub path: String,
    pub line: Option<usize>,
    pub severity: Severity,
    pub reason: String,
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.path)?;
        if let Some(line) = self.line {
            write!(f, ":{line}")?;
        }
        write!(f, ": {}", self.reason)
    }
}

/// A file to read, as discovery saw it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SourceFile {
    /// Absolute path, under a canonical root: also the file's key in the index.
    pub path: PathBuf,
    /// Path relative to the root it was found under, with `/` separators: the default id.
    pub relative: String,
    pub format: Format,
    /// Whether the file is gzip-compressed (`.jsonl.gz`, `.warc.gz`…).
    pub gzip: bool,
    /// Size in bytes when discovered.
    pub size: u64,
    /// Modification time when discovered, in nanoseconds since the Unix epoch.
    pub modified: i64,
}

/// Nanoseconds since the Unix epoch of a file's modification time (0 when unknown).
pub fn modified_nanos(metadata: &Metadata) -> i64 {
    metadata
        .modified()
        .ok()
        .and_then(|t| t.duration_since(UNIX_EPOCH).ok())
        .map_or(0, |d| i64::try_from(d.as_nanos()).unwrap_or(i64::MAX))
}

/// What discovery found under the roots.
#[derive(Debug, Default)]
pub struct Discovery {
    pub files: Vec<SourceFile>,
    /// The roots walked, as the files' paths start: absolute and canonical, but for a root
    /// that is a link, kept under the name it was given (see [`named_root`]). A root inside
    /// another, or given twice, is walked once, as part of the other.
    pub roots: Vec<PathBuf>,
    /// Where the roots that are links lead, canonical: files indexed from there (before the
    /// link was switched, or by an earlier rasd that resolved the link) are the roots' too.
    pub link_targets: Vec<PathBuf>,
    /// Files with extensions rasd does not read, and entries that are no files: links not
    /// followed, FIFOs, sockets, devices.
    pub skipped: usize,
    /// Folders or entries that could not be read.
    pub problems: Vec<Problem>,
    /// Folders and files that could not be walked or examined: what the index holds from
    /// them must be kept, since it is unknown whether they still exist.
    pub unreadable: Vec<PathBuf>,
    /// The keys of files whose contents decide whether they changed, whatever their size and
    /// time: a name that is not UTF-8 shares its key with a real name that spells its escapes
    /// (see [`path_text`]), so the index's record under it may be the other file's.
    pub check_contents: HashSet<String>,
}

/// Options for [`discover`].
#[derive(Debug, Default, Clone)]
pub struct DiscoverOptions {
    /// Follow symbolic links (walkdir detects loops).
    pub follow_links: bool,
    /// A folder never to enter: the index itself, when it lives inside an archive.
    pub exclude: Option<PathBuf>,
}

fn is_hidden(name: &std::ffi::OsStr) -> bool {
    name.to_str()
        .is_some_and(|n| n.starts_with('.') && n != "." && n != "..")
}

/// How a problem with a file name that is not valid UTF-8 begins.
const NOT_UTF8_NAME: &str = "file name is not valid UTF-8";

/// A path as text, one to one: a valid UTF-8 path as it is; in a path that is not, each
/// invalid byte written `\xNN` and each backslash `\\`, so that two names that differ only in
/// their invalid bytes keep two keys (U+FFFD would merge them, and lose an article).
///
/// A valid UTF-8 name that spells such escapes itself (a literal `a\xff.txt`) can still meet
/// the key of a non-UTF-8 name (keys of valid names could not be changed without changing
/// every existing index): [`discover`] then leaves the non-UTF-8 one out, and says so.
pub fn path_text(path: &Path) -> Cow<'_, str> {
    if let Some(text) = path.to_str() {
        return Cow::Borrowed(text);
    }
    Cow::Owned(escape_invalid_utf8(path.as_os_str()))
}

#[cfg(unix)]
fn escape_invalid_utf8(name: &std::ffi::OsStr) -> String {
    use std::fmt::Write;
    use std::os::unix::ffi::OsStrExt;
    let mut text = String::with_capacity(name.len() + 8);
    for chunk in name.as_bytes().utf8_chunks() {
        text.push_str(&chunk.valid().replace('\\', "\\\\"));
        for byte in chunk.invalid() {
            let _ = write!(text, "\\x{byte:02x}");
        }
    }
    text
}

/// Elsewhere a name that is not Unicode holds unpaired UTF-16 surrogates: shown as U+FFFD.
#[cfg(not(unix))]
fn escape_invalid_utf8(name: &std::ffi::OsStr) -> String {
    name.to_string_lossy().into_owned()
}

/// Walks the roots (files or folders) and lists the files to read, skipping hidden folders and
/// the excluded folder. The roots must exist.
pub fn discover(roots: &[PathBuf], options: &DiscoverOptions) -> Discovery {
    let exclude = options.exclude.as_ref().and_then(|p| p.canonicalize().ok());
    let mut found = Discovery::default();
    let roots: Vec<(PathBuf, PathBuf)> = roots
        .iter()
        .map(|root| (named_root(root), canonical_root(root)))
        .collect();
    // A root inside another (`archive archive/feeds`, a file and its folder) or given twice
    // would index its files twice, under two ids: it is walked as part of the other.
    let covered = |i: usize, canonical: &Path| {
        roots.iter().enumerate().any(|(j, (_, other))| {
            j != i && canonical.starts_with(other) && (canonical != other.as_path() || j < i)
        })
    };
    for (i, (root, canonical)) in roots.iter().enumerate() {
        if covered(i, canonical) {
            continue;
        }
        found.roots.push(root.clone());
        if root != canonical {
            found.link_targets.push(canonical.clone());
        }
        let root = root.clone();
        for entry in walk(&root, options.follow_links, exclude.as_deref()) {
            match entry {
                Ok(entry) if entry.file_type().is_file() => found.add_file(entry, &root),
                Ok(entry) if entry.file_type().is_dir() => {}
                // A root that is a link to a folder, walked through.
                Ok(entry) if entry.depth() == 0 => {}
                // A link not followed (without --follow-links), a FIFO, a socket, a device.
                Ok(_) => found.skipped += 1,
                Err(e) => found.add_walk_error(&e, &root),
            }
        }
    }
    found.leave_out_name_collisions();
    found
}

/// The date a file's name starts with, `YYYY-MM-DD` then no other digit
/// (`2024-03-12-casablanca-cell.txt`, `2024-03-12.md`), when it is a valid date.
fn date_of_name(path: &str) -> Option<time::OffsetDateTime> {
    let name = Path::new(path).file_name()?.to_str()?;
    let prefix = name.get(..10)?;
    let shape = prefix.bytes().enumerate().all(|(i, b)| match i {
        4 | 7 => b == b'-',
        _ => b.is_ascii_digit(),
    });
    let ends = !name[10..].starts_with(|c: char| c.is_ascii_digit());
    (shape && ends)
        .then(|| dates::article_date(prefix).ok())
        .flatten()
}

/// A root made canonical, so that a file has the same key whatever the working folder.
fn canonical_root(root: &Path) -> PathBuf {
    root.canonicalize()
        .or_else(|_| std::path::absolute(root))
        .unwrap_or_else(|_| root.to_path_buf())
}

/// A root as its files' keys start: canonical ([`canonical_root`]), but a root that is a link
/// to a folder keeps its own name, in its folder made canonical. The link is what the user
/// names on every run (`archive/current`, switched from one dated snapshot to the next by
/// rsync or a backup tool): resolved, each snapshot's files would be other files, and those of
/// the last one, under no root named, would never be found gone.
fn named_root(root: &Path) -> PathBuf {
    let canonical = canonical_root(root);
    // A link to a file is resolved: its entry would otherwise be the link's, not the file's.
    let is_link =
        std::fs::symlink_metadata(root).is_ok_and(|m| m.file_type().is_symlink()) && root.is_dir();
    let Ok(absolute) = std::path::absolute(root) else {
        return canonical;
    };
    match (is_link, absolute.parent(), absolute.file_name()) {
        (true, Some(folder), Some(name)) => folder
            .canonicalize()
            .map_or(canonical, |folder| folder.join(name)),
        _ => canonical,
    }
}

/// The entries under `root` in file-name order, hidden folders and `exclude` left out.
fn walk(
    root: &Path,
    follow_links: bool,
    exclude: Option<&Path>,
) -> impl Iterator<Item = walkdir::Result<walkdir::DirEntry>> {
    let exclude = exclude.map(Excluded::new);
    WalkDir::new(root)
        .follow_links(follow_links)
        .sort_by_file_name()
        .into_iter()
        .filter_entry(move |entry| {
            let is_dir = entry.file_type().is_dir();
            let hidden = entry.depth() > 0 && is_dir && is_hidden(entry.file_name());
            let excluded = is_dir && exclude.as_ref().is_some_and(|ex| ex.is(entry));
            !hidden && !excluded
        })
}

/// The folder a walk leaves out (the index's), canonical.
struct Excluded {
    path: PathBuf,
    /// Its inode number, on unix.
    inode: Option<u64>,
}

impl Excluded {
    fn new(path: &Path) -> Excluded {
        #[cfg(unix)]
        let inode = std::fs::metadata(path)
            .ok()
            .map(|m| std::os::unix::fs::MetadataExt::ino(&m));
        #[cfg(not(unix))]
        let inode = None;
        Excluded {
            path: path.to_path_buf(),
            inode,
        }
    }

    /// Whether the folder `entry` is this one. Canonicalizing resolves every folder above, so
    /// doing it for each folder of a tree 2,000 deep took minutes: where the listing gives
    /// inode numbers, only a folder with this one's is looked at.
    fn is(&self, entry: &walkdir::DirEntry) -> bool {
        #[cfg(unix)]
        if let Some(inode) = self.inode
            && !entry.path_is_symlink()
            && walkdir::DirEntryExt::ino(entry) != inode
        {
            return false;
        }
        entry.path().canonicalize().ok().as_deref() == Some(&*self.path)
    }
}

/// The path of `entry` relative to `root`, `/`-separated, each component as [`path_text`]
/// writes it; a file given as a root is its own name.
fn relative_key(entry: &walkdir::DirEntry, root: &Path) -> String {
    let relative = match entry.path().strip_prefix(root) {
        Ok(rel) if !rel.as_os_str().is_empty() => rel,
        _ => Path::new(entry.file_name()),
    };
    relative
        .components()
        .map(|c| path_text(Path::new(c.as_os_str())))
        .collect::<Vec<_>>()
        .join("/")
}

impl Discovery {
    /// Adds a file found under `root`: counted as skipped for its extension, or listed with
    /// its size and time; its problems (a non-UTF-8 name, unreadable metadata) reported.
    fn add_file(&mut self, entry: walkdir::DirEntry, root: &Path) {
        // Lossy: a name that is not UTF-8 is still read when its extensions are known.
        let format = Format::from_file_name(&entry.file_name().to_string_lossy());
        let Some((format, gzip)) = format else {
            self.skipped += 1;
            return;
        };
        if entry.path().to_str().is_none() {
            self.problems.push(Problem {
                path: path_text(entry.path()).into_owned(),
                line: None,
                severity: Severity::Warning,
                reason: format!(
                    "{NOT_UTF8_NAME}; indexed under the name shown, its invalid bytes written \\xNN"
                ),
            });
        }
        let metadata = match entry.metadata() {
            Ok(metadata) => metadata,
            Err(e) => {
                self.unreadable.push(entry.path().to_path_buf());
                let error = walk_error_text(&e);
                self.problems.push(Problem {
                    path: path_text(entry.path()).into_owned(),
                    line: None,
                    severity: Severity::Failed,
                    reason: format!(
                        "cannot examine: {error}; the articles the index holds from it are kept"
                    ),
                });
                return;
            }
        };
        self.files.push(SourceFile {
            size: metadata.len(),
            modified: modified_nanos(&metadata),
            relative: relative_key(&entry, root),
            path: entry.into_path(),
            format,
            gzip,
        });
    }

    /// Leaves out each file whose name is not valid UTF-8 and, written as [`path_text`]
    /// writes it, is the name of another file (`a<FF>.txt` beside a file named `a\xff.txt`):
    /// two files under one key would take each other's place, run after run. The file whose
    /// name is written as it is keeps the key; the other is reported. Every key of a name
    /// that is not UTF-8 goes to [`Discovery::check_contents`].
    fn leave_out_name_collisions(&mut self) {
        if self.files.iter().all(|file| file.path.to_str().is_some()) {
            return;
        }
        self.check_contents = (self.files.iter())
            .filter(|file| file.path.to_str().is_none())
            .map(|file| file.key().into_owned())
            .collect();
        let named: HashSet<String> = (self.files.iter())
            .filter(|file| file.path.to_str().is_some())
            .map(|file| file.key().into_owned())
            .collect();
        let mut left_out = Vec::new();
        self.files.retain(|file| {
            let collides = file.path.to_str().is_none() && named.contains(file.key().as_ref());
            if collides {
                left_out.push(file.key().into_owned());
            }
            !collides
        });
        for key in left_out {
            self.problems.retain(|problem| {
                problem.path != key || !problem.reason.starts_with(NOT_UTF8_NAME)
            });
            self.problems.push(Problem {
                path: key,
                line: None,
                severity: Severity::Warning,
                reason: format!(
                    "{NOT_UTF8_NAME}, and written with its invalid bytes as \\xNN it is the \
                     name of another file, which is indexed under it; left out: rename one of \
                     them"
                ),
            });
        }
    }

    /// Reports what the walk could not enter: a link loop is a warning; an unreadable
    /// folder is a failure, and what the index holds from under it is kept.
    fn add_walk_error(&mut self, e: &walkdir::Error, root: &Path) {
        let path = e
            .path()
            .map_or_else(|| root.to_path_buf(), Path::to_path_buf);
        let (severity, reason) = match e.loop_ancestor() {
            Some(ancestor) => (
                Severity::Warning,
                format!(
                    "symbolic link loop back to {}; not followed",
                    ancestor.display()
                ),
            ),
            None if e.io_error().is_some_and(is_link_loop) => (
                Severity::Warning,
                "symbolic link loop (links that lead to one another); not followed".to_string(),
            ),
            // Gone with its target: nothing to keep from it.
            None if e.io_error().map(std::io::Error::kind)
                == Some(std::io::ErrorKind::NotFound)
                && path
                    .symlink_metadata()
                    .is_ok_and(|m| m.file_type().is_symlink()) =>
            {
                (
                    Severity::Warning,
                    "symbolic link to nothing (its target is gone); skipped".to_string(),
                )
            }
            None => (
                Severity::Failed,
                format!(
                    "cannot read: {}; the articles the index holds from it are kept",
                    walk_error_text(e)
                ),
            ),
        };
        if severity == Severity::Failed {
            self.unreadable.push(path.clone());
        }
        self.problems.push(Problem {
            path: path_text(&path).into_owned(),
            line: None,
            severity,
            reason,
        });
    }
}

/// The system's reason for a walk error, without walkdir's repetition of the path, which the
/// problem line names already.
fn walk_error_text(e: &walkdir::Error) -> String {
    e.io_error()
        .map_or_else(|| e.to_string(), |io| io.to_string())
}

/// Whether the system refused to follow a link as "too many levels of symbolic links": links
/// that lead to one another (`a -> b`, `b -> a`), which walkdir's own loop check, by the
/// folders above, does not see, since the link's target can never be examined.
#[cfg(unix)]
fn is_link_loop(e: &std::io::Error) -> bool {
    e.raw_os_error() == Some(libc::ELOOP)
}

/// Elsewhere the walk's own loop check is all there is.
#[cfg(not(unix))]
fn is_link_loop(_: &std::io::Error) -> bool {
    false
}

/// How to read files.
#[derive(Debug, Clone, Copy)]
pub struct ReadOptions {
    /// Decode every file with this encoding instead of detecting it.
    pub encoding: Option<&'static Encoding>,
    /// Files larger than this many bytes are skipped with a warning.
    pub max_file_size: u64,
    /// An article's text (title and body) longer than this many bytes is cut, with a warning.
    pub max_article_size: usize,
    /// About how many bytes of a web archive's records are read and parsed at once (its share
    /// of `--memory`; at most 16 MB).
    pub batch_bytes: usize,
}

impl Default for ReadOptions {
    fn default() -> Self {
        ReadOptions {
            encoding: None,
            max_file_size: DEFAULT_MAX_FILE_SIZE,
            max_article_size: DEFAULT_MAX_ARTICLE_SIZE,
            batch_bytes: warc::BATCH_BYTES,
        }
    }
}

/// Default of [`ReadOptions::max_article_size`]: 4 MB of text, forty times the longest real
/// article. Indexing an article costs memory in proportion to its size, whatever `--memory`
/// says, and every search that hits it builds a snippet from all of it: a 200 MB record took
/// 1.1 GB to index and 12 s to show.
pub const DEFAULT_MAX_ARTICLE_SIZE: usize = 4_000_000;

/// Cuts `text` to at most `max` bytes: at the last space among the final hundred characters
/// when there is one, else at a character boundary.
fn truncate_text(text: &mut String, max: usize) {
    if text.len() <= max {
        return;
    }
    let mut end = max;
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    let end = text[..end]
        .char_indices()
        .rev()
        .take(100)
        .find(|(_, c)| c.is_whitespace())
        .map_or(end, |(space, _)| space);
    text.truncate(end);
    // The capacity of the long text would stay allocated as long as the article.
    text.shrink_to_fit();
}

/// A value from a file, quoted in a message: short, whatever the file holds.
fn quoted(value: &str) -> String {
    let value = crate::clean::line(value, crate::clean::VALUE_CHARS);
    format!("`{value}`")
}

/// How the warning for an article cut to `--max-article-size` begins.
const CUT_WARNING: &str = "article text truncated to ";

/// Whether `problem` is the warning for an article cut to `--max-article-size`.
pub fn is_cut_warning(problem: &Problem) -> bool {
    problem.severity == Severity::Warning && problem.reason.starts_with(CUT_WARNING)
}

fn megabytes(bytes: usize) -> String {
    format!("{:.1} MB", bytes as f64 / 1e6)
}

/// Default of [`ReadOptions::max_file_size`]: 256 MB, far above any article file, low enough
/// to keep a stray disk image or database dump out of memory.
pub const DEFAULT_MAX_FILE_SIZE: u64 = 256_000_000;

/// The warning for the stray NUL bytes a document's text was read without.
pub(crate) fn nuls_reason(nuls: usize) -> String {
    format!("{nuls} NUL bytes in the text were left out")
}

/// The warning for bytes that decoding replaced.
pub(crate) fn replaced_reason(replaced: usize, encoding: &str) -> String {
    format!("{replaced} bytes are not valid {encoding} and were replaced by U+FFFD")
}

/// What became of a file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FileState {
    /// Its content was looked at: the articles (maybe none) are what it holds now.
    Read {
        /// XXH3 hash of its bytes.
        hash: u64,
    },
    /// It was not read (larger than `--max-file-size`): it holds no article any more.
    Skipped,
    /// It disappeared before it could be read.
    Vanished,
    /// It could not be read (permissions, I/O error): what the index holds from it stays.
    Unreadable,
}

/// Articles read from one file, its problems, and what became of it.
#[derive(Debug)]
pub struct FileOutcome {
    pub articles: Vec<Article>,
    pub problems: Vec<Problem>,
    pub state: FileState,
}

impl SourceFile {
    /// The file's key in the index: its path as text, one to one (see [`path_text`]).
    pub fn key(&self) -> Cow<'_, str> {
        path_text(&self.path)
    }

    fn problem(
        &self,
        line: Option<usize>,
        severity: Severity,
        reason: impl Into<String>,
    ) -> Problem {
        Problem {
            path: self.key().into_owned(),
            line,
            severity,
            reason: reason.into(),
        }
    }

    fn outcome(&self, state: FileState, problem: Option<Problem>) -> FileOutcome {
        FileOutcome {
            articles: vec![],
            problems: problem.into_iter().collect(),
            state,
        }
    }

    /// What became of a file that could not be opened or read.
    fn unopened(&self, e: &std::io::Error) -> FileOutcome {
        if e.kind() == std::io::ErrorKind::NotFound {
            let problem = self.problem(None, Severity::Warning, "vanished before it could be read");
            return self.outcome(FileState::Vanished, Some(problem));
        }
        let problem = self.problem(None, Severity::Failed, format!("cannot read: {e}"));
        self.outcome(FileState::Unreadable, Some(problem))
    }

    /// Written to while being read: what was read is indexed, and the next run reads it again
    /// (the index records the size and time seen before reading).
    pub fn changed_while_read(&self) -> Option<Problem> {
        let changed = std::fs::metadata(&self.path)
            .is_ok_and(|m| m.len() != self.size || modified_nanos(&m) != self.modified);
        changed.then(|| {
            self.problem(
                None,
                Severity::Warning,
                "changed while being read; it will be read again by the next run",
            )
        })
    }

    /// The decompressed content of a gzip file of a format read whole, at most
    /// `--max-file-size` of it. Damaged gzip is a failure; JSON Lines keeps the lines before
    /// the damage, other formats (one document) keep nothing.
    fn decompress(
        &self,
        bytes: &[u8],
        options: &ReadOptions,
        outcome: &mut FileOutcome,
    ) -> Option<Vec<u8>> {
        match gzip::decompress(bytes, options.max_file_size) {
            gzip::Decompressed::Complete(bytes) => Some(bytes),
            gzip::Decompressed::TooLarge => {
                let reason = format!(
                    "larger than the --max-file-size of {} MB once decompressed; skipped",
                    options.max_file_size / 1_000_000
                );
                outcome
                    .problems
                    .push(self.problem(None, Severity::Warning, reason));
                outcome.state = FileState::Skipped;
                None
            }
            gzip::Decompressed::Damaged {
                mut bytes,
                offset,
                error,
            } => {
                let damage = gzip::damage(offset, &error);
                if self.format != Format::JsonLines {
                    let reason = format!("{damage}; not indexed");
                    outcome
                        .problems
                        .push(self.problem(None, Severity::Failed, reason));
                    return None;
                }
                // The last line may be cut: only whole lines are read.
                let whole = bytes.iter().rposition(|&b| b == b'\n').map_or(0, |n| n + 1);
                bytes.truncate(whole);
                let reason = format!("{damage}; the lines before it are indexed");
                outcome
                    .problems
                    .push(self.problem(None, Severity::Failed, reason));
                Some(bytes)
            }
        }
    }

    /// XXH3 hash of the file's bytes, read as a stream.
    pub fn content_hash(&self) -> Result<u64, FileOutcome> {
        use std::io::Read;
        let mut file = std::fs::File::open(&self.path).map_err(|e| self.unopened(&e))?;
        let mut hasher = xxhash_rust::xxh3::Xxh3::new();
        let mut buf = vec![0; 1 << 20];
        loop {
            match file.read(&mut buf) {
                Ok(0) => return Ok(hasher.digest()),
                Ok(n) => hasher.update(&buf[..n]),
                Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
                Err(e) => return Err(self.unopened(&e)),
            }
        }
    }

    /// The articles of a file of a streamed format ([`Format::streams`]), one at a time,
    /// never holding more than one record (at most `--max-file-size`) in memory; or what
    /// became of the file when it cannot be opened.
    pub fn stream(
        &self,
        options: &ReadOptions,
    ) -> Result<warc::Pages<std::io::BufReader<std::fs::File>>, FileOutcome> {
        let file = std::fs::File::open(&self.path).map_err(|e| self.unopened(&e))?;
        // A crawl's archive is read past a damaged gzip member (one per record) to the next.
        let reader = std::io::BufReader::with_capacity(1 << 16, file);
        let input = gzip::Input::resyncing(reader, self.gzip);
        Ok(warc::Pages::new(input, self.clone(), *options))
    }

    /// A streamed file read whole: its hash, then its articles.
    fn read_stream(&self, options: &ReadOptions) -> FileOutcome {
        let hash = match self.content_hash() {
            Ok(hash) => hash,
            Err(outcome) => return outcome,
        };
        let pages = match self.stream(options) {
            Ok(pages) => pages,
            Err(outcome) => return outcome,
        };
        let mut outcome = FileOutcome {
            articles: vec![],
            problems: vec![],
            state: FileState::Read { hash },
        };
        for item in pages {
            outcome.problems.extend(item.problems);
            outcome.articles.extend(item.article);
        }
        outcome.problems.extend(self.changed_while_read());
        outcome
    }

    /// Reads, decodes and parses the file (a streamed format's articles collected: the
    /// indexer reads those with [`SourceFile::stream`] instead, one at a time).
    pub fn read(&self, options: &ReadOptions) -> FileOutcome {
        if self.format.streams() {
            return self.read_stream(options);
        }
        if self.size > options.max_file_size {
            let reason = format!(
                "larger than the --max-file-size of {} MB ({} MB); skipped",
                options.max_file_size / 1_000_000,
                self.size / 1_000_000
            );
            let problem = self.problem(None, Severity::Warning, reason);
            return self.outcome(FileState::Skipped, Some(problem));
        }
        let bytes = match std::fs::read(&self.path) {
            Ok(bytes) => bytes,
            Err(e) => return self.unopened(&e),
        };
        let mut outcome = FileOutcome {
            articles: vec![],
            problems: vec![],
            state: FileState::Read {
                hash: xxhash_rust::xxh3::xxh3_64(&bytes),
            },
        };
        outcome.problems.extend(self.changed_while_read());
        let bytes = if self.gzip {
            match self.decompress(&bytes, options, &mut outcome) {
                Some(bytes) => bytes,
                None => return outcome,
            }
        } else {
            bytes
        };
        if bytes.iter().all(u8::is_ascii_whitespace) {
            outcome
                .problems
                .push(self.problem(None, Severity::Warning, "empty file"));
            return outcome;
        }
        if self.format.declares_encoding() {
            self.read_html(&bytes, options, &mut outcome);
            return outcome;
        }
        let decoded = match decode::decode(bytes, options.encoding, self.format.framing()) {
            Ok(decoded) => decoded,
            Err(e) => {
                outcome.problems.push(self.problem(
                    None,
                    Severity::Warning,
                    format!("{e}; skipped"),
                ));
                return outcome;
            }
        };
        if decoded.replaced > 0 {
            let reason = replaced_reason(decoded.replaced, decoded.encoding);
            outcome
                .problems
                .push(self.problem(None, Severity::Warning, reason));
        }
        if decoded.nuls_removed > 0 {
            let reason = nuls_reason(decoded.nuls_removed);
            outcome
                .problems
                .push(self.problem(None, Severity::Warning, reason));
        }
        let parsed = self.format.parse(&decoded.text);
        // The records own their text: the file's may be hundreds of megabytes.
        drop(decoded);
        for error in parsed.errors {
            // An `.xml` file may be any XML (a sitemap): only a feed's damage is a failure.
            let severity = if error.reason == feed::NOT_A_FEED {
                Severity::Warning
            } else {
                Severity::Failed
            };
            outcome
                .problems
                .push(self.problem(error.line, severity, error.reason));
        }
        let mut places = Vec::with_capacity(parsed.records.len());
        for record in parsed.records {
            let place = Place::of(&record);
            if let Some(article) = self.article(record, options, &mut outcome.problems) {
                outcome.articles.push(article);
                places.push(place);
            }
        }
        self.keep_last_of_each_id(&mut outcome.articles, &places, &mut outcome.problems);
        // Parse errors were collected first: report everything in file order.
        outcome.problems.sort_by_key(|p| p.line);
        outcome
    }

    /// Keeps the last article of each id in the file, as indexing them one after the other
    /// would, and reports each repeat with where both articles are (`places`, one per
    /// article): here, where lines and items are still known, rather than by the indexer, which
    /// could only say that the id was used twice in the file.
    fn keep_last_of_each_id(
        &self,
        articles: &mut Vec<Article>,
        places: &[Place],
        problems: &mut Vec<Problem>,
    ) {
        let mut seen = SeenIds::default();
        let mut replaced = vec![false; articles.len()];
        for (at, article) in articles.iter().enumerate() {
            if let Some(Repeat::Replaces(earlier)) =
                seen.repeat(self, article, (places[at], 0), problems)
            {
                replaced[earlier] = true;
            }
        }
        if replaced.contains(&true) {
            let mut replaced = replaced.into_iter();
            articles.retain(|_| !replaced.next().unwrap_or(false));
        }
    }

    /// An HTML page: decoded by what it declares (unless `--encoding` forces an encoding),
    /// one article, or a warning when it holds no article text.
    fn read_html(&self, bytes: &[u8], options: &ReadOptions, outcome: &mut FileOutcome) {
        let page = match html::read_page(bytes, options.encoding, &html::HtmlContext::default()) {
            Ok(page) => page,
            Err(e) => {
                let reason = format!("{e}; skipped");
                outcome
                    .problems
                    .push(self.problem(None, Severity::Warning, reason));
                return;
            }
        };
        for reason in page.decoding_warnings() {
            outcome
                .problems
                .push(self.problem(None, Severity::Warning, reason));
        }
        if let Some(article) = self.article(page.record, options, &mut outcome.problems) {
            outcome.articles.push(article);
        }
    }

    /// Cuts a long article to `options.max_article_size` bytes, the body first; whether it did.
    fn cap(
        &self,
        title: &mut String,
        body: &mut String,
        line: Option<usize>,
        options: &ReadOptions,
        problems: &mut Vec<Problem>,
    ) -> bool {
        let max = options.max_article_size;
        let size = title.len() + body.len();
        if size <= max {
            return false;
        }
        // A title that alone fills the limit (a record whose text went to its title) keeps
        // half, so that the body is not lost for it.
        let title_max = if body.is_empty() { max } else { max / 2 };
        truncate_text(title, title_max.max(max.saturating_sub(body.len())));
        truncate_text(body, max - title.len());
        let (kept, was) = match (megabytes(title.len() + body.len()), megabytes(size)) {
            // Sizes that round alike say nothing: the bytes do.
            (kept, was) if kept == was => (
                format!("{} bytes", title.len() + body.len()),
                format!("{size} bytes"),
            ),
            sizes => sizes,
        };
        problems.push(self.problem(
            line,
            Severity::Warning,
            format!("{CUT_WARNING}{kept} (was {was}); see --max-article-size"),
        ));
        true
    }

    /// Settles a record into an article: size, id, date, language.
    fn article(
        &self,
        record: Record,
        options: &ReadOptions,
        problems: &mut Vec<Problem>,
    ) -> Option<Article> {
        let (mut title, mut body) = (
            record.title.unwrap_or_default(),
            record.body.unwrap_or_default(),
        );
        let cut = self.cap(&mut title, &mut body, record.line, options, problems);
        if title.is_empty() && body.is_empty() {
            problems.push(self.problem(
                record.line,
                Severity::Warning,
                "article has neither a title nor a body; skipped",
            ));
            return None;
        }
        if body.is_empty() {
            problems.push(self.problem(
                record.line,
                Severity::Warning,
                "article has no body; indexed with its title only",
            ));
        }
        let id = record
            .id
            .unwrap_or_else(|| match (record.line, record.item) {
                (Some(line), _) if self.format == Format::JsonLines => {
                    format!("{}#{line}", self.relative)
                }
                (_, Some(item)) => format!("{}#{item}", self.relative),
                _ => self.relative.clone(),
            });
        // An item of a feed or a JSON array is named, having no line of its own.
        let item = match (record.line, record.item) {
            (None, Some(item)) if self.format != Format::Html => format!("item {item}: "),
            _ => String::new(),
        };
        let written_date = record.date.is_some();
        let date = record.date.and_then(|text| {
            let reason = match dates::article_date(&text) {
                Ok(instant) => return Some(instant),
                Err(dates::DateError::Invalid) => format!(
                    "invalid date {} (expected YYYY-MM-DD or RFC 3339); indexed without a date",
                    quoted(&text)
                ),
                Err(dates::DateError::OutOfRange) => format!(
                    "date {} is outside the supported range {}; indexed without a date",
                    quoted(&text),
                    dates::SUPPORTED_TEXT
                ),
            };
            problems.push(self.problem(record.line, Severity::Warning, format!("{item}{reason}")));
            None
        });
        // A text or Markdown file that writes no date: the one its name starts with, as
        // archives name their files (`2024-03-12-casablanca-cell.txt`); a `.txt` has no
        // other place for one.
        let one_article = matches!(self.format, Format::Text | Format::Markdown);
        let date = match (date, one_article && !written_date) {
            (None, true) => date_of_name(&self.relative),
            (date, _) => date,
        };
        let lang = record
            .meta
            .lang
            .as_deref()
            .and_then(lang::normalize_lang)
            .or_else(|| lang::detect_lang(&format!("{title}\n{body}")));
        Some(Article {
            id,
            path: self.key().into_owned(),
            title,
            body,
            date,
            meta: article::Metadata {
                lang,
                ..record.meta
            },
            cut,
            after_damage: false,
        })
    }
}

/// The ids a file gave so far, and where, to name both places of a repeated id: in a file
/// read whole, where the earlier article is then left out, and in a stream (standard input,
/// a web archive), whose earlier article the indexer replaces.
#[derive(Default)]
pub(crate) struct SeenIds {
    /// Each id's 128-bit hash (a web archive's million URLs stay small), with the place,
    /// stretch (see [`SeenIds::repeat`]) and number (from 0) of the article that gave it last.
    last: rustc_hash::FxHashMap<u128, (Place, u32, usize)>,
    articles: usize,
}

/// What becomes of an article whose id an earlier article of its file gave.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Repeat {
    /// It replaces the earlier article, whose number (from 0) this is.
    Replaces(usize),
    /// It is left out: damaged data lies between the two.
    Dropped,
}

impl SeenIds {
    /// Notes `article`, found at `place` in `source`, in the stretch of its file after the
    /// `stretch`-th passage over damaged data (0 in a file read without damage); when its id
    /// was seen before, reports the repeat in `problems` and says which article is kept. The
    /// later one, as a crawl that visits a page twice means, unless damage lies between them:
    /// what is read past damage may be a record stored inside the damaged one (a `.warc.gz`
    /// download kept verbatim), which must not replace the page the archive holds.
    pub(crate) fn repeat(
        &mut self,
        source: &SourceFile,
        article: &Article,
        (place, stretch): (Place, u32),
        problems: &mut Vec<Problem>,
    ) -> Option<Repeat> {
        let number = self.articles;
        self.articles += 1;
        let key = xxhash_rust::xxh3::xxh3_128(article.id.as_bytes());
        let Some(&(earlier, earlier_stretch, earlier_number)) = self.last.get(&key) else {
            self.last.insert(key, (place, stretch, number));
            return None;
        };
        let subject = match place {
            // The line is the problem's own: the report names it already.
            Place::Line(_) => String::new(),
            other => format!("{other} "),
        };
        let id = quoted(&article.id);
        let (reason, repeat) = if earlier_stretch == stretch {
            self.last.insert(key, (place, stretch, number));
            let reason =
                format!("{subject}repeats the id {id} of {earlier}; the later article is kept");
            (reason, Repeat::Replaces(earlier_number))
        } else {
            let reason = format!(
                "{subject}repeats the id {id} of {earlier}, with damaged data between them; the \
                 earlier article is kept"
            );
            (reason, Repeat::Dropped)
        };
        problems.push(source.problem(place.line(), Severity::Warning, reason));
        Some(repeat)
    }
}

/// Where an article is in its file, for naming the two articles of a repeated id.
#[derive(Debug, Clone, Copy)]
pub(crate) enum Place {
    /// A line of JSON Lines (or where a document starts).
    Line(usize),
    /// The N-th item of a JSON array or a feed; also a file's one article, as item 1.
    Item(usize),
    /// The record of a web archive that starts at `offset`, in the file or in what it
    /// decompresses to.
    Record { offset: u64, decompressed: bool },
}

impl Place {
    fn of(record: &Record) -> Place {
        match record.line {
            Some(line) => Place::Line(line),
            None => Place::Item(record.item.unwrap_or(1)),
        }
    }

    fn line(self) -> Option<usize> {
        match self {
            Place::Line(line) => Some(line),
            Place::Item(_) | Place::Record { .. } => None,
        }
    }
}

impl fmt::Display for Place {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Place::Line(line) => write!(f, "line {line}"),
            Place::Item(item) => write!(f, "item {item}"),
            // Said of a plain file once by the file's name; a `.warc.gz`'s offsets are not
            // its bytes'.
            Place::Record {
                offset,
                decompressed: false,
            } => write!(f, "the WARC record at byte {offset}"),
            Place::Record {
                offset,
                decompressed: true,
            } => write!(f, "the {}", warc::record_at(*offset, true)),
        }
    }
}

/// The name standard input goes by (`rasd index -`): the path of its articles and problems,
/// the key of the file they belong to, and the start of their default ids (`<stdin>#12`).
pub const STDIN: &str = "<stdin>";

/// What one input read as a stream gave (a line of JSON Lines, a record of a web archive):
/// an article (or none), and its problems.
#[derive(Debug, Default)]
pub struct ItemOutcome {
    pub article: Option<Article>,
    pub problems: Vec<Problem>,
}

/// Articles in JSON Lines read from a stream (standard input), one line at a time, so that a
/// scraper's pipe is indexed as it flows and can be stopped between two lines. Each line is
/// read as a line of a `.jsonl` file named [`STDIN`]; one longer than `--max-file-size` fails
/// without being held in memory.
pub struct JsonLinesInput<R> {
    input: R,
    source: SourceFile,
    options: ReadOptions,
    line: usize,
    seen: SeenIds,
    done: bool,
}

impl<R: std::io::BufRead> JsonLinesInput<R> {
    /// Reads `input` with `options`.
    pub fn new(input: R, options: ReadOptions) -> Self {
        JsonLinesInput {
            input,
            source: SourceFile {
                path: PathBuf::from(STDIN),
                relative: STDIN.to_string(),
                format: Format::JsonLines,
                gzip: false,
                size: 0,
                modified: 0,
            },
            options,
            line: 0,
            seen: SeenIds::default(),
            done: false,
        }
    }

    /// Reads the next line into `buf`, at most `max_file_size` bytes of it: `Ok(false)` at the
    /// end of input, `Ok(true)` with a cut `buf` for a longer line, whose rest is skipped.
    fn read_line(&mut self, buf: &mut Vec<u8>) -> std::io::Result<Option<bool>> {
        use std::io::{BufRead, Read};
        buf.clear();
        let limit = self.options.max_file_size;
        let read = (&mut self.input).take(limit + 1).read_until(b'\n', buf)?;
        if read == 0 {
            return Ok(None);
        }
        if buf.len() as u64 <= limit || buf.ends_with(b"\n") {
            return Ok(Some(false));
        }
        loop {
            let available = self.input.fill_buf()?;
            if available.is_empty() {
                return Ok(Some(true));
            }
            let (used, end) = match available.iter().position(|&b| b == b'\n') {
                Some(newline) => (newline + 1, true),
                None => (available.len(), false),
            };
            self.input.consume(used);
            if end {
                return Ok(Some(true));
            }
        }
    }
}

impl<R: std::io::BufRead> Iterator for JsonLinesInput<R> {
    type Item = ItemOutcome;

    fn next(&mut self) -> Option<ItemOutcome> {
        let mut buf = Vec::new();
        while !self.done {
            self.line += 1;
            let line = Some(self.line);
            let mut outcome = ItemOutcome::default();
            match self.read_line(&mut buf) {
                Ok(None) => self.done = true,
                Err(e) => {
                    self.done = true;
                    let reason = format!("cannot read: {e}");
                    outcome
                        .problems
                        .push(self.source.problem(line, Severity::Failed, reason));
                    return Some(outcome);
                }
                Ok(Some(true)) => {
                    let reason = format!(
                        "line longer than the --max-file-size of {} MB; skipped",
                        self.options.max_file_size / 1_000_000
                    );
                    outcome
                        .problems
                        .push(self.source.problem(line, Severity::Failed, reason));
                    return Some(outcome);
                }
                Ok(Some(false)) => {
                    if std::str::from_utf8(&buf).is_err() {
                        let reason = "bytes that are not valid UTF-8 were replaced by U+FFFD";
                        outcome
                            .problems
                            .push(self.source.problem(line, Severity::Warning, reason));
                    }
                    let text = String::from_utf8_lossy(&buf);
                    let text = text.trim_start_matches('\u{feff}');
                    if text.trim().is_empty() {
                        continue;
                    }
                    match formats::parse_json_line(text) {
                        Ok(record) => {
                            let record = Record { line, ..record };
                            outcome.article =
                                self.source
                                    .article(record, &self.options, &mut outcome.problems);
                            if let Some(article) = &outcome.article {
                                let place = Place::Line(self.line);
                                let problems = &mut outcome.problems;
                                self.seen
                                    .repeat(&self.source, article, (place, 0), problems);
                            }
                        }
                        Err(reason) => {
                            outcome.problems.push(self.source.problem(
                                line,
                                Severity::Failed,
                                reason,
                            ));
                        }
                    }
                    return Some(outcome);
                }
            }
        }
        None
    }
}

#[cfg(test)]
mod tests {
    use std::collections::HashSet;

    use super::*;

    #[test]
    fn a_file_name_that_starts_with_a_date_dates_its_article() {
        let day = |path: &str| date_of_name(path).map(|d| d.date().to_string());
        assert_eq!(
            day("ar/2024-03-12-casablanca-cell.txt").as_deref(),
            Some("2024-03-12")
        );
        assert_eq!(day("2024-03-12.md").as_deref(), Some("2024-03-12"));
        for not_a_date in [
            "2024-13-40-x.txt",
            "20240312.txt",
            "2024-03-123.txt",
            "cell.txt",
            "x",
        ] {
            assert_eq!(day(not_a_date), None, "{not_a_date}");
        }
    }

    fn write(dir: &Path, rel: &str, content: &str) {
        let path = dir.join(rel);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, content).unwrap();
    }

    #[test]
    fn discovery_skips_hidden_folders_other_extensions_and_the_index() {
        let dir = tempfile::tempdir().unwrap();
        write(dir.path(), "a/one.txt", "x");
        write(dir.path(), "a/two.MD", "x");
        write(dir.path(), "b/three.jsonl", "x");
        write(dir.path(), "b/image.png", "x");
        write(dir.path(), ".git/four.txt", "x");
        write(dir.path(), "idx/meta.json", "{}");
        let options = DiscoverOptions {
            follow_links: false,
            exclude: Some(dir.path().join("idx")),
        };
        let found = discover(&[dir.path().to_path_buf()], &options);
        let relative: Vec<&str> = found.files.iter().map(|f| f.relative.as_str()).collect();
        assert_eq!(relative, vec!["a/one.txt", "a/two.MD", "b/three.jsonl"]);
        assert_eq!(found.skipped, 1);
        assert!(found.problems.is_empty());
    }

    #[test]
    fn the_index_is_left_out_however_deep_and_however_reached() {
        let dir = tempfile::tempdir().unwrap();
        let deep = (0..300).map(|_| "d").collect::<Vec<_>>().join("/");
        write(dir.path(), &format!("{deep}/idx/meta.json"), "{}");
        write(dir.path(), &format!("{deep}/article.txt"), "x");
        // Through a link to a folder above it, followed: the same folder by another path.
        #[cfg(unix)]
        std::os::unix::fs::symlink(dir.path().join("d/d"), dir.path().join("link")).unwrap();
        let options = DiscoverOptions {
            follow_links: true,
            exclude: Some(dir.path().join(&deep).join("idx")),
        };
        let found = discover(&[dir.path().to_path_buf()], &options);
        let relative: Vec<&str> = found.files.iter().map(|f| f.relative.as_str()).collect();
        assert!(relative.iter().all(|r| !r.contains("idx")), "{relative:?}");
        let articles = relative
            .iter()
            .filter(|r| r.ends_with("article.txt"))
            .count();
        assert_eq!(articles, if cfg!(unix) { 2 } else { 1 });
    }

    #[cfg(unix)]
    #[test]
    fn symbolic_links_are_followed_only_on_request_and_loops_are_reported() {
        let dir = tempfile::tempdir().unwrap();
        let outside = tempfile::tempdir().unwrap();
        write(outside.path(), "linked.txt", "x");
        std::os::unix::fs::symlink(outside.path(), dir.path().join("link")).unwrap();
        std::os::unix::fs::symlink(dir.path(), dir.path().join("loop")).unwrap();
        std::os::unix::fs::symlink("loopA", dir.path().join("loopB")).unwrap();
        std::os::unix::fs::symlink("loopB", dir.path().join("loopA")).unwrap();
        let roots = [dir.path().to_path_buf()];
        let plain = discover(&roots, &DiscoverOptions::default());
        assert!(plain.files.is_empty() && plain.problems.is_empty());
        // Links not followed are counted with the other files skipped.
        assert_eq!(plain.skipped, 4);
        let followed = discover(
            &roots,
            &DiscoverOptions {
                follow_links: true,
                exclude: None,
            },
        );
        let relative: Vec<&str> = followed.files.iter().map(|f| f.relative.as_str()).collect();
        assert_eq!(relative, vec!["link/linked.txt"]);
        // The link back to its folder, and the two links that lead to each other.
        let loops: Vec<(&str, Severity)> = followed
            .problems
            .iter()
            .filter(|p| p.reason.contains("symbolic link loop"))
            .map(|p| (p.path.rsplit('/').next().unwrap(), p.severity))
            .collect();
        assert_eq!(
            loops,
            vec![
                ("loop", Severity::Warning),
                ("loopA", Severity::Warning),
                ("loopB", Severity::Warning)
            ],
            "{:?}",
            followed.problems
        );
        assert_eq!(followed.problems.len(), 3, "{:?}", followed.problems);
        assert!(followed.unreadable.is_empty());
        // A link whose target is gone is said as such, and is no unreadable folder.
        std::os::unix::fs::symlink("gone.txt", dir.path().join("dangling.txt")).unwrap();
        let followed = discover(
            &roots,
            &DiscoverOptions {
                follow_links: true,
                exclude: None,
            },
        );
        let dangling = followed
            .problems
            .iter()
            .find(|p| p.path.ends_with("dangling.txt"))
            .unwrap();
        assert_eq!(dangling.severity, Severity::Warning);
        assert!(
            dangling.reason.starts_with("symbolic link to nothing"),
            "{dangling:?}"
        );
        assert!(followed.unreadable.is_empty());
    }

    #[test]
    fn a_file_root_is_its_own_relative_path() {
        let dir = tempfile::tempdir().unwrap();
        write(dir.path(), "one.txt", "x");
        let found = discover(&[dir.path().join("one.txt")], &DiscoverOptions::default());
        assert_eq!(found.files[0].relative, "one.txt");
    }

    #[test]
    fn a_file_that_vanished_is_reported_as_such() {
        let file = SourceFile {
            path: PathBuf::from("/nonexistent/rasd/gone.txt"),
            relative: "gone.txt".into(),
            format: Format::Text,
            gzip: false,
            size: 10,
            modified: 1,
        };
        let outcome = file.read(&ReadOptions::default());
        assert_eq!(outcome.state, FileState::Vanished);
        assert_eq!(outcome.problems[0].severity, Severity::Warning);
        assert!(outcome.problems[0].reason.contains("vanished"));
    }

    #[test]
    fn a_file_written_while_read_is_flagged() {
        let dir = tempfile::tempdir().unwrap();
        write(dir.path(), "a.txt", "title\n\nbody\n");
        let mut file = discover(&[dir.path().to_path_buf()], &DiscoverOptions::default())
            .files
            .remove(0);
        // As if the file had been seen before a writer appended to it.
        file.size -= 1;
        let outcome = file.read(&ReadOptions::default());
        assert_eq!(outcome.articles.len(), 1);
        assert!(
            outcome.problems[0]
                .reason
                .contains("changed while being read")
        );
    }

    #[test]
    fn ids_dates_and_languages_are_settled() {
        let dir = tempfile::tempdir().unwrap();
        write(
            dir.path(),
            "feed.jsonl",
            "{\"title\":\"تفكيك خلية\",\"body\":\"نص\",\"date\":\"٢٠٢٤-٠٣-١٢\"}\n{\"id\":\"x\",\"title\":\"Raid\",\"body\":\"The police said\",\"date\":\"soon\"}\n{}\n",
        );
        let found = discover(&[dir.path().to_path_buf()], &DiscoverOptions::default());
        let outcome = found.files[0].read(&ReadOptions::default());
        let a = &outcome.articles;
        assert_eq!(a[0].id, "feed.jsonl#1");
        assert_eq!(a[0].date.unwrap().date().to_string(), "2024-03-12");
        assert_eq!(a[0].meta.lang.as_deref(), Some("ar"));
        assert_eq!(a[1].id, "x");
        assert_eq!(a[1].date, None);
        assert_eq!(a[1].meta.lang.as_deref(), Some("en"));
        let lines: Vec<_> = outcome
            .problems
            .iter()
            .map(|p| (p.line, p.severity))
            .collect();
        assert_eq!(
            lines,
            vec![(Some(2), Severity::Warning), (Some(3), Severity::Warning)]
        );
        assert!(
            outcome.problems[0]
                .to_string()
                .contains("feed.jsonl:2: invalid date `soon`")
        );
    }

    #[cfg(unix)]
    #[test]
    fn a_name_not_utf8_written_as_another_files_name_is_left_out_and_said() {
        use std::os::unix::ffi::OsStrExt;
        let dir = tempfile::tempdir().unwrap();
        for name in [b"a\xff.txt".as_slice(), b"a\\xff.txt", b"b\xfe.txt"] {
            let path = dir.path().join(std::ffi::OsStr::from_bytes(name));
            std::fs::write(path, "title\n\nbody\n").unwrap();
        }
        let found = discover(&[dir.path().to_path_buf()], &DiscoverOptions::default());
        let relative: Vec<&str> = found.files.iter().map(|f| f.relative.as_str()).collect();
        assert_eq!(relative, vec!["a\\xff.txt", "b\\xfe.txt"]);
        assert!(
            found.files[0].path.to_str().is_some(),
            "the real name keeps it"
        );
        let reasons: Vec<&str> = found.problems.iter().map(|p| p.reason.as_str()).collect();
        assert_eq!(reasons.len(), 2, "{reasons:?}");
        assert!(
            reasons
                .iter()
                .any(|r| r.contains("is the name of another file"))
        );
        assert!(
            reasons
                .iter()
                .any(|r| r.contains("indexed under the name shown"))
        );
    }

    #[cfg(unix)]
    #[test]
    fn names_that_differ_only_in_invalid_bytes_keep_two_keys() {
        use std::os::unix::ffi::OsStrExt;
        let dir = tempfile::tempdir().unwrap();
        for name in [b"a\xff.txt".as_slice(), b"a\xfe.txt", b"b\\\xff.txt"] {
            let path = dir.path().join(std::ffi::OsStr::from_bytes(name));
            std::fs::write(path, "title\n\nbody\n").unwrap();
        }
        let found = discover(&[dir.path().to_path_buf()], &DiscoverOptions::default());
        let relative: Vec<&str> = found.files.iter().map(|f| f.relative.as_str()).collect();
        assert_eq!(relative, vec!["a\\xfe.txt", "a\\xff.txt", "b\\\\\\xff.txt"]);
        let keys: HashSet<_> = found.files.iter().map(SourceFile::key).collect();
        assert_eq!(keys.len(), 3);
        assert_eq!(found.problems.len(), 3);
        assert!(found.problems[0].path.ends_with("a\\xfe.txt"));
    }

    /// What reading a text file of `text` gives with a limit of 1,000 bytes per article.
    fn read_at_1000_bytes(text: &str) -> FileOutcome {
        let dir = tempfile::tempdir().unwrap();
        write(dir.path(), "article.txt", text);
        let found = discover(&[dir.path().to_path_buf()], &DiscoverOptions::default());
        let options = ReadOptions {
            max_article_size: 1_000,
            ..ReadOptions::default()
        };
        found.files[0].read(&options)
    }

    #[test]
    fn a_long_article_is_cut_at_a_word_with_a_warning() {
        let body = "كلمة ".repeat(1000);
        let outcome = read_at_1000_bytes(&format!("عنوان\n\n{body}"));
        let article = &outcome.articles[0];
        assert!(article.title.len() + article.body.len() <= 1_000);
        assert!(article.body.ends_with("كلمة"), "{}", article.body);
        assert_eq!(outcome.problems.len(), 1);
        // Sizes that round to the same megabytes are given in bytes.
        let kept = article.title.len() + article.body.len();
        let reason = &outcome.problems[0].reason;
        assert!(
            reason.starts_with(&format!(
                "article text truncated to {kept} bytes (was 9009 bytes)"
            )) && reason.ends_with("; see --max-article-size"),
            "{reason}"
        );
        assert!(is_cut_warning(&outcome.problems[0]));
    }

    #[test]
    fn a_title_over_the_limit_leaves_room_for_the_body() {
        let title = "عنوان ".repeat(300);
        let outcome = read_at_1000_bytes(&format!("{title}\n\nنص المقال القصير"));
        let article = &outcome.articles[0];
        assert!(article.title.len() + article.body.len() <= 1_000);
        assert_eq!(article.body, "نص المقال القصير");
        assert!(article.title.len() >= 500, "{}", article.title.len());
        let reasons: Vec<&str> = outcome.problems.iter().map(|p| p.reason.as_str()).collect();
        assert_eq!(reasons.len(), 1, "{reasons:?}");
        assert!(
            reasons[0].starts_with("article text truncated"),
            "{reasons:?}"
        );
    }

    #[test]
    fn text_without_spaces_is_cut_at_a_character() {
        let mut text = "ب".repeat(100);
        truncate_text(&mut text, 51);
        assert_eq!(text, "ب".repeat(25));
    }

    #[test]
    fn dates_out_of_range_are_warnings_and_the_article_is_kept() {
        let dir = tempfile::tempdir().unwrap();
        write(
            dir.path(),
            "far.jsonl",
            "{\"title\":\"t\",\"body\":\"b\",\"date\":\"9999-12-31T23:00:00-02:00\"}\n{\"title\":\"t\",\"body\":\"b\",\"date\":\"1600-01-01\"}\n",
        );
        let found = discover(&[dir.path().to_path_buf()], &DiscoverOptions::default());
        let outcome = found.files[0].read(&ReadOptions::default());
        assert_eq!(outcome.articles.len(), 2);
        assert!(outcome.articles.iter().all(|a| a.date.is_none()));
        let reasons: Vec<String> = outcome.problems.iter().map(|p| p.to_string()).collect();
        assert_eq!(reasons.len(), 2, "{reasons:?}");
        assert!(reasons[0].contains(
            "far.jsonl:1: date `9999-12-31T23:00:00-02:00` is outside the supported range 1677-09-21 to 2262-04-11; indexed without a date"
        ), "{reasons:?}");
        assert!(reasons[1].contains("far.jsonl:2: date `1600-01-01` is outside"));
    }

    #[test]
    fn json_lines_input_reads_line_by_line_and_reports_bad_lines() {
        let input = "{\"title\": \"a\", \"body\": \"x\"}\n\nnot json\n{\"id\": \"k\", \"title\": \"b\", \"body\": \"y\"}\n\"x\"\n";
        let options = ReadOptions::default();
        let lines: Vec<ItemOutcome> = JsonLinesInput::new(input.as_bytes(), options).collect();
        let ids: Vec<_> = lines
            .iter()
            .filter_map(|l| l.article.as_ref())
            .map(|a| (a.id.as_str(), a.path.as_str()))
            .collect();
        assert_eq!(ids, vec![("<stdin>#1", "<stdin>"), ("k", "<stdin>")]);
        let problems: Vec<String> = lines
            .iter()
            .flat_map(|l| &l.problems)
            .map(|p| format!("{}:{}", p.path, p.line.unwrap()))
            .collect();
        assert_eq!(problems, vec!["<stdin>:3", "<stdin>:5"]);
    }

    #[test]
    fn json_lines_input_skips_a_line_too_long_and_goes_on() {
        let long = format!("{{\"title\": \"{}\"}}", "x".repeat(100));
        let input = format!("{long}\n{{\"title\": \"short\"}}\n");
        let options = ReadOptions {
            max_file_size: 50,
            ..ReadOptions::default()
        };
        let lines: Vec<ItemOutcome> = JsonLinesInput::new(input.as_bytes(), options).collect();
        assert_eq!(lines.len(), 2);
        assert!(lines[0].problems[0].reason.contains("longer"));
        assert_eq!(lines[1].article.as_ref().unwrap().title, "short");
        assert_eq!(lines[1].article.as_ref().unwrap().id, "<stdin>#2");
    }

    #[test]
    fn a_repeated_id_is_reported_with_both_places_and_the_later_article_kept() {
        let dir = tempfile::tempdir().unwrap();
        write(
            dir.path(),
            "wire.jsonl",
            "{\"id\":\"t1\",\"title\":\"a\"}\n{\"id\":\"x\",\"title\":\"b\"}\n\n{\"id\":\"t1\",\"title\":\"c\"}\n{\"id\":\"t1\",\"title\":\"d\"}\n",
        );
        write(
            dir.path(),
            "list.json",
            "[{\"id\":\"k\",\"title\":\"a\"},{\"id\":\"k\",\"title\":\"b\"}]",
        );
        let found = discover(&[dir.path().to_path_buf()], &DiscoverOptions::default());
        let read = |name: &str| {
            let file = found.files.iter().find(|f| f.relative == name).unwrap();
            let outcome = file.read(&ReadOptions::default());
            let kept: Vec<String> = outcome
                .articles
                .iter()
                .map(|a| format!("{} {}", a.id, a.title))
                .collect();
            let warnings: Vec<String> = outcome
                .problems
                .iter()
                .filter(|p| p.severity == Severity::Warning && p.reason.contains("id"))
                .map(|p| format!("{:?} {}", p.line, p.reason))
                .collect();
            (kept, warnings)
        };
        let (kept, warnings) = read("wire.jsonl");
        assert_eq!(kept, vec!["x b", "t1 d"]);
        assert_eq!(
            warnings,
            vec![
                "Some(4) repeats the id `t1` of line 1; the later article is kept",
                "Some(5) repeats the id `t1` of line 4; the later article is kept",
            ]
        );
        let (kept, warnings) = read("list.json");
        assert_eq!(kept, vec!["k b"]);
        assert_eq!(
            warnings,
            vec!["None item 2 repeats the id `k` of item 1; the later article is kept"]
        );
    }

    #[test]
    fn binary_files_are_reported() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("x.txt"), b"ab\x00cd").unwrap();
        let found = discover(&[dir.path().to_path_buf()], &DiscoverOptions::default());
        let outcome = found.files[0].read(&ReadOptions::default());
        assert!(outcome.articles.is_empty());
        assert!(outcome.problems[0].reason.contains("binary"));
    }
}

#[cfg(all(test, unix))]
mod properties {
    use std::ffi::OsStr;
    use std::os::unix::ffi::OsStrExt;

    use proptest::prelude::*;

    use super::*;

    /// The inverse of [`path_text`] for a name that is not UTF-8.
    fn unescape(text: &str) -> Vec<u8> {
        let mut bytes = Vec::new();
        let mut rest = text.as_bytes();
        while let Some((&first, after)) = rest.split_first() {
            match (first, after) {
                (b'\\', [b'\\', tail @ ..]) => {
                    bytes.push(b'\\');
                    rest = tail;
                }
                (b'\\', [b'x', hi, lo, tail @ ..]) => {
                    let hex = std::str::from_utf8(&[*hi, *lo]).unwrap().to_string();
                    bytes.push(u8::from_str_radix(&hex, 16).unwrap());
                    rest = tail;
                }
                _ => {
                    bytes.push(first);
                    rest = after;
                }
            }
        }
        bytes
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(512))]

        /// Keys are one to one: a valid name is its own key, and the key of any other name
        /// gives back its bytes.
        #[test]
        fn file_keys_are_reversible(name in proptest::collection::vec(any::<u8>(), 0..40)) {
            let key = path_text(Path::new(OsStr::from_bytes(&name)));
            match std::str::from_utf8(&name) {
                Ok(valid) => prop_assert_eq!(key.as_ref(), valid),
                Err(_) => prop_assert_eq!(unescape(&key), name),
            }
        }
    }
}
