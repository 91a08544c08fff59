//! How an index folder lies on disk, and which of its files are rasd's to delete.
//!
//! ```text
//! INDEX/
//!   rasd-index.json      the marker: "this folder is a rasd index", and which generation is current
//!   rasd-index.lock      held by the one job that writes to the index, or to the files below
//!   watches.toml         the saved searches of `rasd watch` (the user may edit it)
//!   watch-state.json     when each saved search ran, and what it searched, written by `rasd watch`
//!   watch-seen.bin       what each saved search has seen and reported (written whole now and then)
//!   watch-journal.bin    what they have seen and reported since, appended to by each run
//!   generation-3/        the current tantivy index, searched; `rasd-generation` in it says rasd made it
//!   generation-4/        a rebuild in progress, not searched until the marker points to it
//! ```
//!
//! The marker is the first thing rasd writes into a folder (always by writing a temporary file
//! and renaming it), so a job killed at any moment leaves a folder that the next job recognizes
//! as its own and completes. A rebuild fills a new generation beside the current one and
//! switches the marker in one rename: searches see the old index until the new one is complete,
//! and a rebuild killed at any point leaves the old index or the new one. rasd deletes only
//! files whose names it or tantivy gives ([`is_tantivy_file`]), in folders it created; a file a
//! user puts anywhere in the index folder is never removed. The saved searches and their state
//! lie beside the generations, so a rebuild, which replaces only generations, keeps them.

use std::collections::HashSet;
use std::fs::{self, File, TryLockError};
use std::io::{self, Read, Write};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use serde::{Deserialize, Serialize};

use crate::error::{Context, Error};

/// The marker file's name.
const MARKER: &str = "rasd-index.json";
/// The marker while it is being written, before the rename that makes it whole.
const MARKER_DRAFT: &str = "rasd-index.json.tmp";
/// The writers' lock file.
const LOCK: &str = "rasd-index.lock";
/// The largest marker read: rasd writes some fifty bytes.
const MAX_MARKER_BYTES: u64 = 4096;
/// The most bytes of a first-layout index's `.managed.json` read: its list of files.
const MAX_MANAGED_BYTES: u64 = 64 << 20;

/// How long a job retries a held lock even without `--wait`. The kernel releases a killed
/// job's lock only once it has torn the process down: tens of milliseconds later, after
/// `timeout -s KILL` has already returned, so a job started right after it would otherwise
/// find the index busy.
pub const RELEASE_GRACE: Duration = Duration::from_secs(1);
/// The saved searches of `rasd watch`.
pub const WATCHES: &str = "watches.toml";
/// When each saved search ran and what it searched.
pub const WATCH_STATE: &str = "watch-state.json";
/// What each saved search has seen and reported, written whole (see `watch/journal.rs`).
pub const WATCH_SEEN: &str = "watch-seen.bin";
/// What they have seen and reported since [`WATCH_SEEN`] was written, appended to.
pub const WATCH_JOURNAL: &str = "watch-journal.bin";
/// What a file written whole ([`Layout::write_whole`]) is named while being written.
const DRAFT_SUFFIX: &str = ".tmp";
/// Generation folders are this prefix and a number.
const GENERATION_PREFIX: &str = "generation-";
/// In a generation folder, written right after the folder is made: rasd made it, so its
/// tantivy files are rasd's. A user's own `generation-7/meta.json` is never touched.
const GENERATION_OWNER: &str = "rasd-generation";
/// What the marker's `format` says.
const FORMAT: &str = "rasd-index/2";

/// The marker's content.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Marker {
    /// The generation searches use; `None` until the first one has its first commit.
    pub generation: Option<u64>,
}

/// A key missing or misspelled makes the marker unreadable, never `null`: `null` lets a job
/// delete the generations as ones no commit made current.
#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct MarkerFile {
    format: String,
    #[serde(deserialize_with = "Option::deserialize")]
    generation: Option<u64>,
}

/// What a folder given as the index is, before rasd uses it.
#[derive(Debug)]
pub enum FolderState {
    /// It does not exist.
    Missing,
    /// It exists and holds nothing, or only what a job killed before writing the marker left.
    Empty,
    /// A rasd index; its marker.
    Index(Marker),
    /// A rasd index whose marker cannot be read.
    DamagedMarker(String),
    /// A folder, a link or another special file stands where the marker goes. rasd never
    /// makes one there, and never removes or replaces what it did not make, so it cannot
    /// write its marker.
    MarkerNotAFile,
    /// An index of rasd's first layout: a tantivy index directly in the folder.
    FirstLayout,
    /// It holds files that are not rasd's.
    Foreign,
    /// It is a file, or lies under one.
    NotAFolder,
}

/// An index folder.
#[derive(Debug, Clone)]
pub struct Layout {
    root: PathBuf,
}

impl Layout {
    /// The layout of the index folder `root`.
    pub fn new(root: &Path) -> Layout {
        Layout {
            root: root.to_path_buf(),
        }
    }

    /// The index folder.
    pub fn root(&self) -> &Path {
        &self.root
    }

    /// The folder of generation `n`.
    pub fn generation_dir(&self, n: u64) -> PathBuf {
        self.root.join(format!("{GENERATION_PREFIX}{n}"))
    }

    /// Looks at the folder without changing anything.
    pub fn inspect(&self) -> Result<FolderState, Error> {
        let entries = match fs::read_dir(&self.root) {
            Ok(entries) => entries,
            Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(FolderState::Missing),
            Err(e) if e.kind() == io::ErrorKind::NotADirectory => {
                return Ok(FolderState::NotAFolder);
            }
            Err(e) => {
                return Err(e).context(|| format!("cannot read {}", self.root.display()));
            }
        };
        let mut names = Vec::new();
        for entry in entries {
            let entry = entry.context(|| format!("cannot read {}", self.root.display()))?;
            names.push(entry.file_name().to_string_lossy().into_owned());
        }
        if names.iter().any(|n| n == MARKER) {
            if self.marker_is_not_a_file() {
                return Ok(FolderState::MarkerNotAFile);
            }
            return Ok(match self.read_marker() {
                Ok(marker) => FolderState::Index(marker),
                Err(reason) => FolderState::DamagedMarker(reason),
            });
        }
        let rasds_own = |n: &String| {
            n == LOCK
                || n == MARKER_DRAFT
                || [WATCHES, WATCH_STATE, WATCH_SEEN, WATCH_JOURNAL]
                    .iter()
                    .any(|own| n == own || n.strip_suffix(DRAFT_SUFFIX) == Some(own))
        };
        if names.iter().all(rasds_own) {
            return Ok(FolderState::Empty);
        }
        // A generation rasd made (its owner file says so): an index whose marker was lost.
        let made_generation = |n: &String| {
            n.strip_prefix(GENERATION_PREFIX)
                .is_some_and(|number| number.parse::<u64>().is_ok())
                && self.root.join(n).join(GENERATION_OWNER).is_file()
        };
        if names.iter().any(made_generation) {
            return Ok(FolderState::DamagedMarker(format!("{MARKER} is missing")));
        }
        if names.iter().all(|n| rasds_own(n) || is_tantivy_file(n))
            && self.first_layout_files().is_some()
        {
            return Ok(FolderState::FirstLayout);
        }
        Ok(FolderState::Foreign)
    }

    /// Whether something other than a plain file (a folder, a link, a FIFO) stands where
    /// the marker goes ([`FolderState::MarkerNotAFile`]).
    fn marker_is_not_a_file(&self) -> bool {
        fs::symlink_metadata(self.root.join(MARKER)).is_ok_and(|m| !m.is_file())
    }

    /// Reads the marker; the error says why it cannot be used.
    pub fn read_marker(&self) -> Result<Marker, String> {
        // Read up to a bound: a marker is a line, and a huge file there is not one.
        let mut text = String::new();
        File::open(self.root.join(MARKER))
            .and_then(|file| file.take(MAX_MARKER_BYTES + 1).read_to_string(&mut text))
            .map_err(|e| e.to_string())?;
        if text.len() as u64 > MAX_MARKER_BYTES {
            return Err(format!("it is larger than {MAX_MARKER_BYTES} bytes"));
        }
        // The format first: another version's marker may have other keys.
        let value: serde_json::Value = serde_json::from_str(&text).map_err(|e| e.to_string())?;
        if let Some(format) = value.get("format").and_then(|f| f.as_str())
            && format != FORMAT
        {
            return Err(format!(
                "it was written by another version of rasd ({format})"
            ));
        }
        // Read from the text, not the value, which keeps the last of a key written twice.
        let file: MarkerFile = serde_json::from_str(&text).map_err(|e| e.to_string())?;
        Ok(Marker {
            generation: file.generation,
        })
    }

    /// Clears the name of the marker's draft before an index run does any work: what a
    /// killed job left goes, and a folder that is not empty there (which rasd would not
    /// remove) stops the run now rather than after it has indexed everything.
    pub fn clear_marker_draft(&self) -> Result<(), Error> {
        let draft = self.root.join(MARKER_DRAFT);
        remove_draft(&draft).context(|| format!("cannot write the draft {}", draft.display()))
    }

    /// Writes the marker whole or not at all: a draft, synced, renamed over the marker.
    pub fn write_marker(&self, marker: Marker) -> Result<(), Error> {
        let failed = || format!("cannot write the index marker in {}", self.root.display());
        let content = serde_json::to_string(&MarkerFile {
            format: FORMAT.to_string(),
            generation: marker.generation,
        })
        .expect("the marker serializes");
        let draft = self.root.join(MARKER_DRAFT);
        let mut file = create_draft(&draft)
            .context(|| format!("cannot write the draft {}", draft.display()))?;
        file.write_all(content.as_bytes()).context(failed)?;
        file.sync_all().context(failed)?;
        // Checked again at the end: a folder or link put there while a long rebuild ran is
        // not rasd's to replace (a rename would replace a link).
        if self.marker_is_not_a_file() {
            let _ = fs::remove_file(&draft);
            return Err(Error::MarkerNotAFile(self.root.clone()));
        }
        fs::rename(&draft, self.root.join(MARKER)).context(failed)?;
        sync_folder(&self.root);
        Ok(())
    }

    /// The path of the file `name` in the index folder: [`WATCHES`], [`WATCH_STATE`]…
    pub fn file(&self, name: &str) -> PathBuf {
        self.root.join(name)
    }

    /// Writes the file `name` ([`WATCHES`], [`WATCH_STATE`]…) whole or not at all, as the
    /// marker is written: a draft beside it, synced, renamed over it. Only for the holder of
    /// the writers' lock.
    pub fn write_whole(&self, name: &str, content: &[u8]) -> Result<(), Error> {
        self.replace(name, content)?;
        sync_folder(&self.root);
        Ok(())
    }

    /// Writes the file `name` whole or not at all, as [`Layout::write_whole`] does, without
    /// waiting for the rename to reach the disk: for a file whose previous version, found
    /// again after a power cut, is still right (`watch-state.json`: a run that finds it
    /// searches again the segments whose matches the synced journal already records). One
    /// sync of the folder fewer. Only for the holder of the writers' lock.
    pub fn replace(&self, name: &str, content: &[u8]) -> Result<(), Error> {
        let path = self.file(name);
        let failed = || format!("cannot write {}", path.display());
        let draft = self.file(&format!("{name}{DRAFT_SUFFIX}"));
        let mut file = create_draft(&draft)
            .context(|| format!("cannot write the draft {}", draft.display()))?;
        file.write_all(content).context(failed)?;
        // Synced all the same: renamed over the file, a draft whose bytes were lost in a
        // power cut would leave an empty or cut file where the old one was right.
        file.sync_data().context(failed)?;
        fs::rename(&draft, &path).context(failed)?;
        Ok(())
    }

    /// Appends `content` to the file `name`, which rasd wrote, after its first `valid` bytes
    /// (what follows them, a write cut short by a kill, is overwritten), and syncs it. Only
    /// for the holder of the writers' lock.
    pub fn append(&self, name: &str, valid: u64, content: &[u8]) -> Result<(), Error> {
        use std::io::{Seek, SeekFrom};
        let path = self.file(name);
        let failed = || format!("cannot write {}", path.display());
        let mut file = File::options().write(true).open(&path).context(failed)?;
        file.set_len(valid).context(failed)?;
        file.seek(SeekFrom::Start(valid)).context(failed)?;
        file.write_all(content).context(failed)?;
        file.sync_data().context(failed)?;
        Ok(())
    }

    /// Takes the writers' lock, retrying while another job holds it for up to `wait`, and
    /// for at least [`RELEASE_GRACE`]. Released when the returned guard is dropped, or when
    /// the process dies.
    pub fn lock(&self, wait: Duration) -> Result<WriterLock, Error> {
        let path = self.root.join(LOCK);
        let file = File::options()
            .create(true)
            .truncate(false)
            .write(true)
            .open(&path)
            .context(|| format!("cannot create the lock file {}", path.display()))?;
        let start = Instant::now();
        let deadline = start + wait.max(RELEASE_GRACE);
        loop {
            match file.try_lock() {
                Ok(()) => return Ok(WriterLock { _file: file }),
                Err(TryLockError::WouldBlock) if Instant::now() < deadline => {
                    // Often within the grace, a dying holder's release; then every 100 ms.
                    let pause = if start.elapsed() < RELEASE_GRACE {
                        10
                    } else {
                        100
                    };
                    std::thread::sleep(Duration::from_millis(pause));
                }
                Err(TryLockError::WouldBlock) => {
                    return Err(Error::IndexBusy(self.root.clone()));
                }
                Err(TryLockError::Error(e)) => {
                    return Err(e).context(|| format!("cannot lock {}", path.display()));
                }
            }
        }
    }

    /// The numbers of the generation folders present.
    pub fn generations(&self) -> Vec<u64> {
        let Ok(entries) = fs::read_dir(&self.root) else {
            return Vec::new();
        };
        let mut found: Vec<u64> = entries
            .filter_map(Result::ok)
            .filter(|e| e.file_type().is_ok_and(|t| t.is_dir()))
            .filter_map(|e| {
                e.file_name()
                    .to_str()?
                    .strip_prefix(GENERATION_PREFIX)?
                    .parse()
                    .ok()
            })
            .collect();
        found.sort_unstable();
        found
    }

    /// Why `marker` does not fit the generation folders, if it does not (a copy or restore
    /// of the folder, a marker edited): it names a generation that is missing, or empty (a
    /// copy that stopped short) while another holds commits; or it names none while one
    /// holds commits. Then no generation may be deleted as what a killed job left.
    pub fn disagreement(&self, marker: Marker) -> Option<String> {
        let committed = || {
            self.generations()
                .into_iter()
                .filter(|&n| self.holds_commits(n))
        };
        match marker.generation {
            Some(n)
                if !self.generation_dir(n).is_dir()
                    || !self.holds_commits(n) && committed().any(|other| other != n) =>
            {
                Some(format!(
                    "its marker names generation-{n}, which is missing or empty"
                ))
            }
            None if committed().next().is_some() => {
                Some("its marker names no generation, but one holds articles".into())
            }
            _ => None,
        }
    }

    /// Whether generation `n` holds a commit with articles: a folder that tantivy's
    /// `meta.json` in it says has segments (or whose `meta.json` cannot be read: it may).
    fn holds_commits(&self, n: u64) -> bool {
        let meta = self.generation_dir(n).join("meta.json");
        let Ok(text) = fs::read_to_string(&meta) else {
            return meta.exists();
        };
        #[derive(Deserialize)]
        struct Meta {
            segments: Vec<serde::de::IgnoredAny>,
        }
        serde_json::from_str::<Meta>(&text).map_or(true, |meta| !meta.segments.is_empty())
    }

    /// Deletes the generations other than `keep`, and a marker draft left by a killed job.
    /// Only for the holder of the writers' lock.
    pub fn remove_other_generations(&self, keep: Option<u64>) {
        for n in self.generations() {
            if Some(n) != keep {
                self.remove_generation(n);
            }
        }
        let _ = fs::remove_file(self.root.join(MARKER_DRAFT));
    }

    /// Makes the folder of a new generation, and says in it that rasd made it.
    pub fn create_generation_folder(folder: &Path) -> io::Result<()> {
        fs::create_dir(folder)?;
        fs::write(folder.join(GENERATION_OWNER), "")
    }

    /// Deletes generation `n`'s tantivy files, then its folder if nothing else is left in it;
    /// only an empty folder (a job killed as it made it) when rasd did not make it, or when
    /// tantivy never wrote in it (its `.managed.json`, for generations made before the owner
    /// file). Only for the holder of the writers' lock.
    pub fn remove_generation(&self, n: u64) {
        let folder = self.generation_dir(n);
        let made =
            folder.join(GENERATION_OWNER).is_file() || folder.join(".managed.json").is_file();
        if made {
            remove_tantivy_files(&folder, |_| true);
            let _ = fs::remove_file(folder.join(GENERATION_OWNER));
        }
        let _ = fs::remove_dir(folder);
    }

    /// The files of rasd's first layout in the folder, a tantivy index directly in it: those
    /// that its `.managed.json` lists as tantivy's (tantivy's list of the files it wrote), and
    /// its `meta.json`, `.managed.json` and locks. `None` when the folder holds no such index: no
    /// `meta.json`, or no list that tantivy wrote. A file of the user's that only bears one of
    /// tantivy's names is not on it.
    fn first_layout_files(&self) -> Option<Vec<String>> {
        let read = |name: &str| {
            let mut text = String::new();
            File::open(self.root.join(name))
                .and_then(|file| file.take(MAX_MANAGED_BYTES).read_to_string(&mut text))
                .ok()
                .map(|_| text)
        };
        read("meta.json")?;
        let listed: Vec<String> = serde_json::from_str(&read(".managed.json")?).ok()?;
        let mut files: Vec<String> = listed
            .into_iter()
            .filter(|name| is_tantivy_file(name) && !name.contains(['/', '\\']))
            .collect();
        // tantivy's locks are on no list.
        let own = [
            "meta.json",
            ".managed.json",
            ".tantivy-writer.lock",
            ".tantivy-meta.lock",
        ];
        files.extend(own.map(String::from));
        Some(files)
    }

    /// Makes generation `n` the one searched, then deletes the others, and, when it replaces
    /// an index of rasd's first layout (`replaces_first_layout`), that index's files
    /// ([`Layout::first_layout_files`]). Only for the holder of the writers' lock.
    pub fn make_current(&self, n: u64, replaces_first_layout: bool) -> Result<(), Error> {
        self.write_marker(Marker {
            generation: Some(n),
        })?;
        self.remove_other_generations(Some(n));
        if replaces_first_layout && let Some(files) = self.first_layout_files() {
            for name in files {
                let path = self.root.join(name);
                if fs::symlink_metadata(&path).is_ok_and(|m| m.is_file()) {
                    let _ = fs::remove_file(path);
                }
            }
        }
        Ok(())
    }
}

/// Creates the draft `path` of a file written whole, a new file: whatever lies under that
/// name, rasd's own (a draft a killed job left, or a link planted there in a shared folder),
/// is removed first, never written through to somewhere else.
fn create_draft(path: &Path) -> io::Result<File> {
    remove_draft(path)?;
    fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(path)
}

/// Removes what lies under the name of a draft (see [`create_draft`]): a file, a link, an
/// empty folder; anything else in the way is the error.
fn remove_draft(path: &Path) -> io::Result<()> {
    match fs::remove_file(path) {
        Ok(()) => Ok(()),
        Err(e) if e.kind() == io::ErrorKind::NotFound => Ok(()),
        Err(e) if fs::remove_dir(path).is_err() => Err(e),
        Err(_) => Ok(()),
    }
}

/// Held by the job that writes to an index.
#[derive(Debug)]
pub struct WriterLock {
    _file: File,
}

/// Makes a rename in `folder` durable; failing to is not worth failing a run over.
fn sync_folder(folder: &Path) {
    if let Ok(dir) = File::open(folder) {
        let _ = dir.sync_all();
    }
}

/// Gives tantivy's metadata files in `folder` the permissions of the marker of the index at
/// `root`: tantivy writes them through temporary files, readable by their owner only, and a
/// colleague who may read the index must be able to read them too.
pub fn share_metadata(folder: &Path, root: &Path) {
    let Ok(marker) = fs::metadata(root.join(MARKER)) else {
        return;
    };
    for name in ["meta.json", ".managed.json"] {
        let _ = fs::set_permissions(folder.join(name), marker.permissions());
    }
}

/// Whether tantivy gives files this name: its metadata, its locks, its temporary files, and
/// segment files (`<32 hex digits>.<component>`, `<32 hex digits>.<opstamp>.del`).
pub fn is_tantivy_file(name: &str) -> bool {
    if matches!(
        name,
        "meta.json" | ".managed.json" | ".tantivy-writer.lock" | ".tantivy-meta.lock"
    ) || name.starts_with(".tmp")
    {
        return true;
    }
    segment_of(name).is_some()
}

/// The segment id of a segment file's name.
fn segment_of(name: &str) -> Option<&str> {
    let (id, component) = name.split_once('.')?;
    // tantivy writes segment ids in lowercase.
    let is_id = id.len() == 32 && id.bytes().all(|b| matches!(b, b'0'..=b'9' | b'a'..=b'f'));
    let is_component = matches!(
        component,
        "idx" | "pos" | "term" | "store" | "temp" | "fast" | "fieldnorm" | "del"
    ) || component
        .strip_suffix(".del")
        .is_some_and(|opstamp| !opstamp.is_empty() && opstamp.bytes().all(|b| b.is_ascii_digit()));
    (is_id && is_component).then_some(id)
}

/// Deletes the tantivy files of `folder` that `doomed` picks, leaving every other file.
fn remove_tantivy_files(folder: &Path, doomed: impl Fn(&str) -> bool) {
    let Ok(entries) = fs::read_dir(folder) else {
        return;
    };
    for entry in entries.filter_map(Result::ok) {
        let name = entry.file_name();
        let Some(name) = name.to_str() else { continue };
        if is_tantivy_file(name) && doomed(name) && entry.file_type().is_ok_and(|t| t.is_file()) {
            let _ = fs::remove_file(entry.path());
        }
    }
}

/// Deletes the segment files of `folder` that belong to no segment in `live`, the deletions
/// files (`<segment>.<opstamp>.del`) other than `live_deletions`, and tantivy's temporary
/// files: what a failed commit (a full disk, a killed job) leaves behind. Only for the holder
/// of the writers' lock, before its writer starts.
pub fn remove_orphan_files(
    folder: &Path,
    live: &HashSet<String>,
    live_deletions: &HashSet<String>,
) {
    remove_tantivy_files(folder, |name| {
        name.starts_with(".tmp")
            || segment_of(name).is_some_and(|id| {
                !live.contains(id) || (name.ends_with(".del") && !live_deletions.contains(name))
            })
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A folder or link put where the marker goes while a job ran is left as it is when the
    /// job writes the marker at its end: the rename would replace a link.
    #[test]
    fn the_marker_is_not_written_over_a_folder_or_link_put_there_meanwhile() {
        let dir = tempfile::tempdir().unwrap();
        let layout = Layout::new(dir.path());
        let target = dir.path().join("elsewhere.json");
        fs::write(&target, "theirs").unwrap();
        let marker = dir.path().join(MARKER);
        std::os::unix::fs::symlink(&target, &marker).unwrap();
        let written = layout.write_marker(Marker {
            generation: Some(1),
        });
        assert!(
            matches!(written, Err(Error::MarkerNotAFile(_))),
            "{written:?}"
        );
        assert!(
            fs::symlink_metadata(&marker)
                .unwrap()
                .file_type()
                .is_symlink()
        );
        assert_eq!(fs::read_to_string(&target).unwrap(), "theirs");
        fs::remove_file(&marker).unwrap();
        fs::create_dir(&marker).unwrap();
        let written = layout.write_marker(Marker {
            generation: Some(1),
        });
        assert!(
            matches!(written, Err(Error::MarkerNotAFile(_))),
            "{written:?}"
        );
        assert!(marker.is_dir());
        assert!(!dir.path().join(MARKER_DRAFT).exists());
    }

    #[test]
    fn tantivy_names_are_recognized_and_user_files_are_not() {
        let id = "0123456789abcdef0123456789abcdef";
        for name in [
            "meta.json".to_string(),
            ".managed.json".into(),
            ".tantivy-writer.lock".into(),
            ".tmpA1b2C3".into(),
            format!("{id}.idx"),
            format!("{id}.fieldnorm"),
            format!("{id}.17.del"),
        ] {
            assert!(is_tantivy_file(&name), "{name}");
        }
        for name in [
            "thesis.odt",
            "notes",
            "meta.json.bak",
            "0123456789abcdef.idx",
            "0123456789abcdef0123456789abcdeg.idx",
            "0123456789ABCDEF0123456789ABCDEF.idx",
            &format!("{id}.pdf"),
            &format!("{id}..del"),
        ] {
            assert!(!is_tantivy_file(name), "{name}");
        }
    }

    #[test]
    fn a_lock_released_soon_after_is_taken_without_waiting() {
        let dir = tempfile::tempdir().unwrap();
        let layout = Layout::new(dir.path());
        let held = layout.lock(Duration::ZERO).unwrap();
        let holder = std::thread::spawn(move || {
            std::thread::sleep(RELEASE_GRACE / 5);
            drop(held);
        });
        assert!(layout.lock(Duration::ZERO).is_ok());
        holder.join().unwrap();
        // Held past the grace: busy.
        let _held = layout.lock(Duration::ZERO).unwrap();
        assert!(matches!(
            layout.lock(Duration::ZERO),
            Err(Error::IndexBusy(_))
        ));
    }

    #[test]
    fn a_folder_is_classified_before_use() {
        let dir = tempfile::tempdir().unwrap();
        let layout = Layout::new(&dir.path().join("index"));
        assert!(matches!(layout.inspect().unwrap(), FolderState::Missing));
        fs::create_dir(layout.root()).unwrap();
        assert!(matches!(layout.inspect().unwrap(), FolderState::Empty));
        // A job killed right after taking the lock left only the lock file.
        drop(layout.lock(Duration::ZERO).unwrap());
        assert!(matches!(layout.inspect().unwrap(), FolderState::Empty));
        layout.write_marker(Marker { generation: None }).unwrap();
        assert!(matches!(
            layout.inspect().unwrap(),
            FolderState::Index(Marker { generation: None })
        ));
        fs::write(layout.root().join(MARKER), "{").unwrap();
        assert!(matches!(
            layout.inspect().unwrap(),
            FolderState::DamagedMarker(_)
        ));

        let other = Layout::new(dir.path());
        assert!(matches!(other.inspect().unwrap(), FolderState::Foreign));
        let file = dir.path().join("notes.txt");
        fs::write(&file, "x").unwrap();
        for path in [file.clone(), file.join("index")] {
            let layout = Layout::new(&path);
            assert!(matches!(layout.inspect().unwrap(), FolderState::NotAFolder));
        }
        let first = Layout::new(&dir.path().join("first"));
        fs::create_dir(first.root()).unwrap();
        fs::write(first.root().join("meta.json"), "{}").unwrap();
        fs::write(first.root().join(".managed.json"), "[]").unwrap();
        assert!(matches!(first.inspect().unwrap(), FolderState::FirstLayout));
        fs::write(first.root().join("budget.xlsx"), "x").unwrap();
        assert!(matches!(first.inspect().unwrap(), FolderState::Foreign));
    }

    #[test]
    fn a_marker_is_read_strictly_but_another_versions_is_named_so() {
        let dir = tempfile::tempdir().unwrap();
        let layout = Layout::new(dir.path());
        let read = |text: &str| {
            fs::write(dir.path().join(MARKER), text).unwrap();
            layout.read_marker()
        };
        let ok = r#"{"format":"rasd-index/2","generation":3}"#;
        assert_eq!(read(ok).unwrap().generation, Some(3));
        let null = r#"{"format":"rasd-index/2","generation":null}"#;
        assert_eq!(read(null).unwrap().generation, None);
        for damaged in [
            r#"{"format":"rasd-index/2"}"#,
            r#"{"format":"rasd-index/2","xeneration":3}"#,
            r#"{"format":"rasd-index/2","generation":3,"more":1}"#,
            r#"{"generation":3}"#,
        ] {
            assert!(read(damaged).is_err(), "{damaged}");
        }
        let other = read(r#"{"format":"rasd-index/9","shards":[1,2]}"#).unwrap_err();
        assert!(
            other.contains("another version of rasd (rasd-index/9)"),
            "{other}"
        );
    }

    #[cfg(unix)]
    #[test]
    fn a_link_under_a_draft_name_is_replaced_not_written_through() {
        let dir = tempfile::tempdir().unwrap();
        let outside = tempfile::tempdir().unwrap();
        let layout = Layout::new(dir.path());
        layout.write_marker(Marker { generation: None }).unwrap();
        let victims = [outside.path().join("a"), outside.path().join("b")];
        for (victim, draft) in victims.iter().zip([WATCHES, MARKER]) {
            fs::write(victim, "precious").unwrap();
            std::os::unix::fs::symlink(victim, dir.path().join(format!("{draft}.tmp"))).unwrap();
        }
        layout.write_whole(WATCHES, b"[[watch]]").unwrap();
        layout
            .write_marker(Marker {
                generation: Some(1),
            })
            .unwrap();
        for victim in &victims {
            assert_eq!(fs::read_to_string(victim).unwrap(), "precious");
        }
        // An empty folder under a draft's name goes too; one with something in it stays,
        // and the error names it.
        fs::create_dir(dir.path().join(format!("{WATCH_STATE}.tmp"))).unwrap();
        layout.write_whole(WATCH_STATE, b"{}").unwrap();
        fs::create_dir_all(dir.path().join(format!("{WATCH_STATE}.tmp/kept"))).unwrap();
        let error = layout
            .write_whole(WATCH_STATE, b"{}")
            .unwrap_err()
            .to_string();
        assert!(error.contains(&format!("{WATCH_STATE}.tmp")), "{error}");
        let watches = dir.path().join(WATCHES);
        assert!(!fs::symlink_metadata(&watches).unwrap().is_symlink());
        assert_eq!(fs::read(watches).unwrap(), b"[[watch]]");
        assert_eq!(layout.read_marker().unwrap().generation, Some(1));
    }

    #[test]
    fn removing_a_generation_keeps_what_is_not_rasds() {
        let dir = tempfile::tempdir().unwrap();
        let layout = Layout::new(dir.path());
        let id = "0123456789abcdef0123456789abcdef";
        let gen1 = layout.generation_dir(1);
        let gen2 = layout.generation_dir(2);
        let gen3 = layout.generation_dir(3);
        for folder in [&gen1, &gen2] {
            Layout::create_generation_folder(folder).unwrap();
            fs::write(folder.join("meta.json"), "{}").unwrap();
            fs::write(folder.join(format!("{id}.idx")), "x").unwrap();
        }
        fs::write(gen2.join("mine.txt"), "a user's file").unwrap();
        // A folder a user made and named like a generation, with tantivy's file names in it.
        fs::create_dir(&gen3).unwrap();
        fs::write(gen3.join("meta.json"), "mine").unwrap();
        fs::write(gen3.join(format!("{id}.idx")), "mine").unwrap();
        layout.remove_other_generations(None);
        assert!(!gen1.exists());
        assert_eq!(
            fs::read_dir(&gen2).unwrap().count(),
            1,
            "only the user's file is left"
        );
        assert!(gen2.join("mine.txt").exists());
        assert_eq!(fs::read_to_string(gen3.join("meta.json")).unwrap(), "mine");
        assert_eq!(fs::read_dir(&gen3).unwrap().count(), 2);
    }

    #[test]
    fn orphan_segment_files_are_removed_and_live_ones_kept() {
        let dir = tempfile::tempdir().unwrap();
        let live_id = "0123456789abcdef0123456789abcdef";
        let orphan_id = "fedcba9876543210fedcba9876543210";
        for name in [
            format!("{live_id}.idx"),
            format!("{live_id}.3.del"),
            // A killed commit's deletions of a live segment, not those of the last commit.
            format!("{live_id}.7.del"),
            format!("{orphan_id}.idx"),
            format!("{orphan_id}.store"),
            ".tmpXyZ".into(),
            "meta.json".into(),
            "keep.txt".into(),
        ] {
            fs::write(dir.path().join(name), "x").unwrap();
        }
        remove_orphan_files(
            dir.path(),
            &HashSet::from([live_id.to_string()]),
            &HashSet::from([format!("{live_id}.3.del")]),
        );
        let mut left: Vec<String> = fs::read_dir(dir.path())
            .unwrap()
            .map(|e| e.unwrap().file_name().into_string().unwrap())
            .collect();
        left.sort();
        assert_eq!(
            left,
            vec![
                format!("{live_id}.3.del"),
                format!("{live_id}.idx"),
                "keep.txt".to_string(),
                "meta.json".to_string()
            ]
        );
    }
}
